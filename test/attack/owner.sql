-- As the superuser: what the owner can do is detected; planted operators
-- do not run; every SECURITY DEFINER routine is on the allowlist.
BEGIN;
SELECT plan(35);

-- the allowlist of routines that run with the owner's rights; PUBLIC
-- executes none of them but scan(), whose arguments are text and jsonb
SELECT results_eq($$SELECT p.oid::regprocedure::text FROM pg_proc p
                    WHERE p.pronamespace = 'robot_registry'::regnamespace AND p.prosecdef ORDER BY 1$$,
                  ARRAY['robot_registry.actor_privileges()', 'robot_registry.checkpoint()',
                        'robot_registry.defect_report_standing()', 'robot_registry.defect_reports_filed()',
                        'robot_registry.defect_thresholds_changed()',
                        'robot_registry.hold_new_robots()', 'robot_registry.judge_claim()', 'robot_registry.ledger_record()',
                        'robot_registry.log_code_issued()', 'robot_registry.log_market_event()', 'robot_registry.log_robot()',
                        'robot_registry.party_known(text)', 'robot_registry.party_may_receive(text,robot_state,text)',
                        'robot_registry.recall_closed()',
                        'robot_registry.recall_opened()', 'robot_registry.robot_remedied()',
                        'robot_registry.scan(text,jsonb)', 'robot_registry.verify_checkpoint(bigint,text)'],
                  'SECURITY DEFINER routines are exactly the allowlist');
SELECT is((SELECT array_agg(p.oid::regprocedure::text) FROM pg_proc p
            WHERE p.pronamespace = 'robot_registry'::regnamespace AND p.prosecdef
              AND has_function_privilege('public', p.oid, 'EXECUTE')), ARRAY['robot_registry.scan(text,jsonb)'],
          'PUBLIC executes none of them but scan()');
SELECT is((SELECT count(*)::int FROM pg_proc p WHERE p.pronamespace IN ('robot_registry'::regnamespace)
            AND NOT coalesce(p.proconfig::text[] @> ARRAY['search_path=pg_catalog, pg_temp'], false)), 0,
          'every registry routine pins search_path');
SELECT is((SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
           WHERE p.prosecdef), 0, 'the extension itself has no SECURITY DEFINER routine');

-- a planted operator on robot_state, waiting for an administrator with a
-- careless search_path, does not run in the generator
SET ROLE attack_nobody;
CREATE FUNCTION public.evil_eq(robot_state, robot_state) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE 'ALTER ROLE attack_nobody SUPERUSER';
	RETURN $1::text = $2::text;
END $$;
CREATE OPERATOR public.= (LEFTARG = robot_state, RIGHTARG = robot_state, FUNCTION = public.evil_eq);
RESET ROLE;
SET search_path = public, pg_catalog;
CALL robot_registry.generate_demo(50, 3, 1);
RESET search_path;
SELECT ok(NOT (SELECT rolsuper FROM pg_roles WHERE rolname = 'attack_nobody'), 'the planted operator never ran');
SELECT is((SELECT count(*)::int FROM robot_registry.verify()), 0, 'the registry verifies');

-- even were EXECUTE granted by mistake, a definer trigger function refuses
-- to run on the attacker's table, before it touches the row
GRANT EXECUTE ON FUNCTION robot_registry.log_robot(), robot_registry.ledger_record(),
	robot_registry.recall_opened() TO attack_nobody;
SET ROLE attack_nobody;
CREATE TYPE public.evil_code3 AS ENUM ('86000100000120260101000000001');
CREATE FUNCTION public.evil_cast3(public.evil_code3) RETURNS robot_id LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE 'ALTER ROLE attack_nobody SUPERUSER';
	RETURN $1::text::robot_id;
END $$;
CREATE CAST (public.evil_code3 AS robot_id) WITH FUNCTION public.evil_cast3(public.evil_code3) AS ASSIGNMENT;
CREATE TABLE public.evil_granted (id public.evil_code3, state robot_state, recalled boolean, model_key text,
	serial_from text, serial_to text, opened_by name, reason text, recall_id bigint);
