-- As attack_seller (party Seller One, which sold robot 6 to a private
-- owner, Buyer F): transfer codes.  A private owner's robot comes back
-- into a party's hands only with the code the party that handed it over
-- issued.  A wrong code, a used one, a void one, a robot no private owner
-- holds and an unregistered code all answer alike: NULL, no error; wrong
-- codes are counted, and after five the code is void.
BEGIN;
SELECT plan(22);
SELECT robot_registry.transfer_code('86000100000120260101000000006') AS code1 \gset
SELECT matches(:'code1'::text, '^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$', 'the party that sold robot 6 issues its transfer code');
SELECT is((SELECT concat_ws(',', handed_by, issued_by, issued_at = now()) FROM robot_registry.transfer_codes
            WHERE robot_id = '86000100000120260101000000006'),
          'Seller One,attack_seller,t', 'the issue is stamped');
SELECT throws_ok($$SELECT code_hash FROM robot_registry.transfer_codes$$, '42501', NULL, 'not even its issuer reads the code''s hash');

-- a wrong code answers as an unregistered code, and as a robot a party holds
SELECT is(public.attack_error($$SELECT robot_registry.receive('86000100000120260101000000006', 'AAAA-BBBB-CCCC-DDDD')$$),
          public.attack_error($$SELECT robot_registry.receive('86000100000120260101000000099', 'AAAA-BBBB-CCCC-DDDD')$$),
          'a wrong code and an unregistered robot: no error either way');
SELECT is(robot_registry.receive('86000100000120260101000000006', 'AAAA-BBBB-CCCC-DDDD')::text,
          robot_registry.receive('86000100000120260101000000099', 'AAAA-BBBB-CCCC-DDDD')::text,
          'a wrong code answers exactly like an unregistered code');
SELECT is(robot_registry.receive('86000100000120260101000000001', :'code1')::text,
          robot_registry.receive('86000100000120260101000000099', :'code1')::text,
          'a robot a party holds answers like an unregistered code too, even with a real code');
SELECT is((SELECT concat_ws(',', r.custodian IS NULL, f.failures, f.claimed_by::text) FROM robot_registry.robots r
             JOIN robot_registry.transfer_failures f ON f.robot_id = r.id WHERE r.id = '86000100000120260101000000006'),
          't,2,{attack_seller}', 'the private owner keeps it; each wrong code is a refused claim');
SELECT is((SELECT string_agg(outcome, ',' ORDER BY claim_id) FROM robot_registry.custody_claims), 'refused,refused,refused,refused,refused,refused',
          'every claim is kept, refused');
SELECT is((SELECT count(*)::int FROM robot_registry.custody_claims WHERE code_hash IS NOT NULL), 0, 'without the code tried');

-- wrong codes void nothing (anyone could otherwise void every owner's
-- code at once): five are counted, and the owner keeps the robot
SELECT is(robot_registry.receive('86000100000120260101000000006', 'AAAA-BBBB-CCCC-DDD' || g)::text, NULL, 'wrong code ' || g + 2)
  FROM generate_series(1, 3) g;
SELECT is((SELECT failures::int FROM robot_registry.transfer_failures WHERE robot_id = '86000100000120260101000000006'), 5,
          'five wrong codes are counted for the regulator');
SELECT is((SELECT custodian FROM robot_registry.robots WHERE id = '86000100000120260101000000006'), NULL, 'and the owner keeps it');

-- a new code replaces the last, which then answers as an unregistered code
SELECT robot_registry.transfer_code('86000100000120260101000000006') AS code2 \gset
SELECT is(robot_registry.receive('86000100000120260101000000006', :'code1')::text,
          robot_registry.receive('86000100000120260101000000099', :'code1')::text,
          'a replaced code answers as an unregistered code');
-- the new code, the one its owner gives: case, blanks and dashes do not matter
SELECT is((robot_registry.receive('86000100000120260101000000006', lower(replace(:'code2', '-', ' ')), '{"note": "trade-in"}')).custodian,
          'Seller One', 'the right code hands the robot to the claimant''s party');
SELECT is((SELECT concat_ws(',', kind, actor, detail -> 'custody' ->> 'to', detail ->> 'note') FROM robot_registry.events
            WHERE robot_id = '86000100000120260101000000006' ORDER BY event_id DESC LIMIT 1),
          'received,attack_seller,Seller One,trade-in', 'as an event in the robot''s chain');
SELECT is(robot_registry.receive('86000100000120260101000000006', :'code2')::text,
          robot_registry.receive('86000100000120260101000000099', :'code2')::text,
          'a used code answers as an unregistered code');
SELECT throws_ok($$SELECT robot_registry.transfer_code('86000100000120260101000000006')$$, 'P0002', NULL,
                 'no code while a party holds it');

-- back to its private owner: a new code, the same way; the used one stays used
SELECT is((robot_registry.hand_over('86000100000120260101000000006', NULL)).custodian, NULL, 'it hands the robot back to its owner');
SELECT is(robot_registry.receive('86000100000120260101000000006', :'code2')::text, NULL, 'the used code does not come back with it');
SELECT robot_registry.transfer_code('86000100000120260101000000006') AS code3 \gset
SELECT isnt(:'code3'::text, :'code2'::text, 'a new code is issued');

SELECT * FROM finish();
ROLLBACK;
