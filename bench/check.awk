# One run of a benchmark against the figures the README publishes for it
# (bench/run.sh check).  The first file is bench/published.txt, lines
# "benchmark|variant|median|lowest|highest" ("args|..." lines and "#"
# comments skipped); the second, the run's summary, lines
# "benchmark|variant|median|min|max".  For each published figure of
# benchmark b (awk -v b=...), in the published order: the README's median
# and range, this run's median and range, and whether this run's median
# lies inside the README's range, both as printed, to two decimals.
# Ends with a count; exits 1 if a figure is outside its range or was not
# measured.  Run with awk -F'|'.
function two(x) { return sprintf("%.2f", x) + 0 }
FNR == NR {
	if ($0 ~ /^#/ || $1 != b)
		next
	order[++n] = $2
	pm[$2] = $3; pl[$2] = $4; ph[$2] = $5
	next
}
$1 == b { rm[$2] = $3; rl[$2] = $4; rh[$2] = $5 }
END {
	if (n == 0) {
		print "bench/check.awk: no published figure of \"" b "\"" > "/dev/stderr"
		exit 2
	}
	printf "%-10s %-66s %-20s %-20s %s\n", "benchmark", "variant", "README", "this run", "inside"
	inside = 0
	for (i = 1; i <= n; i++) {
		v = order[i]
		readme = sprintf("%.2f (%.2f-%.2f)", pm[v], pl[v], ph[v])
		if (!(v in rm)) {
			printf "%-10s %-66s %-20s %-20s %s\n", b, v, readme, "-", "not measured"
			continue
		}
		ok = (two(rm[v]) >= two(pl[v]) && two(rm[v]) <= two(ph[v]))
		inside += ok
		printf "%-10s %-66s %-20s %-20s %s\n", b, v, readme,
			sprintf("%.2f (%.2f-%.2f)", rm[v], rl[v], rh[v]), ok ? "yes" : "no"
	}
	printf "%d of %d figures inside the README's range\n", inside, n
	exit inside == n ? 0 : 1
}
