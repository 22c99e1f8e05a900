/*
 * libFuzzer target for rid_core: every input the parser accepts must
 * round-trip through both output forms and through storage, every input it
 * rejects must be explained, prefix ranges must agree with has_prefix, and
 * abbreviated keys must never contradict code order, between any two codes
 * and between codes one field apart.
 */
#include "rid_core.h"

#include <stdlib.h>
#include <string.h>

static void
require(int condition)
{
	if (!condition)
		abort();
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rid_code	code;
	rid_code	again;
	rid_code	low;
	rid_code	high;
	rid_error	err;
	char		text[RID_GROUPED_LENGTH + 1];
	char		detail[512];
	unsigned char bytes[RID_STORAGE_SIZE];

	if (rid_parse((const char *) data, size, &code, &err))
	{
		require(code.model_key < RID_MODEL_KEY_LIMIT);
		require(code.serial < RID_SERIAL_LIMIT);

		rid_format(&code, text);
		require(strlen(text) == RID_DIGITS);
		require(rid_parse(text, strlen(text), &again, NULL));
		require(rid_compare(&code, &again) == 0);

		rid_format_grouped(&code, text);
		require(rid_parse(text, strlen(text), &again, NULL));
		require(rid_compare(&code, &again) == 0);

		rid_pack(&code, bytes);
		require(rid_unpack(bytes, &again, NULL));
		require(rid_compare(&code, &again) == 0);
	}
	else
	{
		int			n = rid_describe(&err, detail, sizeof(detail));

		require(n > 0 && (size_t) n < sizeof(detail));
		require(err.status != RID_OK);
	}

	if (size >= RID_STORAGE_SIZE)
	{
		if (rid_unpack(data, &code, &err))
		{
			rid_format(&code, text);
			require(rid_parse(text, strlen(text), &again, NULL));
			rid_pack(&again, bytes);
			require(memcmp(bytes, data, RID_STORAGE_SIZE) == 0);
		}
	}

	/* two codes to order and a reference for abbreviation, from raw bytes */
	if (size >= 6 * sizeof(uint64_t))
	{
		rid_code	reference;
		uint64_t	raw[6];
		uint64_t	ka;
		uint64_t	kb;
		int			c;

		memcpy(raw, data, sizeof(raw));
		code.model_key = raw[0] % RID_MODEL_KEY_LIMIT;
		code.serial = raw[1] % RID_SERIAL_LIMIT;
		again.model_key = raw[2] % RID_MODEL_KEY_LIMIT;
		again.serial = raw[3] % RID_SERIAL_LIMIT;
		reference.model_key = raw[4] % RID_MODEL_KEY_LIMIT;
		reference.serial = raw[5] % RID_SERIAL_LIMIT;
		ka = rid_abbreviate(&code, &reference);
		kb = rid_abbreviate(&again, &reference);
		c = rid_compare(&code, &again);
		require(c != 0 || ka == kb);
		require(c >= 0 || ka <= kb);
		require(c <= 0 || ka >= kb);

		/*
		 * Random codes rarely share a field, and the key's fields are
		 * coded by their length and their distance from the reference:
		 * also compare codes that differ in one field only, by a step the
		 * input chooses, which crosses lengths and the serial's split at
		 * 10^9, and the reference with its own neighbours.
		 */
		if (size >= 7 * sizeof(uint64_t))
		{
			uint64_t	step;
			rid_code	near = code;

			memcpy(&step, data + 6 * sizeof(uint64_t), sizeof(step));
			switch (step & 3)
			{
				case 0:
					near.serial = (code.serial + (step >> 2)) % RID_SERIAL_LIMIT;
					break;
				case 1:
					near.serial = code.serial / 1000000000 * 1000000000 +
						(step >> 2) % 1000000000;
					break;
				case 2:
					near.model_key = (code.model_key + (step >> 2) % 1000000) % RID_MODEL_KEY_LIMIT;
					break;
				default:
					near = reference;
					near.serial = (reference.serial + (step >> 2) % 3 + RID_SERIAL_LIMIT - 1) %
						RID_SERIAL_LIMIT;
					code = reference;
					ka = rid_abbreviate(&code, &reference);
					break;
			}
			kb = rid_abbreviate(&near, &reference);
			c = rid_compare(&code, &near);
			require(c != 0 || ka == kb);
			require(c >= 0 || ka <= kb);
			require(c <= 0 || ka >= kb);
		}
	}

	if (rid_prefix_range((const char *) data, size, &low, &high, &err))
	{
		require(rid_compare(&low, &high) <= 0);
		require(rid_has_prefix(&low, (const char *) data, size));
		require(rid_has_prefix(&high, (const char *) data, size));
	}
	return 0;
}
