-- Registry 1.3 -> 1.4: the tables, in place.  robot_registry_upgrade()
-- runs this after dropping the 1.3 code and before running the 1.4 code
-- files, so no registry trigger fires here.  A 1.3 registry keeps its
-- column order (recalls.opener_kind and events.row_hash where 1.3 put
-- them); nothing reads columns by position.

-- events: a registry upgraded from 1.2 keeps 1.2 events without a row
-- hash, so the column allows none, and a constraint requires one of every
-- new event
ALTER TABLE robot_registry.events ALTER COLUMN row_hash DROP NOT NULL;
ALTER TABLE robot_registry.events ADD CONSTRAINT events_row_hash_recorded CHECK (row_hash IS NOT NULL) NOT VALID;

-- ledger: entries an upgrade writes for rows it found
ALTER TABLE robot_registry.ledger DROP CONSTRAINT ledger_op_check,
	ADD CONSTRAINT ledger_op_check CHECK (op IN ('insert', 'update', 'delete', 'upgrade'));

-- model gates: the transaction that last registered robots of the model,
-- so that a transaction updates the gate once, not once per registration
ALTER TABLE robot_registry.model_gates ADD COLUMN registered_in xid8;

-- the tables new in 1.4, and the default defect threshold
SELECT @extschema@.robot_registry_run_file('15_defect_tables.sql');
SELECT @extschema@.robot_registry_run_file('66_defect_defaults.sql');

-- robots: the model is checked once per registering statement, not by a
-- foreign key row by row (10_tables.sql); the model's gate row, never
-- deleted, keeps the model.  Every model with robots gets one.
ALTER TABLE robot_registry.robots DROP CONSTRAINT robots_model_key_fkey;
INSERT INTO robot_registry.model_gates (model_key)
SELECT DISTINCT r.model_key FROM robot_registry.robots r
    ON CONFLICT (model_key) DO NOTHING;
