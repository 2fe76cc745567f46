//! The cost of a resolution through OpenFeature (ff-openfeature's provider behind the SDK's
//! `Client`) next to ff's dynamic API, on the same flags (the benchmark document, 1,005
//! features, fresh cache) and the same context (`tier`, `region`, `basket`, `user_id`).
//! See BENCHMARKS.md.
//!
//! * `ff evaluate`, `ff evaluate_details`: ff's dynamic API with a `serde_json` context.
//! * `provider resolve_bool_value`: the provider alone, with an OpenFeature context
//!   (mapping the context, evaluating, building the resolution details and flag metadata).
//! * `client get_bool_details`, `client get_bool_value`: through `OpenFeature` and a
//!   `Client`, as an application calls it (the SDK merges contexts, runs its hooks and
//!   takes its locks on top).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use ff_bench::{context, feature_flags, EXTRA};
use ff_openfeature::FfProvider;
use futures_executor::block_on;
use open_feature::provider::FeatureProvider;
use open_feature::{EvaluationContext, OpenFeature};

fn openfeature_vs_dynamic(c: &mut Criterion) {
    let flags = feature_flags(EXTRA);
    let json_ctx = context();
    let of_ctx = EvaluationContext::default()
        .with_custom_field("tier", "premium")
        .with_custom_field("region", "eu-west-1")
        .with_custom_field("basket", 120)
        .with_custom_field("user_id", 4217);
    let mut provider = FfProvider::new(flags.clone());
    block_on(provider.initialize(&EvaluationContext::default()));
    let client = block_on(async {
        let mut api = OpenFeature::default();
        api.set_provider(FfProvider::new(flags.clone())).await;
        api.create_client()
    });
    for feature in ["one_equals", "three_by_three"] {
        assert!(block_on(client.get_bool_value(feature, Some(&of_ctx), None)).is_ok());
        let mut group = c.benchmark_group(format!("openfeature {feature}"));
        group.bench_function("ff evaluate", |b| b.iter(|| block_on(flags.evaluate(black_box(feature), black_box(&json_ctx), false))));
        group.bench_function("ff evaluate_details", |b| {
            b.iter(|| block_on(flags.evaluate_details(black_box(feature), black_box(&json_ctx), false)))
        });
        group.bench_function("provider resolve_bool_value", |b| {
            b.iter(|| block_on(provider.resolve_bool_value(black_box(feature), black_box(&of_ctx))))
        });
        group.bench_function("client get_bool_details", |b| {
            b.iter(|| block_on(client.get_bool_details(black_box(feature), Some(black_box(&of_ctx)), None)))
        });
        group.bench_function("client get_bool_value", |b| {
            b.iter(|| block_on(client.get_bool_value(black_box(feature), Some(black_box(&of_ctx)), None)))
        });
        group.finish();
    }
}

criterion_group!(benches, openfeature_vs_dynamic);
criterion_main!(benches);
