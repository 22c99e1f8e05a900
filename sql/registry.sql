-- The reference registry: installation, catalogue, application functions,
-- recalls, the hash-chained log, views, and every actor kind with real roles.

\i sql/include/try.sql

-- installed on request, once, as ordinary objects
SELECT count(*) AS registry_tables_before FROM pg_tables WHERE schemaname = 'robot_registry';
SELECT robot_registry_install();
SELECT pg_temp.try('SELECT robot_registry_install()');
-- each registry file runs in its own EXECUTE: an error names its file,
-- and does not echo the registry
SELECT pg_temp.try('SELECT robot_registry_run_file(''40_robots.sql'')');
SELECT robot_registry.version();
SELECT has_function_privilege('public', 'robot_registry_install()', 'EXECUTE') AS public_may_install;
SELECT count(*) AS member_objects FROM pg_depend d JOIN pg_class c ON c.oid = d.objid
 WHERE d.deptype = 'e' AND c.relnamespace = 'robot_registry'::regnamespace;
SELECT tablename, rowsecurity FROM pg_tables WHERE schemaname = 'robot_registry' ORDER BY 1;
-- the extension cannot be dropped from under the registry
SELECT split_part(pg_temp.try('DROP EXTENSION robotid'), ' (', 1);

-- every SECURITY DEFINER function pins search_path
SELECT p.proname, p.prosecdef, p.proconfig
  FROM pg_proc p WHERE p.pronamespace = 'robot_registry'::regnamespace AND p.prosecdef ORDER BY 1;
SELECT count(*) AS definer_without_search_path FROM pg_proc p
 WHERE p.pronamespace = 'robot_registry'::regnamespace AND p.prosecdef
   AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%');

-- the catalogue
INSERT INTO robot_registry.manufacturers VALUES ('860001', 'Tiangong Robotics'), ('860002', 'Huake Dynamics');
INSERT INTO robot_registry.models (model_key, name) VALUES
	('860001000001', 'Walker A1'), ('860001000002', 'Helper B1'), ('860002000001', 'Porter A1');

-- actors: existing roles mapped by the DBA
CREATE ROLE regress_robotid_maker1;
CREATE ROLE regress_robotid_maker2;
CREATE ROLE regress_robotid_seller;
CREATE ROLE regress_robotid_operator;
CREATE ROLE regress_robotid_service;
CREATE ROLE regress_robotid_recycler;
CREATE ROLE regress_robotid_regulator;
CREATE ROLE regress_robotid_nobody;
INSERT INTO robot_registry.actors VALUES
	('regress_robotid_maker1', 'manufacturer', '860001'),
	('regress_robotid_maker2', 'manufacturer', '860002'),
	('regress_robotid_seller', 'seller', NULL),
	('regress_robotid_service', 'service_provider', NULL),
	('regress_robotid_recycler', 'recycler', NULL),
	('regress_robotid_regulator', 'regulator', NULL);
-- a login acts for a party (the organisation), its role's name unless named
INSERT INTO robot_registry.actors VALUES ('regress_robotid_operator', 'operator', NULL, 'Acme Logistics');
SELECT role_name, kind, party FROM robot_registry.actors ORDER BY role_name;
SELECT pg_temp.try($$INSERT INTO robot_registry.actors VALUES ('regress_robotid_nobody', 'manufacturer', NULL)$$);

