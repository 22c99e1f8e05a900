/*
 * libFuzzer target for rid_core: every input the parser accepts must
 * round-trip through both output forms and through storage, every input it
 * rejects must be explained, and prefix ranges must agree with has_prefix.
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

	if (rid_prefix_range((const char *) data, size, &low, &high, &err))
	{
		require(rid_compare(&low, &high) <= 0);
		require(rid_has_prefix(&low, (const char *) data, size));
		require(rid_has_prefix(&high, (const char *) data, size));
	}
	return 0;
}
