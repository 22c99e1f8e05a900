-- The attacker suite's registry, made by the superuser: a small catalogue,
-- LOGIN roles for every actor kind and one unmapped role, and robots in
-- every state.  Each test/attack/*.sql file then connects as its role.
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
	FOREACH r IN ARRAY ARRAY['attack_nobody', 'attack_maker1', 'attack_maker2', 'attack_seller',
	                         'attack_operator', 'attack_service', 'attack_recycler', 'attack_regulator'] LOOP
		IF to_regrole(r) IS NULL THEN
			EXECUTE format('CREATE ROLE %I LOGIN', r);
		END IF;
	END LOOP;
END
$$;
INSERT INTO robot_registry.actors VALUES
	('attack_maker1', 'manufacturer', '860001'),
	('attack_maker2', 'manufacturer', '860002'),
	('attack_seller', 'seller', NULL),
	('attack_operator', 'operator', NULL),
	('attack_service', 'service_provider', NULL),
	('attack_recycler', 'recycler', NULL),
	('attack_regulator', 'regulator', NULL);

-- act_as() lasts for the transaction
BEGIN;
-- robots: maker 1 has a new, a sold, a deployed and a scrapped unit; maker
-- 2 a new and a scrapped one
SELECT robot_registry.act_as('attack_maker1', NULL);
SELECT robot_registry.register_robot(id)
  FROM unnest(ARRAY['86000100000120260101000000001', '86000100000120260101000000002',
                    '86000100000120260101000000003', '86000100000120260101000000004']::robot_id[]) id;
SELECT robot_registry.act_as('attack_maker2', NULL);
SELECT robot_registry.register_robot(id)
  FROM unnest(ARRAY['86000200000120260101000000001', '86000200000120260101000000002']::robot_id[]) id;
SELECT robot_registry.act_as('attack_seller', NULL);
SELECT robot_registry.transition('86000100000120260101000000002', 'sold', '{"owner": "Buyer A", "party": "Buyer A"}');
SELECT robot_registry.transition('86000100000120260101000000003', 'sold', '{"owner": "Buyer C"}');
SELECT robot_registry.act_as('attack_operator', NULL);
SELECT robot_registry.transition('86000100000120260101000000003', 'deployed', '{"location": "Shenzhen"}');
SELECT robot_registry.act_as('attack_recycler', NULL);
SELECT robot_registry.transition('86000100000120260101000000004', 'recycled');
SELECT robot_registry.transition('86000200000120260101000000002', 'recycled');
SELECT robot_registry.act_as(NULL, NULL);
-- robot 3 goes to maintenance and is recalled by the regulator
SELECT robot_registry.act_as('attack_operator', NULL);
SELECT robot_registry.transition('86000100000120260101000000003', 'maintenance');
SELECT robot_registry.act_as('attack_regulator', NULL);
SELECT robot_registry.open_recall('860001000001', 'knee joint', '20260101000000003', '20260101000000003');
SELECT robot_registry.act_as(NULL, NULL);
COMMIT;
-- defects: two robots of maker 1's model reported by the operator, a third
-- by maker 1 (the default threshold, 3 robots in 90 days, is crossed);
-- maker 2 reports its own robot
BEGIN;
SELECT robot_registry.act_as('attack_operator', NULL);
SELECT robot_registry.report_defect(id, 'knee actuator', 'overheats')
  FROM unnest(ARRAY['86000100000120260101000000001', '86000100000120260101000000002']::robot_id[]) id;
SELECT robot_registry.act_as('attack_maker1', NULL);
SELECT robot_registry.report_defect('86000100000120260101000000003', 'knee actuator', 'overheats at the factory');
SELECT robot_registry.act_as('attack_maker2', NULL);
SELECT robot_registry.report_defect('86000200000120260101000000001', 'wheel bearing', 'noisy', 'minor');
SELECT robot_registry.act_as(NULL, NULL);
COMMIT;
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
