/*
 * guard_lifecycle.c
 *		robot_lifecycle_guard(): the lifecycle trigger.  Legal moves, recall
 *		hold, no refurbishment of scrapped units, and a history that is never
 *		deleted and whose code never changes.
 */
#include "guard_common.h"

#include "access/htup_details.h"
#include "utils/builtins.h"

#define LIFECYCLE_GUARD "robot_lifecycle_guard"

/* "sold, recycled, retired", or "none" */
static char *
lifecycle_next_states(rid_state from)
{
	rid_state	next[RID_STATE_COUNT];
	int			n = rid_state_next(from, next);
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < n; i++)
		appendStringInfo(&buf, "%s%s", i ? ", " : "", rid_state_label(next[i]));
	return n ? buf.data : "none";
}

/*
 * Resolve the trigger into its cache entry: the guarded table's columns
 * and, when it has refurbished_from, look-ups of source robots in the table
 * or its partition tree.
 */
static void
lifecycle_resolve(GuardCacheEntry *entry, TriggerData *trigdata)
{
	Relation	rel = trigdata->tg_relation;
	GuardArgument args[] = {
		{"id", "id", false},
		{"state", "state", false},
		{"recalled", "recalled", false},
		{"refurbished_from", "refurbished_from", false},
	};

	guard_parse_arguments(trigdata, LIFECYCLE_GUARD, args, lengthof(args));
	guard_load_types(trigdata, &entry->types);
	entry->id_att = guard_column(rel, &args[0], true, entry->types.robot_id, LIFECYCLE_GUARD);
	entry->state_att = guard_column(rel, &args[1], true, entry->types.robot_state, LIFECYCLE_GUARD);
	entry->recalled_att = guard_column(rel, &args[2], false, BOOLOID, LIFECYCLE_GUARD);
	entry->refurbished_att = guard_column(rel, &args[3], false, entry->types.robot_id, LIFECYCLE_GUARD);
	if (entry->refurbished_att != InvalidAttrNumber)
		guard_lookup_tree(entry, trigdata, &args[0], &args[1], &args[2],
						  LIFECYCLE_GUARD);
	guard_cache_ready(entry);
}

/*
 * A robot rebuilt from another (refurbished_from set on INSERT, or changed
 * on UPDATE) may not come from a recycled or retired unit.  The source row
 * is locked, so it cannot be scrapped while this transaction is open.  On
 * a partitioned table every leaf is searched: the code is normally in one,
 * but without a unique index over the whole tree each copy is locked and
 * judged.
 */
static void
lifecycle_check_source(GuardCacheEntry *entry, Relation rel, HeapTuple row,
					   const char *code)
{
	TupleDesc	desc = RelationGetDescr(rel);
	bool		isnull;
	Datum		source = heap_getattr(row, entry->refurbished_att, desc, &isnull);
	rid_state	state;
	bool		recalled;
	char		source_code[RID_DIGITS + 1];
	int			i;

	if (isnull)
		return;
	for (i = 0; i < entry->nlookups; i++)
	{
		if (!guard_lookup_robot(&entry->lookups[i], &entry->types, source,
								&state, &recalled) ||
			rid_check_source(state) == RID_RULE_OK)
			continue;
		guard_format_id(source, false, source_code);
		guard_violation(rel, RID_RULE_NO_REFURBISHMENT,
						psprintf("robot %s cannot be rebuilt from scrapped robot %s", code, source_code),
						psprintf("Robot %s is %s; refurbished robots made from scrapped units may not return to the market.",
								 source_code, rid_state_label(state)),
						NULL);
	}
}

/* The lifecycle state a row of the guarded table records. */
static rid_state
lifecycle_row_state(const GuardCacheEntry *entry, HeapTuple row, TupleDesc desc)
{
	bool		isnull;
	Datum		value = heap_getattr(row, entry->state_att, desc, &isnull);

	return guard_decode_state(&entry->types, value, isnull);
}

