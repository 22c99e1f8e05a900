-- Custody (registry 1.5): parties, the custodian of every robot, hand-overs,
-- sales, a private owner's transfer codes, the refusals of everyone who
-- does not hold a robot (through the functions and through direct DML),
-- rebuilds and recalls, and an administrator acting for an actor.

\i sql/include/try.sql

SET client_min_messages = warning;
SELECT robot_registry_install();
RESET client_min_messages;
INSERT INTO robot_registry.manufacturers VALUES ('860001', 'Tiangong Robotics'), ('860002', 'Huake Dynamics');
INSERT INTO robot_registry.models (model_key, name) VALUES ('860001000001', 'Walker A1'), ('860002000001', 'Porter A1');
CREATE ROLE regress_custody_maker1;
CREATE ROLE regress_custody_maker2;
CREATE ROLE regress_custody_shop1;
CREATE ROLE regress_custody_shop2;
CREATE ROLE regress_custody_rival;
CREATE ROLE regress_custody_dealer_sales;
CREATE ROLE regress_custody_dealer_scrap;
CREATE ROLE regress_custody_operator;
CREATE ROLE regress_custody_service;
CREATE ROLE regress_custody_recycler;
CREATE ROLE regress_custody_regulator;
CREATE ROLE regress_custody_nobody;

-- parties: a mapping that names none acts for a party of the role's name;
-- two logins act for one shop; one party mixes a seller and a recycler
INSERT INTO robot_registry.actors (role_name, kind, manufacturer_key) VALUES
	('regress_custody_maker1', 'manufacturer', '860001'),
	('regress_custody_maker2', 'manufacturer', '860002'),
	('regress_custody_rival', 'seller', NULL),
	('regress_custody_service', 'service_provider', NULL),
	('regress_custody_recycler', 'recycler', NULL),
	('regress_custody_regulator', 'regulator', NULL);
INSERT INTO robot_registry.actors (role_name, kind, manufacturer_key, party) VALUES
	('regress_custody_shop1', 'seller', NULL, 'City Robots'),
	('regress_custody_shop2', 'seller', NULL, 'City Robots'),
	('regress_custody_dealer_sales', 'seller', NULL, 'Dealer Group'),
	('regress_custody_dealer_scrap', 'recycler', NULL, 'Dealer Group'),
	('regress_custody_operator', 'operator', NULL, 'Acme Logistics');
SELECT role_name, kind, party FROM robot_registry.actors ORDER BY party, role_name;
-- a party is a name without padding or control characters
SELECT pg_temp.try($$INSERT INTO robot_registry.actors VALUES ('regress_custody_nobody', 'seller', NULL, ' City Robots')$$);
SELECT pg_temp.try($$INSERT INTO robot_registry.actors VALUES ('regress_custody_nobody', 'seller', NULL, E'City\nRobots')$$);
SELECT pg_temp.try($$INSERT INTO robot_registry.actors VALUES ('regress_custody_nobody', 'seller', NULL, '')$$);
-- actor_party(): the caller's party; NULL for an unmapped role
SET ROLE regress_custody_shop1;
SELECT robot_registry.actor_party() AS shop1_party, count(*) AS mappings_seen FROM robot_registry.actors;
SET ROLE regress_custody_shop2;
SELECT robot_registry.actor_party() AS shop2_party;
SET ROLE regress_custody_service;
SELECT robot_registry.actor_party() AS service_party;
SET ROLE regress_custody_nobody;
SELECT robot_registry.actor_party() IS NULL AS nobody_has_a_party;
RESET ROLE;

-- registration: a new robot is held by its registrar's party, one by one
-- or issued in bulk
SET ROLE regress_custody_maker1;
SELECT count(*) AS registered FROM (
	SELECT robot_registry.register_robot(make_robot_id('86', '0001', '000001', 20260101000000000 + g))
	  FROM generate_series(1, 7) g) r;
