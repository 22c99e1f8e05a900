-- PostgreSQL 17 and later: COPY ... WITH (ON_ERROR ignore) skips rows whose
-- robot_id does not parse and loads the rest.
CREATE TABLE fleet (id robot_id, note text);
COPY fleet FROM stdin WITH (ON_ERROR ignore);
86-0001-000001-20260529000000001	first
86-0001-000001-2026052900000000x	a letter in the serial
86000100000120260529000000002	digits only
86-0001-0000	too short
86-0002-000001-20260529000000003	third
\.
SELECT id, note FROM fleet ORDER BY id;
SELECT count(*) AS loaded FROM fleet;
-- without ON_ERROR the first bad code stops the COPY, and nothing loads
TRUNCATE fleet;
COPY fleet FROM stdin;
86-0001-000001-20260529000000001	first
86-0001-0000	too short
\.
SELECT count(*) AS loaded FROM fleet;
DROP TABLE fleet;
