-- NOT in the suite (test/attack.sh does not run it): a hole left open
-- because closing it is a policy decision.  Run it as attack_maker1 on the
-- attacker suite's registry: pg_prove -U attack_maker1 -d robotid_attack
-- test/attack/unfixed/maker1_empty_recall.sql.  It fails today.
--
-- A manufacturer that owes a recall (knee actuator on 860001000001, the
-- crossing setup.sql records) opens a recall naming the category on serials
-- it never made, which covers no robot, and closes it at once.  The
-- crossing is settled: the defect leaves common_defects and
-- recall_obligations, and only reports filed after the closing count
-- towards the next crossing.  No robot was recalled or remedied.
BEGIN;
SELECT plan(2);

SELECT results_eq($$SELECT model_key, category FROM robot_registry.recall_obligations$$,
                  $$VALUES ('860001000001'::text, 'knee actuator'::text)$$, 'the recall is owed');
SELECT robot_registry.close_recall(robot_registry.open_recall('860001000001', 'nothing to see',
	'99999999999999990', '99999999999999999', defect_category => 'knee actuator'));
SELECT results_eq($$SELECT model_key, category FROM robot_registry.recall_obligations$$,
                  $$VALUES ('860001000001'::text, 'knee actuator'::text)$$,
                  'an empty recall, opened and closed by the manufacturer, does not discharge the obligation');

SELECT * FROM finish();
ROLLBACK;
