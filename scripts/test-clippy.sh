#!/usr/bin/env bash
# Lints the workspace with clippy, warnings as errors: ff's own code, and the typed code that
# ff-build generates (the checkout examples, the typed conformance documents in tests/,
# bench/), which every user's crate compiles and may lint with `-D warnings` too.
#
#   scripts/test-clippy.sh
#
# Skipped, with a note, on a toolchain without clippy (`rustup component add clippy`).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo clippy --version >/dev/null 2>&1; then
    echo "test-clippy: cargo clippy is not installed; skipped (rustup component add clippy)"
    exit 0
fi
echo "== cargo clippy (workspace, all targets, -D warnings)"
cargo clippy --locked --workspace --all-targets --exclude ff-appconfig-tests --exclude lambda-example --exclude openfeature-example -- -D warnings
echo "test-clippy: no warnings"