-- a manufacturer registers its own codes, and only for catalogued models
SET ROLE regress_robotid_maker1;
SELECT id, state, recalled, model_key FROM robot_registry.register_robot('86000100000120260101000000001');
SELECT id FROM robot_registry.register_robot('86000100000120260101000000002', location => 'Beijing plant');
SELECT id FROM robot_registry.register_robot('86000100000220260101000000001');
SELECT pg_temp.try($$SELECT robot_registry.register_robot('86000200000120260101000000001')$$);
SELECT pg_temp.try($$SELECT robot_registry.register_robot('86000100000920260101000000001')$$);
SELECT pg_temp.try($$INSERT INTO robot_registry.robots (id, state) VALUES ('86000100000120260101000000003', 'sold')$$);
SELECT pg_temp.try($$INSERT INTO robot_registry.robots (id, recalled) VALUES ('86000100000120260101000000003', true)$$);
RESET ROLE;
SET ROLE regress_robotid_maker2;
SELECT id FROM robot_registry.register_robot('86000200000120260101000000001');
SELECT id FROM robot_registry.register_robot('86000200000120260101000000002');
-- and sees only its own
SELECT id FROM robot_registry.robots ORDER BY id;
SELECT count(*) AS others_events FROM robot_registry.events WHERE robot_id ^@ '860001';
RESET ROLE;

-- the catalogue is checked once per statement, in place of a foreign key:
-- one uncatalogued model among catalogued ones refuses the whole statement
SELECT pg_temp.try($$INSERT INTO robot_registry.robots (id) VALUES
	('86000200000120260101000000009'), ('86000200000920260101000000001')$$);
SELECT count(*) AS porters FROM robot_registry.robots WHERE model_key = '860002000001';
-- a model with robots stays: its gate refers to it and is never deleted
SELECT pg_temp.try($$DELETE FROM robot_registry.models WHERE model_key = '860002000001'$$);
SELECT pg_temp.try($$UPDATE robot_registry.models SET model_key = '860002000009' WHERE model_key = '860002000001'$$);
SELECT pg_temp.try($$DELETE FROM robot_registry.model_gates WHERE model_key = '860002000001'$$);
SELECT pg_temp.try($$TRUNCATE robot_registry.model_gates$$);
SELECT count(*) AS robots_without_gate FROM robot_registry.robots r
 WHERE NOT EXISTS (SELECT 1 FROM robot_registry.model_gates g WHERE g.model_key = r.model_key);

-- an unmapped role sees and writes nothing
SET ROLE regress_robotid_nobody;
SELECT pg_temp.try('SELECT count(*) FROM robot_registry.robots');
SELECT pg_temp.try('SELECT count(*) FROM robot_registry.events');
SELECT pg_temp.try('SELECT count(*) FROM robot_registry.ledger');
SELECT pg_temp.try($$SELECT robot_registry.register_robot('86000100000120260101000000009')$$);
SELECT pg_temp.try($$SELECT robot_registry.transition('86000100000120260101000000001', 'sold')$$);
SELECT pg_temp.try($$SELECT robot_registry.open_recall('860001000001', 'nothing')$$);
SELECT pg_temp.try($$SELECT robot_registry.passport('86000100000120260101000000001')$$);
RESET ROLE;
-- the privileges come with the mapping, and go with it
SELECT has_table_privilege('regress_robotid_nobody', 'robot_registry.robots', 'SELECT') AS nobody_reads,
       has_table_privilege('regress_robotid_seller', 'robot_registry.robots', 'SELECT') AS seller_reads,
       has_column_privilege('regress_robotid_seller', 'robot_registry.robots', 'recalled', 'UPDATE') AS seller_flags;
INSERT INTO robot_registry.actors VALUES ('regress_robotid_nobody', 'seller', NULL);
SELECT has_table_privilege('regress_robotid_nobody', 'robot_registry.robots', 'SELECT') AS mapped_reads;
DELETE FROM robot_registry.actors WHERE role_name = 'regress_robotid_nobody';
SELECT has_table_privilege('regress_robotid_nobody', 'robot_registry.robots', 'SELECT') AS unmapped_reads;

-- a robot is held by its registrar's party; the makers hand stock to the
-- seller, whose party alone may sell it
SET ROLE regress_robotid_maker1;
SELECT id, state, custodian FROM robot_registry.hand_over('86000100000120260101000000001', 'regress_robotid_seller');
SELECT id, state, custodian FROM robot_registry.hand_over('86000100000120260101000000002', 'regress_robotid_seller');
RESET ROLE;
SET ROLE regress_robotid_maker2;
SELECT id, state, custodian FROM robot_registry.hand_over('86000200000120260101000000001', 'regress_robotid_seller');
RESET ROLE;

