# The ratios of several runs of one benchmark (bench/run.sh repeat), from
# lines "run|benchmark|variant|median|min|max", the runs numbered from 1:
# for each ratio, in the order first seen, each run's median, the median
# of those, the lowest and highest round of all the runs, and whether
# every run's median lies inside the lowest-highest range of the other
# runs, to the two decimals printed ("no: run N" names each run whose
# median does not).  With -v figures=FILE, also adds each ratio to FILE
# as bench/published.txt keeps it: "benchmark|variant|median|lowest|highest".
# Run with awk -F'|'.
!(($2, $3) in seen) { seen[$2, $3] = 1; order[++n] = $2 "|" $3 }
{
	k = $2 "|" $3
	# compared as printed, to two decimals: a median shown as 0.97 is
	# inside a range shown as 0.97-1.07
	med[k, $1] = sprintf("%.2f", $4) + 0; lo[k, $1] = sprintf("%.2f", $5) + 0; hi[k, $1] = sprintf("%.2f", $6) + 0
	if ($1 + 0 > runs) runs = $1 + 0
}
END {
	printf "%-10s %-66s %-24s %-20s %s\n", "benchmark", "variant", "run medians", "ratio (min-max)", "reproduced"
	for (i = 1; i <= n; i++) {
		k = order[i]
		split(k, bv, "|")
		list = ""; m = 0; low = ""; high = ""
		for (r = 1; r <= runs; r++) {
			if (!((k, r) in med)) continue
			list = list (m ? " " : "") sprintf("%.2f", med[k, r])
			v[++m] = med[k, r]
			if (low == "" || lo[k, r] < low) low = lo[k, r]
			if (high == "" || hi[k, r] > high) high = hi[k, r]
		}
		# the median of the run medians
		for (a = 1; a <= m; a++)
			for (b = a + 1; b <= m; b++)
				if (v[b] < v[a]) { t = v[a]; v[a] = v[b]; v[b] = t }
		mid = (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
		# each run against the lowest and highest round of the others
		ok = (m > 1) ? "yes" : "-"
		for (r = 1; r <= runs; r++) {
			if (!((k, r) in med)) continue
			ol = ""; oh = ""
			for (o = 1; o <= runs; o++) {
				if (o == r || !((k, o) in med)) continue
				if (ol == "" || lo[k, o] < ol) ol = lo[k, o]
				if (oh == "" || hi[k, o] > oh) oh = hi[k, o]
			}
			if (ol != "" && (med[k, r] < ol || med[k, r] > oh))
				ok = (ok ~ /^no/) ? ok ", " r : "no: run " r
		}
		printf "%-10s %-66s %-24s %-20s %s\n", bv[1], bv[2], list,
			sprintf("%.2f (%.2f-%.2f)", mid, low, high), ok
		if (figures != "")
			printf "%s|%s|%.2f|%.2f|%.2f\n", bv[1], bv[2], mid, low, high >> figures
	}
}
