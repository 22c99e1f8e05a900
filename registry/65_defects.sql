-- 65: defects that force recalls.  Operators, service providers and
-- manufacturers report defects of robots; a defect category becomes common
-- for a model when at least N distinct robots of that model report it
-- within W days (defect_thresholds, edited by the regulator); the registry
-- records that crossing once, and the views show who owes a recall for it.
--
-- A category is a short free-text label such as 'knee actuator', kept in
-- one normal form (defect_category()): surrounding blanks dropped, inner
-- runs of blanks made one space, ASCII letters lower-cased; what remains
-- must be 1 to 64 characters of a-z, 0-9, space, '-', '_', '/' and '.',
-- starting with a letter or a digit.  No catalogue to maintain, and two
-- reporters who type 'Knee  Actuator' and 'knee actuator' file the same
-- defect; anything else is refused, never guessed at.
--
-- Standing.  A report counts only if its reporter has a stake in the
-- robot: its party holds the robot, or held it (the registering login's
-- party, either side of any change of hands in the robot's chain, the
-- custodian an upgrade derived), or the reporter is the robot's
-- manufacturer.  Each report is stamped when it is filed (for an
-- administrator, for the actor it names with act_as()) with the reporter's
-- party, the robot's holder then ('private:' and the code while a private
-- owner holds it) and its standing.  Without a stake, one operator's login
-- could force a critical recall on any manufacturer with a few reports on
-- robots it never saw.  A report without standing is kept like any other
-- (reports are append-only) and shown to the regulator
-- (reports_without_standing), but counts towards nothing.  Reports filed
-- before the upgrade to 1.5 keep standing: who held what was not recorded
-- then, and they counted when they were filed; their holder is unknown
-- (NULL), and each such robot counts as its own holder below.
--
-- A crossing also needs more than one party's word: the reports counted
-- come from at least two distinct parties (a report from before 1.5, whose
-- party was not recorded, counts as its login's), or at least one of them
-- is the manufacturer's own (a maker that reports its own defect has
-- nothing to gain by it).  The issue asked for robots of two distinct
-- holders; the reporters are counted instead, because one party can make
-- holders at will (it sells the robots to persons, each then its own
-- holder, or hands one to any service provider), but not parties, which
-- only an administrator maps.  One party, even one that holds every robot
-- it reports, forces no recall alone; its reports still count towards a
-- crossing another party's reports complete.  The holder stamped on each
-- report stays for the regulator's review.
--
-- An episode: a crossing is an obligation until it is settled, and while
-- it is, the category is common for the model and no second crossing is
-- recorded; after it, only reports filed after the settlement count
-- towards the next crossing.  Paperwork settles nothing: a crossing is
-- settled only
--   (a) by remedies: one recall of the model that names the category has
--       remedied every robot whose reports made it common, each after its
--       last counted report; settled at the last of those remedies, and
--       never before the crossing;
--   (b) by the regulator: the regulator closes a recall that names the
--       category and takes in every such robot (closer_kind, stamped by
--       check_recall_actor()); settled at the closing, if it came at or
--       after the crossing;
--   (c) by a waiver: the regulator waives the obligation with a reason
--       (waive_obligation(), defect_waivers, in the ledger); settled at
--       the waiver.
-- A recall the manufacturer opens and closes with the robots unremedied
-- leaves the obligation owed (recall_obligations).  On an upgrade from a
-- registry before 1.5, where the first closing of such a recall by anyone
-- settled a crossing, a crossing that none of (a) to (c) settles is owed
-- again, unless a later crossing of the same model and category was
-- recorded (the old rule settled it then); the regulator may waive it.
--
-- Reports, thresholds, crossings and waivers are in the ledger; reports,
-- crossings and waivers are append-only.  The tables are in
-- 15_defect_tables.sql and 16_custody_tables.sql, the default threshold
-- in 66_defect_defaults.sql (data files: install only).

-- The category as the registry keys it, or 22023 naming what was given.
CREATE FUNCTION robot_registry.defect_category(category text) RETURNS text
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	normal text := translate(btrim(regexp_replace(category, '\s+', ' ', 'g')),
	                         'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz');
