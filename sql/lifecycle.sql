-- Lifecycle states, legal moves, and robot_lifecycle_guard on a table with
-- default column names and on one with renamed columns.

\i sql/include/try.sql

SELECT enum_range(NULL::robot_state);
SELECT * FROM robot_state_transitions();
-- the matrix of can_transition agrees with the set of transitions
SELECT f AS "from", string_agg(CASE WHEN robot_state_can_transition(f, t) THEN t::text END, ', ' ORDER BY t) AS legal_moves
  FROM unnest(enum_range(NULL::robot_state)) f, unnest(enum_range(NULL::robot_state)) t
 GROUP BY f ORDER BY f;
SELECT count(*) AS disagreements
  FROM unnest(enum_range(NULL::robot_state)) f, unnest(enum_range(NULL::robot_state)) t
 WHERE robot_state_can_transition(f, t) <> ((f, t) IN (SELECT * FROM robot_state_transitions()));
SELECT robot_state_can_transition('sold', 'sold') AS same_state_is_no_move,
       robot_state_can_transition(NULL, 'sold') IS NULL AS strict;

-- a registry with the default column names
CREATE TABLE robots (
	id robot_id PRIMARY KEY,
	state robot_state NOT NULL DEFAULT 'manufactured',
	recalled boolean NOT NULL DEFAULT false,
	refurbished_from robot_id,
	location text
);
CREATE TRIGGER robots_lifecycle BEFORE INSERT OR UPDATE OR DELETE ON robots
	FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard();

INSERT INTO robots (id) VALUES ('86000100012320260529000000001'), ('86000100012320260529000000002'),
	('86000100012320260529000000003'), ('86000100012320260529000000004');
-- registering in any other state
SELECT pg_temp.try($$INSERT INTO robots (id, state) VALUES ('86000100012320260529000000009', 'sold')$$);
INSERT INTO robots (id, state) VALUES ('86000100012320260529000000009', 'deployed');

-- a full legal life: every move of the table, one robot
UPDATE robots SET state = 'sold' WHERE id = '86000100012320260529000000001';
UPDATE robots SET state = 'deployed', location = 'Shenzhen' WHERE id = '86000100012320260529000000001';
UPDATE robots SET state = 'maintenance' WHERE id = '86000100012320260529000000001';
UPDATE robots SET state = 'deployed' WHERE id = '86000100012320260529000000001';
UPDATE robots SET state = 'sold' WHERE id = '86000100012320260529000000001';
UPDATE robots SET location = 'Beijing' WHERE id = '86000100012320260529000000001';
UPDATE robots SET state = 'recycled' WHERE id = '86000100012320260529000000001';
UPDATE robots SET state = 'retired' WHERE id = '86000100012320260529000000001';
SELECT id, state, location FROM robots WHERE id = '86000100012320260529000000001';

-- illegal moves
UPDATE robots SET state = 'deployed' WHERE id = '86000100012320260529000000002';
SELECT pg_temp.try($$UPDATE robots SET state = 'deployed' WHERE id = '86000100012320260529000000002'$$);
UPDATE robots SET state = 'sold' WHERE id = '86000100012320260529000000002';
SELECT pg_temp.try($$UPDATE robots SET state = 'manufactured' WHERE id = '86000100012320260529000000002'$$);

