-- Row estimates against actual rows, with PostgreSQL's own estimators (what
-- robotid 1.3 and earlier used) and with robotid's (1.4), on the same data:
-- :makers makers x 5 models x :serials sequential serials, btree, ANALYZE.
-- ANALYZE reads a random sample, so each of :rounds rounds analyzes again,
-- with each set of estimators, and measures every shape.
--   psql -v makers=60 -v serials=3400 -v rounds=5 -f bench/estimates.sql   (run.sh estimates)
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

CREATE TEMP TABLE results (round int, estimators text, shape text, q text, estimated float8, actual bigint);
CREATE FUNCTION pg_temp.measure(round int, estimators text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	s record;
	plan json;
	n bigint;
BEGIN
	FOR s IN SELECT * FROM shapes LOOP
		EXECUTE 'EXPLAIN (FORMAT JSON) SELECT * FROM est_fleet WHERE ' || s.q INTO plan;
		EXECUTE 'SELECT count(*) FROM est_fleet WHERE ' || s.q INTO n;
		INSERT INTO results VALUES (round, estimators, s.shape, s.q, (plan -> 0 -> 'Plan' ->> 'Plan Rows')::float8, n);
	END LOOP;
END
$$;
-- PostgreSQL's estimators (histogram buckets without interpolation) or
-- robotid's, on robot_id's operators and type
CREATE FUNCTION pg_temp.use_estimators(estimators text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	op text;
BEGIN
	FOREACH op IN ARRAY ARRAY['<', '<=', '>', '>='] LOOP
		EXECUTE format('ALTER OPERATOR %s (robot_id, robot_id) SET (RESTRICT = %s)', op,
		               CASE WHEN estimators = 'robotid' THEN 'robot_id_rangesel'
		                    ELSE CASE op WHEN '<' THEN 'scalarltsel' WHEN '<=' THEN 'scalarlesel'
		                                 WHEN '>' THEN 'scalargtsel' ELSE 'scalargesel' END END);
	END LOOP;
	EXECUTE format('ALTER TYPE robot_id SET (ANALYZE = %s)',
	               CASE WHEN estimators = 'robotid' THEN 'robot_id_typanalyze' ELSE 'NONE' END);
END
$$;
-- each round: both estimators, each on a fresh ANALYZE (their empty
-- results not shown)
\o /dev/null
SELECT format('SELECT pg_temp.use_estimators(%L)', e), 'ANALYZE est_fleet',
       format('SELECT pg_temp.measure(%s, %L)', r, e)
  FROM generate_series(1, :rounds) r, unnest(ARRAY['PostgreSQL', 'robotid']) e
 ORDER BY r, e \gexec
\o

CREATE TEMP VIEW factors AS
SELECT round, estimators, shape, q, estimated, actual,
       greatest(estimated, actual) / greatest(least(estimated, actual), 1) AS factor
  FROM results;
\pset format aligned
\echo == the estimate of every shape and how far it is off: medians over the rounds
SELECT r.shape, r.q AS "WHERE", r.actual,
       p.estimated AS "PostgreSQL", round(p.factor::numeric, 2) AS "off by",
       r.estimated AS "robotid", round(r.factor::numeric, 2) AS "off by "
  FROM (SELECT shape, q, min(actual) AS actual, percentile_cont(0.5) WITHIN GROUP (ORDER BY estimated) AS estimated,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY factor) AS factor
          FROM factors WHERE estimators = 'robotid' GROUP BY shape, q) r
  JOIN (SELECT q, percentile_cont(0.5) WITHIN GROUP (ORDER BY estimated) AS estimated,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY factor) AS factor
          FROM factors WHERE estimators = 'PostgreSQL' GROUP BY q) p ON p.q = r.q
 ORDER BY r.shape, r.q;
\echo == the worst factor of every round, and where it was
SELECT DISTINCT ON (estimators, round) round, estimators, round(factor::numeric, 2) AS worst_factor,
       q AS "WHERE", round(estimated) AS estimated, actual
  FROM factors ORDER BY estimators, round, factor DESC, q;
-- for run.sh's summary: the worst factor of each round, over the rounds
CREATE TABLE bench_summary AS
SELECT row_number() OVER (ORDER BY estimators DESC) AS position, 'estimates' AS benchmark,
       format('worst estimate/actual factor, %s''s estimators', estimators) AS variant,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY f) AS median, min(f) AS min, max(f) AS max
  FROM (SELECT round, estimators, max(factor) AS f FROM factors GROUP BY round, estimators) w
 GROUP BY estimators;
DROP TABLE est_fleet;
