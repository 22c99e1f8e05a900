-- The report of bench/run.sh sort: per distribution and operation, the CPU
-- time (ms: min / median / max over the rounds, a round's time of a kind
-- being the mean of its two runs: each round runs every kind twice,
-- mirrored, A B C C B A) of robot_id, of uuid and of the control (a second
-- column of random uuids); the median of the per-round ratios to uuid (a
-- round's load weighs on all of its statements) with their lowest and
-- highest; the same for the elapsed time; and the distinct abbreviated keys
-- that trace_sort reported.  The control's ratio is truly 1: how far it
-- strays is how far this host's noise alone moves a ratio.
\set ON_ERROR_STOP on
\pset footer off
\echo
\echo robot_id and the control (a second column of random uuids) against random uuids, all in the same table.
\echo CPU ms: min / median / max over the rounds; ratios to uuid: the median of the per-round ratios (lowest-highest).
WITH per_round AS (
	SELECT r.dist, r.metric, r.round,
	       avg(r.cpu_ms) FILTER (WHERE r.kind = 'robot_id') AS rid_cpu,
	       avg(r.cpu_ms) FILTER (WHERE r.kind = 'uuid') AS u_cpu,
	       avg(r.cpu_ms) FILTER (WHERE r.kind = 'control') AS c_cpu,
	       avg(r.ms) FILTER (WHERE r.kind = 'robot_id') AS rid_ms,
	       avg(r.ms) FILTER (WHERE r.kind = 'uuid') AS u_ms
	  FROM sort_result r GROUP BY r.dist, r.metric, r.round
), summary AS (
	SELECT dist, metric, count(*) AS rounds,
	       min(rid_cpu) AS r_min, percentile_cont(0.5) WITHIN GROUP (ORDER BY rid_cpu) AS r_med, max(rid_cpu) AS r_max,
	       min(u_cpu) AS u_min, percentile_cont(0.5) WITHIN GROUP (ORDER BY u_cpu) AS u_med, max(u_cpu) AS u_max,
	       min(c_cpu) AS c_min, percentile_cont(0.5) WITHIN GROUP (ORDER BY c_cpu) AS c_med, max(c_cpu) AS c_max,
	       percentile_cont(0.5) WITHIN GROUP (ORDER BY rid_cpu / u_cpu) AS paired,
	       min(rid_cpu / u_cpu) AS paired_min, max(rid_cpu / u_cpu) AS paired_max,
	       percentile_cont(0.5) WITHIN GROUP (ORDER BY c_cpu / u_cpu) AS control,
	       min(c_cpu / u_cpu) AS control_min, max(c_cpu / u_cpu) AS control_max,
	       percentile_cont(0.5) WITHIN GROUP (ORDER BY rid_ms / u_ms) AS elapsed,
	       min(rid_ms / u_ms) AS elapsed_min, max(rid_ms / u_ms) AS elapsed_max
	  FROM per_round GROUP BY dist, metric
)
SELECT s.dist AS distribution,
       CASE s.metric WHEN 'order_by' THEN 'ORDER BY' ELSE 'CREATE INDEX' END AS operation,
       format('%s / %s / %s', round(s.r_min), round(s.r_med::numeric), round(s.r_max)) AS robot_id_cpu,
       format('%s / %s / %s', round(s.u_min), round(s.u_med::numeric), round(s.u_max)) AS uuid_cpu,
       format('%s / %s / %s', round(s.c_min), round(s.c_med::numeric), round(s.c_max)) AS control_cpu,
       format('%s (%s-%s)', round(s.paired::numeric, 2), round(s.paired_min::numeric, 2),
              round(s.paired_max::numeric, 2)) AS robot_id_to_uuid,
       format('%s (%s-%s)', round(s.control::numeric, 2), round(s.control_min::numeric, 2),
              round(s.control_max::numeric, 2)) AS control_to_uuid,
       format('%s (%s-%s)', round(s.elapsed::numeric, 2), round(s.elapsed_min::numeric, 2),
              round(s.elapsed_max::numeric, 2)) AS robot_id_to_uuid_elapsed,
       CASE WHEN s.metric = 'order_by' THEN
            coalesce(format('%s in %s', round(k.distinct_keys::numeric), round(k.codes::numeric)),
                     'not reported') END AS distinct_keys,
       s.rounds
  FROM summary s
  JOIN sort_distribution d ON d.dist = s.dist
  LEFT JOIN sort_distinct k ON k.dist = s.dist
 ORDER BY d.position, s.metric DESC;

-- for run.sh's summary: every distribution's per-round ratios together,
-- then robot_id's CPU ratio of each distribution and operation (so that
-- bench/run.sh repeat checks every cell of the README's table)
CREATE TABLE bench_summary AS
WITH per_round AS (
	SELECT r.dist, r.metric, r.round, c.clock, k.kind,
	       avg(CASE c.clock WHEN 'CPU' THEN r.cpu_ms ELSE r.ms END) FILTER (WHERE r.kind = k.kind)
	     / nullif(avg(CASE c.clock WHEN 'CPU' THEN r.cpu_ms ELSE r.ms END) FILTER (WHERE r.kind = 'uuid'), 0) AS ratio
	  FROM sort_result r, (VALUES ('CPU'), ('elapsed')) c(clock), (VALUES ('robot_id'), ('control')) k(kind)
	 GROUP BY r.dist, r.metric, r.round, c.clock, k.kind
), overall AS (
	SELECT row_number() OVER (ORDER BY metric DESC, kind DESC, clock) AS position,
	       format('%s / uuid_random, %s, %s (%s distributions)', kind,
	              CASE metric WHEN 'order_by' THEN 'ORDER BY' ELSE 'CREATE INDEX' END, clock, count(DISTINCT dist)) AS variant,
	       percentile_cont(0.5) WITHIN GROUP (ORDER BY ratio) AS median, min(ratio) AS min, max(ratio) AS max
	  FROM per_round GROUP BY metric, kind, clock
), cells AS (
	SELECT 100 + row_number() OVER (ORDER BY d.position, p.metric DESC) AS position,
	       format('robot_id / uuid_random, %s, CPU, %s',
	              CASE p.metric WHEN 'order_by' THEN 'ORDER BY' ELSE 'CREATE INDEX' END, p.dist) AS variant,
	       percentile_cont(0.5) WITHIN GROUP (ORDER BY p.ratio) AS median, min(p.ratio) AS min, max(p.ratio) AS max
	  FROM per_round p JOIN sort_distribution d ON d.dist = p.dist
	 WHERE p.kind = 'robot_id' AND p.clock = 'CPU'
	 GROUP BY d.position, p.dist, p.metric
)
SELECT position, 'sort' AS benchmark, variant, median, min, max FROM overall
UNION ALL
SELECT position, 'sort', variant, median, min, max FROM cells;
