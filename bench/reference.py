#!/usr/bin/env python3
"""Times the benchmark workloads through the reference: Powertools for AWS Lambda (Python)
3.37.0, `FeatureFlags` over an in-memory store, warm, clock pinned. Run by bench/compare.

Reads on stdin: {"document": {...}, "context": {...}, "now": "...", "compile": [text, ...]}
(the exact document and context ff and Yggdrasil evaluate). Prints JSON on stdout:
{"no_rules": ns_per_call, ..., "enabled_features": ns, "compile 1005": ns, ...}.

Each workload is timed with `timeit`: one warm-up call, `Timer.autorange()` to choose a
loop count of at least 0.2 s, then 5 repeats; the median repeat is reported per call.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import timeit
from datetime import datetime, timezone

os.environ["TZ"] = "UTC"  # as on AWS Lambda (the reference reads the local zone for an empty TIMEZONE)

from dateutil.tz import gettz  # noqa: E402

from aws_lambda_powertools.utilities.feature_flags import FeatureFlags, StoreProvider  # noqa: E402
from aws_lambda_powertools.utilities.feature_flags import comparators  # noqa: E402
from aws_lambda_powertools.utilities.feature_flags.schema import SchemaValidator  # noqa: E402


class InMemoryStore(StoreProvider):
    """Serves one document object (the same object every time, so the reference validates
    it once and then skips validation by identity, as it does for a cached AppConfig one)."""

    def __init__(self, document):
        self._document = document

    @property
    def get_raw_configuration(self):
        return self._document

    def get_configuration(self):
        return self._document


def per_call_ns(fn) -> float:
    fn()
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    runs = timer.repeat(repeat=5, number=number)
    return statistics.median(runs) / number * 1e9


def main() -> int:
    spec = json.load(sys.stdin)
    now = datetime.fromisoformat(spec["now"].replace("Z", "+00:00")).astimezone(timezone.utc)
    comparators._get_now_from_timezone = lambda tz: now.astimezone(gettz("UTC") if tz is None else tz)

    flags = FeatureFlags(store=InMemoryStore(spec["document"]))
    ctx = spec["context"]
    out = {}
    for name in spec["workloads"]:
        out[name] = per_call_ns(lambda name=name: flags.evaluate(name=name, context=ctx, default=False))
    out["enabled_features"] = per_call_ns(lambda: flags.get_enabled_features(context=ctx))
    for label, text in spec.get("compile", {}).items():
        # The reference's equivalent of ff's parse + validate + compile: json.loads and
        # the schema validation it runs once per fetched document.
        out[label] = per_call_ns(lambda text=text: SchemaValidator(json.loads(text)).validate())
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
