-- The spread of bench/issue_codes.sql's rounds, and its ratios for run.sh.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SELECT variant, count(*) AS rounds,
       round(min(seconds)::numeric, 2) AS min_s,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds)::numeric, 2) AS median_s,
       round(max(seconds)::numeric, 2) AS max_s,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds)
              / (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) FROM issue_timings
                  WHERE variant = 'register_robot'))::numeric, 3) AS ratio_of_medians
  FROM issue_timings GROUP BY variant ORDER BY variant;
-- each round's own ratio
SELECT i.round, i.variant, round((i.seconds / r.seconds)::numeric, 3) AS ratio
  FROM issue_timings i JOIN issue_timings r ON r.round = i.round AND r.variant = 'register_robot'
 WHERE i.variant <> 'register_robot' ORDER BY i.variant, i.round;
DROP TABLE IF EXISTS bench_summary;
CREATE TABLE bench_summary AS
SELECT row_number() OVER (ORDER BY i.variant) AS position, 'issue' AS benchmark,
       format('issue_codes() %s / register_robot() calls', i.variant) AS variant,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY i.seconds / r.seconds) AS median,
       min(i.seconds / r.seconds) AS min, max(i.seconds / r.seconds) AS max
  FROM issue_timings i JOIN issue_timings r ON r.round = i.round AND r.variant = 'register_robot'
 WHERE i.variant <> 'register_robot'
 GROUP BY i.variant;
