/*
 * lifecycle_core.h
 *		The robot lifecycle without PostgreSQL: states, the legal moves
 *		between them, and which rule a write breaks.
 */
#ifndef LIFECYCLE_CORE_H
#define LIFECYCLE_CORE_H

#include <stdbool.h>
#include <stddef.h>

/* In the order of the SQL enum robot_state. */
typedef enum rid_state
{
	RID_STATE_MANUFACTURED,
	RID_STATE_SOLD,
	RID_STATE_DEPLOYED,
	RID_STATE_MAINTENANCE,
	RID_STATE_RECYCLED,
	RID_STATE_RETIRED,
	RID_STATE_COUNT,
	RID_STATE_NONE = -1			/* NULL, or a label we do not know */
} rid_state;

/* The rules a write can break; each is a constraint name in SQL. */
typedef enum rid_rule
{
	RID_RULE_OK,
	RID_RULE_TRANSITION,		/* robot_lifecycle_transition */
	RID_RULE_NO_REFURBISHMENT,	/* robot_no_refurbishment */
	RID_RULE_RECALL_HOLD,		/* robot_recall_hold */
	RID_RULE_HISTORY_IMMUTABLE, /* robot_history_immutable */
	RID_RULE_NO_CODE_NO_MARKET	/* robot_no_code_no_market */
} rid_rule;

extern const char *rid_state_label(rid_state state);
extern rid_state rid_state_from_label(const char *label, size_t len);
extern bool rid_state_can_transition(rid_state from, rid_state to);
extern bool rid_state_is_scrapped(rid_state state);
extern bool rid_state_is_market(rid_state state);
extern int	rid_state_next(rid_state from, rid_state *next);

extern const char *rid_rule_constraint(rid_rule rule);
extern rid_rule rid_check_register(rid_state state);
extern rid_rule rid_check_move(rid_state from, rid_state to, bool recalled);
extern rid_rule rid_check_source(rid_state source);
extern rid_rule rid_check_market(bool registered, rid_state state, bool recalled);

#endif							/* LIFECYCLE_CORE_H */
