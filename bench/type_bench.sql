-- robot_id against uuid, text with a CHECK and numeric(29,0), on the same
-- 2 million realistic codes: 100 manufacturers of one country, 2 models
-- each, sequential date-prefixed serials, shuffled.  Two uuid baselines:
-- the same digits zero-padded (uuid_padded: same order, but the first 8
-- bytes, uuid's abbreviated key, are then nearly constant) and random
-- uuids (uuid_random: what a uuid user has).
-- Run by bench/run.sh type; psql variables: dir (a directory the server can
-- write), rows, rounds.  Leaves bench_summary (benchmark, variant, and the
-- median, min and max of the per-round ratios) for run.sh's summary:
-- robot_id against both uuids, text and numeric against random uuids.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS robotid;
SELECT setseed(0.42) \gset ignored_
\set codes_file :dir '/codes.txt'
\set uuid_file :dir '/codes_uuid.txt'
\set uuid_random_file :dir '/codes_uuid_random.txt'

CREATE TABLE bench_codes AS
SELECT make_robot_id('86', lpad((1 + m / 2)::text, 4, '0'), lpad((m % 2 + 1)::text, 6, '0'),
                     20260101000000000 + s)::text AS code
  FROM generate_series(0, 199) m, generate_series(1, :rows / 200) s
 ORDER BY random();
COPY bench_codes TO :'codes_file';
-- uuid gets the same digits, left-padded to 32 hex digits: same order
COPY (SELECT ('000' || code)::uuid FROM bench_codes) TO :'uuid_file';
COPY (SELECT gen_random_uuid() FROM bench_codes) TO :'uuid_random_file';
DROP TABLE bench_codes;

CREATE TABLE bench_result (round int, kind text, metric text, value float8);

CREATE FUNCTION bench_one(round int, kind text, dir text) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
	coltype text := CASE kind WHEN 'text' THEN 'text CHECK (id ~ ''^[0-9]{29}$'')'
	                          WHEN 'numeric' THEN 'numeric(29,0)'
	                          WHEN 'uuid_padded' THEN 'uuid' WHEN 'uuid_random' THEN 'uuid' ELSE kind END;
	file text := CASE kind WHEN 'uuid_padded' THEN dir || '/codes_uuid.txt'
	                       WHEN 'uuid_random' THEN dir || '/codes_uuid_random.txt'
	                       ELSE dir || '/codes.txt' END;
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
-- the ORDER BY runs before the index exists, but a sort must never be
-- replaced by a scan
SET enable_indexscan = off;
SET enable_indexonlyscan = off;
SET enable_bitmapscan = off;
SET jit = off;

-- alternate the types, rotating the order every round
\o /dev/null
SELECT format('SELECT bench_one(%s, %L, %L);', r, k, :'dir')
  FROM generate_series(1, :rounds) r,
       LATERAL (SELECT k FROM unnest(ARRAY['robot_id', 'uuid_padded', 'uuid_random', 'text', 'numeric'])
                       WITH ORDINALITY AS u(k, i)
                 ORDER BY (i + r) % 5) kinds
\gexec
\o

\pset footer off
\echo
\echo Times in ms and sizes in MB: min / median / max over the rounds.
SELECT kind AS type, metric, count(*) AS rounds,
       format('%s / %s / %s', round(min(value)::numeric, d), round(percentile_cont(0.5) WITHIN GROUP (ORDER BY value)::numeric, d),
              round(max(value)::numeric, d)) AS "min / median / max"
  FROM bench_result, LATERAL (SELECT CASE WHEN metric LIKE '%_mb' THEN 1 ELSE 0 END AS d) p
 GROUP BY kind, metric, d
 ORDER BY array_position(ARRAY['robot_id', 'uuid_padded', 'uuid_random', 'text', 'numeric'], kind),
          array_position(ARRAY['copy_ms', 'create_index_ms', 'order_by_ms', 'table_mb', 'index_mb', 'total_mb'], metric);

-- each round's ratio, type over baseline, of the same metric
CREATE TABLE bench_ratio AS
SELECT a.round, a.kind, b.kind AS baseline, a.metric, a.value / nullif(b.value, 0) AS ratio
  FROM bench_result a JOIN bench_result b ON b.round = a.round AND b.metric = a.metric
 WHERE b.kind IN ('uuid_padded', 'uuid_random') AND a.kind NOT IN ('uuid_padded', 'uuid_random')
   AND a.metric IN ('copy_ms', 'create_index_ms', 'order_by_ms', 'total_mb');

\echo
\echo Ratios to each uuid baseline (lower is better): median of the per-round ratios (min-max).
SELECT kind AS type, metric,
       max(r) FILTER (WHERE baseline = 'uuid_padded') AS vs_uuid_padded,
       max(r) FILTER (WHERE baseline = 'uuid_random') AS vs_uuid_random
  FROM (SELECT kind, metric, baseline,
               format('%s (%s-%s)', round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ratio)::numeric, 2),
                      round(min(ratio)::numeric, 2), round(max(ratio)::numeric, 2)) AS r
          FROM bench_ratio GROUP BY kind, metric, baseline) s
 GROUP BY kind, metric
 ORDER BY array_position(ARRAY['robot_id', 'text', 'numeric'], kind),
          array_position(ARRAY['copy_ms', 'create_index_ms', 'order_by_ms', 'total_mb'], metric);

CREATE TABLE bench_summary AS
SELECT row_number() OVER (ORDER BY array_position(ARRAY['robot_id', 'text', 'numeric'], kind), baseline DESC,
           array_position(ARRAY['copy_ms', 'create_index_ms', 'order_by_ms', 'total_mb'], metric)) AS position,
       'type' AS benchmark,
       format('%s / %s, %s', CASE kind WHEN 'text' THEN 'text + CHECK' WHEN 'numeric' THEN 'numeric(29,0)' ELSE kind END,
              baseline, CASE metric WHEN 'copy_ms' THEN 'COPY' WHEN 'create_index_ms' THEN 'CREATE INDEX'
              WHEN 'order_by_ms' THEN 'ORDER BY' ELSE 'total size' END) AS variant,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY ratio) AS median, min(ratio) AS min, max(ratio) AS max
  FROM bench_ratio
 WHERE kind = 'robot_id' OR (kind IN ('text', 'numeric') AND baseline = 'uuid_random')
 GROUP BY kind, baseline, metric;

DROP TABLE IF EXISTS bench_t;
