-- A synthetic national registry, for demos, benchmarks and tests: not
-- part of a production registry.  robot_registry_install_demo() adds it.

-- Robots are generated in batches, with a NOTICE of progress, in one
-- transaction: a procedure that pins its search_path may not commit.
-- Histories are dated over the last two years and never after now(): each
-- step moves a robot's clock a random part of the way to now.  A second
-- call adds robots (serials after the highest so far) and leaves the
-- recalls of earlier calls alone; recalled robots are not sold or
-- deployed.  Recalls are opened only on models of this call's catalogue.
-- Administrators only: it writes as the registry, not as an actor.
-- Custody: a robot is held by its maker (the party of the maker's name)
-- until sold; a quarter of sales go to private owners (custodian NULL),
-- the rest to the party 'Demo Fleet Operations'; scrapped robots to 'Demo
-- Recycling', rebuilds to 'Demo Refurbishers'.  Map a login to one of
-- these parties to act on its robots.
CREATE OR REPLACE PROCEDURE robot_registry.generate_demo(robots integer DEFAULT 28000,
	manufacturers integer DEFAULT 100, models_per_manufacturer integer DEFAULT 2,
	seed double precision DEFAULT 0.42, batch_size integer DEFAULT 10000)
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $fn$
DECLARE
	first_robot bigint;
	done bigint := 0;
	n bigint;
	started timestamptz := clock_timestamp();
	model_count int;
	recall bigint;
	recall_models text[];
BEGIN
	IF NOT robot_registry.is_administrator() THEN
		RAISE EXCEPTION 'generate_demo is for the registry''s administrators'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF robots < 1 OR manufacturers < 1 OR manufacturers > 9999 OR models_per_manufacturer < 1 THEN
		RAISE EXCEPTION 'generate_demo needs at least one robot, 1 to 9999 manufacturers and one model each'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	PERFORM setseed(seed);

	INSERT INTO robot_registry.manufacturers (manufacturer_key, name)
	SELECT '86' || lpad(i::text, 4, '0'),
	       (ARRAY['Tian', 'Hua', 'Xin', 'Long', 'Zhi', 'Kai', 'Rui', 'Bo', 'Jing', 'Heng'])[i % 10 + 1]
	       || (ARRAY['gong', 'ke', 'neng', 'yuan', 'tong', 'da', 'feng', 'sheng', 'lan', 'chen'])[i / 10 % 10 + 1]
	       || ' ' || (ARRAY['Robotics', 'Dynamics', 'Automation', 'Intelligent Machines', 'Humanoid Works'])[i % 5 + 1]
	  FROM generate_series(1, manufacturers) i
	ON CONFLICT DO NOTHING;
	INSERT INTO robot_registry.models (model_key, name)
	SELECT '86' || lpad(i::text, 4, '0') || lpad(j::text, 6, '0'),
	       (ARRAY['Walker', 'Atlas', 'Helper', 'Porter', 'Guardian', 'Nurse', 'Courier', 'Welder'])[(i + j) % 8 + 1]
	       || ' ' || chr(64 + j) || (i % 9 + 1)
	  FROM generate_series(1, manufacturers) i, generate_series(1, models_per_manufacturer) j
	ON CONFLICT DO NOTHING;
	-- this call's catalogue: the models its arguments name
	CREATE TEMP TABLE IF NOT EXISTS demo_models (model_key text PRIMARY KEY);
	TRUNCATE demo_models;
	INSERT INTO demo_models
	SELECT '86' || lpad(i::text, 4, '0') || lpad(j::text, 6, '0')
	  FROM generate_series(1, manufacturers) i, generate_series(1, models_per_manufacturer) j;
	SELECT count(*) INTO model_count FROM demo_models;

	CREATE TEMP TABLE IF NOT EXISTS demo_batch (id @extschema@.robot_id PRIMARY KEY, born timestamptz);
	-- the running number goes on after the highest one of a serial in this
	-- generator's layout (a date, then 9 digits); serials of other layouts,
	-- such as issue_codes()'s random ones, are not its business
	SELECT coalesce(max(substr(@extschema@.robot_id_serial(id), 9)::bigint), 0) INTO first_robot
	  FROM robot_registry.robots
	 WHERE @extschema@.robot_id_serial(id) ~ '^20[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])';
	IF first_robot + robots > 999999999 THEN
		RAISE EXCEPTION 'generate_demo has no room for % more robots', robots
			USING ERRCODE = 'invalid_parameter_value',
			      DETAIL = format('Its serials end in a 9-digit running number, and %s are taken.', first_robot);
	END IF;

	WHILE done < robots LOOP
		n := least(batch_size, robots - done);
		INSERT INTO demo_batch
		SELECT @extschema@.make_robot_id('86', substr(m.model_key, 3, 4), substr(m.model_key, 7, 6),
		                               to_char(b.born, 'YYYYMMDD') || lpad((first_robot + done + g)::text, 9, '0')),
		       b.born
		  FROM generate_series(1, n) g
		 CROSS JOIN LATERAL (SELECT now() - interval '730 days' * random() - interval '1 day' + g * interval '0 s' AS born) b
		 CROSS JOIN LATERAL (SELECT model_key FROM demo_models
		                      ORDER BY model_key OFFSET floor(random() * model_count + g * 0)::int LIMIT 1) m;
		-- statistics of this batch: the statements below are planned again
		-- for it, not kept from a call that made a handful of robots into a
		-- registry just as small (joins that would then scan robots whole)
		ANALYZE demo_batch;

		INSERT INTO robot_registry.robots (id, owner_name, location, registered_at, updated_at, custodian)
		SELECT b.id, mf.name, 'factory', b.born, b.born, mf.name
		  FROM demo_batch b
		  JOIN robot_registry.manufacturers mf
		    ON mf.manufacturer_key = @extschema@.robot_id_manufacturer_key(b.id);

		-- sold, mostly (the log records each sale as a market event)
		PERFORM robot_registry.set_detail('{"channel": "dealer"}');
		UPDATE robot_registry.robots r
		   SET state = 'sold', owner_name = 'customer ' || (hashtext(r.id::text) & 65535),
		       custodian = CASE WHEN hashtext(r.id::text || 'private') & 3 = 0 THEN NULL ELSE 'Demo Fleet Operations' END,
		       updated_at = r.updated_at + (now() - r.updated_at) * (0.02 + 0.08 * random())
		  FROM demo_batch b WHERE r.id OPERATOR(@extschema@.=) b.id AND NOT r.recalled AND random() < 0.85;
		-- deployed
		PERFORM robot_registry.set_detail('{"site": "customer premises"}');
		UPDATE robot_registry.robots r
		   SET state = 'deployed',
		       location = (ARRAY['Beijing', 'Shanghai', 'Shenzhen', 'Guangzhou', 'Hangzhou', 'Chengdu', 'Wuhan', 'Tianjin'])[1 + (hashtext(r.id::text) & 7)],
		       updated_at = r.updated_at + (now() - r.updated_at) * (0.01 + 0.05 * random())
		  FROM demo_batch b WHERE r.id OPERATOR(@extschema@.=) b.id AND r.state = 'sold' AND NOT r.recalled AND random() < 0.8;
		-- into maintenance, and some back out
		PERFORM robot_registry.set_detail('{"reason": "scheduled service"}');
		UPDATE robot_registry.robots r
		   SET state = 'maintenance', updated_at = r.updated_at + (now() - r.updated_at) * (0.1 + 0.4 * random())
		  FROM demo_batch b WHERE r.id OPERATOR(@extschema@.=) b.id AND r.state = 'deployed' AND random() < 0.3;
		PERFORM robot_registry.set_detail('{"reason": "service completed"}');
		UPDATE robot_registry.robots r
		   SET state = 'deployed', updated_at = r.updated_at + (now() - r.updated_at) * (0.01 + 0.05 * random())
		  FROM demo_batch b WHERE r.id OPERATOR(@extschema@.=) b.id AND r.state = 'maintenance' AND NOT r.recalled AND random() < 0.6;
		-- resold
		PERFORM robot_registry.set_detail('{"channel": "second hand"}');
		UPDATE robot_registry.robots r
		   SET state = 'sold', owner_name = 'customer ' || (hashtext(r.id::text || 'resale') & 65535),
		       updated_at = r.updated_at + (now() - r.updated_at) * (0.1 + 0.4 * random())
		  FROM demo_batch b WHERE r.id OPERATOR(@extschema@.=) b.id AND r.state = 'deployed' AND NOT r.recalled AND random() < 0.05;
		-- scrapped: recycled, some retired after
		PERFORM robot_registry.set_detail('{"reason": "end of life"}');
		UPDATE robot_registry.robots r
		   SET state = 'recycled', location = 'recycling centre', custodian = 'Demo Recycling',
		       updated_at = r.updated_at + (now() - r.updated_at) * (0.1 + 0.5 * random())
		  FROM demo_batch b WHERE r.id OPERATOR(@extschema@.=) b.id
		   AND r.state IN ('sold', 'deployed', 'maintenance') AND random() < 0.04;
		UPDATE robot_registry.robots r
		   SET state = 'retired', updated_at = r.updated_at + (now() - r.updated_at) * (0.02 + 0.1 * random())
		  FROM demo_batch b WHERE r.id OPERATOR(@extschema@.=) b.id AND r.state = 'recycled' AND random() < 0.5;
		PERFORM robot_registry.set_detail('{"reason": "failed factory test"}');
		UPDATE robot_registry.robots r
		   SET state = 'retired', updated_at = r.updated_at + (now() - r.updated_at) * 0.01
		  FROM demo_batch b WHERE r.id OPERATOR(@extschema@.=) b.id AND r.state = 'manufactured' AND random() < 0.05;
		PERFORM robot_registry.set_detail(NULL);
		TRUNCATE demo_batch;

		done := done + n;
		RAISE NOTICE 'generate_demo: % of % robots (% s)', done, robots,
			round(extract(epoch FROM clock_timestamp() - started)::numeric, 1);
	END LOOP;

	-- rebuilds of robots in maintenance, never of scrapped ones
	INSERT INTO robot_registry.robots (id, refurbished_from, owner_name, location, custodian)
	SELECT @extschema@.make_robot_id('86', @extschema@.robot_id_manufacturer(r.id), @extschema@.robot_id_model(r.id),
	                               '9' || right(@extschema@.robot_id_serial(r.id), 16)),
	       r.id, 'refurbisher', 'factory', 'Demo Refurbishers'
	  FROM robot_registry.robots r
	 WHERE r.state = 'maintenance' AND left(@extschema@.robot_id_serial(r.id), 1) <> '9'
	   AND hashtext(r.id::text) % 50 = 0
	ON CONFLICT DO NOTHING;

	-- recalls on the first model of this call's first three makers (of its
	-- first models when it has fewer makers) that have robots: a whole
	-- model, a range of serials, and one already closed
	recall_models := ARRAY(SELECT d.model_key FROM demo_models d
	                        WHERE EXISTS (SELECT 1 FROM robot_registry.robots r WHERE r.model_key = d.model_key)
	                        ORDER BY right(d.model_key, 6), d.model_key LIMIT 3);
	IF cardinality(recall_models) >= 1 THEN
		recall := robot_registry.open_recall(recall_models[1], 'actuator overheating in the left knee joint');
	END IF;
	IF cardinality(recall_models) >= 2 THEN
		PERFORM robot_registry.open_recall(model_key, 'battery cell swelling in early production',
		                                   serial_from, serial_to)
		  FROM (SELECT model_key, min(@extschema@.robot_id_serial(id)) AS serial_from,
		               percentile_disc(0.3) WITHIN GROUP (ORDER BY @extschema@.robot_id_serial(id)) AS serial_to
		          FROM robot_registry.robots WHERE model_key = recall_models[2] GROUP BY model_key) s;
	END IF;
	IF cardinality(recall_models) >= 3 THEN
		PERFORM robot_registry.close_recall(robot_registry.open_recall(recall_models[3], 'firmware watchdog fault'));
	END IF;
	-- a part of the whole-model recall is remedied in maintenance
	PERFORM robot_registry.set_detail('{"action": "joint actuator replaced"}');
	UPDATE robot_registry.recall_robots rr SET remedied_at = now(), remedied_by = current_user
	  FROM robot_registry.robots r
	 WHERE rr.recall_id = recall AND r.id OPERATOR(@extschema@.=) rr.robot_id AND r.state = 'maintenance';
	PERFORM robot_registry.set_detail(NULL);
	DROP TABLE demo_batch, demo_models;
	ANALYZE robot_registry.manufacturers, robot_registry.models, robot_registry.robots,
		robot_registry.events, robot_registry.recalls, robot_registry.recall_robots,
		robot_registry.market_events;
	RAISE NOTICE 'generate_demo: done in % s', round(extract(epoch FROM clock_timestamp() - started)::numeric, 1);
END
$fn$;
COMMENT ON PROCEDURE robot_registry.generate_demo(integer, integer, integer, double precision, integer)
	IS 'load a synthetic national registry: manufacturers, models, robots with histories, recalls';
REVOKE ALL ON PROCEDURE robot_registry.generate_demo(integer, integer, integer, double precision, integer) FROM PUBLIC;
