#!/usr/bin/env bash
# bench/run.sh repeat: its arguments, and bench/over_runs.awk, which puts
# the runs of a benchmark together and says whether each run reproduced
# the others.  No server needed.  Prints TAP and "# N passed, N failed".
set -u
cd "$(dirname "$0")/.."
tests=0
failed=0
ok() {
	tests=$((tests + 1))
	if [ "$1" = 0 ]; then echo "ok $tests - $2"; else failed=$((failed + 1)); echo "not ok $tests - $2"; fi
}
# The row of VARIANT in the table over_runs.awk makes of the lines on
# stdin, checked against WANT: check VARIANT WANT WHAT
check() {
	local got
	got=$(awk -F'|' -f bench/over_runs.awk | grep -F " $1 " | tr -s ' ')
	expect "$got" "$2" "$3"
}
expect() {
	local got=$1 want=$2 what=$3
	[ "$got" = "$want" ]
	ok $? "$what"
	[ "$got" = "$want" ] || printf '#   got:  %s\n#   want: %s\n' "$got" "$want"
}

check 'a / b' "x a / b 1.01 1.05 1.03 (0.90-1.20) yes" \
	"two runs, each median inside the other's range: the median of the medians and the lowest and highest round" <<'IN'
1|x|a / b|1.01|0.90|1.10
2|x|a / b|1.05|0.95|1.20
IN

check 'a / b' "x a / b 0.50 0.60 0.55 (0.45-0.70) no: run 2" \
	"a run whose median lies above the other run's range is named" <<'IN'
1|x|a / b|0.50|0.45|0.55
2|x|a / b|0.60|0.50|0.70
IN

check 'a / b' "x a / b 0.50 0.60 0.40 0.50 (0.35-0.70) no: run 2, 3" \
	"three runs: each is checked against the others' lowest and highest round together, and every run outside is named" <<'IN'
1|x|a / b|0.50|0.45|0.52
2|x|a / b|0.60|0.58|0.70
3|x|a / b|0.40|0.35|0.42
IN

check 'c / d' "x c / d 2.00 2.00 (2.00-2.00) -" \
	"a ratio of one run only is not called reproduced" <<'IN'
1|x|a / b|1.00|0.90|1.10
1|x|c / d|2.00|2.00|2.00
2|x|a / b|1.00|0.90|1.10
IN

check 'a / b' "x a / b 0.97 1.02 0.99 (0.61-1.07) yes" \
	"medians and ranges are compared as printed, to two decimals (0.9688 inside 0.9701-1.07, 1.0213 inside 0.61-1.0249)" <<'IN'
1|x|a / b|0.9688|0.61|1.0249
2|x|a / b|1.0213|0.9701|1.07
IN

check 'a / b' "x a / b 0.96 1.02 0.99 (0.61-1.07) no: run 1" \
	"a median that prints below the other run's lowest round is not reproduced" <<'IN'
1|x|a / b|0.9649|0.61|1.03
2|x|a / b|1.0213|0.9701|1.07
IN

order=$(awk -F'|' -f bench/over_runs.awk <<'IN' | awk 'NR > 1 {print $2}' | tr '\n' ' '
1|x|second|1|1|1
1|x|first|1|1|1
2|x|second|1|1|1
IN
)
expect "$order" "second first " "ratios keep the order they were first printed in"

out=$(bash bench/run.sh repeat 0 type 2>&1); status=$?
[ "$status" -eq 2 ] && grep -q 'RUNS must be a positive whole number, not "0"' <<< "$out"
ok $? "repeat 0 is refused with exit 2 and says why"
for what in all standby soak repeat ""; do
	out=$(bash bench/run.sh repeat 2 $what 2>&1); status=$?
	[ "$status" -eq 2 ] && grep -q "\"$what\" is not a benchmark that can be repeated" <<< "$out"
	ok $? "repeat 2 ${what:-(nothing)} is refused with exit 2 and names it"
done

echo "1..$tests"
echo "# $((tests - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
