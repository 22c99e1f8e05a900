#!/usr/bin/env bash
# A logical copy of the registry: a publisher with the registry publishes
# every table of schema robot_registry; a second cluster with robotid and
# the registry's schema (pg_dump --schema-only) subscribes in binary mode,
# so robot_id travels through its send and receive functions.  The apply
# worker runs with session_replication_role = replica, so the copy's
# triggers neither re-check the rules nor log events again: the rows
# arrive with the publisher's hashes, and verify() is clean on the copy.
# Then the copy is made a primary as the README says (the subscription
# dropped, log_sequence and every identity column's sequence set past the
# copied rows) and takes writes of every kind that draws on them.  Runs
# its own clusters (ports ROBOTID_LOGICAL_PORT, 5478, and +1); prints TAP.
#
#   bash test/logical.sh
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROBOTID_ROOT/test/registry_checks.sh"
source "$ROBOTID_ROOT/test/clusters.sh"
port=${ROBOTID_LOGICAL_PORT:-5478}
db=robotid_logical
REGISTRY_TABLES="$REGISTRY_TABLES scans model_gates"

log "a publisher with the registry, and a subscriber with its schema"
node_init pub "$port" "wal_level = logical"
node_init sub $((port + 1))
at pub createdb "$db"
at pub populate_registry "$db"
ok $? "a populated registry on the publisher"
at pub psql -X -q -d "$db" -v ON_ERROR_STOP=1 -c "CREATE ROLE logical_regulator LOGIN" \
	-c "CREATE ROLE logical_service LOGIN" >/dev/null
# roles are per cluster: the copy gets the publisher's, then the schema
at pub pg_dumpall --roles-only --no-role-passwords | grep -v -e '^CREATE ROLE postgres;' -e '^ALTER ROLE postgres ' |
	at sub psql -X -q -v ON_ERROR_STOP=1 -d postgres >/dev/null
ok $? "the publisher's roles on the subscriber"
at sub createdb "$db"
at pub pg_dump --schema-only -d "$db" | at sub psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null
ok $? "the registry's schema on the subscriber (pg_dump --schema-only, robotid included)"
# the copy grants a newly mapped actor its privileges as the publisher
# does: this trigger writes no row, it only grants
at sub psql -X -q -d "$db" -c "ALTER TABLE robot_registry.actors ENABLE ALWAYS TRIGGER actors_privileges" >/dev/null
ok $? "the copy's actors_privileges trigger fires for replicated rows too (ENABLE ALWAYS)"

at pub psql -X -q -d "$db" -c "CREATE PUBLICATION robot_registry FOR TABLES IN SCHEMA robot_registry" >/dev/null
ok $? "a publication of every table in schema robot_registry"
at sub psql -X -q -d "$db" -c "CREATE SUBSCRIPTION robot_registry CONNECTION '$(node_conninfo pub robot_registry) dbname=$db'
	PUBLICATION robot_registry WITH (binary = true)" >/dev/null
ok $? "a binary-mode subscription"

# Wait until the copy has synchronized every table and applied all that
# the publisher has written.
caught_up() {
	local target i
	target=$(at pub q postgres "SELECT pg_current_wal_lsn()")
	for ((i = 0; i < 1200; i++)); do
		if [ "$(at sub q "$db" "SELECT count(*) FROM pg_subscription_rel WHERE srsubstate <> 'r'")" = 0 ] &&
			[ "$(at pub q postgres "SELECT coalesce(bool_and(replay_lsn >= '$target'), false) FROM pg_stat_replication
			                         WHERE application_name = 'robot_registry'")" = t ]; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}
caught_up
r=$?
ok $r "the copy synchronized every table"
if [ $r != 0 ]; then
	grep -E 'ERROR|FATAL|DETAIL|CONTEXT' "$NODES_DIR/sub/server.log" | head -20
	at sub psql -X -d "$db" -c "SELECT srrelid::regclass, srsubstate FROM pg_subscription_rel" -c "SELECT * FROM pg_stat_subscription"
	at pub psql -X -c "SELECT application_name, state, sent_lsn, replay_lsn, pg_current_wal_lsn() FROM pg_stat_replication"
fi

