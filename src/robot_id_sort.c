/*
 * robot_id_sort.c
 *		Sort support for robot_id: a comparator of two native words, and
 *		abbreviated keys from rid_abbreviate compared as unsigned integers,
 *		so that PostgreSQL 15's specialised sort applies.
 */
#include "robotid.h"
#include "rid_abbrev.h"

#include "lib/hyperloglog.h"
#include "utils/guc.h"
#include "utils/sortsupport.h"

typedef struct RobotIdSortState
{
	bool		have_origin;
	rid_abbrev_origin origin;	/* from the first code converted */
	int64		input_count;
	bool		estimating;		/* still counting distinct keys */
	hyperLogLogState abbreviated_card;
} RobotIdSortState;

static int
robot_id_fast_cmp(Datum x, Datum y, SortSupport ssup)
{
	return robot_id_cmp_internal(DatumGetRobotIdP(x), DatumGetRobotIdP(y));
}

/*
 * 32 bits of hash of the whole key, for counting distinct keys: a 64-bit
 * finaliser (murmur3's), inline.  Folding the halves together first, as
 * uuid does with its random keys, makes distinct keys of structured codes
 * collide (the count fell to half the truth on dated serials); a call to
 * hash_bytes_uint32 per half took about 10 ns a key against 2 for this
 * (timed in a C loop), which a sort of fewer than 100,000 distinct keys,
 * counting to the end, pays on every row.
 */
static inline uint32
key_hash(uint64 key)
{
	key ^= key >> 33;
	key *= UINT64CONST(0xff51afd7ed558ccd);
	key ^= key >> 33;
	key *= UINT64CONST(0xc4ceb9fe1a85ec53);
	key ^= key >> 33;
	return (uint32) key;
}

/*
 * The converter's body, inlined into each converter below so that each
 * gets the arithmetic built for its own instructions.
 */
static pg_attribute_always_inline Datum
abbrev_convert(Datum original, SortSupport ssup)
{
	RobotIdSortState *state = (RobotIdSortState *) ssup->ssup_extra;
	rid_code	code;
	uint64		key;

	robot_id_decode(DatumGetRobotIdP(original), &code);
	if (!state->have_origin)
	{
		rid_abbrev_origin_set(&code, &state->origin);
		state->have_origin = true;
	}
	key = rid_abbreviate_from(&code, &state->origin);
	state->input_count++;
	if (state->estimating)
		addHyperLogLog(&state->abbreviated_card, key_hash(key));
	return UInt64GetDatum(key);
}

static Datum
robot_id_abbrev_convert(Datum original, SortSupport ssup)
{
	return abbrev_convert(original, ssup);
}

/*
 * The key shifts fields by amounts that differ from code to code.  x86-64's
 * baseline shift by a variable amount (through %cl) is three micro-ops and
 * BMI2's (shlx, shrx) one, so where the processor has BMI2 the same
 * conversion built for it is chosen at run time: the keys are the same,
 * made about a quarter faster (bench/abbrev_convert.c).
 */
#ifdef RID_HAVE_BMI2_BUILD
RID_TARGET_BMI2
static Datum
robot_id_abbrev_convert_bmi2(Datum original, SortSupport ssup)
{
	return abbrev_convert(original, ssup);
}
#endif

typedef Datum (*robot_id_converter) (Datum original, SortSupport ssup);

/* The converter for the processor the server runs on. */
static robot_id_converter
choose_converter(void)
{
#ifdef RID_HAVE_BMI2_BUILD
	if (rid_cpu_has_bmi2())
		return robot_id_abbrev_convert_bmi2;
#endif
	return robot_id_abbrev_convert;
}

static inline bool
tracing_sorts(void)
{
#ifdef TRACE_SORT
	return trace_sort;
#else
	return false;
#endif
}

/*
 * Give up only on data whose keys hardly ever differ, as uuid does; past
 * 100,000 distinct keys abbreviation pays off at any size, and counting
 * stops, unless trace_sort asks how many distinct keys there were.
 */
static bool
robot_id_abbrev_abort(int memtupcount, SortSupport ssup)
{
	RobotIdSortState *state = (RobotIdSortState *) ssup->ssup_extra;
	double		cardinality;
	bool		give_up;

	if (memtupcount < 10000 || state->input_count < 10000 || !state->estimating)
		return false;
	cardinality = estimateHyperLogLog(&state->abbreviated_card);
	give_up = cardinality < state->input_count / 2000.0 + 0.5;
	if (tracing_sorts())
		elog(LOG, "robot_id abbreviation: %.0f distinct keys in " INT64_FORMAT " codes%s",
			 cardinality, state->input_count, give_up ? ", aborting" : "");
	else if (cardinality > 100000.0)
		state->estimating = false;
	return give_up;
}

PG_FUNCTION_INFO_V1(robot_id_sortsupport);
Datum
robot_id_sortsupport(PG_FUNCTION_ARGS)
{
	SortSupport ssup = (SortSupport) PG_GETARG_POINTER(0);

	ssup->comparator = robot_id_fast_cmp;
	ssup->ssup_extra = NULL;

	/* a 32-bit Datum cannot carry the 64-bit key */
	if (ssup->abbreviate && SIZEOF_DATUM >= 8)
	{
		RobotIdSortState *state;
		MemoryContext old = MemoryContextSwitchTo(ssup->ssup_cxt);

		state = palloc0(sizeof(RobotIdSortState));
		state->estimating = true;
		initHyperLogLog(&state->abbreviated_card, 10);
		MemoryContextSwitchTo(old);

		ssup->ssup_extra = state;
		ssup->abbrev_full_comparator = robot_id_fast_cmp;
		ssup->abbrev_converter = choose_converter();
		ssup->abbrev_abort = robot_id_abbrev_abort;
		ssup->comparator = ssup_datum_unsigned_cmp;
	}
	PG_RETURN_VOID();
}
