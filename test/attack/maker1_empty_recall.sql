-- As attack_maker1, a manufacturer that owes a recall (knee actuator on
-- 860001000001: the crossing setup.sql records, on robots 1, 2 and 3, of
-- which it holds robot 1 and Fleet One and Service One hold 2 and 3).
-- Paperwork does not discharge the obligation: a recall of the whole model
-- naming the category, opened and closed at once with nothing remedied,
-- leaves it owed, as does a recall of serials no reporting robot has, and
-- one in which the maker remedies only the robot it holds.  The maker can
-- neither remedy another party's robot, nor waive the obligation, nor
-- stamp its closing as the regulator's.
BEGIN;
SELECT plan(14);

SELECT results_eq($$SELECT model_key, category FROM robot_registry.recall_obligations$$,
                  $$VALUES ('860001000001'::text, 'knee actuator'::text)$$, 'the recall is owed');
SELECT crossing_id AS knee_crossing FROM robot_registry.recall_obligations WHERE category = 'knee actuator' \gset

-- the finding: close_recall(open_recall(...)) at once, nothing remedied
SELECT is((SELECT concat_ws(',', closer_kind, closed_at IS NOT NULL)
             FROM robot_registry.close_recall(robot_registry.open_recall('860001000001', 'precautionary',
                                                                         defect_category => 'knee actuator'))),
          'manufacturer,t', 'the manufacturer opens and closes a recall of the whole model naming the category');
SELECT results_eq($$SELECT model_key, category FROM robot_registry.recall_obligations$$,
                  $$VALUES ('860001000001'::text, 'knee actuator'::text)$$,
                  'an empty recall, opened and closed by the manufacturer, does not discharge the obligation');
SELECT is((SELECT count(*)::int FROM robot_registry.common_defects WHERE category = 'knee actuator' AND NOT covered), 1,
          'the defect is common and uncovered again');

-- a recall of serials it never made answers nothing, open or closed
SELECT robot_registry.open_recall('860001000001', 'nothing to see',
	'99999999999999990', '99999999999999999', defect_category => 'knee actuator') AS empty_recall \gset
SELECT results_eq($$SELECT model_key, category FROM robot_registry.recall_obligations$$,
                  $$VALUES ('860001000001'::text, 'knee actuator'::text)$$,
                  'an open recall of serials that no reporting robot has does not answer the defect');
SELECT robot_registry.close_recall(:empty_recall);
SELECT results_eq($$SELECT model_key, category FROM robot_registry.recall_obligations$$,
                  $$VALUES ('860001000001'::text, 'knee actuator'::text)$$,
                  'nor does its closing');

-- a recall that covers the robots: it remedies the one it holds, cannot
-- remedy the others (their parties hold them), and closes it
SELECT robot_registry.open_recall('860001000001', 'knee actuators', defect_category => 'knee actuator') AS knee_recall \gset
SELECT results_eq($$SELECT count(*)::int FROM robot_registry.recall_obligations$$, $$VALUES (0)$$,
                  'an open recall that covers the robots answers the defect while it is open');
SELECT lives_ok($$SELECT robot_registry.remedy('86000100000120260101000000001')$$, 'it remedies the robot it holds');
SELECT throws_ok($$SELECT robot_registry.remedy('86000100000120260101000000002')$$, '42501',
                 'robot 86000100000120260101000000002 is not held by party Maker One',
                 'it cannot remedy a robot another party holds');
WITH u AS (UPDATE robot_registry.recall_robots SET remedied_at = now()
            WHERE recall_id = :knee_recall AND remedied_at IS NULL
              AND robot_id IN ('86000100000120260101000000002', '86000100000120260101000000003') RETURNING 1)
SELECT is((SELECT count(*)::int FROM u), 0, 'nor mark the others remedied directly');
SELECT robot_registry.close_recall(:knee_recall);
SELECT results_eq($$SELECT model_key, category FROM robot_registry.recall_obligations$$,
                  $$VALUES ('860001000001'::text, 'knee actuator'::text)$$,
                  'one robot of three remedied, and the recall closed by the manufacturer: still owed');

-- nor is the obligation waved away
SELECT throws_ok(format('SELECT robot_registry.waive_obligation(%s, %L)', :knee_crossing, 'we fixed it'), '42501',
                 'a manufacturer may not waive defect obligations', 'it cannot waive the obligation');
SELECT throws_ok(format('INSERT INTO robot_registry.defect_waivers (crossing_id, reason) VALUES (%s, %L)', :knee_crossing, 'we fixed it'),
                 '42501', 'a manufacturer may not waive defect obligations', 'nor insert a waiver');
SELECT throws_ok(format('UPDATE robot_registry.recalls SET closer_kind = %L WHERE recall_id = %s', 'regulator', :knee_recall),
                 '42501', NULL, 'nor stamp its closing as the regulator''s');

SELECT * FROM finish();
ROLLBACK;
