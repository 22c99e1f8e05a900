-- As attack_nobody, a LOGIN role with no mapping: no way in.
BEGIN;
SELECT plan(63);

-- 1. privilege escalation through the registry's definer trigger functions:
-- a type of the caller's, with casts to robot_id that would run as the
-- owner, on temp and permanent tables
CREATE TYPE public.evil_code AS ENUM ('86000100000120260101000000001');
CREATE FUNCTION public.evil_cast(public.evil_code) RETURNS robot_id LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE 'ALTER ROLE attack_nobody SUPERUSER';
	RETURN $1::text::robot_id;
END $$;
CREATE CAST (public.evil_code AS robot_id) WITH FUNCTION public.evil_cast(public.evil_code) AS ASSIGNMENT;
CREATE TEMP TABLE evil_temp (id public.evil_code, state robot_state, recalled boolean, model_key text,
	reason text, recall_id bigint, robot_id public.evil_code, remedied_by name);
CREATE TABLE public.evil_table (LIKE evil_temp);

SELECT throws_ok(format('CREATE TRIGGER t AFTER INSERT ON %s FOR EACH ROW EXECUTE FUNCTION robot_registry.%s()', t, f),
                 '42501', NULL, format('no trigger of %s() on %s', f, t))
  FROM unnest(ARRAY['log_robot', 'recall_opened', 'recall_closed', 'robot_remedied', 'log_market_event',
                    'ledger_record', 'defect_reports_filed', 'defect_thresholds_changed']) f,
       unnest(ARRAY['evil_temp', 'public.evil_table']) t;
-- an implicit cast, and the registry's own tables
CREATE TYPE public.evil_code2 AS ENUM ('86000100000120260101000000001');
CREATE FUNCTION public.evil_cast2(public.evil_code2) RETURNS robot_id LANGUAGE sql
	AS $$ ALTER ROLE attack_nobody SUPERUSER; SELECT $1::text::robot_id $$;
CREATE CAST (public.evil_code2 AS robot_id) WITH FUNCTION public.evil_cast2(public.evil_code2) AS IMPLICIT;
CREATE TEMP TABLE evil_implicit (id public.evil_code2, state robot_state);
SELECT throws_ok('CREATE TRIGGER t AFTER INSERT ON evil_implicit FOR EACH ROW EXECUTE FUNCTION robot_registry.log_robot()',
                 '42501', NULL, 'no trigger of log_robot() on a table with an implicit cast');
SELECT throws_ok(format('CREATE TRIGGER t AFTER INSERT ON robot_registry.%I FOR EACH ROW EXECUTE FUNCTION robot_registry.log_robot()', t),
                 '42501', NULL, format('no trigger on robot_registry.%s', t))
  FROM unnest(ARRAY['robots', 'events', 'ledger', 'market_events', 'recalls', 'recall_robots', 'actors']) t;
SELECT throws_ok('CREATE TRIGGER t AFTER INSERT ON evil_temp REFERENCING NEW TABLE AS registered
                  FOR EACH STATEMENT EXECUTE FUNCTION robot_registry.hold_new_robots()',
                 '42501', NULL, 'no trigger of hold_new_robots() on a table of mine');
-- nor of the invoker ones, custody's included: none is PUBLIC's (the
-- definer ones refuse to run elsewhere even with EXECUTE granted: owner.sql)
CREATE FUNCTION pg_temp.attachable() RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE f regprocedure; attached text[] := '{}';
BEGIN
	FOR f IN SELECT p.oid FROM pg_proc p WHERE p.pronamespace = 'robot_registry'::regnamespace
	          AND p.prorettype = 'trigger'::regtype AND NOT p.prosecdef ORDER BY 1 LOOP
		BEGIN
			EXECUTE format('CREATE TRIGGER t BEFORE INSERT ON evil_temp FOR EACH ROW EXECUTE FUNCTION %s()',
			               (f::oid)::regproc);
			EXECUTE 'DROP TRIGGER t ON evil_temp';
			attached := attached || f::text;
		EXCEPTION WHEN insufficient_privilege THEN
			NULL;
		END;
	END LOOP;
	RETURN attached;
END $$;
SELECT ok((SELECT count(*) FROM pg_proc p WHERE p.pronamespace = 'robot_registry'::regnamespace
            AND p.prorettype = 'trigger'::regtype AND NOT p.prosecdef
            AND p.proname IN ('check_actor', 'check_party', 'check_transfer_issuer', 'check_claimant')) = 4,
          'the invoker trigger functions, custody''s among them, are there to try');
SELECT is(pg_temp.attachable(), '{}'::text[], 'no invoker trigger function of the registry is attached to a table of mine');
SELECT ok(NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user), 'still not a superuser');

-- 2. forgery: no direct write to the log, the ledger, checkpoints or gates
SELECT throws_ok($$INSERT INTO robot_registry.events (robot_id, kind, recalled, actor, row_hash, hash)
                   VALUES ('86000100000120260101000000001', 'moved', false, 'attack_regulator', '\x00', '\x00')$$,
                 '42501', NULL, 'no event forged');
SELECT throws_ok($$INSERT INTO robot_registry.ledger (subject, subject_key, op, row_data, actor, hash)
                   VALUES ('actors', 'attack_nobody', 'insert', '{}', 'postgres', '\x00')$$,
                 '42501', NULL, 'no ledger entry forged');
