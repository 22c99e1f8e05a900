-- As attack_service: remedies are stamped, never backdated.
BEGIN;
SELECT plan(5);
UPDATE robot_registry.recall_robots SET remedied_at = '1990-01-01' WHERE robot_id = '86000100000120260101000000003';
SELECT is((SELECT concat_ws(',', remedied_at = now(), remedied_by) FROM robot_registry.recall_robots
            WHERE robot_id = '86000100000120260101000000003'),
          't,attack_service', 'a remedy is stamped now, in its own name');
SELECT is((SELECT concat_ws(',', kind, actor, recalled) FROM robot_registry.events WHERE robot_id = '86000100000120260101000000003'
            ORDER BY event_id DESC LIMIT 1),
          'remedied,attack_service,f', 'the remedy is an event, and releases the robot');
-- defects: it sees its own reports only
SELECT is((SELECT count(*)::int FROM robot_registry.defect_reports), 0, 'a service provider sees no one else''s report');
SELECT robot_registry.report_defect('86000100000120260101000000003', 'knee actuator', 'found in maintenance');
SELECT is((SELECT string_agg(reported_by::text, ',') FROM robot_registry.defect_reports), 'attack_service',
          'and its own');
SELECT is((SELECT count(*)::int FROM robot_registry.verify()), 0,
          'verify() of all it sees finds no problem in an intact registry (no ledger entry it may not read reported)');
SELECT * FROM finish();
ROLLBACK;
