-- pgTAP: the robot_id type's catalog objects and their declarations
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION robotid;
SELECT plan(40);

SELECT has_type('robot_id');
SELECT is((SELECT typlen FROM pg_type WHERE typname = 'robot_id'), 16::smallint,
          'robot_id is fixed at 16 bytes, like uuid');
SELECT is((SELECT typlen FROM pg_type WHERE typname = 'robot_id'),
          (SELECT typlen FROM pg_type WHERE typname = 'uuid'), 'same width as uuid');
SELECT is((SELECT typalign FROM pg_type WHERE typname = 'robot_id'), 'c', 'char alignment, no padding');

SELECT has_function('robot_id_is_valid', ARRAY['text']);
SELECT has_function('robot_id_format', ARRAY['robot_id']);
SELECT has_function('robot_id_country', ARRAY['robot_id']);
SELECT has_function('robot_id_manufacturer', ARRAY['robot_id']);
SELECT has_function('robot_id_model', ARRAY['robot_id']);
SELECT has_function('robot_id_serial', ARRAY['robot_id']);
SELECT has_function('robot_id_manufacturer_key', ARRAY['robot_id']);
SELECT has_function('robot_id_model_key', ARRAY['robot_id']);
SELECT has_function('make_robot_id', ARRAY['text', 'text', 'text', 'text']);
SELECT has_function('make_robot_id', ARRAY['text', 'text', 'text', 'bigint']);
SELECT has_function('robot_id_starts_with', ARRAY['robot_id', 'text']);

SELECT has_cast('text', 'robot_id');
SELECT has_cast('robot_id', 'text');
SELECT has_cast('numeric', 'robot_id');
SELECT has_cast('robot_id', 'numeric');
SELECT cast_context_is('text', 'robot_id', 'assignment');
SELECT cast_context_is('numeric', 'robot_id', 'explicit');
SELECT cast_context_is('robot_id', 'numeric', 'explicit');

SELECT has_operator('robot_id', '=', 'robot_id', 'boolean');
SELECT has_operator('robot_id', '<>', 'robot_id', 'boolean');
SELECT has_operator('robot_id', '<', 'robot_id', 'boolean');
SELECT has_operator('robot_id', '<=', 'robot_id', 'boolean');
SELECT has_operator('robot_id', '>', 'robot_id', 'boolean');
SELECT has_operator('robot_id', '>=', 'robot_id', 'boolean');
SELECT has_operator('robot_id', '^@', 'text', 'boolean');

SELECT has_opclass('robot_id_ops');
SELECT has_opclass('robot_id_hash_ops');
SELECT has_opclass('robot_id_minmax_ops');
SELECT is((SELECT count(*)::int FROM pg_opclass
            WHERE opcintype = 'robot_id'::regtype AND opcdefault), 3,
          'default opclasses for btree, hash and brin');

SELECT is((SELECT array_agg(amprocnum ORDER BY amprocnum) FROM pg_amproc p
             JOIN pg_opfamily f ON f.oid = p.amprocfamily
            WHERE f.opfname = 'robot_id_hash_ops'), ARRAY[1, 2]::smallint[],
          'hash opclass has support functions 1 and 2 (extended hash)');

SELECT is_aggregate('min', ARRAY['robot_id']);
SELECT is_aggregate('max', ARRAY['robot_id']);

SELECT is((SELECT count(*)::int FROM pg_proc
            WHERE proname IN ('robot_id_eq', 'robot_id_ne', 'robot_id_lt', 'robot_id_le',
                              'robot_id_gt', 'robot_id_ge', 'robot_id_cmp')
              AND proleakproof), 7, 'comparison functions are LEAKPROOF');

SELECT is((SELECT count(*)::int FROM pg_proc p
             JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
            WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'robotid')
              AND p.prorettype <> 'trigger'::regtype AND p.proname NOT LIKE 'robot\_registry\_%'
              AND p.proparallel <> 's'), 0, 'every function but the triggers and the registry''s installers is PARALLEL SAFE');

SELECT is((SELECT count(*)::int FROM pg_proc p
             JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
            WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'robotid')
              AND p.prokind = 'f' AND p.provolatile <> 'i' AND p.prorettype <> 'trigger'::regtype
              AND p.proname NOT IN ('robot_id_prefix_restrict', 'robot_id_rangesel', 'robot_id_typanalyze')
              AND p.proname NOT LIKE 'robot\_registry\_%'), 0,
          'every function but the planner estimators, ANALYZE''s, the triggers and the registry''s installers is IMMUTABLE');
SELECT is((SELECT array_agg(proname || ':' || provolatile::text || proparallel::text ORDER BY proname) FROM pg_proc
            WHERE prorettype = 'trigger'::regtype AND proname LIKE 'robot%'),
          ARRAY['robot_lifecycle_guard:vu', 'robot_market_guard:vu'],
          'the triggers lock rows: VOLATILE and PARALLEL UNSAFE');

SELECT * FROM finish();
ROLLBACK;
