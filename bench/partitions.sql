-- Native hash partitioning with the guards, for bench/run.sh partitions:
-- a robots table of :rows rows, PARTITION BY HASH (id) into 16 partitions,
-- against the same table unpartitioned, each with and without
-- robot_lifecycle_guard.  The guard's cost per move is the guarded
-- table's time per move less the bare one's, in each layout, over :moves
-- random moves (deployed <-> maintenance) per round, alternating; then the
-- plans of = and ^@, to show what prunes.  psql variables: rows, moves,
-- rounds.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS robotid;

CREATE TABLE part_guarded (id robot_id PRIMARY KEY, state robot_state NOT NULL,
	recalled boolean NOT NULL DEFAULT false, refurbished_from robot_id) PARTITION BY HASH (id);
SELECT format('CREATE TABLE part_guarded_%s PARTITION OF part_guarded FOR VALUES WITH (MODULUS 16, REMAINDER %s)', i, i)
  FROM generate_series(0, 15) i \gexec
CREATE TABLE part_bare (LIKE part_guarded INCLUDING ALL) PARTITION BY HASH (id);
SELECT format('CREATE TABLE part_bare_%s PARTITION OF part_bare FOR VALUES WITH (MODULUS 16, REMAINDER %s)', i, i)
  FROM generate_series(0, 15) i \gexec
CREATE TABLE flat_guarded (LIKE part_guarded INCLUDING ALL);
CREATE TABLE flat_bare (LIKE part_guarded INCLUDING ALL);

-- 100 makers, 2 models each; loaded before the triggers exist
SELECT format($q$INSERT INTO %I SELECT make_robot_id('86', lpad((1 + g %% 100)::text, 4, '0'),
		lpad((1 + g / 100 %% 2)::text, 6, '0'), 20260101000000000 + g), 'deployed'
	FROM generate_series(1, %s) g$q$, t, :rows)
  FROM unnest(ARRAY['part_guarded', 'part_bare', 'flat_guarded', 'flat_bare']) t \gexec
CREATE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON part_guarded
	FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard();
CREATE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON flat_guarded
	FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard();
VACUUM ANALYZE part_guarded, part_bare, flat_guarded, flat_bare;

CREATE TABLE part_result (round int, variant text, us_per_move float8);
CREATE FUNCTION part_moves(t text, ids robot_id[]) RETURNS float8 LANGUAGE plpgsql AS $fn$
DECLARE
	t0 timestamptz := clock_timestamp();
	i int;
BEGIN
	FOR i IN 1..array_length(ids, 1) LOOP
		EXECUTE format($q$UPDATE %I SET state = CASE state WHEN 'deployed' THEN 'maintenance'::robot_state
		                                       ELSE 'deployed'::robot_state END WHERE id = $1$q$, t) USING ids[i];
	END LOOP;
	RETURN 1e6 * extract(epoch FROM clock_timestamp() - t0) / array_length(ids, 1);
END
$fn$;
SELECT set_config('bench.moves', :'moves', false), set_config('bench.rows', :'rows', false),
       set_config('bench.rounds', :'rounds', false) \gset
DO $$
DECLARE
	ids robot_id[];
	t text;
BEGIN
	FOR r IN 1..current_setting('bench.rounds')::int LOOP
		ids := ARRAY(SELECT id FROM flat_bare TABLESAMPLE BERNOULLI (100.0 * current_setting('bench.moves')::int / current_setting('bench.rows')::int)
		              ORDER BY random());
		FOREACH t IN ARRAY ARRAY['flat_bare', 'flat_guarded', 'part_bare', 'part_guarded'] LOOP
			INSERT INTO part_result VALUES (r, t, part_moves(t, ids));
		END LOOP;
	END LOOP;
END
$$;
\echo == :rows rows in each of the four tables, :moves moves a round, :rounds rounds
\echo == microseconds per move (median of rounds), and the guard cost in each layout
WITH m AS (SELECT variant, percentile_cont(0.5) WITHIN GROUP (ORDER BY us_per_move) AS us
             FROM part_result GROUP BY variant)
SELECT round((SELECT us FROM m WHERE variant = 'flat_bare')::numeric, 1) AS flat_bare,
       round((SELECT us FROM m WHERE variant = 'flat_guarded')::numeric, 1) AS flat_guarded,
       round((SELECT us FROM m WHERE variant = 'part_bare')::numeric, 1) AS part_bare,
       round((SELECT us FROM m WHERE variant = 'part_guarded')::numeric, 1) AS part_guarded,
       round(((SELECT us FROM m WHERE variant = 'flat_guarded') - (SELECT us FROM m WHERE variant = 'flat_bare'))::numeric, 1) AS guard_flat,
       round(((SELECT us FROM m WHERE variant = 'part_guarded') - (SELECT us FROM m WHERE variant = 'part_bare'))::numeric, 1) AS guard_partitioned;
\pset footer off
\echo == microseconds per move: min / median / max over the rounds
SELECT variant, count(*) AS rounds,
       format('%s / %s / %s', round(min(us_per_move)::numeric, 1),
              round(percentile_cont(0.5) WITHIN GROUP (ORDER BY us_per_move)::numeric, 1),
              round(max(us_per_move)::numeric, 1)) AS "us min / median / max"
  FROM part_result GROUP BY variant
 ORDER BY array_position(ARRAY['flat_bare', 'flat_guarded', 'part_bare', 'part_guarded'], variant);
-- for run.sh's summary: each round's guarded / bare time per move, per layout
CREATE TABLE bench_summary AS
SELECT row_number() OVER (ORDER BY layout DESC) AS position, 'partitions' AS benchmark,
       format('guarded / bare move, %s', CASE layout WHEN 'flat' THEN 'one table' ELSE '16 hash partitions' END) AS variant,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY ratio) AS median, min(ratio) AS min, max(ratio) AS max
  FROM (SELECT g.round, split_part(g.variant, '_', 1) AS layout, g.us_per_move / b.us_per_move AS ratio
          FROM part_result g JOIN part_result b
            ON b.round = g.round AND b.variant = split_part(g.variant, '_', 1) || '_bare'
         WHERE g.variant LIKE '%_guarded') per_round
 GROUP BY layout;
\echo == pruning: = goes to one partition; ^@ (a range) cannot prune hash partitions
SELECT id AS probe FROM flat_bare LIMIT 1 \gset
EXPLAIN (COSTS OFF) SELECT * FROM part_guarded WHERE id = :'probe';
EXPLAIN (COSTS OFF) SELECT count(*) FROM part_guarded WHERE id ^@ '860001000001';
