-- As the superuser, with other sessions through dblink that log in as the
-- actors' LOGIN roles.
--
-- A defect crossing is never lost because the report that completes it
-- belongs to a transaction that started before the other reports were
-- filed.  An operator that holds a transaction open (or is merely slow)
-- files the third report of a category after two others committed; at
-- READ COMMITTED the evaluation, which runs after the pair's gate, must
-- count them, and the category must become common.
--
-- One party's reports on robots it never held force nothing: an
-- operator's login files critical reports on robots at the factory, in
-- another party's stock and scrapped, enough of them for the threshold;
-- no crossing, no obligation, and the regulator sees them flagged.
BEGIN;
SELECT plan(11);
-- a category no earlier run has reported
SELECT 'arm servo ' || md5(clock_timestamp()::text) AS category \gset
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT dblink_connect('other', format('host=%s port=%s dbname=%s user=attack_maker1',
	split_part(current_setting('unix_socket_directories'), ',', 1), current_setting('port'), current_database()));

-- this transaction started now(); the maker files two reports of a fresh
-- category on its robots 1 and 9, and commits
SELECT pg_sleep(0.05);
SELECT count(*) FROM dblink('other', format($$SELECT (robot_registry.report_defect(id, %L, 'stalls')).report_id
                                                FROM unnest(ARRAY['86000100000120260101000000001',
                                                                  '86000100000120260101000000009']::robot_id[]) id$$,
                                             :'category')) AS filed(report_id bigint);
SELECT is((SELECT count(*)::int FROM robot_registry.defect_reports
            WHERE category = :'category' AND reported_at > now()), 2,
          'two reports committed after this transaction began');

-- the third robot, reported by the operator that holds it, in this older
-- transaction
SET LOCAL ROLE attack_operator;
SELECT robot_registry.report_defect('86000100000120260101000000002', :'category', 'stalls too');
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

-- The operator's login (Fleet One holds robot 2 only) files critical
-- reports on robots it never held: 1 at the factory, 4 scrapped, 5 and 8
-- in Seller One's and Seller Two's stock, 7 with Recycler One.  Each is
-- committed.
SELECT 'arm servo ' || md5(clock_timestamp()::text) AS category3 \gset
SELECT dblink_connect('operator', format('host=%s port=%s dbname=%s user=attack_operator',
	split_part(current_setting('unix_socket_directories'), ',', 1), current_setting('port'), current_database()));
SELECT is((SELECT string_agg(standing::text, ',') FROM dblink('operator', format(
               $$SELECT (robot_registry.report_defect(id, %L, 'sparks', 'critical')).standing
                   FROM unnest(ARRAY['86000100000120260101000000001', '86000100000120260101000000004',
                                     '86000100000120260101000000005', '86000100000120260101000000008',
                                     '86000100000120260101000000007']::robot_id[]) id$$, :'category3'))
               AS filed(standing boolean)),
          'false,false,false,false,false', 'five critical reports are filed, none with standing');
SELECT is((SELECT count(*)::int FROM robot_registry.defect_crossings WHERE category = :'category3'), 0,
          'the reports of robots it never held record no crossing');
-- its own robot's report counts, and is still one robot of one holder
SELECT is((SELECT standing FROM dblink('operator', format(
               $$SELECT (robot_registry.report_defect('86000100000120260101000000002', %L, 'sparks', 'critical')).standing$$,
               :'category3')) AS filed(standing boolean)), true, 'the report of the robot it holds has standing');
SELECT is((SELECT count(*)::int FROM robot_registry.defect_crossings WHERE category = :'category3')
          + (SELECT count(*)::int FROM robot_registry.common_defects WHERE category = :'category3'), 0,
          'six robots reported by one party: no crossing, nothing common');
SELECT dblink_disconnect('operator');
-- the regulator, logged in, sees the five flagged and owes nothing
SELECT dblink_connect('regulator', format('host=%s port=%s dbname=%s user=attack_regulator',
	split_part(current_setting('unix_socket_directories'), ',', 1), current_setting('port'), current_database()));
SELECT is((SELECT flagged FROM dblink('regulator', format(
               $$SELECT count(*) FROM robot_registry.reports_without_standing
                  WHERE category = %L AND reported_by = 'attack_operator' AND reporter_party = 'Fleet One'$$,
               :'category3')) AS seen(flagged bigint)), 5::bigint,
          'the regulator sees the five reports without standing');
SELECT is((SELECT owed FROM dblink('regulator', format(
               $$SELECT count(*) FROM robot_registry.recall_obligations WHERE category = %L$$, :'category3'))
               AS seen(owed bigint)), 0::bigint,
          'and no obligation');
SELECT dblink_disconnect('regulator');

SELECT * FROM finish();
ROLLBACK;
