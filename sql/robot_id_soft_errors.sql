-- PostgreSQL 16 and later: the input function reports bad codes as soft
-- errors, so a caller can ask whether text is a robot_id without an error.
SELECT pg_input_is_valid('86-0001-000001-20260529000000001', 'robot_id') AS valid,
       pg_input_is_valid('86000100000120260529000000001', 'robot_id') AS valid_digits,
       pg_input_is_valid('86-0001-000001-2026052900000000', 'robot_id') AS too_short,
       pg_input_is_valid('86-0001-000001-2026052900000000x', 'robot_id') AS letter,
       pg_input_is_valid('', 'robot_id') AS empty;
-- the error a cast would raise, as values
SELECT message, detail, hint, sql_error_code
  FROM pg_input_error_info('86-0001-000001-2026052900000000x', 'robot_id');
SELECT message, sql_error_code
  FROM pg_input_error_info('86-0001-000001-20260529000000001', 'robot_id');
-- in a table: which imported codes would load
CREATE TABLE imported (line int, code text);
INSERT INTO imported VALUES (1, '86-0001-000001-20260529000000001'), (2, 'robot 7'),
       (3, '86000100000120260529000000002'), (4, NULL);
SELECT line, pg_input_is_valid(code, 'robot_id') AS loads,
       (pg_input_error_info(code, 'robot_id')).sql_error_code
  FROM imported ORDER BY line;
DROP TABLE imported;
