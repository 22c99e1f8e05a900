#!/usr/bin/env bash
# Upgrade populated 1.2, 1.3 and 1.4 registries in place and check that
# each is the registry it was, in the current version (1.5): every old
# table row for row on its old columns and with its own oid (altered, not
# recreated), users' objects that reference it intact, verify() and
# rule_breaks empty, the schema a fresh install's, a second run a no-op, a
# pre-upgrade event's tampering still detected, a dump and restore of the
# result, and each refusal (a broken registry, a robot's row tampered with
# before the upgrade, a newer or unknown version, no registry) with its
# SQLSTATE.  For each version it checks the custodians the upgrade derives
# against the rule registry/upgrade/1.4--1.5.sql documents, computed here
# from the registry before the upgrade, and that every robot's chain got
# one 'custody derived' event.  Needs PGHOST, PGPORT and PGUSER of a
# running cluster with robotid installed.  Prints TAP.
set -uo pipefail
source "$(dirname "$0")/registry_checks.sh"

db=robotid_upgrade_source
fresh=robotid_upgrade_fresh
work=$(mktemp -d /tmp/robotid-upgrade.XXXXXX)
dbs="$db $fresh robotid_upgrade_from_1_3 robotid_upgrade_from_1_4 robotid_upgrade_tampered robotid_upgrade_broken"
dbs+=" robotid_upgrade_none robotid_upgrade_restored robotid_upgrade_dependent robotid_upgrade_tap"
ROLES="upgrade_robotid_maker upgrade_robotid_operator upgrade_robotid_seller upgrade_robotid_service upgrade_robotid_gone"
cleanup() {
	local d r
	rm -rf "$work"
	for d in $dbs; do dropdb --if-exists "$d" 2>/dev/null; done
	for r in $ROLES; do psql -X -q -d postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1; done
}
trap cleanup EXIT
[ -n "${KEEP:-}" ] && trap - EXIT
cleanup
mkdir -p "$work"
for r in $ROLES; do psql -X -q -d postgres -c "CREATE ROLE $r" >/dev/null; done

# the actors every registry maps, in one order: grants are dumped in the
# order they were given.  Before 1.5 an actor had no party; the upgrade
# gives each the party of its role's name.
MAP_ACTORS="INSERT INTO robot_registry.actors VALUES
	('upgrade_robotid_maker', 'manufacturer', '860003'), ('upgrade_robotid_operator', 'operator', NULL),
	('upgrade_robotid_seller', 'seller', NULL), ('upgrade_robotid_service', 'service_provider', NULL);"

# The custodian registry/upgrade/1.4--1.5.sql documents for each robot of
# a registry before 1.5, computed here from that registry before it is
# upgraded, written out independently of the step: the last registration
# or move decides; after a sale, the known party its detail ->> 'party'
# names (a party is known while a login is mapped to it, and every party
# is its role's name before 1.5), else a private owner (NULL, shown as
# "(private owner)"), with a transfer_codes row handed_by the seller's
# party; after any other registration or move, the mover's party, its
# role name whether or not it is still mapped.  Lines "id|custodian|
# handed_by|rule".
expected_custody() {
	q "$1" "SELECT r.id::text || '|' || coalesce(x.custodian, '(private owner)') || '|' || coalesce(x.handed_by, '') || '|' || x.rule
	          FROM robot_registry.robots r
	          CROSS JOIN LATERAL (SELECT e.kind = 'moved' AND e.to_state = 'sold' AS sale, e.actor::text AS mover,
	                                     e.detail ->> 'party' AS named
	                                FROM robot_registry.events e
	                               WHERE e.robot_id = r.id AND e.kind IN ('registered', 'moved')
	                               ORDER BY e.event_id DESC LIMIT 1) l
	          CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM robot_registry.actors a WHERE a.role_name::text = l.named) AS named_known,
	                                     EXISTS (SELECT 1 FROM robot_registry.actors a WHERE a.role_name::text = l.mover) AS mover_mapped) k
	          CROSS JOIN LATERAL (SELECT CASE WHEN NOT l.sale THEN l.mover WHEN k.named_known THEN l.named END AS custodian,
	                                     CASE WHEN l.sale AND NOT k.named_known THEN l.mover END AS handed_by,
	                                     CASE WHEN l.sale AND k.named_known THEN 'a sale to a known party'
	                                          WHEN l.sale THEN 'a sale to a private owner'
	                                          WHEN k.mover_mapped THEN 'a mapped mover'
	                                          ELSE 'a mover no longer (or never) mapped' END AS rule) x
	         ORDER BY r.id"
}
# What the upgrade derived, in the same form: "id|custodian|handed_by".
derived_custody() {
	q "$1" "SELECT r.id::text || '|' || coalesce(r.custodian, '(private owner)') || '|' || coalesce(t.handed_by, '')
	          FROM robot_registry.robots r LEFT JOIN robot_registry.transfer_codes t ON t.robot_id = r.id
	         ORDER BY r.id"
}
# check_custody DB FROM EXPECTED: the custodians against the rule, every
# branch of the rule met at least once, and one 'custody derived' event
# closing every robot's chain with the custodian it derived (run right
# after the upgrade, before anything else moves).
check_custody() {
	local d=$1 from=$2 expected=$3 rules
	derived_custody "$d" > "$work/derived_$from"
	cut -d'|' -f1-3 "$expected" | diff - "$work/derived_$from" > "$work/custody_$from.diff"
	ok $? "the custodians derived from $from follow the documented rule, robot for robot ($(wc -l < "$expected") robots)" ||
		head -20 "$work/custody_$from.diff"
	rules=$(cut -d'|' -f4 "$expected" | sort | uniq -c | sed 's/^ *\([0-9]*\) \(.*\)/\2: \1/' | paste -sd ';' | sed 's/;/; /g')
	[ "$(cut -d'|' -f4 "$expected" | sort -u | wc -l)" = 4 ]
	ok $? "each branch of the rule is met in the $from registry ($rules)"
	[ "$(q "$d" "SELECT count(*) || ' ' || count(DISTINCT e.robot_id) || ' ' || (SELECT count(*) FROM robot_registry.robots) || ' '
	              || bool_and(e.detail ->> 'custodian' IS NOT DISTINCT FROM r.custodian AND e.from_state = r.state
	                          AND e.to_state = r.state AND e.recalled = r.recalled AND e.detail ? 'rule'
	                          AND e.event_id = (SELECT max(x.event_id) FROM robot_registry.events x WHERE x.robot_id = e.robot_id))
	               FROM robot_registry.events e JOIN robot_registry.robots r ON r.id = e.robot_id
	              WHERE e.kind = 'custody derived'")" = "$(wc -l < "$expected") $(wc -l < "$expected") $(wc -l < "$expected") true" ]
	ok $? "every robot upgraded from $from got one 'custody derived' event, the last of its chain, naming its custodian"
}
# check_tampered_refused SOURCE FROM CHANGE: a copy of registry SOURCE (not
# yet upgraded) with one robot's row changed outside the log (CHANGE, a SET
# list) is refused by the upgrade (55000), which names the robot, and left
# as it was.
check_tampered_refused() {
	local src=$1 from=$2 change=$3 robot out r
	createdb -T "$src" robotid_upgrade_tampered || { ok 1 "a copy of the $from registry"; return; }
	robot=$(psql -X -q -At -v ON_ERROR_STOP=1 -d robotid_upgrade_tampered 2>&1 <<SQL
SET session_replication_role = replica;
UPDATE robot_registry.robots SET $change
 WHERE id = (SELECT min(id) FROM robot_registry.robots WHERE state = 'deployed' AND NOT recalled) RETURNING id;
SQL
)
	q robotid_upgrade_tampered "ALTER EXTENSION robotid UPDATE" >/dev/null 2>&1
	out=$(psql -X -q -At -v VERBOSITY=verbose -d robotid_upgrade_tampered -c "SELECT robot_registry_upgrade()" 2>&1)
	case "$out" in *"ERROR:  55000: the registry does not verify"*"robot $robot: the robot's row is not the one its last event recorded"*) r=0 ;; *) r=1 ;; esac
	[ "$r" = 0 ] && [ -n "$robot" ] &&
		[ "$(q robotid_upgrade_tampered "SELECT count(*) FROM pg_attribute WHERE attrelid = 'robot_registry.robots'::regclass
		                                   AND attname = 'custodian' AND NOT attisdropped")" = 0 ] &&
		[ -z "$(q robotid_upgrade_tampered "SELECT to_regclass('robot_registry.transfer_codes')")" ]
	ok $? "a $from registry with a robot's row changed outside the log ($change) is refused (55000), naming the robot, and left as it was" ||
		echo "$out"
	dropdb robotid_upgrade_tampered
}

