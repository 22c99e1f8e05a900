#!/usr/bin/env bash
# bench/run.sh repeat: its arguments, and bench/over_runs.awk, which puts
# the runs of a benchmark together and says whether each run reproduced
# the others; bench/run.sh check: its arguments, and bench/check.awk,
# which holds one run against the README's figures; bench/published.txt,
# those figures: well formed, and each printed in the README.  No server
# needed.  Prints TAP and "# N passed, N failed".
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

figures=$(mktemp)
trap 'rm -f "$figures"' EXIT
awk -F'|' -v figures="$figures" -f bench/over_runs.awk >/dev/null <<'IN'
1|x|a / b|0.9688|0.61|1.0249
2|x|a / b|1.0213|0.9701|1.07
1|x|c / d|2|2|2
IN
expect "$(cat "$figures")" "x|a / b|0.99|0.61|1.07
x|c / d|2.00|2.00|2.00" "over_runs.awk -v figures=FILE adds each ratio to FILE as bench/published.txt keeps it"

# bench/check.awk: the published figures of "x" (and of "y", not x's), then
# one run's summary on stdin; prints the last column of each row, the
# count, and the exit status
held() {
	local out status
	out=$(awk -F'|' -v b=x -f bench/check.awk <(printf '%s\n' '# a comment' 'args|x|10 2' \
		'x|a / b|1.00|0.90|1.10' 'y|a / b|5.00|5.00|5.00' 'x|c / d|0.50|0.45|0.55') -)
	status=$?
	echo "$out" | awk 'NR > 1 {print $NF}' | tr '\n' ' '
	echo "exit $status"
}
expect "$(held <<'IN'
x|a / b|1.0949|0.80|1.30
x|c / d|0.4504|0.40|0.60
x|e / f|9|9|9
IN
)" "yes yes range exit 0" "check.awk: medians inside the README's ranges as printed (1.0949 shows 1.09, 0.4504 shows 0.45): yes, 2 of 2, exit 0; another benchmark's figure and an unpublished ratio ignored"
expect "$(held <<'IN'
x|a / b|1.1051|1.00|1.20
x|c / d|0.50|0.40|0.60
IN
)" "no yes range exit 1" "check.awk: a median that prints above the README's range (1.1051 shows 1.11) is no, and the exit status is 1"
expect "$(held <<'IN'
x|c / d|0.50|0.40|0.60
y|a / b|1.00|0.90|1.10
IN
)" "measured yes range exit 1" "check.awk: a published figure the run did not print is \"not measured\", and the exit status is 1"
expect "$(printf 'x|a / b|1.00|0.90|1.10\n' | awk -F'|' -v b=x -f bench/check.awk <(echo 'x|a / b|1.00|0.95|1.05') - | tail -n 1)" \
	"1 of 1 figures inside the README's range" "check.awk ends with the count of figures inside"

out=$(bash bench/run.sh check nope 2>&1); status=$?
[ "$status" -eq 2 ] && grep -q '"nope" has no figures in bench/published.txt (type, ' <<< "$out"
ok $? "check of a benchmark without published figures is refused with exit 2 and lists those with"
out=$(bash bench/run.sh check '.*' 2>&1); status=$?
[ "$status" -eq 2 ] && grep -q '".\*" has no figures in bench/published.txt' <<< "$out"
ok $? "check matches the benchmark's name exactly, not as a pattern"
out=$(bash bench/run.sh check type 100 2>&1); status=$?
[ "$status" -eq 2 ] && grep -q 'takes nothing after the benchmark: it runs "type 2000000 5"' <<< "$out"
ok $? "check with arguments is refused with exit 2 and says what it runs"

# bench/published.txt: every line a comment, an args line or a figure
# whose median lies inside its range, of a benchmark with an args line
bad=$(awk -F'|' '/^#/ {next} $1 == "args" && NF == 3 {args[$2] = 1; next}
	NF == 5 && $3 ~ /^[0-9]+[.][0-9][0-9]$/ && $4 ~ /^[0-9]+[.][0-9][0-9]$/ && $5 ~ /^[0-9]+[.][0-9][0-9]$/ &&
	$4 + 0 <= $3 + 0 && $3 + 0 <= $5 + 0 {fig[NR] = $1; line[NR] = $0; next}
	{print "line " NR ": " $0}
	END {for (i in fig) if (!(fig[i] in args)) print "no args line for: " line[i]}' bench/published.txt)
expect "$bad" "" "bench/published.txt: each figure well formed, inside its own range, of a benchmark with an args line"
# the README prints every range of bench/published.txt ("1.03 (0.82-1.16)",
# the median perhaps in bold, across a line break or not); a figure
# without a spread (a size, a count) may be printed otherwise
readme=$(tr -s ' \n' '  ' < README.md)
missing=$(awk -F'|' '!/^#/ && $1 != "args" && $4 != $5 {print $1 "|" $2 "|" $3 " (" $4 "-" $5 ")"}' bench/published.txt |
	while IFS='|' read -r b v fig; do
		grep -qF -e "$fig" -e "**${fig/ (/** (}" <<< "$readme" || echo "$b: $v: $fig"
	done)
expect "$missing" "" "the README prints each range of bench/published.txt"

echo "1..$tests"
echo "# $((tests - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
