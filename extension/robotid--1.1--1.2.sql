/* robotid 1.1 -> 1.2: robot_registry_install(), the reference registry */

\echo Use "ALTER EXTENSION robotid UPDATE TO '1.2'" to load this file. \quit

-- Creates schema robot_registry as ordinary objects owned by the caller,
-- not as members of the extension: a database that only wants the type
-- gets no tables, DROP EXTENSION cannot drop registry data without an
-- explicit CASCADE, and pg_dump dumps the registry and its data like any
-- other schema.  Frozen at release: the registry of 1.2.  Later registries are built from registry/.
CREATE FUNCTION robot_registry_install() RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $robotid_install$
BEGIN
	IF to_regnamespace('robot_registry') IS NOT NULL THEN
		RAISE EXCEPTION 'schema robot_registry already exists'
			USING ERRCODE = 'duplicate_schema',
			      HINT = 'The registry is installed once per database.';
	END IF;
	EXECUTE $robotid_registry$
-- The reference registry, created in schema robot_registry by
-- robot_registry_install().  This file is wrapped into the extension's
-- update script at build time; @extschema@ is the extension's schema.
-- Objects made here are ordinary objects, not members of the extension:
-- see the README for why.

CREATE SCHEMA robot_registry;
COMMENT ON SCHEMA robot_registry IS 'reference robot identity registry (robotid)';
REVOKE ALL ON SCHEMA robot_registry FROM PUBLIC;
GRANT USAGE ON SCHEMA robot_registry TO PUBLIC;

CREATE TYPE robot_registry.actor_kind AS ENUM
	('manufacturer', 'seller', 'service_provider', 'operator', 'recycler', 'regulator');

-- catalogue: no code, no market access starts here
CREATE TABLE robot_registry.manufacturers (
	manufacturer_key text PRIMARY KEY CHECK (manufacturer_key ~ '^[0-9]{6}$'),
	name text NOT NULL
);
COMMENT ON TABLE robot_registry.manufacturers IS 'registered manufacturers: country code and manufacturer code (6 digits)';

CREATE TABLE robot_registry.models (
	model_key text PRIMARY KEY CHECK (model_key ~ '^[0-9]{12}$'),
	manufacturer_key text NOT NULL GENERATED ALWAYS AS (left(model_key, 6)) STORED
		REFERENCES robot_registry.manufacturers,
	name text NOT NULL
);
CREATE INDEX ON robot_registry.models (manufacturer_key);
COMMENT ON TABLE robot_registry.models IS 'registered product models: country, manufacturer and model code (12 digits)';

-- actors: the DBA maps existing roles to what they may do
CREATE TABLE robot_registry.actors (
	role_name name PRIMARY KEY,
	kind robot_registry.actor_kind NOT NULL,
	manufacturer_key text REFERENCES robot_registry.manufacturers,
	CHECK ((kind = 'manufacturer') = (manufacturer_key IS NOT NULL))
);
COMMENT ON TABLE robot_registry.actors IS 'maps database roles to actor kinds; a manufacturer actor carries its manufacturer key';

-- which lifecycle moves each kind may make
CREATE TABLE robot_registry.actor_moves (
	kind robot_registry.actor_kind NOT NULL,
	from_state @extschema@.robot_state NOT NULL,
	to_state @extschema@.robot_state NOT NULL,
	PRIMARY KEY (kind, from_state, to_state)
);
INSERT INTO robot_registry.actor_moves VALUES
	('manufacturer', 'manufactured', 'sold'),
	('manufacturer', 'manufactured', 'recycled'),
	('manufacturer', 'manufactured', 'retired'),
	('seller', 'manufactured', 'sold'),
	('seller', 'deployed', 'sold'),
	('seller', 'maintenance', 'sold'),
	('operator', 'sold', 'deployed'),
	('operator', 'maintenance', 'deployed'),
	('operator', 'deployed', 'maintenance'),
	('operator', 'sold', 'maintenance'),
	('service_provider', 'deployed', 'maintenance'),
	('service_provider', 'maintenance', 'deployed'),
	('recycler', 'manufactured', 'recycled'),
	('recycler', 'sold', 'recycled'),
	('recycler', 'deployed', 'recycled'),
	('recycler', 'maintenance', 'recycled'),
	('recycler', 'manufactured', 'retired'),
	('recycler', 'sold', 'retired'),
	('recycler', 'deployed', 'retired'),
	('recycler', 'maintenance', 'retired'),
	('recycler', 'recycled', 'retired');

CREATE TABLE robot_registry.robots (
	id @extschema@.robot_id PRIMARY KEY,
	model_key text NOT NULL GENERATED ALWAYS AS (@extschema@.robot_id_model_key(id)) STORED
		REFERENCES robot_registry.models,
	state @extschema@.robot_state NOT NULL DEFAULT 'manufactured',
	recalled boolean NOT NULL DEFAULT false,
	refurbished_from @extschema@.robot_id REFERENCES robot_registry.robots,
	owner_name text,
	location text,
	registered_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	changed_by name NOT NULL DEFAULT current_user
);
CREATE INDEX robots_model_state ON robot_registry.robots (model_key, state);
COMMENT ON TABLE robot_registry.robots IS 'every registered robot and its current lifecycle state';

CREATE TABLE robot_registry.recalls (
	recall_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	model_key text NOT NULL REFERENCES robot_registry.models,
	serial_from text NOT NULL DEFAULT '00000000000000000' CHECK (serial_from ~ '^[0-9]{17}$'),
	serial_to text NOT NULL DEFAULT '99999999999999999' CHECK (serial_to ~ '^[0-9]{17}$'),
	reason text NOT NULL,
	opened_by name NOT NULL DEFAULT current_user,
	opened_at timestamptz NOT NULL DEFAULT now(),
	closed_at timestamptz,
	closed_by name,
	CHECK (serial_from <= serial_to)
);
CREATE INDEX recalls_open ON robot_registry.recalls (model_key) WHERE closed_at IS NULL;
COMMENT ON TABLE robot_registry.recalls IS 'recall campaigns for a model key and a range of serials';

CREATE TABLE robot_registry.recall_robots (
	recall_id bigint NOT NULL REFERENCES robot_registry.recalls,
	robot_id @extschema@.robot_id NOT NULL REFERENCES robot_registry.robots,
	remedied_at timestamptz,
	remedied_by name,
	PRIMARY KEY (recall_id, robot_id)
);
CREATE INDEX recall_robots_robot ON robot_registry.recall_robots (robot_id);
COMMENT ON TABLE robot_registry.recall_robots IS 'the robots each recall affects, and when each was remedied';