-- no refurbishment: out of recycled or retired to anything but retired
SELECT pg_temp.try($$UPDATE robots SET state = 'sold' WHERE id = '86000100012320260529000000001'$$);
UPDATE robots SET state = 'recycled' WHERE id = '86000100012320260529000000003';
UPDATE robots SET state = 'maintenance' WHERE id = '86000100012320260529000000003';
SELECT pg_temp.try($$UPDATE robots SET state = 'manufactured' WHERE id = '86000100012320260529000000003'$$);
-- a rebuild of a scrapped unit, on INSERT and on UPDATE
INSERT INTO robots (id, refurbished_from) VALUES ('86000100012320260529000000010', '86000100012320260529000000003');
SELECT pg_temp.try($$INSERT INTO robots (id, refurbished_from) VALUES ('86000100012320260529000000010', '86000100012320260529000000001')$$);
SELECT pg_temp.try($$UPDATE robots SET refurbished_from = '86000100012320260529000000003' WHERE id = '86000100012320260529000000004'$$);
-- a rebuild of a robot that is not scrapped is fine
INSERT INTO robots (id, refurbished_from) VALUES ('86000100012320260529000000011', '86000100012320260529000000002');
-- once set, refurbished_from is not checked again on unrelated updates
UPDATE robots SET state = 'recycled' WHERE id = '86000100012320260529000000002';
UPDATE robots SET state = 'sold' WHERE id = '86000100012320260529000000011';
SELECT id, state, refurbished_from FROM robots WHERE refurbished_from IS NOT NULL;

-- recall hold: no move into sold or deployed while recalled
UPDATE robots SET recalled = true WHERE id = '86000100012320260529000000004';
SELECT pg_temp.try($$UPDATE robots SET state = 'sold' WHERE id = '86000100012320260529000000004'$$);
UPDATE robots SET state = 'sold' WHERE id = '86000100012320260529000000004';
-- moves that leave the market are allowed while recalled
UPDATE robots SET recalled = true WHERE id = '86000100012320260529000000011';
UPDATE robots SET state = 'maintenance' WHERE id = '86000100012320260529000000011';
SELECT pg_temp.try($$UPDATE robots SET state = 'deployed' WHERE id = '86000100012320260529000000011'$$);
-- remedied: the flag cleared, the robot may return
UPDATE robots SET recalled = false WHERE id = '86000100012320260529000000011';
UPDATE robots SET state = 'deployed' WHERE id = '86000100012320260529000000011';

-- history is immutable: no delete, no new code
DELETE FROM robots WHERE id = '86000100012320260529000000004';
SELECT pg_temp.try($$DELETE FROM robots$$);
SELECT pg_temp.try($$UPDATE robots SET id = '86000100012320260529000000099' WHERE id = '86000100012320260529000000004'$$);
SELECT count(*) FROM robots;

-- a multi-row statement is all or nothing: one bad row undoes the rest
SELECT id, state FROM robots ORDER BY id;
-- deployed -> maintenance is legal, manufactured -> maintenance is not
SELECT pg_temp.try($$UPDATE robots SET state = 'maintenance' WHERE state IN ('deployed', 'manufactured')$$);
SELECT id, state FROM robots ORDER BY id;
-- retiring is legal from every state
UPDATE robots SET state = 'retired';
SELECT state, count(*) FROM robots GROUP BY state ORDER BY state;

-- renamed columns, no refurbished_from column: that rule is off
CREATE TABLE fleet (
	code robot_id PRIMARY KEY,
	status robot_state NOT NULL,
	on_hold boolean NOT NULL DEFAULT false
);
CREATE TRIGGER fleet_lifecycle BEFORE INSERT OR UPDATE OR DELETE ON fleet
	FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard('id=code', 'state=status', 'recalled=on_hold');
INSERT INTO fleet VALUES ('86000200000120260529000000001', 'manufactured');
SELECT pg_temp.try($$INSERT INTO fleet VALUES ('86000200000120260529000000002', 'retired')$$);
UPDATE fleet SET on_hold = true;
SELECT pg_temp.try($$UPDATE fleet SET status = 'sold'$$);
UPDATE fleet SET status = 'retired';
SELECT pg_temp.try($$UPDATE fleet SET status = 'maintenance'$$);
SELECT pg_temp.try($$DELETE FROM fleet$$);
SELECT pg_temp.try($$UPDATE fleet SET code = '86000200000120260529000000003'$$);
-- no recalled column either: the recall rule is off
CREATE TABLE plain_fleet (code robot_id PRIMARY KEY, status robot_state);
CREATE TRIGGER plain_lifecycle BEFORE INSERT OR UPDATE ON plain_fleet
	FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard('id=code', 'state=status');
