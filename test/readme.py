#!/usr/bin/env python3
"""The README's examples as tests (doc tests).

Runs every ```sql block of README.md, in order, in one psql session on a
fresh database, and compares what each statement prints with what the
README shows.  The conventions, which the README states under "Testing the
manual":

- A block preceded by the line <!-- doctest: skip --> (optionally with a
  reason after "skip") is illustrative and not run.  Every other ```sql
  block is run.
- A statement's expected output is written under it as comment lines
  ("-- " and then the output), up to the first blank line or the next
  statement; a comment after a blank line is prose.  Or it is a comment on
  the statement's last line: the single value (or row) the statement
  returns, optionally followed by ":" or a space and a remark
  ("-- t (resale)").
- Errors and notices are shown as psql prints them with
  \\set VERBOSITY verbose, without the LOCATION line: a shown ERROR carries
  its SQLSTATE ("ERROR:  22P02: invalid input ..."), and every DETAIL and
  HINT the server sends must be shown.  Notices are compared when the
  README shows one for that statement, and ignored otherwise.
- A statement with nothing shown must succeed (no ERROR or WARNING).
- Query results are compared row by row, whitespace-insensitively; the
  column header is compared when the README shows it (with its ---- line).
- "…" in an expected line matches any text (times, random codes, hashes).
- A ```json block that follows a run block whose last statement shows
  nothing is that statement's output (run unaligned, without a header),
  compared as JSON: a string value "…" matches any value, "x…y" any string
  of that shape, and an array element ... any further elements.

Prints TAP, one line per checked statement, and "# N passed, N failed".
Usage: readme.py README.md  (connection from PGHOST, PGPORT, PGDATABASE...)
"""
import json
import os
import re
import subprocess
import sys

MARK = "@@doctest@@"
SEVERITIES = ("ERROR", "WARNING", "NOTICE", "INFO", "LOG", "DEBUG")


class Statement:
    def __init__(self, line, text):
        self.line = line            # README line of its first line
        self.text = text            # the statement as written
        self.inline = None          # comment on its last line
        self.expected = []          # comment lines under it
        self.json = None            # a following ```json block

    def title(self):
        first = self.text.strip().splitlines()[0]
        return first if len(first) <= 70 else first[:67] + "..."


def scan_code(line, state):
    """Walk one line of SQL; return (code, comment) and update state, a dict
    with 'quote' (None, "'", '"' or a dollar tag).  The comment is the text
    after a -- outside quotes."""
    i = 0
    n = len(line)
    while i < n:
        q = state["quote"]
        c = line[i]
        if q is None:
            if c == "-" and line.startswith("--", i):
                return line[:i], line[i + 2:]
            if c in ("'", '"'):
                state["quote"] = c
            elif c == "$":
                m = re.match(r"\$[A-Za-z_]*\$", line[i:])
                if m:
                    state["quote"] = m.group(0)
                    i += len(m.group(0))
                    continue
        elif q in ("'", '"'):
            if c == q:
                if line.startswith(q * 2, i):
                    i += 2
                    continue
                state["quote"] = None
        else:
            if line.startswith(q, i):
                state["quote"] = None
                i += len(q)
                continue
        i += 1
    return line, None


def parse_readme(path):
    """The checked statements in order, and the number of skipped blocks."""
    lines = open(path, encoding="utf-8").read().split("\n")
    statements = []
    skipped = 0
    last_block = None           # the statements of the last run block
    i = 0
    prev_text = ""
    while i < len(lines):
        line = lines[i]
        fence = re.match(r"^```(\w*)\s*$", line)
        if not fence or not fence.group(1):
            if line.strip():
                prev_text = line.strip()
            i += 1
            continue
        lang = fence.group(1)
        skip = prev_text.startswith("<!-- doctest: skip")
        j = i + 1
        while j < len(lines) and not lines[j].startswith("```"):
            j += 1
        body = lines[i + 1:j]
        if lang == "sql":
            if skip:
                skipped += 1
                last_block = None
            else:
                last_block = parse_block(body, i + 2)
                statements.extend(last_block)
        elif lang == "json" and not skip and last_block:
            last = last_block[-1]
            if last.inline is None and not last.expected and last.json is None:
                last.json = ("\n".join(body), i + 2)
            last_block = None
        elif skip:
            skipped += 1
        prev_text = ""
        i = j + 1
    return statements, skipped


def parse_block(body, first_line):
    out = []
    cur = []                    # lines of the statement being read
    cur_line = None
    state = {"quote": None}
    collecting = None           # the statement whose output lines follow
    for k, line in enumerate(body):
        lineno = first_line + k
        if not cur:
            if not line.strip():
                collecting = None
                continue
            if line.lstrip().startswith("--"):
                if collecting is not None and collecting.inline is None:
                    text = line.lstrip()[2:]
                    collecting.expected.append(text[1:] if text.startswith(" ") else text)
                continue
            if line.lstrip().startswith("\\"):
                st = Statement(lineno, line.strip())
                out.append(st)
                collecting = st
                continue
        if not cur:
            cur_line = lineno
        cur.append(line)
        code, comment = scan_code(line, state)
        if state["quote"] is None and code.rstrip().endswith(";"):
            st = Statement(cur_line, "\n".join(cur))
            if comment is not None and comment.strip():
                st.inline = comment.strip()
                # the comment is not sent: psql would keep it in the buffer
                st.text = "\n".join(cur[:-1] + [code.rstrip()])
            out.append(st)
            collecting = st
            cur = []
    if cur:
        raise SystemExit("README line %d: a statement without its ';'" % cur_line)
    return out


