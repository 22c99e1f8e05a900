-- The reference registry, created in schema robot_registry by
-- robot_registry_install().  The files registry/[0-9]*.sql are joined in
-- order and wrapped into the extension's update script at build time;
-- @extschema@ is the extension's schema.  Objects made here are ordinary
-- objects, not members of the extension: see the README for why.
--
-- 10: tables: the data, created here at install only.  An upgrade
-- changes them in place (registry/upgrade/A--B.sql), so a column a release
-- adds goes at the end of its table, where ALTER TABLE ADD COLUMN puts it.

CREATE SCHEMA robot_registry;
COMMENT ON SCHEMA robot_registry IS 'reference robot identity registry (robotid)';
REVOKE ALL ON SCHEMA robot_registry FROM PUBLIC;
GRANT USAGE ON SCHEMA robot_registry TO PUBLIC;

CREATE TYPE robot_registry.actor_kind AS ENUM
	('manufacturer', 'seller', 'service_provider', 'operator', 'recycler', 'regulator');

-- catalogue: no code, no market access starts here
CREATE TABLE robot_registry.manufacturers (
	manufacturer_key text PRIMARY KEY CHECK (manufacturer_key ~ '^[0-9]{6}$'),
	name text NOT NULL
);
COMMENT ON TABLE robot_registry.manufacturers IS 'registered manufacturers: country code and manufacturer code (6 digits)';

CREATE TABLE robot_registry.models (
	model_key text PRIMARY KEY CHECK (model_key ~ '^[0-9]{12}$'),
	manufacturer_key text NOT NULL GENERATED ALWAYS AS (left(model_key, 6)) STORED
		REFERENCES robot_registry.manufacturers,
	name text NOT NULL
);
CREATE INDEX ON robot_registry.models (manufacturer_key);
COMMENT ON TABLE robot_registry.models IS 'registered product models: country, manufacturer and model code (12 digits)';

-- actors: the DBA maps existing roles to what they may do
CREATE TABLE robot_registry.actors (
	role_name name PRIMARY KEY,
	kind robot_registry.actor_kind NOT NULL,
	manufacturer_key text REFERENCES robot_registry.manufacturers,
	CHECK ((kind = 'manufacturer') = (manufacturer_key IS NOT NULL))
);
COMMENT ON TABLE robot_registry.actors IS 'maps database roles to actor kinds; a manufacturer actor carries its manufacturer key';

-- which lifecycle moves each kind may make
CREATE TABLE robot_registry.actor_moves (
	kind robot_registry.actor_kind NOT NULL,
	from_state @extschema@.robot_state NOT NULL,
	to_state @extschema@.robot_state NOT NULL,
	PRIMARY KEY (kind, from_state, to_state)
);

CREATE TABLE robot_registry.robots (
	id @extschema@.robot_id PRIMARY KEY,
	-- In the catalogue, as a foreign key would require, but checked once
	-- per statement rather than once per row (hold_new_robots(), in
	-- 40_robots.sql): a per-row check was a quarter of what issuing a batch
	-- of codes cost.  The model's row in model_gates, which the same
	-- statement writes, refers to models and is never deleted, so a model
	-- with robots can be neither deleted nor renamed.
	model_key text NOT NULL GENERATED ALWAYS AS (@extschema@.robot_id_model_key(id)) STORED,
	state @extschema@.robot_state NOT NULL DEFAULT 'manufactured',
	recalled boolean NOT NULL DEFAULT false,
	refurbished_from @extschema@.robot_id REFERENCES robot_registry.robots,
	owner_name text,
	location text,
	registered_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	changed_by name NOT NULL DEFAULT current_user,
	revision integer NOT NULL DEFAULT 1	-- one more with every change: no two events leave the same row
);
CREATE INDEX robots_model_state ON robot_registry.robots (model_key, state);
COMMENT ON TABLE robot_registry.robots IS 'every registered robot and its current lifecycle state';

