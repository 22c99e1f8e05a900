#!/usr/bin/env bash
# The demo command: install what is missing, build, start a throwaway
# cluster, show robotid at work, and stop the cluster.  ROBOTS=1000000
# loads a larger registry.
source "$(dirname "$0")/lib.sh"
cd "$ROBOTID_ROOT"

ensure_packages
build_and_install
start_cluster
log "the robot_id type"
as_postgres "$PG_BIN/createdb" -h "$PGHOST" -p "$PGPORT" tour
psql -X -q -d tour -f demo/tour.sql
log "the national registry"
as_postgres "$PG_BIN/createdb" -h "$PGHOST" -p "$PGPORT" registry
psql -X -q -d registry -v robots="${ROBOTS:-28000}" -f demo/registry_demo.sql
log "the upgrade of a 1.2 registry"
as_postgres "$PG_BIN/createdb" -h "$PGHOST" -p "$PGPORT" upgrade
psql -X -q -d upgrade -f demo/upgrade_demo.sql
stop_cluster
log "done: the cluster is stopped and its data removed"
