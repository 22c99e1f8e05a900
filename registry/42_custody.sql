-- 42: custody.  Every robot is held by a party (robots.custodian), or by
-- a private owner once sold to a person (custodian NULL).  Only the
-- logins of the holding party move, edit, remedy, record market events
-- for, rebuild from and hand over a robot (check_actor(), the policies in
-- 70_security.sql); a private owner's robot comes back into a party's
-- hands only with the one-time transfer code the party that handed it
-- over issued (transfer_code(), receive()).  The tables are in
-- 16_custody_tables.sql.

-- A mapping without a party acts for a party of the role's own name.
CREATE FUNCTION robot_registry.check_party() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.actors'::regclass OR TG_NAME IS DISTINCT FROM 'actors_party' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.actors', 'actors_party');
	END IF;
	NEW.party := coalesce(NEW.party, NEW.role_name::text);
	RETURN NEW;
END
$fn$;
CREATE TRIGGER actors_party BEFORE INSERT OR UPDATE ON robot_registry.actors
	FOR EACH ROW EXECUTE FUNCTION robot_registry.check_party();

-- Whether a party is known: at least one login is mapped to it.  SECURITY
-- DEFINER because each actor reads only its own mapping; executable by
-- mapped roles only (actor_grants()), and it answers a yes or a no.
CREATE FUNCTION robot_registry.party_known(party text) RETURNS boolean
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	RETURN EXISTS (SELECT 1 FROM robot_registry.actors a WHERE a.party = party_known.party);
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.party_known(text) FROM PUBLIC;

-- Whether a party may receive a robot of this maker in this state: one of
-- its logins is of a kind that may move a robot on from that state
-- (actor_moves: a recycler takes robots to scrap, a service provider
-- robots to maintain and hand back, a seller stock to sell, an operator
-- robots to deploy), or is the robot's manufacturer, which takes back its
-- own robots in any state but retired.  A regulator holds nothing.
CREATE FUNCTION robot_registry.party_may_receive(party text, state @extschema@.robot_state, manufacturer_key text)
	RETURNS boolean
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	RETURN EXISTS (
		SELECT 1 FROM robot_registry.actors a
		 WHERE a.party = party_may_receive.party
		   AND CASE WHEN a.kind = 'manufacturer'
		            THEN a.manufacturer_key = party_may_receive.manufacturer_key AND party_may_receive.state <> 'retired'
		            ELSE EXISTS (SELECT 1 FROM robot_registry.actor_moves m
		                          WHERE m.kind = a.kind AND m.from_state = party_may_receive.state) END);
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.party_may_receive(text, @extschema@.robot_state, text) FROM PUBLIC;

-- The refusal of an act on a robot the caller's party does not hold.  The
-- caller sees the robot (else it would have been told the code is not
-- registered), but never which party holds it.
CREATE FUNCTION robot_registry.refuse_custody(id @extschema@.robot_id, my_party text, private boolean) RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	RAISE EXCEPTION 'robot % is not held by party %', id, coalesce(my_party, 'NULL')
		USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'robot_custody',
		      SCHEMA = 'robot_registry', TABLE = 'robots',
		      DETAIL = CASE WHEN private THEN 'It is held by its private owner.' ELSE 'It is held by another party.' END,
		      HINT = 'Only the logins of the party that holds a robot move, edit, remedy, rebuild from or hand it over.';
END
$fn$;

-- A rebuild: its source is visible to the caller (else the foreign key's
-- answer), held by the caller's party, and not held by an open recall.
-- The source's row is locked FOR SHARE, so that a recall covering it
-- either committed first (and the flag read after the lock shows it) or
-- waits until this registration commits, and then holds the rebuild too
-- (recall_opened()).
CREATE FUNCTION robot_registry.check_rebuild_source(id @extschema@.robot_id, source @extschema@.robot_id, my_party text)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	holder text;
	held boolean;
