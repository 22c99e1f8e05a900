-- 70: least privilege: grants and row-level security per actor kind.
--
-- Grants go to PUBLIC and every policy requires a mapped actor, so an
-- unmapped role sees and writes nothing; column grants keep the recall
-- flag, timestamps and authorship out of actors' hands, and the triggers
-- stamp them.  Nobody but the owner may execute the trigger functions that
-- run with the owner's rights.

ALTER TABLE robot_registry.actors ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON robot_registry.actors TO PUBLIC;
CREATE POLICY own_mapping ON robot_registry.actors FOR SELECT
	USING (role_name = current_user);

GRANT SELECT ON robot_registry.manufacturers, robot_registry.models, robot_registry.actor_moves TO PUBLIC;

ALTER TABLE robot_registry.robots ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON robot_registry.robots TO PUBLIC;
GRANT INSERT (id, state, refurbished_from, owner_name, location) ON robot_registry.robots TO PUBLIC;
GRANT UPDATE (state, owner_name, location) ON robot_registry.robots TO PUBLIC;
-- manufacturers see their own codes, every other actor the whole fleet
CREATE POLICY robots_read ON robot_registry.robots FOR SELECT USING (
	(SELECT robot_registry.actor_scope()) IN ('all', @extschema@.robot_id_manufacturer_key(id)));
CREATE POLICY robots_register ON robot_registry.robots FOR INSERT WITH CHECK (
	(SELECT robot_registry.actor_kind()) = 'manufacturer'
	AND @extschema@.robot_id_manufacturer_key(id) = (SELECT robot_registry.actor_manufacturer()));
-- the same robots; which move or edit each kind may make is checked by
-- check_actor()
CREATE POLICY robots_move ON robot_registry.robots FOR UPDATE USING (
	(SELECT robot_registry.actor_scope()) IN ('all', @extschema@.robot_id_manufacturer_key(id)));

ALTER TABLE robot_registry.events ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON robot_registry.events TO PUBLIC;
CREATE POLICY events_read ON robot_registry.events FOR SELECT USING (
	EXISTS (SELECT 1 FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) robot_id));

ALTER TABLE robot_registry.market_events ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON robot_registry.market_events TO PUBLIC;
GRANT INSERT (robot_id, kind, party, detail) ON robot_registry.market_events TO PUBLIC;
CREATE POLICY market_read ON robot_registry.market_events FOR SELECT USING (
	EXISTS (SELECT 1 FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) robot_id));
-- moves record their market events themselves; a direct record is a sale by
-- a seller or manufacturer, a deployment by an operator or service
-- provider, of a robot the caller may see
CREATE POLICY market_record ON robot_registry.market_events FOR INSERT WITH CHECK (
	recorded_by = current_user
	AND kind = ANY (CASE (SELECT robot_registry.actor_kind())
	                WHEN 'seller' THEN ARRAY['sale'] WHEN 'manufacturer' THEN ARRAY['sale']
	                WHEN 'operator' THEN ARRAY['deployment'] WHEN 'service_provider' THEN ARRAY['deployment']
	                END)
	AND EXISTS (SELECT 1 FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) robot_id));

ALTER TABLE robot_registry.recalls ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON robot_registry.recalls TO PUBLIC;
GRANT INSERT (model_key, serial_from, serial_to, reason) ON robot_registry.recalls TO PUBLIC;
GRANT UPDATE (closed_at) ON robot_registry.recalls TO PUBLIC;
CREATE POLICY recalls_read ON robot_registry.recalls FOR SELECT USING (
	(SELECT robot_registry.actor_kind()) IS NOT NULL);
-- a manufacturer recalls only its own models; a regulator any
CREATE POLICY recalls_open ON robot_registry.recalls FOR INSERT WITH CHECK (
	opened_by = current_user
	AND ((SELECT robot_registry.actor_kind()) = 'regulator'
	     OR ((SELECT robot_registry.actor_kind()) = 'manufacturer'
	         AND left(model_key, 6) = (SELECT robot_registry.actor_manufacturer()))));
CREATE POLICY recalls_close ON robot_registry.recalls FOR UPDATE
	USING ((SELECT robot_registry.actor_kind()) = 'regulator'
	       OR ((SELECT robot_registry.actor_kind()) = 'manufacturer'
	           AND left(model_key, 6) = (SELECT robot_registry.actor_manufacturer())))
	WITH CHECK (closed_by = current_user);

ALTER TABLE robot_registry.recall_robots ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON robot_registry.recall_robots TO PUBLIC;
GRANT UPDATE (remedied_at) ON robot_registry.recall_robots TO PUBLIC;
CREATE POLICY recall_robots_read ON robot_registry.recall_robots FOR SELECT USING (
	EXISTS (SELECT 1 FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) robot_id));
-- remedy only in maintenance (a service provider) or at the factory (its
-- manufacturer)
CREATE POLICY recall_robots_remedy ON robot_registry.recall_robots FOR UPDATE
	USING (EXISTS (SELECT 1 FROM robot_registry.robots r
	                WHERE r.id OPERATOR(@extschema@.=) robot_id
	                  AND ((r.state = 'maintenance' AND (SELECT robot_registry.actor_kind()) = 'service_provider')
	                       OR (r.state = 'manufactured' AND (SELECT robot_registry.actor_kind()) = 'manufacturer'))))
	WITH CHECK (remedied_by = current_user);

-- The ledger: the catalogue's history is public; recalls' to every actor;
-- remedies' and the actor map's to the regulator.
ALTER TABLE robot_registry.ledger ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON robot_registry.ledger TO PUBLIC;
CREATE POLICY ledger_read ON robot_registry.ledger FOR SELECT USING (
	subject IN ('manufacturers', 'models', 'actor_moves')
	OR (subject = 'recalls' AND (SELECT robot_registry.actor_kind()) IS NOT NULL)
	OR (SELECT robot_registry.actor_kind()) = 'regulator');

-- checkpoints and model gates: the owner's alone
REVOKE ALL ON robot_registry.checkpoints, robot_registry.model_gates FROM PUBLIC;
ALTER TABLE robot_registry.checkpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE robot_registry.model_gates ENABLE ROW LEVEL SECURITY;
