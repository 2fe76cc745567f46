//! Logs never contain context values: contexts may hold personal data.
//!
//! Every action is evaluated against contexts whose values are distinctive markers of every
//! JSON type (strings, numbers, lists, objects, nested), so that conditions match, fail and
//! hit type mismatches (which are logged). The tracing output at every level, TRACE
//! included, must not contain any marker; nor may the `explain` text (which shows the
//! document's values, never the context's).

use std::time::Duration;

use ff_runtime::{Action, Document, FeatureFlags, FixedClock, MemoryStore, Reason, Refresh, StoreErrorKind, Value};
use futures_executor::block_on;

use ff_tests::logs::Logs;

/// Runs `f` with every tracing event of this thread, TRACE included, rendered as text
/// (with every field) into the returned string.
fn capture(f: impl FnOnce()) -> String {
    let logs = Logs::default();
    logs.capture(f);
    logs.text()
}

/// Markers that must never reach the logs, and what they look like when printed.
const MARKERS: &[&str] = &[
    "secret-4e1f",
    "secret-list-9c2a",
    "secret-objkey-77d1",
    "secret-objval-5b3e",
    "secret-nested-0d3c",
    "secret-key-1a2b",
    "48151623429",
    "3.14159265",
    "271828182845904523536028747135",
    "secret-quote",
];

/// Contexts holding the markers, each under every key the document reads.
fn contexts() -> Vec<Value> {
    let values = [
        r#""secret-4e1f""#,
        r#""x secret-4e1f""#,
        r#""secret-4e1f x""#,
        r#"["secret-list-9c2a", "x", 1]"#,
        r#"["x"]"#,
        r#"{"secret-objkey-77d1": "secret-objval-5b3e", "x": 1}"#,
        r#"[["secret-nested-0d3c"], {"a": "secret-nested-0d3c"}]"#,
        "48151623429",
        "-48151623429",
        "3.14159265",
        "271828182845904523536028747135",
        r#""secret-quote \" \n \\ é""#,
        "true",
        "null",
    ];
    values
        .iter()
        .map(|v| {
            let v = Value::from_json(v).unwrap();
            let mut map = ff_runtime::Map::new();
            for key in ["k", "n", "s", "l"] {
                map.insert(key.to_owned(), v.clone());
            }
            map.insert("secret-key-1a2b".to_owned(), Value::from("secret-4e1f"));
            Value::from(map)
        })
        .collect()
}

/// One feature per (action, condition value) pair; the values are the document's, not
/// secret, and chosen so that the marker contexts match some and mismatch others.
fn document() -> Document {
    Document::parse(&document_json()).unwrap()
}

