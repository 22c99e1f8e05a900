-- As attack_seller (party Seller One): a seller sells only the stock its
-- party holds.  Issue 26, finding 1: in 1.4 any seller sold any unsold
-- robot, through transition() and through a direct UPDATE.  Another
-- party's stock (Seller Two's robot 8, Maker One's robot 1) and a private
-- owner's robot (6) are refused by transition() (42501, constraint
-- robot_custody, never naming the holder) and left out of a direct UPDATE
-- by row-level security; none of them changes.  Its own stock (robot 5)
-- it sells, and the buyer's party then holds it.
BEGIN;
SELECT plan(15);
CREATE TEMP TABLE before AS
SELECT id, state, owner_name, location, custodian, recalled, revision FROM robot_registry.robots;

-- through transition()
SELECT throws_ok($$SELECT robot_registry.transition('86000100000120260101000000008', 'sold', '{"owner": "Buyer X"}')$$,
                 '42501', 'robot 86000100000120260101000000008 is not held by party Seller One',
                 'another seller''s stock is not sold through transition()');
SELECT is(public.attack_constraint($$SELECT robot_registry.transition('86000100000120260101000000008', 'sold', '{"owner": "Buyer X"}')$$),
          '42501 robot_custody', 'the refusal is the custody rule''s');
SELECT is(public.attack_error($$SELECT robot_registry.transition('86000100000120260101000000008', 'sold', '{"owner": "Buyer X"}')$$),
          '42501 robot 86000100000120260101000000008 is not held by party Seller One / It is held by another party.',
          'the refusal names the robot and the caller''s party, not the holder');
SELECT is(public.attack_error($$SELECT robot_registry.transition('86000100000120260101000000001', 'sold', '{"owner": "Buyer X", "party": "Seller One"}')$$),
          '42501 robot 86000100000120260101000000001 is not held by party Seller One / It is held by another party.',
          'nor the maker''s stock, even sold to its own party');
-- a private owner's robot: the market event of a sale is refused alike
SELECT is(public.attack_error($$INSERT INTO robot_registry.market_events (robot_id, kind, party) VALUES ('86000100000120260101000000006', 'sale', 'Buyer X')$$),
          '42501 robot 86000100000120260101000000006 is not held by party Seller One / It is held by its private owner.',
          'a private owner''s robot is not sold on by the seller that sold it');
SELECT is(public.attack_error($$INSERT INTO robot_registry.market_events (robot_id, kind, party) VALUES ('86000100000120260101000000008', 'sale', 'Buyer X')$$),
          '42501 robot 86000100000120260101000000008 is not held by party Seller One / It is held by another party.',
          'no sale recorded for another party''s stock');

-- through a direct UPDATE: the rows are not the seller's to change
WITH u AS (UPDATE robot_registry.robots SET state = 'sold', owner_name = 'Buyer X'
            WHERE id IN ('86000100000120260101000000008', '86000100000120260101000000001') RETURNING 1)
SELECT is((SELECT count(*)::int FROM u), 0, 'a direct UPDATE sells no robot another party holds');
WITH u AS (UPDATE robot_registry.robots SET custodian = 'Seller One'
            WHERE id IN ('86000100000120260101000000008', '86000100000120260101000000006') RETURNING 1)
SELECT is((SELECT count(*)::int FROM u), 0, 'nor takes one into its own hands');
SELECT is((SELECT count(*)::int FROM robot_registry.market_events WHERE party = 'Buyer X'), 0, 'no sale is recorded');
SELECT is((SELECT count(*)::int FROM before b JOIN robot_registry.robots r USING (id)
            WHERE (b.state, b.owner_name, b.location, b.custodian, b.recalled, b.revision)
                  IS NOT DISTINCT FROM (r.state, r.owner_name, r.location, r.custodian, r.recalled, r.revision)),
          (SELECT count(*)::int FROM before), 'every robot is as it was');

-- its own stock it sells: to a known party, which then holds it
SELECT is((robot_registry.transition('86000100000120260101000000005', 'sold', '{"owner": "Buyer E", "party": "Fleet One"}')).custodian,
          'Fleet One', 'it sells its own stock, and the buyer''s party holds it');
SELECT is((SELECT concat_ws(',', kind, actor, detail -> 'custody' ->> 'from', detail -> 'custody' ->> 'to')
             FROM robot_registry.events WHERE robot_id = '86000100000120260101000000005' ORDER BY event_id DESC LIMIT 1),
          'moved,attack_seller,Seller One,Fleet One', 'the sale records both parties');
SELECT throws_ok($$SELECT robot_registry.hand_over('86000100000120260101000000005', 'Seller One')$$,
                 '42501', 'robot 86000100000120260101000000005 is not held by party Seller One',
                 'what it sold is no longer its to hand over');
-- the private owner it sold robot 6 to holds it; Seller One issues its codes
SELECT is((SELECT concat_ws(',', r.custodian IS NULL, r.owner_name, t.handed_by)
             FROM robot_registry.robots r JOIN robot_registry.transfer_codes t ON t.robot_id = r.id
            WHERE r.id = '86000100000120260101000000006'),
          't,Buyer F,Seller One', 'a sale to a buyer with no party leaves the robot with its private owner');
SELECT is((SELECT count(*)::int FROM robot_registry.robots WHERE custodian = 'Seller One'), 0, 'it holds nothing more');

SELECT * FROM finish();
ROLLBACK;