# A 1.2 registry as 1.2 made it: the released scripts, the 1.2 generator,
# and actors' moves, a direct market event, sales to a party that is
# known and to one that is not, a remedy, a manufacturer's recall and
# registration; plus a user's table and views over it.
createdb "$db"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" > "$work/populate.out" 2>&1 <<SQL
CREATE EXTENSION robotid VERSION '1.2';
SELECT robot_registry_install();
CALL robot_registry.generate_demo(2000, 20, 2);
$MAP_ACTORS
SET ROLE upgrade_robotid_operator;
SELECT robot_registry.transition(id, 'maintenance', '{"reason": "before the upgrade"}')
  FROM robot_registry.robots WHERE state = 'deployed' AND NOT recalled ORDER BY id LIMIT 20;
SET ROLE upgrade_robotid_seller;
INSERT INTO robot_registry.market_events (robot_id, kind, party, detail)
SELECT id, 'sale', 'Lease Co', '{"lease": true}' FROM robot_registry.robots
 WHERE state = 'maintenance' AND NOT recalled ORDER BY id LIMIT 3;
SELECT robot_registry.transition(id, 'sold', '{"owner": "Second Hand Ltd", "party": "Second Hand Ltd"}')
  FROM robot_registry.robots WHERE state = 'maintenance' AND NOT recalled ORDER BY id DESC LIMIT 3;
SELECT robot_registry.transition(id, 'sold', '{"owner": "Fleet Co", "party": "upgrade_robotid_operator"}')
  FROM robot_registry.robots WHERE state = 'maintenance' AND NOT recalled ORDER BY id DESC LIMIT 2;
SET ROLE upgrade_robotid_service;
SELECT robot_registry.remedy(id, '{"action": "before the upgrade"}')
  FROM robot_registry.robots WHERE state = 'maintenance' AND recalled ORDER BY id LIMIT 2;
SET ROLE upgrade_robotid_maker;
SELECT robot_registry.open_recall('860003000001', 'a manufacturer''s recall of 1.2');
SELECT robot_registry.register_robot('86000300000220260101999999999', 'Maker', 'factory');
RESET ROLE;
CREATE TABLE public.fleet (robot robot_id PRIMARY KEY REFERENCES robot_registry.robots, note text);
INSERT INTO public.fleet SELECT id, 'ours' FROM robot_registry.robots ORDER BY id LIMIT 10;
CREATE VIEW public.fleet_states AS SELECT f.robot, r.state FROM public.fleet f JOIN robot_registry.robots r ON r.id = f.robot;
CREATE VIEW public.recent_events AS SELECT robot_id, kind, at FROM robot_registry.events WHERE at > now() - interval '30 days';
SQL
ok $? "a 1.2 registry from the released 1.2 scripts, populated by the 1.2 generator and by actors"
[ "$(q "$db" "SELECT count(*) FROM robot_registry.market_events WHERE recorded_by = 'upgrade_robotid_seller' AND party = 'Lease Co'")" = 3 ]
ok $? "the 1.2 registry holds direct market events, which 1.2 did not log"