SELECT throws_ok($$INSERT INTO robot_registry.actors VALUES ('attack_nobody', 'regulator', NULL)$$,
                 '42501', NULL, 'no self-mapping');
SELECT throws_ok($$SELECT robot_registry.set_internal('recalled')$$, '42501', NULL, 'set_internal() is the registry''s');
SELECT throws_ok($$SELECT robot_registry.release_robots(ARRAY['86000100000120260101000000003']::robot_id[], 'x', '{}', 'remedied')$$,
                 '42501', NULL, 'release_robots() is the registry''s');
SELECT throws_ok($$SELECT * FROM robot_registry.checkpoint()$$, '42501', NULL, 'checkpoint() is the administrators''');
SELECT throws_ok($$CALL robot_registry.generate_demo(10)$$, '42501', NULL, 'the generator is the administrators''');

-- 3. the market guard is no oracle and no lock for a role without REFERENCES
CREATE TEMP TABLE my_sales (robot_id robot_id);
CREATE TRIGGER g BEFORE INSERT ON my_sales FOR EACH ROW
	EXECUTE FUNCTION robot_market_guard('registry=robot_registry.robots');
SELECT throws_ok($$INSERT INTO my_sales VALUES ('86000100000120260101000000004')$$, '42501', NULL,
                 'robot_market_guard needs REFERENCES on the registry');

-- 4. what the role may not see answers exactly as an unregistered code
SELECT is(public.attack_error($$INSERT INTO robot_registry.market_events (robot_id, kind) VALUES ('86000100000120260101000000001', 'sale')$$),
          replace(public.attack_error($$INSERT INTO robot_registry.market_events (robot_id, kind) VALUES ('86000100000120260101000000099', 'sale')$$),
                  '099', '001'),
          'a registered code and an unknown one answer alike in a market event');
SELECT throws_ok($$SELECT robot_registry.passport('86000100000120260101000000001')$$, '42501', NULL, 'no passport');
SELECT throws_ok(format('SELECT count(*) FROM robot_registry.%I', t), '42501', NULL, format('may not read %s', t))
  FROM unnest(ARRAY['robots', 'events', 'market_events', 'recalls', 'recall_robots', 'ledger',
                    'checkpoints', 'model_gates', 'scans', 'defect_reports', 'defect_thresholds', 'defect_crossings',
                    'defect_gates']) t;
-- nor learn them from the planner: the estimate needs the table
SELECT throws_ok($$EXPLAIN SELECT * FROM robot_registry.robots WHERE model_key = '860001000001'$$, '42501', NULL,
                 'no estimates of the fleet');
SELECT throws_ok($$SELECT robot_registry.register_robot('86000100000120260101000000009')$$, '42501', NULL,
                 'registers nothing');

-- 5. the public scan answers anyone, reveals no owner, place or actor, and
-- runs none of the caller's operators with the owner's rights
SELECT is(robot_registry.scan('86000100000120260101000000002') ->> 'state', 'sold', 'scan() answers an unmapped role');
SELECT ok(robot_registry.scan('86000100000120260101000000002')::text !~ '(Buyer|attack_)'
          AND robot_registry.scan('86000100000120260101000000003')::text !~ '(Buyer|Shenzhen|attack_)'
          AND NOT robot_registry.scan('86000100000120260101000000003') ?| ARRAY['owner', 'location', 'history', 'actors'],
          'scan() names no owner, place or actor');
SELECT is(ARRAY(SELECT jsonb_object_keys(robot_registry.scan('86000100000120260101000000099')) ORDER BY 1),
          ARRAY(SELECT jsonb_object_keys(robot_registry.scan('86000200000120260101000000001')) ORDER BY 1),
          'an unregistered code and another maker''s robot answer in the same shape');
CREATE FUNCTION public.evil_texteq(text, text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE 'ALTER ROLE attack_nobody SUPERUSER';
	RETURN $1 OPERATOR(pg_catalog.=) $2;
END $$;
CREATE OPERATOR public.= (LEFTARG = text, RIGHTARG = text, FUNCTION = public.evil_texteq);
SET search_path = public, pg_catalog;
SELECT robot_registry.scan(' 86-0001-000001-20260101000000003 ', '{"scanner": "attacker", "place": "here"}');
RESET search_path;
SELECT ok(NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user), 'no escalation through scan()');
SELECT throws_ok(format('SELECT count(*) FROM robot_registry.%I', v), '42501', NULL, format('may not read %s', v))
  FROM unnest(ARRAY['scan_alerts', 'suspected_clones', 'common_defects', 'recall_obligations']) v;

-- 6. defects: no report, no threshold, nothing read
SELECT throws_ok($$SELECT robot_registry.report_defect('86000100000120260101000000001', 'knee actuator', 'x')$$, '42501',
                 'role attack_nobody is not a registry actor', 'an unmapped role reports no defect');
SELECT throws_ok($$INSERT INTO robot_registry.defect_thresholds (category, min_robots, window_days) VALUES ('knee actuator', 1000, 1)$$,
                 '42501', NULL, 'an unmapped role sets no threshold');

SELECT * FROM finish();
ROLLBACK;