CREATE TABLE robot_registry.events (
	event_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	-- no foreign key: robots are never deleted (robot_lifecycle_guard) and
	-- only the registry's log trigger writes here, so the per-event probe
	-- would buy nothing
	robot_id @extschema@.robot_id NOT NULL,
	kind text NOT NULL CHECK (kind IN ('registered', 'moved', 'recalled', 'remedied', 'recall closed')),
	from_state @extschema@.robot_state,
	to_state @extschema@.robot_state,
	recalled boolean NOT NULL,
	detail jsonb NOT NULL DEFAULT '{}',
	actor name NOT NULL,
	at timestamptz NOT NULL DEFAULT clock_timestamp(),
	prev_hash bytea,
	hash bytea NOT NULL
);
CREATE INDEX events_robot ON robot_registry.events (robot_id, event_id);
COMMENT ON TABLE robot_registry.events IS 'append-only, hash-chained lifecycle log';

-- the market: sales and deployments, checked by robot_market_guard
CREATE TABLE robot_registry.market_events (
	market_event_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	robot_id @extschema@.robot_id,
	kind text NOT NULL CHECK (kind IN ('sale', 'deployment')),
	party text,
	detail jsonb NOT NULL DEFAULT '{}',
	recorded_by name NOT NULL DEFAULT current_user,
	at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX market_events_robot ON robot_registry.market_events (robot_id);
COMMENT ON TABLE robot_registry.market_events IS 'sales and deployments; no code, no market access';

------------------------------------------------------------------------
-- who is calling
------------------------------------------------------------------------

-- The caller's actor kind and manufacturer key.  SECURITY INVOKER on
-- purpose: current_user must be the caller, and the actors table shows
-- each role only its own mapping.
--
-- These helpers are PL/pgSQL, not SQL, on purpose: PostgreSQL plans a SQL
-- function's query again in every statement that calls it, while PL/pgSQL
-- keeps its plans for the session, and the policies call them in every
-- statement.
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

-- Which robots the caller may see and move: 'all' for every mapped kind
-- but manufacturers, a manufacturer's key for a manufacturer, NULL for an
-- unmapped role.  One look-up per query in the policies below.
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
CREATE FUNCTION robot_registry.is_administrator() RETURNS boolean
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	RETURN (SELECT pg_has_role(current_user, nspowner, 'USAGE')
	          FROM pg_namespace WHERE nspname = 'robot_registry');
END
$fn$;

------------------------------------------------------------------------
-- the event log: append-only and hash-chained per robot
------------------------------------------------------------------------

-- Every field that identifies an event, in a form that survives dump and
-- restore under any TimeZone or DateStyle: the time as microseconds since
-- the epoch, jsonb in its canonical text.
CREATE FUNCTION robot_registry.event_hash(e robot_registry.events) RETURNS bytea
	LANGUAGE sql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
		SELECT sha256(convert_to(concat_ws('|',
			coalesce(encode(e.prev_hash, 'hex'), ''),
			e.event_id::text, e.robot_id::text, e.kind,
			coalesce(e.from_state::text, ''), coalesce(e.to_state::text, ''),
			e.recalled::text, e.detail::text, e.actor::text,
			(extract(epoch FROM e.at) * 1000000)::numeric(20,0)::text), 'UTF8'))
	$fn$;

CREATE FUNCTION robot_registry.chain_event() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	-- events of one robot are written while its row is locked, so the
	-- previous event cannot change under us
	SELECT e.hash INTO NEW.prev_hash
	  FROM robot_registry.events e
	 WHERE e.robot_id OPERATOR(@extschema@.=) NEW.robot_id
	 ORDER BY e.event_id DESC LIMIT 1;
	NEW.hash := robot_registry.event_hash(NEW);
	RETURN NEW;
END
$fn$;

CREATE FUNCTION robot_registry.refuse_change() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	RAISE EXCEPTION '% on %.% is not allowed: it is append-only', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
		USING ERRCODE = 'check_violation', CONSTRAINT = 'robot_history_immutable',
		      SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME,
		      HINT = 'Record a new event instead.';
END
$fn$;

CREATE TRIGGER events_chain BEFORE INSERT ON robot_registry.events
	FOR EACH ROW EXECUTE FUNCTION robot_registry.chain_event();
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON robot_registry.events
	FOR EACH ROW EXECUTE FUNCTION robot_registry.refuse_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON robot_registry.events
	FOR EACH STATEMENT EXECUTE FUNCTION robot_registry.refuse_change();

------------------------------------------------------------------------
-- robots: rules, actors, recall holds and the log
------------------------------------------------------------------------

CREATE TRIGGER robots_lifecycle BEFORE INSERT OR UPDATE OR DELETE ON robot_registry.robots
	FOR EACH ROW EXECUTE FUNCTION @extschema@.robot_lifecycle_guard();

-- "a seller", "an operator"
CREATE FUNCTION robot_registry.actor_name(kind robot_registry.actor_kind) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
		SELECT CASE WHEN left(kind::text, 1) IN ('a', 'e', 'i', 'o', 'u') THEN 'an ' ELSE 'a ' END
		       || replace(kind::text, '_', ' ')
	$fn$;

-- As the caller: what this actor may do, and who did it.  One look-up of
-- the caller's mapping and the move: this runs on every registry write.
-- Administrators (and the registry's own triggers, which run as its owner)
-- are not mapped; they name the actor they act for with
-- robot_registry.act_as(), and may date an import of history through
-- updated_at.
CREATE FUNCTION robot_registry.check_actor() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	old_state @extschema@.robot_state := CASE WHEN TG_OP = 'UPDATE' THEN OLD.state END;
	my_kind robot_registry.actor_kind;
	allowed boolean;
BEGIN
	SELECT a.kind,
	       CASE WHEN old_state IS NULL THEN a.kind = 'manufacturer'
	            ELSE old_state = NEW.state OR m.kind IS NOT NULL END
	  INTO my_kind, allowed
	  FROM robot_registry.actors a
	  LEFT JOIN robot_registry.actor_moves m
	    ON m.kind = a.kind AND m.from_state = old_state AND m.to_state = NEW.state
	 WHERE a.role_name = current_user;
	IF my_kind IS NULL THEN
		IF NOT robot_registry.is_administrator() THEN
			RAISE EXCEPTION 'role % is not a registry actor', current_user
				USING ERRCODE = 'insufficient_privilege',
				      HINT = 'An administrator maps roles in robot_registry.actors.';
		END IF;
		NEW.changed_by := coalesce(nullif(current_setting('robot_registry.actor', true), ''), current_user);
		IF TG_OP = 'UPDATE' AND NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
			NEW.updated_at := now();
		END IF;
		RETURN NEW;
	END IF;
	IF NOT allowed AND old_state IS NULL THEN
		RAISE EXCEPTION '% may not register robots', robot_registry.actor_name(my_kind)
			USING ERRCODE = 'insufficient_privilege';
	ELSIF NOT allowed THEN
		RAISE EXCEPTION '% may not move robot % from % to %',
			robot_registry.actor_name(my_kind), NEW.id, old_state, NEW.state
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	NEW.changed_by := current_user;
	NEW.updated_at := now();
	IF TG_OP = 'INSERT' THEN
		NEW.registered_at := now();
	END IF;
	RETURN NEW;
END
$fn$;
CREATE TRIGGER robots_actor BEFORE INSERT OR UPDATE ON robot_registry.robots
	FOR EACH ROW EXECUTE FUNCTION robot_registry.check_actor();

-- The open recalls whose model and serial range cover a code.
CREATE FUNCTION robot_registry.open_recalls_covering(id @extschema@.robot_id) RETURNS SETOF bigint
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
		SELECT c.recall_id FROM robot_registry.recalls c
		 WHERE c.closed_at IS NULL AND c.model_key = @extschema@.robot_id_model_key(id)
		   AND @extschema@.robot_id_serial(id) BETWEEN c.serial_from AND c.serial_to
	$fn$;

-- As the registry: a robot registered while a recall covering it is open
-- is held from the start.
CREATE FUNCTION robot_registry.hold_new_robot() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	IF EXISTS (SELECT 1 FROM robot_registry.open_recalls_covering(NEW.id)) THEN
		NEW.recalled := true;
	END IF;
	RETURN NEW;
END
$fn$;
CREATE TRIGGER robots_recall_on_register BEFORE INSERT ON robot_registry.robots
	FOR EACH ROW EXECUTE FUNCTION robot_registry.hold_new_robot();

-- As the registry: every registration, move and recall change goes to the
-- log, with the detail the application function passed along.
CREATE FUNCTION robot_registry.log_robot() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	detail jsonb := coalesce(nullif(current_setting('robot_registry.detail', true), '')::jsonb, '{}');
	kind text;
BEGIN
	IF TG_OP = 'INSERT' THEN
		IF NEW.refurbished_from IS NOT NULL THEN
			detail := detail || jsonb_build_object('refurbished_from', NEW.refurbished_from::text);
		END IF;
		INSERT INTO robot_registry.events (robot_id, kind, from_state, to_state, recalled, detail, actor, at)
		VALUES (NEW.id, 'registered', NULL, NEW.state, false, detail, NEW.changed_by, NEW.updated_at);
		IF NEW.recalled THEN
			INSERT INTO robot_registry.recall_robots (recall_id, robot_id)
			SELECT recall_id, NEW.id FROM robot_registry.open_recalls_covering(NEW.id) AS recall_id;
			INSERT INTO robot_registry.events (robot_id, kind, from_state, to_state, recalled, detail, actor, at)
			VALUES (NEW.id, 'recalled', NEW.state, NEW.state, true,
			        jsonb_build_object('reason', 'registered while a recall is open'), NEW.changed_by,
			        NEW.updated_at);
		END IF;
		RETURN NULL;
	END IF;
	IF NEW.state IS DISTINCT FROM OLD.state THEN
		INSERT INTO robot_registry.events (robot_id, kind, from_state, to_state, recalled, detail, actor, at)
		VALUES (NEW.id, 'moved', OLD.state, NEW.state, OLD.recalled, detail, NEW.changed_by, NEW.updated_at);
		-- a sale or deployment is a market event, and robot_market_guard
		-- checks it like any other
		IF NEW.state IN ('sold', 'deployed') THEN
			INSERT INTO robot_registry.market_events (robot_id, kind, party, detail, recorded_by, at)
			VALUES (NEW.id, CASE NEW.state WHEN 'sold' THEN 'sale' ELSE 'deployment' END,
			        detail ->> 'party', detail, NEW.changed_by, NEW.updated_at);
		END IF;
	END IF;
	IF NEW.recalled IS DISTINCT FROM OLD.recalled THEN
		kind := CASE WHEN NEW.recalled THEN 'recalled'
		             WHEN detail ? 'recall_closed' THEN 'recall closed'
		             ELSE 'remedied' END;
		INSERT INTO robot_registry.events (robot_id, kind, from_state, to_state, recalled, detail, actor, at)
		VALUES (NEW.id, kind, NEW.state, NEW.state, NEW.recalled, detail, NEW.changed_by, NEW.updated_at);
	END IF;
	RETURN NULL;
END
$fn$;
CREATE TRIGGER robots_log AFTER INSERT OR UPDATE ON robot_registry.robots
	FOR EACH ROW EXECUTE FUNCTION robot_registry.log_robot();

------------------------------------------------------------------------
-- market events: no code, no market access
------------------------------------------------------------------------

CREATE TRIGGER market_events_guard BEFORE INSERT OR UPDATE ON robot_registry.market_events
	FOR EACH ROW EXECUTE FUNCTION @extschema@.robot_market_guard('registry=robot_registry.robots');
CREATE TRIGGER market_events_append_only BEFORE UPDATE OR DELETE ON robot_registry.market_events
	FOR EACH ROW EXECUTE FUNCTION robot_registry.refuse_change();

------------------------------------------------------------------------
-- recalls
------------------------------------------------------------------------

-- The detail the log records for the next changes in this transaction;
-- cleared by passing NULL.
CREATE FUNCTION robot_registry.set_detail(detail jsonb) RETURNS void
	LANGUAGE sql VOLATILE
	SET search_path = pg_catalog, pg_temp
	AS $fn$ SELECT set_config('robot_registry.detail', coalesce(detail::text, ''), true) $fn$;

-- For administrators and the registry's triggers: the actor the next
-- changes are made for, and their detail; NULLs clear both.  Ignored for
-- everyone else, whose changes are always their own.
CREATE FUNCTION robot_registry.act_as(actor name, detail jsonb) RETURNS void
	LANGUAGE sql VOLATILE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
		SELECT set_config('robot_registry.actor', coalesce(actor::text, ''), true),
		       robot_registry.set_detail(detail)
	$fn$;

-- Opening a recall flags every robot it covers that is still in service.
CREATE FUNCTION robot_registry.recall_opened() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	low @extschema@.robot_id := @extschema@.make_robot_id(left(NEW.model_key, 2), substr(NEW.model_key, 3, 4),
	                                                     substr(NEW.model_key, 7, 6), NEW.serial_from);
	high @extschema@.robot_id := @extschema@.make_robot_id(left(NEW.model_key, 2), substr(NEW.model_key, 3, 4),
	                                                      substr(NEW.model_key, 7, 6), NEW.serial_to);
BEGIN
	INSERT INTO robot_registry.recall_robots (recall_id, robot_id)
	SELECT NEW.recall_id, r.id FROM robot_registry.robots r
	 WHERE r.id OPERATOR(@extschema@.>=) low AND r.id OPERATOR(@extschema@.<=) high
	   AND r.state NOT IN ('recycled', 'retired');
	PERFORM robot_registry.act_as(NEW.opened_by, jsonb_build_object('recall_id', NEW.recall_id, 'reason', NEW.reason));
	UPDATE robot_registry.robots r SET recalled = true
	 WHERE r.id OPERATOR(@extschema@.>=) low AND r.id OPERATOR(@extschema@.<=) high
	   AND r.state NOT IN ('recycled', 'retired') AND NOT r.recalled;
	PERFORM robot_registry.act_as(NULL, NULL);
	RETURN NULL;
END
$fn$;
CREATE TRIGGER recalls_open AFTER INSERT ON robot_registry.recalls
	FOR EACH ROW EXECUTE FUNCTION robot_registry.recall_opened();

-- Clear the flag of robots no open recall still holds.
CREATE FUNCTION robot_registry.release_robots(robots @extschema@.robot_id[], actor name, detail jsonb)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	PERFORM robot_registry.act_as(actor, detail);
	UPDATE robot_registry.robots r SET recalled = false
	 WHERE r.id OPERATOR(@extschema@.=) ANY (robots) AND r.recalled
	   AND NOT EXISTS (SELECT 1 FROM robot_registry.recall_robots rr
	                     JOIN robot_registry.recalls c USING (recall_id)
	                    WHERE rr.robot_id OPERATOR(@extschema@.=) r.id
	                      AND rr.remedied_at IS NULL AND c.closed_at IS NULL);
	PERFORM robot_registry.act_as(NULL, NULL);
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.release_robots(@extschema@.robot_id[], name, jsonb) FROM PUBLIC;

CREATE FUNCTION robot_registry.recall_closed() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	IF OLD.closed_at IS NOT NULL THEN
		RAISE EXCEPTION 'recall % is already closed', OLD.recall_id
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	PERFORM robot_registry.release_robots(
		ARRAY(SELECT robot_id FROM robot_registry.recall_robots WHERE recall_id = NEW.recall_id),
		NEW.closed_by, jsonb_build_object('recall_id', NEW.recall_id, 'recall_closed', true));
	RETURN NULL;
END
$fn$;
CREATE TRIGGER recalls_close AFTER UPDATE OF closed_at ON robot_registry.recalls
	FOR EACH ROW EXECUTE FUNCTION robot_registry.recall_closed();

CREATE FUNCTION robot_registry.robot_remedied() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	IF OLD.remedied_at IS NOT NULL THEN
		RAISE EXCEPTION 'robot % was already remedied for recall %', OLD.robot_id, OLD.recall_id
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	PERFORM robot_registry.release_robots(ARRAY[NEW.robot_id], NEW.remedied_by,
		coalesce(nullif(current_setting('robot_registry.detail', true), '')::jsonb, '{}')
		|| jsonb_build_object('recall_id', NEW.recall_id));
	RETURN NULL;
END
$fn$;
CREATE TRIGGER recall_robots_remedy AFTER UPDATE OF remedied_at ON robot_registry.recall_robots
	FOR EACH ROW EXECUTE FUNCTION robot_registry.robot_remedied();

------------------------------------------------------------------------
-- least privilege: row-level security per actor kind
------------------------------------------------------------------------

-- Grants go to PUBLIC and every policy requires a mapped actor, so an
-- unmapped role sees and writes nothing; column grants keep the recall
-- flag, timestamps and authorship out of actors' hands.
ALTER TABLE robot_registry.actors ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON robot_registry.actors TO PUBLIC;
CREATE POLICY own_mapping ON robot_registry.actors FOR SELECT
	USING (role_name = current_user);

GRANT SELECT ON robot_registry.manufacturers, robot_registry.models, robot_registry.actor_moves TO PUBLIC;

ALTER TABLE robot_registry.robots ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON robot_registry.robots TO PUBLIC;
GRANT INSERT (id, state, refurbished_from, owner_name, location) ON robot_registry.robots TO PUBLIC;
GRANT UPDATE (state, owner_name, location) ON robot_registry.robots TO PUBLIC;
-- manufacturers see their own codes, every other actor the whole fleet
CREATE POLICY robots_read ON robot_registry.robots FOR SELECT USING (
	(SELECT robot_registry.actor_scope()) IN ('all', @extschema@.robot_id_manufacturer_key(id)));
CREATE POLICY robots_register ON robot_registry.robots FOR INSERT WITH CHECK (
	(SELECT robot_registry.actor_kind()) = 'manufacturer'
	AND @extschema@.robot_id_manufacturer_key(id) = (SELECT robot_registry.actor_manufacturer()));
-- the same robots; which move each kind may make is checked by check_actor()
CREATE POLICY robots_move ON robot_registry.robots FOR UPDATE USING (
	(SELECT robot_registry.actor_scope()) IN ('all', @extschema@.robot_id_manufacturer_key(id)));

ALTER TABLE robot_registry.events ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON robot_registry.events TO PUBLIC;
CREATE POLICY events_read ON robot_registry.events FOR SELECT USING (
	EXISTS (SELECT 1 FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) robot_id));

ALTER TABLE robot_registry.market_events ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON robot_registry.market_events TO PUBLIC;
GRANT INSERT (robot_id, kind, party, detail) ON robot_registry.market_events TO PUBLIC;
CREATE POLICY market_read ON robot_registry.market_events FOR SELECT USING (
	EXISTS (SELECT 1 FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) robot_id));
