-- Defects that force recalls: report_defect(), categories, thresholds,
-- the crossing of a threshold, common_defects, recall_obligations, recalls
-- that answer a category, and who sees what.

\i sql/include/try.sql

SET client_min_messages = warning;
SELECT robot_registry_install();
RESET client_min_messages;
INSERT INTO robot_registry.manufacturers VALUES ('860001', 'Tiangong Robotics'), ('860002', 'Huake Dynamics');
INSERT INTO robot_registry.models (model_key, name) VALUES
	('860001000001', 'Walker A1'), ('860001000002', 'Helper B1'), ('860002000001', 'Porter A1');
CREATE ROLE regress_defect_maker1;
CREATE ROLE regress_defect_maker2;
CREATE ROLE regress_defect_operator;
CREATE ROLE regress_defect_operator2;
CREATE ROLE regress_defect_service;
CREATE ROLE regress_defect_seller;
CREATE ROLE regress_defect_recycler;
CREATE ROLE regress_defect_regulator;
CREATE ROLE regress_defect_nobody;
INSERT INTO robot_registry.actors VALUES
	('regress_defect_maker1', 'manufacturer', '860001'),
	('regress_defect_maker2', 'manufacturer', '860002'),
	('regress_defect_operator', 'operator', NULL),
	('regress_defect_operator2', 'operator', NULL),
	('regress_defect_service', 'service_provider', NULL),
	('regress_defect_seller', 'seller', NULL),
	('regress_defect_recycler', 'recycler', NULL),
	('regress_defect_regulator', 'regulator', NULL);
SET ROLE regress_defect_maker1;
SELECT count(*) AS issued FROM robot_registry.issue_codes('860001000001', 9, 'sequential');
SELECT count(*) AS issued FROM robot_registry.issue_codes('860001000002', 3, 'sequential');
SET ROLE regress_defect_maker2;
SELECT count(*) AS issued FROM robot_registry.issue_codes('860002000001', 3, 'sequential');
RESET ROLE;

-- report_defect() runs as the caller; the registry's own evaluation is a
-- definer trigger that nobody else may execute
SELECT p.oid::regprocedure AS routine, p.prosecdef, p.proconfig,
       has_function_privilege('public', p.oid, 'EXECUTE') AS public_executes
  FROM pg_proc p
 WHERE p.pronamespace = 'robot_registry'::regnamespace
   AND (p.proname LIKE '%defect%' OR p.proname LIKE '%threshold%' OR p.proname = 'normalize_recall_category')
 ORDER BY 1::text;
-- nothing of the defect tables to PUBLIC; the gates to nobody
SELECT t AS table_name,
       has_table_privilege('regress_defect_nobody', 'robot_registry.' || t, 'SELECT') AS nobody_reads,
       has_table_privilege('regress_defect_operator', 'robot_registry.' || t, 'SELECT') AS actor_reads,
       has_table_privilege('regress_defect_regulator', 'robot_registry.' || t, 'INSERT') AS actor_inserts,
       has_table_privilege('regress_defect_regulator', 'robot_registry.' || t, 'DELETE') AS actor_deletes
  FROM unnest(ARRAY['defect_reports', 'defect_thresholds', 'defect_crossings', 'defect_gates']) t;
SELECT relname, relrowsecurity FROM pg_class
 WHERE relnamespace = 'robot_registry'::regnamespace AND relname LIKE 'defect%' AND relkind = 'r' ORDER BY 1;

-- categories: one normal form, or 22023 naming the value
SELECT c AS given, robot_registry.defect_category(c) AS category
  FROM unnest(ARRAY['knee actuator', '  Knee   Actuator ', E'KNEE\tactuator', 'v2.1/firmware_watchdog-fault', '42']) c;
SELECT pg_temp.try(format('SELECT robot_registry.defect_category(%L)', c))
  FROM unnest(ARRAY['', '   ', '-knee', 'knee: actuator', 'überhitzung', repeat('a', 65), '*']) c;