log "a load on the publisher: registrations, moves, a recall, scans, new actors, custody claims, a checkpoint"
at pub psql -X -q -d "$db" -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
SELECT robot_registry.register_robot((m.model_key || '20260101' || lpad(i::text, 9, '0'))::robot_id)
  FROM (SELECT model_key FROM robot_registry.models ORDER BY model_key DESC LIMIT 1) m, generate_series(1, 100) i;
INSERT INTO robot_registry.actors (role_name, kind, manufacturer_key, party)
VALUES ('logical_regulator', 'regulator', NULL, NULL), ('logical_service', 'service_provider', NULL, 'Logical Service');
SET ROLE dump_robotid_operator;
SELECT robot_registry.transition(id, CASE state WHEN 'deployed' THEN 'maintenance' ELSE 'deployed' END::robot_state)
  FROM robot_registry.robots WHERE state IN ('deployed', 'maintenance') AND NOT recalled AND custodian = 'Demo Fleet Operations'
 ORDER BY id LIMIT 300;
RESET ROLE;
-- a private owner's robot of maker 1 (its maker sold it to the owner): the
-- maker issues its transfer code, the service provider tries a wrong code,
-- then takes the robot with the right one
SET ROLE dump_robotid_maker;
SELECT t.robot_id AS private_robot, robot_registry.transfer_code(t.robot_id) AS code
  FROM robot_registry.transfer_codes t ORDER BY t.robot_id LIMIT 1 \gset
SET ROLE logical_service;
SELECT robot_registry.receive(:'private_robot', 'AAAA-BBBB-CCCC-DDDD');
SELECT robot_registry.receive(:'private_robot', :'code');
RESET ROLE;
SET ROLE logical_regulator;
SELECT robot_registry.open_recall(model_key, 'logical copy test') FROM robot_registry.models ORDER BY model_key LIMIT 1;
RESET ROLE;
SELECT robot_registry.scan(id::text, '{"place": "port of entry"}') FROM robot_registry.robots ORDER BY id LIMIT 50;
SELECT * FROM robot_registry.checkpoint();
SQL
ok $? "the load ran on the publisher"
caught_up
ok $? "the copy applied it"

at pub registry_digests "$db" > "$NODES_DIR/pub.digests"
while read -r table digest; do
	[ "$(at sub table_digest "$db" "$table")" = "$digest" ]
	ok $? "robot_registry.$table on the copy is the publisher's, row for row (${digest%%:*} rows)"
done < "$NODES_DIR/pub.digests"
[ "$(at sub q "$db" "SELECT count(*) FROM robot_registry.verify()")" = 0 ]
ok $? "verify() is clean on the copy: every chain, every hash, every row its last event recorded"
[ "$(at sub q "$db" "SELECT bool_and(robot_registry.verify_checkpoint(upto_event_id, root)) FROM robot_registry.checkpoints")" = t ]
ok $? "the publisher's checkpoints verify on the copy"
[ "$(at sub q "$db" "SELECT count(*) FROM robot_registry.rule_breaks")" = 0 ]
ok $? "no rule breaks on the copy"
[ "$(at sub q "$db" "SELECT robot_registry.passport(id) FROM robot_registry.robots ORDER BY id LIMIT 1")" = \
	"$(at pub q "$db" "SELECT robot_registry.passport(id) FROM robot_registry.robots ORDER BY id LIMIT 1")" ]
ok $? "passport() on the copy is the publisher's"
[ "$(at sub q "$db" "SELECT has_table_privilege('logical_regulator', 'robot_registry.robots', 'SELECT')
                       AND has_table_privilege('logical_regulator', 'robot_registry.scans', 'SELECT')")" = t ]
ok $? "the actor mapped on the publisher may read the copy (actors_privileges fired on apply)"
[ "$(at sub q "$db" "SET ROLE logical_regulator; SELECT count(*) FROM robot_registry.scan_alerts")" = \
	"$(at pub q "$db" "SET ROLE logical_regulator; SELECT count(*) FROM robot_registry.scan_alerts")" ]
