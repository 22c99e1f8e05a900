/* robotid 1.2 -> 1.3: robot_registry_install() builds the 1.3 registry */

\echo Use "ALTER EXTENSION robotid UPDATE TO '1.3'" to load this file. \quit

-- Creates schema robot_registry as ordinary objects owned by the caller,
-- not as members of the extension: a database that only wants the type
-- gets no tables, DROP EXTENSION cannot drop registry data without an
-- explicit CASCADE, and pg_dump dumps the registry and its data like any
-- other schema.  This file is generated from registry/registry.sql; the
-- 1.2 registry is kept, frozen, in robotid--1.1--1.2.sql.
CREATE OR REPLACE FUNCTION robot_registry_install() RETURNS void
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
-- robot_registry_install().  The files registry/[0-9]*.sql are joined in
-- order and wrapped into the extension's update script at build time;
-- @extschema@ is the extension's schema.  Objects made here are ordinary
-- objects, not members of the extension: see the README for why.
--
-- 10: tables.

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
	changed_by name NOT NULL DEFAULT current_user,
	revision integer NOT NULL DEFAULT 1	-- one more with every change: no two events leave the same row
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
	opener_kind robot_registry.actor_kind,
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

-- One sequence numbers the robot events and the ledger, so that a
-- checkpoint names one point in the whole history.
CREATE SEQUENCE robot_registry.log_sequence;

CREATE TABLE robot_registry.events (
	event_id bigint PRIMARY KEY DEFAULT nextval('robot_registry.log_sequence'),
	-- no foreign key: robots are never deleted (robot_lifecycle_guard),
	-- only the registry's log triggers write here, and verify() reports a
	-- history whose robot is gone
	robot_id @extschema@.robot_id NOT NULL,
	kind text NOT NULL CHECK (kind IN ('registered', 'moved', 'edited', 'recalled', 'remedied',
	                                   'recall closed', 'market event')),
	from_state @extschema@.robot_state,
	to_state @extschema@.robot_state,
	recalled boolean NOT NULL,
	detail jsonb NOT NULL DEFAULT '{}',
	actor name NOT NULL,
	at timestamptz NOT NULL DEFAULT clock_timestamp(),
	row_hash bytea NOT NULL,		-- the robot's row after the event
	prev_hash bytea,
	hash bytea NOT NULL
);
ALTER SEQUENCE robot_registry.log_sequence OWNED BY robot_registry.events.event_id;
CREATE INDEX events_robot ON robot_registry.events (robot_id, event_id);
COMMENT ON TABLE robot_registry.events IS 'append-only log of every change to every robot, hash-chained per robot';

-- the market: sales and deployments, checked by robot_market_guard
CREATE TABLE robot_registry.market_events (
	market_event_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	robot_id @extschema@.robot_id,
	kind text NOT NULL CHECK (kind IN ('sale', 'deployment')),
	party text,
	detail jsonb NOT NULL DEFAULT '{}',
	recorded_by name NOT NULL DEFAULT current_user,
	at timestamptz NOT NULL DEFAULT now(),
	event_id bigint				-- the robot's event that records it
);
CREATE INDEX market_events_robot ON robot_registry.market_events (robot_id);
COMMENT ON TABLE robot_registry.market_events IS 'sales and deployments; no code, no market access';

-- Every change to the catalogue, the actor map and the recalls, as the
-- row after the change (or before a delete), hash-chained per row.
CREATE TABLE robot_registry.ledger (
	entry_id bigint PRIMARY KEY DEFAULT nextval('robot_registry.log_sequence'),
	subject text NOT NULL,			-- the table
	subject_key text NOT NULL,		-- its primary key, as text
	op text NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
	row_data jsonb NOT NULL,
	actor name NOT NULL,
	at timestamptz NOT NULL DEFAULT clock_timestamp(),
	prev_hash bytea,
	hash bytea NOT NULL
);
CREATE INDEX ledger_chain ON robot_registry.ledger (subject, subject_key, entry_id);
COMMENT ON TABLE robot_registry.ledger IS 'append-only, hash-chained log of the catalogue, the actor map and the recalls';

-- Checkpoints taken by checkpoint(); the auditor keeps its own copy.
CREATE TABLE robot_registry.checkpoints (
	upto_event_id bigint PRIMARY KEY,
	root text NOT NULL,
	taken_at timestamptz NOT NULL DEFAULT now(),
	taken_by name NOT NULL DEFAULT session_user
);
COMMENT ON TABLE robot_registry.checkpoints IS 'roots of the whole log taken by checkpoint(); keep a copy outside the database';

-- A row per model that registrations and recall changes of that model
-- both update, so that they serialize: see "Concurrency" in the README.
-- It holds no information of its own and is not logged.
CREATE TABLE robot_registry.model_gates (
	model_key text PRIMARY KEY REFERENCES robot_registry.models,
	registrations bigint NOT NULL DEFAULT 0,
	recall_changes bigint NOT NULL DEFAULT 0
);
COMMENT ON TABLE robot_registry.model_gates IS 'serializes registrations against recall changes, per model';
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
-- 30: the log.  Robot events are hash-chained per robot; the ledger
-- (catalogue, actor map, recalls) per row.  Both are append-only.

-- PL/pgSQL, not SQL: a SQL function with a SET clause is planned again in
-- every transaction that calls it, PL/pgSQL keeps its plan for the
-- session, and these run for every event.
--
-- Hashes are taken over the fields quoted one by one (quote_nullable: a
-- NULL is NULL, a text is quoted with its quotes doubled), so that no two
-- different rows give the same text.  Times are microseconds since the
-- epoch (or infinity as such): the same under any TimeZone or DateStyle,
-- and after dump and restore.

-- A robot's row as one hash.  Each event records the hash of the row it
-- left behind, so verify() sees any change that bypassed the log.
CREATE FUNCTION robot_registry.robot_row_hash(r robot_registry.robots) RETURNS bytea
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	RETURN sha256(convert_to(concat_ws('|',
			quote_nullable(r.id::text), quote_nullable(r.state::text), quote_nullable(r.recalled::text),
			quote_nullable(r.refurbished_from::text), quote_nullable(r.owner_name), quote_nullable(r.location),
			quote_nullable(CASE WHEN isfinite(r.registered_at)
			                    THEN (extract(epoch FROM r.registered_at) * 1000000)::numeric(20,0)::text
			                    ELSE r.registered_at::text END),
			quote_nullable(CASE WHEN isfinite(r.updated_at)
			                    THEN (extract(epoch FROM r.updated_at) * 1000000)::numeric(20,0)::text
			                    ELSE r.updated_at::text END),
			quote_nullable(r.changed_by::text), quote_nullable(r.revision::text)), 'UTF8'));
END
$fn$;

-- Every field of an event, chained to the one before.  Times as in
-- time_text(), written out: this runs for every event.
CREATE FUNCTION robot_registry.event_hash(e robot_registry.events) RETURNS bytea
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	RETURN sha256(convert_to(concat_ws('|',
			quote_nullable(encode(e.prev_hash, 'hex')), quote_nullable(e.event_id::text),
			quote_nullable(e.robot_id::text), quote_nullable(e.kind),
			quote_nullable(e.from_state::text), quote_nullable(e.to_state::text),
			quote_nullable(e.recalled::text), quote_nullable(e.detail::text), quote_nullable(e.actor::text),
			quote_nullable(CASE WHEN isfinite(e.at) THEN (extract(epoch FROM e.at) * 1000000)::numeric(20,0)::text
			                    ELSE e.at::text END),
			quote_nullable(encode(e.row_hash, 'hex'))), 'UTF8'));
END
$fn$;

CREATE FUNCTION robot_registry.ledger_hash(l robot_registry.ledger) RETURNS bytea
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	RETURN sha256(convert_to(concat_ws('|',
			quote_nullable(encode(l.prev_hash, 'hex')), quote_nullable(l.entry_id::text),
			quote_nullable(l.subject), quote_nullable(l.subject_key), quote_nullable(l.op),
			quote_nullable(l.row_data::text), quote_nullable(l.actor::text),
			quote_nullable(robot_registry.time_text(l.at))), 'UTF8'));
END
$fn$;

-- Events of one robot, and entries of one ledger row, are written while
-- that row is locked, so the previous link cannot change under us.
CREATE FUNCTION robot_registry.chain_event() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.events'::regclass OR TG_NAME IS DISTINCT FROM 'events_chain' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.events', 'events_chain');
	END IF;
	SELECT e.hash INTO NEW.prev_hash
	  FROM robot_registry.events e
	 WHERE e.robot_id OPERATOR(@extschema@.=) NEW.robot_id
	 ORDER BY e.event_id DESC LIMIT 1;
	NEW.hash := robot_registry.event_hash(NEW);
	RETURN NEW;
END
$fn$;

CREATE FUNCTION robot_registry.chain_ledger() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.ledger'::regclass OR TG_NAME IS DISTINCT FROM 'ledger_chain' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.ledger', 'ledger_chain');
	END IF;
	SELECT l.hash INTO NEW.prev_hash
	  FROM robot_registry.ledger l
	 WHERE l.subject = NEW.subject AND l.subject_key = NEW.subject_key
	 ORDER BY l.entry_id DESC LIMIT 1;
	NEW.hash := robot_registry.ledger_hash(NEW);
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
CREATE TRIGGER ledger_chain BEFORE INSERT ON robot_registry.ledger
	FOR EACH ROW EXECUTE FUNCTION robot_registry.chain_ledger();
CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON robot_registry.ledger
	FOR EACH ROW EXECUTE FUNCTION robot_registry.refuse_change();
CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON robot_registry.ledger
	FOR EACH STATEMENT EXECUTE FUNCTION robot_registry.refuse_change();

-- The key of a ledgered row, as the ledger names it.
CREATE FUNCTION robot_registry.ledger_key(subject text, r jsonb) RETURNS text
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	RETURN CASE subject
		       WHEN 'manufacturers' THEN r ->> 'manufacturer_key'
		       WHEN 'models' THEN r ->> 'model_key'
		       WHEN 'actors' THEN r ->> 'role_name'
		       WHEN 'actor_moves' THEN concat_ws('/', r ->> 'kind', r ->> 'from_state', r ->> 'to_state')
		       WHEN 'recalls' THEN r ->> 'recall_id'
		       WHEN 'recall_robots' THEN concat_ws('/', r ->> 'recall_id', r ->> 'robot_id')
		       END;
END
$fn$;

