
-- A new registry: every data and code file in order.
CREATE OR REPLACE FUNCTION robot_registry_install() RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $robotid_install$
DECLARE
	file text;
BEGIN
	IF to_regnamespace('robot_registry') IS NOT NULL THEN
		RAISE EXCEPTION 'schema robot_registry already exists'
			USING ERRCODE = 'duplicate_schema',
			      HINT = 'The registry is installed once per database; robot_registry_upgrade() brings an older one up to date.';
	END IF;
	FOREACH file IN ARRAY ARRAY[@registry_install_files@] LOOP
		PERFORM @extschema@.robot_registry_run_file(file);
	END LOOP;
END
$robotid_install$;
COMMENT ON FUNCTION robot_registry_install()
	IS 'create the reference registry in schema robot_registry, owned by the caller';
REVOKE ALL ON FUNCTION robot_registry_install() FROM PUBLIC;

-- Brings the registry in this database from any earlier released version
-- to this one, in place and in the caller's transaction:
--
--   1. find the registry's version (robot_registry.version(); the 1.2
--      and 1.3 registries had none and are recognised by their tables);
--   2. lock every registry table, so that no write interleaves;
--   3. drop the old version's code: every policy, trigger, view and
--      routine in schema robot_registry (never a table, a sequence or a
--      row; a user's object that depends on a registry view or function
--      stops the upgrade, one that depends on a table does not);
--   4. run the steps registry/upgrade/A--B.sql from the registry's version
--      to this one: ALTER TABLE and backfills, with no trigger firing;
--   5. run this version's code files, as an install does;
--   6. record in each robot's chain what a step derived for it (custody,
--      from registries before 1.5: derive_custody());
--      grant each mapped role the actors' privileges of this version, and
--      record in the ledger every row verify() expects there that has no
--      entry yet, or whose last entry lacks only columns a step added
--      (operation 'upgrade');
--   7. verify(): any problem, in the old events (checked under the rules
--      they were written by) or elsewhere, refuses the whole upgrade;
--   8. take a checkpoint, whose root anchors the history as it was
--      upgraded: keep it outside the database.
--
-- A registry already at this version is left alone; a newer one, or one
-- this extension does not know, is refused.
CREATE OR REPLACE FUNCTION robot_registry_upgrade() RETURNS text
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $robotid_upgrade$
DECLARE
	current_version constant text := '@registry_version@';
	steps constant text[] := ARRAY[@registry_upgrade_steps@]::text[];
	code constant text[] := ARRAY[@registry_code_files@]::text[];
	owner name;
	found_version text;
	v text;
	step text;
	file text;
	g text;
	o record;
	problems text;
	message text;
	detail text;
	upto bigint;
	root text;
