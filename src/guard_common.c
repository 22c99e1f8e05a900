/*
 * guard_common.c
 *		Shared machinery of the lifecycle and market triggers; see
 *		guard_common.h.
 */
#include "guard_common.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/relscan.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/partition.h"
#include "catalog/pg_am.h"
#include "catalog/pg_index.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

static HTAB *guard_cache = NULL;

/*
 * Validate how a guard was called: as a row-level BEFORE trigger for the
 * events it handles.  Anything else is trigger protocol misuse, 39P01.
 */
TriggerData *
guard_check_call(FunctionCallInfo fcinfo, const char *name, int events)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TriggerEvent event;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s() was not called by the trigger manager", name),
				 errhint("Attach it with CREATE TRIGGER ... BEFORE ... FOR EACH ROW EXECUTE FUNCTION %s(...).",
						 name)));
	event = trigdata->tg_event;
	if (!TRIGGER_FIRED_FOR_ROW(event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\" on table \"%s\" must be FOR EACH ROW",
						trigdata->tg_trigger->tgname,
						RelationGetRelationName(trigdata->tg_relation)),
				 errdetail("%s() checks each row and was fired for a statement.", name)));
	if (!TRIGGER_FIRED_BEFORE(event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\" on table \"%s\" must be a BEFORE trigger",
						trigdata->tg_trigger->tgname,
						RelationGetRelationName(trigdata->tg_relation)),
				 errdetail("%s() must refuse a row before it is written.", name)));
	if ((TRIGGER_FIRED_BY_INSERT(event) && !(events & GUARD_ON_INSERT)) ||
		(TRIGGER_FIRED_BY_UPDATE(event) && !(events & GUARD_ON_UPDATE)) ||
		(TRIGGER_FIRED_BY_DELETE(event) && !(events & GUARD_ON_DELETE)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\" on table \"%s\" was fired for an event %s() does not handle",
						trigdata->tg_trigger->tgname,
						RelationGetRelationName(trigdata->tg_relation), name),
				 errhint("%s() handles %s.", name,
						 (events & GUARD_ON_DELETE) ? "INSERT, UPDATE and DELETE" : "INSERT and UPDATE")));
	return trigdata;
}

/*
 * Parse key=value trigger arguments into the given keys.  Values keep their
 * defaults unless given; an unknown, repeated or malformed argument is 39P01.
 */
void
guard_parse_arguments(TriggerData *trigdata, const char *name,
					  GuardArgument *arguments, int count)
{
	Trigger    *trigger = trigdata->tg_trigger;
	int			i;
	int			k;

	for (i = 0; i < trigger->tgnargs; i++)
	{
		const char *arg = trigger->tgargs[i];
		const char *eq = strchr(arg, '=');
		bool		matched = false;

		if (eq == NULL || eq == arg || eq[1] == '\0')
			ereport(ERROR,
					(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
					 errmsg("invalid argument \"%s\" for trigger \"%s\"", arg,
							trigger->tgname),
					 errdetail("%s() takes arguments of the form key=value.", name)));
		for (k = 0; k < count; k++)
		{
			if (strlen(arguments[k].key) != (size_t) (eq - arg) ||
				strncmp(arguments[k].key, arg, eq - arg) != 0)
				continue;
			if (arguments[k].given)
				ereport(ERROR,
						(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
						 errmsg("argument \"%s\" is given twice for trigger \"%s\"",
								arguments[k].key, trigger->tgname)));
			arguments[k].value = eq + 1;
			arguments[k].given = true;
			matched = true;
		}
		if (!matched)
		{
			StringInfoData keys;

			initStringInfo(&keys);
			for (k = 0; k < count; k++)
				appendStringInfo(&keys, "%s%s", k ? ", " : "", arguments[k].key);
			ereport(ERROR,
					(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
					 errmsg("unknown argument \"%.*s\" for trigger \"%s\"",
							(int) (eq - arg), arg, trigger->tgname),
					 errdetail("%s() takes the keys %s.", name, keys.data)));
		}
	}
}

