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
#include "catalog/dependency.h"
#include "catalog/namespace.h"
#include "catalog/pg_proc.h"
#include "parser/parse_func.h"
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

/* robot_id_prefix_lower(prefix) and _upper: the range a prefix stands for */
PG_FUNCTION_INFO_V1(robot_id_prefix_lower);
Datum
robot_id_prefix_lower(PG_FUNCTION_ARGS)
{
	rid_code	low;
	rid_code	high;

	prefix_bounds(PG_GETARG_TEXT_PP(0), &low, &high, true);
	PG_RETURN_ROBOT_ID_P(robot_id_encode(&low));
}

PG_FUNCTION_INFO_V1(robot_id_prefix_upper);
Datum
robot_id_prefix_upper(PG_FUNCTION_ARGS)
{
	rid_code	low;
	rid_code	high;

	prefix_bounds(PG_GETARG_TEXT_PP(0), &low, &high, true);
	PG_RETURN_ROBOT_ID_P(robot_id_encode(&high));
}

/*
 * robot_id_prefix_lower or _upper of the extension that owns the prefix
 * function fn, or InvalidOid before they existed (a 1.4 library serving a
 * database still at 1.3).  A function of that name that is not the
 * extension's own is never taken: any role that may create in the
 * extension's schema (public, often) could otherwise plant one there in
 * that window, and every query with a prefix parameter would call it with
 * its planner's rights.
 */
static Oid
bound_function(Oid fn, const char *name)
{
	Oid			argtypes[1] = {TEXTOID};
	char	   *schema = get_namespace_name(get_func_namespace(fn));
	Oid			extension = getExtensionOfObject(ProcedureRelationId, fn);
	Oid			found;

	if (schema == NULL || !OidIsValid(extension))
		return InvalidOid;
	found = LookupFuncName(list_make2(makeString(schema), makeString(pstrdup(name))),
						   1, argtypes, true);
	if (!OidIsValid(found) || getExtensionOfObject(ProcedureRelationId, found) != extension)
		return InvalidOid;
	return found;
}

/*
 * "key >= low AND key <= high" with the opfamily's operators, as a list of
 * the two clauses, or NIL when the opfamily lacks the operators or the
 * prefix is a constant that is no prefix (execution will report it).  A
 * constant prefix gives constant bounds; any other gives
 * robot_id_prefix_lower(prefix) and _upper(prefix), which raise 22023 for
 * a bad prefix when they run.
 */
static List *
prefix_range_clauses(Node *key, Node *prefix_arg, Oid opfamily, Oid fn)
{
	Oid			type = getBaseType(exprType(key));
	Oid			ge;
	Oid			le;
	Expr	   *low_expr;
	Expr	   *high_expr;

	ge = get_opfamily_member(opfamily, type, type, BTGreaterEqualStrategyNumber);
	le = get_opfamily_member(opfamily, type, type, BTLessEqualStrategyNumber);
	if (!OidIsValid(ge) || !OidIsValid(le))
		return NIL;

	if (IsA(prefix_arg, Const))
	{
		Const	   *prefix_const = (Const *) prefix_arg;
		rid_code	low;
		rid_code	high;

		if (prefix_const->constisnull ||
			!prefix_bounds(DatumGetTextPP(prefix_const->constvalue), &low, &high, false))
			return NIL;
		low_expr = (Expr *) makeConst(type, -1, InvalidOid, RID_STORAGE_SIZE,
									  RobotIdPGetDatum(robot_id_encode(&low)), false, false);
		high_expr = (Expr *) makeConst(type, -1, InvalidOid, RID_STORAGE_SIZE,
									   RobotIdPGetDatum(robot_id_encode(&high)), false, false);
	}
	else
	{
		Oid			lower_fn = bound_function(fn, "robot_id_prefix_lower");
		Oid			upper_fn = bound_function(fn, "robot_id_prefix_upper");

		if (!OidIsValid(lower_fn) || !OidIsValid(upper_fn))
			return NIL;
		low_expr = (Expr *) makeFuncExpr(lower_fn, type,
										 list_make1(copyObject(prefix_arg)),
										 InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);
		high_expr = (Expr *) makeFuncExpr(upper_fn, type,
										  list_make1(copyObject(prefix_arg)),
										  InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);
	}
	return list_make2(make_opclause(ge, BOOLOID, false, (Expr *) copyObject(key),
									low_expr, InvalidOid, InvalidOid),
					  make_opclause(le, BOOLOID, false, (Expr *) copyObject(key),
									high_expr, InvalidOid, InvalidOid));
}

