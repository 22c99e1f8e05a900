-- robot_id against uuid, text with a CHECK and numeric(29,0), on the same
-- 2 million realistic codes: 100 manufacturers of one country, 2 models
-- each, sequential date-prefixed serials, shuffled.
-- Run by bench/run.sh type; psql variables: dir (a directory the server can
-- write), rows, rounds.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS robotid;
SELECT setseed(0.42) \gset ignored_
\set codes_file :dir '/codes.txt'
\set uuid_file :dir '/codes_uuid.txt'

CREATE TABLE bench_codes AS
SELECT make_robot_id('86', lpad((1 + m / 2)::text, 4, '0'), lpad((m % 2 + 1)::text, 6, '0'),
                     20260101000000000 + s)::text AS code
  FROM generate_series(0, 199) m, generate_series(1, :rows / 200) s
 ORDER BY random();
COPY bench_codes TO :'codes_file';
-- uuid gets the same digits, left-padded to 32 hex digits: same order
COPY (SELECT ('000' || code)::uuid FROM bench_codes) TO :'uuid_file';
DROP TABLE bench_codes;

CREATE TABLE bench_result (round int, kind text, metric text, value float8);

CREATE FUNCTION bench_one(round int, kind text, dir text) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
	coltype text := CASE kind WHEN 'text' THEN 'text CHECK (id ~ ''^[0-9]{29}$'')'
	                          WHEN 'numeric' THEN 'numeric(29,0)' ELSE kind END;
	file text := CASE kind WHEN 'uuid' THEN dir || '/codes_uuid.txt' ELSE dir || '/codes.txt' END;
	t0 timestamptz;
	n bigint;
BEGIN
	EXECUTE 'DROP TABLE IF EXISTS bench_t';
	EXECUTE format('CREATE TABLE bench_t (id %s)', coltype);

	t0 := clock_timestamp();
	EXECUTE format('COPY bench_t FROM %L', file);
	INSERT INTO bench_result VALUES (round, kind, 'copy_ms',
		1000 * extract(epoch FROM clock_timestamp() - t0));

	-- sort without any index, in memory, single process
	t0 := clock_timestamp();
	EXECUTE 'SELECT count(*) FROM (SELECT id FROM bench_t ORDER BY id OFFSET 0) s' INTO n;
	INSERT INTO bench_result VALUES (round, kind, 'order_by_ms',
		1000 * extract(epoch FROM clock_timestamp() - t0));

	t0 := clock_timestamp();
	EXECUTE 'CREATE INDEX bench_t_id ON bench_t (id)';
	INSERT INTO bench_result VALUES (round, kind, 'create_index_ms',
		1000 * extract(epoch FROM clock_timestamp() - t0));

	INSERT INTO bench_result VALUES (round, kind, 'table_mb',
		pg_relation_size('bench_t') / 1048576.0);
	INSERT INTO bench_result VALUES (round, kind, 'index_mb',
		pg_relation_size('bench_t_id') / 1048576.0);
	INSERT INTO bench_result VALUES (round, kind, 'total_mb',
		pg_total_relation_size('bench_t') / 1048576.0);
END
$fn$;

SET work_mem = '1GB';
SET maintenance_work_mem = '1GB';
SET max_parallel_workers_per_gather = 0;
SET max_parallel_maintenance_workers = 0;

-- alternate the types, rotating the order every round
\o /dev/null
SELECT format('SELECT bench_one(%s, %L, %L);', r, k, :'dir')
  FROM generate_series(1, :rounds) r,
       LATERAL (SELECT k FROM unnest(ARRAY['robot_id', 'uuid', 'text', 'numeric'])
                       WITH ORDINALITY AS u(k, i)
                 ORDER BY (i + r) % 4) kinds
\gexec
\o

\echo
\echo Medians over the rounds; ratio is against uuid (lower is better).
WITH med AS (
	SELECT kind, metric, percentile_cont(0.5) WITHIN GROUP (ORDER BY value) AS v
	  FROM bench_result GROUP BY kind, metric
)
SELECT m.kind AS type,
       round(max(v) FILTER (WHERE metric = 'copy_ms')::numeric, 0) AS copy_ms,
       round(max(v) FILTER (WHERE metric = 'create_index_ms')::numeric, 0) AS create_index_ms,
       round(max(v) FILTER (WHERE metric = 'order_by_ms')::numeric, 0) AS order_by_ms,
       round(max(v) FILTER (WHERE metric = 'table_mb')::numeric, 1) AS table_mb,
       round(max(v) FILTER (WHERE metric = 'index_mb')::numeric, 1) AS index_mb,
       round(max(v) FILTER (WHERE metric = 'total_mb')::numeric, 1) AS total_mb
  FROM med m GROUP BY m.kind
 ORDER BY array_position(ARRAY['robot_id', 'uuid', 'text', 'numeric'], m.kind);

WITH med AS (
	SELECT kind, metric, percentile_cont(0.5) WITHIN GROUP (ORDER BY value) AS v
	  FROM bench_result GROUP BY kind, metric
)
SELECT a.kind AS type, a.metric,
       round((a.v / nullif(u.v, 0))::numeric, 3) AS ratio_to_uuid
  FROM med a JOIN med u ON u.kind = 'uuid' AND u.metric = a.metric
 WHERE a.kind <> 'uuid' AND a.metric IN ('copy_ms', 'create_index_ms', 'order_by_ms', 'total_mb')
 ORDER BY array_position(ARRAY['robot_id', 'text', 'numeric'], a.kind), a.metric;

DROP TABLE IF EXISTS bench_t;