INSERT INTO plain_fleet VALUES ('86000200000120260529000000001', 'manufactured');
UPDATE plain_fleet SET status = 'sold';
SELECT pg_temp.try($$UPDATE plain_fleet SET status = NULL$$);
-- a NULL state is never a registration
SELECT pg_temp.try($$INSERT INTO plain_fleet VALUES ('86000200000120260529000000002', NULL)$$);

-- the cache follows the table: a renamed column is noticed at the next write
ALTER TABLE plain_fleet RENAME COLUMN status TO lifecycle;
SELECT pg_temp.try($$UPDATE plain_fleet SET lifecycle = 'deployed'$$);
DROP TRIGGER plain_lifecycle ON plain_fleet;
CREATE TRIGGER plain_lifecycle BEFORE INSERT OR UPDATE ON plain_fleet
	FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard('id=code', 'state=lifecycle');
UPDATE plain_fleet SET lifecycle = 'deployed';
SELECT pg_temp.try($$UPDATE plain_fleet SET lifecycle = 'manufactured'$$);

-- a partitioned table of robots: a source is looked up in every partition
CREATE TABLE parted (id robot_id PRIMARY KEY, state robot_state NOT NULL DEFAULT 'manufactured',
	recalled boolean NOT NULL DEFAULT false, refurbished_from robot_id)
	PARTITION BY RANGE (id);
CREATE TABLE parted_a PARTITION OF parted
	FOR VALUES FROM ('86000300000120260529000000001') TO ('86000300000120260529000000100');
-- partition b has its columns in another order, so attribute numbers differ
CREATE TABLE parted_b (refurbished_from robot_id, note text, state robot_state NOT NULL DEFAULT 'manufactured',
	recalled boolean NOT NULL DEFAULT false, id robot_id NOT NULL);
ALTER TABLE parted_b DROP COLUMN note;
ALTER TABLE parted ATTACH PARTITION parted_b
	FOR VALUES FROM ('86000300000120260529000000100') TO ('86000300000120260529000000200');
CREATE TRIGGER parted_lifecycle BEFORE INSERT OR UPDATE OR DELETE ON parted
	FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard();
INSERT INTO parted (id) VALUES ('86000300000120260529000000001'), ('86000300000120260529000000002');
UPDATE parted SET state = 'recycled' WHERE id = '86000300000120260529000000001';
-- a scrapped unit in partition a, a rebuild landing in partition b
SELECT pg_temp.try($$INSERT INTO parted (id, refurbished_from)
	VALUES ('86000300000120260529000000150', '86000300000120260529000000001')$$);
-- the same, inserted directly into the partition
SELECT pg_temp.try($$INSERT INTO parted_b (id, refurbished_from)
	VALUES ('86000300000120260529000000150', '86000300000120260529000000001')$$);
-- a live source in another partition is fine, and so is changing it on UPDATE
INSERT INTO parted (id, refurbished_from)
	VALUES ('86000300000120260529000000150', '86000300000120260529000000002');
SELECT pg_temp.try($$UPDATE parted SET refurbished_from = '86000300000120260529000000001'
	WHERE id = '86000300000120260529000000150'$$);
-- and from partition b back into partition a
UPDATE parted SET state = 'retired' WHERE id = '86000300000120260529000000150';
SELECT pg_temp.try($$INSERT INTO parted (id, refurbished_from)
	VALUES ('86000300000120260529000000003', '86000300000120260529000000150')$$);
-- a partition attached after the trigger's look-ups were resolved is searched too
CREATE TABLE parted_c (LIKE parted INCLUDING DEFAULTS);
ALTER TABLE parted_c ADD PRIMARY KEY (id);
INSERT INTO parted_c (id, state) VALUES ('86000300000120260529000000250', 'retired');
ALTER TABLE parted ATTACH PARTITION parted_c
	FOR VALUES FROM ('86000300000120260529000000200') TO ('86000300000120260529000000300');
