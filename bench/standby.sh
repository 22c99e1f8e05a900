#!/usr/bin/env bash
# Reads on a hot standby against reads on the primary, for bench/run.sh
# standby: a primary with the registry and one streaming standby; the same
# pgbench read load (scan() and passport() of a random code, as a
# regulator) alternates, round after round, between the primary, the
# standby replaying, and the standby with replay paused, while the primary
# takes a steady write load of moves.  Replication lag is sampled every
# second.  Prints each round, then medians and per-round ratios.
#
#   bash bench/run.sh standby [robots: 50000] [rounds: 5] [seconds: 10] [writes per second: 50]
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROBOTID_ROOT/test/registry_checks.sh"
source "$ROBOTID_ROOT/test/clusters.sh"
set -e
robots=${1:-50000}
rounds=${2:-5}
seconds=${3:-10}
rate=${4:-50}
db=robotid_bench
port=${ROBOTID_REPLICA_PORT:-5472}

node_init primary "$port" "shared_buffers = 256MB
max_wal_size = 4GB"
at primary createdb "$db"
log "a registry of $robots demo robots on the primary"
at primary psql -X -q -d "$db" -v ON_ERROR_STOP=1 -v robots="$robots" >/dev/null <<'SQL'
CREATE EXTENSION robotid;
SELECT robot_registry_install();
SELECT robot_registry_install_demo();
CALL robot_registry.generate_demo(:robots);
CREATE ROLE bench_reader LOGIN;
CREATE ROLE bench_operator LOGIN;
-- the operator acts for the party generate_demo() sells most robots to
INSERT INTO robot_registry.actors (role_name, kind, manufacturer_key, party)
VALUES ('bench_reader', 'regulator', NULL, NULL), ('bench_operator', 'operator', NULL, 'Demo Fleet Operations');
CREATE TABLE bench_scan_pool (n int PRIMARY KEY, id robot_id NOT NULL, code text NOT NULL);
INSERT INTO bench_scan_pool SELECT row_number() OVER (ORDER BY id), id, id::text FROM robot_registry.robots;
CREATE TABLE bench_pool (n int PRIMARY KEY, id robot_id NOT NULL);
INSERT INTO bench_pool SELECT row_number() OVER (ORDER BY id), id FROM robot_registry.robots
 WHERE state IN ('deployed', 'maintenance') AND NOT recalled AND custodian = 'Demo Fleet Operations';
GRANT SELECT ON bench_scan_pool, bench_pool TO PUBLIC;
VACUUM ANALYZE;
CHECKPOINT;
SQL
node_standby standby $((port + 1)) primary
wait_replayed primary standby 600
echo "== PostgreSQL $(at primary q postgres 'SHOW server_version'), $(bench_host)"
good=$(at primary q "$db" "SELECT count(*) FROM bench_scan_pool")
movable=$(at primary q "$db" "SELECT count(*) FROM bench_pool")
work=$NODES_DIR/bench
mkdir -p "$work"

log "a steady write load on the primary: $rate moves per second"
at primary pgbench -n -U bench_operator -c 1 -R "$rate" -T $((rounds * seconds * 3 + 60)) -D movable="$movable" \
	-f "$ROBOTID_ROOT/bench/standby_writes.pgbench" "$db" > "$work/writes.out" 2>&1 &
writer=$!
sleep 5

reads() {
	at "$1" pgbench -n -U bench_reader -c 2 -j 2 -T "$seconds" -D good="$good" \
		-f "$ROBOTID_ROOT/bench/standby_reads.pgbench" "$db" 2>&1 |
		sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p'
}
: > "$work/tps.txt"
: > "$work/lag.txt"
for round in $(seq "$rounds"); do
	for variant in primary standby paused; do
		node=$variant
		[ "$variant" = paused ] && node=standby
		[ "$variant" = paused ] && at standby psql -X -q -c "SELECT pg_wal_replay_pause()" >/dev/null
		if [ "$variant" = standby ]; then
			# replication lag, sampled every second while the standby serves reads
			(for ((i = 0; i < seconds; i++)); do
				at primary q postgres "SELECT coalesce(extract(epoch FROM replay_lag) * 1000, 0),
				                              pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)
				                         FROM pg_stat_replication WHERE application_name = 'standby'" >> "$work/lag.txt"
				sleep 1
			done) &
		fi
		tps=$(reads "$node")
		wait_lag=$(jobs -p | grep -v "^$writer$" || true)
		[ -z "$wait_lag" ] || wait $wait_lag
		[ "$variant" = paused ] && at standby psql -X -q -c "SELECT pg_wal_replay_resume()" >/dev/null
		echo "round $round $variant: $tps tps"
		echo "$variant $tps" >> "$work/tps.txt"
	done
done
kill "$writer" 2>/dev/null || true
wait "$writer" 2>/dev/null || true

# min / median / max of the numbers on stdin
spread3() { sort -g | awk '{v[NR] = $1} END {printf "%.0f / %.0f / %.0f", v[1], (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2, v[NR]}'; }
median() { sort -g | awk '{v[NR] = $1} END {printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
values() { grep "^$1 " "$work/tps.txt" | cut -d' ' -f2; }
ratios() { paste -d' ' <(values "$1") <(values "$2") | awk '{printf "%.3f\n", $1 / $2}'; }
spread() { sort -g | awk 'NR == 1 {min = $1} {max = $1} END {printf "%.2f-%.2f", min, max}'; }
echo
echo "tps, min / median / max over $rounds rounds of $seconds s ($robots robots, 2 reader clients, $rate moves/s on the primary):" \
	"primary $(values primary | spread3), standby replaying $(values standby | spread3)," \
	"standby paused $(values paused | spread3)"
echo "standby/primary: median of per-round ratios $(ratios standby primary | median), range $(ratios standby primary | spread)"
echo "replaying/paused: median of per-round ratios $(ratios standby paused | median), range $(ratios standby paused | spread)"
echo "replication lag under the write load (replay_lag, ms): median $(cut -d'|' -f1 "$work/lag.txt" | median)," \
	"max $(cut -d'|' -f1 "$work/lag.txt" | sort -g | tail -1); bytes behind: median $(cut -d'|' -f2 "$work/lag.txt" | median)"
# for bench/run.sh's summary, when it asked for one
if [ -n "${ROBOTID_BENCH_SUMMARY:-}" ]; then
	for pair in "standby primary" "standby paused"; do
		ratios "${pair% *}" "${pair#* }" | sort -g | awk -v v="$pair" '{r[NR] = $1} END {
			split(v, p, " "); name = (p[2] == "primary") ? "reads on the standby / on the primary, tps" : "reads replaying / replay paused, tps"
			printf "standby|%s|%s|%s|%s\n", name, (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2, r[1], r[NR]}' \
			>> "$ROBOTID_BENCH_SUMMARY"
	done
fi
