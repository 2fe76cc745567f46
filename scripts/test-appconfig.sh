#!/usr/bin/env bash
# The AppConfig tests: starts MiniStack (installing it in a venv the first time), runs every
# test of the AppConfig stores and of the Lambda example against it, and stops it.
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

echo "== AppConfig tests against MiniStack at $FF_MINISTACK_ENDPOINT"
cargo test --locked -p ff-appconfig-tests -p lambda-example "$@"
echo "== ff-runtime with the AppConfig features (unit tests and doc tests)"
cargo test --locked -p ff-runtime --features appconfig,appconfig-agent "$@" -- appconfig
