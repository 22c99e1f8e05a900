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
	*)
		echo "unknown benchmark: $what" >&2
		exit 2
		;;
esac
