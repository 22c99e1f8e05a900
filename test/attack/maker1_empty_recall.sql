-- A manufacturer that owes a recall (knee actuator on 860001000001, the
-- crossing setup.sql records) opens a recall naming the category on serials
-- it never made, which covers no robot, and closes it at once.  A recall
-- answers a common defect only if it takes in every robot whose report
-- made it common, so neither the open recall nor its closing settles the
-- crossing: the obligation stays.
BEGIN;
SELECT plan(3);

SELECT results_eq($$SELECT model_key, category FROM robot_registry.recall_obligations$$,
                  $$VALUES ('860001000001'::text, 'knee actuator'::text)$$, 'the recall is owed');
SELECT robot_registry.open_recall('860001000001', 'nothing to see',
	'99999999999999990', '99999999999999999', defect_category => 'knee actuator') AS empty_recall \gset
SELECT results_eq($$SELECT model_key, category FROM robot_registry.recall_obligations$$,
                  $$VALUES ('860001000001'::text, 'knee actuator'::text)$$,
                  'an open recall of serials that no reporting robot has does not answer the defect');
SELECT robot_registry.close_recall(:empty_recall);
SELECT results_eq($$SELECT model_key, category FROM robot_registry.recall_obligations$$,
                  $$VALUES ('860001000001'::text, 'knee actuator'::text)$$,
                  'an empty recall, opened and closed by the manufacturer, does not discharge the obligation');

SELECT * FROM finish();
ROLLBACK;
