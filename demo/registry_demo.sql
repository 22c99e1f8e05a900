-- The national registry demo, run by scripts/demo.sh: install the
-- registry, load it at launch scale, watch each rule refuse a bad write,
-- and read it as an analyst and as a phone scanning a code.
\set ON_ERROR_STOP on
\pset footer off
\if :{?robots}
\else
\set robots 28000
\endif
SET client_min_messages = notice;
CREATE EXTENSION robotid;

\echo
\echo '== Installing the reference registry (schema robot_registry)'
SELECT robot_registry_install();
SELECT robot_registry_install_demo();   -- the synthetic data generator, not part of a production registry

\echo
\echo '== Loading a synthetic national registry'
CALL robot_registry.generate_demo(:robots);
SELECT (SELECT count(*) FROM robot_registry.manufacturers) AS manufacturers,
       (SELECT count(*) FROM robot_registry.models) AS models,
       (SELECT count(*) FROM robot_registry.robots) AS robots,
       (SELECT count(*) FROM robot_registry.events) AS events,
       (SELECT count(*) FROM robot_registry.market_events) AS market_events,
       (SELECT count(*) FROM robot_registry.robots WHERE state IN ('recycled', 'retired')) AS scrapped,
       (SELECT count(*) FROM robot_registry.robots WHERE recalled) AS under_recall;

\echo
\echo '== Every rule refuses a bad write, with its SQLSTATE and constraint name'
CREATE FUNCTION pg_temp.attempt(what text, sql text) RETURNS TABLE (attempt text, refused_with text)
LANGUAGE plpgsql AS $$
DECLARE
	state text; con text; msg text;
BEGIN
	attempt := what;
	BEGIN
		EXECUTE sql;
		refused_with := 'ACCEPTED (this is a bug)';
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, con = CONSTRAINT_NAME, msg = MESSAGE_TEXT;
		refused_with := concat_ws(' ', state, nullif(con, '')) || ': ' || msg;
	END;
	RETURN NEXT;
END
$$;
\pset format wrapped
\pset columns 200
SELECT * FROM pg_temp.attempt('sell a recalled robot',
	format($$SELECT robot_registry.transition(%L, 'sold')$$,
	       (SELECT id FROM robot_registry.robots WHERE recalled AND state = 'deployed' ORDER BY id LIMIT 1)))
UNION ALL
SELECT * FROM pg_temp.attempt('register a rebuild of a scrapped unit',
	format($$SELECT robot_registry.register_robot('86000100000199999999999999999', refurbished_from => %L)$$,
	       (SELECT id FROM robot_registry.robots WHERE state = 'recycled' ORDER BY id LIMIT 1)))
UNION ALL
SELECT * FROM pg_temp.attempt('record a sale without a registered code',
	$$INSERT INTO robot_registry.market_events (robot_id, kind, party) VALUES ('86000100000100000000000000000', 'sale', 'grey market')$$)
UNION ALL
SELECT * FROM pg_temp.attempt('register a robot of an uncatalogued model',
	$$SELECT robot_registry.register_robot('86999999999920260529000000001')$$)
UNION ALL
SELECT * FROM pg_temp.attempt('deploy a robot straight from the factory',
	format($$SELECT robot_registry.transition(%L, 'deployed')$$,
	       (SELECT id FROM robot_registry.robots WHERE state = 'manufactured' AND NOT recalled ORDER BY id LIMIT 1)))
UNION ALL
SELECT * FROM pg_temp.attempt('sell a retired robot again',
	format($$SELECT robot_registry.transition(%L, 'sold')$$,
	       (SELECT id FROM robot_registry.robots WHERE state = 'retired' ORDER BY id LIMIT 1)))
UNION ALL
SELECT * FROM pg_temp.attempt('delete a robot''s history',
	$$DELETE FROM robot_registry.robots WHERE id = (SELECT min(id) FROM robot_registry.robots)$$)
UNION ALL
SELECT * FROM pg_temp.attempt('rewrite the event log',
	$$UPDATE robot_registry.events SET detail = '{}' WHERE event_id = (SELECT min(event_id) FROM robot_registry.events)$$)
UNION ALL
SELECT * FROM pg_temp.attempt('erase the ledger of recalls',
	$$DELETE FROM robot_registry.ledger WHERE subject = 'recalls'$$);
\pset format aligned

