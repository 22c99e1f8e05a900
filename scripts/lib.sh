# Shared by the demo and test commands: install what is missing, build,
# and run a throwaway PostgreSQL cluster as the unprivileged postgres user.
# Source it; it sets `set -euo pipefail` and an EXIT trap that always stops
# the cluster and removes its data.

set -euo pipefail

PG_MAJOR=${PG_MAJOR:-15}
# PG_BIN may name another installation of the same major, such as a copy
# of /usr/lib/postgresql/N and /usr/share/postgresql/N in a private tree
# (PostgreSQL finds its share and lib directories relative to its binaries),
# so that two checkouts can be tested at once without sharing `make install`.
PG_BIN=${PG_BIN:-/usr/lib/postgresql/$PG_MAJOR/bin}
ROBOTID_PORT=${ROBOTID_PORT:-5439}
ROBOTID_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CLUSTER_DIR=""

log() { printf '\n== %s\n' "$*"; }

# What a benchmark's header line says of the machine besides the server:
# the cores, the processor (its ratios depend on it too: robot_id's sort
# against padded uuids measured 0.41 on one kind of host, 0.61 on
# another), the time and the load.
bench_host() {
	echo "$(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1))," \
		"$(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

# Cleanups run in reverse order of registration when the script exits, by
# success, failure or an interrupt.
CLEANUPS=()
on_exit() { CLEANUPS+=("$1"); }
run_cleanups() {
	local i
	for ((i = ${#CLEANUPS[@]} - 1; i >= 0; i--)); do "${CLEANUPS[i]}" || true; done
	CLEANUPS=()
}
trap run_cleanups EXIT
trap 'exit 130' INT TERM

# Run as root: directly when we are root, through sudo otherwise.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# From /, which postgres may enter whatever the caller's directory is
# (a clone in /root, say).
as_postgres() {
	if [ "$(id -u)" -eq 0 ]; then
		(cd / && runuser -u postgres -- "$@")
	else
		(cd / && sudo -u postgres "$@")
	fi
}

ensure_packages() {
	# libclang-rt-dev: clang's fuzzer runtime, which `make fuzz` links
	local wanted=(make gcc clang libclang-rt-dev postgresql-$PG_MAJOR
		postgresql-server-dev-$PG_MAJOR postgresql-$PG_MAJOR-pgtap
		libtap-parser-sourcehandler-pgtap-perl sqlsmith
		nodejs python3 python3-psycopg)
	local missing=() pkg
	# the driver tests install node-postgres with npm; a Node.js from
	# elsewhere may bring its own npm
	command -v npm >/dev/null || wanted+=(npm)
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

# Extra make arguments (the test command passes PG_CFLAGS=-Werror) apply to
# the build only.
build_and_install() {
	log "building and installing robotid"
	make -C "$ROBOTID_ROOT" -s PG_CONFIG="$PG_BIN/pg_config" "$@"
	as_root make -C "$ROBOTID_ROOT" -s PG_CONFIG="$PG_BIN/pg_config" install
}

# "passed failed" from the output of make installcheck (pg_regress and
# pg_isolation_regress, plain or TAP style) in file $1 and its exit status
# $2: a run that failed, or bailed out, without reporting a failure counts
# one.
regress_counts() {
	local p f
	p=$(sed -n 's/.*All \([0-9]*\) tests passed.*/\1/p' "$1" | awk '{s += $1} END {print s + 0}')
	f=$(sed -n 's/.* \([0-9]*\) of \([0-9]*\) tests failed.*/\1 \2/p' "$1" |
		awk '{p += $2 - $1; f += $1} END {print p + 0, f + 0}')
	p=$((p + ${f% *})); f=${f#* }
	[ "$2" -eq 0 ] || [ "$f" -gt 0 ] || f=1
	echo "$p $f"
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
	on_exit stop_cluster
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