BEGIN
	IF normal IS NULL OR normal !~ '^[a-z0-9][a-z0-9 ./_-]{0,63}$' THEN
		-- the value as given, cut to 100 characters
		RAISE EXCEPTION 'invalid defect category: %',
			coalesce('"' || left(category, 100) || CASE WHEN length(category) > 100 THEN '...' ELSE '' END || '"', 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
			      DETAIL = CASE WHEN normal = '' THEN 'The category is blank.'
			                    WHEN length(normal) > 64 THEN format('It has %s characters; at most 64.', length(normal))
			                    WHEN normal IS NOT NULL THEN 'It has a character other than a-z, 0-9, space, "-", "_", "/" and ".", or does not start with a letter or a digit.'
			                    ELSE 'No category was given.' END,
			      HINT = 'A category is a short label such as ''knee actuator''; case and extra blanks do not matter.';
	END IF;
	RETURN normal;
END
$fn$;
COMMENT ON FUNCTION robot_registry.defect_category(text)
	IS 'a defect category in the registry''s normal form (trimmed, one space between words, lower case), or 22023';

-- The severity as the registry keeps it, or 22023 naming what was given.
CREATE FUNCTION robot_registry.defect_severity(severity text) RETURNS text
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	normal text := lower(btrim(severity));
BEGIN
	IF normal IS NULL OR normal NOT IN ('minor', 'major', 'critical') THEN
		RAISE EXCEPTION 'unknown defect severity: %',
			coalesce('"' || left(severity, 100) || CASE WHEN length(severity) > 100 THEN '...' ELSE '' END || '"', 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'The severities are minor, major (the default) and critical.';
	END IF;
	RETURN normal;
END
$fn$;
COMMENT ON FUNCTION robot_registry.defect_severity(text)
	IS 'minor, major or critical, as the registry keeps it, or 22023';

-- The threshold in force for a category: its own row, else '*'.
CREATE FUNCTION robot_registry.defect_threshold(category text, OUT min_robots integer, OUT window_days integer)
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	SELECT t.min_robots, t.window_days INTO min_robots, window_days
	  FROM robot_registry.defect_thresholds t
	 WHERE t.category IN (defect_threshold.category, '*')
	 ORDER BY t.category = '*' LIMIT 1;
END
$fn$;
COMMENT ON FUNCTION robot_registry.defect_threshold(text)
	IS 'the threshold in force for a defect category: its own row in defect_thresholds, else the default ''*''';

-- The robots whose reports made a category common for a model at
-- crossed_at, each with the time of its last report counted: the reports
-- with standing after the crossing's counted_from, up to the crossing and
-- up to the last report it counted (a report filed later by a transaction
-- that began before the crossing is dated before it, but did not count).
-- Reads as the caller (the views) or as the registry (its triggers).
CREATE FUNCTION robot_registry.crossing_robots(model_key text, category text, crossed_at timestamptz)
	RETURNS TABLE (robot_id @extschema@.robot_id, last_reported_at timestamptz)
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	RETURN QUERY
	SELECT d.robot_id, max(d.reported_at)
	  FROM robot_registry.defect_crossings x
	  JOIN robot_registry.defect_reports d
	    ON d.model_key = x.model_key AND d.category = x.category
	   AND d.reported_at > x.counted_from AND d.reported_at <= x.crossed_at
	   AND d.report_id <= x.report_id AND d.standing
	 WHERE x.model_key = crossing_robots.model_key AND x.category = crossing_robots.category
	   AND x.crossed_at = crossing_robots.crossed_at
	 GROUP BY d.robot_id;
END
$fn$;

-- Whether a recall's serials leave out a robot whose report counted
-- towards the crossing of this model and category at crossed_at.  A
-- recall answers a common defect only if it names the category and takes
-- in every such robot: a recall of serials the model never made, or of
-- other units than those that failed, answers nothing.
CREATE FUNCTION robot_registry.crossing_robots_outside(model_key text, category text, crossed_at timestamptz,
	serial_from text, serial_to text)
	RETURNS boolean
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	RETURN EXISTS (
		SELECT 1
		  FROM robot_registry.crossing_robots(crossing_robots_outside.model_key, crossing_robots_outside.category,
		                                      crossing_robots_outside.crossed_at) c
		 WHERE @extschema@.robot_id_serial(c.robot_id) NOT BETWEEN crossing_robots_outside.serial_from
		                                                         AND crossing_robots_outside.serial_to);
END
$fn$;

-- When a crossing was settled (see the top of this file): the earliest of
-- the last remedy of a recall that remedied every robot of the crossing,
-- the regulator's closing of a recall that answers it, and its waiver;
-- NULL while it is owed.  A crossing recorded before 1.5 that a later
-- crossing of its pair followed was settled by the older rule before that
-- one: no registry since records a crossing while the last is unsettled.
-- Reads as the caller (the views: what it may see) or as the registry.
CREATE FUNCTION robot_registry.defect_settled_at(model_key text, category text, crossed_at timestamptz)
	RETURNS timestamptz
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	crossing robot_registry.defect_crossings;
BEGIN
	SELECT * INTO crossing FROM robot_registry.defect_crossings x
	 WHERE x.model_key = defect_settled_at.model_key AND x.category = defect_settled_at.category
	   AND x.crossed_at = defect_settled_at.crossed_at;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	RETURN least(
		-- (a) every robot of the crossing remedied under one recall naming
		-- the category, after its last counted report
		(SELECT min(greatest(crossing.crossed_at, r.last_remedy))
		   FROM robot_registry.recalls c
		  CROSS JOIN LATERAL (
			SELECT max(rr.remedied_at) AS last_remedy,
			       bool_and(coalesce(rr.remedied_at >= b.last_reported_at, false)) AS all_remedied
			  FROM robot_registry.crossing_robots(crossing.model_key, crossing.category, crossing.crossed_at) b
			  LEFT JOIN robot_registry.recall_robots rr
			    ON rr.recall_id = c.recall_id AND rr.robot_id OPERATOR(@extschema@.=) b.robot_id) r
		  WHERE c.model_key = crossing.model_key AND c.defect_category = crossing.category AND r.all_remedied),
		-- (b) a recall that answers it, closed by the regulator
		(SELECT min(c.closed_at) FROM robot_registry.recalls c
		  WHERE c.model_key = crossing.model_key AND c.defect_category = crossing.category
		    AND c.closer_kind = 'regulator' AND c.closed_at >= crossing.crossed_at
		    AND NOT robot_registry.crossing_robots_outside(c.model_key, c.defect_category, crossing.crossed_at,
		                                                   c.serial_from, c.serial_to)),
		-- (c) waived by the regulator
		(SELECT greatest(crossing.crossed_at, w.waived_at) FROM robot_registry.defect_waivers w
		  WHERE w.crossing_id = crossing.crossing_id),
		-- before 1.5: followed by another crossing
		(SELECT min(n.crossed_at) FROM robot_registry.defect_crossings n
		  WHERE n.model_key = crossing.model_key AND n.category = crossing.category
		    AND n.crossed_at > crossing.crossed_at));
END
$fn$;

-- Evaluate the thresholds of these models and categories and record each
-- crossing, in the name of actor.  The gates are taken first, in order (so
-- two evaluations never deadlock): at READ COMMITTED every report filed by
-- a transaction that committed before is visible from then on, and none
-- of the same model and category can commit until we do; at REPEATABLE
-- READ and SERIALIZABLE a gate changed since the snapshot is a
-- serialization failure (40001).  Called by the registry's triggers only.
CREATE FUNCTION robot_registry.record_defect_crossings(model_keys text[], categories text[], actor name)
	RETURNS void
	LANGUAGE plpgsql VOLATILE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	-- The moment of the evaluation: when the gates are ours, not when this
	-- transaction began.  The reports counted are those up to it, so a
	-- transaction that began before another reporter's and files the last
	-- report after that one committed counts it (else the crossing is
	-- lost); a report an administrator dated later still waits.  And it is
	-- the crossing's time, so a recall closed before the crossing (in this
	-- transaction, or in one that committed before the gates were taken)
	-- never settles it: closed_at is its transaction's start.
	evaluated_at timestamptz;
BEGIN
	INSERT INTO robot_registry.defect_gates AS g (model_key, category, evaluations)
	SELECT p.model_key, p.category, 1
	  FROM unnest(model_keys, categories) p(model_key, category)
	 GROUP BY p.model_key, p.category
	 ORDER BY p.model_key, p.category
	ON CONFLICT ON CONSTRAINT defect_gates_pkey DO UPDATE SET evaluations = g.evaluations + 1;
	evaluated_at := clock_timestamp();

	INSERT INTO robot_registry.defect_crossings
		(model_key, category, crossed_at, report_id, robots, min_robots, window_days, counted_from, crossed_by)
	SELECT p.model_key, p.category, evaluated_at, n.last_report, n.robots, t.min_robots, t.window_days,
	       greatest(e.settled_at, evaluated_at - make_interval(days => t.window_days)), actor
	  FROM (SELECT DISTINCT u.model_key, u.category FROM unnest(model_keys, categories) u(model_key, category)) p
	 CROSS JOIN LATERAL robot_registry.defect_threshold(p.category) t
	 -- the pair's latest crossing, and when it was settled (NULL: still common)
	 CROSS JOIN LATERAL (SELECT max(x.crossed_at) AS last_crossed FROM robot_registry.defect_crossings x
	                      WHERE x.model_key = p.model_key AND x.category = p.category) l
	 CROSS JOIN LATERAL (SELECT robot_registry.defect_settled_at(p.model_key, p.category, l.last_crossed) AS settled_at) e
	 -- the reports with standing in the window and after the settlement:
	 -- their robots, their reporting parties (a report from before 1.5, whose
	 -- party is unknown, its login's), and whether the manufacturer filed one
	 CROSS JOIN LATERAL (
		SELECT count(DISTINCT d.robot_id) AS robots, max(d.report_id) AS last_report,
		       count(DISTINCT coalesce(d.reporter_party, d.reported_by::text)) AS parties,
		       coalesce(bool_or(d.reporter_kind = 'manufacturer'
		                        AND EXISTS (SELECT 1 FROM robot_registry.actors a
		                                     WHERE a.role_name = d.reported_by AND a.kind = 'manufacturer'
		                                       AND a.manufacturer_key = left(d.model_key, 6))), false) AS makers_own
		  FROM robot_registry.defect_reports d
		 WHERE d.model_key = p.model_key AND d.category = p.category
		   AND d.reported_at > evaluated_at - make_interval(days => t.window_days)
		   AND d.reported_at <= evaluated_at
		   AND d.reported_at > coalesce(e.settled_at, '-infinity')
		   AND d.standing) n
	 WHERE (l.last_crossed IS NULL OR e.settled_at IS NOT NULL)
	   AND n.robots >= t.min_robots
	   AND (n.parties >= 2 OR n.makers_own)
	 ORDER BY p.model_key, p.category;
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.record_defect_crossings(text[], text[], name) FROM PUBLIC;

-- As the caller: who may report, stamped authorship and time, and the
-- category, severity and description in their normal form.  Operators and
-- service providers report robots they may see, manufacturers their own
-- (the policy defect_report checks the robot); administrators name the
-- actor with act_as() and may date an import of history.  Whether the
-- report counts is stamped next (defect_report_standing()): any robot the
-- caller sees may be reported, and a report without standing is kept.
CREATE FUNCTION robot_registry.check_defect_actor() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	my_kind robot_registry.actor_kind;
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.defect_reports'::regclass OR TG_NAME IS DISTINCT FROM 'defect_reports_actor' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.defect_reports', 'defect_reports_actor');
	END IF;
	NEW.category := robot_registry.defect_category(NEW.category);
	NEW.severity := robot_registry.defect_severity(NEW.severity);
	IF NEW.description IS NULL OR btrim(NEW.description) = '' THEN
		RAISE EXCEPTION 'invalid defect description: %', coalesce('"' || NEW.description || '"', 'NULL')
			USING ERRCODE = 'invalid_parameter_value', HINT = 'Say what went wrong.';
	ELSIF length(NEW.description) > 2000 THEN
		RAISE EXCEPTION 'defect description too long: % characters', length(NEW.description)
			USING ERRCODE = 'string_data_right_truncation', DETAIL = 'A description has at most 2000 characters.';
	END IF;
	IF robot_registry.is_administrator() THEN
		NEW.reported_by := coalesce(nullif(current_setting('robot_registry.actor', true), ''), NEW.reported_by);
		NEW.reporter_kind := coalesce(NEW.reporter_kind,
			(SELECT a.kind FROM robot_registry.actors a WHERE a.role_name = NEW.reported_by));
		RETURN NEW;
	END IF;
	my_kind := robot_registry.actor_kind();
	IF my_kind IS NULL THEN
		RAISE EXCEPTION 'role % is not a registry actor', current_user
			USING ERRCODE = 'insufficient_privilege',
			      HINT = 'An administrator maps roles in robot_registry.actors.';
	ELSIF my_kind NOT IN ('operator', 'service_provider', 'manufacturer') THEN
		RAISE EXCEPTION '% may not report defects', robot_registry.actor_name(my_kind)
			USING ERRCODE = 'insufficient_privilege',
			      HINT = 'Operators and service providers report defects of robots they may see, manufacturers of their own robots.';
	END IF;
	NEW.reported_by := current_user;
	NEW.reporter_kind := my_kind;
	NEW.reported_at := now();
	RETURN NEW;
END
$fn$;
CREATE TRIGGER defect_reports_actor BEFORE INSERT ON robot_registry.defect_reports
	FOR EACH ROW EXECUTE FUNCTION robot_registry.check_defect_actor();

-- As the registry, after check_defect_actor() (triggers fire in name
-- order) has stamped the author: the reporter's party, the robot's holder
-- and the report's standing (see the top of this file), whatever the
-- insert said.  With the owner's rights because a party that held a robot
-- is known from mappings the reporter may not read (the registering
-- login's party); the reporter learns nothing it could not see: it sees
-- the robot, its custodian and its chain.
CREATE FUNCTION robot_registry.defect_report_standing() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	reporter robot_registry.actors;
	custodian text;
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.defect_reports'::regclass OR TG_NAME IS DISTINCT FROM 'defect_reports_standing' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.defect_reports', 'defect_reports_standing');
	END IF;
	SELECT * INTO reporter FROM robot_registry.actors a WHERE a.role_name = NEW.reported_by;
	SELECT r.custodian INTO custodian FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) NEW.robot_id;
	NEW.reporter_party := reporter.party;
	NEW.holder := coalesce(custodian, 'private:' || NEW.robot_id::text);
	NEW.standing := reporter.party IS NOT NULL AND (
		(reporter.kind = 'manufacturer' AND reporter.manufacturer_key = @extschema@.robot_id_manufacturer_key(NEW.robot_id))
		OR custodian IS NOT DISTINCT FROM reporter.party
		OR EXISTS (
			SELECT 1 FROM robot_registry.events e
			 WHERE e.robot_id OPERATOR(@extschema@.=) NEW.robot_id
			   AND (e.detail -> 'custody' ->> 'from' = reporter.party
			        OR e.detail -> 'custody' ->> 'to' = reporter.party
			        OR (e.kind = 'custody derived' AND e.detail ->> 'custodian' = reporter.party)
			        OR (e.kind = 'registered'
			            AND coalesce((SELECT a.party FROM robot_registry.actors a WHERE a.role_name = e.actor),
			                         e.actor::text) = reporter.party))));
	RETURN NEW;
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.defect_report_standing() FROM PUBLIC;
CREATE TRIGGER defect_reports_standing BEFORE INSERT ON robot_registry.defect_reports
	FOR EACH ROW EXECUTE FUNCTION robot_registry.defect_report_standing();

