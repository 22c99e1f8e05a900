-- 12: the tables new in 1.3 (data, install only): the ledger, its
-- checkpoints, the model gates and the public's scans.  The upgrade from
-- 1.2 (registry/upgrade/1.2--1.4.sql) runs this file too.

-- Every change to the catalogue, the actor map and the recalls, as the
-- row after the change (or before a delete), hash-chained per row.
CREATE TABLE robot_registry.ledger (
	entry_id bigint PRIMARY KEY DEFAULT nextval('robot_registry.log_sequence'),
	subject text NOT NULL,			-- the table
	subject_key text NOT NULL,		-- its primary key, as text
	-- 'upgrade': the row as an upgrade found it, when it had no entry yet
	op text NOT NULL CHECK (op IN ('insert', 'update', 'delete', 'upgrade')),
	row_data jsonb NOT NULL,
	actor name NOT NULL,
	at timestamptz NOT NULL DEFAULT clock_timestamp(),
	prev_hash bytea,
	hash bytea NOT NULL
);
CREATE INDEX ledger_chain ON robot_registry.ledger (subject, subject_key, entry_id);
COMMENT ON TABLE robot_registry.ledger IS 'append-only, hash-chained log of the catalogue, the actor map and the recalls';

-- Checkpoints taken by checkpoint(); the auditor keeps its own copy.
CREATE TABLE robot_registry.checkpoints (
	upto_event_id bigint PRIMARY KEY,
	root text NOT NULL,
	taken_at timestamptz NOT NULL DEFAULT now(),
	taken_by name NOT NULL DEFAULT session_user
);
COMMENT ON TABLE robot_registry.checkpoints IS 'roots of the whole log taken by checkpoint(); keep a copy outside the database';

-- A row per model that registrations (once per transaction), recall
-- changes and issue_codes() update, so that they serialize: see
-- "Concurrency" in the README.  The counters are only what the updates
-- write; the row holds no information of its own and is not logged.
CREATE TABLE robot_registry.model_gates (
	model_key text PRIMARY KEY REFERENCES robot_registry.models,
	registrations bigint NOT NULL DEFAULT 0,
	recall_changes bigint NOT NULL DEFAULT 0,
	registered_in xid8			-- the transaction that last registered robots of the model
);
COMMENT ON TABLE robot_registry.model_gates IS 'serializes registrations against recall changes, per model';

-- Scans are observations made by the public, not registry state: they are
-- not in the hash-chained log or the ledger, and verify() ignores them.
CREATE TABLE robot_registry.scans (
	scan_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code text NOT NULL,			-- canonical 29 digits, or the first 64 characters as scanned when malformed
	manufacturer_key text,		-- whose code it claims to be; NULL when malformed
	outcome text NOT NULL CHECK (outcome IN ('allowed', 'unregistered', 'scrapped', 'recalled', 'malformed')),
	context jsonb NOT NULL,
	scanner text,				-- context ->> 'scanner', at most 200 characters
	place text,					-- context ->> 'place', at most 200 characters
	scanned_at timestamptz NOT NULL DEFAULT clock_timestamp(),
	scanned_by name NOT NULL DEFAULT session_user
);
CREATE INDEX scans_code ON robot_registry.scans (code, scanned_at);
CREATE INDEX scans_alerts ON robot_registry.scans (scanned_at) WHERE outcome IN ('unregistered', 'scrapped', 'recalled');
COMMENT ON TABLE robot_registry.scans IS 'scans that carried a context: where and when a code was seen, and what scan() answered';
