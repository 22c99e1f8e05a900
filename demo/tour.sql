-- A short tour of the robot_id type, run by scripts/demo.sh.
\set ON_ERROR_STOP on
\pset footer off
CREATE EXTENSION robotid;

\echo '-- A code in any accepted form, stored in 16 bytes, printed canonically'
SELECT '86-0001-000123-20260529000000001'::robot_id AS id,
       robot_id_format('86000100012320260529000000001') AS grouped,
       pg_column_size('86000100012320260529000000001'::robot_id) AS bytes;

\echo '-- Its components'
SELECT robot_id_country(id) AS country, robot_id_manufacturer(id) AS manufacturer,
       robot_id_model(id) AS model, robot_id_serial(id) AS serial,
       robot_id_model_key(id) AS model_key
  FROM (SELECT '86000100012320260529000000001'::robot_id AS id) s;

\echo '-- Garbage is refused with SQLSTATE 22P02 and a reason'
\set ON_ERROR_STOP off
\set VERBOSITY verbose
SELECT '86-0001-00O123-20260529000000001'::robot_id;
\set VERBOSITY default
\set ON_ERROR_STOP on
SELECT v AS input, robot_id_is_valid(v) AS valid
  FROM (VALUES ('86 0001 000123 20260529000000001'), ('86000100012320260529')) t(v);

\echo '-- 100,000 robots of 200 models; all robots of one model come from the index'
CREATE TABLE robots (id robot_id PRIMARY KEY);
INSERT INTO robots
SELECT make_robot_id('86', lpad((1 + m / 2)::text, 4, '0'), lpad((m % 2 + 1)::text, 6, '0'),
                     20260529000000000 + s)
  FROM generate_series(0, 199) m, generate_series(1, 500) s;
ANALYZE robots;
EXPLAIN (COSTS OFF) SELECT * FROM robots WHERE id ^@ '860001000001';
SELECT count(*) AS robots_of_model_860001000001, min(id), max(id)
  FROM robots WHERE id ^@ '860001000001';
