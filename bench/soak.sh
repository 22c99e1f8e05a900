#!/usr/bin/env bash
# A soak under load and faults: pgbench with 4 clients runs the mix of
# bench/soak.pgbench (legal and illegal moves, sale/scrap/recall races on
# the same robots, public scans) against a registry of demo robots; every
# 30 seconds one of the clients' backends is killed with
# pg_terminate_backend, and that client reconnects, as an application
# would.  At the end, plain SQL checks the invariants.  Its own cluster
# (port ROBOTID_SOAK_PORT, 5470); prints TAP and the figures.
#
#   bash bench/soak.sh [seconds: 600] [robots: 20000]
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROBOTID_ROOT/test/registry_checks.sh"
source "$ROBOTID_ROOT/test/clusters.sh"
seconds=${1:-600}
robots=${2:-20000}
clients=4
db=robotid_soak

node_init soak "${ROBOTID_SOAK_PORT:-5470}"
at soak createdb "$db"
log "a registry of $robots demo robots"
at soak psql -X -q -d "$db" -v robots="$robots" -f "$ROBOTID_ROOT/bench/soak_setup.sql" >/dev/null
ok $? "the soak's registry, roles and pools"
vars=()
for pool in moves dead race codes; do
	vars+=(-D "$pool=$(at soak q "$db" "SELECT count(*) FROM soak_$pool")")
done
first_event=$(at soak q "$db" "SELECT last_value FROM robot_registry.log_sequence")

# One client: pgbench -c 1 until the deadline, started again whenever its
# backend is killed.  Each run's processed transactions go to its file.
deadline=$(($(date +%s) + seconds))
client() {
	local k=$1 left
	while left=$((deadline - $(date +%s))) && [ "$left" -gt 0 ]; do
		at soak pgbench -n -c 1 -T "$left" "${vars[@]}" -f "$ROBOTID_ROOT/bench/soak.pgbench" "$db" 2>&1 |
			sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' >> "$NODES_DIR/client$k.tx"
		echo run >> "$NODES_DIR/client$k.runs"
		at soak pg_isready -q || break
	done
}
stop_clients() { [ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null; }
pids=()
on_exit stop_clients
log "$clients clients for $seconds seconds, a backend killed every 30 seconds"
for ((k = 0; k < clients; k++)); do
	client "$k" &
	pids+=($!)
done
kills=0
# no kill in the last 10 seconds: a killed client must have time to come back
while [ $(($(date +%s) + 40)) -le "$deadline" ]; do
	sleep 30
	killed=$(at soak q "$db" "SELECT count(pg_terminate_backend(pid)) FROM (
		SELECT pid FROM pg_stat_activity WHERE datname = '$db' AND application_name = 'pgbench'
		 ORDER BY random() LIMIT 1) k")
	kills=$((kills + ${killed:-0}))
	echo "$(date -u +%T) killed $killed backend(s), $kills so far"
done
wait "${pids[@]}"

tx=$(cat "$NODES_DIR"/client*.tx 2>/dev/null | awk '{s += $1} END {print s + 0}')
restarts=$(($(cat "$NODES_DIR"/client*.runs | wc -l) - clients))
[ "$(at soak q "$db" "SELECT 1")" = 1 ] && [ "$kills" -ge $((seconds / 30 - 1)) ] && [ "$restarts" -ge "$kills" ]
ok $? "the server survived $kills kills; the killed clients reconnected ($restarts restarts)"
[ "$tx" -gt 0 ]
ok $? "$tx transactions"

# No robot in a state its history cannot reach: the row is its last
# event's state, and every move in every history is a legal move from the
# state the event before left.
bad=$(at soak q "$db" "
	SELECT count(*) FROM (
		SELECT e.robot_id, e.kind, e.from_state, e.to_state,
		       lag(e.to_state) OVER (PARTITION BY e.robot_id ORDER BY e.event_id) AS before
		  FROM robot_registry.events e) h
	 WHERE h.kind = 'moved' AND (NOT robot_state_can_transition(h.from_state, h.to_state)
	                             OR h.from_state IS DISTINCT FROM h.before)")
unreachable=$(at soak q "$db" "
	SELECT count(*) FROM robot_registry.robots r
	 WHERE r.state IS DISTINCT FROM (SELECT e.to_state FROM robot_registry.events e
	                                  WHERE e.robot_id = r.id ORDER BY e.event_id DESC LIMIT 1)")
[ "$bad" = 0 ] && [ "$unreachable" = 0 ]
ok $? "no robot in a state its history cannot reach ($unreachable robots, $bad illegal steps)"
forbidden=$(at soak q "$db" "
	SELECT count(*) FROM (
		SELECT e.kind, e.to_state, e.from_state,
		       lag(e.recalled) OVER (PARTITION BY e.robot_id ORDER BY e.event_id) AS was_recalled
		  FROM robot_registry.events e) h
	 WHERE h.kind = 'moved' AND h.to_state IN ('sold', 'deployed')
	   AND (h.was_recalled OR h.from_state IN ('recycled', 'retired'))")
[ "$forbidden" = 0 ]
ok $? "no sale or deployment of a recalled or scrapped robot ($forbidden)"
breaks=$(at soak q "$db" "SELECT count(*) FROM robot_registry.rule_breaks")
broken=$(at soak q "$db" "SELECT count(*) FROM robot_registry.verify()")
[ "$breaks" = 0 ] && [ "$broken" = 0 ]
ok $? "rule_breaks empty ($breaks), verify() clean ($broken)"
# every attempt soak_try() saw commit recorded its event in the same
# transaction; both ways: each such event is there, and no soak move is
# there that no committed attempt recorded
# statistics first: the soak's tables grew from nothing, and an anti-join
# planned on none reads one side once per row of the other
at soak q "$db" "ANALYZE soak_log, robot_registry.events" >/dev/null
missing=$(at soak q "$db" "
	SELECT count(*) FROM soak_log l WHERE l.sqlstate = '00000' AND l.kind <> 'recall'
	   AND NOT EXISTS (SELECT 1 FROM robot_registry.events e WHERE e.event_id = l.event_id
	                      AND e.robot_id = l.robot AND e.kind = 'moved' AND e.to_state = l.to_state)")
unrecorded=$(at soak q "$db" "
	SELECT count(*) FROM robot_registry.events e
	 WHERE e.event_id > $first_event AND e.kind = 'moved' AND e.actor LIKE 'soak\\_%'
	   AND NOT EXISTS (SELECT 1 FROM soak_log l WHERE l.event_id = e.event_id)")
committed=$(at soak q "$db" "SELECT count(*) FROM soak_log WHERE sqlstate = '00000'")
[ "$missing" = 0 ] && [ "$unrecorded" = 0 ] && [ "$committed" -gt 0 ]
ok $? "every committed move present ($committed committed attempts, $missing missing, $unrecorded unrecorded)"

echo "# soak: $seconds s, $clients clients, $tx transactions, $kills kills survived, $((missing + unrecorded + forbidden + unreachable + bad + breaks + broken)) invariant violations"
echo "# attempts by kind and outcome (SQLSTATE):"
at soak psql -X -q -d "$db" -c "SELECT kind, sqlstate, count(*) FROM soak_log GROUP BY 1, 2 ORDER BY 1, 2" | sed 's/^/# /'
finish_tap
