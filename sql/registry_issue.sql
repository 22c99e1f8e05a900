-- Codes issued by the platform: robot_registry.issue_codes() in both
-- layouts, its errors, who may call it, and that issued codes are
-- registered like any other (recall holds, the log, verify()).

\i sql/include/try.sql

SELECT robot_registry_install();
INSERT INTO robot_registry.manufacturers VALUES ('860001', 'Tiangong Robotics'), ('860002', 'Huake Dynamics');
INSERT INTO robot_registry.models (model_key, name) VALUES
	('860001000001', 'Walker A1'), ('860001000002', 'Helper B1'), ('860002000001', 'Porter A1');
CREATE ROLE regress_robotid_issue_maker1;
CREATE ROLE regress_robotid_issue_maker2;
CREATE ROLE regress_robotid_issue_seller;
CREATE ROLE regress_robotid_issue_regulator;
CREATE ROLE regress_robotid_issue_nobody;
INSERT INTO robot_registry.actors VALUES
	('regress_robotid_issue_maker1', 'manufacturer', '860001'),
	('regress_robotid_issue_maker2', 'manufacturer', '860002'),
	('regress_robotid_issue_seller', 'seller', NULL),
	('regress_robotid_issue_regulator', 'regulator', NULL);

-- runs as the caller; the gate is its one privilege beyond register_robot's
SELECT p.prosecdef, p.provolatile, p.proconfig FROM pg_proc p
 WHERE p.oid = 'robot_registry.issue_codes(text, integer, text)'::regprocedure;
SELECT has_table_privilege('regress_robotid_issue_maker1', 'robot_registry.model_gates', 'DELETE') AS maker_may_delete_gates,
       has_table_privilege('regress_robotid_issue_nobody', 'robot_registry.model_gates', 'SELECT') AS nobody_may_read_gates;

-- sequential: a contiguous block after the highest serial the model ever had
SET ROLE regress_robotid_issue_maker1;
SELECT * FROM robot_registry.issue_codes('860001000001', 3, 'sequential');
SELECT id FROM robot_registry.register_robot('86000100000100000000000000100');
SELECT * FROM robot_registry.issue_codes('860001000001', 2, 'sequential');
-- the top unit retired: its serial is still taken, and never issued again
SELECT state FROM robot_registry.transition('86000100000100000000000000102', 'retired');
SELECT * FROM robot_registry.issue_codes('860001000001', 2, 'sequential');
RESET ROLE;
-- robots are never deleted, so the highest serial cannot go backwards
SELECT pg_temp.try($$DELETE FROM robot_registry.robots WHERE id = '86000100000100000000000000104'$$);
SELECT pg_temp.try($$TRUNCATE robot_registry.robots CASCADE$$);

-- a gate is taken by its own manufacturer only
SET ROLE regress_robotid_issue_maker1;
SELECT model_key FROM robot_registry.model_gates ORDER BY 1;
UPDATE robot_registry.model_gates SET registrations = 0 WHERE model_key = '860002000001';
SELECT pg_temp.try($$INSERT INTO robot_registry.model_gates (model_key) VALUES ('860002000001')$$);
RESET ROLE;

-- random: 10,000 codes, all new, distinct, of the model, registered
SET ROLE regress_robotid_issue_maker1;
CREATE TEMP TABLE drawn AS
SELECT id, robot_id_serial(id)::bigint AS serial FROM robot_registry.issue_codes('860001000002', 10000) id;
SELECT count(*) AS issued, count(DISTINCT id) AS distinct_codes,
       bool_and(robot_id_model_key(id) = '860001000002') AS all_of_the_model
  FROM drawn;
SELECT count(*) AS registered, bool_and(state = 'manufactured') AS all_manufactured, bool_and(NOT recalled) AS none_recalled,
       array_agg(DISTINCT custodian) AS held_by
  FROM robot_registry.robots r WHERE r.id IN (SELECT id FROM drawn);
-- one 'registered' event per code, saying how it was issued
SELECT e.kind, e.detail, e.actor, count(*) FROM robot_registry.events e
 WHERE e.robot_id IN (SELECT id FROM drawn) GROUP BY 1, 2, 3;
