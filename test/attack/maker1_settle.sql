-- As attack_maker1, a manufacturer: a recall it closed before a defect
-- became common does not settle that crossing.  In one transaction it
-- opens a recall of its model naming a category, on serials it never made,
-- closes it, and then files the reports that make the category common:
-- the crossing must stand, common and owed, not be settled at birth.
-- Then what does settle an obligation it owes: remedying, under a recall
-- that names the category, every robot whose reports made it common.
BEGIN;
SELECT plan(9);

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

-- Three new robots at its factory report a cracked frame: its own
-- reports make the category common with no second holder.  It recalls
-- them naming the category and remedies them one by one: the obligation
-- stands until the last remedy, and the recall need not be closed.
SELECT is((SELECT count(*)::int FROM generate_series(101, 103) g
             CROSS JOIN LATERAL robot_registry.register_robot(make_robot_id('86', '0001', '000001', 20260101000000000 + g))),
          3, 'three robots registered');
SELECT is((SELECT count(*)::int FROM generate_series(101, 103) g
             CROSS JOIN LATERAL robot_registry.report_defect(make_robot_id('86', '0001', '000001', 20260101000000000 + g),
                                                             'frame crack', 'cracked at the weld') d
            WHERE d.standing AND d.holder = 'Maker One'), 3,
          'its reports on robots it holds have standing');
SELECT results_eq($$SELECT category, robots::int FROM robot_registry.recall_obligations WHERE category = 'frame crack'$$,
                  $$VALUES ('frame crack'::text, 3)$$, 'its own reports make the category common');
SELECT robot_registry.open_recall('860001000001', 'cracked frames', '20260101000000101', '20260101000000103',
	'frame crack') AS frame_recall \gset
SELECT robot_registry.remedy(make_robot_id('86', '0001', '000001', 20260101000000000 + g)) FROM generate_series(101, 102) g;
SELECT results_eq($$SELECT category, covered FROM robot_registry.common_defects WHERE category = 'frame crack'$$,
                  $$VALUES ('frame crack'::text, true)$$, 'two of three remedied: still common, covered by the open recall');
SELECT robot_registry.remedy('86000100000120260101000000103');
SELECT is((SELECT count(*)::int FROM robot_registry.common_defects WHERE category = 'frame crack'), 0,
          'every reporting robot remedied: settled');
SELECT is((SELECT closed_at IS NULL FROM robot_registry.recalls WHERE recall_id = :frame_recall), true,
          'with the recall still open');

SELECT * FROM finish();
ROLLBACK;
