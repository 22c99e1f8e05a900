-- Sorting robot_id against random uuids on the code distributions a
-- registry can have (issue 13).  Each distribution is loaded into one table
-- with a column of gen_random_uuid() beside the codes, so both columns sort
-- in the same table, with the same tuple width and the same run; and a
-- second column of random uuids, the control: uuid against uuid shows how
-- far this host's noise alone moves a ratio that is truly 1.
-- Run by bench/run.sh sort, which loads one distribution at a time with
-- sort_bench_load(), times each statement with log_statement_stats (the
-- backend's CPU time as well as the elapsed time: on a shared host the
-- elapsed time mostly measures the neighbours) and reports with
-- bench/sort_report.sql.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS robotid;

CREATE TABLE sort_result (dist text, round int, kind text, metric text, ms float8, cpu_ms float8,
						  run int);	-- the statement's place in its round
CREATE TABLE sort_distinct (dist text, distinct_keys float8, codes float8);

-- The distributions, in the order they are reported; first: which code the
-- sort sees first (shuffled: wherever the shuffle puts it).
CREATE TABLE sort_distribution (position int, dist text, description text, first text);
INSERT INTO sort_distribution VALUES
	(1, 'sequential', '100 makers x 2 models (model codes 001000-001199), serial = n / 200', 'shuffled'),
	(2, 'sequential_low', 'as sequential, the lowest code first', 'low'),
	(3, 'sequential_high', 'as sequential, the highest code first', 'high'),
	(4, 'dated', '150 makers x 2 models, serial YYYYMMDD + 9-digit daily sequence (6 a day per model) over 3 years', 'shuffled'),
	(5, 'dated_low', 'as dated, the lowest code first', 'low'),
	(6, 'dated_high', 'as dated, the highest code first', 'high'),
	(7, 'demo', 'generate_demo()''s layout: 100 makers x 2 models, serial YYYYMMDD of a random day in 2 years + a 9-digit running number', 'shuffled'),
	(8, 'makers_9999', '9,999 makers x 1 model, serial = n / 9999', 'shuffled'),
	(9, 'models_300', '20 makers x 300 models, serial = n / 6000', 'shuffled'),
	(10, 'sparse', '1 maker x 500 models, serials uniform in 0 .. 10^17 - 1 (issue_codes() random layout)', 'shuffled'),
	(11, 'one_model', 'a single model (a production line), serials 1 .. n', 'shuffled'),
	(12, 'one_model_dated', 'a single model, serial YYYYMMDD + daily sequence (1,825 a day) over 3 years', 'shuffled');

-- The codes of one distribution, n of them, distinct.
CREATE FUNCTION sort_bench_codes(dist text, n int) RETURNS TABLE (id robot_id)
LANGUAGE plpgsql AS $fn$
BEGIN
	CASE regexp_replace(dist, '_(low|high)$', '')
	WHEN 'sequential' THEN
		RETURN QUERY SELECT make_robot_id('86', lpad((1 + g % 200 / 2)::text, 4, '0'),
		                                  lpad((1000 + g % 200)::text, 6, '0'), g / 200)
		  FROM generate_series(0, n - 1) g;
	WHEN 'dated' THEN
		-- model m makes its k-th robot on day k / 6, the (k % 6 + 1)-th that day
		RETURN QUERY SELECT make_robot_id('86', lpad((1 + g % 300 / 2)::text, 4, '0'),
		                                  lpad((1 + g % 2)::text, 6, '0'),
		                                  to_char(date '2024-01-01' + (g / 300 / 6), 'YYYYMMDD')::bigint
		                                  * 1000000000 + g / 300 % 6 + 1)
		  FROM generate_series(0, n - 1) g;
	WHEN 'demo' THEN
		RETURN QUERY SELECT make_robot_id('86', lpad((1 + g % 200 / 2)::text, 4, '0'),
		                                  lpad((1 + g % 2)::text, 6, '0'),
		                                  to_char(date '2024-01-01' + floor(random() * 730)::int, 'YYYYMMDD')::bigint
		                                  * 1000000000 + g + 1)
		  FROM generate_series(0, n - 1) g;
	WHEN 'makers_9999' THEN
		RETURN QUERY SELECT make_robot_id('86', lpad((1 + g % 9999)::text, 4, '0'), '000001', g / 9999)
		  FROM generate_series(0, n - 1) g;
	WHEN 'models_300' THEN
		RETURN QUERY SELECT make_robot_id('86', lpad((1 + g % 6000 / 300)::text, 4, '0'),
		                                  lpad((1 + g % 300)::text, 6, '0'), g / 6000)
		  FROM generate_series(0, n - 1) g;
	WHEN 'sparse' THEN
		RETURN QUERY SELECT DISTINCT make_robot_id('86', '0042', lpad((1 + g % 500)::text, 6, '0'),
		                                  floor(random() * 1e17)::bigint)
		  FROM generate_series(0, n - 1) g;
	WHEN 'one_model' THEN
		RETURN QUERY SELECT make_robot_id('86', '0042', '000007', g)
		  FROM generate_series(1, n) g;
	WHEN 'one_model_dated' THEN
		RETURN QUERY SELECT make_robot_id('86', '0042', '000007',
		                                  to_char(date '2024-01-01' + g / 1825, 'YYYYMMDD')::bigint
		                                  * 1000000000 + g % 1825 + 1)
		  FROM generate_series(0, n - 1) g;
	END CASE;
END
$fn$;

-- sort_t holds the distribution shuffled, with the chosen code first in
-- the heap (a sequential scan, and so the sort, sees it first).
CREATE FUNCTION sort_bench_load(dist text, n int) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
	first_code text := (SELECT d.first FROM sort_distribution d WHERE d.dist = sort_bench_load.dist);
BEGIN
	DROP TABLE IF EXISTS sort_t;
	CREATE TEMP TABLE sort_codes AS SELECT * FROM sort_bench_codes(dist, n);
	CREATE TABLE sort_t (id robot_id NOT NULL, u uuid NOT NULL, control uuid NOT NULL);
	INSERT INTO sort_t
	SELECT c.id, gen_random_uuid(), gen_random_uuid()
	  FROM sort_codes c
	 ORDER BY CASE first_code
	          WHEN 'low' THEN c.id = (SELECT min(id) FROM sort_codes)
	          WHEN 'high' THEN c.id = (SELECT max(id) FROM sort_codes)
	          ELSE false END DESC,
	          random();
	DROP TABLE sort_codes;
END
$fn$;
