-- 40: robots: rules, actors, recall holds and the log.

CREATE TRIGGER robots_lifecycle BEFORE INSERT OR UPDATE OR DELETE ON robot_registry.robots
	FOR EACH ROW EXECUTE FUNCTION @extschema@.robot_lifecycle_guard();
CREATE TRIGGER robots_no_truncate BEFORE TRUNCATE ON robot_registry.robots
	FOR EACH STATEMENT EXECUTE FUNCTION robot_registry.refuse_change();

-- As the caller: what this actor may do, and who did it.  One look-up of
-- the caller's mapping and the move: this runs on every registry write.
-- Actors write no timestamps and no authorship: both are stamped here.
-- Custody: an actor changes only robots its party holds (row-level
-- security leaves the others out of an UPDATE; this refuses any that
-- reaches it).  A sale hands the robot to the buyer: the party named in
-- the sale's detail ->> 'party' (or in custodian) if that party is known,
-- else a private owner (custodian NULL, owner_name).  A change of
-- custodian without a move is a hand-over, to a known party that may
-- receive the robot in its state (party_may_receive()).
-- Edits without a move: the owner changes only with a sale; the location
-- is kept by the kinds that handle the robot (operators, service
-- providers, recyclers, its manufacturer); sellers and regulators edit
-- nothing.  An update that changes nothing is skipped and logs nothing.
-- Administrators (and the registry's own triggers, which run as its owner)
-- are not mapped; they name the actor they act for with
-- robot_registry.act_as(), may date an import of history through
-- updated_at, and are not held to custody (log_robot() notes in the event
-- when they act for an actor whose party did not hold the robot).
CREATE FUNCTION robot_registry.check_actor() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	old_state @extschema@.robot_state := CASE WHEN TG_OP = 'UPDATE' THEN OLD.state END;
	internal text := coalesce(current_setting('robot_registry.internal', true), '');
	my_kind robot_registry.actor_kind;
	my_party text;
	my_maker text;
	allowed boolean;
	buyer text;
	-- registrations and changes come through two triggers (see below)
	expected name := CASE WHEN TG_OP = 'INSERT' THEN 'robots_actor_register' ELSE 'robots_actor' END;
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.robots'::regclass OR TG_NAME IS DISTINCT FROM expected THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.robots', expected);
	END IF;
	-- A robot is changed only once its registration is logged and held:
	-- both happen when the statement that registers it ends, and a
	-- function called by that statement (a writable CTE's SELECT) could
	-- otherwise sell it before a recall holds it, or log a change ahead of
	-- its registration.  Only a row never changed since it was registered
	-- (revision 1) pays the look-up.
	IF TG_OP = 'UPDATE' AND OLD.revision = 1 AND NOT EXISTS (
		SELECT 1 FROM robot_registry.events e WHERE e.robot_id OPERATOR(@extschema@.=) OLD.id) THEN
		RAISE EXCEPTION 'robot % is being registered by this statement', OLD.id
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      DETAIL = 'Its registration is logged, and any recall applied, when the statement that registers it ends.',
			      HINT = 'Move or edit it in a later statement.';
	END IF;
	NEW.revision := CASE WHEN TG_OP = 'UPDATE' THEN OLD.revision + 1 ELSE 1 END;
	-- Two look-ups with plans that never change, rather than one join
	-- whose plan depends on the row: PL/pgSQL would plan that again for
	-- every row, which is most of what a bulk registration costs.
	SELECT a.kind, a.party, a.manufacturer_key INTO my_kind, my_party, my_maker
	  FROM robot_registry.actors a WHERE a.role_name = current_user;
	IF old_state IS NULL THEN
		allowed := my_kind = 'manufacturer';
	ELSIF old_state = NEW.state THEN
		allowed := true;
	ELSE
		allowed := EXISTS (SELECT 1 FROM robot_registry.actor_moves m
		                    WHERE m.kind = my_kind AND m.from_state = old_state AND m.to_state = NEW.state);
	END IF;
	-- the buyer of a sale, for actors and administrators alike
	IF TG_OP = 'UPDATE' AND NEW.state = 'sold' AND old_state <> 'sold' THEN
		buyer := nullif(current_setting('robot_registry.detail', true), '')::jsonb ->> 'party';
		IF buyer IS NULL OR NOT robot_registry.party_known(buyer) THEN
			buyer := CASE WHEN NEW.custodian IS DISTINCT FROM OLD.custodian
			               AND robot_registry.party_known(NEW.custodian) THEN NEW.custodian END;
		END IF;
	END IF;
	IF my_kind IS NULL THEN
		IF NOT robot_registry.is_administrator() THEN
			RAISE EXCEPTION 'role % is not a registry actor', current_user
				USING ERRCODE = 'insufficient_privilege',
				      HINT = 'An administrator maps roles in robot_registry.actors.';
		END IF;
		-- the registry's own changes name their actor in changed_by
		IF internal = '' THEN
			NEW.changed_by := coalesce(nullif(current_setting('robot_registry.actor', true), ''), current_user);
			-- an administrator's sale hands over as an actor's does, unless
			-- it names the new custodian itself (any party: an import may
			-- name parties not yet mapped)
			IF TG_OP = 'UPDATE' AND NEW.state = 'sold' AND old_state <> 'sold'
			   AND NEW.custodian IS NOT DISTINCT FROM OLD.custodian THEN
				NEW.custodian := buyer;
			END IF;
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
	END IF;
	IF TG_OP = 'UPDATE' AND OLD.custodian IS DISTINCT FROM my_party THEN
		PERFORM robot_registry.refuse_custody(OLD.id, my_party, OLD.custodian IS NULL);
	ELSIF my_maker IS NOT NULL AND TG_OP = 'UPDATE' AND @extschema@.robot_id_manufacturer_key(OLD.id) <> my_maker THEN
		-- a party with a manufacturer's login and another kind's may hold
		-- other makers' robots: the manufacturer's login changes none
		RAISE EXCEPTION 'a manufacturer may not change robot %: it is another manufacturer''s', OLD.id
			USING ERRCODE = 'insufficient_privilege',
			      HINT = 'Another login of the party, of a kind that may, makes the change.';
	END IF;
	IF NOT allowed THEN
		RAISE EXCEPTION '% may not move robot % from % to %',
			robot_registry.actor_name(my_kind), NEW.id, old_state, NEW.state
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF TG_OP = 'INSERT' THEN
		-- a source the caller may not see answers as an unregistered code,
		-- exactly as the foreign key would (a separate test, so that the
		-- look-up's plan does not depend on whether there is a source)
		IF NEW.refurbished_from IS NOT NULL THEN
			PERFORM robot_registry.check_rebuild_source(NEW.id, NEW.refurbished_from, my_party);
		END IF;
		NEW.custodian := my_party;
		NEW.registered_at := now();
	ELSE
		IF NEW.owner_name IS DISTINCT FROM OLD.owner_name
		   AND NOT (NEW.state = 'sold' AND old_state <> 'sold') THEN
			RAISE EXCEPTION '% may not change the owner of robot %', robot_registry.actor_name(my_kind), NEW.id
				USING ERRCODE = 'insufficient_privilege',
				      HINT = 'The owner changes with a sale: transition(id, ''sold'', ''{"owner": "..."}'').';
		END IF;
		IF NEW.state = 'sold' AND old_state <> 'sold' THEN
			-- a buyer party is one that may take a sold robot, as a hand-over's
			-- receiver must be (not the regulator's, not another maker's)
			IF buyer IS NOT NULL THEN
				PERFORM robot_registry.check_receiver(NEW.id, buyer, NEW.state);
			END IF;
			NEW.custodian := buyer;
		ELSIF NEW.custodian IS DISTINCT FROM OLD.custodian THEN
			IF NEW.state <> old_state THEN
				RAISE EXCEPTION 'robot % cannot be moved and handed over in one change', NEW.id
					USING ERRCODE = 'invalid_parameter_value',
					      HINT = 'Move it, then hand it over with hand_over(); a sale hands it to its buyer by itself.';
			END IF;
			PERFORM robot_registry.check_receiver(NEW.id, NEW.custodian, NEW.state);
		END IF;
		IF NEW.state = old_state AND NEW.location IS NOT DISTINCT FROM OLD.location
		   AND NEW.custodian IS NOT DISTINCT FROM OLD.custodian THEN
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
CREATE TRIGGER robots_actor BEFORE UPDATE ON robot_registry.robots
	FOR EACH ROW EXECUTE FUNCTION robot_registry.check_actor();

-- Registrations: who may register is the same for every row of a statement
-- (the caller's mapping), so it is checked once, before the first row, with
-- check_actor()'s errors in check_actor()'s order.  check_actor() then runs
-- only for a row it could change or refuse: one with a rebuild source to
-- look for, stamps that are not the defaults it would write (an actor may
-- not write them: column grants; an administrator may), or an actor or
-- internal kind named for the transaction.  Any other row already holds
-- exactly what check_actor() would leave in it, and row-level security
-- checks its manufacturer.  A bulk registration (issue_codes()) pays one
-- check, not one per code.
CREATE FUNCTION robot_registry.check_registrar() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	my_kind robot_registry.actor_kind;
	my_party text;
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.robots'::regclass OR TG_NAME IS DISTINCT FROM 'robots_registrar' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.robots', 'robots_registrar');
	END IF;
	SELECT a.kind, a.party INTO my_kind, my_party FROM robot_registry.actors a WHERE a.role_name = current_user;
	IF my_kind IS NULL THEN
		IF NOT robot_registry.is_administrator() THEN
			RAISE EXCEPTION 'role % is not a registry actor', current_user
				USING ERRCODE = 'insufficient_privilege',
				      HINT = 'An administrator maps roles in robot_registry.actors.';
		END IF;
		-- an administrator's new robots are held by the party of the actor
		-- it acts for, if any (or by the custodian it writes)
		PERFORM set_config('robot_registry.registering_party', coalesce(
			(SELECT a.party FROM robot_registry.actors a
			  WHERE a.role_name = nullif(current_setting('robot_registry.actor', true), '')), ''), true);
		RETURN NULL;
	END IF;
	-- the default of custodian: the registrar's party (check_registered_by()
	-- refuses any other, should the statement change this setting)
	PERFORM set_config('robot_registry.registering_party', my_party, true);
	IF coalesce(current_setting('robot_registry.internal', true), '') <> '' THEN
		RAISE EXCEPTION 'robot_registry.internal is reserved for the registry''s own changes'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF my_kind <> 'manufacturer' THEN
		RAISE EXCEPTION '% may not register robots', robot_registry.actor_name(my_kind)
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN NULL;
END
$fn$;
CREATE TRIGGER robots_registrar BEFORE INSERT ON robot_registry.robots
	FOR EACH STATEMENT EXECUTE FUNCTION robot_registry.check_registrar();

-- After the statement: the role checked before it registered every row.  A
-- role that may become another (SET ROLE, or set_config('role') inside the
-- statement) could otherwise register rows after the check in the name of
-- a role that may not register (check_actor() looked the caller up row by
-- row).  Administrators, who may name any actor (act_as()), are not
-- checked.
CREATE FUNCTION robot_registry.check_registered_by() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	other name;
	stray @extschema@.robot_id;
	my_kind robot_registry.actor_kind;
	my_party text;
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.robots'::regclass OR TG_NAME IS DISTINCT FROM 'robots_registered_by' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.robots', 'robots_registered_by');
	END IF;
	IF robot_registry.is_administrator() THEN
		RETURN NULL;
	END IF;
	SELECT a.kind, a.party INTO my_kind, my_party FROM robot_registry.actors a WHERE a.role_name = current_user;
	SELECT n.changed_by, n.id INTO other, stray FROM registered n
	 WHERE n.changed_by IS DISTINCT FROM current_user OR n.custodian IS DISTINCT FROM my_party LIMIT 1;
	IF FOUND AND other IS DISTINCT FROM current_user THEN
		RAISE EXCEPTION 'robots registered by more than one role in one statement: % and %', other, current_user
			USING ERRCODE = 'insufficient_privilege',
			      HINT = 'A statement that registers robots runs as one manufacturer.';
	ELSIF my_kind IS DISTINCT FROM 'manufacturer' THEN
		RAISE EXCEPTION 'role % may not register robots', current_user
			USING ERRCODE = 'insufficient_privilege';
	ELSIF FOUND THEN
		RAISE EXCEPTION 'robot % is registered as held by another party than its registrar''s, %', stray, my_party
			USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'robot_custody',
			      DETAIL = 'A new robot is held by the party of the login that registers it.';
	END IF;
	RETURN NULL;
