-- robot_market_guard: no code, no market access.

\i sql/include/try.sql

CREATE SCHEMA registry;
CREATE TABLE registry.robots (
	id robot_id PRIMARY KEY,
	state robot_state NOT NULL DEFAULT 'manufactured',
	recalled boolean NOT NULL DEFAULT false
);
INSERT INTO registry.robots (id, state, recalled) VALUES
	('86000100012320260529000000001', 'manufactured', false),
	('86000100012320260529000000002', 'deployed', false),
	('86000100012320260529000000003', 'maintenance', true),
	('86000100012320260529000000004', 'recycled', false),
	('86000100012320260529000000005', 'retired', true);

CREATE TABLE sales (sale_id int GENERATED ALWAYS AS IDENTITY, robot_id robot_id, price numeric);
CREATE TRIGGER sales_market BEFORE INSERT OR UPDATE ON sales
	FOR EACH ROW EXECUTE FUNCTION robot_market_guard('registry=registry.robots');

INSERT INTO sales (robot_id, price) VALUES ('86000100012320260529000000001', 1000);
INSERT INTO sales (robot_id, price) VALUES ('86000100012320260529000000002', 900);
-- a code the registry does not have
INSERT INTO sales (robot_id, price) VALUES ('86000100012320260529000000099', 1);
SELECT pg_temp.try($$INSERT INTO sales (robot_id, price) VALUES ('86000100012320260529000000099', 1)$$);
SELECT pg_temp.try($$INSERT INTO sales (robot_id, price) VALUES (NULL, 1)$$);
-- recalled
SELECT pg_temp.try($$INSERT INTO sales (robot_id, price) VALUES ('86000100012320260529000000003', 1)$$);
-- scrapped, recalled or not
SELECT pg_temp.try($$INSERT INTO sales (robot_id, price) VALUES ('86000100012320260529000000004', 1)$$);
SELECT pg_temp.try($$INSERT INTO sales (robot_id, price) VALUES ('86000100012320260529000000005', 1)$$);
-- updates: another code is checked, a price correction is not
SELECT pg_temp.try($$UPDATE sales SET robot_id = '86000100012320260529000000004' WHERE sale_id = 1$$);
UPDATE registry.robots SET recalled = true WHERE id = '86000100012320260529000000001';
UPDATE sales SET price = 1100 WHERE sale_id = 1;
SELECT robot_id, price FROM sales ORDER BY sale_id;
-- remedied: sellable again
UPDATE registry.robots SET recalled = false WHERE id = '86000100012320260529000000003';
INSERT INTO sales (robot_id, price) VALUES ('86000100012320260529000000003', 500);
SELECT count(*) FROM sales;

-- renamed columns on both sides
CREATE TABLE registry.passports (code robot_id PRIMARY KEY, lifecycle robot_state NOT NULL, held boolean);
INSERT INTO registry.passports VALUES ('86000100012320260529000000001', 'sold', NULL),
	('86000100012320260529000000002', 'sold', true);
CREATE TABLE rentals (robot robot_id NOT NULL, days int);
CREATE TRIGGER rentals_market BEFORE INSERT ON rentals FOR EACH ROW
	EXECUTE FUNCTION robot_market_guard('registry=registry.passports', 'column=robot',
	                                    'id=code', 'state=lifecycle', 'recalled=held');
INSERT INTO rentals VALUES ('86000100012320260529000000001', 3);
SELECT pg_temp.try($$INSERT INTO rentals VALUES ('86000100012320260529000000002', 3)$$);
-- a registry without a recalled column has the recall rule off
CREATE TABLE registry.bare (id robot_id PRIMARY KEY, state robot_state);
INSERT INTO registry.bare VALUES ('86000100012320260529000000002', 'sold');
CREATE TABLE leases (robot_id robot_id);
CREATE TRIGGER leases_market BEFORE INSERT ON leases FOR EACH ROW
	EXECUTE FUNCTION robot_market_guard('registry=registry.bare');
