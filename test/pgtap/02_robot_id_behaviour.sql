-- pgTAP: robot_id values, errors and plans
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION robotid;
SELECT plan(35);

SELECT is('86-0001-000123-20260529000000001'::robot_id::text, '86000100012320260529000000001',
          'grouped input, canonical output');
SELECT is(' 86 0001 000123 20260529000000001 '::robot_id, '86000100012320260529000000001'::robot_id,
          'spaces and surrounding blanks');
SELECT throws_ok($$SELECT '8600010001232026052900000000'::robot_id$$, '22P02',
                 'invalid input syntax for type robot_id: "8600010001232026052900000000"',
                 '28 digits: 22P02 naming the input');
SELECT throws_ok($$SELECT '86-0001 000123-20260529000000001'::robot_id$$, '22P02', NULL,
                 'mixed separators: 22P02');
SELECT throws_ok($$SELECT 'robot'::robot_id$$, '22P02', NULL, 'letters: 22P02');

SELECT ok(robot_id_is_valid('86000100012320260529000000001'), 'is_valid: a code');
SELECT ok(NOT robot_id_is_valid('x'), 'is_valid: garbage is false, not an error');
SELECT is(robot_id_is_valid(NULL), NULL, 'is_valid: NULL in, NULL out');

SELECT is(robot_id_format('86000100012320260529000000001'), '86-0001-000123-20260529000000001', 'format');
SELECT results_eq(
	$$SELECT robot_id_country(id), robot_id_manufacturer(id), robot_id_model(id), robot_id_serial(id),
	         robot_id_manufacturer_key(id), robot_id_model_key(id)
	    FROM (SELECT '86000100012320260529000000001'::robot_id AS id) s$$,
	$$VALUES ('86', '0001', '000123', '20260529000000001', '860001', '860001000123')$$,
	'components, zero-padded');

SELECT is(make_robot_id('86', '0001', '000123', 7), '86000100012300000000000000007'::robot_id,
          'make_robot_id pads a bigint serial');
SELECT is(make_robot_id('86', '0001', '000123', '00000000000000007'), '86000100012300000000000000007'::robot_id,
          'make_robot_id with a text serial');
SELECT throws_ok($$SELECT make_robot_id('86', '001', '000123', 7)$$, '22023',
                 'invalid manufacturer code for robot_id: "001"', 'short manufacturer: 22023');
SELECT throws_ok($$SELECT make_robot_id('86', '0001', '000123', -7)$$, '22023',
                 'invalid serial number for robot_id: -7', 'negative serial: 22023');
SELECT throws_ok($$SELECT make_robot_id('86', '0001', '000123', 123456789012345678)$$, '22023',
                 'invalid serial number for robot_id: 123456789012345678', '18-digit serial: 22023');
SELECT throws_ok($$SELECT make_robot_id('8x', '0001', '000123', 7)$$, '22023',
                 'invalid country code for robot_id: "8x"', 'letter in country: 22023');

SELECT is('86000100012320260529000000001'::robot_id::numeric, 86000100012320260529000000001::numeric,
          'to numeric');
SELECT is(7::numeric::robot_id, '00000000000000000000000000007'::robot_id, 'from numeric');
SELECT throws_ok($$SELECT (-1)::numeric::robot_id$$, '22003', NULL, 'negative numeric: 22003');
SELECT throws_ok($$SELECT 0.5::numeric::robot_id$$, '22003', NULL, 'fractional numeric: 22003');
SELECT throws_ok($$SELECT 1e29::numeric::robot_id$$, '22003', NULL, '10^29: 22003');

SELECT ok('86000100012320260529000000001'::robot_id < '86000100012320260529000000002', 'less than');
SELECT ok('86000100012399999999999999999'::robot_id < '86000100012400000000000000000',
          'model key outranks serial');
SELECT is((SELECT max(id) FROM (VALUES ('11111111111111111111111111111'::robot_id),
                                       ('99999999999999999999999999999'), ('00000000000000000000000000000')) v(id)),
          '99999999999999999999999999999'::robot_id, 'max');

