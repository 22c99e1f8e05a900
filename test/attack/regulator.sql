-- As attack_regulator: no moves, and so no edits; recalls are its own.
BEGIN;
SELECT plan(10);
-- it holds no robot: its direct edits reach none (row-level security)
WITH u AS (UPDATE robot_registry.robots SET owner_name = 'x' RETURNING 1)
SELECT is((SELECT count(*)::int FROM u) + (SELECT count(*)::int FROM robot_registry.robots WHERE owner_name = 'x'), 0,
          'the regulator changes no owner');
WITH u AS (UPDATE robot_registry.robots SET location = 'x' RETURNING 1)
SELECT is((SELECT count(*)::int FROM u) + (SELECT count(*)::int FROM robot_registry.robots WHERE location = 'x'), 0,
          'the regulator changes no location');
SELECT throws_ok($$SELECT robot_registry.transition('86000100000120260101000000001', 'sold')$$,
                 '42501', NULL, 'the regulator moves nothing');
-- backdating a closing: the time is stamped
SELECT lives_ok($$UPDATE robot_registry.recalls SET closed_at = '1990-01-01' WHERE reason = 'knee joint'$$,
                'the regulator closes its recall directly');
SELECT is((SELECT concat_ws(',', closed_at = now(), closed_by) FROM robot_registry.recalls WHERE reason = 'knee joint'),
          't,attack_regulator', 'a closing is stamped now, whatever time was written');
-- defects: it sees every report and obligation, sets thresholds in its own
-- name, reports nothing and deletes no threshold
SELECT is((SELECT count(*)::int FROM robot_registry.defect_reports), 4, 'the regulator sees every report');
SELECT results_eq($$SELECT model_key, category, robots::int FROM robot_registry.recall_obligations$$,
                  $$VALUES ('860001000001'::text, 'knee actuator'::text, 3)$$, 'and every obligation');
SELECT robot_registry.act_as('attack_seller', NULL);
INSERT INTO robot_registry.defect_thresholds (category, min_robots, window_days) VALUES ('wheel bearing', 1, 30);
SELECT is((SELECT concat_ws(',', set_by, set_at = now()) FROM robot_registry.defect_thresholds WHERE category = 'wheel bearing'),
          'attack_regulator,t', 'a threshold is stamped in its own name');
SELECT is((SELECT concat_ws(',', model_key, crossed_by) FROM robot_registry.defect_crossings WHERE category = 'wheel bearing'),
          '860002000001,attack_regulator', 'the crossing it causes is in its name');
SELECT throws_ok($$DELETE FROM robot_registry.defect_thresholds WHERE category = 'wheel bearing'$$, '42501', NULL,
                 'the regulator deletes no threshold');
SELECT * FROM finish();
ROLLBACK;
