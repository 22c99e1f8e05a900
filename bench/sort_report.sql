-- The report of bench/run.sh sort: per distribution and operation, the
-- elapsed and the CPU time (ms: min / median / max over the rounds, a
-- round's time of a kind being the mean of its two runs) of robot_id and of
-- uuid, the ratio of the medians and the range of the per-round ratios
-- (each round runs both twice, mirrored: A B B A), the median of the per-round CPU
-- ratios (paired: a round's load weighs on both of its statements), and
-- the distinct abbreviated keys that trace_sort reported.
\set ON_ERROR_STOP on
\pset footer off
\echo
\echo robot_id against random uuids in the same table.  Times in ms, min / median / max over the rounds;
\echo ratio: of the medians, and in brackets the lowest and highest per-round ratio;
\echo paired: the median of the per-round CPU ratios.
WITH per_round AS (
	SELECT r.dist, r.metric, r.round,
	       avg(r.ms) FILTER (WHERE r.kind = 'robot_id') AS rid,
	       avg(r.ms) FILTER (WHERE r.kind = 'uuid') AS u,
	       avg(r.cpu_ms) FILTER (WHERE r.kind = 'robot_id') AS rid_cpu,
	       avg(r.cpu_ms) FILTER (WHERE r.kind = 'uuid') AS u_cpu
	  FROM sort_result r GROUP BY r.dist, r.metric, r.round
), summary AS (
	SELECT dist, metric, count(*) AS rounds,
	       min(rid) AS rid_min, percentile_cont(0.5) WITHIN GROUP (ORDER BY rid) AS rid_med, max(rid) AS rid_max,
	       min(u) AS u_min, percentile_cont(0.5) WITHIN GROUP (ORDER BY u) AS u_med, max(u) AS u_max,
	       min(rid / u) AS ratio_min, max(rid / u) AS ratio_max,
	       min(rid_cpu) AS rc_min, percentile_cont(0.5) WITHIN GROUP (ORDER BY rid_cpu) AS rc_med, max(rid_cpu) AS rc_max,
	       min(u_cpu) AS uc_min, percentile_cont(0.5) WITHIN GROUP (ORDER BY u_cpu) AS uc_med, max(u_cpu) AS uc_max,
	       min(rid_cpu / u_cpu) AS cpu_ratio_min, max(rid_cpu / u_cpu) AS cpu_ratio_max,
	       percentile_cont(0.5) WITHIN GROUP (ORDER BY rid_cpu / u_cpu) AS cpu_ratio_paired
	  FROM per_round GROUP BY dist, metric
)
SELECT s.dist AS distribution,
       CASE s.metric WHEN 'order_by' THEN 'ORDER BY' ELSE 'CREATE INDEX' END AS operation,
       format('%s / %s / %s', round(s.rid_min), round(s.rid_med::numeric), round(s.rid_max)) AS robot_id_elapsed,
       format('%s / %s / %s', round(s.u_min), round(s.u_med::numeric), round(s.u_max)) AS uuid_elapsed,
       format('%s (%s-%s)', round((s.rid_med / s.u_med)::numeric, 2), round(s.ratio_min::numeric, 2),
              round(s.ratio_max::numeric, 2)) AS elapsed_ratio,
       format('%s / %s / %s', round(s.rc_min), round(s.rc_med::numeric), round(s.rc_max)) AS robot_id_cpu,
       format('%s / %s / %s', round(s.uc_min), round(s.uc_med::numeric), round(s.uc_max)) AS uuid_cpu,
       format('%s (%s-%s)', round((s.rc_med / s.uc_med)::numeric, 2), round(s.cpu_ratio_min::numeric, 2),
              round(s.cpu_ratio_max::numeric, 2)) AS cpu_ratio,
       round(s.cpu_ratio_paired::numeric, 2) AS paired,
       CASE WHEN s.metric = 'order_by' THEN
            coalesce(format('%s in %s', round(k.distinct_keys::numeric), round(k.codes::numeric)),
                     'not reported') END AS distinct_keys,
       s.rounds
  FROM summary s
  JOIN sort_distribution d ON d.dist = s.dist
  LEFT JOIN sort_distinct k ON k.dist = s.dist
 ORDER BY d.position, s.metric DESC;

-- for run.sh's summary: every distribution's per-round ratios together
CREATE TABLE bench_summary AS
SELECT row_number() OVER (ORDER BY metric DESC, clock) AS position, 'sort' AS benchmark,
       format('robot_id / uuid_random, %s, %s (%s distributions)',
              CASE metric WHEN 'order_by' THEN 'ORDER BY' ELSE 'CREATE INDEX' END, clock, count(DISTINCT dist)) AS variant,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY ratio) AS median, min(ratio) AS min, max(ratio) AS max
  FROM (SELECT r.dist, r.metric, r.round, c.clock,
               avg(CASE c.clock WHEN 'CPU' THEN r.cpu_ms ELSE r.ms END) FILTER (WHERE r.kind = 'robot_id')
             / nullif(avg(CASE c.clock WHEN 'CPU' THEN r.cpu_ms ELSE r.ms END) FILTER (WHERE r.kind = 'uuid'), 0) AS ratio
          FROM sort_result r, (VALUES ('CPU'), ('elapsed')) c(clock)
         GROUP BY r.dist, r.metric, r.round, c.clock) per_round
 GROUP BY metric, clock;
