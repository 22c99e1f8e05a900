-- 90: analyst views (security_invoker: each reader sees what RLS lets it)

CREATE VIEW robot_registry.fleet_by_manufacturer WITH (security_invoker = true) AS
SELECT m.manufacturer_key, mf.name AS manufacturer, r.state, count(*) AS robots
  FROM robot_registry.robots r
  JOIN robot_registry.models m ON m.model_key = r.model_key
  JOIN robot_registry.manufacturers mf ON mf.manufacturer_key = m.manufacturer_key
 GROUP BY m.manufacturer_key, mf.name, r.state;

CREATE VIEW robot_registry.fleet_by_model WITH (security_invoker = true) AS
SELECT r.model_key, m.name AS model, mf.name AS manufacturer, r.state, r.robots
  FROM (SELECT model_key, state, count(*) AS robots
          FROM robot_registry.robots GROUP BY model_key, state) r
  JOIN robot_registry.models m ON m.model_key = r.model_key
  JOIN robot_registry.manufacturers mf ON mf.manufacturer_key = m.manufacturer_key;

CREATE VIEW robot_registry.open_recalls WITH (security_invoker = true) AS
SELECT c.recall_id, c.model_key, m.name AS model, c.serial_from, c.serial_to, c.reason, c.opened_at,
       count(rr.robot_id) AS affected,
       count(rr.remedied_at) AS remedied,
       count(rr.robot_id) - count(rr.remedied_at) AS outstanding
  FROM robot_registry.recalls c
  JOIN robot_registry.models m ON m.model_key = c.model_key
  LEFT JOIN robot_registry.recall_robots rr ON rr.recall_id = c.recall_id
 WHERE c.closed_at IS NULL
 GROUP BY c.recall_id, m.name;

-- Robots whose recorded history breaks a lifecycle rule: should be empty.
CREATE VIEW robot_registry.rule_breaks WITH (security_invoker = true) AS
WITH h AS (
	SELECT e.*, lag(e.to_state) OVER (PARTITION BY e.robot_id ORDER BY e.event_id) AS previous_state,
	       row_number() OVER (PARTITION BY e.robot_id ORDER BY e.event_id) AS n
	  FROM robot_registry.events e
)
SELECT h.robot_id, h.event_id, h.kind, h.from_state, h.to_state,
       CASE WHEN h.n = 1 AND (h.kind <> 'registered' OR h.to_state <> 'manufactured')
            THEN 'history does not start with registration as manufactured'
            WHEN h.n > 1 AND h.from_state IS DISTINCT FROM h.previous_state
            THEN 'history skips a state'
            WHEN h.kind = 'moved' AND @extschema@.robot_state_can_transition(h.from_state, h.to_state) IS NOT TRUE
            THEN 'illegal move'
            WHEN h.kind <> 'moved' AND h.n > 1 AND h.from_state IS DISTINCT FROM h.to_state
            THEN 'state changed without a move'
            WHEN h.kind = 'registered' AND h.n > 1
            THEN 'registered twice'
       END AS rule
  FROM h
 WHERE (h.n = 1 AND (h.kind <> 'registered' OR h.to_state <> 'manufactured'))
    OR (h.n > 1 AND h.from_state IS DISTINCT FROM h.previous_state)
    OR (h.kind = 'moved' AND @extschema@.robot_state_can_transition(h.from_state, h.to_state) IS NOT TRUE)
    OR (h.kind <> 'moved' AND h.n > 1 AND h.from_state IS DISTINCT FROM h.to_state)
    OR (h.kind = 'registered' AND h.n > 1);

-- How long robots stay in each state, over completed stays with finite
-- times.
CREATE VIEW robot_registry.time_in_state WITH (security_invoker = true) AS
WITH stays AS (
	SELECT e.to_state AS state,
	       lead(e.at) OVER (PARTITION BY e.robot_id ORDER BY e.event_id) - e.at AS duration
	  FROM robot_registry.events e
	 WHERE e.kind IN ('registered', 'moved') AND isfinite(e.at)
)
SELECT state, count(duration) AS completed_stays,
       date_trunc('second', justify_interval(avg(duration))) AS average,
       date_trunc('second', justify_interval(percentile_cont(0.5) WITHIN GROUP (ORDER BY duration))) AS median,
       date_trunc('second', justify_interval(max(duration))) AS longest
  FROM stays
 WHERE duration IS NOT NULL
 GROUP BY state;

GRANT SELECT ON robot_registry.fleet_by_manufacturer, robot_registry.fleet_by_model,
	robot_registry.open_recalls, robot_registry.rule_breaks, robot_registry.time_in_state TO PUBLIC;

