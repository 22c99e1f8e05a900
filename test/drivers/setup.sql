-- The schema both driver suites use: a table of robots under the
-- lifecycle guard, and a table to bulk-load codes into.
DROP SCHEMA IF EXISTS drivers CASCADE;
CREATE SCHEMA drivers;
CREATE TABLE drivers.robots (
	id robot_id PRIMARY KEY,
	state robot_state NOT NULL DEFAULT 'manufactured',
	recalled boolean NOT NULL DEFAULT false
);
CREATE TRIGGER robots_lifecycle BEFORE INSERT OR UPDATE OR DELETE ON drivers.robots
	FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard();
CREATE TABLE drivers.labels (id robot_id NOT NULL, printed_at date);
