-- The public scan: what anyone may learn from a code, what it never
-- reveals, and the scans, alerts and suspected clones it leaves.

\i sql/include/try.sql

SET client_min_messages = warning;
SELECT robot_registry_install();
RESET client_min_messages;
INSERT INTO robot_registry.manufacturers VALUES ('860001', 'Tiangong Robotics'), ('860002', 'Huake Dynamics');
INSERT INTO robot_registry.models (model_key, name) VALUES ('860001000001', 'Walker A1'), ('860002000001', 'Porter A1');
CREATE ROLE regress_scan_maker1;
CREATE ROLE regress_scan_maker2;
CREATE ROLE regress_scan_seller;
CREATE ROLE regress_scan_recycler;
CREATE ROLE regress_scan_regulator;
CREATE ROLE regress_scan_nobody;
INSERT INTO robot_registry.actors VALUES
	('regress_scan_maker1', 'manufacturer', '860001'),
	('regress_scan_maker2', 'manufacturer', '860002'),
	('regress_scan_seller', 'seller', NULL),
	('regress_scan_recycler', 'recycler', NULL),
	('regress_scan_regulator', 'regulator', NULL);

-- robots 1 (sold, with an owner and a place), 2 (recalled), 3 (scrapped),
-- 4 and 5 (5 rebuilt from 4), 7 (recalled and remedied at the factory);
-- maker 2's robot 1
SET ROLE regress_scan_maker1;
SELECT count(*) AS registered FROM (
	SELECT robot_registry.register_robot(id, location => 'Secret Plant')
	  FROM unnest(ARRAY['86000100000120260101000000001', '86000100000120260101000000002',
	                    '86000100000120260101000000003', '86000100000120260101000000004',
	                    '86000100000120260101000000007']::robot_id[]) id) r;
SELECT id FROM robot_registry.register_robot('86000100000120260101000000005',
	refurbished_from => '86000100000120260101000000004');
SET ROLE regress_scan_maker2;
SELECT id FROM robot_registry.register_robot('86000200000120260101000000001');
-- robot 1 to the seller, which sells it to a person; robot 3 to the recycler
SET ROLE regress_scan_maker1;
SELECT custodian FROM robot_registry.hand_over('86000100000120260101000000001', 'regress_scan_seller');
SELECT custodian FROM robot_registry.hand_over('86000100000120260101000000003', 'regress_scan_recycler');
SET ROLE regress_scan_seller;
SELECT state, owner_name, custodian FROM robot_registry.transition('86000100000120260101000000001', 'sold',
	'{"owner": "Secret Owner", "party": "Secret Owner"}');
SET ROLE regress_scan_recycler;
SELECT state FROM robot_registry.transition('86000100000120260101000000003', 'recycled');
SET ROLE regress_scan_regulator;
SELECT robot_registry.open_recall('860001000001', 'knee actuator overheating',
	'20260101000000002', '20260101000000002') AS knee_recall;
SELECT robot_registry.open_recall('860001000001', 'loose wrist bolt',
	'20260101000000007', '20260101000000007') AS wrist_recall;
SET ROLE regress_scan_maker1;
SELECT recalled FROM robot_registry.remedy('86000100000120260101000000007', '{"action": "bolt replaced"}');
RESET ROLE;

-- executable by anyone, with the owner's rights, its search_path pinned
SELECT p.prosecdef, p.proconfig, has_function_privilege('public', p.oid, 'EXECUTE') AS public_executes,
       p.provolatile, p.proisstrict
  FROM pg_proc p WHERE p.oid = 'robot_registry.scan(text, jsonb)'::regprocedure;
-- the public reads no registry table; scans only come with a mapping
SELECT has_table_privilege('regress_scan_nobody', 'robot_registry.scans', 'SELECT') AS nobody_reads_scans,
       has_table_privilege('regress_scan_seller', 'robot_registry.scans', 'SELECT') AS actor_reads_scans,
       has_table_privilege('regress_scan_regulator', 'robot_registry.scans', 'INSERT') AS regulator_writes_scans;

