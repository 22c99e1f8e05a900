-- 20: who is calling, and how the registry's own code is recognised.

-- The caller's actor kind and manufacturer key.  SECURITY INVOKER on
-- purpose: current_user must be the caller, and the actors table shows
-- each role only its own mapping.
--
-- These helpers, and every other small routine on a hot path, are
-- PL/pgSQL, not SQL, on purpose: PostgreSQL plans a SQL function with a
-- SET clause again in every statement or transaction that calls it, while
-- PL/pgSQL keeps its plans for the session.
CREATE FUNCTION robot_registry.actor_kind() RETURNS robot_registry.actor_kind
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	RETURN (SELECT kind FROM robot_registry.actors WHERE role_name = current_user);
END
$fn$;
CREATE FUNCTION robot_registry.actor_manufacturer() RETURNS text
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	RETURN (SELECT manufacturer_key FROM robot_registry.actors WHERE role_name = current_user);
END
$fn$;

-- The party the caller acts for (NULL for an unmapped role).
CREATE FUNCTION robot_registry.actor_party() RETURNS text
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	RETURN (SELECT party FROM robot_registry.actors WHERE role_name = current_user);
END
$fn$;

-- Which robots the caller may see and move: 'all' for every mapped kind
-- but manufacturers, a manufacturer's key for a manufacturer, NULL for an
-- unmapped role.  One look-up per query in the policies.
CREATE FUNCTION robot_registry.actor_scope() RETURNS text
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	RETURN (SELECT CASE WHEN kind = 'manufacturer' THEN manufacturer_key ELSE 'all' END
	          FROM robot_registry.actors WHERE role_name = current_user);
END
$fn$;

-- The registry's owner (and its members, and superusers) administer it and
-- are not actors: they bypass row-level security as table owners do.
-- Inside the registry's SECURITY DEFINER triggers current_user is the
-- owner, so this is true there too.
CREATE FUNCTION robot_registry.is_administrator() RETURNS boolean
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	RETURN (SELECT pg_has_role(current_user, nspowner, 'USAGE')
	          FROM pg_namespace WHERE nspname = 'robot_registry');
END
$fn$;

-- "a seller", "an operator"
CREATE FUNCTION robot_registry.actor_name(kind robot_registry.actor_kind) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
		SELECT CASE WHEN left(kind::text, 1) IN ('a', 'e', 'i', 'o', 'u') THEN 'an ' ELSE 'a ' END
		       || replace(kind::text, '_', ' ')
	$fn$;

-- Every trigger function that runs with the owner's rights first checks
-- that it was fired by the trigger the registry attached to its own table:
-- on any other table the caller would choose the column types, and with
-- them the casts and operators the owner's rights would run.  The check
-- is written inline in each trigger function (a simple expression, cheap
-- on every row), which calls this to refuse.
CREATE FUNCTION robot_registry.check_trigger(fired_on oid, fired_by name, expected_table regclass,
	expected_trigger name) RETURNS void
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	IF fired_on IS DISTINCT FROM expected_table::oid OR fired_by IS DISTINCT FROM expected_trigger THEN
		RAISE EXCEPTION 'this registry trigger function only runs as trigger % on %', expected_trigger, expected_table
			USING ERRCODE = 'trigger_protocol_violated', HINT = 'It acts with the registry owner''s rights.';
	END IF;
END
$fn$;

-- The detail the log records for the next changes in this transaction;
-- cleared by passing NULL.
CREATE FUNCTION robot_registry.set_detail(detail jsonb) RETURNS void
	LANGUAGE plpgsql VOLATILE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	PERFORM set_config('robot_registry.detail', coalesce(detail::text, ''), true);
END
$fn$;

-- For administrators and the registry's triggers: the actor the next
-- changes are made for, and their detail; NULLs clear both.  Ignored for
-- everyone else, whose changes are always their own.
CREATE FUNCTION robot_registry.act_as(actor name, detail jsonb) RETURNS void
	LANGUAGE plpgsql VOLATILE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	PERFORM set_config('robot_registry.actor', coalesce(actor::text, ''), true);
	PERFORM robot_registry.set_detail(detail);
END
$fn$;

-- The registry's own changes to robots (a recall flagging them, a remedy,
-- a recall closing) carry the kind of event they are; actors may not.
CREATE FUNCTION robot_registry.set_internal(kind text) RETURNS void
	LANGUAGE plpgsql VOLATILE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	PERFORM set_config('robot_registry.internal', coalesce(kind, ''), true);
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.set_internal(text) FROM PUBLIC;

-- One timestamp as text that survives dump and restore under any TimeZone
-- or DateStyle: microseconds since the epoch, or infinity as such.
CREATE FUNCTION robot_registry.time_text(t timestamptz) RETURNS text
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	RETURN CASE WHEN t IS NULL THEN NULL
		            WHEN isfinite(t) THEN (extract(epoch FROM t) * 1000000)::numeric(20,0)::text
		            WHEN t > 'epoch'::timestamptz THEN 'infinity' ELSE '-infinity' END;
END
$fn$;
