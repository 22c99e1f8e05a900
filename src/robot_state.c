/*
 * robot_state.c
 *		The lifecycle in SQL: robot_state_can_transition() and
 *		robot_state_transitions(), read from the transition table the
 *		triggers use.
 */
#include "robotid.h"
#include "lifecycle_core.h"

#include "access/htup_details.h"
#include "catalog/pg_enum.h"
#include "funcapi.h"
#include "utils/syscache.h"

#if PG_VERSION_NUM < 150000
#include "miscadmin.h"
#include "utils/tuplestore.h"

/* InitMaterializedSRF() arrived in PostgreSQL 15; this is what it does. */
static void
InitMaterializedSRF(FunctionCallInfo fcinfo, bits32 flags)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TupleDesc	desc;
	MemoryContext old;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = tuplestore_begin_heap(true, false, work_mem);
	rsinfo->setDesc = CreateTupleDescCopy(desc);
	MemoryContextSwitchTo(old);
}
#endif

/*
 * The pg_enum OIDs of robot_state's values, in the order of rid_state, into
 * values[RID_STATE_COUNT].  Both the triggers and robot_state_transitions()
 * map states to the enum this way, by label.
 */
void
robot_state_enum_values(Oid enum_type, Oid *values)
{
	int			i;

	for (i = 0; i < RID_STATE_COUNT; i++)
	{
		HeapTuple	tuple = SearchSysCache2(ENUMTYPOIDNAME,
											ObjectIdGetDatum(enum_type),
											CStringGetDatum(rid_state_label(i)));

		if (!HeapTupleIsValid(tuple))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("robot_state has no value \"%s\"", rid_state_label(i))));
		values[i] = ((Form_pg_enum) GETSTRUCT(tuple))->oid;
		ReleaseSysCache(tuple);
	}
}

/* The state of an enum value by its label; unknown values have none. */
static rid_state
state_of_enum(Oid value)
{
	HeapTuple	tuple = SearchSysCache1(ENUMOID, ObjectIdGetDatum(value));
	rid_state	state;
	const char *label;

	if (!HeapTupleIsValid(tuple))
		return RID_STATE_NONE;
	label = NameStr(((Form_pg_enum) GETSTRUCT(tuple))->enumlabel);
	state = rid_state_from_label(label, strlen(label));
	ReleaseSysCache(tuple);
	return state;
}

PG_FUNCTION_INFO_V1(robot_state_can_transition);
Datum
robot_state_can_transition(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(rid_state_can_transition(state_of_enum(PG_GETARG_OID(0)),
											state_of_enum(PG_GETARG_OID(1))));
}

/* Every legal (from, to) pair, read from the table the triggers use. */
PG_FUNCTION_INFO_V1(robot_state_transitions);
Datum
robot_state_transitions(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			values[RID_STATE_COUNT];
	int			from;
	int			to;

	InitMaterializedSRF(fcinfo, 0);
	robot_state_enum_values(TupleDescAttr(rsinfo->setDesc, 0)->atttypid, values);
	for (from = 0; from < RID_STATE_COUNT; from++)
		for (to = 0; to < RID_STATE_COUNT; to++)
		{
			Datum		row[2];
			bool		nulls[2] = {false, false};

			if (!rid_state_can_transition(from, to))
				continue;
			row[0] = ObjectIdGetDatum(values[from]);
			row[1] = ObjectIdGetDatum(values[to]);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, row, nulls);
		}
	return (Datum) 0;
}
