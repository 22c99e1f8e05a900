-- One variant of one round of bench/issue_codes.sql, as bench_issuer:
--   psql -v n=100000 -v round=1 -v variant=random -f bench/issue_round.sql
-- variant: register_robot (n calls), random or sequential (one call of n).
-- The work is rolled back after it is timed; its time is kept.
\set ON_ERROR_STOP on
SET client_min_messages = notice;
SELECT set_config('bench.n', :'n', false), set_config('bench.round', :'round', false),
       set_config('bench.variant', :'variant', false) \gset
DO $$
DECLARE
	n int := current_setting('bench.n')::int;
	variant text := current_setting('bench.variant');
	t0 timestamptz;
	took float8;
BEGIN
	BEGIN
		t0 := clock_timestamp();
		IF variant = 'register_robot' THEN
			PERFORM robot_registry.register_robot(make_robot_id('86', '0001', '000001', 50000000000000000 + g))
			   FROM generate_series(1, n) g;
		ELSE
			PERFORM robot_registry.issue_codes('860001000001', n, variant);
		END IF;
		took := extract(epoch FROM clock_timestamp() - t0);
		RAISE EXCEPTION USING ERRCODE = 'BENCH', MESSAGE = took::text;
	EXCEPTION WHEN SQLSTATE 'BENCH' THEN
		INSERT INTO issue_timings VALUES (current_setting('bench.round')::int, variant, SQLERRM::float8);
		RAISE NOTICE 'round % %: % s', current_setting('bench.round'), variant, round(SQLERRM::numeric, 2);
	END;
END
$$;
