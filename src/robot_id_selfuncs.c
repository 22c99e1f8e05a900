/*
 * robot_id_selfuncs.c
 *		Row estimates for comparisons and ranges of robot_id.
 *
 * Core's scalarltsel() and friends interpolate inside a histogram bucket
 * only for the built-in types convert_to_scalar() knows; for any other type
 * they put every constant in the middle of its bucket, so a range narrower
 * than a bucket (a model's fleet, a serial range) is estimated at one row.
 * These estimators read the same statistics and interpolate with the
 * codes' values (rid_fraction()), exactly to the serial.
 *
 * The histogram alone cannot place a range narrower than a bucket that
 * spans several models: the serials of a model fill a sliver of its 10^17
 * values, so most of such a bucket's span is empty.  ANALYZE therefore
 * also stores, in a statistics slot of robotid's own kind, each model key's
 * share of the sample and its serials' extent (rid_model_shares()), and a
 * range is estimated from those wherever they were taken.
 *
 * Core also estimates "x >= a AND x <= b" as one range only when both
 * operators use its own estimators; with any other, the two selectivities
 * are multiplied as if independent.  So the estimator of an upper bound
 * looks among its relation's restriction clauses for a lower bound on the
 * same expression and returns the selectivity of the range given that
 * lower bound: the product of the two is then the range's.
 */
#include "robotid.h"

#include "access/htup_details.h"
#include "commands/vacuum.h"
#include "access/stratnum.h"
#include "catalog/pg_am.h"
#include "catalog/pg_statistic.h"
#include "commands/defrem.h"
#include "nodes/nodeFuncs.h"
#include "nodes/pathnodes.h"
#include "optimizer/optimizer.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
#include "utils/selfuncs.h"

/* One end of a range: absent, or a code, inclusive or not. */
typedef struct RangeEnd
{
	bool		present;
	bool		inclusive;
	rid_code	code;
} RangeEnd;

static double model_shares_in_range(VariableStatData *vardata, const rid_code *from,
									const rid_code *to);

/* The btree operator family of robot_id, for telling comparisons apart. */
static Oid
robot_id_btree_family(Oid type)
{
	Oid			opclass = GetDefaultOpClass(getBaseType(type), BTREE_AM_OID);

	return OidIsValid(opclass) ? get_opclass_family(opclass) : InvalidOid;
}

static rid_code
stat_code(Datum value)
{
	rid_code	code;

	robot_id_decode(DatumGetRobotIdP(value), &code);
	return code;
}

/*
 * The fraction of the histogram's population below c: which bucket c falls
 * in, and where inside it.
 */
static double
histogram_below(const AttStatsSlot *hist, const rid_code *c)
{
	int			nvalues = hist->nvalues;
	int			lo = 0;
	int			hi = nvalues - 1;
	rid_code	low;
	rid_code	high;

	low = stat_code(hist->values[0]);
	if (rid_compare(c, &low) <= 0)
		return 0;
	high = stat_code(hist->values[hi]);
	if (rid_compare(c, &high) > 0)
		return 1;
	/* values[lo] < c <= values[hi] */
	while (hi - lo > 1)
	{
		int			mid = lo + (hi - lo) / 2;
		rid_code	m = stat_code(hist->values[mid]);

		if (rid_compare(&m, c) < 0)
			lo = mid;
		else
			hi = mid;
	}
	low = stat_code(hist->values[lo]);
	high = stat_code(hist->values[hi]);
	return (lo + rid_fraction(&low, &high, c)) / (double) (nvalues - 1);
}

/*
 * A range end as the first code inside (a lower end) or the first code
 * after it (an upper end), half-open, the way the histogram counts; false
 * when there is no such code, past the largest one.
 */
static bool
half_open(const RangeEnd *end, bool lower, rid_code *out)
{
	if (lower == end->inclusive)
	{
		*out = end->code;
		return true;
	}
	return rid_successor(&end->code, out);
}

/*
 * The selectivity of low < or <= x < or <= high over the whole column,
 * nulls included (they never match), or -1 without statistics to go on.
 */