\echo
\echo '== Fleet by manufacturer (the ten largest)'
SELECT manufacturer_key, manufacturer,
       sum(robots) FILTER (WHERE state = 'manufactured') AS manufactured,
       sum(robots) FILTER (WHERE state = 'sold') AS sold,
       sum(robots) FILTER (WHERE state = 'deployed') AS deployed,
       sum(robots) FILTER (WHERE state = 'maintenance') AS maintenance,
       sum(robots) FILTER (WHERE state = 'recycled') AS recycled,
       sum(robots) FILTER (WHERE state = 'retired') AS retired,
       sum(robots) AS total
  FROM robot_registry.fleet_by_manufacturer
 GROUP BY manufacturer_key, manufacturer ORDER BY total DESC, manufacturer_key LIMIT 10;

\echo '== Fleet of one model, from the index'
SELECT * FROM robot_registry.fleet_by_model WHERE model_key = '860001000001' ORDER BY state;
EXPLAIN (COSTS OFF) SELECT * FROM robot_registry.fleet_by_model WHERE model_key = '860001000001';

\echo '== Open recalls'
SELECT recall_id, model_key, model, reason, affected, remedied, outstanding FROM robot_registry.open_recalls ORDER BY recall_id;

\echo '== Robots whose history breaks a rule (none)'
SELECT count(*) AS rule_breaks FROM robot_registry.rule_breaks;

\echo '== Time spent in each state'
SELECT * FROM robot_registry.time_in_state ORDER BY state;

\echo '== The passport of one robot: what a phone shows when it scans the code'
SELECT jsonb_pretty(robot_registry.passport(id)) AS passport
  FROM robot_registry.robots
 WHERE recalled AND state = 'maintenance' ORDER BY id LIMIT 1;

\echo '== Tamper evidence: every hash chain verified'
SELECT count(*) AS robots_checked,
       (SELECT count(*) FROM robot_registry.verify()) AS broken_chains
  FROM robot_registry.robots;

\echo '== A checkpoint for the auditor to keep outside the database'
SELECT upto_event_id, root FROM robot_registry.checkpoint() \gset cp_
\echo upto_event_id :cp_upto_event_id root :cp_root
SELECT robot_registry.verify_checkpoint(:cp_upto_event_id, :'cp_root') AS checkpoint_verifies;
\echo '== An owner who rewrites the newest event and recomputes its hash, with the triggers off'
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE robot_registry.events e SET detail = '{"action": "nothing was done"}'
 WHERE event_id = (SELECT max(event_id) FROM robot_registry.events);
UPDATE robot_registry.events e SET hash = robot_registry.event_hash(e)
 WHERE event_id = (SELECT max(event_id) FROM robot_registry.events);
SELECT (SELECT count(*) FROM robot_registry.verify()) AS problems_verify_sees,
       robot_registry.verify_checkpoint(:cp_upto_event_id, :'cp_root') AS checkpoint_still_verifies;
ROLLBACK;

\echo '== Codes issued by the platform: a batch for a production line'
-- random serials by default (a guessed code hits an issued one with
-- probability about 1 in 10^13 per model), and a sequential block for a
-- line that prints consecutive labels; both are registered as manufactured
-- in one statement, with one 'registered' event each
BEGIN;
SELECT model_key AS issue_model FROM robot_registry.models ORDER BY model_key LIMIT 1 \gset
SELECT count(*) AS issued_random, count(DISTINCT id) AS distinct_codes
  FROM robot_registry.issue_codes(:'issue_model', 1000) id;
SELECT min(id) AS first_label, max(id) AS last_label, count(*) AS labels
  FROM robot_registry.issue_codes(:'issue_model', 200, 'sequential') id;
SELECT count(*) AS registered_events FROM robot_registry.events
 WHERE kind = 'registered' AND detail ? 'issued';
SELECT count(*) AS problems FROM robot_registry.verify();
COMMIT;

\echo
\echo '== Custody: only the logins of the party that holds a robot act on it'
-- Each login acts for a party. The generator's robots are held by their
-- maker until sold, then by the fleet 'Demo Fleet Operations' or by a
-- private owner (no party); scrapped ones by 'Demo Recycling'.
CREATE ROLE demo_operator;
CREATE ROLE demo_service;
CREATE ROLE demo_regulator;
CREATE ROLE demo_seller;
CREATE ROLE demo_recycler;
CREATE ROLE demo_maker;
INSERT INTO robot_registry.actors (role_name, kind, manufacturer_key, party) VALUES
	('demo_operator', 'operator', NULL, 'Demo Fleet Operations'), ('demo_service', 'service_provider', NULL, 'Demo Service Co'),
	('demo_regulator', 'regulator', NULL, NULL), ('demo_seller', 'seller', NULL, 'Demo Dealer'),
	('demo_recycler', 'recycler', NULL, 'Demo Recycling');
