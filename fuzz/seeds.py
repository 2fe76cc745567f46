#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets from the conformance fixtures.

    python3 fuzz/seeds.py          # rewrites fuzz/corpus/{parse,eval,generate}/

* parse:    every document of every fixture (file-level and per-case `schema`, valid or not),
            as pretty and as compact JSON text;
* eval:     `DOCUMENT \\0 CONTEXT \\0 UNIX_SECONDS` for every case (see fuzz/src/lib.rs), the
            document cut down to the case's feature (whole for `enabled_features` entries);
* generate: every document, compact.

Inputs that once found bugs are added to the parse seeds too (REGRESSIONS).

File names are the SHA-1 of the content (libFuzzer's convention), so rerunning is stable.
Python's json keeps big integers exact and floats as written (repr), as ff's reader does.
"""

import datetime
import hashlib
import json
import pathlib
import shutil

ROOT = pathlib.Path(__file__).resolve().parent
FIXTURES = ROOT.parent / "tests" / "conformance"


# Inputs that found bugs (each also a regression test in the crate that had the bug).
REGRESSIONS = [
    "\ufeff22",  # a byte order mark: problems had no location
    '{"f": {"boolean_type": false, "default": 1e400}}',  # reads as infinity, written `Infinity`
    "[" * 129 + "]" * 129,  # nesting beyond the limit
    '{"f": {"boolean_type": false, "default": ' + "7" * 4301 + "}}",  # too many digits
]


def seconds(now):
    if not now:
        return 1_700_000_000
    dt = datetime.datetime.fromisoformat(now.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=datetime.timezone.utc)
    return int(dt.timestamp())


def write(target, data, seen):
    if data in seen[target]:
        return
    seen[target].add(data)
    folder = ROOT / "corpus" / target
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def main():
    seen = {t: set() for t in ("parse", "eval", "generate")}
    for t in seen:
        shutil.rmtree(ROOT / "corpus" / t, ignore_errors=True)
        (ROOT / "corpus" / t).mkdir(parents=True)
    for path in sorted(FIXTURES.glob("*.json")):
        fixture = json.loads(path.read_text())
        cases = fixture.get("cases", [])
        documents = [fixture.get("schema")] + [c["schema"] for c in cases if "schema" in c]
        for doc in documents:
            if doc is None:
                continue
            compact = json.dumps(doc, ensure_ascii=False).encode()
            write("parse", json.dumps(doc, indent=2, ensure_ascii=False).encode(), seen)
            write("parse", compact, seen)
            if isinstance(doc, dict):
                write("generate", compact, seen)
        for case in cases + fixture.get("enabled_features", []):
            doc = case.get("schema", fixture.get("schema"))
            if not isinstance(doc, dict):
                continue
            # A case reads one feature: keep the seed small and focused on it.
            name = case.get("name")
            if isinstance(name, str) and name in doc:
                doc = {name: doc[name]}
            context = case.get("context", {})
            data = b"\0".join(
                [
                    json.dumps(doc, ensure_ascii=False).encode(),
                    json.dumps(context, ensure_ascii=False).encode(),
                    str(seconds(case.get("now"))).encode(),
                ]
            )
            write("eval", data, seen)
    for text in REGRESSIONS:
        write("parse", text.encode(), seen)
    for t, items in seen.items():
        print(f"{t}: {len(items)} seeds")


if __name__ == "__main__":
    main()
