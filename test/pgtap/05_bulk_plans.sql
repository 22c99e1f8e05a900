-- pgTAP: bulk registrations read each new robot's (empty) history through
-- events_robot, not the whole log, even when the chain look-up's plan was
-- made while the log was small (a generic plan kept for the session).
-- Checked by the rows the statement read, not by its time.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION robotid;
SELECT plan(4);
SELECT robot_registry_install();
-- a small registry made in this session: the chain look-up's plan is
-- made, and kept, while the log holds a few dozen events
SELECT robot_registry_install_demo();
CALL robot_registry.generate_demo(5, 1, 1);
CREATE TEMP TABLE before AS
	SELECT seq_tup_read, idx_tup_fetch FROM pg_stat_xact_user_tables WHERE relid = 'robot_registry.events'::regclass;
-- 3,000 robots in one statement, as issue_codes() and bulk loads do
INSERT INTO robot_registry.robots (id) SELECT make_robot_id('86', '0001', '000001', i) FROM generate_series(101, 3100) i;
CREATE TEMP TABLE after AS
	SELECT seq_tup_read, idx_tup_fetch FROM pg_stat_xact_user_tables WHERE relid = 'robot_registry.events'::regclass;
SELECT is((SELECT a.seq_tup_read - b.seq_tup_read FROM after a, before b), 0::bigint,
	'no registration read the log sequentially');
-- the demo's open recall of the model holds the new robots: each hold
-- reads the registration it follows, twice (the change's check and the
-- chain), so at most two events a robot
SELECT cmp_ok((SELECT a.idx_tup_fetch - b.idx_tup_fetch FROM after a, before b), '<=', 6000::bigint,
	'3,000 new robots fetched at most two events each through indexes: none walked the log');
SELECT is((SELECT count(*)::int FROM robot_registry.events WHERE kind = 'registered'), 3005, 'every registration is logged');
SELECT is((SELECT count(*)::int FROM robot_registry.verify()), 0, 'the chains verify');
SELECT * FROM finish();
ROLLBACK;