-- Spread over the whole space.  Each decile of 0 .. 10^17 - 1 expects
-- 1,000 codes (standard deviation 30): outside 800 .. 1,200 is 6.7
-- deviations, probability below 1e-10 per decile.  The smallest serial
-- is above 10^15 with probability 0.99^10000 < 1e-43, and likewise the
-- largest below 10^17 - 10^15.
SELECT count(DISTINCT serial / 10000000000000000) AS deciles_hit,
       bool_and(n BETWEEN 800 AND 1200) AS deciles_even
  FROM (SELECT serial, count(*) OVER (PARTITION BY serial / 10000000000000000) AS n FROM drawn) d;
SELECT min(serial) < 1000000000000000 AS min_near_zero,
       max(serial) > 99000000000000000 AS max_near_top,
       max(serial) <= 99999999999999999 AS within_space
  FROM drawn;
-- a second batch never repeats the first
SELECT count(*) AS repeated FROM robot_registry.issue_codes('860001000002', 1000) id
 WHERE id IN (SELECT id FROM drawn);
RESET ROLE;

-- errors: a specific SQLSTATE naming the value, and nothing issued
SELECT count(*) AS robots_before FROM robot_registry.robots;
SET ROLE regress_robotid_issue_maker1;
SELECT pg_temp.try($$SELECT robot_registry.issue_codes('86000100000', 1)$$);
SELECT pg_temp.try($$SELECT robot_registry.issue_codes('86000100000x', 1)$$);
SELECT pg_temp.try($$SELECT robot_registry.issue_codes(NULL, 1)$$);
SELECT pg_temp.try($$SELECT robot_registry.issue_codes('860001000009', 1)$$);
SELECT pg_temp.try($$SELECT robot_registry.issue_codes('860001000001', 1, 'zigzag')$$);
SELECT pg_temp.try($$SELECT robot_registry.issue_codes('860001000001', 1, NULL)$$);
SELECT pg_temp.try($$SELECT robot_registry.issue_codes('860001000001', 0)$$);
SELECT pg_temp.try($$SELECT robot_registry.issue_codes('860001000001', -5, 'sequential')$$);
SELECT pg_temp.try($$SELECT robot_registry.issue_codes('860001000001', NULL)$$);
SELECT pg_temp.try($$SELECT robot_registry.issue_codes('860001000001', 1000001)$$);
RESET ROLE;
SELECT count(*) AS robots_after_errors FROM robot_registry.robots;
-- the end of the serial space
SET ROLE regress_robotid_issue_maker2;
SELECT id FROM robot_registry.register_robot('86000200000199999999999999997');
SELECT pg_temp.try($$SELECT robot_registry.issue_codes('860002000001', 3, 'sequential')$$);
SELECT * FROM robot_registry.issue_codes('860002000001', 2, 'sequential');
SELECT pg_temp.try($$SELECT robot_registry.issue_codes('860002000001', 1, 'sequential')$$);
-- random still finds room below
SELECT count(*) FROM robot_registry.issue_codes('860002000001', 5);
RESET ROLE;

-- who may issue: the model's manufacturer and administrators
SELECT count(*) AS robots_before_refusals FROM robot_registry.robots;
SET ROLE regress_robotid_issue_nobody;
SELECT pg_temp.try($$SELECT robot_registry.issue_codes('860001000001', 1)$$);
RESET ROLE;
SET ROLE regress_robotid_issue_seller;
SELECT pg_temp.try($$SELECT robot_registry.issue_codes('860001000001', 1)$$);
RESET ROLE;
SET ROLE regress_robotid_issue_regulator;
SELECT pg_temp.try($$SELECT robot_registry.issue_codes('860001000001', 1)$$);
RESET ROLE;
SET ROLE regress_robotid_issue_maker2;
SELECT pg_temp.try($$SELECT robot_registry.issue_codes('860001000001', 1)$$);
SELECT pg_temp.try($$SELECT robot_registry.issue_codes('860001000001', 1, 'sequential')$$);
RESET ROLE;
SELECT count(*) AS robots_after_refusals FROM robot_registry.robots;
-- an administrator names the actor it acts for, as with register_robot
SELECT * FROM robot_registry.issue_codes('860001000001', 1, 'sequential');
SELECT changed_by, custodian FROM robot_registry.robots WHERE id = '86000100000100000000000000105';