-- moves record their market events themselves; a direct record is a sale by
-- a seller or manufacturer, a deployment by an operator or service provider
CREATE POLICY market_record ON robot_registry.market_events FOR INSERT WITH CHECK (
	recorded_by = current_user
	AND kind = ANY (CASE (SELECT robot_registry.actor_kind())
	                WHEN 'seller' THEN ARRAY['sale'] WHEN 'manufacturer' THEN ARRAY['sale']
	                WHEN 'operator' THEN ARRAY['deployment'] WHEN 'service_provider' THEN ARRAY['deployment']
	                END));

ALTER TABLE robot_registry.recalls ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON robot_registry.recalls TO PUBLIC;
GRANT INSERT (model_key, serial_from, serial_to, reason) ON robot_registry.recalls TO PUBLIC;
GRANT UPDATE (closed_at, closed_by) ON robot_registry.recalls TO PUBLIC;
CREATE POLICY recalls_read ON robot_registry.recalls FOR SELECT USING (
	(SELECT robot_registry.actor_kind()) IS NOT NULL);
-- a manufacturer recalls only its own models; a regulator any
CREATE POLICY recalls_open ON robot_registry.recalls FOR INSERT WITH CHECK (
	opened_by = current_user
	AND ((SELECT robot_registry.actor_kind()) = 'regulator'
	     OR ((SELECT robot_registry.actor_kind()) = 'manufacturer'
	         AND left(model_key, 6) = (SELECT robot_registry.actor_manufacturer()))));
