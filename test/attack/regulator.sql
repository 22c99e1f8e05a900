-- As attack_regulator: no moves, and so no edits; recalls are its own.
BEGIN;
SELECT plan(5);
SELECT throws_ok($$UPDATE robot_registry.robots SET owner_name = 'x' WHERE id = '86000100000120260101000000002'$$,
                 '42501', NULL, 'the regulator changes no owner');
SELECT throws_ok($$UPDATE robot_registry.robots SET location = 'x' WHERE id = '86000100000120260101000000002'$$,
                 '42501', NULL, 'the regulator changes no location');
SELECT throws_ok($$SELECT robot_registry.transition('86000100000120260101000000001', 'sold')$$,
                 '42501', NULL, 'the regulator moves nothing');
-- backdating a closing: the time is stamped
SELECT lives_ok($$UPDATE robot_registry.recalls SET closed_at = '1990-01-01' WHERE reason = 'knee joint'$$,
                'the regulator closes its recall directly');
SELECT is((SELECT concat_ws(',', closed_at = now(), closed_by) FROM robot_registry.recalls WHERE reason = 'knee joint'),
          't,attack_regulator', 'a closing is stamped now, whatever time was written');
SELECT * FROM finish();
ROLLBACK;
