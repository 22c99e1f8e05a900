-- pg_temp.try(sql): run a statement and report its outcome the way a
-- driver sees it: SQLSTATE, constraint, table, message and detail.
CREATE FUNCTION pg_temp.try(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	state text; con text; tab text; sch text; msg text; det text;
BEGIN
	EXECUTE sql;
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, con = CONSTRAINT_NAME,
		tab = TABLE_NAME, sch = SCHEMA_NAME, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
	RETURN concat_ws(' ', state, 'constraint=' || nullif(con, ''),
	                 'table=' || nullif(sch, '') || '.' || nullif(tab, ''),
	                 msg, '(' || nullif(det, '') || ')');
END
$$;
GRANT EXECUTE ON FUNCTION pg_temp.try(text) TO PUBLIC;
