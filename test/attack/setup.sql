-- The attacker suite's registry, made by the superuser: a small catalogue,
-- LOGIN roles for every actor kind, each acting for a party (two sellers
-- of two parties), and one unmapped role, and robots in every state, each
-- moved only by the party that held it.  Each test/attack/*.sql file then
-- connects as its role.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION pgtap;
CREATE EXTENSION robotid;
SELECT robot_registry_install();
SELECT robot_registry_install_demo();
-- a permissive database: anyone may create objects in public (as before
-- PostgreSQL 15), where a planted operator could wait for an administrator
GRANT CREATE ON SCHEMA public TO PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO PUBLIC;

INSERT INTO robot_registry.manufacturers VALUES ('860001', 'Tiangong Robotics'), ('860002', 'Huake Dynamics');
INSERT INTO robot_registry.models (model_key, name) VALUES ('860001000001', 'Walker A1'), ('860002000001', 'Porter A1');

DO $$
DECLARE r text;
BEGIN
	FOREACH r IN ARRAY ARRAY['attack_nobody', 'attack_maker1', 'attack_maker2', 'attack_seller', 'attack_seller2',
	                         'attack_operator', 'attack_service', 'attack_recycler', 'attack_regulator'] LOOP
		IF to_regrole(r) IS NULL THEN
			EXECUTE format('CREATE ROLE %I LOGIN', r);
		END IF;
	END LOOP;
END
$$;
-- each login acts for a party (custody is by party); two sellers of two
-- parties, so that one's stock is not the other's
INSERT INTO robot_registry.actors (role_name, kind, manufacturer_key, party) VALUES
	('attack_maker1', 'manufacturer', '860001', 'Maker One'),
	('attack_maker2', 'manufacturer', '860002', 'Maker Two'),
	('attack_seller', 'seller', NULL, 'Seller One'),
	('attack_seller2', 'seller', NULL, 'Seller Two'),
	('attack_operator', 'operator', NULL, 'Fleet One'),
	('attack_service', 'service_provider', NULL, 'Service One'),
	('attack_recycler', 'recycler', NULL, 'Recycler One'),
	('attack_regulator', 'regulator', NULL, 'Market Regulator');

-- The robots, each moved only by the party that holds it (act_as() lasts
-- for the transaction).  Maker 1's model:
--   001 new, at the factory (Maker One)
--   002 sold through Seller One to Buyer A for Fleet One (Fleet One)
--   003 sold through Seller One to Buyer C for Fleet One, deployed in
--       Shenzhen, in maintenance, handed to Service One, and recalled by
--       the regulator (Service One)
--   004 scrapped at the factory (Maker One)
--   005 Seller One's stock
--   006 sold by Seller One to a private owner, Buyer F (no party; Seller
--       One issues its transfer codes)
--   007 handed to Recycler One to scrap, not yet recycled (Recycler One)
--   008 Seller Two's stock
--   009 sold by its maker direct to Service One as a loan unit, and
--       handed back: held by the regulator's recall 'hip joint', it is
--       Maker One's, and not at the factory (where its maker would remedy
--       it); Fleet One never held it
-- Maker 2's model: 001 new (Maker Two), 002 recycled (Recycler One).
BEGIN;
SELECT robot_registry.act_as('attack_maker1', NULL);
SELECT robot_registry.register_robot(make_robot_id('86', '0001', '000001', 20260101000000000 + g))
  FROM generate_series(1, 9) g;
SELECT robot_registry.hand_over(id, to_party)
  FROM (VALUES ('86000100000120260101000000002'::robot_id, 'Seller One'), ('86000100000120260101000000003', 'Seller One'),
               ('86000100000120260101000000005', 'Seller One'), ('86000100000120260101000000006', 'Seller One'),
               ('86000100000120260101000000007', 'Recycler One'), ('86000100000120260101000000008', 'Seller Two')) h(id, to_party);
SELECT robot_registry.transition('86000100000120260101000000004', 'recycled');
SELECT robot_registry.transition('86000100000120260101000000009', 'sold', '{"owner": "Service One", "party": "Service One"}');
SELECT robot_registry.act_as('attack_maker2', NULL);
SELECT robot_registry.register_robot(id)
  FROM unnest(ARRAY['86000200000120260101000000001', '86000200000120260101000000002']::robot_id[]) id;
SELECT robot_registry.hand_over('86000200000120260101000000002', 'Recycler One');
SELECT robot_registry.act_as('attack_seller', NULL);
SELECT robot_registry.transition('86000100000120260101000000002', 'sold', '{"owner": "Buyer A", "party": "Fleet One"}');
SELECT robot_registry.transition('86000100000120260101000000003', 'sold', '{"owner": "Buyer C", "party": "Fleet One"}');
SELECT robot_registry.transition('86000100000120260101000000006', 'sold', '{"owner": "Buyer F"}');
SELECT robot_registry.act_as('attack_operator', NULL);
SELECT robot_registry.transition('86000100000120260101000000003', 'deployed', '{"location": "Shenzhen"}');
SELECT robot_registry.transition('86000100000120260101000000003', 'maintenance');
SELECT robot_registry.act_as('attack_service', NULL);
SELECT robot_registry.hand_over('86000100000120260101000000009', 'Maker One', '{"reason": "returned to its maker"}');
SELECT robot_registry.act_as('attack_recycler', NULL);
SELECT robot_registry.transition('86000200000120260101000000002', 'recycled');
SELECT robot_registry.act_as(NULL, NULL);
COMMIT;
-- defects: robots 2 and 3 of maker 1's model reported by the operator,
-- whose party holds them, and robot 1 by maker 1 (the default threshold, 3
-- robots in 90 days, is crossed, on robots three parties hold); maker 2
-- reports its own robot
BEGIN;
SELECT robot_registry.act_as('attack_operator', NULL);
SELECT robot_registry.report_defect(id, 'knee actuator', 'overheats')
  FROM unnest(ARRAY['86000100000120260101000000002', '86000100000120260101000000003']::robot_id[]) id;
SELECT robot_registry.act_as('attack_maker1', NULL);
SELECT robot_registry.report_defect('86000100000120260101000000001', 'knee actuator', 'overheats at the factory');
SELECT robot_registry.act_as('attack_maker2', NULL);
SELECT robot_registry.report_defect('86000200000120260101000000001', 'wheel bearing', 'noisy', 'minor');
SELECT robot_registry.act_as(NULL, NULL);
COMMIT;
-- robot 3 goes to the service provider and is recalled by the regulator,
-- as is robot 9, back with its maker
BEGIN;
SELECT robot_registry.act_as('attack_operator', NULL);
SELECT robot_registry.hand_over('86000100000120260101000000003', 'Service One');
SELECT robot_registry.act_as('attack_regulator', NULL);
SELECT robot_registry.open_recall('860001000001', 'knee joint', '20260101000000003', '20260101000000003');
SELECT robot_registry.open_recall('860001000001', 'hip joint', '20260101000000009', '20260101000000009');
SELECT robot_registry.act_as(NULL, NULL);
COMMIT;
-- the story is custody-correct: no event was an administrator's act for a
-- party that did not hold the robot
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM robot_registry.events WHERE detail ? 'administrator') THEN
		RAISE EXCEPTION 'setup.sql moved a robot for a party that did not hold it';
	END IF;
END
$$;
-- errors as a driver sees them, for comparing two answers
CREATE FUNCTION public.attack_error(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE state text; msg text; det text;
BEGIN
	EXECUTE sql;
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
	RETURN state || ' ' || msg || ' / ' || det;
END
$$;
-- the SQLSTATE and constraint name of an error, for refusals whose message
-- is tested elsewhere
CREATE FUNCTION public.attack_constraint(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE state text; cons text;
BEGIN
	EXECUTE sql;
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, cons = CONSTRAINT_NAME;
	RETURN state || ' ' || cons;
END
$$;
