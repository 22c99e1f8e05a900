-- A manufacturer tries to register robots of a model that is not in the
-- catalogue, by every path a statement has, and to remove what keeps a
-- model in it.  robots has no foreign key to models: the model of every
-- robot a statement registers is checked once when it ends, and the
-- model's gate row (never deleted) refers to the model.
BEGIN;
SELECT plan(10);

SELECT throws_ok($$INSERT INTO robot_registry.robots (id) VALUES ('86000199999920260101000000001')$$,
	'23503', 'model 860001999999 is not in the catalogue', 'a plain INSERT of an uncatalogued model');
SELECT throws_ok($$INSERT INTO robot_registry.robots (id) VALUES ('86000199999920260101000000001') ON CONFLICT DO NOTHING$$,
	'23503', 'model 860001999999 is not in the catalogue', 'INSERT ... ON CONFLICT DO NOTHING');
SELECT throws_ok($$WITH r AS (INSERT INTO robot_registry.robots (id) VALUES ('86000199999920260101000000001') RETURNING id)
                   SELECT count(*) FROM r$$,
	'23503', 'model 860001999999 is not in the catalogue', 'a writable CTE');
SELECT throws_ok($$INSERT INTO robot_registry.robots (id) VALUES ('86000100000120260101000000901'), ('86000199999920260101000000001')$$,
	'23503', 'model 860001999999 is not in the catalogue', 'one uncatalogued model among catalogued ones');
SELECT throws_ok($$SELECT robot_registry.register_robot('86000199999920260101000000001')$$,
	'23503', NULL, 'register_robot()');
SELECT throws_ok($$SELECT robot_registry.issue_codes('860001999999', 3)$$,
	'23503', 'model 860001999999 is not in the catalogue', 'issue_codes()');
SELECT throws_ok($$DELETE FROM robot_registry.model_gates$$, '42501', NULL, 'a gate cannot be deleted');
SELECT throws_ok($$UPDATE robot_registry.model_gates SET model_key = '860001999999'$$, '42501', NULL,
	'a gate cannot be pointed at another model');
SELECT throws_ok($$DELETE FROM robot_registry.models WHERE model_key = '860001000001'$$, '42501', NULL,
	'a model cannot be deleted');
SELECT is((SELECT count(*) FROM robot_registry.robots r
            WHERE NOT EXISTS (SELECT 1 FROM robot_registry.models m WHERE m.model_key = r.model_key)),
          0::bigint, 'no robot the manufacturer sees is of an uncatalogued model');

SELECT * FROM finish();
ROLLBACK;
