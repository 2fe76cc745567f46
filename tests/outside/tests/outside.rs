//! What a user's crate sees when it depends on ff.

use serde_json::json;

/// Issue 12, finding 5: with ff in the dependency graph, `json!` kept insertion order
/// (`{"b":1,"a":2}`), because ff enabled serde_json's `preserve_order` and Cargo unifies
/// features. serde_json's own behaviour is key order.
#[test]
fn depending_on_ff_leaves_serde_json_key_order_alone() {
    assert_eq!(json!({"b": 1, "a": 2}).to_string(), r#"{"a":2,"b":1}"#);
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(r#"{"z": 1, "y": 2}"#).unwrap();
    assert_eq!(map.keys().collect::<Vec<_>>(), ["y", "z"]);
}

/// ff still keeps document order where it reads the text itself.
#[test]
fn ff_keeps_document_order_of_text() {
    let text = r#"{"zeta": {"default": true}, "alpha": {"default": true}}"#;
    assert_eq!(ff_runtime::Value::from_json(text).unwrap().to_json(), r#"{"zeta":{"default":true},"alpha":{"default":true}}"#);
    let document = ff_runtime::Document::parse(text).unwrap();
    let names: Vec<&str> = document.features().iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["zeta", "alpha"]);
}

/// The typo in flags.json only warns: both generated modules build and evaluate.
#[test]
fn a_document_with_a_typo_builds_and_evaluates() {
    assert_eq!(ff_outside_tests::built::FlagName::NewCheckout.as_str(), "new_checkout");
    assert_eq!(ff_outside_tests::expanded::FlagName::NewCheckout.as_str(), "new_checkout");
}