INSERT INTO leases VALUES ('86000100012320260529000000002');
-- the registry name is resolved with the search_path
SET search_path = registry, public;
CREATE TABLE public.deployments (robot_id robot_id);
CREATE TRIGGER deployments_market BEFORE INSERT ON public.deployments FOR EACH ROW
	EXECUTE FUNCTION robot_market_guard('registry=bare');
INSERT INTO public.deployments VALUES ('86000100012320260529000000002');
RESET search_path;

-- misuse
CREATE TABLE misuse (robot_id robot_id, code_text text);
CREATE TRIGGER m BEFORE INSERT ON misuse FOR EACH ROW EXECUTE FUNCTION robot_market_guard();
SELECT pg_temp.try($$INSERT INTO misuse VALUES ('86000100012320260529000000001')$$);
DROP TRIGGER m ON misuse;
CREATE TRIGGER m BEFORE INSERT ON misuse FOR EACH ROW EXECUTE FUNCTION robot_market_guard('registry=registry.nope');
SELECT pg_temp.try($$INSERT INTO misuse VALUES ('86000100012320260529000000001')$$);
DROP TRIGGER m ON misuse;
CREATE TRIGGER m BEFORE INSERT ON misuse FOR EACH ROW EXECUTE FUNCTION robot_market_guard('registry=registry.robots', 'column=code');
SELECT pg_temp.try($$INSERT INTO misuse VALUES ('86000100012320260529000000001')$$);
DROP TRIGGER m ON misuse;
CREATE TRIGGER m BEFORE INSERT ON misuse FOR EACH ROW EXECUTE FUNCTION robot_market_guard('registry=registry.robots', 'column=code_text');
SELECT pg_temp.try($$INSERT INTO misuse VALUES ('86000100012320260529000000001')$$);
DROP TRIGGER m ON misuse;
CREATE TRIGGER m BEFORE INSERT ON misuse FOR EACH ROW EXECUTE FUNCTION robot_market_guard('registry=registry.robots', 'state=lifecycle');
SELECT pg_temp.try($$INSERT INTO misuse VALUES ('86000100012320260529000000001')$$);
DROP TRIGGER m ON misuse;
CREATE TRIGGER m BEFORE INSERT ON misuse FOR EACH ROW EXECUTE FUNCTION robot_market_guard('registry=registry.robots', 'refurbished_from=x');
SELECT pg_temp.try($$INSERT INTO misuse VALUES ('86000100012320260529000000001')$$);
DROP TRIGGER m ON misuse;
CREATE TRIGGER m BEFORE DELETE ON misuse FOR EACH ROW EXECUTE FUNCTION robot_market_guard('registry=registry.robots');
INSERT INTO misuse VALUES ('86000100012320260529000000001');
SELECT pg_temp.try($$DELETE FROM misuse$$);
DROP TRIGGER m ON misuse;
CREATE TABLE registry.no_key (id robot_id, state robot_state);
CREATE TRIGGER m BEFORE INSERT ON misuse FOR EACH ROW EXECUTE FUNCTION robot_market_guard('registry=registry.no_key');
SELECT pg_temp.try($$INSERT INTO misuse VALUES ('86000100012320260529000000001')$$);
DROP TRIGGER m ON misuse;
CREATE VIEW registry.robot_view AS SELECT * FROM registry.robots;
CREATE TRIGGER m BEFORE INSERT ON misuse FOR EACH ROW EXECUTE FUNCTION robot_market_guard('registry=registry.robot_view');
SELECT pg_temp.try($$INSERT INTO misuse VALUES ('86000100012320260529000000001')$$);
DROP TRIGGER m ON misuse;

-- like a foreign key, the owner of the guarded table must be allowed to
-- reference the registry: SELECT alone does not let a role probe codes or
-- lock registry rows through a trigger on a table of its own
CREATE ROLE robotid_regress_seller;
CREATE ROLE robotid_regress_partners;
GRANT USAGE ON SCHEMA registry TO robotid_regress_seller;
GRANT SELECT ON registry.robots TO robotid_regress_seller;
GRANT CREATE ON SCHEMA public TO robotid_regress_seller;
SET ROLE robotid_regress_seller;
CREATE TABLE public.seller_sales (robot_id robot_id);
CREATE TRIGGER m BEFORE INSERT ON public.seller_sales FOR EACH ROW
	EXECUTE FUNCTION robot_market_guard('registry=registry.robots');