INSERT INTO robot_registry.actors (role_name, kind, manufacturer_key, party)
SELECT 'demo_maker', 'manufacturer', manufacturer_key, name FROM robot_registry.manufacturers WHERE manufacturer_key = '860004';
SELECT custodian, count(*) AS robots FROM robot_registry.robots GROUP BY custodian ORDER BY count(*) DESC, custodian LIMIT 6;
SELECT id AS unheld_robot FROM robot_registry.robots WHERE state = 'manufactured' AND NOT recalled ORDER BY id LIMIT 1 \gset
SELECT count(*) AS not_retired FROM robot_registry.robots WHERE state <> 'retired' \gset
\pset format wrapped
\pset columns 200
SET ROLE demo_seller;
SELECT * FROM pg_temp.attempt('a dealer sells a robot its maker still holds',
	format($$SELECT robot_registry.transition(%L, 'sold')$$, :'unheld_robot'));
RESET ROLE;
\pset format aligned
\echo '-- a recycler''s mass UPDATE changes only the robots its party holds (rolled back)'
BEGIN;
SET ROLE demo_recycler;
WITH retired AS (UPDATE robot_registry.robots SET state = 'retired' WHERE state <> 'retired' RETURNING custodian)
SELECT count(*) AS retired, :not_retired AS robots_not_retired, string_agg(DISTINCT custodian, ', ') AS all_held_by FROM retired;
ROLLBACK;
\echo '-- a private owner brings a robot in: the maker that sold it issues a one-time transfer code,'
\echo '-- and the service provider takes the robot with it'
SELECT t.robot_id AS private_robot FROM robot_registry.transfer_codes t JOIN robot_registry.robots r ON r.id = t.robot_id
 WHERE t.handed_by = (SELECT name FROM robot_registry.manufacturers WHERE manufacturer_key = '860004')
   AND r.custodian IS NULL AND r.state IN ('sold', 'deployed') ORDER BY t.robot_id LIMIT 1 \gset
SET ROLE demo_maker;
SELECT robot_registry.transfer_code(:'private_robot') AS code \gset
SET ROLE demo_service;
SELECT robot_registry.receive(:'private_robot', 'AAAA-BBBB-CCCC-DDDD') IS NULL AS wrong_code_refused;
SELECT id, state, custodian FROM robot_registry.receive(:'private_robot', :'code', '{"reason": "service visit"}');
SELECT robot_registry.receive(:'private_robot', :'code') IS NULL AS used_code_refused;
RESET ROLE;
SELECT kind, detail -> 'custody' AS custody FROM robot_registry.events WHERE robot_id = :'private_robot' ORDER BY event_id DESC LIMIT 1;

\echo
\echo '== Defects that force recalls: a defect becomes common and someone owes a recall'
-- the operator reports a defect on two robots of one model it holds and
-- hands a third, in maintenance, to its service provider, which reports
-- it too: three robots, reported by two holders, cross the default
-- threshold (3 robots in 90 days), and the regulator sees who owes a
-- recall until one answers it
SELECT '860004000001' AS defect_model \gset
SELECT category, min_robots, window_days FROM robot_registry.defect_thresholds;
SET ROLE demo_operator;
SELECT robot_id, category, severity, reported_by
  FROM (SELECT id FROM robot_registry.robots WHERE model_key = :'defect_model' AND state = 'deployed'
           AND custodian = 'Demo Fleet Operations' ORDER BY id LIMIT 2) r,
       robot_registry.report_defect(r.id, 'Knee Actuator ', 'the knee overheats after an hour of walking');
SELECT id, state, custodian
  FROM robot_registry.hand_over((SELECT id FROM robot_registry.robots WHERE model_key = :'defect_model' AND state = 'maintenance'
                                    AND custodian = 'Demo Fleet Operations' ORDER BY id LIMIT 1),
                                'Demo Service Co', '{"reason": "knee inspection"}');
SET ROLE demo_service;
SELECT robot_id, category, severity, reported_by
  FROM (SELECT id FROM robot_registry.robots WHERE model_key = :'defect_model' AND state = 'maintenance'
           AND custodian = 'Demo Service Co' ORDER BY id LIMIT 1) r,
       robot_registry.report_defect(r.id, 'knee actuator', 'actuator casing scorched', 'critical');
