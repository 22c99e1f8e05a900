/*
 * guard_common.h
 *		Shared machinery of the lifecycle and market triggers: checking how a
 *		trigger was called, its key=column arguments, the per-backend cache
 *		of resolved columns, and locked look-ups of robots by code.
 */
#ifndef GUARD_COMMON_H
#define GUARD_COMMON_H

#include "robotid.h"
#include "lifecycle_core.h"

#include "commands/trigger.h"
#include "fmgr.h"
#include "utils/rel.h"

#define GUARD_ON_INSERT		0x01
#define GUARD_ON_UPDATE		0x02
#define GUARD_ON_DELETE		0x04

/* The extension's own types, found next to the trigger function. */
typedef struct GuardTypes
{
	Oid			robot_id;
	Oid			robot_state;
	Oid			state_values[RID_STATE_COUNT];	/* pg_enum OIDs, in order */
} GuardTypes;

/* Reading a robot's state and recall flag through a unique index on its code. */
typedef struct GuardLookup
{
	Oid			relid;
	Oid			indexid;
	AttrNumber	id_att;
	AttrNumber	state_att;
	AttrNumber	recalled_att;	/* InvalidAttrNumber: the table has none */
	FmgrInfo	eq_finfo;		/* robot_id equality, for the scan key */
} GuardLookup;

/*
 * One resolved trigger, cached per backend by trigger OID until a relation
 * it depends on changes or a role's privileges may have changed.  What it
 * points to lives in its own memory context, reset when it is resolved
 * again.
 */
typedef struct GuardCacheEntry
{
	Oid			tgoid;			/* hash key */
	bool		valid;
	bool		stale;			/* invalidated while being resolved */
	MemoryContext context;
	Oid			relid;			/* the table the trigger is on */
	int			nwatched;		/* relations whose changes invalidate it */
	Oid		   *watched;
	GuardTypes	types;
	AttrNumber	id_att;			/* lifecycle: the guarded table's columns */
	AttrNumber	state_att;
	AttrNumber	recalled_att;
	AttrNumber	refurbished_att;
	AttrNumber	column_att;		/* market: the robot code of the event */
	int			nlookups;		/* tables probed for a robot: the registry, */
	GuardLookup *lookups;		/* the table itself, or every leaf partition */
} GuardCacheEntry;

/* An argument key, the value given for it (or its default), whether given. */
typedef struct GuardArgument
{
	const char *key;
	const char *value;
	bool		given;
} GuardArgument;

extern TriggerData *guard_check_call(FunctionCallInfo fcinfo,
									 const char *name, int events);
extern void guard_parse_arguments(TriggerData *trigdata, const char *name,
								  GuardArgument *arguments, int count);
extern GuardCacheEntry *guard_cache_entry(FunctionCallInfo fcinfo,
										  TriggerData *trigdata);
extern void guard_load_types(TriggerData *trigdata, GuardTypes *types);
extern AttrNumber guard_column(Relation rel, const GuardArgument *argument,
							   bool required, Oid type, const char *name);
extern void guard_cache_ready(GuardCacheEntry *entry);
extern void guard_watch(GuardCacheEntry *entry, Oid relid);
extern void guard_check_references(Oid relid, Oid owner,
								   const GuardArgument *columns, int count,
								   TriggerData *trigdata, const char *name);
extern void guard_lookup_init(GuardCacheEntry *entry, Relation rel,
							  const GuardArgument *id,
							  const GuardArgument *state,
							  const GuardArgument *recalled, const char *name);
extern void guard_lookup_tree(GuardCacheEntry *entry, TriggerData *trigdata,
							  const GuardArgument *id,
							  const GuardArgument *state,
							  const GuardArgument *recalled, const char *name);
extern bool guard_lookup_robot(const GuardLookup *lookup,
							   const GuardTypes *types, Datum id,
							   rid_state *state, bool *recalled);
extern rid_state guard_decode_state(const GuardTypes *types, Datum value,
									 bool isnull);
extern void guard_format_id(Datum value, bool isnull, char *buf);
extern char *guard_rule_message(rid_rule rule, const char *code);
/* Does not return: callers' switches end a case with it, without break. */
pg_noreturn extern void guard_violation(Relation rel, rid_rule rule, const char *message,
										const char *detail, const char *hint);

#endif							/* GUARD_COMMON_H */