/* A relation a resolved trigger depends on changed, or all of them may have. */
static void
guard_invalidate(Datum arg, Oid relid)
{
	HASH_SEQ_STATUS status;
	GuardCacheEntry *entry;
	int			i;

	hash_seq_init(&status, guard_cache);
	while ((entry = hash_seq_search(&status)) != NULL)
	{
		for (i = 0; i < entry->nwatched; i++)
			if (relid == InvalidOid || entry->watched[i] == relid)
				break;
		if (relid == InvalidOid || i < entry->nwatched)
		{
			entry->valid = false;
			entry->stale = true;
		}
	}
}

/*
 * A role's attributes or memberships changed: the privileges checked when
 * the triggers were resolved may no longer hold.  Rare; re-resolve all.
 */
static void
guard_invalidate_roles(Datum arg, int cacheid, uint32 hashvalue)
{
	guard_invalidate(arg, InvalidOid);
}

/*
 * The cache entry for this trigger, possibly invalid: the caller resolves
 * it and calls guard_cache_ready().  An error while resolving leaves it
 * invalid, so it is resolved again next time.
 *
 * A valid entry that probes other relations than the trigger's own (which
 * the executor has locked) takes in pending invalidations and locks those
 * relations first, so that a REVOKE, a dropped index or an attached
 * partition committed before this row is seen now, and a relation dropped
 * since is noticed before it is opened.
 */
GuardCacheEntry *
guard_cache_entry(FunctionCallInfo fcinfo, TriggerData *trigdata)
{
	Oid			tgoid = trigdata->tg_trigger->tgoid;
	GuardCacheEntry *entry = (GuardCacheEntry *) fcinfo->flinfo->fn_extra;
	bool		found;
	int			i;

	/* entries never move or go away, so the statement can keep a pointer */
	if (entry == NULL || entry->tgoid != tgoid)
	{
		if (guard_cache == NULL)
		{
			HASHCTL		ctl;

			ctl.keysize = sizeof(Oid);
			ctl.entrysize = sizeof(GuardCacheEntry);
			ctl.hcxt = TopMemoryContext;
			guard_cache = hash_create("robotid trigger cache", 16, &ctl,
									  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
			CacheRegisterRelcacheCallback(guard_invalidate, (Datum) 0);
			CacheRegisterSyscacheCallback(AUTHOID, guard_invalidate_roles, (Datum) 0);
			CacheRegisterSyscacheCallback(AUTHMEMMEMROLE, guard_invalidate_roles, (Datum) 0);
		}
		entry = hash_search(guard_cache, &tgoid, HASH_ENTER, &found);
		if (!found)
		{
			entry->valid = false;
			entry->context = AllocSetContextCreate(CacheMemoryContext,
												   "robotid trigger",
												   ALLOCSET_SMALL_SIZES);
		}
		fcinfo->flinfo->fn_extra = entry;
	}
	if (entry->valid)
	{
		bool		accepted = false;

		for (i = 0; i < entry->nlookups && entry->valid; i++)
		{
			if (entry->lookups[i].relid == entry->relid)
				continue;
			if (!accepted)
			{
				AcceptInvalidationMessages();
				accepted = true;
				if (!entry->valid)
					break;
			}
			LockRelationOid(entry->lookups[i].relid, RowShareLock);
		}
	}
	if (!entry->valid)
	{
		MemoryContext context = entry->context;

		MemoryContextReset(context);
		memset(entry, 0, sizeof(GuardCacheEntry));
		entry->tgoid = tgoid;
		entry->context = context;
		entry->relid = RelationGetRelid(trigdata->tg_relation);
		guard_watch(entry, entry->relid);
	}
	return entry;
}

/*
 * The entry is resolved.  If a relation it watches changed meanwhile, it
 * serves this row and is resolved again for the next.
 */
void
guard_cache_ready(GuardCacheEntry *entry)
{
	entry->valid = !entry->stale;
}

/* Resolve the entry again when relid changes (ALTER, GRANT, ATTACH, ...). */
void
guard_watch(GuardCacheEntry *entry, Oid relid)
{
	int			i;

	for (i = 0; i < entry->nwatched; i++)
		if (entry->watched[i] == relid)
			return;
	if (entry->watched == NULL)
		entry->watched = MemoryContextAlloc(entry->context, 4 * sizeof(Oid));
	else if ((entry->nwatched & (entry->nwatched - 1)) == 0 && entry->nwatched >= 4)
		entry->watched = repalloc(entry->watched, 2 * entry->nwatched * sizeof(Oid));
	entry->watched[entry->nwatched++] = relid;
}

/*
 * Like a foreign key, a guard reads and locks rows of another table
 * whoever writes, so the owner of the trigger's table must hold REFERENCES
 * on that table, or on every column of it the guard reads (those that
 * exist: a missing one is reported as such afterwards).  Otherwise 42501,
 * before anything of the table is locked or read.
 */
void
guard_check_references(Oid relid, Oid owner, const GuardArgument *columns,
					   int count, TriggerData *trigdata, const char *name)
{
	StringInfoData names;
	bool		allowed = true;
	char	   *table;
	char	   *role;
	int			i;

	if (pg_class_aclcheck(relid, owner, ACL_REFERENCES) == ACLCHECK_OK)
		return;
	initStringInfo(&names);
	for (i = 0; i < count; i++)
	{
		AttrNumber	attnum = get_attnum(relid, columns[i].value);

		if (attnum <= 0)
			continue;
		appendStringInfo(&names, "%s%s", names.len ? ", " : "",
						 quote_identifier(columns[i].value));
		if (pg_attribute_aclcheck(relid, attnum, owner, ACL_REFERENCES) != ACLCHECK_OK)
			allowed = false;
	}
	if (allowed)
		return;

	table = quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
									   get_rel_name(relid));
	role = GetUserNameFromId(owner, false);
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("role \"%s\", owner of table \"%s\", may not reference table %s",
					role, RelationGetRelationName(trigdata->tg_relation), table),
			 errdetail("Trigger \"%s\" reads and locks rows of %s with %s(); like a foreign key, that needs the REFERENCES privilege on the table or on its columns %s.",
					   trigdata->tg_trigger->tgname, table, name, names.data),
			 errhint("GRANT REFERENCES ON %s TO %s;", table, quote_identifier(role))));
}