SELECT pg_temp.try($$INSERT INTO parted (id, refurbished_from)
	VALUES ('86000300000120260529000000004', '86000300000120260529000000250')$$);
-- and a detached one no longer is
ALTER TABLE parted DETACH PARTITION parted_c;
INSERT INTO parted (id, refurbished_from)
	VALUES ('86000300000120260529000000004', '86000300000120260529000000250');
-- a partition without a unique index on the code is misuse
CREATE TABLE parted_plain (LIKE parted INCLUDING DEFAULTS) PARTITION BY LIST (state);
CREATE TABLE parted_plain_1 PARTITION OF parted_plain FOR VALUES IN ('manufactured');
CREATE TABLE parted_plain_2 PARTITION OF parted_plain DEFAULT;
CREATE UNIQUE INDEX ON parted_plain_1 (id);
CREATE TRIGGER parted_plain_lifecycle BEFORE INSERT OR UPDATE OR DELETE ON parted_plain
	FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard();
SELECT pg_temp.try($$INSERT INTO parted_plain (id) VALUES ('86000300000120260529000000001')$$);
CREATE UNIQUE INDEX ON parted_plain_2 (id);
INSERT INTO parted_plain (id) VALUES ('86000300000120260529000000001');
DROP TABLE parted_plain, parted_c;

-- a partition that is itself partitioned: the topmost table's leaves are searched
CREATE TABLE layered (id robot_id, state robot_state NOT NULL DEFAULT 'manufactured',
	refurbished_from robot_id, PRIMARY KEY (id)) PARTITION BY HASH (id);
CREATE TABLE layered_0 PARTITION OF layered FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE layered_1 PARTITION OF layered FOR VALUES WITH (MODULUS 2, REMAINDER 1)
	PARTITION BY HASH (id);
CREATE TABLE layered_1_1 PARTITION OF layered_1 FOR VALUES WITH (MODULUS 4, REMAINDER 1);
CREATE TABLE layered_1_3 PARTITION OF layered_1 FOR VALUES WITH (MODULUS 4, REMAINDER 3);
CREATE TRIGGER layered_lifecycle BEFORE INSERT OR UPDATE OR DELETE ON layered
	FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard();
INSERT INTO layered (id) SELECT make_robot_id('86', '0003', '000002', n) FROM generate_series(1, 20) n;
UPDATE layered SET state = 'recycled';
SELECT count(DISTINCT tableoid) AS leaves_with_sources FROM layered;
-- every rebuild from every source is refused, whichever leaves they are in
SELECT count(*) FILTER (WHERE pg_temp.try(format('INSERT INTO layered (id, refurbished_from) VALUES (%L, %L)',
		make_robot_id('86', '0003', '000002', r), make_robot_id('86', '0003', '000002', s)))
		LIKE '23514 constraint=robot_no_refurbishment %') AS refused,
	count(*) AS attempts
FROM generate_series(1, 20) s, generate_series(21, 40) r;
INSERT INTO layered (id) SELECT make_robot_id('86', '0003', '000002', n) FROM generate_series(21, 40) n;
SELECT count(DISTINCT tableoid) AS leaves_with_rebuilds FROM layered WHERE state = 'manufactured';
-- a table whose triggers fire on a partition of it (not on the topmost table)
CREATE TRIGGER layered_1_lifecycle BEFORE INSERT ON layered_1
	FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard();
DROP TRIGGER layered_lifecycle ON layered;
SELECT count(*) FILTER (WHERE pg_temp.try(format('INSERT INTO layered_1 (id, refurbished_from) VALUES (%L, %L)',
		make_robot_id('86', '0003', '000002', r), make_robot_id('86', '0003', '000002', s)))
		LIKE '23514 constraint=robot_no_refurbishment %') AS refused,
	count(*) AS attempts
