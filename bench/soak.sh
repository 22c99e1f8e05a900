#!/usr/bin/env bash
# A soak under load and faults: pgbench with 4 clients runs the mix of
# bench/soak.pgbench (legal and illegal moves, sale/scrap/recall races on
# the same robots, public scans) against a registry of demo robots, each
# actor acting for a party that holds the robots it moves; every 30
# seconds one of the clients' backends is killed with
# pg_terminate_backend, and that client reconnects, as an application
# would.  At the end, plain SQL checks the invariants, custody's among
# them.  Its own cluster (port ROBOTID_SOAK_PORT, 5470); prints TAP and
# the figures.
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
vars=()
for pool in moves dead race codes; do
	vars+=(-D "$pool=$(at soak q "$db" "SELECT count(*) FROM soak_$pool")")
done
[ "$(at soak q "$db" "SELECT count(*) FROM soak_moves WHERE n = 1") $(at soak q "$db" "SELECT count(*) FROM soak_race WHERE n = 1")" = "1 1" ] &&
	[ "$(at soak q "$db" "SELECT count(*) FROM soak_race s JOIN robot_registry.robots r ON r.id = s.id
	                     WHERE r.custodian IS DISTINCT FROM 'Soak Dealer'")" = 0 ]
ok $? "the soak's registry, roles and pools (${vars[*]}), the race's robots handed to the dealer"
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

# Custody: no event was written by a party that did not hold the robot at
# that moment.  The holder before each event is derived from the robot's
# chain alone: a registration's party (the registering login's; for the
# generator's registrations by the administrator, as generate_demo()
# documents, 'Demo Refurbishers' for a rebuild, else its maker's name),
# then each change of hands' detail "custody" "to".  Every move, edit,
# hand-over and market event a mapped login wrote since the soak started
# was written by a login of that holder's party, unless the event names
# the administrator who acted for it.  The derivation itself is checked:
# after the last event it gives every robot's custodian.
at soak psql -X -q -d "$db" >/dev/null <<'SQL'
CREATE TABLE soak_holders AS
WITH h AS (
	SELECT e.event_id, e.robot_id, e.kind, e.actor, e.detail,
	       e.kind = 'registered' OR e.detail ? 'custody' AS sets_holder,
	       CASE WHEN e.kind = 'registered'
	            THEN coalesce((SELECT a.party FROM robot_registry.actors a WHERE a.role_name = e.actor),
	                          CASE WHEN e.detail ? 'refurbished_from' THEN 'Demo Refurbishers'
	                               ELSE (SELECT m.name FROM robot_registry.manufacturers m
	                                      WHERE m.manufacturer_key = robot_id_manufacturer_key(e.robot_id)) END)
	            WHEN e.detail ? 'custody' THEN e.detail -> 'custody' ->> 'to' END AS holder_set
	  FROM robot_registry.events e
), g AS (
	SELECT h.*, count(*) FILTER (WHERE h.sets_holder) OVER (PARTITION BY h.robot_id ORDER BY h.event_id) AS span
	  FROM h
), c AS (
	SELECT g.*, first_value(g.holder_set) OVER (PARTITION BY g.robot_id, g.span ORDER BY g.event_id) AS holder_after
	  FROM g
)
SELECT c.event_id, c.robot_id, c.kind, c.actor, c.detail, c.holder_after,
       lag(c.holder_after) OVER (PARTITION BY c.robot_id ORDER BY c.event_id) AS holder_before
  FROM c;
ANALYZE soak_holders;
SQL
unheld=$(at soak q "$db" "
	SELECT count(*) FROM soak_holders h JOIN robot_registry.actors a ON a.role_name = h.actor
	 WHERE h.event_id > $first_event AND h.kind IN ('moved', 'edited', 'handed over', 'market event')
	   AND NOT h.detail ? 'administrator' AND a.party IS DISTINCT FROM h.holder_before")
held=$(at soak q "$db" "
	SELECT count(*) FROM soak_holders h JOIN robot_registry.actors a ON a.role_name = h.actor
	 WHERE h.event_id > $first_event AND h.kind IN ('moved', 'edited', 'handed over', 'market event')")
underived=$(at soak q "$db" "
	SELECT count(*) FROM robot_registry.robots r
	 WHERE r.custodian IS DISTINCT FROM (SELECT h.holder_after FROM soak_holders h WHERE h.robot_id = r.id
	                                      ORDER BY h.event_id DESC LIMIT 1)")
[ "$unheld" = 0 ] && [ "$underived" = 0 ] && [ "$held" -gt 0 ]
ok $? "no event written by a party that did not hold the robot ($held actors' events since the start, $unheld by a non-holder; the chain gives every custodian, $underived robots otherwise)"
at soak q "$db" "SELECT h.event_id, h.robot_id, h.kind, h.actor, a.party, h.holder_before, h.detail
                   FROM soak_holders h JOIN robot_registry.actors a ON a.role_name = h.actor
                  WHERE h.event_id > $first_event AND h.kind IN ('moved', 'edited', 'handed over', 'market event')
                    AND NOT h.detail ? 'administrator' AND a.party IS DISTINCT FROM h.holder_before
                  ORDER BY h.event_id LIMIT 5" | sed 's/^/# /'

echo "# soak: $seconds s, $clients clients, $tx transactions, $kills kills survived, $((missing + unrecorded + forbidden + unreachable + bad + breaks + broken + unheld + underived)) invariant violations"
echo "# attempts by kind and outcome (SQLSTATE):"
at soak psql -X -q -d "$db" -c "SELECT kind, sqlstate, count(*) FROM soak_log GROUP BY 1, 2 ORDER BY 1, 2" | sed 's/^/# /'
finish_tap