-- As the registry: each change to a ledgered table, with the row it left.
-- TimeZone is pinned so that the row's jsonb, and verify()'s comparison
-- with it, never depend on the session.  The author is the one the row
-- names (recalls and remedies are stamped by their triggers), else the
-- actor an administrator acts for, else the login that made the change.
CREATE FUNCTION robot_registry.ledger_record() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET TimeZone = 'UTC'
	AS $fn$
DECLARE
	r jsonb;
	author name;
BEGIN
	-- nothing of the row is touched before its table is known to be ours
	IF TG_TABLE_SCHEMA <> 'robot_registry' OR TG_TABLE_NAME NOT IN
	   ('manufacturers', 'models', 'actors', 'actor_moves', 'recalls', 'recall_robots') THEN
		IF TG_RELID IS DISTINCT FROM 'robot_registry.ledger'::regclass OR TG_NAME IS DISTINCT FROM 'none' THEN
			PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.ledger', 'none');
		END IF;
	END IF;
	PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME,
		format('robot_registry.%I', TG_TABLE_NAME)::regclass, TG_TABLE_NAME || '_ledger');
	r := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
	-- a recall's opening and closing, and a remedy, name their actor in
	-- the row; any other change is the administrator's
	author := CASE WHEN TG_TABLE_NAME = 'recalls' AND TG_OP = 'INSERT' THEN r ->> 'opened_by'
	               WHEN TG_TABLE_NAME = 'recalls' AND TG_OP = 'UPDATE'
	                    AND to_jsonb(OLD) ->> 'closed_at' IS NULL AND r ->> 'closed_at' IS NOT NULL
	               THEN r ->> 'closed_by'
	               WHEN TG_TABLE_NAME = 'recall_robots' AND TG_OP = 'UPDATE'
	                    AND to_jsonb(OLD) ->> 'remedied_at' IS NULL AND r ->> 'remedied_at' IS NOT NULL
	               THEN r ->> 'remedied_by' END;
	author := coalesce(author, nullif(current_setting('robot_registry.actor', true), ''), session_user);
	INSERT INTO robot_registry.ledger (subject, subject_key, op, row_data, actor)
	VALUES (TG_TABLE_NAME, robot_registry.ledger_key(TG_TABLE_NAME, r), lower(TG_OP), r, author);
	RETURN NULL;
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.ledger_record() FROM PUBLIC;

CREATE TRIGGER manufacturers_ledger AFTER INSERT OR UPDATE OR DELETE ON robot_registry.manufacturers
	FOR EACH ROW EXECUTE FUNCTION robot_registry.ledger_record();
CREATE TRIGGER models_ledger AFTER INSERT OR UPDATE OR DELETE ON robot_registry.models
	FOR EACH ROW EXECUTE FUNCTION robot_registry.ledger_record();
CREATE TRIGGER actors_ledger AFTER INSERT OR UPDATE OR DELETE ON robot_registry.actors
	FOR EACH ROW EXECUTE FUNCTION robot_registry.ledger_record();
CREATE TRIGGER actor_moves_ledger AFTER INSERT OR UPDATE OR DELETE ON robot_registry.actor_moves
	FOR EACH ROW EXECUTE FUNCTION robot_registry.ledger_record();
CREATE TRIGGER recalls_ledger AFTER INSERT OR UPDATE OR DELETE ON robot_registry.recalls
	FOR EACH ROW EXECUTE FUNCTION robot_registry.ledger_record();
CREATE TRIGGER recall_robots_ledger AFTER INSERT OR UPDATE OR DELETE ON robot_registry.recall_robots
	FOR EACH ROW EXECUTE FUNCTION robot_registry.ledger_record();
CREATE TRIGGER manufacturers_no_truncate BEFORE TRUNCATE ON robot_registry.manufacturers
	FOR EACH STATEMENT EXECUTE FUNCTION robot_registry.refuse_change();
CREATE TRIGGER models_no_truncate BEFORE TRUNCATE ON robot_registry.models
	FOR EACH STATEMENT EXECUTE FUNCTION robot_registry.refuse_change();
CREATE TRIGGER actors_no_truncate BEFORE TRUNCATE ON robot_registry.actors
	FOR EACH STATEMENT EXECUTE FUNCTION robot_registry.refuse_change();
CREATE TRIGGER actor_moves_no_truncate BEFORE TRUNCATE ON robot_registry.actor_moves
	FOR EACH STATEMENT EXECUTE FUNCTION robot_registry.refuse_change();
CREATE TRIGGER recalls_no_truncate BEFORE TRUNCATE ON robot_registry.recalls
	FOR EACH STATEMENT EXECUTE FUNCTION robot_registry.refuse_change();
CREATE TRIGGER recall_robots_no_truncate BEFORE TRUNCATE ON robot_registry.recall_robots
	FOR EACH STATEMENT EXECUTE FUNCTION robot_registry.refuse_change();
-- 35: which lifecycle moves each kind of actor may make (in the ledger
-- like any later change to it).

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
-- 40: robots: rules, actors, recall holds and the log.

CREATE TRIGGER robots_lifecycle BEFORE INSERT OR UPDATE OR DELETE ON robot_registry.robots
	FOR EACH ROW EXECUTE FUNCTION @extschema@.robot_lifecycle_guard();
CREATE TRIGGER robots_no_truncate BEFORE TRUNCATE ON robot_registry.robots
	FOR EACH STATEMENT EXECUTE FUNCTION robot_registry.refuse_change();

-- As the caller: what this actor may do, and who did it.  One look-up of
-- the caller's mapping and the move: this runs on every registry write.
-- Actors write no timestamps and no authorship: both are stamped here.
-- Edits without a move: the owner changes only with a sale; the location
-- is kept by the kinds that handle the robot (operators, service
-- providers, recyclers, its manufacturer); sellers and regulators edit
-- nothing.  An update that changes nothing is skipped and logs nothing.
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
	internal text := coalesce(current_setting('robot_registry.internal', true), '');
	my_kind robot_registry.actor_kind;
	allowed boolean;
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.robots'::regclass OR TG_NAME IS DISTINCT FROM 'robots_actor' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.robots', 'robots_actor');
	END IF;
	NEW.revision := CASE WHEN TG_OP = 'UPDATE' THEN OLD.revision + 1 ELSE 1 END;
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
		-- the registry's own changes name their actor in changed_by
		IF internal = '' THEN
			NEW.changed_by := coalesce(nullif(current_setting('robot_registry.actor', true), ''), current_user);
		END IF;
		IF TG_OP = 'UPDATE' AND NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
			NEW.updated_at := now();
		END IF;
		RETURN NEW;
	END IF;
	IF internal <> '' THEN
		RAISE EXCEPTION 'robot_registry.internal is reserved for the registry''s own changes'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF NOT allowed AND old_state IS NULL THEN
		RAISE EXCEPTION '% may not register robots', robot_registry.actor_name(my_kind)
			USING ERRCODE = 'insufficient_privilege';
	ELSIF NOT allowed THEN
		RAISE EXCEPTION '% may not move robot % from % to %',
			robot_registry.actor_name(my_kind), NEW.id, old_state, NEW.state
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF TG_OP = 'INSERT' THEN
		-- a source the caller may not see answers as an unregistered code,
		-- exactly as the foreign key would
		IF NEW.refurbished_from IS NOT NULL AND NOT EXISTS (
			SELECT 1 FROM robot_registry.robots r
			 WHERE r.id OPERATOR(@extschema@.=) NEW.refurbished_from) THEN
			RAISE EXCEPTION 'insert or update on table "robots" violates foreign key constraint "robots_refurbished_from_fkey"'
				USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'robots_refurbished_from_fkey',
				      SCHEMA = 'robot_registry', TABLE = 'robots',
				      DETAIL = format('Key (refurbished_from)=(%s) is not present in table "robots".',
				                      NEW.refurbished_from);
		END IF;
		NEW.registered_at := now();
	ELSE
		IF NEW.owner_name IS DISTINCT FROM OLD.owner_name
		   AND NOT (NEW.state = 'sold' AND old_state <> 'sold') THEN
			RAISE EXCEPTION '% may not change the owner of robot %', robot_registry.actor_name(my_kind), NEW.id
				USING ERRCODE = 'insufficient_privilege',
				      HINT = 'The owner changes with a sale: transition(id, ''sold'', ''{"owner": "..."}'').';
		END IF;
		IF NEW.state = old_state AND NEW.location IS NOT DISTINCT FROM OLD.location THEN
			RETURN NULL;
		END IF;
		IF NEW.location IS DISTINCT FROM OLD.location THEN
			IF my_kind NOT IN ('operator', 'service_provider', 'recycler', 'manufacturer') THEN
				RAISE EXCEPTION '% may not edit robot %', robot_registry.actor_name(my_kind), NEW.id
					USING ERRCODE = 'insufficient_privilege',
					      HINT = 'Operators, service providers, recyclers and the robot''s manufacturer keep its location.';
			END IF;
		END IF;
	END IF;
	NEW.changed_by := current_user;
	NEW.updated_at := now();
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

-- As the registry, after each statement that registers robots: a robot
-- registered while a recall covering it is open is held from the start.
-- Updating the model's gate row first serializes this against opening and
-- closing recalls of the model: at READ COMMITTED the statements below see
-- every such change that committed first, and none can commit until we
-- do; at REPEATABLE READ and SERIALIZABLE a change we cannot see is a
-- serialization failure (40001).
CREATE FUNCTION robot_registry.hold_new_robots() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	saved_actor text := current_setting('robot_registry.actor', true);
	saved_detail text := current_setting('robot_registry.detail', true);
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.robots'::regclass OR TG_NAME IS DISTINCT FROM 'robots_recall_on_register' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.robots', 'robots_recall_on_register');
	END IF;
	INSERT INTO robot_registry.model_gates AS g (model_key, registrations)
	SELECT n.model_key, count(*) FROM registered n GROUP BY n.model_key ORDER BY n.model_key
	ON CONFLICT (model_key) DO UPDATE SET registrations = g.registrations + excluded.registrations;

	PERFORM robot_registry.act_as((SELECT min(n.changed_by) FROM registered n),
	                              '{"reason": "registered while a recall is open"}');
	INSERT INTO robot_registry.recall_robots (recall_id, robot_id)
	SELECT c.recall_id, n.id
	  FROM registered n
	  JOIN robot_registry.recalls c
	    ON c.closed_at IS NULL AND c.model_key = n.model_key
	   AND @extschema@.robot_id_serial(n.id) BETWEEN c.serial_from AND c.serial_to
	 ORDER BY n.id, c.recall_id;
	IF FOUND THEN
		PERFORM robot_registry.set_internal('recalled');
		UPDATE robot_registry.robots r SET recalled = true, changed_by = n.changed_by
		  FROM registered n
		 WHERE r.id OPERATOR(@extschema@.=) n.id
		   AND EXISTS (SELECT 1 FROM robot_registry.recall_robots rr
		                WHERE rr.robot_id OPERATOR(@extschema@.=) n.id);
		PERFORM robot_registry.set_internal(NULL);
	END IF;
	PERFORM set_config('robot_registry.actor', coalesce(saved_actor, ''), true),
	        set_config('robot_registry.detail', coalesce(saved_detail, ''), true);
	RETURN NULL;
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.hold_new_robots() FROM PUBLIC;
CREATE TRIGGER robots_recall_on_register AFTER INSERT ON robot_registry.robots
	REFERENCING NEW TABLE AS registered
	FOR EACH STATEMENT EXECUTE FUNCTION robot_registry.hold_new_robots();