static Oid
btree_family(Node *key)
{
	Oid			opclass = GetDefaultOpClass(getBaseType(exprType(key)), BTREE_AM_OID);

	return OidIsValid(opclass) ? get_opclass_family(opclass) : InvalidOid;
}

/*
 * A prefix test as the range it stands for, wherever the planner meets it:
 * "id ^@ '860001'" becomes "id >= '86000100…0' AND id <= '86000199…9'", so
 * every index kind, every plan shape and the range estimators see an
 * ordinary range, and no plan keeps a filter the range makes redundant.  A
 * prefix that is not a constant but is fixed during the scan (a parameter,
 * an outer reference, a subquery) becomes the range of
 * robot_id_prefix_lower() and _upper() of it.  A prefix that reads the
 * row's own columns, or anything volatile, is left alone.
 */
static Node *
simplify_prefix_test(FuncExpr *call)
{
	Node	   *key;
	Node	   *prefix;
	Oid			opfamily;
	List	   *clauses;

	if (list_length(call->args) != 2)
		return NULL;
	key = (Node *) linitial(call->args);
	prefix = (Node *) lsecond(call->args);
	if (contain_volatile_functions(key) || contain_volatile_functions(prefix))
		return NULL;
	if (!IsA(prefix, Const) && contain_var_clause(prefix))
		return NULL;
	opfamily = btree_family(key);
	if (!OidIsValid(opfamily))
		return NULL;
	clauses = prefix_range_clauses(key, prefix, opfamily, call->funcid);
	return clauses == NIL ? NULL : (Node *) make_andclause(clauses);
}

/*
 * Selectivity of the prefix test is that of the range it stands for, from
 * the column's histogram.  Only a test that was not simplified to its range
 * gets here.
 */
static Selectivity
prefix_selectivity(PlannerInfo *root, List *args, int varRelid)
{
	Node	   *prefix;
	rid_code	low;
	rid_code	high;
	double		selec;

	if (list_length(args) != 2)
		return DEFAULT_MATCH_SEL;
	prefix = estimate_expression_value(root, lsecond(args));
	if (!IsA(prefix, Const) || ((Const *) prefix)->constisnull ||
		!prefix_bounds(DatumGetTextPP(((Const *) prefix)->constvalue), &low, &high, false))
		return DEFAULT_MATCH_SEL;
	selec = robot_id_prefix_range_selectivity(root, linitial(args), varRelid, &low, &high);
	return selec >= 0 ? selec : DEFAULT_MATCH_SEL;
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

	if (IsA(rawreq, SupportRequestSimplify))
	{
		SupportRequestSimplify *req = (SupportRequestSimplify *) rawreq;

		PG_RETURN_POINTER(simplify_prefix_test(req->fcall));
	}

	/*
	 * A test that was not simplified: its prefix reads another relation's
	 * columns (a join), so the range can still drive an index scan of this
	 * one as a parameterized path.
	 */
	if (IsA(rawreq, SupportRequestIndexCondition))
	{
		SupportRequestIndexCondition *req = (SupportRequestIndexCondition *) rawreq;
		List	   *args;
		Oid			fn;
		Node	   *prefix;
		List	   *clauses;

		if (req->indexarg != 0 ||
			(req->index->relam != BTREE_AM_OID && req->index->relam != BRIN_AM_OID))
			PG_RETURN_POINTER(NULL);
		if (is_opclause(req->node))
		{
			args = ((OpExpr *) req->node)->args;
			fn = ((OpExpr *) req->node)->opfuncid;
		}
		else if (is_funcclause(req->node))
		{
			args = ((FuncExpr *) req->node)->args;
			fn = ((FuncExpr *) req->node)->funcid;
		}
		else
			PG_RETURN_POINTER(NULL);
		if (list_length(args) != 2)
			PG_RETURN_POINTER(NULL);
		prefix = (Node *) lsecond(args);
		if (contain_volatile_functions(prefix) ||
			bms_is_member(req->index->rel->relid, pull_varnos(req->root, prefix)))
			PG_RETURN_POINTER(NULL);

		clauses = prefix_range_clauses((Node *) linitial(args), prefix, req->opfamily,
									   OidIsValid(fn) ? fn : get_opcode(((OpExpr *) req->node)->opno));
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