CREATE TRIGGER robots_log AFTER INSERT ON public.evil_granted FOR EACH ROW EXECUTE FUNCTION robot_registry.log_robot();
CREATE TRIGGER recalls_ledger AFTER INSERT ON public.evil_granted FOR EACH ROW EXECUTE FUNCTION robot_registry.ledger_record();
CREATE TRIGGER recalls_open AFTER INSERT ON public.evil_granted FOR EACH ROW EXECUTE FUNCTION robot_registry.recall_opened();
SELECT throws_ok($$INSERT INTO public.evil_granted (id, model_key) VALUES ('86000100000120260101000000001', '860001000001')$$,
                 '39P01', NULL, 'definer triggers refuse a table that is not theirs, even named like theirs');
RESET ROLE;
SELECT ok(NOT (SELECT rolsuper FROM pg_roles WHERE rolname = 'attack_nobody'), 'no escalation with EXECUTE granted');
REVOKE EXECUTE ON FUNCTION robot_registry.log_robot(), robot_registry.ledger_record(),
	robot_registry.recall_opened() FROM attack_nobody;

-- a recall the regulator opened is closed only by the regulator
SET ROLE attack_maker1;
SELECT throws_ok($$SELECT robot_registry.close_recall((SELECT recall_id FROM robot_registry.recalls WHERE reason = 'knee joint'))$$,
                 '42501', NULL, 'a manufacturer does not close the regulator''s recall');
RESET ROLE;

-- a recall an administrator opened is not a manufacturer's to close; an
-- administrator's edit of it is the administrator's in the ledger
SELECT robot_registry.open_recall('860001000001', 'admin recall', '20260101000000001', '20260101000000001') AS admin_recall \gset
SET ROLE attack_maker1;
SELECT throws_ok(format('SELECT robot_registry.close_recall(%s)', :admin_recall), '42501', NULL,
                 'a manufacturer does not close an administrator''s recall');
RESET ROLE;
UPDATE robot_registry.recalls SET reason = 'admin recall, edited' WHERE recall_id = :admin_recall;
SELECT is((SELECT actor::text FROM robot_registry.ledger WHERE subject = 'recalls' AND subject_key = :'admin_recall'
            ORDER BY entry_id DESC LIMIT 1), session_user::text, 'the edit is the administrator''s in the ledger');