\echo '-- the service provider sees its own report only'
SELECT count(*) AS reports_it_sees FROM robot_registry.defect_reports;
SET ROLE demo_regulator;
\echo '-- the regulator: a common defect, and the recall it is owed'
SELECT model_key, model, category, robots, worst_severity, first_report::date, latest_report::date, crossed_at::date, covered
  FROM robot_registry.common_defects;
SELECT manufacturer, model_key, category, robots, owed_since::date, days_owed FROM robot_registry.recall_obligations;
\echo '-- the regulator opens a recall that names the category: it answers the obligation'
SELECT robot_registry.open_recall(:'defect_model', 'knee actuator overheating', defect_category => 'knee actuator') AS defect_recall \gset
SELECT model_key, category, covering_recalls, covered FROM robot_registry.common_defects;
SELECT count(*) AS obligations_left FROM robot_registry.recall_obligations;
RESET ROLE;
\echo '-- a scan of an affected robot names the category the recall answers'
SELECT robot_registry.scan(id::text) -> 'recalls' AS recalls
  FROM robot_registry.robots WHERE model_key = :'defect_model' AND state = 'deployed' ORDER BY id LIMIT 1;
DELETE FROM robot_registry.actors
 WHERE role_name IN ('demo_operator', 'demo_service', 'demo_regulator', 'demo_seller', 'demo_recycler', 'demo_maker');
DROP ROLE demo_operator, demo_service, demo_regulator, demo_seller, demo_recycler, demo_maker;

\echo
\echo '== The public scan: any login role, mapped or not, checks a code'
-- a role with no mapping, like a web front end's: it may read no registry
-- table, yet scan() answers it; the scanners say where they are, so the
-- scans are recorded
DROP ROLE IF EXISTS demo_public;
CREATE ROLE demo_public;
SELECT id::text AS good_code FROM robot_registry.robots
 WHERE state IN ('sold', 'deployed') AND NOT recalled ORDER BY id LIMIT 1 \gset
SELECT id::text AS recalled_code FROM robot_registry.robots WHERE recalled ORDER BY state = 'deployed' DESC, id LIMIT 1 \gset
SELECT id::text AS scrapped_code FROM robot_registry.robots WHERE state = 'recycled' ORDER BY id LIMIT 1 \gset
SELECT model_key || '99999999999999999' AS unregistered_code FROM robot_registry.models ORDER BY model_key LIMIT 1 \gset
SET ROLE demo_public;
\echo '-- a good code, grouped as printed on the label, at customs'
SELECT jsonb_pretty(robot_registry.scan(robot_id_format(:'good_code'),
	'{"scanner": "customs-7", "place": "Shenzhen port"}')) AS good;
\echo '-- a recalled code at a dealer'
SELECT jsonb_pretty(robot_registry.scan(:'recalled_code', '{"scanner": "shop-2", "place": "Rotterdam"}')) AS recalled;
\echo '-- a scrapped, an unregistered and a malformed code: the verdict and its reason'
SELECT s ->> 'code' AS code, s ->> 'state' AS state, s ->> 'market_allowed' AS market_allowed, s ->> 'reason' AS reason
  FROM (VALUES (robot_registry.scan(:'scrapped_code', '{"scanner": "shop-2", "place": "Rotterdam"}')),
               (robot_registry.scan(:'unregistered_code', '{"scanner": "shop-2", "place": "Rotterdam"}')),
               (robot_registry.scan('86-0001-00001-20260101000000001', '{"scanner": "shop-2", "place": "Rotterdam"}'))) v(s);
\echo '-- the same good code, scanned again in another place within the clone window: a copied label?'
SELECT robot_registry.scan(:'good_code', '{"scanner": "shop-2", "place": "Rotterdam"}') ->> 'market_allowed' AS market_allowed;
\echo '-- a role with no mapping reads no scans'
SELECT pg_temp.attempt('read the alerts as an unmapped role', 'SELECT * FROM robot_registry.scan_alerts');
RESET ROLE;
\echo '-- what the regulator sees (the registry owner here sees the same): alerts and suspected clones'
SELECT code, outcome, scanner, place FROM robot_registry.scan_alerts ORDER BY scan_id;
SELECT code, places, scans FROM robot_registry.suspected_clones;
SELECT outcome, count(*) AS scans FROM robot_registry.scans GROUP BY outcome ORDER BY outcome;
DROP ROLE demo_public;
