-- As attack_operator (party Fleet One, holding robot 2, sold): a mass
-- deployment reaches only what its party holds, not the private owner's
-- sold robot (6) nor the robot it handed to its service provider (3); an
-- operator takes nothing from a private owner.
BEGIN;
SELECT plan(5);
CREATE TEMP TABLE before AS
SELECT id, state, owner_name, location, custodian, recalled, revision FROM robot_registry.robots;
CREATE TEMP TABLE changed (id robot_id);
WITH u AS (UPDATE robot_registry.robots SET state = 'deployed', location = 'Depot' WHERE state IN ('sold', 'maintenance') RETURNING id)
INSERT INTO changed SELECT id FROM u;
SELECT results_eq($$SELECT id::text FROM changed$$, ARRAY['86000100000120260101000000002'],
                  'a mass deployment changes only the robot its party holds');
SELECT is((SELECT count(*)::int FROM before b JOIN robot_registry.robots r USING (id)
            WHERE b.id <> '86000100000120260101000000002'
              AND (b.state, b.owner_name, b.location, b.custodian, b.recalled, b.revision)
                  IS NOT DISTINCT FROM (r.state, r.owner_name, r.location, r.custodian, r.recalled, r.revision)),
          (SELECT count(*)::int FROM before) - 1, 'every other robot is as it was');
-- receive() is for service providers, sellers and recyclers: refused
-- before any code is looked at, a private owner's robot or not
SELECT throws_ok($$SELECT robot_registry.receive('86000100000120260101000000006', 'AAAA-BBBB-CCCC-DDDD')$$,
                 '42501', 'an operator may not receive robots from their private owners', 'an operator receives nothing');
SELECT is(public.attack_error($$SELECT robot_registry.receive('86000100000120260101000000006', 'AAAA-BBBB-CCCC-DDDD')$$),
          public.attack_error($$SELECT robot_registry.receive('86000100000120260101000000099', 'AAAA-BBBB-CCCC-DDDD')$$),
          'and its refusal is the same for an unregistered code');
SELECT is(public.attack_error($$SELECT robot_registry.transfer_code('86000100000120260101000000006')$$),
          replace(public.attack_error($$SELECT robot_registry.transfer_code('86000100000120260101000000099')$$), '099', '006'),
          'it issues no code for a robot it did not hand to its owner, answered as for an unregistered robot');

SELECT * FROM finish();
ROLLBACK;