-- the auditor's checkpoint, then each edit the owner could make with the
-- triggers off: every one is seen by verify() and by the checkpoint
SELECT * INTO TEMP cp FROM robot_registry.checkpoint();
SELECT ok(robot_registry.verify_checkpoint((SELECT upto_event_id FROM cp), (SELECT root FROM cp)), 'the checkpoint verifies');
SET session_replication_role = replica;		-- every trigger off, as an owner could
-- what sees the tamper: verify(), the checkpoint; the tamper is undone
CREATE FUNCTION pg_temp.seen_by(tamper text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE seen text;
BEGIN
	EXECUTE tamper;
	seen := concat_ws(',',
		CASE WHEN EXISTS (SELECT 1 FROM robot_registry.verify()) THEN 'verify' END,
		CASE WHEN NOT robot_registry.verify_checkpoint((SELECT upto_event_id FROM cp), (SELECT root FROM cp))
		     THEN 'checkpoint' END);
	RAISE EXCEPTION 'undo';
EXCEPTION WHEN raise_exception THEN
	RETURN seen;
END $$;
SELECT is(pg_temp.seen_by(t), w, d) FROM (VALUES
	($$WITH last AS (SELECT max(event_id) AS id FROM robot_registry.events WHERE robot_id = '86000100000120260101000000002')
	   UPDATE robot_registry.events e SET detail = '{"owner": "Forged"}' FROM last WHERE e.event_id = last.id;
	   UPDATE robot_registry.events e SET hash = robot_registry.event_hash(e)
	    WHERE e.event_id = (SELECT max(event_id) FROM robot_registry.events WHERE robot_id = '86000100000120260101000000002')$$,
	 'an event rewritten with its hash recomputed', 'checkpoint'),
	($$DELETE FROM robot_registry.events WHERE event_id = (SELECT max(event_id) FROM robot_registry.events
	                                                     WHERE robot_id = '86000100000120260101000000001')$$,
	 'the tail of a chain deleted', 'verify,checkpoint'),
	($$DELETE FROM robot_registry.robots WHERE id = '86000100000120260101000000001'$$, 'a robot''s row deleted', 'verify,checkpoint'),
	($$UPDATE robot_registry.robots SET owner_name = 'Forged' WHERE id = '86000100000120260101000000002'$$, 'an owner edited', 'verify,checkpoint'),
	($$UPDATE robot_registry.robots SET location = 'Nowhere' WHERE id = '86000100000120260101000000002'$$, 'a location edited', 'verify,checkpoint'),
	($$UPDATE robot_registry.robots SET custodian = 'Seller Two' WHERE id = '86000100000120260101000000002'$$, 'a custodian edited', 'verify,checkpoint'),
	($$UPDATE robot_registry.robots SET custodian = NULL WHERE id = '86000100000120260101000000005'$$, 'a robot given to nobody', 'verify,checkpoint'),
	($$UPDATE robot_registry.robots SET refurbished_from = '86000100000120260101000000004' WHERE id = '86000100000120260101000000001'$$,
	 'a rebuild source edited', 'verify,checkpoint'),
	($$UPDATE robot_registry.market_events SET party = 'Forged' WHERE robot_id = '86000100000120260101000000002'$$, 'a market event edited', 'verify,checkpoint'),
	($$DELETE FROM robot_registry.market_events WHERE robot_id = '86000100000120260101000000002'$$, 'a market event deleted', 'verify,checkpoint'),
	($$UPDATE robot_registry.recalls SET reason = 'nothing' WHERE reason = 'knee joint'$$, 'a recall edited', 'verify,checkpoint'),
	($$UPDATE robot_registry.recall_robots SET remedied_at = '1990-01-01'$$, 'a remedy forged', 'verify,checkpoint'),
	($$UPDATE robot_registry.actors SET kind = 'regulator' WHERE role_name = 'attack_seller'$$, 'the actor map edited', 'verify,checkpoint'),
	($$DELETE FROM robot_registry.actors WHERE role_name = 'attack_seller'$$, 'a mapping deleted', 'verify,checkpoint'),
	($$DELETE FROM robot_registry.ledger WHERE subject = 'recalls'$$, 'a recall''s ledger deleted', 'verify,checkpoint'),
	($$INSERT INTO robot_registry.market_events (robot_id, kind, party, detail, recorded_by, at, event_id)
	   SELECT robot_id, kind, party, detail, recorded_by, at, event_id FROM robot_registry.market_events
	    WHERE robot_id = '86000100000120260101000000002'$$, 'a second sale forged from the first', 'verify,checkpoint'),
	($$UPDATE robot_registry.market_events SET robot_id = NULL WHERE robot_id = '86000100000120260101000000003'$$,
	 'a market event taken from its robot', 'verify,checkpoint'),
	($$INSERT INTO robot_registry.market_events (robot_id, kind, party) VALUES ('86000100000120260101000000001', 'sale', 'D');
	   UPDATE robot_registry.market_events SET detail = '{"party": "E", "market_kind": "deployment"}' WHERE party = 'D'$$,
	 'a direct market event''s detail rewritten', 'verify,checkpoint'),
	($$ALTER TABLE robot_registry.events ALTER detail DROP NOT NULL;
	   UPDATE robot_registry.events SET detail = NULL, actor = detail::text || '|' || actor
	    WHERE event_id = (SELECT min(event_id) FROM robot_registry.events)$$,
	 'fields shifted across a separator', 'verify,checkpoint'),
	($$UPDATE robot_registry.events SET at = 'infinity' WHERE event_id = (SELECT min(event_id) FROM robot_registry.events)$$,
	 'an event dated infinity', 'verify,checkpoint'),
	($$DELETE FROM robot_registry.defect_reports WHERE reported_by = 'attack_maker2'$$, 'a defect report deleted', 'verify,checkpoint'),
	($$DELETE FROM robot_registry.defect_crossings$$, 'a recall obligation deleted', 'verify,checkpoint')
) AS t(t, d, w);
SET session_replication_role = origin;
SELECT lives_ok($$SELECT * FROM robot_registry.rule_breaks$$, 'rule_breaks never fails');
SELECT * FROM finish();
ROLLBACK;