-- recall holds apply to issued codes
SET ROLE regress_robotid_issue_regulator;
SELECT robot_registry.open_recall('860001000001', 'hip joint', '00000000000000106', '00000000000000107');
RESET ROLE;
SET ROLE regress_robotid_issue_maker1;
SELECT * FROM robot_registry.issue_codes('860001000001', 3, 'sequential');
SELECT id, recalled FROM robot_registry.robots
 WHERE id BETWEEN '86000100000100000000000000106' AND '86000100000100000000000000108' ORDER BY 1;
SELECT robot_id, recall_id FROM robot_registry.recall_robots ORDER BY 1;
SELECT robot_id, kind FROM robot_registry.events
 WHERE robot_id IN ('86000100000100000000000000106', '86000100000100000000000000107') ORDER BY event_id;
RESET ROLE;

-- The bulk log (log_robot() hashes a statement's registrations itself;
-- events_chain fires only for an event without a hash) writes what the
-- per-row path would: each issued event's hash is event_hash() of it (what
-- events_chain stores), its row hash robot_row_hash() of the row it left,
-- and it heads a new chain (events_chain finds no earlier event).
SELECT count(*) AS issued_events,
       count(*) FILTER (WHERE e.hash = robot_registry.event_hash(e)) AS hash_as_events_chain,
       count(*) FILTER (WHERE e.prev_hash IS NULL) AS chain_heads,
       count(*) FILTER (WHERE e.row_hash = robot_registry.robot_row_hash(r)) AS row_hash_as_robot_row_hash
  FROM robot_registry.events e JOIN robot_registry.robots r ON r.id = e.robot_id
 WHERE e.kind = 'registered' AND e.detail ? 'issued' AND r.revision = 1;
-- and on odd rows: an administrator's registrations with quotes and
-- separators, NULLs, a rebuild source and infinite times, under another
-- DateStyle; checked by the functions and by verify()
SET DateStyle = 'SQL, DMY';
BEGIN;
SELECT robot_registry.act_as('regress_robotid_issue_maker2', '{"note": "a|b''c"}');
INSERT INTO robot_registry.robots (id, owner_name, location, refurbished_from, registered_at, updated_at) VALUES
	('86000200000100000000000000010', 'O''Brien | Sons', NULL, NULL, '-infinity', 'infinity'),
	('86000200000100000000000000011', NULL, 'NULL', NULL, '2001-02-03 04:05:06.789+07', '2001-02-03 04:05:06.789+07'),
	('86000200000100000000000000012', '', '|', '86000200000199999999999999997', now(), now());
COMMIT;
SELECT r.id, e.actor, r.custodian, e.detail, e.prev_hash IS NULL AS chain_head, e.hash = robot_registry.event_hash(e) AS hash_as_events_chain,
       e.row_hash = robot_registry.robot_row_hash(r) AS row_hash_as_robot_row_hash
  FROM robot_registry.robots r JOIN robot_registry.events e ON e.robot_id = r.id
 WHERE r.id BETWEEN '86000200000100000000000000010' AND '86000200000100000000000000012' ORDER BY e.event_id;
SELECT count(*) AS problems FROM robot_registry.verify();
RESET DateStyle;

-- an issued code's event altered, or an event written with a hash of the
-- writer's choosing (only the owner may write events: triggers on or off,
-- it is found)
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE robot_registry.events SET detail = '{"issued": "by hand"}'
 WHERE event_id = (SELECT min(e.event_id) FROM robot_registry.events e JOIN drawn d ON d.id = e.robot_id);
SELECT v.robot_id IN (SELECT id FROM drawn) AS an_issued_code, v.problem FROM robot_registry.verify() v;
ROLLBACK;
CREATE TEMP TABLE first_issued AS
SELECT e.* FROM robot_registry.events e
 WHERE e.event_id = (SELECT min(e.event_id) FROM robot_registry.events e JOIN drawn d ON d.id = e.robot_id);
