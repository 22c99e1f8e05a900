/*
 * rid_core.c
 *		Robot identity codes in plain C; see rid_core.h.
 */
#include "rid_core.h"
#include "rid_abbrev.h"

#include <stdlib.h>

#include <stdio.h>
#include <string.h>

static const int component_digits[] = {
	[RID_COUNTRY] = RID_COUNTRY_DIGITS,
	[RID_MANUFACTURER] = RID_MANUFACTURER_DIGITS,
	[RID_MODEL] = RID_MODEL_DIGITS,
	[RID_SERIAL] = RID_SERIAL_DIGITS,
	[RID_MANUFACTURER_KEY] = RID_COUNTRY_DIGITS + RID_MANUFACTURER_DIGITS,
	[RID_MODEL_KEY] = RID_MODEL_KEY_DIGITS,
};

/* powers of ten up to 10^19, the largest that fits in uint64 */
static const uint64_t power10[] = {
	UINT64_C(1), UINT64_C(10), UINT64_C(100), UINT64_C(1000),
	UINT64_C(10000), UINT64_C(100000), UINT64_C(1000000),
	UINT64_C(10000000), UINT64_C(100000000), UINT64_C(1000000000),
	UINT64_C(10000000000), UINT64_C(100000000000),
	UINT64_C(1000000000000), UINT64_C(10000000000000),
	UINT64_C(100000000000000), UINT64_C(1000000000000000),
	UINT64_C(10000000000000000), UINT64_C(100000000000000000),
	UINT64_C(1000000000000000000), UINT64_C(10000000000000000000),
};

static bool
is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		c == '\f' || c == '\v';
}

static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static void
set_error(rid_error *err, rid_status status, int position,
		  unsigned char byte, int found, int expected)
{
	if (err == NULL)
		return;
	err->status = status;
	err->position = position;
	err->byte = byte;
	err->found = found;
	err->expected = expected;
}

/* Split 29 digits held as two integers from the digit buffer. */
static void
code_from_digits(const char *digits, rid_code *out)
{
	uint64_t	model_key = 0;
	uint64_t	serial = 0;
	int			i;

	for (i = 0; i < RID_MODEL_KEY_DIGITS; i++)
		model_key = model_key * 10 + (uint64_t) (digits[i] - '0');
	for (; i < RID_DIGITS; i++)
		serial = serial * 10 + (uint64_t) (digits[i] - '0');
	out->model_key = model_key;
	out->serial = serial;
}

static bool
is_boundary(int digits_before)
{
	return digits_before == RID_COUNTRY_DIGITS ||
		digits_before == RID_COUNTRY_DIGITS + RID_MANUFACTURER_DIGITS ||
		digits_before == RID_MODEL_KEY_DIGITS;
}

/*
 * Accepts the 29 digits, or the grouped form with one '-' or one ' ' at each
 * of the three component boundaries (the same separator throughout), with
 * blanks around either.  The first problem found is reported.
 */
bool
rid_parse(const char *str, size_t len, rid_code *out, rid_error *err)
{
	char		digits[RID_DIGITS];
	size_t		start = 0;
	size_t		end = len;
	size_t		i;
	int			ndigits = 0;
	int			nseparators = 0;
	char		separator = 0;
	bool		previous_was_digit = false;

	while (start < end && is_blank((unsigned char) str[start]))
		start++;
	while (end > start && is_blank((unsigned char) str[end - 1]))
		end--;
	if (start == end)
	{
		set_error(err, RID_ERR_EMPTY, 0, 0, 0, RID_DIGITS);
		return false;
	}

	for (i = start; i < end; i++)
	{
		unsigned char c = (unsigned char) str[i];
		int			position = (int) i + 1;

		if (is_digit(c))
		{
			if (ndigits < RID_DIGITS)
				digits[ndigits] = (char) c;
			ndigits++;
			previous_was_digit = true;
			continue;
		}
		if (c != '-' && c != ' ')
		{
			set_error(err, RID_ERR_CHARACTER, position, c, 0, 0);
			return false;
		}
		if (!previous_was_digit || !is_boundary(ndigits))
		{
			set_error(err, RID_ERR_SEPARATOR_PLACE, position, c, ndigits, 0);
			return false;
		}
		if (separator != 0 && c != separator)
		{
			set_error(err, RID_ERR_SEPARATOR_MIXED, position, c, 0,
					  (unsigned char) separator);
			return false;
		}
		separator = (char) c;
		nseparators++;
		previous_was_digit = false;
	}

	if (ndigits != RID_DIGITS)
	{
		set_error(err, RID_ERR_DIGIT_COUNT, 0, 0, ndigits, RID_DIGITS);
		return false;
	}
	if (nseparators != 0 && nseparators != 3)
	{
		set_error(err, RID_ERR_SEPARATOR_MISSING, 0, 0, nseparators,
				  (unsigned char) separator);
		return false;
	}
	code_from_digits(digits, out);
	return true;
}

