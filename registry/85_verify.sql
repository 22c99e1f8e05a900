-- 85: tamper evidence.  verify() checks every chain link, every hash, and
-- that every registry row is the one its log last recorded; checkpoint()
-- gives a root over every chain's head that an auditor keeps outside the
-- database, and verify_checkpoint() checks the log still hashes to it.
-- TimeZone is pinned where rows are compared as jsonb (see ledger_record).

-- The hash of an event logged by a 1.2 registry before its upgrade, by
-- the 1.2 formula: such events have no row_hash, and their stored hashes
-- are kept as they were.  Odd data gives a hash that matches nothing.
CREATE FUNCTION robot_registry.event_hash_1_2(e robot_registry.events) RETURNS bytea
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	RETURN sha256(convert_to(concat_ws('|',
			coalesce(encode(e.prev_hash, 'hex'), ''),
			e.event_id::text, e.robot_id::text, e.kind,
			coalesce(e.from_state::text, ''), coalesce(e.to_state::text, ''),
			e.recalled::text, e.detail::text, e.actor::text,
			CASE WHEN isfinite(e.at) THEN (extract(epoch FROM e.at) * 1000000)::numeric(20,0)::text
			     ELSE e.at::text END), 'UTF8'));
END
$fn$;

-- Every row whose history is the ledger, as the ledger names it: the
-- catalogue, the actor map, recalls and remedies, and the market events of
-- a 1.2 registry that no move recorded (they have no robot event, so the
-- upgrade put them in the ledger).  verify() compares each with its last
-- entry; robot_registry_upgrade() gives an entry to each that has none.
CREATE FUNCTION robot_registry.ledgered_rows()
	RETURNS TABLE (subject text, subject_key text, row_data jsonb)
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	SET TimeZone = 'UTC'
	AS $fn$
		SELECT g.subject, robot_registry.ledger_key(g.subject, g.row_data), g.row_data
		  FROM (SELECT 'manufacturers' AS subject, to_jsonb(t) AS row_data FROM robot_registry.manufacturers t
		        UNION ALL SELECT 'models', to_jsonb(t) FROM robot_registry.models t
		        UNION ALL SELECT 'actors', to_jsonb(t) FROM robot_registry.actors t
		        UNION ALL SELECT 'actor_moves', to_jsonb(t) FROM robot_registry.actor_moves t
		        UNION ALL SELECT 'recalls', to_jsonb(t) FROM robot_registry.recalls t
		        UNION ALL SELECT 'recall_robots', to_jsonb(t) FROM robot_registry.recall_robots t
		        UNION ALL SELECT 'defect_reports', to_jsonb(t) FROM robot_registry.defect_reports t
		        UNION ALL SELECT 'defect_thresholds', to_jsonb(t) FROM robot_registry.defect_thresholds t
		        UNION ALL SELECT 'defect_crossings', to_jsonb(t) FROM robot_registry.defect_crossings t
		        UNION ALL SELECT 'defect_waivers', to_jsonb(t) FROM robot_registry.defect_waivers t) g
		UNION ALL
		SELECT 'market_events', t.market_event_id::text, to_jsonb(t)
		  FROM robot_registry.market_events t WHERE t.event_id IS NULL
	$fn$;