-- As the registry: every change to a robot is one event, with the detail
-- the application function passed along and the hash of the row it left.
CREATE FUNCTION robot_registry.log_robot() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	detail jsonb;
	internal text;
	kind text;
	changes jsonb := '{}';
	logged bigint;
	new_row_hash bytea;
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.robots'::regclass OR TG_NAME IS DISTINCT FROM 'robots_log' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.robots', 'robots_log');
	END IF;
	detail := coalesce(nullif(current_setting('robot_registry.detail', true), '')::jsonb, '{}');
	internal := coalesce(current_setting('robot_registry.internal', true), '');
	IF TG_OP = 'INSERT' THEN
		kind := 'registered';
		IF NEW.refurbished_from IS NOT NULL THEN
			detail := detail || jsonb_build_object('refurbished_from', NEW.refurbished_from::text);
		END IF;
	ELSE
		IF NEW.owner_name IS DISTINCT FROM OLD.owner_name THEN
			changes := changes || jsonb_build_object('owner', NEW.owner_name);
		END IF;
		IF NEW.location IS DISTINCT FROM OLD.location THEN
			changes := changes || jsonb_build_object('location', NEW.location);
		END IF;
		IF NEW.refurbished_from::text IS DISTINCT FROM OLD.refurbished_from::text THEN
			changes := changes || jsonb_build_object('refurbished_from', NEW.refurbished_from::text);
		END IF;
		kind := CASE WHEN NEW.state IS DISTINCT FROM OLD.state THEN 'moved'
		             WHEN internal <> '' THEN internal
		             WHEN NEW.recalled AND NOT OLD.recalled THEN 'recalled'
		             WHEN OLD.recalled AND NOT NEW.recalled THEN 'remedied'
		             ELSE 'edited' END;
		-- what else the change did (a new owner with a sale, a location
		-- with a move) is in the history, not only in the row's hash
		IF kind = 'edited' OR changes <> '{}' THEN
			detail := detail || jsonb_build_object('changed', changes);
		END IF;
	END IF;
	-- a simple assignment, so that the hash function's plan is kept for
	-- the session rather than made again in every INSERT
	new_row_hash := robot_registry.robot_row_hash(NEW);
	INSERT INTO robot_registry.events (robot_id, kind, from_state, to_state, recalled, detail, actor, at, row_hash)
	VALUES (NEW.id, kind, CASE WHEN TG_OP = 'UPDATE' THEN OLD.state END, NEW.state, NEW.recalled, detail,
	        NEW.changed_by, NEW.updated_at, new_row_hash)
	RETURNING event_id INTO logged;
	-- a move into sold or deployed is a market event too, and
	-- robot_market_guard checks it like any other
	IF kind = 'moved' AND NEW.state IN ('sold', 'deployed') THEN
		INSERT INTO robot_registry.market_events (robot_id, kind, party, detail, recorded_by, at, event_id)
		VALUES (NEW.id, CASE NEW.state WHEN 'sold' THEN 'sale' ELSE 'deployment' END,
		        detail ->> 'party', detail, NEW.changed_by, NEW.updated_at, logged);
	END IF;
	RETURN NULL;
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.log_robot() FROM PUBLIC;
CREATE TRIGGER robots_log AFTER INSERT OR UPDATE ON robot_registry.robots
	FOR EACH ROW EXECUTE FUNCTION robot_registry.log_robot();
-- 50: market events: no code, no market access.  A move into sold or
-- deployed records its own market event; an actor may also record one
-- directly.  Either way the robot's log holds it, and the market event
-- names that event.

-- As the caller: a code the caller may not see answers exactly as an
-- unregistered one, before robot_market_guard looks it up; the author and
-- the time are stamped.
CREATE FUNCTION robot_registry.check_market_actor() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.market_events'::regclass OR TG_NAME IS DISTINCT FROM 'market_events_1_actor' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.market_events', 'market_events_1_actor');
	END IF;
	IF robot_registry.is_administrator() THEN
		RETURN NEW;
	END IF;
	IF NEW.robot_id IS NOT NULL AND NOT EXISTS (
		SELECT 1 FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) NEW.robot_id) THEN
		RAISE EXCEPTION 'robot % is not registered', NEW.robot_id
			USING ERRCODE = 'check_violation', CONSTRAINT = 'robot_no_code_no_market',
			      SCHEMA = 'robot_registry', TABLE = 'market_events',
			      DETAIL = 'The registry "robots" has no robot with this code; no code, no market access.';
	END IF;
	NEW.recorded_by := current_user;
	NEW.at := now();
	RETURN NEW;
END
$fn$;

-- As the registry: a market event recorded directly is an event in the
-- robot's log.  The robot's row is locked first, as a move would lock it,
-- so that its log cannot fork and it cannot move meanwhile.
CREATE FUNCTION robot_registry.log_market_event() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	robot robot_registry.robots;
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.market_events'::regclass OR TG_NAME IS DISTINCT FROM 'market_events_2_log' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.market_events', 'market_events_2_log');
	END IF;
	SELECT * INTO robot FROM robot_registry.robots r
	 WHERE r.id OPERATOR(@extschema@.=) NEW.robot_id FOR NO KEY UPDATE;
	IF NOT FOUND THEN
		RETURN NEW;				-- robot_market_guard refuses it
	END IF;
	INSERT INTO robot_registry.events (robot_id, kind, from_state, to_state, recalled, detail, actor, at, row_hash)
	VALUES (robot.id, 'market event', robot.state, robot.state, robot.recalled,
	        jsonb_build_object('market_kind', NEW.kind, 'party', NEW.party, 'detail', NEW.detail),
	        NEW.recorded_by, NEW.at, robot_registry.robot_row_hash(robot))
	RETURNING event_id INTO NEW.event_id;
	RETURN NEW;
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.log_market_event() FROM PUBLIC;

-- Fired in name order: the actor's checks, the log, then the guard.  A
-- market event that already names its event was written by a move's log
-- trigger (actors may not write event_id), so the first two are skipped
-- for it without a call.
CREATE TRIGGER market_events_1_actor BEFORE INSERT ON robot_registry.market_events
	FOR EACH ROW WHEN (NEW.event_id IS NULL) EXECUTE FUNCTION robot_registry.check_market_actor();
CREATE TRIGGER market_events_2_log BEFORE INSERT ON robot_registry.market_events
	FOR EACH ROW WHEN (NEW.event_id IS NULL) EXECUTE FUNCTION robot_registry.log_market_event();
CREATE TRIGGER market_events_guard BEFORE INSERT OR UPDATE ON robot_registry.market_events
	FOR EACH ROW EXECUTE FUNCTION @extschema@.robot_market_guard('registry=robot_registry.robots');
CREATE TRIGGER market_events_append_only BEFORE UPDATE OR DELETE ON robot_registry.market_events
	FOR EACH ROW EXECUTE FUNCTION robot_registry.refuse_change();
CREATE TRIGGER market_events_no_truncate BEFORE TRUNCATE ON robot_registry.market_events
	FOR EACH STATEMENT EXECUTE FUNCTION robot_registry.refuse_change();
-- 60: recalls.  Opening one flags every robot it covers; a remedy or the
-- recall's closing releases the robots no other open recall holds.  Each
-- of these is an event in every affected robot's log, and each recall and
-- remedy row is in the ledger.

-- As the caller: actors write no times and no authorship, and a recall
-- the regulator opened is closed only by the regulator.
CREATE FUNCTION robot_registry.check_recall_actor() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	my_kind robot_registry.actor_kind;
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.recalls'::regclass OR TG_NAME IS DISTINCT FROM 'recalls_actor' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.recalls', 'recalls_actor');
	END IF;
	IF TG_OP = 'UPDATE' AND OLD.closed_at IS NOT NULL THEN
		RAISE EXCEPTION 'recall % is already closed', OLD.recall_id
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	IF robot_registry.is_administrator() THEN
		IF TG_OP = 'INSERT' THEN
			NEW.opened_by := coalesce(nullif(current_setting('robot_registry.actor', true), ''), NEW.opened_by);
			NEW.opener_kind := coalesce(NEW.opener_kind,
				(SELECT a.kind FROM robot_registry.actors a WHERE a.role_name = NEW.opened_by));
		ELSIF NEW.closed_at IS NOT NULL THEN
			NEW.closed_by := coalesce(nullif(current_setting('robot_registry.actor', true), ''),
			                          NEW.closed_by, current_user);
		END IF;
		RETURN NEW;
	END IF;
	my_kind := robot_registry.actor_kind();
	IF TG_OP = 'INSERT' THEN
		NEW.opened_by := current_user;
		NEW.opener_kind := my_kind;
		NEW.opened_at := now();
		NEW.closed_at := NULL;
		NEW.closed_by := NULL;
		RETURN NEW;
	END IF;
	IF NEW.closed_at IS NULL THEN
		RETURN NULL;			-- nothing to change
	END IF;
	-- a manufacturer closes only what a manufacturer opened; a recall of
	-- the regulator's, or of an administrator's, only the regulator
	IF my_kind IS DISTINCT FROM 'regulator' AND OLD.opener_kind IS DISTINCT FROM 'manufacturer' THEN
		RAISE EXCEPTION 'recall % was opened by the regulator and only the regulator closes it', OLD.recall_id
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	NEW.closed_at := now();
	NEW.closed_by := current_user;
	RETURN NEW;
END
$fn$;
CREATE TRIGGER recalls_actor BEFORE INSERT OR UPDATE ON robot_registry.recalls
	FOR EACH ROW EXECUTE FUNCTION robot_registry.check_recall_actor();

