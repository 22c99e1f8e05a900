-- The lifecycle and market triggers against no trigger and against their
-- PL/pgSQL twins (bench/trigger_plpgsql.sql); the market guard also against
-- its built-in peer, a plain FOREIGN KEY to the registry (which checks only
-- that the code exists, not its state or a recall).  Run by bench/run.sh
-- triggers; psql variables: rows, rounds.  Leaves bench_summary (benchmark,
-- variant, and the median, min and max of the per-round ratios) for
-- run.sh's summary.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS robotid;
\ir trigger_plpgsql.sql

-- one registry per lifecycle variant, so each update starts from the same
-- freshly loaded, vacuumed table
CREATE FUNCTION bench_registry_table(name text, rows int) RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
	EXECUTE format('DROP TABLE IF EXISTS %I', name);
	EXECUTE format('CREATE TABLE %I (id robot_id PRIMARY KEY, state robot_state NOT NULL,
		recalled boolean NOT NULL DEFAULT false, refurbished_from robot_id, owner text)', name);
	EXECUTE format($q$INSERT INTO %I (id, state, owner)
		SELECT make_robot_id('86', lpad((1 + g %% 100)::text, 4, '0'),
		                     lpad((1 + g / 100 %% 2)::text, 6, '0'), 20260101000000000 + g),
		       'sold', 'operator ' || g %% 1000
		  FROM generate_series(1, %s) g$q$, name, rows);
END
$fn$;

CREATE TABLE bench_result (round int, test text, variant text, ms float8);

CREATE FUNCTION bench_lifecycle(round int, variant text, rows int) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
	t0 timestamptz;
BEGIN
	PERFORM bench_registry_table('bench_lifecycle_t', rows);
	IF variant = 'robot_lifecycle_guard' THEN
		CREATE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON bench_lifecycle_t
			FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard();
	ELSIF variant = 'plpgsql' THEN
		CREATE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON bench_lifecycle_t
			FOR EACH ROW EXECUTE FUNCTION plpgsql_lifecycle_guard();
	END IF;
	t0 := clock_timestamp();
	UPDATE bench_lifecycle_t SET state = 'deployed';
	INSERT INTO bench_result VALUES (round, 'lifecycle: UPDATE state of every robot', variant,
		1000 * extract(epoch FROM clock_timestamp() - t0));
END
$fn$;

CREATE FUNCTION bench_market(round int, variant text) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
	t0 timestamptz;
BEGIN
	DROP TABLE IF EXISTS bench_sales;
	CREATE TABLE bench_sales (sale_id bigint GENERATED ALWAYS AS IDENTITY,
		robot_id robot_id NOT NULL, price numeric(12,2), sold_at timestamptz DEFAULT now());
	IF variant = 'foreign key' THEN
		ALTER TABLE bench_sales ADD FOREIGN KEY (robot_id) REFERENCES bench_registry (id);
	ELSIF variant = 'robot_market_guard' THEN
		CREATE TRIGGER guard BEFORE INSERT OR UPDATE ON bench_sales
			FOR EACH ROW EXECUTE FUNCTION robot_market_guard('registry=bench_registry');
	ELSIF variant = 'plpgsql' THEN
		CREATE TRIGGER guard BEFORE INSERT OR UPDATE ON bench_sales
			FOR EACH ROW EXECUTE FUNCTION plpgsql_market_guard();
	END IF;
	t0 := clock_timestamp();
	INSERT INTO bench_sales (robot_id, price) SELECT id, 1000 FROM bench_registry;
	INSERT INTO bench_result VALUES (round, 'market: INSERT one sale per robot', variant,
		1000 * extract(epoch FROM clock_timestamp() - t0));
END
$fn$;

SELECT bench_registry_table('bench_registry', :rows) \gset ignored_
VACUUM ANALYZE bench_registry;