-- a seller sells; a sale is a market event, and hands the robot to the
-- buying party
SET ROLE regress_robotid_seller;
-- what a seller may not do even to stock it holds
SELECT pg_temp.try($$SELECT robot_registry.transition('86000100000120260101000000001', 'deployed')$$);
SELECT pg_temp.try($$SELECT robot_registry.relocate('86000100000120260101000000001', 'Shop window')$$);
SELECT pg_temp.try($$INSERT INTO robot_registry.market_events (robot_id, kind) VALUES ('86000100000120260101000000001', 'deployment')$$);
SELECT id, state, owner_name, custodian FROM robot_registry.transition('86000100000120260101000000001', 'sold',
	'{"owner": "Acme Logistics", "party": "Acme Logistics"}');
SELECT id, state, custodian FROM robot_registry.transition('86000100000120260101000000002', 'sold', '{"party": "Acme Logistics"}');
SELECT id, state, custodian FROM robot_registry.transition('86000200000120260101000000001', 'sold', '{"party": "Acme Logistics"}');
-- a sold robot has left the seller's hands
SELECT pg_temp.try($$SELECT robot_registry.transition('86000100000120260101000000001', 'deployed')$$);
SELECT pg_temp.try($$SELECT robot_registry.transition('86000100000120260101000000001', 'manufactured')$$);
SELECT pg_temp.try($$SELECT robot_registry.transition('86000100000120260101000000099', 'sold')$$);
-- no direct writes to what belongs to the registry
SELECT pg_temp.try($$UPDATE robot_registry.robots SET recalled = false$$);
SELECT pg_temp.try($$UPDATE robot_registry.robots SET changed_by = 'someone'$$);
SELECT pg_temp.try($$INSERT INTO robot_registry.events (robot_id, kind, actor, hash) VALUES ('86000100000120260101000000001', 'moved', 'x', '\x00')$$);
SELECT pg_temp.try($$INSERT INTO robot_registry.market_events (robot_id, kind) VALUES ('86000100000120260101000000099', 'sale')$$);
RESET ROLE;

-- an operator deploys and sends to maintenance
SET ROLE regress_robotid_operator;
SELECT id, state, location FROM robot_registry.transition('86000100000120260101000000001', 'deployed', '{"location": "Shenzhen warehouse"}');
SELECT id, state FROM robot_registry.transition('86000100000120260101000000002', 'deployed');
SELECT id, state FROM robot_registry.transition('86000200000120260101000000001', 'deployed');
SELECT id, state FROM robot_registry.transition('86000100000120260101000000001', 'maintenance');
SELECT pg_temp.try($$SELECT robot_registry.transition('86000100000120260101000000002', 'recycled')$$);
-- the operator's party hands one robot to the service provider for
-- maintenance, one to the recycler
SELECT id, state, custodian FROM robot_registry.hand_over('86000100000120260101000000002', 'regress_robotid_service');
SELECT id, state, custodian FROM robot_registry.hand_over('86000200000120260101000000001', 'regress_robotid_recycler');
RESET ROLE;

-- a service provider only moves between deployed and maintenance
SET ROLE regress_robotid_service;
SELECT id, state FROM robot_registry.transition('86000100000120260101000000002', 'maintenance');
SELECT pg_temp.try($$SELECT robot_registry.transition('86000100000120260101000000002', 'sold')$$);
SELECT pg_temp.try($$SELECT robot_registry.transition('86000100000120260101000000002', 'retired')$$);
RESET ROLE;

-- a recycler only recycles and retires
SET ROLE regress_robotid_maker2;
SELECT id, state, custodian FROM robot_registry.hand_over('86000200000120260101000000002', 'regress_robotid_recycler');
RESET ROLE;
SET ROLE regress_robotid_recycler;
SELECT id, state FROM robot_registry.transition('86000200000120260101000000001', 'recycled');
SELECT pg_temp.try($$SELECT robot_registry.transition('86000200000120260101000000002', 'sold')$$);
RESET ROLE;