static double
range_selectivity(VariableStatData *vardata, const RangeEnd *low, const RangeEnd *high)
{
	Form_pg_statistic stats;
	AttStatsSlot mcv;
	AttStatsSlot hist;
	rid_code	from;
	rid_code	to;
	bool		has_from = false;
	bool		has_to = false;
	double		mcv_match = 0;
	double		mcv_total = 0;
	double		selec;
	int			i;

	if (!HeapTupleIsValid(vardata->statsTuple))
		return -1;
	stats = (Form_pg_statistic) GETSTRUCT(vardata->statsTuple);

	if (low->present)
	{
		if (!half_open(low, true, &from))
			return 0;			/* above the largest code */
		has_from = true;
	}
	if (high->present)
		has_to = half_open(high, false, &to);	/* else up to the end */
	if (has_from && has_to && rid_compare(&from, &to) >= 0)
		return 0;

	selec = model_shares_in_range(vardata, has_from ? &from : NULL, has_to ? &to : NULL);
	if (selec >= 0)
	{
		selec *= 1 - stats->stanullfrac;
		CLAMP_PROBABILITY(selec);
		return selec;
	}

	if (get_attstatsslot(&mcv, vardata->statsTuple, STATISTIC_KIND_MCV, InvalidOid,
						 ATTSTATSSLOT_VALUES | ATTSTATSSLOT_NUMBERS))
	{
		for (i = 0; i < mcv.nvalues; i++)
		{
			rid_code	v = stat_code(mcv.values[i]);

			mcv_total += mcv.numbers[i];
			if ((!has_from || rid_compare(&from, &v) <= 0) &&
				(!has_to || rid_compare(&v, &to) < 0))
				mcv_match += mcv.numbers[i];
		}
		free_attstatsslot(&mcv);
	}

	if (get_attstatsslot(&hist, vardata->statsTuple, STATISTIC_KIND_HISTOGRAM, InvalidOid,
						 ATTSTATSSLOT_VALUES))
	{
		double		inside = 1;

		if (hist.nvalues >= 2)
			inside = (has_to ? histogram_below(&hist, &to) : 1) -
				(has_from ? histogram_below(&hist, &from) : 0);
		free_attstatsslot(&hist);
		selec = mcv_match + (1 - stats->stanullfrac - mcv_total) * Max(inside, 0);
	}
	else if (mcv_total > 0)
		/* every value was common: the common ones stand for the rest */
		selec = mcv_match / mcv_total * (1 - stats->stanullfrac);
	else
		return -1;

	CLAMP_PROBABILITY(selec);
	return selec;
}

/*
 * A statistics kind outside core's range (1 to 99) and the ranges taken by
 * known extensions: the model shares, as pairs of codes (model key with its
 * lowest serial, then with its highest) in stavalues and each model's share
 * in stanumbers.
 */
#define ROBOT_ID_STATISTIC_KIND_MODELS 7731

static AnalyzeAttrComputeStatsFunc standard_compute_stats;

/* After the standard statistics, the model shares, if a slot is free. */
static void
compute_model_shares(VacAttrStatsP stats, AnalyzeAttrFetchFunc fetchfunc,
					 int samplerows, double totalrows)
{
	int			slot;
	int			ncodes = 0;
	int			nshares;
	int			max_shares = Max(stats->minrows / 30, 100);
	rid_code   *codes;
	rid_model_share *shares;
	MemoryContext old;
	Datum	   *values;
	float4	   *numbers;
	int			i;

	standard_compute_stats(stats, fetchfunc, samplerows, totalrows);
	if (!stats->stats_valid)
		return;
	for (slot = 0; slot < STATISTIC_NUM_SLOTS; slot++)
		if (stats->stakind[slot] == 0)
			break;
	if (slot == STATISTIC_NUM_SLOTS)
		return;

	codes = palloc(sizeof(rid_code) * Max(samplerows, 1));
	for (i = 0; i < samplerows; i++)
	{
		bool		isnull;
		Datum		value = fetchfunc(stats, i, &isnull);

		RID_ANALYZE_DELAY_POINT();
		if (!isnull)
			robot_id_decode(DatumGetRobotIdP(value), &codes[ncodes++]);
	}
	if (ncodes == 0)
		return;
	shares = palloc(sizeof(rid_model_share) * ncodes);
	nshares = rid_model_shares(codes, ncodes, shares);
	/* as many models as codes: the shares would say nothing new */
	if (nshares > max_shares || nshares * 3 > ncodes)
		return;

	old = MemoryContextSwitchTo(stats->anl_context);
	values = palloc(sizeof(Datum) * 2 * nshares);
	numbers = palloc(sizeof(float4) * nshares);
	for (i = 0; i < nshares; i++)
	{
		rid_code	low = {shares[i].model_key, shares[i].min_serial};
		rid_code	high = {shares[i].model_key, shares[i].max_serial};

		values[2 * i] = RobotIdPGetDatum(robot_id_encode(&low));
		values[2 * i + 1] = RobotIdPGetDatum(robot_id_encode(&high));
		numbers[i] = (float4) shares[i].share;
	}
	MemoryContextSwitchTo(old);

	stats->stakind[slot] = ROBOT_ID_STATISTIC_KIND_MODELS;
	stats->staop[slot] = InvalidOid;
	stats->stacoll[slot] = InvalidOid;
	stats->stavalues[slot] = values;
	stats->numvalues[slot] = 2 * nshares;
	stats->stanumbers[slot] = numbers;
	stats->numnumbers[slot] = nshares;
	stats->statypid[slot] = stats->attrtypid;
	stats->statyplen[slot] = RID_STORAGE_SIZE;
	stats->statypbyval[slot] = false;
	stats->statypalign[slot] = TYPALIGN_CHAR;
}

