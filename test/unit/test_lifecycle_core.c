/*
 * Unit tests for lifecycle_core, without PostgreSQL.  Prints TAP.
 */
#include "lifecycle_core.h"

#include <stdio.h>
#include <string.h>

#include "tap.h"


#define M RID_STATE_MANUFACTURED
#define S RID_STATE_SOLD
#define D RID_STATE_DEPLOYED
#define N RID_STATE_MAINTENANCE
#define C RID_STATE_RECYCLED
#define R RID_STATE_RETIRED

int
main(void)
{
	/* the table, written out independently of the code's bit masks */
	static const int expected[RID_STATE_COUNT][RID_STATE_COUNT] = {
		/* to:  M  S  D  N  C  R */
		[M] = {0, 1, 0, 0, 1, 1},
		[S] = {0, 0, 1, 1, 1, 1},
		[D] = {0, 1, 0, 1, 1, 1},
		[N] = {0, 1, 1, 0, 1, 1},
		[C] = {0, 0, 0, 0, 0, 1},
		[R] = {0, 0, 0, 0, 0, 0},
	};
	int			from;
	int			to;
	int			table_ok = 1;
	int			pairs = 0;
	rid_state	next[RID_STATE_COUNT];
	char		name[128];

	for (from = 0; from < RID_STATE_COUNT; from++)
		for (to = 0; to < RID_STATE_COUNT; to++)
		{
			if (rid_state_can_transition(from, to) != expected[from][to])
			{
				table_ok = 0;
				printf("# %s -> %s wrong\n", rid_state_label(from), rid_state_label(to));
			}
			pairs += expected[from][to];
		}
	check(table_ok, "transition table matches the platform's rules");
	check(pairs == 16, "16 legal moves");
	check(rid_state_next(M, next) == 3 && next[0] == S && next[1] == C && next[2] == R,
		  "next states of manufactured, in enum order");
	check(rid_state_next(R, next) == 0, "retired is final");
	check(!rid_state_can_transition(RID_STATE_NONE, M) && !rid_state_can_transition(M, RID_STATE_NONE),
		  "unknown states have no moves");

	for (from = 0; from < RID_STATE_COUNT; from++)
	{
		const char *label = rid_state_label(from);

		snprintf(name, sizeof(name), "label %s round-trips", label);
		check(rid_state_from_label(label, strlen(label)) == (rid_state) from, name);
	}
	check(rid_state_from_label("sol", 3) == RID_STATE_NONE &&
		  rid_state_from_label("solds", 5) == RID_STATE_NONE, "near-miss labels are unknown");

	check(rid_check_register(M) == RID_RULE_OK, "register as manufactured");
	check(rid_check_register(S) == RID_RULE_TRANSITION, "register as sold is a transition error");
	check(rid_check_register(RID_STATE_NONE) == RID_RULE_TRANSITION, "register with NULL state");

	check(rid_check_move(S, S, true) == RID_RULE_OK, "keeping a state is no move, even recalled");
	check(rid_check_move(M, S, false) == RID_RULE_OK, "manufactured -> sold");
	check(rid_check_move(M, D, false) == RID_RULE_TRANSITION, "manufactured -> deployed is illegal");
	check(rid_check_move(S, M, false) == RID_RULE_TRANSITION, "back to manufactured is illegal");
	check(rid_check_move(C, S, false) == RID_RULE_NO_REFURBISHMENT, "recycled -> sold is refurbishment");
	check(rid_check_move(R, M, false) == RID_RULE_NO_REFURBISHMENT, "retired -> manufactured is refurbishment");
	check(rid_check_move(C, N, false) == RID_RULE_NO_REFURBISHMENT, "recycled -> maintenance is refurbishment");
	check(rid_check_move(C, R, true) == RID_RULE_OK, "recycled -> retired, even recalled");
	check(rid_check_move(N, S, true) == RID_RULE_RECALL_HOLD, "recalled: maintenance -> sold held");
	check(rid_check_move(N, D, true) == RID_RULE_RECALL_HOLD, "recalled: maintenance -> deployed held");
	check(rid_check_move(D, N, true) == RID_RULE_OK, "recalled: deployed -> maintenance allowed");
	check(rid_check_move(S, C, true) == RID_RULE_OK, "recalled: sold -> recycled allowed");
	check(rid_check_move(M, D, true) == RID_RULE_TRANSITION, "an illegal move is reported before the recall");
	check(rid_check_move(S, RID_STATE_NONE, false) == RID_RULE_TRANSITION, "a move to NULL is illegal");

	check(rid_check_source(N) == RID_RULE_OK && rid_check_source(M) == RID_RULE_OK,
		  "rebuilding from a robot in service or maintenance");
	check(rid_check_source(C) == RID_RULE_NO_REFURBISHMENT &&
		  rid_check_source(R) == RID_RULE_NO_REFURBISHMENT, "rebuilding from a scrapped unit");

	check(rid_check_market(false, RID_STATE_NONE, false) == RID_RULE_NO_CODE_NO_MARKET, "market: unregistered");
	check(rid_check_market(true, S, false) == RID_RULE_OK, "market: registered and clean");
	check(rid_check_market(true, S, true) == RID_RULE_RECALL_HOLD, "market: recalled");
	check(rid_check_market(true, C, true) == RID_RULE_NO_REFURBISHMENT, "market: scrapped outranks recall");

	check(strcmp(rid_rule_constraint(RID_RULE_RECALL_HOLD), "robot_recall_hold") == 0 &&
		  strcmp(rid_rule_constraint(RID_RULE_HISTORY_IMMUTABLE), "robot_history_immutable") == 0,
		  "constraint names");

	return tap_finish();
}