static Oid
type_in_namespace(const char *typname, Oid namespace)
{
	Oid			typid = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
										CStringGetDatum(typname),
										ObjectIdGetDatum(namespace));

	if (!OidIsValid(typid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("type %s.%s of extension robotid is missing",
						get_namespace_name(namespace), typname)));
	return typid;
}

/*
 * The extension's types live in the schema of the trigger function, which
 * is not relocatable; looking there keeps search_path out of it.
 */
void
guard_load_types(TriggerData *trigdata, GuardTypes *types)
{
	Oid			namespace = get_func_namespace(trigdata->tg_trigger->tgfoid);

	types->robot_id = type_in_namespace("robot_id", namespace);
	types->robot_state = type_in_namespace("robot_state", namespace);
	robot_state_enum_values(types->robot_state, types->state_values);
}

/*
 * The attribute number of a user column of the given type (or a domain
 * over it).  A column that does not exist is InvalidAttrNumber when it is
 * optional and was not named, and 42703 otherwise; a wrong type is 39P01.
 */
AttrNumber
guard_column(Relation rel, const GuardArgument *argument, bool required,
			 Oid type, const char *name)
{
	TupleDesc	desc = RelationGetDescr(rel);
	int			i;

	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (att->attisdropped || strcmp(NameStr(att->attname), argument->value) != 0)
			continue;
		if (getBaseType(att->atttypid) != type)
			ereport(ERROR,
					(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
					 errmsg("column \"%s\" of relation \"%s\" must be of type %s for %s()",
							argument->value, RelationGetRelationName(rel),
							format_type_be(type), name),
					 errdetail("It is the column of the trigger argument \"%s\", and its type is %s.",
							   argument->key, format_type_be(att->atttypid))));
		return att->attnum;
	}
	if (!required && !argument->given)
		return InvalidAttrNumber;
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_COLUMN),
			 errmsg("column \"%s\" of relation \"%s\" does not exist",
					argument->value, RelationGetRelationName(rel)),
			 errdetail("%s() reads it as the column of the trigger argument \"%s\".",
					   name, argument->key),
			 errhint("Name the column with the trigger argument %s=<column>.",
					 argument->key)));
	return InvalidAttrNumber;	/* not reached */
}

