#!/usr/bin/env python3
"""Fills in the `expected` values of a conformance fixture by running the reference.

Reads a fixture (the format of tests/conformance/README.md; `expected` members, if any, are
ignored) on stdin and prints it with every case's and every enabled_features entry's
`expected` set to what Powertools 3.37.0 returns. Run it through ./run, which provides the
venv:

    scripts/oracle/run --fill-expected < draft.json > tests/conformance/differential.json

`expected` values are never written by hand: this is how they are made.
"""

from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import oracle  # noqa: E402  (sets TZ=UTC and imports the reference)


def main() -> int:
    fixture = json.load(sys.stdin)
    for case in fixture.get("cases", []):
        case["expected"] = oracle.evaluate_case(fixture, case, False)["result"]
    entries = fixture.get("enabled_features")
    if entries is None:
        entries = oracle.derive_enabled_entries(fixture.get("cases", []))
        fixture["enabled_features"] = entries
    for entry in entries:
        entry["expected"] = oracle.enabled_entry(fixture, entry, False)["result"]
    json.dump(fixture, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
