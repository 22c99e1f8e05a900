#!/usr/bin/env bash
# Dump a populated registry with pg_dump, restore it into a new database,
# and check that it is the same registry: every table's rows, the schema,
# every hash chain, and triggers that still work.  Needs PGHOST, PGPORT and
# PGUSER of a running cluster with robotid installed.  Prints TAP.
#
# Keeps the dump and its tables' digests as build/registry-<major>.dump and
# .digests, for test/restore_across_majors.sh on a newer server.
set -uo pipefail
source "$(dirname "$0")/registry_checks.sh"
build="$(cd "$(dirname "$0")/.." && pwd)/build"

work=$(mktemp -d /tmp/robotid-dump.XXXXXX)
trap 'rm -rf "$work"; dropdb --if-exists robotid_dump_source; dropdb --if-exists robotid_dump_target' EXIT
dropdb --if-exists robotid_dump_source 2>/dev/null
dropdb --if-exists robotid_dump_target 2>/dev/null

createdb robotid_dump_source
populate_registry robotid_dump_source
[ "$(q robotid_dump_source "SELECT count(*) FROM robot_registry.defect_crossings")" = 1 ] &&
	[ "$(q robotid_dump_source "SELECT count(*) FROM robot_registry.events WHERE kind = 'handed over' AND actor = 'dump_robotid_operator'")" = 1 ]
ok $? "a populated registry (3000 robots, actors' moves, a hand-over and defect reports that make a defect common)"

pg_dump -Fc -f "$work/registry.dump" robotid_dump_source
ok $? "pg_dump"
createdb robotid_dump_target
pg_restore --exit-on-error -d robotid_dump_target "$work/registry.dump"
ok $? "pg_restore with --exit-on-error"

registry_digests robotid_dump_source > "$work/registry.digests"
check_rows_match robotid_dump_target "$work/registry.digests"
major=$(q postgres "SELECT current_setting('server_version_num')::int / 10000")
mkdir -p "$build"
cp "$work/registry.dump" "$build/registry-$major.dump"
cp "$work/registry.digests" "$build/registry-$major.digests"

pg_dump --schema-only -d robotid_dump_source | grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict' > "$work/source.sql"
pg_dump --schema-only -d robotid_dump_target | grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict' > "$work/target.sql"
diff -q "$work/source.sql" "$work/target.sql" >/dev/null
ok $? "the restored schema dumps identically: tables, triggers, policies, grants"

check_verified robotid_dump_target

moved=$(psql -X -q -At -d robotid_dump_target 2>&1 <<'SQL'
SET ROLE dump_robotid_operator;
SELECT (robot_registry.transition(id, 'deployed')).state FROM robot_registry.robots
 WHERE state = 'maintenance' AND NOT recalled AND custodian = 'Demo Fleet Operations' ORDER BY id LIMIT 1;
RESET ROLE;
SELECT count(*) FROM robot_registry.verify();
SQL
)
[ "$moved" = "$(printf 'deployed\n0')" ]
ok $? "the restored registry keeps working: actor, triggers and hash chain" || echo "$moved"
unheld=$(psql -X -q -At -v VERBOSITY=verbose -d robotid_dump_target 2>&1 <<'SQL'
SET ROLE dump_robotid_operator;
SELECT robot_registry.transition(id, 'deployed') FROM robot_registry.robots
 WHERE state = 'maintenance' AND NOT recalled AND custodian IS DISTINCT FROM 'Demo Fleet Operations' ORDER BY id LIMIT 1;
SQL
)
case "$unheld" in *"ERROR:  42501: robot "*" is not held by party Demo Fleet Operations"*) r=0 ;; *) r=1 ;; esac
ok $r "the restored registry still holds actors to custody (42501)" || echo "$unheld"

refused=$(q robotid_dump_target "SELECT robot_registry.transition(id, 'sold') FROM robot_registry.robots WHERE state = 'retired' LIMIT 1" 2>&1)
case "$refused" in *"cannot return to the market"*) r=0 ;; *) r=1 ;; esac
ok $r "the restored registry still refuses a scrapped robot's sale"

for role in $DUMP_ROLES; do
	psql -X -q -d postgres -c "DROP OWNED BY $role CASCADE" -c "DROP ROLE $role" >/dev/null 2>&1 || true
done
finish_tap