BEGIN
	SELECT r.custodian INTO holder FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) source;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'insert or update on table "robots" violates foreign key constraint "robots_refurbished_from_fkey"'
			USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'robots_refurbished_from_fkey',
			      SCHEMA = 'robot_registry', TABLE = 'robots',
			      DETAIL = format('Key (refurbished_from)=(%s) is not present in table "robots".', source);
	END IF;
	IF holder IS DISTINCT FROM my_party THEN
		PERFORM robot_registry.refuse_custody(source, my_party, holder IS NULL);
	END IF;
	SELECT r.recalled INTO held FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) source FOR SHARE;
	IF held THEN
		RAISE EXCEPTION 'robot % may not be rebuilt into robot %: an open recall holds it', source, id
			USING ERRCODE = 'check_violation', CONSTRAINT = 'robot_recall_hold',
			      SCHEMA = 'robot_registry', TABLE = 'robots',
			      DETAIL = 'A rebuild from a robot under an open recall would carry the defect to the market under a new code.',
			      HINT = 'Remedy the source for its recalls first.';
	END IF;
	-- A recall takes its model's gate before it looks for rebuilds of its
	-- range (recall_opened()), but locks only the rows of its range first:
	-- the source's lock alone does not stop a recall at REPEATABLE READ
	-- from missing this rebuild, nor one covering a robot the source was
	-- itself rebuilt from.  Taking the gates of the models of the source
	-- and of every robot it descends from makes such a recall wait for
	-- this registration and see it (READ COMMITTED), or fail with 40001.
	WITH RECURSIVE line(id, source) AS (
		SELECT r.id, r.refurbished_from FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) source
		UNION
		SELECT r.id, r.refurbished_from FROM robot_registry.robots r JOIN line l ON r.id OPERATOR(@extschema@.=) l.source)
	INSERT INTO robot_registry.model_gates AS g (model_key)
	SELECT DISTINCT @extschema@.robot_id_model_key(l.id) FROM line l ORDER BY 1
	ON CONFLICT ON CONSTRAINT model_gates_pkey DO UPDATE SET registrations = g.registrations;
END
$fn$;

-- Whether a private owner ever held the robot: a change of hands to no
-- party (a sale to a person, a hand-back) is in its chain, or the custody
-- an upgrade derived was a private owner's.  Only then may a party hand it
-- "back" to its private owner.  As the caller: it reads the robot's events,
-- which the caller sees only if it sees the robot.
CREATE FUNCTION robot_registry.had_private_owner(id @extschema@.robot_id) RETURNS boolean
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	RETURN EXISTS (SELECT 1 FROM robot_registry.events e
	                WHERE e.robot_id OPERATOR(@extschema@.=) had_private_owner.id
	                  AND (e.detail -> 'custody' -> 'to' = 'null'::jsonb
	                       OR (e.kind = 'custody derived' AND e.detail -> 'custodian' = 'null'::jsonb)));
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.had_private_owner(@extschema@.robot_id) FROM PUBLIC;

-- A hand-over: to a known party that may receive the robot in its state;
-- NULL hands it back to its private owner, if a private owner held it.
CREATE FUNCTION robot_registry.check_receiver(id @extschema@.robot_id, party text, state @extschema@.robot_state)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	IF party IS NULL THEN
		IF NOT robot_registry.had_private_owner(id) THEN
			RAISE EXCEPTION 'robot % has no private owner to hand it back to', id
				USING ERRCODE = 'check_violation', CONSTRAINT = 'robot_custody_receiver',
				      SCHEMA = 'robot_registry', TABLE = 'robots',
				      DETAIL = 'A robot goes to a private owner by a sale; hand_over(id, NULL) returns it to the owner who held it.';
		END IF;
		RETURN;
	END IF;
	IF NOT robot_registry.party_known(party) THEN
		RAISE EXCEPTION 'party "%" is not known', party
			USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'robots_custodian_party',
			      SCHEMA = 'robot_registry', TABLE = 'robots',
			      DETAIL = 'A robot is handed over to a party at least one login is mapped to.',
			      HINT = 'An administrator maps the receiving party''s logins in robot_registry.actors.';
	END IF;
	IF NOT robot_registry.party_may_receive(party, state, @extschema@.robot_id_manufacturer_key(id)) THEN
		RAISE EXCEPTION 'party "%" may not receive robot %, which is %', party, id, state
			USING ERRCODE = 'check_violation', CONSTRAINT = 'robot_custody_receiver',
			      SCHEMA = 'robot_registry', TABLE = 'robots',
			      DETAIL = 'A party receives a robot in a state one of its kinds moves on from: a recycler any robot to scrap, '
			               'a service provider one sold, deployed or in maintenance, a seller stock to sell, an operator one sold, '
			               'deployed or in maintenance; a manufacturer its own robots.';
	END IF;
