#!/usr/bin/env bash
# Move a registry to a newer PostgreSQL major: restore a dump that
# test/dump_restore.sh made on an older server (build/registry-<major>.dump,
# with its tables' digests beside it) into this one, and check that every
# table compares row for row, verify() finds nothing, and an administrator
# can record a new move for an actor.  Needs PGHOST, PGPORT and PGUSER of a
# running cluster with robotid installed.  Prints TAP.
set -uo pipefail
source "$(dirname "$0")/registry_checks.sh"
dump=$1
digests=${dump%.dump}.digests
from=$(basename "$dump" .dump)
from=${from#registry-}

drop_roles() {
	local role
	for role in $DUMP_ROLES; do psql -X -q -d postgres -c "DROP ROLE IF EXISTS $role" >/dev/null 2>&1; done
}
trap 'dropdb --if-exists robotid_moved; drop_roles' EXIT
dropdb --if-exists robotid_moved 2>/dev/null
to=$(q postgres "SELECT current_setting('server_version_num')::int / 10000")
[ "$from" -lt "$to" ]
ok $? "the dump comes from an older major (PostgreSQL $from into $to)"

# roles are cluster objects that a database's dump does not carry
drop_roles
for role in $DUMP_ROLES; do psql -X -q -d postgres -c "CREATE ROLE $role" >/dev/null; done
createdb robotid_moved
pg_restore --exit-on-error -d robotid_moved "$dump"
ok $? "pg_restore of PostgreSQL $from's dump with --exit-on-error"

check_rows_match robotid_moved "$digests"
check_verified robotid_moved

moved=$(psql -X -q -At -v ON_ERROR_STOP=1 -d robotid_moved 2>&1 <<'SQL'
BEGIN;
SELECT robot_registry.act_as('dump_robotid_operator', '{"reason": "after the move"}');
SELECT (robot_registry.transition(id, 'deployed')).state FROM robot_registry.robots
 WHERE state = 'maintenance' AND NOT recalled AND custodian = 'Demo Fleet Operations' ORDER BY id LIMIT 1;
COMMIT;
SELECT actor || ' ' || (detail->>'reason') || coalesce(' ' || (detail->>'administrator'), '')
  FROM robot_registry.events ORDER BY event_id DESC LIMIT 1;
SELECT count(*) FROM robot_registry.verify();
SQL
)
[ "$moved" = "$(printf '\ndeployed\ndump_robotid_operator after the move\n0')" ]
r=$?
ok $r "an administrator records a new move for an actor, of a robot its party holds, after the restore"
[ "$r" = 0 ] || printf '# got: %s\n' "$moved"

finish_tap
