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
		IF FOUND AND robot.state = transition.to_state THEN
			RAISE EXCEPTION 'robot % is already %', transition.id, transition.to_state
				USING ERRCODE = 'check_violation', CONSTRAINT = 'robot_lifecycle_transition',
				      SCHEMA = 'robot_registry', TABLE = 'robots',
				      DETAIL = 'transition() moves a robot to another state.',
				      HINT = 'Another move may have reached this state first; relocate() changes the location.';
		ELSIF FOUND THEN
			-- seen, but not held: row-level security left it out
			PERFORM robot_registry.refuse_custody(transition.id, robot_registry.actor_party(), robot.custodian IS NULL);
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
	n bigint;
BEGIN
	PERFORM robot_registry.set_detail(relocate.detail);
	UPDATE robot_registry.robots r SET location = relocate.location
	 WHERE r.id OPERATOR(@extschema@.=) relocate.id;
	GET DIAGNOSTICS n = ROW_COUNT;
	PERFORM robot_registry.set_detail(NULL);
	SELECT * INTO robot FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) relocate.id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'robot % is not registered, or not visible to you', relocate.id
			USING ERRCODE = 'no_data_found';
	ELSIF n = 0 AND robot.location IS DISTINCT FROM relocate.location AND NOT robot_registry.is_administrator() THEN
		PERFORM robot_registry.refuse_custody(relocate.id, robot_registry.actor_party(), robot.custodian IS NULL);
	END IF;
	RETURN robot;
END
$fn$;
COMMENT ON FUNCTION robot_registry.relocate(@extschema@.robot_id, text, jsonb)
	IS 'record where a robot is now, as an event in its log';

-- defect_category names the defect category the recall answers (see
-- 65_defects.sql); NULL answers none.
CREATE FUNCTION robot_registry.open_recall(model_key text, reason text,
	serial_from text DEFAULT '00000000000000000', serial_to text DEFAULT '99999999999999999',
	defect_category text DEFAULT NULL)
	RETURNS bigint
	LANGUAGE sql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
		INSERT INTO robot_registry.recalls (model_key, reason, serial_from, serial_to, defect_category)
		VALUES (open_recall.model_key, open_recall.reason, open_recall.serial_from, open_recall.serial_to,
		        open_recall.defect_category)
		RETURNING recall_id
	$fn$;
COMMENT ON FUNCTION robot_registry.open_recall(text, text, text, text, text)
	IS 'open a recall for a model key, optionally a range of serials and the defect category it answers; flags every robot it covers';

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
		-- a locking read applies the UPDATE policy: a robot the caller sees
		-- but its party does not hold is left out of it
		SELECT * INTO robot FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) remedy.id;
		IF FOUND THEN
			PERFORM robot_registry.refuse_custody(remedy.id, robot_registry.actor_party(), robot.custodian IS NULL);
		END IF;
		RAISE EXCEPTION 'robot % is not registered, or not visible to you', remedy.id
			USING ERRCODE = 'no_data_found';
	END IF;
	IF robot.custodian IS DISTINCT FROM robot_registry.actor_party() AND NOT robot_registry.is_administrator() THEN
		PERFORM robot_registry.refuse_custody(remedy.id, robot_registry.actor_party(), robot.custodian IS NULL);
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
			'custodian', r.custodian,
			'location', r.location,
			'refurbished_from', r.refurbished_from::text,
			'recall', jsonb_build_object(
				'recalled', r.recalled,
				'open_recalls', coalesce((
					SELECT jsonb_agg(jsonb_build_object('recall_id', c.recall_id, 'reason', c.reason,
					                                    'defect_category', c.defect_category,
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

