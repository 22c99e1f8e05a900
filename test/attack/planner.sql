-- As the superuser, against the planner support of robot_id: nothing an
-- unprivileged role plants in the extension's schema is called when a
-- prefix test is planned.  A 1.4 library serving a database still at 1.3
-- (between the package upgrade and ALTER EXTENSION UPDATE) has no
-- robot_id_prefix_lower() or _upper() of the extension's; the transaction
-- below recreates that catalog, and attack_nobody fills the gap in public
-- (CREATE granted to PUBLIC there, as setup.sql does).
BEGIN;
SELECT plan(4);

CREATE TEMP TABLE hijacked (by name);
GRANT INSERT ON hijacked TO PUBLIC;
ALTER EXTENSION robotid DROP FUNCTION robot_id_prefix_lower(text);
ALTER EXTENSION robotid DROP FUNCTION robot_id_prefix_upper(text);
DROP FUNCTION robot_id_prefix_lower(text);
DROP FUNCTION robot_id_prefix_upper(text);
SET ROLE attack_nobody;
CREATE FUNCTION public.robot_id_prefix_lower(text) RETURNS robot_id LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO pg_temp.hijacked VALUES (current_user);
	RETURN '00000000000000000000000000000'::robot_id;
END $$;
CREATE FUNCTION public.robot_id_prefix_upper(text) RETURNS robot_id LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO pg_temp.hijacked VALUES (current_user);
	RETURN '99999999999999999999999999999'::robot_id;
END $$;
RESET ROLE;

CREATE TEMP TABLE codes (id robot_id PRIMARY KEY);
INSERT INTO codes SELECT make_robot_id('86', '0001', '000001', g::bigint) FROM generate_series(1, 50) g;
INSERT INTO codes SELECT make_robot_id('86', '0002', '000001', g::bigint) FROM generate_series(1, 50) g;
ANALYZE codes;
PREPARE by_prefix(text) AS SELECT count(*)::int FROM codes WHERE id ^@ $1;
SET LOCAL plan_cache_mode = force_generic_plan;
SELECT is((SELECT count(*)::int FROM codes WHERE id ^@ (SELECT '860001'::text)), 50,
          'a prefix from a subquery counts the prefix''s codes');
SELECT results_eq('EXECUTE by_prefix(''860002'')', ARRAY[50], 'a parameter prefix counts the prefix''s codes');
SELECT is((SELECT count(*)::int FROM codes c JOIN (VALUES ('860001'::text)) p(x) ON c.id ^@ p.x), 50,
          'a join prefix counts the prefix''s codes');

SELECT is((SELECT count(*)::int FROM pg_temp.hijacked), 0,
          'no function planted in the extension''s schema ran for the superuser''s query');

SELECT * FROM finish();
ROLLBACK;
