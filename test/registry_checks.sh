# Shared by the dump and restore tests: TAP counters, a query helper, and
# the checks that a restored registry is the registry that was dumped.
# Source it; needs PGHOST, PGPORT and PGUSER of a running cluster.

tests=0
failed=0
ok() {
	tests=$((tests + 1))
	if [ "$1" = 0 ]; then echo "ok $tests - $2"; else failed=$((failed + 1)); echo "not ok $tests - $2"; fi
	[ "$1" = 0 ]
}
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

# Every table of the registry, with a digest of its rows that does not
# depend on their physical order.
REGISTRY_TABLES="manufacturers models actors actor_moves robots recalls recall_robots events market_events ledger checkpoints"
REGISTRY_TABLES+=" defect_reports defect_thresholds defect_crossings defect_waivers transfer_codes custody_claims"
table_digest() {
	q "$1" "SELECT count(*) || ':' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))
	          FROM robot_registry.$2 t"
}

# Print "table digest" lines for every table of database $1.
registry_digests() {
	local table
	for table in $REGISTRY_TABLES; do echo "$table $(table_digest "$1" "$table")"; done
}

# Compare database $1's tables with the "table digest" lines in file $2.
check_rows_match() {
	local table digest
	while read -r table digest; do
		[ -n "$digest" ] && [ "$(table_digest "$1" "$table")" = "$digest" ]
		ok $? "robot_registry.$table restored row for row (${digest%%:*} rows)"
	done < "$2"
}

check_verified() {
	[ "$(q "$1" 'SELECT count(*) FROM robot_registry.verify()')" = 0 ]
	ok $? "verify() passes on the restored registry"
	[ "$(q "$1" "SELECT bool_and(robot_registry.verify_checkpoint(upto_event_id, root)) FROM robot_registry.checkpoints")" = t ]
	ok $? "the checkpoint taken before the dump verifies on the restored registry"
	[ "$(q "$1" 'SELECT count(*) FROM robot_registry.rule_breaks')" = 0 ]
	ok $? "no rule breaks after the restore"
}

# The populated registry both tests dump: 3000 robots, and moves and defect
# reports made by mapped actors, so that actor_moves, the actor column and
# the defect tables have content.  The operator acts for the party
# generate_demo() sells robots to, and moves and reports only robots it
# holds; the maker acts for its own name, the party generate_demo() has
# hold its unsold robots, and its own report makes the defect common.
# Roles are cluster objects a database's dump does not carry: a restore
# elsewhere creates DUMP_ROLES first.
DUMP_ROLES="dump_robotid_operator dump_robotid_maker"
populate_registry() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$1" >/dev/null 2>&1 <<'SQL'
CREATE EXTENSION robotid;
SELECT robot_registry_install();
SELECT robot_registry_install_demo();
CALL robot_registry.generate_demo(3000, 20, 2);
DROP ROLE IF EXISTS dump_robotid_operator;
CREATE ROLE dump_robotid_operator;
DROP ROLE IF EXISTS dump_robotid_maker;
CREATE ROLE dump_robotid_maker;
INSERT INTO robot_registry.actors (role_name, kind, manufacturer_key, party)
VALUES ('dump_robotid_operator', 'operator', NULL, 'Demo Fleet Operations');
INSERT INTO robot_registry.actors (role_name, kind, manufacturer_key, party)
SELECT 'dump_robotid_maker', 'manufacturer', m.manufacturer_key, m.name
  FROM robot_registry.manufacturers m WHERE m.manufacturer_key = '860001';
SET ROLE dump_robotid_operator;
SELECT robot_registry.transition(id, 'maintenance', '{"reason": "before the dump"}')
  FROM robot_registry.robots WHERE state = 'deployed' AND NOT recalled AND custodian = 'Demo Fleet Operations'
 ORDER BY id LIMIT 5;
-- three robots of one model report a defect, the third by its maker: it
-- becomes common
SELECT robot_registry.report_defect(id, 'knee actuator', 'overheats')
  FROM robot_registry.robots WHERE model_key = '860001000001' AND custodian = 'Demo Fleet Operations' ORDER BY id LIMIT 2;
-- and hands one back to its maker
SELECT robot_registry.hand_over(id, m.name, '{"reason": "return to the factory"}')
  FROM robot_registry.robots r, robot_registry.manufacturers m
 WHERE r.model_key = '860001000002' AND r.state = 'deployed' AND NOT r.recalled AND r.custodian = 'Demo Fleet Operations'
   AND m.manufacturer_key = '860001'
 ORDER BY r.id LIMIT 1;
SET ROLE dump_robotid_maker;
SELECT robot_registry.report_defect(id, 'knee actuator', 'overheats at the factory')
  FROM robot_registry.robots WHERE model_key = '860001000001' AND custodian IS DISTINCT FROM 'Demo Fleet Operations'
 ORDER BY id LIMIT 1;
RESET ROLE;
SELECT * FROM robot_registry.checkpoint();
SQL
}

finish_tap() {
	echo "1..$tests"
	echo "# $((tests - failed)) passed, $failed failed"
	[ "$failed" -eq 0 ]
}
