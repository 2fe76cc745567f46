//! ff's evaluation events the whole way through the real OpenTelemetry SDK: `tracing` →
//! the OpenTelemetry logs bridge (`opentelemetry-appender-tracing`) → an in-memory log
//! exporter, whose records must carry the semantic conventions' `feature_flag.evaluation`
//! event attributes (<https://opentelemetry.io/docs/specs/semconv/feature-flags/feature-flags-events/>).

use std::collections::BTreeMap;

use ff_runtime::{FeatureFlags, MemoryStore, Value};
use futures_executor::block_on;
use opentelemetry::logs::AnyValue;
use opentelemetry_appender_tracing::layer::OpenTelemetryTracingBridge;
use opentelemetry_sdk::logs::{InMemoryLogExporter, SdkLoggerProvider};
use tracing_subscriber::layer::SubscriberExt;

#[ff_macros::feature_flags("flags.json")]
mod flags {}

/// One exported log record: its event name, target and attributes (rendered as text, with
/// their OpenTelemetry type).
#[derive(Debug)]
struct Exported {
    event_name: Option<&'static str>,
    target: Option<String>,
    attributes: BTreeMap<String, String>,
}

fn render(value: &AnyValue) -> String {
    match value {
        AnyValue::Boolean(b) => format!("bool {b}"),
        AnyValue::Int(n) => format!("int {n}"),
        AnyValue::Double(x) => format!("double {x}"),
        AnyValue::String(s) => format!("string {}", s.as_str()),
        other => format!("other {other:?}"),
    }
}

/// Runs `f` with this thread's `tracing` events bridged to OpenTelemetry logs, and returns
/// the records exported.
fn export(f: impl FnOnce()) -> Vec<Exported> {
    let exporter = InMemoryLogExporter::default();
    // The batch processor exports from a thread of its own: the simple one calls
    // `futures_executor::block_on`, which cannot run inside the tests' own `block_on`.
    let provider = SdkLoggerProvider::builder().with_batch_exporter(exporter.clone()).build();
    let subscriber = tracing_subscriber::registry().with(OpenTelemetryTracingBridge::new(&provider));
    tracing::subscriber::with_default(subscriber, f);
    provider.force_flush().unwrap();
    exporter
        .get_emitted_logs()
        .unwrap()
        .into_iter()
        .map(|log| Exported {
            event_name: log.record.event_name(),
            target: log.record.target().map(|t| t.to_string()),
            attributes: log.record.attributes_iter().map(|(k, v)| (k.as_str().to_owned(), render(v))).collect(),
        })
        .collect()
}

