#!/usr/bin/env bash
# Benchmarks.  Each prints one header line (PostgreSQL version, cores), the
# spread of every variant (min / median / max over the rounds) and, at the
# end, a summary of its ratios: median of the per-round ratios (min-max).
#   bash bench/run.sh all                       every benchmark below at a quick size, in
#                                               sequence, on one throwaway cluster (standby on
#                                               its own; soak skipped), then one summary table
#   bash bench/run.sh type [rows] [rounds]      robot_id vs padded and random uuids, text, numeric
#   bash bench/run.sh triggers [rows] [rounds]  the C triggers vs none, PL/pgSQL and a foreign key
#   bash bench/run.sh registry [robots] [rounds] [seconds]
#                                               pgbench: application functions vs bare SQL
#   bash bench/run.sh scan [robots] [rounds] [seconds]
#                                               pgbench: scan() of a good code vs a bare SELECT
#   bash bench/run.sh issue [codes] [rounds]     issue_codes() in both layouts vs register_robot() (5 rounds)
#   bash bench/run.sh estimates [makers] [serials] [rounds]
#                                               row estimates vs actual rows, PostgreSQL's and robotid's
#   bash bench/run.sh sort [rows] [rounds] [distributions...]
#                                               ORDER BY and CREATE INDEX: robot_id vs random uuids
#                                               on every code distribution (bench/sort_setup.sql)
#   bash bench/run.sh convert [rows] [rounds] [distributions...]
#                                               the sort key's conversion alone, ns per code:
#                                               robot_id (both builds) vs uuid's (bench/abbrev_convert.c)
#   bash bench/run.sh standby [robots] [rounds] [seconds] [moves/s]
#                                               pgbench: reads on a hot standby vs the primary, lag
#   bash bench/run.sh partitions [rows] [moves] [rounds]
#                                               guard cost on 16 hash partitions vs one table; pruning
#   bash bench/run.sh soak [seconds] [robots]    the soak under load and backend kills (bench/soak.sh)
#   bash bench/run.sh repeat RUNS BENCHMARK [args...]
#                                               a benchmark above (not all, standby or soak) RUNS
#                                               times on one cluster, then every ratio over the runs
#   bash bench/run.sh check BENCHMARK          a benchmark once, with the arguments of its README
#                                               figures (bench/published.txt), then each figure:
#                                               is this run's median inside the README's range?
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROBOTID_ROOT"

what=${1:-type}
# these run clusters of their own
case "$what" in
	standby) exec bash bench/standby.sh "${@:2}" ;;
	soak) exec bash bench/soak.sh "${@:2}" ;;
	check)
		# one run of a benchmark, with the arguments its README figures
		# were measured with, against those figures (bench/published.txt)
		# its args line, "=" and the arguments (matched exactly, not as a pattern)
		published_args=$(awk -F'|' -v b="${2:-}" '$1 == "args" && $2 == b {print "=" $3; exit}' bench/published.txt)
		if [ -z "$published_args" ]; then
			echo "bench/run.sh check: \"${2:-}\" has no figures in bench/published.txt" \
				"($(awk -F'|' '$1 == "args" {printf "%s%s", n++ ? ", " : "", $2}' bench/published.txt))" >&2
			exit 2
		fi
		published_args=${published_args#=}
		if [ $# -gt 2 ]; then
			echo "bench/run.sh check: takes nothing after the benchmark: it runs" \
				"\"$2${published_args:+ $published_args}\", as the README's figures of $2 were measured" >&2
			exit 2
		fi
		read -r -a check_args <<< "$published_args"
		;;
	repeat)
		if ! [[ "${2:-}" =~ ^[1-9][0-9]*$ ]]; then
			echo "bench/run.sh repeat: RUNS must be a positive whole number, not \"${2:-}\"" >&2
			exit 2
		fi
		case "${3:-}" in
		type | triggers | registry | scan | issue | estimates | sort | convert | partitions) ;;
		*)
			echo "bench/run.sh repeat: \"${3:-}\" is not a benchmark that can be repeated" \
				"(type, triggers, registry, scan, issue, estimates, sort, convert, partitions)" >&2
			exit 2
			;;
		esac
		;;
esac
# The ratios of a run, one "benchmark|variant|median|min|max" line each:
# in a file, so that bench/standby.sh can add its own.
if [ -z "${ROBOTID_BENCH_SUMMARY:-}" ]; then
	ROBOTID_BENCH_SUMMARY=$(mktemp /tmp/robotid-bench-summary.XXXXXX)
	# with the runs' own summaries of a repeat, if it is interrupted
	summary_file=$ROBOTID_BENCH_SUMMARY
	remove_summary() { rm -f "$summary_file" "$summary_file".*; }
	on_exit remove_summary
