-- As attack_maker1, a manufacturer: nothing beyond its own robots.
BEGIN;
SELECT plan(10);

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

SELECT * FROM finish();
ROLLBACK;
