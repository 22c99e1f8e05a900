-- Defects that force recalls: report_defect(), categories, thresholds,
-- the crossing of a threshold, common_defects, recall_obligations, recalls
-- that answer a category, and who sees what; the standing of reports, the
-- settlement of obligations (by remedies, by the regulator's closing, by a
-- waiver) and what settles nothing.

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
-- custody: maker 1 sells robots 1, 5 and 6 of model 1 and robots 1 and 3
-- of model 2 to the operator's party, robot 7 to the second operator's,
-- robots 2 and 8 and robot 2 of model 2 to the service provider's; it
-- keeps robots 3, 4 and 9 at the factory.  The operator hands robot 3 of
-- model 2 on to the service provider.
SET ROLE regress_defect_maker1;
SELECT r.id, r.state, r.custodian
  FROM (VALUES ('86000100000100000000000000001', 'regress_defect_operator'),
               ('86000100000100000000000000005', 'regress_defect_operator'),
               ('86000100000100000000000000006', 'regress_defect_operator'),
               ('86000100000200000000000000001', 'regress_defect_operator'),
               ('86000100000200000000000000003', 'regress_defect_operator'),
               ('86000100000100000000000000007', 'regress_defect_operator2'),
               ('86000100000100000000000000002', 'regress_defect_service'),
               ('86000100000100000000000000008', 'regress_defect_service'),
               ('86000100000200000000000000002', 'regress_defect_service')) v(id, party)
 CROSS JOIN LATERAL robot_registry.transition(v.id::robot_id, 'sold', jsonb_build_object('party', v.party, 'owner', v.party)) r
 ORDER BY 1;
SET ROLE regress_defect_operator;
SELECT id, custodian FROM robot_registry.hand_over('86000100000200000000000000003', 'regress_defect_service');
RESET ROLE;

-- report_defect() and waive_obligation() run as the caller; the
-- registry's own evaluation, and the stamp of a report's standing, are
-- definer triggers that nobody else may execute
SELECT p.oid::regprocedure AS routine, p.prosecdef, p.proconfig,
       has_function_privilege('public', p.oid, 'EXECUTE') AS public_executes
  FROM pg_proc p
 WHERE p.pronamespace = 'robot_registry'::regnamespace
   AND (p.proname LIKE '%defect%' OR p.proname LIKE '%threshold%' OR p.proname = 'normalize_recall_category'
        OR p.proname LIKE '%waive%' OR p.proname LIKE 'crossing%')
 ORDER BY 1::text;
-- nothing of the defect tables to PUBLIC; the gates to nobody
SELECT t AS table_name,
       has_table_privilege('regress_defect_nobody', 'robot_registry.' || t, 'SELECT') AS nobody_reads,
       has_table_privilege('regress_defect_operator', 'robot_registry.' || t, 'SELECT') AS actor_reads,
       has_table_privilege('regress_defect_regulator', 'robot_registry.' || t, 'INSERT') AS actor_inserts,
       has_table_privilege('regress_defect_regulator', 'robot_registry.' || t, 'DELETE') AS actor_deletes
  FROM unnest(ARRAY['defect_reports', 'defect_thresholds', 'defect_crossings', 'defect_gates', 'defect_waivers']) t;
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

-- reports are stamped with their author, kind and time, whatever was
-- written, and with the reporter's party, the robot's holder and their
-- standing: the operator's party holds robot 1
SET ROLE regress_defect_operator;
SELECT report_id, robot_id, model_key, category, description, severity, reported_by, reporter_kind, reported_at = now() AS now,
       reporter_party, holder, standing
  FROM robot_registry.report_defect('86000100000100000000000000001', ' Knee  ACTUATOR', 'overheats after an hour');
INSERT INTO robot_registry.defect_reports (robot_id, category, description, severity)
VALUES ('86000100000100000000000000001', 'knee actuator', 'again', 'minor');
SELECT pg_temp.try($$INSERT INTO robot_registry.defect_reports (robot_id, category, description, reported_by)
                     VALUES ('86000100000100000000000000001', 'knee actuator', 'forged', 'regress_defect_regulator')$$);
SELECT pg_temp.try($$INSERT INTO robot_registry.defect_reports (robot_id, category, description, reported_at)
                     VALUES ('86000100000100000000000000001', 'knee actuator', 'backdated', '2000-01-01')$$);
SELECT pg_temp.try($$INSERT INTO robot_registry.defect_reports (robot_id, category, description, standing)
                     VALUES ('86000100000100000000000000001', 'knee actuator', 'forged standing', true)$$);