END
$fn$;
CREATE TRIGGER robots_registered_by AFTER INSERT ON robot_registry.robots
	REFERENCING NEW TABLE AS registered
	FOR EACH STATEMENT EXECUTE FUNCTION robot_registry.check_registered_by();
CREATE TRIGGER robots_actor_register BEFORE INSERT ON robot_registry.robots
	FOR EACH ROW WHEN (NEW.refurbished_from IS NOT NULL
	                   OR NEW.revision IS DISTINCT FROM 1
	                   OR NEW.changed_by IS DISTINCT FROM current_user
	                   OR NEW.registered_at IS DISTINCT FROM now()
	                   OR NEW.updated_at IS DISTINCT FROM now()
	                   OR coalesce(current_setting('robot_registry.actor', true), '') <> ''
	                   OR coalesce(current_setting('robot_registry.internal', true), '') <> '')
	EXECUTE FUNCTION robot_registry.check_actor();

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
	missing text;
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.robots'::regclass OR TG_NAME IS DISTINCT FROM 'robots_recall_on_register' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.robots', 'robots_recall_on_register');
	END IF;
	-- No code, no market access starts at the catalogue: every new robot's
	-- model is in it.  What a foreign key would check row by row, checked
	-- once for the statement.  The gate row written next refers to the
	-- model (model_gates' foreign key, which waits for a concurrent delete
	-- of the model and then fails), and is never deleted
	-- (model_gates_kept), so the model stays while any robot of it does.
	SELECT n.model_key INTO missing
	  FROM (SELECT DISTINCT r.model_key FROM registered r) n
	 WHERE NOT EXISTS (SELECT 1 FROM robot_registry.models m WHERE m.model_key = n.model_key)
	 ORDER BY n.model_key LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'model % is not in the catalogue', missing
			USING ERRCODE = 'foreign_key_violation', SCHEMA = 'robot_registry', TABLE = 'robots', COLUMN = 'model_key',
			      DETAIL = format('Key (model_key)=(%s) is not present in table "models".', missing),
			      HINT = 'An administrator adds models to robot_registry.models.';
	END IF;
	-- Updated, not only locked: a recall change at REPEATABLE READ must
	-- fail (40001) on a registration it cannot see.  Once per transaction
	-- (registered_in holds the top transaction's id, the same in every
	-- subtransaction): a row this transaction already wrote stays locked
	-- until it ends, and a transaction that registers a model's robots one
	-- by one would otherwise leave a version of the row per registration,
	-- each look-up walking them all.
	INSERT INTO robot_registry.model_gates AS g (model_key, registrations, registered_in)
	SELECT n.model_key, count(*), pg_current_xact_id() FROM registered n GROUP BY n.model_key ORDER BY n.model_key
	ON CONFLICT (model_key) DO UPDATE
	SET registrations = g.registrations + excluded.registrations, registered_in = excluded.registered_in
	WHERE g.registered_in IS DISTINCT FROM excluded.registered_in;

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
-- A model's gate stands for its robots: it is never deleted, and its
-- foreign key keeps the model in the catalogue.
CREATE TRIGGER model_gates_kept BEFORE DELETE ON robot_registry.model_gates
	FOR EACH ROW EXECUTE FUNCTION robot_registry.refuse_change();