END
$fn$;

-- As the caller, so that row-level security and the triggers apply as to
-- a direct UPDATE of custodian.
CREATE FUNCTION robot_registry.hand_over(id @extschema@.robot_id, to_party text, detail jsonb DEFAULT '{}')
	RETURNS robot_registry.robots
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	robot robot_registry.robots;
BEGIN
	PERFORM robot_registry.set_detail(hand_over.detail);
	UPDATE robot_registry.robots r SET custodian = hand_over.to_party
	 WHERE r.id OPERATOR(@extschema@.=) hand_over.id AND r.custodian IS DISTINCT FROM hand_over.to_party
	RETURNING r.* INTO robot;
	PERFORM robot_registry.set_detail(NULL);
	IF robot.id IS NOT NULL THEN
		RETURN robot;
	END IF;
	SELECT * INTO robot FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) hand_over.id;
	IF NOT FOUND THEN
		IF robot_registry.actor_kind() IS NULL AND NOT robot_registry.is_administrator() THEN
			RAISE EXCEPTION 'role % is not a registry actor', current_user
				USING ERRCODE = 'insufficient_privilege',
				      HINT = 'An administrator maps roles in robot_registry.actors.';
		END IF;
		RAISE EXCEPTION 'robot % is not registered, or not visible to you', hand_over.id
			USING ERRCODE = 'no_data_found';
	ELSIF robot.custodian IS NOT DISTINCT FROM hand_over.to_party THEN
		RAISE EXCEPTION 'robot % is already held by %', hand_over.id,
			coalesce('party "' || hand_over.to_party || '"', 'its private owner')
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	PERFORM robot_registry.refuse_custody(hand_over.id, robot_registry.actor_party(), robot.custodian IS NULL);
	RETURN NULL;
END
$fn$;
COMMENT ON FUNCTION robot_registry.hand_over(@extschema@.robot_id, text, jsonb)
	IS 'hand a robot your party holds to another party (NULL: back to its private owner), as an event in its log';

-- Transfer codes: 16 letters and digits (no I, O, 0 or 1), 80 random bits,
-- shown in groups of four; case, blanks and dashes do not matter.
CREATE FUNCTION robot_registry.transfer_code_normal(code text) RETURNS text
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	RETURN upper(regexp_replace(code, '[[:space:]-]', '', 'g'));
END
$fn$;

-- As the caller: the party that handed a robot to its private owner
-- issues the code, while the owner holds it (policy transfer_codes_issue);
-- a new code replaces the last.  Only its hash is stored.
CREATE FUNCTION robot_registry.transfer_code(id @extschema@.robot_id) RETURNS text
	LANGUAGE plpgsql VOLATILE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	alphabet constant text := 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
	random_bytes bytea := sha256(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()));
	code text := '';
	i integer;
BEGIN
	FOR i IN 0 .. 15 LOOP
		code := code || substr(alphabet, (get_byte(random_bytes, i) & 31) + 1, 1);
	END LOOP;
	UPDATE robot_registry.transfer_codes t SET code_hash = sha256(convert_to(code, 'UTF8'))
	 WHERE t.robot_id OPERATOR(@extschema@.=) transfer_code.id;
	IF NOT FOUND THEN
		IF robot_registry.actor_kind() IS NULL AND NOT robot_registry.is_administrator() THEN
			RAISE EXCEPTION 'role % is not a registry actor', current_user
				USING ERRCODE = 'insufficient_privilege',
				      HINT = 'An administrator maps roles in robot_registry.actors.';
		END IF;
		RAISE EXCEPTION 'robot % is not registered, or not held by a private owner your party handed it to', transfer_code.id
			USING ERRCODE = 'no_data_found',
			      HINT = 'The party that sold a robot to a person, or handed it back to them, issues its transfer codes.';
	END IF;
	RETURN left(code, 4) || '-' || substr(code, 5, 4) || '-' || substr(code, 9, 4) || '-' || right(code, 4);
