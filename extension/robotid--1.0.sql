/* robotid 1.0: the robot_id type */

\echo Use "CREATE EXTENSION robotid" to load this file. \quit

CREATE TYPE robot_id;

CREATE FUNCTION robot_id_in(cstring) RETURNS robot_id
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION robot_id_out(robot_id) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION robot_id_recv(internal) RETURNS robot_id
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION robot_id_send(robot_id) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE robot_id (
	INPUT = robot_id_in,
	OUTPUT = robot_id_out,
	RECEIVE = robot_id_recv,
	SEND = robot_id_send,
	INTERNALLENGTH = 16,
	ALIGNMENT = char,
	STORAGE = plain,
	CATEGORY = 'U'
);
COMMENT ON TYPE robot_id IS '29-digit robot identity code: country (2), manufacturer (4), model (6), serial (17)';

-- validation, formatting, components

CREATE FUNCTION robot_id_is_valid(text) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION robot_id_is_valid(text) IS 'true when the text is a valid robot_id; never raises';

CREATE FUNCTION robot_id_format(robot_id) RETURNS text
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION robot_id_format(robot_id) IS 'grouped form CC-MMMM-PPPPPP-SSSSSSSSSSSSSSSSS';

CREATE FUNCTION robot_id_country(robot_id) RETURNS text
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION robot_id_manufacturer(robot_id) RETURNS text
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION robot_id_model(robot_id) RETURNS text
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION robot_id_serial(robot_id) RETURNS text
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION robot_id_manufacturer_key(robot_id) RETURNS text
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION robot_id_model_key(robot_id) RETURNS text
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION robot_id_country(robot_id) IS 'country code, 2 digits';
COMMENT ON FUNCTION robot_id_manufacturer(robot_id) IS 'manufacturer code, 4 digits';
COMMENT ON FUNCTION robot_id_model(robot_id) IS 'product model code, 6 digits';
COMMENT ON FUNCTION robot_id_serial(robot_id) IS 'serial number, 17 digits';
COMMENT ON FUNCTION robot_id_manufacturer_key(robot_id) IS 'country and manufacturer, 6 digits';
COMMENT ON FUNCTION robot_id_model_key(robot_id) IS 'country, manufacturer and model, 12 digits';

CREATE FUNCTION make_robot_id(country text, manufacturer text, model text, serial text)
	RETURNS robot_id
	AS 'MODULE_PATHNAME', 'make_robot_id_text'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION make_robot_id(country text, manufacturer text, model text, serial bigint)
	RETURNS robot_id
	AS 'MODULE_PATHNAME', 'make_robot_id_bigint'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- casts

CREATE CAST (text AS robot_id) WITH INOUT AS ASSIGNMENT;
CREATE CAST (robot_id AS text) WITH INOUT AS ASSIGNMENT;

CREATE FUNCTION robot_id(numeric) RETURNS robot_id
	AS 'MODULE_PATHNAME', 'robot_id_from_numeric'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION "numeric"(robot_id) RETURNS numeric
	AS 'MODULE_PATHNAME', 'robot_id_to_numeric'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (numeric AS robot_id) WITH FUNCTION robot_id(numeric);
CREATE CAST (robot_id AS numeric) WITH FUNCTION "numeric"(robot_id);

-- comparison

CREATE FUNCTION robot_id_eq(robot_id, robot_id) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION robot_id_ne(robot_id, robot_id) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION robot_id_lt(robot_id, robot_id) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION robot_id_le(robot_id, robot_id) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION robot_id_gt(robot_id, robot_id) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION robot_id_ge(robot_id, robot_id) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION robot_id_cmp(robot_id, robot_id) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION robot_id_sortsupport(internal) RETURNS void
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION robot_id_hash(robot_id) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION robot_id_hash_extended(robot_id, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION robot_id_smaller(robot_id, robot_id) RETURNS robot_id
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION robot_id_larger(robot_id, robot_id) RETURNS robot_id
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR = (
	LEFTARG = robot_id, RIGHTARG = robot_id, FUNCTION = robot_id_eq,
	COMMUTATOR = =, NEGATOR = <>,
	RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR <> (
	LEFTARG = robot_id, RIGHTARG = robot_id, FUNCTION = robot_id_ne,
	COMMUTATOR = <>, NEGATOR = =,
	RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR < (
	LEFTARG = robot_id, RIGHTARG = robot_id, FUNCTION = robot_id_lt,
	COMMUTATOR = >, NEGATOR = >=,
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR <= (
	LEFTARG = robot_id, RIGHTARG = robot_id, FUNCTION = robot_id_le,
	COMMUTATOR = >=, NEGATOR = >,
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR > (
	LEFTARG = robot_id, RIGHTARG = robot_id, FUNCTION = robot_id_gt,
	COMMUTATOR = <, NEGATOR = <=,
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR >= (
	LEFTARG = robot_id, RIGHTARG = robot_id, FUNCTION = robot_id_ge,
	COMMUTATOR = <=, NEGATOR = <,
	RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE OPERATOR CLASS robot_id_ops
	DEFAULT FOR TYPE robot_id USING btree AS
		OPERATOR 1 <,
		OPERATOR 2 <=,
		OPERATOR 3 =,
		OPERATOR 4 >=,
		OPERATOR 5 >,
		FUNCTION 1 robot_id_cmp(robot_id, robot_id),
		FUNCTION 2 robot_id_sortsupport(internal),
		FUNCTION 4 btequalimage(oid);

CREATE OPERATOR CLASS robot_id_hash_ops
	DEFAULT FOR TYPE robot_id USING hash AS
		OPERATOR 1 =,
		FUNCTION 1 robot_id_hash(robot_id),
		FUNCTION 2 robot_id_hash_extended(robot_id, bigint);

CREATE OPERATOR CLASS robot_id_minmax_ops
	DEFAULT FOR TYPE robot_id USING brin AS
		OPERATOR 1 <,
		OPERATOR 2 <=,
		OPERATOR 3 =,
		OPERATOR 4 >=,
		OPERATOR 5 >,
		FUNCTION 1 brin_minmax_opcinfo(internal),
		FUNCTION 2 brin_minmax_add_value(internal, internal, internal, internal),
		FUNCTION 3 brin_minmax_consistent(internal, internal, internal),
		FUNCTION 4 brin_minmax_union(internal, internal, internal);

CREATE AGGREGATE min(robot_id) (
	SFUNC = robot_id_smaller, STYPE = robot_id,
	COMBINEFUNC = robot_id_smaller, SORTOP = <, PARALLEL = SAFE
);
CREATE AGGREGATE max(robot_id) (
	SFUNC = robot_id_larger, STYPE = robot_id,
	COMBINEFUNC = robot_id_larger, SORTOP = >, PARALLEL = SAFE
);

-- prefix search

CREATE FUNCTION robot_id_prefix_restrict(internal, oid, internal, integer)
	RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION robot_id_starts_with_support(internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION robot_id_starts_with(robot_id, text) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	SUPPORT robot_id_starts_with_support;
COMMENT ON FUNCTION robot_id_starts_with(robot_id, text) IS 'true when the code''s digits start with the 0 to 29 given digits';

CREATE OPERATOR ^@ (
	LEFTARG = robot_id, RIGHTARG = text, FUNCTION = robot_id_starts_with,
	RESTRICT = robot_id_prefix_restrict, JOIN = contjoinsel
);
