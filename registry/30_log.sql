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
-- left behind, so verify() sees any change that bypassed the log.  The
-- expression is written out again in log_robot()'s bulk registration
-- (40_robots.sql), as is event_hash()'s: change them together.
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
			quote_nullable(r.changed_by::text), quote_nullable(r.revision::text), quote_nullable(r.custodian)), 'UTF8'));
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
	SET enable_seqscan = off
	AS $fn$
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.events'::regclass OR TG_NAME IS DISTINCT FROM 'events_chain' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.events', 'events_chain');
	END IF;
	-- The robot's events through events_robot, then the newest of them.
	-- Never the newest events first until one is the robot's: that plan
	-- looks cheapest to a generic plan made while the log was small, and
	-- reads the whole log for every new robot of a bulk registration in
	-- the same session (seq scans are off for this function, and "+ 0"
	-- keeps the primary key's order from being of use).
	SELECT e.hash INTO NEW.prev_hash
	  FROM robot_registry.events e
	 WHERE e.robot_id OPERATOR(@extschema@.=) NEW.robot_id
	 ORDER BY e.event_id + 0 DESC LIMIT 1;
	NEW.hash := robot_registry.event_hash(NEW);
	RETURN NEW;
END
$fn$;

CREATE FUNCTION robot_registry.chain_ledger() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	SET enable_seqscan = off
	AS $fn$
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.ledger'::regclass OR TG_NAME IS DISTINCT FROM 'ledger_chain' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.ledger', 'ledger_chain');
	END IF;
	-- the row's entries through ledger_chain, as in chain_event()
	SELECT l.hash INTO NEW.prev_hash
	  FROM robot_registry.ledger l
	 WHERE l.subject = NEW.subject AND l.subject_key = NEW.subject_key
	 ORDER BY l.entry_id + 0 DESC LIMIT 1;
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
		      HINT = CASE TG_TABLE_NAME
		                  WHEN 'model_gates' THEN 'A model''s gate keeps the model in the catalogue while it has robots.'
		                  ELSE 'Record a new event instead.' END;
END
$fn$;

-- An event that comes with its hash was chained by log_robot()'s bulk
-- registration, as this trigger would have.  Only the registry's owner
-- (its definer functions, its administrators) may write events at all, and
-- verify() recomputes every hash and link, so a hash supplied otherwise is
-- an owner's tamper, and found as any other.
CREATE TRIGGER events_chain BEFORE INSERT ON robot_registry.events
	FOR EACH ROW WHEN (NEW.hash IS NULL) EXECUTE FUNCTION robot_registry.chain_event();
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
		       WHEN 'defect_reports' THEN r ->> 'report_id'
		       WHEN 'defect_thresholds' THEN r ->> 'category'
		       WHEN 'defect_crossings' THEN r ->> 'crossing_id'
		       WHEN 'defect_waivers' THEN r ->> 'crossing_id'
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
	   ('manufacturers', 'models', 'actors', 'actor_moves', 'recalls', 'recall_robots',
	    'defect_reports', 'defect_thresholds', 'defect_crossings', 'defect_waivers') THEN
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
	               THEN r ->> 'remedied_by'
	               -- reports, thresholds set, crossings and waivers are stamped too
	               WHEN TG_TABLE_NAME = 'defect_reports' THEN r ->> 'reported_by'
	               WHEN TG_TABLE_NAME = 'defect_thresholds' AND TG_OP <> 'DELETE' THEN r ->> 'set_by'
	               WHEN TG_TABLE_NAME = 'defect_crossings' THEN r ->> 'crossed_by'
	               WHEN TG_TABLE_NAME = 'defect_waivers' THEN r ->> 'waived_by' END;
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