/*
 * Report a move that breaks rule.  Does not return: no case needs a break,
 * since guard_violation() does not return.
 */
static void
lifecycle_report_move(Relation rel, rid_rule rule, const char *code,
					  rid_state from, rid_state to)
{
	const char *from_label = rid_state_label(from);
	const char *to_label = rid_state_label(to);

	switch (rule)
	{
		case RID_RULE_NO_REFURBISHMENT:
			guard_violation(rel, rule, guard_rule_message(rule, code),
							psprintf("It is %s and cannot move to %s; the only move left is to retired.",
									 from_label, to_label),
							NULL);
		case RID_RULE_RECALL_HOLD:
			guard_violation(rel, rule, guard_rule_message(rule, code),
							psprintf("Move from %s to %s refused while recalled is true.",
									 from_label, to_label),
							"Remedy the robot and clear its recall flag first.");
		default:
			guard_violation(rel, RID_RULE_TRANSITION,
							psprintf("illegal lifecycle transition for robot %s", code),
							psprintf("A robot cannot move from %s to %s.", from_label, to_label),
							psprintf("From %s a robot may move to: %s.", from_label,
									 lifecycle_next_states(from)));
	}
}

/*
 * INSERT: a robot is registered as manufactured, and one rebuilt from
 * another is not rebuilt from a scrapped unit.
 */
static HeapTuple
lifecycle_insert(GuardCacheEntry *entry, Relation rel, HeapTuple new_row)
{
	TupleDesc	desc = RelationGetDescr(rel);
	bool		id_null;
	Datum		id = heap_getattr(new_row, entry->id_att, desc, &id_null);
	rid_state	state = lifecycle_row_state(entry, new_row, desc);
	char		code[RID_DIGITS + 1];

	if (rid_check_register(state) != RID_RULE_OK)
	{
		guard_format_id(id, id_null, code);
		guard_violation(rel, RID_RULE_TRANSITION,
						psprintf("robot %s must be registered as manufactured", code),
						psprintf("It was registered as %s.", rid_state_label(state)),
						NULL);
	}
	if (entry->nlookups > 0)
	{
		guard_format_id(id, id_null, code);
		lifecycle_check_source(entry, rel, new_row, code);
	}
	return new_row;
}

/* UPDATE, first: a robot's identity code never changes. */
static void
lifecycle_check_code_kept(GuardCacheEntry *entry, Relation rel,
						  HeapTuple old_row, Datum new_id, bool new_id_null)
{
	bool		old_id_null;
	Datum		old_id = heap_getattr(old_row, entry->id_att,
									  RelationGetDescr(rel), &old_id_null);
	char		old_code[RID_DIGITS + 1];
	char		new_code[RID_DIGITS + 1];

	if (old_id_null == new_id_null &&
		(new_id_null || robot_id_cmp_internal(DatumGetRobotIdP(old_id),
											  DatumGetRobotIdP(new_id)) == 0))
		return;
	guard_format_id(old_id, old_id_null, old_code);
	guard_format_id(new_id, new_id_null, new_code);
	guard_violation(rel, RID_RULE_HISTORY_IMMUTABLE,
					psprintf("the identity code of robot %s cannot change", old_code),
					psprintf("Attempted to change it to %s.", new_code),
					NULL);
}

/*
 * UPDATE, then: the move from the old state to the new one is legal, and
 * not one that the new row's recall flag holds back.
 */