# the 1.2 tables, row for row on their 1.2 columns, and their oids.  The
# upgrade adds rows to two of them: the custody derived for each robot to
# events, and the service provider's move of a private owner's robot into
# maintenance (1.5) to actor_moves; the rows they had are compared.
TABLES_1_2="manufacturers models actors actor_moves robots recalls recall_robots events market_events"
NEW_MOVE="('service_provider', 'sold', 'maintenance')"
digest_1_2() {
	local old="true"
	case "$2" in
	events) old="event_id <= $(cat "$work/last_event_$1")" ;;
	actor_moves) old="(kind::text, from_state::text, to_state::text) <> $NEW_MOVE" ;;
	esac
	q "$1" "SELECT count(*) || ':' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))
	          FROM (SELECT $3 FROM robot_registry.$2 WHERE $old) t"
}
q "$db" "SELECT max(event_id) FROM robot_registry.events" > "$work/last_event_$db"
for t in $TABLES_1_2; do
	cols=$(q "$db" "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
	                 WHERE attrelid = 'robot_registry.$t'::regclass AND attnum > 0 AND NOT attisdropped")
	echo "$t|$cols|$(digest_1_2 "$db" "$t" "$cols")" >> "$work/before"
done
expected_custody "$db" > "$work/expected_1.2"
check_tampered_refused "$db" 1.2 "state = 'retired'"
oids() {
	q "$1" "SELECT string_agg(relname || '=' || oid, ' ' ORDER BY relname) FROM pg_class
	         WHERE relnamespace = 'robot_registry'::regnamespace AND relname IN ('$(echo $TABLES_1_2 | sed "s/ /', '/g")')"
}
oids_before=$(oids "$db")

q "$db" "ALTER EXTENSION robotid UPDATE" >/dev/null 2>&1 &&
	[ "$(q "$db" "SELECT extversion FROM pg_extension WHERE extname = 'robotid'")" = 1.5 ]
ok $? "ALTER EXTENSION robotid UPDATE to 1.5 leaves the registry alone"
[ -z "$(q "$db" "SELECT to_regprocedure('robot_registry.version()')")" ]
ok $? "a 1.2 registry has no version()"

psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -c "SELECT robot_registry_upgrade()" > "$work/upgrade.out" 2>&1
status=$?
[ "$status" = 0 ] && grep -q '^1.5$' "$work/upgrade.out" && grep -q 'registry upgraded from 1.2 to 1.5' "$work/upgrade.out"
ok $? "robot_registry_upgrade() upgrades it from 1.2 to 1.5" || cat "$work/upgrade.out"
[ "$(q "$db" "SELECT robot_registry.version()")" = 1.5 ]
ok $? "version() says 1.5"
check_custody "$db" 1.2 "$work/expected_1.2"

while IFS='|' read -r t cols digest; do
	[ "$(digest_1_2 "$db" "$t" "$cols")" = "$digest" ]
	ok $? "robot_registry.$t unchanged row for row on its 1.2 columns (${digest%%:*} rows)"
done < "$work/before"
[ "$(oids "$db")" = "$oids_before" ]
ok $? "every 1.2 table altered in place, none recreated (same oids)"
[ "$(q "$db" "SELECT count(*) FROM robot_registry.actor_moves WHERE (kind::text, from_state::text, to_state::text) = $NEW_MOVE")" = 1 ]
ok $? "actor_moves gained the service provider's move of a private owner's robot into maintenance"

[ "$(q "$db" "SELECT count(*) || ' ' || string_agg(DISTINCT state::text, ',') FROM public.fleet_states")" = "10 $(q "$db" "SELECT string_agg(DISTINCT r.state::text, ',') FROM public.fleet f JOIN robot_registry.robots r ON r.id = f.robot")" ] &&
	[ "$(q "$db" "SELECT confrelid::regclass FROM pg_constraint WHERE conrelid = 'public.fleet'::regclass AND contype = 'f'")" = robot_registry.robots ] &&
	q "$db" "SELECT count(*) FROM public.recent_events" >/dev/null
ok $? "a user's table with a foreign key to robots and user views over robots and events survive"

[ "$(q "$db" "SELECT count(*) FROM robot_registry.market_events WHERE event_id IS NULL")" = 3 ] &&
	[ "$(q "$db" "SELECT count(*) FROM robot_registry.market_events m WHERE event_id IS NULL
	              AND NOT EXISTS (SELECT 1 FROM robot_registry.ledger l
	                               WHERE l.subject = 'market_events' AND l.subject_key = m.market_event_id::text)")" = 0 ] &&
	[ "$(q "$db" "SELECT count(*) FROM robot_registry.market_events m JOIN robot_registry.events e USING (event_id)
	              WHERE e.kind = 'moved' AND e.robot_id::text = m.robot_id::text")" = \
	  "$(q "$db" "SELECT count(*) FROM robot_registry.market_events WHERE event_id IS NOT NULL")" ]
ok $? "each market event a 1.2 move wrote names its move; the 3 recorded directly are in the ledger"
[ "$(q "$db" "SELECT count(*) FROM robot_registry.events WHERE row_hash IS NULL")" = \
  "$(q "$db" "SELECT count(*) FROM robot_registry.events WHERE event_id <= $(cat "$work/last_event_$db")")" ] &&
	[ "$(q "$db" "SELECT count(*) FROM robot_registry.events WHERE row_hash IS NULL AND event_id > $(cat "$work/last_event_$db")")" = 0 ]
ok $? "every 1.2 event keeps its hash, and has no row hash (the upgrade's events have one)"

[ "$(q "$db" 'SELECT count(*) FROM robot_registry.verify()')" = 0 ]
ok $? "verify() passes on the upgraded registry"
[ "$(q "$db" 'SELECT count(*) FROM robot_registry.rule_breaks')" = 0 ]
ok $? "no rule breaks after the upgrade"
[ "$(q "$db" "SELECT count(*) || ' ' || bool_and(robot_registry.verify_checkpoint(upto_event_id, root)) FROM robot_registry.checkpoints")" = "1 true" ]
ok $? "the upgrade took a checkpoint of the history it found, and it verifies"

# the schema, object for object, against a fresh install
createdb "$fresh"
psql -X -q -v ON_ERROR_STOP=1 -d "$fresh" -c "CREATE EXTENSION robotid" -c "SELECT robot_registry_install()" \
	-c "INSERT INTO robot_registry.manufacturers VALUES ('860003', 'Maker')" -c "$MAP_ACTORS" >/dev/null
dump_schema() {
	pg_dump --schema-only -n robot_registry -d "$1" | grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict' -e '^$'
}
dump_schema "$db" > "$work/upgraded.sql"
dump_schema "$fresh" > "$work/fresh.sql"
diff -u "$work/fresh.sql" "$work/upgraded.sql" > "$work/schema.diff"
ok $? "the schema upgraded from 1.2 dumps exactly as a fresh 1.5 install's (pg_dump --schema-only -n robot_registry)" ||
	head -60 "$work/schema.diff"

# the upgraded registry at work: 1.5 events after 1.2 ones, the operator
# moving a robot the upgrade found it held
moved=$(psql -X -q -At -d "$db" 2>&1 <<'SQL'
SET ROLE upgrade_robotid_operator;
SELECT (robot_registry.transition(id, 'deployed', '{"reason": "after the upgrade"}')).revision FROM robot_registry.robots
 WHERE state = 'maintenance' AND NOT recalled AND custodian = 'upgrade_robotid_operator' ORDER BY id LIMIT 1;
SET ROLE upgrade_robotid_maker;
SELECT (robot_registry.close_recall(recall_id)).closed_by FROM robot_registry.recalls WHERE reason = 'a manufacturer''s recall of 1.2';
RESET ROLE;
SELECT count(*) FROM robot_registry.verify();
SELECT robot_registry.scan(id::text) ->> 'market_allowed' FROM robot_registry.robots WHERE state = 'deployed' AND NOT recalled ORDER BY id LIMIT 1;
SQL
)
[ "$moved" = "$(printf '2\nupgrade_robotid_maker\n0\ntrue')" ]
ok $? "the upgraded registry works: an actor's move, a 1.2 recall closed by the manufacturer that opened it, verify(), scan()" ||
	echo "$moved"

registry_digests "$db" > "$work/digests"
again=$(psql -X -q -At -d "$db" -c "SELECT robot_registry_upgrade()" 2>&1)
case "$again" in *"already at version 1.5: nothing to do"*1.5*) r=0 ;; *) r=1 ;; esac
registry_digests "$db" | diff -q - "$work/digests" >/dev/null && [ "$r" = 0 ]
ok $? "a second robot_registry_upgrade() changes nothing"