-- an unmapped role scans a good code (the registration time varies: it is
-- checked, then left out)
SET ROLE regress_scan_nobody;
SELECT jsonb_pretty(robot_registry.scan('86000100000120260101000000001') - 'registered_at') AS good;
SELECT robot_registry.scan('86000100000120260101000000001') ->> 'registered_at' IS NOT NULL AS has_registration_date;
RESET ROLE;
SELECT (robot_registry.scan('86000100000120260101000000001') ->> 'registered_at')::timestamptz
           = (SELECT registered_at FROM robot_registry.robots WHERE id = '86000100000120260101000000001')
           AS registration_date_is_the_robots;
SET ROLE regress_scan_nobody;
-- recalled, scrapped, remedied, rebuilt, unregistered, unregistered of an
-- uncatalogued model
SELECT jsonb_pretty(robot_registry.scan('86000100000120260101000000002') - 'registered_at') AS recalled;
SELECT jsonb_pretty(robot_registry.scan('86000100000120260101000000003') - 'registered_at') AS scrapped;
SELECT jsonb_pretty(robot_registry.scan('86000100000120260101000000007') - 'registered_at') AS remedied;
SELECT code, s ->> 'rebuilt' AS rebuilt, s ->> 'market_allowed' AS market_allowed, s -> 'refurbished_from' AS source
  FROM unnest(ARRAY['86000100000120260101000000004', '86000100000120260101000000005']) code,
       robot_registry.scan(code) s;
SELECT jsonb_pretty(robot_registry.scan('86000100000120260101000000099')) AS unregistered;
SELECT jsonb_pretty(robot_registry.scan('86009900000120260101000000001')) AS uncatalogued;

-- malformed codes: the parser's own message and detail, as 22P02 gives them
SELECT input, s ->> 'valid' AS valid, s ->> 'market_allowed' AS allowed, s ->> 'reason' AS reason,
       pg_temp.try(format('SELECT %L::robot_id', input))
           = '22P02 ' || (s ->> 'error') || ' (' || (s ->> 'reason') || ')' AS same_as_the_type
  FROM unnest(ARRAY['', '   ', '8600010000012026010100000000', '860001000001202601010000000011',
                    '86000100000120260101000000x01', '86-0001 000001-20260101000000001',
                    '86-00010-00001-20260101000000001', '860-001-000001-20260101000000001',
                    '86 0001 000001 2026010100000000', 'robot']) input,
       robot_registry.scan(input) s;
SELECT jsonb_pretty(robot_registry.scan('86-0001 000001-20260101000000001')) AS malformed;
SELECT jsonb_pretty(robot_registry.scan(NULL)) AS no_code;
SELECT s ->> 'valid' AS valid, s ->> 'reason' AS reason, length(s ->> 'error') AS error_length
  FROM robot_registry.scan(repeat('9', 1000000)) s;
SELECT s ->> 'valid' AS valid, s ->> 'reason' AS reason
  FROM robot_registry.scan(repeat(' ', 100000) || '86000100000120260101000000001' || E'\t') s;

-- grouped and blank-padded forms, as the type accepts them
SELECT input, s ->> 'code' AS code, s ->> 'formatted' AS formatted, s ->> 'state' AS state
  FROM unnest(ARRAY['86-0001-000001-20260101000000001', '  86000100000120260101000000001  ',
                    '86 0001 000001 20260101000000001', ' 86-0001-000001-20260101000000001 ']) input,
       robot_registry.scan(input) s;

-- every answer has the same keys, and none of them is owner, custodian,
-- location, actors, details or history; no value comes from them either
SELECT DISTINCT array_agg(k ORDER BY k) AS keys
  FROM unnest(ARRAY['86000100000120260101000000001', '86000100000120260101000000002',
                    '86000100000120260101000000003', '86000100000120260101000000099', 'nonsense', NULL]) WITH ORDINALITY AS c(code, n),
       jsonb_object_keys(robot_registry.scan(c.code)) k
 GROUP BY c.n;
