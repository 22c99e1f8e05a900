#!/usr/bin/env bash
# Benchmarks, each on its own throwaway cluster:
#   bash bench/run.sh type [rows] [rounds]      robot_id vs uuid, text, numeric
#   bash bench/run.sh triggers [rows] [rounds]  the C triggers vs none and PL/pgSQL
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROBOTID_ROOT"

what=${1:-type}
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
	*)
		echo "unknown benchmark: $what" >&2
		exit 2
		;;
esac
