//! Runs one workload N times, for `valgrind --tool=callgrind` (instruction counts are
//! deterministic, unlike times on a shared machine). See BENCHMARKS.md, "Where the time goes".
//!
//! ```sh
//! cargo build --release -p ff-bench --example profile
//! valgrind --tool=callgrind --callgrind-out-file=cg.out target/release/examples/profile snapshot:three_by_three 100000
//! callgrind_annotate --inclusive=yes cg.out | head -40
//! ```
//!
//! Workloads: `snapshot:FEATURE`, `async:FEATURE`, `dynamic:FEATURE`, `enabled`, `compile:N`.
//! A typed `FEATURE` is `no_rules`, `one_equals`, `three_by_three`, `rollout` or
//! `night_window` (async: `no_rules`, `one_equals`, `three_by_three`), or the same with
//! `_details` (the details twin). `counted:FEATURE` and `events:FEATURE` are the snapshot
//! accessor with the evaluation counter, or the evaluation events (no subscriber), enabled.

use std::hint::black_box;

use std::time::Duration;

use ff_bench::{context, typed, typed_context, typed_flags, typed_snapshot};
use ff_runtime::{FeatureFlags, MemoryStore};
use futures_executor::block_on;

/// Runs `f` `n` times (generic, so that each workload's loop is compiled on its own, as a
/// criterion bench's is).
fn repeat<R>(n: usize, mut f: impl FnMut() -> R) {
    for _ in 0..n {
        black_box(f());
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let workload = args.next().expect("usage: profile WORKLOAD [N]");
    let n: usize = args.next().map_or(100_000, |n| n.parse().expect("N is a number"));
    let (kind, feature) = workload.split_once(':').unwrap_or((workload.as_str(), ""));
    match kind {
        "snapshot" => {
            let (snap, ctx) = (typed_snapshot(), typed_context());
            snapshot_workload(&snap, &ctx, feature, n);
        }
        "counted" | "events" => {
            let flags = FeatureFlags::builder(MemoryStore::new(ff_bench::document(ff_bench::EXTRA)))
                .max_age(Duration::from_secs(3600))
                .clock(ff_bench::clock())
                .evaluation_counter(kind == "counted")
                .evaluation_events(kind == "events")
                .build();
            let snap = block_on(typed::Flags::from(flags).snapshot());
            snapshot_workload(&snap, &typed_context(), feature, n);
        }
        "async" => {
            let (flags, ctx) = (typed_flags(), typed_context());
            let (flags, ctx) = (&flags, &ctx);
            match feature {
                "no_rules" => repeat(n, || block_on(black_box(flags).no_rules(black_box(ctx)))),
                "one_equals" => repeat(n, || block_on(black_box(flags).one_equals(black_box(ctx)))),
                "three_by_three" => repeat(n, || block_on(black_box(flags).three_by_three(black_box(ctx)))),
                "no_rules_details" => repeat(n, || block_on(black_box(flags).no_rules_details(black_box(ctx)))),
                "one_equals_details" => repeat(n, || block_on(black_box(flags).one_equals_details(black_box(ctx)))),
                "three_by_three_details" => repeat(n, || block_on(black_box(flags).three_by_three_details(black_box(ctx)))),
                other => panic!("unknown async workload {other}"),
            }
        }
        "dynamic" => {
            let (snap, ctx) = (ff_bench::snapshot(ff_bench::EXTRA), context());
            repeat(n, || snap.evaluate(black_box(feature), black_box(&ctx)).is_some());
        }
        "enabled" => {
            let (snap, ctx) = (typed_snapshot(), typed_context());
            repeat(n, || black_box(&snap).enabled_features(black_box(&ctx)));
        }
        "compile" => {
            let extra: usize = feature.parse().expect("compile:EXTRA");
            let text = ff_bench::document(extra).to_string();
            repeat(n, || ff_runtime::Document::parse(black_box(&text)).unwrap());
        }
        other => panic!("unknown workload kind {other}"),
    }
}

/// One snapshot accessor (or its details twin) `n` times.
fn snapshot_workload(snap: &typed::FlagsSnapshot, ctx: &typed::Context<'_>, feature: &str, n: usize) {
    match feature {
        "no_rules" => repeat(n, || black_box(snap).no_rules(black_box(ctx))),
        "one_equals" => repeat(n, || black_box(snap).one_equals(black_box(ctx))),
        "three_by_three" => repeat(n, || black_box(snap).three_by_three(black_box(ctx))),
        "rollout" => repeat(n, || black_box(snap).rollout(black_box(ctx))),
        "night_window" => repeat(n, || black_box(snap).night_window(black_box(ctx))),
        "no_rules_details" => repeat(n, || black_box(snap).no_rules_details(black_box(ctx))),
        "one_equals_details" => repeat(n, || black_box(snap).one_equals_details(black_box(ctx))),
        "three_by_three_details" => repeat(n, || black_box(snap).three_by_three_details(black_box(ctx))),
        "rollout_details" => repeat(n, || black_box(snap).rollout_details(black_box(ctx))),
        "night_window_details" => repeat(n, || black_box(snap).night_window_details(black_box(ctx))),
        other => panic!("unknown workload {other}"),
    }
}