/* ANALYZE of robot_id: the standard statistics and the model shares. */
PG_FUNCTION_INFO_V1(robot_id_typanalyze);
Datum
robot_id_typanalyze(PG_FUNCTION_ARGS)
{
	VacAttrStats *stats = (VacAttrStats *) PG_GETARG_POINTER(0);

	if (!std_typanalyze(stats))
		PG_RETURN_BOOL(false);
	standard_compute_stats = stats->compute_stats;
	stats->compute_stats = compute_model_shares;
	PG_RETURN_BOOL(true);
}

/*
 * The share of the column's non-null values in [from, to) by the model
 * shares, or -1 where ANALYZE did not store them.
 */
static double
model_shares_in_range(VariableStatData *vardata, const rid_code *from, const rid_code *to)
{
	AttStatsSlot slot;
	rid_model_share *shares;
	int			nshares;
	double		inside;
	int			i;

	if (!get_attstatsslot(&slot, vardata->statsTuple, ROBOT_ID_STATISTIC_KIND_MODELS,
						  InvalidOid, ATTSTATSSLOT_VALUES | ATTSTATSSLOT_NUMBERS))
		return -1;
	nshares = slot.nnumbers;
	if (nshares == 0 || slot.nvalues != 2 * nshares)
	{
		free_attstatsslot(&slot);
		return -1;
	}
	shares = palloc(sizeof(rid_model_share) * nshares);
	for (i = 0; i < nshares; i++)
	{
		rid_code	low = stat_code(slot.values[2 * i]);
		rid_code	high = stat_code(slot.values[2 * i + 1]);

		shares[i].model_key = low.model_key;
		shares[i].min_serial = low.serial;
		shares[i].max_serial = high.serial;
		shares[i].share = slot.numbers[i];
	}
	free_attstatsslot(&slot);
	inside = rid_shares_in_range(shares, nshares, from, to);
	pfree(shares);
	return inside;
}

/* The constant robot_id of a comparison's other side, if it is one. */
static bool
constant_code(Node *node, rid_code *out)
{
	Const	   *c;

	if (!IsA(node, Const) || ((Const *) node)->constisnull)
		return false;
	c = (Const *) node;
	if (getBaseType(c->consttype) != getBaseType(exprType(node)))
		return false;
	*out = stat_code(c->constvalue);
	return true;
}

/*
 * Among the restriction clauses of the variable's relation, the tightest
 * lower bound on the same expression by a robot_id comparison: a constant
 * one sets *end; any other only sets *other_bound.
 */
static void
find_lower_bound(PlannerInfo *root, VariableStatData *vardata, Oid opfamily,
				 RangeEnd *end, bool *other_bound)
{
	ListCell   *lc;

	end->present = false;
	*other_bound = false;
	if (vardata->rel == NULL || vardata->var == NULL)
		return;
	foreach(lc, vardata->rel->baserestrictinfo)
	{
		RestrictInfo *rinfo = lfirst_node(RestrictInfo, lc);
		OpExpr	   *op;
		int			strategy;
		Node	   *var_side;
		Node	   *bound_side;
		bool		is_lower;
		RangeEnd	candidate;

		if (!is_opclause(rinfo->clause))
			continue;
		op = (OpExpr *) rinfo->clause;
		if (list_length(op->args) != 2)
			continue;
		strategy = get_op_opfamily_strategy(op->opno, opfamily);
		if (strategy == 0)
			continue;
		/* x > a and x >= a, or a < x and a <= x */
		if (equal(strip_implicit_coercions(linitial(op->args)), vardata->var))
		{
			var_side = linitial(op->args);
			bound_side = lsecond(op->args);
			is_lower = strategy == BTGreaterStrategyNumber ||
				strategy == BTGreaterEqualStrategyNumber;
		}
		else if (equal(strip_implicit_coercions(lsecond(op->args)), vardata->var))
		{
			var_side = lsecond(op->args);
			bound_side = linitial(op->args);
			is_lower = strategy == BTLessStrategyNumber ||
				strategy == BTLessEqualStrategyNumber;
		}
		else
			continue;
		(void) var_side;
		if (!is_lower)
			continue;
		bound_side = estimate_expression_value(root, bound_side);
		if (!constant_code(bound_side, &candidate.code))
		{
			*other_bound = true;
			continue;
		}
		candidate.present = true;
		candidate.inclusive = strategy == BTGreaterEqualStrategyNumber ||
			strategy == BTLessEqualStrategyNumber;
		if (!end->present || rid_compare(&candidate.code, &end->code) > 0 ||
			(rid_compare(&candidate.code, &end->code) == 0 && !candidate.inclusive))
			*end = candidate;
	}
}