SELECT pg_temp.try('SELECT robot_registry.defect_category(NULL)');
-- a long value is named by its first 100 characters
SELECT pg_temp.try(format('SELECT robot_registry.defect_category(%L)', repeat('b', 99) || 'cd' || repeat('e', 100000)));
SELECT length(robot_registry.defect_category(repeat('a', 64))) AS longest;
-- severities
SELECT robot_registry.defect_severity(s) FROM unnest(ARRAY['minor', ' MAJOR ', 'Critical']) s;
SELECT pg_temp.try(format('SELECT robot_registry.defect_severity(%L)', s)) FROM unnest(ARRAY['urgent', '']) s;
SELECT pg_temp.try('SELECT robot_registry.defect_severity(NULL)');
SELECT pg_temp.try(format('SELECT robot_registry.defect_severity(%L)', repeat('x', 101)));

-- the default threshold: 3 robots in 90 days
SELECT category, min_robots, window_days FROM robot_registry.defect_thresholds;

-- reports: bad input first, each with its SQLSTATE and the value named
SET ROLE regress_defect_operator;
SELECT pg_temp.try($$SELECT robot_registry.report_defect(NULL, 'knee actuator', 'hot')$$);
SELECT pg_temp.try($$SELECT robot_registry.report_defect('86000100000100000000000000001', 'knee actuator', 'hot', 'urgent')$$);
SELECT pg_temp.try($$SELECT robot_registry.report_defect('86000100000100000000000000001', 'knee actuator', 'hot', NULL)$$);
SELECT pg_temp.try($$SELECT robot_registry.report_defect('86000100000100000000000000001', '   ', 'hot')$$);
SELECT pg_temp.try($$SELECT robot_registry.report_defect('86000100000100000000000000001', NULL, 'hot')$$);
SELECT pg_temp.try($$SELECT robot_registry.report_defect('86000100000100000000000000001', 'knee actuator', '  ')$$);
SELECT pg_temp.try($$SELECT robot_registry.report_defect('86000100000100000000000000001', 'knee actuator', NULL)$$);
SELECT pg_temp.try($$SELECT robot_registry.report_defect('86000100000100000000000000001', 'knee actuator', repeat('x', 2001))$$);
SELECT pg_temp.try($$SELECT robot_registry.report_defect('86000100000199999999999999999', 'knee actuator', 'hot')$$);
SELECT pg_temp.try($$SELECT robot_registry.report_defect('86000100000900000000000000001', 'knee actuator', 'hot')$$);
RESET ROLE;
-- a manufacturer reports its own robots; another maker's answers exactly
-- as an unregistered code
SET ROLE regress_defect_maker2;
SELECT replace(pg_temp.try($$SELECT robot_registry.report_defect('86000100000100000000000000001', 'knee actuator', 'hot')$$),
               '86000100000100000000000000001', 'CODE')
     = replace(pg_temp.try($$SELECT robot_registry.report_defect('86000100000199999999999999999', 'knee actuator', 'hot')$$),
               '86000100000199999999999999999', 'CODE') AS invisible_answers_as_unregistered;
SELECT pg_temp.try($$INSERT INTO robot_registry.defect_reports (robot_id, category, description)
                     VALUES ('86000100000100000000000000001', 'knee actuator', 'hot')$$);
RESET ROLE;
-- kinds that do not report
SET ROLE regress_defect_seller;
SELECT pg_temp.try($$SELECT robot_registry.report_defect('86000100000100000000000000001', 'knee actuator', 'hot')$$);
SELECT pg_temp.try($$INSERT INTO robot_registry.defect_reports (robot_id, category, description)
                     VALUES ('86000100000100000000000000001', 'knee actuator', 'hot')$$);
