//! Criterion benchmarks of the typed API (the code `build.rs` generates with `ff-build` for
//! the benchmark document): snapshot accessors, the async accessor with a fresh cache,
//! `enabled_features` over 1,005 features, and evaluation on 2 threads while the store
//! refreshes. See BENCHMARKS.md.

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use ff_bench::{document, typed_context, typed_flags, typed_snapshot};
use futures_executor::block_on;

fn snapshot_accessors(c: &mut Criterion) {
    let snap = typed_snapshot();
    let ctx = typed_context();
    let mut group = c.benchmark_group("typed snapshot");
    group.bench_function("no_rules", |b| b.iter(|| black_box(&snap).no_rules(black_box(&ctx))));
    group.bench_function("one_equals", |b| b.iter(|| black_box(&snap).one_equals(black_box(&ctx))));
    group.bench_function("three_by_three", |b| b.iter(|| black_box(&snap).three_by_three(black_box(&ctx))));
    group.bench_function("rollout", |b| b.iter(|| black_box(&snap).rollout(black_box(&ctx))));
    group.bench_function("night_window", |b| b.iter(|| black_box(&snap).night_window(black_box(&ctx))));
    group.bench_function("enabled_features (1005 features)", |b| {
        b.iter(|| black_box(&snap).enabled_features(black_box(&ctx)))
    });
    group.finish();
}

/// Issue 13: the `*_details` twins next to the plain accessors (the same features), on the
/// snapshot and through the async accessor.
fn details_accessors(c: &mut Criterion) {
    let snap = typed_snapshot();
    let flags = typed_flags();
    let ctx = typed_context();
    let mut group = c.benchmark_group("typed details");
    group.bench_function("no_rules", |b| b.iter(|| black_box(&snap).no_rules(black_box(&ctx))));
    group.bench_function("no_rules_details", |b| b.iter(|| black_box(&snap).no_rules_details(black_box(&ctx))));
    group.bench_function("three_by_three", |b| b.iter(|| black_box(&snap).three_by_three(black_box(&ctx))));
    group.bench_function("three_by_three_details", |b| b.iter(|| black_box(&snap).three_by_three_details(black_box(&ctx))));
    group.bench_function("rollout", |b| b.iter(|| black_box(&snap).rollout(black_box(&ctx))));
    group.bench_function("rollout_details", |b| b.iter(|| black_box(&snap).rollout_details(black_box(&ctx))));
    group.bench_function("async three_by_three", |b| b.iter(|| block_on(black_box(&flags).three_by_three(black_box(&ctx)))));
    group.bench_function("async three_by_three_details", |b| {
        b.iter(|| block_on(black_box(&flags).three_by_three_details(black_box(&ctx))))
    });
    // The evaluation counter on (counted by compiled index, per thread).
    let counted = ff_bench::typed::Flags::from(
        ff_runtime::FeatureFlags::builder(ff_runtime::MemoryStore::new(document(ff_bench::EXTRA)))
            .max_age(Duration::from_secs(3600))
            .clock(ff_bench::clock())
            .evaluation_counter(true)
            .build(),
    );
    let counted = block_on(counted.snapshot());
    group.bench_function("one_equals", |b| b.iter(|| black_box(&snap).one_equals(black_box(&ctx))));
    group.bench_function("one_equals, counter on", |b| b.iter(|| black_box(&counted).one_equals(black_box(&ctx))));
    group.finish();
}

fn async_accessor(c: &mut Criterion) {
    let flags = typed_flags();
    let ctx = typed_context();
    let mut group = c.benchmark_group("typed async accessor (cache fresh, futures_executor::block_on)");
    group.bench_function("three_by_three", |b| b.iter(|| block_on(black_box(&flags).three_by_three(black_box(&ctx)))));
    group.bench_function("no_rules", |b| b.iter(|| block_on(black_box(&flags).no_rules(black_box(&ctx)))));
    // What the executor alone costs: polling a ready future.
    group.bench_function("block_on(ready) alone", |b| b.iter(|| block_on(std::future::ready(black_box(true)))));
    group.finish();
}

/// Two threads evaluate `three_by_three` through the typed async accessor while a third
/// installs a new document (a fresh `Arc`, so it is revalidated and recompiled: ~5 ms of
/// work) every 10 ms. Reported: wall time per evaluation of each thread.
fn two_threads_while_refreshing(c: &mut Criterion) {
    let flags = typed_flags();
    let documents = [ff_runtime::Value::from(document(ff_bench::EXTRA)), ff_runtime::Value::from(document(ff_bench::EXTRA))];
    let stop = AtomicBool::new(false);
    let refreshes = std::sync::atomic::AtomicU64::new(0);
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                flags.feature_flags().store::<ff_runtime::MemoryStore>().expect("a memory store").set(documents[i % 2].clone());
                block_on(flags.feature_flags().refresh()).expect("valid document");
                refreshes.fetch_add(1, Ordering::Relaxed);
                i += 1;
                std::thread::sleep(Duration::from_millis(10));
            }
        });
        let mut group = c.benchmark_group("typed async accessor, 2 threads, store refreshing every 10 ms");
        group.bench_function("three_by_three", |b| {
            b.iter_custom(|iters| {
                std::thread::scope(|s| {
                    let run = || {
                        let ctx = typed_context();
                        let start = Instant::now();
                        for _ in 0..iters {
                            black_box(block_on(black_box(&flags).three_by_three(black_box(&ctx))));
                        }
                        start.elapsed()
                    };
                    let a = s.spawn(run);
                    let b = s.spawn(run);
                    a.join().unwrap().max(b.join().unwrap())
                })
            })
        });
        group.bench_function("three_by_three (snapshot per thread)", |b| {
            b.iter_custom(|iters| {
                std::thread::scope(|s| {
                    let run = || {
                        let ctx = typed_context();
                        let snap = block_on(flags.snapshot());
                        let start = Instant::now();
                        for _ in 0..iters {
                            black_box(black_box(&snap).three_by_three(black_box(&ctx)));
                        }
                        start.elapsed()
                    };
                    let a = s.spawn(run);
                    let b = s.spawn(run);
                    a.join().unwrap().max(b.join().unwrap())
                })
            })
        });
        group.finish();
        stop.store(true, Ordering::Relaxed);
    });
    eprintln!("(the store was refreshed {} times)", refreshes.load(Ordering::Relaxed));
}

criterion_group!(benches, snapshot_accessors, details_accessors, async_accessor, two_threads_while_refreshing);
criterion_main!(benches);
