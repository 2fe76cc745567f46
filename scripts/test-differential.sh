#!/usr/bin/env bash
# Differential test: ff against the reference, Powertools for AWS Lambda (Python) 3.37.0, on
# random documents, contexts and clock readings (tests/tests/differential.rs). Creates the
# oracle's venv first (scripts/oracle/run; needs python3 and PyPI access once).
#
#   scripts/test-differential.sh                          # 10,000 cases (CI)
#   FF_DIFF_CASES=200000 scripts/test-differential.sh     # soak run
#   FF_DIFF_SEED=<seed> scripts/test-differential.sh      # replay a run (each run prints its seed)
#   FF_DIFF_KEEP_GOING=1 scripts/test-differential.sh     # list every difference, not just the first
#
# Without a working python3 the test is skipped with a loud message; set
# FF_DIFF_REQUIRE_ORACLE=1 (e.g. in CI) to make that a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

export FF_ORACLE=$PWD/scripts/oracle/run
if ! "$FF_ORACLE" --install; then
  echo "!! scripts/oracle/run could not install the reference (see above)" >&2
  if [[ ${FF_DIFF_REQUIRE_ORACLE:-} == 1 ]]; then
    exit 1
  fi
  # The test then reports the skip itself, loudly.
fi

start=$SECONDS
cargo test -p ff-tests --locked --test differential -- --include-ignored
echo "== differential test: $((SECONDS - start))s"
