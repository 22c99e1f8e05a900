-- robot_id: comparison, ordering, hashing, aggregates, prefix matching

SELECT a, b, a = b AS eq, a <> b AS ne, a < b AS lt, a <= b AS le, a > b AS gt,
       a >= b AS ge, robot_id_cmp(a, b) AS cmp
  FROM (VALUES ('86000100012320260529000000001'::robot_id, '86000100012320260529000000001'::robot_id),
               ('86000100012320260529000000001', '86000100012320260529000000002'),
               ('86000100012399999999999999999', '86000100012400000000000000000'),
               ('99999999999999999999999999999', '00000000000000000000000000000')) AS t(a, b);

-- operator properties
SELECT o.oprname, o.oprcom::regoper AS commutator, o.oprnegate::regoper AS negator,
       o.oprrest, o.oprjoin, o.oprcanhash, o.oprcanmerge
  FROM pg_operator o
 WHERE o.oprleft = 'robot_id'::regtype
 ORDER BY o.oprname, o.oprright;

-- ordering agrees with the digit string, on clustered and random codes
CREATE TEMP TABLE codes AS
SELECT make_robot_id('86', lpad((1 + m / 3)::text, 4, '0'), lpad((m % 3 + 1)::text, 6, '0'),
                     20260529000000000 + s) AS id
  FROM generate_series(0, 299) m, generate_series(1, 100) s
UNION ALL
SELECT left(translate(md5(g::text) || md5((-g)::text), 'abcdef', '012345'), 29)::robot_id
  FROM generate_series(1, 20000) g;
SELECT count(*), count(DISTINCT robot_id_country(id)) FROM codes;
WITH by_id AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM codes),
     by_text AS (SELECT id, row_number() OVER (ORDER BY id::text COLLATE "C") AS n FROM codes)
SELECT count(*) AS order_mismatches FROM by_id JOIN by_text USING (n) WHERE by_id.id <> by_text.id;
-- a sort big enough to use abbreviated keys, and a bounded (top-N) one
SET work_mem = '64MB';
SELECT count(*) AS disorder FROM (
	SELECT id, lag(id) OVER () AS prev FROM (SELECT id FROM codes ORDER BY id) s
) q WHERE prev > id;
SELECT id FROM codes ORDER BY id DESC LIMIT 3;
-- an external sort, whose merge compares without abbreviation
SET work_mem = '64kB';
SELECT count(*) AS disorder FROM (
	SELECT id, lag(id) OVER () AS prev FROM (SELECT id FROM codes ORDER BY id) s
) q WHERE prev > id;
RESET work_mem;

-- min and max
SELECT min(id), max(id) FROM codes WHERE id ^@ '86';
SELECT min(id) IS NULL AS empty_min FROM codes WHERE false;

-- hashing: equal codes hash equal, whichever form they were typed in
SELECT robot_id_hash('86-0001-000123-20260529000000001') = robot_id_hash('86000100012320260529000000001') AS same_hash,
       robot_id_hash_extended('86000100012320260529000000001', 0) = robot_id_hash_extended('86000100012320260529000000001', 1) AS seed_ignored;
SELECT count(DISTINCT id) = count(*) AS distinct_ok FROM codes;
SET enable_sort = off;
SELECT count(*) AS groups FROM (SELECT id FROM codes GROUP BY id) g;
RESET enable_sort;
-- hash joins and merge joins agree
SET enable_mergejoin = off;
SELECT count(*) FROM codes a JOIN codes b USING (id);
RESET enable_mergejoin;
SET enable_hashjoin = off;
SELECT count(*) FROM codes a JOIN codes b USING (id);
RESET enable_hashjoin;

-- hash partitioning uses support function 2
CREATE TEMP TABLE parted (id robot_id PRIMARY KEY) PARTITION BY HASH (id);
CREATE TEMP TABLE parted_0 PARTITION OF parted FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TEMP TABLE parted_1 PARTITION OF parted FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO parted SELECT id FROM codes;
SELECT (SELECT count(*) FROM parted_0) > 0 AND (SELECT count(*) FROM parted_1) > 0 AS both_used,
       (SELECT count(*) FROM parted) = (SELECT count(*) FROM codes) AS all_there;

-- prefix matching
SELECT id ^@ '' AS empty, id ^@ '86' AS country, id ^@ '860001000123' AS model,
       id ^@ '86000100012320260529000000001' AS whole, id ^@ '87' AS other,
       id ^@ '860001000124' AS next_model
  FROM (SELECT '86000100012320260529000000001'::robot_id AS id) s;
SELECT robot_id_starts_with('86000100012320260529000000001', '8600');
SELECT '86000100012320260529000000001'::robot_id ^@ '86-0001';
SELECT '86000100012320260529000000001'::robot_id ^@ '860001000123205260529000000001';
SELECT '86000100012320260529000000001'::robot_id ^@ NULL IS NULL AS strict;
SELECT count(*) FROM codes WHERE id ^@ '860001000002';
SELECT count(*) FROM codes WHERE id::text LIKE '860001000002%';