-- As the registry, after each statement that files reports: evaluate the
-- thresholds of the models and categories reported; a crossing is in the
-- name of the (first) reporter.
CREATE FUNCTION robot_registry.defect_reports_filed() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	model_keys text[];
	categories text[];
	reporter name;
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.defect_reports'::regclass OR TG_NAME IS DISTINCT FROM 'defect_reports_crossing' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.defect_reports', 'defect_reports_crossing');
	END IF;
	SELECT array_agg(f.model_key), array_agg(f.category), min(f.reported_by)
	  INTO model_keys, categories, reporter
	  FROM filed f;
	PERFORM robot_registry.record_defect_crossings(model_keys, categories, reporter);
	RETURN NULL;
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.defect_reports_filed() FROM PUBLIC;
CREATE TRIGGER defect_reports_crossing AFTER INSERT ON robot_registry.defect_reports
	REFERENCING NEW TABLE AS filed
	FOR EACH STATEMENT EXECUTE FUNCTION robot_registry.defect_reports_filed();

-- As the caller: a threshold is set in the name of who set it, now; the
-- default row stays.
CREATE FUNCTION robot_registry.check_threshold_actor() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.defect_thresholds'::regclass OR TG_NAME IS DISTINCT FROM 'defect_thresholds_actor' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.defect_thresholds', 'defect_thresholds_actor');
	END IF;
	IF TG_OP = 'DELETE' THEN
		IF OLD.category = '*' THEN
			RAISE EXCEPTION 'the default defect threshold cannot be deleted'
				USING ERRCODE = 'check_violation', CONSTRAINT = 'defect_thresholds_default',
				      SCHEMA = 'robot_registry', TABLE = 'defect_thresholds',
				      HINT = 'Set its min_robots and window_days instead.';
		END IF;
		RETURN OLD;
	END IF;
	IF NEW.category IS DISTINCT FROM '*' THEN
		NEW.category := robot_registry.defect_category(NEW.category);
	END IF;
	IF TG_OP = 'UPDATE' AND OLD.category = '*' AND NEW.category <> '*' THEN
		RAISE EXCEPTION 'the default defect threshold cannot be renamed'
			USING ERRCODE = 'check_violation', CONSTRAINT = 'defect_thresholds_default',
			      SCHEMA = 'robot_registry', TABLE = 'defect_thresholds';
	END IF;
	IF robot_registry.is_administrator() THEN
		NEW.set_by := coalesce(nullif(current_setting('robot_registry.actor', true), ''),
		                       CASE WHEN TG_OP = 'INSERT' THEN NEW.set_by END, current_user);
		NEW.set_at := CASE WHEN TG_OP = 'UPDATE' AND NEW.set_at IS NOT DISTINCT FROM OLD.set_at THEN now()
		                   ELSE NEW.set_at END;
	ELSE
		NEW.set_by := current_user;
		NEW.set_at := now();
	END IF;
	RETURN NEW;
