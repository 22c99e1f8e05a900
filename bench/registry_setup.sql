-- The registry at scale, for bench/run.sh registry: the generator loads the
-- robots and their histories; an operator role moves them; bare twins of
-- the tables (no triggers, no hashing, no row-level security) are the
-- baseline.  psql variable: robots.
\set ON_ERROR_STOP on
CREATE EXTENSION IF NOT EXISTS robotid;
SELECT robot_registry_install();
SELECT robot_registry_install_demo();
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

-- same columns, defaults and indexes; no triggers, no policies
CREATE TABLE bare_robots (LIKE robot_registry.robots INCLUDING ALL);
INSERT INTO bare_robots (id, state, recalled, refurbished_from, owner_name, location,
	registered_at, updated_at, changed_by)
SELECT id, state, recalled, refurbished_from, owner_name, location, registered_at, updated_at, changed_by
  FROM robot_registry.robots;
CREATE TABLE bare_events (LIKE robot_registry.events INCLUDING ALL);
-- no hashing: LIKE copied the check that every new event has its row hash
ALTER TABLE bare_events ALTER hash DROP NOT NULL, ALTER row_hash DROP NOT NULL,
	DROP CONSTRAINT IF EXISTS events_row_hash_recorded;
INSERT INTO bare_events OVERRIDING SYSTEM VALUE SELECT * FROM robot_registry.events;
ALTER TABLE bare_events ALTER event_id SET DEFAULT nextval('robot_registry.log_sequence');
VACUUM ANALYZE bench_pool, bare_robots, bare_events;
SELECT count(*) AS robots, (SELECT count(*) FROM robot_registry.events) AS events,
       (SELECT count(*) FROM bench_pool) AS movable FROM robot_registry.robots;