SELECT count(*) AS issued FROM robot_registry.issue_codes('860001000001', 3, 'sequential');
SELECT id, custodian FROM robot_registry.robots ORDER BY id;
-- a maker may not write another party in as the holder of its new robots
SELECT pg_temp.try($$INSERT INTO robot_registry.robots (id, custodian) VALUES ('86000100000120260101000000099', 'City Robots')$$);
SELECT pg_temp.try($$INSERT INTO robot_registry.robots (id)
                     SELECT '86000100000120260101000000099'
                      WHERE set_config('robot_registry.registering_party', 'City Robots', true) IS NOT NULL$$);
RESET ROLE;
SET ROLE regress_custody_maker2;
SELECT id, custodian FROM robot_registry.register_robot('86000200000120260101000000001');
SELECT id, custodian FROM robot_registry.register_robot('86000200000120260101000000002');
RESET ROLE;

-- the passport shows the custodian to actors who see the robot; scan()
-- never shows it, to anyone
SET ROLE regress_custody_rival;
SELECT p ->> 'custodian' AS custodian, p ->> 'state' AS state
  FROM robot_registry.passport('86000100000120260101000000001') p;
RESET ROLE;
SET ROLE regress_custody_nobody;
SELECT s ? 'custodian' AS scan_has_custodian, s::text ~ 'regress_custody' AS scan_names_a_party
  FROM robot_registry.scan('86000100000120260101000000001') s;
RESET ROLE;

-- hand_over(): the makers hand stock to the sellers; the event names both
-- parties
SET ROLE regress_custody_maker1;
SELECT id, state, custodian
  FROM robot_registry.hand_over('86000100000120260101000000001', 'City Robots', '{"note": "consignment 7"}');
SELECT id, custodian FROM robot_registry.hand_over('86000100000120260101000000004', 'City Robots');
SELECT id, custodian FROM robot_registry.hand_over('86000100000120260101000000006', 'City Robots');
SELECT kind, from_state, to_state, actor, detail FROM robot_registry.events
 WHERE robot_id = '86000100000120260101000000001' ORDER BY event_id DESC LIMIT 1;
-- to a party no login is mapped to
SELECT pg_temp.try($$SELECT robot_registry.hand_over('86000100000120260101000000002', 'Nobody Inc')$$);
-- to a party none of whose kinds moves a robot on from its state: an
-- operator's before a sale, the regulator's, another maker's
SELECT pg_temp.try($$SELECT robot_registry.hand_over('86000100000120260101000000002', 'Acme Logistics')$$);
SELECT pg_temp.try($$SELECT robot_registry.hand_over('86000100000120260101000000002', 'regress_custody_regulator')$$);
SELECT pg_temp.try($$SELECT robot_registry.hand_over('86000100000120260101000000002', 'regress_custody_maker2')$$);
-- to a "private owner" a robot never had: stock goes to people by a sale
SELECT pg_temp.try($$SELECT robot_registry.hand_over('86000100000120260101000000002', NULL)$$);
-- to the party that holds it already; a robot the maker no longer holds
SELECT pg_temp.try($$SELECT robot_registry.hand_over('86000100000120260101000000002', 'regress_custody_maker1')$$);
SELECT pg_temp.try($$SELECT robot_registry.hand_over('86000100000120260101000000001', 'regress_custody_rival')$$);
-- a direct UPDATE of custodian is a hand-over too, checked alike; a move
-- and a hand-over are two changes
UPDATE robot_registry.robots SET custodian = 'Dealer Group' WHERE id = '86000100000120260101000000003';
SELECT pg_temp.try($$UPDATE robot_registry.robots SET state = 'recycled', custodian = 'regress_custody_recycler'
                      WHERE id = '86000100000120260101000000002'$$);
SELECT pg_temp.try($$UPDATE robot_registry.robots SET custodian = 'Nobody Inc' WHERE id = '86000100000120260101000000002'$$);
RESET ROLE;
SET ROLE regress_custody_maker2;
SELECT id, custodian FROM robot_registry.hand_over('86000200000120260101000000001', 'regress_custody_rival');
SELECT id, custodian FROM robot_registry.hand_over('86000200000120260101000000002', 'regress_custody_rival');
RESET ROLE;
-- any login of the holding party acts for it; a party that mixes kinds
-- acts with each
SET ROLE regress_custody_shop2;
SELECT pg_temp.try($$SELECT robot_registry.hand_over('86000100000120260101000000001', 'City Robots')$$);
SELECT pg_temp.try($$SELECT robot_registry.hand_over('86000100000120260101000000002', 'City Robots')$$);
RESET ROLE;
SET ROLE regress_custody_dealer_scrap;
SELECT id, state, custodian FROM robot_registry.transition('86000100000120260101000000003', 'recycled');
RESET ROLE;

