#!/usr/bin/env bash
# The AppConfig tests: starts MiniStack (installing it in a venv the first time), runs every
# test of the AppConfig stores, of the Lambda example, of the `ff` command's AppConfig
# commands (`--appconfig`, `ff pull`, `ff push`) and of the user guide followed end to end
# (tests/appconfig/tests/guide.rs) against it, and stops it.
#
#   scripts/test-appconfig.sh [extra cargo test arguments]
#
# Everything runs on the loopback interface; the only downloads are ministack from PyPI (once)
# and crates from crates.io. The AWS variables below are set for the tests only: static test
# credentials, the region, and the endpoint of MiniStack for the standard configuration chain.
set -euo pipefail
cd "$(dirname "$0")/.."

started_here=false
if ! scripts/ministack.sh status >/dev/null 2>&1; then
    started_here=true
fi
endpoint_line="$(scripts/ministack.sh start)"
eval "$endpoint_line"
cleanup() {
    if $started_here; then
        scripts/ministack.sh stop || true
    fi
}
trap cleanup EXIT

export FF_MINISTACK_ENDPOINT
export FF_REQUIRE_MINISTACK=1
export AWS_ENDPOINT_URL_APPCONFIGDATA="$FF_MINISTACK_ENDPOINT"
export AWS_REGION=us-east-1
export AWS_ACCESS_KEY_ID=test
export AWS_SECRET_ACCESS_KEY=test
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL
export AWS_EC2_METADATA_DISABLED=true

echo "== ff built with the appconfig feature (for tests/appconfig/tests/cli.rs and guide.rs)"
FF_BIN="$(cargo build --locked -p ff-cli --features appconfig --message-format=json-render-diagnostics \
    | sed -n 's/.*"executable":"\([^"]*\/ff\)".*/\1/p' | tail -n 1)"
[[ -n "$FF_BIN" && -x "$FF_BIN" ]] || { echo "test-appconfig: could not find the ff binary that cargo built" >&2; exit 1; }
export FF_BIN

echo "== AppConfig tests against MiniStack at $FF_MINISTACK_ENDPOINT"
cargo test --locked -p ff-appconfig-tests -p lambda-example "$@"
echo "== ff-cli with the appconfig feature (argument parsing, help, output)"
cargo test --locked -p ff-cli --features appconfig --bin ff --test cli "$@"
echo "== ff-runtime with the AppConfig features (unit tests and doc tests)"
cargo test --locked -p ff-runtime --features appconfig,appconfig-agent "$@" -- appconfig
echo "== the user guide's AWS snippets (compiled with the appconfig feature)"
cargo test --locked -p ff-guide --features appconfig --doc "$@"