-- The first problem of each robot's history (of the given robots, or of
-- all robots and of the ledger when ids is NULL).  Problems never raise:
-- odd data (infinite times, NULLs) is reported like any other.
CREATE FUNCTION robot_registry.broken_links(ids @extschema@.robot_id[])
	RETURNS TABLE (robot_id @extschema@.robot_id, event_id bigint, problem text)
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	SET TimeZone = 'UTC'
	AS $fn$
		-- the ledger is checked for those who see all of it and of the
		-- tables it records, administrators and the regulator: an actor
		-- sees some rows whose entries it may not read, and entries of rows
		-- it may not see, which are not problems
		WITH caller AS (
			SELECT robot_registry.is_administrator()
			       OR robot_registry.actor_kind() IS NOT DISTINCT FROM 'regulator' AS whole
		), chain AS (
			SELECT e AS ev, e.robot_id, e.event_id, e.prev_hash, e.hash, e.row_hash, e.to_state, e.recalled,
			       lag(e.hash) OVER w AS expected_prev,
			       lag(e.row_hash IS NOT NULL) OVER w AS after_1_3,
			       lead(e.event_id) OVER w IS NULL AS is_last
			  FROM robot_registry.events e
			 WHERE ids IS NULL OR e.robot_id OPERATOR(@extschema@.=) ANY (ids)
			WINDOW w AS (PARTITION BY e.robot_id ORDER BY e.event_id)
		), mk AS (
			SELECT m.*, count(*) OVER (PARTITION BY m.event_id) AS copies
			  FROM robot_registry.market_events m
			 -- one without an event is a 1.2 one, in the ledger
			 WHERE m.event_id IS NOT NULL AND (ids IS NULL OR m.robot_id OPERATOR(@extschema@.=) ANY (ids))
		), robot_problems AS (
			SELECT 'robot ' || c.robot_id::text AS chain, 0 AS rank, c.robot_id, c.event_id,
			       CASE WHEN c.prev_hash IS DISTINCT FROM c.expected_prev
			            THEN 'prev_hash does not match the previous event: an event was removed or inserted'
			            WHEN c.row_hash IS NULL AND c.after_1_3
			            THEN 'an event without a row hash follows one with: it was added outside the log'
			            WHEN c.hash IS DISTINCT FROM CASE WHEN c.row_hash IS NULL THEN robot_registry.event_hash_1_2(c.ev)
			                                              ELSE robot_registry.event_hash(c.ev) END
			            THEN 'hash does not match the event: it was altered'
			            WHEN c.is_last AND NOT EXISTS (
			                 SELECT 1 FROM robot_registry.robots r WHERE r.id OPERATOR(@extschema@.=) c.robot_id)
			            THEN 'the robot''s row is missing: it was deleted'
			            WHEN c.is_last AND EXISTS (
			                 SELECT 1 FROM robot_registry.robots r
			                  WHERE r.id OPERATOR(@extschema@.=) c.robot_id
			                    AND CASE WHEN c.row_hash IS NULL	-- a 1.2 event: as 1.2 checked it
			                             THEN (r.state, r.recalled) IS DISTINCT FROM (c.to_state, c.recalled)
			                             ELSE robot_registry.robot_row_hash(r) IS DISTINCT FROM c.row_hash END)
			            THEN 'the robot''s row is not the one its last event recorded: it was changed outside the log, or its newest events are missing'
			       END AS problem
			  FROM chain c
			UNION ALL
			SELECT 'robot ' || r.id::text, 0, r.id, NULL, 'the robot has no events'
			  FROM robot_registry.robots r
			 WHERE (ids IS NULL OR r.id OPERATOR(@extschema@.=) ANY (ids))
			   AND NOT EXISTS (SELECT 1 FROM robot_registry.events e WHERE e.robot_id OPERATOR(@extschema@.=) r.id)
			UNION ALL
			-- a market event is the projection of the one robot event that
			-- records it; compared null-safely, field by field
			SELECT 'robot ' || coalesce(m.robot_id::text, e.robot_id::text, '?'), 1, coalesce(m.robot_id, e.robot_id),
			       m.event_id, format('market event %s does not match the event that records it', m.market_event_id)
			  FROM mk m
			  LEFT JOIN robot_registry.events e ON e.event_id = m.event_id
			 WHERE (e.event_id IS NULL
			        OR m.robot_id::text IS DISTINCT FROM e.robot_id::text
			        OR e.actor IS DISTINCT FROM m.recorded_by
			        OR e.at IS DISTINCT FROM m.at
			        OR m.copies <> 1
			        OR NOT coalesce(CASE WHEN e.kind = 'market event'
			                             THEN e.detail = jsonb_build_object('market_kind', m.kind, 'party', m.party,
			                                                                'detail', m.detail)
			                             ELSE e.kind = 'moved' AND e.detail = m.detail
			                                  AND m.party IS NOT DISTINCT FROM e.detail ->> 'party'
			                                  AND m.kind IS NOT DISTINCT FROM
			                                      CASE e.to_state WHEN 'sold' THEN 'sale' WHEN 'deployed' THEN 'deployment' END
			                        END, false))
			UNION ALL
			SELECT 'robot ' || e.robot_id::text, 1, e.robot_id, e.event_id,
			       format('the market event that event %s records is missing', e.event_id)
			  FROM robot_registry.events e
			 WHERE (ids IS NULL OR e.robot_id OPERATOR(@extschema@.=) ANY (ids))
			   AND (e.kind = 'market event' OR (e.kind = 'moved' AND e.to_state IN ('sold', 'deployed')))
			   AND NOT EXISTS (SELECT 1 FROM mk m WHERE m.event_id = e.event_id)
		), ledger_chain AS (
			SELECT l AS entry, l.entry_id, l.subject, l.subject_key, l.op, l.row_data, l.prev_hash, l.hash,
			       lag(l.hash) OVER w AS expected_prev,
			       lead(l.entry_id) OVER w IS NULL AS is_last
			  FROM robot_registry.ledger l
			 WHERE ids IS NULL AND (SELECT c.whole FROM caller c)
			WINDOW w AS (PARTITION BY l.subject, l.subject_key ORDER BY l.entry_id)
		), rows_now AS (
			SELECT g.* FROM robot_registry.ledgered_rows() g WHERE ids IS NULL AND (SELECT c.whole FROM caller c)
		), ledger_problems AS (
			SELECT c.subject || ' ' || c.subject_key, 0, NULL::@extschema@.robot_id, c.entry_id,
			       format('%s %s: ', c.subject, c.subject_key) ||
			       CASE WHEN c.prev_hash IS DISTINCT FROM c.expected_prev
			            THEN 'prev_hash does not match the previous entry: an entry was removed or inserted'
			            WHEN c.hash IS DISTINCT FROM robot_registry.ledger_hash(c.entry)
			            THEN 'hash does not match the entry: it was altered'
			            WHEN c.is_last AND c.op <> 'delete' AND n.row_data IS NULL
			            THEN 'the row is missing: it was deleted outside the log'
			            WHEN c.is_last AND c.op = 'delete' AND n.row_data IS NOT NULL
			            THEN 'the row exists but its last entry deleted it'
			            WHEN c.is_last AND c.op <> 'delete' AND n.row_data IS DISTINCT FROM c.row_data
			            THEN 'the row is not the one its last entry recorded: it was changed outside the log'
			       END
			  FROM ledger_chain c
			  LEFT JOIN rows_now n ON n.subject = c.subject AND n.subject_key = c.subject_key
			UNION ALL
			SELECT n.subject || ' ' || n.subject_key, 0, NULL, NULL, format('%s %s: the row has no ledger entries', n.subject, n.subject_key)
			  FROM rows_now n
			 WHERE NOT EXISTS (SELECT 1 FROM robot_registry.ledger l
			                    WHERE l.subject = n.subject AND l.subject_key = n.subject_key)
		), problems AS (
			SELECT * FROM robot_problems UNION ALL SELECT * FROM ledger_problems
		)
		SELECT q.robot_id, q.event_id, q.problem
		  FROM (SELECT DISTINCT ON (p.chain COLLATE "C") p.*
		          FROM problems p WHERE p.problem IS NOT NULL
		         ORDER BY p.chain COLLATE "C", p.rank, p.event_id NULLS FIRST) q
		 ORDER BY q.robot_id, q.chain COLLATE "C"
	$fn$;

