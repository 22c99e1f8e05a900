-- As the superuser, with a second session through dblink: a defect
-- crossing is never lost because the report that completes it belongs to
-- a transaction that started before the other reports were filed.  An
-- operator that holds a transaction open (or is merely slow) files the
-- third report of a category after two others committed; at READ
-- COMMITTED the evaluation, which runs after the pair's gate, must count
-- them, and the category must become common.
BEGIN;
SELECT plan(5);
-- a category no earlier run has reported
SELECT 'arm servo ' || md5(clock_timestamp()::text) AS category \gset
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT dblink_connect('other', format('host=%s port=%s dbname=%s user=attack_service',
	split_part(current_setting('unix_socket_directories'), ',', 1), current_setting('port'), current_database()));

-- this transaction started now(); the other session files two reports
-- of a fresh category, on robots 1 and 2 of maker 1's model, and commits
SELECT pg_sleep(0.05);
SELECT count(*) FROM dblink('other', format($$SELECT (robot_registry.report_defect(id, %L, 'stalls')).report_id
                                                FROM unnest(ARRAY['86000100000120260101000000001',
                                                                  '86000100000120260101000000002']::robot_id[]) id$$,
                                             :'category')) AS filed(report_id bigint);
SELECT is((SELECT count(*)::int FROM robot_registry.defect_reports
            WHERE category = :'category' AND reported_at > now()), 2,
          'two reports committed after this transaction began');

-- the third robot, reported by an operator in this older transaction
SET LOCAL ROLE attack_operator;
SELECT robot_registry.report_defect('86000100000120260101000000003', :'category', 'stalls too');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM robot_registry.defect_crossings
            WHERE model_key = '860001000001' AND category = :'category'), 1,
          'the third robot''s report records the crossing');
SELECT is((SELECT robots FROM robot_registry.defect_crossings
            WHERE model_key = '860001000001' AND category = :'category'), 3,
          'the crossing counts all three robots');
SELECT dblink_disconnect('other');

-- a manufacturer that holds this older transaction open, opens and closes
-- a recall naming a category in another session, and then files the
-- reports that make it common here: the crossing is not settled at birth
SELECT 'leg motor ' || md5(clock_timestamp()::text) AS category2 \gset
SELECT dblink_connect('maker', format('host=%s port=%s dbname=%s user=attack_maker1',
	split_part(current_setting('unix_socket_directories'), ',', 1), current_setting('port'), current_database()));
SELECT count(*) FROM dblink('maker', format($$SELECT (robot_registry.close_recall(robot_registry.open_recall('860001000001',
                                                'nothing to see', '99999999999999990', '99999999999999999',
                                                defect_category => %L))).recall_id$$, :'category2')) AS closed(recall_id bigint);
SELECT dblink_disconnect('maker');
SELECT is((SELECT count(*)::int FROM robot_registry.recalls WHERE defect_category = :'category2' AND closed_at > now()), 1,
          'a recall of the category was closed after this transaction began');
SET LOCAL ROLE attack_maker1;
SELECT count(*) FROM unnest(ARRAY['86000100000120260101000000001', '86000100000120260101000000002',
                                  '86000100000120260101000000003']::robot_id[]) id
 CROSS JOIN LATERAL robot_registry.report_defect(id, :'category2', 'seized');
RESET ROLE;
SELECT results_eq(format($$SELECT model_key, covered FROM robot_registry.common_defects WHERE category = %L$$, :'category2'),
                  $$VALUES ('860001000001'::text, false)$$,
                  'a recall closed before the crossing committed does not settle it');

SELECT * FROM finish();
ROLLBACK;