/// [`document`]'s JSON text.
fn document_json() -> String {
    let mut features = Vec::new();
    let mut add = |action: Action, key: &str, value: &str, boolean: bool| {
        let n = features.len();
        let (flag, when) = if boolean { ("", "true") } else { (r#""boolean_type": false,"#, r#""on""#) };
        let default = if boolean { "false" } else { r#""off""# };
        features.push(format!(
            r#""f{n} {action}": {{{flag} "default": {default}, "rules": {{"r{n}": {{"when_match": {when},
                "conditions": [{{"action": "{action}", "key": "{key}", "value": {value}}}]}}}}}}"#
        ));
    };
    for action in Action::ALL {
        let values: &[&str] = match action {
            Action::ScheduleBetweenTimeRange => &[r#"{"START": "00:00", "END": "23:59"}"#],
            Action::ScheduleBetweenDatetimeRange => &[r#"{"START": "2020-01-01T00:00:00", "END": "2030-01-01T00:00:00", "TIMEZONE": "Europe/Copenhagen"}"#],
            Action::ScheduleBetweenDaysOfWeek => &[r#"{"DAYS": ["MONDAY", "TUESDAY"]}"#],
            Action::ModuloRange => &[r#"{"BASE": 7, "START": 0, "END": 3}"#],
            Action::AllInValue | Action::AnyInValue | Action::NoneInValue => &[r#"["x", 1]"#, "[]"],
            _ => &[r#""x""#, "10", "2.5", r#"["x", 1, [1]]"#, r#"{"x": 1}"#, "[]", "true"],
        };
        let key = match action {
            Action::ScheduleBetweenTimeRange => "CURRENT_TIME",
            Action::ScheduleBetweenDatetimeRange => "CURRENT_DATETIME",
            Action::ScheduleBetweenDaysOfWeek => "CURRENT_DAY_OF_WEEK",
            _ => "k",
        };
        for value in values {
            add(action, key, value, true);
            add(action, key, value, false);
        }
    }
    // Long lists take the hash-set path of the membership actions.
    let long = r#"["a", "b", "c", "d", "e", "f", "g", "h", 1, 2.5, [1]]"#;
    for action in [Action::KeyInValue, Action::KeyNotInValue, Action::In, Action::NotIn] {
        add(action, "k", long, true);
    }
    format!("{{{}}}", features.join(","))
}

fn assert_clean(what: &str, text: &str) {
    for marker in MARKERS {
        assert!(!text.contains(marker), "{what} contains the context value {marker:?}:\n{text}");
    }
}

#[test]
fn the_capture_sees_every_level_and_field() {
    let number = Value::from(48151623429i64);
    let logs = capture(|| {
        tracing::trace!(value = "secret-4e1f", "trace");
        tracing::debug!(value = ?number, "debug");
    });
    assert!(logs.contains("secret-4e1f") && logs.contains("48151623429"), "{logs}");
}

#[test]
fn evaluations_log_no_context_values() {
    let doc = document();
    let clock = FixedClock("2024-05-06T12:00:00Z".parse().unwrap()); // a Monday
    let contexts = contexts();
    let mut matched = 0;
    let mut explained = String::new();
    let logs = capture(|| {
        for ctx in &contexts {
            for feature in doc.features() {
                let value = doc.evaluate(&feature.name, ctx, &clock).unwrap();
                if value.is_truthy() {
                    matched += 1;
                }
                explained.push_str(&doc.explain(&feature.name, ctx, &clock).unwrap().to_string());
                explained.push_str(&format!("{:?}", doc.explain(&feature.name, ctx, &clock).unwrap().rules));
            }
            let _ = doc.enabled_features(ctx, &clock);
        }
    });
    // The run did exercise both outcomes, and the mismatch warnings.
    assert!(matched > 100, "{matched} matches");
    let warnings = logs.lines().filter(|l| l.contains("failed to evaluate feature flag condition")).count();
    assert!(warnings > 500, "{warnings} warnings:\n{logs}");
    for action in Action::ALL.iter().filter(|a| !a.is_time_based() && !matches!(a, Action::Equals | Action::NotEquals)) {
        assert!(logs.contains(&format!("action=\"{action}\"")) || logs.contains(&format!("action={action}")), "no mismatch logged for {action}");
    }
    assert!(logs.contains("TRACE") || logs.contains("WARN"));
    assert_clean("the logs", &logs);
    assert_clean("explain", &explained);
}

#[test]
fn fetches_and_failures_log_no_context_values() {
    let store = MemoryStore::new(Value::from_json(r#"{"f": {"default": false, "rules": {"r": {"when_match": true, "conditions": [{"action": "KEY_GREATER_THAN_VALUE", "key": "k", "value": 1}]}}}}"#).unwrap());
    // Blocking: the fetches run on this thread, where the logs are captured.
    let flags = FeatureFlags::builder(store).max_age(Duration::ZERO).refresh(Refresh::Blocking).build();
    let store = flags.store::<MemoryStore>().unwrap();
    let contexts = contexts();
    let logs = capture(|| {
        for (i, ctx) in contexts.iter().enumerate() {
            match i % 4 {
                1 => store.fail(StoreErrorKind::Configuration, "connection reset"),
                2 => store.set(Value::from_json(r#"{"f": {"default": "not a boolean"}}"#).unwrap()),
                _ => store.set(Value::from_json(r#"{"f": {"default": false, "rules": {"r": {"when_match": true, "conditions": [{"action": "KEY_GREATER_THAN_VALUE", "key": "k", "value": 1}]}}}}"#).unwrap()),
            }
            let _ = block_on(flags.evaluate("f", ctx, false)).unwrap();
            let _ = block_on(flags.enabled_features(ctx)).unwrap();
            let _ = block_on(flags.explain("f", ctx)).unwrap();
        }
    });
    assert!(logs.contains("feature flags fetch failed"), "{logs}");
    assert!(logs.contains("fetched feature flags document is invalid"), "{logs}");
    assert!(logs.contains("failed to evaluate feature flag condition"), "{logs}");
    assert_clean("the logs", &logs);
}

#[test]
fn evaluation_events_carry_no_context_values() {
    // Every feature against every marker context, through the dynamic API (plain and with
    // details) with the evaluation events (and counter) on; plus features the document
    // lacks (errors). The context must reach no event.
    let doc = document();
    let names: Vec<String> = doc.features().iter().map(|f| f.name.clone()).collect();
    let store = MemoryStore::from_json(&document_json()).unwrap();
    let flags = FeatureFlags::builder(store).clock(FixedClock("2024-05-06T12:00:00Z".parse().unwrap())).evaluation_events(true).evaluation_counter(true).build();
    let contexts = contexts();
    let mut evaluations = 0;
    let logs = capture(|| {
        for ctx in &contexts {
            for name in names.iter().map(String::as_str).chain(["missing"]) {
                let _ = block_on(flags.evaluate(name, ctx, false)).unwrap();
                let _ = block_on(flags.evaluate_details(name, ctx, false));
                evaluations += 2;
            }
        }
    });
    let events = logs.lines().filter(|l| l.contains("feature flag evaluated")).count();
    assert_eq!(events, evaluations, "one event per evaluation:\n{logs}");
    assert!(logs.contains("feature_flag.result.reason=\"targeting_match\"") || logs.contains("feature_flag.result.reason=targeting_match"), "{logs}");
    assert!(logs.contains("error.type=\"flag_not_found\"") || logs.contains("error.type=flag_not_found"), "{logs}");
    assert_clean("the evaluation events", &logs);
    let counted: u64 = flags.evaluation_counts().iter().map(|(_, _, n)| n).sum();
    assert_eq!(counted, evaluations as u64);
    assert!(flags.evaluation_counts().iter().any(|(name, reason, _)| name == "missing" && *reason == Reason::Error));
}

/// A memory store that also evaluates flags (as the AppConfig Agent does), answering,
/// failing, refusing access and declining in turn.
struct Evaluating {
    memory: MemoryStore,
    calls: std::sync::atomic::AtomicUsize,
}

impl ff_runtime::StoreProvider for Evaluating {
    fn get_raw_configuration(&self) -> impl std::future::Future<Output = Result<std::sync::Arc<Value>, ff_runtime::StoreError>> + Send {
        self.memory.get_raw_configuration()
    }

    async fn evaluate_flag(&self, key: &str, _context: &[(&str, String)]) -> Option<Result<ff_runtime::EvaluatedFlag, ff_runtime::StoreError>> {
        match self.calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 4 {
            0 => {
                let answer = Value::from_json(r#"{"enabled": true, "color": "red", "_variant": "QA"}"#).unwrap();
                Some(Ok(ff_runtime::EvaluatedFlag::from_answer(answer, Some("3".into())).unwrap()))
            }
            1 => Some(Err(ff_runtime::StoreError::configuration(format!("agent down while evaluating {key}")))),
            2 => Some(Err(ff_runtime::StoreError::client("the agent answered 401 Unauthorized"))),
            _ => None,
        }
    }
}

#[test]
fn variant_evaluations_log_no_context_values() {
    let store = Evaluating {
        memory: MemoryStore::from_json(r#"{"dark": {"boolean_type": false, "default": {"enabled": false}}}"#).unwrap(),
        calls: Default::default(),
    };
    let flags = FeatureFlags::builder(store).evaluation_events(true).build();
    let strings: Vec<&str> = MARKERS.iter().copied().filter(|m| m.starts_with("secret")).collect();
    let mut evaluations = 0;
    let logs = capture(|| {
        for marker in &strings {
            let context = [("k", (*marker).to_owned()), ("email", format!("{marker}@example.org"))];
            for name in ["dark", "missing"] {
                let _ = block_on(flags.evaluate_variant(name, &context));
                evaluations += 1;
            }
        }
    });
    let events = logs.lines().filter(|l| l.contains("feature flag evaluated")).count();
    assert_eq!(events, evaluations, "one event per evaluation:\n{logs}");
    assert!(logs.contains("flag evaluation by the store failed"), "{logs}");
    assert!(logs.contains("QA"), "the variant is in the events:\n{logs}");
    assert_clean("the variant evaluation logs", &logs);
}

#[test]
fn refused_evaluations_emit_error_events_without_context_values() {
    // Access denied, and a first document that is invalid: `evaluate` fails and
    // `evaluate_details` gives the default, each with one event of reason `error` and the
    // error's type (none was emitted before), and never a context value.
    let denied = MemoryStore::from_json(&document_json()).unwrap();
    denied.fail(StoreErrorKind::Client, "AccessDenied");
    let denied = FeatureFlags::builder(denied).evaluation_events(true).evaluation_counter(true).build();
    let invalid = FeatureFlags::builder(MemoryStore::from_json(r#"{"f": {"default": 1}}"#).unwrap()).evaluation_events(true).build();
    let contexts = contexts();
    let logs = capture(|| {
        for ctx in &contexts {
            assert!(block_on(denied.evaluate("f", ctx, false)).is_err());
            assert_eq!(block_on(denied.evaluate_details("f", ctx, false)).reason(), Reason::Error);
            assert!(block_on(invalid.evaluate("f", ctx, false)).is_err());
        }
    });
    let events: Vec<&str> = logs.lines().filter(|l| l.contains("feature flag evaluated")).collect();
    assert_eq!(events.len(), 3 * contexts.len(), "{logs}");
    let with = |text: &str| events.iter().filter(|l| l.contains(text)).count();
    assert_eq!(with("error.type=\"general\"") + with("error.type=general"), 2 * contexts.len(), "{logs}");
    assert_eq!(with("error.type=\"parse_error\"") + with("error.type=parse_error"), contexts.len(), "{logs}");
    assert_clean("the evaluation events", &logs);
    assert_eq!(denied.evaluation_counts(), [("f".to_owned(), Reason::Error, 2 * contexts.len() as u64)]);
}