END
$fn$;
COMMENT ON FUNCTION robot_registry.transfer_code(@extschema@.robot_id)
	IS 'a one-time code that lets a party take a robot from its private owner; issued by the party that handed it over';

-- As the caller: an issued code is stamped.
CREATE FUNCTION robot_registry.check_transfer_issuer() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.transfer_codes'::regclass OR TG_NAME IS DISTINCT FROM 'transfer_codes_issuer' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.transfer_codes', 'transfer_codes_issuer');
	END IF;
	IF robot_registry.is_administrator() THEN
		RETURN NEW;
	END IF;
	NEW.issued_at := now();
	NEW.issued_by := current_user;
	RETURN NEW;
END
$fn$;
CREATE TRIGGER transfer_codes_issuer BEFORE UPDATE ON robot_registry.transfer_codes
	FOR EACH ROW EXECUTE FUNCTION robot_registry.check_transfer_issuer();

-- As the registry: every code issued is an event 'code issued' in the
-- robot's chain, naming the login and the party that issued it.  The
-- party that handed a robot to its owner can always issue a new code,
-- which voids the owner's, and so take the robot back with it: the code
-- is only as good as its issuer, and its chain shows every issue before
-- the robot is received.  The robot's row is locked first, as a move
-- would lock it, so that its log cannot fork.
CREATE FUNCTION robot_registry.log_code_issued() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	robot robot_registry.robots;
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.transfer_codes'::regclass OR TG_NAME IS DISTINCT FROM 'transfer_codes_log' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.transfer_codes', 'transfer_codes_log');
	END IF;
	SELECT * INTO robot FROM robot_registry.robots r
	 WHERE r.id OPERATOR(@extschema@.=) NEW.robot_id FOR NO KEY UPDATE;
	INSERT INTO robot_registry.events (robot_id, kind, from_state, to_state, recalled, detail, actor, at, row_hash)
	VALUES (robot.id, 'code issued', robot.state, robot.state, robot.recalled,
	        jsonb_build_object('issued_by_party', NEW.handed_by),
	        coalesce(NEW.issued_by, session_user), coalesce(NEW.issued_at, now()), robot_registry.robot_row_hash(robot));
	RETURN NULL;
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.log_code_issued() FROM PUBLIC;
CREATE TRIGGER transfer_codes_log AFTER UPDATE OF code_hash ON robot_registry.transfer_codes
	FOR EACH ROW WHEN (NEW.code_hash IS NOT NULL AND NEW.code_hash IS DISTINCT FROM OLD.code_hash)
	EXECUTE FUNCTION robot_registry.log_code_issued();

-- As the caller: who claims, for which party.  A claim is a service
-- provider's, a seller's or a recycler's.
CREATE FUNCTION robot_registry.check_claimant() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	my_kind robot_registry.actor_kind;
	my_party text;
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.custody_claims'::regclass OR TG_NAME IS DISTINCT FROM 'custody_claims_1_claimant' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.custody_claims', 'custody_claims_1_claimant');
	END IF;
	SELECT a.kind, a.party INTO my_kind, my_party FROM robot_registry.actors a WHERE a.role_name = current_user;
	IF my_kind IS NULL THEN
		RAISE EXCEPTION 'role % is not a registry actor', current_user
			USING ERRCODE = 'insufficient_privilege',
			      HINT = 'An administrator maps roles in robot_registry.actors.';
	ELSIF my_kind NOT IN ('service_provider', 'seller', 'recycler') THEN
		RAISE EXCEPTION '% may not receive robots from their private owners', robot_registry.actor_name(my_kind)
			USING ERRCODE = 'insufficient_privilege',
			      HINT = 'Service providers, sellers and recyclers take a private owner''s robot with its transfer code.';
	END IF;
	NEW.claimant := current_user;
	NEW.claimant_party := my_party;
	NEW.claimed_at := now();
	NEW.outcome := 'pending';
	RETURN NEW;
