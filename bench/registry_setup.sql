-- The registry at scale, for bench/run.sh registry: the generator loads the
-- robots and their histories; an operator role moves them; bare twins of
-- the tables (no triggers, no hashing, no row-level security) are the
-- baseline.  psql variable: robots.
\set ON_ERROR_STOP on
CREATE EXTENSION IF NOT EXISTS robotid;
SELECT robot_registry_install();
CALL robot_registry.generate_demo(:robots);
VACUUM ANALYZE;

DROP ROLE IF EXISTS bench_operator;
CREATE ROLE bench_operator LOGIN;
INSERT INTO robot_registry.actors VALUES ('bench_operator', 'operator', NULL);

-- the robots an operator may move at random: in service, not recalled
CREATE TABLE bench_pool (n int PRIMARY KEY, id robot_id NOT NULL);
INSERT INTO bench_pool
SELECT row_number() OVER (ORDER BY id), id FROM robot_registry.robots
 WHERE state IN ('sold', 'deployed', 'maintenance') AND NOT recalled;
GRANT SELECT ON bench_pool TO bench_operator;

CREATE TABLE bare_robots (LIKE robot_registry.robots INCLUDING DEFAULTS);
ALTER TABLE bare_robots ADD PRIMARY KEY (id);
INSERT INTO bare_robots SELECT * FROM robot_registry.robots;
CREATE TABLE bare_events (
	event_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	robot_id robot_id NOT NULL, kind text NOT NULL, from_state robot_state, to_state robot_state,
	detail jsonb NOT NULL DEFAULT '{}', actor name NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());
INSERT INTO bare_events (robot_id, kind, from_state, to_state, detail, actor, at)
SELECT robot_id, kind, from_state, to_state, detail, actor, at FROM robot_registry.events;
CREATE INDEX ON bare_events (robot_id, event_id);
VACUUM ANALYZE bench_pool, bare_robots, bare_events;
SELECT count(*) AS robots, (SELECT count(*) FROM robot_registry.events) AS events,
       (SELECT count(*) FROM bench_pool) AS movable FROM robot_registry.robots;