static void
write_digits(uint64_t value, int width, char *out)
{
	int			i;

	for (i = width - 1; i >= 0; i--)
	{
		out[i] = (char) ('0' + value % 10);
		value /= 10;
	}
}

/* Writes the 29 digits and a NUL: out needs RID_DIGITS + 1 bytes. */
void
rid_format(const rid_code *code, char *out)
{
	write_digits(code->model_key, RID_MODEL_KEY_DIGITS, out);
	write_digits(code->serial, RID_SERIAL_DIGITS, out + RID_MODEL_KEY_DIGITS);
	out[RID_DIGITS] = '\0';
}

/* CC-MMMM-PPPPPP-SSSSSSSSSSSSSSSSS and a NUL: RID_GROUPED_LENGTH + 1 bytes. */
void
rid_format_grouped(const rid_code *code, char *out)
{
	char		digits[RID_DIGITS + 1];

	rid_format(code, digits);
	memcpy(out, digits, 2);
	out[2] = '-';
	memcpy(out + 3, digits + 2, 4);
	out[7] = '-';
	memcpy(out + 8, digits + 6, 6);
	out[14] = '-';
	memcpy(out + 15, digits + 12, RID_SERIAL_DIGITS);
	out[RID_GROUPED_LENGTH] = '\0';
}

static void
describe_byte(unsigned char byte, char *buf, size_t size)
{
	if (byte >= 0x20 && byte < 0x7f)
		snprintf(buf, size, "character \"%c\"", byte);
	else
		snprintf(buf, size, "byte 0x%02X", byte);
}

/*
 * Explains a parse or range error in one sentence, for errdetail.  Returns
 * what snprintf returns.
 */
int
rid_describe(const rid_error *err, char *buf, size_t size)
{
	char		what[32];

	switch (err->status)
	{
		case RID_OK:
			return snprintf(buf, size, "No error.");
		case RID_ERR_EMPTY:
			return snprintf(buf, size, "Expected 29 digits, found none.");
		case RID_ERR_CHARACTER:
			describe_byte(err->byte, what, sizeof(what));
			return snprintf(buf, size,
							"Unexpected %s at position %d: only digits, and one \"-\" or one space between components, are allowed.",
							what, err->position);
		case RID_ERR_NOT_DIGIT:
			describe_byte(err->byte, what, sizeof(what));
			return snprintf(buf, size,
							"Unexpected %s at position %d: only digits are allowed.",
							what, err->position);
		case RID_ERR_SEPARATOR_PLACE:
			describe_byte(err->byte, what, sizeof(what));
			return snprintf(buf, size,
							"Unexpected %s at position %d, after %d digits: a separator may stand only once after the country (2 digits), manufacturer (6) and model (12).",
							what, err->position, err->found);
		case RID_ERR_SEPARATOR_MIXED:
			describe_byte(err->byte, what, sizeof(what));
			return snprintf(buf, size,
							"Unexpected %s at position %d: the code already uses \"%c\" as its separator.",
							what, err->position, err->expected);
		case RID_ERR_SEPARATOR_MISSING:
			return snprintf(buf, size,
							"Found %d separator%s: the grouped form needs one at each of the 3 component boundaries.",
							err->found, err->found == 1 ? "" : "s");
		case RID_ERR_DIGIT_COUNT:
			return snprintf(buf, size, "Expected %d digits, found %d.",
							err->expected, err->found);
		case RID_ERR_TOO_LONG:
			return snprintf(buf, size, "Expected at most %d digits, found %d.",
							err->expected, err->found);
		case RID_ERR_WIDTH:
			return snprintf(buf, size, "Expected exactly %d digits, found %d.",
							err->expected, err->found);
		case RID_ERR_RANGE:
			return snprintf(buf, size,
							"The model key must be below 10^12 and the serial below 10^17.");
	}
	return snprintf(buf, size, "Unknown error.");
}

int
rid_compare(const rid_code *a, const rid_code *b)
{
	if (a->model_key != b->model_key)
		return a->model_key < b->model_key ? -1 : 1;
	if (a->serial != b->serial)
		return a->serial < b->serial ? -1 : 1;
	return 0;
}

/*
 * The next code, for turning "<= x" into "< x + 1" on these integers; false
 * for the largest code, which has none.
 */