FROM generate_series(1, 20) s, generate_series(41, 80) r
WHERE satisfies_hash_partition('layered'::regclass, 2, 1, make_robot_id('86', '0003', '000002', r));
DROP TABLE parted, layered;

-- misuse: 39P01, and 42703 for a named column that does not exist
CREATE TABLE misuse (id robot_id PRIMARY KEY, state robot_state, state_text text, flag int);
CREATE TRIGGER m BEFORE INSERT ON misuse FOR EACH STATEMENT EXECUTE FUNCTION robot_lifecycle_guard();
SELECT pg_temp.try($$INSERT INTO misuse (id, state) VALUES ('86000200000120260529000000001', 'manufactured')$$);
DROP TRIGGER m ON misuse;
CREATE TRIGGER m AFTER INSERT ON misuse FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard();
SELECT pg_temp.try($$INSERT INTO misuse (id, state) VALUES ('86000200000120260529000000001', 'manufactured')$$);
DROP TRIGGER m ON misuse;
CREATE TRIGGER m BEFORE INSERT ON misuse FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard('state=state_text');
SELECT pg_temp.try($$INSERT INTO misuse (id, state) VALUES ('86000200000120260529000000001', 'manufactured')$$);
DROP TRIGGER m ON misuse;
CREATE TRIGGER m BEFORE INSERT ON misuse FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard('recalled=flag');
SELECT pg_temp.try($$INSERT INTO misuse (id, state) VALUES ('86000200000120260529000000001', 'manufactured')$$);
DROP TRIGGER m ON misuse;
CREATE TRIGGER m BEFORE INSERT ON misuse FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard('recalled=on_hold');
SELECT pg_temp.try($$INSERT INTO misuse (id, state) VALUES ('86000200000120260529000000001', 'manufactured')$$);
DROP TRIGGER m ON misuse;
CREATE TRIGGER m BEFORE INSERT ON misuse FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard('id=ctid');
SELECT pg_temp.try($$INSERT INTO misuse (id, state) VALUES ('86000200000120260529000000001', 'manufactured')$$);
DROP TRIGGER m ON misuse;
CREATE TRIGGER m BEFORE INSERT ON misuse FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard('colour=red');
SELECT pg_temp.try($$INSERT INTO misuse (id, state) VALUES ('86000200000120260529000000001', 'manufactured')$$);
DROP TRIGGER m ON misuse;
CREATE TRIGGER m BEFORE INSERT ON misuse FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard('state');
SELECT pg_temp.try($$INSERT INTO misuse (id, state) VALUES ('86000200000120260529000000001', 'manufactured')$$);
DROP TRIGGER m ON misuse;
CREATE TRIGGER m BEFORE INSERT ON misuse FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard('state=state', 'state=state');
SELECT pg_temp.try($$INSERT INTO misuse (id, state) VALUES ('86000200000120260529000000001', 'manufactured')$$);
DROP TRIGGER m ON misuse;
-- refurbished_from needs a unique index on the code to look sources up
CREATE TABLE no_index (id robot_id, state robot_state, refurbished_from robot_id);
CREATE TRIGGER m BEFORE INSERT ON no_index FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard();
SELECT pg_temp.try($$INSERT INTO no_index VALUES ('86000200000120260529000000001', 'manufactured')$$);
CREATE UNIQUE INDEX ON no_index (id);
SELECT pg_temp.try($$INSERT INTO no_index VALUES ('86000200000120260529000000001', 'manufactured')$$);
-- no table without a state column
CREATE TABLE no_state (id robot_id);
CREATE TRIGGER m BEFORE INSERT ON no_state FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard();
SELECT pg_temp.try($$INSERT INTO no_state VALUES ('86000200000120260529000000001')$$);
SELECT pg_temp.try($$SELECT robot_lifecycle_guard()$$);

DROP TABLE robots, fleet, plain_fleet, misuse, no_index, no_state;
