-- The registry at scale, for bench/run.sh scan: the generator loads the
-- robots; an unmapped LOGIN role (the public) scans codes the market
-- allows, drawn at random from a pool.  psql variable: robots.
\set ON_ERROR_STOP on
CREATE EXTENSION IF NOT EXISTS robotid;
SELECT robot_registry_install();
SELECT robot_registry_install_demo();
CALL robot_registry.generate_demo(:robots);

DROP ROLE IF EXISTS bench_public;
CREATE ROLE bench_public LOGIN;

-- good codes: registered, not scrapped, not under recall
CREATE TABLE bench_scan_pool (n int PRIMARY KEY, id robot_id NOT NULL, code text NOT NULL);
INSERT INTO bench_scan_pool
SELECT row_number() OVER (ORDER BY id), id, id::text FROM robot_registry.robots
 WHERE state NOT IN ('recycled', 'retired') AND NOT recalled;
GRANT SELECT ON bench_scan_pool TO bench_public;
VACUUM ANALYZE;
SELECT count(*) AS robots, (SELECT count(*) FROM bench_scan_pool) AS good_codes FROM robot_registry.robots;