-- sales: to a known party, custody passes to it; otherwise to a private
-- owner (custodian NULL), whose seller alone issues its transfer codes
SET ROLE regress_custody_shop1;
SELECT id, state, owner_name, custodian FROM robot_registry.transition('86000100000120260101000000001', 'sold',
	'{"owner": "Acme Logistics", "party": "Acme Logistics"}');
SELECT id, state, owner_name, custodian FROM robot_registry.transition('86000100000120260101000000006', 'sold',
	'{"owner": "Eli Park"}');
RESET ROLE;
SET ROLE regress_custody_shop2;
-- a buyer party must be one that may take a sold robot: not the
-- regulator's, not another maker's
SELECT pg_temp.try($$SELECT robot_registry.transition('86000100000120260101000000004', 'sold', '{"party": "regress_custody_regulator"}')$$);
SELECT pg_temp.try($$SELECT robot_registry.transition('86000100000120260101000000004', 'sold', '{"party": "regress_custody_maker2"}')$$);
SELECT id, state, owner_name, custodian FROM robot_registry.transition('86000100000120260101000000004', 'sold',
	'{"owner": "Dana Ito", "party": "Dana Ito"}');
SELECT robot_id, handed_by, issued_at IS NULL AS no_code_yet FROM robot_registry.transfer_codes ORDER BY robot_id;
RESET ROLE;
-- a manufacturer sells direct
SET ROLE regress_custody_maker1;
SELECT id, state, custodian FROM robot_registry.transition('86000100000120260101000000005', 'sold',
	'{"party": "Acme Logistics"}');
RESET ROLE;
SELECT robot_id, to_state, actor, detail FROM robot_registry.events
 WHERE kind = 'moved' AND to_state = 'sold' ORDER BY event_id;
-- a seller sells no stock it does not hold
SET ROLE regress_custody_rival;
SELECT pg_temp.try($$SELECT robot_registry.transition('86000100000120260101000000002', 'sold', '{"party": "regress_custody_rival"}')$$);
SELECT count(*) AS codes_rival_sees FROM robot_registry.transfer_codes;
RESET ROLE;

-- whether a private owner held a robot is asked as the caller: another
-- maker learns nothing of a robot it may not see
SET ROLE regress_custody_maker2;
SELECT robot_registry.had_private_owner('86000100000120260101000000006') AS invisible_private,
       robot_registry.had_private_owner('86000100000120260101999999999') AS unregistered;
RESET ROLE;
SET ROLE regress_custody_shop1;
SELECT robot_registry.had_private_owner('86000100000120260101000000006') AS seen_private;
RESET ROLE;

-- transfer_code(): by the party that handed the robot to its private
-- owner, in groups of four; a new code replaces the last, and only its
-- hash is kept
SET ROLE regress_custody_shop1;
SELECT robot_registry.transfer_code('86000100000120260101000000004') AS code_old \gset
SELECT robot_registry.transfer_code('86000100000120260101000000004') AS code_new \gset
SELECT :'code_new' ~ '^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$' AS code_format, :'code_old' <> :'code_new' AS a_new_code;
SELECT robot_id, issued_by FROM robot_registry.transfer_codes WHERE robot_id = '86000100000120260101000000004';
SELECT pg_temp.try('SELECT code_hash FROM robot_registry.transfer_codes');
RESET ROLE;
SELECT code_hash = sha256(convert_to(replace(:'code_new', '-', ''), 'UTF8')) AS stored_as_sha256,
       position(convert_to(replace(:'code_new', '-', ''), 'UTF8') IN code_hash) = 0 AS code_not_in_the_row
  FROM robot_registry.transfer_codes WHERE robot_id = '86000100000120260101000000004';