CREATE TRIGGER model_gates_no_truncate BEFORE TRUNCATE ON robot_registry.model_gates
	FOR EACH STATEMENT EXECUTE FUNCTION robot_registry.refuse_change();

-- As the registry: every change to a robot is one event, with the detail
-- the application function passed along and the hash of the row it left.
-- Registrations are logged once per statement, in one INSERT: a batch of
-- codes issued by issue_codes() costs one statement, not one per code.
-- Their events come before any recall hold the same statement puts on the
-- new robots (robots_log_registered fires before robots_recall_on_register,
-- in name order).  Changes are logged row by row.
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
	expected name := 'robots_log';
BEGIN
	IF TG_LEVEL = 'STATEMENT' THEN
		expected := 'robots_log_registered';
	END IF;
	IF TG_RELID IS DISTINCT FROM 'robot_registry.robots'::regclass OR TG_NAME IS DISTINCT FROM expected THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.robots', expected);
	END IF;
	-- the keys the registry writes itself are never taken from the caller:
	-- a caller's "custody" would claim a holder the robot never had, its
	-- "refurbished_from" a source the robot was not rebuilt from
	detail := coalesce(nullif(current_setting('robot_registry.detail', true), '')::jsonb, '{}')
	          - ARRAY['custody', 'changed', 'administrator', 'refurbished_from'];
	IF TG_LEVEL = 'STATEMENT' THEN
		-- Chained here in one statement, not by events_chain row by row (it
		-- fires only for an event that comes without its hash), and hashed
		-- here, not by robot_row_hash() and event_hash(): each call of a
		-- routine with a pinned search_path sets and restores that setting,
		-- which costs as much as the hash.  The expressions are theirs, field
		-- for field, joined with || rather than concat_ws() (the same text:
		-- quote_nullable() is never NULL; concat_ws() passes each argument
		-- through its output function and copies it again, a fifth slower
		-- here); sql/registry_issue.sql
		-- checks that issued events, odd rows included, hash as event_hash()
		-- and robot_row_hash() hash them, and verify() calls those.  A new robot
		-- heads a new chain: its code was never registered (robots are never
		-- deleted, and the primary key holds every code), so it has no
		-- events, and prev_hash is NULL, as events_chain would find it
		-- without looking.  Only an owner who deleted a robot's row and kept
		-- its events could register the code again with a history, and
		-- verify() reports that registration (its prev_hash is not the last
		-- event's), where events_chain would have linked it to that history.
		-- Event ids are taken in code order, in a query that is not
		-- flattened (it calls nextval()), so each hash covers its own id.
		INSERT INTO robot_registry.events
			(event_id, robot_id, kind, from_state, to_state, recalled, detail, actor, at, prev_hash, hash, row_hash)
		SELECT e.event_id, e.robot_id, e.kind, e.from_state, e.to_state, e.recalled, e.detail, e.actor, e.at, e.prev_hash,
		       sha256(convert_to(
		           quote_nullable(encode(e.prev_hash, 'hex')) || '|' || quote_nullable(e.event_id::text) || '|' ||
		           quote_nullable(e.robot_id::text) || '|' || quote_nullable(e.kind) || '|' ||
		           quote_nullable(e.from_state::text) || '|' || quote_nullable(e.to_state::text) || '|' ||
		           quote_nullable(e.recalled::text) || '|' || quote_nullable(e.detail::text) || '|' ||
		           quote_nullable(e.actor::text) || '|' ||
		           quote_nullable(CASE WHEN isfinite(e.at) THEN (extract(epoch FROM e.at) * 1000000)::numeric(20,0)::text
		                               ELSE e.at::text END) || '|' ||
		           quote_nullable(encode(e.row_hash, 'hex')), 'UTF8')),
		       e.row_hash
		  FROM (SELECT nextval('robot_registry.log_sequence') AS event_id, o.id AS robot_id, 'registered'::text AS kind,
		               NULL::@extschema@.robot_state AS from_state, o.state AS to_state, o.recalled, o.detail,
		               o.changed_by AS actor, o.updated_at AS at, o.prev_hash, o.row_hash
		          FROM (SELECT n.id, n.state, n.recalled, n.changed_by, n.updated_at,
		                       CASE WHEN n.refurbished_from IS NULL THEN detail
		                            ELSE detail || jsonb_build_object('refurbished_from', n.refurbished_from::text)
		                       END AS detail,
		                       NULL::bytea AS prev_hash,
		                       sha256(convert_to(
		                           quote_nullable(n.id::text) || '|' || quote_nullable(n.state::text) || '|' ||
		                           quote_nullable(n.recalled::text) || '|' || quote_nullable(n.refurbished_from::text) || '|' ||
		                           quote_nullable(n.owner_name) || '|' || quote_nullable(n.location) || '|' ||
		                           quote_nullable(CASE WHEN isfinite(n.registered_at)
		                                               THEN (extract(epoch FROM n.registered_at) * 1000000)::numeric(20,0)::text
		                                               ELSE n.registered_at::text END) || '|' ||
		                           quote_nullable(CASE WHEN isfinite(n.updated_at)
		                                               THEN (extract(epoch FROM n.updated_at) * 1000000)::numeric(20,0)::text
		                                               ELSE n.updated_at::text END) || '|' ||
		                           quote_nullable(n.changed_by::text) || '|' || quote_nullable(n.revision::text) || '|' ||
		                           quote_nullable(n.custodian), 'UTF8')) AS row_hash
		                  FROM registered n
		                 ORDER BY n.id) o) e;
		RETURN NULL;
	END IF;
	internal := coalesce(current_setting('robot_registry.internal', true), '');
	IF NEW.owner_name IS DISTINCT FROM OLD.owner_name THEN
		changes := changes || jsonb_build_object('owner', NEW.owner_name);
	END IF;
	IF NEW.location IS DISTINCT FROM OLD.location THEN
		changes := changes || jsonb_build_object('location', NEW.location);
	END IF;
	IF NEW.refurbished_from::text IS DISTINCT FROM OLD.refurbished_from::text THEN
		changes := changes || jsonb_build_object('refurbished_from', NEW.refurbished_from::text);
	END IF;
	IF NEW.custodian IS DISTINCT FROM OLD.custodian THEN
		changes := changes || jsonb_build_object('custodian', NEW.custodian);
		-- both parties of every change of hands are in the robot's chain
		detail := detail || jsonb_build_object('custody', jsonb_build_object('from', OLD.custodian, 'to', NEW.custodian));
		-- a private owner's robot has a row in transfer_codes, naming the
		-- party that handed it over (which alone issues its transfer codes);
		-- any code left is void once a party holds it again
		IF NEW.custodian IS NULL THEN
			INSERT INTO robot_registry.transfer_codes AS t (robot_id, handed_by)
			VALUES (NEW.id, OLD.custodian)
			ON CONFLICT (robot_id) DO UPDATE
			SET handed_by = excluded.handed_by, code_hash = NULL, issued_at = NULL, issued_by = NULL;
		ELSIF OLD.custodian IS NULL THEN
			UPDATE robot_registry.transfer_codes t SET code_hash = NULL
			 WHERE t.robot_id OPERATOR(@extschema@.=) NEW.id AND t.code_hash IS NOT NULL;
		END IF;
	END IF;
	kind := CASE WHEN NEW.state IS DISTINCT FROM OLD.state THEN 'moved'
	             WHEN internal <> '' THEN internal
	             WHEN NEW.custodian IS DISTINCT FROM OLD.custodian THEN 'handed over'
	             WHEN NEW.recalled AND NOT OLD.recalled THEN 'recalled'
	             WHEN OLD.recalled AND NOT NEW.recalled THEN 'remedied'
	             ELSE 'edited' END;
	-- what else the change did (a new owner with a sale, a location with a
	-- move) is in the history, not only in the row's hash
	IF kind = 'edited' OR changes <> '{}' THEN
		detail := detail || jsonb_build_object('changed', changes);
	END IF;
	-- An administrator acting for an actor (act_as()) is not held to
	-- custody; when that actor's party did not hold the robot, the event
	-- says so and names the administrator.  An actor's own change (its
	-- login, or a role it set) never pays the look-up but when a session
	-- acts through SET ROLE.  Two tests, not one: a condition with a
	-- subquery is a query PL/pgSQL starts anew in every transaction, a
	-- simple one is not, and this runs on every move.
	IF NEW.changed_by IS DISTINCT FROM session_user AND internal = '' THEN
		IF NOT EXISTS (SELECT 1 FROM robot_registry.actors a
		                WHERE a.role_name = NEW.changed_by AND a.party IS NOT DISTINCT FROM OLD.custodian) THEN
			detail := detail || jsonb_build_object('administrator', session_user::text);
		END IF;
	END IF;
	-- a simple assignment, so that the hash function's plan is kept for
	-- the session rather than made again in every INSERT
	new_row_hash := robot_registry.robot_row_hash(NEW);
	INSERT INTO robot_registry.events (robot_id, kind, from_state, to_state, recalled, detail, actor, at, row_hash)
	VALUES (NEW.id, kind, OLD.state, NEW.state, NEW.recalled, detail, NEW.changed_by, NEW.updated_at, new_row_hash)
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
CREATE TRIGGER robots_log AFTER UPDATE ON robot_registry.robots
	FOR EACH ROW EXECUTE FUNCTION robot_registry.log_robot();
CREATE TRIGGER robots_log_registered AFTER INSERT ON robot_registry.robots
	REFERENCING NEW TABLE AS registered
	FOR EACH STATEMENT EXECUTE FUNCTION robot_registry.log_robot();
