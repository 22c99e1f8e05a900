-- The soak's registry, for bench/soak.sh: demo robots, one role per kind
-- of actor that the load plays, each acting for a party that holds the
-- robots it moves, pools the scripts draw from, and soak_try(), which
-- makes one attempt through the application functions and writes down,
-- in the same transaction, what happened: the event a committed move
-- recorded, or the SQLSTATE of a refusal.  psql variable: robots.
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
-- Parties: the operator acts for the fleet the generator sells robots to;
-- the seller and the recycler for one dealer, which is handed the robots
-- they race for, so that the race is still between a sale, a scrap and a
-- recall, not a refusal of custody.  The regulator holds nothing.
INSERT INTO robot_registry.actors (role_name, kind, manufacturer_key, party) VALUES
	('soak_operator', 'operator', NULL, 'Demo Fleet Operations'),
	('soak_seller', 'seller', NULL, 'Soak Dealer'), ('soak_recycler', 'recycler', NULL, 'Soak Dealer'),
	('soak_regulator', 'regulator', NULL, NULL);

-- in service, held by the operator's party: moved between deployed and
-- maintenance
CREATE TABLE soak_moves (n int PRIMARY KEY, id robot_id NOT NULL);
INSERT INTO soak_moves SELECT row_number() OVER (ORDER BY id), id FROM robot_registry.robots
 WHERE state IN ('deployed', 'maintenance') AND NOT recalled AND custodian = 'Demo Fleet Operations';
-- scrapped: any move to the market is illegal
CREATE TABLE soak_dead (n int PRIMARY KEY, id robot_id NOT NULL);
INSERT INTO soak_dead SELECT row_number() OVER (ORDER BY id), id FROM robot_registry.robots
 WHERE state IN ('recycled', 'retired');
-- new robots a seller, a recycler and a regulator race for: sale, scrap,
-- recall; their makers hold them, and the administrator hands them to the
-- dealer whose logins the seller and the recycler are
CREATE TABLE soak_race (n int PRIMARY KEY, id robot_id NOT NULL);
INSERT INTO soak_race SELECT row_number() OVER (ORDER BY id), id FROM robot_registry.robots
 WHERE state = 'manufactured' AND NOT recalled;
SELECT count(robot_registry.hand_over(id, 'Soak Dealer', '{"reason": "stock for the soak"}')) AS handed_over FROM soak_race;
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
