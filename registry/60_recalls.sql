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
			NEW.closer_kind := coalesce(NEW.closer_kind,
				(SELECT a.kind FROM robot_registry.actors a WHERE a.role_name = NEW.closed_by));
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
		NEW.closer_kind := NULL;
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
	NEW.closer_kind := my_kind;
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

-- The robots rebuilt, directly or through other rebuilds, from robots of
-- a model's serial range, that are still in service: a recall of the
-- range holds them too, so that a rebuild is never on the market while a
-- recall holds its source.
CREATE FUNCTION robot_registry.rebuilds_of(low @extschema@.robot_id, high @extschema@.robot_id)
	RETURNS SETOF @extschema@.robot_id
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
		WITH RECURSIVE rebuilt(id, state) AS (
			SELECT r.id, r.state FROM robot_registry.robots r
			 WHERE r.refurbished_from OPERATOR(@extschema@.>=) low AND r.refurbished_from OPERATOR(@extschema@.<=) high
			   AND NOT (r.id OPERATOR(@extschema@.>=) low AND r.id OPERATOR(@extschema@.<=) high)
			UNION
			SELECT r.id, r.state FROM robot_registry.robots r JOIN rebuilt b ON r.refurbished_from OPERATOR(@extschema@.=) b.id
		)
		SELECT b.id FROM rebuilt b WHERE b.state NOT IN ('recycled', 'retired')
	$fn$;
REVOKE ALL ON FUNCTION robot_registry.rebuilds_of(@extschema@.robot_id, @extschema@.robot_id) FROM PUBLIC;

-- As the registry: opening a recall flags every robot it covers that is
-- still in service, and every rebuild of one (rebuilds_of()), and logs the
-- recall in each robot's history.
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
	-- from here every registration of the model that committed is visible,
	-- and every rebuild from a robot of the range (a rebuild locks its
	-- source FOR SHARE: check_rebuild_source())
	covered := ARRAY(SELECT c.id FROM (
	                   SELECT r.id FROM robot_registry.robots r
	                    WHERE r.id OPERATOR(@extschema@.>=) low AND r.id OPERATOR(@extschema@.<=) high
	                      AND r.state NOT IN ('recycled', 'retired')
	                   UNION
	                   SELECT b FROM robot_registry.rebuilds_of(low, high) b) c
	                  ORDER BY c.id);
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
