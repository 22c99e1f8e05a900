#!/usr/bin/env bash
# Failover loses no committed move.  A primary with the registry and two
# standbys, synchronous_commit = remote_apply with s1 the synchronous one;
# clients make registry moves as an operator and write down each move only
# once its COMMIT has returned; the primary is killed (pg_ctl -m immediate)
# under that load; s1 is promoted and must hold every move the clients
# wrote down, with verify() clean; the old primary comes back as a standby
# of s1 with pg_rewind, and so does s2.  Runs its own clusters (ports
# ROBOTID_FAILOVER_PORT, 5475, to +2); prints TAP.
#
#   bash test/failover.sh [seconds of load before the kill: 10] [clients: 4]
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROBOTID_ROOT/test/registry_checks.sh"
source "$ROBOTID_ROOT/test/clusters.sh"
port=${ROBOTID_FAILOVER_PORT:-5475}
seconds=${1:-10}
clients=${2:-4}
db=robotid_failover

log "a primary with the registry, two standbys, synchronous_commit = remote_apply"
node_init primary "$port"
at primary createdb "$db"
at primary populate_registry "$db"
ok $? "a populated registry on the primary"
at primary psql -X -q -d "$db" -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
CREATE ROLE failover_operator LOGIN;
-- for the party that holds the robots generate_demo() sells to fleets
INSERT INTO robot_registry.actors (role_name, kind, manufacturer_key, party)
VALUES ('failover_operator', 'operator', NULL, 'Demo Fleet Operations');
-- the robots the clients move between deployed and maintenance: their
-- party holds them
CREATE TABLE public.failover_pool (n int PRIMARY KEY, id robot_id NOT NULL);
INSERT INTO public.failover_pool
SELECT row_number() OVER (ORDER BY id), id FROM robot_registry.robots
 WHERE state IN ('deployed', 'maintenance') AND NOT recalled AND custodian = 'Demo Fleet Operations';
GRANT SELECT ON public.failover_pool TO failover_operator;
SQL
node_standby s1 $((port + 1)) primary && node_standby s2 $((port + 2)) primary
ok $? "standbys s1 and s2 from pg_basebackup -R"
at primary psql -X -q -c "ALTER SYSTEM SET synchronous_standby_names = 'FIRST 1 (s1, s2)'" \
	-c "ALTER SYSTEM SET synchronous_commit = remote_apply" -c "SELECT pg_reload_conf()" >/dev/null
wait_for primary postgres "SELECT string_agg(application_name || ':' || sync_state, ' ' ORDER BY application_name)
                           FROM pg_stat_replication" "s1:sync s2:potential"
ok $? "s1 is the synchronous standby, s2 the potential one"
[ "$(at primary q "$db" "SHOW synchronous_commit")" = remote_apply ]
ok $? "commits wait until s1 has applied them (remote_apply)"

# One client: random moves of its own share of the pool, each in its own
# transaction; a move is written down (event, robot, new state) only after
# COMMIT returned.  psql stops at the first error: the primary's death.
pool=$(at primary q "$db" "SELECT count(*) FROM public.failover_pool")
client() {
	local k=$1 i n
	# once psql has gone, printf (a builtin) fails or the loop dies of SIGPIPE
	for ((i = 0; i < 1000000; i++)); do
		n=$((1 + k + clients * ((RANDOM * 32768 + RANDOM) % ((pool - 1 - k) / clients + 1))))
		printf '%s\n' "BEGIN;" \
			"SELECT r.id AS robot, (robot_registry.transition(r.id, CASE r.state WHEN 'deployed' THEN 'maintenance'" \
			"       ELSE 'deployed' END::robot_state)).state AS to_state" \
			"  FROM public.failover_pool p JOIN robot_registry.robots r ON r.id = p.id WHERE p.n = $n \\gset" \
			"SELECT max(event_id) AS event FROM robot_registry.events WHERE robot_id = :'robot' \\gset" \
			"COMMIT;" \
			"\\echo :event :robot :to_state" || break
	done | at primary psql -X -q -At -U failover_operator -d "$db" -v ON_ERROR_STOP=1 \
		> "$NODES_DIR/client$k.committed" 2> "$NODES_DIR/client$k.err"
}

log "$clients clients moving robots for $seconds seconds, then the primary is killed"
pids=()
for ((k = 0; k < clients; k++)); do
	client "$k" &
	pids+=($!)
done
sleep "$seconds"
before=$(cat "$NODES_DIR"/client*.committed 2>/dev/null | wc -l)
as_postgres "$PG_BIN/pg_ctl" -D "$(node_data primary)" -m immediate stop >/dev/null
ok $? "the primary is killed (pg_ctl -m immediate) under load"
wait "${pids[@]}"
cat "$NODES_DIR"/client*.committed > "$NODES_DIR/committed"
recorded=$(wc -l < "$NODES_DIR/committed")
[ "$recorded" -gt 0 ] && [ "$before" -gt 0 ]
ok $? "the clients saw $recorded moves committed before the kill"
grep -qh -e 'server closed the connection' -e 'terminating connection' -e 'connection to server' \
	"$NODES_DIR"/client*.err