END
$fn$;
CREATE TRIGGER defect_thresholds_actor BEFORE INSERT OR UPDATE OR DELETE ON robot_registry.defect_thresholds
	FOR EACH ROW EXECUTE FUNCTION robot_registry.check_threshold_actor();

-- As the registry: a changed threshold may make a defect common now; every
-- model and category with a report inside the widest window is evaluated
-- again, in the name of who changed it.  Lowering a threshold records the
-- crossings it causes; raising one undoes none.
CREATE FUNCTION robot_registry.defect_thresholds_changed() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	model_keys text[];
	categories text[];
	setter name;
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.defect_thresholds'::regclass
	   OR TG_NAME IS DISTINCT FROM 'defect_thresholds_' || lower(TG_OP) THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.defect_thresholds',
		                                     'defect_thresholds_' || lower(TG_OP));
	END IF;
	IF TG_OP = 'DELETE' THEN
		setter := coalesce(nullif(current_setting('robot_registry.actor', true), ''), session_user);
	ELSE
		SELECT min(c.set_by) INTO setter FROM changed c;
	END IF;
	SELECT array_agg(p.model_key ORDER BY p.model_key, p.category), array_agg(p.category ORDER BY p.model_key, p.category)
	  INTO model_keys, categories
	  FROM (SELECT DISTINCT d.model_key, d.category FROM robot_registry.defect_reports d
	         WHERE d.reported_at > now() - make_interval(days => (SELECT max(t.window_days) FROM robot_registry.defect_thresholds t))) p;
	IF model_keys IS NOT NULL THEN
		PERFORM robot_registry.record_defect_crossings(model_keys, categories, setter);
	END IF;
	RETURN NULL;
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.defect_thresholds_changed() FROM PUBLIC;
-- one trigger per event: a trigger with a transition table has one event
CREATE TRIGGER defect_thresholds_insert AFTER INSERT ON robot_registry.defect_thresholds
	REFERENCING NEW TABLE AS changed
	FOR EACH STATEMENT EXECUTE FUNCTION robot_registry.defect_thresholds_changed();