SET ROLE regress_defect_recycler;
SELECT pg_temp.try($$SELECT robot_registry.report_defect('86000100000100000000000000001', 'knee actuator', 'hot')$$);
SET ROLE regress_defect_regulator;
SELECT pg_temp.try($$SELECT robot_registry.report_defect('86000100000100000000000000001', 'knee actuator', 'hot')$$);
SET ROLE regress_defect_nobody;
SELECT pg_temp.try($$SELECT robot_registry.report_defect('86000100000100000000000000001', 'knee actuator', 'hot')$$);
RESET ROLE;
SELECT count(*) AS reports_after_refusals FROM robot_registry.defect_reports;

-- reports are stamped with their author, kind and time, whatever was written
SET ROLE regress_defect_operator;
SELECT report_id, robot_id, model_key, category, description, severity, reported_by, reporter_kind, reported_at = now() AS now
  FROM robot_registry.report_defect('86000100000100000000000000001', ' Knee  ACTUATOR', 'overheats after an hour');
INSERT INTO robot_registry.defect_reports (robot_id, category, description, severity)
VALUES ('86000100000100000000000000001', 'knee actuator', 'again', 'minor');
SELECT pg_temp.try($$INSERT INTO robot_registry.defect_reports (robot_id, category, description, reported_by)
                     VALUES ('86000100000100000000000000001', 'knee actuator', 'forged', 'regress_defect_regulator')$$);
SELECT pg_temp.try($$INSERT INTO robot_registry.defect_reports (robot_id, category, description, reported_at)
                     VALUES ('86000100000100000000000000001', 'knee actuator', 'backdated', '2000-01-01')$$);
-- one robot reporting twice is one robot: nothing is common yet
SELECT count(*) AS crossings FROM robot_registry.defect_crossings;
RESET ROLE;
SELECT count(*) AS crossings FROM robot_registry.defect_crossings;
-- the second robot, reported by a service provider, and the maker's own
-- report of a third: the threshold is crossed, once
SET ROLE regress_defect_service;
SELECT report_id, category, severity FROM robot_registry.report_defect('86000100000100000000000000002', 'knee actuator', 'stiff', 'critical');
SET ROLE regress_defect_maker1;
SELECT report_id, category FROM robot_registry.report_defect('86000100000100000000000000003', 'knee actuator', 'found at the factory');
SELECT report_id, category FROM robot_registry.report_defect('86000100000100000000000000004', 'knee actuator', 'and here');
RESET ROLE;
SELECT c.crossing_id, c.model_key, c.category, c.crossed_at BETWEEN d.reported_at AND clock_timestamp() AS at_the_report, d.robot_id AS crossing_robot,
       c.robots, c.min_robots, c.window_days, c.counted_from = c.crossed_at - make_interval(days => c.window_days) AS counted_over_the_window, c.crossed_by
  FROM robot_registry.defect_crossings c JOIN robot_registry.defect_reports d USING (report_id) ORDER BY crossing_id;

-- who sees which reports
SET ROLE regress_defect_operator;
SELECT report_id, reported_by FROM robot_registry.defect_reports ORDER BY 1;
SELECT count(*) AS crossings_seen FROM robot_registry.defect_crossings;
SELECT count(*) AS common_seen FROM robot_registry.common_defects;
SET ROLE regress_defect_operator2;
SELECT count(*) AS reports_seen FROM robot_registry.defect_reports;
SET ROLE regress_defect_maker1;
SELECT report_id, reported_by, reporter_kind FROM robot_registry.defect_reports ORDER BY 1;
SET ROLE regress_defect_maker2;
SELECT count(*) AS reports_seen FROM robot_registry.defect_reports;
SELECT count(*) AS common_seen FROM robot_registry.common_defects;
SET ROLE regress_defect_regulator;
SELECT count(*) AS reports_seen FROM robot_registry.defect_reports;
SET ROLE regress_defect_nobody;
SELECT pg_temp.try(format('SELECT count(*) FROM robot_registry.%I', t))
  FROM unnest(ARRAY['defect_reports', 'defect_thresholds', 'defect_crossings', 'defect_gates',
                    'common_defects', 'recall_obligations']) t;