bool
rid_successor(const rid_code *code, rid_code *out)
{
	*out = *code;
	if (++out->serial < RID_SERIAL_LIMIT)
		return true;
	out->serial = 0;
	return ++out->model_key < RID_MODEL_KEY_LIMIT;
}

/*
 * b - a as a double: the model keys' difference (exact) in units of the
 * serial space, plus the serials' difference, so that codes a few serials
 * apart within one model differ by those few, not by nothing, as the two
 * 97-bit numbers converted to doubles would.
 */
static double
rid_distance(const rid_code *a, const rid_code *b)
{
	return ((double) b->model_key - (double) a->model_key) * (double) RID_SERIAL_LIMIT +
		((double) (int64_t) (b->serial - a->serial));
}

/*
 * Where x lies between low and high (low <= high), from 0 to 1, linear in
 * the codes' values: what the planner interpolates with inside a histogram
 * bucket.  Equal bounds give one half.
 */
double
rid_fraction(const rid_code *low, const rid_code *high, const rid_code *x)
{
	double		span = rid_distance(low, high);
	double		part;

	if (span <= 0)
		return 0.5;
	part = rid_distance(low, x) / span;
	return part < 0 ? 0 : part > 1 ? 1 : part;
}

static int
compare_codes(const void *a, const void *b)
{
	return rid_compare((const rid_code *) a, (const rid_code *) b);
}

/*
 * The model keys of a sample of codes, each with its share of the sample
 * and its serials' extent, in model key order.  Sorts codes; out needs room
 * for ncodes entries; returns how many it filled.
 */
int
rid_model_shares(rid_code *codes, int ncodes, rid_model_share *out)
{
	int			n = 0;
	int			i;

	qsort(codes, (size_t) ncodes, sizeof(rid_code), compare_codes);
	for (i = 0; i < ncodes; i++)
	{
		if (n == 0 || out[n - 1].model_key != codes[i].model_key)
		{
			out[n].model_key = codes[i].model_key;
			out[n].min_serial = codes[i].serial;
			out[n].share = 0;
			n++;
		}
		out[n - 1].max_serial = codes[i].serial;
		out[n - 1].share += 1.0 / ncodes;
	}
	return n;
}

/*
 * The share of the sampled codes in [from, to), a NULL end being open: the
 * shares of the models inside, and of each model at an end the part of its
 * serials' extent inside, as if its codes were spread evenly over it.
 * Sequential serials are; random ones nearly are.
 */
double
rid_shares_in_range(const rid_model_share *shares, int nshares,
					const rid_code *from, const rid_code *to)
{
	int			lo = 0;
	int			hi = nshares;
	double		total = 0;

	/* the first model at or after from's */
	if (from != NULL)
	{
		while (lo < hi)
		{
			int			mid = lo + (hi - lo) / 2;

			if (shares[mid].model_key < from->model_key)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	for (; lo < nshares; lo++)
	{
		const rid_model_share *m = &shares[lo];
		uint64_t	first = m->min_serial;
		uint64_t	last = m->max_serial + 1;	/* half-open */
		uint64_t	start = first;
		uint64_t	end = last;

		if (to != NULL && m->model_key > to->model_key)
			break;
		if (from != NULL && m->model_key == from->model_key && from->serial > start)
			start = from->serial;
		if (to != NULL && m->model_key == to->model_key && to->serial < end)
			end = to->serial;
		if (end > start)
			total += m->share * (double) (end - start) / (double) (last - first);
	}
	return total;
}

static void
put_be64(uint64_t value, unsigned char *out)
{
	int			i;

	for (i = 7; i >= 0; i--)
	{
		out[i] = (unsigned char) (value & 0xff);
		value >>= 8;
	}
}

static uint64_t
get_be64(const unsigned char *in)
{
	uint64_t	value = 0;
	int			i;

	for (i = 0; i < 8; i++)
		value = (value << 8) | in[i];
	return value;
}

/* Writes the 16 storage bytes, whose memcmp order is code order. */
void
rid_pack(const rid_code *code, unsigned char *out)
{
	put_be64(code->model_key, out);
	put_be64(code->serial, out + 8);
}

/* Reads 16 storage bytes; false when they cannot be a code. */
bool
rid_unpack(const unsigned char *in, rid_code *out, rid_error *err)
{
	out->model_key = get_be64(in);
	out->serial = get_be64(in + 8);
	if (out->model_key >= RID_MODEL_KEY_LIMIT ||
		out->serial >= RID_SERIAL_LIMIT)
	{
		set_error(err, RID_ERR_RANGE, 0, 0, 0, 0);
		return false;
	}
	return true;
}

int
rid_component_digits(rid_component component)
{
	return component_digits[component];
}

uint64_t
rid_component_value(const rid_code *code, rid_component component)
{
	switch (component)
	{
		case RID_COUNTRY:
			return code->model_key / power10[10];
		case RID_MANUFACTURER:
			return code->model_key / power10[6] % power10[4];
		case RID_MODEL:
			return code->model_key % power10[6];
		case RID_SERIAL:
			return code->serial;
		case RID_MANUFACTURER_KEY:
			return code->model_key / power10[6];
		case RID_MODEL_KEY:
			return code->model_key;
	}
	return 0;
}

/* Zero-padded digits of one component and a NUL: at most 18 bytes. */
void
rid_component_text(const rid_code *code, rid_component component, char *out)
{
	int			width = component_digits[component];

	write_digits(rid_component_value(code, component), width, out);
	out[width] = '\0';
}

/* Exactly the component's number of digits, nothing else. */
bool
rid_component_parse(rid_component component, const char *str, size_t len,
					uint64_t *out, rid_error *err)
{
	int			width = component_digits[component];
	uint64_t	value = 0;
	size_t		i;

	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) str[i];

		if (!is_digit(c))
		{
			set_error(err, RID_ERR_NOT_DIGIT, (int) i + 1, c, 0, 0);
			return false;
		}
	}
	if (len != (size_t) width)
	{
		set_error(err, RID_ERR_WIDTH, 0, 0, (int) len, width);
		return false;
	}
	for (i = 0; i < len; i++)
		value = value * 10 + (uint64_t) (str[i] - '0');
	*out = value;
	return true;
}

