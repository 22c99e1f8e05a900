-- robot_id: btree, hash and BRIN indexes, and prefix search through the
-- planner support function

CREATE TABLE robots (id robot_id PRIMARY KEY, note text);
INSERT INTO robots
SELECT make_robot_id('86', lpad((1 + m / 2)::text, 4, '0'), lpad((m % 2 + 1)::text, 6, '0'),
                     20260529000000000 + s), 'x'
  FROM generate_series(0, 199) m, generate_series(1, 250) s;
ANALYZE robots;

-- equality and ranges use the btree
EXPLAIN (COSTS OFF) SELECT * FROM robots WHERE id = '86-0001-000001-20260529000000001';
EXPLAIN (COSTS OFF) SELECT * FROM robots WHERE id < '86000200000100000000000000000';
-- min() and max() each read one row from an end of the btree; how EXPLAIN
-- prints that plan changed in 17, so count the plan's nodes instead
CREATE FUNCTION plan_of(query text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
	line text;
BEGIN
	FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
		RETURN NEXT line;
	END LOOP;
END
$$;
SELECT count(*) FILTER (WHERE line ~ 'Index Only Scan using robots_pkey') AS forward_scans,
       count(*) FILTER (WHERE line ~ 'Index Only Scan Backward using robots_pkey') AS backward_scans,
       count(*) FILTER (WHERE line ~ '-> +Limit') AS limits,
       count(*) FILTER (WHERE line ~ 'Seq Scan|Sort|Aggregate') AS full_reads
  FROM plan_of('SELECT min(id), max(id) FROM robots') AS line;

-- all robots of one model: an exact range on the btree, no recheck filter
EXPLAIN (COSTS OFF) SELECT * FROM robots WHERE id ^@ '860001000123';
EXPLAIN (COSTS OFF) SELECT * FROM robots WHERE robot_id_starts_with(id, '860001');
SELECT count(*) FROM robots WHERE id ^@ '860001000001';
SELECT count(*) FROM robots WHERE id ^@ '8600010000';
SELECT count(*) FROM robots WHERE id ^@ '';
-- the prefix is its range (estimates: robot_id_estimates)
EXPLAIN (COSTS OFF) SELECT * FROM robots WHERE id ^@ '860001000001';
-- a prefix that is not a constant gets no index condition but still works
PREPARE robots_with_prefix(text) AS SELECT count(*) FROM robots WHERE id ^@ $1;
SET plan_cache_mode = force_generic_plan;
EXPLAIN (COSTS OFF) EXECUTE robots_with_prefix('860001000001');
EXECUTE robots_with_prefix('860001000001');
RESET plan_cache_mode;
DEALLOCATE robots_with_prefix;
-- a bad constant prefix is reported when the query runs
SELECT count(*) FROM robots WHERE id ^@ '86-0001';
-- an expression index on a component serves equality on that component
EXPLAIN (COSTS OFF) SELECT * FROM robots WHERE robot_id_model_key(id) = '860001000001';
CREATE INDEX robots_model_key ON robots (robot_id_model_key(id));
EXPLAIN (COSTS OFF) SELECT * FROM robots WHERE robot_id_model_key(id) = '860001000001';
DROP INDEX robots_model_key;

-- hash index
CREATE INDEX robots_hash ON robots USING hash (id);
SET enable_indexscan = off;
SET enable_bitmapscan = on;
EXPLAIN (COSTS OFF) SELECT * FROM robots WHERE id = '86000100000120260529000000007';
SELECT count(*) FROM robots WHERE id = '86000100000120260529000000007';
DROP INDEX robots_hash;

-- BRIN minmax, and the prefix condition on it
CREATE INDEX robots_brin ON robots USING brin (id);
ALTER TABLE robots DROP CONSTRAINT robots_pkey;
EXPLAIN (COSTS OFF) SELECT * FROM robots WHERE id ^@ '860001000001';
SELECT count(*) FROM robots WHERE id ^@ '860001000001';
RESET enable_indexscan;
RESET enable_bitmapscan;

-- btree deduplication is allowed (equalimage), and amcheck-style invariants:
-- an index built by sorting returns rows in order
CREATE INDEX robots_btree ON robots (id);
SELECT count(*) AS disorder FROM (
	SELECT id, lag(id) OVER () AS prev FROM (SELECT id FROM robots ORDER BY id) s
) q WHERE prev > id;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM robots ORDER BY id;
SELECT count(*) AS disorder FROM (
	SELECT id, lag(id) OVER () AS prev FROM (SELECT id FROM robots ORDER BY id) s
) q WHERE prev > id;
RESET enable_seqscan;
SELECT amproc::regproc FROM pg_amproc p JOIN pg_opfamily f ON f.oid = p.amprocfamily
 WHERE f.opfmethod = (SELECT oid FROM pg_am WHERE amname = 'btree')
   AND p.amproclefttype = 'robot_id'::regtype ORDER BY amprocnum;
DROP TABLE robots;
DROP FUNCTION plan_of(text);