CREATE FUNCTION robot_registry.check_remedy_actor() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.recall_robots'::regclass OR TG_NAME IS DISTINCT FROM 'recall_robots_actor' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.recall_robots', 'recall_robots_actor');
	END IF;
	IF OLD.remedied_at IS NOT NULL THEN
		RAISE EXCEPTION 'robot % was already remedied for recall %', OLD.robot_id, OLD.recall_id
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	IF NEW.remedied_at IS NULL THEN
		RETURN NULL;			-- nothing to change
	END IF;
	IF EXISTS (SELECT 1 FROM robot_registry.recalls c WHERE c.recall_id = OLD.recall_id AND c.closed_at IS NOT NULL) THEN
		RAISE EXCEPTION 'recall % is closed', OLD.recall_id
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	IF robot_registry.is_administrator() THEN
		NEW.remedied_by := coalesce(nullif(current_setting('robot_registry.actor', true), ''),
		                            NEW.remedied_by, current_user);
	ELSE
		NEW.remedied_at := now();
		NEW.remedied_by := current_user;
	END IF;
	RETURN NEW;
END
$fn$;
CREATE TRIGGER recall_robots_actor BEFORE UPDATE ON robot_registry.recall_robots
	FOR EACH ROW EXECUTE FUNCTION robot_registry.check_remedy_actor();

-- Lock a model's gate row: registrations of the model take it too.
CREATE FUNCTION robot_registry.close_gate(model_key text) RETURNS void
	LANGUAGE sql VOLATILE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
		INSERT INTO robot_registry.model_gates AS g (model_key, recall_changes) VALUES (close_gate.model_key, 1)
		ON CONFLICT (model_key) DO UPDATE SET recall_changes = g.recall_changes + 1
	$fn$;
REVOKE ALL ON FUNCTION robot_registry.close_gate(text) FROM PUBLIC;

-- Lock robots' rows in code order, so that two recall changes touching the
-- same robots never deadlock.
CREATE FUNCTION robot_registry.lock_robots(robots @extschema@.robot_id[]) RETURNS void
	LANGUAGE plpgsql VOLATILE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	PERFORM 1 FROM robot_registry.robots r
	 WHERE r.id OPERATOR(@extschema@.=) ANY (robots)
	 ORDER BY r.id FOR NO KEY UPDATE;
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.lock_robots(@extschema@.robot_id[]) FROM PUBLIC;

-- Log an event of the given kind for each robot, and set its flag to
-- whether an open, unremedied recall still holds it.  The rows are locked
-- before the flag is computed, so the computation sees every remedy and
-- closing that committed before.
CREATE FUNCTION robot_registry.release_robots(robots @extschema@.robot_id[], actor name, detail jsonb,
	kind text)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	PERFORM robot_registry.lock_robots(robots);
	PERFORM robot_registry.set_detail(detail), robot_registry.set_internal(kind);
	UPDATE robot_registry.robots r
	   SET recalled = EXISTS (SELECT 1 FROM robot_registry.recall_robots rr
	                            JOIN robot_registry.recalls c USING (recall_id)
	                           WHERE rr.robot_id OPERATOR(@extschema@.=) r.id
	                             AND rr.remedied_at IS NULL AND c.closed_at IS NULL),
	       changed_by = actor
	 WHERE r.id OPERATOR(@extschema@.=) ANY (robots);
	PERFORM robot_registry.set_detail(NULL), robot_registry.set_internal(NULL);
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.release_robots(@extschema@.robot_id[], name, jsonb, text) FROM PUBLIC;

-- As the registry: opening a recall flags every robot it covers that is
-- still in service, and logs the recall in each robot's history.
CREATE FUNCTION robot_registry.recall_opened() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	low @extschema@.robot_id;
	high @extschema@.robot_id;
	covered @extschema@.robot_id[];
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.recalls'::regclass OR TG_NAME IS DISTINCT FROM 'recalls_open' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.recalls', 'recalls_open');
	END IF;
	low := @extschema@.make_robot_id(left(NEW.model_key, 2), substr(NEW.model_key, 3, 4),
	                                 substr(NEW.model_key, 7, 6), NEW.serial_from);
	high := @extschema@.make_robot_id(left(NEW.model_key, 2), substr(NEW.model_key, 3, 4),
	                                  substr(NEW.model_key, 7, 6), NEW.serial_to);
	PERFORM robot_registry.lock_robots(ARRAY(
		SELECT r.id FROM robot_registry.robots r
		 WHERE r.id OPERATOR(@extschema@.>=) low AND r.id OPERATOR(@extschema@.<=) high));
	PERFORM robot_registry.close_gate(NEW.model_key);
	-- from here every registration of the model that committed is visible
	covered := ARRAY(SELECT r.id FROM robot_registry.robots r
	                  WHERE r.id OPERATOR(@extschema@.>=) low AND r.id OPERATOR(@extschema@.<=) high
	                    AND r.state NOT IN ('recycled', 'retired')
	                  ORDER BY r.id);
	PERFORM robot_registry.act_as(NEW.opened_by, NULL);
	INSERT INTO robot_registry.recall_robots (recall_id, robot_id)
	SELECT NEW.recall_id, c FROM unnest(covered) c;
	PERFORM robot_registry.lock_robots(covered);
	PERFORM robot_registry.set_detail(jsonb_build_object('recall_id', NEW.recall_id, 'reason', NEW.reason)),
	        robot_registry.set_internal('recalled');
	UPDATE robot_registry.robots r SET recalled = true, changed_by = NEW.opened_by
	 WHERE r.id OPERATOR(@extschema@.=) ANY (covered);
	PERFORM robot_registry.act_as(NULL, NULL), robot_registry.set_internal(NULL);
	RETURN NULL;
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.recall_opened() FROM PUBLIC;
CREATE TRIGGER recalls_open AFTER INSERT ON robot_registry.recalls
	FOR EACH ROW EXECUTE FUNCTION robot_registry.recall_opened();

-- As the registry: closing a recall logs it in the history of each robot
-- it still held, and releases those no other open recall holds.
CREATE FUNCTION robot_registry.recall_closed() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	held @extschema@.robot_id[];
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.recalls'::regclass OR TG_NAME IS DISTINCT FROM 'recalls_close' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.recalls', 'recalls_close');
	END IF;
	held := ARRAY(SELECT rr.robot_id FROM robot_registry.recall_robots rr
	               WHERE rr.recall_id = NEW.recall_id AND rr.remedied_at IS NULL ORDER BY rr.robot_id);
	PERFORM robot_registry.lock_robots(held);
	PERFORM robot_registry.close_gate(NEW.model_key);
	-- from here every registration of the model that committed is visible,
	-- with the hold it got from this recall
	held := ARRAY(SELECT rr.robot_id FROM robot_registry.recall_robots rr
	               WHERE rr.recall_id = NEW.recall_id AND rr.remedied_at IS NULL ORDER BY rr.robot_id);
	PERFORM robot_registry.release_robots(held, NEW.closed_by,
		jsonb_build_object('recall_id', NEW.recall_id), 'recall closed');
	RETURN NULL;
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.recall_closed() FROM PUBLIC;
CREATE TRIGGER recalls_close AFTER UPDATE OF closed_at ON robot_registry.recalls
	FOR EACH ROW EXECUTE FUNCTION robot_registry.recall_closed();

-- As the registry: a remedy is an event in the robot's history, which
-- releases it when no other open recall holds it.
CREATE FUNCTION robot_registry.robot_remedied() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.recall_robots'::regclass OR TG_NAME IS DISTINCT FROM 'recall_robots_remedy' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.recall_robots', 'recall_robots_remedy');
	END IF;
	-- the recall's row is locked, so it cannot close while the remedy
	-- commits; one that closed meanwhile refuses the remedy
	IF (SELECT c.closed_at FROM robot_registry.recalls c WHERE c.recall_id = NEW.recall_id FOR SHARE) IS NOT NULL THEN
		RAISE EXCEPTION 'recall % is closed', NEW.recall_id
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	PERFORM robot_registry.release_robots(ARRAY[NEW.robot_id], NEW.remedied_by,
		coalesce(nullif(current_setting('robot_registry.detail', true), '')::jsonb, '{}')
		|| jsonb_build_object('recall_id', NEW.recall_id), 'remedied');
	RETURN NULL;
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.robot_remedied() FROM PUBLIC;
CREATE TRIGGER recall_robots_remedy AFTER UPDATE OF remedied_at ON robot_registry.recall_robots
	FOR EACH ROW EXECUTE FUNCTION robot_registry.robot_remedied();
-- 70: least privilege: grants and row-level security per actor kind.
--
-- The tables that hold robots, their history and recalls are granted to
-- each mapped role as it is mapped (actor_privileges() below), never to
-- PUBLIC: an unmapped role may not even read them, nor learn their
-- contents from the planner's estimates.  Every policy also requires a
-- mapped actor.  Column grants keep the recall flag, timestamps and
-- authorship out of actors' hands, and the triggers stamp them.  Nobody
-- but the owner may execute the trigger functions that run with the
-- owner's rights.

ALTER TABLE robot_registry.actors ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON robot_registry.actors TO PUBLIC;
CREATE POLICY own_mapping ON robot_registry.actors FOR SELECT
	USING (role_name = current_user);

GRANT SELECT ON robot_registry.manufacturers, robot_registry.models, robot_registry.actor_moves TO PUBLIC;

ALTER TABLE robot_registry.robots ENABLE ROW LEVEL SECURITY;
-- manufacturers see their own codes, every other actor the whole fleet
CREATE POLICY robots_read ON robot_registry.robots FOR SELECT USING (
	(SELECT robot_registry.actor_scope()) IN ('all', @extschema@.robot_id_manufacturer_key(id)));
CREATE POLICY robots_register ON robot_registry.robots FOR INSERT WITH CHECK (
	(SELECT robot_registry.actor_kind()) = 'manufacturer'
	AND @extschema@.robot_id_manufacturer_key(id) = (SELECT robot_registry.actor_manufacturer()));
-- the same robots; which move or edit each kind may make is checked by
-- check_actor()
CREATE POLICY robots_move ON robot_registry.robots FOR UPDATE USING (
	(SELECT robot_registry.actor_scope()) IN ('all', @extschema@.robot_id_manufacturer_key(id)));

ALTER TABLE robot_registry.events ENABLE ROW LEVEL SECURITY;
CREATE POLICY events_read ON robot_registry.events FOR SELECT USING (
	EXISTS (SELECT 1 FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) robot_id));

ALTER TABLE robot_registry.market_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY market_read ON robot_registry.market_events FOR SELECT USING (
	EXISTS (SELECT 1 FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) robot_id));
