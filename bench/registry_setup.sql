-- The registry at scale, for bench/run.sh registry: the generator loads the
-- robots and their histories; an operator role, acting for the party that
-- holds the robots sold to fleets, moves them; bare twins of the tables
-- (no triggers, no hashing, no row-level security, no custody) are the
-- baseline.  psql variable: robots.
\set ON_ERROR_STOP on
CREATE EXTENSION IF NOT EXISTS robotid;
SELECT robot_registry_install();
SELECT robot_registry_install_demo();
CALL robot_registry.generate_demo(:robots);
VACUUM ANALYZE;

DROP ROLE IF EXISTS bench_operator;
CREATE ROLE bench_operator LOGIN;
-- generate_demo() sells most robots to the party 'Demo Fleet Operations'
INSERT INTO robot_registry.actors (role_name, kind, manufacturer_key, party)
VALUES ('bench_operator', 'operator', NULL, 'Demo Fleet Operations');

-- the robots the operator may move at random: in service, not recalled,
-- held by its party
CREATE TABLE bench_pool (n int PRIMARY KEY, id robot_id NOT NULL);
INSERT INTO bench_pool
SELECT row_number() OVER (ORDER BY id), id FROM robot_registry.robots
 WHERE state IN ('sold', 'deployed', 'maintenance') AND NOT recalled AND custodian = 'Demo Fleet Operations';
GRANT SELECT ON bench_pool TO bench_operator;

-- same columns (custodian too), defaults and indexes; no triggers, no
-- policies
CREATE TABLE bare_robots (LIKE robot_registry.robots INCLUDING ALL);
INSERT INTO bare_robots (id, state, recalled, refurbished_from, owner_name, location,
	registered_at, updated_at, changed_by, revision, custodian)
SELECT id, state, recalled, refurbished_from, owner_name, location, registered_at, updated_at, changed_by, revision, custodian
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