static void
lifecycle_check_move(GuardCacheEntry *entry, Relation rel, HeapTuple old_row,
					 HeapTuple new_row, Datum id, bool id_null)
{
	TupleDesc	desc = RelationGetDescr(rel);
	rid_state	from = lifecycle_row_state(entry, old_row, desc);
	rid_state	to = lifecycle_row_state(entry, new_row, desc);
	bool		recalled = false;
	rid_rule	rule;
	char		code[RID_DIGITS + 1];

	if (entry->recalled_att != InvalidAttrNumber)
	{
		bool		isnull;
		Datum		flag = heap_getattr(new_row, entry->recalled_att, desc, &isnull);

		recalled = !isnull && DatumGetBool(flag);
	}
	rule = rid_check_move(from, to, recalled);
	if (rule == RID_RULE_OK)
		return;
	guard_format_id(id, id_null, code);
	lifecycle_report_move(rel, rule, code, from, to);
}

/* Whether an UPDATE sets refurbished_from anew: then it is checked again. */
static bool
lifecycle_source_changed(GuardCacheEntry *entry, TupleDesc desc,
						 HeapTuple old_row, HeapTuple new_row)
{
	bool		old_null;
	bool		new_null;
	Datum		old_source = heap_getattr(old_row, entry->refurbished_att,
										  desc, &old_null);
	Datum		new_source = heap_getattr(new_row, entry->refurbished_att,
										  desc, &new_null);

	return !new_null &&
		(old_null ||
		 robot_id_cmp_internal(DatumGetRobotIdP(old_source),
							   DatumGetRobotIdP(new_source)) != 0);
}

/*
 * UPDATE: the code is kept, the move is legal, and a new source is not a
 * scrapped unit, checked in that order.
 */
static HeapTuple
lifecycle_update(GuardCacheEntry *entry, Relation rel, HeapTuple old_row,
				 HeapTuple new_row)
{
	TupleDesc	desc = RelationGetDescr(rel);
	bool		id_null;
	Datum		id = heap_getattr(new_row, entry->id_att, desc, &id_null);
	char		code[RID_DIGITS + 1];

	lifecycle_check_code_kept(entry, rel, old_row, id, id_null);
	lifecycle_check_move(entry, rel, old_row, new_row, id, id_null);
	if (entry->nlookups > 0 &&
		lifecycle_source_changed(entry, desc, old_row, new_row))
	{
		guard_format_id(id, id_null, code);
		lifecycle_check_source(entry, rel, new_row, code);
	}
	return new_row;
}

/* DELETE: a robot's lifecycle history is permanent.  Does not return. */
static void
lifecycle_delete(GuardCacheEntry *entry, Relation rel, HeapTuple old_row)
{
	bool		id_null;
	Datum		id = heap_getattr(old_row, entry->id_att, RelationGetDescr(rel),
								  &id_null);
	char		code[RID_DIGITS + 1];

	guard_format_id(id, id_null, code);
	guard_violation(rel, RID_RULE_HISTORY_IMMUTABLE,
					psprintf("robot %s cannot be deleted", code),
					"A robot's lifecycle history is permanent.",
					"Move it to retired instead.");
}

/*
 * BEFORE INSERT OR UPDATE OR DELETE FOR EACH ROW: legal moves, recall hold,
 * no refurbishment of scrapped units, and a history that is never deleted
 * and whose code never changes.  One helper per event.
 */
PG_FUNCTION_INFO_V1(robot_lifecycle_guard);
Datum
robot_lifecycle_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = guard_check_call(fcinfo, LIFECYCLE_GUARD,
											 GUARD_ON_INSERT | GUARD_ON_UPDATE | GUARD_ON_DELETE);
	GuardCacheEntry *entry = guard_cache_entry(fcinfo, trigdata);
	Relation	rel = trigdata->tg_relation;

	if (!entry->valid)
		lifecycle_resolve(entry, trigdata);

	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		return PointerGetDatum(lifecycle_insert(entry, rel, trigdata->tg_trigtuple));
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		return PointerGetDatum(lifecycle_update(entry, rel, trigdata->tg_trigtuple,
												trigdata->tg_newtuple));
	lifecycle_delete(entry, rel, trigdata->tg_trigtuple);	/* does not return */
	return PointerGetDatum(NULL);
}
