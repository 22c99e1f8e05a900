#!/usr/bin/env bash
# The demo command: install what is missing, build, start a throwaway
# cluster, show robotid at work, and stop the cluster.
source "$(dirname "$0")/lib.sh"
cd "$ROBOTID_ROOT"

ensure_packages
build_and_install
start_cluster
log "robotid demo"
psql -X -q -f demo/tour.sql
stop_cluster
log "done: the cluster is stopped and its data removed"
