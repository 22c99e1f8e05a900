#!/usr/bin/env bash
# Dump a populated registry with pg_dump, restore it into a new database,
# and check that it is the same registry: every table's rows, the schema,
# every hash chain, and triggers that still work.  Needs PGHOST, PGPORT and
# PGUSER of a running cluster with robotid installed.  Prints TAP.
set -uo pipefail

tests=0
failed=0
ok() {
	tests=$((tests + 1))
	if [ "$1" = 0 ]; then echo "ok $tests - $2"; else failed=$((failed + 1)); echo "not ok $tests - $2"; fi
}
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

work=$(mktemp -d /tmp/robotid-dump.XXXXXX)
trap 'rm -rf "$work"; dropdb --if-exists robotid_dump_source; dropdb --if-exists robotid_dump_target' EXIT
dropdb --if-exists robotid_dump_source 2>/dev/null
dropdb --if-exists robotid_dump_target 2>/dev/null

createdb robotid_dump_source
psql -X -q -v ON_ERROR_STOP=1 -d robotid_dump_source >/dev/null 2>&1 <<'SQL'
CREATE EXTENSION robotid;
SELECT robot_registry_install();
CALL robot_registry.generate_demo(3000, 20, 2);
DROP ROLE IF EXISTS dump_robotid_operator;
CREATE ROLE dump_robotid_operator;
INSERT INTO robot_registry.actors VALUES ('dump_robotid_operator', 'operator', NULL);
SET ROLE dump_robotid_operator;
SELECT robot_registry.transition(id, 'maintenance', '{"reason": "before the dump"}')
  FROM robot_registry.robots WHERE state = 'deployed' AND NOT recalled ORDER BY id LIMIT 5;
RESET ROLE;
SELECT * FROM robot_registry.checkpoint();
SQL
ok $? "a populated registry (3000 robots, an actor's moves)"

pg_dump -Fc -f "$work/registry.dump" robotid_dump_source
ok $? "pg_dump"
createdb robotid_dump_target
pg_restore --exit-on-error -d robotid_dump_target "$work/registry.dump"
ok $? "pg_restore with --exit-on-error"

for table in manufacturers models actors actor_moves robots recalls recall_robots events market_events ledger checkpoints; do
	sql="SELECT count(*) || ':' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM robot_registry.$table t"
	a=$(q robotid_dump_source "$sql")
	b=$(q robotid_dump_target "$sql")
	[ -n "$a" ] && [ "$a" = "$b" ]
	ok $? "robot_registry.$table restored row for row (${a%%:*} rows)"
done

pg_dump --schema-only -d robotid_dump_source | grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict' > "$work/source.sql"
pg_dump --schema-only -d robotid_dump_target | grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict' > "$work/target.sql"
diff -q "$work/source.sql" "$work/target.sql" >/dev/null
ok $? "the restored schema dumps identically: tables, triggers, policies, grants"

[ "$(q robotid_dump_target 'SELECT count(*) FROM robot_registry.verify()')" = 0 ]
ok $? "verify() passes on the restored registry"
[ "$(q robotid_dump_target "SELECT bool_and(robot_registry.verify_checkpoint(upto_event_id, root)) FROM robot_registry.checkpoints")" = t ]
ok $? "the checkpoint taken before the dump verifies on the restored registry"
[ "$(q robotid_dump_target 'SELECT count(*) FROM robot_registry.rule_breaks')" = 0 ]
ok $? "no rule breaks after the restore"

moved=$(psql -X -q -At -d robotid_dump_target 2>&1 <<'SQL'
SET ROLE dump_robotid_operator;
SELECT (robot_registry.transition(id, 'deployed')).state FROM robot_registry.robots
 WHERE state = 'maintenance' AND NOT recalled ORDER BY id LIMIT 1;
RESET ROLE;
SELECT count(*) FROM robot_registry.verify();
SQL
)
[ "$moved" = "$(printf 'deployed\n0')" ]
ok $? "the restored registry keeps working: actor, triggers and hash chain"

refused=$(q robotid_dump_target "SELECT robot_registry.transition(id, 'sold') FROM robot_registry.robots WHERE state = 'retired' LIMIT 1" 2>&1)
case "$refused" in *"cannot return to the market"*) r=0 ;; *) r=1 ;; esac
ok $r "the restored registry still refuses a scrapped robot's sale"

psql -X -q -d postgres -c "DROP OWNED BY dump_robotid_operator CASCADE" -c "DROP ROLE dump_robotid_operator" >/dev/null 2>&1 || true
echo "1..$tests"
echo "# $((tests - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
