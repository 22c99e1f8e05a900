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
 ORDER BY 1;
\c contrib_regression
DROP DATABASE robotid_upgrade;
SELECT extversion FROM pg_extension WHERE extname = 'robotid';
