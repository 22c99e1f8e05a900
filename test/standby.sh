#!/usr/bin/env bash
# Hot standbys serve the registry's reads: a primary with a populated
# registry and two streaming standbys made with pg_basebackup -R.  On each
# standby, passport(), the public scan, the analyst views, verify(),
# checkpoints and ^@ index scans give the primary's answers, and every
# write fails with PostgreSQL's read-only error (25006), not an internal
# one.  Runs its own clusters (ports ROBOTID_REPLICA_PORT, 5472, to +2);
# prints TAP ending in "# N passed, N failed".
#
#   bash test/standby.sh
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROBOTID_ROOT/test/registry_checks.sh"
source "$ROBOTID_ROOT/test/clusters.sh"
port=${ROBOTID_REPLICA_PORT:-5472}
db=robotid_standby

log "a primary and two streaming standbys"
node_init primary "$port"
node_standby s1 $((port + 1)) primary
ok $? "standby s1 from pg_basebackup -R"
node_standby s2 $((port + 2)) primary
ok $? "standby s2 from pg_basebackup -R"
wait_for primary postgres "SELECT string_agg(application_name || ':' || state, ' ' ORDER BY application_name)
                           FROM pg_stat_replication" "s1:streaming s2:streaming"
ok $? "the primary streams to s1 and s2"

at primary createdb "$db"
at primary populate_registry "$db"
ok $? "a populated registry on the primary (3000 robots, an actor's moves, a checkpoint)"
at primary psql -X -q -d "$db" -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
CREATE ROLE standby_public LOGIN;
CREATE ROLE standby_operator LOGIN;
-- the codes the public scans: the public may not read robots
CREATE TABLE public.standby_codes AS
SELECT id::text AS code FROM robot_registry.robots UNION ALL SELECT '86000100000120260101999999999';
GRANT SELECT ON public.standby_codes TO standby_public;
-- for the party that holds the robots generate_demo() sells to fleets
INSERT INTO robot_registry.actors (role_name, kind, manufacturer_key, party)
VALUES ('standby_operator', 'operator', NULL, 'Demo Fleet Operations');
-- scans with a context, so that scans, scan_alerts and suspected_clones
-- have rows to compare
SELECT robot_registry.scan(id::text, jsonb_build_object('scanner', 'gate ' || (n % 3), 'place', 'port ' || (n % 5)))
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM robot_registry.robots) r WHERE n % 10 = 0;
SELECT robot_registry.scan('86000100000120260101999999999', '{"scanner": "gate 1"}');
SQL

for s in s1 s2; do
	wait_replayed primary "$s"
	ok $? "$s replays the registry's creation and load"
	[ "$(at "$s" q "$db" "SELECT pg_is_in_recovery()")" = t ]
	ok $? "$s is in recovery (a hot standby)"
done

# The same query's answer, as one digest, on every node.
answer() {
	local out
	out=$(at "$1" psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -c "$2") || { echo "error on $1"; return; }
	echo "$out" | md5sum | cut -d' ' -f1
}
same_answer() {
	local what=$1 sql=$2 p s
	p=$(answer primary "$sql")
	for s in s1 s2; do
		[ "$(answer "$s" "$sql")" = "$p" ]
		ok $? "$s answers as the primary: $what"
	done
}

at primary registry_digests "$db" > "$NODES_DIR/primary.digests"
for s in s1 s2; do
	at "$s" registry_digests "$db" | diff -q - "$NODES_DIR/primary.digests" >/dev/null
	ok $? "$s holds every registry table row for row"
done

same_answer "passport() of every robot" \
	"SELECT md5(string_agg(robot_registry.passport(id)::text, '|' ORDER BY id)) FROM robot_registry.robots"
same_answer "the public scan of every code, and of an unregistered one, as an unmapped role" \
	"SET ROLE standby_public;
	 SELECT md5(string_agg(robot_registry.scan(code)::text, '|' ORDER BY code)) FROM public.standby_codes"
for view in fleet_by_manufacturer fleet_by_model open_recalls rule_breaks time_in_state scan_alerts suspected_clones; do
	same_answer "the analyst view $view" \
		"SELECT md5(coalesce(string_agg(v::text, '|' ORDER BY v::text), '')) FROM robot_registry.$view v"
