//! Tests of the stored-document model and its validation.

use super::*;
use crate::value::Value;

const FIXTURE: &str = include_str!("../../../../../tests/fixtures/native/flags.json");

fn json(text: &str) -> Value {
    crate::value::json::parse(text).unwrap().value
}

#[test]
fn the_shared_fixture_reads_into_the_model() {
    let doc = parse_stored(FIXTURE).unwrap();
    let keys: Vec<&str> = doc.flags.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(keys, ["dark_mode", "checkout", "legacy_search", "recommendations"]);

    let dark = doc.flag("dark_mode").unwrap();
    assert_eq!(dark.name, "Dark mode");
    assert!(dark.values.enabled && dark.attributes.is_empty() && dark.values.variants.is_empty());

    let checkout = doc.flag("checkout").unwrap();
    let max_items = checkout.attribute("max_items").unwrap();
    assert_eq!(max_items.description.as_deref(), Some("The most items in one order."));
    assert_eq!(
        max_items.constraints,
        Some(Constraints { kind: AttributeKind::Number { minimum: Some(1.0), maximum: Some(100.0) }, required: true })
    );
    assert_eq!(
        checkout.attribute("theme").unwrap().constraints.as_ref().unwrap().kind,
        AttributeKind::String { pattern: None, allowed: Some(vec!["light".into(), "dark".into(), "high-contrast".into()]) }
    );
    assert_eq!(
        checkout.attribute("limits").unwrap().constraints.as_ref().unwrap().kind,
        AttributeKind::Array { elements: Some(ElementKind::Number { minimum: Some(0.0), maximum: None }) }
    );
    assert_eq!(checkout.attribute("express").unwrap().constraints.as_ref().unwrap().kind, AttributeKind::Boolean);
    assert_eq!(checkout.values.attribute("discount").and_then(Value::as_f64), Some(0.15));
    let order: Vec<&str> = checkout.values.attributes.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(order, ["max_items", "discount", "theme", "banner", "regions", "limits", "express"]);

    let legacy = doc.flag("legacy_search").unwrap();
    assert_eq!(legacy.deprecation, Some(Deprecation { status: "planned".into(), date: Some("2027-01-31".into()) }));
    assert!(!legacy.values.enabled);

    let variants = &doc.flag("recommendations").unwrap().values.variants;
    let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["gold tier", "experiment", "default"]);
    assert_eq!(variants[1].rule.as_deref(), Some("(split pct::10 by::$userId)"));
    assert_eq!(variants[2].rule, None);
    assert_eq!(variants[0].attribute_values[0], ("model".to_owned(), Value::from("premium")));
}

#[test]
fn a_stored_document_is_recognised_and_other_documents_are_not() {
    assert!(is_stored_document(&json(FIXTURE)));
    assert!(is_stored_document(&json(r#"{"version": "1", "flags": {}, "values": {}}"#)));
    assert!(!is_stored_document(&json(r#"{"version": 1, "flags": {}, "values": {}}"#)));
    assert!(!is_stored_document(&json(r#"{"version": "1", "flags": {}}"#)));
    assert!(!is_stored_document(&json(r#"{"dark": {"enabled": true}}"#)));
    assert!(!is_stored_document(&json(r#"{"premium": {"default": false}}"#)));
}

#[test]
fn a_flag_without_values_is_disabled_and_the_name_defaults_to_the_key() {
    let doc = parse_stored(r#"{"version": "1", "flags": {"beta": {}}}"#).unwrap();
    assert_eq!(doc.flags[0].name, "beta");
    assert_eq!(doc.flags[0].values, FlagValues::default());
}

/// `(pointer, line:column, message)` of each problem.
fn problems(text: &str) -> Vec<(String, String, String)> {
    let err = parse_stored(text).unwrap_err();
    assert!(err.parse.is_none(), "{err}");
    err.problems.into_iter().map(|p| (p.pointer, p.location.map(|l| l.to_string()).unwrap_or_default(), p.message)).collect()
}

#[test]
fn problems_are_located_and_all_reported_in_one_pass() {
    let text = "{\"version\": 1,\n \"flags\": {\"Bad\": {\"name\": \"x\"},\n  \"ok\": {\"attributes\": {\"enabled\": {}}}},\n \"values\": {\"ghost\": {\"enabled\": true}}}";
    let found = problems(text);
    assert_eq!(
        found,
        [
            ("/version".to_owned(), "1:2".to_owned(), "expected \"version\": \"1\" (a string), found integer 1".to_owned()),
            ("/flags/Bad".into(), "2:12".into(), "flag key `Bad` does not match ^[a-z][a-zA-Z\\d_-]{0,63}$ (a lowercase ASCII letter, then up to 63 ASCII letters, digits, `_` or `-`)".into()),
            ("/flags/ok/attributes/enabled".into(), "3:25".into(), "attribute key `enabled` is reserved (it holds whether the flag is on): name the attribute differently".into()),
            ("/values/ghost".into(), "4:13".into(), "values for flag `ghost`, which `flags` does not define".into()),
        ]
    );
}
