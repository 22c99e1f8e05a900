-- Reads that must come from indexes: one passport, the fleet of one model.
\set ON_ERROR_STOP on
\pset footer off
SELECT id AS probe FROM bench_pool WHERE n = 1 \gset
\echo == plans: the look-ups of a passport, and the fleet of one model
EXPLAIN (COSTS OFF) SELECT * FROM robot_registry.robots WHERE id = :'probe';
EXPLAIN (COSTS OFF) SELECT * FROM robot_registry.events WHERE robot_id = :'probe' ORDER BY event_id;
EXPLAIN (COSTS OFF) SELECT * FROM robot_registry.fleet_by_model WHERE model_key = '860001000001';
\echo == timings, as the operator role (row-level security on)
SET ROLE bench_operator;
CREATE TEMP TABLE timings (what text, ms float8);
DO $$
DECLARE
	t0 timestamptz;
	-- every 997th robot; at least ten on a small registry
	ids robot_id[] := ARRAY(SELECT id FROM bench_pool
	                         WHERE n % least(997, greatest(1, (SELECT count(*) FROM bench_pool) / 10)) = 0 LIMIT 1000);
	i int;
	j jsonb;
	models text[] := ARRAY(SELECT model_key FROM robot_registry.models ORDER BY model_key);
BEGIN
	FOR round IN 1..5 LOOP
		t0 := clock_timestamp();
		FOR i IN 1..array_length(ids, 1) LOOP
			j := robot_registry.passport(ids[i]);
		END LOOP;
		INSERT INTO timings VALUES ('passport of one robot', 1000 * extract(epoch FROM clock_timestamp() - t0) / array_length(ids, 1));
		t0 := clock_timestamp();
		FOR i IN 1..array_length(models, 1) LOOP
			PERFORM * FROM robot_registry.fleet_by_model WHERE model_key = models[i];
		END LOOP;
		INSERT INTO timings VALUES ('fleet_by_model of one model', 1000 * extract(epoch FROM clock_timestamp() - t0) / array_length(models, 1));
	END LOOP;
END
$$;
SELECT what, count(*) AS rounds, round(min(ms)::numeric, 3) AS min_ms,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 3) AS median_ms, round(max(ms)::numeric, 3) AS max_ms
  FROM timings GROUP BY what ORDER BY what;
RESET ROLE;
\echo == tamper evidence at this scale, as the owner: verify() and checkpoint()
\timing on
SELECT count(*) AS broken FROM robot_registry.verify();
SELECT upto_event_id, left(root, 16) AS root FROM robot_registry.checkpoint();
SELECT robot_registry.verify_checkpoint(upto_event_id, root) FROM robot_registry.checkpoints
 ORDER BY upto_event_id DESC LIMIT 1;
\timing off