def build_script(statements):
    parts = [
        "\\set VERBOSITY verbose",
        "\\set SHOW_CONTEXT never",
        "\\set ON_ERROR_STOP 0",
        "\\pset pager off",
    ]
    for n, st in enumerate(statements):
        parts.append("\\echo %s %d" % (MARK, n))
        if st.json is not None:
            parts += ["\\pset format unaligned", "\\pset tuples_only on"]
            parts.append(st.text)
            parts += ["\\pset format aligned", "\\pset tuples_only off"]
        else:
            parts.append(st.text)
    parts.append("\\echo %s end" % MARK)
    return "\n".join(parts) + "\n"


def run(statements):
    script = build_script(statements)
    cmd = ["psql", "-X", "-q", "-f", "-"]
    if os.path.exists("/usr/bin/stdbuf"):
        cmd = ["stdbuf", "-oL", "-eL"] + cmd
    proc = subprocess.run(cmd, input=script, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    outputs = {}
    current = None
    for line in proc.stdout.split("\n"):
        m = re.match(r"^%s (\d+|end)$" % MARK, line)
        if m:
            current = None if m.group(1) == "end" else int(m.group(1))
            if current is not None:
                outputs[current] = []
            continue
        if current is not None:
            outputs[current].append(line)
    return outputs, proc.stdout


def norm(s):
    s = re.sub(r"\s+", " ", s.strip())
    s = re.sub(r" ?\| ?", "|", s)
    s = re.sub(r" ?\+ ?", "+", s) if re.fullmatch(r"[-+ ]+", s) else s
    return re.sub(r"-{2,}", "--", s)


def matches(expected, actual):
    e = norm(expected)
    a = norm(actual)
    if "…" not in e:
        return e == a
    pattern = ".*".join(re.escape(part) for part in e.split("…"))
    return re.fullmatch(pattern, a, re.S) is not None


FIELDS = ("SCHEMA NAME", "TABLE NAME", "COLUMN NAME", "DATATYPE NAME", "CONSTRAINT NAME")


def split_output(lines):
    """Messages (as groups of lines) and result lines, in order.  psql's
    LOCATION and its LINE n: and caret lines, which point into the
    statement, are left out."""
    items = []
    caret = False
    for raw in lines:
        line = re.sub(r"^psql:[^:]*:\d+: ", "", raw.rstrip())
        if caret and re.fullmatch(r"\s*\^", line):
            caret = False
            continue
        caret = False
        if not line.strip() or line.startswith("LOCATION:"):
            continue
        if re.match(r"^LINE \d+: ", line) and items and items[-1][0] == "msg":
            caret = True
            continue
        m = re.match(r"^(%s):  " % "|".join(SEVERITIES), line)
        if m:
            items.append(["msg", m.group(1), [line]])
        elif re.match(r"^(DETAIL|HINT|CONTEXT|QUERY|%s):  " % "|".join(FIELDS), line) \
                and items and items[-1][0] == "msg":
            items[-1][2].append(line)
        else:
            items.append(["row", None, [line]])
    return items


def is_separator(line):
    return re.fullmatch(r"-+(\+-+)*", line.strip()) is not None


def result_rows(items, with_header, with_footer):
    rows = [it[2][0] for it in items if it[0] == "row"]
    # aligned output: header, separator, rows, footer
    sep = next((k for k, r in enumerate(rows) if is_separator(r)), None)
    if sep is not None and not with_header:
        rows = rows[sep + 1:]
    if rows and re.fullmatch(r"\((\d+) rows?\)", rows[-1].strip()) and not with_footer:
        rows = rows[:-1]
    return rows


def strip_code(line, keep_code):
    """psql's verbose 'ERROR:  22P02: message': without the code unless the
    README shows one."""
    if keep_code:
        return line
    return re.sub(r"^(%s):  [0-9A-Z]{5}: " % "|".join(SEVERITIES), r"\1:  ", line)


def check(st, lines):
    """None when the statement did what the README shows, else why not."""
    items = split_output(lines)
    errors = [it for it in items if it[0] == "msg" and it[1] in ("ERROR", "WARNING")]
    exp = st.expected
    if st.json is not None:
        if errors:
            return "unexpected %s" % errors[0][2][0]
        rows = [it[2][0] for it in items if it[0] == "row"]
        return compare_json(st.json[0], "\n".join(rows))
    if st.inline is not None:
        if errors:
            return "expected %r, got %s" % (st.inline, " / ".join(errors[0][2]))
        rows = result_rows(items, False, False)
        value = norm(rows[0]) if len(rows) == 1 else None
        if len(rows) == 0 and st.inline.startswith("(no rows)"):
            return None
        if value is None:
            return "expected one row %r, got %d rows: %r" % (st.inline, len(rows), rows[:5])
        text = norm(st.inline)
        if text == value or (text.startswith(value) and text[len(value):][:1] in (":", " ")):
            return None
        if "…" in text and matches(text, value):
            return None
        return "expected %r, got %r" % (st.inline, value)
    if not exp:
        if errors:
            return "unexpected " + " / ".join(errors[0][2])
        return None
    # shown lines: compare messages and rows, in psql's order
    shown_sev = {m.group(1) for m in (re.match(r"^(%s):" % "|".join(SEVERITIES), e) for e in exp) if m}
    for e in exp:
        m = re.match(r"^(ERROR|WARNING):  (\S+)", e)
        if m and not re.fullmatch(r"[0-9A-Z]{5}:", m.group(2)):
            return "README line shows an %s without its SQLSTATE: %r" % (m.group(1), e)
    # the error's fields (schema, table, constraint...) where they are shown
    with_fields = tuple(f for f in FIELDS if any(e.startswith(f + ":") for e in exp))
    with_header = any(is_separator(e) for e in exp)
    with_footer = any(re.fullmatch(r"\(\d+ rows?\)", e.strip()) for e in exp)
    actual = []
    rows_done = False
    for it in items:
        if it[0] == "msg":
            if it[1] in ("ERROR", "WARNING") or it[1] in shown_sev:
                keep = it[1] in ("ERROR", "WARNING")
                actual.extend(strip_code(l, keep) for l in it[2]
                              if not l.startswith("CONTEXT:")
                              and (not l.startswith(FIELDS) or l.startswith(with_fields)))
        elif not rows_done:
            actual.extend(result_rows(items, with_header, with_footer))
            rows_done = True
    if len(actual) != len(exp) or not all(matches(e, a) for e, a in zip(exp, actual)):
        return "shown:\n%s\n    got:\n%s" % (
            "\n".join("      " + e for e in exp), "\n".join("      " + a for a in actual))
    return None


ANY_MORE = "\u2026more"


def compare_json(expected_text, actual_text):
    # "..." alone as an array element: any further elements
    text = re.sub(r"^(\s*)\.\.\.\s*$", r'\1"%s"' % ANY_MORE, expected_text, flags=re.M)
    text = re.sub(r'("%s")\s*\n(\s*[\]}])' % ANY_MORE, r"\1\n\2", text)
    text = re.sub(r",(\s*\n\s*\"%s\")" % ANY_MORE, r",\1", text)
    try:
        exp = json.loads(text)
    except ValueError as e:
        return "the README's JSON does not parse: %s" % e
    try:
        act = json.loads(actual_text)
    except ValueError as e:
        return "the output is not JSON (%s): %r" % (e, actual_text[:200])
    diff = json_diff(exp, act, "$")
    return diff


def json_diff(e, a, where):
    if isinstance(e, str) and "…" in e and e != ANY_MORE:
        if e == "…":
            return None
        if isinstance(a, str) and matches(e, a):
            return None
        return "%s: shown %r, got %r" % (where, e, a)
    if isinstance(e, dict):
        if not isinstance(a, dict):
            return "%s: shown an object, got %r" % (where, a)
        if set(e) != set(a):
            return "%s: keys shown %s, got %s" % (where, sorted(e), json.dumps(a))
        for k in e:
            d = json_diff(e[k], a[k], "%s.%s" % (where, k))
            if d:
                return d
        return None
    if isinstance(e, list):
        if not isinstance(a, list):
            return "%s: shown an array, got %r" % (where, a)
        more = bool(e) and e[-1] == ANY_MORE
        shown = e[:-1] if more else e
        if len(a) < len(shown) or (not more and len(a) != len(shown)):
            return "%s: %d elements shown, got %d" % (where, len(shown), len(a))
        for k, x in enumerate(shown):
            d = json_diff(x, a[k], "%s[%d]" % (where, k))
            if d:
                return d
        return None
    if e != a or type(e) is not type(a):
        return "%s: shown %r, got %r" % (where, e, a)
    return None


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "README.md"
    statements, skipped = parse_readme(path)
    outputs, raw = run(statements)
    passed = failed = 0
    for n, st in enumerate(statements):
        if n not in outputs:
            why = "not run (psql stopped before it)"
        else:
            why = check(st, outputs[n])
        name = "README line %d: %s" % (st.line, st.title())
        if why is None:
            passed += 1
            print("ok %d - %s" % (n + 1, name))
        else:
            failed += 1
            print("not ok %d - %s" % (n + 1, name))
            for l in why.split("\n"):
                print("#   " + l)
    print("# %d illustrative blocks not run" % skipped)
    print("# %d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