RESET ROLE;

-- the views, as the regulator and as the maker
SET ROLE regress_defect_regulator;
SELECT model_key, model, manufacturer_key, manufacturer, category, robots, reports, worst_severity,
       first_report <= latest_report AS ordered, crossed_at = now() AS crossed_now, min_robots, window_days,
       covering_recalls, covered
  FROM robot_registry.common_defects;
SELECT manufacturer_key, manufacturer, model_key, model, category, robots, worst_severity, owed_since = now() AS since_now, days_owed
  FROM robot_registry.recall_obligations;
SET ROLE regress_defect_maker1;
SELECT model_key, category, robots FROM robot_registry.recall_obligations;
RESET ROLE;
-- days owed are whole days since the crossing (the crossing moved back
-- ten days and a bit, with the triggers off, and put back)
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE robot_registry.defect_crossings SET crossed_at = crossed_at - interval '10 days 3 hours';
SELECT category, days_owed FROM robot_registry.recall_obligations;
ROLLBACK;

-- thresholds: the regulator sets them per category, stamped; nobody else
SET ROLE regress_defect_operator;
SELECT category, min_robots, window_days FROM robot_registry.defect_thresholds;
SELECT pg_temp.try($$INSERT INTO robot_registry.defect_thresholds (category, min_robots, window_days) VALUES ('battery', 1, 30)$$);
-- an update of a row the policy does not let it change changes nothing
UPDATE robot_registry.defect_thresholds SET min_robots = 100 RETURNING category;
SET ROLE regress_defect_maker1;
UPDATE robot_registry.defect_thresholds SET min_robots = 100 RETURNING category;
SET ROLE regress_defect_regulator;
SELECT pg_temp.try($$INSERT INTO robot_registry.defect_thresholds (category, min_robots, window_days, set_by)
                     VALUES ('battery swelling', 2, 30, 'regress_defect_operator')$$);
INSERT INTO robot_registry.defect_thresholds (category, min_robots, window_days) VALUES ('  Battery Swelling', 2, 30);
SELECT category, min_robots, window_days, set_by = current_user AS set_by_me
  FROM robot_registry.defect_thresholds ORDER BY 1;
SELECT pg_temp.try($$INSERT INTO robot_registry.defect_thresholds (category, min_robots, window_days) VALUES ('hip', 0, 30)$$);
SELECT pg_temp.try($$INSERT INTO robot_registry.defect_thresholds (category, min_robots, window_days) VALUES ('hip', 2, 0)$$);
SELECT pg_temp.try($$INSERT INTO robot_registry.defect_thresholds (category, min_robots, window_days) VALUES ('', 2, 10)$$);
SELECT pg_temp.try($$DELETE FROM robot_registry.defect_thresholds WHERE category = 'battery swelling'$$);
RESET ROLE;
SELECT pg_temp.try($$DELETE FROM robot_registry.defect_thresholds WHERE category = '*'$$);
SELECT pg_temp.try($$UPDATE robot_registry.defect_thresholds SET category = 'x' WHERE category = '*'$$);
SELECT pg_temp.try($$TRUNCATE robot_registry.defect_thresholds$$);
-- a per-category threshold: two robots of model 2 in 30 days
SET ROLE regress_defect_operator;
SELECT category FROM robot_registry.report_defect('86000100000200000000000000001', 'battery swelling', 'bulging case');
SELECT category FROM robot_registry.report_defect('86000100000200000000000000002', 'Battery swelling', 'bulging case');
-- the same category of another model is another count
SELECT category FROM robot_registry.report_defect('86000200000100000000000000001', 'battery swelling', 'bulging case');
RESET ROLE;
SELECT model_key, category, robots, min_robots, window_days, crossed_by FROM robot_registry.defect_crossings ORDER BY crossing_id;
-- reports older than the window do not count (an administrator's import
-- of history, dated)
BEGIN;
SELECT robot_registry.act_as('regress_defect_operator', NULL);
INSERT INTO robot_registry.defect_reports (robot_id, category, description, reported_at) VALUES
	('86000100000100000000000000005', 'hip joint', 'old', now() - interval '200 days'),
	('86000100000100000000000000006', 'hip joint', 'old', now() - interval '100 days'),
	('86000100000100000000000000007', 'hip joint', 'recent', now() - interval '10 days');