CREATE POLICY recalls_close ON robot_registry.recalls FOR UPDATE
	USING ((SELECT robot_registry.actor_kind()) = 'regulator'
	       OR ((SELECT robot_registry.actor_kind()) = 'manufacturer'
	           AND left(model_key, 6) = (SELECT robot_registry.actor_manufacturer())))
	WITH CHECK (closed_by = current_user);

ALTER TABLE robot_registry.recall_robots ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON robot_registry.recall_robots TO PUBLIC;
GRANT UPDATE (remedied_at, remedied_by) ON robot_registry.recall_robots TO PUBLIC;
CREATE POLICY recall_robots_read ON robot_registry.recall_robots FOR SELECT USING (
	EXISTS (SELECT 1 FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) robot_id));
-- remedy only in maintenance (a service provider) or at the factory (its
-- manufacturer)
CREATE POLICY recall_robots_remedy ON robot_registry.recall_robots FOR UPDATE
	USING (EXISTS (SELECT 1 FROM robot_registry.robots r
	                WHERE r.id OPERATOR(@extschema@.=) robot_id
	                  AND ((r.state = 'maintenance' AND (SELECT robot_registry.actor_kind()) = 'service_provider')
	                       OR (r.state = 'manufactured' AND (SELECT robot_registry.actor_kind()) = 'manufacturer'))))
	WITH CHECK (remedied_by = current_user);

