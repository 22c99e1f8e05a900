-- 99: which registry this is.  robot_registry_upgrade() reads it, and
-- replaces it with every other routine of the registry.
CREATE FUNCTION robot_registry.version() RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$ SELECT '@registry_version@' $fn$;
COMMENT ON FUNCTION robot_registry.version() IS 'the version of the registry in this database';
