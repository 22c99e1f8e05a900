-- issue_codes(model, n) in each layout against n register_robot() calls in
-- one transaction, as a mapped manufacturer LOGIN role, so row-level
-- security and every registry trigger apply.  Rounds alternate the three
-- variants; each runs in a subtransaction that is rolled back after it is
-- timed, so every round starts from the same registry.
--   psql -v n=100000 -v rounds=3 -f bench/issue_codes.sql   (run.sh issue)
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS robotid;
SELECT robot_registry_install();
INSERT INTO robot_registry.manufacturers VALUES ('860001', 'Bench Robotics');
INSERT INTO robot_registry.models (model_key, name) VALUES ('860001000001', 'Bench A1');
DROP ROLE IF EXISTS bench_issuer;
CREATE ROLE bench_issuer LOGIN;
INSERT INTO robot_registry.actors VALUES ('bench_issuer', 'manufacturer', '860001');
-- the timings outlive the issuer's session, for run.sh's summary
DROP TABLE IF EXISTS issue_timings;
CREATE TABLE issue_timings (round int, variant text, seconds float8);
GRANT INSERT, SELECT ON issue_timings TO bench_issuer;
-- a model that already has codes of both kinds
SET ROLE bench_issuer;
SELECT count(*) AS existing FROM robot_registry.issue_codes('860001000001', 5000);
SELECT count(*) AS existing FROM robot_registry.issue_codes('860001000001', 5000, 'sequential');
RESET ROLE;
\c - bench_issuer
SELECT set_config('bench.n', :'n', false), set_config('bench.rounds', :'rounds', false);
DO $$
DECLARE
	n int := current_setting('bench.n')::int;
	variant text;
	t0 timestamptz;
	took float8;
BEGIN
	FOR round IN 1 .. current_setting('bench.rounds')::int LOOP
		FOREACH variant IN ARRAY ARRAY['register_robot', 'random', 'sequential'] LOOP
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
				INSERT INTO issue_timings VALUES (round, variant, SQLERRM::float8);
				RAISE NOTICE 'round % %: % s', round, variant, round(SQLERRM::numeric, 2);
			END;
		END LOOP;
	END LOOP;
END
$$;
SELECT variant, count(*) AS rounds,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds)::numeric, 2) AS median_s,
       round(min(seconds)::numeric, 2) AS min_s, round(max(seconds)::numeric, 2) AS max_s,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds)
              / (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) FROM issue_timings
                  WHERE variant = 'register_robot'))::numeric, 3) AS ratio_to_register_robot
  FROM issue_timings GROUP BY variant ORDER BY variant;
\c - postgres
CREATE TABLE bench_summary AS
SELECT row_number() OVER (ORDER BY i.variant) AS position, 'issue' AS benchmark,
       format('issue_codes() %s / register_robot() calls', i.variant) AS variant,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY i.seconds / r.seconds) AS median,
       min(i.seconds / r.seconds) AS min, max(i.seconds / r.seconds) AS max
  FROM issue_timings i JOIN issue_timings r ON r.round = i.round AND r.variant = 'register_robot'
 WHERE i.variant <> 'register_robot'
 GROUP BY i.variant;
