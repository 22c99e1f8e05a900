/*
 * robot_id.c
 *		The robot_id type: text and binary I/O, validation, components,
 *		constructors, numeric casts, comparison and hashing.
 */
#include "robotid.h"

#include <limits.h>

#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

PG_MODULE_MAGIC;

/*
 * Parse text into a robot_id, or report 22P02 naming the input and, in the
 * detail, what is wrong and where.
 */
RobotId *
robot_id_parse_text(const char *str, size_t len, struct Node *escontext)
{
	rid_code	code;
	rid_error	err;
	char		detail[256];

	if (!rid_parse(str, len, &code, &err))
	{
		rid_describe(&err, detail, sizeof(detail));
		RID_ERETURN(escontext, NULL,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%.*s\"",
							"robot_id", (int) len, str),
					 errdetail_internal("%s", detail)));
	}
	return robot_id_encode(&code);
}

PG_FUNCTION_INFO_V1(robot_id_in);
Datum
robot_id_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	RobotId    *id;

	/* before 16 there is no soft error: a bad code raises and never returns */
	id = robot_id_parse_text(str, strlen(str), fcinfo->context);
	if (id == NULL)
		PG_RETURN_NULL();
	PG_RETURN_ROBOT_ID_P(id);
}

PG_FUNCTION_INFO_V1(robot_id_out);
Datum
robot_id_out(PG_FUNCTION_ARGS)
{
	rid_code	code;
	char	   *out = palloc(RID_DIGITS + 1);

	robot_id_decode(PG_GETARG_ROBOT_ID_P(0), &code);
	rid_format(&code, out);
	PG_RETURN_CSTRING(out);
}

/*
 * Binary input trusts nothing: 16 bytes that are not a valid code would
 * break ordering and output, so they are refused with 22P03.
 */
PG_FUNCTION_INFO_V1(robot_id_recv);
Datum
robot_id_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	rid_code	code;
	rid_error	err;
	const char *bytes;
	char		detail[256];
	int			available = buf->len - buf->cursor;

	if (available != RID_STORAGE_SIZE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external robot_id value"),
				 errdetail("Expected %d bytes, found %d.",
						   RID_STORAGE_SIZE, available)));
	bytes = pq_getmsgbytes(buf, RID_STORAGE_SIZE);
	if (!rid_unpack((const unsigned char *) bytes, &code, &err))
	{
		rid_describe(&err, detail, sizeof(detail));
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external robot_id value"),
				 errdetail_internal("%s", detail)));
	}
	PG_RETURN_ROBOT_ID_P(robot_id_encode(&code));
}

PG_FUNCTION_INFO_V1(robot_id_send);
Datum
robot_id_send(PG_FUNCTION_ARGS)
{
	RobotId    *id = PG_GETARG_ROBOT_ID_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, (const char *) id->data, RID_STORAGE_SIZE);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Never raises, so it can sit in a CHECK constraint or a WHERE clause. */
PG_FUNCTION_INFO_V1(robot_id_is_valid);
Datum
robot_id_is_valid(PG_FUNCTION_ARGS)
{
	text	   *txt = PG_GETARG_TEXT_PP(0);
	rid_code	code;

	PG_RETURN_BOOL(rid_parse(VARDATA_ANY(txt), VARSIZE_ANY_EXHDR(txt),
							 &code, NULL));
}

PG_FUNCTION_INFO_V1(robot_id_format);
Datum
robot_id_format(PG_FUNCTION_ARGS)
{
	rid_code	code;
	char		out[RID_GROUPED_LENGTH + 1];

	robot_id_decode(PG_GETARG_ROBOT_ID_P(0), &code);
	rid_format_grouped(&code, out);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out, RID_GROUPED_LENGTH));
}

static Datum
component_text(FunctionCallInfo fcinfo, rid_component component)
{
	rid_code	code;
	char		out[RID_SERIAL_DIGITS + 1];

	robot_id_decode(PG_GETARG_ROBOT_ID_P(0), &code);
	rid_component_text(&code, component, out);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out,
											  rid_component_digits(component)));
}