-- not by another party, not for a robot a party holds
SET ROLE regress_custody_rival;
SELECT pg_temp.try($$SELECT robot_registry.transfer_code('86000100000120260101000000004')$$);
RESET ROLE;
SET ROLE regress_custody_operator;
SELECT pg_temp.try($$SELECT robot_registry.transfer_code('86000100000120260101000000001')$$);
RESET ROLE;
SET ROLE regress_custody_nobody;
SELECT pg_temp.try($$SELECT robot_registry.transfer_code('86000100000120260101000000004')$$);
RESET ROLE;

-- receive(): the right code hands the robot to the claimant's party and is
-- used up; a replaced code, a used code, a robot no private owner holds
-- and an unregistered code all answer NULL
SET ROLE regress_custody_service;
SELECT r.id IS NULL AS answered_null FROM robot_registry.receive('86000100000120260101000000004', :'code_old') r;
SELECT r.id, r.state, r.owner_name, r.custodian
  FROM robot_registry.receive('86000100000120260101000000004', :'code_new', '{"job": "annual service"}') r;
SELECT r.id IS NULL AS answered_null FROM robot_registry.receive('86000100000120260101000000004', :'code_new') r;
SELECT r.id IS NULL AS answered_null FROM robot_registry.receive('86000100000120260101000000002', :'code_new') r;
SELECT r.id IS NULL AS answered_null FROM robot_registry.receive('86000100000120260101000000099', :'code_new') r;
SELECT kind, from_state, to_state, actor, detail FROM robot_registry.events
 WHERE robot_id = '86000100000120260101000000004' ORDER BY event_id DESC LIMIT 1;
SELECT pg_temp.try($$SELECT robot_registry.receive('86000100000120260101000000004', NULL)$$);
RESET ROLE;
-- the code is gone with its use; once a party holds the robot, its seller
-- issues no more
SELECT code_hash IS NULL AS code_used_up FROM robot_registry.transfer_codes WHERE robot_id = '86000100000120260101000000004';
SET ROLE regress_custody_shop1;
SELECT pg_temp.try($$SELECT robot_registry.transfer_code('86000100000120260101000000004')$$);
RESET ROLE;
-- kinds that do not take robots from private owners
SET ROLE regress_custody_operator;
SELECT pg_temp.try(format('SELECT robot_registry.receive(%L, %L)', '86000100000120260101000000006', :'code_new'));
RESET ROLE;
SET ROLE regress_custody_maker1;
SELECT pg_temp.try(format('SELECT robot_registry.receive(%L, %L)', '86000100000120260101000000006', :'code_new'));
RESET ROLE;
SET ROLE regress_custody_regulator;
SELECT pg_temp.try(format('SELECT robot_registry.receive(%L, %L)', '86000100000120260101000000006', :'code_new'));
RESET ROLE;
SET ROLE regress_custody_nobody;
SELECT pg_temp.try(format('SELECT robot_registry.receive(%L, %L)', '86000100000120260101000000006', :'code_new'));
RESET ROLE;

-- wrong codes are counted for the regulator, and void nothing: anyone
-- could otherwise void every owner's code; each issue is an event in the
-- robot's chain; case, blanks and dashes do not matter
SET ROLE regress_custody_shop1;
SELECT robot_registry.transfer_code('86000100000120260101000000006') AS code_eli \gset
RESET ROLE;
SELECT kind, actor, detail FROM robot_registry.events
 WHERE robot_id = '86000100000120260101000000006' ORDER BY event_id DESC LIMIT 1;
SET ROLE regress_custody_recycler;
SELECT count(*) FILTER (WHERE r.id IS NULL) AS refused
  FROM generate_series(1, 5) g,
       LATERAL robot_registry.receive('86000100000120260101000000006', 'AAAA-BBBB-CCCC-DDD' || g) r;