fn attrs(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

const DOCUMENT: &str = include_str!("../flags.json");

fn store(json: &str) -> MemoryStore {
    MemoryStore::from_json(json).unwrap()
}

#[test]
fn targeting_match_and_default_through_the_typed_accessors() {
    let dynamic = FeatureFlags::builder(store(DOCUMENT)).evaluation_events(true).build();
    let flags = flags::Flags::from(dynamic.clone());
    let logs = export(|| {
        assert!(block_on(flags.premium(&flags::Context::new().tier("gold"))));
        assert!(!block_on(flags.premium(&flags::Context::new().tier("silver"))));
        let details = block_on(flags.limit_details(&flags::Context::new()));
        assert_eq!(details.value, 10);
    });
    let version = dynamic.status().version.unwrap();
    assert_eq!(logs.len(), 3, "{logs:#?}");
    for log in &logs {
        assert_eq!(log.event_name, Some("feature_flag.evaluation"));
        assert_eq!(log.target.as_deref(), Some("ff_runtime::evaluation"));
    }
    let common = |key: &str, value: &str, reason: &str| {
        let mut a = attrs(&[
            ("feature_flag.key", key),
            ("feature_flag.result.value", value),
            ("feature_flag.result.reason", reason),
            ("feature_flag.provider.name", "string ff"),
            ("feature_flag.set.id", "string memory"),
        ]);
        a.insert("feature_flag.version".into(), format!("string {version}"));
        a
    };
    let mut gold = common("string premium", "bool true", "string targeting_match");
    gold.insert("feature_flag.result.variant".into(), "string gold tier".into());
    assert_eq!(logs[0].attributes, gold);
    assert_eq!(logs[1].attributes, common("string premium", "bool false", "string default"));
    assert_eq!(logs[2].attributes, common("string limit", "int 10", "string static"));
}

#[test]
fn errors_carry_their_type_and_message() {
    // The live document lacks `premium` and gives `limit` a string: FLAG_NOT_FOUND and
    // TYPE_MISMATCH for the typed accessors; FLAG_NOT_FOUND for the dynamic API.
    let flags = FeatureFlags::builder(store(r#"{"limit": {"boolean_type": false, "default": "ten"}}"#)).evaluation_events(true).build();
    let typed = flags::Flags::from(flags.clone());
    let logs = export(|| {
        assert!(!block_on(typed.premium(&flags::Context::new().tier("gold"))));
        assert_eq!(block_on(typed.limit(&flags::Context::new())), 10);
        let details = block_on(flags.evaluate_details("missing", &serde_json::json!({"tier": "gold"}), Value::from(7)));
        assert_eq!(details.value, Value::from(7));
    });
    // The drift is logged too (at `warn`, once per document and feature).
    let (logs, drift): (Vec<_>, Vec<_>) = logs.into_iter().partition(|log| log.event_name == Some("feature_flag.evaluation"));
    assert_eq!(drift.len(), 2, "{drift:#?}");
    assert_eq!(logs.len(), 3, "{logs:#?}");
    let expected = [
        ("string premium", "bool false", "string flag_not_found"),
        ("string limit", "int 10", "string type_mismatch"),
        ("string missing", "int 7", "string flag_not_found"),
    ];
    for (log, (key, value, error)) in logs.iter().zip(expected) {
        let a = &log.attributes;
        assert_eq!(log.event_name, Some("feature_flag.evaluation"));
        assert_eq!(a["feature_flag.key"], key, "{a:#?}");
        assert_eq!(a["feature_flag.result.value"], value, "{a:#?}");
        assert_eq!(a["feature_flag.result.reason"], "string error");
        assert_eq!(a["error.type"], error);
        assert!(a["feature_flag.error.message"].starts_with("string ") && a["feature_flag.error.message"].len() > 20, "{a:#?}");
        assert!(!a.contains_key("feature_flag.result.variant"));
        assert!(a["feature_flag.version"].starts_with("string "), "{a:#?}");
        // Never a context value.
        assert!(a.values().all(|v| !v.contains("gold")), "{a:#?}");
    }
}

#[test]
fn reads_refused_by_the_store_emit_an_error_event() {
    // The failing input: access denied (and an invalid first document) served no snapshot,
    // so the plain typed accessors and `evaluate` emitted no event at all.
    let denied = store(DOCUMENT);
    denied.fail(ff_runtime::StoreErrorKind::Client, "AccessDenied");
    let denied = FeatureFlags::builder(denied).evaluation_events(true).build();
    let invalid = FeatureFlags::builder(store(r#"{"premium": {"default": 1}}"#)).evaluation_events(true).build();
    let logs = export(|| {
        let typed = flags::Flags::from(denied.clone());
        assert!(!block_on(typed.premium(&flags::Context::new().tier("gold"))), "the compiled-in default");
        assert_eq!(block_on(typed.snapshot()).limit(&flags::Context::new()), 10);
        assert!(block_on(denied.evaluate("premium", &serde_json::json!({"tier": "gold"}), false)).is_err());
        assert!(!block_on(flags::Flags::from(invalid.clone()).premium(&flags::Context::new())));
    });
    let logs: Vec<_> = logs.into_iter().filter(|log| log.event_name == Some("feature_flag.evaluation")).collect();
    let expected = [
        ("string premium", "bool false", "string general"),
        ("string limit", "int 10", "string general"),
        ("string premium", "bool false", "string general"),
        ("string premium", "bool false", "string parse_error"),
    ];
    assert_eq!(logs.len(), expected.len(), "{logs:#?}");
    for (log, (key, value, error)) in logs.iter().zip(expected) {
        let a = &log.attributes;
        assert_eq!((a["feature_flag.key"].as_str(), a["feature_flag.result.value"].as_str()), (key, value), "{a:#?}");
        assert_eq!(a["feature_flag.result.reason"], "string error");
        assert_eq!(a["error.type"], error, "{a:#?}");
        assert!(a["feature_flag.error.message"].len() > 20, "{a:#?}");
        assert!(!a.contains_key("feature_flag.version"), "no document, no version: {a:#?}");
        assert!(a.values().all(|v| !v.contains("gold")), "{a:#?}");
    }
}

#[test]
fn disabled_emits_nothing() {
    let flags = flags::Flags::from(FeatureFlags::builder(store(DOCUMENT)).build());
    let logs = export(|| {
        assert!(block_on(flags.premium(&flags::Context::new().tier("gold"))));
        let _ = block_on(flags.premium_details(&flags::Context::new()));
    });
    assert!(logs.is_empty(), "{logs:#?}");
}
