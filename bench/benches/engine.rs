//! Criterion benchmarks of the dynamic API (serde_json contexts) and of document compile.
//! The typed API (generated code) is in `benches/typed.rs`; see BENCHMARKS.md.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use ff_bench::{context, document, feature_flags, snapshot, WORKLOADS};
use ff_runtime::Document;

fn dynamic(c: &mut Criterion) {
    let snap = snapshot(1000);
    let ctx = context();
    let mut group = c.benchmark_group("dynamic snapshot (serde_json context)");
    for feature in WORKLOADS {
        group.bench_function(feature, |b| b.iter(|| black_box(snap.evaluate(black_box(feature), black_box(&ctx)))));
    }
    group.bench_function("enabled_features (1005 features)", |b| b.iter(|| black_box(snap.enabled_features(black_box(&ctx)))));
    group.finish();

    let flags = feature_flags(1000);
    let mut group = c.benchmark_group("dynamic FeatureFlags::evaluate (cache fresh)");
    group.bench_function("three_by_three", |b| {
        b.iter(|| futures_executor::block_on(flags.evaluate(black_box("three_by_three"), black_box(&ctx), false)))
    });
    group.finish();
}

fn compile(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse + validate + compile");
    group.sample_size(20);
    for extra in [995usize, 9995] {
        let text = document(extra).to_string();
        group.bench_function(format!("{} features ({} KiB)", extra + 5, text.len() / 1024), |b| {
            b.iter(|| Document::parse(black_box(&text)).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, dynamic, compile);
criterion_main!(benches);