CREATE TRIGGER defect_thresholds_update AFTER UPDATE ON robot_registry.defect_thresholds
	REFERENCING NEW TABLE AS changed
	FOR EACH STATEMENT EXECUTE FUNCTION robot_registry.defect_thresholds_changed();
CREATE TRIGGER defect_thresholds_delete AFTER DELETE ON robot_registry.defect_thresholds
	REFERENCING OLD TABLE AS changed
	FOR EACH STATEMENT EXECUTE FUNCTION robot_registry.defect_thresholds_changed();

-- As the caller: a recall's category in its normal form.
CREATE FUNCTION robot_registry.normalize_recall_category() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.recalls'::regclass OR TG_NAME IS DISTINCT FROM 'recalls_category' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.recalls', 'recalls_category');
	END IF;
	IF NEW.defect_category IS NOT NULL THEN
		NEW.defect_category := robot_registry.defect_category(NEW.defect_category);
	END IF;
	RETURN NEW;
END
$fn$;
CREATE TRIGGER recalls_category BEFORE INSERT OR UPDATE OF defect_category ON robot_registry.recalls
	FOR EACH ROW EXECUTE FUNCTION robot_registry.normalize_recall_category();

-- A waiver's reason as the registry keeps it (surrounding blanks
-- dropped), or 22023 naming what was given.
CREATE FUNCTION robot_registry.waiver_reason(reason text) RETURNS text
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	normal text := btrim(reason);
BEGIN
	IF normal IS NULL OR normal = '' OR length(normal) > 2000 THEN
		RAISE EXCEPTION 'invalid waiver reason: %',
			coalesce('"' || left(reason, 100) || CASE WHEN length(reason) > 100 THEN '...' ELSE '' END || '"', 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
			      DETAIL = CASE WHEN normal IS NULL THEN 'No reason was given.'
			                    WHEN normal = '' THEN 'The reason is blank.'
			                    ELSE format('It has %s characters; at most 2000.', length(normal)) END,
			      HINT = 'Say why the recall the defect would force is not owed.';
	END IF;
	RETURN normal;
END
$fn$;
COMMENT ON FUNCTION robot_registry.waiver_reason(text)
	IS 'a waiver''s reason as the registry keeps it (trimmed, 1 to 2000 characters), or 22023';

-- As the caller: only the regulator waives (administrators name the
-- actor with act_as() and may date an import), an obligation it sees
-- that is still owed; the author and time are stamped.
CREATE FUNCTION robot_registry.check_waiver_actor() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	my_kind robot_registry.actor_kind;
	crossing robot_registry.defect_crossings;
BEGIN
	IF TG_RELID IS DISTINCT FROM 'robot_registry.defect_waivers'::regclass OR TG_NAME IS DISTINCT FROM 'defect_waivers_actor' THEN
		PERFORM robot_registry.check_trigger(TG_RELID, TG_NAME, 'robot_registry.defect_waivers', 'defect_waivers_actor');
	END IF;
	NEW.reason := robot_registry.waiver_reason(NEW.reason);
	IF robot_registry.is_administrator() THEN
		NEW.waived_by := coalesce(nullif(current_setting('robot_registry.actor', true), ''), NEW.waived_by);
	ELSE
		my_kind := robot_registry.actor_kind();
		IF my_kind IS NULL THEN
			RAISE EXCEPTION 'role % is not a registry actor', current_user
				USING ERRCODE = 'insufficient_privilege',
				      HINT = 'An administrator maps roles in robot_registry.actors.';
		ELSIF my_kind <> 'regulator' THEN
			RAISE EXCEPTION '% may not waive defect obligations', robot_registry.actor_name(my_kind)
				USING ERRCODE = 'insufficient_privilege',
				      HINT = 'Only the regulator waives a recall obligation; a manufacturer settles one by remedying the robots.';
		END IF;
		NEW.waived_by := current_user;
		NEW.waived_at := now();
	END IF;
	SELECT * INTO crossing FROM robot_registry.defect_crossings x WHERE x.crossing_id = NEW.crossing_id;
	IF NOT FOUND OR robot_registry.defect_settled_at(crossing.model_key, crossing.category, crossing.crossed_at) IS NOT NULL THEN
		RAISE EXCEPTION 'defect crossing % is not an open obligation, or not visible to you', coalesce(NEW.crossing_id::text, 'NULL')
			USING ERRCODE = 'no_data_found',
			      HINT = 'recall_obligations and common_defects list the crossings still owed.';
	END IF;
	RETURN NEW;
END
$fn$;
CREATE TRIGGER defect_waivers_actor BEFORE INSERT ON robot_registry.defect_waivers
	FOR EACH ROW EXECUTE FUNCTION robot_registry.check_waiver_actor();

-- Runs as the caller, so the trigger and policies apply as to a direct
-- INSERT.  Bad arguments are refused first, then a caller who may not
-- waive, then a crossing that is not an open obligation.
CREATE FUNCTION robot_registry.waive_obligation(crossing_id bigint, reason text)
	RETURNS robot_registry.defect_waivers
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	my_kind robot_registry.actor_kind;
	waived robot_registry.defect_waivers;
BEGIN
	IF waive_obligation.crossing_id IS NULL THEN
		RAISE EXCEPTION 'invalid defect crossing id: NULL'
			USING ERRCODE = 'invalid_parameter_value', HINT = 'Name the crossing_id of an obligation in recall_obligations.';
	END IF;
	PERFORM robot_registry.waiver_reason(waive_obligation.reason);
	IF NOT robot_registry.is_administrator() THEN
		my_kind := robot_registry.actor_kind();
		IF my_kind IS NULL THEN
			RAISE EXCEPTION 'role % is not a registry actor', current_user
				USING ERRCODE = 'insufficient_privilege',
				      HINT = 'An administrator maps roles in robot_registry.actors.';
		ELSIF my_kind <> 'regulator' THEN
			RAISE EXCEPTION '% may not waive defect obligations', robot_registry.actor_name(my_kind)
				USING ERRCODE = 'insufficient_privilege',
				      HINT = 'Only the regulator waives a recall obligation; a manufacturer settles one by remedying the robots.';
		END IF;
	END IF;
	INSERT INTO robot_registry.defect_waivers AS w (crossing_id, reason)
	VALUES (waive_obligation.crossing_id, waive_obligation.reason)
	RETURNING w.* INTO waived;
	RETURN waived;
END
$fn$;
COMMENT ON FUNCTION robot_registry.waive_obligation(bigint, text)
	IS 'waive a recall obligation (a defect crossing not yet settled), with the reason; the regulator only, in the ledger';

-- Reports, thresholds, crossings and waivers are in the ledger; reports,
-- crossings and waivers are never changed.
CREATE TRIGGER defect_reports_ledger AFTER INSERT OR UPDATE OR DELETE ON robot_registry.defect_reports
	FOR EACH ROW EXECUTE FUNCTION robot_registry.ledger_record();
CREATE TRIGGER defect_thresholds_ledger AFTER INSERT OR UPDATE OR DELETE ON robot_registry.defect_thresholds
	FOR EACH ROW EXECUTE FUNCTION robot_registry.ledger_record();
CREATE TRIGGER defect_crossings_ledger AFTER INSERT OR UPDATE OR DELETE ON robot_registry.defect_crossings
	FOR EACH ROW EXECUTE FUNCTION robot_registry.ledger_record();
CREATE TRIGGER defect_reports_append_only BEFORE UPDATE OR DELETE ON robot_registry.defect_reports
	FOR EACH ROW EXECUTE FUNCTION robot_registry.refuse_change();
CREATE TRIGGER defect_reports_no_truncate BEFORE TRUNCATE ON robot_registry.defect_reports
	FOR EACH STATEMENT EXECUTE FUNCTION robot_registry.refuse_change();
CREATE TRIGGER defect_crossings_append_only BEFORE UPDATE OR DELETE ON robot_registry.defect_crossings
	FOR EACH ROW EXECUTE FUNCTION robot_registry.refuse_change();
CREATE TRIGGER defect_crossings_no_truncate BEFORE TRUNCATE ON robot_registry.defect_crossings
	FOR EACH STATEMENT EXECUTE FUNCTION robot_registry.refuse_change();
CREATE TRIGGER defect_thresholds_no_truncate BEFORE TRUNCATE ON robot_registry.defect_thresholds
	FOR EACH STATEMENT EXECUTE FUNCTION robot_registry.refuse_change();
CREATE TRIGGER defect_waivers_ledger AFTER INSERT OR UPDATE OR DELETE ON robot_registry.defect_waivers
	FOR EACH ROW EXECUTE FUNCTION robot_registry.ledger_record();
CREATE TRIGGER defect_waivers_append_only BEFORE UPDATE OR DELETE ON robot_registry.defect_waivers
	FOR EACH ROW EXECUTE FUNCTION robot_registry.refuse_change();
CREATE TRIGGER defect_waivers_no_truncate BEFORE TRUNCATE ON robot_registry.defect_waivers
	FOR EACH STATEMENT EXECUTE FUNCTION robot_registry.refuse_change();


-- Row-level security.  Reports: the regulator sees all, a manufacturer
-- those on its models, a reporter its own.  Crossings and waivers: the
-- regulator and the model's manufacturer; the regulator waives.
-- Thresholds: every actor reads them, the regulator sets them
-- (administrators also delete).  Privileges come with an actor's mapping
-- (actor_privileges() in 70_security.sql); the gates are the owner's
-- alone.
REVOKE ALL ON robot_registry.defect_reports, robot_registry.defect_thresholds, robot_registry.defect_crossings,
	robot_registry.defect_gates, robot_registry.defect_waivers FROM PUBLIC;
ALTER TABLE robot_registry.defect_waivers ENABLE ROW LEVEL SECURITY;
ALTER TABLE robot_registry.defect_reports ENABLE ROW LEVEL SECURITY;
ALTER TABLE robot_registry.defect_thresholds ENABLE ROW LEVEL SECURITY;
ALTER TABLE robot_registry.defect_crossings ENABLE ROW LEVEL SECURITY;
ALTER TABLE robot_registry.defect_gates ENABLE ROW LEVEL SECURITY;

CREATE POLICY defect_reports_read ON robot_registry.defect_reports FOR SELECT USING (
	(SELECT robot_registry.actor_kind()) = 'regulator'
	OR ((SELECT robot_registry.actor_kind()) = 'manufacturer'
	    AND left(model_key, 6) = (SELECT robot_registry.actor_manufacturer()))
	OR ((SELECT robot_registry.actor_kind()) IS NOT NULL AND reported_by = current_user));
-- a robot the reporter may see: every robot for operators and service
-- providers, its own for a manufacturer (robots_read); which kinds may
-- report is checked by check_defect_actor()
CREATE POLICY defect_report ON robot_registry.defect_reports FOR INSERT WITH CHECK (
	reported_by = current_user
	AND (SELECT robot_registry.actor_kind()) IN ('operator', 'service_provider', 'manufacturer')
	AND EXISTS (SELECT 1 FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) robot_id));

