-- As attack_recycler (party Recycler One): issue 26, finding 1.  In 1.4
-- one recycler's UPDATE retired every robot in the country, and
-- retirement is final.  A mass UPDATE reaches only what its party was
-- handed to scrap (robot 7 of maker 1, new; robot 2 of maker 2,
-- recycled): every other robot is untouched.  One robot it does not hold
-- is refused by transition().
BEGIN;
SELECT plan(9);
CREATE TEMP TABLE before AS
SELECT id, state, owner_name, location, custodian, recalled, revision FROM robot_registry.robots;
SELECT is((SELECT count(*)::int FROM before), 11, 'a recycler sees the whole fleet');

SELECT is(public.attack_error($$SELECT robot_registry.transition('86000100000120260101000000001', 'retired')$$),
          '42501 robot 86000100000120260101000000001 is not held by party Recycler One / It is held by another party.',
          'it retires no robot another party holds');
SELECT is(public.attack_error($$SELECT robot_registry.transition('86000100000120260101000000006', 'recycled')$$),
          '42501 robot 86000100000120260101000000006 is not held by party Recycler One / It is held by its private owner.',
          'nor a private owner''s robot');

CREATE TEMP TABLE changed (id robot_id);
WITH u AS (UPDATE robot_registry.robots SET state = 'retired' WHERE state <> 'retired' RETURNING id)
INSERT INTO changed SELECT id FROM u;
SELECT results_eq($$SELECT id::text FROM changed ORDER BY 1$$,
                  ARRAY['86000100000120260101000000007', '86000200000120260101000000002'],
                  'a mass retirement changes only the robots its party holds');
SELECT results_eq($$SELECT b.id::text FROM before b WHERE b.custodian = 'Recycler One' ORDER BY 1$$,
                  $$SELECT id::text FROM changed ORDER BY 1$$, 'all of them');
SELECT is((SELECT count(*)::int FROM robot_registry.robots WHERE state = 'retired'), 2, 'two robots retired, not the fleet');
SELECT is((SELECT count(*)::int FROM before b JOIN robot_registry.robots r USING (id)
            WHERE b.custodian IS DISTINCT FROM 'Recycler One'
              AND (b.state, b.owner_name, b.location, b.custodian, b.recalled, b.revision)
                  IS NOT DISTINCT FROM (r.state, r.owner_name, r.location, r.custodian, r.recalled, r.revision)),
          (SELECT count(*)::int FROM before WHERE custodian IS DISTINCT FROM 'Recycler One'),
          'every robot another party or a private owner holds is as it was');
SELECT is((SELECT count(*)::int FROM robot_registry.events e JOIN changed c ON c.id = e.robot_id
            WHERE e.kind = 'moved' AND e.to_state = 'retired' AND e.actor = 'attack_recycler' AND e.at = now()), 2,
          'each retirement is an event in its name');
SELECT is((SELECT count(*)::int FROM robot_registry.robots), (SELECT count(*)::int FROM before), 'no robot came or went');

SELECT * FROM finish();
ROLLBACK;
