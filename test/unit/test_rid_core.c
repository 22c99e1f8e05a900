/*
 * Unit tests for rid_core, without PostgreSQL.  Prints TAP.
 */
#include "rid_core.h"
#include "rid_abbrev.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"


static rid_code
parse_ok(const char *text)
{
	rid_code	code = {0, 0};
	rid_error	err;

	if (!rid_parse(text, strlen(text), &code, &err))
	{
		char		buf[256];

		rid_describe(&err, buf, sizeof(buf));
		printf("# unexpected parse failure for \"%s\": %s\n", text, buf);
	}
	return code;
}

static void
check_parse_error(const char *text, rid_status status, int position,
				  const char *detail)
{
	rid_code	code;
	rid_error	err;
	char		buf[256];
	char		name[128];

	memset(&err, 0, sizeof(err));
	snprintf(name, sizeof(name), "rejects \"%s\"", text);
	check(!rid_parse(text, strlen(text), &code, &err) &&
		  err.status == status && err.position == position, name);
	rid_describe(&err, buf, sizeof(buf));
	if (strcmp(buf, detail) != 0)
		printf("# detail was: %s\n", buf);
	snprintf(name, sizeof(name), "explains \"%s\"", text);
	check(strcmp(buf, detail) == 0, name);
}

static uint64_t rng_state = 88172645463325252ULL;

