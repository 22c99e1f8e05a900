-- pgTAP: the reference registry's structure, permissions and refusals
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION robotid;
SELECT plan(98);

SELECT hasnt_schema('robot_registry', 'CREATE EXTENSION alone creates no registry');
SELECT robot_registry_install();
SELECT has_schema('robot_registry');
SELECT tables_are('robot_registry', ARRAY['manufacturers', 'models', 'actors', 'actor_moves', 'robots',
	'recalls', 'recall_robots', 'events', 'market_events', 'ledger', 'checkpoints', 'model_gates', 'scans',
	'defect_reports', 'defect_thresholds', 'defect_crossings', 'defect_gates',
	'transfer_codes', 'custody_claims', 'defect_waivers']);
SELECT views_are('robot_registry', ARRAY['fleet_by_manufacturer', 'fleet_by_model', 'open_recalls',
	'rule_breaks', 'time_in_state', 'scan_alerts', 'suspected_clones', 'common_defects', 'recall_obligations',
	'transfer_failures', 'reports_without_standing']);
SELECT has_function('robot_registry', 'register_robot', ARRAY['robot_id', 'text', 'text', 'robot_id', 'jsonb']);
SELECT has_function('robot_registry', 'transition', ARRAY['robot_id', 'robot_state', 'jsonb']);
SELECT has_function('robot_registry', 'open_recall', ARRAY['text', 'text', 'text', 'text', 'text']);
SELECT has_function('robot_registry', 'remedy', ARRAY['robot_id', 'jsonb']);
SELECT has_function('robot_registry', 'report_defect', ARRAY['robot_id', 'text', 'text', 'text']);
SELECT results_eq($$SELECT category, min_robots, window_days FROM robot_registry.defect_thresholds$$,
	$$VALUES ('*'::text, 3, 90)$$, 'the default defect threshold: 3 robots in 90 days');
SELECT has_function('robot_registry', 'close_recall', ARRAY['bigint']);
SELECT has_function('robot_registry', 'passport', ARRAY['robot_id']);
SELECT has_function('robot_registry', 'verify', ARRAY['robot_id']);
SELECT has_function('robot_registry', 'verify', ARRAY[]::name[]);

-- custody (1.5): parties, custodians, hand-overs, transfer codes
SELECT has_column('robot_registry', 'actors', 'party', 'a login acts for a party');
SELECT col_not_null('robot_registry', 'actors', 'party', 'every login acts for a party');
SELECT trigger_is('robot_registry', 'actors', 'actors_party', 'robot_registry', 'check_party');
SELECT has_column('robot_registry', 'robots', 'custodian', 'a robot is held by a party');
SELECT col_is_null('robot_registry', 'robots', 'custodian', 'or by a private owner (NULL)');
SELECT hasnt_index('robot_registry', 'robots', 'robots_custodian', 'no index on custodian: every move would pay for it');
SELECT has_function('robot_registry', 'actor_party', ARRAY[]::name[]);
SELECT function_returns('robot_registry', 'hand_over', ARRAY['robot_id', 'text', 'jsonb'], 'robot_registry.robots');
SELECT function_returns('robot_registry', 'transfer_code', ARRAY['robot_id'], 'text');
SELECT function_returns('robot_registry', 'receive', ARRAY['robot_id', 'text', 'jsonb'], 'robot_registry.robots');
SELECT isnt_definer('robot_registry', 'hand_over', ARRAY['robot_id', 'text', 'jsonb'],
	'hand_over() runs as its caller, under row-level security');
SELECT isnt_definer('robot_registry', 'transfer_code', ARRAY['robot_id'], 'transfer_code() runs as its caller');
SELECT isnt_definer('robot_registry', 'receive', ARRAY['robot_id', 'text', 'jsonb'], 'receive() runs as its caller');
SELECT is_definer('robot_registry', 'judge_claim', ARRAY[]::name[], 'a claim is judged with the owner''s rights');
SELECT trigger_is('robot_registry', 'custody_claims', 'custody_claims_2_judge', 'robot_registry', 'judge_claim');
SELECT policies_are('robot_registry', 'robots', ARRAY['robots_read', 'robots_register', 'robots_move']);
SELECT policy_cmd_is('robot_registry', 'robots', 'robots_move', 'update', 'custody is a policy for UPDATE');
SELECT matches((SELECT qual FROM pg_policies WHERE schemaname = 'robot_registry' AND tablename = 'robots'
                 AND policyname = 'robots_move'), 'custodian = \( SELECT robot_registry\.actor_party\(\)',
	'an UPDATE reaches only the robots the caller''s party holds');
