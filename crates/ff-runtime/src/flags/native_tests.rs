//! The cache over AWS AppConfig's own feature-flags format
//! ([`DocumentFormat::AppConfigFeatureFlags`]).

use futures_executor::block_on;
use serde_json::json;

use super::*;
use crate::document::native::DocumentFormat;
use crate::store::MemoryStore;

fn appconfig(document: serde_json::Value) -> FeatureFlags {
    FeatureFlags::builder(MemoryStore::new(Value::from(document)))
        .format(DocumentFormat::AppConfigFeatureFlags)
        .max_age(Duration::ZERO)
        .refresh(Refresh::Blocking)
        .build()
}

fn memory(flags: &FeatureFlags) -> &MemoryStore {
    flags.store::<MemoryStore>().expect("flags over a MemoryStore")
}

#[test]
fn a_retrieval_document_evaluates_to_each_flag_object() {
    let flags = appconfig(json!({"dark": {"enabled": true, "color": "red", "sizes": [1, 2]}, "off": {"enabled": false}}));
    assert_eq!(
        block_on(flags.evaluate("dark", &(), Value::Null)).unwrap(),
        Value::from(json!({"enabled": true, "color": "red", "sizes": [1, 2]}))
    );
    assert_eq!(block_on(flags.evaluate("off", &(), Value::Null)).unwrap(), Value::from(json!({"enabled": false})));
    // A flag the document lacks gets the caller's default, as for Powertools documents.
    assert_eq!(block_on(flags.evaluate("missing", &(), false)).unwrap(), Value::Bool(false));
    assert_eq!(flags.status().features, 2);
    // On: the flags whose object says so (an object is always truthy).
    assert_eq!(block_on(flags.enabled_features(&())).unwrap(), ["dark"]);
}

#[test]
fn the_default_format_reads_the_same_value_as_a_powertools_document_and_refuses_it() {
    let flags = FeatureFlags::builder(MemoryStore::new(Value::from(json!({"dark": {"enabled": true}})))).build();
    let err = block_on(flags.evaluate("dark", &(), false)).unwrap_err();
    assert!(err.to_string().contains("/dark"), "{err}");
}

#[test]
fn an_invalid_retrieval_document_is_a_located_schema_error_and_the_last_good_one_stays() {
    let flags = appconfig(json!({"dark": {"enabled": true}}));
    assert_eq!(block_on(flags.evaluate("dark", &(), Value::Null)).unwrap(), Value::from(json!({"enabled": true})));
    memory(&flags).set(Value::from(json!({"dark": true, "beta": {"color": "red"}, "gamma": {"enabled": "yes"}})));
    let served = block_on(flags.evaluate("dark", &(), Value::Null)).unwrap();
    assert_eq!(served, Value::from(json!({"enabled": true})), "the last good document stays in force");
    let status = flags.status();
    assert_eq!(status.failures, 1);
    // Every problem at its JSON pointer (serde_json's `json!` sorts the keys).
    assert_eq!(
        status.last_error.as_deref(),
        Some(
            "invalid feature flags document (3 problems)\n  \
             memory: /beta: flag `beta` has no `enabled` (a boolean)\n  \
             memory: /dark: expected an object {\"enabled\": true|false, ATTRIBUTE: value, ...} for flag `dark`, found true\n  \
             memory: /gamma/enabled: expected a boolean for `enabled` of flag `gamma`, found string \"yes\""
        )
    );
}

#[test]
fn an_invalid_first_document_is_returned_to_the_caller() {
    let flags = appconfig(json!(["not", "flags"]));
    let err = block_on(flags.evaluate("dark", &(), false)).unwrap_err();
    assert!(err.to_string().contains("expected an AppConfig feature flags document"), "{err}");
}

#[test]
fn a_stored_document_is_translated_from_its_values() {
    let text = include_str!("../../tests/fixtures/native/flags.json");
    let flags = FeatureFlags::builder(MemoryStore::from_json(text).unwrap()).format(DocumentFormat::AppConfigFeatureFlags).build();
    let checkout = block_on(flags.evaluate("checkout", &(), Value::Null)).unwrap();
    assert_eq!(
        checkout,
        Value::from(json!({"enabled": true, "max_items": 25, "discount": 0.15, "theme": "dark", "banner": "FREE SHIPPING",
            "regions": ["eu", "us"], "limits": [10, 250], "express": false}))
    );
    assert_eq!(block_on(flags.evaluate("legacy_search", &(), Value::Null)).unwrap(), Value::from(json!({"enabled": false})));
    // A multi-variant flag read without context: its default (last) variant, as the Agent serves it.
    assert_eq!(
        block_on(flags.evaluate("recommendations", &(), Value::Null)).unwrap(),
        Value::from(json!({"_variant": "default", "enabled": true, "model": "baseline", "slots": 4}))
    );
}

#[test]
fn changes_between_fetches_are_served_with_new_versions() {
    let flags = appconfig(json!({"dark": {"enabled": false}}));
    let first = block_on(flags.snapshot()).unwrap().version().map(str::to_owned);
    memory(&flags).set(Value::from(json!({"dark": {"enabled": true, "color": "blue"}})));
    assert_eq!(block_on(flags.evaluate("dark", &(), Value::Null)).unwrap(), Value::from(json!({"enabled": true, "color": "blue"})));
    let second = block_on(flags.snapshot()).unwrap().version().map(str::to_owned);
    assert!(first.is_some() && second.is_some() && first != second, "{first:?} {second:?}");
}