static uint64_t
next_random(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Random codes, mostly clustered the way a real registry is. */
static rid_code
random_code(void)
{
	rid_code	code;

	switch (next_random() % 4)
	{
		case 0:
			code.model_key = next_random() % RID_MODEL_KEY_LIMIT;
			code.serial = next_random() % RID_SERIAL_LIMIT;
			break;
		case 1:
			code.model_key = 860000000000ULL + next_random() % 3 * 1000000 + next_random() % 3;
			code.serial = next_random() % 5;
			break;
		default:
			code.model_key = 860000000000ULL + (next_random() % 120) * 1000000 + next_random() % 4;
			code.serial = 20260529000000000ULL + next_random() % 100000;
			break;
	}
	return code;
}

static void
test_parse_and_format(void)
{
	rid_code	a = parse_ok("86000100012320260529000000001");
	rid_code	b = parse_ok("86-0001-000123-20260529000000001");
	rid_code	c = parse_ok("  86 0001 000123 20260529000000001\t\n");
	char		buf[RID_GROUPED_LENGTH + 1];

	check(a.model_key == 860001000123ULL && a.serial == 20260529000000001ULL,
		  "plain form splits into model key and serial");
	check(rid_compare(&a, &b) == 0, "grouped form with '-' parses to the same code");
	check(rid_compare(&a, &c) == 0, "grouped form with spaces and surrounding blanks");
	rid_format(&a, buf);
	check(strcmp(buf, "86000100012320260529000000001") == 0, "format writes 29 digits");
	rid_format_grouped(&a, buf);
	check(strcmp(buf, "86-0001-000123-20260529000000001") == 0, "format_grouped");
	a = parse_ok("00000000000000000000000000000");
	rid_format(&a, buf);
	check(a.model_key == 0 && a.serial == 0 &&
		  strcmp(buf, "00000000000000000000000000000") == 0, "all zeros");
	a = parse_ok("99999999999999999999999999999");
	check(a.model_key == RID_MODEL_KEY_LIMIT - 1 && a.serial == RID_SERIAL_LIMIT - 1,
		  "all nines");
}

static void
test_parse_errors(void)
{
	check_parse_error("", RID_ERR_EMPTY, 0, "Expected 29 digits, found none.");
	check_parse_error("   ", RID_ERR_EMPTY, 0, "Expected 29 digits, found none.");
	check_parse_error("8600010001232026052900000000", RID_ERR_DIGIT_COUNT, 0,
					  "Expected 29 digits, found 28.");
	check_parse_error("860001000123202605290000000012", RID_ERR_DIGIT_COUNT, 0,
					  "Expected 29 digits, found 30.");
	check_parse_error("8600x100012320260529000000001", RID_ERR_CHARACTER, 5,
					  "Unexpected character \"x\" at position 5: only digits, and one \"-\" or one space between components, are allowed.");
	check_parse_error("86\xc3\xa9", RID_ERR_CHARACTER, 3,
					  "Unexpected byte 0xC3 at position 3: only digits, and one \"-\" or one space between components, are allowed.");
	check_parse_error("860-001-000123-20260529000000001", RID_ERR_SEPARATOR_PLACE, 4,
					  "Unexpected character \"-\" at position 4, after 3 digits: a separator may stand only once after the country (2 digits), manufacturer (6) and model (12).");
	check_parse_error("86--0001-000123-20260529000000001", RID_ERR_SEPARATOR_PLACE, 4,
					  "Unexpected character \"-\" at position 4, after 2 digits: a separator may stand only once after the country (2 digits), manufacturer (6) and model (12).");
	check_parse_error("86-0001 000123-20260529000000001", RID_ERR_SEPARATOR_MIXED, 8,
					  "Unexpected character \" \" at position 8: the code already uses \"-\" as its separator.");
	check_parse_error("86-0001000123-20260529000000001", RID_ERR_SEPARATOR_MISSING, 0,
					  "Found 2 separators: the grouped form needs one at each of the 3 component boundaries.");
	check_parse_error("-86000100012320260529000000001", RID_ERR_SEPARATOR_PLACE, 1,
					  "Unexpected character \"-\" at position 1, after 0 digits: a separator may stand only once after the country (2 digits), manufacturer (6) and model (12).");
	check_parse_error("8600010001232026052900000000-1", RID_ERR_SEPARATOR_PLACE, 29,
					  "Unexpected character \"-\" at position 29, after 28 digits: a separator may stand only once after the country (2 digits), manufacturer (6) and model (12).");
}

static void
test_order_and_storage(void)
{
	int			i;
	int			order_ok = 1;
	int			storage_ok = 1;
	int			roundtrip_ok = 1;

	for (i = 0; i < 200000; i++)
	{
		rid_code	a = random_code();
		rid_code	b = random_code();
		char		da[RID_DIGITS + 1];
		char		db[RID_DIGITS + 1];
		unsigned char pa[RID_STORAGE_SIZE];
		unsigned char pb[RID_STORAGE_SIZE];
		rid_code	back;
		int			by_text;
		int			by_bytes;

		rid_format(&a, da);
		rid_format(&b, db);
		by_text = strcmp(da, db);
		by_text = (by_text > 0) - (by_text < 0);
		if (rid_compare(&a, &b) != by_text)
			order_ok = 0;
		rid_pack(&a, pa);
		rid_pack(&b, pb);
		by_bytes = memcmp(pa, pb, RID_STORAGE_SIZE);
		by_bytes = (by_bytes > 0) - (by_bytes < 0);
		if (by_bytes != by_text)
			storage_ok = 0;
		if (!rid_unpack(pa, &back, NULL) || rid_compare(&a, &back) != 0)
			roundtrip_ok = 0;
	}
	check(order_ok, "rid_compare agrees with strcmp of the digits");
	check(storage_ok, "memcmp of packed bytes agrees with strcmp of the digits");
	check(roundtrip_ok, "pack and unpack round-trip");

	{
		unsigned char bytes[RID_STORAGE_SIZE];
		rid_code	code = {RID_MODEL_KEY_LIMIT, 0};
		rid_error	err;

		rid_pack(&code, bytes);
		check(!rid_unpack(bytes, &code, &err) && err.status == RID_ERR_RANGE,
			  "unpack rejects a model key of 10^12");
		code.model_key = 0;
		code.serial = RID_SERIAL_LIMIT;
		rid_pack(&code, bytes);
		check(!rid_unpack(bytes, &code, &err), "unpack rejects a serial of 10^17");
	}
}

static void
test_components(void)
{
	rid_code	a = parse_ok("86000100012320260529000000001");
	char		buf[32];
	uint64_t	value;
	rid_error	err;
	rid_code	made;

	rid_component_text(&a, RID_COUNTRY, buf);
	check(strcmp(buf, "86") == 0, "country");
	rid_component_text(&a, RID_MANUFACTURER, buf);
	check(strcmp(buf, "0001") == 0, "manufacturer");
	rid_component_text(&a, RID_MODEL, buf);
	check(strcmp(buf, "000123") == 0, "model");
	rid_component_text(&a, RID_SERIAL, buf);
	check(strcmp(buf, "20260529000000001") == 0, "serial");
	rid_component_text(&a, RID_MANUFACTURER_KEY, buf);
	check(strcmp(buf, "860001") == 0, "manufacturer key");
	rid_component_text(&a, RID_MODEL_KEY, buf);
	check(strcmp(buf, "860001000123") == 0, "model key");

	check(rid_component_parse(RID_MANUFACTURER, "0042", 4, &value, &err) && value == 42,
		  "component_parse reads four manufacturer digits");
	check(!rid_component_parse(RID_MANUFACTURER, "042", 3, &value, &err) &&
		  err.status == RID_ERR_WIDTH && err.found == 3 && err.expected == 4,
		  "component_parse rejects too few digits");
	check(!rid_component_parse(RID_COUNTRY, "8a", 2, &value, &err) &&
		  err.status == RID_ERR_NOT_DIGIT && err.position == 2,
		  "component_parse rejects a letter");
	check(rid_make(86, 1, 123, 20260529000000001ULL, &made) &&
		  rid_compare(&made, &a) == 0, "make builds the same code");
	check(!rid_make(100, 1, 1, 1, &made) && !rid_make(1, 1, 1, RID_SERIAL_LIMIT, &made),
		  "make rejects out-of-range components");
}

static void
test_prefix(void)
{
	rid_code	low;
	rid_code	high;
	rid_error	err;
	rid_code	a = parse_ok("86000100012320260529000000001");
	char		buf[RID_DIGITS + 1];
	int			i;
	int			agree = 1;

	check(rid_prefix_range("860001000123", 12, &low, &high, &err) &&
		  low.model_key == 860001000123ULL && low.serial == 0 &&
		  high.model_key == 860001000123ULL && high.serial == RID_SERIAL_LIMIT - 1,
		  "prefix of a model key spans its serials");
	check(rid_prefix_range("", 0, &low, &high, &err) && low.model_key == 0 &&
		  high.serial == RID_SERIAL_LIMIT - 1, "empty prefix spans everything");
	rid_format(&a, buf);
	check(rid_prefix_range(buf, 29, &low, &high, &err) &&
		  rid_compare(&low, &a) == 0 && rid_compare(&high, &a) == 0,
		  "a full code is its own range");
	check(!rid_prefix_range("86x", 3, &low, &high, &err) &&
		  err.status == RID_ERR_NOT_DIGIT && err.position == 3,
		  "prefix rejects a letter");
	check(!rid_prefix_range("860001000123205260529000000001", 30, &low, &high, &err) &&
		  err.status == RID_ERR_TOO_LONG, "prefix rejects 30 digits");

	for (i = 0; i < 100000; i++)
	{
		rid_code	code = random_code();
		rid_code	other = random_code();
		char		digits[RID_DIGITS + 1];
		size_t		len = next_random() % (RID_DIGITS + 1);
		bool		inside;

		rid_format(&other, digits);
		if (i % 2 == 0)
			rid_format(&code, digits);	/* a prefix that matches */
		rid_prefix_range(digits, len, &low, &high, NULL);
		inside = rid_compare(&low, &code) <= 0 && rid_compare(&code, &high) <= 0;
		if (inside != rid_has_prefix(&code, digits, len))
			agree = 0;
	}
	check(agree, "has_prefix holds exactly inside the prefix range");
}

static void
test_decimal(void)
{
	rid_code	code;

	check(rid_from_decimal("1", 1, &code) && code.model_key == 0 && code.serial == 1,
		  "from_decimal pads with leading zeros");
	check(rid_from_decimal("86000100012320260529000000001", 29, &code) &&
		  code.model_key == 860001000123ULL, "from_decimal reads 29 digits");
	check(!rid_from_decimal("100000000000000000000000000000", 30, &code),
		  "from_decimal rejects 10^29");
	check(!rid_from_decimal("-1", 2, &code) && !rid_from_decimal("", 0, &code),
		  "from_decimal rejects a sign and nothing");
}

/*
 * The key as rid_core.c documents it, written the long way: the fields
 * appended one by one to a bit string (at most 116 bits, here in a 128-bit
 * pair), its first 64 bits taken.  rid_abbreviate_from() computes each
 * field on its own and places it; it must give exactly these keys.
 */
typedef struct oracle_bits
{
	uint64_t	high;
	uint64_t	low;
	int			length;
} oracle_bits;

static void
oracle_put(oracle_bits *w, uint64_t bits, int n)
{
	int			i;

	for (i = n - 1; i >= 0; i--)
	{
		w->high = w->high << 1 | w->low >> 63;
		w->low = w->low << 1 | (bits >> i & 1);
		w->length++;
	}
}

/* bit length in length_bits bits, then the bits below the leading 1 */
static void
oracle_put_length_coded(oracle_bits *w, uint64_t value, int length_bits)
{
	int			length = 0;

	while (length < 64 && value >> length != 0)
		length++;
	oracle_put(w, (uint64_t) length, length_bits);
	if (length > 1)
		oracle_put(w, value & ((UINT64_C(1) << (length - 1)) - 1), length - 1);
}

static uint64_t
oracle_abbreviate(const rid_code *code, const rid_code *reference)
{
	oracle_bits w = {0, 0, 0};
	uint64_t	country = code->model_key / 10000000000;
	uint64_t	ref_country = reference->model_key / 10000000000;
	uint64_t	high = code->serial / 1000000000;
	uint64_t	ref_high = reference->serial / 1000000000;

	if (country == ref_country)
		oracle_put(&w, 1, 2);
	else if (country < ref_country)
		oracle_put(&w, country, 9);
	else
		oracle_put(&w, 1 << 7 | country, 8);
	oracle_put_length_coded(&w, code->model_key % 10000000000 / 1000000, 4);
	oracle_put_length_coded(&w, code->model_key % 1000000, 5);
	if (high >= ref_high)
	{
		oracle_put(&w, 1, 1);
		oracle_put_length_coded(&w, high - ref_high, 5);
	}
	else
	{
		/* "0", then the code of ref_high - high - 1 with its bits inverted */
		oracle_bits inverted = {0, 0, 0};
		uint64_t	distance = ref_high - high - 1;

		oracle_put_length_coded(&inverted, distance, 5);
		oracle_put(&w, 0, 1);
		oracle_put(&w, ~inverted.low & ((UINT64_C(1) << inverted.length) - 1), inverted.length);
	}
	oracle_put_length_coded(&w, code->serial % 1000000000, 5);
	if (w.length <= 64)
		return w.low << (64 - w.length);
	return w.high << (128 - w.length) | w.low >> (w.length - 64);
}

/*
 * robot_id_sort.c builds the same conversion a second time for processors
 * with BMI2 and picks one at run time: the copy built here the same way
 * must give the same keys.
 */
#ifdef RID_HAVE_BMI2_BUILD
RID_TARGET_BMI2
static uint64_t
abbreviate_bmi2(const rid_code *code, const rid_code *reference)
{
	rid_abbrev_origin origin;

	rid_abbrev_origin_set(reference, &origin);
	return rid_abbreviate_from(code, &origin);
}
#endif

static void
test_abbreviation_oracle(void)
{
	int			i;
	int			mismatches = 0;
	int			bmi2_mismatches = 0;
	int			bmi2 = 0;

#ifdef RID_HAVE_BMI2_BUILD
	bmi2 = rid_cpu_has_bmi2();
#endif

	for (i = 0; i < 1000000; i++)
	{
		rid_code	a = random_code();
		rid_code	ref = random_code();
		uint64_t	expected;

		switch (i % 4)
		{
			case 0:				/* near the reference */
				a.model_key = ref.model_key;
				a.serial = (ref.serial + next_random() % 2000000000000 + RID_SERIAL_LIMIT - 1000000000000) %
					RID_SERIAL_LIMIT;
				break;
			case 1:				/* the extremes */
				a.model_key = next_random() % 2 ? next_random() % 3 : RID_MODEL_KEY_LIMIT - 1 - next_random() % 3;
				a.serial = next_random() % 2 ? next_random() % 3 : RID_SERIAL_LIMIT - 1 - next_random() % 3;
				break;
			default:
				break;
		}
		expected = oracle_abbreviate(&a, &ref);
		if (rid_abbreviate(&a, &ref) != expected)
			mismatches++;
#ifdef RID_HAVE_BMI2_BUILD
		if (bmi2 && abbreviate_bmi2(&a, &ref) != expected)
			bmi2_mismatches++;
#endif
	}
	check(mismatches == 0, "abbreviated keys are the documented bit string, field by field (1,000,000 codes)");
	if (bmi2)
		check(bmi2_mismatches == 0, "the conversion built for BMI2 gives the same keys (1,000,000 codes)");
	else
		printf("# no BMI2 here: its build of the conversion is not tested\n");
}

static void
test_abbreviation(void)
{
	int			i;
	int			monotone = 1;
	rid_code	reference = parse_ok("86005000000220260529000050000");

	for (i = 0; i < 300000; i++)
	{
		rid_code	a = random_code();
		rid_code	b = random_code();
		uint64_t	ka;
		uint64_t	kb;

		if (i % 3 == 0)
			reference = random_code();
		ka = rid_abbreviate(&a, &reference);
		kb = rid_abbreviate(&b, &reference);
		if ((rid_compare(&a, &b) < 0 && ka > kb) ||
			(rid_compare(&a, &b) > 0 && ka < kb) ||
			(rid_compare(&a, &b) == 0 && ka != kb))
			monotone = 0;
	}
	check(monotone, "abbreviated keys never contradict code order");

	/* neighbours across every field's length and the serial's split */
	monotone = 1;
	for (i = 0; i < 300000; i++)
	{
		rid_code	a = random_code();
		rid_code	b = a;
		rid_code	ref = i % 2 ? random_code() : a;
		uint64_t	step = UINT64_C(1) << (next_random() % 40);

		switch (next_random() % 3)
		{
			case 0:
				b.serial = (a.serial / 1000000000 * 1000000000 + step) % RID_SERIAL_LIMIT;
				break;
			case 1:
				b.serial = (step * 1000000000 - next_random() % 2) % RID_SERIAL_LIMIT;
				break;
			default:
				b.model_key = (a.model_key / 1000000 * 1000000 + step % 1000000) % RID_MODEL_KEY_LIMIT;
				break;
		}
		{
			int			c = rid_compare(&a, &b);
			uint64_t	ka = rid_abbreviate(&a, &ref);
			uint64_t	kb = rid_abbreviate(&b, &ref);

			if ((c < 0 && ka > kb) || (c > 0 && ka < kb) || (c == 0 && ka != kb))
				monotone = 0;
		}
	}
	check(monotone, "neighbouring codes keep their order in their keys");

	/* the layout: country "01", manufacturer 0 and model 0 by their
	 * lengths alone, serial distance 0 as "1" and a length, serial 0 */
	{
		rid_code	c = parse_ok("86000000000000000000000000000");

		check(rid_abbreviate(&c, &c) == UINT64_C(0x4010000000000000),
			  "a code at the origin of its fields gets the shortest string");
	}

	{
		rid_code	lowest = {0, 0};
		rid_code	highest = {RID_MODEL_KEY_LIMIT - 1, RID_SERIAL_LIMIT - 1};
		rid_code	ref = parse_ok("86005000000220260529000050000");

		check(rid_abbreviate(&lowest, &ref) < rid_abbreviate(&ref, &ref) &&
			  rid_abbreviate(&ref, &ref) < rid_abbreviate(&highest, &ref),
			  "the extremes of the code space stay on their side of the reference");
	}
}

static int
compare_keys(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *) a;
	uint64_t	y = *(const uint64_t *) b;

	return (x > y) - (x < y);
}