/*
 * Add a look-up of robots in rel by code: its columns, and a unique btree
 * index on exactly the code column, which the look-up needs to find one
 * row cheaply and lock it.  The entry is resolved again when rel changes.
 */
void
guard_lookup_init(GuardCacheEntry *entry, Relation rel, const GuardArgument *id,
				  const GuardArgument *state, const GuardArgument *recalled,
				  const char *name)
{
	List	   *indexes;
	ListCell   *lc;
	Oid			eq_proc = InvalidOid;
	GuardLookup *lookup;

	guard_watch(entry, RelationGetRelid(rel));
	if (entry->lookups == NULL)
		entry->lookups = MemoryContextAlloc(entry->context, sizeof(GuardLookup));
	else
		entry->lookups = repalloc(entry->lookups,
								  (entry->nlookups + 1) * sizeof(GuardLookup));
	lookup = &entry->lookups[entry->nlookups];
	lookup->relid = RelationGetRelid(rel);
	lookup->id_att = guard_column(rel, id, true, entry->types.robot_id, name);
	lookup->state_att = guard_column(rel, state, true, entry->types.robot_state, name);
	lookup->recalled_att = guard_column(rel, recalled, false, BOOLOID, name);
	lookup->indexid = InvalidOid;

	indexes = RelationGetIndexList(rel);
	foreach(lc, indexes)
	{
		Relation	index = index_open(lfirst_oid(lc), AccessShareLock);
		Form_pg_index form = index->rd_index;

		if (form->indisunique && form->indisvalid && form->indislive &&
			form->indnkeyatts == 1 && form->indkey.values[0] == lookup->id_att &&
			index->rd_rel->relam == BTREE_AM_OID &&
			heap_attisnull(index->rd_indextuple, Anum_pg_index_indpred, NULL) &&
			heap_attisnull(index->rd_indextuple, Anum_pg_index_indexprs, NULL))
		{
			Oid			op = get_opfamily_member(index->rd_opfamily[0],
												 entry->types.robot_id,
												 entry->types.robot_id,
												 BTEqualStrategyNumber);

			if (OidIsValid(op) &&
				(!OidIsValid(lookup->indexid) || form->indisprimary))
			{
				lookup->indexid = RelationGetRelid(index);
				eq_proc = get_opcode(op);
			}
		}
		index_close(index, AccessShareLock);
	}
	list_free(indexes);

	if (!OidIsValid(lookup->indexid))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s() needs a unique index on column \"%s\" of relation \"%s\"",
						name, id->value, RelationGetRelationName(rel)),
				 errdetail("It looks robots up by code and locks the row it finds."),
				 errhint("Add PRIMARY KEY or UNIQUE on \"%s\".", id->value)));
	fmgr_info_cxt(eq_proc, &lookup->eq_finfo, entry->context);
	entry->nlookups++;
}

/*
 * Add look-ups of robots in the trigger's own table.  A partition is one
 * part of a table of robots: its robots are looked up in every leaf
 * partition of the topmost partitioned table, columns mapped by name, and
 * any change of the tree (ATTACH, DETACH, a new index) resolves the entry
 * again.  A partition owned by another role than the tree's needs
 * REFERENCES on the topmost table, as a foreign key to it would.
 */
