-- As the superuser, with a second session through dblink: a defect
-- crossing is never lost because the report that completes it belongs to
-- a transaction that started before the other reports were filed.  An
-- operator that holds a transaction open (or is merely slow) files the
-- third report of a category after two others committed; at READ
-- COMMITTED the evaluation, which runs after the pair's gate, must count
-- them, and the category must become common.
BEGIN;
SELECT plan(3);
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

SELECT * FROM finish();
ROLLBACK;