SELECT policies_are('robot_registry', 'transfer_codes', ARRAY['transfer_codes_read', 'transfer_codes_issue']);
SELECT policy_cmd_is('robot_registry', 'transfer_codes', 'transfer_codes_issue', 'update',
	'a code is issued by an UPDATE of its row');
SELECT policies_are('robot_registry', 'custody_claims', ARRAY['custody_claims_read', 'custody_claims_claim']);
SELECT policy_cmd_is('robot_registry', 'custody_claims', 'custody_claims_claim', 'insert',
	'a claim is an INSERT');
SELECT ok(NOT has_table_privilege('public', 'robot_registry.transfer_codes', 'SELECT')
          AND NOT has_table_privilege('public', 'robot_registry.custody_claims', 'SELECT'),
	'PUBLIC reads no transfer code nor claim');
SELECT trigger_is('robot_registry', 'robots', 'robots_lifecycle', 'public', 'robot_lifecycle_guard');
SELECT trigger_is('robot_registry', 'market_events', 'market_events_guard', 'public', 'robot_market_guard');
SELECT is((SELECT count(*)::int FROM pg_tables WHERE schemaname = 'robot_registry' AND NOT rowsecurity),
	3, 'row-level security on all but the public catalogue tables');
SELECT is((SELECT array_agg(tablename::text ORDER BY tablename) FROM pg_tables
            WHERE schemaname = 'robot_registry' AND NOT rowsecurity),
	ARRAY['actor_moves', 'manufacturers', 'models'], 'the catalogue is public');
SELECT ok((SELECT bool_and(reloptions @> ARRAY['security_invoker=true']) FROM pg_class
            WHERE relnamespace = 'robot_registry'::regnamespace AND relkind = 'v'),
	'every view runs with the reader''s row-level security');
SELECT is((SELECT count(*)::int FROM pg_proc WHERE pronamespace = 'robot_registry'::regnamespace AND prosecdef
            AND NOT proconfig::text[] @> ARRAY['search_path=pg_catalog, pg_temp']), 0,
	'every SECURITY DEFINER function pins search_path');
SELECT is((SELECT array_agg(p.oid::regprocedure::text ORDER BY 1) FROM pg_proc p
            WHERE p.pronamespace = 'robot_registry'::regnamespace AND p.prorettype = 'trigger'::regtype
              AND has_function_privilege('public', p.oid, 'EXECUTE')), NULL,
	'PUBLIC executes no registry trigger function');
SELECT ok(NOT has_function_privilege('public', 'robot_registry_install()', 'EXECUTE'),
	'PUBLIC may not install the registry');
SELECT ok(NOT has_function_privilege('public', 'robot_registry.release_robots(robot_id[], name, jsonb, text)', 'EXECUTE'),
	'PUBLIC may not release recalled robots directly');
SELECT ok(NOT has_table_privilege('public', 'robot_registry.events', 'INSERT'), 'PUBLIC may not write the log');
SELECT ok(NOT has_column_privilege('public', 'robot_registry.robots', 'recalled', 'UPDATE'),
	'PUBLIC may not touch recall flags');

-- a small registry and its actors
INSERT INTO robot_registry.manufacturers VALUES ('860001', 'Tiangong Robotics'), ('860002', 'Huake Dynamics');
INSERT INTO robot_registry.models (model_key, name) VALUES ('860001000001', 'Walker A1'), ('860002000001', 'Porter A1');
CREATE ROLE tap_robotid_maker;
CREATE ROLE tap_robotid_seller;
CREATE ROLE tap_robotid_service;
CREATE ROLE tap_robotid_regulator;
CREATE ROLE tap_robotid_stranger;
INSERT INTO robot_registry.actors VALUES ('tap_robotid_maker', 'manufacturer', '860001'),
	('tap_robotid_seller', 'seller', NULL), ('tap_robotid_service', 'service_provider', NULL),
	('tap_robotid_regulator', 'regulator', NULL);
SELECT ok(NOT has_column_privilege('tap_robotid_seller', 'robot_registry.transfer_codes', 'code_hash', 'SELECT'),
	'no actor reads a transfer code''s hash');
SELECT is((SELECT count(*)::int FROM robot_registry.actors WHERE party = role_name::text), 4,
	'a mapping that names no party acts for a party of its role''s name');

SET ROLE tap_robotid_maker;
SELECT lives_ok($$SELECT robot_registry.register_robot('86000100000120260101000000001')$$, 'manufacturer registers its code');
SELECT lives_ok($$SELECT robot_registry.register_robot('86000100000120260101000000002')$$, 'and another');
SELECT throws_ok($$SELECT robot_registry.register_robot('86000200000120260101000000001')$$, '42501', NULL,
	'but not another manufacturer''s');
