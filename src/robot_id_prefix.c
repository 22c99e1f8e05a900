/*
 * robot_id_prefix.c
 *		Prefix search: robot_id ^@ text, its selectivity, and the planner
 *		support that turns it into an exact btree range condition.
 */
#include "robotid.h"

#include "access/stratnum.h"
#include "catalog/pg_am.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/supportnodes.h"
#include "optimizer/optimizer.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/selfuncs.h"

/*
 * The smallest and largest code with the prefix.  With raise, a bad prefix
 * is 22023; without, the caller learns of it from the result.
 */
static bool
prefix_bounds(text *prefix, rid_code *low, rid_code *high, bool raise)
{
	const char *str = VARDATA_ANY(prefix);
	int			len = VARSIZE_ANY_EXHDR(prefix);
	rid_error	err;
	char		detail[256];

	if (rid_prefix_range(str, (size_t) len, low, high, &err))
		return true;
	if (raise)
	{
		rid_describe(&err, detail, sizeof(detail));
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid robot_id prefix: \"%.*s\"", len, str),
				 errdetail_internal("%s", detail),
				 errhint("A prefix is 0 to 29 digits, without separators.")));
	}
	return false;
}

PG_FUNCTION_INFO_V1(robot_id_starts_with);
Datum
robot_id_starts_with(PG_FUNCTION_ARGS)
{
	RobotId    *id = PG_GETARG_ROBOT_ID_P(0);
	text	   *prefix = PG_GETARG_TEXT_PP(1);
	rid_code	low;
	rid_code	high;
	rid_code	code;

	prefix_bounds(prefix, &low, &high, true);
	robot_id_decode(id, &code);
	PG_RETURN_BOOL(rid_compare(&low, &code) <= 0 &&
				   rid_compare(&code, &high) <= 0);
}

/*
 * "key >= low AND key <= high" with the opfamily's operators, or NIL when
 * the prefix is not a usable constant or the opfamily lacks the operators.
 */
static List *
prefix_range_clauses(Node *key, Node *prefix_arg, Oid opfamily)
{
	Const	   *prefix_const;
	Oid			type = exprType(key);
	Oid			ge;
	Oid			le;
	rid_code	low;
	rid_code	high;
	Const	   *low_const;
	Const	   *high_const;

	if (!IsA(prefix_arg, Const) || ((Const *) prefix_arg)->constisnull)
		return NIL;
	prefix_const = (Const *) prefix_arg;
	if (!prefix_bounds(DatumGetTextPP(prefix_const->constvalue), &low, &high,
					   false))
		return NIL;		/* execution will report the bad prefix */

	ge = get_opfamily_member(opfamily, type, type, BTGreaterEqualStrategyNumber);
	le = get_opfamily_member(opfamily, type, type, BTLessEqualStrategyNumber);
	if (!OidIsValid(ge) || !OidIsValid(le))
		return NIL;

	low_const = makeConst(type, -1, InvalidOid, RID_STORAGE_SIZE,
						  RobotIdPGetDatum(robot_id_encode(&low)), false, false);
	high_const = makeConst(type, -1, InvalidOid, RID_STORAGE_SIZE,
						   RobotIdPGetDatum(robot_id_encode(&high)), false, false);
	return list_make2(make_opclause(ge, BOOLOID, false, (Expr *) copyObject(key),
									(Expr *) low_const, InvalidOid, InvalidOid),
					  make_opclause(le, BOOLOID, false, (Expr *) copyObject(key),
									(Expr *) high_const, InvalidOid, InvalidOid));
}

/*
 * Selectivity of the prefix test is that of the range it stands for, which
 * the planner estimates from the column's histogram.
 */
static Selectivity
prefix_selectivity(PlannerInfo *root, List *args, int varRelid)
{
	Node	   *key;
	Oid			opclass;
	List	   *clauses;

	if (list_length(args) != 2)
		return DEFAULT_MATCH_SEL;
	key = (Node *) linitial(args);
	opclass = GetDefaultOpClass(exprType(key), BTREE_AM_OID);
	if (!OidIsValid(opclass))
		return DEFAULT_MATCH_SEL;
	clauses = prefix_range_clauses(key,
								   estimate_expression_value(root, lsecond(args)),
								   get_opclass_family(opclass));
	if (clauses == NIL)
		return DEFAULT_MATCH_SEL;
	return clauselist_selectivity(root, clauses, varRelid, JOIN_INNER, NULL);
}

PG_FUNCTION_INFO_V1(robot_id_prefix_restrict);
Datum
robot_id_prefix_restrict(PG_FUNCTION_ARGS)
{
	PlannerInfo *root = (PlannerInfo *) PG_GETARG_POINTER(0);
	List	   *args = (List *) PG_GETARG_POINTER(2);
	int			varRelid = PG_GETARG_INT32(3);

	PG_RETURN_FLOAT8(prefix_selectivity(root, args, varRelid));
}

PG_FUNCTION_INFO_V1(robot_id_starts_with_support);
Datum
robot_id_starts_with_support(PG_FUNCTION_ARGS)
{
	Node	   *rawreq = (Node *) PG_GETARG_POINTER(0);

	if (IsA(rawreq, SupportRequestIndexCondition))
	{
		SupportRequestIndexCondition *req = (SupportRequestIndexCondition *) rawreq;
		List	   *args;
		List	   *clauses;

		if (req->indexarg != 0 ||
			(req->index->relam != BTREE_AM_OID && req->index->relam != BRIN_AM_OID))
			PG_RETURN_POINTER(NULL);
		if (is_opclause(req->node))
			args = ((OpExpr *) req->node)->args;
		else if (is_funcclause(req->node))
			args = ((FuncExpr *) req->node)->args;
		else
			PG_RETURN_POINTER(NULL);
		if (list_length(args) != 2)
			PG_RETURN_POINTER(NULL);

		clauses = prefix_range_clauses((Node *) linitial(args),
									   (Node *) lsecond(args), req->opfamily);
		if (clauses == NIL)
			PG_RETURN_POINTER(NULL);
		req->lossy = false;
		PG_RETURN_POINTER(clauses);
	}

	if (IsA(rawreq, SupportRequestSelectivity))
	{
		SupportRequestSelectivity *req = (SupportRequestSelectivity *) rawreq;

		req->selectivity = req->is_join ? DEFAULT_MATCH_SEL :
			prefix_selectivity(req->root, req->args, req->varRelid);
		PG_RETURN_POINTER(req);
	}

	PG_RETURN_POINTER(NULL);
}