# tampering with events written before the upgrade is still found
edited=$(psql -X -q -At -v VERBOSITY=verbose -d "$db" 2>&1 <<'SQL'
SET session_replication_role = replica;
UPDATE robot_registry.events SET detail = '{"forged": true}' WHERE event_id = (SELECT min(event_id) FROM robot_registry.events);
SQL
)
case "$edited" in *23514*events_row_hash_recorded*) r=0 ;; *) r=1 ;; esac
ok $r "a 1.2 event cannot be edited in place even with the triggers off (23514, events_row_hash_recorded)" || echo "$edited"
tampered=$(psql -X -q -At -d "$db" 2>&1 <<'SQL'
BEGIN;
SET session_replication_role = replica;
ALTER TABLE robot_registry.events DROP CONSTRAINT events_row_hash_recorded;
CREATE TEMP TABLE victim AS
SELECT event_id, robot_id::text AS robot FROM robot_registry.events e
 WHERE row_hash IS NULL AND EXISTS (SELECT 1 FROM robot_registry.events n
                                     WHERE n.robot_id = e.robot_id AND n.event_id > e.event_id AND n.row_hash IS NULL)
 ORDER BY event_id LIMIT 1;
UPDATE robot_registry.events SET detail = '{"forged": true}' WHERE event_id = (SELECT event_id FROM victim);
SELECT v.event_id = b.event_id, b.problem FROM victim v, robot_registry.verify(v.robot::robot_id) b;
SELECT bool_and(robot_registry.verify_checkpoint(upto_event_id, root)) FROM robot_registry.checkpoints;
ROLLBACK;
BEGIN;
SET session_replication_role = replica;
UPDATE robot_registry.market_events SET party = 'Forged' WHERE event_id IS NULL;
SELECT count(*) FROM robot_registry.verify() WHERE problem LIKE 'market_events %: the row is not the one its last entry recorded%';
ROLLBACK;
SQL
)
[ "$tampered" = "$(printf 't|hash does not match the event: it was altered\nf\n3')" ]
ok $? "a 1.2 event or a 1.2 direct market event tampered with after the upgrade is found by verify() and the checkpoint" ||
	echo "$tampered"
forged=$(psql -X -q -At -v VERBOSITY=verbose -d "$db" 2>&1 <<'SQL'
SET session_replication_role = replica;
INSERT INTO robot_registry.events (robot_id, kind, recalled, actor, hash)
SELECT robot_id, 'edited', recalled, 'mallory', hash FROM robot_registry.events ORDER BY event_id DESC LIMIT 1;
SQL
)
case "$forged" in *23514*events_row_hash_recorded*) r=0 ;; *) r=1 ;; esac
ok $r "a new event without a row hash (one passing as 1.2) is refused, triggers or not" || echo "$forged"