CREATE POLICY defect_crossings_read ON robot_registry.defect_crossings FOR SELECT USING (
	(SELECT robot_registry.actor_kind()) = 'regulator'
	OR ((SELECT robot_registry.actor_kind()) = 'manufacturer'
	    AND left(model_key, 6) = (SELECT robot_registry.actor_manufacturer())));

CREATE POLICY defect_waivers_read ON robot_registry.defect_waivers FOR SELECT USING (
	(SELECT robot_registry.actor_kind()) = 'regulator'
	OR ((SELECT robot_registry.actor_kind()) = 'manufacturer'
	    AND EXISTS (SELECT 1 FROM robot_registry.defect_crossings x
	                 WHERE x.crossing_id = defect_waivers.crossing_id
	                   AND left(x.model_key, 6) = (SELECT robot_registry.actor_manufacturer()))));
CREATE POLICY defect_waivers_waive ON robot_registry.defect_waivers FOR INSERT WITH CHECK (
	(SELECT robot_registry.actor_kind()) = 'regulator' AND waived_by = current_user);

CREATE POLICY defect_thresholds_read ON robot_registry.defect_thresholds FOR SELECT USING (
	(SELECT robot_registry.actor_kind()) IS NOT NULL);
CREATE POLICY defect_thresholds_set ON robot_registry.defect_thresholds FOR INSERT WITH CHECK (
	(SELECT robot_registry.actor_kind()) = 'regulator' AND set_by = current_user);