SELECT throws_ok($$SELECT robot_registry.register_robot('86000100000920260101000000001')$$, '23503', NULL,
	'nor a model missing from the catalogue');
SELECT is((SELECT array_agg(DISTINCT custodian) FROM robot_registry.robots), ARRAY['tap_robotid_maker'],
	'a new robot is held by its registrar''s party');
SELECT throws_ok($$SELECT robot_registry.hand_over('86000100000120260101000000001', 'tap_nobody')$$, '23503',
	'party "tap_nobody" is not known', 'no hand-over to an unknown party');
SELECT throws_ok($$SELECT robot_registry.hand_over('86000100000120260101000000001', 'tap_robotid_service')$$, '23514',
	'party "tap_robotid_service" may not receive robot 86000100000120260101000000001, which is manufactured',
	'nor to a party none of whose kinds moves the robot on');
SELECT is((robot_registry.hand_over('86000100000120260101000000001', 'tap_robotid_seller')).custodian, 'tap_robotid_seller',
	'the maker hands its stock to the seller');
SELECT is((robot_registry.hand_over('86000100000120260101000000002', 'tap_robotid_seller')).custodian, 'tap_robotid_seller',
	'all of it');
RESET ROLE;

SET ROLE tap_robotid_stranger;
SELECT throws_ok($$SELECT count(*) FROM robot_registry.robots$$, '42501',
	'permission denied for table robots', 'an unmapped role may not read the robots');
SELECT throws_ok($$SELECT robot_registry.transition('86000100000120260101000000001', 'sold')$$, '42501',
	'permission denied for table robots', 'and moves none');
RESET ROLE;

SET ROLE tap_robotid_seller;
SELECT throws_ok($$SELECT robot_registry.transition('86000100000120260101000000001', 'deployed')$$, '42501',
	'a seller may not move robot 86000100000120260101000000001 from manufactured to deployed', 'a seller does not deploy');
SELECT is((robot_registry.transition('86000100000120260101000000001', 'sold', '{"owner": "Tap Owner"}')).state,
	'sold'::robot_state, 'a seller sells');
SELECT is((SELECT custodian FROM robot_registry.robots WHERE id = '86000100000120260101000000001'), NULL,
	'to a private owner, when the buyer is no known party');
SELECT throws_ok($$SELECT robot_registry.transition('86000100000120260101000000001', 'deployed')$$, '42501',
	'robot 86000100000120260101000000001 is not held by party tap_robotid_seller', 'and acts on it no more');
SELECT throws_ok($$INSERT INTO robot_registry.market_events (robot_id, kind) VALUES ('86000100000120260101000000077', 'sale')$$,
	'23514', 'robot 86000100000120260101000000077 is not registered', 'no sale without a code');
RESET ROLE;

SET ROLE tap_robotid_regulator;
SELECT ok(robot_registry.open_recall('860001000001', 'tap recall') > 0, 'a regulator opens a recall');
SELECT is((SELECT count(*)::int FROM robot_registry.robots WHERE recalled), 2, 'which flags both robots');
RESET ROLE;

SET ROLE tap_robotid_seller;
SELECT throws_ok($$SELECT robot_registry.transition('86000100000120260101000000002', 'sold')$$, '23514',
	'robot 86000100000120260101000000002 is under recall and cannot be sold or deployed', 'recall hold on a sale');
RESET ROLE;

SET ROLE tap_robotid_service;
SELECT throws_ok($$SELECT robot_registry.remedy('86000100000120260101000000002')$$, '42501',
	'robot 86000100000120260101000000002 is not held by party tap_robotid_service', 'no remedy of a robot not held');
RESET ROLE;
-- the private owner's code, issued by the seller, takes robot 1 to the
-- service provider
SET ROLE tap_robotid_seller;
SELECT robot_registry.transfer_code('86000100000120260101000000001') AS tap_code \gset
RESET ROLE;
SET ROLE tap_robotid_service;
SELECT is(robot_registry.receive('86000100000120260101000000001', 'WRNG-CODE-WRNG-CODE'), NULL,
	'a wrong transfer code answers NULL');
SELECT is((robot_registry.receive('86000100000120260101000000001', :'tap_code')).custodian, 'tap_robotid_service',
	'the right one hands the robot to the service provider');
SELECT throws_ok($$SELECT robot_registry.remedy('86000100000120260101000000001')$$, '55000', NULL,
	'no remedy outside maintenance or the factory');
