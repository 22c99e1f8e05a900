-- The upgrade of a 1.2 registry in place: a registry made by the released
-- 1.2 scripts and its generator, an actor's moves, a user's table that
-- references it; then the extension and the registry are brought to 1.5,
-- which derives from each robot's history the party that holds it.
\set ON_ERROR_STOP on
\pset footer off
SET client_min_messages = warning;

\echo
\echo '== A registry of 1.2, as 1.2 made it'
CREATE EXTENSION robotid VERSION '1.2';
SELECT robot_registry_install();
CALL robot_registry.generate_demo(2000, 20, 2);
DROP ROLE IF EXISTS demo_upgrade_operator;
CREATE ROLE demo_upgrade_operator;
INSERT INTO robot_registry.actors VALUES ('demo_upgrade_operator', 'operator', NULL);
SET ROLE demo_upgrade_operator;
SELECT count(robot_registry.transition(id, 'maintenance', '{"reason": "service before the upgrade"}')) AS moved_by_an_actor
  FROM (SELECT id FROM robot_registry.robots WHERE state = 'deployed' AND NOT recalled ORDER BY id LIMIT 10) r;
RESET ROLE;
CREATE TABLE public.fleet (robot robot_id PRIMARY KEY REFERENCES robot_registry.robots, note text);
INSERT INTO public.fleet SELECT id, 'ours' FROM robot_registry.robots ORDER BY id LIMIT 5;
SELECT extversion, to_regprocedure('robot_registry.version()') AS version_function,
       (SELECT count(*) FROM robot_registry.robots) AS robots, (SELECT count(*) FROM robot_registry.events) AS events,
       (SELECT md5(string_agg(e::text, '|' ORDER BY e.event_id)) FROM robot_registry.events e) AS events_digest
  FROM pg_extension WHERE extname = 'robotid';
SELECT max(event_id) AS last_1_2_event FROM robot_registry.events \gset

\echo
\echo '== ALTER EXTENSION robotid UPDATE: the type and the triggers (registry objects are not extension members)'
ALTER EXTENSION robotid UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'robotid';

\echo
\echo '== robot_registry_upgrade(): the registry, in place, in one transaction'
SET client_min_messages = notice;
\timing on
SELECT robot_registry_upgrade();
\timing off
SELECT robot_registry.version(),
       (SELECT count(*) FROM robot_registry.robots) AS robots, (SELECT count(*) FROM robot_registry.events) AS events,
       (SELECT md5(string_agg((e.event_id, e.robot_id, e.kind, e.from_state, e.to_state, e.recalled, e.detail,
                               e.actor, e.at, e.prev_hash, e.hash)::text, '|' ORDER BY e.event_id))
          FROM robot_registry.events e WHERE e.event_id <= :last_1_2_event) AS events_digest_on_1_2_columns,
       (SELECT count(*) FROM robot_registry.verify()) AS verify_problems,
       (SELECT count(*) FROM public.fleet) AS users_fleet_rows;
SELECT op, count(*) AS ledger_entries FROM robot_registry.ledger GROUP BY op;

\echo
\echo '== custody, derived from each robot''s history: the last registration or move decides'
-- after a sale, the known party it names, else a private owner (no
-- custodian); otherwise the party of the login that made it (its role's
-- name: before 1.5 a login had no other party).  Each robot's chain ends
-- with an event that records it.
SELECT coalesce(custodian, '(a private owner)') AS custodian, count(*) AS robots
  FROM robot_registry.robots GROUP BY custodian ORDER BY count(*) DESC;
SELECT kind, detail ->> 'custodian' AS custodian, count(*) AS events
  FROM robot_registry.events WHERE event_id > :last_1_2_event GROUP BY 1, 2 ORDER BY 3 DESC;

\echo
\echo '== a second run does nothing'
SELECT robot_registry_upgrade();

\echo
\echo '== 1.5 at work on 1.2 data: an actor''s move of a robot it holds, the public scan, verify()'
SET ROLE demo_upgrade_operator;
SELECT id, state, revision, custodian FROM robot_registry.transition(
	(SELECT id FROM robot_registry.robots WHERE state = 'maintenance' AND NOT recalled AND custodian = 'demo_upgrade_operator'
	  ORDER BY id LIMIT 1), 'deployed');
RESET ROLE;
SELECT robot_registry.scan(id::text) ->> 'market_allowed' AS market_allowed
  FROM robot_registry.robots WHERE state = 'deployed' AND NOT recalled ORDER BY id LIMIT 1;
SELECT count(*) AS verify_problems FROM robot_registry.verify();

\echo
\echo '== a registry newer than the extension is refused (in a transaction rolled back)'
\set ON_ERROR_STOP off
\set VERBOSITY verbose
BEGIN;
CREATE OR REPLACE FUNCTION robot_registry.version() RETURNS text LANGUAGE sql AS $$ SELECT '1.6' $$;
SELECT robot_registry_upgrade();
ROLLBACK;
\set VERBOSITY default
\set ON_ERROR_STOP on
SET client_min_messages = warning;
DROP TABLE public.fleet;
DROP SCHEMA robot_registry CASCADE;
DROP ROLE demo_upgrade_operator;
