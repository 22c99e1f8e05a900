/* robotid 1.0 -> 1.1: lifecycle states and the lifecycle and market triggers */

\echo Use "ALTER EXTENSION robotid UPDATE TO '1.1'" to load this file. \quit

CREATE TYPE robot_state AS ENUM
	('manufactured', 'sold', 'deployed', 'maintenance', 'recycled', 'retired');
COMMENT ON TYPE robot_state IS 'lifecycle state of a robot';

CREATE FUNCTION robot_state_can_transition(from_state robot_state, to_state robot_state)
	RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION robot_state_can_transition(robot_state, robot_state)
	IS 'true when from_state -> to_state is a legal lifecycle move';

CREATE FUNCTION robot_state_transitions(OUT from_state robot_state, OUT to_state robot_state)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 16;
COMMENT ON FUNCTION robot_state_transitions()
	IS 'every legal lifecycle move, as the triggers check them';

CREATE FUNCTION robot_lifecycle_guard() RETURNS trigger
	AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION robot_lifecycle_guard()
	IS 'BEFORE INSERT OR UPDATE OR DELETE row trigger: legal moves, recall hold, no refurbishment, permanent history';

CREATE FUNCTION robot_market_guard() RETURNS trigger
	AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION robot_market_guard()
	IS 'BEFORE INSERT OR UPDATE row trigger for market events: no code no market, recall hold, no refurbishment';