static int
compare_codes(const void *a, const void *b)
{
	return rid_compare((const rid_code *) a, (const rid_code *) b);
}

/* YYYYMMDD of day n from 1 January 2024, in 360-day years of 30-day months */
static uint64_t
day_prefix(uint64_t n)
{
	return (2024 + n / 360) * 10000 + (n % 360 / 30 + 1) * 100 + n % 30 + 1;
}

/*
 * Distinct keys in one of the realistic distributions of issue 13, with the
 * lowest, the highest or a random code as the reference.
 */
static int
distinct_keys(int distribution, int reference_at, int n)
{
	static rid_code codes[400000];
	static uint64_t keys[400000];
	rid_code	ref;
	int			g;
	int			distinct = 1;
	uint64_t	k;

	for (g = 0; g < n; g++)
	{
		uint64_t	u = (uint64_t) g;

		switch (distribution)
		{
			case 0:				/* 100 makers x 2 models, serial n / 200 */
				rid_make(86, 1 + u % 200 / 2, 1000 + u % 200, u / 200, &codes[g]);
				break;
			case 1:				/* 150 x 2, YYYYMMDD + daily sequence */
				rid_make(86, 1 + u % 300 / 2, 1 + u % 2,
						 day_prefix(u / 300 / 6) * 1000000000 + u / 300 % 6 + 1, &codes[g]);
				break;
			case 2:				/* 9,999 makers, one model each */
				rid_make(86, 1 + u % 9999, 1, u / 9999, &codes[g]);
				break;
			case 3:				/* one model, sparse serials */
				rid_make(86, 42, 7, next_random() % RID_SERIAL_LIMIT, &codes[g]);
				break;
			case 4:				/* one model, dated, 1,825 a day */
				rid_make(86, 42, 7, day_prefix(u / 1825) * 1000000000 + u % 1825 + 1, &codes[g]);
				break;
			default:			/* 20 makers x 300 models, sequential */
				rid_make(86, 1 + u % 6000 / 300, 1 + u % 300, u / 6000, &codes[g]);
				break;
		}
	}
	qsort(codes, (size_t) n, sizeof(rid_code), compare_codes);
	ref = codes[reference_at == 0 ? 0 : reference_at == 1 ? n - 1 :
				(int) (next_random() % (uint64_t) n)];
	for (g = 0; g < n; g++)
		keys[g] = rid_abbreviate(&codes[g], &ref);
	qsort(keys, (size_t) n, sizeof(uint64_t), compare_keys);
	k = keys[0];
	for (g = 1; g < n; g++)
	{
		if (keys[g] != k)
			distinct++;
		k = keys[g];
	}
	return distinct;
}