RESET ROLE;
SET ROLE regress_custody_regulator;
SELECT robot_id, failures, claimants, claimed_by FROM robot_registry.transfer_failures ORDER BY robot_id;
SELECT claimant, claimant_party, outcome, count(*) FROM robot_registry.custody_claims GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
RESET ROLE;
SELECT count(*) AS claims_keeping_a_code FROM robot_registry.custody_claims WHERE code_hash IS NOT NULL;
SET ROLE regress_custody_shop1;
SELECT robot_registry.transfer_code('86000100000120260101000000006') AS code_eli \gset
RESET ROLE;
SET ROLE regress_custody_recycler;
SELECT r.id, r.custodian
  FROM robot_registry.receive('86000100000120260101000000006', lower(replace(:'code_eli', '-', ' '))) r;
RESET ROLE;

-- back to the private owner: the service provider services the robot and
-- hands it back; it, not the seller, now issues the code
SET ROLE regress_custody_service;
SELECT id, state FROM robot_registry.transition('86000100000120260101000000004', 'maintenance');
SELECT id, state FROM robot_registry.transition('86000100000120260101000000004', 'deployed');
SELECT id, state, owner_name, custodian FROM robot_registry.hand_over('86000100000120260101000000004', NULL,
	'{"note": "returned to its owner"}');
SELECT kind, actor, detail FROM robot_registry.events
 WHERE robot_id = '86000100000120260101000000004' ORDER BY event_id DESC LIMIT 1;
SELECT robot_registry.transfer_code('86000100000120260101000000004') ~ '^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$'
	AS new_code_issued;
SELECT robot_id, handed_by, issued_by FROM robot_registry.transfer_codes;
SELECT pg_temp.try($$SELECT robot_registry.hand_over('86000100000120260101000000004', NULL)$$);
RESET ROLE;
SET ROLE regress_custody_shop1;
SELECT pg_temp.try($$SELECT robot_registry.transfer_code('86000100000120260101000000004')$$);
RESET ROLE;

-- Everyone but the holder is refused, naming the robot and the caller's
-- party, never the holder: moves, edits, market events, hand-overs.
-- Robot 1 is Acme Logistics', 2 the maker's, 4 a private owner's.
SET ROLE regress_custody_rival;
SELECT pg_temp.try($$SELECT robot_registry.transition('86000100000120260101000000001', 'deployed')$$) AS refusal
UNION ALL
SELECT pg_temp.try($$SELECT robot_registry.transition('86000100000120260101000000004', 'sold')$$)
UNION ALL
SELECT pg_temp.try($$INSERT INTO robot_registry.market_events (robot_id, kind) VALUES ('86000100000120260101000000002', 'sale')$$)
UNION ALL
SELECT pg_temp.try($$SELECT robot_registry.hand_over('86000100000120260101000000004', 'regress_custody_rival')$$);
RESET ROLE;
SET ROLE regress_custody_operator;
SELECT pg_temp.try($$SELECT robot_registry.relocate('86000100000120260101000000004', 'Depot 9')$$) AS refusal
UNION ALL
SELECT pg_temp.try($$SELECT robot_registry.transition('86000100000120260101000000004', 'maintenance')$$)
UNION ALL
SELECT pg_temp.try($$UPDATE robot_registry.robots SET location = 'Depot 9' WHERE id = '86000100000120260101000000002'$$);
-- (a direct UPDATE of a robot not held changes nothing, and says nothing)
-- as a client sees a refusal
\set SHOW_CONTEXT never
SELECT robot_registry.relocate('86000100000120260101000000002', 'Depot 9');
\set SHOW_CONTEXT errors
RESET ROLE;
SELECT location IS NULL AS not_relocated FROM robot_registry.robots WHERE id = '86000100000120260101000000002';

-- recalls and rebuilds: a robot under an open recall is not rebuilt; a
-- rebuild needs its source in the rebuilder's hands; a recall opened
-- later holds the rebuilds of what it covers; only the holder remedies
SET ROLE regress_custody_regulator;
SELECT robot_registry.open_recall('860001000001', 'hip joint', '20260101000000002', '20260101000000002') AS hip_recall \gset
RESET ROLE;
SET ROLE regress_custody_maker1;
SELECT pg_temp.try($$SELECT robot_registry.register_robot('86000100000120260101000000600',
                     refurbished_from => '86000100000120260101000000002')$$);