void
guard_lookup_tree(GuardCacheEntry *entry, TriggerData *trigdata,
				  const GuardArgument *id, const GuardArgument *state,
				  const GuardArgument *recalled, const char *name)
{
	Relation	rel = trigdata->tg_relation;
	GuardArgument columns[3];
	List	   *ancestors;
	List	   *members;
	ListCell   *lc;
	HeapTuple	tuple;
	Oid			root;
	Oid			root_owner;
	Oid			owner = rel->rd_rel->relowner;

	if (!rel->rd_rel->relispartition)
	{
		guard_lookup_init(entry, rel, id, state, recalled, name);
		return;
	}

	ancestors = get_partition_ancestors(RelationGetRelid(rel));
	root = llast_oid(ancestors);
	foreach(lc, ancestors)
		guard_watch(entry, lfirst_oid(lc));
	columns[0] = *id;
	columns[1] = *state;
	columns[2] = *recalled;
	tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(root));
	if (!HeapTupleIsValid(tuple))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the partitioned table of \"%s\" was dropped concurrently",
						RelationGetRelationName(rel))));
	root_owner = ((Form_pg_class) GETSTRUCT(tuple))->relowner;
	ReleaseSysCache(tuple);
	if (root_owner != owner)
		guard_check_references(root, owner, columns, lengthof(columns),
							   trigdata, name);

	LockRelationOid(root, AccessShareLock);
	members = find_all_inheritors(root, AccessShareLock, NULL);
	foreach(lc, members)
	{
		Oid			member = lfirst_oid(lc);
		Relation	leaf;

		guard_watch(entry, member);
		if (get_rel_relkind(member) == RELKIND_PARTITIONED_TABLE)
			continue;
		leaf = table_open(member, AccessShareLock);
		guard_lookup_init(entry, leaf, id, state, recalled, name);
		table_close(leaf, NoLock);
	}
	list_free(members);
	list_free(ancestors);
}

/* Find the row of the robot with code id through the unique index. */
static bool
lookup_find_row(Relation heap, const GuardLookup *lookup, Snapshot snapshot,
				Datum id, TupleTableSlot *slot)
{
	Relation	index = index_open(lookup->indexid, AccessShareLock);
	IndexScanDesc scan;
	ScanKeyData key;
	bool		found;

	ScanKeyEntryInitializeWithInfo(&key, 0, 1, BTEqualStrategyNumber,
								   InvalidOid, InvalidOid,
								   (FmgrInfo *) &lookup->eq_finfo, id);
	scan = RID_INDEX_BEGINSCAN(heap, index, snapshot, 1, 0);
	index_rescan(scan, &key, 1, NULL, 0);
	found = index_getnext_slot(scan, ForwardScanDirection, slot);
	index_endscan(scan);
	index_close(index, NoLock);
	return found;
}

/*
 * Lock the row found FOR SHARE until the transaction ends.  False if it
 * was deleted meanwhile, or its newest version carries another code.
 */
static bool
lookup_lock_row(Relation heap, const GuardLookup *lookup, Snapshot snapshot,
				Datum id, TupleTableSlot *slot)
{
	ItemPointerData tid = slot->tts_tid;
	TM_FailureData tmfd;
	TM_Result	result;
	Datum		current;
	bool		isnull;

	result = table_tuple_lock(heap, &tid, snapshot, slot,
							  GetCurrentCommandId(true), LockTupleShare,
							  LockWaitBlock,
							  IsolationUsesXactSnapshot() ? 0 :
							  TUPLE_LOCK_FLAG_FIND_LAST_VERSION,
							  &tmfd);
	switch (result)
	{
		case TM_Ok:
			if (!tmfd.traversed)
				return true;
			current = slot_getattr(slot, lookup->id_att, &isnull);
			return !isnull &&
				robot_id_cmp_internal(DatumGetRobotIdP(current),
									  DatumGetRobotIdP(id)) == 0;
		case TM_Deleted:
			if (IsolationUsesXactSnapshot())
				ereport(ERROR,
						(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
						 errmsg("could not serialize access due to concurrent delete")));
			return false;
		case TM_Updated:
			ereport(ERROR,
					(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
					 errmsg("could not serialize access due to concurrent update")));
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_TRIGGERED_DATA_CHANGE_VIOLATION),
					 errmsg("robot row in \"%s\" was already changed by this statement",
							RelationGetRelationName(heap))));
	}
	return false;				/* not reached */
}