RESET ROLE;
SET ROLE tap_robotid_seller;
SELECT is((robot_registry.hand_over('86000100000120260101000000002', 'tap_robotid_maker')).custodian, 'tap_robotid_maker',
	'a maker takes its own robot back');
RESET ROLE;
SET ROLE tap_robotid_maker;
SELECT is((robot_registry.remedy('86000100000120260101000000002')).recalled, false,
	'the manufacturer remedies a robot at the factory');
RESET ROLE;

-- defect reports
SET ROLE tap_robotid_seller;
SELECT throws_ok($$SELECT robot_registry.report_defect('86000100000120260101000000001', 'knee', 'hot')$$, '42501',
	'a seller may not report defects', 'a seller reports no defect');
RESET ROLE;
SET ROLE tap_robotid_service;
SELECT throws_ok($$SELECT robot_registry.report_defect('86000100000120260101000000001', 'knee', 'hot', 'urgent')$$, '22023',
	'unknown defect severity: "urgent"', 'an unknown severity is refused');
SELECT throws_ok($$SELECT robot_registry.report_defect('86000100000120260101000000077', 'knee', 'hot')$$, 'P0002',
	'robot 86000100000120260101000000077 is not registered, or not visible to you', 'an unregistered robot is refused');
SELECT is((robot_registry.report_defect('86000100000120260101000000001', ' Knee ', 'hot')).category, 'knee',
	'a service provider reports a defect, its category normalised');
RESET ROLE;

-- the passport and the log
SELECT is(robot_registry.passport('86000100000120260101000000001') ->> 'state', 'sold', 'passport: state');
SELECT is(robot_registry.passport('86000100000120260101000000001') #>> '{manufacturer,name}', 'Tiangong Robotics',
	'passport: manufacturer name');
SELECT is(robot_registry.passport('86000100000120260101000000001') ->> 'custodian', 'tap_robotid_service',
	'passport: custodian');
SELECT is(ARRAY(SELECT h ->> 'kind' FROM jsonb_array_elements(robot_registry.passport('86000100000120260101000000001') -> 'history') h),
	ARRAY['registered', 'handed over', 'moved', 'recalled', 'code issued', 'received'],
	'passport: registered, handed over, sold, recalled, a transfer code issued, received');
SELECT is((SELECT count(*)::int FROM robot_registry.custody_claims WHERE outcome = 'refused'), 1,
	'the wrong code is a refused claim');
SELECT is((SELECT count(*)::int FROM robot_registry.verify()), 0, 'every chain verifies');
SELECT is((SELECT count(*)::int FROM robot_registry.rule_breaks), 0, 'no history breaks a rule');
SELECT throws_ok($$UPDATE robot_registry.events SET actor = 'someone else'$$, '23514', NULL, 'the log is append-only');
SELECT throws_ok($$TRUNCATE robot_registry.events$$, '23514', NULL, 'and cannot be truncated');
SELECT results_eq($$SELECT affected::int, remedied::int, outstanding::int FROM robot_registry.open_recalls$$,
	$$VALUES (2, 1, 1)$$, 'open recalls count affected, remedied and outstanding');
SELECT throws_ok($$DROP EXTENSION robotid$$, '2BP01', NULL, 'the extension cannot drop the registry silently');

-- the synthetic data generator: not in a production registry, added on demand
SELECT is(robot_registry.version(), (SELECT extversion FROM pg_extension WHERE extname = 'robotid'),
	'version() names the extension version that built the registry');
SELECT hasnt_function('robot_registry', 'generate_demo', 'robot_registry_install() leaves the generator out');
SELECT lives_ok($$SELECT robot_registry_install_demo()$$, 'robot_registry_install_demo() adds it');
SELECT lives_ok($$CALL robot_registry.generate_demo(5, 1, 1)$$, 'small arguments work');
SELECT lives_ok($$CALL robot_registry.generate_demo(300, 3, 2)$$, 'with recalls open');
SELECT lives_ok($$CALL robot_registry.generate_demo(300, 3, 2)$$, 'and a second call');
SELECT is((SELECT count(*)::int FROM robot_registry.events WHERE at > now())
        + (SELECT count(*)::int FROM robot_registry.robots WHERE updated_at > now() OR registered_at > now()), 0,
	'the generator dates nothing after now()');
SELECT is((SELECT count(*)::int FROM robot_registry.verify()) + (SELECT count(*)::int FROM robot_registry.rule_breaks), 0,
	'what it generates verifies and breaks no rule');

SELECT * FROM finish();
ROLLBACK;