END
$fn$;

-- As the registry: judge a claim.  A private owner's robot is sold,
-- deployed or in maintenance, and any claimant (a service provider, a
-- seller, a recycler: check_claimant()) may take it with its code.  Only a
-- claim that brings the right code locks anything: the robot's row and its
-- code, read again once locked, so that of two claims with one code the
-- second finds it used.  A right code hands the robot to the claimant's
-- party, as an event 'received' in its log, and is used up.  A wrong or
-- used code, a robot that is not a private owner's, and a code that is not
-- registered are all just 'refused', and lock and write nothing but the
-- claim itself (custody_claims, which transfer_failures counts for the
-- regulator), so that nobody can hold the robots, or their codes, by
-- claiming them.  A wrong code voids nothing: a code has 80 random bits,
-- and voiding would let anyone void every owner's code.
CREATE FUNCTION robot_registry.judge_claim() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	robot robot_registry.robots;
	code robot_registry.transfer_codes;
	saved_detail text := current_setting('robot_registry.detail', true);
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.custody_claims'::regclass OR TG_NAME IS DISTINCT FROM 'custody_claims_2_judge' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.custody_claims', 'custody_claims_2_judge');
	END IF;
	SELECT * INTO robot FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) NEW.robot_id;
	SELECT * INTO code FROM robot_registry.transfer_codes t WHERE t.robot_id OPERATOR(@extschema@.=) NEW.robot_id;
	IF robot.custodian IS NULL AND code.code_hash = NEW.code_hash THEN
		SELECT * INTO robot FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) NEW.robot_id FOR NO KEY UPDATE;
		SELECT * INTO code FROM robot_registry.transfer_codes t WHERE t.robot_id OPERATOR(@extschema@.=) NEW.robot_id FOR UPDATE;
	END IF;
	IF robot.id IS NOT NULL AND robot.custodian IS NULL AND code.code_hash = NEW.code_hash THEN
		PERFORM robot_registry.act_as(NEW.claimant, coalesce(nullif(saved_detail, ''), '{}')::jsonb),
		        robot_registry.set_internal('received');
		UPDATE robot_registry.robots r SET custodian = NEW.claimant_party, changed_by = NEW.claimant
		 WHERE r.id OPERATOR(@extschema@.=) NEW.robot_id;
		PERFORM robot_registry.act_as(NULL, NULL), robot_registry.set_internal(NULL);
		PERFORM set_config('robot_registry.detail', coalesce(saved_detail, ''), true);
		NEW.outcome := 'received';
	ELSE
		NEW.outcome := 'refused';
	END IF;
	NEW.code_hash := NULL;
	RETURN NEW;
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.judge_claim() FROM PUBLIC;
CREATE TRIGGER custody_claims_1_claimant BEFORE INSERT ON robot_registry.custody_claims
	FOR EACH ROW EXECUTE FUNCTION robot_registry.check_claimant();
CREATE TRIGGER custody_claims_2_judge BEFORE INSERT ON robot_registry.custody_claims
	FOR EACH ROW EXECUTE FUNCTION robot_registry.judge_claim();
CREATE TRIGGER custody_claims_append_only BEFORE UPDATE OR DELETE ON robot_registry.custody_claims
	FOR EACH ROW EXECUTE FUNCTION robot_registry.refuse_change();
CREATE TRIGGER custody_claims_no_truncate BEFORE TRUNCATE ON robot_registry.custody_claims
	FOR EACH STATEMENT EXECUTE FUNCTION robot_registry.refuse_change();

-- As the caller: take a private owner's robot with its transfer code.
-- Returns the robot, now held by the caller's party, or NULL: a wrong
-- code, a used one, a robot no private owner holds and a code that is not
-- registered answer alike, and the claim is kept for the regulator
-- (transfer_failures) if the caller's transaction commits.
CREATE FUNCTION robot_registry.receive(id @extschema@.robot_id, transfer_code text, detail jsonb DEFAULT '{}')
	RETURNS robot_registry.robots
	LANGUAGE plpgsql VOLATILE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	robot robot_registry.robots;
	result text;