fi
export ROBOTID_BENCH_SUMMARY

ensure_packages
build_and_install
# this run's ratios against the README's: the table of bench/check.awk,
# and its exit status
check_published() {
	echo
	echo "== this run against the README's figures of $1 (bench/published.txt): is each median inside the README's range?"
	awk -F'|' -v b="$1" -f bench/check.awk bench/published.txt "$ROBOTID_BENCH_SUMMARY"
}
if [ "$what" = check ] && [ "$2" = standby ]; then
	# the standby runs two clusters of its own
	bash bench/standby.sh "${check_args[@]}"
	check_published standby
	exit
fi
ROBOTID_SERVER_OPTS="-c shared_buffers=2GB -c max_wal_size=8GB -c checkpoint_timeout=1h -c autovacuum=off"
start_cluster
work="$CLUSTER_DIR/bench"
as_postgres mkdir -p "$work"

# "min median max" of the numbers on stdin, one a line
spread() {
	sort -g | awk '{v[NR] = $1} END {
		if (NR == 0) { print "nan nan nan"; exit }
		printf "%s %s %s\n", v[1], (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2, v[NR]}'
}
# "a / b / c" from "min median max", rounded to $2 decimals
show() { echo "$1" | awk -v d="${2:-0}" '{printf "%.*f / %.*f / %.*f", d, $1, d, $2, d, $3}'; }
# the ratios of variant $1 to variant $2 of file $3 ("variant value" lines,
# the variants alternating within each round), one a line
round_ratios() {
	paste -d' ' <(grep "^$1 " "$3" | cut -d' ' -f2) <(grep "^$2 " "$3" | cut -d' ' -f2) |
		awk '$2 > 0 {printf "%.4f\n", $1 / $2}'
}
# summary_add BENCHMARK VARIANT "min median max"
summary_add() {
	echo "$3" | awk -v b="$1" -v v="$2" '{printf "%s|%s|%s|%s|%s\n", b, v, $2, $1, $3}' >> "$ROBOTID_BENCH_SUMMARY"
}
# what a SQL benchmark left in its bench_summary table
summary_from_table() {
	psql -X -At -F'|' -c "SELECT benchmark, variant, median, min, max FROM bench_summary ORDER BY position" \
		>> "$ROBOTID_BENCH_SUMMARY"
}
print_summary() {
	echo
	echo "== summary: ratios, median of the per-round ratios (min-max over the rounds)"
	awk -F'|' 'BEGIN {printf "%-10s %-66s %s\n", "benchmark", "variant", "ratio (min-max)"}
		{ if ($4 == $5) r = sprintf("%.2f", $3); else r = sprintf("%.2f (%.2f-%.2f)", $3, $4, $5)
		  printf "%-10s %-66s %s\n", $1, $2, r }' "$ROBOTID_BENCH_SUMMARY"
}
header() {
	echo "== PostgreSQL $(psql -X -At -c 'SHOW server_version'), $(bench_host)"
}