COMMIT;
SELECT robot_id, reported_by, reporter_kind, round(extract(epoch FROM now() - reported_at) / 86400) AS days_ago FROM robot_registry.defect_reports
 WHERE category = 'hip joint' ORDER BY 1;
SELECT count(*) AS hip_crossings FROM robot_registry.defect_crossings WHERE category = 'hip joint';
-- lowering a threshold makes it common now, in the regulator's name
SET ROLE regress_defect_regulator;
INSERT INTO robot_registry.defect_thresholds (category, min_robots, window_days) VALUES ('hip joint', 2, 150);
RESET ROLE;
SELECT model_key, category, robots, min_robots, window_days, crossed_by FROM robot_registry.defect_crossings
 WHERE category = 'hip joint';
-- the episode is the window that made it common: the report of 200 days
-- ago is not part of it
SELECT category, robots, reports FROM robot_registry.common_defects WHERE category = 'hip joint';
-- raising it undoes nothing
SET ROLE regress_defect_regulator;
UPDATE robot_registry.defect_thresholds SET min_robots = 50 WHERE category = 'hip joint';
RESET ROLE;
SELECT count(*) AS hip_crossings FROM robot_registry.defect_crossings WHERE category = 'hip joint';

-- a recall that names the category answers it; the old call forms work
SET ROLE regress_defect_regulator;
SELECT pg_temp.try($$SELECT robot_registry.open_recall('860001000001', 'knee', defect_category => '   ')$$);
SELECT pg_temp.try($$SELECT robot_registry.open_recall('860001000001', 'knee', defect_category => 'knee: actuator')$$);
SELECT robot_registry.open_recall('860001000001', 'unrelated recall') AS unrelated \gset
SELECT robot_registry.open_recall('860001000001', 'unrelated range', '00000000000000009', '00000000000000009') AS ranged \gset
SELECT recall_id, defect_category FROM robot_registry.recalls ORDER BY 1;
SELECT category, covered FROM robot_registry.common_defects ORDER BY model_key, category;
-- a recall of another model, or of another category, answers nothing
SELECT robot_registry.open_recall('860001000002', 'knee elsewhere', defect_category => 'knee actuator') IS NOT NULL AS opened;
SELECT model_key, category FROM robot_registry.recall_obligations ORDER BY 1, 2;
SELECT robot_registry.open_recall('860001000001', 'knee actuator overheating',
	'00000000000000001', '00000000000000004', 'Knee Actuator') AS knee_recall \gset
SELECT recall_id, reason, serial_from, serial_to, defect_category FROM robot_registry.recalls WHERE recall_id = :knee_recall;
SELECT model_key, category, covering_recalls = ARRAY[:knee_recall]::bigint[] AS covered_by_knee_recall, covered
  FROM robot_registry.common_defects ORDER BY model_key, category;
SELECT model_key, category FROM robot_registry.recall_obligations ORDER BY 1, 2;
-- the manufacturer sees its own obligations, not the other maker's
SET ROLE regress_defect_maker2;
SELECT model_key, category FROM robot_registry.recall_obligations ORDER BY 1, 2;
RESET ROLE;

-- the passport and the public scan name the category
SELECT p #> '{recall,open_recalls}' AS open_recalls
  FROM robot_registry.passport('86000100000100000000000000001') p;
SELECT robot_registry.scan('86000100000100000000000000001') -> 'recalls' AS scan_recalls;

