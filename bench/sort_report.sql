-- The report of bench/run.sh sort: per distribution and operation,
-- min / median / max ms of robot_id and uuid, the ratio of the medians and
-- the spread of the per-round ratios (each round sorts both columns back to
-- back), and the distinct abbreviated keys that trace_sort reported.
\set ON_ERROR_STOP on
\pset footer off
\echo
\echo robot_id against random uuids in the same table (ms: min / median / max; ratio: medians, and min - max of the per-round ratios)
WITH per_round AS (
	SELECT r.dist, r.metric, r.round,
	       max(r.ms) FILTER (WHERE r.kind = 'robot_id') AS rid,
	       max(r.ms) FILTER (WHERE r.kind = 'uuid') AS u
	  FROM sort_result r GROUP BY r.dist, r.metric, r.round
), summary AS (
	SELECT dist, metric,
	       min(rid) AS rid_min, percentile_cont(0.5) WITHIN GROUP (ORDER BY rid) AS rid_med, max(rid) AS rid_max,
	       min(u) AS u_min, percentile_cont(0.5) WITHIN GROUP (ORDER BY u) AS u_med, max(u) AS u_max,
	       min(rid / u) AS ratio_min, max(rid / u) AS ratio_max, count(*) AS rounds
	  FROM per_round GROUP BY dist, metric
)
SELECT s.dist AS distribution,
       CASE s.metric WHEN 'order_by' THEN 'ORDER BY' ELSE 'CREATE INDEX' END AS operation,
       format('%s / %s / %s', round(s.rid_min), round(s.rid_med::numeric), round(s.rid_max)) AS robot_id_ms,
       format('%s / %s / %s', round(s.u_min), round(s.u_med::numeric), round(s.u_max)) AS uuid_ms,
       round((s.rid_med / s.u_med)::numeric, 2) AS ratio,
       format('%s - %s', round(s.ratio_min::numeric, 2), round(s.ratio_max::numeric, 2)) AS round_ratios,
       CASE WHEN s.metric = 'order_by' THEN
            coalesce(format('%s in %s (%s%%)', round(k.distinct_keys::numeric), round(k.codes::numeric),
                            round((100 * k.distinct_keys / k.codes)::numeric, 1)), 'not reported') END
            AS distinct_abbreviated_keys,
       s.rounds
  FROM summary s
  JOIN sort_distribution d ON d.dist = s.dist
  LEFT JOIN sort_distinct k ON k.dist = s.dist
 ORDER BY d.position, s.metric DESC;
