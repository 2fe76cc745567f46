//! The measuring half of `bench/compare`: the benchmark workloads through ff (typed and
//! dynamic) and through an equivalent feature in Unleash's Rust engine (Yggdrasil), timed
//! in this process, then printed as one table beside the reference's times (measured by
//! `bench/reference.py` in the same `bench/compare` run).
//!
//! ```sh
//! compare --spec                  # the workloads as JSON, for bench/reference.py
//! compare --reference ref.json    # measure ff and Yggdrasil, print the table
//! ```
//!
//! Timing: each workload runs in batches of at least 5 ms (after a few warm-up calls); the
//! median of 21 batches is reported, in ns per operation.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashMap;
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::{Duration, Instant};

use ff_bench::{context, document, typed_context, typed_flags, typed_snapshot, EXTRA, NOW, WORKLOADS};
use futures_executor::block_on;
use unleash_types::client_features::{ClientFeature, ClientFeatures, Constraint, Operator, Strategy};
use unleash_yggdrasil::{Context as UnleashContext, EngineState};

/// Counts heap bytes while [`MEASURING`] is set (for the memory a compiled document
/// holds); otherwise the system allocator, plus one relaxed load.
struct Counting;

static MEASURING: AtomicBool = AtomicBool::new(false);
static LIVE: AtomicI64 = AtomicI64::new(0);
static PEAK: AtomicI64 = AtomicI64::new(0);