CREATE FUNCTION robot_registry.verify(id @extschema@.robot_id)
	RETURNS TABLE (robot_id @extschema@.robot_id, event_id bigint, problem text)
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $fn$ SELECT * FROM robot_registry.broken_links(ARRAY[verify.id]) $fn$;
COMMENT ON FUNCTION robot_registry.verify(@extschema@.robot_id)
	IS 'first broken link of one robot''s history; no row when intact';

CREATE FUNCTION robot_registry.verify()
	RETURNS TABLE (robot_id @extschema@.robot_id, event_id bigint, problem text)
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $fn$ SELECT * FROM robot_registry.broken_links(NULL) $fn$;
COMMENT ON FUNCTION robot_registry.verify()
	IS 'first broken link of every robot history and ledger row that is broken; no rows when the registry is intact';

-- The root of the whole log up to an event: SHA-256 over the head of every
-- robot's chain and every ledger row's chain, in a fixed order.
CREATE FUNCTION robot_registry.log_root(upto bigint) RETURNS text
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $fn$
		SELECT encode(sha256(convert_to(upto::text || E'\n'
		       || coalesce(string_agg(h.chain || ' ' || encode(h.head, 'hex'), E'\n' ORDER BY h.chain COLLATE "C"), ''),
		       'UTF8')), 'hex')
		  FROM ((SELECT DISTINCT ON (e.robot_id) 'robot ' || e.robot_id::text AS chain, e.hash AS head
		           FROM robot_registry.events e WHERE e.event_id <= upto
		          ORDER BY e.robot_id, e.event_id DESC)
		        UNION ALL
		        (SELECT DISTINCT ON (l.subject, l.subject_key) l.subject || ' ' || l.subject_key, l.hash
		           FROM robot_registry.ledger l WHERE l.entry_id <= upto
		          ORDER BY l.subject, l.subject_key, l.entry_id DESC)) h
	$fn$;