------------------------------------------------------------------------
-- the application interface
------------------------------------------------------------------------

CREATE FUNCTION robot_registry.register_robot(id @extschema@.robot_id,
	owner_name text DEFAULT NULL, location text DEFAULT NULL,
	refurbished_from @extschema@.robot_id DEFAULT NULL, detail jsonb DEFAULT '{}')
	RETURNS robot_registry.robots
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	registered robot_registry.robots;
BEGIN
	PERFORM robot_registry.set_detail(detail);
	INSERT INTO robot_registry.robots (id, owner_name, location, refurbished_from)
	VALUES (register_robot.id, register_robot.owner_name, register_robot.location,
	        register_robot.refurbished_from)
	RETURNING * INTO registered;
	PERFORM robot_registry.set_detail(NULL);
	RETURN registered;
END
$fn$;
COMMENT ON FUNCTION robot_registry.register_robot(@extschema@.robot_id, text, text, @extschema@.robot_id, jsonb)
	IS 'register a new robot as manufactured; its manufacturer and model must be in the catalogue';

-- The log records the move, and a move into sold or deployed as a market
-- event too.  detail may carry owner, location and party.
CREATE FUNCTION robot_registry.transition(id @extschema@.robot_id, to_state @extschema@.robot_state,
	detail jsonb DEFAULT '{}')
	RETURNS robot_registry.robots
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	moved robot_registry.robots;
BEGIN
	IF transition.detail <> '{}' THEN
		PERFORM robot_registry.set_detail(transition.detail);
	END IF;
	UPDATE robot_registry.robots r
	   SET state = transition.to_state,
	       owner_name = coalesce(transition.detail ->> 'owner', r.owner_name),
	       location = coalesce(transition.detail ->> 'location', r.location)
	 WHERE r.id OPERATOR(@extschema@.=) transition.id
	RETURNING r.* INTO moved;
	IF transition.detail <> '{}' THEN
		PERFORM robot_registry.set_detail(NULL);
	END IF;
	IF moved IS NULL THEN
		IF robot_registry.actor_scope() IS NULL AND NOT robot_registry.is_administrator() THEN
			RAISE EXCEPTION 'role % is not a registry actor', current_user
				USING ERRCODE = 'insufficient_privilege',
				      HINT = 'An administrator maps roles in robot_registry.actors.';
		END IF;
		RAISE EXCEPTION 'robot % is not registered, or not yours to move', transition.id
			USING ERRCODE = 'no_data_found';
	END IF;
	RETURN moved;
END
$fn$;
COMMENT ON FUNCTION robot_registry.transition(@extschema@.robot_id, @extschema@.robot_state, jsonb)
	IS 'move a robot to another lifecycle state, recording the event with detail';

CREATE FUNCTION robot_registry.open_recall(model_key text, reason text,
	serial_from text DEFAULT '00000000000000000', serial_to text DEFAULT '99999999999999999')
	RETURNS bigint
	LANGUAGE sql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
		INSERT INTO robot_registry.recalls (model_key, reason, serial_from, serial_to)
		VALUES (open_recall.model_key, open_recall.reason, open_recall.serial_from, open_recall.serial_to)
		RETURNING recall_id
	$fn$;
COMMENT ON FUNCTION robot_registry.open_recall(text, text, text, text)
	IS 'open a recall for a model key, optionally a range of serials; flags every robot it covers';

CREATE FUNCTION robot_registry.remedy(id @extschema@.robot_id, detail jsonb DEFAULT '{}')
	RETURNS robot_registry.robots
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	robot robot_registry.robots;
	n int;
BEGIN
	SELECT * INTO robot FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) remedy.id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'robot % is not registered, or not visible to you', remedy.id
			USING ERRCODE = 'no_data_found';
	END IF;
	IF robot.state NOT IN ('maintenance', 'manufactured') THEN
		RAISE EXCEPTION 'robot % can be remedied only in maintenance or at the factory', remedy.id
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      DETAIL = format('It is %s.', robot.state);
	END IF;
	PERFORM robot_registry.set_detail(remedy.detail);
	UPDATE robot_registry.recall_robots rr SET remedied_at = now(), remedied_by = current_user
	 WHERE rr.robot_id OPERATOR(@extschema@.=) remedy.id AND rr.remedied_at IS NULL
	   AND EXISTS (SELECT 1 FROM robot_registry.recalls c WHERE c.recall_id = rr.recall_id AND c.closed_at IS NULL);
	GET DIAGNOSTICS n = ROW_COUNT;
	PERFORM robot_registry.set_detail(NULL);
	IF n = 0 THEN
		RAISE EXCEPTION 'robot % has no open recall that you may remedy', remedy.id
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      HINT = 'A service provider remedies robots in maintenance, their manufacturer robots at the factory.';
	END IF;
	SELECT * INTO robot FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) remedy.id;
	RETURN robot;
END
$fn$;
COMMENT ON FUNCTION robot_registry.remedy(@extschema@.robot_id, jsonb)
	IS 'mark a recalled robot remedied (in maintenance or at the factory); clears its flag when no open recall holds it';

CREATE FUNCTION robot_registry.close_recall(recall_id bigint) RETURNS robot_registry.recalls
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	closed robot_registry.recalls;
BEGIN
	UPDATE robot_registry.recalls c SET closed_at = now(), closed_by = current_user
	 WHERE c.recall_id = close_recall.recall_id AND c.closed_at IS NULL
	RETURNING * INTO closed;
	IF closed IS NULL THEN
		RAISE EXCEPTION 'recall % is not open, or not yours to close', close_recall.recall_id
			USING ERRCODE = 'no_data_found';
	END IF;
	RETURN closed;