bench() {
	local what=$1
	shift
	case "$what" in
	type)
		psql -X -q -v rows="${1:-2000000}" -v rounds="${2:-5}" -v dir="$work" \
			-f bench/type_bench.sql
		summary_from_table
		;;
	triggers)
		psql -X -q -v rows="${1:-1000000}" -v rounds="${2:-5}" -f bench/trigger_bench.sql
		summary_from_table
		;;
	registry)
		local robots=${1:-1000000} rounds=${2:-3} seconds=${3:-30} movable tps user variant round
		psql -X -q -v robots="$robots" -f bench/registry_setup.sql
		movable=$(psql -X -At -c "SELECT count(*) FROM bench_pool")
		: > "$work/tps.txt"
		for round in $(seq "$rounds"); do
			for variant in app bare; do
				user=postgres
				[ "$variant" = app ] && user=bench_operator
				tps=$(pgbench -n -U "$user" -c 2 -j 2 -T "$seconds" -D movable="$movable" \
					-f "bench/registry_$variant.pgbench" 2>&1 |
					sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p')
				echo "round $round $variant: $tps tps"
				echo "$variant $tps" >> "$work/tps.txt"
			done
		done
		# each round's app and bare run back to back: on a shared host the
		# per-round ratios are the steadier figure
		local ratios
		ratios=$(round_ratios app bare "$work/tps.txt" | spread)
		echo
		echo "tps, min / median / max over $rounds rounds of $seconds s ($robots robots, 2 clients):" \
			"application functions $(show "$(grep '^app ' "$work/tps.txt" | cut -d' ' -f2 | spread)")," \
			"bare UPDATE + INSERT $(show "$(grep '^bare ' "$work/tps.txt" | cut -d' ' -f2 | spread)")"
		echo "ratio application / bare, per round: min / median / max $(show "$ratios" 2)"
		summary_add registry "application functions / bare SQL, tps" "$ratios"
		psql -X -q -f bench/registry_reads.sql
		;;
	scan)
		local robots=${1:-200000} rounds=${2:-5} seconds=${3:-20} good tps user variant round script
		psql -X -q -v robots="$robots" -f bench/scan_setup.sql
		good=$(psql -X -At -c "SELECT count(*) FROM bench_scan_pool")
		: > "$work/tps.txt"
		for round in $(seq "$rounds"); do
			for variant in scan bare; do
				user=postgres
				script=bench/scan_bare.pgbench
				if [ "$variant" = scan ]; then
					user=bench_public
					script=bench/scan.pgbench
				fi
				tps=$(pgbench -n -U "$user" -c 2 -j 2 -T "$seconds" -D good="$good" -f "$script" 2>&1 |
					sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p')
				echo "round $round $variant: $tps tps"
				echo "$variant $tps" >> "$work/tps.txt"
			done
		done
		# each round's scan and bare run back to back: on a shared host the
		# per-round ratios are the steadier figure
		local ratios
		ratios=$(round_ratios scan bare "$work/tps.txt" | spread)
		echo
		echo "tps, min / median / max over $rounds rounds of $seconds s ($robots robots, 2 clients):" \
			"scan() $(show "$(grep '^scan ' "$work/tps.txt" | cut -d' ' -f2 | spread)")," \
			"bare indexed SELECT $(show "$(grep '^bare ' "$work/tps.txt" | cut -d' ' -f2 | spread)")"
		echo "ratio scan() / bare, per round: min / median / max $(show "$ratios" 2)"
		summary_add scan "scan() / bare SELECT, tps" "$ratios"
		;;
	partitions)
		psql -X -q -v rows="${1:-10000000}" -v moves="${2:-20000}" -v rounds="${3:-3}" -f bench/partitions.sql
		summary_from_table
		;;
	estimates)
		psql -X -q -v makers="${1:-60}" -v serials="${2:-3400}" -v rounds="${3:-5}" -f bench/estimates.sql
		summary_from_table
		;;
	issue)
		local n=${1:-100000} rounds=${2:-5} round variant
		psql -X -q -f bench/issue_codes.sql
		for round in $(seq 1 "$rounds"); do
			for variant in register_robot random sequential; do
				psql -X -q -U bench_issuer -v n="$n" -v round="$round" -v variant="$variant" -f bench/issue_round.sql
				psql -X -q -c "VACUUM robot_registry.robots, robot_registry.events, robot_registry.model_gates"
			done
		done
		psql -X -q -f bench/issue_report.sql
		summary_from_table
		;;
	sort)
		local rows=${1:-2000000} rounds=${2:-5} dists dist traced round kinds kind col statements stats settings
		local -A columns=([robot_id]=id [uuid]=u [control]=control)
		shift $(($# < 2 ? $# : 2))
		psql -X -q -f bench/sort_setup.sql
		dists=("$@")
		[ ${#dists[@]} -gt 0 ] ||
			mapfile -t dists < <(psql -X -At -c "SELECT dist FROM sort_distribution ORDER BY position")
		# every statement alone, so that log_statement_stats reports its
		# CPU and elapsed time; uuid and robot_id alternate which goes first
		settings="-c work_mem=1GB -c maintenance_work_mem=1GB -c jit=off"
		settings+=" -c max_parallel_workers_per_gather=0 -c max_parallel_maintenance_workers=0"
		settings+=" -c enable_indexscan=off -c enable_indexonlyscan=off -c enable_bitmapscan=off"
		for dist in "${dists[@]}"; do
			echo "== $dist: loading $rows codes"
			psql -X -q -v ON_ERROR_STOP=1 -c "SELECT sort_bench_load('$dist', $rows)" >/dev/null
			psql -X -q -c "VACUUM (FREEZE, ANALYZE) sort_t"
			# the distinct abbreviated keys, as the abbreviation's own
			# trace_sort line reports them (a HyperLogLog estimate)
			traced=$(PGOPTIONS="$settings -c trace_sort=on -c client_min_messages=log" psql -X -q \
				-c "SELECT count(*) FROM (SELECT id FROM sort_t ORDER BY id OFFSET 0) s" 2>&1 >/dev/null |
				sed -n 's/.*robot_id abbreviation: \([0-9]*\) distinct keys in \([0-9]*\) codes.*/\1 \2/p' | tail -n 1)
			[ -z "$traced" ] ||
				psql -X -q -c "INSERT INTO sort_distinct VALUES ('$dist', ${traced% *}, ${traced#* })"
			for round in $(seq "$rounds"); do
				# each kind twice, mirrored (A B C C B A): a round's two
				# times of a kind are averaged, which cancels a host slowing
				# down or speeding up steadily during the round; robot_id
				# goes first in odd rounds, the control (a second column of
				# random uuids) in even ones
				kinds="robot_id uuid control control uuid robot_id"
				[ $((round % 2)) -eq 1 ] || kinds="control uuid robot_id robot_id uuid control"
				# an untimed sort first: the first sort of a backend also
				# pays for growing its memory (page faults, malloc's
				# thresholds), which would count against whichever kind
				# goes first
				statements=("- warm_up|SELECT count(*) FROM (SELECT id, u FROM sort_t ORDER BY u OFFSET 0) s;")
				for kind in $kinds; do
					col=${columns[$kind]}
					statements+=("$kind order_by|SELECT count(*) FROM (SELECT $col FROM sort_t ORDER BY $col OFFSET 0) s;")
				done
				for kind in $kinds; do
					col=${columns[$kind]}
					statements+=("$kind create_index|CREATE INDEX sort_t_$col ON sort_t ($col);")
					statements+=("- -|DROP INDEX sort_t_$col;")
				done
				# "! 1.2 s user, 0.1 s system, 1.5 s elapsed" per statement
				stats=$(printf '%s\n' "${statements[@]}" | cut -d'|' -f2 |
					PGOPTIONS="$settings -c log_statement_stats=on -c client_min_messages=log" \
					psql -X -q -v ON_ERROR_STOP=1 2>&1 >/dev/null |
					awk '/^!\t[0-9.]+ s user,/ {print 1000 * ($2 + $5), 1000 * $8}')
				paste -d' ' <(printf '%s\n' "${statements[@]}" | cut -d'|' -f1) <(echo "$stats") |
					awk -v dist="$dist" -v round="$round" '$1 != "-" {
						printf "INSERT INTO sort_result VALUES (%s, %d, %s, %s, %s, %s, %d);\n",
							"\047" dist "\047", round, "\047" $1 "\047", "\047" $2 "\047", $4, $3, NR }' |
					psql -X -q -v ON_ERROR_STOP=1
			done
			psql -X -At -F' ' -c "SELECT kind, metric, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric),
				round(percentile_cont(0.5) WITHIN GROUP (ORDER BY cpu_ms)::numeric)
				FROM sort_result WHERE dist = '$dist' GROUP BY kind, metric ORDER BY metric, kind"
		done
		psql -X -q -c "DROP TABLE IF EXISTS sort_t"
		# every run, for a closer look: ROBOTID_SORT_RUNS=file.csv
		[ -z "${ROBOTID_SORT_RUNS:-}" ] ||
			psql -X -q -c "\\copy sort_result TO '$ROBOTID_SORT_RUNS' CSV HEADER"
		psql -X -f bench/sort_report.sql
		summary_from_table
		;;
	convert)
		# the sort key's conversion alone, per code, outside the server
		# (bench/abbrev_convert.c), over the sort benchmark's distributions
		local rows=${1:-2000000} rounds=${2:-11} dists dist out variant ratios
		shift $(($# < 2 ? $# : 2))
		psql -X -q -f bench/sort_setup.sql
		dists=("$@")
		[ ${#dists[@]} -gt 0 ] ||
			mapfile -t dists < <(psql -X -At -c "SELECT dist FROM sort_distribution ORDER BY position")
		# global, for the clean-up at exit
		convert_dir=$(mktemp -d /tmp/robotid-convert.XXXXXX)
		remove_convert() { rm -rf "$convert_dir"; }
		on_exit remove_convert
		local bin=$convert_dir
		${CC:-cc} -O2 -Isrc -o "$bin/abbrev_convert" bench/abbrev_convert.c src/rid_core.c
		: > "$bin/all.txt"
		echo "ns per code, min / median / max over $rounds rounds of $rows codes, in the order a sort reads them:"
		for dist in "${dists[@]}"; do
			psql -X -q -v ON_ERROR_STOP=1 -c "SELECT sort_bench_load('$dist', $rows)" >/dev/null
			# the heap's order is the order the sort sees
			psql -X -q -c "COPY sort_t (id) TO STDOUT" > "$bin/codes.txt"
			out=$("$bin/abbrev_convert" "$rounds" < "$bin/codes.txt" 2>/dev/null)
			echo "$out" >> "$bin/all.txt"
			printf '%-16s' "$dist"
			for variant in uuid robot_id robot_id_bmi2; do
				grep -q "^$variant " <<< "$out" &&
					printf '  %s %s' "$variant" "$(show "$(grep "^$variant " <<< "$out" | cut -d' ' -f2 | spread)" 2)"
			done
			echo
		done
		psql -X -q -c "DROP TABLE IF EXISTS sort_t"
		if grep -q '^robot_id_bmi2 ' "$bin/all.txt"; then
			ratios=$(round_ratios robot_id_bmi2 robot_id "$bin/all.txt" | spread)
			summary_add convert "key conversion, BMI2 / baseline build (${#dists[@]} distributions)" "$ratios"
		fi
		rm -rf "$convert_dir"
		;;
	*)
		echo "unknown benchmark: $what" >&2
		exit 2
		;;
	esac
}

# a repeat prints each run's own header
[ "$what" = repeat ] || header
if [ "$what" = repeat ]; then
	# the same benchmark RUNS times, each in a new database on this
	# cluster, each run with a summary of its own; then every ratio over
	# the runs (bench/over_runs.awk), with whether each run's median lies
	# inside the range the other runs printed: what a new user's run of
	# the command is checked against
	runs=$2
	set -- "${@:3}"
	summary_all=$ROBOTID_BENCH_SUMMARY
	sort_runs=${ROBOTID_SORT_RUNS:-}
	for run in $(seq "$runs"); do
		log "bench/run.sh $* (run $run of $runs)"
		header
		createdb "bench_run_$run"
		export PGDATABASE="bench_run_$run"
		ROBOTID_BENCH_SUMMARY="$summary_all.$run"
		[ -z "$sort_runs" ] || ROBOTID_SORT_RUNS="${sort_runs%.csv}.run$run.csv"
		bench "$@"
		print_summary
		awk -v run="$run" '{print run "|" $0}' "$ROBOTID_BENCH_SUMMARY" >> "$summary_all"
		rm -f "$ROBOTID_BENCH_SUMMARY"
		export PGDATABASE=postgres
		dropdb "bench_run_$run"
	done
	echo
	echo "== over $runs runs: each run's median of the per-round ratios; the median of those (lowest-highest round of all runs)"
	# ROBOTID_BENCH_FIGURES=FILE: these figures, as bench/published.txt
	# keeps them, added to FILE
	[ -z "${ROBOTID_BENCH_FIGURES:-}" ] || echo "args|$1|${*:2}" >> "$ROBOTID_BENCH_FIGURES"
	awk -F'|' -v figures="${ROBOTID_BENCH_FIGURES:-}" -f bench/over_runs.awk "$summary_all"
	exit 0
fi
if [ "$what" = check ]; then
	bench "$2" "${check_args[@]}"
	print_summary
	check_published "$2"
	exit
fi
if [ "$what" != all ]; then
	bench "$what" "${@:2}"
	print_summary
	exit 0
fi

# Every benchmark at a quick size, each in a database of its own on this
# cluster: a check before and after a change to a hot path, not a figure
# for the README (those come from each benchmark's own command).
started=$SECONDS
quick=(
	"type 200000 3"
	"triggers 200000 3"
	"sort 200000 3"
	"convert 200000 3"
	"estimates 60 340 3"
	"issue 2000 3"
	"partitions 200000 2000 3"
	"registry 10000 3 8"
	"scan 10000 3 8"
)
for run in "${quick[@]}"; do
	read -r -a args <<< "$run"
	log "bench/run.sh ${args[*]} ($((SECONDS - started)) s so far)"
	createdb "bench_${args[0]}"
	export PGDATABASE="bench_${args[0]}"
	bench "${args[@]}"
done
export PGDATABASE=postgres
# the standby runs two clusters of its own
stop_cluster
log "bench/run.sh standby 10000 3 5 50 ($((SECONDS - started)) s so far)"
bash bench/standby.sh 10000 3 5 50
print_summary
echo "all: $((SECONDS - started)) s"
