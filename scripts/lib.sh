# Shared by the demo and test commands: install what is missing, build,
# and run a throwaway PostgreSQL cluster as the unprivileged postgres user.
# Source it; it sets `set -euo pipefail` and an EXIT trap that always stops
# the cluster and removes its data.

set -euo pipefail

PG_MAJOR=${PG_MAJOR:-15}
PG_BIN=/usr/lib/postgresql/$PG_MAJOR/bin
ROBOTID_PORT=${ROBOTID_PORT:-5439}
ROBOTID_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CLUSTER_DIR=""

log() { printf '\n== %s\n' "$*"; }

# Run as root: directly when we are root, through sudo otherwise.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

as_postgres() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		sudo -u postgres "$@"
	fi
}

ensure_packages() {
	local wanted=(make gcc clang postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR
		postgresql-$PG_MAJOR-pgtap libtap-parser-sourcehandler-pgtap-perl sqlsmith)
	local missing=() pkg
	for pkg in "${wanted[@]}"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
			missing+=("$pkg")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		log "installing ${missing[*]}"
		as_root apt-get update -qq
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends "${missing[@]}" >/dev/null
	fi
	export PATH="$PG_BIN:$PATH"
}

build_and_install() {
	log "building and installing robotid"
	make -C "$ROBOTID_ROOT" -s PG_CONFIG="$PG_BIN/pg_config"
	as_root make -C "$ROBOTID_ROOT" -s PG_CONFIG="$PG_BIN/pg_config" install
}

stop_cluster() {
	if [ -n "$CLUSTER_DIR" ] && [ -d "$CLUSTER_DIR" ]; then
		as_postgres "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -m immediate stop \
			>/dev/null 2>&1 || true
		as_root rm -rf "$CLUSTER_DIR"
	fi
	CLUSTER_DIR=""
}

# A private cluster: trust authentication, a socket in its own directory and
# no TCP listener, so it cannot collide with or expose anything else.
start_cluster() {
	CLUSTER_DIR=$(mktemp -d /tmp/robotid-cluster.XXXXXX)
	trap stop_cluster EXIT
	chmod 755 "$CLUSTER_DIR"
	mkdir -p "$CLUSTER_DIR/socket"
	as_root chown -R postgres: "$CLUSTER_DIR"
	log "starting a throwaway cluster in $CLUSTER_DIR"
	as_postgres "$PG_BIN/initdb" -D "$CLUSTER_DIR/data" -U postgres -A trust \
		--no-sync -E UTF8 --locale=C >/dev/null
	as_postgres "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -l "$CLUSTER_DIR/server.log" -w \
		-o "-p $ROBOTID_PORT -k $CLUSTER_DIR/socket -c listen_addresses='' -c fsync=off -c max_prepared_transactions=10 ${ROBOTID_SERVER_OPTS:-}" \
		start >/dev/null
	export PGHOST="$CLUSTER_DIR/socket" PGPORT="$ROBOTID_PORT" PGUSER=postgres
	export PGDATABASE=postgres
}
