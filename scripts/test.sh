#!/usr/bin/env bash
# The test command: install what is missing, build, start a throwaway
# cluster, and run every test: C unit tests, a short fuzz run, pg_regress
# and isolation specs (make installcheck), pgTAP (pg_prove), and a dump and
# restore of a populated registry.
source "$(dirname "$0")/lib.sh"
cd "$ROBOTID_ROOT"

ensure_packages
build_and_install
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
if make -s installcheck PG_CONFIG="$PG_BIN/pg_config" > build/installcheck.out 2>&1; then
	cat build/installcheck.out
else
	cat build/installcheck.out
	[ -f regression.diffs ] && head -200 regression.diffs
	[ -f output_iso/regression.diffs ] && head -200 output_iso/regression.diffs
fi
while read -r n; do count "$n" 0; done < <(sed -n 's/.*All \([0-9]*\) tests passed.*/\1/p' build/installcheck.out)
while read -r f n; do count $((n - f)) "$f"; done < <(sed -n 's/.* \([0-9]*\) of \([0-9]*\) tests failed.*/\1 \2/p' build/installcheck.out)
grep -q 'tests passed\|tests failed' build/installcheck.out || count 0 1

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

log "the attacker suite (LOGIN roles, pgTAP) and sqlsmith"
if bash test/attack.sh > build/attack.out 2>&1; then at_ok=1; else at_ok=0; fi
grep -v 'NOTICE' build/attack.out
read -r ap af < <(sed -n 's/^# \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' build/attack.out)
ap=${ap:-0}; af=${af:-1}
[ "$at_ok" -eq 1 ] || [ "$af" -gt 0 ] || af=1
count "$ap" "$af"

log "dump and restore of a populated registry"
if bash test/dump_restore.sh > build/dump_restore.out 2>&1; then dr_ok=1; else dr_ok=0; fi
cat build/dump_restore.out
read -r dp df < <(sed -n 's/^# \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' build/dump_restore.out)
dp=${dp:-0}; df=${df:-1}
[ "$dr_ok" -eq 1 ] || [ "$df" -gt 0 ] || df=1
count "$dp" "$df"

stop_cluster
echo
echo "robotid: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