END
$fn$;
COMMENT ON FUNCTION robot_registry.close_recall(bigint)
	IS 'close a recall; robots no other open recall holds are released';

-- What a phone shows when it scans the code.
CREATE FUNCTION robot_registry.passport(id @extschema@.robot_id) RETURNS jsonb
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
		SELECT jsonb_build_object(
			'id', r.id::text,
			'formatted', @extschema@.robot_id_format(r.id),
			'country', @extschema@.robot_id_country(r.id),
			'manufacturer', jsonb_build_object('code', @extschema@.robot_id_manufacturer(r.id), 'name', mf.name),
			'model', jsonb_build_object('code', @extschema@.robot_id_model(r.id), 'key', r.model_key, 'name', m.name),
			'serial', @extschema@.robot_id_serial(r.id),
			'state', r.state,
			'owner', r.owner_name,
			'location', r.location,
			'refurbished_from', r.refurbished_from::text,
			'recall', jsonb_build_object(
				'recalled', r.recalled,
				'open_recalls', coalesce((
					SELECT jsonb_agg(jsonb_build_object('recall_id', c.recall_id, 'reason', c.reason,
					                                    'remedied', rr.remedied_at IS NOT NULL)
					                 ORDER BY c.recall_id)
					  FROM robot_registry.recall_robots rr JOIN robot_registry.recalls c USING (recall_id)
					 WHERE rr.robot_id OPERATOR(@extschema@.=) r.id AND c.closed_at IS NULL), '[]')),
			'registered_at', r.registered_at,
			'history', coalesce((
				SELECT jsonb_agg(jsonb_build_object('event_id', e.event_id, 'at', e.at, 'kind', e.kind,
				                                    'from', e.from_state, 'to', e.to_state,
				                                    'actor', e.actor, 'detail', e.detail)
				                 ORDER BY e.event_id)
				  FROM robot_registry.events e WHERE e.robot_id OPERATOR(@extschema@.=) r.id), '[]'))
		  FROM robot_registry.robots r
		  JOIN robot_registry.models m ON m.model_key = r.model_key
		  JOIN robot_registry.manufacturers mf ON mf.manufacturer_key = m.manufacturer_key
		 WHERE r.id OPERATOR(@extschema@.=) passport.id
	$fn$;
COMMENT ON FUNCTION robot_registry.passport(@extschema@.robot_id)
	IS 'identity, catalogue names, state, recall status and full history of one robot, as jsonb';

-- The first broken link of each robot's chain (of the given robots, or of
-- all when ids is NULL); robots whose chain is intact have no row.
CREATE FUNCTION robot_registry.broken_links(ids @extschema@.robot_id[])
	RETURNS TABLE (robot_id @extschema@.robot_id, event_id bigint, problem text)
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
		WITH chain AS (
			SELECT e.*,
			       lag(e.hash) OVER w AS expected_prev,
			       lead(e.event_id) OVER w IS NULL AS is_last
			  FROM robot_registry.events e
			 WHERE ids IS NULL OR e.robot_id OPERATOR(@extschema@.=) ANY (ids)
			WINDOW w AS (PARTITION BY e.robot_id ORDER BY e.event_id)
		), problems AS (
			SELECT c.robot_id, c.event_id,
			       CASE WHEN c.prev_hash IS DISTINCT FROM c.expected_prev
			            THEN 'prev_hash does not match the previous event: an event was removed or inserted'
			            WHEN c.hash IS DISTINCT FROM robot_registry.event_hash(ROW(c.event_id, c.robot_id, c.kind,
			                 c.from_state, c.to_state, c.recalled, c.detail, c.actor, c.at, c.prev_hash,
			                 c.hash)::robot_registry.events)
			            THEN 'hash does not match the event: it was altered'
			            WHEN c.is_last AND EXISTS (
			                 SELECT 1 FROM robot_registry.robots r
			                  WHERE r.id OPERATOR(@extschema@.=) c.robot_id
			                    AND (r.state, r.recalled) IS DISTINCT FROM (c.to_state, c.recalled))
			            THEN 'the log ends before the robot''s current state: its newest events are missing'
			       END AS problem
			  FROM chain c
			UNION ALL
			SELECT r.id, NULL, 'the robot has no events'
			  FROM robot_registry.robots r
			 WHERE (ids IS NULL OR r.id OPERATOR(@extschema@.=) ANY (ids))
			   AND NOT EXISTS (SELECT 1 FROM robot_registry.events e WHERE e.robot_id OPERATOR(@extschema@.=) r.id)
		)
		SELECT DISTINCT ON (p.robot_id) p.robot_id, p.event_id, p.problem
		  FROM problems p WHERE p.problem IS NOT NULL
		 ORDER BY p.robot_id, p.event_id NULLS FIRST
	$fn$;

CREATE FUNCTION robot_registry.verify(id @extschema@.robot_id)
	RETURNS TABLE (robot_id @extschema@.robot_id, event_id bigint, problem text)
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $fn$ SELECT * FROM robot_registry.broken_links(ARRAY[verify.id]) $fn$;
COMMENT ON FUNCTION robot_registry.verify(@extschema@.robot_id)
	IS 'first broken link of one robot''s hash chain; no row when intact';

CREATE FUNCTION robot_registry.verify()
	RETURNS TABLE (robot_id @extschema@.robot_id, event_id bigint, problem text)
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $fn$ SELECT * FROM robot_registry.broken_links(NULL) $fn$;
COMMENT ON FUNCTION robot_registry.verify()
	IS 'first broken link of every robot whose chain is broken; no rows when the registry is intact';

------------------------------------------------------------------------
-- analyst views (security_invoker: each reader sees what RLS lets it)
------------------------------------------------------------------------

CREATE VIEW robot_registry.fleet_by_manufacturer WITH (security_invoker = true) AS
SELECT m.manufacturer_key, mf.name AS manufacturer, r.state, count(*) AS robots
  FROM robot_registry.robots r
  JOIN robot_registry.models m ON m.model_key = r.model_key
  JOIN robot_registry.manufacturers mf ON mf.manufacturer_key = m.manufacturer_key
 GROUP BY m.manufacturer_key, mf.name, r.state;

CREATE VIEW robot_registry.fleet_by_model WITH (security_invoker = true) AS
SELECT r.model_key, m.name AS model, mf.name AS manufacturer, r.state, r.robots
  FROM (SELECT model_key, state, count(*) AS robots
          FROM robot_registry.robots GROUP BY model_key, state) r
  JOIN robot_registry.models m ON m.model_key = r.model_key
  JOIN robot_registry.manufacturers mf ON mf.manufacturer_key = m.manufacturer_key;

