-- As attack_seller (party Seller One, holding robot 5): hand-overs.  Only
-- the holder hands a robot over, to a known party that may take it in its
-- state; the regulator's party holds nothing.  A non-holder learns nothing
-- of the party it names: known or not, the answer is the custody refusal.
BEGIN;
SELECT plan(16);
CREATE TEMP TABLE before AS
SELECT id, state, owner_name, location, custodian, recalled, revision FROM robot_registry.robots;

-- to an unknown party
SELECT throws_ok($$SELECT robot_registry.hand_over('86000100000120260101000000005', 'Nobody Ltd')$$,
                 '23503', 'party "Nobody Ltd" is not known', 'no hand-over to an unknown party');
SELECT is(public.attack_constraint($$SELECT robot_registry.hand_over('86000100000120260101000000005', 'Nobody Ltd')$$),
          '23503 robots_custodian_party', 'refused by robots_custodian_party');
SELECT is(public.attack_constraint($$UPDATE robot_registry.robots SET custodian = 'Nobody Ltd' WHERE id = '86000100000120260101000000005'$$),
          '23503 robots_custodian_party', 'nor by a direct UPDATE');
-- to the regulator's party, and to a party none of whose kinds takes a
-- robot in this state (an operator's, for a new robot)
SELECT throws_ok($$SELECT robot_registry.hand_over('86000100000120260101000000005', 'Market Regulator')$$,
                 '23514', 'party "Market Regulator" may not receive robot 86000100000120260101000000005, which is manufactured',
                 'no hand-over to the regulator''s party');
SELECT is(public.attack_constraint($$SELECT robot_registry.hand_over('86000100000120260101000000005', 'Market Regulator')$$),
          '23514 robot_custody_receiver', 'refused by robot_custody_receiver');
SELECT is(public.attack_constraint($$UPDATE robot_registry.robots SET custodian = 'Fleet One' WHERE id = '86000100000120260101000000005'$$),
          '23514 robot_custody_receiver', 'nor a new robot to an operator''s party');

-- by a non-holder: another party's stock, a private owner's robot, the
-- maker's robot; the party named, known or not, makes no difference
SELECT is(public.attack_error($$SELECT robot_registry.hand_over('86000100000120260101000000008', 'Seller One')$$),
          '42501 robot 86000100000120260101000000008 is not held by party Seller One / It is held by another party.',
          'another party''s stock is not handed over by a non-holder');
SELECT is(public.attack_error($$SELECT robot_registry.hand_over('86000100000120260101000000008', 'Nobody Ltd')$$),
          public.attack_error($$SELECT robot_registry.hand_over('86000100000120260101000000008', 'Recycler One')$$),
          'an unknown party and a known one answer alike to a non-holder');
SELECT is(public.attack_error($$SELECT robot_registry.hand_over('86000100000120260101000000006', 'Seller One')$$),
          '42501 robot 86000100000120260101000000006 is not held by party Seller One / It is held by its private owner.',
          'a private owner''s robot is not taken back without its code');
SELECT is(public.attack_constraint($$SELECT robot_registry.hand_over('86000100000120260101000000001', 'Seller One')$$),
          '42501 robot_custody', 'nor the maker''s robot');
WITH u AS (UPDATE robot_registry.robots SET custodian = 'Seller One'
            WHERE id IN ('86000100000120260101000000001', '86000100000120260101000000006', '86000100000120260101000000008')
            RETURNING 1)
SELECT is((SELECT count(*)::int FROM u), 0, 'a direct UPDATE takes no robot into its hands');
SELECT is((SELECT count(*)::int FROM before b JOIN robot_registry.robots r USING (id)
            WHERE (b.state, b.owner_name, b.location, b.custodian, b.recalled, b.revision)
                  IS NOT DISTINCT FROM (r.state, r.owner_name, r.location, r.custodian, r.recalled, r.revision)),
          (SELECT count(*)::int FROM before), 'every robot is as it was');

-- to another seller: immediate, in the robot's chain with both parties,
-- and then no longer the giver's to move
SELECT is((robot_registry.hand_over('86000100000120260101000000005', 'Seller Two', '{"note": "stock swap"}')).custodian,
          'Seller Two', 'it hands its stock to another seller');
SELECT is((SELECT concat_ws(',', kind, actor, detail -> 'custody' ->> 'from', detail -> 'custody' ->> 'to',
                            detail -> 'changed' ->> 'custodian', detail ->> 'note')
             FROM robot_registry.events WHERE robot_id = '86000100000120260101000000005' ORDER BY event_id DESC LIMIT 1),
          'handed over,attack_seller,Seller One,Seller Two,Seller Two,stock swap', 'the hand-over is an event naming both parties');
SELECT throws_ok($$SELECT robot_registry.transition('86000100000120260101000000005', 'sold', '{"owner": "Buyer X"}')$$,
                 '42501', 'robot 86000100000120260101000000005 is not held by party Seller One', 'what it handed over it no longer sells');
SELECT throws_ok($$SELECT robot_registry.hand_over('86000100000120260101000000005', 'Seller One')$$,
                 '42501', 'robot 86000100000120260101000000005 is not held by party Seller One', 'nor takes back');

SELECT * FROM finish();
ROLLBACK;
