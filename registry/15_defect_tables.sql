-- 15: the tables of defects that force recalls (65_defects.sql): data,
-- created at install, and by the upgrades from registries before 1.4
-- (registry/upgrade/1.2--1.4.sql and 1.3--1.4.sql run this file).

ALTER TABLE robot_registry.recalls ADD COLUMN defect_category text
	CONSTRAINT recalls_defect_category CHECK (defect_category ~ '^[a-z0-9][a-z0-9 ./_-]{0,63}$');
CREATE INDEX recalls_defect ON robot_registry.recalls (model_key, defect_category) WHERE defect_category IS NOT NULL;
COMMENT ON COLUMN robot_registry.recalls.defect_category IS 'the defect category this recall answers, if any';

CREATE TABLE robot_registry.defect_reports (
	report_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	robot_id @extschema@.robot_id NOT NULL REFERENCES robot_registry.robots,
	model_key text NOT NULL GENERATED ALWAYS AS (@extschema@.robot_id_model_key(robot_id)) STORED,
	category text NOT NULL CONSTRAINT defect_reports_category CHECK (category ~ '^[a-z0-9][a-z0-9 ./_-]{0,63}$'),
	description text NOT NULL CONSTRAINT defect_reports_description CHECK (length(description) BETWEEN 1 AND 2000),
	severity text NOT NULL DEFAULT 'major' CHECK (severity IN ('minor', 'major', 'critical')),
	reported_by name NOT NULL DEFAULT current_user,
	reporter_kind robot_registry.actor_kind,
	reported_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX defect_reports_count ON robot_registry.defect_reports (model_key, category, reported_at);
CREATE INDEX defect_reports_robot ON robot_registry.defect_reports (robot_id);
COMMENT ON TABLE robot_registry.defect_reports IS 'defects reported by operators, service providers and manufacturers; append-only';

-- The row '*' is the default for every category without a row of its own.
CREATE TABLE robot_registry.defect_thresholds (
	category text PRIMARY KEY CONSTRAINT defect_thresholds_category
		CHECK (category = '*' OR category ~ '^[a-z0-9][a-z0-9 ./_-]{0,63}$'),
	min_robots integer NOT NULL CONSTRAINT defect_thresholds_robots CHECK (min_robots BETWEEN 1 AND 1000000),
	window_days integer NOT NULL CONSTRAINT defect_thresholds_window CHECK (window_days BETWEEN 1 AND 3650),
	set_by name NOT NULL DEFAULT current_user,
	set_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE robot_registry.defect_thresholds IS 'when a defect category becomes common for a model: min_robots distinct robots within window_days; row ''*'' is the default';

-- One row per crossing, written by the registry only.  The episode's
-- reports are those filed after counted_from: the start of the window
-- that made the category common, or the closing of the recall that
-- settled the previous crossing if that is later.  robots, min_robots and
-- window_days are the count and the threshold at the crossing.
CREATE TABLE robot_registry.defect_crossings (
	crossing_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	model_key text NOT NULL REFERENCES robot_registry.models,
	category text NOT NULL,
	crossed_at timestamptz NOT NULL DEFAULT now(),
	report_id bigint NOT NULL REFERENCES robot_registry.defect_reports,
	robots integer NOT NULL,
	min_robots integer NOT NULL,
	window_days integer NOT NULL,
	counted_from timestamptz NOT NULL,
	crossed_by name NOT NULL
);
CREATE INDEX defect_crossings_pair ON robot_registry.defect_crossings (model_key, category, crossed_at);
COMMENT ON TABLE robot_registry.defect_crossings IS 'each time a defect category became common for a model; append-only';

-- A row per model and category that every evaluation of it updates first,
-- so that two evaluations serialize: see "Concurrency" in the README.  No
-- information of its own, not logged, the owner's alone.
CREATE TABLE robot_registry.defect_gates (
	model_key text NOT NULL REFERENCES robot_registry.models,
	category text NOT NULL,
	evaluations bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (model_key, category)
);
COMMENT ON TABLE robot_registry.defect_gates IS 'serializes the evaluation of defect thresholds, per model and category';
