#!/usr/bin/env bash
# Writes the newest update script (the version is on the head's first line) to stdout: the registry's SQL files
# wrapped into robot_registry_run_file(), one EXECUTE per file, and the
# functions that run them (registry/install_tail.sql).  Called by the
# Makefile:
#
#   build_registry.sh HEAD TAIL "DATA FILES" "CODE FILES" "STEP FILES" "DEMO FILES"
#
# Data files create and fill the tables (install only); code files create
# functions, triggers, policies, grants and views (install, and every
# upgrade after the old code is dropped); step files registry/upgrade/A--B.sql
# bring the tables of registry A to registry B in place; demo files are
# run by robot_registry_install_demo().
set -euo pipefail
head=$1 tail=$2
# the registry version this build makes: the extension version of the
# script, from the head's first line
version=$(sed -n '1s/.*-> \([0-9.]*\):.*/\1/p' "$head")
[ -n "$version" ] || { echo "$head: no version on its first line" >&2; exit 1; }
read -r -a data <<< "$3"
read -r -a code <<< "$4"
read -r -a steps <<< "${5:-}"
read -r -a demo <<< "${6:-}"

name() { echo "${1#*registry/}"; }
# a file's name as a dollar-quote tag and as a SQL literal list
tag() { echo "robotid_$(name "$1" | tr -c 'A-Za-z0-9\n' '_')"; }
list() {
	local f out=""
	for f in "$@"; do out="$out${out:+, }'$(name "$f")'"; done
	echo "$out"
}

all=($(printf '%s\n' "${data[@]}" "${code[@]}" | sort))

# Code files run again at every upgrade: one that creates a table, an
# index, a sequence or a type, or inserts rows (a statement at the start
# of a line; function bodies are indented), would fail there.
for f in "${code[@]}"; do
	if grep -nEi '^(CREATE[[:space:]]+(UNIQUE[[:space:]]+)?(TABLE|INDEX|SEQUENCE|TYPE)|INSERT[[:space:]]+INTO)' "$f" >&2; then
		echo "$f: tables, indexes, sequences, types and seed rows go in a data file (REGISTRY_DATA in the Makefile, such as registry/10_tables.sql) and, for a registry that already exists, in a step registry/upgrade/A--B.sql; code files are run again by every upgrade" >&2
		exit 1
	fi
done

cat "$head"
cat <<'SQL'
-- The registry's SQL, one file per EXECUTE, so that an error names its
-- file and does not echo the whole registry.  Internal: called by the
-- install and upgrade functions below.
CREATE OR REPLACE FUNCTION robot_registry_run_file(file text) RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $robotid_run$
DECLARE
	state text;
	message text;
	detail text;
	hint text;
BEGIN
	CASE file
SQL
for f in "${all[@]}" "${steps[@]}" "${demo[@]}"; do
	t=$(tag "$f")
	printf "\tWHEN '%s' THEN EXECUTE \$%s\$\n" "$(name "$f")" "$t"
	sed "s|@registry_version@|$version|g" "$f"
	printf "\$%s\$;\n" "$t"
done
cat <<'SQL'
	END CASE;
EXCEPTION WHEN OTHERS THEN
	-- raised again with the file's name, without the file as context
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
		detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
	message := format('registry file %s: %s', file, message);
	IF detail <> '' AND hint <> '' THEN
		RAISE EXCEPTION USING ERRCODE = state, MESSAGE = message, DETAIL = detail, HINT = hint;
	ELSIF detail <> '' THEN
		RAISE EXCEPTION USING ERRCODE = state, MESSAGE = message, DETAIL = detail;
	ELSIF hint <> '' THEN
		RAISE EXCEPTION USING ERRCODE = state, MESSAGE = message, HINT = hint;
	ELSE
		RAISE EXCEPTION USING ERRCODE = state, MESSAGE = message;
	END IF;
END
$robotid_run$;
REVOKE ALL ON FUNCTION robot_registry_run_file(text) FROM PUBLIC;
SQL
sed -e "s|@registry_install_files@|$(list "${all[@]}")|" \
    -e "s|@registry_code_files@|$(list "${code[@]}")|" \
    -e "s|@registry_upgrade_steps@|$(list "${steps[@]}")|" \
    -e "s|@registry_demo_files@|$(list "${demo[@]}")|" \
    -e "s|@registry_version@|$version|g" "$tail"
