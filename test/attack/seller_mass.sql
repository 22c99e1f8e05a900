-- As attack_seller (party Seller One): issue 26, finding 1.  In 1.4 one
-- seller's UPDATE changed the owner of 7,270 robots.  A mass UPDATE
-- reaches only the robots its party holds (robot 5): every other robot,
-- whoever holds it, is untouched.
BEGIN;
SELECT plan(9);
CREATE TEMP TABLE before AS
SELECT id, state, owner_name, location, custodian, recalled, revision FROM robot_registry.robots;
SELECT is((SELECT count(*)::int FROM before), 11, 'a seller sees the whole fleet');
SELECT results_eq($$SELECT id::text FROM before WHERE custodian = 'Seller One'$$,
                  ARRAY['86000100000120260101000000005'], 'of which its party holds one robot');

-- an owner changed without a sale is refused for the robot it holds, and
-- so for the statement
SELECT throws_ok($$UPDATE robot_registry.robots SET owner_name = 'Mass Buyer'$$,
                 '42501', 'a seller may not change the owner of robot 86000100000120260101000000005',
                 'a mass owner change is refused');
-- a mass sale, with a new owner
CREATE TEMP TABLE changed (id robot_id);
WITH u AS (UPDATE robot_registry.robots SET state = 'sold', owner_name = 'Mass Buyer' WHERE state <> 'sold' RETURNING id)
INSERT INTO changed SELECT id FROM u;
SELECT results_eq($$SELECT id::text FROM changed$$, ARRAY['86000100000120260101000000005'],
                  'a mass sale changes only the robot its party held');
SELECT results_eq($$SELECT id::text FROM robot_registry.robots WHERE owner_name = 'Mass Buyer'$$,
                  ARRAY['86000100000120260101000000005'], 'one owner changed, not the fleet''s');
SELECT is((SELECT count(*)::int FROM before b JOIN robot_registry.robots r USING (id)
            WHERE b.id <> '86000100000120260101000000005'
              AND (b.state, b.owner_name, b.location, b.custodian, b.recalled, b.revision)
                  IS NOT DISTINCT FROM (r.state, r.owner_name, r.location, r.custodian, r.recalled, r.revision)),
          (SELECT count(*)::int FROM before) - 1, 'every other robot is as it was');
SELECT is((SELECT count(*)::int FROM robot_registry.robots), (SELECT count(*)::int FROM before), 'no robot came or went');
-- no party named: a private owner holds it, and Seller One issues its codes
SELECT is((SELECT concat_ws(',', r.state, r.custodian IS NULL, t.handed_by) FROM robot_registry.robots r
             JOIN robot_registry.transfer_codes t ON t.robot_id = r.id WHERE r.id = '86000100000120260101000000005'),
          'sold,t,Seller One', 'the buyer, a private owner, holds what it sold');
-- again: it now holds nothing, and nothing changes
WITH u AS (UPDATE robot_registry.robots SET state = 'sold', owner_name = 'Mass Buyer 2' WHERE state <> 'sold' RETURNING 1)
SELECT is((SELECT count(*)::int FROM u), 0, 'holding nothing unsold, its mass sale changes nothing');

SELECT * FROM finish();
ROLLBACK;