/* False when a component is out of its range. */
bool
rid_make(uint64_t country, uint64_t manufacturer, uint64_t model,
		 uint64_t serial, rid_code *out)
{
	if (country >= power10[RID_COUNTRY_DIGITS] ||
		manufacturer >= power10[RID_MANUFACTURER_DIGITS] ||
		model >= power10[RID_MODEL_DIGITS] ||
		serial >= RID_SERIAL_LIMIT)
		return false;
	out->model_key = (country * power10[RID_MANUFACTURER_DIGITS] + manufacturer)
		* power10[RID_MODEL_DIGITS] + model;
	out->serial = serial;
	return true;
}

/*
 * The smallest and largest codes whose digits start with the prefix of 0 to
 * 29 digits.  Fixed width makes the range exact: a code has the prefix if
 * and only if it lies between the two.
 */
bool
rid_prefix_range(const char *prefix, size_t len, rid_code *low,
				 rid_code *high, rid_error *err)
{
	char		low_digits[RID_DIGITS];
	char		high_digits[RID_DIGITS];
	size_t		i;

	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) prefix[i];

		if (!is_digit(c))
		{
			set_error(err, RID_ERR_NOT_DIGIT, (int) i + 1, c, 0, 0);
			return false;
		}
	}
	if (len > RID_DIGITS)
	{
		set_error(err, RID_ERR_TOO_LONG, 0, 0, (int) len, RID_DIGITS);
		return false;
	}
	memcpy(low_digits, prefix, len);
	memcpy(high_digits, prefix, len);
	memset(low_digits + len, '0', RID_DIGITS - len);
	memset(high_digits + len, '9', RID_DIGITS - len);
	code_from_digits(low_digits, low);
	code_from_digits(high_digits, high);
	return true;
}

/* The prefix must already have passed rid_prefix_range. */
bool
rid_has_prefix(const rid_code *code, const char *prefix, size_t len)
{
	char		digits[RID_DIGITS + 1];

	rid_format(code, digits);
	return memcmp(digits, prefix, len) == 0;
}

/*
 * An unsigned integer of 1 to 29 digits, as numeric prints it, read as a
 * code: the number's value is the 29-digit code left-padded with zeros.
 */
bool
rid_from_decimal(const char *digits, size_t len, rid_code *out)
{
	char		padded[RID_DIGITS];
	size_t		i;

	if (len == 0 || len > RID_DIGITS)
		return false;
	for (i = 0; i < len; i++)
		if (!is_digit((unsigned char) digits[i]))
			return false;
	memset(padded, '0', RID_DIGITS - len);
	memcpy(padded + RID_DIGITS - len, digits, len);
	code_from_digits(padded, out);
	return true;
}

/* The key alone, for tests and the fuzz target; sorts use rid_abbrev.h. */
uint64_t
rid_abbreviate(const rid_code *code, const rid_code *reference)
{
	rid_abbrev_origin origin;

	rid_abbrev_origin_set(reference, &origin);
	return rid_abbreviate_from(code, &origin);
}
