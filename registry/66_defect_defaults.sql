-- 66: the default defect threshold (data, install only: an upgrade
-- inserts it in its step, and the ledger records it then).  After
-- 65_defects.sql, so that the row is ledgered like any other.

-- When the registry is installed: 3 distinct robots of a model within 90
-- days, for every category.
INSERT INTO robot_registry.defect_thresholds (category, min_robots, window_days) VALUES ('*', 3, 90);
