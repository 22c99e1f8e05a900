/*
 * robot_id_sort.c
 *		Sort support for robot_id: a comparator of two native words, and
 *		abbreviated keys from rid_abbreviate compared as unsigned integers,
 *		so that PostgreSQL 15's specialised sort applies.
 */
#include "robotid.h"
#include "rid_abbrev.h"

#include "common/hashfn.h"
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

static Datum
robot_id_abbrev_convert(Datum original, SortSupport ssup)
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
	/*
	 * Hash both halves: folding them with XOR first, as uuid does with its
	 * random keys, makes distinct keys of structured codes collide, and
	 * the count fell to half the truth on dated serials.
	 */
	if (state->estimating)
		addHyperLogLog(&state->abbreviated_card,
					   hash_combine(hash_bytes_uint32((uint32) key),
									hash_bytes_uint32((uint32) (key >> 32))));
	return UInt64GetDatum(key);
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
		ssup->abbrev_converter = robot_id_abbrev_convert;
		ssup->abbrev_abort = robot_id_abbrev_abort;
		ssup->comparator = ssup_datum_unsigned_cmp;
	}
	PG_RETURN_VOID();
}
