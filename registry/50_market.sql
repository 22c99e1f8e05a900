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
	-- a robot whose registration its statement has not yet logged and held
	-- (see check_actor()) takes no market event, from anyone
	IF NEW.robot_id IS NOT NULL AND NOT EXISTS (
		SELECT 1 FROM robot_registry.events e WHERE e.robot_id OPERATOR(@extschema@.=) NEW.robot_id)
	   AND EXISTS (SELECT 1 FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) NEW.robot_id) THEN
		RAISE EXCEPTION 'robot % is being registered by this statement', NEW.robot_id
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      DETAIL = 'Its registration is logged, and any recall applied, when the statement that registers it ends.',
			      HINT = 'Record its market events in a later statement.';
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
	-- only the robot's holder records its market events (policy
	-- market_record); say so, rather than the policy's bare refusal
	IF NEW.robot_id IS NOT NULL AND NOT EXISTS (
		SELECT 1 FROM robot_registry.robots r
		 WHERE r.id OPERATOR(@extschema@.=) NEW.robot_id AND r.custodian = robot_registry.actor_party()) THEN
		PERFORM robot_registry.refuse_custody(NEW.robot_id, robot_registry.actor_party(),
			(SELECT r.custodian IS NULL FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) NEW.robot_id));
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