SELECT ok('86000100012320260529000000001'::robot_id ^@ '860001000123', 'prefix: the model');
SELECT ok(NOT ('86000100012320260529000000001'::robot_id ^@ '860001000124'), 'prefix: another model');
SELECT ok('86000100012320260529000000001'::robot_id ^@ '', 'prefix: empty matches all');
SELECT throws_ok($$SELECT '86000100012320260529000000001'::robot_id ^@ '86-'$$, '22023',
                 'invalid robot_id prefix: "86-"', 'bad prefix: 22023');

-- plans on a populated table
CREATE TABLE tap_robots (id robot_id PRIMARY KEY);
INSERT INTO tap_robots
SELECT make_robot_id('86', lpad((1 + m)::text, 4, '0'), '000001', 20260529000000000 + s)
  FROM generate_series(0, 99) m, generate_series(1, 200) s;
ANALYZE tap_robots;
SELECT results_eq(
	$$EXPLAIN (COSTS OFF) SELECT * FROM tap_robots WHERE id ^@ '860001000001'$$,
	$$VALUES ('Index Only Scan using tap_robots_pkey on tap_robots'),
	         ('  Index Cond: ((id >= ''86000100000100000000000000000''::robot_id) AND (id <= ''86000100000199999999999999999''::robot_id))')$$,
	'prefix of one model is an exact btree range');
SELECT is((SELECT count(*)::int FROM tap_robots WHERE id ^@ '860001000001'), 200, 'and finds its 200 robots');
SELECT results_eq(
	$$EXPLAIN (COSTS OFF) SELECT * FROM tap_robots WHERE id = '86000100000120260529000000001'$$,
	$$VALUES ('Index Only Scan using tap_robots_pkey on tap_robots'),
	         ('  Index Cond: (id = ''86000100000120260529000000001''::robot_id)')$$,
	'equality uses the btree');

-- sorted output equals text order on a shuffled table
CREATE TABLE tap_shuffled AS SELECT id FROM tap_robots ORDER BY md5(id::text);
SELECT results_eq($$SELECT id::text FROM tap_shuffled ORDER BY id$$,
                  $$SELECT id::text FROM tap_shuffled ORDER BY id::text COLLATE "C"$$,
                  'ORDER BY robot_id equals ORDER BY its digits');

-- hash partitioning routes equal codes to one partition
CREATE TABLE tap_parted (id robot_id) PARTITION BY HASH (id);
CREATE TABLE tap_parted_0 PARTITION OF tap_parted FOR VALUES WITH (MODULUS 4, REMAINDER 0);
CREATE TABLE tap_parted_1 PARTITION OF tap_parted FOR VALUES WITH (MODULUS 4, REMAINDER 1);
CREATE TABLE tap_parted_2 PARTITION OF tap_parted FOR VALUES WITH (MODULUS 4, REMAINDER 2);
CREATE TABLE tap_parted_3 PARTITION OF tap_parted FOR VALUES WITH (MODULUS 4, REMAINDER 3);
INSERT INTO tap_parted SELECT id FROM tap_robots;
SELECT is((SELECT count(*)::int FROM tap_parted WHERE id = '86000100000120260529000000001'), 1,
          'partition pruning finds the code');
SELECT is((SELECT count(DISTINCT tableoid)::int FROM tap_parted), 4, 'rows spread over all partitions');

-- binary round trip through COPY
CREATE TEMP TABLE tap_bin (id robot_id);
COPY tap_robots TO PROGRAM 'cat > robotid_tap.copy' (FORMAT binary);
COPY tap_bin FROM PROGRAM 'cat robotid_tap.copy && rm robotid_tap.copy' (FORMAT binary);
SELECT set_eq($$SELECT id FROM tap_bin$$, $$SELECT id FROM tap_robots$$, 'binary COPY round-trips');

SELECT * FROM finish();
ROLLBACK;
