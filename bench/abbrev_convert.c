/*
 * abbrev_convert.c
 *		What a sort pays per row to abbreviate a robot_id, without
 *		PostgreSQL: the conversion as robot_id_sort.c builds it, for the
 *		x86-64 baseline and for BMI2, against uuid's (8 bytes loaded and
 *		byte-swapped).
 *
 * Reads codes, one per line (29 digits), from standard input, in the order
 * a sort would see them; converts all of them with each variant in turn,
 * the order rotating every round, and prints one "variant nanoseconds per
 * code" line per variant and round.  bench/run.sh convert feeds it the
 * sort benchmark's distributions and works out the spread.
 *
 *	abbrev_convert [rounds]
 */
#include "rid_core.h"
#include "rid_abbrev.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A code as stored: two big-endian words, as robot_id keeps it on disk. */
typedef struct stored_code
{
	uint64_t	word[2];
} stored_code;

typedef struct convert_state
{
	int			have_origin;
	rid_abbrev_origin origin;
	int64_t		count;
} convert_state;

/* as in robot_id_sort.c: decode, fix the origin once, convert */
static inline __attribute__((always_inline)) uint64_t
convert_body(const stored_code *code, convert_state *state)
{
	rid_code	decoded;

	decoded.model_key = __builtin_bswap64(code->word[0]);
	decoded.serial = __builtin_bswap64(code->word[1]);
	if (!state->have_origin)
	{
		rid_abbrev_origin_set(&decoded, &state->origin);
		state->have_origin = 1;
	}
	state->count++;
	return rid_abbreviate_from(&decoded, &state->origin);
}

/* called through a pointer, per code, as tuplesort calls a converter */
typedef uint64_t (*converter) (const stored_code *code, convert_state *state);

static uint64_t
convert_baseline(const stored_code *code, convert_state *state)
{
	return convert_body(code, state);
}

#ifdef RID_HAVE_BMI2_BUILD
RID_TARGET_BMI2
static uint64_t
convert_bmi2(const stored_code *code, convert_state *state)
{
	return convert_body(code, state);
}
#endif

/* uuid's conversion: the first 8 bytes, byte-swapped */
static uint64_t
convert_uuid(const stored_code *code, convert_state *state)
{
	state->count++;
	return __builtin_bswap64(code->word[0]);
}

typedef struct variant
{
	const char *name;
	converter	convert;
} variant;

int
main(int argc, char **argv)
{
	int			rounds = argc > 1 ? atoi(argv[1]) : 11;
	size_t		capacity = 1 << 20,
				n = 0;
	stored_code *codes = malloc(capacity * sizeof(stored_code));
	uint64_t   *keys;
	char		line[128];
	variant		variants[3];
	int			nvariants = 0,
				round;
	uint64_t	checksum = 0;

	if (rounds < 1 || codes == NULL)
		return 2;
	while (fgets(line, sizeof(line), stdin))
	{
		rid_code	code;
		rid_error	err;
		size_t		len = strcspn(line, "\r\n");

		if (!rid_parse(line, len, &code, &err))
		{
			fprintf(stderr, "abbrev_convert: not a code: %.*s\n", (int) len, line);
			return 2;
		}
		if (n == capacity)
		{
			capacity *= 2;
			codes = realloc(codes, capacity * sizeof(stored_code));
			if (codes == NULL)
				return 2;
		}
		codes[n].word[0] = __builtin_bswap64(code.model_key);
		codes[n].word[1] = __builtin_bswap64(code.serial);
		n++;
	}
	if (n == 0)
	{
		fprintf(stderr, "abbrev_convert: no codes on standard input\n");
		return 2;
	}
	keys = malloc(n * sizeof(uint64_t));
	if (keys == NULL)
		return 2;
	variants[nvariants++] = (variant) {"uuid", convert_uuid};
	variants[nvariants++] = (variant) {"robot_id", convert_baseline};
#ifdef RID_HAVE_BMI2_BUILD
	if (rid_cpu_has_bmi2())
		variants[nvariants++] = (variant) {"robot_id_bmi2", convert_bmi2};
#endif
	for (round = 0; round < rounds; round++)
	{
		int			k;

		/* rotate which variant goes first */
		for (k = 0; k < nvariants; k++)
		{
			variant    *var = &variants[(round + k) % nvariants];
			convert_state state = {0};
			struct timespec start,
						end;
			size_t		i;

			clock_gettime(CLOCK_MONOTONIC, &start);
			for (i = 0; i < n; i++)
				keys[i] = var->convert(&codes[i], &state);
			clock_gettime(CLOCK_MONOTONIC, &end);
			printf("%s %.3f\n", var->name,
				   ((end.tv_sec - start.tv_sec) * 1e9 +
					(end.tv_nsec - start.tv_nsec)) / n);
			checksum += keys[n / 2] + (uint64_t) state.count;
		}
	}
	/* keeps the conversions from being optimised away */
	fprintf(stderr, "abbrev_convert: %zu codes, checksum %llx\n", n,
			(unsigned long long) checksum);
	return 0;
}
