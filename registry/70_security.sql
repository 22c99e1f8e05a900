-- 70: least privilege: grants and row-level security per actor kind.
--
-- The tables that hold robots, their history and recalls are granted to
-- each mapped role as it is mapped (actor_privileges() below), never to
-- PUBLIC: an unmapped role may not even read them, nor learn their
-- contents from the planner's estimates.  Every policy also requires a
-- mapped actor.  Column grants keep the recall flag, timestamps and
-- authorship out of actors' hands, and the triggers stamp them.  Nobody
-- but the owner may execute the trigger functions that run with the
-- owner's rights.

ALTER TABLE robot_registry.actors ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON robot_registry.actors TO PUBLIC;
CREATE POLICY own_mapping ON robot_registry.actors FOR SELECT
	USING (role_name = current_user);

GRANT SELECT ON robot_registry.manufacturers, robot_registry.models, robot_registry.actor_moves TO PUBLIC;

ALTER TABLE robot_registry.robots ENABLE ROW LEVEL SECURITY;
-- manufacturers see their own codes, every other actor the whole fleet
CREATE POLICY robots_read ON robot_registry.robots FOR SELECT USING (
	(SELECT robot_registry.actor_scope()) IN ('all', @extschema@.robot_id_manufacturer_key(id)));
CREATE POLICY robots_register ON robot_registry.robots FOR INSERT WITH CHECK (
	(SELECT robot_registry.actor_kind()) = 'manufacturer'
	AND @extschema@.robot_id_manufacturer_key(id) = (SELECT robot_registry.actor_manufacturer()));
-- the robots the caller's party holds: a mass UPDATE changes those and
-- leaves every other robot untouched, and FOR UPDATE locks no other; an
-- UPDATE that names robots reads them under robots_read too, so a
-- manufacturer names only its own.  Which move or edit each kind may make,
-- a manufacturer's scope, and to whom a robot may be handed, are checked
-- by check_actor().  The robot may leave the party's hands (WITH CHECK).
-- One look-up of the caller a statement: this is on every move.
CREATE POLICY robots_move ON robot_registry.robots FOR UPDATE
	USING (custodian = (SELECT robot_registry.actor_party()))
	WITH CHECK (true);

ALTER TABLE robot_registry.events ENABLE ROW LEVEL SECURITY;
CREATE POLICY events_read ON robot_registry.events FOR SELECT USING (
	EXISTS (SELECT 1 FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) robot_id));

ALTER TABLE robot_registry.market_events ENABLE ROW LEVEL SECURITY;
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
	AND EXISTS (SELECT 1 FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) robot_id
	             AND r.custodian = (SELECT robot_registry.actor_party())));

ALTER TABLE robot_registry.recalls ENABLE ROW LEVEL SECURITY;
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
CREATE POLICY recall_robots_read ON robot_registry.recall_robots FOR SELECT USING (
	EXISTS (SELECT 1 FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) robot_id));
-- remedy only in maintenance (a service provider) or at the factory (its
-- manufacturer)
CREATE POLICY recall_robots_remedy ON robot_registry.recall_robots FOR UPDATE
	USING (EXISTS (SELECT 1 FROM robot_registry.robots r
	                WHERE r.id OPERATOR(@extschema@.=) robot_id
	                  AND r.custodian = (SELECT robot_registry.actor_party())
	                  AND ((r.state = 'maintenance' AND (SELECT robot_registry.actor_kind()) = 'service_provider')
	                       OR (r.state = 'manufactured' AND (SELECT robot_registry.actor_kind()) = 'manufacturer'))))
	WITH CHECK (remedied_by = current_user);

-- The ledger: the catalogue's history is public; recalls' to every actor;
-- remedies' and the actor map's to the regulator.
ALTER TABLE robot_registry.ledger ENABLE ROW LEVEL SECURITY;
CREATE POLICY ledger_read ON robot_registry.ledger FOR SELECT USING (
	subject IN ('manufacturers', 'models', 'actor_moves')
	OR (subject = 'recalls' AND (SELECT robot_registry.actor_kind()) IS NOT NULL)
	OR (SELECT robot_registry.actor_kind()) = 'regulator');

-- Transfer codes: the party that handed a robot to its private owner
-- sees its row and issues its codes while the owner holds it; the
-- regulator sees every row.  Nobody but the owner reads a code's hash
-- (column grants).  Claims: the regulator sees all, a claimant its own;
-- a claim is made in the claimant's own name, by a kind that may receive
-- (check_claimant() says why not).
ALTER TABLE robot_registry.transfer_codes ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON robot_registry.transfer_codes, robot_registry.custody_claims FROM PUBLIC;
CREATE POLICY transfer_codes_read ON robot_registry.transfer_codes FOR SELECT USING (
	(SELECT robot_registry.actor_kind()) = 'regulator' OR handed_by = (SELECT robot_registry.actor_party()));
CREATE POLICY transfer_codes_issue ON robot_registry.transfer_codes FOR UPDATE
	USING (handed_by = (SELECT robot_registry.actor_party())
	       AND EXISTS (SELECT 1 FROM robot_registry.robots r
	                    WHERE r.id OPERATOR(@extschema@.=) robot_id AND r.custodian IS NULL))
	WITH CHECK (issued_by = current_user);
ALTER TABLE robot_registry.custody_claims ENABLE ROW LEVEL SECURITY;
CREATE POLICY custody_claims_read ON robot_registry.custody_claims FOR SELECT USING (
	(SELECT robot_registry.actor_kind()) = 'regulator' OR claimant = current_user);
CREATE POLICY custody_claims_claim ON robot_registry.custody_claims FOR INSERT WITH CHECK (
	claimant = current_user
	AND (SELECT robot_registry.actor_kind()) IN ('service_provider', 'seller', 'recycler'));
