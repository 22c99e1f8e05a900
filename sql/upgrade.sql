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