BEGIN
	SELECT n.nspowner::regrole::name INTO owner FROM pg_namespace n WHERE n.nspname = 'robot_registry';
	IF NOT FOUND THEN
		RAISE EXCEPTION 'there is no registry to upgrade: schema robot_registry does not exist'
			USING ERRCODE = 'invalid_schema_name',
			      HINT = 'SELECT robot_registry_install() creates one.';
	END IF;
	IF current_user <> owner THEN
		RAISE EXCEPTION 'the registry is upgraded by its owner, %', owner
			USING ERRCODE = 'insufficient_privilege',
			      DETAIL = 'The objects the upgrade creates belong to whoever runs it.',
			      HINT = format('SET ROLE %I first.', owner);
	END IF;

	IF to_regprocedure('robot_registry.version()') IS NOT NULL THEN
		EXECUTE 'SELECT robot_registry.version()' INTO found_version;
	ELSIF to_regclass('robot_registry.robots') IS NOT NULL AND to_regclass('robot_registry.ledger') IS NULL
	      AND NOT EXISTS (SELECT 1 FROM pg_attribute a
	                       WHERE a.attrelid = 'robot_registry.robots'::regclass AND a.attname = 'revision'
	                         AND NOT a.attisdropped) THEN
		found_version := '1.2';		-- 1.2 had no version()
	ELSIF to_regclass('robot_registry.ledger') IS NOT NULL AND to_regclass('robot_registry.model_gates') IS NOT NULL
	      AND to_regclass('robot_registry.defect_reports') IS NULL THEN
		found_version := '1.3';		-- nor had 1.3
	ELSE
		RAISE EXCEPTION 'schema robot_registry is not a registry version this extension knows'
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      DETAIL = 'It has no robot_registry.version(), and its tables are not those of the 1.2 or 1.3 registry.';
	END IF;
	IF found_version = current_version THEN
		RAISE NOTICE 'the registry is already at version %: nothing to do', current_version;
		RETURN current_version;
	END IF;
	IF coalesce(found_version, '') ~ '^[0-9]+(\.[0-9]+)*$'
	   AND string_to_array(found_version, '.')::int[] > string_to_array(current_version, '.')::int[] THEN
		RAISE EXCEPTION 'registry version % is newer than this extension''s registry (%): robot_registry_upgrade() does not downgrade',
			found_version, current_version
			USING ERRCODE = 'feature_not_supported',
			      HINT = 'Update the extension to the version that built the registry: ALTER EXTENSION robotid UPDATE.';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM unnest(steps) s WHERE s LIKE 'upgrade/' || found_version || '--%') THEN
		RAISE EXCEPTION 'registry version "%" is not a released registry version', found_version
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      DETAIL = format('This extension upgrades registries %s to %s.',
			                      (SELECT string_agg(substring(s FROM '^upgrade/(.*)--'), ', ') FROM unnest(steps) s),
			                      current_version);
	END IF;

	FOR o IN SELECT c.oid::regclass AS rel FROM pg_class c
	          WHERE c.relnamespace = 'robot_registry'::regnamespace AND c.relkind IN ('r', 'p')
	          ORDER BY c.relname LOOP
		EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', o.rel);
	END LOOP;

	-- the old code.  A user's object that depends on a registry view or
	-- routine stops the upgrade: CASCADE would drop it silently.
	BEGIN
	FOR o IN SELECT p.polname, p.polrelid::regclass AS rel FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
	          WHERE c.relnamespace = 'robot_registry'::regnamespace LOOP
		EXECUTE format('DROP POLICY %I ON %s', o.polname, o.rel);
	END LOOP;
	FOR o IN SELECT t.tgname, t.tgrelid::regclass AS rel FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
	          WHERE c.relnamespace = 'robot_registry'::regnamespace AND NOT t.tgisinternal LOOP
		EXECUTE format('DROP TRIGGER %I ON %s', o.tgname, o.rel);
	END LOOP;
	FOR o IN SELECT c.oid::regclass AS rel, c.relkind FROM pg_class c
	          WHERE c.relnamespace = 'robot_registry'::regnamespace AND c.relkind IN ('v', 'm')
	          ORDER BY c.oid DESC LOOP
		EXECUTE format('DROP %s %s', CASE o.relkind WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'VIEW' END, o.rel);
	END LOOP;
	FOR o IN SELECT p.oid::regprocedure AS routine FROM pg_proc p
	          WHERE p.pronamespace = 'robot_registry'::regnamespace
	          ORDER BY p.oid DESC LOOP
		EXECUTE format('DROP ROUTINE %s', o.routine);
	END LOOP;
	EXCEPTION WHEN dependent_objects_still_exist THEN
		GET STACKED DIAGNOSTICS message = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL;
		RAISE EXCEPTION '%', message
			USING ERRCODE = 'dependent_objects_still_exist', DETAIL = detail,
			      HINT = 'The upgrade replaces every view, routine, trigger and policy in schema robot_registry: '
			             'drop the objects that depend on them and create them again after the upgrade.';
	END;

	-- the tables, step by step
	v := found_version;
	WHILE v <> current_version LOOP
		step := (SELECT s FROM unnest(steps) s WHERE s LIKE 'upgrade/' || v || '--%');
		PERFORM @extschema@.robot_registry_run_file(step);
		v := substring(step FROM '--(.*)\.sql$');
	END LOOP;

	-- the new code
	FOREACH file IN ARRAY code LOOP
		PERFORM @extschema@.robot_registry_run_file(file);
	END LOOP;
	-- a registry from before custody: the custodians the step derived, as an
	-- event in every robot's chain
	IF string_to_array(found_version, '.')::int[] < ARRAY[1, 5] THEN
		PERFORM robot_registry.derive_custody();
	END IF;

	-- what the new code does when a role is mapped or a row is written
	FOR o IN SELECT a.role_name FROM robot_registry.actors a ORDER BY a.role_name LOOP
		IF to_regrole(quote_ident(o.role_name)) IS NULL THEN
			RAISE WARNING 'role % is mapped in robot_registry.actors but does not exist: it gets no privileges', o.role_name;
			CONTINUE;
		END IF;
		FOREACH g IN ARRAY robot_registry.actor_grants() LOOP
			EXECUTE format('GRANT %s TO %I', robot_registry.grant_clause(g), o.role_name);
		END LOOP;
	END LOOP;
	INSERT INTO robot_registry.ledger (subject, subject_key, op, row_data, actor)
	SELECT g.subject, g.subject_key, 'upgrade', g.row_data, session_user
	  FROM robot_registry.ledgered_rows() g
	 WHERE NOT EXISTS (SELECT 1 FROM robot_registry.ledger l
	                    WHERE l.subject = g.subject AND l.subject_key = g.subject_key)
	 ORDER BY g.subject, g.subject_key;
	-- and every row that differs from its last entry only by the columns a
	-- step added (a 1.3 recall has no defect_category in its entries): the
	-- row as the upgrade left it.  A row changed in any other way is not
	-- covered, and verify() below refuses the upgrade.
	INSERT INTO robot_registry.ledger (subject, subject_key, op, row_data, actor)
	SELECT g.subject, g.subject_key, 'upgrade', g.row_data, session_user
	  FROM robot_registry.ledgered_rows() g
	  JOIN LATERAL (SELECT l.op, l.row_data FROM robot_registry.ledger l
	                 WHERE l.subject = g.subject AND l.subject_key = g.subject_key
	                 ORDER BY l.entry_id DESC LIMIT 1) last ON true
	 WHERE last.op <> 'delete' AND last.row_data IS DISTINCT FROM g.row_data
	   AND g.row_data - ARRAY(SELECT jsonb_object_keys(g.row_data)
	                          EXCEPT SELECT jsonb_object_keys(last.row_data)) = last.row_data
	 ORDER BY g.subject, g.subject_key;

	IF robot_registry.version() IS DISTINCT FROM current_version THEN
		RAISE EXCEPTION 'the upgrade built registry version %, not %', robot_registry.version(), current_version
			USING ERRCODE = 'internal_error';
	END IF;
	SELECT string_agg(format('%s: %s', coalesce('robot ' || p.robot_id::text, 'event ' || p.event_id, 'ledger'),
	                         p.problem), E'\n')
	  INTO problems
	  FROM (SELECT * FROM robot_registry.verify() LIMIT 20) p;
	IF problems IS NOT NULL THEN
		RAISE EXCEPTION 'the registry does not verify, so it is not upgraded'
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      DETAIL = problems,
			      HINT = 'Events written before the upgrade are checked under the rules of the version that wrote them.';
	END IF;

	upto := greatest((SELECT max(e.event_id) FROM robot_registry.events e),
	                 (SELECT max(l.entry_id) FROM robot_registry.ledger l), 0);
	root := robot_registry.log_root(upto);
	INSERT INTO robot_registry.checkpoints (upto_event_id, root) VALUES (upto, root)
	ON CONFLICT ON CONSTRAINT checkpoints_pkey DO NOTHING;
	RAISE NOTICE 'registry upgraded from % to %', found_version, current_version
		USING DETAIL = format('Checkpoint %s, root %s: keep it outside the database.', upto, root);
	RETURN current_version;