GRANT SELECT ON robot_registry.transfer_failures TO PUBLIC;

-- checkpoints: the owner's alone; model gates too, but for a manufacturer
-- taking its own models' gates in issue_codes() (policy in 84_issuance.sql)
REVOKE ALL ON robot_registry.checkpoints, robot_registry.model_gates FROM PUBLIC;
ALTER TABLE robot_registry.checkpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE robot_registry.model_gates ENABLE ROW LEVEL SECURITY;

-- The privileges every mapped role holds, as GRANT clauses: given by
-- actor_privileges() as a role is mapped, and by robot_registry_upgrade()
-- to the roles an older registry had mapped.
CREATE FUNCTION robot_registry.actor_grants() RETURNS text[]
	LANGUAGE plpgsql IMMUTABLE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	RETURN ARRAY[
		'SELECT ON robot_registry.robots, robot_registry.events, robot_registry.market_events,
		           robot_registry.recalls, robot_registry.recall_robots, robot_registry.ledger, robot_registry.scans,
		           robot_registry.defect_reports, robot_registry.defect_crossings',
		'INSERT (id, state, refurbished_from, owner_name, location) ON robot_registry.robots',
		'UPDATE (state, owner_name, location, custodian) ON robot_registry.robots',
		'INSERT (robot_id, kind, party, detail) ON robot_registry.market_events',
		'INSERT (model_key, serial_from, serial_to, reason, defect_category) ON robot_registry.recalls',
		'UPDATE (closed_at) ON robot_registry.recalls',
		'UPDATE (remedied_at) ON robot_registry.recall_robots',
		-- reports and thresholds: who may is decided by their policies (65_defects.sql)
		'INSERT (robot_id, category, description, severity) ON robot_registry.defect_reports',
		'SELECT, INSERT (category, min_robots, window_days), UPDATE (min_robots, window_days) ON robot_registry.defect_thresholds',
		-- issue_codes() takes its model's gate as the caller (84_issuance.sql)
		'SELECT (model_key, registrations), INSERT (model_key), UPDATE (registrations) ON robot_registry.model_gates',
		-- custody (42_custody.sql): transfer codes are issued by the party
		-- that handed a robot over, claimed by the receiving party; hand-overs
		-- check the receiving party
		'SELECT (robot_id, handed_by, issued_at, issued_by), UPDATE (code_hash) ON robot_registry.transfer_codes',
		'SELECT, INSERT (robot_id, code_hash) ON robot_registry.custody_claims',
		-- waivers: the regulator's alone, by their policies (65_defects.sql)
		'SELECT, INSERT (crossing_id, reason) ON robot_registry.defect_waivers',
		'EXECUTE ON FUNCTION robot_registry.party_known(text), robot_registry.party_may_receive(text, @extschema@.robot_state, text), robot_registry.had_private_owner(@extschema@.robot_id)',
		-- what check_actor() calls, as the caller, to refuse
		'EXECUTE ON FUNCTION robot_registry.refuse_custody(@extschema@.robot_id, text, boolean), robot_registry.check_rebuild_source(@extschema@.robot_id, @extschema@.robot_id, text), robot_registry.check_receiver(@extschema@.robot_id, text, @extschema@.robot_state)'];
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.actor_grants() FROM PUBLIC;

-- One of actor_grants() as the clause GRANT and REVOKE take: a table's
-- privileges name it as a table (ON TABLE), a function's as written.
CREATE FUNCTION robot_registry.grant_clause(g text) RETURNS text
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	RETURN CASE WHEN g LIKE 'EXECUTE ON FUNCTION %' THEN g ELSE replace(g, ' ON ', ' ON TABLE ') END;
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.grant_clause(text) FROM PUBLIC;

-- As the registry: a role gets the actors' privileges when it is mapped,
-- and loses them when its mapping goes.  The role name is quoted.
CREATE FUNCTION robot_registry.actor_privileges() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	grants constant text[] := robot_registry.actor_grants();
	g text;
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.actors'::regclass OR TG_NAME IS DISTINCT FROM 'actors_privileges' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.actors', 'actors_privileges');
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') AND to_regrole(quote_ident(OLD.role_name)) IS NOT NULL
	   AND (TG_OP = 'DELETE' OR OLD.role_name <> NEW.role_name) THEN
		FOREACH g IN ARRAY grants LOOP
			EXECUTE format('REVOKE %s FROM %I', robot_registry.grant_clause(g), OLD.role_name);
		END LOOP;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		FOREACH g IN ARRAY grants LOOP
			EXECUTE format('GRANT %s TO %I', robot_registry.grant_clause(g), NEW.role_name);
		END LOOP;
	END IF;
	RETURN NULL;
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.actor_privileges() FROM PUBLIC;
CREATE TRIGGER actors_privileges AFTER INSERT OR UPDATE OR DELETE ON robot_registry.actors
	FOR EACH ROW EXECUTE FUNCTION robot_registry.actor_privileges();

-- The trigger functions that run as the caller: a trigger fires without
-- EXECUTE, and nobody has a reason to call one directly.
REVOKE ALL ON FUNCTION robot_registry.chain_event(), robot_registry.chain_ledger(),
	robot_registry.refuse_change(), robot_registry.check_actor(), robot_registry.check_registrar(),
	robot_registry.check_registered_by(), robot_registry.check_market_actor(),
	robot_registry.check_recall_actor(), robot_registry.check_remedy_actor(),
	robot_registry.check_defect_actor(), robot_registry.check_threshold_actor(),
	robot_registry.normalize_recall_category(), robot_registry.check_party(),
	robot_registry.check_transfer_issuer(), robot_registry.check_claimant(),
	robot_registry.check_waiver_actor() FROM PUBLIC;