SELECT pg_temp.try($$SELECT robot_registry.register_robot('86000100000120260101000000601',
                     refurbished_from => '86000100000120260101000000001')$$);
SELECT id, refurbished_from, recalled, custodian
  FROM robot_registry.register_robot('86000100000120260101000000500', refurbished_from => '86000100000120260101000000007');
RESET ROLE;
SET ROLE regress_custody_service;
SELECT pg_temp.try($$SELECT robot_registry.remedy('86000100000120260101000000002')$$);
RESET ROLE;
SET ROLE regress_custody_regulator;
SELECT robot_registry.open_recall('860001000001', 'wrist bolt', '20260101000000007', '20260101000000007') AS wrist_recall \gset
SELECT robot_id FROM robot_registry.recall_robots WHERE recall_id = :wrist_recall ORDER BY robot_id;
RESET ROLE;
SELECT id, recalled FROM robot_registry.robots
 WHERE id IN ('86000100000120260101000000007', '86000100000120260101000000500') ORDER BY id;
SELECT count(*) AS refused_rebuilds FROM robot_registry.robots
 WHERE id IN ('86000100000120260101000000600', '86000100000120260101000000601');

-- Mass updates: a seller's and a recycler's change only the robots their
-- party holds, and leave every other robot as it was
CREATE TEMP TABLE before_mass AS SELECT id, state, custodian, revision FROM robot_registry.robots;
SELECT custodian, state, count(*) FROM before_mass GROUP BY 1, 2 ORDER BY 1, 2;
SET ROLE regress_custody_rival;
WITH sold AS (UPDATE robot_registry.robots SET state = 'sold' WHERE state = 'manufactured' RETURNING id)
SELECT count(*) AS sold_by_the_rival FROM sold;
RESET ROLE;
SET ROLE regress_custody_recycler;
WITH retired AS (UPDATE robot_registry.robots SET state = 'retired' WHERE state <> 'retired' RETURNING id)
SELECT count(*) AS retired_by_the_recycler FROM retired;
RESET ROLE;
SELECT b.custodian AS held_by, count(*) AS robots,
       count(*) FILTER (WHERE (r.state, r.custodian, r.revision) IS DISTINCT FROM (b.state, b.custodian, b.revision)) AS changed
  FROM before_mass b JOIN robot_registry.robots r USING (id)
 GROUP BY 1 ORDER BY 1;
SELECT r.id, b.state AS was, r.state, b.custodian AS held_by, r.custodian
  FROM before_mass b JOIN robot_registry.robots r USING (id)
 WHERE (r.state, r.custodian) IS DISTINCT FROM (b.state, b.custodian)
 ORDER BY r.id;
DROP TABLE before_mass;

-- an administrator is not held to custody; acting for an actor whose
-- party does not hold the robot, it is named in the event
BEGIN;
SELECT robot_registry.act_as('regress_custody_service', NULL);
SELECT id, location FROM robot_registry.relocate('86000100000120260101000000001', 'Impound lot', '{"reason": "court order"}');
COMMIT;
BEGIN;
SELECT robot_registry.act_as('regress_custody_operator', NULL);
SELECT id, location FROM robot_registry.relocate('86000100000120260101000000001', 'Acme depot');
COMMIT;
SELECT actor, detail - 'administrator' AS detail, detail ? 'administrator' AS names_an_administrator,
       detail ->> 'administrator' = session_user AS the_session_user
  FROM robot_registry.events WHERE robot_id = '86000100000120260101000000001' ORDER BY event_id DESC LIMIT 2;

-- the whole history verifies
SELECT count(*) AS problems FROM robot_registry.verify();
SELECT count(*) AS rule_breaks FROM robot_registry.rule_breaks;

SET client_min_messages = warning;
DROP SCHEMA robot_registry CASCADE;
RESET client_min_messages;
DROP ROLE regress_custody_maker1, regress_custody_maker2, regress_custody_shop1, regress_custody_shop2,
	regress_custody_rival, regress_custody_dealer_sales, regress_custody_dealer_scrap, regress_custody_operator,
	regress_custody_service, regress_custody_recycler, regress_custody_regulator, regress_custody_nobody;
