/*
 * Unit tests for rid_core, without PostgreSQL.  Prints TAP.
 */
#include "rid_core.h"

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

static void
test_abbreviation(void)
{
	int			i;
	int			monotone = 1;
	int			distinct = 0;
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

	/* edges of the three parts of the key space */
	{
		rid_code	ref = {500000000000ULL, 50000000000000000ULL};
		rid_code	lowest = {0, 0};
		rid_code	highest = {RID_MODEL_KEY_LIMIT - 1, RID_SERIAL_LIMIT - 1};
		rid_code	below = {500000000000ULL - (1ULL << 26) - 1, RID_SERIAL_LIMIT - 1};
		rid_code	near_low = {500000000000ULL - (1ULL << 26), 0};
		rid_code	near_high = {500000000000ULL + (1ULL << 26) - 1, RID_SERIAL_LIMIT - 1};
		rid_code	above = {500000000000ULL + (1ULL << 26), 0};
		uint64_t	k_below = rid_abbreviate(&below, &ref);
		uint64_t	k_near_low = rid_abbreviate(&near_low, &ref);
		uint64_t	k_near_high = rid_abbreviate(&near_high, &ref);
		uint64_t	k_above = rid_abbreviate(&above, &ref);

		check(rid_abbreviate(&lowest, &ref) == 0 &&
			  rid_abbreviate(&highest, &ref) < UINT64_MAX &&
			  rid_abbreviate(&highest, &ref) > k_above,
			  "the extremes of the code space stay inside the key space");
		check(k_below < (1ULL << 62) && k_near_low == (1ULL << 62),
			  "far below ends where the near part begins");
		check(k_near_high == (3ULL << 62) - 1 && k_above >= (3ULL << 62),
			  "the near part ends where far above begins");
		check(rid_abbreviate(&ref, &ref) == (1ULL << 62) + ((1ULL << 26) << 36 | (1ULL << 35)),
			  "the reference sits in the middle of the near part");
	}

	/* scattered codes: distinct keys from the exact far model key */
	{
		rid_code	ref = random_code();
		int			same = 0;

		for (i = 0; i < 10000; i++)
		{
			rid_code	a;
			rid_code	b;

			a.model_key = next_random() % RID_MODEL_KEY_LIMIT;
			a.serial = next_random() % RID_SERIAL_LIMIT;
			b.model_key = next_random() % RID_MODEL_KEY_LIMIT;
			b.serial = next_random() % RID_SERIAL_LIMIT;
			if (rid_compare(&a, &b) != 0 &&
				rid_abbreviate(&a, &ref) == rid_abbreviate(&b, &ref))
				same++;
		}
		check(same < 10, "scattered codes rarely share a key");
	}

	/* realistic data: 200 models, sequential serials: all keys distinct */
	{
		rid_code	ref = parse_ok("86005000000220260529000000500");
		uint64_t	previous = 0;
		int			m;
		int			s;

		distinct = 1;
		for (m = 0; m < 200; m++)
			for (s = 0; s < 1000; s++)
			{
				rid_code	c;
				uint64_t	k;

				rid_make(86, (uint64_t) (1 + m / 2), (uint64_t) (m % 2 + 1),
						 20260529000000000ULL + (uint64_t) s, &c);
				k = rid_abbreviate(&c, &ref);
				if ((m > 0 || s > 0) && k <= previous)
					distinct = 0;
				previous = k;
			}
	}
	check(distinct, "realistic codes get distinct, increasing keys");
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
	return tap_finish();
}
