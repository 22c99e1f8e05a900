#!/usr/bin/env bash
# The README's examples as tests: test/readme.py runs every ```sql block of
# README.md that is not marked illustrative, in order, in a fresh database,
# and compares each statement's output, error text and SQLSTATE with what
# the README shows.  Prints TAP and "# N passed, N failed".
#
#   bash test/readme.sh     alone: installs what is missing, builds, and
#                           runs on a throwaway cluster of its own
# The test command runs it on its cluster (PGHOST and PGPORT set).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
alone=0
if [ -z "${PGHOST:-}" ]; then
	alone=1
	source "$here/../scripts/lib.sh"
	cd "$ROBOTID_ROOT"
	ensure_packages
	build_and_install
	start_cluster
fi
db=robotid_readme
# roles are cluster-wide: the ones the README creates are dropped afterwards
roles_before=$(psql -X -At -d postgres -c "SELECT string_agg(quote_literal(rolname), ',') FROM pg_roles")
cleanup() {
	dropdb --if-exists "$db" 2>/dev/null
	psql -X -At -d postgres -c "SELECT format('DROP ROLE %I;', rolname) FROM pg_roles
		WHERE rolname NOT IN ($roles_before)" 2>/dev/null | psql -X -q -d postgres >/dev/null 2>&1
}
if [ "$alone" -eq 1 ]; then on_exit cleanup; else trap cleanup EXIT; fi
cleanup
createdb "$db" || { echo "# 0 passed, 1 failed"; exit 1; }
PGDATABASE=$db python3 "$here/readme.py" "$here/../README.md"
