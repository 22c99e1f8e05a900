-- The soak's registry, for bench/soak.sh: demo robots, one role per kind
-- of actor that the load plays, pools the scripts draw from, and
-- soak_try(), which makes one attempt through the application functions
-- and writes down, in the same transaction, what happened: the event a
-- committed move recorded, or the SQLSTATE of a refusal.  psql variable:
-- robots.
\set ON_ERROR_STOP on
CREATE EXTENSION IF NOT EXISTS robotid;
SELECT robot_registry_install();
SELECT robot_registry_install_demo();
CALL robot_registry.generate_demo(:robots);

CREATE ROLE soak_operator;
CREATE ROLE soak_seller;
CREATE ROLE soak_recycler;
CREATE ROLE soak_regulator;
CREATE ROLE soak_public;
INSERT INTO robot_registry.actors VALUES ('soak_operator', 'operator', NULL), ('soak_seller', 'seller', NULL),
	('soak_recycler', 'recycler', NULL), ('soak_regulator', 'regulator', NULL);

-- in service: moved between deployed and maintenance
CREATE TABLE soak_moves (n int PRIMARY KEY, id robot_id NOT NULL);
INSERT INTO soak_moves SELECT row_number() OVER (ORDER BY id), id FROM robot_registry.robots
 WHERE state IN ('deployed', 'maintenance') AND NOT recalled;
-- scrapped: any move to the market is illegal
CREATE TABLE soak_dead (n int PRIMARY KEY, id robot_id NOT NULL);
INSERT INTO soak_dead SELECT row_number() OVER (ORDER BY id), id FROM robot_registry.robots
 WHERE state IN ('recycled', 'retired');
-- new robots a seller, a recycler and a regulator race for: sale, scrap, recall
CREATE TABLE soak_race (n int PRIMARY KEY, id robot_id NOT NULL);
INSERT INTO soak_race SELECT row_number() OVER (ORDER BY id), id FROM robot_registry.robots
 WHERE state = 'manufactured' AND NOT recalled;
CREATE TABLE soak_codes (n int PRIMARY KEY, code text NOT NULL);
INSERT INTO soak_codes SELECT row_number() OVER (ORDER BY id), id::text FROM robot_registry.robots;
GRANT SELECT ON soak_moves, soak_dead, soak_race, soak_codes TO PUBLIC;

CREATE TABLE soak_log (
	attempt bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind text NOT NULL,			-- move, illegal, sale, scrap, recall
	robot robot_id NOT NULL,
	to_state robot_state,
	event_id bigint,			-- the event a committed move recorded
	sqlstate text NOT NULL,		-- 00000 when it committed
	actor name NOT NULL DEFAULT current_user
);
-- the end's checks join the log's events with this table both ways
CREATE INDEX soak_log_event ON soak_log (event_id);
GRANT INSERT ON soak_log TO PUBLIC;

CREATE FUNCTION soak_try(kind text, robot robot_id, to_state robot_state) RETURNS text
	LANGUAGE plpgsql
	SET search_path = public, pg_catalog
	AS $fn$
DECLARE
	ev bigint;
BEGIN
	BEGIN
		IF kind = 'recall' THEN
			PERFORM robot_registry.open_recall(robot_id_model_key(robot), 'soak',
				robot_id_serial(robot), robot_id_serial(robot));
		ELSE
			PERFORM robot_registry.transition(robot, to_state);
			SELECT max(e.event_id) INTO ev FROM robot_registry.events e WHERE e.robot_id = robot;
		END IF;
		INSERT INTO soak_log (kind, robot, to_state, event_id, sqlstate) VALUES (kind, robot, to_state, ev, '00000');
	EXCEPTION WHEN OTHERS THEN
		INSERT INTO soak_log (kind, robot, to_state, sqlstate) VALUES (kind, robot, to_state, SQLSTATE);
	END;
	RETURN kind;
END
$fn$;
VACUUM ANALYZE;
