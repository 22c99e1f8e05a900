/*
 * guard_market.c
 *		robot_market_guard(): no code, no market access.  A trigger for the
 *		user's tables of market events (sales, deployments, rentals) that
 *		checks each event's robot against the registry.
 */
#include "guard_common.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"

#define MARKET_GUARD "robot_market_guard"

/* What the registry's privilege check needs while its name is looked up. */
typedef struct RegistryCheck
{
	TriggerData *trigdata;
	const GuardArgument *columns;
	int			count;
} RegistryCheck;

/*
 * Called by RangeVarGetRelidExtended() before the registry is locked, so
 * that a role may not reference it does not even hold a lock on it.
 */
static void
market_check_registry(const RangeVar *relation, Oid relid, Oid old_relid,
					  void *arg)
{
	RegistryCheck *check = (RegistryCheck *) arg;

	if (OidIsValid(relid))
		guard_check_references(relid,
							   check->trigdata->tg_relation->rd_rel->relowner,
							   check->columns, check->count, check->trigdata,
							   MARKET_GUARD);
}

/*
 * Resolve the arguments: the registry (required, maybe schema-qualified,
 * looked up once per backend with the search_path of that moment), the
 * event's code column and the registry's columns.
 */
static void
market_resolve(GuardCacheEntry *entry, TriggerData *trigdata)
{
	Relation	rel = trigdata->tg_relation;
	GuardArgument args[] = {
		{"registry", NULL, false},
		{"column", "robot_id", false},
		{"id", "id", false},
		{"state", "state", false},
		{"recalled", "recalled", false},
	};
	RegistryCheck check = {trigdata, &args[2], 3};
	Oid			registry_oid;
	Relation	registry;

	guard_parse_arguments(trigdata, MARKET_GUARD, args, lengthof(args));
	if (!args[0].given)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\" needs the argument registry=<table>",
						trigdata->tg_trigger->tgname),
				 errdetail("%s() checks each market event against the registry table.",
						   MARKET_GUARD)));
	guard_load_types(trigdata, &entry->types);
	entry->column_att = guard_column(rel, &args[1], true, entry->types.robot_id,
									 MARKET_GUARD);

	/*
	 * Like a foreign key, the check reads and locks registry rows whoever
	 * writes the event, so the owner of the guarded table must be allowed
	 * to reference the registry.
	 */
	registry_oid = RangeVarGetRelidExtended(makeRangeVarFromNameList(RID_QUALIFIED_NAME_LIST(args[0].value)),
											AccessShareLock, 0,
											market_check_registry, &check);
	guard_watch(entry, registry_oid);
	registry = table_open(registry_oid, AccessShareLock);
	if (registry->rd_rel->relkind != RELKIND_RELATION)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("registry \"%s\" of trigger \"%s\" is not a table",
						args[0].value, trigdata->tg_trigger->tgname),
				 errdetail("The registry must be a plain table; views and partitioned tables cannot be probed through one unique index.")));
	guard_lookup_init(entry, registry, &args[2], &args[3], &args[4], MARKET_GUARD);
	table_close(registry, NoLock);
	guard_cache_ready(entry);
}

/* Whether an UPDATE keeps the event's code: then it is not checked again. */
static bool
market_code_kept(GuardCacheEntry *entry, TupleDesc desc, HeapTuple old_row,
				 Datum new_id, bool new_id_null)
{
	bool		old_id_null;
	Datum		old_id;

	if (new_id_null)
		return false;
	old_id = heap_getattr(old_row, entry->column_att, desc, &old_id_null);
	return !old_id_null &&
		robot_id_cmp_internal(DatumGetRobotIdP(old_id),
							  DatumGetRobotIdP(new_id)) == 0;
}

/*
 * Report why the registry refuses the event's robot.  Does not return:
 * each case ends in guard_violation(), which does not return either.
 */
static void
market_report(GuardCacheEntry *entry, Relation rel, rid_rule rule,
			  Datum id, rid_state state)
{
	char		code[RID_DIGITS + 1];

	guard_format_id(id, false, code);
	switch (rule)
	{
		case RID_RULE_NO_CODE_NO_MARKET:
			guard_violation(rel, rule, guard_rule_message(rule, code),
							psprintf("The registry \"%s\" has no robot with this code; no code, no market access.",
									 get_rel_name(entry->lookups[0].relid)),
							NULL);
		case RID_RULE_NO_REFURBISHMENT:
			guard_violation(rel, rule, guard_rule_message(rule, code),
							psprintf("The registry records it as %s.", rid_state_label(state)),
							NULL);
		default:
			guard_violation(rel, RID_RULE_RECALL_HOLD, guard_rule_message(RID_RULE_RECALL_HOLD, code),
							psprintf("The registry records an open recall for it (state %s).",
									 rid_state_label(state)),
							"Remedy the robot and clear its recall flag first.");
	}
}

/*
 * The event's robot has a code, is registered, is not scrapped and is not
 * under recall.
 */
static void
market_check_robot(GuardCacheEntry *entry, Relation rel, Datum id,
				   bool id_null)
{
	TupleDesc	desc = RelationGetDescr(rel);
	bool		registered;
	rid_state	state = RID_STATE_NONE;
	bool		recalled = false;
	rid_rule	rule;

	/* guard_violation() does not return: no look-up of a null code */
	if (id_null)
		guard_violation(rel, RID_RULE_NO_CODE_NO_MARKET,
						psprintf("a market event in \"%s\" needs a registered robot code",
								 RelationGetRelationName(rel)),
						psprintf("Column \"%s\" is null; no code, no market access.",
								 NameStr(TupleDescAttr(desc, entry->column_att - 1)->attname)),
						NULL);

	registered = guard_lookup_robot(&entry->lookups[0], &entry->types, id, &state, &recalled);
	rule = rid_check_market(registered, state, recalled);
	if (rule != RID_RULE_OK)
		market_report(entry, rel, rule, id, state);
}

/*
 * BEFORE INSERT OR UPDATE FOR EACH ROW.  On UPDATE only a changed code is
 * checked again: correcting a price must not fail because the robot was
 * recalled after the sale.
 */
PG_FUNCTION_INFO_V1(robot_market_guard);
Datum
robot_market_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = guard_check_call(fcinfo, MARKET_GUARD,
											 GUARD_ON_INSERT | GUARD_ON_UPDATE);
	GuardCacheEntry *entry = guard_cache_entry(fcinfo, trigdata);
	Relation	rel = trigdata->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	bool		is_update = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event);
	HeapTuple	new_row = is_update ? trigdata->tg_newtuple : trigdata->tg_trigtuple;
	Datum		id;
	bool		id_null;

	if (!entry->valid)
		market_resolve(entry, trigdata);

	id = heap_getattr(new_row, entry->column_att, desc, &id_null);
	if (is_update && market_code_kept(entry, desc, trigdata->tg_trigtuple, id, id_null))
		return PointerGetDatum(new_row);
	market_check_robot(entry, rel, id, id_null);
	return PointerGetDatum(new_row);
}
