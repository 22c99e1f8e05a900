-- As attack_maker1, a manufacturer: nothing beyond its own robots.
BEGIN;
SELECT plan(17);

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

SELECT * FROM finish();
ROLLBACK;