fn grow(delta: i64) {
    if MEASURING.load(Ordering::Relaxed) {
        let live = LIVE.fetch_add(delta, Ordering::Relaxed) + delta;
        PEAK.fetch_max(live, Ordering::Relaxed);
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grow(layout.size() as i64);
        System.alloc(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        grow(new_size as i64 - layout.size() as i64);
        System.realloc(ptr, layout, new_size)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        grow(-(layout.size() as i64));
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Heap bytes a compiled `text` holds, and the most held while compiling it.
fn memory(text: &str) -> (i64, i64) {
    LIVE.store(0, Ordering::Relaxed);
    PEAK.store(0, Ordering::Relaxed);
    MEASURING.store(true, Ordering::Relaxed);
    let document = ff_runtime::Document::parse(text).unwrap();
    let held = LIVE.load(Ordering::Relaxed);
    MEASURING.store(false, Ordering::Relaxed);
    drop(document);
    (held, PEAK.load(Ordering::Relaxed))
}

/// Median ns per call of `f`.
fn measure<R>(mut f: impl FnMut() -> R) -> f64 {
    let batch_time = Duration::from_millis(5);
    // Warm up: the first calls may do one-time work (resolving the document against the
    // generated code's layout, the executor's thread-local waker).
    for _ in 0..3 {
        black_box(f());
    }
    let mut n: u64 = 1;
    loop {
        let start = Instant::now();
        for _ in 0..n {
            black_box(f());
        }
        if start.elapsed() >= batch_time || n >= 1 << 30 {
            break;
        }
        n *= 2;
    }
    let mut samples: Vec<f64> = (0..21)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..n {
                black_box(f());
            }
            start.elapsed().as_nanos() as f64 / n as f64
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn constraint(name: &str, operator: Operator, values: &[&str]) -> Constraint {
    let (values, value) = match operator {
        Operator::In | Operator::NotIn => (Some(values.iter().map(|v| v.to_string()).collect()), None),
        _ => (None, Some(values[0].to_owned())),
    };
    Constraint { context_name: name.into(), operator, case_insensitive: false, inverted: false, values, value }
}

fn strategy(name: &str, constraints: Vec<Constraint>, parameters: &[(&str, &str)]) -> Strategy {
    Strategy {
        name: name.into(),
        sort_order: None,
        segments: None,
        constraints: Some(constraints),
        parameters: Some(parameters.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()),
        variants: None,
    }
}

fn feature(name: &str, strategies: Option<Vec<Strategy>>) -> ClientFeature {
    ClientFeature { name: name.into(), enabled: true, strategies, ..ClientFeature::default() }
}

/// The benchmark document's features as Unleash toggles: no strategy; one strategy with one
/// constraint (`tier` IN premium); 3 strategies × 3 constraints (`tier` IN one value,
/// `region` IN 3 values, `basket` NUM_GT n) where the third matches; a 20 % gradual rollout
/// on `userId`; and `extra` toggles of one constraint each. The time window has no Unleash
/// equivalent (its constraints are dates, not a daily window).
fn unleash_engine(extra: usize) -> EngineState {
    let three = |tier: &str, region: &str, basket: &str| {
        strategy(
            "default",
            vec![
                constraint("tier", Operator::In, &[tier]),
                constraint("region", Operator::In, &[region, "ap-south-1", "sa-east-1"]),
                constraint("basket", Operator::NumGt, &[basket]),
            ],
            &[],
        )
    };
    let mut features = vec![
        feature("no_rules", None),
        feature("one_equals", Some(vec![strategy("default", vec![constraint("tier", Operator::In, &["premium"])], &[])])),
        feature(
            "three_by_three",
            Some(vec![three("gold", "us-east-1", "10"), three("silver", "ap-northeast-1", "20"), three("premium", "eu-west-1", "50")]),
        ),
        feature(
            "rollout",
            Some(vec![strategy("flexibleRollout", vec![], &[("rollout", "20"), ("stickiness", "userId"), ("groupId", "rollout")])]),
        ),
    ];
    for i in 0..extra {
        let tier = if i % 2 == 0 { "premium" } else { "basic" };
        features.push(feature(
            &format!("feature_{i:04}"),
            Some(vec![strategy("default", vec![constraint("tier", Operator::In, &[tier])], &[])]),
        ));
    }
    let engine = EngineState::default();
    let warnings = engine.apply_client_features(ClientFeatures { version: 2, features, segments: None, query: None, meta: None });
    assert!(warnings.as_ref().is_none_or(|w| w.is_empty()), "Unleash features compile: {warnings:?}");
    engine
}

fn unleash_context() -> UnleashContext {
    let properties: HashMap<String, String> =
        [("tier", "premium"), ("region", "eu-west-1"), ("basket", "120")].into_iter().map(|(k, v)| (k.into(), v.into())).collect();
    UnleashContext {
        user_id: Some("4217".into()),
        session_id: None,
        environment: None,
        app_name: None,
        current_time: None,
        remote_address: None,
        properties: Some(properties),
    }
}

fn compile_texts() -> Vec<(String, String)> {
    [995usize, 9995].iter().map(|&extra| (format!("compile {}", extra + 5), document(extra).to_string())).collect()
}

fn spec() {
    let compile: serde_json::Map<String, serde_json::Value> =
        compile_texts().into_iter().map(|(label, text)| (label, serde_json::Value::String(text))).collect();
    let spec = serde_json::json!({
        "document": document(EXTRA),
        "context": context(),
        "now": NOW,
        "workloads": WORKLOADS,
        "compile": compile,
    });
    println!("{spec}");
}

/// One row of the table.
struct Row {
    workload: String,
    reference: Option<f64>,
    yggdrasil: Option<f64>,
    typed: Option<f64>,
    dynamic: Option<f64>,
}

fn ns(x: Option<f64>) -> String {
    match x {
        None => "—".into(),
        Some(x) if x >= 1e6 => format!("{:.2} ms", x / 1e6),
        Some(x) if x >= 1e4 => format!("{:.1} µs", x / 1e3),
        Some(x) if x >= 100.0 => format!("{x:.0} ns"),
        Some(x) => format!("{x:.1} ns"),
    }
}

fn ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) => format!("{:.0}×", a / b),
        _ => "—".into(),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--spec") {
        return spec();
    }
    let reference: HashMap<String, f64> = match args.iter().position(|a| a == "--reference") {
        Some(i) => serde_json::from_str(&std::fs::read_to_string(&args[i + 1]).expect("reference times")).expect("JSON"),
        None => HashMap::new(),
    };
    let r = |k: &str| reference.get(k).copied();

    let snap = typed_snapshot();
    let flags = typed_flags();
    let tctx = typed_context();
    let dynamic = ff_bench::snapshot(EXTRA);
    let json_ctx = context();
    let engine = unleash_engine(EXTRA);
    let uctx = unleash_context();
    let ygg = |name: &'static str| Some(measure(|| engine.is_enabled(black_box(name), black_box(&uctx), &None)));
    let names: Vec<String> = ["no_rules", "one_equals", "three_by_three", "rollout"]
        .into_iter()
        .map(str::to_owned)
        .chain((0..EXTRA).map(|i| format!("feature_{i:04}")))
        .collect();
    let dyn_eval = |name: &'static str| Some(measure(|| dynamic.evaluate(black_box(name), black_box(&json_ctx)).is_some()));

    let mut rows = vec![
        Row {
            workload: "no_rules".into(),
            reference: r("no_rules"),
            yggdrasil: ygg("no_rules"),
            typed: Some(measure(|| black_box(&snap).no_rules(black_box(&tctx)))),
            dynamic: dyn_eval("no_rules"),
        },
        Row {
            workload: "one_equals".into(),
            reference: r("one_equals"),
            yggdrasil: ygg("one_equals"),
            typed: Some(measure(|| black_box(&snap).one_equals(black_box(&tctx)))),
            dynamic: dyn_eval("one_equals"),
        },
        Row {
            workload: "three_by_three".into(),
            reference: r("three_by_three"),
            yggdrasil: ygg("three_by_three"),
            typed: Some(measure(|| black_box(&snap).three_by_three(black_box(&tctx)))),
            dynamic: dyn_eval("three_by_three"),
        },
        Row {
            workload: "rollout".into(),
            reference: r("rollout"),
            yggdrasil: ygg("rollout"),
            typed: Some(measure(|| black_box(&snap).rollout(black_box(&tctx)))),
            dynamic: dyn_eval("rollout"),
        },
        Row {
            workload: "night_window".into(),
            reference: r("night_window"),
            yggdrasil: None,
            typed: Some(measure(|| black_box(&snap).night_window(black_box(&tctx)))),
            dynamic: dyn_eval("night_window"),
        },
        Row {
            workload: "three_by_three, async accessor (block_on)".into(),
            reference: r("three_by_three"),
            yggdrasil: None,
            typed: Some(measure(|| block_on(black_box(&flags).three_by_three(black_box(&tctx))))),
            dynamic: Some(measure(|| {
                block_on(flags.feature_flags().evaluate(black_box("three_by_three"), black_box(&json_ctx), false)).is_ok()
            })),
        },
        Row {
            workload: format!("enabled_features ({} features)", EXTRA + 5),
            reference: r("enabled_features"),
            yggdrasil: Some(measure(|| {
                names.iter().filter(|n| engine.is_enabled(n, black_box(&uctx), &None)).map(String::as_str).collect::<Vec<&str>>()
            })),
            typed: Some(measure(|| black_box(&snap).enabled_features(black_box(&tctx)))),
            dynamic: Some(measure(|| dynamic.enabled_features(black_box(&json_ctx)))),
        },
    ];
    let typed_rows = rows.len();
    for (label, text) in compile_texts() {
        rows.push(Row {
            reference: r(&label),
            yggdrasil: None,
            typed: None,
            dynamic: Some(measure(|| ff_runtime::Document::parse(black_box(&text)).unwrap())),
            workload: format!("{label} (parse + validate + compile)"),
        });
    }

    for (label, text) in compile_texts() {
        let (held, peak) = memory(&text);
        println!(
            "{label}: JSON {} KiB; the compiled document holds {} KiB ({:.2}× the JSON), at most {} KiB while compiling ({:.2}×)",
            text.len() / 1024,
            held / 1024,
            held as f64 / text.len() as f64,
            peak / 1024,
            peak as f64 / text.len() as f64,
        );
    }
    println!(
        "{:<45} {:>12} {:>12} {:>12} {:>12} {:>11} {:>11} {:>11}",
        "workload", "reference", "Yggdrasil", "ff typed", "ff dynamic", "ref/typed", "ref/dyn", "ygg/typed"
    );
    for row in &rows {
        println!(
            "{:<45} {:>12} {:>12} {:>12} {:>12} {:>11} {:>11} {:>11}",
            row.workload,
            ns(row.reference),
            ns(row.yggdrasil),
            ns(row.typed),
            ns(row.dynamic),
            ratio(row.reference, row.typed),
            ratio(row.reference, row.dynamic),
            ratio(row.yggdrasil, row.typed),
        );
    }
    let slowest = rows[..typed_rows]
        .iter()
        .filter_map(|row| Some(row.reference? / row.typed?))
        .fold(f64::INFINITY, f64::min);
    if slowest.is_finite() {
        println!("slowest typed ratio vs reference: {slowest:.0}×");
    } else {
        println!("slowest typed ratio vs reference: n/a (no reference times)");
    }
}
