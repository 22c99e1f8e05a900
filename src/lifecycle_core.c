/*
 * lifecycle_core.c
 *		The robot lifecycle in plain C; see lifecycle_core.h.
 */
#include "lifecycle_core.h"

#include <string.h>

static const char *const state_labels[RID_STATE_COUNT] = {
	"manufactured", "sold", "deployed", "maintenance", "recycled", "retired"
};

#define MOVE(s) (1u << (s))

/* legal_moves[from] has bit `to` set when from -> to is a legal move */
static const unsigned int legal_moves[RID_STATE_COUNT] = {
	[RID_STATE_MANUFACTURED] = MOVE(RID_STATE_SOLD) | MOVE(RID_STATE_RECYCLED) |
	MOVE(RID_STATE_RETIRED),
	[RID_STATE_SOLD] = MOVE(RID_STATE_DEPLOYED) | MOVE(RID_STATE_MAINTENANCE) |
	MOVE(RID_STATE_RECYCLED) | MOVE(RID_STATE_RETIRED),
	[RID_STATE_DEPLOYED] = MOVE(RID_STATE_SOLD) | MOVE(RID_STATE_MAINTENANCE) |
	MOVE(RID_STATE_RECYCLED) | MOVE(RID_STATE_RETIRED),
	[RID_STATE_MAINTENANCE] = MOVE(RID_STATE_SOLD) | MOVE(RID_STATE_DEPLOYED) |
	MOVE(RID_STATE_RECYCLED) | MOVE(RID_STATE_RETIRED),
	[RID_STATE_RECYCLED] = MOVE(RID_STATE_RETIRED),
	[RID_STATE_RETIRED] = 0,
};

static const char *const rule_constraints[] = {
	[RID_RULE_OK] = NULL,
	[RID_RULE_TRANSITION] = "robot_lifecycle_transition",
	[RID_RULE_NO_REFURBISHMENT] = "robot_no_refurbishment",
	[RID_RULE_RECALL_HOLD] = "robot_recall_hold",
	[RID_RULE_HISTORY_IMMUTABLE] = "robot_history_immutable",
	[RID_RULE_NO_CODE_NO_MARKET] = "robot_no_code_no_market",
};

static bool
is_state(rid_state state)
{
	return state >= 0 && state < RID_STATE_COUNT;
}

const char *
rid_state_label(rid_state state)
{
	return is_state(state) ? state_labels[state] : "NULL";
}

rid_state
rid_state_from_label(const char *label, size_t len)
{
	int			i;

	for (i = 0; i < RID_STATE_COUNT; i++)
		if (strlen(state_labels[i]) == len && memcmp(state_labels[i], label, len) == 0)
			return (rid_state) i;
	return RID_STATE_NONE;
}

/* A row keeping its state is not a move, so from == to is false here. */
bool
rid_state_can_transition(rid_state from, rid_state to)
{
	return is_state(from) && is_state(to) && (legal_moves[from] & MOVE(to)) != 0;
}

bool
rid_state_is_scrapped(rid_state state)
{
	return state == RID_STATE_RECYCLED || state == RID_STATE_RETIRED;
}

bool
rid_state_is_market(rid_state state)
{
	return state == RID_STATE_SOLD || state == RID_STATE_DEPLOYED;
}

/* Fills next (RID_STATE_COUNT entries) with the legal targets; returns how many. */
int
rid_state_next(rid_state from, rid_state *next)
{
	int			n = 0;
	int			to;

	for (to = 0; to < RID_STATE_COUNT; to++)
		if (rid_state_can_transition(from, (rid_state) to))
			next[n++] = (rid_state) to;
	return n;
}

const char *
rid_rule_constraint(rid_rule rule)
{
	return rule_constraints[rule];
}

/* A new robot is registered only as manufactured. */
rid_rule
rid_check_register(rid_state state)
{
	return state == RID_STATE_MANUFACTURED ? RID_RULE_OK : RID_RULE_TRANSITION;
}

/*
 * A state change.  Leaving recycled or retired for anything but retired is
 * a refurbishment, reported as such even though it is also not a legal
 * move; a legal move into the market is still held by a recall.
 */
rid_rule
rid_check_move(rid_state from, rid_state to, bool recalled)
{
	if (from == to && is_state(from))
		return RID_RULE_OK;
	if (rid_state_is_scrapped(from) && to != RID_STATE_RETIRED)
		return RID_RULE_NO_REFURBISHMENT;
	if (!rid_state_can_transition(from, to))
		return RID_RULE_TRANSITION;
	if (recalled && rid_state_is_market(to))
		return RID_RULE_RECALL_HOLD;
	return RID_RULE_OK;
}

/* A robot rebuilt from another: the source must not be scrapped. */
rid_rule
rid_check_source(rid_state source)
{
	return rid_state_is_scrapped(source) ? RID_RULE_NO_REFURBISHMENT : RID_RULE_OK;
}

/* A market event (sale, deployment, rental) for a robot of the registry. */
rid_rule
rid_check_market(bool registered, rid_state state, bool recalled)
{
	if (!registered)
		return RID_RULE_NO_CODE_NO_MARKET;
	if (rid_state_is_scrapped(state))
		return RID_RULE_NO_REFURBISHMENT;
	if (recalled)
		return RID_RULE_RECALL_HOLD;
	return RID_RULE_OK;
}