-- more reports while the recall is open record no second crossing
SET ROLE regress_defect_operator;
SELECT category FROM robot_registry.report_defect('86000100000100000000000000005', 'knee actuator', 'also');
RESET ROLE;
SELECT count(*) AS knee_crossings FROM robot_registry.defect_crossings WHERE category = 'knee actuator' AND model_key = '860001000001';
SELECT robots, reports FROM robot_registry.common_defects WHERE category = 'knee actuator' AND model_key = '860001000001';

-- closing the recall settles the crossing: the defect is no longer
-- common, and a new episode counts only reports filed after the closing
SET ROLE regress_defect_regulator;
SELECT closed_at IS NOT NULL AS closed FROM robot_registry.close_recall(:knee_recall);
SELECT category FROM robot_registry.common_defects WHERE model_key = '860001000001' ORDER BY 1;
SELECT category FROM robot_registry.recall_obligations WHERE model_key = '860001000001' ORDER BY 1;
RESET ROLE;
SET ROLE regress_defect_service;
SELECT category FROM robot_registry.report_defect('86000100000100000000000000001', 'knee actuator', 'back again');
SELECT category FROM robot_registry.report_defect('86000100000100000000000000002', 'knee actuator', 'back again');
RESET ROLE;
SELECT count(*) AS knee_crossings FROM robot_registry.defect_crossings WHERE category = 'knee actuator' AND model_key = '860001000001';
SET ROLE regress_defect_service;
SELECT category FROM robot_registry.report_defect('86000100000100000000000000008', 'knee actuator', 'back again');
RESET ROLE;
SELECT crossing_id, robots, counted_from = (SELECT closed_at FROM robot_registry.recalls WHERE recall_id = :knee_recall) AS counted_from_closing,
       crossed_by
  FROM robot_registry.defect_crossings WHERE category = 'knee actuator' AND model_key = '860001000001' ORDER BY 1;
SET ROLE regress_defect_regulator;
SELECT model_key, category, robots, reports, covered FROM robot_registry.common_defects
 WHERE model_key = '860001000001' AND category = 'knee actuator';
SELECT model_key, category, robots FROM robot_registry.recall_obligations ORDER BY 1, 2;
RESET ROLE;

-- reports and crossings are append-only, and in the ledger
SELECT pg_temp.try($$UPDATE robot_registry.defect_reports SET severity = 'minor'$$);
SELECT pg_temp.try($$DELETE FROM robot_registry.defect_reports$$);
SELECT pg_temp.try($$TRUNCATE robot_registry.defect_reports CASCADE$$);
SELECT pg_temp.try($$DELETE FROM robot_registry.defect_crossings$$);
SELECT pg_temp.try($$UPDATE robot_registry.defect_crossings SET crossed_at = now() - interval '1 day'$$);
SELECT subject, count(*) AS entries, count(DISTINCT actor) AS authors FROM robot_registry.ledger
 WHERE subject LIKE 'defect%' GROUP BY 1 ORDER BY 1;
SELECT subject, subject_key, op, CASE WHEN actor = session_user THEN 'the administrator' ELSE actor END AS actor
  FROM robot_registry.ledger WHERE subject IN ('defect_thresholds', 'defect_crossings') ORDER BY entry_id;
SELECT count(*) AS problems FROM robot_registry.verify();
-- a report deleted with the triggers off is seen
BEGIN;
SET LOCAL session_replication_role = replica;
DELETE FROM robot_registry.defect_reports WHERE report_id = (SELECT max(report_id) FROM robot_registry.defect_reports);
SELECT problem FROM robot_registry.verify();
ROLLBACK;

SET client_min_messages = warning;
DROP SCHEMA robot_registry CASCADE;
RESET client_min_messages;
DROP ROLE regress_defect_maker1, regress_defect_maker2, regress_defect_operator, regress_defect_operator2,
	regress_defect_service, regress_defect_seller, regress_defect_recycler, regress_defect_regulator,
	regress_defect_nobody;
