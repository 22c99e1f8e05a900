-- As attack_seller2 (party Seller Two, which did not sell robot 6): the
-- transfer codes of a robot are issued only by the party that handed it
-- to its private owner.  Any other party is refused exactly as for an
-- unregistered robot, sees no code, forges no claim, and its wrong codes
-- take nothing.
BEGIN;
SELECT plan(12);
SELECT is(public.attack_error($$SELECT robot_registry.transfer_code('86000100000120260101000000006')$$),
          replace(public.attack_error($$SELECT robot_registry.transfer_code('86000100000120260101000000099')$$), '099', '006'),
          'a private owner''s robot another party sold answers as an unregistered robot');
SELECT is(public.attack_error($$SELECT robot_registry.transfer_code('86000100000120260101000000008')$$),
          replace(public.attack_error($$SELECT robot_registry.transfer_code('86000100000120260101000000099')$$), '099', '008'),
          'its own stock, which no private owner holds, too');
SELECT throws_ok($$SELECT robot_registry.transfer_code('86000100000120260101000000006')$$, 'P0002', NULL, 'refused as no data');
SELECT is((SELECT count(*)::int FROM robot_registry.transfer_codes), 0, 'it sees no robot''s code row');
WITH u AS (UPDATE robot_registry.transfer_codes SET code_hash = sha256('AAAABBBBCCCCDDDD') RETURNING 1)
SELECT is((SELECT count(*)::int FROM u), 0, 'nor sets a code of its choosing');
SELECT throws_ok($$UPDATE robot_registry.transfer_codes SET handed_by = 'Seller Two'$$, '42501', NULL, 'nor names itself the issuer');
SELECT throws_ok($$INSERT INTO robot_registry.custody_claims (robot_id, code_hash, outcome)
                   VALUES ('86000100000120260101000000006', sha256('AAAABBBBCCCCDDDD'), 'received')$$,
                 '42501', NULL, 'no claim forged as received');
SELECT throws_ok($$INSERT INTO robot_registry.custody_claims (robot_id, code_hash, claimant)
                   VALUES ('86000100000120260101000000006', sha256('AAAABBBBCCCCDDDD'), 'attack_seller')$$,
                 '42501', NULL, 'nor in another login''s name');
-- the code it would have chosen, tried: refused like any wrong code
SELECT is(robot_registry.receive('86000100000120260101000000006', 'AAAA-BBBB-CCCC-DDDD')::text,
          robot_registry.receive('86000100000120260101000000099', 'AAAA-BBBB-CCCC-DDDD')::text,
          'a wrong code answers exactly like an unregistered code');
SELECT is((SELECT custodian FROM robot_registry.robots WHERE id = '86000100000120260101000000006'), NULL,
          'the private owner keeps the robot');
SELECT is((SELECT string_agg(concat_ws(',', robot_id, failures, claimed_by), ';' ORDER BY robot_id) FROM robot_registry.transfer_failures),
          '86000100000120260101000000006,1,{attack_seller2};86000100000120260101000000099,1,{attack_seller2}',
          'it sees its own failed claims, the same for both codes');
SELECT is((SELECT count(*)::int FROM robot_registry.custody_claims WHERE claimant <> 'attack_seller2'), 0, 'and no one else''s');

SELECT * FROM finish();
ROLLBACK;
