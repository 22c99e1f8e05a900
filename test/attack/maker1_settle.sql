-- As attack_maker1, a manufacturer: a recall it closed before a defect
-- became common does not settle that crossing.  In one transaction it
-- opens a recall of its model naming a category, on serials it never made,
-- closes it, and then files the reports that make the category common:
-- the crossing must stand, common and owed, not be settled at birth.
BEGIN;
SELECT plan(3);

SELECT robot_registry.close_recall(robot_registry.open_recall('860001000001', 'nothing to see',
	'99999999999999990', '99999999999999999', defect_category => 'leg motor'));
SELECT is((SELECT count(*)::int FROM unnest(ARRAY['86000100000120260101000000001', '86000100000120260101000000002',
                                                  '86000100000120260101000000003']::robot_id[]) id
             CROSS JOIN LATERAL robot_registry.report_defect(id, 'leg motor', 'seized')), 3,
          'three robots reported');
SELECT results_eq($$SELECT model_key, category FROM robot_registry.common_defects WHERE category = 'leg motor'$$,
                  $$VALUES ('860001000001'::text, 'leg motor'::text)$$,
                  'a recall closed before the crossing does not settle it');
SELECT results_eq($$SELECT model_key, category FROM robot_registry.recall_obligations WHERE category = 'leg motor'$$,
                  $$VALUES ('860001000001'::text, 'leg motor'::text)$$,
                  'and the recall is owed');

SELECT * FROM finish();
ROLLBACK;