CREATE POLICY defect_thresholds_change ON robot_registry.defect_thresholds FOR UPDATE
	USING ((SELECT robot_registry.actor_kind()) = 'regulator')
	WITH CHECK (set_by = current_user);

-- Runs as the caller, so the trigger and policies apply as to a direct
-- INSERT.  Bad arguments are refused first, then a caller who may not
-- report; a robot the caller may not see answers exactly as an
-- unregistered code.
CREATE FUNCTION robot_registry.report_defect(id @extschema@.robot_id, category text, description text,
	severity text DEFAULT 'major')
	RETURNS robot_registry.defect_reports
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	my_kind robot_registry.actor_kind;
	filed robot_registry.defect_reports;
BEGIN
	IF report_defect.id IS NULL THEN
		RAISE EXCEPTION 'invalid robot id for a defect report: NULL'
			USING ERRCODE = 'invalid_parameter_value', HINT = 'Report a defect of a registered robot by its code.';
	END IF;
	PERFORM robot_registry.defect_category(report_defect.category),
	        robot_registry.defect_severity(report_defect.severity);
	IF NOT robot_registry.is_administrator() THEN
		my_kind := robot_registry.actor_kind();
		IF my_kind IS NULL THEN
			RAISE EXCEPTION 'role % is not a registry actor', current_user
				USING ERRCODE = 'insufficient_privilege',
				      HINT = 'An administrator maps roles in robot_registry.actors.';
		ELSIF my_kind NOT IN ('operator', 'service_provider', 'manufacturer') THEN
			RAISE EXCEPTION '% may not report defects', robot_registry.actor_name(my_kind)
				USING ERRCODE = 'insufficient_privilege',
				      HINT = 'Operators and service providers report defects of robots they may see, manufacturers of their own robots.';
		END IF;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) report_defect.id) THEN
		RAISE EXCEPTION 'robot % is not registered, or not visible to you', report_defect.id
			USING ERRCODE = 'no_data_found';
	END IF;
	INSERT INTO robot_registry.defect_reports AS d (robot_id, category, description, severity)
	VALUES (report_defect.id, report_defect.category, report_defect.description, report_defect.severity)
	RETURNING d.* INTO filed;
	RETURN filed;