-- recalls: a manufacturer recalls its own models only
SET ROLE regress_robotid_maker1;
SELECT robot_registry.open_recall('860001000001', 'knee actuator overheating') AS recall_1 \gset
SELECT recall_id, model_key, reason, opened_by FROM robot_registry.recalls WHERE recall_id = :recall_1;
SELECT pg_temp.try($$SELECT robot_registry.open_recall('860002000001', 'not mine')$$);
SELECT id, recalled FROM robot_registry.robots ORDER BY id;
-- a robot registered while the recall is open is held from the start
SELECT id, recalled FROM robot_registry.register_robot('86000100000120260101000000003');
-- a recalled robot may change hands, but not be sold
SELECT id, recalled, custodian FROM robot_registry.hand_over('86000100000120260101000000003', 'regress_robotid_seller');
RESET ROLE;
SET ROLE regress_robotid_seller;
SELECT pg_temp.try($$SELECT robot_registry.transition('86000100000120260101000000003', 'sold')$$);
RESET ROLE;
SET ROLE regress_robotid_operator;
SELECT pg_temp.try($$SELECT robot_registry.transition('86000100000120260101000000001', 'deployed')$$);
RESET ROLE;
-- a regulator recalls any model, by serial range too
SET ROLE regress_robotid_regulator;
SELECT robot_registry.open_recall('860002000001', 'battery swelling', '20260101000000002', '20260101000000009') AS recall_2 \gset
SELECT count(*) AS regulator_sees FROM robot_registry.robots;
-- a regulator holds no robot, and moves none
SELECT pg_temp.try($$SELECT robot_registry.transition('86000100000120260101000000001', 'deployed')$$);
RESET ROLE;
SET ROLE regress_robotid_seller;
SELECT pg_temp.try($$SELECT robot_registry.open_recall('860001000002', 'seller')$$);
RESET ROLE;
SELECT model_key, affected, remedied, outstanding FROM robot_registry.open_recalls ORDER BY 1;

-- remedy: only in maintenance (service provider) or at the factory
-- (manufacturer), by the party that holds the robot
SET ROLE regress_robotid_operator;
SELECT pg_temp.try($$SELECT robot_registry.remedy('86000100000120260101000000001')$$);
SELECT id, state, custodian FROM robot_registry.hand_over('86000100000120260101000000001', 'regress_robotid_service');
RESET ROLE;
SET ROLE regress_robotid_service;
SELECT id, state, recalled FROM robot_registry.remedy('86000100000120260101000000001', '{"action": "actuator replaced"}');
SELECT pg_temp.try($$SELECT robot_registry.remedy('86000100000120260101000000001')$$);
SELECT id, state, custodian FROM robot_registry.hand_over('86000100000120260101000000001', 'Acme Logistics');
RESET ROLE;
SET ROLE regress_robotid_operator;
SELECT id, state FROM robot_registry.transition('86000100000120260101000000001', 'deployed');
RESET ROLE;
-- a manufacturer takes its own robot back, and remedies it at the factory
SET ROLE regress_robotid_seller;
SELECT id, state, custodian FROM robot_registry.hand_over('86000100000120260101000000003', 'regress_robotid_maker1');
RESET ROLE;
SET ROLE regress_robotid_maker1;
SELECT id, recalled FROM robot_registry.remedy('86000100000120260101000000003');
SELECT pg_temp.try($$SELECT robot_registry.remedy('86000100000220260101000000001')$$);
RESET ROLE;
SELECT model_key, affected, remedied, outstanding FROM robot_registry.open_recalls ORDER BY 1;

