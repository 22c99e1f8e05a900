-- issue_codes(model, n) in each layout against n register_robot() calls in
-- one transaction, as a mapped manufacturer LOGIN role, so row-level
-- security and every registry trigger apply.  This file makes the
-- registry and the issuer; run.sh then runs each round's variants in
-- turn, each in a session of its own (bench/issue_round.sql), in a
-- transaction rolled back after it is timed, and vacuums the registry
-- after each, so that every variant starts from the same registry with no
-- dead rows of an earlier one in its indexes; bench/issue_report.sql
-- sums up.  (run.sh issue [codes] [rounds])
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS robotid;
SELECT robot_registry_install();
INSERT INTO robot_registry.manufacturers VALUES ('860001', 'Bench Robotics');
INSERT INTO robot_registry.models (model_key, name) VALUES ('860001000001', 'Bench A1');
DROP ROLE IF EXISTS bench_issuer;
CREATE ROLE bench_issuer LOGIN;
INSERT INTO robot_registry.actors VALUES ('bench_issuer', 'manufacturer', '860001');
-- the timings outlive the issuer's sessions, for the report
DROP TABLE IF EXISTS issue_timings;
CREATE TABLE issue_timings (round int, variant text, seconds float8);
GRANT INSERT, SELECT ON issue_timings TO bench_issuer;
-- a model that already has codes of both kinds
SET ROLE bench_issuer;
SELECT count(*) AS existing FROM robot_registry.issue_codes('860001000001', 5000);
SELECT count(*) AS existing FROM robot_registry.issue_codes('860001000001', 5000, 'sequential');
RESET ROLE;
VACUUM ANALYZE robot_registry.robots, robot_registry.events, robot_registry.model_gates;
