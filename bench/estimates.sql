-- Row estimates against actual rows, with PostgreSQL's own estimators (what
-- robotid 1.3 and earlier used) and with robotid's (1.4), on the same data:
-- :makers makers x 5 models x :serials sequential serials, btree, ANALYZE.
--   psql -v makers=60 -v serials=3400 -f bench/estimates.sql   (run.sh estimates)
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS robotid;
DROP TABLE IF EXISTS est_fleet;
CREATE TABLE est_fleet (id robot_id PRIMARY KEY);
INSERT INTO est_fleet
SELECT make_robot_id('86', lpad(m::text, 4, '0'), lpad((k * 7)::text, 6, '0'), 20260000000000000 + s)
  FROM generate_series(1, :makers) m, generate_series(1, 5) k, generate_series(1, :serials) s;
SELECT count(*) AS robots, count(DISTINCT robot_id_model_key(id)) AS models FROM est_fleet;

CREATE TEMP TABLE shapes (shape text, q text);
SELECT set_config('bench.makers', :'makers', false), set_config('bench.serials', :'serials', false);
INSERT INTO shapes
SELECT 'model-key prefix', format($$id ^@ '%s'$$, '86' || lpad(m::text, 4, '0') || lpad((k * 7)::text, 6, '0'))
  FROM (VALUES (1, 1), (17, 3), (42, 5)) v(m, k)
UNION ALL
SELECT 'manufacturer-key prefix', format($$id ^@ '%s'$$, '86' || lpad(m::text, 4, '0'))
  FROM (VALUES (2), (30), (59)) v(m)
UNION ALL
SELECT 'serial range in a model', format('id BETWEEN %L AND %L',
         make_robot_id('86', lpad(m::text, 4, '0'), lpad((k * 7)::text, 6, '0'), 20260000000000000 + a),
         make_robot_id('86', lpad(m::text, 4, '0'), lpad((k * 7)::text, 6, '0'), 20260000000000000 + b))
  FROM (VALUES (3, 2, 100, 199), (25, 4, 1000, 1999), (50, 1, 10, 3009)) v(m, k, a, b)
UNION ALL
SELECT 'one-sided range', format('id %s %L', op, make_robot_id('86', lpad(m::text, 4, '0'), '000014', 20260000000000500))
  FROM (VALUES ('>', 10), ('<', 45), ('>=', 55)) v(op, m)
UNION ALL
SELECT 'equality', format('id = %L', make_robot_id('86', '0009', '000021', 20260000000000077));

CREATE TEMP TABLE results (estimators text, shape text, q text, estimated float8, actual bigint);
CREATE FUNCTION pg_temp.measure(estimators text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	s record;
	plan json;
	n bigint;
BEGIN
	FOR s IN SELECT * FROM shapes LOOP
		EXECUTE 'EXPLAIN (FORMAT JSON) SELECT * FROM est_fleet WHERE ' || s.q INTO plan;
		EXECUTE 'SELECT count(*) FROM est_fleet WHERE ' || s.q INTO n;
		INSERT INTO results VALUES (estimators, s.shape, s.q, (plan -> 0 -> 'Plan' ->> 'Plan Rows')::float8, n);
	END LOOP;
END
$$;

-- PostgreSQL's estimators: histogram buckets without interpolation
ALTER OPERATOR < (robot_id, robot_id) SET (RESTRICT = scalarltsel);
ALTER OPERATOR <= (robot_id, robot_id) SET (RESTRICT = scalarlesel);
ALTER OPERATOR > (robot_id, robot_id) SET (RESTRICT = scalargtsel);
ALTER OPERATOR >= (robot_id, robot_id) SET (RESTRICT = scalargesel);
ALTER TYPE robot_id SET (ANALYZE = NONE);
ANALYZE est_fleet;
SELECT pg_temp.measure('PostgreSQL');
-- robotid's
ALTER OPERATOR < (robot_id, robot_id) SET (RESTRICT = robot_id_rangesel);
ALTER OPERATOR <= (robot_id, robot_id) SET (RESTRICT = robot_id_rangesel);
ALTER OPERATOR > (robot_id, robot_id) SET (RESTRICT = robot_id_rangesel);
ALTER OPERATOR >= (robot_id, robot_id) SET (RESTRICT = robot_id_rangesel);
ALTER TYPE robot_id SET (ANALYZE = robot_id_typanalyze);
ANALYZE est_fleet;
SELECT pg_temp.measure('robotid');

\pset format aligned
SELECT r.shape, r.q AS "WHERE", r.actual,
       p.estimated AS "PostgreSQL", round((greatest(p.estimated, p.actual) / greatest(least(p.estimated, p.actual), 1))::numeric, 2) AS "off by",
       r.estimated AS "robotid", round((greatest(r.estimated, r.actual) / greatest(least(r.estimated, r.actual), 1))::numeric, 2) AS "off by "
  FROM results r JOIN results p ON p.q = r.q AND p.estimators = 'PostgreSQL'
 WHERE r.estimators = 'robotid'
 ORDER BY r.shape, r.q;
SELECT estimators, max(greatest(estimated, actual) / greatest(least(estimated, actual), 1)) AS worst_factor
  FROM results GROUP BY estimators ORDER BY estimators;
-- for run.sh's summary: one measurement, not rounds
CREATE TABLE bench_summary AS
SELECT row_number() OVER (ORDER BY estimators DESC) AS position, 'estimates' AS benchmark,
       format('worst estimate/actual factor, %s''s estimators', estimators) AS variant,
       f AS median, f AS min, f AS max
  FROM (SELECT estimators, max(greatest(estimated, actual) / greatest(least(estimated, actual), 1)) AS f
          FROM results GROUP BY estimators) w;
DROP TABLE est_fleet;