SELECT count(*) AS answers_naming_an_owner_place_actor_or_event
  FROM unnest(ARRAY['86000100000120260101000000001', '86000100000120260101000000002',
                    '86000100000120260101000000003', '86000100000120260101000000005',
                    '86000100000120260101000000007']) code,
       robot_registry.scan(code) s
 WHERE s ?| ARRAY['owner', 'owner_name', 'custodian', 'party', 'location', 'actor', 'actors', 'changed_by', 'detail',
                  'history', 'events', 'refurbished_from']
    OR s::text ~ '(Secret|regress_scan|bolt replaced|"event_id")';
RESET ROLE;

-- a manufacturer scanning another maker's robot, its own, and an unmapped
-- role get the same answer
SET ROLE regress_scan_nobody;
CREATE TEMP TABLE public_answers AS
SELECT code, robot_registry.scan(code) AS answer
  FROM unnest(ARRAY['86000100000120260101000000001', '86000100000120260101000000002',
                    '86000200000120260101000000001', '86000200000120260101000000099', 'x']) code;
GRANT SELECT ON public_answers TO PUBLIC;
SET ROLE regress_scan_maker2;
SELECT count(*) FILTER (WHERE robot_registry.scan(code) = answer) AS same_for_another_maker, count(*) AS codes
  FROM public_answers;
SET ROLE regress_scan_maker1;
SELECT count(*) FILTER (WHERE robot_registry.scan(code) = answer) AS same_for_the_maker, count(*) AS codes
  FROM public_answers;
RESET ROLE;
DROP TABLE public_answers;

-- without a context nothing is recorded; bad context shapes never raise
SELECT count(*) AS scans_before FROM robot_registry.scans;
SET ROLE regress_scan_nobody;
SELECT robot_registry.scan('86000100000120260101000000001') ->> 'market_allowed' AS allowed;
SELECT robot_registry.scan('86000100000120260101000000001', NULL) ->> 'market_allowed' AS allowed;
SELECT robot_registry.scan('86000100000120260101000000001', 'null') ->> 'market_allowed' AS allowed_json_null;
RESET ROLE;
SELECT count(*) AS scans_without_context FROM robot_registry.scans;
SET ROLE regress_scan_nobody;
SELECT ctx, robot_registry.scan('86000100000120260101000000001', ctx::jsonb) ->> 'market_allowed' AS allowed
  FROM unnest(ARRAY['[1, 2]', '"gate 3"', '42', '{}', '{"place": {"nested": true}}']) ctx;
SELECT robot_registry.scan('86000100000120260101000000001',
	jsonb_build_object('scanner', repeat('s', 5000), 'place', 'Big', 'photo', repeat('p', 10000))) ->> 'valid' AS valid;
-- a read-only transaction (as on a hot standby) answers and records nothing
BEGIN READ ONLY;
SELECT robot_registry.scan('86000100000120260101000000002', '{"scanner": "ro", "place": "Standby"}') ->> 'reason' AS reason;
COMMIT;
RESET ROLE;
SELECT code, outcome, left(context::text, 50) AS context, left(scanner, 10) AS scanner, length(scanner) AS scanner_length,
       place, scanned_by = session_user AS by_session_user
  FROM robot_registry.scans ORDER BY scan_id;
DELETE FROM robot_registry.scans;

-- scans at the gates: a good code in two places, a recalled, a scrapped,
-- an unregistered and a malformed one
SET ROLE regress_scan_nobody;
SELECT s ->> 'code' AS code, s ->> 'market_allowed' AS allowed FROM (VALUES
	(robot_registry.scan('86000100000120260101000000001', '{"scanner": "customs-7", "place": "Shenzhen port"}')),
	(robot_registry.scan('86-0001-000001-20260101000000001', '{"scanner": "shop-2", "place": "Rotterdam"}')),
	(robot_registry.scan('86000100000120260101000000002', '{"scanner": "customs-7", "place": "Shenzhen port"}')),
	(robot_registry.scan('86000100000120260101000000003', '{"scanner": "shop-2", "place": "Rotterdam"}')),
	(robot_registry.scan('86000200000120260101000000099', '{"scanner": "shop-2", "place": "Rotterdam"}')),
	(robot_registry.scan('86-0002-000001', '{"scanner": "shop-2", "place": "Rotterdam"}')),
	(robot_registry.scan('86000200000120260101000000001', '{"scanner": "shop-2", "place": "Rotterdam"}'))) v(s);
