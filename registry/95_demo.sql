-- 95: a synthetic national registry, for demos and benchmarks.

-- Robots are generated in batches, with a NOTICE of progress, in one
-- transaction: a procedure that pins its search_path may not commit.  Histories are dated over the last two years.  Administrators
-- only: it writes as the registry, not as an actor.
CREATE PROCEDURE robot_registry.generate_demo(robots integer DEFAULT 28000,
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
	SELECT count(*) INTO model_count FROM robot_registry.models;

	CREATE TEMP TABLE IF NOT EXISTS demo_batch (id @extschema@.robot_id PRIMARY KEY, born timestamptz);
	SELECT coalesce(max(substr(@extschema@.robot_id_serial(id), 9)::bigint), 0) INTO first_robot
	  FROM robot_registry.robots;

	WHILE done < robots LOOP
		n := least(batch_size, robots - done);
		INSERT INTO demo_batch
		SELECT @extschema@.make_robot_id('86', substr(m.model_key, 3, 4), substr(m.model_key, 7, 6),
		                               to_char(b.born, 'YYYYMMDD') || lpad((first_robot + done + g)::text, 9, '0')),
		       b.born
		  FROM generate_series(1, n) g
		 CROSS JOIN LATERAL (SELECT now() - interval '730 days' * random() - interval '60 days' + g * interval '0 s' AS born) b
		 CROSS JOIN LATERAL (SELECT model_key FROM robot_registry.models
		                      ORDER BY model_key OFFSET floor(random() * model_count + g * 0)::int LIMIT 1) m;

		INSERT INTO robot_registry.robots (id, owner_name, location, registered_at, updated_at)
		SELECT b.id, mf.name, 'factory', b.born, b.born
		  FROM demo_batch b
		  JOIN robot_registry.manufacturers mf
		    ON mf.manufacturer_key = @extschema@.robot_id_manufacturer_key(b.id);

		-- sold, mostly (the log records each sale as a market event)
		PERFORM robot_registry.set_detail('{"channel": "dealer"}');
		UPDATE robot_registry.robots r
		   SET state = 'sold', owner_name = 'customer ' || (hashtext(r.id::text) & 65535),
		       updated_at = r.updated_at + interval '1 day' * (5 + 55 * random())
		  FROM demo_batch b WHERE r.id OPERATOR(@extschema@.=) b.id AND random() < 0.85;
		-- deployed
		PERFORM robot_registry.set_detail('{"site": "customer premises"}');
		UPDATE robot_registry.robots r
		   SET state = 'deployed',
		       location = (ARRAY['Beijing', 'Shanghai', 'Shenzhen', 'Guangzhou', 'Hangzhou', 'Chengdu', 'Wuhan', 'Tianjin'])[1 + (hashtext(r.id::text) & 7)],
		       updated_at = r.updated_at + interval '1 day' * (1 + 29 * random())
		  FROM demo_batch b WHERE r.id OPERATOR(@extschema@.=) b.id AND r.state = 'sold' AND random() < 0.8;
		-- into maintenance, and some back out
		PERFORM robot_registry.set_detail('{"reason": "scheduled service"}');
		UPDATE robot_registry.robots r
		   SET state = 'maintenance', updated_at = r.updated_at + interval '1 day' * (30 + 270 * random())
		  FROM demo_batch b WHERE r.id OPERATOR(@extschema@.=) b.id AND r.state = 'deployed' AND random() < 0.3;
		PERFORM robot_registry.set_detail('{"reason": "service completed"}');
		UPDATE robot_registry.robots r
		   SET state = 'deployed', updated_at = r.updated_at + interval '1 day' * (2 + 12 * random())
		  FROM demo_batch b WHERE r.id OPERATOR(@extschema@.=) b.id AND r.state = 'maintenance' AND random() < 0.6;
		-- resold
		PERFORM robot_registry.set_detail('{"channel": "second hand"}');
		UPDATE robot_registry.robots r
		   SET state = 'sold', owner_name = 'customer ' || (hashtext(r.id::text || 'resale') & 65535),
		       updated_at = r.updated_at + interval '1 day' * (60 + 200 * random())
		  FROM demo_batch b WHERE r.id OPERATOR(@extschema@.=) b.id AND r.state = 'deployed' AND random() < 0.05;
		-- scrapped: recycled, some retired after
		PERFORM robot_registry.set_detail('{"reason": "end of life"}');
		UPDATE robot_registry.robots r
		   SET state = 'recycled', location = 'recycling centre',
		       updated_at = r.updated_at + interval '1 day' * (30 + 300 * random())
		  FROM demo_batch b WHERE r.id OPERATOR(@extschema@.=) b.id
		   AND r.state IN ('sold', 'deployed', 'maintenance') AND random() < 0.04;
		UPDATE robot_registry.robots r
		   SET state = 'retired', updated_at = r.updated_at + interval '1 day' * (1 + 30 * random())
		  FROM demo_batch b WHERE r.id OPERATOR(@extschema@.=) b.id AND r.state = 'recycled' AND random() < 0.5;
		PERFORM robot_registry.set_detail('{"reason": "failed factory test"}');
		UPDATE robot_registry.robots r
		   SET state = 'retired', updated_at = r.updated_at + interval '1 day'
		  FROM demo_batch b WHERE r.id OPERATOR(@extschema@.=) b.id AND r.state = 'manufactured' AND random() < 0.05;
		PERFORM robot_registry.set_detail(NULL);
		TRUNCATE demo_batch;

		done := done + n;
		RAISE NOTICE 'generate_demo: % of % robots (% s)', done, robots,
			round(extract(epoch FROM clock_timestamp() - started)::numeric, 1);
	END LOOP;

	-- rebuilds of robots in maintenance, never of scrapped ones
	INSERT INTO robot_registry.robots (id, refurbished_from, owner_name, location)
	SELECT @extschema@.make_robot_id('86', @extschema@.robot_id_manufacturer(r.id), @extschema@.robot_id_model(r.id),
	                               '9' || right(@extschema@.robot_id_serial(r.id), 16)),
	       r.id, 'refurbisher', 'factory'
	  FROM robot_registry.robots r
	 WHERE r.state = 'maintenance' AND left(@extschema@.robot_id_serial(r.id), 1) <> '9'
	   AND hashtext(r.id::text) % 50 = 0
	ON CONFLICT DO NOTHING;

	-- recalls: a whole model, a range of serials, and one already closed
	recall := robot_registry.open_recall('860001000001', 'actuator overheating in the left knee joint');
	PERFORM robot_registry.open_recall(model_key, 'battery cell swelling in early production',
	                                   serial_from, serial_to)
	  FROM (SELECT model_key, min(@extschema@.robot_id_serial(id)) AS serial_from,
	               percentile_disc(0.3) WITHIN GROUP (ORDER BY @extschema@.robot_id_serial(id)) AS serial_to
	          FROM robot_registry.robots WHERE model_key = '860002000001' GROUP BY model_key) s;
	PERFORM robot_registry.close_recall(robot_registry.open_recall('860003000001', 'firmware watchdog fault'));
	-- a part of the whole-model recall is remedied in maintenance
	PERFORM robot_registry.set_detail('{"action": "joint actuator replaced"}');
	UPDATE robot_registry.recall_robots rr SET remedied_at = now(), remedied_by = current_user
	  FROM robot_registry.robots r
	 WHERE rr.recall_id = recall AND r.id OPERATOR(@extschema@.=) rr.robot_id AND r.state = 'maintenance';
	PERFORM robot_registry.set_detail(NULL);
	DROP TABLE demo_batch;
	ANALYZE robot_registry.manufacturers, robot_registry.models, robot_registry.robots,
		robot_registry.events, robot_registry.recalls, robot_registry.recall_robots,
		robot_registry.market_events;
	RAISE NOTICE 'generate_demo: done in % s', round(extract(epoch FROM clock_timestamp() - started)::numeric, 1);
END
$fn$;
COMMENT ON PROCEDURE robot_registry.generate_demo(integer, integer, integer, double precision, integer)
	IS 'load a synthetic national registry: manufacturers, models, robots with histories, recalls';
REVOKE ALL ON PROCEDURE robot_registry.generate_demo(integer, integer, integer, double precision, integer) FROM PUBLIC;