-- moves record their market events themselves; a direct record is a sale by
-- a seller or manufacturer, a deployment by an operator or service
-- provider, of a robot the caller may see
CREATE POLICY market_record ON robot_registry.market_events FOR INSERT WITH CHECK (
	recorded_by = current_user
	AND kind = ANY (CASE (SELECT robot_registry.actor_kind())
	                WHEN 'seller' THEN ARRAY['sale'] WHEN 'manufacturer' THEN ARRAY['sale']
	                WHEN 'operator' THEN ARRAY['deployment'] WHEN 'service_provider' THEN ARRAY['deployment']
	                END)
	AND EXISTS (SELECT 1 FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) robot_id));

ALTER TABLE robot_registry.recalls ENABLE ROW LEVEL SECURITY;
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

-- The ledger: the catalogue's history is public; recalls' to every actor;
-- remedies' and the actor map's to the regulator.
ALTER TABLE robot_registry.ledger ENABLE ROW LEVEL SECURITY;
CREATE POLICY ledger_read ON robot_registry.ledger FOR SELECT USING (
	subject IN ('manufacturers', 'models', 'actor_moves')
	OR (subject = 'recalls' AND (SELECT robot_registry.actor_kind()) IS NOT NULL)
	OR (SELECT robot_registry.actor_kind()) = 'regulator');

-- checkpoints: the owner's alone; model gates too, but for a manufacturer
-- taking its own models' gates in issue_codes() (policy in 84_issuance.sql)
REVOKE ALL ON robot_registry.checkpoints, robot_registry.model_gates FROM PUBLIC;
ALTER TABLE robot_registry.checkpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE robot_registry.model_gates ENABLE ROW LEVEL SECURITY;

-- As the registry: a role gets the actors' privileges when it is mapped,
-- and loses them when its mapping goes.  The role name is quoted.
CREATE FUNCTION robot_registry.actor_privileges() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	grants constant text[] := ARRAY[
		'SELECT ON robot_registry.robots, robot_registry.events, robot_registry.market_events,
		           robot_registry.recalls, robot_registry.recall_robots, robot_registry.ledger, robot_registry.scans',
		'INSERT (id, state, refurbished_from, owner_name, location) ON robot_registry.robots',
		'UPDATE (state, owner_name, location) ON robot_registry.robots',
		'INSERT (robot_id, kind, party, detail) ON robot_registry.market_events',
		'INSERT (model_key, serial_from, serial_to, reason) ON robot_registry.recalls',
		'UPDATE (closed_at) ON robot_registry.recalls',
		'UPDATE (remedied_at) ON robot_registry.recall_robots',
		-- issue_codes() takes its model's gate as the caller (84_issuance.sql)
		'SELECT (model_key, registrations), INSERT (model_key), UPDATE (registrations) ON robot_registry.model_gates'];
	g text;
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.actors'::regclass OR TG_NAME IS DISTINCT FROM 'actors_privileges' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.actors', 'actors_privileges');
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') AND to_regrole(quote_ident(OLD.role_name)) IS NOT NULL
	   AND (TG_OP = 'DELETE' OR OLD.role_name <> NEW.role_name) THEN
		FOREACH g IN ARRAY grants LOOP
			EXECUTE format('REVOKE %s FROM %I', replace(g, ' ON ', ' ON TABLE '), OLD.role_name);
		END LOOP;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		FOREACH g IN ARRAY grants LOOP
			EXECUTE format('GRANT %s TO %I', replace(g, ' ON ', ' ON TABLE '), NEW.role_name);
		END LOOP;
	END IF;
	RETURN NULL;
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.actor_privileges() FROM PUBLIC;
CREATE TRIGGER actors_privileges AFTER INSERT OR UPDATE OR DELETE ON robot_registry.actors
	FOR EACH ROW EXECUTE FUNCTION robot_registry.actor_privileges();
-- 80: the application interface.  Each function runs as its caller, so
-- row-level security and the triggers apply to it as to a direct write.

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
	        register_robot.refurbished_from);
	PERFORM robot_registry.set_detail(NULL);
	-- read after the statement: a recall may have held it
	SELECT * INTO registered FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) register_robot.id;
	RETURN registered;
END
$fn$;
COMMENT ON FUNCTION robot_registry.register_robot(@extschema@.robot_id, text, text, @extschema@.robot_id, jsonb)
	IS 'register a new robot as manufactured; its manufacturer and model must be in the catalogue';

-- The UPDATE locks the robot's row and, at READ COMMITTED, judges the move
-- on the row as it is once any wait is over: a move decided on a state
-- that changed meanwhile is refused, never applied to the new state, and
-- a robot already in the target state is refused (two sellers never both
-- sell it).  The log records the move, and a move into sold or deployed
-- as a market event too.  detail may carry owner, location and party.
CREATE FUNCTION robot_registry.transition(id @extschema@.robot_id, to_state @extschema@.robot_state,
	detail jsonb DEFAULT '{}')
	RETURNS robot_registry.robots
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	robot robot_registry.robots;
BEGIN
	IF transition.detail <> '{}' THEN
		PERFORM robot_registry.set_detail(transition.detail);
	END IF;
	UPDATE robot_registry.robots r
	   SET state = transition.to_state,
	       owner_name = coalesce(transition.detail ->> 'owner', r.owner_name),
	       location = coalesce(transition.detail ->> 'location', r.location)
	 WHERE r.id OPERATOR(@extschema@.=) transition.id AND r.state <> transition.to_state
	RETURNING r.* INTO robot;
	IF transition.detail <> '{}' THEN
		PERFORM robot_registry.set_detail(NULL);
	END IF;
	IF robot.id IS NULL THEN
		-- only on refusal: why
		SELECT * INTO robot FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) transition.id;
		IF FOUND THEN
			RAISE EXCEPTION 'robot % is already %', transition.id, transition.to_state
				USING ERRCODE = 'check_violation', CONSTRAINT = 'robot_lifecycle_transition',
				      SCHEMA = 'robot_registry', TABLE = 'robots',
				      DETAIL = 'transition() moves a robot to another state.',
				      HINT = 'Another move may have reached this state first; relocate() changes the location.';
		END IF;
		IF robot_registry.actor_scope() IS NULL AND NOT robot_registry.is_administrator() THEN
			RAISE EXCEPTION 'role % is not a registry actor', current_user
				USING ERRCODE = 'insufficient_privilege',
				      HINT = 'An administrator maps roles in robot_registry.actors.';
		END IF;
		RAISE EXCEPTION 'robot % is not registered, or not yours to move', transition.id
			USING ERRCODE = 'no_data_found';
	END IF;
	RETURN robot;
END
$fn$;
COMMENT ON FUNCTION robot_registry.transition(@extschema@.robot_id, @extschema@.robot_state, jsonb)
	IS 'move a robot to another lifecycle state, recording the event with detail';

CREATE FUNCTION robot_registry.relocate(id @extschema@.robot_id, location text, detail jsonb DEFAULT '{}')
	RETURNS robot_registry.robots
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	robot robot_registry.robots;
BEGIN
	PERFORM robot_registry.set_detail(relocate.detail);
	UPDATE robot_registry.robots r SET location = relocate.location
	 WHERE r.id OPERATOR(@extschema@.=) relocate.id;
	PERFORM robot_registry.set_detail(NULL);
	SELECT * INTO robot FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) relocate.id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'robot % is not registered, or not visible to you', relocate.id
			USING ERRCODE = 'no_data_found';
	END IF;
	RETURN robot;
END
$fn$;
COMMENT ON FUNCTION robot_registry.relocate(@extschema@.robot_id, text, jsonb)
	IS 'record where a robot is now, as an event in its log';

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
	SELECT * INTO robot FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) remedy.id FOR NO KEY UPDATE;
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
	UPDATE robot_registry.recall_robots rr SET remedied_at = now()
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
	UPDATE robot_registry.recalls c SET closed_at = now()
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