PG_FUNCTION_INFO_V1(robot_id_country);
Datum
robot_id_country(PG_FUNCTION_ARGS)
{
	return component_text(fcinfo, RID_COUNTRY);
}

PG_FUNCTION_INFO_V1(robot_id_manufacturer);
Datum
robot_id_manufacturer(PG_FUNCTION_ARGS)
{
	return component_text(fcinfo, RID_MANUFACTURER);
}

PG_FUNCTION_INFO_V1(robot_id_model);
Datum
robot_id_model(PG_FUNCTION_ARGS)
{
	return component_text(fcinfo, RID_MODEL);
}

PG_FUNCTION_INFO_V1(robot_id_serial);
Datum
robot_id_serial(PG_FUNCTION_ARGS)
{
	return component_text(fcinfo, RID_SERIAL);
}

PG_FUNCTION_INFO_V1(robot_id_manufacturer_key);
Datum
robot_id_manufacturer_key(PG_FUNCTION_ARGS)
{
	return component_text(fcinfo, RID_MANUFACTURER_KEY);
}

PG_FUNCTION_INFO_V1(robot_id_model_key);
Datum
robot_id_model_key(PG_FUNCTION_ARGS)
{
	return component_text(fcinfo, RID_MODEL_KEY);
}

static const char *const component_names[] = {
	[RID_COUNTRY] = "country code",
	[RID_MANUFACTURER] = "manufacturer code",
	[RID_MODEL] = "model code",
	[RID_SERIAL] = "serial number",
	[RID_MANUFACTURER_KEY] = "manufacturer key",
	[RID_MODEL_KEY] = "model key",
};

/* One text argument of make_robot_id, or 22023 naming the component. */
static uint64_t
component_argument(FunctionCallInfo fcinfo, int argno, rid_component component)
{
	text	   *txt = PG_GETARG_TEXT_PP(argno);
	const char *str = VARDATA_ANY(txt);
	int			len = VARSIZE_ANY_EXHDR(txt);
	uint64_t	value;
	rid_error	err;
	char		detail[256];

	if (!rid_component_parse(component, str, (size_t) len, &value, &err))
	{
		rid_describe(&err, detail, sizeof(detail));
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s for robot_id: \"%.*s\"",
						component_names[component], len, str),
				 errdetail_internal("%s", detail),
				 errhint("The %s is exactly %d digits, zero-padded.",
						 component_names[component],
						 rid_component_digits(component))));
	}
	return value;
}

static Datum
make_from(FunctionCallInfo fcinfo, uint64_t serial)
{
	rid_code	code;

	/* every component was range-checked on the way in */
	(void) rid_make(component_argument(fcinfo, 0, RID_COUNTRY),
					component_argument(fcinfo, 1, RID_MANUFACTURER),
					component_argument(fcinfo, 2, RID_MODEL),
					serial, &code);
	PG_RETURN_ROBOT_ID_P(robot_id_encode(&code));
}

PG_FUNCTION_INFO_V1(make_robot_id_text);
Datum
make_robot_id_text(PG_FUNCTION_ARGS)
{
	return make_from(fcinfo, component_argument(fcinfo, 3, RID_SERIAL));
}

PG_FUNCTION_INFO_V1(make_robot_id_bigint);
Datum
make_robot_id_bigint(PG_FUNCTION_ARGS)
{
	int64		serial = PG_GETARG_INT64(3);

	if (serial < 0 || (uint64_t) serial >= RID_SERIAL_LIMIT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid serial number for robot_id: " INT64_FORMAT, serial),
				 serial < 0 ?
				 errdetail("The serial number must not be negative.") :
				 errdetail("The serial number has at most 17 digits.")));
	return make_from(fcinfo, (uint64_t) serial);
}

/*
 * numeric -> robot_id reads the number as the 29-digit code with its
 * leading zeros dropped; negative, fractional, NaN, infinite or >= 10^29
 * values are out of range.
 */