ok $? "the clients stopped because the primary died, not on a refusal"

log "promoting s1"
as_postgres "$PG_BIN/pg_ctl" -D "$(node_data s1)" -w promote >/dev/null
ok $? "s1 promoted"
[ "$(at s1 q "$db" "SELECT pg_is_in_recovery()")" = f ]
ok $? "s1 is the new primary"
at s1 psql -X -q -d "$db" -v ON_ERROR_STOP=1 -c "CREATE TABLE public.failover_committed (event_id bigint, robot robot_id, to_state robot_state)" \
	-c "\\copy public.failover_committed FROM '$NODES_DIR/committed' WITH (DELIMITER ' ')" >/dev/null
ok $? "the clients' record loaded on s1"
lost=$(at s1 q "$db" "SELECT count(*) FROM public.failover_committed c
                       WHERE NOT EXISTS (SELECT 1 FROM robot_registry.events e
                                          WHERE e.event_id = c.event_id AND e.robot_id = c.robot
                                            AND e.kind = 'moved' AND e.to_state = c.to_state)")
[ "$lost" = 0 ]
ok $? "every one of the $recorded moves the clients saw committed is on s1 (lost: $lost)"
found=$(at s1 q "$db" "SELECT count(*) FROM robot_registry.events WHERE actor = 'failover_operator'")
echo "# failover: $recorded moves recorded by the clients, $found on the promoted standby, $lost lost"
[ "$(at s1 q "$db" "SELECT count(*) FROM robot_registry.verify()")" = 0 ]
ok $? "verify() is clean on the new primary"
[ "$(at s1 q "$db" "SELECT count(*) FROM robot_registry.rule_breaks")" = 0 ]
ok $? "no rule breaks on the new primary"
[ "$(at s1 q "$db" "SELECT bool_and(robot_registry.verify_checkpoint(upto_event_id, root)) FROM robot_registry.checkpoints")" = t ]
ok $? "the old primary's checkpoint verifies on the new primary"

# Node $1 comes back as a standby of s1: pg_rewind takes it back to where
# the timelines forked and writes its primary_conninfo (-R).  pg_rewind
# copies s1's configuration files, so the node's own port and socket are
# set again after them.
rejoin() {
	local n=$1
	as_postgres "$PG_BIN/pg_ctl" -D "$(node_data "$n")" -m fast -w stop >/dev/null 2>&1
	as_postgres "$PG_BIN/pg_rewind" -D "$(node_data "$n")" -R \
		--source-server="$(node_conninfo s1 "$n") dbname=postgres" > "$NODES_DIR/$n.rewind" 2>&1 || {
		cat "$NODES_DIR/$n.rewind"
		return 1
	}
	{
		echo "port = ${NODE_PORT[$n]}"
		echo "unix_socket_directories = '$NODES_DIR/$n/socket'"
	} | node_conf "$n"
	node_start "$n"
}
log "the old primary and s2 rejoin as standbys of s1 (pg_rewind)"
# pg_rewind reads the source's timeline from its control file, which the
# promotion updates only at its next checkpoint
at s1 psql -X -q -c CHECKPOINT
rejoin primary
ok $? "the old primary rewound with pg_rewind and started as a standby"
rejoin s2
ok $? "s2 follows s1"
probe=$(at s1 q "$db" "SELECT id FROM robot_registry.robots WHERE state = 'deployed' AND NOT recalled
                       AND custodian = 'Demo Fleet Operations' ORDER BY id LIMIT 1")
at s1 psql -X -q -d "$db" -c "SET ROLE failover_operator" -c "SELECT robot_registry.transition('$probe', 'maintenance')" >/dev/null
ok $? "the new primary takes moves"
for n in primary s2; do
	wait_replayed s1 "$n"
	r=$?
	ok $r "$n replays the new primary's move"
	[ $r = 0 ] || { cat "$NODES_DIR/$n.rewind"; tail -20 "$NODES_DIR/$n/server.log"; }
	[ "$(at "$n" q "$db" "SELECT pg_is_in_recovery()")" = t ] &&
		[ "$(at "$n" q "$db" "SELECT state FROM robot_registry.robots WHERE id = '$probe'")" = maintenance ]
	ok $? "$n is a standby of s1 and shows the move"
	[ "$(at "$n" q "$db" "SELECT count(*) FROM robot_registry.verify()")" = 0 ]
	ok $? "verify() is clean on $n"
done
wait_for s1 postgres "SELECT string_agg(application_name || ':' || state, ' ' ORDER BY application_name)
                      FROM pg_stat_replication" "primary:streaming s2:streaming"
ok $? "s1 streams to the old primary and to s2"
finish_tap
