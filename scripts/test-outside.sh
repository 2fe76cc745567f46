#!/usr/bin/env bash
# Builds and tests tests/outside, a crate outside ff's workspace that depends on ff by path
# as a user's crate does (Cargo unifies features per workspace, so only such a crate sees
# what ff does to the user's dependency graph):
# * serde_json's features in that crate must not include `preserve_order` (ff must not
#   change `json!` for the user's other crates), with default features and with
#   `appconfig-agent`;
# * the lints of its flags.json (a typo the reference ignores) reach the user as warnings
#   from the build script and from #[feature_flags], and the crate still builds;
# * ff-openfeature builds with only what its own manifest asks of open-feature, and an
#   OpenFeature client resolves a Powertools flag through it (tests/openfeature.rs).
#
#   scripts/test-outside.sh
#
# Ends with `outside: N passed, 0 failed`. Shares the workspace's target directory.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/tests/outside"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
failed=0
fail() { echo "test-outside: FAILED: $*"; failed=$((failed + 1)); }

# The crate's lock file starts as the workspace's (so it builds with the versions ff is
# tested with; cargo drops what the crate does not use): ff's dependencies change, and a lock
# file of its own would go stale.
cp "$root/Cargo.lock" Cargo.lock

for features in "" "agent"; do
    label="${features:-default features}"
    echo "== tests/outside ($label)"
    args=()
    [[ -n $features ]] && args+=(--features "$features")
    tree="$(cargo tree "${args[@]}" -e features -i serde_json)"
    if grep -q 'preserve_order' <<<"$tree"; then
        fail "serde_json has preserve_order ($label):"
        echo "$tree"
    else
        echo "serde_json features ($label): no preserve_order"
    fi
    # A fresh build of the crate itself, so that its build script and macro run and warn.
    touch build.rs src/lib.rs
    build="$(cargo build "${args[@]}" --tests 2>&1)" || { echo "$build"; fail "build ($label)"; continue; }
    grep -q 'ff-outside-tests@0.0.0: flags.json:4:5: /new_checkout/Rules: warning: unknown key `Rules` in feature `new_checkout`: did you mean `rules`?' <<<"$build" \
        || { echo "$build"; fail "no cargo:warning from the build script ($label)"; }
    grep -q 'use of deprecated constant `expanded::_::feature_flags_document_warning`: flags.json:4:5: /new_checkout/Rules: warning: unknown key `Rules`' <<<"$build" \
        || { echo "$build"; fail "no warning from #[feature_flags] ($label)"; }
    cargo test "${args[@]}" 2>&1 | tee -a "$log"
done

awk -v failed="$failed" '/^test result: /{p += $4; f += $6} END {printf "outside: %d passed, %d failed\n", p, f + failed}' "$log"
[[ $failed -eq 0 ]]