PG_FUNCTION_INFO_V1(robot_id_from_numeric);
Datum
robot_id_from_numeric(PG_FUNCTION_ARGS)
{
	Numeric		num = PG_GETARG_NUMERIC(0);
	char	   *str = DatumGetCString(DirectFunctionCall1(numeric_out,
														  NumericGetDatum(num)));
	size_t		integral = strcspn(str, ".");
	const char *fraction = str + integral;
	rid_code	code;
	bool		ok;

	ok = !numeric_is_nan(num) && str[0] != '-';
	if (ok && *fraction == '.')
		ok = strspn(fraction + 1, "0") == strlen(fraction + 1);
	if (ok)
		ok = rid_from_decimal(str, integral, &code);
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("numeric value %s is out of range for type robot_id", str),
				 errdetail("A robot_id is a whole number from 0 to 10^29 - 1.")));
	PG_RETURN_ROBOT_ID_P(robot_id_encode(&code));
}

PG_FUNCTION_INFO_V1(robot_id_to_numeric);
Datum
robot_id_to_numeric(PG_FUNCTION_ARGS)
{
	rid_code	code;
	char		digits[RID_DIGITS + 1];

	robot_id_decode(PG_GETARG_ROBOT_ID_P(0), &code);
	rid_format(&code, digits);
	return DirectFunctionCall3(numeric_in, CStringGetDatum(digits),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

/* Comparison: LEAKPROOF in SQL, so nothing here may raise. */
#define ROBOT_ID_COMPARISON(name, op) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_BOOL(robot_id_cmp_internal(PG_GETARG_ROBOT_ID_P(0), \
										 PG_GETARG_ROBOT_ID_P(1)) op 0); \
}

ROBOT_ID_COMPARISON(robot_id_eq, ==)
ROBOT_ID_COMPARISON(robot_id_ne, !=)
ROBOT_ID_COMPARISON(robot_id_lt, <)
ROBOT_ID_COMPARISON(robot_id_le, <=)
ROBOT_ID_COMPARISON(robot_id_gt, >)
ROBOT_ID_COMPARISON(robot_id_ge, >=)

PG_FUNCTION_INFO_V1(robot_id_cmp);
Datum
robot_id_cmp(PG_FUNCTION_ARGS)
{
	int			c = robot_id_cmp_internal(PG_GETARG_ROBOT_ID_P(0),
										  PG_GETARG_ROBOT_ID_P(1));

	PG_RETURN_INT32((c > 0) - (c < 0));
}

PG_FUNCTION_INFO_V1(robot_id_smaller);
Datum
robot_id_smaller(PG_FUNCTION_ARGS)
{
	RobotId    *a = PG_GETARG_ROBOT_ID_P(0);
	RobotId    *b = PG_GETARG_ROBOT_ID_P(1);

	PG_RETURN_ROBOT_ID_P(robot_id_cmp_internal(a, b) <= 0 ? a : b);
}

PG_FUNCTION_INFO_V1(robot_id_larger);
Datum
robot_id_larger(PG_FUNCTION_ARGS)
{
	RobotId    *a = PG_GETARG_ROBOT_ID_P(0);
	RobotId    *b = PG_GETARG_ROBOT_ID_P(1);

	PG_RETURN_ROBOT_ID_P(robot_id_cmp_internal(a, b) >= 0 ? a : b);
}

PG_FUNCTION_INFO_V1(robot_id_hash);
Datum
robot_id_hash(PG_FUNCTION_ARGS)
{
	return hash_any(PG_GETARG_ROBOT_ID_P(0)->data, RID_STORAGE_SIZE);
}

PG_FUNCTION_INFO_V1(robot_id_hash_extended);
Datum
robot_id_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_any_extended(PG_GETARG_ROBOT_ID_P(0)->data, RID_STORAGE_SIZE,
							 PG_GETARG_INT64(1));
}