done
same_answer "an operator's view of the fleet, through row-level security" \
	"SET ROLE standby_operator; SELECT count(*), md5(string_agg(id::text, ',' ORDER BY id)) FROM robot_registry.robots"
model=$(at primary q "$db" "SELECT model_key FROM robot_registry.models ORDER BY model_key LIMIT 1")
same_answer "the fleet of one model by ^@" \
	"SELECT count(*), md5(string_agg(id::text, ',' ORDER BY id)) FROM robot_registry.robots WHERE id ^@ '$model'"

for s in s1 s2; do
	plan=$(at "$s" psql -X -q -At -d "$db" -c "SET enable_seqscan = off" \
		-c "EXPLAIN (COSTS OFF) SELECT id FROM robot_registry.robots WHERE id ^@ '$model'")
	echo "$plan" | grep -qE 'Index (Only )?Scan (using|on) robots_pkey' &&
		echo "$plan" | grep -q "Index Cond: ((id >= '${model}00000000000000000'::robot_id)" && ! echo "$plan" | grep -q Filter
	r=$?
	ok $r "$s runs ^@ as a range on the primary key's index"
	[ $r = 0 ] || echo "$plan"
	[ "$(at "$s" q "$db" "SELECT count(*) FROM robot_registry.verify()")" = 0 ]
	ok $? "verify() is clean on $s"
	[ "$(at "$s" q "$db" "SELECT bool_and(robot_registry.verify_checkpoint(upto_event_id, root)) FROM robot_registry.checkpoints")" = t ]
	ok $? "the primary's checkpoint verifies on $s"
	# a scan with a context is not recorded on a standby, and answers the same
	[ "$(at "$s" q "$db" "SET ROLE standby_public; SELECT bool_and(robot_registry.scan(code, '{\"place\": \"standby\"}') = robot_registry.scan(code))
	                      FROM public.standby_codes")" = t ]
	ok $? "a scan with a context answers on $s without recording"
done

# SQLSTATE of a statement run on node $1 as role $2 (ok when it succeeds)
sqlstate_of() {
	local out
	out=$(at "$1" psql -X -q -At -d "$db" -v VERBOSITY=sqlstate -c "SET ROLE $2" -c "$3" 2>&1 >/dev/null)
	if [ -z "$out" ]; then echo ok; else echo "$out" | sed -n 's/^ERROR:  \([0-9A-Z]\{5\}\).*/\1/p' | head -1; fi
}
# a robot the operator's party holds: on the primary its moves would pass
probe=$(at primary q "$db" "SELECT id FROM robot_registry.robots WHERE state = 'deployed' AND NOT recalled
                            AND custodian = 'Demo Fleet Operations' ORDER BY id LIMIT 1")
for s in s1 s2; do
	while IFS='|' read -r role what sql; do
		[ "$(sqlstate_of "$s" "$role" "$sql")" = 25006 ]
		ok $? "on $s, $what fails as a read-only transaction (25006)"
	done <<SQL
standby_operator|transition()|SELECT robot_registry.transition('$probe', 'maintenance')
standby_operator|relocate()|SELECT robot_registry.relocate('$probe', 'Shenzhen')
postgres|register_robot()|SELECT robot_registry.register_robot('${model}20260101000000999')
postgres|open_recall()|SELECT robot_registry.open_recall('$model', 'from a standby')
postgres|checkpoint()|SELECT robot_registry.checkpoint()
postgres|an UPDATE of robots|UPDATE robot_registry.robots SET location = 'x' WHERE id = '$probe'
postgres|an INSERT into events|INSERT INTO robot_registry.events (robot_id, kind, recalled, actor, row_hash, hash) VALUES ('$probe', 'edited', false, 'x', '', '')
SQL
done

at primary psql -X -q -d "$db" -c "SET ROLE standby_operator" -c "SELECT robot_registry.transition('$probe', 'maintenance')" >/dev/null
for s in s1 s2; do
	wait_replayed primary "$s"
	[ "$(at "$s" q "$db" "SELECT robot_registry.passport('$probe') -> 'history' -> -1 ->> 'to'")" = maintenance ]
	ok $? "a move on the primary shows in the passport on $s"
done
same_answer "verify() after the move" "SELECT count(*) FROM robot_registry.verify()"

finish_tap
