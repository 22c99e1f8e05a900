-- As attack_maker1 (party Maker One): issue 26, finding 2.  In 1.4 a
-- maker laundered a recalled robot through a rebuild: while the
-- regulator's recall held it, a rebuild from it got a new code that scan()
-- showed on the market with no recall, and five rebuilds from one source
-- were all accepted.  Robot 9, sold and returned to its maker, is held by
-- the regulator's recall 'hip joint' (setup.sql): no rebuild from it, by
-- any path.  A recall opened after a legitimate rebuild holds the rebuild
-- too.
BEGIN;
SELECT plan(17);

SELECT throws_ok($$SELECT robot_registry.register_robot('86000100000120260101000000510', refurbished_from => '86000100000120260101000000009')$$,
                 '23514', 'robot 86000100000120260101000000009 may not be rebuilt into robot 86000100000120260101000000510: an open recall holds it',
                 'the maker does not rebuild its recalled robot');
SELECT is(public.attack_constraint($$SELECT robot_registry.register_robot('86000100000120260101000000510', refurbished_from => '86000100000120260101000000009')$$),
          '23514 robot_recall_hold', 'refused by robot_recall_hold');
-- five rebuilds from the one source, one statement each
CREATE FUNCTION pg_temp.rebuilds(how_many int) RETURNS text[] LANGUAGE plpgsql AS $f$
DECLARE answers text[] := '{}'; i int;
BEGIN
	FOR i IN 1 .. how_many LOOP
		answers := answers || public.attack_constraint(format(
			'SELECT robot_registry.register_robot(%L, refurbished_from => %L)',
			make_robot_id('86', '0001', '000001', 20260101000000510 + i), '86000100000120260101000000009'));
	END LOOP;
	RETURN answers;
END $f$;
SELECT is(pg_temp.rebuilds(5), array_fill('23514 robot_recall_hold'::text, ARRAY[5]), 'five rebuilds from one source, all refused');
SELECT is(public.attack_constraint($$INSERT INTO robot_registry.robots (id, refurbished_from)
                                     SELECT make_robot_id('86', '0001', '000001', 20260101000000520 + g), '86000100000120260101000000009'
                                       FROM generate_series(1, 5) g$$),
          '23514 robot_recall_hold', 'nor a batch of them by a direct INSERT');
SELECT throws_ok($$UPDATE robot_registry.robots SET refurbished_from = '86000100000120260101000000009'
                    WHERE id = '86000100000120260101000000001'$$,
                 '42501', NULL, 'nor a robot it has made a rebuild of it afterwards');
SELECT is((SELECT count(*)::int FROM robot_registry.robots WHERE refurbished_from = '86000100000120260101000000009'), 0,
          'no rebuild of the recalled robot exists');

-- a source its party does not hold: refused by custody, the holder unnamed
SELECT is(public.attack_error($$SELECT robot_registry.register_robot('86000100000120260101000000510', refurbished_from => '86000100000120260101000000002')$$),
          '42501 robot 86000100000120260101000000002 is not held by party Maker One / It is held by another party.',
          'no rebuild from a robot another party holds');
SELECT is(public.attack_error($$SELECT robot_registry.register_robot('86000100000120260101000000510', refurbished_from => '86000100000120260101000000006')$$),
          '42501 robot 86000100000120260101000000006 is not held by party Maker One / It is held by its private owner.',
          'nor from a private owner''s robot');
-- another maker's robot is invisible: handed over as an unregistered code
SELECT is(public.attack_error($$SELECT robot_registry.hand_over('86000200000120260101000000001', 'Maker One')$$),
          replace(public.attack_error($$SELECT robot_registry.hand_over('86000200000120260101000000099', 'Maker One')$$), '099', '001'),
          'another maker''s robot answers a hand-over as an unregistered code');

-- a legitimate rebuild of robot 1, and a rebuild of that rebuild, are on
-- the market until a recall covering robot 1 opens; then the recall holds
-- both, and scan() says so
SELECT is((robot_registry.register_robot('86000100000120260101000000530', refurbished_from => '86000100000120260101000000001')).custodian,
          'Maker One', 'it rebuilds a robot it holds, and holds the rebuild');
SELECT lives_ok($$SELECT robot_registry.register_robot('86000100000120260101000000531', refurbished_from => '86000100000120260101000000530')$$,
                'and rebuilds the rebuild');
SELECT is(robot_registry.scan('86000100000120260101000000531') ->> 'market_allowed', 'true', 'the rebuilds are on the market');
SELECT robot_registry.open_recall('860001000001', 'elbow', '20260101000000001', '20260101000000001') AS elbow \gset
SELECT is((SELECT concat_ws(',', s ->> 'market_allowed', s -> 'recalls' -> 0 ->> 'recall_id', jsonb_array_length(s -> 'recalls'))
             FROM robot_registry.scan('86000100000120260101000000530') s),
          concat_ws(',', 'false', :elbow, 1), 'the recall of the source holds its rebuild: scan() says market_allowed false');
SELECT is((SELECT concat_ws(',', s ->> 'market_allowed', s -> 'recalls' -> 0 ->> 'recall_id')
             FROM robot_registry.scan('86000100000120260101000000531') s),
          concat_ws(',', 'false', :elbow), 'and the rebuild of the rebuild');
SELECT results_eq(format('SELECT robot_id::text FROM robot_registry.recall_robots WHERE recall_id = %s ORDER BY 1', :elbow),
                  ARRAY['86000100000120260101000000001', '86000100000120260101000000530', '86000100000120260101000000531'],
                  'the recall covers the source and both rebuilds');
SELECT throws_ok($$SELECT robot_registry.transition('86000100000120260101000000530', 'sold', '{"owner": "Buyer R"}')$$,
                 '23514', NULL, 'a held rebuild is not sold');
SELECT is(public.attack_constraint($$SELECT robot_registry.register_robot('86000100000120260101000000540', refurbished_from => '86000100000120260101000000530')$$),
          '23514 robot_recall_hold', 'nor rebuilt again');

SELECT * FROM finish();
ROLLBACK;
