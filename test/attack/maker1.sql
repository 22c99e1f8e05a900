-- As attack_maker1, a manufacturer: nothing beyond its own robots.
BEGIN;
SELECT plan(31);

-- another maker's robot answers as an unregistered code, in a sale and as
-- the source of a rebuild (maker 2's unit 2 is scrapped: that must not leak)
SELECT is(public.attack_error($$INSERT INTO robot_registry.market_events (robot_id, kind) VALUES ('86000200000120260101000000001', 'sale')$$),
          replace(public.attack_error($$INSERT INTO robot_registry.market_events (robot_id, kind) VALUES ('86000200000120260101000000099', 'sale')$$),
                  '099', '001'),
          'another maker''s robot in a sale answers as an unknown code');
SELECT is(public.attack_error($$SELECT robot_registry.register_robot('86000100000120260101000000010', refurbished_from => '86000200000120260101000000002')$$),
          replace(public.attack_error($$SELECT robot_registry.register_robot('86000100000120260101000000010', refurbished_from => '86000200000120260101000000099')$$),
                  '099', '002'),
          'another maker''s scrapped robot as a rebuild source answers as an unknown code');
SELECT throws_ok($$SELECT robot_registry.register_robot('86000100000120260101000000011', refurbished_from => '86000100000120260101000000004')$$,
                 '23514', NULL, 'its own scrapped robot cannot be rebuilt');

-- the registry's own markers and actor names are not the caller's
SELECT set_config('robot_registry.internal', 'remedied', true);
SELECT throws_ok($$UPDATE robot_registry.robots SET location = 'x' WHERE id = '86000100000120260101000000001'$$,
                 '42501', NULL, 'no event kind forged through robot_registry.internal');
SELECT set_config('robot_registry.internal', '', true);
SELECT robot_registry.act_as('attack_regulator', NULL);
SELECT throws_ok($$SELECT robot_registry.open_recall('860002000001', 'not mine')$$, '42501', NULL,
                 'act_as() does not make a manufacturer the regulator');

-- edits are logged in its own name, stamped now
SELECT lives_ok($$SELECT robot_registry.relocate('86000100000120260101000000001', 'Beijing plant')$$, 'relocates its robot');
SELECT is((SELECT concat_ws(',', kind, actor, detail -> 'changed' ->> 'location', at = now()) FROM robot_registry.events
            WHERE robot_id = '86000100000120260101000000001' ORDER BY event_id DESC LIMIT 1),
          'edited,attack_maker1,Beijing plant,t', 'the edit is an event in its name');
SELECT throws_ok($$UPDATE robot_registry.robots SET owner_name = 'me' WHERE id = '86000100000120260101000000001'$$,
                 '42501', NULL, 'the owner changes only with a sale');

-- a recall it opens is stamped with its name and now, whatever it says
SELECT is(robot_registry.open_recall('860001000001', 'own') > 0, true, 'opens a recall of its own model');
SELECT is((SELECT concat_ws(',', opened_by, opened_at = now(), opener_kind) FROM robot_registry.recalls WHERE reason = 'own'),
          'attack_maker1,t,manufacturer', 'opening is stamped');

-- defects: another maker's robot answers as an unknown code; only its
-- own models' reports and crossings; no thresholds, no crossings of its own
SELECT is(public.attack_error($$SELECT robot_registry.report_defect('86000200000120260101000000001', 'wheel bearing', 'x')$$),
          replace(public.attack_error($$SELECT robot_registry.report_defect('86000200000120260101000000099', 'wheel bearing', 'x')$$),
                  '099', '001'),
          'another maker''s robot in a defect report answers as an unknown code');
SELECT results_eq($$SELECT model_key, count(*)::int FROM robot_registry.defect_reports GROUP BY 1$$,
                  $$VALUES ('860001000001'::text, 3)$$, 'it sees every report on its models, and no other');
SELECT results_eq($$SELECT model_key, category FROM robot_registry.recall_obligations$$,
                  $$VALUES ('860001000001'::text, 'knee actuator'::text)$$, 'it sees the recall it owes');
WITH u AS (UPDATE robot_registry.defect_thresholds SET min_robots = 1000 RETURNING 1)
SELECT is((SELECT count(*)::int FROM u), 0, 'it changes no threshold');
SELECT throws_ok($$INSERT INTO robot_registry.defect_crossings (model_key, category, report_id, robots, min_robots, window_days, counted_from, crossed_by)
                   VALUES ('860002000001', 'wheel bearing', 1, 9, 1, 1, now(), 'attack_maker1')$$, '42501', NULL, 'no crossing forged');
-- act_as() names nobody else: the report is stamped with its own name, now
SELECT is((SELECT concat_ws(',', reported_by, reporter_kind, reported_at = now())
             FROM robot_registry.report_defect('86000100000120260101000000001', 'knee actuator', 'as the regulator?')),
          'attack_maker1,manufacturer,t', 'a report is stamped in its own name');
SELECT throws_ok($$UPDATE robot_registry.defect_reports SET description = 'nothing' WHERE reported_by = 'attack_maker1'$$,
                 '42501', NULL, 'its reports are not rewritten');

-- The registration shortcut (check_actor() only for rows it could change,
-- robots_actor_register's WHEN) and the bulk log (events_chain only for
-- events without a hash) trust nothing an actor can write: the stamps are
-- not its columns, the markers are refused or ignored, the log is not its
-- table, and what it registers directly is logged and chained as always.
SELECT throws_ok($$INSERT INTO robot_registry.robots (id, changed_by) VALUES ('86000100000120270101000000001', 'attack_seller')$$,
                 '42501', NULL, 'no registration stamped with another author');
SELECT throws_ok($$INSERT INTO robot_registry.robots (id, registered_at, updated_at, revision)
                   VALUES ('86000100000120270101000000001', '2000-01-01', '2000-01-01', 1)$$,
                 '42501', NULL, 'no registration backdated or numbered');
SELECT set_config('robot_registry.internal', 'recalled', true);
SELECT throws_ok($$INSERT INTO robot_registry.robots (id) SELECT make_robot_id('86', '0001', '000001', 20270101000000000 + g)
                   FROM generate_series(1, 10) g$$,
                 '42501', 'robot_registry.internal is reserved for the registry''s own changes',
                 'no batch registered under robot_registry.internal');
SELECT set_config('robot_registry.internal', '', true);
SELECT throws_ok($$INSERT INTO robot_registry.robots (id) VALUES ('86000100000120270101000000001'), ('86000200000120270101000000001')$$,
                 '42501', NULL, 'no other maker''s code in a batch');
SELECT throws_ok($$INSERT INTO robot_registry.events (robot_id, kind, recalled, actor, at, prev_hash, hash, row_hash)
                   SELECT robot_id, 'edited', recalled, 'attack_maker1', at, hash, hash, row_hash FROM robot_registry.events
                    WHERE robot_id = '86000100000120260101000000001' ORDER BY event_id DESC LIMIT 1$$,
                 '42501', NULL, 'no event with a hash of its choosing');
SELECT robot_registry.act_as('attack_regulator', '{"claimed": "regulator"}');
SELECT lives_ok($$INSERT INTO robot_registry.robots (id) SELECT make_robot_id('86', '0001', '000001', 20270101000000000 + g)
                  FROM generate_series(1, 10) g$$, 'registers a batch of its own codes directly');
SELECT robot_registry.act_as(NULL, NULL);
SELECT is((SELECT string_agg(DISTINCT concat_ws(',', r.changed_by, r.registered_at = now(), e.actor, e.prev_hash IS NULL), ';')
             FROM robot_registry.robots r JOIN robot_registry.events e ON e.robot_id = r.id AND e.kind = 'registered'
            WHERE r.id BETWEEN '86000100000120270101000000001' AND '86000100000120270101000000010'),
          'attack_maker1,t,attack_maker1,t', 'each stamped and logged in its own name, not the one act_as() named');
SELECT is((SELECT count(*)::int FROM robot_registry.robots r, robot_registry.verify(r.id) v
            WHERE r.id BETWEEN '86000100000120270101000000001' AND '86000100000120270101000000010'), 0,
          'their events verify');
CREATE TEMP TABLE issued AS SELECT c.id FROM robot_registry.issue_codes('860001000001', 50) c(id);
SELECT is((SELECT count(*)::int FROM issued i JOIN robot_registry.events e ON e.robot_id = i.id
            WHERE e.kind = 'registered' AND e.actor = 'attack_maker1' AND e.prev_hash IS NULL), 50,
          'issues codes, each logged in its name at the head of a new chain');
SELECT is((SELECT count(*)::int FROM issued i, robot_registry.verify(i.id) v), 0, 'and their events verify');
SELECT is((SELECT count(*)::int FROM robot_registry.verify()), 0,
          'verify() of all it sees finds no problem in an intact registry (no ledger entry it may not read reported)');
-- the statement that registers a robot cannot also move, edit or sell it:
-- its recall hold and its log come when the statement ends
SELECT robot_registry.open_recall('860001000001', 'brake', '20260101000000070', '20260101000000079');
CREATE FUNCTION pg_temp.m1_sell(x robot_id) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN PERFORM robot_registry.transition(x, 'sold', '{"owner": "Buyer Z"}'); RETURN 'ok'; END $f$;
CREATE FUNCTION pg_temp.m1_touch(x robot_id) RETURNS int LANGUAGE plpgsql AS $f$
DECLARE n int; BEGIN UPDATE robot_registry.robots SET location = 'moved early' WHERE id = x;
GET DIAGNOSTICS n = ROW_COUNT; RETURN n; END $f$;
CREATE FUNCTION pg_temp.m1_market(x robot_id) RETURNS int LANGUAGE plpgsql AS $f$
BEGIN INSERT INTO robot_registry.market_events (robot_id, kind) VALUES (x, 'sale'); RETURN 1; END $f$;
SELECT throws_ok($$WITH ins AS (INSERT INTO robot_registry.robots (id) VALUES ('86000100000120260101000000072') RETURNING id)
                   SELECT pg_temp.m1_sell(id) FROM ins$$, '55000', NULL,
                 'a robot registered under a recall cannot be sold by the statement that registers it');
SELECT throws_ok($$WITH ins AS (INSERT INTO robot_registry.robots (id) VALUES ('86000100000120260101000000089') RETURNING id)
                   SELECT pg_temp.m1_touch(id) FROM ins$$, '55000', NULL,
                 'nor edited ahead of its logged registration');
SELECT throws_ok($$WITH ins AS (INSERT INTO robot_registry.robots (id) VALUES ('86000100000120260101000000073') RETURNING id)
                   SELECT pg_temp.m1_market(id) FROM ins$$, '55000', NULL,
                 'nor given a market event');
SELECT * FROM finish();
ROLLBACK;
