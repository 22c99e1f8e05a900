-- The baseline: the lifecycle and market triggers as a registry team would
-- write them in PL/pgSQL, with the same rules, locks and error fields.
-- Column names are fixed, as in a hand-written trigger.

CREATE FUNCTION plpgsql_lifecycle_guard() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
	legal boolean;
	source_state robot_state;
BEGIN
	IF TG_OP = 'DELETE' THEN
		RAISE EXCEPTION 'robot % cannot be deleted', OLD.id
			USING ERRCODE = 'check_violation', CONSTRAINT = 'robot_history_immutable',
			      TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA;
	END IF;
	IF TG_OP = 'INSERT' THEN
		IF NEW.state IS DISTINCT FROM 'manufactured' THEN
			RAISE EXCEPTION 'robot % must be registered as manufactured', NEW.id
				USING ERRCODE = 'check_violation', CONSTRAINT = 'robot_lifecycle_transition',
				      TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA;
		END IF;
	ELSE
		IF NEW.id IS DISTINCT FROM OLD.id THEN
			RAISE EXCEPTION 'the identity code of robot % cannot change', OLD.id
				USING ERRCODE = 'check_violation', CONSTRAINT = 'robot_history_immutable',
				      TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA;
		END IF;
		IF NEW.state IS DISTINCT FROM OLD.state THEN
			IF OLD.state IN ('recycled', 'retired') AND NEW.state IS DISTINCT FROM 'retired' THEN
				RAISE EXCEPTION 'robot % is scrapped and cannot return to the market', NEW.id
					USING ERRCODE = 'check_violation', CONSTRAINT = 'robot_no_refurbishment',
					      TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA;
			END IF;
			legal := CASE OLD.state
				WHEN 'manufactured' THEN NEW.state IN ('sold', 'recycled', 'retired')
				WHEN 'sold' THEN NEW.state IN ('deployed', 'maintenance', 'recycled', 'retired')
				WHEN 'deployed' THEN NEW.state IN ('sold', 'maintenance', 'recycled', 'retired')
				WHEN 'maintenance' THEN NEW.state IN ('sold', 'deployed', 'recycled', 'retired')
				WHEN 'recycled' THEN NEW.state = 'retired'
				ELSE false END;
			IF NOT coalesce(legal, false) THEN
				RAISE EXCEPTION 'illegal lifecycle transition for robot %', NEW.id
					USING ERRCODE = 'check_violation', CONSTRAINT = 'robot_lifecycle_transition',
					      TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA;
			END IF;
			IF NEW.recalled AND NEW.state IN ('sold', 'deployed') THEN
				RAISE EXCEPTION 'robot % is under recall and cannot be sold or deployed', NEW.id
					USING ERRCODE = 'check_violation', CONSTRAINT = 'robot_recall_hold',
					      TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA;
			END IF;
		END IF;
	END IF;
	IF NEW.refurbished_from IS NOT NULL AND
	   (TG_OP = 'INSERT' OR NEW.refurbished_from IS DISTINCT FROM OLD.refurbished_from) THEN
		EXECUTE format('SELECT state FROM %I.%I WHERE id = $1 FOR SHARE', TG_TABLE_SCHEMA, TG_TABLE_NAME)
			INTO source_state USING NEW.refurbished_from;
		IF source_state IN ('recycled', 'retired') THEN
			RAISE EXCEPTION 'robot % cannot be rebuilt from scrapped robot %', NEW.id, NEW.refurbished_from
				USING ERRCODE = 'check_violation', CONSTRAINT = 'robot_no_refurbishment',
				      TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA;
		END IF;
	END IF;
	RETURN NEW;
END
$fn$;

CREATE FUNCTION plpgsql_market_guard() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
	r record;
BEGIN
	IF TG_OP = 'UPDATE' AND NEW.robot_id IS NOT DISTINCT FROM OLD.robot_id THEN
		RETURN NEW;
	END IF;
	SELECT state, recalled INTO r FROM bench_registry WHERE id = NEW.robot_id FOR SHARE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'robot % is not registered', NEW.robot_id
			USING ERRCODE = 'check_violation', CONSTRAINT = 'robot_no_code_no_market',
			      TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA;
	END IF;
	IF r.state IN ('recycled', 'retired') THEN
		RAISE EXCEPTION 'robot % is scrapped and cannot return to the market', NEW.robot_id
			USING ERRCODE = 'check_violation', CONSTRAINT = 'robot_no_refurbishment',
			      TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA;
	END IF;
	IF r.recalled THEN
		RAISE EXCEPTION 'robot % is under recall and cannot be sold or deployed', NEW.robot_id
			USING ERRCODE = 'check_violation', CONSTRAINT = 'robot_recall_hold',
			      TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA;
	END IF;
	RETURN NEW;
END
$fn$;
