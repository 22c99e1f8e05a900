-- pgTAP: lifecycle states and both triggers, on default and renamed columns
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION robotid;
SELECT plan(49);

-- the constraint name a failing statement reports, or NULL if it succeeds
CREATE FUNCTION pg_temp.violated(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	con text;
BEGIN
	EXECUTE sql;
	RETURN NULL;
EXCEPTION WHEN check_violation THEN
	GET STACKED DIAGNOSTICS con = CONSTRAINT_NAME;
	RETURN con;
END
$$;

SELECT has_type('robot_state');
SELECT enum_has_labels('robot_state',
	ARRAY['manufactured', 'sold', 'deployed', 'maintenance', 'recycled', 'retired']);
SELECT has_function('robot_state_can_transition', ARRAY['robot_state', 'robot_state']);
SELECT has_function('robot_state_transitions');
SELECT function_returns('robot_lifecycle_guard', 'trigger');
SELECT function_returns('robot_market_guard', 'trigger');
SELECT set_eq($$SELECT from_state::text, to_state::text FROM robot_state_transitions()$$,
	$$VALUES ('manufactured', 'sold'), ('manufactured', 'recycled'), ('manufactured', 'retired'),
	         ('sold', 'deployed'), ('sold', 'maintenance'), ('sold', 'recycled'), ('sold', 'retired'),
	         ('deployed', 'sold'), ('deployed', 'maintenance'), ('deployed', 'recycled'), ('deployed', 'retired'),
	         ('maintenance', 'sold'), ('maintenance', 'deployed'), ('maintenance', 'recycled'), ('maintenance', 'retired'),
	         ('recycled', 'retired')$$,
	'the transition table is the platform''s');
SELECT ok(robot_state_can_transition('deployed', 'sold'), 'resale is legal');
SELECT ok(NOT robot_state_can_transition('retired', 'retired'), 'keeping a state is not a move');

-- default column names
CREATE TABLE robots (id robot_id PRIMARY KEY, state robot_state NOT NULL DEFAULT 'manufactured',
	recalled boolean NOT NULL DEFAULT false, refurbished_from robot_id);
CREATE TRIGGER lifecycle BEFORE INSERT OR UPDATE OR DELETE ON robots
	FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard();
SELECT trigger_is('robots', 'lifecycle', 'robot_lifecycle_guard');
SELECT lives_ok($$INSERT INTO robots (id) VALUES ('86000100012320260529000000001'),
	('86000100012320260529000000002'), ('86000100012320260529000000003')$$, 'register as manufactured');
SELECT throws_ok($$INSERT INTO robots (id, state) VALUES ('86000100012320260529000000004', 'deployed')$$,
	'23514', 'robot 86000100012320260529000000004 must be registered as manufactured', 'register as deployed');
SELECT is(pg_temp.violated($$INSERT INTO robots (id, state) VALUES ('86000100012320260529000000004', 'sold')$$),
	'robot_lifecycle_transition', 'registering as sold breaks robot_lifecycle_transition');
SELECT lives_ok($$UPDATE robots SET state = 'sold' WHERE id = '86000100012320260529000000001'$$, 'manufactured -> sold');
SELECT throws_ok($$UPDATE robots SET state = 'manufactured' WHERE id = '86000100012320260529000000001'$$,
	'23514', 'illegal lifecycle transition for robot 86000100012320260529000000001', 'sold -> manufactured');
SELECT is(pg_temp.violated($$UPDATE robots SET state = 'maintenance' WHERE id = '86000100012320260529000000002'$$),
	'robot_lifecycle_transition', 'manufactured -> maintenance breaks robot_lifecycle_transition');
SELECT lives_ok($$UPDATE robots SET recalled = true WHERE id = '86000100012320260529000000002'$$, 'recall');
SELECT is(pg_temp.violated($$UPDATE robots SET state = 'sold' WHERE id = '86000100012320260529000000002'$$),
	'robot_recall_hold', 'a recalled robot cannot be sold');
SELECT lives_ok($$UPDATE robots SET state = 'retired' WHERE id = '86000100012320260529000000002'$$,
	'a recalled robot can be retired');
SELECT is(pg_temp.violated($$UPDATE robots SET state = 'sold' WHERE id = '86000100012320260529000000002'$$),
	'robot_no_refurbishment', 'a retired robot cannot be sold');
SELECT is(pg_temp.violated($$INSERT INTO robots (id, refurbished_from) VALUES
	('86000100012320260529000000005', '86000100012320260529000000002')$$),
	'robot_no_refurbishment', 'no rebuild from a retired robot');
SELECT lives_ok($$INSERT INTO robots (id, refurbished_from) VALUES
	('86000100012320260529000000006', '86000100012320260529000000003')$$, 'a rebuild from a robot in service');
SELECT is(pg_temp.violated($$DELETE FROM robots WHERE id = '86000100012320260529000000003'$$),
	'robot_history_immutable', 'no delete');
SELECT is(pg_temp.violated($$UPDATE robots SET id = '86000100012320260529000000009' WHERE id = '86000100012320260529000000003'$$),
	'robot_history_immutable', 'no change of code');
SELECT results_eq($$SELECT id::text, state::text FROM robots ORDER BY id$$,
	$$VALUES ('86000100012320260529000000001', 'sold'), ('86000100012320260529000000002', 'retired'),
	         ('86000100012320260529000000003', 'manufactured'), ('86000100012320260529000000006', 'manufactured')$$,
	'only the legal writes landed');

-- renamed columns
CREATE TABLE passports (code robot_id PRIMARY KEY, phase robot_state NOT NULL, hold boolean,
	rebuilt_from robot_id);
CREATE TRIGGER lifecycle BEFORE INSERT OR UPDATE OR DELETE ON passports FOR EACH ROW
	EXECUTE FUNCTION robot_lifecycle_guard('id=code', 'state=phase', 'recalled=hold', 'refurbished_from=rebuilt_from');
SELECT lives_ok($$INSERT INTO passports VALUES ('86000100012320260529000000001', 'manufactured', true, NULL)$$,
	'renamed: register');
SELECT is(pg_temp.violated($$UPDATE passports SET phase = 'sold'$$), 'robot_recall_hold', 'renamed: recall hold');
SELECT lives_ok($$UPDATE passports SET phase = 'recycled'$$, 'renamed: recycle');
SELECT is(pg_temp.violated($$INSERT INTO passports VALUES ('86000100012320260529000000002', 'manufactured', false,
	'86000100012320260529000000001')$$), 'robot_no_refurbishment', 'renamed: no rebuild from recycled');
SELECT is(pg_temp.violated($$UPDATE passports SET phase = 'deployed'$$), 'robot_no_refurbishment',
	'renamed: recycled -> deployed');
SELECT is(pg_temp.violated($$DELETE FROM passports$$), 'robot_history_immutable', 'renamed: no delete');

-- misuse
CREATE TABLE odd (id robot_id PRIMARY KEY, state text);
CREATE TRIGGER lifecycle BEFORE INSERT ON odd FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard();
SELECT throws_ok($$INSERT INTO odd VALUES ('86000100012320260529000000001', 'manufactured')$$, '39P01',
	NULL, 'a text state column is misuse');
DROP TRIGGER lifecycle ON odd;
CREATE TRIGGER lifecycle BEFORE INSERT ON odd FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard('state=phase');
SELECT throws_ok($$INSERT INTO odd VALUES ('86000100012320260529000000001', 'manufactured')$$, '42703',
	'column "phase" of relation "odd" does not exist', 'a named column that does not exist');
DROP TRIGGER lifecycle ON odd;
CREATE TRIGGER lifecycle AFTER INSERT ON odd FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard();
SELECT throws_ok($$INSERT INTO odd VALUES ('86000100012320260529000000001', 'manufactured')$$, '39P01',
	'trigger "lifecycle" on table "odd" must be a BEFORE trigger', 'AFTER is misuse');

-- market guard
CREATE TABLE sales (robot_id robot_id, price int);
CREATE TRIGGER market BEFORE INSERT OR UPDATE ON sales FOR EACH ROW
	EXECUTE FUNCTION robot_market_guard('registry=robots');
SELECT lives_ok($$INSERT INTO sales VALUES ('86000100012320260529000000001', 1)$$, 'market: a registered robot');
SELECT is(pg_temp.violated($$INSERT INTO sales VALUES ('86000100012320260529000000077', 1)$$),
	'robot_no_code_no_market', 'market: an unknown code');
SELECT is(pg_temp.violated($$INSERT INTO sales VALUES (NULL, 1)$$), 'robot_no_code_no_market', 'market: no code');
SELECT is(pg_temp.violated($$INSERT INTO sales VALUES ('86000100012320260529000000002', 1)$$),
	'robot_no_refurbishment', 'market: a retired robot');
UPDATE robots SET recalled = true WHERE id = '86000100012320260529000000003';
SELECT is(pg_temp.violated($$INSERT INTO sales VALUES ('86000100012320260529000000003', 1)$$),
	'robot_recall_hold', 'market: a recalled robot');
SELECT lives_ok($$UPDATE sales SET price = 2$$, 'market: an update that keeps the code is not checked');
SELECT throws_ok($$INSERT INTO sales VALUES ('86000100012320260529000000077', 1)$$, '23514',
	'robot 86000100012320260529000000077 is not registered', 'market: message names the code');

-- renamed columns on both sides
CREATE TABLE rentals (unit robot_id);
CREATE TRIGGER market BEFORE INSERT ON rentals FOR EACH ROW
	EXECUTE FUNCTION robot_market_guard('registry=passports', 'column=unit', 'id=code', 'state=phase', 'recalled=hold');
SELECT is(pg_temp.violated($$INSERT INTO rentals VALUES ('86000100012320260529000000001')$$),
	'robot_no_refurbishment', 'market, renamed: a recycled robot');
SELECT throws_ok($$INSERT INTO rentals VALUES ('86000100012320260529000000001')$$, '23514',
	'robot 86000100012320260529000000001 is scrapped and cannot return to the market', 'market, renamed: message');

-- a partitioned table: the source is looked up in every partition
CREATE TABLE parted (id robot_id PRIMARY KEY, state robot_state NOT NULL DEFAULT 'manufactured',
	refurbished_from robot_id) PARTITION BY RANGE (id);
CREATE TABLE parted_a PARTITION OF parted
	FOR VALUES FROM ('86000500000120260529000000001') TO ('86000500000120260529000000100');
CREATE TABLE parted_b PARTITION OF parted
	FOR VALUES FROM ('86000500000120260529000000100') TO ('86000500000120260529000000200');
CREATE TRIGGER lifecycle BEFORE INSERT OR UPDATE OR DELETE ON parted
	FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard();
INSERT INTO parted (id, state) VALUES ('86000500000120260529000000001', 'manufactured'),
	('86000500000120260529000000002', 'manufactured');
UPDATE parted SET state = 'retired' WHERE id = '86000500000120260529000000001';
SELECT is(pg_temp.violated($$INSERT INTO parted (id, refurbished_from)
	VALUES ('86000500000120260529000000150', '86000500000120260529000000001')$$),
	'robot_no_refurbishment', 'partitioned: a scrapped source in another partition');
SELECT lives_ok($$INSERT INTO parted (id, refurbished_from)
	VALUES ('86000500000120260529000000150', '86000500000120260529000000002')$$,
	'partitioned: a live source in another partition');
CREATE TABLE parted_c (LIKE parted INCLUDING DEFAULTS, PRIMARY KEY (id));
INSERT INTO parted_c VALUES ('86000500000120260529000000250', 'recycled');
ALTER TABLE parted ATTACH PARTITION parted_c
	FOR VALUES FROM ('86000500000120260529000000200') TO ('86000500000120260529000000300');
SELECT is(pg_temp.violated($$INSERT INTO parted (id, refurbished_from)
	VALUES ('86000500000120260529000000003', '86000500000120260529000000250')$$),
	'robot_no_refurbishment', 'partitioned: a partition attached after the cache was built');

-- the market guard needs REFERENCES on the registry for the guarded table's owner
CREATE ROLE robotid_tap_dealer;
GRANT SELECT ON robots TO robotid_tap_dealer;
CREATE TABLE dealer_sales (robot_id robot_id);
ALTER TABLE dealer_sales OWNER TO robotid_tap_dealer;
CREATE TRIGGER market BEFORE INSERT ON dealer_sales FOR EACH ROW
	EXECUTE FUNCTION robot_market_guard('registry=robots');
SELECT throws_ok($$INSERT INTO dealer_sales VALUES ('86000100012320260529000000003')$$, '42501',
	NULL, 'market: SELECT on the registry is not enough');
GRANT REFERENCES (id, state, recalled) ON robots TO robotid_tap_dealer;
SELECT is(pg_temp.violated($$INSERT INTO dealer_sales VALUES ('86000100012320260529000000003')$$),
	'robot_recall_hold', 'market: column REFERENCES suffice');
REVOKE REFERENCES (state) ON robots FROM robotid_tap_dealer;
SELECT throws_ok($$INSERT INTO dealer_sales VALUES ('86000100012320260529000000003')$$, '42501',
	NULL, 'market: a REVOKE is noticed');

SELECT * FROM finish();
ROLLBACK;
