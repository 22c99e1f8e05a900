-- The lifecycle and market triggers against no trigger and against their
-- PL/pgSQL twins (bench/trigger_plpgsql.sql).  Run by bench/run.sh
-- triggers; psql variables: rows, rounds.
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
	IF variant = 'robot_market_guard' THEN
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
SELECT format('SELECT bench_lifecycle(%s, %L, %s); CHECKPOINT;', r, v, :rows)
  FROM generate_series(1, :rounds) r,
       LATERAL (SELECT v FROM unnest(ARRAY['no trigger', 'robot_lifecycle_guard', 'plpgsql'])
                       WITH ORDINALITY AS u(v, i) ORDER BY (i + r) % 3) variants
\gexec
SELECT format('SELECT bench_market(%s, %L); CHECKPOINT;', r, v)
  FROM generate_series(1, :rounds) r,
       LATERAL (SELECT v FROM unnest(ARRAY['no trigger', 'robot_market_guard', 'plpgsql'])
                       WITH ORDINALITY AS u(v, i) ORDER BY (i + r) % 3) variants
\gexec
\o

\echo
\echo Medians over the rounds, and ratios to the no-trigger run and to the PL/pgSQL twin.
WITH med AS (
	SELECT test, variant, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms
	  FROM bench_result GROUP BY test, variant
)
SELECT m.test, m.variant, round(m.ms::numeric, 0) AS median_ms,
       round((m.ms / n.ms)::numeric, 2) AS vs_no_trigger,
       round((m.ms / p.ms)::numeric, 2) AS vs_plpgsql
  FROM med m
  JOIN med n ON n.test = m.test AND n.variant = 'no trigger'
  JOIN med p ON p.test = m.test AND p.variant = 'plpgsql'
 ORDER BY m.test, m.ms;
