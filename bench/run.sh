#!/usr/bin/env bash
# Benchmarks, each on its own throwaway cluster:
#   bash bench/run.sh type [rows] [rounds]      robot_id vs uuid, text, numeric
#   bash bench/run.sh triggers [rows] [rounds]  the C triggers vs none and PL/pgSQL
#   bash bench/run.sh registry [robots] [rounds] [seconds]
#                                               pgbench: application functions vs bare SQL
#   bash bench/run.sh scan [robots] [rounds] [seconds]
#                                               pgbench: scan() of a good code vs a bare SELECT
#   bash bench/run.sh issue [codes] [rounds]     issue_codes() in both layouts vs register_robot()
#   bash bench/run.sh estimates [makers] [serials]
#                                               row estimates vs actual rows, PostgreSQL's and robotid's
#   bash bench/run.sh sort [rows] [rounds] [distributions...]
#                                               ORDER BY and CREATE INDEX: robot_id vs random uuids
#                                               on every code distribution (bench/sort_setup.sql)
#   bash bench/run.sh standby [robots] [rounds] [seconds] [moves/s]
#                                               pgbench: reads on a hot standby vs the primary, lag
#   bash bench/run.sh partitions [rows] [moves] [rounds]
#                                               guard cost on 16 hash partitions vs one table; pruning
#   bash bench/run.sh soak [seconds] [robots]    the soak under load and backend kills (bench/soak.sh)
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROBOTID_ROOT"

what=${1:-type}
# these run clusters of their own
case "$what" in
	standby) exec bash bench/standby.sh "${@:2}" ;;
	soak) exec bash bench/soak.sh "${@:2}" ;;
esac
ensure_packages
build_and_install
ROBOTID_SERVER_OPTS="-c shared_buffers=2GB -c max_wal_size=8GB -c checkpoint_timeout=1h -c autovacuum=off"
start_cluster
work="$CLUSTER_DIR/bench"
as_postgres mkdir -p "$work"