/* The state and recall flag of the locked row. */
static void
lookup_read_row(const GuardLookup *lookup, const GuardTypes *types,
				TupleTableSlot *slot, rid_state *state, bool *recalled)
{
	bool		isnull;
	Datum		value = slot_getattr(slot, lookup->state_att, &isnull);

	*state = guard_decode_state(types, value, isnull);
	*recalled = false;
	if (lookup->recalled_att != InvalidAttrNumber)
	{
		value = slot_getattr(slot, lookup->recalled_att, &isnull);
		*recalled = !isnull && DatumGetBool(value);
	}
}

/*
 * Find a robot by code and lock its row FOR SHARE until the transaction
 * ends, so that a concurrent recall, scrapping or code change waits for us
 * or we see its outcome.  As SELECT ... FOR SHARE does at READ COMMITTED, a
 * row updated since the statement began is followed to its newest version;
 * at REPEATABLE READ and above that is a serialization failure.
 */
bool
guard_lookup_robot(const GuardLookup *lookup, const GuardTypes *types,
				   Datum id, rid_state *state, bool *recalled)
{
	Relation	heap = table_open(lookup->relid, RowShareLock);
	Snapshot	snapshot = GetActiveSnapshot();
	TupleTableSlot *slot = table_slot_create(heap, NULL);
	bool		found;

	found = lookup_find_row(heap, lookup, snapshot, id, slot) &&
		lookup_lock_row(heap, lookup, snapshot, id, slot);
	if (found)
		lookup_read_row(lookup, types, slot, state, recalled);
	ExecDropSingleTupleTableSlot(slot);
	table_close(heap, NoLock);
	return found;
}

/* The state a stored robot_state value stands for: a cached OID compare. */
rid_state
guard_decode_state(const GuardTypes *types, Datum value, bool isnull)
{
	Oid			oid = DatumGetObjectId(value);
	int			i;

	if (isnull)
		return RID_STATE_NONE;
	for (i = 0; i < RID_STATE_COUNT; i++)
		if (types->state_values[i] == oid)
			return (rid_state) i;
	return RID_STATE_NONE;
}

/* The 29 digits, or NULL; buf needs RID_DIGITS + 1 bytes. */
void
guard_format_id(Datum value, bool isnull, char *buf)
{
	rid_code	code;

	if (isnull)
	{
		strcpy(buf, "NULL");
		return;
	}
	robot_id_decode(DatumGetRobotIdP(value), &code);
	rid_format(&code, buf);
}

/*
 * The message of a broken rule both triggers report alike; NULL for the
 * rules whose message depends on the write.
 */
char *
guard_rule_message(rid_rule rule, const char *code)
{
	switch (rule)
	{
		case RID_RULE_NO_REFURBISHMENT:
			return psprintf("robot %s is scrapped and cannot return to the market", code);
		case RID_RULE_RECALL_HOLD:
			return psprintf("robot %s is under recall and cannot be sold or deployed", code);
		case RID_RULE_NO_CODE_NO_MARKET:
			return psprintf("robot %s is not registered", code);
		default:
			return NULL;
	}
}

/*
 * Report a broken rule: 23514 with the schema, the table and the rule's
 * constraint name set, so that a driver tells the rules apart.  Does not
 * return, and is declared so: the triggers' switches rely on it.
 */
void
guard_violation(Relation rel, rid_rule rule, const char *message,
				const char *detail, const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg_internal("%s", message),
			 detail ? errdetail_internal("%s", detail) : 0,
			 hint ? errhint("%s", hint) : 0,
			 errtableconstraint(rel, rid_rule_constraint(rule))));
	pg_unreachable();
}