CREATE VIEW robot_registry.open_recalls WITH (security_invoker = true) AS
SELECT c.recall_id, c.model_key, m.name AS model, c.serial_from, c.serial_to, c.reason, c.opened_at,
       count(rr.robot_id) AS affected,
       count(rr.remedied_at) AS remedied,
       count(rr.robot_id) - count(rr.remedied_at) AS outstanding
  FROM robot_registry.recalls c
  JOIN robot_registry.models m ON m.model_key = c.model_key
  LEFT JOIN robot_registry.recall_robots rr ON rr.recall_id = c.recall_id
 WHERE c.closed_at IS NULL
 GROUP BY c.recall_id, m.name;

-- Robots whose recorded history breaks a lifecycle rule: should be empty.
CREATE VIEW robot_registry.rule_breaks WITH (security_invoker = true) AS
WITH h AS (
	SELECT e.*, lag(e.to_state) OVER (PARTITION BY e.robot_id ORDER BY e.event_id) AS previous_state,
	       row_number() OVER (PARTITION BY e.robot_id ORDER BY e.event_id) AS n
	  FROM robot_registry.events e
)
SELECT h.robot_id, h.event_id, h.kind, h.from_state, h.to_state,
       CASE WHEN h.n = 1 AND (h.kind <> 'registered' OR h.to_state <> 'manufactured')
            THEN 'history does not start with registration as manufactured'
            WHEN h.n > 1 AND h.from_state IS DISTINCT FROM h.previous_state
            THEN 'history skips a state'
            WHEN h.kind = 'moved' AND NOT @extschema@.robot_state_can_transition(h.from_state, h.to_state)
            THEN 'illegal move'
            WHEN h.kind = 'registered' AND h.n > 1
            THEN 'registered twice'
       END AS rule
  FROM h
 WHERE (h.n = 1 AND (h.kind <> 'registered' OR h.to_state <> 'manufactured'))
    OR (h.n > 1 AND h.from_state IS DISTINCT FROM h.previous_state)
    OR (h.kind = 'moved' AND NOT @extschema@.robot_state_can_transition(h.from_state, h.to_state))
    OR (h.kind = 'registered' AND h.n > 1);

-- How long robots stay in each state, over completed stays.
CREATE VIEW robot_registry.time_in_state WITH (security_invoker = true) AS
WITH stays AS (
	SELECT e.to_state AS state,
	       lead(e.at) OVER (PARTITION BY e.robot_id ORDER BY e.event_id) - e.at AS duration
	  FROM robot_registry.events e
	 WHERE e.kind IN ('registered', 'moved')
)
SELECT state, count(duration) AS completed_stays,
       date_trunc('second', justify_interval(avg(duration))) AS average,
       date_trunc('second', justify_interval(percentile_cont(0.5) WITHIN GROUP (ORDER BY duration))) AS median,
       date_trunc('second', justify_interval(max(duration))) AS longest
  FROM stays
 WHERE duration IS NOT NULL
 GROUP BY state;

GRANT SELECT ON robot_registry.fleet_by_manufacturer, robot_registry.fleet_by_model,
	robot_registry.open_recalls, robot_registry.rule_breaks, robot_registry.time_in_state TO PUBLIC;

------------------------------------------------------------------------
-- a synthetic national registry, for demos and benchmarks
------------------------------------------------------------------------

-- Robots are generated in batches, each committed, with a NOTICE of
-- progress.  Histories are dated over the last two years.  Administrators
-- only: it writes as the registry, not as an actor.
CREATE PROCEDURE robot_registry.generate_demo(robots integer DEFAULT 28000,
	manufacturers integer DEFAULT 100, models_per_manufacturer integer DEFAULT 2,
	seed double precision DEFAULT 0.42, batch_size integer DEFAULT 10000)
	LANGUAGE plpgsql
	AS $fn$
DECLARE
	first_robot bigint;
	done bigint := 0;
	n bigint;
	started timestamptz := clock_timestamp();
	model_count int;
	recall bigint;
