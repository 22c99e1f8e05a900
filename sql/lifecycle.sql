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
