/* robotid 1.2 -> 1.3: robot_registry_install() builds the 1.3 registry */

\echo Use "ALTER EXTENSION robotid UPDATE TO '1.3'" to load this file. \quit

-- Creates schema robot_registry as ordinary objects owned by the caller,
-- not as members of the extension: a database that only wants the type
-- gets no tables, DROP EXTENSION cannot drop registry data without an
-- explicit CASCADE, and pg_dump dumps the registry and its data like any
-- other schema.  This file is generated from registry/registry.sql; the
-- 1.2 registry is kept, frozen, in robotid--1.1--1.2.sql.
CREATE OR REPLACE FUNCTION robot_registry_install() RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $robotid_install$
BEGIN
	IF to_regnamespace('robot_registry') IS NOT NULL THEN
		RAISE EXCEPTION 'schema robot_registry already exists'
			USING ERRCODE = 'duplicate_schema',
			      HINT = 'The registry is installed once per database.';
	END IF;
	EXECUTE $robotid_registry$