BEGIN
	IF NOT robot_registry.is_administrator() THEN
		RAISE EXCEPTION 'generate_demo is for the registry''s administrators'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF robots < 1 OR manufacturers < 1 OR manufacturers > 9999 OR models_per_manufacturer < 1 THEN
		RAISE EXCEPTION 'generate_demo needs at least one robot, 1 to 9999 manufacturers and one model each'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	PERFORM setseed(seed);

	INSERT INTO robot_registry.manufacturers (manufacturer_key, name)
	SELECT '86' || lpad(i::text, 4, '0'),
	       (ARRAY['Tian', 'Hua', 'Xin', 'Long', 'Zhi', 'Kai', 'Rui', 'Bo', 'Jing', 'Heng'])[i % 10 + 1]
	       || (ARRAY['gong', 'ke', 'neng', 'yuan', 'tong', 'da', 'feng', 'sheng', 'lan', 'chen'])[i / 10 % 10 + 1]
	       || ' ' || (ARRAY['Robotics', 'Dynamics', 'Automation', 'Intelligent Machines', 'Humanoid Works'])[i % 5 + 1]
	  FROM generate_series(1, manufacturers) i
	ON CONFLICT DO NOTHING;
	INSERT INTO robot_registry.models (model_key, name)
	SELECT '86' || lpad(i::text, 4, '0') || lpad(j::text, 6, '0'),
	       (ARRAY['Walker', 'Atlas', 'Helper', 'Porter', 'Guardian', 'Nurse', 'Courier', 'Welder'])[(i + j) % 8 + 1]
	       || ' ' || chr(64 + j) || (i % 9 + 1)
	  FROM generate_series(1, manufacturers) i, generate_series(1, models_per_manufacturer) j
	ON CONFLICT DO NOTHING;
	SELECT count(*) INTO model_count FROM robot_registry.models;

	CREATE TEMP TABLE IF NOT EXISTS demo_batch (id @extschema@.robot_id PRIMARY KEY, born timestamptz) ON COMMIT DELETE ROWS;
	SELECT coalesce(max(substr(@extschema@.robot_id_serial(id), 9)::bigint), 0) INTO first_robot
	  FROM robot_registry.robots;

	WHILE done < robots LOOP
		n := least(batch_size, robots - done);
		INSERT INTO demo_batch
		SELECT @extschema@.make_robot_id('86', substr(m.model_key, 3, 4), substr(m.model_key, 7, 6),
		                               to_char(b.born, 'YYYYMMDD') || lpad((first_robot + done + g)::text, 9, '0')),
		       b.born
		  FROM generate_series(1, n) g
		 CROSS JOIN LATERAL (SELECT now() - interval '730 days' * random() - interval '60 days' + g * interval '0 s' AS born) b
		 CROSS JOIN LATERAL (SELECT model_key FROM robot_registry.models
		                      ORDER BY model_key OFFSET floor(random() * model_count + g * 0)::int LIMIT 1) m;

		INSERT INTO robot_registry.robots (id, owner_name, location, registered_at, updated_at)
		SELECT b.id, mf.name, 'factory', b.born, b.born
		  FROM demo_batch b
		  JOIN robot_registry.manufacturers mf
		    ON mf.manufacturer_key = @extschema@.robot_id_manufacturer_key(b.id);

		-- sold, mostly (the log records each sale as a market event)
		PERFORM robot_registry.set_detail('{"channel": "dealer"}');
		UPDATE robot_registry.robots r
		   SET state = 'sold', owner_name = 'customer ' || (hashtext(r.id::text) & 65535),
		       updated_at = r.updated_at + interval '1 day' * (5 + 55 * random())
		  FROM demo_batch b WHERE r.id OPERATOR(@extschema@.=) b.id AND random() < 0.85;
		-- deployed
		PERFORM robot_registry.set_detail('{"site": "customer premises"}');
		UPDATE robot_registry.robots r
		   SET state = 'deployed',
		       location = (ARRAY['Beijing', 'Shanghai', 'Shenzhen', 'Guangzhou', 'Hangzhou', 'Chengdu', 'Wuhan', 'Tianjin'])[1 + (hashtext(r.id::text) & 7)],
		       updated_at = r.updated_at + interval '1 day' * (1 + 29 * random())
		  FROM demo_batch b WHERE r.id OPERATOR(@extschema@.=) b.id AND r.state = 'sold' AND random() < 0.8;
		-- into maintenance, and some back out
		PERFORM robot_registry.set_detail('{"reason": "scheduled service"}');
		UPDATE robot_registry.robots r
		   SET state = 'maintenance', updated_at = r.updated_at + interval '1 day' * (30 + 270 * random())
		  FROM demo_batch b WHERE r.id OPERATOR(@extschema@.=) b.id AND r.state = 'deployed' AND random() < 0.3;
		PERFORM robot_registry.set_detail('{"reason": "service completed"}');
		UPDATE robot_registry.robots r
		   SET state = 'deployed', updated_at = r.updated_at + interval '1 day' * (2 + 12 * random())
		  FROM demo_batch b WHERE r.id OPERATOR(@extschema@.=) b.id AND r.state = 'maintenance' AND random() < 0.6;
		-- resold
		PERFORM robot_registry.set_detail('{"channel": "second hand"}');
		UPDATE robot_registry.robots r
		   SET state = 'sold', owner_name = 'customer ' || (hashtext(r.id::text || 'resale') & 65535),
		       updated_at = r.updated_at + interval '1 day' * (60 + 200 * random())
		  FROM demo_batch b WHERE r.id OPERATOR(@extschema@.=) b.id AND r.state = 'deployed' AND random() < 0.05;
		-- scrapped: recycled, some retired after
		PERFORM robot_registry.set_detail('{"reason": "end of life"}');
		UPDATE robot_registry.robots r
		   SET state = 'recycled', location = 'recycling centre',
		       updated_at = r.updated_at + interval '1 day' * (30 + 300 * random())
		  FROM demo_batch b WHERE r.id OPERATOR(@extschema@.=) b.id
		   AND r.state IN ('sold', 'deployed', 'maintenance') AND random() < 0.04;
		UPDATE robot_registry.robots r
		   SET state = 'retired', updated_at = r.updated_at + interval '1 day' * (1 + 30 * random())
		  FROM demo_batch b WHERE r.id OPERATOR(@extschema@.=) b.id AND r.state = 'recycled' AND random() < 0.5;
		PERFORM robot_registry.set_detail('{"reason": "failed factory test"}');
		UPDATE robot_registry.robots r
		   SET state = 'retired', updated_at = r.updated_at + interval '1 day'
		  FROM demo_batch b WHERE r.id OPERATOR(@extschema@.=) b.id AND r.state = 'manufactured' AND random() < 0.05;
		PERFORM robot_registry.set_detail(NULL);

		done := done + n;
		RAISE NOTICE 'generate_demo: % of % robots (% s)', done, robots,
			round(extract(epoch FROM clock_timestamp() - started)::numeric, 1);
		COMMIT;
	END LOOP;

	-- rebuilds of robots in maintenance, never of scrapped ones
	INSERT INTO robot_registry.robots (id, refurbished_from, owner_name, location)
	SELECT @extschema@.make_robot_id('86', @extschema@.robot_id_manufacturer(r.id), @extschema@.robot_id_model(r.id),
	                               '9' || right(@extschema@.robot_id_serial(r.id), 16)),
	       r.id, 'refurbisher', 'factory'
	  FROM robot_registry.robots r
	 WHERE r.state = 'maintenance' AND left(@extschema@.robot_id_serial(r.id), 1) <> '9'
	   AND hashtext(r.id::text) % 50 = 0
	ON CONFLICT DO NOTHING;

	-- recalls: a whole model, a range of serials, and one already closed
	recall := robot_registry.open_recall('860001000001', 'actuator overheating in the left knee joint');
	PERFORM robot_registry.open_recall(model_key, 'battery cell swelling in early production',
	                                   serial_from, serial_to)
	  FROM (SELECT model_key, min(@extschema@.robot_id_serial(id)) AS serial_from,
	               percentile_disc(0.3) WITHIN GROUP (ORDER BY @extschema@.robot_id_serial(id)) AS serial_to
	          FROM robot_registry.robots WHERE model_key = '860002000001' GROUP BY model_key) s;
	PERFORM robot_registry.close_recall(robot_registry.open_recall('860003000001', 'firmware watchdog fault'));
	-- a part of the whole-model recall is remedied in maintenance
	PERFORM robot_registry.set_detail('{"action": "joint actuator replaced"}');
	UPDATE robot_registry.recall_robots rr SET remedied_at = now(), remedied_by = current_user
	  FROM robot_registry.robots r
	 WHERE rr.recall_id = recall AND r.id OPERATOR(@extschema@.=) rr.robot_id AND r.state = 'maintenance';
	PERFORM robot_registry.set_detail(NULL);
	DROP TABLE demo_batch;
	ANALYZE robot_registry.manufacturers, robot_registry.models, robot_registry.robots,
		robot_registry.events, robot_registry.recalls, robot_registry.recall_robots,
		robot_registry.market_events;
	RAISE NOTICE 'generate_demo: done in % s', round(extract(epoch FROM clock_timestamp() - started)::numeric, 1);
END
$fn$;
COMMENT ON PROCEDURE robot_registry.generate_demo(integer, integer, integer, double precision, integer)
	IS 'load a synthetic national registry: manufacturers, models, robots with histories, recalls';
REVOKE ALL ON PROCEDURE robot_registry.generate_demo(integer, integer, integer, double precision, integer) FROM PUBLIC;
$robotid_registry$;
END
$robotid_install$;
COMMENT ON FUNCTION robot_registry_install()
	IS 'create the reference registry in schema robot_registry, owned by the caller';
REVOKE ALL ON FUNCTION robot_registry_install() FROM PUBLIC;