INSERT INTO public.seller_sales VALUES ('86000100012320260529000000001');
SELECT pg_temp.try($$INSERT INTO public.seller_sales VALUES ('86000100012320260529000000001')$$);
RESET ROLE;
-- whoever writes: the owner's privileges count
SELECT pg_temp.try($$INSERT INTO public.seller_sales VALUES ('86000100012320260529000000001')$$);
GRANT REFERENCES ON registry.robots TO robotid_regress_seller;
SET ROLE robotid_regress_seller;
SELECT pg_temp.try($$INSERT INTO public.seller_sales VALUES ('86000100012320260529000000001')$$);
SELECT pg_temp.try($$INSERT INTO public.seller_sales VALUES ('86000100012320260529000000004')$$);
RESET ROLE;
-- a REVOKE is noticed by the cached trigger at the next row
REVOKE REFERENCES ON registry.robots FROM robotid_regress_seller;
SET ROLE robotid_regress_seller;
SELECT pg_temp.try($$INSERT INTO public.seller_sales VALUES ('86000100012320260529000000001')$$);
RESET ROLE;
-- column privileges: every column the guard reads, recalled included
GRANT REFERENCES (id, state) ON registry.robots TO robotid_regress_seller;
SELECT pg_temp.try($$INSERT INTO public.seller_sales VALUES ('86000100012320260529000000001')$$);
GRANT REFERENCES (recalled) ON registry.robots TO robotid_regress_seller;
SELECT pg_temp.try($$INSERT INTO public.seller_sales VALUES ('86000100012320260529000000001')$$);
REVOKE REFERENCES (recalled) ON registry.robots FROM robotid_regress_seller;
SELECT pg_temp.try($$INSERT INTO public.seller_sales VALUES ('86000100012320260529000000001')$$);
-- a registry without a recalled column needs only id and state
GRANT USAGE ON SCHEMA registry TO robotid_regress_partners;
GRANT REFERENCES (id, state) ON registry.bare TO robotid_regress_seller;
CREATE TABLE public.seller_leases (robot_id robot_id);
ALTER TABLE public.seller_leases OWNER TO robotid_regress_seller;
CREATE TRIGGER m BEFORE INSERT ON public.seller_leases FOR EACH ROW
	EXECUTE FUNCTION robot_market_guard('registry=registry.bare');
SELECT pg_temp.try($$INSERT INTO public.seller_leases VALUES ('86000100012320260529000000002')$$);
-- a privilege held through a role: revoking the membership is noticed too
REVOKE REFERENCES (id, state) ON registry.robots FROM robotid_regress_seller;
GRANT REFERENCES ON registry.robots TO robotid_regress_partners;
GRANT robotid_regress_partners TO robotid_regress_seller;
SELECT pg_temp.try($$INSERT INTO public.seller_sales VALUES ('86000100012320260529000000001')$$);
REVOKE robotid_regress_partners FROM robotid_regress_seller;
SELECT pg_temp.try($$INSERT INTO public.seller_sales VALUES ('86000100012320260529000000001')$$);
-- a new owner is checked afresh
ALTER TABLE public.seller_sales OWNER TO robotid_regress_partners;
SELECT pg_temp.try($$INSERT INTO public.seller_sales VALUES ('86000100012320260529000000001')$$);
-- that the refusal comes before any lock is proved in specs/guard_privilege.spec
SELECT robot_id FROM public.seller_sales ORDER BY robot_id;
DROP TABLE public.seller_sales, public.seller_leases;
REVOKE ALL ON registry.robots, registry.bare FROM robotid_regress_seller, robotid_regress_partners;
REVOKE ALL ON SCHEMA registry FROM robotid_regress_seller, robotid_regress_partners;
REVOKE ALL ON SCHEMA public FROM robotid_regress_seller;
DROP ROLE robotid_regress_seller, robotid_regress_partners;

DROP TABLE sales, rentals, leases, public.deployments, misuse;
DROP SCHEMA registry CASCADE;
