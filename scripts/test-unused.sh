#!/usr/bin/env bash
# Tests `warn_unused` and `ff stale --crate` on tests/unused, a crate outside the workspace
# whose generated flags leave features unread on purpose: crates/ff-cli/tests/unused.rs
# checks it with `cargo check --message-format=json` and asserts exactly which features
# rustc reports (build script, #[feature_flags], FF_WARN_UNUSED=1), then runs
# `ff stale FILE --crate tests/unused`. Those tests are #[ignore]d in `cargo test` (they run
# cargo themselves); the fixture's target directory is target/unused-fixture.
#
#   scripts/test-unused.sh
#
# Ends with `unused: N passed, 0 failed`.
set -euo pipefail
cd "$(dirname "$0")/.."

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
# The fixture's lock file starts as the workspace's (see scripts/test-outside.sh).
cp Cargo.lock tests/unused/Cargo.lock
cargo test --locked -p ff-cli --test unused -- --ignored --test-threads=1 2>&1 | tee "$log" || status=$?
awk '/^test result: /{p += $4; f += $6} END {printf "unused: %d passed, %d failed\n", p, f}' "$log"
exit "$status"
