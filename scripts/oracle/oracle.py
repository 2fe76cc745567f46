#!/usr/bin/env python3
"""Oracle for the Powertools for AWS Lambda (Python) "Feature flags" utility.

Runs the *reference* implementation (aws-lambda-powertools, installed by ./run in a venv)
against a JSON description of a schema and a list of evaluation cases, and prints
what the reference returns. Used to compute the expected values of the
conformance fixtures in tests/conformance/ and by the differential test
(tests/tests/differential.rs). A copy of ../shared/tools/oracle/oracle.py, kept in
the project so that CI needs nothing outside the repository.

Input (stdin), JSON:

    {
      "schema": {...},                       # feature-flag document served by the store
      "store_error": "ConfigurationStoreError",   # optional, see below
      "cases": [
        {"name": "flag", "context": {...}, "default": <json>,
         "now": "2022-11-18T10:00:00Z",      # optional, ISO-8601 instant
         "schema": {...},                    # optional per-case override of the top-level schema
         "store_error": "..."}               # optional per-case override
      ],
      "enabled_features": [                  # optional; when absent, one entry is derived
        {"context": {...}, "now": "...", "schema": {...}}   # per distinct (schema, context, now)
      ]
    }

Output (stdout), JSON:

    {
      "results":          [{"name", "context", "default", ["now"], "result": <value> | {"error": "Cls: msg"}}],
      "enabled_features": [{"context", ["now"], "result": [names...] | {"error": "Cls: msg"}}]
    }

Notes
-----
* Each case/entry gets a fresh FeatureFlags + in-memory StoreProvider, so no state
  (validation identity cache, exception handlers) leaks between cases.
* A case without a "context" key calls evaluate() without context (None -> {}).
  "context": null is passed through as None (same thing for the reference).
* "now": the reference reads the clock only through
  aws_lambda_powertools.utilities.feature_flags.comparators._get_now_from_timezone(tz)
  (its own tests patch exactly that function). We replace it with a function that
  returns the fixed instant converted into the requested timezone
  (``NOW.astimezone(tz or UTC)``), i.e. what datetime.now(tz) would have returned at
  that instant. A naive "now" is interpreted as UTC; a trailing "Z" is accepted.
  Without "now" the real clock is used (non-deterministic; fixtures always set it).
* TZ is forced to UTC before importing anything (as on AWS Lambda), because the
  reference falls back to the process-local zone for an empty/null TIMEZONE.
* "store_error": name of an exception class that the in-memory store's
  get_configuration() raises instead of returning the schema:
  ConfigurationStoreError | StoreClientError | SchemaValidationError | RuntimeError.
* Errors are reported as {"error": "<ExceptionClassName>: <message>"}.
* --warnings adds a "warnings" list (PowertoolsUserWarning etc. messages) to every
  result; by default warnings are captured and dropped.
"""

from __future__ import annotations

import copy
import json
import os
import sys
import time
import warnings
from datetime import datetime, timezone

os.environ["TZ"] = "UTC"
time.tzset()

from dateutil.tz import gettz  # noqa: E402

from aws_lambda_powertools.utilities.feature_flags import FeatureFlags, StoreProvider  # noqa: E402
from aws_lambda_powertools.utilities.feature_flags import comparators  # noqa: E402
from aws_lambda_powertools.utilities.feature_flags.exceptions import (  # noqa: E402
    ConfigurationStoreError,
    SchemaValidationError,
    StoreClientError,
)

STORE_ERRORS = {
    "ConfigurationStoreError": ConfigurationStoreError,
    "StoreClientError": StoreClientError,
    "SchemaValidationError": SchemaValidationError,
    "RuntimeError": RuntimeError,
}

_REAL_GET_NOW = comparators._get_now_from_timezone


class InMemoryStore(StoreProvider):
    """Minimal StoreProvider: serves a fixed document (or raises a configured error)."""

    def __init__(self, document, error: str | None = None):
        self._document = document
        self._error = error

    @property
    def get_raw_configuration(self):
        if self._error:
            raise STORE_ERRORS[self._error](f"simulated {self._error}")
        return self._document

    def get_configuration(self):
        return self.get_raw_configuration


def parse_now(value: str) -> datetime:
    dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt


class FixedClock:
    """Context manager that pins the reference's clock to one instant."""

    def __init__(self, now: str | None):
        self.now = parse_now(now) if now else None

    def __enter__(self):
        if self.now is not None:
            fixed = self.now

            def _fixed_now(tz):
                return fixed.astimezone(gettz("UTC") if tz is None else tz)

            comparators._get_now_from_timezone = _fixed_now
        return self

    def __exit__(self, *exc):
        comparators._get_now_from_timezone = _REAL_GET_NOW
        return False


def _err(exc: BaseException) -> dict:
    return {"error": f"{type(exc).__name__}: {exc}"}


def _run(schema, store_error, now, fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with FixedClock(now):
            flags = FeatureFlags(store=InMemoryStore(copy.deepcopy(schema), store_error))
            try:
                result = fn(flags)
            except Exception as exc:  # noqa: BLE001 - report every failure as data
                result = _err(exc)
    return result, [f"{w.category.__name__}: {w.message}" for w in caught]


def evaluate_case(top: dict, case: dict, with_warnings: bool) -> dict:
    schema = case["schema"] if "schema" in case else top.get("schema")
    store_error = case.get("store_error", top.get("store_error"))
    kwargs = {"name": case["name"], "default": case.get("default")}
    if "context" in case:
        kwargs["context"] = copy.deepcopy(case["context"])

    result, caught = _run(schema, store_error, case.get("now"), lambda ff: ff.evaluate(**kwargs))

    out = {"name": case["name"]}
    if "context" in case:
        out["context"] = case["context"]
    out["default"] = case.get("default")
    if case.get("now"):
        out["now"] = case["now"]
    if "schema" in case:
        out["schema"] = case["schema"]
    if "store_error" in case:
        out["store_error"] = case["store_error"]
    out["result"] = result
    if with_warnings:
        out["warnings"] = caught
    return out


def enabled_entry(top: dict, entry: dict, with_warnings: bool) -> dict:
    schema = entry["schema"] if "schema" in entry else top.get("schema")
    store_error = entry.get("store_error", top.get("store_error"))
    kwargs = {}
    if "context" in entry:
        kwargs["context"] = copy.deepcopy(entry["context"])

    result, caught = _run(schema, store_error, entry.get("now"), lambda ff: ff.get_enabled_features(**kwargs))

    out = {}
    if "context" in entry:
        out["context"] = entry["context"]
    if entry.get("now"):
        out["now"] = entry["now"]
    if "schema" in entry:
        out["schema"] = entry["schema"]
    if "store_error" in entry:
        out["store_error"] = entry["store_error"]
    out["result"] = result
    if with_warnings:
        out["warnings"] = caught
    return out


def derive_enabled_entries(cases: list[dict]) -> list[dict]:
    seen, entries = set(), []
    for case in cases:
        entry = {k: case[k] for k in ("context", "now", "schema", "store_error") if k in case}
        key = json.dumps(entry, sort_keys=True)
        if key not in seen:
            seen.add(key)
            entries.append(entry)
    return entries


def main(argv: list[str]) -> int:
    with_warnings = "--warnings" in argv
    top = json.load(sys.stdin)
    cases = top.get("cases", [])
    results = [evaluate_case(top, case, with_warnings) for case in cases]
    entries = top["enabled_features"] if "enabled_features" in top else derive_enabled_entries(cases)
    enabled = [enabled_entry(top, entry, with_warnings) for entry in entries]
    json.dump({"results": results, "enabled_features": enabled}, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
