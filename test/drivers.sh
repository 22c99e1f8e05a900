#!/usr/bin/env bash
# robotid through the drivers application teams use: node-postgres (npm pg
# and pg-copy-streams, installed from the npm registry at the versions
# test/drivers/node/package-lock.json pins) and psycopg 3 (Debian's
# python3-psycopg).  Needs PGHOST, PGPORT and PGUSER of a running cluster
# with robotid installed.  Prints each suite's TAP and "# N passed, N failed".
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
db=robotid_drivers
trap 'dropdb --if-exists "$db" 2>/dev/null' EXIT
dropdb --if-exists "$db" 2>/dev/null
createdb "$db" &&
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c 'CREATE EXTENSION robotid' -f "$here/drivers/setup.sql" >/dev/null 2>&1 ||
	{ echo "# 0 passed, 1 failed"; exit 1; }

passed=0
failed=0
# run one suite: its TAP, then its counts (a suite that dies silently is
# one failure)
suite() {
	local name=$1 out p f
	shift
	echo "# $name"
	out=$("$@" 2>&1)
	local status=$?
	# the suite's own total is kept for the reader, not for the count of
	# the whole test command
	sed "s/^# \([0-9]* passed, [0-9]* failed\)$/# $name: \1/" <<< "$out"
	read -r p f < <(sed -n 's/^# \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' <<< "$out")
	p=${p:-0}; f=${f:-1}
	[ "$status" -eq 0 ] || [ "$f" -gt 0 ] || f=1
	passed=$((passed + p)); failed=$((failed + f))
	psql -X -q -d "$db" -f "$here/drivers/setup.sql" >/dev/null 2>&1
}

if [ -d "$here/drivers/node/node_modules/pg-copy-streams" ] ||
	(cd "$here/drivers/node" && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
	suite "node-postgres" env PGDATABASE="$db" node "$here/drivers/node/test.js"
else
	echo "not ok - npm ci in test/drivers/node (is the npm registry reachable?)"
	failed=$((failed + 1))
fi
# Debian's interpreter, which has python3-psycopg, whatever python3 is first
# on the PATH
suite "psycopg 3" env PGDATABASE="$db" /usr/bin/python3 "$here/drivers/test_psycopg.py"

echo "# $passed passed, $failed failed"
[ "$failed" -eq 0 ]