# a dump of the upgraded registry restores, 1.2 rows and all
pg_dump -Fc -f "$work/upgraded.dump" "$db" && createdb robotid_upgrade_restored &&
	pg_restore --exit-on-error -d robotid_upgrade_restored "$work/upgraded.dump"
ok $? "pg_dump and pg_restore of the upgraded registry"
check_rows_match robotid_upgrade_restored "$work/digests"
check_verified robotid_upgrade_restored

# refusals, each with its SQLSTATE
sqlstate() { psql -X -q -At -v VERBOSITY=verbose -d "$1" -c "$2" 2>&1 | sed -n 's/^ERROR:  \([0-9A-Z]\{5\}\): .*/\1/p' | head -1; }
for v in 1.6:0A000 2.0:0A000 1.1:55000 banana:55000; do
	got=$(psql -X -q -At -v VERBOSITY=verbose -d "$db" 2>&1 <<SQL
BEGIN;
CREATE OR REPLACE FUNCTION robot_registry.version() RETURNS text LANGUAGE sql AS \$\$ SELECT '${v%%:*}' \$\$;
SELECT robot_registry_upgrade();
ROLLBACK;
SQL
)
	case "$got" in *"ERROR:  ${v##*:}: "*) r=0 ;; *) r=1 ;; esac
	ok $r "a registry that says it is ${v%%:*} is refused with ${v##*:}: $(echo "$got" | sed -n 's/^ERROR:  [0-9A-Z]*: //p' | head -1)"
done
createdb robotid_upgrade_none
q robotid_upgrade_none "CREATE EXTENSION robotid" >/dev/null
[ "$(sqlstate robotid_upgrade_none "SELECT robot_registry_upgrade()")" = 3F000 ]
ok $? "without a registry, robot_registry_upgrade() fails with 3F000"
[ "$(q "$db" "SELECT has_function_privilege('public', 'robot_registry_upgrade()', 'EXECUTE')
              OR has_function_privilege('public', 'robot_registry_install_demo()', 'EXECUTE')")" = f ] &&
	[ "$(sqlstate "$db" "SET ROLE upgrade_robotid_seller; SELECT robot_registry_upgrade()")" = 42501 ]
ok $? "robot_registry_upgrade() and robot_registry_install_demo() are revoked from PUBLIC"

# a 1.2 registry whose history does not verify is not upgraded
createdb robotid_upgrade_broken
psql -X -q -v ON_ERROR_STOP=1 -d robotid_upgrade_broken >/dev/null 2>&1 <<'SQL'
CREATE EXTENSION robotid VERSION '1.2';
SELECT robot_registry_install();
CALL robot_registry.generate_demo(200, 3, 1);
SET session_replication_role = replica;
UPDATE robot_registry.events SET actor = 'mallory' WHERE event_id = 7;
SQL
q robotid_upgrade_broken "ALTER EXTENSION robotid UPDATE" >/dev/null 2>&1
broken=$(psql -X -q -At -v VERBOSITY=verbose -d robotid_upgrade_broken -c "SELECT robot_registry_upgrade()" 2>&1)
robot=$(q robotid_upgrade_broken "SELECT robot_id FROM robot_registry.events WHERE event_id = 7")
case "$broken" in *"ERROR:  55000: the registry does not verify"*"robot $robot: hash does not match the event: it was altered"*) r=0 ;; *) r=1 ;; esac
[ "$r" = 0 ] && [ -z "$(q robotid_upgrade_broken "SELECT to_regclass('robot_registry.ledger')")" ]
ok $? "a 1.2 registry with an altered event is refused (55000), naming the robot, and left as it was" || echo "$broken"

# The registry's pgTAP suite, with its install replaced by the released
# 1.2 install and an upgrade (the regress and other pgTAP files install
# the registry themselves and count exact ids, so they need a fresh one).
createdb robotid_upgrade_tap
q robotid_upgrade_tap "CREATE EXTENSION pgtap" >/dev/null
sed -e "s/^CREATE EXTENSION robotid;$/CREATE EXTENSION robotid VERSION '1.2';/" \
    -e "s/^SELECT robot_registry_install();$/SELECT robot_registry_install(); ALTER EXTENSION robotid UPDATE; SELECT robot_registry_upgrade();/" \
    "$(dirname "$0")/pgtap/04_registry.sql" > "$work/04_registry_upgraded.sql"
grep -q "robot_registry_upgrade()" "$work/04_registry_upgraded.sql" &&
	pg_prove -d robotid_upgrade_tap "$work/04_registry_upgraded.sql" > "$work/tap.out" 2>&1
ok $? "test/pgtap/04_registry.sql passes against a registry upgraded from 1.2 ($(sed -n 's/^Files=[0-9]*, Tests=\([0-9]*\),.*/\1/p' "$work/tap.out") tests)" ||
	grep -v '^ok' "$work/tap.out" | head -20

# a user's view over a registry view stops the upgrade, which says why
createdb robotid_upgrade_dependent
psql -X -q -v ON_ERROR_STOP=1 -d robotid_upgrade_dependent >/dev/null 2>&1 <<'SQL'
CREATE EXTENSION robotid VERSION '1.2';
SELECT robot_registry_install();
CREATE VIEW public.my_recalls AS SELECT recall_id FROM robot_registry.open_recalls;
ALTER EXTENSION robotid UPDATE;
SQL
dependent=$(psql -X -q -At -v VERBOSITY=verbose -d robotid_upgrade_dependent -c "SELECT robot_registry_upgrade()" 2>&1)
case "$dependent" in *"ERROR:  2BP01: cannot drop view robot_registry.open_recalls"*"view public.my_recalls depends on"*"create them again after the upgrade"*) r=0 ;; *) r=1 ;; esac
[ "$r" = 0 ] && q robotid_upgrade_dependent "DROP VIEW public.my_recalls" >/dev/null &&
	[ "$(q robotid_upgrade_dependent "SELECT robot_registry_upgrade()" 2>/dev/null)" = 1.5 ]
