#!/usr/bin/env bash
# Runs every fuzz target of fuzz/ (cargo-fuzz, libFuzzer) for a bounded time each.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]    # default: 60 s for each of parse, eval, generate
#
# Fails (exit 1) when a target crashes (a panic, a failed property, a sanitizer report), hangs
# (one input running longer than FUZZ_TIMEOUT seconds, default 10) or runs out of memory (more
# than FUZZ_RSS_MB, default 2048). The input is kept under fuzz/artifacts/TARGET/; replay it
# with `RUSTC_BOOTSTRAP=1 cargo fuzz run TARGET fuzz/artifacts/TARGET/crash-…` from fuzz/,
# and turn it into a regression test in the crate that had the bug.
#
# Works on the stable toolchain: cargo-fuzz needs nightly-only flags, which RUSTC_BOOTSTRAP=1
# unlocks; stable ships the sanitizer runtimes. cargo-fuzz is installed from crates.io when it
# is missing.
#
# No sanitizer by default (FUZZ_SANITIZER=none): ff is safe Rust, and AddressSanitizer makes
# the targets several times slower (generate: 13 against 60 to 110 inputs a second); a panic, a stack
# overflow, a hang or the RSS limit are caught without it. FUZZ_SANITIZER=address turns it
# on (a separate build).
#
# The committed seed corpus (fuzz/corpus/TARGET, written by fuzz/seeds.py from the
# conformance fixtures) is read only; what libFuzzer finds goes to a working corpus in
# FUZZ_WORK (default: a temporary folder, removed at the end; set it to keep corpora between
# runs).
set -euo pipefail

seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(parse eval generate)
fi
timeout_s="${FUZZ_TIMEOUT:-10}"
sanitizer="${FUZZ_SANITIZER:-none}"
rss_mb="${FUZZ_RSS_MB:-2048}"

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/fuzz"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz.sh: installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked
fi

work="${FUZZ_WORK:-}"
if [ -z "$work" ]; then
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
fi

echo "fuzz.sh: building ${targets[*]}" >&2
for target in "${targets[@]}"; do
    cargo fuzz build -s "$sanitizer" --target-dir "target/$sanitizer" "$target" || { echo "fuzz.sh: $target does not build" >&2; exit 1; }
done

failed=()
for target in "${targets[@]}"; do
    mkdir -p "$work/$target"
    log="$work/$target.log"
    echo "fuzz.sh: $target for ${seconds}s (timeout ${timeout_s}s per input, ${rss_mb} MB, sanitizer $sanitizer)" >&2
    status=0
    cargo fuzz run -s "$sanitizer" --target-dir "target/$sanitizer" "$target" "$work/$target" "corpus/$target" -- \
        -dict=ff.dict \
        -max_total_time="$seconds" \
        -timeout="$timeout_s" \
        -rss_limit_mb="$rss_mb" \
        -malloc_limit_mb="$rss_mb" \
        -print_final_stats=1 \
        >"$log" 2>&1 || status=$?
    runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)"
    corpus="$(ls "$work/$target" | wc -l)"
    if [ "$status" -ne 0 ]; then
        echo "fuzz.sh: $target FAILED (exit $status); the end of its log:" >&2
        grep -v '^#[0-9]' "$log" | tail -n 60 >&2
        failed+=("$target")
    else
        echo "fuzz.sh: $target ok: ${runs:-?} inputs in ${seconds}s, working corpus $corpus new inputs" >&2
    fi
done

if [ ${#failed[@]} -ne 0 ]; then
    echo "fuzz.sh: failed: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
    exit 1
fi
echo "fuzz.sh: ${#targets[@]} targets, ${seconds}s each: no crash, hang or OOM"
