#!/usr/bin/env bash
# Tests ff's evaluation events through the real OpenTelemetry SDK (tests/otel: tracing →
# opentelemetry-appender-tracing → opentelemetry_sdk's in-memory log exporter). Kept out of
# scripts/test's `cargo test --workspace` line: the SDK is a build of its own, and only
# this crate needs it (ff-runtime depends on `tracing` alone).
#
#   scripts/test-otel.sh
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== cargo test -p ff-otel-tests"
cargo test --locked -p ff-otel-tests