ok $? "a user's view over a registry view stops the upgrade (2BP01) with what to do; without it the upgrade runs" || echo "$dependent"

# A 1.3 registry, as the released 1.3 scripts and generator made it, with
# actors' moves, sales and recalls: upgraded in place to 1.5, rows and
# oids unchanged, the recalls' ledger entries carried over to their new
# column, the custodians derived, verify() clean, and the schema a fresh
# install's but for the order of the two columns 1.3 had elsewhere
# (ALTER TABLE cannot move a column).
from13=robotid_upgrade_from_1_3
createdb "$from13"
psql -X -q -v ON_ERROR_STOP=1 -d "$from13" > "$work/populate13.out" 2>&1 <<SQL
CREATE EXTENSION robotid VERSION '1.3';
SELECT robot_registry_install();
CALL robot_registry.generate_demo(1000, 10, 2);
$MAP_ACTORS
SET ROLE upgrade_robotid_operator;
SELECT robot_registry.transition(id, 'maintenance', '{"reason": "before the upgrade"}')
  FROM robot_registry.robots WHERE state = 'deployed' AND NOT recalled ORDER BY id LIMIT 10;
SET ROLE upgrade_robotid_seller;
SELECT robot_registry.transition(id, 'sold', '{"owner": "Fleet Co", "party": "upgrade_robotid_operator"}')
  FROM robot_registry.robots WHERE state = 'maintenance' AND NOT recalled ORDER BY id DESC LIMIT 2;
SELECT robot_registry.transition(id, 'sold', '{"owner": "A. Person"}')
  FROM robot_registry.robots WHERE state = 'maintenance' AND NOT recalled ORDER BY id DESC LIMIT 2;
SET ROLE upgrade_robotid_maker;
SELECT robot_registry.open_recall('860003000001', 'a manufacturer''s recall of 1.3');
RESET ROLE;
CREATE TABLE public.fleet (robot robot_id PRIMARY KEY REFERENCES robot_registry.robots, note text);
INSERT INTO public.fleet SELECT id, 'ours' FROM robot_registry.robots ORDER BY id LIMIT 10;
SQL
ok $? "a 1.3 registry from the released 1.3 scripts, populated by the 1.3 generator and by actors" ||
	tail -5 "$work/populate13.out"
TABLES_1_3="$TABLES_1_2 ledger checkpoints model_gates scans"
q "$from13" "SELECT max(event_id) FROM robot_registry.events" > "$work/last_event_$from13"
: > "$work/before13"
for t in $TABLES_1_3; do
	cols=$(q "$from13" "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
	                     WHERE attrelid = 'robot_registry.$t'::regclass AND attnum > 0 AND NOT attisdropped")
	echo "$t|$cols|$(digest_1_2 "$from13" "$t" "$cols")" >> "$work/before13"
done
oids13=$(q "$from13" "SELECT string_agg(relname || '=' || oid, ' ' ORDER BY relname) FROM pg_class
                       WHERE relnamespace = 'robot_registry'::regnamespace AND relkind = 'r'")
expected_custody "$from13" > "$work/expected_1.3"
check_tampered_refused "$from13" 1.3 "owner_name = 'Mallory'"
upgraded13=$(psql -X -q -At -v ON_ERROR_STOP=1 -d "$from13" -c "ALTER EXTENSION robotid UPDATE" \
	-c "SELECT robot_registry_upgrade()" 2>&1)
case "$upgraded13" in *"registry upgraded from 1.3 to 1.5"*) r=0 ;; *) r=1 ;; esac
ok $r "robot_registry_upgrade() recognises the 1.3 registry and upgrades it to 1.5" || echo "$upgraded13"
check_custody "$from13" 1.3 "$work/expected_1.3"
while IFS='|' read -r t cols digest; do
	[ "$t" = ledger ] && continue		# it grows by the upgrade's entries
	[ "$t" = checkpoints ] && continue	# and by its checkpoint
	[ "$(digest_1_2 "$from13" "$t" "$cols")" = "$digest" ]
	ok $? "robot_registry.$t of 1.3 unchanged row for row on its 1.3 columns (${digest%%:*} rows)"
done < "$work/before13"
[ "$(q "$from13" "SELECT string_agg(relname || '=' || oid, ' ' ORDER BY relname) FROM pg_class
                   WHERE relnamespace = 'robot_registry'::regnamespace AND relkind = 'r'
                     AND relname NOT LIKE 'defect\_%' AND relname NOT IN ('transfer_codes', 'custody_claims')")" = "$oids13" ]
ok $? "every 1.3 table altered in place, none recreated (same oids)"
[ "$(q "$from13" "SELECT count(*) FROM robot_registry.ledger l WHERE l.subject = 'recalls' AND l.op = 'upgrade'")" = \
  "$(q "$from13" "SELECT count(*) FROM robot_registry.recalls")" ] &&
	[ "$(q "$from13" 'SELECT count(*) FROM robot_registry.verify()')" = 0 ]
ok $? "each recall's ledger chain records its new defect_category column, and verify() passes"
normalized_schema() {
	# the lines of each table and view in sorted order: a column's place,
	# and with it the order of a view's columns over SELECT *, may differ
	dump_schema "$1" | awk '/^CREATE (TABLE|VIEW)/ {print; inside = 1; n = 0; next}
		inside {sub(/,$/, ""); cols[++n] = $0}
		inside && /;$/ {for (i = 1; i <= n; i++) print cols[i] | "sort"; close("sort"); inside = 0; next}
		inside {next} {print}'
}
normalized_schema "$fresh" > "$work/fresh13.sql"
normalized_schema "$from13" > "$work/upgraded13.sql"
diff -u "$work/fresh13.sql" "$work/upgraded13.sql" > "$work/schema13.diff"
ok $? "the schema upgraded from 1.3 dumps as a fresh 1.5 install's, columns in any order" ||
	head -40 "$work/schema13.diff"