ok $? "the regulator's view of the alerts on the copy is the one on the publisher"
# sequences are not replicated: the copy's log_sequence never moved, so
# the copy is for reading (see the README on promoting one)
[ "$(at sub q "$db" "SELECT last_value < (SELECT max(event_id) FROM robot_registry.events) FROM robot_registry.log_sequence")" = t ]
ok $? "the copy's log_sequence is not replicated (a read copy)"
# a write on the copy itself still goes through the rules
state=$(at sub psql -X -q -At -d "$db" -v VERBOSITY=sqlstate -c "UPDATE robot_registry.robots SET state = 'sold'
	WHERE id = (SELECT id FROM robot_registry.robots WHERE state = 'retired' LIMIT 1)" 2>&1)
[ "$state" = "ERROR:  23514" ]
ok $? "the copy's own triggers still guard local writes (23514)"
[ "$(at sub q "$db" "SELECT string_agg(outcome, ',' ORDER BY claim_id) FROM robot_registry.custody_claims")" = refused,received ] &&
	[ "$(at sub q "$db" "SELECT count(*) FROM robot_registry.robots WHERE custodian = 'Logical Service'")" = 1 ]
ok $? "custody claims and the custody they gave are on the copy"

# The copy made a primary, as the README says: the subscription dropped,
# then log_sequence and the sequence of every identity column set to the
# highest value copied, so that the copy's own writes take new ids.
at sub psql -X -q -d "$db" -c "DROP SUBSCRIPTION robot_registry" >/dev/null
ok $? "the subscription dropped"
identities=$(at sub psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" 2>&1 <<'SQL'
SELECT setval('robot_registry.log_sequence', (SELECT greatest(max(event_id), (SELECT max(entry_id) FROM robot_registry.ledger))
                                               FROM robot_registry.events)) > 0;
CREATE TEMP TABLE identities (rel regclass, col name, last bigint);
DO $$
DECLARE
	c record;
	m bigint;
BEGIN
	FOR c IN SELECT a.attrelid::regclass AS rel, a.attname FROM pg_attribute a JOIN pg_class k ON k.oid = a.attrelid
	          WHERE k.relnamespace = 'robot_registry'::regnamespace AND k.relkind = 'r' AND a.attidentity <> ''
	            AND NOT a.attisdropped LOOP
		EXECUTE format('SELECT max(%I) FROM %s', c.attname, c.rel) INTO m;
		IF m IS NOT NULL THEN
			PERFORM setval(pg_get_serial_sequence(c.rel::text, c.attname), m);
		END IF;
		INSERT INTO identities VALUES (c.rel, c.attname, m);
	END LOOP;
END
$$;
SELECT string_agg(rel::text || '.' || col, ' ' ORDER BY rel::text) FROM identities;
SQL
)
[ "$identities" = "t
robot_registry.custody_claims.claim_id robot_registry.defect_crossings.crossing_id robot_registry.defect_reports.report_id robot_registry.market_events.market_event_id robot_registry.recalls.recall_id robot_registry.scans.scan_id" ]
ok $? "log_sequence and every identity column's sequence set past the copied rows" || echo "$identities"
wrote=$(at sub psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" 2>&1 <<'SQL'
SET ROLE dump_robotid_operator;
SELECT (robot_registry.transition(id, 'deployed')).state FROM robot_registry.robots
 WHERE state = 'maintenance' AND NOT recalled AND custodian = 'Demo Fleet Operations' ORDER BY id LIMIT 1;
SELECT (robot_registry.report_defect(id, 'wrist servo', 'on the promoted copy')).report_id IS NOT NULL
  FROM robot_registry.robots WHERE custodian = 'Demo Fleet Operations' ORDER BY id LIMIT 1;
SET ROLE logical_service;
SELECT robot_registry.receive(robot_id, 'AAAA-BBBB-CCCC-DDDD') IS NULL FROM robot_registry.custody_claims ORDER BY claim_id LIMIT 1;
SET ROLE logical_regulator;
SELECT robot_registry.open_recall(model_key, 'on the promoted copy') IS NOT NULL FROM robot_registry.models ORDER BY model_key DESC LIMIT 1;
RESET ROLE;
SELECT robot_registry.scan(id::text, '{"place": "promoted copy"}') IS NOT NULL FROM robot_registry.robots ORDER BY id LIMIT 1;
SELECT count(*) FROM robot_registry.custody_claims;
SELECT count(*) FROM robot_registry.verify();
SQL
)
[ "$wrote" = "$(printf 'deployed\nt\nt\nt\nt\n3\n0')" ]
ok $? "the promoted copy takes a move, a defect report, a custody claim, a recall and a scan; verify() is clean" || echo "$wrote"
finish_tap