REVOKE ALL ON FUNCTION robot_registry.log_root(bigint) FROM PUBLIC;

-- SECURITY DEFINER: the root covers every robot, and an auditor's role
-- (granted EXECUTE by an administrator) sees none under row-level
-- security.  It takes no argument a caller's type could reach.
--
-- Writers hold ROW EXCLUSIVE on the log while their transaction is open;
-- SHARE ROW EXCLUSIVE waits for them to finish and holds new ones back, so
-- no event numbered below the checkpoint can still appear after it.
-- New writes wait while the root is computed: take checkpoints in their
-- own transaction, at a quiet time.
CREATE FUNCTION robot_registry.checkpoint(OUT upto_event_id bigint, OUT root text)
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $fn$
BEGIN
	IF current_setting('transaction_isolation') <> 'read committed' THEN
		RAISE EXCEPTION 'checkpoint() needs READ COMMITTED'
			USING ERRCODE = 'invalid_transaction_state',
			      DETAIL = 'It must see every transaction that committed before it took its lock.';
	END IF;
	LOCK TABLE robot_registry.events, robot_registry.ledger IN SHARE ROW EXCLUSIVE MODE;
	upto_event_id := greatest((SELECT max(e.event_id) FROM robot_registry.events e),
	                          (SELECT max(l.entry_id) FROM robot_registry.ledger l), 0);
	root := robot_registry.log_root(upto_event_id);
	INSERT INTO robot_registry.checkpoints (upto_event_id, root) VALUES (upto_event_id, root)
	ON CONFLICT ON CONSTRAINT checkpoints_pkey DO NOTHING;
END
$fn$;
REVOKE ALL ON FUNCTION robot_registry.checkpoint() FROM PUBLIC;
COMMENT ON FUNCTION robot_registry.checkpoint()
	IS 'the root of the whole log up to its newest event; keep each row outside the database';

-- True exactly when the log up to upto_event_id still hashes to root and
-- nothing in the registry contradicts its log (verify() is empty).
CREATE FUNCTION robot_registry.verify_checkpoint(upto_event_id bigint, root text) RETURNS boolean
	LANGUAGE sql STABLE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $fn$
		SELECT robot_registry.log_root(verify_checkpoint.upto_event_id) = lower(verify_checkpoint.root)
		       AND NOT EXISTS (SELECT 1 FROM robot_registry.broken_links(NULL))
	$fn$;
REVOKE ALL ON FUNCTION robot_registry.verify_checkpoint(bigint, text) FROM PUBLIC;
COMMENT ON FUNCTION robot_registry.verify_checkpoint(bigint, text)
	IS 'whether the log up to an event still hashes to a checkpoint''s root, and the registry agrees with its log';
