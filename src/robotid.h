/*
 * robotid.h
 *		Shared declarations of the robotid extension's PostgreSQL glue, and
 *		the shims between PostgreSQL versions.
 */
#ifndef ROBOTID_H
#define ROBOTID_H

#include "postgres.h"
#include "fmgr.h"
#if PG_VERSION_NUM >= 160000
#include "varatt.h"				/* VARDATA_ANY and friends left postgres.h */
#endif

#include "port/pg_bswap.h"

#include "rid_core.h"

/* A robot_id datum: pass by reference, 16 bytes, char alignment like uuid. */
typedef struct RobotId
{
	unsigned char data[RID_STORAGE_SIZE];
} RobotId;

#define DatumGetRobotIdP(X)		((RobotId *) DatumGetPointer(X))
#define RobotIdPGetDatum(X)		PointerGetDatum(X)
#define PG_GETARG_ROBOT_ID_P(n) DatumGetRobotIdP(PG_GETARG_DATUM(n))
#define PG_RETURN_ROBOT_ID_P(x) return RobotIdPGetDatum(x)


static inline RobotId *
robot_id_encode(const rid_code *code)
{
	RobotId    *id = (RobotId *) palloc(sizeof(RobotId));

	rid_pack(code, id->data);
	return id;
}

/*
 * Code order is the order of the two big-endian words: comparing them as
 * native integers costs two loads and byte swaps, where memcmp() is a call
 * that walks bytes.
 */
static inline uint64
robot_id_word(const RobotId *id, int word)
{
	uint64		value;

	memcpy(&value, id->data + 8 * word, sizeof(value));
	return pg_ntoh64(value);
}

/* stored values were validated on the way in: no range check */
static inline void
robot_id_decode(const RobotId *id, rid_code *code)
{
	code->model_key = robot_id_word(id, 0);
	code->serial = robot_id_word(id, 1);
}

static inline int
robot_id_cmp_internal(const RobotId *a, const RobotId *b)
{
	uint64		a_high = robot_id_word(a, 0);
	uint64		b_high = robot_id_word(b, 0);
	uint64		a_low;
	uint64		b_low;

	if (a_high != b_high)
		return a_high < b_high ? -1 : 1;
	a_low = robot_id_word(a, 1);
	b_low = robot_id_word(b, 1);
	return (a_low > b_low) - (a_low < b_low);
}

/*
 * Soft errors arrived in PostgreSQL 16: input functions report through
 * escontext so that pg_input_is_valid() and COPY ... ON_ERROR can ask
 * without a subtransaction.  Before that, an input error is an ERROR.
 */
#if PG_VERSION_NUM >= 160000
#include "nodes/miscnodes.h"
#define RID_ERETURN(context, dummy, ...) ereturn(context, dummy, __VA_ARGS__)
#else
#define RID_ERETURN(context, dummy, ...) \
	do { (void) (context); ereport(ERROR, __VA_ARGS__); return dummy; } while (0)
#endif

/* PostgreSQL 16 gave stringToQualifiedNameList() a soft-error context. */
#if PG_VERSION_NUM >= 160000
#define RID_QUALIFIED_NAME_LIST(str) stringToQualifiedNameList((str), NULL)
#else
#define RID_QUALIFIED_NAME_LIST(str) stringToQualifiedNameList(str)
#endif

/*
 * PostgreSQL 18 replaced pg_attribute_noreturn(), written after a
 * declaration, by pg_noreturn, written before it.  GCC and clang accept the
 * attribute in either place, so older servers spell pg_noreturn with it.
 */
#ifndef pg_noreturn
#define pg_noreturn pg_attribute_noreturn()
#endif

/* PostgreSQL 18 tells vacuum_delay_point() whether ANALYZE is calling. */
#if PG_VERSION_NUM >= 180000
#define RID_ANALYZE_DELAY_POINT() vacuum_delay_point(true)
#else
#define RID_ANALYZE_DELAY_POINT() vacuum_delay_point()
#endif

/* PostgreSQL 18 gave index_beginscan() an instrumentation argument. */
#if PG_VERSION_NUM >= 180000
#define RID_INDEX_BEGINSCAN(heap, index, snapshot, nkeys, norderbys) \
	index_beginscan((heap), (index), (snapshot), NULL, (nkeys), (norderbys))
#else
#define RID_INDEX_BEGINSCAN(heap, index, snapshot, nkeys, norderbys) \
	index_beginscan((heap), (index), (snapshot), (nkeys), (norderbys))
#endif

/* PostgreSQL 18 always has trace_sort and dropped its TRACE_SORT switch. */
#if PG_VERSION_NUM >= 180000 && !defined(TRACE_SORT)
#define TRACE_SORT 1
#endif

/* Before PostgreSQL 15, sort support had no shared unsigned comparator. */
#if PG_VERSION_NUM < 150000
#include "utils/sortsupport.h"
static inline int
ssup_datum_unsigned_cmp(Datum x, Datum y, SortSupport ssup)
{
	return (x > y) - (x < y);
}
#endif

struct PlannerInfo;
extern double robot_id_prefix_range_selectivity(struct PlannerInfo *root,
												struct Node *key, int varRelid,
												const rid_code *from,
												const rid_code *to);

extern RobotId *robot_id_parse_text(const char *str, size_t len,
									 struct Node *escontext);

/* robot_state.c: robot_state's pg_enum OIDs, RID_STATE_COUNT of them */
extern void robot_state_enum_values(Oid enum_type, Oid *values);

#endif							/* ROBOTID_H */
