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
		  FROM (SELECT g, ('x' || encode(substring(uuid_send(gen_random_uuid()) FROM 9), 'hex'))::bit(64)::bigint
		                  & 144115188075855871 AS serial
		          FROM generate_series(1, how_many + how_many / 2 + 64) g) d
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
	issued integer := 0;
	short integer;
	got integer;
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

	-- random: keep drawing until how_many new codes are registered.
	-- Collisions are rare (a registry of a billion codes of one model
	-- fills 1% of its space), so this is nearly always one round.  The
	-- codes are made before they are compared with robots: a join clause
	-- that calls make_robot_id() on the other side's column is not
	-- leakproof, so under row-level security it could not be an index
	-- condition and would be checked against every visible robot.  One
	-- sort both drops a draw that repeats another and orders the codes.
	PERFORM robot_registry.set_detail(jsonb_build_object('issued', 'random'));
	LOOP
		short := issue_codes.how_many - issued;
		EXIT WHEN short = 0;
		RETURN QUERY
		INSERT INTO robot_registry.robots AS r (id)
		SELECT c.id
		  FROM (SELECT DISTINCT @extschema@.make_robot_id(country, maker, model, s) AS id
		          FROM robot_registry.random_serials(short) s) c
		 WHERE NOT EXISTS (
			SELECT 1 FROM robot_registry.robots o
			 WHERE o.id OPERATOR(@extschema@.=) c.id)
		 ORDER BY c.id
		RETURNING r.id;
		GET DIAGNOSTICS got = ROW_COUNT;
		issued := issued + got;
		IF got = 0 THEN
			-- a whole round of collisions: the space may be full
			IF (SELECT count(*) FROM robot_registry.robots r WHERE r.model_key = issue_codes.model_key)
			   > max_serial + 1 - short THEN
				RAISE EXCEPTION 'model % has no room for % more serials', issue_codes.model_key, issue_codes.how_many
					USING ERRCODE = 'numeric_value_out_of_range',
					      DETAIL = format('A model has %s serials.', max_serial + 1);
			END IF;
		END IF;
	END LOOP;
	PERFORM robot_registry.set_detail(NULL);
END
$fn$;
COMMENT ON FUNCTION robot_registry.issue_codes(text, integer, text)
	IS 'issue and register how_many new codes of a model, random (the default) or sequential serials';
