#!/usr/bin/env bash
# The test command: install what is missing, build with warnings as errors,
# start a throwaway cluster, and run every test: C unit tests, a short fuzz
# run, pg_regress and isolation specs (make installcheck), pgTAP (pg_prove),
# the README's examples (test/readme.sh), a dump and restore of a populated registry, the restore of a dump an
# older major made (build/registry-<major>.dump), when there is one, hot
# standbys, a failover, a logical copy, and a one-minute soak.
#
#   bash scripts/test.sh            this machine's PostgreSQL $PG_MAJOR (15)
#   bash scripts/test.sh --pg N     the same in a Debian root with PostgreSQL
#                                   N: 15 (bookworm), 17 (trixie), 18 (sid)
#   bash scripts/test.sh --fresh    the README's two commands in a new
#                                   minbase bookworm root, from a clone of HEAD
# The last line is always "robotid: N passed, N failed".
source "$(dirname "$0")/lib.sh"
cd "$ROBOTID_ROOT"

case "${1:-}" in
"") ;;
--pg | --fresh)
	[ "$(id -u)" -eq 0 ] || exec sudo bash "$ROBOTID_ROOT/scripts/test.sh" "$@"
	source scripts/roots.sh
	if [ "$1" = --fresh ]; then test_fresh; else test_in_root "${2:?--pg needs a major: 15, 17 or 18}"; fi
	exit
	;;
*)
	echo "usage: bash scripts/test.sh [--pg 15|17|18 | --fresh]" >&2
	exit 2
	;;
esac

ensure_packages
make -s clean PG_CONFIG="$PG_BIN/pg_config"
build_and_install PG_CFLAGS=-Werror
mkdir -p build

passed=0
failed=0
count() { passed=$((passed + $1)); failed=$((failed + $2)); }

log "C unit tests"
if make -s unit > build/unit.out 2>&1; then unit_ok=1; else unit_ok=0; fi
grep -v '^ok' build/unit.out || true
read -r up uf < <(sed -n 's/^# \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' build/unit.out |
	awk '{p += $1; f += $2; n++} END {print p + 0, (n ? f : 1)}')
[ "$unit_ok" -eq 1 ] || [ "$uf" -gt 0 ] || uf=1	# a crash prints no summary
count "$up" "$uf"

log "fuzzing rid_core for ${FUZZ_SECONDS:=20} seconds"
if make -s fuzz FUZZ_SECONDS="$FUZZ_SECONDS" > build/fuzz.out 2>&1; then
	grep -E '^Done|stat::number_of_executed_units' build/fuzz.out || true
	count 1 0
else
	tail -40 build/fuzz.out
	count 0 1
fi

start_cluster

log "pg_regress and isolation (make installcheck)"
status=0
make -s installcheck PG_CONFIG="$PG_BIN/pg_config" > build/installcheck.out 2>&1 || status=$?
cat build/installcheck.out
if [ "$status" -ne 0 ]; then
	[ -f regression.diffs ] && head -200 regression.diffs
	[ -f output_iso/regression.diffs ] && head -200 output_iso/regression.diffs
fi
read -r rp rf < <(regress_counts build/installcheck.out "$status")
count "$rp" "$rf"

log "pgTAP (pg_prove)"
as_postgres "$PG_BIN/createdb" -h "$PGHOST" -p "$PGPORT" robotid_tap
if pg_prove -d robotid_tap --ext .sql -r test/pgtap > build/prove.out 2>&1; then
	prove_ok=1
else
	prove_ok=0
fi
cat build/prove.out
total=$(sed -n 's/^Files=[0-9]*, Tests=\([0-9]*\),.*/\1/p' build/prove.out)
if [ "$prove_ok" -eq 1 ]; then
	count "${total:-0}" 0
else
	bad=$(sed -n 's/.*Failed: \([0-9]*\)).*/\1/p' build/prove.out | awk '{s += $1} END {print s + 0}')
	[ "$bad" -gt 0 ] || bad=1
	count $(( ${total:-0} > bad ? ${total:-0} - bad : 0 )) "$bad"
fi

# Run a script that prints TAP ending in "# N passed, N failed", and count
# it; a script that fails without saying so counts as one failure.
count_tap_script() {
	local out=$1 ok p f
	shift
	if bash "$@" > "$out" 2>&1; then ok=1; else ok=0; fi
	grep -v NOTICE "$out" || true
	read -r p f < <(sed -n 's/^# \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$out")
	p=${p:-0}; f=${f:-1}
	[ "$ok" -eq 1 ] || [ "$f" -gt 0 ] || f=1
	count "$p" "$f"
}

log "the README's examples (doc tests)"
count_tap_script build/readme.out test/readme.sh

log "bench/run.sh repeat and check: their arguments, the ratios over runs, one run against the README's figures"
count_tap_script build/bench_over_runs.out test/bench_over_runs.sh

log "the attacker suite (LOGIN roles, pgTAP) and sqlsmith"
count_tap_script build/attack.out test/attack.sh

log "drivers: node-postgres and psycopg 3"
count_tap_script build/drivers.out test/drivers.sh

log "dump and restore of a populated registry"
count_tap_script build/dump_restore.out test/dump_restore.sh

log "upgrade of populated 1.2, 1.3 and 1.4 registries in place"
count_tap_script build/upgrade_registry.out test/upgrade_registry.sh

log "the attacker suite against a registry upgraded from 1.2"
count_tap_script build/attack_upgraded.out test/attack.sh --upgraded
log "the attacker suite against a registry upgraded from 1.4"
count_tap_script build/attack_upgraded_1_4.out test/attack.sh --upgraded-from 1.4

# Beyond one server: each on its own clusters, so the test cluster's
# ROBOTID_PORT is not theirs (see the scripts for their ports)
log "hot standbys answer reads and refuse writes"
ROBOTID_INSTALLED=1 count_tap_script build/standby.out test/standby.sh

log "failover under remote_apply: no committed move lost"
ROBOTID_INSTALLED=1 count_tap_script build/failover.out test/failover.sh

log "a logical copy of the registry"
ROBOTID_INSTALLED=1 count_tap_script build/logical.out test/logical.sh

log "a one-minute soak under load and backend kills"
ROBOTID_INSTALLED=1 count_tap_script build/soak.out bench/soak.sh 60 5000

# ROBOTID_MOVE_FROM=15 makes the dump from 15 required (.ci/run sets it).
dumps=${ROBOTID_DUMPS:-build}
for dump in "$dumps"/registry-*.dump; do
	[ -f "$dump" ] || continue
	from=$(basename "$dump" .dump)
	from=${from#registry-}
	[ "$from" -lt "$PG_MAJOR" ] || continue
	log "moving a registry from PostgreSQL $from to $PG_MAJOR"
	count_tap_script "build/restore_from_$from.out" test/restore_across_majors.sh "$dump"
done
if [ -n "${ROBOTID_MOVE_FROM:-}" ] && [ ! -f "$dumps/registry-$ROBOTID_MOVE_FROM.dump" ]; then
	echo "not ok - no registry dump from PostgreSQL $ROBOTID_MOVE_FROM to move: run bash scripts/test.sh first"
	count 0 1
fi

stop_cluster
echo
echo "robotid: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