BEGIN
	IF receive.id IS NULL OR receive.transfer_code IS NULL THEN
		RAISE EXCEPTION 'receive() needs a robot and its transfer code'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	PERFORM robot_registry.set_detail(receive.detail);
	INSERT INTO robot_registry.custody_claims AS c (robot_id, code_hash)
	VALUES (receive.id, sha256(convert_to(robot_registry.transfer_code_normal(receive.transfer_code), 'UTF8')))
	RETURNING c.outcome INTO result;
	PERFORM robot_registry.set_detail(NULL);
	IF result = 'received' THEN
		SELECT * INTO robot FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) receive.id;
		RETURN robot;
	END IF;
	RETURN NULL;
END
$fn$;
COMMENT ON FUNCTION robot_registry.receive(@extschema@.robot_id, text, jsonb)
	IS 'take a robot from its private owner with its transfer code (service providers, sellers, recyclers); NULL when refused';

-- Refused claims, for the regulator (and each claimant its own).
CREATE VIEW robot_registry.transfer_failures WITH (security_invoker = true) AS
SELECT c.robot_id, count(*) AS failures, count(DISTINCT c.claimant) AS claimants,
       min(c.claimed_at) AS first_failure, max(c.claimed_at) AS last_failure,
       array_agg(DISTINCT c.claimant ORDER BY c.claimant) AS claimed_by
  FROM robot_registry.custody_claims c
 WHERE c.outcome = 'refused'
 GROUP BY c.robot_id;

-- For robot_registry_upgrade() from a registry before custody: one event
-- 'custody derived' in the chain of every robot, recording the custodian
-- the step derived (registry/upgrade/1.4--1.5.sql), with the row's hash
-- that now covers it.  Only a robot whose row is the one its last event
-- recorded gets one (by the 1.4 row hash, or for a 1.2 event by its state
-- and flag): the others keep a last event that does not match their row,
-- and verify() refuses the upgrade for them.
CREATE FUNCTION robot_registry.derive_custody() RETURNS bigint
	LANGUAGE plpgsql VOLATILE
	SET search_path = pg_catalog, pg_temp
	SET TimeZone = 'UTC'
	AS $fn$
DECLARE
	n bigint;
BEGIN
	INSERT INTO robot_registry.events (robot_id, kind, from_state, to_state, recalled, detail, actor, at, row_hash)
	SELECT r.id, 'custody derived', r.state, r.state, r.recalled,
	       jsonb_build_object('custodian', r.custodian,
	                          'rule', 'the party of the last registration or move; after a sale, the known party it names, '
	                                  'else the private owner'),
	       session_user, now(), robot_registry.robot_row_hash(r)
	  FROM robot_registry.robots r
	  JOIN LATERAL (SELECT e.row_hash, e.to_state, e.recalled FROM robot_registry.events e
	                 WHERE e.robot_id OPERATOR(@extschema@.=) r.id ORDER BY e.event_id DESC LIMIT 1) l ON true
	 WHERE CASE WHEN l.row_hash IS NULL THEN (r.state, r.recalled) = (l.to_state, l.recalled)
	            ELSE l.row_hash = sha256(convert_to(concat_ws('|',
	                     quote_nullable(r.id::text), quote_nullable(r.state::text), quote_nullable(r.recalled::text),
	                     quote_nullable(r.refurbished_from::text), quote_nullable(r.owner_name), quote_nullable(r.location),
	                     quote_nullable(robot_registry.time_text(r.registered_at)),
	                     quote_nullable(robot_registry.time_text(r.updated_at)),
	                     quote_nullable(r.changed_by::text), quote_nullable(r.revision::text)), 'UTF8')) END
	 ORDER BY r.id;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.derive_custody() FROM PUBLIC;

-- check_actor()'s helpers run as the caller: for mapped roles only
-- (actor_grants())
REVOKE ALL ON FUNCTION robot_registry.refuse_custody(@extschema@.robot_id, text, boolean),
	robot_registry.check_rebuild_source(@extschema@.robot_id, @extschema@.robot_id, text),
	robot_registry.check_receiver(@extschema@.robot_id, text, @extschema@.robot_state) FROM PUBLIC;
