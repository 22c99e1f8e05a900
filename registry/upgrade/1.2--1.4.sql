-- Registry 1.2 -> 1.4: the tables, in place.  robot_registry_upgrade()
-- runs this after dropping the 1.2 code and before running the 1.4 code
-- files, so no registry trigger fires here.  Tables are altered, never
-- recreated: a user's foreign key to robots or view of events survives.
-- What this leaves to the code and to the upgrade function: privileges
-- of mapped roles, and ledger entries for the rows that existed.

-- robots: a revision that grows with every change; a 1.2 row is revision 1
ALTER TABLE robot_registry.robots ADD COLUMN revision integer NOT NULL DEFAULT 1;

-- recalls: the kind of actor who opened each, as check_recall_actor()
-- stamps it, so a manufacturer still closes the recalls it opened
ALTER TABLE robot_registry.recalls ADD COLUMN opener_kind robot_registry.actor_kind;
UPDATE robot_registry.recalls c SET opener_kind = a.kind
  FROM robot_registry.actors a WHERE a.role_name = c.opened_by;

-- one sequence numbers events and ledger entries, continuing the events'
CREATE SEQUENCE robot_registry.log_sequence;
SELECT setval('robot_registry.log_sequence', s.last_value)
  FROM pg_sequences s
 WHERE s.schemaname = 'robot_registry' AND s.sequencename = 'events_event_id_seq' AND s.last_value IS NOT NULL;
ALTER TABLE robot_registry.events ALTER COLUMN event_id DROP IDENTITY;
ALTER TABLE robot_registry.events ALTER COLUMN event_id SET DEFAULT nextval('robot_registry.log_sequence');
ALTER SEQUENCE robot_registry.log_sequence OWNED BY robot_registry.events.event_id;

-- events: the 1.3 kinds, and the hash of the row each event leaves.  The
-- 1.2 events keep their hashes and have no row hash: verify() checks them
-- by the 1.2 formula (event_hash_1_2()).
ALTER TABLE robot_registry.events DROP CONSTRAINT events_kind_check,
	ADD CONSTRAINT events_kind_check CHECK (kind IN ('registered', 'moved', 'edited', 'recalled', 'remedied',
	                                                 'recall closed', 'market event')),
	ADD COLUMN row_hash bytea;
ALTER TABLE robot_registry.events ADD CONSTRAINT events_row_hash_recorded CHECK (row_hash IS NOT NULL) NOT VALID;
COMMENT ON TABLE robot_registry.events IS 'append-only log of every change to every robot, hash-chained per robot';

-- market events: the robot event that records each.  A 1.2 move into sold
-- or deployed wrote its market event with the move's robot, actor, time
-- and detail; the n-th such market event is the n-th such move.  A market
-- event recorded directly had no robot event in 1.2: it keeps a NULL
-- event_id and goes to the ledger instead.
ALTER TABLE robot_registry.market_events ADD COLUMN event_id bigint;
WITH moves AS (
	SELECT e.event_id, e.robot_id::text AS robot, CASE e.to_state WHEN 'sold' THEN 'sale' ELSE 'deployment' END AS kind,
	       e.actor, e.at, e.detail,
	       row_number() OVER (PARTITION BY e.robot_id::text, e.to_state, e.actor, e.at, e.detail ORDER BY e.event_id) AS n
	  FROM robot_registry.events e
	 WHERE e.kind = 'moved' AND e.to_state IN ('sold', 'deployed')
), recorded AS (
	SELECT m.market_event_id, m.robot_id::text AS robot, m.kind, m.recorded_by, m.at, m.detail,
	       row_number() OVER (PARTITION BY m.robot_id::text, m.kind, m.recorded_by, m.at, m.detail
	                          ORDER BY m.market_event_id) AS n
	  FROM robot_registry.market_events m
	 WHERE m.party IS NOT DISTINCT FROM m.detail ->> 'party'
)
UPDATE robot_registry.market_events m SET event_id = mv.event_id
  FROM recorded r
  JOIN moves mv ON mv.robot = r.robot AND mv.kind = r.kind AND mv.actor = r.recorded_by
                AND mv.at = r.at AND mv.detail = r.detail AND mv.n = r.n
 WHERE m.market_event_id = r.market_event_id;

-- 1.2 granted these to PUBLIC; 1.3 grants them to each mapped role
REVOKE ALL ON robot_registry.robots, robot_registry.events, robot_registry.market_events,
	robot_registry.recalls, robot_registry.recall_robots FROM PUBLIC;

-- the tables new in 1.3
SELECT @extschema@.robot_registry_run_file('12_log_tables.sql');

-- the tables new in 1.4, and the default defect threshold (the ledger
-- records it as the upgrade found it)
SELECT @extschema@.robot_registry_run_file('15_defect_tables.sql');
SELECT @extschema@.robot_registry_run_file('66_defect_defaults.sql');

-- robots: the model is checked once per registering statement, not by a
-- foreign key row by row (10_tables.sql); the model's gate row, never
-- deleted, keeps the model.  Every model with robots gets one.
ALTER TABLE robot_registry.robots DROP CONSTRAINT robots_model_key_fkey;
INSERT INTO robot_registry.model_gates (model_key)
SELECT DISTINCT r.model_key FROM robot_registry.robots r
    ON CONFLICT (model_key) DO NOTHING;