case "$what" in
	type)
		psql -X -q -v rows="${2:-2000000}" -v rounds="${3:-5}" -v dir="$work" \
			-f bench/type_bench.sql
		;;
	triggers)
		psql -X -q -v rows="${2:-1000000}" -v rounds="${3:-5}" -f bench/trigger_bench.sql
		;;
	registry)
		robots=${2:-1000000}
		rounds=${3:-3}
		seconds=${4:-30}
		psql -X -q -v robots="$robots" -f bench/registry_setup.sql
		movable=$(psql -X -At -c "SELECT count(*) FROM bench_pool")
		: > "$work/tps.txt"
		for round in $(seq "$rounds"); do
			for variant in app bare; do
				user=postgres
				[ "$variant" = app ] && user=bench_operator
				tps=$(pgbench -n -U "$user" -c 2 -j 2 -T "$seconds" -D movable="$movable" \
					-f "bench/registry_$variant.pgbench" 2>&1 |
					sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p')
				echo "round $round $variant: $tps tps"
				echo "$variant $tps" >> "$work/tps.txt"
			done
		done
		median() { grep "^$1 " "$work/tps.txt" | cut -d' ' -f2 | sort -g |
			awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
		app=$(median app)
		bare=$(median bare)
		echo
		echo "median tps: application functions $app, bare UPDATE + INSERT $bare," \
			"ratio $(echo "$app $bare" | awk '{printf "%.2f", $1 / $2}')"
		psql -X -q -f bench/registry_reads.sql
		;;
	scan)
		robots=${2:-200000}
		rounds=${3:-5}
		seconds=${4:-20}
		psql -X -q -v robots="$robots" -f bench/scan_setup.sql
		good=$(psql -X -At -c "SELECT count(*) FROM bench_scan_pool")
		: > "$work/tps.txt"
		for round in $(seq "$rounds"); do
			for variant in scan bare; do
				user=postgres
				script=bench/scan_bare.pgbench
				if [ "$variant" = scan ]; then
					user=bench_public
					script=bench/scan.pgbench
				fi
				tps=$(pgbench -n -U "$user" -c 2 -j 2 -T "$seconds" -D good="$good" -f "$script" 2>&1 |
					sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p')
				echo "round $round $variant: $tps tps"
				echo "$variant $tps" >> "$work/tps.txt"
			done
		done
		median() { grep "^$1 " "$work/tps.txt" | cut -d' ' -f2 | sort -g |
			awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
		scan=$(median scan)
		bare=$(median bare)
		# each round's scan and bare run back to back: on a shared host the
		# median of the per-round ratios is the steadier figure
		paired=$(paste -d' ' <(grep '^scan ' "$work/tps.txt" | cut -d' ' -f2) \
			<(grep '^bare ' "$work/tps.txt" | cut -d' ' -f2) | awk '{print $1 / $2}' | sort -g |
			awk '{v[NR] = $1} END {printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')
		echo
		echo "median tps ($robots robots, 2 clients): scan() $scan, bare indexed SELECT $bare," \
			"ratio $(echo "$scan $bare" | awk '{printf "%.2f", $1 / $2}'); median of per-round ratios $paired"
		;;
	partitions)
		psql -X -q -v rows="${2:-10000000}" -v moves="${3:-20000}" -v rounds="${4:-3}" -f bench/partitions.sql
		;;
	estimates)
		psql -X -q -v makers="${2:-60}" -v serials="${3:-3400}" -f bench/estimates.sql
		;;
	issue)
		psql -X -q -v n="${2:-100000}" -v rounds="${3:-3}" -f bench/issue_codes.sql
		;;
	sort)
		rows=${2:-2000000}
		rounds=${3:-5}
		shift $(($# < 3 ? $# : 3))
		psql -X -q -f bench/sort_setup.sql
		dists=("$@")
		[ ${#dists[@]} -gt 0 ] ||
			mapfile -t dists < <(psql -X -At -c "SELECT dist FROM sort_distribution ORDER BY position")
		# every statement alone, so that log_statement_stats reports its
		# CPU and elapsed time; uuid and robot_id alternate which goes first
		settings="-c work_mem=1GB -c maintenance_work_mem=1GB -c jit=off"
		settings+=" -c max_parallel_workers_per_gather=0 -c max_parallel_maintenance_workers=0"
		settings+=" -c enable_indexscan=off -c enable_indexonlyscan=off -c enable_bitmapscan=off"
		for dist in "${dists[@]}"; do
			echo "== $dist: loading $rows codes"
			psql -X -q -v ON_ERROR_STOP=1 -c "SELECT sort_bench_load('$dist', $rows)" >/dev/null
			psql -X -q -c "VACUUM (FREEZE, ANALYZE) sort_t"
			# the distinct abbreviated keys, as the abbreviation's own
			# trace_sort line reports them (a HyperLogLog estimate)
			traced=$(PGOPTIONS="$settings -c trace_sort=on -c client_min_messages=log" psql -X -q \
				-c "SELECT count(*) FROM (SELECT id FROM sort_t ORDER BY id OFFSET 0) s" 2>&1 >/dev/null |
				sed -n 's/.*robot_id abbreviation: \([0-9]*\) distinct keys in \([0-9]*\) codes.*/\1 \2/p' | tail -n 1)
			[ -z "$traced" ] ||
				psql -X -q -c "INSERT INTO sort_distinct VALUES ('$dist', ${traced% *}, ${traced#* })"
			for round in $(seq "$rounds"); do
				kinds="robot_id uuid"
				[ $((round % 2)) -eq 1 ] || kinds="uuid robot_id"
				statements=()
				for kind in $kinds; do
					col=id; [ "$kind" = uuid ] && col=u
					statements+=("$kind order_by|SELECT count(*) FROM (SELECT $col FROM sort_t ORDER BY $col OFFSET 0) s;")
				done
				for kind in $kinds; do
					col=id; [ "$kind" = uuid ] && col=u
					statements+=("$kind create_index|CREATE INDEX sort_t_$col ON sort_t ($col);")
					statements+=("- -|DROP INDEX sort_t_$col;")
				done
				# "! 1.2 s user, 0.1 s system, 1.5 s elapsed" per statement
				stats=$(printf '%s\n' "${statements[@]}" | cut -d'|' -f2 |
					PGOPTIONS="$settings -c log_statement_stats=on -c client_min_messages=log" \
					psql -X -q -v ON_ERROR_STOP=1 2>&1 >/dev/null |
					awk '/^!\t[0-9.]+ s user,/ {print 1000 * ($2 + $5), 1000 * $8}')
				paste -d' ' <(printf '%s\n' "${statements[@]}" | cut -d'|' -f1) <(echo "$stats") |
					awk -v dist="$dist" -v round="$round" '$1 != "-" {
						printf "INSERT INTO sort_result VALUES (%s, %d, %s, %s, %s, %s);\n",
							"\047" dist "\047", round, "\047" $1 "\047", "\047" $2 "\047", $4, $3 }' |
					psql -X -q -v ON_ERROR_STOP=1
			done
			psql -X -At -F' ' -c "SELECT kind, metric, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric),
				round(percentile_cont(0.5) WITHIN GROUP (ORDER BY cpu_ms)::numeric)
				FROM sort_result WHERE dist = '$dist' GROUP BY kind, metric ORDER BY metric, kind"
		done
		psql -X -q -c "DROP TABLE IF EXISTS sort_t"
		psql -X -f bench/sort_report.sql
		;;
	*)
		echo "unknown benchmark: $what" >&2
		exit 2
		;;
esac
