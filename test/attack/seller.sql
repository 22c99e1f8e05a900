-- As attack_seller: one sale per move, the owner only with a sale, on
-- stock its party holds (robot 5) as on a robot it sold (robot 2).
BEGIN;
SELECT plan(12);
SELECT throws_ok($$SELECT robot_registry.transition('86000100000120260101000000002', 'sold', '{"owner": "Buyer B"}')$$,
                 '23514', 'robot 86000100000120260101000000002 is already sold', 'a sold robot is not sold again');
SELECT throws_ok($$UPDATE robot_registry.robots SET owner_name = 'Buyer B' WHERE id = '86000100000120260101000000005'$$,
                 '42501', 'a seller may not change the owner of robot 86000100000120260101000000005',
                 'no owner change without a sale, even of its own stock');
SELECT is((SELECT owner_name FROM robot_registry.robots WHERE id = '86000100000120260101000000002'), 'Buyer A',
          'the owner is the buyer of the one sale');
SELECT throws_ok($$INSERT INTO robot_registry.market_events (robot_id, kind) VALUES ('86000100000120260101000000001', 'deployment')$$,
                 '42501', NULL, 'a seller records no deployment');
INSERT INTO robot_registry.market_events (robot_id, kind, party) VALUES ('86000100000120260101000000005', 'sale', 'Buyer D');
SELECT is((SELECT concat_ws(',', m.recorded_by, m.at = now(), e.kind, e.actor) FROM robot_registry.market_events m
             JOIN robot_registry.events e USING (event_id) WHERE m.party = 'Buyer D'),
          'attack_seller,t,market event,attack_seller', 'a direct sale is stamped and logged');
SELECT throws_ok($$SELECT robot_registry.transition('86000100000120260101000000005', 'sold', '{"owner": "Q", "location": "Seller''s yard"}')$$,
                 '42501', NULL, 'a seller moves no robot''s location, with a sale or without');
SELECT is((SELECT detail -> 'changed' ->> 'owner' FROM robot_registry.events
            WHERE robot_id = '86000100000120260101000000002' AND kind = 'moved' AND to_state = 'sold'),
          'Buyer A', 'a sale''s new owner is in the history');
SELECT throws_ok($$SELECT robot_registry.report_defect('86000100000120260101000000001', 'knee actuator', 'x')$$,
                 '42501', 'a seller may not report defects', 'a seller reports no defect');
SELECT throws_ok($$INSERT INTO robot_registry.defect_reports (robot_id, category, description) VALUES ('86000100000120260101000000001', 'knee actuator', 'x')$$,
                 '42501', NULL, 'nor writes one directly');
SELECT is((SELECT count(*)::int FROM robot_registry.defect_reports) + (SELECT count(*)::int FROM robot_registry.common_defects), 0,
          'a seller sees no report and no common defect');
-- registrations are checked once per statement (robots_registrar): a
-- seller's direct INSERT, of one row or many, is refused as before
SELECT throws_ok($$INSERT INTO robot_registry.robots (id) VALUES ('86000100000120270101000000001')$$,
                 '42501', 'a seller may not register robots', 'a seller registers no robot directly');
SELECT throws_ok($$INSERT INTO robot_registry.robots (id) SELECT make_robot_id('86', '0001', '000001', 20270101000000000 + g)
                   FROM generate_series(1, 100) g$$,
                 '42501', 'a seller may not register robots', 'nor a batch of them');
SELECT * FROM finish();
ROLLBACK;
