//! The benchmark workloads: the one source of the benchmark document and context. The
//! library (`ff_bench::document`) and the build script (which writes the document to JSON and
//! generates the typed flags for it) both compile this file, so every system measures the
//! same document and contexts.
//!
//! The document has a feature with no rules (`no_rules`), one with one `EQUALS` rule
//! (`one_equals`), one with 3 rules × 3 conditions where the third rule matches
//! (`three_by_three`: `EQUALS` on a string, `KEY_IN_VALUE` over a 3-element list,
//! `KEY_GREATER_THAN_VALUE` on a number), a `MODULO_RANGE` rollout (`rollout`), a
//! `SCHEDULE_BETWEEN_TIME_RANGE` window (`night_window`), and `extra` further features of
//! one rule each (`feature_0000`…).

use serde_json::{json, Map, Value};

/// The instant the benchmarks pin the clock to (inside `night_window`).
pub const NOW: &str = "2024-05-01T23:30:00Z";

fn rule(when_match: bool, conditions: Value) -> Value {
    json!({"when_match": when_match, "conditions": conditions})
}

/// The benchmark document with `extra` one-rule features after the five named ones.
pub fn document(extra: usize) -> Value {
    let mut doc = Map::new();
    doc.insert("no_rules".into(), json!({"default": true}));
    doc.insert(
        "one_equals".into(),
        json!({"default": false, "rules": {"tier is premium": rule(true, json!([
            {"action": "EQUALS", "key": "tier", "value": "premium"}
        ]))}}),
    );
    let three = |tier: &str, region: &str, basket: i64| {
        json!([
            {"action": "EQUALS", "key": "tier", "value": tier},
            {"action": "KEY_IN_VALUE", "key": "region", "value": [region, "ap-south-1", "sa-east-1"]},
            {"action": "KEY_GREATER_THAN_VALUE", "key": "basket", "value": basket}
        ])
    };
    doc.insert(
        "three_by_three".into(),
        json!({"default": false, "rules": {
            "gold in the US": rule(true, three("gold", "us-east-1", 10)),
            "silver in Asia": rule(true, three("silver", "ap-northeast-1", 20)),
            "premium in Europe": rule(true, three("premium", "eu-west-1", 50)),
        }}),
    );
    doc.insert(
        "rollout".into(),
        json!({"default": false, "rules": {"20 percent": rule(true, json!([
            {"action": "MODULO_RANGE", "key": "user_id", "value": {"BASE": 100, "START": 0, "END": 19}}
        ]))}}),
    );
    doc.insert(
        "night_window".into(),
        json!({"default": false, "rules": {"late": rule(true, json!([
            {"action": "SCHEDULE_BETWEEN_TIME_RANGE", "key": "CURRENT_TIME",
             "value": {"START": "22:00", "END": "06:00", "TIMEZONE": "Europe/Copenhagen"}}
        ]))}}),
    );
    for i in 0..extra {
        doc.insert(
            format!("feature_{i:04}"),
            json!({"default": false, "rules": {"tier": rule(true, json!([
                {"action": "EQUALS", "key": "tier", "value": if i % 2 == 0 { "premium" } else { "basic" }}
            ]))}}),
        );
    }
    Value::Object(doc)
}

/// The context every workload evaluates: 4 keys.
pub fn context() -> Value {
    json!({"tier": "premium", "region": "eu-west-1", "basket": 120, "user_id": 4217})
}

/// How many `feature_NNNN` features the benchmark document has besides the five named
/// ones (so it has 1,005 features), and the typed flags are generated for.
pub const EXTRA: usize = 1000;

/// The named workloads: the features evaluated one at a time, in the order of the tables.
pub const WORKLOADS: [&str; 5] = ["no_rules", "one_equals", "three_by_three", "rollout", "night_window"];