-- 82: the public scan.  Anyone who holds a code (a buyer, an inspector, a
-- customs officer, a web front end's role) may ask whether the unit may be
-- sold or used; the answer never names an owner, a place, an actor or a
-- history.  A scan that says where it happened is kept in scans, where
-- alerts and copied codes show up for the regulator and for the maker the
-- code claims.

-- Scans are observations made by the public, not registry state: they are
-- not in the hash-chained log or the ledger, and verify() ignores them.
CREATE TABLE robot_registry.scans (
	scan_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code text NOT NULL,			-- canonical 29 digits, or the first 64 characters as scanned when malformed
	manufacturer_key text,		-- whose code it claims to be; NULL when malformed
	outcome text NOT NULL CHECK (outcome IN ('allowed', 'unregistered', 'scrapped', 'recalled', 'malformed')),
	context jsonb NOT NULL,
	scanner text,				-- context ->> 'scanner', at most 200 characters
	place text,					-- context ->> 'place', at most 200 characters
	scanned_at timestamptz NOT NULL DEFAULT clock_timestamp(),
	scanned_by name NOT NULL DEFAULT session_user
);
CREATE INDEX scans_code ON robot_registry.scans (code, scanned_at);
CREATE INDEX scans_alerts ON robot_registry.scans (scanned_at) WHERE outcome IN ('unregistered', 'scrapped', 'recalled');
COMMENT ON TABLE robot_registry.scans IS 'scans that carried a context: where and when a code was seen, and what scan() answered';

-- Only scan() writes here (as the owner); the regulator reads every scan,
-- a manufacturer the scans of codes that claim to be its own.  SELECT comes
-- with an actor's mapping (actor_privileges()), never to PUBLIC.
REVOKE ALL ON robot_registry.scans FROM PUBLIC;
ALTER TABLE robot_registry.scans ENABLE ROW LEVEL SECURITY;
CREATE POLICY scans_read ON robot_registry.scans FOR SELECT USING (
	(SELECT robot_registry.actor_kind()) = 'regulator'
	OR ((SELECT robot_registry.actor_kind()) = 'manufacturer'
	    AND manufacturer_key = (SELECT robot_registry.actor_manufacturer())));

-- What anyone may learn from a code.  SECURITY DEFINER because an unmapped
-- role may not read robots or recalls at all; it takes only text and jsonb,
-- so nothing of the caller's types, casts or operators runs with the
-- owner's rights.  Every answer has the same keys.  The answer does not
-- depend on who asks: the registry describes every registered code to
-- everyone, so a code it would refuse to describe cannot be told from an
-- unregistered one.  PL/pgSQL, not SQL, so that its plans are kept.
CREATE FUNCTION robot_registry.scan(code text, context jsonb DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	-- the catalogue is small enough that the planner would read it whole in
	-- every scan; a probe of its primary key costs a third of that
	SET enable_seqscan = off
	AS $fn$
DECLARE
	answer jsonb;
	outcome text;
	recorded_code text;
	error_message text;
	error_detail text;
BEGIN
	-- A good code costs one query and three trivial statements: every
	-- PL/pgSQL expression is set up again in each transaction, and a scan
	-- is usually a transaction of its own.
	IF scan.code IS NOT NULL AND @extschema@.robot_id_is_valid(scan.code) THEN
		SELECT jsonb_build_object(
		           'code', s.id::text,
		           'formatted', @extschema@.robot_id_format(s.id),
		           'valid', true,
		           'registered', r.id IS NOT NULL,
		           'manufacturer', (SELECT mf.name FROM robot_registry.manufacturers mf
		                             WHERE mf.manufacturer_key = left(s.model_key, 6)),
		           'model', (SELECT m.name FROM robot_registry.models m WHERE m.model_key = s.model_key),
		           'state', r.state,
		           'market_allowed', v.outcome = 'allowed',
		           'reason', CASE v.outcome
		                     WHEN 'unregistered' THEN 'the code is not registered'
		                     WHEN 'scrapped' THEN 'the robot is ' || r.state::text
		                                          || ': scrapped units may not return to the market'
		                     WHEN 'recalled' THEN 'the robot is under an open recall it has not been remedied for'
		                     END,
		           -- an array, not jsonb_agg(): no aggregate to set up in every scan
		           'recalls', CASE WHEN r.id IS NULL THEN '[]'::jsonb ELSE to_jsonb(ARRAY(
		               SELECT jsonb_build_object('recall_id', c.recall_id, 'reason', c.reason,
		                                         'remedied', rr.remedied_at IS NOT NULL)
		                 FROM robot_registry.recall_robots rr
		                 -- from this robot's rows to their recalls, never the other way
		                 CROSS JOIN LATERAL (SELECT c.recall_id, c.reason FROM robot_registry.recalls c
		                                      WHERE c.recall_id = rr.recall_id AND c.closed_at IS NULL OFFSET 0) c
		                WHERE rr.robot_id OPERATOR(@extschema@.=) r.id
		                ORDER BY c.recall_id)) END,
		           'rebuilt', CASE WHEN r.id IS NOT NULL THEN r.refurbished_from IS NOT NULL END,
		           'registered_at', r.registered_at,
		           'error', NULL),
		       v.outcome, s.id::text
		  INTO answer, outcome, recorded_code
		  FROM (SELECT i.id, @extschema@.robot_id_model_key(i.id) AS model_key
		          FROM (SELECT scan.code::@extschema@.robot_id AS id) i) s
		  LEFT JOIN robot_registry.robots r ON r.id OPERATOR(@extschema@.=) s.id
		  CROSS JOIN LATERAL (SELECT CASE WHEN r.id IS NULL THEN 'unregistered'
		                                  WHEN r.state IN ('recycled', 'retired') THEN 'scrapped'
		                                  WHEN r.recalled THEN 'recalled'
		                                  ELSE 'allowed' END AS outcome) v;
	ELSE
		IF scan.code IS NULL THEN
			error_message := 'no code';
			error_detail := 'No code was given.';
		ELSE
			-- the parser's own words, exactly as the 22P02 error gives them
			BEGIN
				PERFORM scan.code::@extschema@.robot_id;
			EXCEPTION WHEN OTHERS THEN
				GET STACKED DIAGNOSTICS error_message = MESSAGE_TEXT, error_detail = PG_EXCEPTION_DETAIL;
			END;
		END IF;
		outcome := 'malformed';
		recorded_code := left(coalesce(scan.code, ''), 64);
		answer := jsonb_build_object('code', NULL, 'formatted', NULL, 'valid', false, 'registered', false,
		                             'manufacturer', NULL, 'model', NULL, 'state', NULL,
		                             'market_allowed', false, 'reason', coalesce(error_detail, error_message),
		                             'recalls', '[]'::jsonb, 'rebuilt', NULL, 'registered_at', NULL,
		                             'error', error_message);
	END IF;

	IF scan.context IS NOT NULL THEN
		IF jsonb_typeof(scan.context) <> 'null' AND NOT pg_is_in_recovery()
		   AND current_setting('transaction_read_only') = 'off' THEN
			INSERT INTO robot_registry.scans (code, manufacturer_key, outcome, context, scanner, place)
			VALUES (recorded_code, CASE WHEN outcome <> 'malformed' THEN left(recorded_code, 6) END, outcome,
			        -- a context is a note, not a store: a large one keeps only scanner and place
			        CASE WHEN octet_length(scan.context::text) <= 2000 THEN scan.context
			             ELSE jsonb_build_object('scanner', left(scan.context ->> 'scanner', 200),
			                                     'place', left(scan.context ->> 'place', 200), 'truncated', true) END,
			        left(scan.context ->> 'scanner', 200), left(scan.context ->> 'place', 200));
		END IF;
	END IF;
	RETURN answer;
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.scan(text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION robot_registry.scan(text, jsonb) TO PUBLIC;
COMMENT ON FUNCTION robot_registry.scan(text, jsonb)
	IS 'public check of a code: registered, names, state, market verdict, open recalls; records the scan when a context is given';

-- How close in time two scans of one code in different places must be to
-- suggest a copied code: setting robot_registry.clone_window (an interval,
-- e.g. ALTER DATABASE ... SET robot_registry.clone_window = '6 hours'),
-- 24 hours when unset.
CREATE FUNCTION robot_registry.clone_window() RETURNS interval
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	setting constant text := current_setting('robot_registry.clone_window', true);
	result interval;
BEGIN
	IF coalesce(setting, '') = '' THEN
		RETURN interval '24 hours';
	END IF;
	BEGIN
		result := setting::interval;
	EXCEPTION WHEN OTHERS THEN
		result := NULL;
	END;
	IF result IS NULL OR result < interval '0' THEN
		RAISE EXCEPTION 'invalid value for robot_registry.clone_window: "%"', setting
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'Set a positive interval, such as ''24 hours'', or reset it for the default.';
	END IF;
	RETURN result;
END
$fn$;

-- Exceptional outcomes of recorded scans: a well-formed code that is not
-- registered, a scrapped unit, a unit under recall.
CREATE VIEW robot_registry.scan_alerts WITH (security_invoker = true) AS
SELECT s.scan_id, s.scanned_at, s.code, s.manufacturer_key, s.outcome, s.scanner, s.place, s.scanned_by
  FROM robot_registry.scans s
 WHERE s.outcome IN ('unregistered', 'scrapped', 'recalled');

-- Codes seen in two different places within the clone window: one label,
-- two robots.  One row per code, with every place it was seen in such a
-- pair.
CREATE VIEW robot_registry.suspected_clones WITH (security_invoker = true) AS
SELECT a.code, a.manufacturer_key,
       array_agg(DISTINCT a.place ORDER BY a.place) AS places,
       count(DISTINCT a.scan_id) AS scans,
       min(a.scanned_at) AS first_seen, max(a.scanned_at) AS last_seen
  FROM robot_registry.scans a
  JOIN robot_registry.scans b
    ON b.code = a.code AND b.place <> a.place
   AND b.scanned_at BETWEEN a.scanned_at - (SELECT robot_registry.clone_window())
                        AND a.scanned_at + (SELECT robot_registry.clone_window())
 WHERE a.outcome <> 'malformed'
 GROUP BY a.code, a.manufacturer_key;

GRANT SELECT ON robot_registry.scan_alerts, robot_registry.suspected_clones TO PUBLIC;
-- 84: codes issued by the platform.
--
-- issue_codes() allocates serials of a model and registers them as
-- manufactured in one INSERT ... SELECT into robots, so the registry's
-- triggers, recall holds, log and row-level security apply to every issued
-- code as to register_robot().  It runs as its caller.
--
-- Never twice: robots are never deleted (robot_lifecycle_guard refuses
-- DELETE, robots_no_truncate TRUNCATE) and the primary key covers every
-- code ever registered, scrapped and retired units included, so the robots
-- table is the record of every serial ever given out and its highest code
-- of a model is the highest serial that model has ever had.
--
-- Disjoint under concurrency: each call first takes its model's row in
-- model_gates, the row every registration of the model updates after its
-- statement (hold_new_robots) and every recall change before it decides.
-- At READ COMMITTED the later call waits there, and its following
-- statements see what the earlier one registered; at REPEATABLE READ and
-- SERIALIZABLE a gate changed since the snapshot is a serialization failure
-- (40001), never an overlap.  A manufacturer may take only its own models'
-- gates (policy gates_issue below): the gate holds no information.

-- a manufacturer takes the gate of its own models, nobody else's
CREATE POLICY gates_issue ON robot_registry.model_gates
	USING (left(model_key, 6) = (SELECT robot_registry.actor_manufacturer()))
	WITH CHECK (left(model_key, 6) = (SELECT robot_registry.actor_manufacturer()));

-- The largest count of codes one call issues: a production line's batch,
-- small enough that one statement's memory and log stay bounded.
CREATE FUNCTION robot_registry.issue_codes_limit() RETURNS integer
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$ SELECT 1000000 $fn$;

-- Serials drawn uniformly from 0 .. 10^17 - 1 with the server's
-- cryptographic generator: gen_random_uuid() comes from pg_strong_random,
-- and the last two groups of a version 4 UUID (bytes 8 to 15) carry 62
-- random bits (two bits of byte 8 are the variant).  The low 57 of them are uniform on 0 .. 2^57 - 1; values of 10^17 and above
-- are rejected rather than reduced (a modulo would favour small serials),
-- so about 69% of the draws are kept.  Returns how_many serials in draw
-- order, possibly repeating one another or a registered serial: the caller
-- skips those and draws again.
CREATE FUNCTION robot_registry.random_serials(how_many integer) RETURNS SETOF bigint
	LANGUAGE sql VOLATILE PARALLEL RESTRICTED
	SET search_path = pg_catalog, pg_temp
	AS $fn$
		SELECT d.serial
		  FROM (SELECT g, ('x' || substr(u, 20, 4) || right(u, 12))::bit(64)::bigint
		                  & 144115188075855871 AS serial
		          FROM (SELECT g, gen_random_uuid()::text AS u
		                  FROM generate_series(1, how_many + how_many / 2 + 64) g) x) d
		 WHERE d.serial < 100000000000000000
		 ORDER BY d.g
		 LIMIT how_many
	$fn$;

CREATE FUNCTION robot_registry.issue_codes(model_key text, how_many integer, layout text DEFAULT 'random')
	RETURNS SETOF @extschema@.robot_id
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	max_serial constant bigint := 99999999999999999;
	country text := left(issue_codes.model_key, 2);
	maker text := substr(issue_codes.model_key, 3, 4);
	model text := substr(issue_codes.model_key, 7, 6);
	administrator boolean := robot_registry.is_administrator();
	my_kind robot_registry.actor_kind;
	highest @extschema@.robot_id;
	first_serial bigint;
	serials bigint[] := '{}';
	short integer;
BEGIN
	IF issue_codes.model_key IS NULL OR issue_codes.model_key !~ '^[0-9]{12}$' THEN
		RAISE EXCEPTION 'invalid model key: "%"', coalesce(issue_codes.model_key, 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
			      DETAIL = 'A model key is 12 digits: country (2), manufacturer (4) and model (6).';
	END IF;
	IF issue_codes.layout IS NULL OR issue_codes.layout NOT IN ('random', 'sequential') THEN
		RAISE EXCEPTION 'unknown layout of codes: "%"', coalesce(issue_codes.layout, 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'The layouts are random (the default) and sequential.';
	END IF;
	IF issue_codes.how_many IS NULL OR issue_codes.how_many NOT BETWEEN 1 AND robot_registry.issue_codes_limit() THEN
		RAISE EXCEPTION 'invalid count of codes: %', coalesce(issue_codes.how_many::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
			      DETAIL = format('issue_codes() issues between 1 and %s codes per call.',
			                      robot_registry.issue_codes_limit());
	END IF;
	IF NOT administrator THEN
		my_kind := robot_registry.actor_kind();
		IF my_kind IS NULL THEN
			RAISE EXCEPTION 'role % is not a registry actor', current_user
				USING ERRCODE = 'insufficient_privilege',
				      HINT = 'An administrator maps roles in robot_registry.actors.';
		ELSIF my_kind <> 'manufacturer' THEN
			RAISE EXCEPTION '% may not register robots', robot_registry.actor_name(my_kind)
				USING ERRCODE = 'insufficient_privilege';
		END IF;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM robot_registry.models m WHERE m.model_key = issue_codes.model_key) THEN
		RAISE EXCEPTION 'model % is not in the catalogue', issue_codes.model_key
			USING ERRCODE = 'foreign_key_violation',
			      HINT = 'An administrator adds models to robot_registry.models.';
	END IF;
	IF NOT administrator AND robot_registry.actor_manufacturer() <> left(issue_codes.model_key, 6) THEN
		RAISE EXCEPTION 'model % is not one of your models', issue_codes.model_key
			USING ERRCODE = 'insufficient_privilege',
			      DETAIL = 'A manufacturer issues codes for its own models only.';
	END IF;

	-- the gate first; everything below is read after it
	INSERT INTO robot_registry.model_gates AS g (model_key) VALUES (issue_codes.model_key)
	ON CONFLICT ON CONSTRAINT model_gates_pkey DO UPDATE SET registrations = g.registrations;

	IF issue_codes.layout = 'sequential' THEN
		SELECT r.id INTO highest FROM robot_registry.robots r
		 WHERE r.id OPERATOR(@extschema@.>=) @extschema@.make_robot_id(country, maker, model, 0::bigint)
		   AND r.id OPERATOR(@extschema@.<=) @extschema@.make_robot_id(country, maker, model, max_serial)
		 ORDER BY r.id DESC LIMIT 1;
		first_serial := coalesce(@extschema@.robot_id_serial(highest)::bigint, 0) + 1;
		IF first_serial > max_serial - issue_codes.how_many + 1 THEN
			RAISE EXCEPTION 'model % has no room for a block of % sequential serials', issue_codes.model_key, issue_codes.how_many
				USING ERRCODE = 'numeric_value_out_of_range',
				      DETAIL = format('Its highest serial is %s; serials end at %s.',
				                      @extschema@.robot_id_serial(highest), max_serial),
				      HINT = 'The random layout draws from every unused serial.';
		END IF;
		PERFORM robot_registry.set_detail(jsonb_build_object('issued', 'sequential'));
		RETURN QUERY
		INSERT INTO robot_registry.robots AS r (id)
		SELECT @extschema@.make_robot_id(country, maker, model, s)
		  FROM generate_series(first_serial, first_serial + issue_codes.how_many - 1) s
		 ORDER BY s
		RETURNING r.id;
		PERFORM robot_registry.set_detail(NULL);
		RETURN;
	END IF;

	-- random: keep drawing until how_many distinct unused serials are in
	-- hand.  Collisions are rare (a registry of a billion codes of one
	-- model fills 1% of its space), so this is nearly always one round.
	LOOP
		short := issue_codes.how_many - cardinality(serials);
		EXIT WHEN short = 0;
		serials := ARRAY(
			SELECT DISTINCT s
			  FROM unnest(serials || ARRAY(SELECT robot_registry.random_serials(short))) s
			 WHERE NOT EXISTS (
				SELECT 1 FROM robot_registry.robots r
				 WHERE r.id OPERATOR(@extschema@.=) @extschema@.make_robot_id(country, maker, model, s)));
		IF issue_codes.how_many - cardinality(serials) = short THEN
			-- a whole round of collisions: the space may be full
			IF (SELECT count(*) FROM robot_registry.robots r WHERE r.model_key = issue_codes.model_key)
			   > max_serial + 1 - issue_codes.how_many THEN
				RAISE EXCEPTION 'model % has no room for % more serials', issue_codes.model_key, issue_codes.how_many
					USING ERRCODE = 'numeric_value_out_of_range',
					      DETAIL = format('A model has %s serials.', max_serial + 1);
			END IF;
		END IF;
	END LOOP;
	PERFORM robot_registry.set_detail(jsonb_build_object('issued', 'random'));
	RETURN QUERY
	INSERT INTO robot_registry.robots AS r (id)
	SELECT @extschema@.make_robot_id(country, maker, model, s)
	  FROM unnest(serials) s
	 ORDER BY s
	RETURNING r.id;
	PERFORM robot_registry.set_detail(NULL);
END
$fn$;
COMMENT ON FUNCTION robot_registry.issue_codes(text, integer, text)
	IS 'issue and register how_many new codes of a model, random (the default) or sequential serials';
-- 85: tamper evidence.  verify() checks every chain link, every hash, and
-- that every registry row is the one its log last recorded; checkpoint()
-- gives a root over every chain's head that an auditor keeps outside the
-- database, and verify_checkpoint() checks the log still hashes to it.
-- TimeZone is pinned where rows are compared as jsonb (see ledger_record).

-- The first problem of each robot's history (of the given robots, or of
-- all robots and of the ledger when ids is NULL).  Problems never raise:
-- odd data (infinite times, NULLs) is reported like any other.
CREATE FUNCTION robot_registry.broken_links(ids @extschema@.robot_id[])
	RETURNS TABLE (robot_id @extschema@.robot_id, event_id bigint, problem text)
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	SET TimeZone = 'UTC'
	AS $fn$
		WITH chain AS (
			SELECT e AS ev, e.robot_id, e.event_id, e.prev_hash, e.hash, e.row_hash,
			       lag(e.hash) OVER w AS expected_prev,
			       lead(e.event_id) OVER w IS NULL AS is_last
			  FROM robot_registry.events e
			 WHERE ids IS NULL OR e.robot_id OPERATOR(@extschema@.=) ANY (ids)
			WINDOW w AS (PARTITION BY e.robot_id ORDER BY e.event_id)
		), mk AS (
			SELECT m.*, count(*) OVER (PARTITION BY m.event_id) AS copies
			  FROM robot_registry.market_events m
			 WHERE ids IS NULL OR m.robot_id OPERATOR(@extschema@.=) ANY (ids)
		), robot_problems AS (
			SELECT 'robot ' || c.robot_id::text AS chain, 0 AS rank, c.robot_id, c.event_id,
			       CASE WHEN c.prev_hash IS DISTINCT FROM c.expected_prev
			            THEN 'prev_hash does not match the previous event: an event was removed or inserted'
			            WHEN c.hash IS DISTINCT FROM robot_registry.event_hash(c.ev)
			            THEN 'hash does not match the event: it was altered'
			            WHEN c.is_last AND NOT EXISTS (
			                 SELECT 1 FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) c.robot_id)
			            THEN 'the robot''s row is missing: it was deleted'
			            WHEN c.is_last AND EXISTS (
			                 SELECT 1 FROM robot_registry.robots r
			                  WHERE r.id OPERATOR(@extschema@.=) c.robot_id
			                    AND robot_registry.robot_row_hash(r) IS DISTINCT FROM c.row_hash)
			            THEN 'the robot''s row is not the one its last event recorded: it was changed outside the log, or its newest events are missing'
			       END AS problem
			  FROM chain c
			UNION ALL
			SELECT 'robot ' || r.id::text, 0, r.id, NULL, 'the robot has no events'
			  FROM robot_registry.robots r
			 WHERE (ids IS NULL OR r.id OPERATOR(@extschema@.=) ANY (ids))
			   AND NOT EXISTS (SELECT 1 FROM robot_registry.events e WHERE e.robot_id OPERATOR(@extschema@.=) r.id)
			UNION ALL
			-- a market event is the projection of the one robot event that
			-- records it; compared null-safely, field by field
			SELECT 'robot ' || coalesce(m.robot_id::text, e.robot_id::text, '?'), 1, coalesce(m.robot_id, e.robot_id),
			       m.event_id, format('market event %s does not match the event that records it', m.market_event_id)
			  FROM mk m
			  LEFT JOIN robot_registry.events e ON e.event_id = m.event_id
			 WHERE (e.event_id IS NULL
			        OR m.robot_id::text IS DISTINCT FROM e.robot_id::text
			        OR e.actor IS DISTINCT FROM m.recorded_by
			        OR e.at IS DISTINCT FROM m.at
			        OR m.copies <> 1
			        OR NOT coalesce(CASE WHEN e.kind = 'market event'
			                             THEN e.detail = jsonb_build_object('market_kind', m.kind, 'party', m.party,
			                                                                'detail', m.detail)
			                             ELSE e.kind = 'moved' AND e.detail = m.detail
			                                  AND m.party IS NOT DISTINCT FROM e.detail ->> 'party'
			                                  AND m.kind IS NOT DISTINCT FROM
			                                      CASE e.to_state WHEN 'sold' THEN 'sale' WHEN 'deployed' THEN 'deployment' END
			                        END, false))
			UNION ALL
			SELECT 'robot ' || e.robot_id::text, 1, e.robot_id, e.event_id,
			       format('the market event that event %s records is missing', e.event_id)
			  FROM robot_registry.events e
			 WHERE (ids IS NULL OR e.robot_id OPERATOR(@extschema@.=) ANY (ids))
			   AND (e.kind = 'market event' OR (e.kind = 'moved' AND e.to_state IN ('sold', 'deployed')))
			   AND NOT EXISTS (SELECT 1 FROM mk m WHERE m.event_id = e.event_id)
		), ledger_chain AS (
			SELECT l AS entry, l.entry_id, l.subject, l.subject_key, l.op, l.row_data, l.prev_hash, l.hash,
			       lag(l.hash) OVER w AS expected_prev,
			       lead(l.entry_id) OVER w IS NULL AS is_last
			  FROM robot_registry.ledger l
			 WHERE ids IS NULL
			WINDOW w AS (PARTITION BY l.subject, l.subject_key ORDER BY l.entry_id)
		), ledgered AS (
			SELECT 'manufacturers' AS subject, to_jsonb(t) AS row_data FROM robot_registry.manufacturers t
			UNION ALL SELECT 'models', to_jsonb(t) FROM robot_registry.models t
			UNION ALL SELECT 'actors', to_jsonb(t) FROM robot_registry.actors t
			UNION ALL SELECT 'actor_moves', to_jsonb(t) FROM robot_registry.actor_moves t
			UNION ALL SELECT 'recalls', to_jsonb(t) FROM robot_registry.recalls t
			UNION ALL SELECT 'recall_robots', to_jsonb(t) FROM robot_registry.recall_robots t
		), rows_now AS (
			SELECT g.subject, robot_registry.ledger_key(g.subject, g.row_data) AS subject_key, g.row_data
			  FROM ledgered g
			 WHERE ids IS NULL
		), ledger_problems AS (
			SELECT c.subject || ' ' || c.subject_key, 0, NULL::@extschema@.robot_id, c.entry_id,
			       format('%s %s: ', c.subject, c.subject_key) ||
			       CASE WHEN c.prev_hash IS DISTINCT FROM c.expected_prev
			            THEN 'prev_hash does not match the previous entry: an entry was removed or inserted'
			            WHEN c.hash IS DISTINCT FROM robot_registry.ledger_hash(c.entry)
			            THEN 'hash does not match the entry: it was altered'
			            WHEN c.is_last AND c.op <> 'delete' AND n.row_data IS NULL
			            THEN 'the row is missing: it was deleted outside the log'
			            WHEN c.is_last AND c.op = 'delete' AND n.row_data IS NOT NULL
			            THEN 'the row exists but its last entry deleted it'
			            WHEN c.is_last AND c.op <> 'delete' AND n.row_data IS DISTINCT FROM c.row_data
			            THEN 'the row is not the one its last entry recorded: it was changed outside the log'
			       END
			  FROM ledger_chain c
			  LEFT JOIN rows_now n ON n.subject = c.subject AND n.subject_key = c.subject_key
			UNION ALL
			SELECT n.subject || ' ' || n.subject_key, 0, NULL, NULL, format('%s %s: the row has no ledger entries', n.subject, n.subject_key)
			  FROM rows_now n
			 WHERE NOT EXISTS (SELECT 1 FROM robot_registry.ledger l
			                    WHERE l.subject = n.subject AND l.subject_key = n.subject_key)
		), problems AS (
			SELECT * FROM robot_problems UNION ALL SELECT * FROM ledger_problems
		)
		SELECT q.robot_id, q.event_id, q.problem
		  FROM (SELECT DISTINCT ON (p.chain COLLATE "C") p.*
		          FROM problems p WHERE p.problem IS NOT NULL
		         ORDER BY p.chain COLLATE "C", p.rank, p.event_id NULLS FIRST) q
		 ORDER BY q.robot_id, q.chain COLLATE "C"
	$fn$;

CREATE FUNCTION robot_registry.verify(id @extschema@.robot_id)
	RETURNS TABLE (robot_id @extschema@.robot_id, event_id bigint, problem text)
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $fn$ SELECT * FROM robot_registry.broken_links(ARRAY[verify.id]) $fn$;
COMMENT ON FUNCTION robot_registry.verify(@extschema@.robot_id)
	IS 'first broken link of one robot''s history; no row when intact';

CREATE FUNCTION robot_registry.verify()
	RETURNS TABLE (robot_id @extschema@.robot_id, event_id bigint, problem text)
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $fn$ SELECT * FROM robot_registry.broken_links(NULL) $fn$;
COMMENT ON FUNCTION robot_registry.verify()
	IS 'first broken link of every robot history and ledger row that is broken; no rows when the registry is intact';

-- The root of the whole log up to an event: SHA-256 over the head of every
-- robot's chain and every ledger row's chain, in a fixed order.
CREATE FUNCTION robot_registry.log_root(upto bigint) RETURNS text
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
		SELECT encode(sha256(convert_to(upto::text || E'\n'
		       || coalesce(string_agg(h.chain || ' ' || encode(h.head, 'hex'), E'\n' ORDER BY h.chain COLLATE "C"), ''),
		       'UTF8')), 'hex')
		  FROM ((SELECT DISTINCT ON (e.robot_id) 'robot ' || e.robot_id::text AS chain, e.hash AS head
		           FROM robot_registry.events e WHERE e.event_id <= upto
		          ORDER BY e.robot_id, e.event_id DESC)
		        UNION ALL
		        (SELECT DISTINCT ON (l.subject, l.subject_key) l.subject || ' ' || l.subject_key, l.hash
		           FROM robot_registry.ledger l WHERE l.entry_id <= upto
		          ORDER BY l.subject, l.subject_key, l.entry_id DESC)) h
	$fn$;
REVOKE ALL ON FUNCTION robot_registry.log_root(bigint) FROM PUBLIC;

-- SECURITY DEFINER: the root covers every robot, and an auditor's role
-- (granted EXECUTE by an administrator) sees none under row-level
-- security.  It takes no argument a caller's type could reach.
--
-- Writers hold ROW EXCLUSIVE on the log while their transaction is open;
-- SHARE ROW EXCLUSIVE waits for them to finish and holds new ones back, so
-- no event numbered below the checkpoint can still appear after it.
-- New writes wait while the root is computed: take checkpoints in their
-- own transaction, at a quiet time.
CREATE FUNCTION robot_registry.checkpoint(OUT upto_event_id bigint, OUT root text)
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	IF current_setting('transaction_isolation') <> 'read committed' THEN
		RAISE EXCEPTION 'checkpoint() needs READ COMMITTED'
			USING ERRCODE = 'invalid_transaction_state',
			      DETAIL = 'It must see every transaction that committed before it took its lock.';
	END IF;
	LOCK TABLE robot_registry.events, robot_registry.ledger IN SHARE ROW EXCLUSIVE MODE;
	upto_event_id := greatest((SELECT max(e.event_id) FROM robot_registry.events e),
	                          (SELECT max(l.entry_id) FROM robot_registry.ledger l), 0);
	root := robot_registry.log_root(upto_event_id);
	INSERT INTO robot_registry.checkpoints (upto_event_id, root) VALUES (upto_event_id, root)
	ON CONFLICT ON CONSTRAINT checkpoints_pkey DO NOTHING;
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.checkpoint() FROM PUBLIC;
COMMENT ON FUNCTION robot_registry.checkpoint()
	IS 'the root of the whole log up to its newest event; keep each row outside the database';

-- True exactly when the log up to upto_event_id still hashes to root and
-- nothing in the registry contradicts its log (verify() is empty).
CREATE FUNCTION robot_registry.verify_checkpoint(upto_event_id bigint, root text) RETURNS boolean
	LANGUAGE sql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $fn$
		SELECT robot_registry.log_root(verify_checkpoint.upto_event_id) = lower(verify_checkpoint.root)
		       AND NOT EXISTS (SELECT 1 FROM robot_registry.broken_links(NULL))
	$fn$;
REVOKE ALL ON FUNCTION robot_registry.verify_checkpoint(bigint, text) FROM PUBLIC;
COMMENT ON FUNCTION robot_registry.verify_checkpoint(bigint, text)
	IS 'whether the log up to an event still hashes to a checkpoint''s root, and the registry agrees with its log';
-- 90: analyst views (security_invoker: each reader sees what RLS lets it)

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
            WHEN h.kind = 'moved' AND @extschema@.robot_state_can_transition(h.from_state, h.to_state) IS NOT TRUE
            THEN 'illegal move'
            WHEN h.kind <> 'moved' AND h.n > 1 AND h.from_state IS DISTINCT FROM h.to_state
            THEN 'state changed without a move'
            WHEN h.kind = 'registered' AND h.n > 1
            THEN 'registered twice'
       END AS rule
  FROM h
 WHERE (h.n = 1 AND (h.kind <> 'registered' OR h.to_state <> 'manufactured'))
    OR (h.n > 1 AND h.from_state IS DISTINCT FROM h.previous_state)
    OR (h.kind = 'moved' AND @extschema@.robot_state_can_transition(h.from_state, h.to_state) IS NOT TRUE)
    OR (h.kind <> 'moved' AND h.n > 1 AND h.from_state IS DISTINCT FROM h.to_state)
    OR (h.kind = 'registered' AND h.n > 1);

-- How long robots stay in each state, over completed stays with finite
-- times.
CREATE VIEW robot_registry.time_in_state WITH (security_invoker = true) AS
WITH stays AS (
	SELECT e.to_state AS state,
	       lead(e.at) OVER (PARTITION BY e.robot_id ORDER BY e.event_id) - e.at AS duration
	  FROM robot_registry.events e
	 WHERE e.kind IN ('registered', 'moved') AND isfinite(e.at)
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

-- 95: a synthetic national registry, for demos and benchmarks.

-- Robots are generated in batches, with a NOTICE of progress, in one
-- transaction: a procedure that pins its search_path may not commit.  Histories are dated over the last two years.  Administrators
-- only: it writes as the registry, not as an actor.
CREATE PROCEDURE robot_registry.generate_demo(robots integer DEFAULT 28000,
	manufacturers integer DEFAULT 100, models_per_manufacturer integer DEFAULT 2,
	seed double precision DEFAULT 0.42, batch_size integer DEFAULT 10000)
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
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

	CREATE TEMP TABLE IF NOT EXISTS demo_batch (id @extschema@.robot_id PRIMARY KEY, born timestamptz);
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
		TRUNCATE demo_batch;

		done := done + n;
		RAISE NOTICE 'generate_demo: % of % robots (% s)', done, robots,
			round(extract(epoch FROM clock_timestamp() - started)::numeric, 1);
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