\o /dev/null
-- Each round runs every variant twice, the second time in the reverse
-- order (A B C C B A), and the first variant rotates from round to round:
-- a host slowing down or speeding up during a round then weighs on every
-- variant alike.  A round's time of a variant is the mean of its two runs.
SELECT format('SELECT bench_lifecycle(%s, %L, %s); CHECKPOINT;', r, v, :rows)
  FROM generate_series(1, :rounds) r,
       LATERAL (SELECT v FROM unnest(ARRAY['no trigger', 'robot_lifecycle_guard', 'plpgsql'])
                       WITH ORDINALITY AS u(v, i), (VALUES (1), (2)) AS p(pass)
                 ORDER BY pass, CASE pass WHEN 1 THEN (i + r) % 3 ELSE -((i + r) % 3) END) variants
\gexec
SELECT format('SELECT bench_market(%s, %L); CHECKPOINT;', r, v)
  FROM generate_series(1, :rounds) r,
       LATERAL (SELECT v FROM unnest(ARRAY['no trigger', 'robot_market_guard', 'plpgsql', 'foreign key'])
                       WITH ORDINALITY AS u(v, i), (VALUES (1), (2)) AS p(pass)
                 ORDER BY pass, CASE pass WHEN 1 THEN (i + r) % 4 ELSE -((i + r) % 4) END) variants
\gexec
\o

\pset footer off
-- a round's time of a variant: the mean of its two runs
CREATE TABLE bench_round AS
SELECT round, test, variant, avg(ms) AS ms FROM bench_result GROUP BY round, test, variant;
-- each round's ratio of one variant to another of the same test
CREATE TABLE bench_ratio AS
SELECT a.round, a.test, a.variant, b.variant AS baseline, a.ms / b.ms AS ratio
  FROM bench_round a JOIN bench_round b ON b.round = a.round AND b.test = a.test
 WHERE b.variant IN ('no trigger', 'plpgsql', 'foreign key') AND a.variant <> b.variant;

\echo
\echo Times in ms, min / median / max over the rounds; ratios to the no-trigger run, to the
\echo PL/pgSQL twin and to a plain foreign key: median of the per-round ratios (min-max).
WITH r AS (
	SELECT test, variant, baseline,
	       format('%s (%s-%s)', round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ratio)::numeric, 2),
	              round(min(ratio)::numeric, 2), round(max(ratio)::numeric, 2)) AS r
	  FROM bench_ratio GROUP BY test, variant, baseline
)
SELECT m.test, m.variant, count(*) AS rounds,
       format('%s / %s / %s', round(min(m.ms)::numeric), round(percentile_cont(0.5) WITHIN GROUP (ORDER BY m.ms)::numeric),
              round(max(m.ms)::numeric)) AS "ms min / median / max",
       coalesce((SELECT r FROM r WHERE r.test = m.test AND r.variant = m.variant AND baseline = 'no trigger'), '1') AS vs_no_trigger,
       coalesce((SELECT r FROM r WHERE r.test = m.test AND r.variant = m.variant AND baseline = 'plpgsql'), '1') AS vs_plpgsql,
       CASE WHEN m.test LIKE 'market%' THEN
            coalesce((SELECT r FROM r WHERE r.test = m.test AND r.variant = m.variant AND baseline = 'foreign key'), '1')
       END AS vs_foreign_key
  FROM bench_round m
 GROUP BY m.test, m.variant
 ORDER BY m.test, percentile_cont(0.5) WITHIN GROUP (ORDER BY m.ms);

CREATE TABLE bench_summary AS
SELECT row_number() OVER (ORDER BY test, variant DESC, baseline DESC) AS position,
       'triggers' AS benchmark,
       format('%s / %s, %s', variant, baseline, split_part(test, ':', 1)) AS variant,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY ratio) AS median, min(ratio) AS min, max(ratio) AS max
  FROM bench_ratio
 WHERE variant IN ('robot_lifecycle_guard', 'robot_market_guard')
 GROUP BY test, variant, baseline;
