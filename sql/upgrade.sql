-- Installing 1.0 and updating gives the same objects as installing 1.1.
CREATE DATABASE robotid_upgrade;
\c robotid_upgrade
CREATE EXTENSION robotid VERSION '1.0';
SELECT extversion FROM pg_extension WHERE extname = 'robotid';
SELECT to_regtype('robot_state') IS NULL AS no_state_type_in_1_0;
ALTER EXTENSION robotid UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'robotid';
SELECT pg_describe_object(classid, objid, 0) AS object
  FROM pg_depend
 WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
   AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'robotid')
   -- 17 and later also record each type's array type as a member
   AND NOT (classid = 'pg_type'::regclass
            AND EXISTS (SELECT 1 FROM pg_type t WHERE t.oid = objid AND t.typcategory = 'A'))
 ORDER BY 1;
\c contrib_regression
DROP DATABASE robotid_upgrade;
SELECT extversion FROM pg_extension WHERE extname = 'robotid';

-- A 1.4 registry with a history, upgraded in place to custody: each
-- robot's custodian is derived from its last registration or move (after
-- a sale, the known party its detail names, else a private owner, whose
-- seller then issues its transfer codes), recorded as an event in its
-- chain, and the history still verifies.
CREATE DATABASE robotid_upgrade;
\c robotid_upgrade
\i sql/include/try.sql
SET client_min_messages = warning;
CREATE EXTENSION robotid VERSION '1.4';
SELECT robot_registry_install();
RESET client_min_messages;
SELECT robot_registry.version();
INSERT INTO robot_registry.manufacturers VALUES ('860001', 'Tiangong Robotics');
INSERT INTO robot_registry.models (model_key, name) VALUES ('860001000001', 'Walker A1');
CREATE ROLE regress_upgrade_maker;
CREATE ROLE regress_upgrade_seller;
CREATE ROLE regress_upgrade_gone;
CREATE ROLE regress_upgrade_operator;
CREATE ROLE regress_upgrade_recycler;
INSERT INTO robot_registry.actors VALUES
	('regress_upgrade_maker', 'manufacturer', '860001'),
	('regress_upgrade_seller', 'seller', NULL),
	('regress_upgrade_gone', 'seller', NULL),
	('regress_upgrade_operator', 'operator', NULL),
	('regress_upgrade_recycler', 'recycler', NULL);
SET ROLE regress_upgrade_maker;
SELECT count(*) AS registered FROM (
	SELECT robot_registry.register_robot(make_robot_id('86', '0001', '000001', 20260101000000000 + g))
	  FROM generate_series(1, 7) g) r;
RESET ROLE;
-- 1 stays at the factory; 2 is sold to a known party; 3 to a person
-- (a party nobody is mapped to); 4 with no buyer named; 5 sold and
-- deployed; 6 scrapped; 7 sold by a login since unmapped
SET ROLE regress_upgrade_seller;
SELECT state FROM robot_registry.transition('86000100000120260101000000002', 'sold', '{"party": "regress_upgrade_operator"}');
SELECT state FROM robot_registry.transition('86000100000120260101000000003', 'sold', '{"owner": "Ann Lee", "party": "Ann Lee"}');
SELECT state FROM robot_registry.transition('86000100000120260101000000004', 'sold');
SELECT state FROM robot_registry.transition('86000100000120260101000000005', 'sold', '{"party": "regress_upgrade_operator"}');
RESET ROLE;
SET ROLE regress_upgrade_operator;
SELECT state FROM robot_registry.transition('86000100000120260101000000005', 'deployed');
RESET ROLE;
SET ROLE regress_upgrade_recycler;
SELECT state FROM robot_registry.transition('86000100000120260101000000006', 'recycled');
RESET ROLE;
SET ROLE regress_upgrade_gone;
SELECT state FROM robot_registry.transition('86000100000120260101000000007', 'sold', '{"owner": "Bo Chen"}');
RESET ROLE;
DELETE FROM robot_registry.actors WHERE role_name = 'regress_upgrade_gone';

ALTER EXTENSION robotid UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'robotid';
-- (its notice names the new checkpoint's root, which differs every run)
SET client_min_messages = warning;
SELECT robot_registry_upgrade() IS NOT NULL AS upgraded;
RESET client_min_messages;
SELECT robot_registry.version();
SELECT role_name, party FROM robot_registry.actors ORDER BY role_name;
SELECT id, state, owner_name, custodian FROM robot_registry.robots ORDER BY id;
SELECT robot_id, handed_by, code_hash IS NULL AS no_code_yet FROM robot_registry.transfer_codes ORDER BY robot_id;
SELECT robot_id, from_state, to_state, actor = session_user AS by_the_upgrader, detail ->> 'custodian' AS custodian
  FROM robot_registry.events WHERE kind = 'custody derived' ORDER BY robot_id;
SELECT count(*) AS problems FROM robot_registry.verify();
-- and custody holds from now on: the seller's party issues the code of the
-- robot it sold to a person, and sells nothing it no longer holds
SET ROLE regress_upgrade_seller;
SELECT robot_registry.transfer_code('86000100000120260101000000003') ~ '^([A-HJ-NP-Z2-9]{4}-){3}[A-HJ-NP-Z2-9]{4}$' AS code_issued;
SELECT pg_temp.try($$SELECT robot_registry.transition('86000100000120260101000000005', 'sold')$$);
RESET ROLE;
\c contrib_regression
DROP DATABASE robotid_upgrade;
DROP ROLE regress_upgrade_maker, regress_upgrade_seller, regress_upgrade_gone, regress_upgrade_operator,
	regress_upgrade_recycler;
