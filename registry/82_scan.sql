-- 82: the public scan.  Anyone who holds a code (a buyer, an inspector, a
-- customs officer, a web front end's role) may ask whether the unit may be
-- sold or used; the answer never names an owner, a place, an actor or a
-- history.  A scan that says where it happened is kept in scans, where
-- alerts and copied codes show up for the regulator and for the maker the
-- code claims.

-- Only scan() writes here (as the owner); the regulator reads every scan,
-- a manufacturer the scans of codes that claim to be its own.  SELECT comes
-- with an actor's mapping (actor_privileges()), never to PUBLIC.
REVOKE ALL ON robot_registry.scans FROM PUBLIC;
ALTER TABLE robot_registry.scans ENABLE ROW LEVEL SECURITY;
CREATE POLICY scans_read ON robot_registry.scans FOR SELECT USING (
	(SELECT robot_registry.actor_kind()) = 'regulator'
	OR ((SELECT robot_registry.actor_kind()) = 'manufacturer'
	    AND manufacturer_key = (SELECT robot_registry.actor_manufacturer())));

-- What anyone may learn from a code.  SECURITY DEFINER because an unmapped
-- role may not read robots or recalls at all; it takes only text and jsonb,
-- so nothing of the caller's types, casts or operators runs with the
-- owner's rights.  Every answer has the same keys.  The answer does not
-- depend on who asks: the registry describes every registered code to
-- everyone, so a code it would refuse to describe cannot be told from an
-- unregistered one.  PL/pgSQL, not SQL, so that its plans are kept.
CREATE FUNCTION robot_registry.scan(code text, context jsonb DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	-- the catalogue is small enough that the planner would read it whole in
	-- every scan; a probe of its primary key costs a third of that
	SET enable_seqscan = off
	AS $fn$
DECLARE
	answer jsonb;
	outcome text;
	recorded_code text;
	error_message text;
	error_detail text;
BEGIN
	-- A good code costs one query and three trivial statements: every
	-- PL/pgSQL expression is set up again in each transaction, and a scan
	-- is usually a transaction of its own.
	IF scan.code IS NOT NULL AND @extschema@.robot_id_is_valid(scan.code) THEN
		SELECT jsonb_build_object(
		           'code', s.id::text,
		           'formatted', @extschema@.robot_id_format(s.id),
		           'valid', true,
		           'registered', r.id IS NOT NULL,
		           'manufacturer', (SELECT mf.name FROM robot_registry.manufacturers mf
		                             WHERE mf.manufacturer_key = left(s.model_key, 6)),
		           'model', (SELECT m.name FROM robot_registry.models m WHERE m.model_key = s.model_key),
		           'state', r.state,
		           'market_allowed', v.outcome = 'allowed',
		           'reason', CASE v.outcome
		                     WHEN 'unregistered' THEN 'the code is not registered'
		                     WHEN 'scrapped' THEN 'the robot is ' || r.state::text
		                                          || ': scrapped units may not return to the market'
		                     WHEN 'recalled' THEN 'the robot is under an open recall it has not been remedied for'
		                     END,
		           -- an array, not jsonb_agg(): no aggregate to set up in every scan
		           'recalls', CASE WHEN r.id IS NULL THEN '[]'::jsonb ELSE to_jsonb(ARRAY(
		               SELECT jsonb_build_object('recall_id', c.recall_id, 'reason', c.reason,
		                                         'defect_category', c.defect_category,
		                                         'remedied', rr.remedied_at IS NOT NULL)
		                 FROM robot_registry.recall_robots rr
		                 -- from this robot's rows to their recalls, never the other way
		                 CROSS JOIN LATERAL (SELECT c.recall_id, c.reason, c.defect_category FROM robot_registry.recalls c
		                                      WHERE c.recall_id = rr.recall_id AND c.closed_at IS NULL OFFSET 0) c
		                WHERE rr.robot_id OPERATOR(@extschema@.=) r.id
		                ORDER BY c.recall_id)) END,
		           'rebuilt', CASE WHEN r.id IS NOT NULL THEN r.refurbished_from IS NOT NULL END,
		           'registered_at', r.registered_at,
		           'error', NULL),
		       v.outcome, s.id::text
		  INTO answer, outcome, recorded_code
		  FROM (SELECT i.id, @extschema@.robot_id_model_key(i.id) AS model_key
		          FROM (SELECT scan.code::@extschema@.robot_id AS id) i) s
		  LEFT JOIN robot_registry.robots r ON r.id OPERATOR(@extschema@.=) s.id
		  CROSS JOIN LATERAL (SELECT CASE WHEN r.id IS NULL THEN 'unregistered'
		                                  WHEN r.state IN ('recycled', 'retired') THEN 'scrapped'
		                                  WHEN r.recalled THEN 'recalled'
		                                  ELSE 'allowed' END AS outcome) v;
	ELSE
		IF scan.code IS NULL THEN
			error_message := 'no code';
			error_detail := 'No code was given.';
		ELSE
			-- the parser's own words, exactly as the 22P02 error gives them
			BEGIN
				PERFORM scan.code::@extschema@.robot_id;
			EXCEPTION WHEN OTHERS THEN
				GET STACKED DIAGNOSTICS error_message = MESSAGE_TEXT, error_detail = PG_EXCEPTION_DETAIL;
			END;
		END IF;
		outcome := 'malformed';
		recorded_code := left(coalesce(scan.code, ''), 64);
		answer := jsonb_build_object('code', NULL, 'formatted', NULL, 'valid', false, 'registered', false,
		                             'manufacturer', NULL, 'model', NULL, 'state', NULL,
		                             'market_allowed', false, 'reason', coalesce(error_detail, error_message),
		                             'recalls', '[]'::jsonb, 'rebuilt', NULL, 'registered_at', NULL,
		                             'error', error_message);
	END IF;

	IF scan.context IS NOT NULL THEN
		IF jsonb_typeof(scan.context) <> 'null' AND NOT pg_is_in_recovery()
		   AND current_setting('transaction_read_only') = 'off' THEN
			INSERT INTO robot_registry.scans (code, manufacturer_key, outcome, context, scanner, place)
			VALUES (recorded_code, CASE WHEN outcome <> 'malformed' THEN left(recorded_code, 6) END, outcome,
			        -- a context is a note, not a store: a large one keeps only scanner and place
			        CASE WHEN octet_length(scan.context::text) <= 2000 THEN scan.context
			             ELSE jsonb_build_object('scanner', left(scan.context ->> 'scanner', 200),
			                                     'place', left(scan.context ->> 'place', 200), 'truncated', true) END,
			        left(scan.context ->> 'scanner', 200), left(scan.context ->> 'place', 200));
		END IF;
	END IF;
	RETURN answer;
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.scan(text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION robot_registry.scan(text, jsonb) TO PUBLIC;
COMMENT ON FUNCTION robot_registry.scan(text, jsonb)
	IS 'public check of a code: registered, names, state, market verdict, open recalls; records the scan when a context is given';

-- How close in time two scans of one code in different places must be to
-- suggest a copied code: setting robot_registry.clone_window (an interval,
-- e.g. ALTER DATABASE ... SET robot_registry.clone_window = '6 hours'),
-- 24 hours when unset.
CREATE FUNCTION robot_registry.clone_window() RETURNS interval
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	setting constant text := current_setting('robot_registry.clone_window', true);
	result interval;
BEGIN
	IF coalesce(setting, '') = '' THEN
		RETURN interval '24 hours';
	END IF;
	BEGIN
		result := setting::interval;
	EXCEPTION WHEN OTHERS THEN
		result := NULL;
	END;
	IF result IS NULL OR result < interval '0' THEN
		RAISE EXCEPTION 'invalid value for robot_registry.clone_window: "%"', setting
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'Set a positive interval, such as ''24 hours'', or reset it for the default.';
	END IF;
	RETURN result;
END
$fn$;

-- Exceptional outcomes of recorded scans: a well-formed code that is not
-- registered, a scrapped unit, a unit under recall.
CREATE VIEW robot_registry.scan_alerts WITH (security_invoker = true) AS
SELECT s.scan_id, s.scanned_at, s.code, s.manufacturer_key, s.outcome, s.scanner, s.place, s.scanned_by
  FROM robot_registry.scans s
 WHERE s.outcome IN ('unregistered', 'scrapped', 'recalled');

-- Codes seen in two different places within the clone window: one label,
-- two robots.  One row per code, with every place it was seen in such a
-- pair.
CREATE VIEW robot_registry.suspected_clones WITH (security_invoker = true) AS
SELECT a.code, a.manufacturer_key,
       array_agg(DISTINCT a.place ORDER BY a.place) AS places,
       count(DISTINCT a.scan_id) AS scans,
       min(a.scanned_at) AS first_seen, max(a.scanned_at) AS last_seen
  FROM robot_registry.scans a
  JOIN robot_registry.scans b
    ON b.code = a.code AND b.place <> a.place
   AND b.scanned_at BETWEEN a.scanned_at - (SELECT robot_registry.clone_window())
                        AND a.scanned_at + (SELECT robot_registry.clone_window())
 WHERE a.outcome <> 'malformed'
 GROUP BY a.code, a.manufacturer_key;

GRANT SELECT ON robot_registry.scan_alerts, robot_registry.suspected_clones TO PUBLIC;
