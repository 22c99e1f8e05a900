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
-- An episode: a crossing is "settled" by the first closing, after it, of a
-- recall of that model that names the category.  Until then the category
-- is common for the model and no second crossing is recorded; after it,
-- only reports filed after the closing count towards the next crossing.
-- Reports, thresholds and crossings are in the ledger; reports and
-- crossings are append-only.  The tables are in 15_defect_tables.sql, the
-- default threshold in 66_defect_defaults.sql (data files: install only).

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

-- Whether a recall's serials leave out a robot whose report counted
-- towards the crossing of this model and category at crossed_at (the
-- reports after the crossing's counted_from, up to the crossing and up to
-- the last report it counted: a report filed later by a transaction that
-- began before the crossing is dated before it, but did not count).  A
-- recall answers a common defect only if it names the category and takes
-- in every such robot: a recall of serials the model never made, or of
-- other units than those that failed, answers nothing.  Reads as the
-- caller (the views) or as the registry (its triggers).
CREATE FUNCTION robot_registry.crossing_robots_outside(model_key text, category text, crossed_at timestamptz,
	serial_from text, serial_to text)
	RETURNS boolean
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	RETURN EXISTS (
		SELECT 1
		  FROM robot_registry.defect_crossings x
		  JOIN robot_registry.defect_reports d
		    ON d.model_key = x.model_key AND d.category = x.category
		   AND d.reported_at > x.counted_from AND d.reported_at <= x.crossed_at
		   AND d.report_id <= x.report_id
		 WHERE x.model_key = crossing_robots_outside.model_key AND x.category = crossing_robots_outside.category
		   AND x.crossed_at = crossing_robots_outside.crossed_at
		   AND @extschema@.robot_id_serial(d.robot_id) NOT BETWEEN crossing_robots_outside.serial_from
		                                                         AND crossing_robots_outside.serial_to);
END
$fn$;

-- When a crossing was settled: the first closing, at or after it, of a
-- recall that answers it (above); NULL while it is common.
CREATE FUNCTION robot_registry.defect_settled_at(model_key text, category text, crossed_at timestamptz)
	RETURNS timestamptz
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	RETURN (SELECT min(c.closed_at) FROM robot_registry.recalls c
	         WHERE c.model_key = defect_settled_at.model_key AND c.defect_category = defect_settled_at.category
	           AND c.closed_at >= defect_settled_at.crossed_at
	           AND NOT robot_registry.crossing_robots_outside(c.model_key, c.defect_category,
	                                                          defect_settled_at.crossed_at, c.serial_from, c.serial_to));
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
	 CROSS JOIN LATERAL (
		SELECT count(DISTINCT d.robot_id) AS robots, max(d.report_id) AS last_report
		  FROM robot_registry.defect_reports d
		 WHERE d.model_key = p.model_key AND d.category = p.category
		   AND d.reported_at > evaluated_at - make_interval(days => t.window_days)
		   AND d.reported_at <= evaluated_at
		   AND d.reported_at > coalesce(e.settled_at, '-infinity')) n
	 WHERE (l.last_crossed IS NULL OR e.settled_at IS NOT NULL)
	   AND n.robots >= t.min_robots
	 ORDER BY p.model_key, p.category;
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.record_defect_crossings(text[], text[], name) FROM PUBLIC;

-- As the caller: who may report, stamped authorship and time, and the
-- category, severity and description in their normal form.  Operators and
-- service providers report robots they may see, manufacturers their own
-- (the policy defect_report checks the robot); administrators name the
-- actor with act_as() and may date an import of history.
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

-- Reports, thresholds and crossings are in the ledger; reports and
-- crossings are never changed.
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


-- Row-level security.  Reports: the regulator sees all, a manufacturer
-- those on its models, a reporter its own.  Crossings: the regulator and
-- the model's manufacturer.  Thresholds: every actor reads them, the
-- regulator sets them (administrators also delete).  Privileges come with
-- an actor's mapping (actor_privileges() in 70_security.sql); the gates
-- are the owner's alone.
REVOKE ALL ON robot_registry.defect_reports, robot_registry.defect_thresholds, robot_registry.defect_crossings,
	robot_registry.defect_gates FROM PUBLIC;
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
-- the reports of its episode (those after counted_from: robots, reports,
-- worst severity, first and latest), and the open recalls of its model
-- that answer it: they name its category and take in every robot whose
-- report made it common.
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
	   AND d.reported_at > c.counted_from) s
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

GRANT SELECT ON robot_registry.common_defects, robot_registry.recall_obligations TO PUBLIC;