CREATE TABLE robot_registry.recalls (
	recall_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	model_key text NOT NULL REFERENCES robot_registry.models,
	serial_from text NOT NULL DEFAULT '00000000000000000' CHECK (serial_from ~ '^[0-9]{17}$'),
	serial_to text NOT NULL DEFAULT '99999999999999999' CHECK (serial_to ~ '^[0-9]{17}$'),
	reason text NOT NULL,
	opened_by name NOT NULL DEFAULT current_user,
	opened_at timestamptz NOT NULL DEFAULT now(),
	closed_at timestamptz,
	closed_by name,
	opener_kind robot_registry.actor_kind,
	CHECK (serial_from <= serial_to)
);
CREATE INDEX recalls_open ON robot_registry.recalls (model_key) WHERE closed_at IS NULL;
COMMENT ON TABLE robot_registry.recalls IS 'recall campaigns for a model key and a range of serials';

CREATE TABLE robot_registry.recall_robots (
	recall_id bigint NOT NULL REFERENCES robot_registry.recalls,
	robot_id @extschema@.robot_id NOT NULL REFERENCES robot_registry.robots,
	remedied_at timestamptz,
	remedied_by name,
	PRIMARY KEY (recall_id, robot_id)
);
CREATE INDEX recall_robots_robot ON robot_registry.recall_robots (robot_id);
COMMENT ON TABLE robot_registry.recall_robots IS 'the robots each recall affects, and when each was remedied';

-- One sequence numbers the robot events and the ledger, so that a
-- checkpoint names one point in the whole history.
CREATE SEQUENCE robot_registry.log_sequence;

CREATE TABLE robot_registry.events (
	event_id bigint PRIMARY KEY DEFAULT nextval('robot_registry.log_sequence'),
	-- no foreign key: robots are never deleted (robot_lifecycle_guard),
	-- only the registry's log triggers write here, and verify() reports a
	-- history whose robot is gone
	robot_id @extschema@.robot_id NOT NULL,
	kind text NOT NULL CHECK (kind IN ('registered', 'moved', 'edited', 'recalled', 'remedied',
	                                   'recall closed', 'market event')),
	from_state @extschema@.robot_state,
	to_state @extschema@.robot_state,
	recalled boolean NOT NULL,
	detail jsonb NOT NULL DEFAULT '{}',
	actor name NOT NULL,
	at timestamptz NOT NULL DEFAULT clock_timestamp(),
	prev_hash bytea,
	hash bytea NOT NULL,
	row_hash bytea				-- the robot's row after the event
);
ALTER SEQUENCE robot_registry.log_sequence OWNED BY robot_registry.events.event_id;
-- Events a 1.2 registry logged before its upgrade have no row hash, and
-- were hashed by the 1.2 formula (verify() checks them by it); every event
-- since has one.  NOT VALID: the constraint holds for every new row, not
-- for the rows an upgrade found.
ALTER TABLE robot_registry.events ADD CONSTRAINT events_row_hash_recorded CHECK (row_hash IS NOT NULL) NOT VALID;
CREATE INDEX events_robot ON robot_registry.events (robot_id, event_id);
COMMENT ON TABLE robot_registry.events IS 'append-only log of every change to every robot, hash-chained per robot';

-- the market: sales and deployments, checked by robot_market_guard
CREATE TABLE robot_registry.market_events (
	market_event_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	robot_id @extschema@.robot_id,
	kind text NOT NULL CHECK (kind IN ('sale', 'deployment')),
	party text,
	detail jsonb NOT NULL DEFAULT '{}',
	recorded_by name NOT NULL DEFAULT current_user,
	at timestamptz NOT NULL DEFAULT now(),
	event_id bigint				-- the robot's event that records it
);
CREATE INDEX market_events_robot ON robot_registry.market_events (robot_id);
COMMENT ON TABLE robot_registry.market_events IS 'sales and deployments; no code, no market access';