static void
test_abbreviation_distributions(void)
{
	static const char *const names[] = {
		"100 makers x 2 models, sequential serials",
		"150 makers x 2 models, dated serials",
		"9,999 makers",
		"one model, sparse serials",
		"one model, dated serials",
		"20 makers x 300 models",
	};
	int			d;
	int			r;
	char		what[160];

	for (d = 0; d < 6; d++)
	{
		int			worst = 400000;

		for (r = 0; r < 3; r++)
		{
			int			distinct = distinct_keys(d, r, 400000);

			if (distinct < worst)
				worst = distinct;
		}
		snprintf(what, sizeof(what), "%s: every code its own key, from either end or the middle (%d of 400000)",
				 names[d], worst);
		/* sparse serials may repeat a serial: allow a few */
		check(worst >= 400000 - (d == 3 ? 4 : 0), what);
	}
}

static void
test_model_shares(void)
{
	rid_code	codes[8];
	rid_model_share shares[8];
	rid_code	from;
	rid_code	to;
	int			n;
	int			i;

	/* model 1: serials 100..199 (4 codes), model 2: 0..9 (2), model 5: 7 (2) */
	for (i = 0; i < 4; i++)
		codes[i] = (rid_code) {1, 100 + 33 * i};
	codes[4] = (rid_code) {2, 9};
	codes[5] = (rid_code) {2, 0};
	codes[6] = (rid_code) {5, 7};
	codes[7] = (rid_code) {5, 7};
	n = rid_model_shares(codes, 8, shares);
	check(n == 3 && shares[0].model_key == 1 && shares[0].min_serial == 100 &&
		  shares[0].max_serial == 199 && shares[0].share == 0.5 &&
		  shares[1].min_serial == 0 && shares[1].max_serial == 9 && shares[2].share == 0.25,
		  "model shares: one per model key, in order, with the serials' extent");
	check(rid_shares_in_range(shares, n, NULL, NULL) == 1, "an open range holds every share");
	from = (rid_code) {1, 0};
	to = (rid_code) {2, 0};
	check(rid_shares_in_range(shares, n, &from, &to) == 0.5, "a whole model's range holds its share");
	from = (rid_code) {1, 150};
	to = (rid_code) {1, 175};
	check(rid_shares_in_range(shares, n, &from, &to) == 0.5 * 25 / 100,
		  "a serial range within a model holds its part of the model's extent");
	from = (rid_code) {1, 190};
	to = (rid_code) {5, 7};
	check(rid_shares_in_range(shares, n, &from, &to) == 0.5 * 10 / 100 + 0.25,
		  "a range across models: the ends' parts and the models between");
	from = (rid_code) {3, 0};
	to = (rid_code) {5, 0};
	check(rid_shares_in_range(shares, n, &from, &to) == 0, "a range between models holds nothing");
	from = (rid_code) {5, 7};
	to = (rid_code) {5, 8};
	check(rid_shares_in_range(shares, n, &from, &to) == 0.25, "a model with one serial: all or nothing");
}

