-- 16: the tables of custody (data, created at install, and by the upgrade
-- from 1.4, registry/upgrade/1.4--1.5.sql, which runs this file): the
-- party each login acts for, the party that holds each robot, the codes
-- that let a private owner's robot change hands, and what the settlement
-- of defect obligations and the standing of reports need.  Columns go at
-- the end of their tables, as ALTER TABLE puts them.

-- actors: the organisation a login acts for; several logins may act for
-- one party, and a party is known while one login is mapped to it.  A
-- mapping that names none acts for a party of the role's own name
-- (check_party() in 42_custody.sql; the upgrade does the same).
ALTER TABLE robot_registry.actors ADD COLUMN party text;
UPDATE robot_registry.actors SET party = role_name::text;
ALTER TABLE robot_registry.actors ALTER COLUMN party SET NOT NULL,
	ADD CONSTRAINT actors_party CHECK (party = btrim(party) AND party ~ '^[^[:cntrl:]]{1,200}$');
CREATE INDEX actors_party ON robot_registry.actors (party);
COMMENT ON COLUMN robot_registry.actors.party IS 'the organisation the login acts for; custody is by party';

-- robots: the party that holds each one now; NULL after a sale to a
-- private owner (a person with no login), named by owner_name.  A new
-- robot is held by the registering login's party: the statement's
-- registrar check (check_registrar()) names it for the default, and
-- check_registered_by() refuses any other.
ALTER TABLE robot_registry.robots ADD COLUMN custodian text
	DEFAULT nullif(current_setting('robot_registry.registering_party', true), '');
-- No index on custodian: a move changes the state, so it is never a HOT
-- update and every index of robots takes a new entry; one more index cost
-- a move a tenth of its throughput.  Row-level security compares the
-- custodian of the robot a move names, found by its key.
-- rebuilds of a recalled range (rebuilds_of(), 60_recalls.sql)
CREATE INDEX robots_refurbished_from ON robot_registry.robots (refurbished_from) WHERE refurbished_from IS NOT NULL;
COMMENT ON COLUMN robot_registry.robots.custodian IS 'the party that holds the robot; NULL while a private owner holds it';

-- events: hand-overs, custody taken with a transfer code, and the custody
-- an upgrade derived from a robot's history
ALTER TABLE robot_registry.events DROP CONSTRAINT events_kind_check,
	ADD CONSTRAINT events_kind_check CHECK (kind IN ('registered', 'moved', 'edited', 'recalled', 'remedied',
	                                                 'recall closed', 'market event',
	                                                 'handed over', 'received', 'custody derived', 'code issued'));

-- One row per robot a private owner holds: who handed it over, and the
-- one-time code (as its SHA-256 only) that lets a party take it back.
CREATE TABLE robot_registry.transfer_codes (
	robot_id @extschema@.robot_id PRIMARY KEY REFERENCES robot_registry.robots,
	handed_by text NOT NULL,		-- the party that handed the robot to its private owner
	code_hash bytea,				-- NULL: no code issued yet, or the last one was used up
	issued_at timestamptz,
	issued_by name
	-- no count of wrong codes here: counting one would lock the row until
	-- the claimant's transaction ends, and hold the right code's claim;
	-- custody_claims keeps every claim (transfer_failures)
);
COMMENT ON TABLE robot_registry.transfer_codes IS 'robots held by private owners: who handed each over, and its one-time transfer code as a hash';

-- recalls: the kind of actor who closed each, as it is stamped, so that a
-- closing by the regulator is told from the manufacturer's
ALTER TABLE robot_registry.recalls ADD COLUMN closer_kind robot_registry.actor_kind;

-- defect reports: the reporter's party, the robot's holder when it was
-- reported ('private:' and the code for a private owner), and whether the
-- report has standing (its reporter holds or held the robot, or made it)
ALTER TABLE robot_registry.defect_reports ADD COLUMN reporter_party text,
	ADD COLUMN holder text,
	ADD COLUMN standing boolean NOT NULL DEFAULT true;

-- The regulator's waivers of defect obligations, each with its reason.
CREATE TABLE robot_registry.defect_waivers (
	crossing_id bigint PRIMARY KEY REFERENCES robot_registry.defect_crossings,
	reason text NOT NULL CONSTRAINT defect_waivers_reason CHECK (length(btrim(reason)) BETWEEN 1 AND 2000),
	waived_by name NOT NULL DEFAULT current_user,
	waived_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE robot_registry.defect_waivers IS 'defect obligations the regulator waived, with the reason; append-only';

-- Every attempt to take a private owner's robot with a transfer code, and
-- what came of it: the regulator reads the refused ones
-- (transfer_failures).  The code tried is kept only until it is judged.
CREATE TABLE robot_registry.custody_claims (
	claim_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	robot_id @extschema@.robot_id NOT NULL,	-- no foreign key: a claim on an unregistered code is kept too
	code_hash bytea,
	claimant name NOT NULL DEFAULT current_user,
	claimant_party text,
	claimed_at timestamptz NOT NULL DEFAULT now(),
	outcome text NOT NULL DEFAULT 'pending' CONSTRAINT custody_claims_outcome
		CHECK (outcome IN ('pending', 'received', 'refused'))
);
CREATE INDEX custody_claims_robot ON robot_registry.custody_claims (robot_id, claimed_at);
COMMENT ON TABLE robot_registry.custody_claims IS 'attempts to take a private owner''s robot with a transfer code; append-only';