END
$robotid_upgrade$;
COMMENT ON FUNCTION robot_registry_upgrade()
	IS 'bring the registry in schema robot_registry from an earlier released version to this one, in place';
REVOKE ALL ON FUNCTION robot_registry_upgrade() FROM PUBLIC;

-- The synthetic data generator, robot_registry.generate_demo(), for
-- demos, benchmarks and tests: not part of a production registry.
CREATE OR REPLACE FUNCTION robot_registry_install_demo() RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $robotid_install_demo$
DECLARE
	found_version text;
	file text;
BEGIN
	IF to_regnamespace('robot_registry') IS NULL THEN
		RAISE EXCEPTION 'there is no registry: schema robot_registry does not exist'
			USING ERRCODE = 'invalid_schema_name',
			      HINT = 'SELECT robot_registry_install() creates one.';
	END IF;
	IF to_regprocedure('robot_registry.version()') IS NOT NULL THEN
		EXECUTE 'SELECT robot_registry.version()' INTO found_version;
	END IF;
	IF found_version IS DISTINCT FROM '@registry_version@' THEN
		RAISE EXCEPTION 'the demo generator needs registry version @registry_version@, and this one is %', coalesce(found_version, 'older')
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      HINT = 'SELECT robot_registry_upgrade() brings it up to date.';
	END IF;
	FOREACH file IN ARRAY ARRAY[@registry_demo_files@] LOOP
		PERFORM @extschema@.robot_registry_run_file(file);
	END LOOP;
END
$robotid_install_demo$;
COMMENT ON FUNCTION robot_registry_install_demo()
	IS 'add the synthetic data generator robot_registry.generate_demo() to the registry';
REVOKE ALL ON FUNCTION robot_registry_install_demo() FROM PUBLIC;
