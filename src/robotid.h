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

static inline void
robot_id_decode(const RobotId *id, rid_code *code)
{
	/* stored values were validated on the way in */
	(void) rid_unpack(id->data, code, NULL);
}

static inline RobotId *
robot_id_encode(const rid_code *code)
{
	RobotId    *id = (RobotId *) palloc(sizeof(RobotId));

	rid_pack(code, id->data);
	return id;
}

static inline int
robot_id_cmp_internal(const RobotId *a, const RobotId *b)
{
	return memcmp(a->data, b->data, RID_STORAGE_SIZE);
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

/* PostgreSQL 18 gave index_beginscan() an instrumentation argument. */
#if PG_VERSION_NUM >= 180000
#define RID_INDEX_BEGINSCAN(heap, index, snapshot, nkeys, norderbys) \
	index_beginscan((heap), (index), (snapshot), NULL, (nkeys), (norderbys))
#else
#define RID_INDEX_BEGINSCAN(heap, index, snapshot, nkeys, norderbys) \
	index_beginscan((heap), (index), (snapshot), (nkeys), (norderbys))
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
