#!/usr/bin/env bash
# The attacker suite: a registry with LOGIN roles of every actor kind and
# one unmapped role, each attack file run by pg_prove connected as its
# role (see test/attack/*.sql), then random SQL from sqlsmith against the
# populated registry.  Needs the test command's running cluster (PGHOST,
# PGPORT); prints "# N passed, M failed".
#
# With --upgraded-from VERSION (1.2, 1.3 or 1.4; --upgraded alone is
# 1.2), the same attacks against a registry installed by the released
# scripts of that version and brought to the current one by
# robot_registry_upgrade() (no sqlsmith run): the upgrade must leave every
# grant, policy, trigger and check that a fresh install has.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
db=robotid_attack
setup=test/attack/setup.sql
setup_out=build/attack_setup.out
passed=0
failed=0
from=""
case "${1:-}" in
"") ;;
--upgraded) from=1.2 ;;
--upgraded-from)
	from=${2:-}
	case "$from" in
	1.2 | 1.3 | 1.4) ;;
	*) echo "usage: bash test/attack.sh [--upgraded | --upgraded-from 1.2|1.3|1.4]" >&2; exit 2 ;;
	esac
	;;
*) echo "usage: bash test/attack.sh [--upgraded | --upgraded-from 1.2|1.3|1.4]" >&2; exit 2 ;;
esac
if [ -n "$from" ]; then
	db=robotid_attack_upgraded_${from//./_}
	setup=build/attack_setup_upgraded_${from//./_}.sql
	setup_out=build/attack_setup_upgraded_${from//./_}.out
	{
		echo '\set ON_ERROR_STOP on'
		echo 'SET client_min_messages = warning;'
		echo "CREATE EXTENSION robotid VERSION '$from';"
		echo 'SELECT robot_registry_install();'
		echo 'ALTER EXTENSION robotid UPDATE;'
		echo 'SELECT robot_registry_upgrade();'
		grep -v -e '^CREATE EXTENSION robotid;$' -e '^SELECT robot_registry_install();$' test/attack/setup.sql
	} > "$setup"
fi
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
if ! psql -X -q -d "$db" -f "$setup" > "$setup_out" 2>&1; then
	cat "$setup_out"
	echo "# 0 passed, 1 failed"
	exit 1
fi
for run in unmapped:attack_nobody unmapped_custody:attack_nobody \
	maker1:attack_maker1 maker1_settle:attack_maker1 maker1_empty_recall:attack_maker1 maker1_catalogue:attack_maker1 \
	maker1_rebuild:attack_maker1 \
	seller:attack_seller seller_custody:attack_seller seller_hand_over:attack_seller seller_mass:attack_seller \
	seller_codes:attack_seller seller2_codes:attack_seller2 \
	operator_custody:attack_operator recycler_mass:attack_recycler \
	regulator:attack_regulator service:attack_service owner:postgres planner:postgres crossing:postgres; do
	file=${run%%:*}
	role=${run##*:}
	out=$(pg_prove -U "$role" -d "$db" "test/attack/$file.sql" 2>&1)
	echo "$out" | grep -v '^ok' | grep -v '^All tests successful' | grep -v '^Result:' | grep -v '^Files='
	tests=$(echo "$out" | sed -n 's/^Files=[0-9]*, Tests=\([0-9]*\),.*/\1/p')
	bad=$(echo "$out" | sed -n 's/.*Failed: \([0-9]*\)).*/\1/p' | head -1)
	if echo "$out" | grep -q '^Result: PASS'; then
		passed=$((passed + ${tests:-0}))
	else
		bad=${bad:-1}
		failed=$((failed + bad))
		passed=$((passed + (${tests:-0} - bad > 0 ? ${tests:-0} - bad : 0)))
	fi
	echo "attack as $role ($file): ${tests:-0} tests"
done
if [ -n "$from" ]; then
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
	echo "# $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
fi

# Random SQL against the populated registry, with the triggers on user
# tables too: a crash or an internal error fails the suite.
psql -X -q -d "$db" <<'SQL' >/dev/null 2>&1
CALL robot_registry.generate_demo(2000, 10, 2);
CREATE TABLE public.fleet (id robot_id PRIMARY KEY, state robot_state NOT NULL DEFAULT 'manufactured',
	recalled boolean NOT NULL DEFAULT false, refurbished_from robot_id);
CREATE TRIGGER fleet_lifecycle BEFORE INSERT OR UPDATE OR DELETE ON public.fleet
	FOR EACH ROW EXECUTE FUNCTION robot_lifecycle_guard();
INSERT INTO public.fleet (id) SELECT id FROM robot_registry.robots LIMIT 500;
CREATE TABLE public.sales (robot_id robot_id, price numeric);
CREATE TRIGGER sales_market BEFORE INSERT OR UPDATE ON public.sales
	FOR EACH ROW EXECUTE FUNCTION robot_market_guard('registry=public.fleet');
SQL
queries=${SQLSMITH_QUERIES:-3000}
datadir=$(psql -X -At -d postgres -c "SHOW data_directory")
logfile=${SERVER_LOG:-$datadir/../server.log}
if [ ! -r "$logfile" ]; then
	echo "not ok: cannot read the server log $logfile"
	echo "# $passed passed, $((failed + 1)) failed"
	exit 1
fi
before=$(wc -l < "$logfile")
sqlsmith --target="host=$PGHOST port=$PGPORT dbname=$db user=postgres" --max-queries="$queries" \
	--seed=42 --verbose > build/sqlsmith.out 2>&1
smith=$?
echo "sqlsmith: exit $smith, $queries queries"
tail -c 600 build/sqlsmith.out | tr '\r' '\n' | tail -4
crashes=$(tail -n +"$((before + 1))" "$logfile" 2>/dev/null |
	grep -cE 'terminated by signal|server process .* was terminated|XX000|cache lookup failed|TRAP:' || true)
alive=$(psql -X -At -d "$db" -c "SELECT 1" 2>/dev/null)
if [ "$smith" -eq 0 ] && [ "${crashes:-0}" -eq 0 ] && [ "$alive" = 1 ]; then
	passed=$((passed + 1))
	echo "ok: no crash and no internal error in $queries random queries"
else
	failed=$((failed + 1))
	echo "not ok: sqlsmith found $crashes crashes or internal errors (server alive: ${alive:-no})"
	tail -n +"$((before + 1))" "$logfile" | grep -E 'terminated by signal|XX000|cache lookup failed|TRAP:' | head -20
fi
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
echo "# $passed passed, $failed failed"
[ "$failed" -eq 0 ]