static void
test_interpolation(void)
{
	rid_code	a = parse_ok("86000100000120260529000000100");
	rid_code	b = parse_ok("86000100000120260529000000200");
	rid_code	x = parse_ok("86000100000120260529000000150");
	rid_code	far = parse_ok("86000100000220260529000000100");
	rid_code	last = parse_ok("99999999999999999999999999999");
	rid_code	next;

	check(rid_fraction(&a, &b, &x) == 0.5, "a code halfway between two serials is at one half");
	check(rid_fraction(&a, &b, &a) == 0 && rid_fraction(&a, &b, &b) == 1,
		  "the bounds are at 0 and 1");
	check(rid_fraction(&a, &b, &far) == 1 && rid_fraction(&x, &b, &a) == 0,
		  "codes outside the bounds are clamped");
	check(rid_fraction(&a, &a, &a) == 0.5, "equal bounds give one half");
	/* a bucket spanning two models: the next model starts 10^17 serials on */
	x = parse_ok("86000100000200000000000000000");
	check(rid_fraction(&a, &far, &x) > 0.79 && rid_fraction(&a, &far, &x) < 0.80,
		  "interpolation across models counts the serial space of each model");
	check(rid_successor(&a, &next) && next.serial == a.serial + 1 && next.model_key == a.model_key,
		  "the successor of a code is the next serial");
	x = parse_ok("86000100000199999999999999999");
	check(rid_successor(&x, &next) && next.serial == 0 && next.model_key == x.model_key + 1,
		  "the successor of a model's last serial is the next model's first");
	check(!rid_successor(&last, &next), "the largest code has no successor");
}

int
main(void)
{
	test_parse_and_format();
	test_parse_errors();
	test_order_and_storage();
	test_components();
	test_prefix();
	test_decimal();
	test_abbreviation();
	test_interpolation();
	test_model_shares();
	test_abbreviation_distributions();
	test_abbreviation_oracle();
	return tap_finish();
}