moved13=$(psql -X -q -At -d "$from13" 2>&1 <<'SQL'
SET ROLE upgrade_robotid_operator;
SELECT (robot_registry.report_defect(id, 'knee actuator', 'after the upgrade')).report_id IS NOT NULL
  FROM robot_registry.robots WHERE state = 'maintenance' AND custodian = 'upgrade_robotid_operator' ORDER BY id LIMIT 1;
SELECT (robot_registry.transition(id, 'deployed', '{"reason": "after the upgrade"}')).state FROM robot_registry.robots
 WHERE state = 'maintenance' AND NOT recalled AND custodian = 'upgrade_robotid_operator' ORDER BY id LIMIT 1;
RESET ROLE;
SELECT count(*) FROM robot_registry.verify();
SELECT robot_registry_upgrade();
SQL
)
[ "$(echo "$moved13" | head -3 | tr '\n' ' ')" = "t deployed 0 " ] && echo "$moved13" | grep -q '^1.5$'
ok $? "the registry upgraded from 1.3 works: a defect report, a move, verify(), and a second upgrade does nothing" ||
	echo "$moved13"

# A 1.4 registry, as the released 1.4 scripts and generator made it, with
# data written through the 1.4 functions by actors: moves, a direct market
# event, sales to a known party and to a private owner, a remedy, a
# manufacturer's recall, registrations and a direct sale, a defect report,
# and moves by an actor whose mapping was removed before the upgrade.
# Upgraded in place to 1.5: rows and oids unchanged, the custodians
# derived, verify() clean, the schema exactly a fresh install's, and
# custody at work afterwards.
from14=robotid_upgrade_from_1_4
createdb "$from14"
psql -X -q -v ON_ERROR_STOP=1 -d "$from14" > "$work/populate14.out" 2>&1 <<SQL
CREATE EXTENSION robotid VERSION '1.4';
SELECT robot_registry_install();
SELECT robot_registry_install_demo();
CALL robot_registry.generate_demo(1000, 10, 2);
$MAP_ACTORS
INSERT INTO robot_registry.actors VALUES ('upgrade_robotid_gone', 'operator', NULL);
SET ROLE upgrade_robotid_operator;
SELECT robot_registry.transition(id, 'maintenance', '{"reason": "before the upgrade"}')
  FROM robot_registry.robots WHERE state = 'deployed' AND NOT recalled ORDER BY id LIMIT 10;
SET ROLE upgrade_robotid_gone;
SELECT robot_registry.transition(id, 'maintenance', '{"reason": "before the upgrade"}')
  FROM robot_registry.robots WHERE state = 'deployed' AND NOT recalled ORDER BY id DESC LIMIT 2;
SET ROLE upgrade_robotid_seller;
INSERT INTO robot_registry.market_events (robot_id, kind, party, detail)
SELECT id, 'sale', 'Lease Co', '{"lease": true}' FROM robot_registry.robots
 WHERE state = 'maintenance' AND NOT recalled ORDER BY id LIMIT 2;
SELECT robot_registry.transition(id, 'sold', '{"owner": "Fleet Co", "party": "upgrade_robotid_operator"}')
  FROM robot_registry.robots WHERE state = 'maintenance' AND NOT recalled ORDER BY id LIMIT 2 OFFSET 2;
SELECT robot_registry.transition(id, 'sold', '{"owner": "A. Person", "party": "A. Person"}')
  FROM robot_registry.robots WHERE state = 'maintenance' AND NOT recalled ORDER BY id LIMIT 2 OFFSET 4;
SET ROLE upgrade_robotid_service;
SELECT robot_registry.remedy(id, '{"action": "before the upgrade"}')
  FROM robot_registry.robots WHERE state = 'maintenance' AND recalled ORDER BY id LIMIT 2;
SET ROLE upgrade_robotid_maker;
SELECT robot_registry.open_recall('860003000001', 'a manufacturer''s recall of 1.4');
SELECT robot_registry.register_robot(id, 'Maker', 'factory')
  FROM unnest(ARRAY['86000300000220260101999999998', '86000300000220260101999999999']::robot_id[]) id;
SELECT robot_registry.transition('86000300000220260101999999999', 'sold', '{"owner": "Dealer", "party": "upgrade_robotid_seller"}');
SELECT robot_registry.report_defect('86000300000220260101999999998', 'knee actuator', 'before the upgrade');
RESET ROLE;
DELETE FROM robot_registry.actors WHERE role_name = 'upgrade_robotid_gone';
CREATE TABLE public.fleet (robot robot_id PRIMARY KEY REFERENCES robot_registry.robots, note text);
INSERT INTO public.fleet SELECT id, 'ours' FROM robot_registry.robots ORDER BY id LIMIT 10;
SQL
ok $? "a 1.4 registry from the released 1.4 scripts, populated by the 1.4 generator and through the 1.4 functions by actors" ||
	tail -5 "$work/populate14.out"
