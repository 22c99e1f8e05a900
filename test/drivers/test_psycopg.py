"""robotid through psycopg 3 (Debian's python3-psycopg), as an application
team uses it.  Connects with the libpq environment (PGHOST, PGPORT, PGUSER,
PGDATABASE) to a database where test/drivers/setup.sql has run.  Prints TAP
and "# N passed, N failed"."""

import json
import struct
import sys

import psycopg
from psycopg import errors
from psycopg.adapt import Dumper, Loader
from psycopg.pq import Format
from psycopg.types import TypeInfo

CODE = "86000100012320260529000000001"
counts = {"passed": 0, "failed": 0}


def ok(cond, name, diag=None):
    n = counts["passed"] + counts["failed"] + 1
    key = "passed" if cond else "failed"
    counts[key] += 1
    print(f"{'ok' if cond else 'not ok'} {n} - {name}")
    if not cond and diag is not None:
        print(f"# {diag!r}")


def is_(got, want, name):
    ok(got == want, name, {"got": got, "want": want})


def failure(conn, sql, params=None, **kw):
    """The error a statement raises (rolled back), or None."""
    try:
        with conn.transaction():
            conn.execute(sql, params, **kw)
    except psycopg.Error as err:
        return err
    return None


# The binary form: the 12-digit model key and the 17-digit serial as two
# big-endian 64-bit integers.
class RobotIdBinaryLoader(Loader):
    format = Format.BINARY

    def load(self, data):
        model_key, serial = struct.unpack(">QQ", bytes(data))
        return f"{model_key:012d}{serial:017d}"


class RobotIdBinaryDumper(Dumper):
    format = Format.BINARY

    def dump(self, obj):
        return struct.pack(">QQ", int(obj[:12]), int(obj[12:]))


class RobotIdCode(str):
    """A code the application holds as such, sent in binary."""


def main():
    with psycopg.connect(autocommit=True) as conn:
        # codes are strings both ways; any accepted input form goes in
        conn.execute("INSERT INTO drivers.robots (id) VALUES (%s)",
                     ["86 0001 000123 20260529000000001"])
        row = conn.execute("SELECT id, state FROM drivers.robots WHERE id = %s", [CODE]).fetchone()
        is_(row, (CODE, "manufactured"), "a code round-trips as its 29 digits, a state as its label")

        # arrays decode once the types are registered, looked up by name
        sql = ("SELECT ARRAY[%s::robot_id, '86000100012320260529000000002'],"
               " ARRAY['sold', 'deployed']::robot_state[]")
        row = conn.execute(sql, [CODE]).fetchone()
        is_(row[0], f"{{{CODE},86000100012320260529000000002}}",
            "robot_id[] is text until the type is registered")
        for name in ("robot_id", "robot_state"):
            info = TypeInfo.fetch(conn, name)
            ok(info is not None and info.array_oid > 0, f"{name} and its array type are found by name")
            info.register(conn)
        row = conn.execute(sql, [CODE]).fetchone()
        is_(row, ([CODE, "86000100012320260529000000002"], ["sold", "deployed"]),
            "robot_id[] and robot_state[] decode to lists of strings")

        # binary results: 16 bytes, the model key and the serial
        info = TypeInfo.fetch(conn, "robot_id")
        raw = conn.execute("SELECT id FROM drivers.robots WHERE id = %s", [CODE], binary=True).fetchone()[0]
        is_((type(raw).__name__, len(raw)), ("bytes", 16), "a binary robot_id is 16 bytes")
        is_(struct.unpack(">QQ", raw), (860001000123, 20260529000000001),
            "they are the model key and the serial, big-endian")
        conn.adapters.register_loader(info.oid, RobotIdBinaryLoader)
        got = conn.execute("SELECT id FROM drivers.robots WHERE id = %s", [CODE], binary=True).fetchone()[0]
        is_(got, CODE, "a binary loader gives the 29 digits back")

        # a binary dumper for parameters
        RobotIdBinaryDumper.oid = info.oid
        conn.adapters.register_dumper(RobotIdCode, RobotIdBinaryDumper)
        got = conn.execute("SELECT %b::text", [RobotIdCode("86000100012320260529000000042")]).fetchone()[0]
        is_(got, "86000100012320260529000000042", "a code sent in binary arrives whole")
        err = failure(conn, "SELECT %b", [RobotIdCode("99999999999999999999999999999")])
        ok(err is None, "the largest code is valid in binary", err)
        bad = struct.pack(">QQ", 10**12, 0)

        class Corrupt(str):
            pass

        class CorruptDumper(Dumper):
            format = Format.BINARY
            oid = info.oid

            def dump(self, obj):
                return bad

        conn.adapters.register_dumper(Corrupt, CorruptDumper)
        err = failure(conn, "SELECT %b", [Corrupt("x")])
        is_(err and (err.sqlstate, err.diag.message_primary),
            ("22P03", "invalid external robot_id value"), "a corrupt binary value is 22P03")

        # a rule violation names its rule
        err = failure(conn, "UPDATE drivers.robots SET state = 'deployed' WHERE id = %s", [CODE])
        ok(isinstance(err, errors.CheckViolation), "a lifecycle violation is a CheckViolation", err)
        is_(err and (err.sqlstate, err.diag.constraint_name, err.diag.table_name, err.diag.schema_name),
            ("23514", "robot_lifecycle_transition", "robots", "drivers"),
            "it exposes SQLSTATE, constraint, table and schema")
        is_(err and err.diag.message_detail, "A robot cannot move from manufactured to deployed.",
            "its detail names the states")
        err = failure(conn, "SELECT %s::robot_id", ["86000100012320260529"])
        is_(err and (err.sqlstate, err.diag.message_detail), ("22P02", "Expected 29 digits, found 20."),
            "a malformed parameter is 22P02 with the parser's detail")

        # bulk loading: COPY is all or nothing, and the error names the line
        rows = [("86000100012320260529000000011", "2026-05-29"),
                ("86000100012320260529000000012", "2026-05-29"),
                ("8600010001232026052900000001x", "2026-05-29"),
                ("86000100012320260529000000014", "2026-05-29")]
        err = None
        try:
            with conn.cursor() as cur:
                with cur.copy("COPY drivers.labels (id, printed_at) FROM STDIN") as copy:
                    for r in rows:
                        copy.write_row(r)
        except psycopg.Error as e:
            err = e
        is_(err and err.sqlstate, "22P02", "a COPY with one bad code fails with 22P02")
        ok(err is not None and "line 3, column id" in (err.diag.context or ""),
           "the error names the line and column", err and err.diag.context)
        is_(conn.execute("SELECT count(*) FROM drivers.labels").fetchone()[0], 0,
            "nothing of the failed COPY is loaded")
        with conn.cursor() as cur:
            with cur.copy("COPY drivers.labels (id, printed_at) FROM STDIN") as copy:
                for i, r in enumerate(rows):
                    if i != 2:
                        copy.write_row(r)
        got = conn.execute("SELECT array_agg(id ORDER BY id)::text[] FROM drivers.labels").fetchone()[0]
        is_(got, [rows[0][0], rows[1][0], rows[3][0]], "a good COPY loads every row")


try:
    main()
except Exception as e:  # the suite must say that it stopped
    ok(False, "the suite ran to the end", repr(e))
print(f"1..{counts['passed'] + counts['failed']}")
print(f"# {counts['passed']} passed, {counts['failed']} failed")
sys.exit(0 if counts["failed"] == 0 else 1)