SELECT pg_temp.try($$INSERT INTO robot_registry.defect_reports (robot_id, category, description, holder)
                     VALUES ('86000100000100000000000000001', 'knee actuator', 'forged holder', 'regress_defect_service')$$);
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
-- the same category of another model is another count
SELECT category FROM robot_registry.report_defect('86000200000100000000000000001', 'battery swelling', 'bulging case');
SET ROLE regress_defect_service;
SELECT category FROM robot_registry.report_defect('86000100000200000000000000002', 'Battery swelling', 'bulging case');
RESET ROLE;
SELECT model_key, category, robots, min_robots, window_days, crossed_by FROM robot_registry.defect_crossings ORDER BY crossing_id;
-- reports older than the window do not count (an administrator's import
-- of history, dated; standing is judged for the actor it names)
BEGIN;
SELECT robot_registry.act_as('regress_defect_operator', NULL);
INSERT INTO robot_registry.defect_reports (robot_id, category, description, reported_at) VALUES
	('86000100000100000000000000005', 'hip joint', 'old', now() - interval '200 days'),
	('86000100000100000000000000006', 'hip joint', 'old', now() - interval '100 days');
SELECT robot_registry.act_as('regress_defect_operator2', NULL);
INSERT INTO robot_registry.defect_reports (robot_id, category, description, reported_at) VALUES
	('86000100000100000000000000007', 'hip joint', 'recent', now() - interval '10 days');
COMMIT;
SELECT robot_id, reported_by, reporter_kind, reporter_party, holder, standing,
       round(extract(epoch FROM now() - reported_at) / 86400) AS days_ago FROM robot_registry.defect_reports
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

-- the regulator's closing of the recall settles the crossing, with robots
-- 1 and 2 unremedied: the defect is no longer common, and a new episode
-- counts only reports filed after the closing
SET ROLE regress_defect_regulator;
SELECT closed_at IS NOT NULL AS closed, closer_kind FROM robot_registry.close_recall(:knee_recall);
SELECT category FROM robot_registry.common_defects WHERE model_key = '860001000001' ORDER BY 1;
SELECT category FROM robot_registry.recall_obligations WHERE model_key = '860001000001' ORDER BY 1;
RESET ROLE;
SET ROLE regress_defect_operator;
SELECT category FROM robot_registry.report_defect('86000100000100000000000000001', 'knee actuator', 'back again');
SET ROLE regress_defect_service;
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

-- Standing.  A party that held a robot keeps it: the operator handed
-- robot 3 of model 2 to the service provider, whose party holds it now,
-- and both report it; the second operator never held it.  An
-- administrator's report that names no actor (act_as()) has none either.
SET ROLE regress_defect_operator;
SELECT robot_id, reporter_party, holder, standing
  FROM robot_registry.report_defect('86000100000200000000000000003', 'display', 'flickers');
SET ROLE regress_defect_service;
SELECT robot_id, reporter_party, holder, standing
  FROM robot_registry.report_defect('86000100000200000000000000003', 'display', 'flickers');
SET ROLE regress_defect_operator2;
SELECT robot_id, reporter_party, holder, standing
  FROM robot_registry.report_defect('86000100000200000000000000003', 'display', 'flickers');
RESET ROLE;
SELECT robot_id, reported_by = session_user AS by_me, reporter_kind, reporter_party, holder, standing
  FROM robot_registry.report_defect('86000100000100000000000000009', 'display', 'flickers');
-- a private owner's robot: maker 2 sells robot 3 of its model to a person;
-- the holder is the owner, named by the code; its maker keeps standing
SET ROLE regress_defect_maker2;
SELECT id, custodian, owner_name FROM robot_registry.transition('86000200000100000000000000003', 'sold', '{"owner": "Ada Lovelace"}');
SELECT robot_id, reporter_party, holder, standing
  FROM robot_registry.report_defect('86000200000100000000000000003', 'display', 'flickers');
SET ROLE regress_defect_operator;
SELECT robot_id, reporter_party, holder, standing
  FROM robot_registry.report_defect('86000200000100000000000000003', 'display', 'flickers');
RESET ROLE;
SELECT count(*) AS display_crossings FROM robot_registry.defect_crossings WHERE category = 'display';