TABLES_1_4="$TABLES_1_3 defect_reports defect_thresholds defect_crossings"
q "$from14" "SELECT max(event_id) FROM robot_registry.events" > "$work/last_event_$from14"
: > "$work/before14"
for t in $TABLES_1_4; do
	cols=$(q "$from14" "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
	                     WHERE attrelid = 'robot_registry.$t'::regclass AND attnum > 0 AND NOT attisdropped")
	echo "$t|$cols|$(digest_1_2 "$from14" "$t" "$cols")" >> "$work/before14"
done
oids14=$(q "$from14" "SELECT string_agg(relname || '=' || oid, ' ' ORDER BY relname) FROM pg_class
                       WHERE relnamespace = 'robot_registry'::regnamespace AND relkind = 'r'")
expected_custody "$from14" > "$work/expected_1.4"
check_tampered_refused "$from14" 1.4 "owner_name = 'Mallory'"
upgraded14=$(psql -X -q -At -v ON_ERROR_STOP=1 -d "$from14" -c "ALTER EXTENSION robotid UPDATE" \
	-c "SELECT robot_registry_upgrade()" 2>&1)
case "$upgraded14" in *"registry upgraded from 1.4 to 1.5"*1.5) r=0 ;; *) r=1 ;; esac
[ "$r" = 0 ] && [ "$(q "$from14" "SELECT extversion FROM pg_extension WHERE extname = 'robotid'")" = 1.5 ] &&
	[ "$(q "$from14" "SELECT robot_registry.version()")" = 1.5 ]
ok $? "ALTER EXTENSION robotid UPDATE and robot_registry_upgrade() bring the 1.4 registry to 1.5" || echo "$upgraded14"
check_custody "$from14" 1.4 "$work/expected_1.4"
[ "$(q "$from14" "SELECT custodian FROM robot_registry.robots WHERE id = '86000300000220260101999999998'")" = upgrade_robotid_maker ] &&
	[ "$(q "$from14" "SELECT custodian FROM robot_registry.robots WHERE id = '86000300000220260101999999999'")" = upgrade_robotid_seller ] &&
	[ "$(q "$from14" "SELECT count(*) FROM robot_registry.robots WHERE custodian = 'upgrade_robotid_gone'")" = 2 ] &&
	[ "$(q "$from14" "SELECT string_agg(DISTINCT handed_by, ',') FROM robot_registry.transfer_codes t
	                   JOIN robot_registry.robots r ON r.id = t.robot_id WHERE r.owner_name = 'A. Person'")" = upgrade_robotid_seller ]
ok $? "the 1.4 actors' robots: the maker's registration, its direct sale to a known party, the unmapped mover's, the private sale's seller"
while IFS='|' read -r t cols digest; do
	[ "$t" = ledger ] && continue		# it grows by the upgrade's entries
	[ "$t" = checkpoints ] && continue	# and by its checkpoint
	[ "$(digest_1_2 "$from14" "$t" "$cols")" = "$digest" ]
	ok $? "robot_registry.$t of 1.4 unchanged row for row on its 1.4 columns (${digest%%:*} rows)"
done < "$work/before14"
[ "$(q "$from14" "SELECT string_agg(relname || '=' || oid, ' ' ORDER BY relname) FROM pg_class
                   WHERE relnamespace = 'robot_registry'::regnamespace AND relkind = 'r'
                     AND relname NOT IN ('transfer_codes', 'custody_claims', 'defect_waivers')")" = "$oids14" ]
ok $? "every 1.4 table altered in place, none recreated (same oids)"
[ "$(q "$from14" 'SELECT count(*) FROM robot_registry.verify()')" = 0 ] &&
	[ "$(q "$from14" 'SELECT count(*) FROM robot_registry.rule_breaks')" = 0 ] &&
	[ "$(q "$from14" "SELECT count(*) || ' ' || bool_and(robot_registry.verify_checkpoint(upto_event_id, root)) FROM robot_registry.checkpoints")" = "1 true" ]
ok $? "verify() and rule_breaks empty after the upgrade from 1.4, and its checkpoint verifies"
dump_schema "$from14" > "$work/upgraded14.sql"
diff -u "$work/fresh.sql" "$work/upgraded14.sql" > "$work/schema14.diff"
ok $? "the schema upgraded from 1.4 dumps exactly as a fresh 1.5 install's" || head -60 "$work/schema14.diff"

# custody at work on the upgraded registry: the party the upgrade found
# holding a robot moves it, another is refused (42501, robot_custody), and
# the seller of a private owner's robot issues the code a service
# provider takes it with
worked14=$(psql -X -q -At -v VERBOSITY=verbose -d "$from14" 2>&1 <<'SQL'
SET ROLE upgrade_robotid_operator;
SELECT (robot_registry.transition(id, 'deployed', '{"reason": "after the upgrade"}')).custodian FROM robot_registry.robots
 WHERE state = 'sold' AND custodian = 'upgrade_robotid_operator' ORDER BY id LIMIT 1;
SET ROLE upgrade_robotid_seller;
SELECT robot_registry.transition(id, 'sold', '{"owner": "Nobody"}') FROM robot_registry.robots
 WHERE state = 'manufactured' AND NOT recalled AND custodian = 'postgres' ORDER BY id LIMIT 1;
SELECT robot_registry.transfer_code(id) AS code FROM robot_registry.robots
 WHERE owner_name = 'A. Person' ORDER BY id LIMIT 1 \gset
SET ROLE upgrade_robotid_service;
SELECT (robot_registry.receive(id, :'code', '{"reason": "service"}')).custodian FROM robot_registry.robots
 WHERE owner_name = 'A. Person' ORDER BY id LIMIT 1;
RESET ROLE;
SELECT count(*) FROM robot_registry.verify();
SQL
)
case "$worked14" in
"upgrade_robotid_operator"*"ERROR:  42501: robot "*" is not held by party upgrade_robotid_seller"*"upgrade_robotid_service"*) r=0 ;;
*) r=1 ;;
esac
[ "$r" = 0 ] && [ "$(echo "$worked14" | tail -1)" = 0 ]
ok $? "the registry upgraded from 1.4 works under custody: a holder's move, a refusal (42501), a transfer code received, verify()" ||
	echo "$worked14"

finish_tap
