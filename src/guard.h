/*
 * guard.h
 *		Shared machinery of the lifecycle and market triggers: checking how a
 *		trigger was called, its key=column arguments, the per-backend cache
 *		of resolved columns, and locked look-ups of robots by code.
 */
#ifndef GUARD_H
#define GUARD_H

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
 * it depends on changes.
 */
typedef struct GuardCacheEntry
{
	Oid			tgoid;			/* hash key */
	bool		valid;
	Oid			watched[2];		/* relations whose changes invalidate it */
	GuardTypes	types;
	AttrNumber	id_att;			/* lifecycle: the guarded table's columns */
	AttrNumber	state_att;
	AttrNumber	recalled_att;
	AttrNumber	refurbished_att;
	AttrNumber	column_att;		/* market: the robot code of the event */
	bool		has_lookup;
	GuardLookup lookup;
} GuardCacheEntry;

/* An argument key, the value given for it (or its default), whether given. */
typedef struct GuardArgument
{
	const char *key;
	const char *value;
	bool		given;
} GuardArgument;

extern TriggerData *guard_trigger_data(FunctionCallInfo fcinfo,
									   const char *name, int events);
extern void guard_parse_arguments(TriggerData *trigdata, const char *name,
								  GuardArgument *arguments, int count);
extern GuardCacheEntry *guard_cache_entry(FunctionCallInfo fcinfo,
										  TriggerData *trigdata);
extern void guard_load_types(TriggerData *trigdata, GuardTypes *types);
extern AttrNumber guard_column(Relation rel, const GuardArgument *argument,
							   bool required, Oid type, const char *name);
extern void guard_lookup_init(GuardLookup *lookup, Relation rel,
							  const GuardArgument *id,
							  const GuardArgument *state,
							  const GuardArgument *recalled,
							  const GuardTypes *types, const char *name);
extern bool guard_lookup_robot(const GuardLookup *lookup,
							   const GuardTypes *types, Datum id,
							   rid_state *state, bool *recalled);
extern rid_state guard_state(const GuardTypes *types, Datum value, bool isnull);
extern void guard_format_id(Datum value, bool isnull, char *buf);
extern char *guard_rule_message(rid_rule rule, const char *code);
pg_noreturn extern void guard_violation(Relation rel, rid_rule rule, const char *message,
										const char *detail, const char *hint);

#endif							/* GUARD_H */