-- Reports without standing force nothing: the second operator files
-- critical reports on three robots it never held (two at the factory, one
-- the first operator's), enough robots for the default threshold
SET ROLE regress_defect_operator2;
SELECT d.robot_id, d.severity, d.holder, d.standing
  FROM unnest(ARRAY['86000100000100000000000000003', '86000100000100000000000000004',
                    '86000100000100000000000000005']::robot_id[]) id
 CROSS JOIN LATERAL robot_registry.report_defect(id, 'arm servo', 'sparks', 'critical') d
 ORDER BY 1;
RESET ROLE;
SELECT count(*) AS arm_servo_crossings FROM robot_registry.defect_crossings WHERE category = 'arm servo';
-- with two reports that have standing, from the holders of robots 5 and
-- 8, five robots have reported and two count: still nothing
SET ROLE regress_defect_operator;
SELECT standing FROM robot_registry.report_defect('86000100000100000000000000005', 'arm servo', 'sparks', 'critical');
SET ROLE regress_defect_service;
SELECT standing FROM robot_registry.report_defect('86000100000100000000000000008', 'arm servo', 'sparks', 'critical');
RESET ROLE;
SELECT count(DISTINCT robot_id) AS robots_reported, count(DISTINCT robot_id) FILTER (WHERE standing) AS robots_counted,
       (SELECT count(*) FROM robot_registry.defect_crossings WHERE category = 'arm servo') AS arm_servo_crossings
  FROM robot_registry.defect_reports WHERE category = 'arm servo';
-- they are kept and flagged for the regulator
SET ROLE regress_defect_regulator;
SELECT robot_id, category, severity, CASE WHEN reported_by = session_user THEN 'the administrator' ELSE reported_by END AS reported_by,
       reporter_kind, reporter_party, holder
  FROM robot_registry.reports_without_standing ORDER BY report_id;
-- a reporter sees its own, a maker those on its models
SET ROLE regress_defect_operator2;
SELECT robot_id, category FROM robot_registry.reports_without_standing ORDER BY report_id;
SET ROLE regress_defect_maker2;
SELECT robot_id, category FROM robot_registry.reports_without_standing ORDER BY report_id;
SET ROLE regress_defect_nobody;
SELECT pg_temp.try('SELECT count(*) FROM robot_registry.reports_without_standing');
RESET ROLE;

-- One holder is not enough: the operator's party holds robots 1, 5 and 6
-- and reports all three.  A crossing needs a second holder, or the maker's
-- own report: the second operator's report of robot 7 brings one.
SET ROLE regress_defect_operator;
SELECT count(*) AS reported
  FROM unnest(ARRAY['86000100000100000000000000001', '86000100000100000000000000005',
                    '86000100000100000000000000006']::robot_id[]) id
 CROSS JOIN LATERAL robot_registry.report_defect(id, 'wrist joint', 'grinds') d
 WHERE d.standing;
RESET ROLE;
SELECT count(*) AS wrist_crossings FROM robot_registry.defect_crossings WHERE category = 'wrist joint';
SET ROLE regress_defect_operator2;
SELECT standing, holder FROM robot_registry.report_defect('86000100000100000000000000007', 'wrist joint', 'grinds');
RESET ROLE;
SELECT model_key, category, robots, crossed_by FROM robot_registry.defect_crossings WHERE category = 'wrist joint';

-- The maker's own reports need no second holder: maker 1 holds robots 3,
-- 4 and 9 at the factory and reports all three
SET ROLE regress_defect_maker1;
SELECT count(*) AS reported
  FROM unnest(ARRAY['86000100000100000000000000003', '86000100000100000000000000004',
                    '86000100000100000000000000009']::robot_id[]) id
 CROSS JOIN LATERAL robot_registry.report_defect(id, 'chassis crack', 'hairline crack') d
 WHERE d.standing AND d.holder = 'regress_defect_maker1';
RESET ROLE;
SELECT model_key, category, robots, crossed_by FROM robot_registry.defect_crossings WHERE category = 'chassis crack';

-- Settled by remedies: maker 1 recalls robots 3 to 9 for the category
-- (the open recall covers the defect) and remedies, at the factory, the
-- three robots whose reports made it common.  Robots 5 to 8, in other
-- hands, stay held by the recall; they did not report the defect.
SET ROLE regress_defect_maker1;
SELECT robot_registry.open_recall('860001000001', 'chassis cracks', '00000000000000003', '00000000000000009',
	'chassis crack') AS chassis_recall \gset
SELECT category, covered FROM robot_registry.common_defects WHERE category = 'chassis crack';
SELECT count(*) AS chassis_owed FROM robot_registry.recall_obligations WHERE category = 'chassis crack';
SELECT id, recalled FROM robot_registry.remedy('86000100000100000000000000003');
SELECT id, recalled FROM robot_registry.remedy('86000100000100000000000000004');
-- two of three remedied: still common
SELECT category, covered FROM robot_registry.common_defects WHERE category = 'chassis crack';
SELECT id FROM robot_registry.remedy('86000100000100000000000000009');
SELECT count(*) AS chassis_common FROM robot_registry.common_defects WHERE category = 'chassis crack';
-- settled at the last remedy, with the recall still open for the others
SELECT robot_registry.defect_settled_at(x.model_key, x.category, x.crossed_at)
       = (SELECT max(rr.remedied_at) FROM robot_registry.recall_robots rr WHERE rr.recall_id = :chassis_recall) AS at_the_last_remedy,
       (SELECT closed_at IS NULL FROM robot_registry.recalls WHERE recall_id = :chassis_recall) AS recall_open,
       (SELECT count(*) FROM robot_registry.recall_robots WHERE recall_id = :chassis_recall AND remedied_at IS NULL) AS still_held
  FROM robot_registry.defect_crossings x WHERE x.category = 'chassis crack';
RESET ROLE;

-- A remedy counts only after the robot's report: maker 1 recalls robots 3
-- to 9 for a leg motor fault and remedies robot 3 before anything is
-- reported; then robots 3, 4 and 9 report the fault, and 4 and 9 are
-- remedied.  Robot 3 failed after its remedy: still owed.
SET ROLE regress_defect_maker1;
SELECT robot_registry.open_recall('860001000001', 'leg motors', '00000000000000003', '00000000000000009',
	'leg motor') AS leg_recall \gset
SELECT id FROM robot_registry.remedy('86000100000100000000000000003');
SELECT count(*) AS reported
  FROM unnest(ARRAY['86000100000100000000000000003', '86000100000100000000000000004',
                    '86000100000100000000000000009']::robot_id[]) id
 CROSS JOIN LATERAL robot_registry.report_defect(id, 'leg motor', 'stalls') d;
SELECT id FROM robot_registry.remedy('86000100000100000000000000004');
SELECT id FROM robot_registry.remedy('86000100000100000000000000009');
SELECT count(*) FILTER (WHERE remedied_at IS NOT NULL) AS remedied FROM robot_registry.recall_robots
 WHERE recall_id = :leg_recall AND robot_id IN ('86000100000100000000000000003', '86000100000100000000000000004',
                                                '86000100000100000000000000009');
SELECT category, covered FROM robot_registry.common_defects WHERE category = 'leg motor';
-- and once the manufacturer closes the recall, owed
SELECT closer_kind FROM robot_registry.close_recall(:leg_recall);
SELECT category, robots FROM robot_registry.recall_obligations WHERE category = 'leg motor';
RESET ROLE;

-- A recall the manufacturer opens and closes with nothing remedied
-- settles nothing: the wrist obligation is owed before, covered while the
-- recall is open, and owed again once it is closed.  Maker 1 cannot
-- remedy the robots itself: their holders' parties hold them.
SET ROLE regress_defect_maker1;
SELECT model_key, category FROM robot_registry.recall_obligations WHERE category = 'wrist joint';
SELECT robot_registry.open_recall('860001000001', 'precautionary', defect_category => 'wrist joint') AS wrist_recall \gset
SELECT category, covered FROM robot_registry.common_defects WHERE category = 'wrist joint';
SELECT count(*) AS wrist_owed FROM robot_registry.recall_obligations WHERE category = 'wrist joint';
SELECT pg_temp.try($$SELECT robot_registry.remedy('86000100000100000000000000001')$$);
SELECT closed_at IS NOT NULL AS closed, closer_kind FROM robot_registry.close_recall(:wrist_recall);
SELECT model_key, category, robots FROM robot_registry.recall_obligations WHERE category = 'wrist joint';
-- nor does a recall of serials no reporting robot has, opened and closed
SELECT closer_kind FROM robot_registry.close_recall(robot_registry.open_recall('860001000001', 'nothing to see',
	'99999999999999990', '99999999999999999', defect_category => 'wrist joint'));
SELECT model_key, category, robots FROM robot_registry.recall_obligations WHERE category = 'wrist joint';
RESET ROLE;

-- Settled by the regulator's closing of a recall the manufacturer opened:
-- the hip joint obligation (robots 6 and 7)
SET ROLE regress_defect_maker1;
SELECT robot_registry.open_recall('860001000001', 'hip joints', '00000000000000005', '00000000000000007',
	'hip joint') AS hip_recall \gset
SET ROLE regress_defect_regulator;
SELECT closer_kind FROM robot_registry.close_recall(:hip_recall);
SELECT count(*) AS hip_owed FROM robot_registry.common_defects WHERE category = 'hip joint';
SELECT robot_registry.defect_settled_at(x.model_key, x.category, x.crossed_at)
       = (SELECT closed_at FROM robot_registry.recalls WHERE recall_id = :hip_recall) AS at_the_closing
  FROM robot_registry.defect_crossings x WHERE x.category = 'hip joint';
RESET ROLE;

-- Waivers: the regulator waives an obligation, with a reason.  Nobody
-- else may; a bad reason is named; a crossing that is settled, or none,
-- is not an open obligation.
SELECT crossing_id AS wrist_crossing FROM robot_registry.defect_crossings WHERE category = 'wrist joint' \gset
SELECT min(crossing_id) AS settled_crossing FROM robot_registry.defect_crossings WHERE category = 'knee actuator' \gset
SET ROLE regress_defect_maker1;
SELECT pg_temp.try(format('SELECT robot_registry.waive_obligation(%s, %L)', :wrist_crossing, 'we disagree'));
SELECT pg_temp.try(format('INSERT INTO robot_registry.defect_waivers (crossing_id, reason) VALUES (%s, %L)', :wrist_crossing, 'we disagree'));
SET ROLE regress_defect_operator;
SELECT pg_temp.try(format('SELECT robot_registry.waive_obligation(%s, %L)', :wrist_crossing, 'fine by us'));
SET ROLE regress_defect_nobody;
SELECT pg_temp.try(format('SELECT robot_registry.waive_obligation(%s, %L)', :wrist_crossing, 'fine by me'));
SET ROLE regress_defect_regulator;
SELECT pg_temp.try($$SELECT robot_registry.waive_obligation(NULL, 'cosmetic')$$);
SELECT pg_temp.try(format('SELECT robot_registry.waive_obligation(%s, %L)', :wrist_crossing, '   '));
SELECT pg_temp.try(format('SELECT robot_registry.waive_obligation(%s, NULL)', :wrist_crossing));
SELECT pg_temp.try(format('SELECT robot_registry.waive_obligation(%s, %L)', :wrist_crossing, repeat('r', 2001)));
SELECT pg_temp.try($$SELECT robot_registry.waive_obligation(999999, 'cosmetic')$$);
SELECT pg_temp.try(format('SELECT robot_registry.waive_obligation(%s, %L)', :settled_crossing, 'cosmetic'));
SELECT pg_temp.try(format('INSERT INTO robot_registry.defect_waivers (crossing_id, reason, waived_by) VALUES (%s, %L, %L)',
                          :wrist_crossing, 'cosmetic', 'regress_defect_maker1'));
SELECT crossing_id = :wrist_crossing AS wrist, reason, waived_by, waived_at = now() AS now
  FROM robot_registry.waive_obligation(:wrist_crossing, '  Field data show the wrist noise is cosmetic.  ');
SELECT pg_temp.try(format('SELECT robot_registry.waive_obligation(%s, %L)', :wrist_crossing, 'again'));
SELECT count(*) AS wrist_owed FROM robot_registry.recall_obligations WHERE category = 'wrist joint';
SELECT count(*) AS wrist_common FROM robot_registry.common_defects WHERE category = 'wrist joint';
SELECT pg_temp.try($$UPDATE robot_registry.defect_waivers SET reason = 'changed'$$);
RESET ROLE;
SELECT pg_temp.try($$UPDATE robot_registry.defect_waivers SET reason = 'changed'$$);
SELECT pg_temp.try($$DELETE FROM robot_registry.defect_waivers$$);
SELECT pg_temp.try($$TRUNCATE robot_registry.defect_waivers$$);
-- who sees waivers: the regulator and the model's maker
SET ROLE regress_defect_maker1;
SELECT crossing_id = :wrist_crossing AS wrist, reason FROM robot_registry.defect_waivers;
SET ROLE regress_defect_maker2;
SELECT count(*) AS waivers_seen FROM robot_registry.defect_waivers;
SET ROLE regress_defect_operator;
SELECT count(*) AS waivers_seen FROM robot_registry.defect_waivers;
SET ROLE regress_defect_nobody;
SELECT pg_temp.try('SELECT count(*) FROM robot_registry.defect_waivers');
RESET ROLE;
-- after the waiver a new episode counts only reports filed since: the
-- operator's reports of robots 1 and 5 again (one holder: nothing yet),
-- then the second operator's of robot 7
SET ROLE regress_defect_operator;
SELECT category FROM robot_registry.report_defect('86000100000100000000000000001', 'wrist joint', 'grinds again');
SELECT category FROM robot_registry.report_defect('86000100000100000000000000005', 'wrist joint', 'grinds again');
RESET ROLE;
SELECT count(*) AS wrist_crossings FROM robot_registry.defect_crossings WHERE category = 'wrist joint';
SET ROLE regress_defect_operator2;
SELECT category FROM robot_registry.report_defect('86000100000100000000000000007', 'wrist joint', 'grinds again');
RESET ROLE;
SELECT crossing_id > :wrist_crossing AS new_crossing, robots,
       counted_from = (SELECT waived_at FROM robot_registry.defect_waivers WHERE crossing_id = :wrist_crossing) AS counted_from_waiver
  FROM robot_registry.defect_crossings WHERE category = 'wrist joint' ORDER BY crossing_id DESC LIMIT 1;

-- reports, crossings and waivers are append-only, and in the ledger
SELECT pg_temp.try($$UPDATE robot_registry.defect_reports SET severity = 'minor'$$);
SELECT pg_temp.try($$DELETE FROM robot_registry.defect_reports$$);
SELECT pg_temp.try($$TRUNCATE robot_registry.defect_reports CASCADE$$);
SELECT pg_temp.try($$DELETE FROM robot_registry.defect_crossings$$);
SELECT pg_temp.try($$UPDATE robot_registry.defect_crossings SET crossed_at = now() - interval '1 day'$$);
SELECT subject, count(*) AS entries, count(DISTINCT actor) AS authors FROM robot_registry.ledger
 WHERE subject LIKE 'defect%' GROUP BY 1 ORDER BY 1;
SELECT subject, subject_key, op, CASE WHEN actor = session_user THEN 'the administrator' ELSE actor END AS actor
  FROM robot_registry.ledger WHERE subject IN ('defect_thresholds', 'defect_crossings', 'defect_waivers') ORDER BY entry_id;
SELECT count(*) AS problems FROM robot_registry.verify();
-- a report deleted with the triggers off is seen
BEGIN;
SET LOCAL session_replication_role = replica;
DELETE FROM robot_registry.defect_reports WHERE report_id = (SELECT max(report_id) FROM robot_registry.defect_reports);
SELECT problem FROM robot_registry.verify();
ROLLBACK;
-- and so is a waiver changed, or deleted
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE robot_registry.defect_waivers SET reason = 'no reason';
SELECT problem FROM robot_registry.verify();
DELETE FROM robot_registry.defect_waivers;
SELECT problem FROM robot_registry.verify();
ROLLBACK;

-- one party's word is not enough, however many holders its robots have:
-- the operator holds robot 1 of model 2 and held robot 3 (now the service
-- provider's), so both its reports stand, and the robots have two
-- holders; with one reporting party no crossing is recorded, until the
-- service provider, which holds robot 3, reports too
SET ROLE regress_defect_regulator;
INSERT INTO robot_registry.defect_thresholds (category, min_robots, window_days) VALUES ('wrist servo', 2, 30);
SET ROLE regress_defect_operator;
SELECT robot_id, reporter_party, holder, standing
  FROM robot_registry.report_defect('86000100000200000000000000001', 'wrist servo', 'jerks', 'critical')
UNION ALL
SELECT robot_id, reporter_party, holder, standing
  FROM robot_registry.report_defect('86000100000200000000000000003', 'wrist servo', 'jerks', 'critical');
RESET ROLE;
SELECT count(*) AS crossings FROM robot_registry.defect_crossings WHERE category = 'wrist servo';
SET ROLE regress_defect_service;
SELECT robot_id, reporter_party, holder, standing
  FROM robot_registry.report_defect('86000100000200000000000000003', 'wrist servo', 'jerks here too');
RESET ROLE;
SELECT model_key, category, robots FROM robot_registry.defect_crossings WHERE category = 'wrist servo';

SET client_min_messages = warning;
DROP SCHEMA robot_registry CASCADE;
RESET client_min_messages;
DROP ROLE regress_defect_maker1, regress_defect_maker2, regress_defect_operator, regress_defect_operator2,
	regress_defect_service, regress_defect_seller, regress_defect_recycler, regress_defect_regulator,
	regress_defect_nobody;