END
$fn$;
COMMENT ON FUNCTION robot_registry.report_defect(@extschema@.robot_id, text, text, text)
	IS 'report a defect of a robot (operators, service providers; manufacturers for their own robots); may make its category common for the model';

-- The defects that are common now: each crossing not yet settled, with
-- the reports with standing of its episode (those after counted_from:
-- robots, reports, worst severity, first and latest), and the open
-- recalls of its model that answer it: they name its category and take in
-- every robot whose report made it common.
CREATE VIEW robot_registry.common_defects WITH (security_invoker = true) AS
SELECT c.crossing_id, c.model_key, m.name AS model, m.manufacturer_key, mf.name AS manufacturer, c.category,
       s.robots, s.reports, s.worst_severity, s.first_report, s.latest_report,
       c.crossed_at, c.min_robots, c.window_days,
       o.recalls AS covering_recalls, o.recalls <> '{}' AS covered
  FROM robot_registry.defect_crossings c
  JOIN robot_registry.models m ON m.model_key = c.model_key
  JOIN robot_registry.manufacturers mf ON mf.manufacturer_key = m.manufacturer_key
 CROSS JOIN LATERAL (
	SELECT count(DISTINCT d.robot_id) AS robots, count(*) AS reports,
	       (ARRAY['minor', 'major', 'critical'])[max(array_position(ARRAY['minor', 'major', 'critical'], d.severity))]
	           AS worst_severity,
	       min(d.reported_at) AS first_report, max(d.reported_at) AS latest_report
	  FROM robot_registry.defect_reports d
	 WHERE d.model_key = c.model_key AND d.category = c.category
	   AND d.reported_at > c.counted_from AND d.standing) s
 CROSS JOIN LATERAL (
	SELECT ARRAY(SELECT r.recall_id FROM robot_registry.recalls r
	              WHERE r.model_key = c.model_key AND r.defect_category = c.category AND r.closed_at IS NULL
	                AND NOT robot_registry.crossing_robots_outside(c.model_key, c.category, c.crossed_at,
	                                                               r.serial_from, r.serial_to)
	              ORDER BY r.recall_id) AS recalls) o
 WHERE robot_registry.defect_settled_at(c.model_key, c.category, c.crossed_at) IS NULL;

-- Who owes a recall: each common defect that no open recall of its model
-- names, with its manufacturer and how many whole days it has been owed.
CREATE VIEW robot_registry.recall_obligations WITH (security_invoker = true) AS
SELECT d.crossing_id, d.manufacturer_key, d.manufacturer, d.model_key, d.model, d.category,
       d.robots, d.worst_severity, d.crossed_at AS owed_since,
       greatest(floor(extract(epoch FROM now() - d.crossed_at) / 86400), 0)::integer AS days_owed
  FROM robot_registry.common_defects d
 WHERE NOT d.covered;

-- For the regulator: the reports that count towards nothing, because
-- their reporters neither hold nor held the robot nor made it.  A
-- manufacturer sees those on its models, a reporter its own (the
-- policies of defect_reports).
CREATE VIEW robot_registry.reports_without_standing WITH (security_invoker = true) AS
SELECT d.report_id, d.robot_id, d.model_key, d.category, d.severity, d.description,
       d.reported_by, d.reporter_kind, d.reporter_party, d.holder, d.reported_at
  FROM robot_registry.defect_reports d
 WHERE NOT d.standing;

GRANT SELECT ON robot_registry.common_defects, robot_registry.recall_obligations,
	robot_registry.reports_without_standing TO PUBLIC;
