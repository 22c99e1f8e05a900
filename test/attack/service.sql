-- As attack_service: remedies are stamped, never backdated.
BEGIN;
SELECT plan(2);
UPDATE robot_registry.recall_robots SET remedied_at = '1990-01-01' WHERE robot_id = '86000100000120260101000000003';
SELECT is((SELECT concat_ws(',', remedied_at = now(), remedied_by) FROM robot_registry.recall_robots
            WHERE robot_id = '86000100000120260101000000003'),
          't,attack_service', 'a remedy is stamped now, in its own name');
SELECT is((SELECT concat_ws(',', kind, actor, recalled) FROM robot_registry.events WHERE robot_id = '86000100000120260101000000003'
            ORDER BY event_id DESC LIMIT 1),
          'remedied,attack_service,f', 'the remedy is an event, and releases the robot');
SELECT * FROM finish();
ROLLBACK;
