-- robot_id: text and binary input/output, validation, components, constructors

-- accepted forms
SELECT '86000100012320260529000000001'::robot_id AS plain,
       '86-0001-000123-20260529000000001'::robot_id AS dashed,
       '86 0001 000123 20260529000000001'::robot_id AS spaced,
       E'  \t86-0001-000123-20260529000000001\n '::robot_id AS blanks;
SELECT '00000000000000000000000000000'::robot_id AS lowest,
       '99999999999999999999999999999'::robot_id AS highest;

-- every kind of bad input: 22P02, the input quoted, the reason in DETAIL
\set VERBOSITY verbose
SELECT ''::robot_id;
\set VERBOSITY default
SELECT '   '::robot_id;
SELECT '8600010001232026052900000000'::robot_id;
SELECT '860001000123202605290000000011'::robot_id;
SELECT '8600x100012320260529000000001'::robot_id;
SELECT '86é00100012320260529000000001'::robot_id;
SELECT '860-001-000123-20260529000000001'::robot_id;
SELECT '86--0001-000123-20260529000000001'::robot_id;
SELECT '86-0001 000123-20260529000000001'::robot_id;
SELECT '86-0001000123-20260529000000001'::robot_id;
SELECT '-86000100012320260529000000001'::robot_id;
SELECT '86000100012320260529000000001-'::robot_id;
SELECT '86_0001_000123_20260529000000001'::robot_id;

-- robot_id_is_valid never raises
SELECT v, robot_id_is_valid(v)
  FROM (VALUES ('86000100012320260529000000001'), ('86-0001-000123-20260529000000001'),
               ('86 0001 000123 20260529000000001'), (''), ('8600010001232026052900000000'),
               ('86-0001 000123-20260529000000001'), ('abc'), (NULL)) AS t(v);

-- output and formatting
SELECT robot_id_format('86000100012320260529000000001');
SELECT robot_id_format('00000000000000000000000000000');

-- components
SELECT robot_id_country(id), robot_id_manufacturer(id), robot_id_model(id),
       robot_id_serial(id), robot_id_manufacturer_key(id), robot_id_model_key(id)
  FROM (SELECT '86-0001-000123-20260529000000001'::robot_id AS id) s;
SELECT robot_id_serial('00000000000000000000000000007');

-- constructors
SELECT make_robot_id('86', '0001', '000123', '20260529000000001');
SELECT make_robot_id('86', '0001', '000123', 20260529000000001);
SELECT make_robot_id('86', '0001', '000123', 0);
SELECT make_robot_id('86', '0001', '000123', 99999999999999999);
SELECT make_robot_id('86', '0001', '000123', NULL::bigint) IS NULL AS strict;
SELECT make_robot_id('8', '0001', '000123', 1);
SELECT make_robot_id('86', '00001', '000123', 1);
SELECT make_robot_id('86', '0001', '12a', 1);
SELECT make_robot_id('86', '0001', '000123', '2026');
SELECT make_robot_id('86', '0001', '000123', -1);
SELECT make_robot_id('86', '0001', '000123', 100000000000000000);
SELECT make_robot_id('86', '0001', '000123', '');

-- text casts both ways; text to robot_id is an assignment cast
SELECT '86000100012320260529000000001'::text::robot_id;
SELECT '86000100012320260529000000001'::robot_id::text;
CREATE TEMP TABLE t_assign (id robot_id);
INSERT INTO t_assign SELECT '86-0001-000123-20260529000000001'::text;
SELECT * FROM t_assign;

-- numeric casts both ways, explicit only
SELECT '86000100012320260529000000001'::robot_id::numeric;
SELECT '00000000000000000000000000042'::robot_id::numeric;
SELECT 42::numeric::robot_id;
SELECT 86000100012320260529000000001::numeric::robot_id;
SELECT 42.000::numeric::robot_id;
SELECT 99999999999999999999999999999::numeric::robot_id;
SELECT (-1)::numeric::robot_id;
SELECT 1.5::numeric::robot_id;
SELECT 100000000000000000000000000000::numeric::robot_id;
SELECT 'NaN'::numeric::robot_id;
SELECT 'Infinity'::numeric::robot_id;
SELECT castcontext, castsource::regtype, casttarget::regtype
  FROM pg_cast WHERE castsource = 'robot_id'::regtype OR casttarget = 'robot_id'::regtype
 ORDER BY 2::text, 3::text;

-- binary send, and recv through binary COPY
SELECT robot_id_send('86000100012320260529000000001');
CREATE TEMP TABLE t_bin (id robot_id);
INSERT INTO t_bin VALUES ('86000100012320260529000000001'), ('00000000000000000000000000000'),
                         ('99999999999999999999999999999');
-- PROGRAM runs in the data directory
COPY t_bin TO PROGRAM 'cat > robotid_regress.copy' (FORMAT binary);
CREATE TEMP TABLE t_bin2 (id robot_id);
COPY t_bin2 FROM PROGRAM 'cat robotid_regress.copy && rm robotid_regress.copy' (FORMAT binary);
SELECT * FROM t_bin2 ORDER BY id;
-- 16 bytes whose model key is 10^12: not a code
COPY t_bin2 FROM PROGRAM $$printf 'PGCOPY\n\377\r\n\000\000\000\000\000\000\000\000\000\000\001\000\000\000\020\000\000\000\350\324\245\020\000\000\000\000\000\000\000\000\000\000\000\377\377'$$ (FORMAT binary);
-- 15 bytes
COPY t_bin2 FROM PROGRAM $$printf 'PGCOPY\n\377\r\n\000\000\000\000\000\000\000\000\000\000\001\000\000\000\017\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\377\377'$$ (FORMAT binary);
SELECT count(*) FROM t_bin2;

-- accessors are immutable: generated columns and expression indexes
CREATE TEMP TABLE t_gen (
	id robot_id,
	model_key text GENERATED ALWAYS AS (robot_id_model_key(id)) STORED
);
INSERT INTO t_gen (id) VALUES ('86-0001-000123-20260529000000001');
SELECT * FROM t_gen;
CREATE INDEX ON t_gen (robot_id_manufacturer_key(id));
SELECT p.proname, p.provolatile, p.proisstrict, p.proparallel, p.proleakproof
  FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'robotid')
 ORDER BY p.proname, p.oid;