BEGIN;
-- linked to the issued event, with a hash that is not the event's
INSERT INTO robot_registry.events (robot_id, kind, recalled, actor, row_hash, prev_hash, hash)
SELECT f.robot_id, 'edited', f.recalled, 'mallory', f.row_hash, f.hash, '\x00' FROM first_issued f;
SELECT v.robot_id IN (SELECT id FROM drawn) AS an_issued_code, v.problem FROM robot_registry.verify() v;
ROLLBACK;
BEGIN;
-- a second chain head for the issued code, hashed as events_chain hashes
INSERT INTO robot_registry.events (event_id, robot_id, kind, recalled, detail, actor, at, prev_hash, hash, row_hash)
SELECT (x.f).event_id, (x.f).robot_id, (x.f).kind, (x.f).recalled, (x.f).detail, (x.f).actor, (x.f).at,
       (x.f).prev_hash, robot_registry.event_hash(x.f), (x.f).row_hash
  FROM (SELECT ROW(nextval('robot_registry.log_sequence'), f.robot_id, 'edited', NULL, f.to_state, f.recalled,
                   '{}', 'mallory', f.at, NULL, NULL, f.row_hash)::robot_registry.events AS f
          FROM first_issued f) x;
SELECT v.robot_id IN (SELECT id FROM drawn) AS an_issued_code, v.problem FROM robot_registry.verify() v;
ROLLBACK;
BEGIN;
-- the owner deletes an issued robot's row, keeping its events, and
-- registers the code again: the new registration heads a chain of its
-- own, and the break shows
SET LOCAL session_replication_role = replica;
DELETE FROM robot_registry.robots WHERE id = (SELECT robot_id FROM first_issued);
SET LOCAL session_replication_role = origin;
INSERT INTO robot_registry.robots (id) SELECT robot_id FROM first_issued;
SELECT v.robot_id IN (SELECT id FROM drawn) AS an_issued_code, v.problem FROM robot_registry.verify() v;
ROLLBACK;

-- Who registers is checked once per statement (robots_registrar) and
-- check_actor() runs only for rows it could change: a role that may become
-- a seller, switching to it inside its registration, is refused after the
-- statement as it was row by row, and nothing is registered
GRANT regress_robotid_issue_seller TO regress_robotid_issue_maker1;
SET ROLE regress_robotid_issue_maker1;
SELECT pg_temp.try($$INSERT INTO robot_registry.robots (id)
                     SELECT make_robot_id('86', '0001', '000001', 30000000000000000 + g) FROM generate_series(1, 3) g
                      WHERE g = 1 OR set_config('role', 'regress_robotid_issue_seller', true) IS NOT NULL$$);
RESET ROLE;
SELECT pg_temp.try($$SET ROLE regress_robotid_issue_seller;
                     INSERT INTO robot_registry.robots (id) VALUES ('86000100000130000000000000001')$$);
RESET ROLE;
REVOKE regress_robotid_issue_seller FROM regress_robotid_issue_maker1;
SELECT count(*) AS registered_by_a_switch FROM robot_registry.robots
 WHERE id BETWEEN '86000100000130000000000000000' AND '86000100000130000000000000003';

-- the whole log verifies
SELECT count(*) AS problems FROM robot_registry.verify();
SELECT count(*) AS rule_breaks FROM robot_registry.rule_breaks;
SELECT count(*) AS events_per_robot_mismatch FROM robot_registry.robots r
 WHERE (SELECT count(*) FROM robot_registry.events e WHERE e.robot_id = r.id AND e.kind = 'registered') <> 1;

DROP TABLE drawn, first_issued;
SET client_min_messages = warning;
DROP SCHEMA robot_registry CASCADE;
RESET client_min_messages;
DROP ROLE regress_robotid_issue_maker1, regress_robotid_issue_maker2, regress_robotid_issue_seller,
	regress_robotid_issue_regulator, regress_robotid_issue_nobody;