-- closing a recall releases the robots no other open recall holds
SET ROLE regress_robotid_seller;
SELECT pg_temp.try(format('SELECT robot_registry.close_recall(%s)', :recall_1));
RESET ROLE;
SET ROLE regress_robotid_regulator;
SELECT closed_by FROM robot_registry.close_recall(:recall_1);
SELECT pg_temp.try(format('SELECT robot_registry.close_recall(%s)', :recall_1));
RESET ROLE;
SELECT id, state, recalled, custodian FROM robot_registry.robots ORDER BY id;

-- the log: every change, in order, by whom
SELECT robot_id, kind, from_state, to_state, actor, detail - 'recall_id' AS detail
  FROM robot_registry.events ORDER BY robot_id, event_id;
SELECT robot_id, kind, party, recorded_by FROM robot_registry.market_events ORDER BY market_event_id;

-- the passport
SELECT p - 'registered_at' - 'history' - 'recall' AS passport, p #> '{recall,recalled}' AS recalled,
       jsonb_array_length(p #> '{recall,open_recalls}') AS open_recalls, jsonb_array_length(p -> 'history') AS events
  FROM robot_registry.passport('86000100000120260101000000001') p;
SELECT h.kind, h."from", h."to", h.actor, h.detail - 'recall_id' AS detail
  FROM jsonb_to_recordset(robot_registry.passport('86000100000120260101000000001') -> 'history')
       AS h(event_id bigint, kind text, "from" text, "to" text, actor text, detail jsonb)
 ORDER BY h.event_id;
SELECT robot_registry.passport('86000100000120260101000000077') IS NULL AS unknown_code;

-- analyst views
SELECT * FROM robot_registry.fleet_by_manufacturer ORDER BY manufacturer_key, state;
SELECT * FROM robot_registry.fleet_by_model ORDER BY model_key, state;
SELECT count(*) AS rule_breaks FROM robot_registry.rule_breaks;
SELECT state, completed_stays FROM robot_registry.time_in_state ORDER BY state;
SET ROLE regress_robotid_maker2;
SELECT manufacturer_key, state, robots FROM robot_registry.fleet_by_manufacturer ORDER BY 1, 2;
RESET ROLE;

-- index-driven reads
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM robot_registry.robots WHERE id = '86000100000120260101000000001';
EXPLAIN (COSTS OFF) SELECT * FROM robot_registry.events WHERE robot_id = '86000100000120260101000000001' ORDER BY event_id;
EXPLAIN (COSTS OFF) SELECT * FROM robot_registry.fleet_by_model WHERE model_key IN ('860001000001', '860001000002');
RESET enable_seqscan;

-- edits: the location by those who handle the robot, logged; no silent
-- owner change; a non-move is refused
SET ROLE regress_robotid_operator;
SELECT id, state, location FROM robot_registry.relocate('86000100000120260101000000001', 'Guangzhou depot');
SELECT pg_temp.try($$SELECT robot_registry.transition('86000100000120260101000000001', 'deployed')$$);
SELECT pg_temp.try($$UPDATE robot_registry.robots SET owner_name = 'me' WHERE id = '86000100000120260101000000001'$$);
RESET ROLE;
-- nor does anyone but the robot's holder
SET ROLE regress_robotid_regulator;
SELECT pg_temp.try($$SELECT robot_registry.relocate('86000100000120260101000000001', 'Regulator HQ')$$);
RESET ROLE;
SELECT kind, from_state, to_state, actor, detail FROM robot_registry.events
 WHERE robot_id = '86000100000120260101000000001' ORDER BY event_id DESC LIMIT 1;

-- the ledger: catalogue, actor map, recalls and remedies, by whom
SELECT subject, op, actor, count(*) FROM robot_registry.ledger GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

-- a checkpoint verifies, and stops verifying once history is rewritten
SELECT upto_event_id = (SELECT max(event_id) FROM robot_registry.events) AS covers_the_newest_event,
       length(root) AS root_hex_digits
  FROM robot_registry.checkpoint() \gset cp_
SELECT upto_event_id AS cp_upto, root AS cp_root FROM robot_registry.checkpoints \gset
SELECT :'cp_covers_the_newest_event' AS covers_the_newest_event, :'cp_root_hex_digits' AS root_hex_digits,
       robot_registry.verify_checkpoint(:cp_upto, :'cp_root') AS verifies;
SELECT robot_registry.verify_checkpoint(:cp_upto, repeat('0', 64)) AS another_root_verifies;
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE robot_registry.events SET detail = '{"owner": "Forged"}'
 WHERE event_id = (SELECT max(event_id) FROM robot_registry.events WHERE robot_id = '86000100000120260101000000002');
UPDATE robot_registry.events e SET hash = robot_registry.event_hash(e)
 WHERE event_id = (SELECT max(event_id) FROM robot_registry.events WHERE robot_id = '86000100000120260101000000002');
SELECT count(*) AS verify_problems, robot_registry.verify_checkpoint(:cp_upto, :'cp_root') AS verifies_after_rewrite
  FROM robot_registry.verify();
ROLLBACK;
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT pg_temp.try('SELECT robot_registry.checkpoint()');
ROLLBACK;

-- the log is append-only, even for the owner
SELECT pg_temp.try($$UPDATE robot_registry.events SET detail = '{}'$$);
SELECT pg_temp.try($$DELETE FROM robot_registry.events$$);
SELECT pg_temp.try($$TRUNCATE robot_registry.events$$);
SELECT pg_temp.try($$DELETE FROM robot_registry.robots$$);
SELECT pg_temp.try($$DELETE FROM robot_registry.market_events$$);
SELECT pg_temp.try($$TRUNCATE robot_registry.market_events$$);
SELECT pg_temp.try($$TRUNCATE robot_registry.ledger$$);
SELECT pg_temp.try($$UPDATE robot_registry.ledger SET actor = 'x'$$);

-- tamper evidence: intact, then altered, then with an event removed
SELECT * FROM robot_registry.verify();
SELECT * FROM robot_registry.verify('86000100000120260101000000001');
ALTER TABLE robot_registry.events DISABLE TRIGGER events_append_only;
UPDATE robot_registry.events SET detail = '{"action": "nothing happened"}'
 WHERE robot_id = '86000100000120260101000000001' AND detail ? 'action';
SELECT robot_id, problem FROM robot_registry.verify('86000100000120260101000000001');
-- an event from the middle of a history
DELETE FROM robot_registry.events WHERE event_id = (
	SELECT event_id FROM robot_registry.events WHERE robot_id = '86000200000120260101000000001'
	 ORDER BY event_id OFFSET 1 LIMIT 1);
-- the newest event, a recall: the history now ends unrecalled
DELETE FROM robot_registry.events WHERE event_id = (
	SELECT max(event_id) FROM robot_registry.events WHERE robot_id = '86000200000120260101000000002');
-- a whole history
DELETE FROM robot_registry.events WHERE robot_id = '86000100000220260101000000001';
ALTER TABLE robot_registry.events ENABLE TRIGGER events_append_only;
SELECT robot_id, problem FROM robot_registry.verify() ORDER BY robot_id;

-- the generator is added on demand; it refuses actors and nonsense
SELECT to_regprocedure('robot_registry.generate_demo(integer, integer, integer, double precision, integer)') IS NULL
	AS no_generator_in_a_registry;
SELECT robot_registry_install_demo();
SET ROLE regress_robotid_regulator;
SELECT pg_temp.try($$CALL robot_registry.generate_demo(10)$$);
RESET ROLE;
SELECT pg_temp.try($$CALL robot_registry.generate_demo(0)$$);

SET client_min_messages = warning;
DROP SCHEMA robot_registry CASCADE;
RESET client_min_messages;
DROP ROLE regress_robotid_maker1, regress_robotid_maker2, regress_robotid_seller, regress_robotid_operator,
	regress_robotid_service, regress_robotid_recycler, regress_robotid_regulator, regress_robotid_nobody;
