/* robotid 1.3 -> 1.4: row estimates that follow the data, and prefix ranges for parameters */

\echo Use "ALTER EXTENSION robotid UPDATE TO '1.4'" to load this file. \quit

-- Comparisons are estimated from the column's histogram, interpolated
-- inside a bucket by the codes' values; a lower and an upper bound on the
-- same column are estimated as one range.
CREATE FUNCTION robot_id_rangesel(internal, oid, internal, integer) RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION robot_id_rangesel(internal, oid, internal, integer)
	IS 'row estimate of <, <=, > and >= on robot_id (planner use)';
ALTER OPERATOR < (robot_id, robot_id) SET (RESTRICT = robot_id_rangesel);
ALTER OPERATOR <= (robot_id, robot_id) SET (RESTRICT = robot_id_rangesel);
ALTER OPERATOR > (robot_id, robot_id) SET (RESTRICT = robot_id_rangesel);
ALTER OPERATOR >= (robot_id, robot_id) SET (RESTRICT = robot_id_rangesel);

-- The range a prefix stands for: what id ^@ prefix becomes when the prefix
-- is a parameter or a subquery, so that it still scans an index.
CREATE FUNCTION robot_id_prefix_lower(prefix text) RETURNS robot_id
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION robot_id_prefix_lower(text)
	IS 'the smallest code that starts with the 0 to 29 given digits';
CREATE FUNCTION robot_id_prefix_upper(prefix text) RETURNS robot_id
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION robot_id_prefix_upper(text)
	IS 'the largest code that starts with the 0 to 29 given digits';

-- ANALYZE keeps, besides the standard statistics, each model key's share
-- of the sample and its serials' extent, which place a model's fleet or a
-- serial range far more finely than histogram buckets do.  Columns get
-- them at their next ANALYZE.
CREATE FUNCTION robot_id_typanalyze(internal) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION robot_id_typanalyze(internal)
	IS 'ANALYZE of robot_id columns: standard statistics and model shares';
ALTER TYPE robot_id SET (ANALYZE = robot_id_typanalyze);
