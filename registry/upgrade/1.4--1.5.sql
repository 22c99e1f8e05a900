-- Registry 1.4 -> 1.5: custody, in place.  robot_registry_upgrade() runs
-- this after dropping the 1.4 code (and after the steps from 1.2 or 1.3
-- to 1.4) and before running the 1.5 code files, so no registry trigger
-- fires here.

-- the tables and columns of custody; every mapped login acts for a party
-- of its own name until an administrator names another
SELECT @extschema@.robot_registry_run_file('16_custody_tables.sql');

-- a service provider takes a private owner's robot for service with its
-- transfer code, deployed or not (the ledger records the row as the
-- upgrade found it)
INSERT INTO robot_registry.actor_moves VALUES ('service_provider', 'sold', 'maintenance');

-- recalls closed before 1.5: the kind of actor who closed each, as far as
-- the actor map still tells
UPDATE robot_registry.recalls c SET closer_kind = a.kind
  FROM robot_registry.actors a
 WHERE a.role_name = c.closed_by AND c.closed_at IS NOT NULL;

-- Custodians, derived from each robot's history: the last registration or
-- move decides.  After a sale, the buyer is the party its detail ->>
-- 'party' names if a login is mapped to that party, else a private owner
-- (custodian NULL); after any other registration or move, the party of the
-- login that made it (its own name if it is no longer mapped).  The
-- upgrade then records the custodian as an event in every robot's chain
-- (derive_custody(), in 42_custody.sql).
WITH last AS (
	SELECT DISTINCT ON (e.robot_id) e.robot_id, e.kind, e.to_state, e.actor, e.detail
	  FROM robot_registry.events e
	 WHERE e.kind IN ('registered', 'moved')
	 ORDER BY e.robot_id, e.event_id DESC
)
UPDATE robot_registry.robots r
   SET custodian = CASE WHEN l.kind = 'moved' AND l.to_state = 'sold'
                        THEN (SELECT DISTINCT a.party FROM robot_registry.actors a WHERE a.party = l.detail ->> 'party')
                        ELSE coalesce((SELECT a.party FROM robot_registry.actors a WHERE a.role_name = l.actor), l.actor::text) END
  FROM last l
 WHERE r.id OPERATOR(@extschema@.=) l.robot_id;

-- a robot sold to a private owner: the party that sold it issues its
-- transfer codes
INSERT INTO robot_registry.transfer_codes (robot_id, handed_by)
SELECT DISTINCT ON (e.robot_id) e.robot_id,
       coalesce((SELECT a.party FROM robot_registry.actors a WHERE a.role_name = e.actor), e.actor::text)
  FROM robot_registry.events e
  JOIN robot_registry.robots r ON r.id OPERATOR(@extschema@.=) e.robot_id
 WHERE r.custodian IS NULL AND e.kind = 'moved' AND e.to_state = 'sold'
 ORDER BY e.robot_id, e.event_id DESC;
