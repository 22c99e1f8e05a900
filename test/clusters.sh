# Several throwaway clusters at once, for the replication tests and the
# soak: each node is a cluster run by the postgres user with its socket in
# its own directory under one private base directory, no TCP listener, and
# a port of its own.  Every node is stopped and the base directory removed
# when the script exits, pass or fail.  Source it after scripts/lib.sh.
#
# Run alone, a script builds and installs robotid first; the test command
# has done that already and says so with ROBOTID_INSTALLED=1.

if [ -z "${ROBOTID_INSTALLED:-}" ]; then
	ensure_packages
	build_and_install
fi
export PATH="$PG_BIN:$PATH"
set +e	# the tests count failures themselves (registry_checks.sh's ok)

NODES_DIR=$(mktemp -d /tmp/robotid-nodes.XXXXXX)
chmod 755 "$NODES_DIR"
as_root chown postgres: "$NODES_DIR"
declare -A NODE_PORT=()

stop_nodes() {
	local n
	for n in "${!NODE_PORT[@]}"; do
		as_postgres "$PG_BIN/pg_ctl" -D "$NODES_DIR/$n/data" -m immediate stop >/dev/null 2>&1 || true
	done
	as_root rm -rf "$NODES_DIR"
}
on_exit stop_nodes

node_sock() { echo "$NODES_DIR/$1/socket"; }
node_data() { echo "$NODES_DIR/$1/data"; }
# Run a command against node $1: `at primary psql ...`
at() {
	local n=$1
	shift
	PGHOST="$NODES_DIR/$n/socket" PGPORT="${NODE_PORT[$n]}" PGUSER=postgres "$@"
}
# libpq connection string of node $1, for primary_conninfo and subscriptions
node_conninfo() { echo "host=$NODES_DIR/$1/socket port=${NODE_PORT[$1]} user=postgres application_name=${2:-$1}"; }

# Settings every node gets: small enough for a shared host, what streaming,
# pg_rewind (hint bits in the WAL, and the WAL back to the last common
# checkpoint) and logical replication need, and nothing listening on TCP.
NODE_SETTINGS="listen_addresses = ''
fsync = off
shared_buffers = 64MB
max_wal_senders = 10
max_replication_slots = 10
wal_log_hints = on
wal_keep_size = 512MB
hot_standby = on
hot_standby_feedback = on
wal_receiver_status_interval = 1s
max_prepared_transactions = 10
log_min_messages = warning
log_line_prefix = '%m [%p] %a '"

node_conf() {
	as_postgres tee -a "$NODES_DIR/$1/data/postgresql.conf" >/dev/null
}

node_start() {
	as_postgres "$PG_BIN/pg_ctl" -D "$NODES_DIR/$1/data" -l "$NODES_DIR/$1/server.log" -w -t 120 start >/dev/null
}
node_stop() {
	as_postgres "$PG_BIN/pg_ctl" -D "$NODES_DIR/$1/data" -m "${2:-fast}" -w stop >/dev/null
}

# node_init NAME PORT [SETTINGS]: a new primary, with more settings (lines
# of postgresql.conf) if given.
node_init() {
	local n=$1
	NODE_PORT[$n]=$2
	as_postgres mkdir -p "$NODES_DIR/$n/socket"
	as_postgres "$PG_BIN/initdb" -D "$NODES_DIR/$n/data" -U postgres -A trust --no-sync -E UTF8 --locale=C >/dev/null
	{
		echo "$NODE_SETTINGS"
		echo "port = $2"
		echo "unix_socket_directories = '$NODES_DIR/$n/socket'"
		echo "${3:-}"
	} | node_conf "$n"
	node_start "$n"
}

# node_standby NAME PORT FROM: a streaming standby of node FROM, made with
# pg_basebackup -R, named NAME in FROM's pg_stat_replication.
node_standby() {
	local n=$1 from=$3
	NODE_PORT[$n]=$2
	as_postgres mkdir -p "$NODES_DIR/$n/socket"
	as_postgres "$PG_BIN/pg_basebackup" -D "$NODES_DIR/$n/data" -R -X stream -c fast \
		-d "$(node_conninfo "$from" "$n")" >/dev/null || return 1
	{
		echo "port = $2"
		echo "unix_socket_directories = '$NODES_DIR/$n/socket'"
	} | node_conf "$n"
	node_start "$n"
}

# Wait until standby $2 has replayed everything node $1 had written when
# called; fails after $3 seconds (60).
wait_replayed() {
	local target i
	target=$(at "$1" psql -X -At -c "SELECT pg_current_wal_lsn()")
	for ((i = 0; i < ${3:-60} * 10; i++)); do
		[ "$(at "$2" psql -X -At -c "SELECT pg_last_wal_replay_lsn() >= '$target'" 2>/dev/null)" = t ] && return 0
		sleep 0.1
	done
	return 1
}

# Wait until query $3 on node $1, database $2, returns $4; fails after 30
# seconds.  Standbys connect, and become synchronous, a moment after they
# start.
wait_for() {
	local i
	for ((i = 0; i < 300; i++)); do
		[ "$(at "$1" psql -X -q -At -d "$2" -c "$3" 2>/dev/null)" = "$4" ] && return 0
		sleep 0.1
	done
	return 1
}
