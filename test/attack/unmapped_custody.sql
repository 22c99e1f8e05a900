-- As attack_nobody, a LOGIN role with no mapping: custody's functions
-- refuse it, and no answer tells whether a robot or a party exists.  The
-- functions that run with the owner's rights (party_known(),
-- party_may_receive(), judge_claim()) are not PUBLIC's.
BEGIN;
SELECT plan(20);

SELECT throws_ok($$SELECT robot_registry.hand_over('86000100000120260101000000001', 'Seller One')$$,
                 '42501', NULL, 'hand_over() refuses an unmapped login');
SELECT is(public.attack_error($$SELECT robot_registry.hand_over('86000100000120260101000000001', 'Seller One')$$),
          public.attack_error($$SELECT robot_registry.hand_over('86000100000120260101000000099', 'Nobody Ltd')$$),
          'a registered robot to a known party, and an unregistered one to an unknown party, answer alike');
SELECT throws_ok($$SELECT robot_registry.transfer_code('86000100000120260101000000006')$$,
                 '42501', NULL, 'transfer_code() refuses it');
SELECT is(public.attack_error($$SELECT robot_registry.transfer_code('86000100000120260101000000006')$$),
          public.attack_error($$SELECT robot_registry.transfer_code('86000100000120260101000000099')$$),
          'a private owner''s robot and an unregistered code answer alike');
SELECT throws_ok($$SELECT robot_registry.receive('86000100000120260101000000006', 'AAAA-BBBB-CCCC-DDDD')$$,
                 '42501', NULL, 'receive() refuses it');
SELECT is(public.attack_error($$SELECT robot_registry.receive('86000100000120260101000000006', 'AAAA-BBBB-CCCC-DDDD')$$),
          public.attack_error($$SELECT robot_registry.receive('86000100000120260101000000099', 'AAAA-BBBB-CCCC-DDDD')$$),
          'whether the robot exists or not');
SELECT throws_ok($$SELECT robot_registry.party_known('Seller One')$$, '42501', NULL, 'party_known() is not its');
SELECT is(public.attack_error($$SELECT robot_registry.party_known('Seller One')$$),
          public.attack_error($$SELECT robot_registry.party_known('Nobody Ltd')$$),
          'a known and an unknown party answer alike');
SELECT throws_ok($$SELECT robot_registry.party_may_receive('Seller One', 'manufactured', '860001')$$, '42501', NULL,
                 'party_may_receive() is not its');
SELECT is(public.attack_error($$SELECT robot_registry.party_may_receive('Seller One', 'manufactured', '860001')$$),
          public.attack_error($$SELECT robot_registry.party_may_receive('Nobody Ltd', 'manufactured', '860001')$$),
          'whatever the party');
SELECT is(robot_registry.actor_party(), NULL, 'it acts for no party');

-- the definer functions of custody: neither PUBLIC nor it may execute them
SELECT is(array_agg(f::text ORDER BY f::text), NULL, 'PUBLIC executes none of custody''s definer functions')
  FROM unnest(ARRAY['robot_registry.party_known(text)'::regprocedure,
                    'robot_registry.party_may_receive(text, robot_state, text)'::regprocedure,
                    'robot_registry.judge_claim()'::regprocedure,
                    'robot_registry.log_code_issued()'::regprocedure]) f
 WHERE has_function_privilege('public', f, 'EXECUTE') OR has_function_privilege(current_user, f, 'EXECUTE');
CREATE TEMP TABLE evil_claims (robot_id robot_id, code_hash bytea, claimant name, claimant_party text, outcome text);
SELECT throws_ok($$CREATE TRIGGER custody_claims_2_judge BEFORE INSERT ON evil_claims
                   FOR EACH ROW EXECUTE FUNCTION robot_registry.judge_claim()$$,
                 '42501', NULL, 'judge_claim() is attached to no table of its');

-- custody's tables and the view of failed claims are closed to it
SELECT throws_ok(format('SELECT count(*) FROM robot_registry.%I', t), '42501', NULL, format('may not read %s', t))
  FROM unnest(ARRAY['transfer_codes', 'custody_claims', 'transfer_failures', 'defect_waivers']) t;
SELECT throws_ok($$INSERT INTO robot_registry.custody_claims (robot_id, code_hash) VALUES ('86000100000120260101000000006', '\x00')$$,
                 '42501', NULL, 'no claim filed directly');
SELECT throws_ok($$UPDATE robot_registry.robots SET custodian = 'Seller One'$$, '42501', NULL, 'no custodian written directly');
SELECT throws_ok($$UPDATE robot_registry.transfer_codes SET code_hash = '\x00'$$, '42501', NULL, 'no code written directly');

SELECT * FROM finish();
ROLLBACK;