/* What core would say, where there is nothing better to go on. */
static Datum
core_estimate(int strategy, FunctionCallInfo fcinfo)
{
	PGFunction	fn;

	switch (strategy)
	{
		case BTLessStrategyNumber:
			fn = scalarltsel;
			break;
		case BTLessEqualStrategyNumber:
			fn = scalarlesel;
			break;
		case BTGreaterStrategyNumber:
			fn = scalargtsel;
			break;
		default:
			fn = scalargesel;
			break;
	}
	return DirectFunctionCall4Coll(fn, PG_GET_COLLATION(), PG_GETARG_DATUM(0),
								   PG_GETARG_DATUM(1), PG_GETARG_DATUM(2),
								   PG_GETARG_DATUM(3));
}

/*
 * RESTRICT of <, <=, > and >= on robot_id.  Which one is asked is read off
 * the operator's btree strategy.
 */
PG_FUNCTION_INFO_V1(robot_id_rangesel);
Datum
robot_id_rangesel(PG_FUNCTION_ARGS)
{
	PlannerInfo *root = (PlannerInfo *) PG_GETARG_POINTER(0);
	Oid			operator = PG_GETARG_OID(1);
	List	   *args = (List *) PG_GETARG_POINTER(2);
	int			varRelid = PG_GETARG_INT32(3);
	VariableStatData vardata;
	Node	   *other;
	bool		varonleft;
	Oid			opfamily;
	int			strategy;
	bool		upper;
	RangeEnd	low = {false, false, {0, 0}};
	RangeEnd	high = {false, false, {0, 0}};
	RangeEnd	bound;
	bool		other_lower;
	double		selec;

	opfamily = list_length(args) == 2 ?
		robot_id_btree_family(exprType(linitial(args))) : InvalidOid;
	strategy = OidIsValid(opfamily) ? get_op_opfamily_strategy(operator, opfamily) : 0;
	if (strategy == 0 || strategy == BTEqualStrategyNumber)
		PG_RETURN_FLOAT8(DEFAULT_INEQ_SEL);

	if (!get_restriction_variable(root, args, varRelid, &vardata, &other, &varonleft))
		return core_estimate(strategy, fcinfo);
	if (!varonleft)
		strategy = BTMaxStrategyNumber + 1 - strategy;	/* a < x is x > a */
	upper = strategy == BTLessStrategyNumber || strategy == BTLessEqualStrategyNumber;

	bound.present = true;
	bound.inclusive = strategy == BTLessEqualStrategyNumber ||
		strategy == BTGreaterEqualStrategyNumber;
	if (IsA(other, Const) && ((Const *) other)->constisnull)
	{
		ReleaseVariableStats(vardata);
		PG_RETURN_FLOAT8(0.0);
	}
	if (!constant_code(other, &bound.code))
	{
		/* a parameter: a range of two parameters is a narrow one */
		find_lower_bound(root, &vardata, opfamily, &low, &other_lower);
		ReleaseVariableStats(vardata);
		if (upper && (low.present || other_lower))
			PG_RETURN_FLOAT8(DEFAULT_RANGE_INEQ_SEL / DEFAULT_INEQ_SEL);
		PG_RETURN_FLOAT8(DEFAULT_INEQ_SEL);
	}

	if (upper)
	{
		high = bound;
		find_lower_bound(root, &vardata, opfamily, &low, &other_lower);
	}
	else
		low = bound;

	selec = range_selectivity(&vardata, &low, &high);
	if (selec >= 0 && upper && low.present)
	{
		/* the range given its lower bound, which is estimated on its own */
		RangeEnd	none = {false, false, {0, 0}};
		double		below = range_selectivity(&vardata, &low, &none);

		selec = below > 0 ? Min(selec / below, 1.0) : 0;
	}
	ReleaseVariableStats(vardata);
	if (selec < 0)
		return core_estimate(strategy, fcinfo);
	PG_RETURN_FLOAT8(selec);
}

/*
 * The selectivity of low <= x <= high for a prefix's range, or -1 without
 * statistics.
 */
double
robot_id_prefix_range_selectivity(PlannerInfo *root, Node *key, int varRelid,
								  const rid_code *from, const rid_code *to)
{
	VariableStatData vardata;
	RangeEnd	low = {true, true, *from};
	RangeEnd	high = {true, true, *to};
	double		selec;

	examine_variable(root, key, varRelid, &vardata);
	selec = range_selectivity(&vardata, &low, &high);
	ReleaseVariableStats(vardata);
	return selec;
}