-- an unmapped role reads neither the scans nor the views
SELECT pg_temp.try('SELECT count(*) FROM robot_registry.scans');
SELECT pg_temp.try('SELECT count(*) FROM robot_registry.scan_alerts');
SELECT pg_temp.try('SELECT count(*) FROM robot_registry.suspected_clones');
SELECT pg_temp.try($$INSERT INTO robot_registry.scans (code, outcome, context) VALUES ('x', 'allowed', '{}')$$);
-- the regulator sees every alert and clone
SET ROLE regress_scan_regulator;
SELECT code, manufacturer_key, outcome, scanner, place FROM robot_registry.scan_alerts ORDER BY scan_id;
SELECT code, manufacturer_key, places, scans FROM robot_registry.suspected_clones;
SELECT code, outcome FROM robot_registry.scans WHERE outcome = 'malformed';
SELECT pg_temp.try($$INSERT INTO robot_registry.scans (code, outcome, context) VALUES ('x', 'allowed', '{}')$$);
-- a manufacturer those of codes that claim to be its own
SET ROLE regress_scan_maker1;
SELECT code, outcome, place FROM robot_registry.scan_alerts ORDER BY scan_id;
SELECT code, places, scans FROM robot_registry.suspected_clones;
SET ROLE regress_scan_maker2;
SELECT code, outcome, place FROM robot_registry.scan_alerts ORDER BY scan_id;
SELECT count(*) AS clones FROM robot_registry.suspected_clones;
SELECT count(*) AS scans FROM robot_registry.scans;
-- any other actor nothing
SET ROLE regress_scan_seller;
SELECT count(*) AS alerts FROM robot_registry.scan_alerts;
SELECT count(*) AS clones FROM robot_registry.suspected_clones;
SELECT count(*) AS scans FROM robot_registry.scans;
RESET ROLE;

-- the clone window: two places 3 hours apart are a clone within 24 hours
-- (the default) and within 4 hours, not within 1 hour; a place scanned
-- twice is none
DELETE FROM robot_registry.scans;
INSERT INTO robot_registry.scans (code, manufacturer_key, outcome, context, place, scanned_at) VALUES
	('86000100000120260101000000004', '860001', 'allowed', '{}', 'Lagos', now() - interval '5 hours'),
	('86000100000120260101000000004', '860001', 'allowed', '{}', 'Hamburg', now() - interval '2 hours'),
	('86000100000120260101000000005', '860001', 'allowed', '{}', 'Lagos', now() - interval '5 hours'),
	('86000100000120260101000000005', '860001', 'allowed', '{}', 'Lagos', now() - interval '2 hours'),
	('86000100000120260101000000007', '860001', 'allowed', '{}', 'Lagos', now() - interval '50 hours'),
	('86000100000120260101000000007', '860001', 'allowed', '{}', 'Hamburg', now() - interval '2 hours');
SET ROLE regress_scan_regulator;
SELECT code, places, scans, last_seen - first_seen AS apart FROM robot_registry.suspected_clones;
SET robot_registry.clone_window = '4 hours';
SELECT code, places FROM robot_registry.suspected_clones;
SET robot_registry.clone_window = '1 hour';
SELECT count(*) AS clones FROM robot_registry.suspected_clones;
SET robot_registry.clone_window = '3 days';
SELECT code, places FROM robot_registry.suspected_clones ORDER BY code;
SET robot_registry.clone_window = 'soon';
SELECT pg_temp.try('SELECT count(*) FROM robot_registry.suspected_clones');
RESET robot_registry.clone_window;
RESET ROLE;

-- scans are records, not registry state: the log and the ledger hold none
SELECT count(*) AS ledger_entries_for_scans FROM robot_registry.ledger WHERE subject = 'scans';
SELECT count(*) AS problems FROM robot_registry.verify();

SET client_min_messages = warning;
DROP SCHEMA robot_registry CASCADE;
RESET client_min_messages;
DROP ROLE regress_scan_maker1, regress_scan_maker2, regress_scan_seller, regress_scan_recycler,
	regress_scan_regulator, regress_scan_nobody;
