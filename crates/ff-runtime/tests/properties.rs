//! Properties of the engine that hold for every document and context.

use std::cmp::Ordering;

use ff_runtime::semantics::{py_eq, py_partial_cmp};
use ff_runtime::{Document, FixedClock, Map, Number, Value};
use proptest::prelude::*;

fn clock() -> FixedClock {
    FixedClock("2024-03-10T06:30:00Z".parse().unwrap())
}

/// Arbitrary JSON values, with the number shapes the reference distinguishes.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-3i64..4).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(|u| Value::from(u as i128 * 1000 + 7)),
        prop_oneof![Just(0.0), Just(1.0), Just(-0.5), Just(2.5), Just(1e300)].prop_map(Value::from),
        "[a-c]{0,2}".prop_map(Value::from),
        "\\PC{0,3}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("[a-c]{1,2}", inner), 0..3)
                .prop_map(|kv| Value::from(kv.into_iter().collect::<Map>())),
        ]
    })
}

/// A small context over keys `a`, `b`, `c`.
fn context() -> impl Strategy<Value = Map> {
    prop::collection::vec(("[a-c]", value()), 0..4).prop_map(|kv| kv.into_iter().collect())
}

const ACTIONS: [&str; 17] = [
    "EQUALS",
    "NOT_EQUALS",
    "KEY_GREATER_THAN_VALUE",
    "KEY_GREATER_THAN_OR_EQUAL_VALUE",
    "KEY_LESS_THAN_VALUE",
    "KEY_LESS_THAN_OR_EQUAL_VALUE",
    "STARTSWITH",
    "ENDSWITH",
    "IN",
    "NOT_IN",
    "KEY_IN_VALUE",
    "KEY_NOT_IN_VALUE",
    "VALUE_IN_KEY",
    "VALUE_NOT_IN_KEY",
    "ALL_IN_VALUE",
    "ANY_IN_VALUE",
    "NONE_IN_VALUE",
];

/// A valid document of non-boolean features whose rules use context actions.
fn document() -> impl Strategy<Value = Value> {
    let condition = (0..ACTIONS.len(), "[a-c]", value()).prop_map(|(a, key, value)| {
        let action = ACTIONS[a];
        let value = if value.is_null() { Value::from(1) } else { value };
        let value = match (action, value) {
            ("ALL_IN_VALUE" | "ANY_IN_VALUE" | "NONE_IN_VALUE", v @ Value::Array(_)) => v,
            ("ALL_IN_VALUE" | "ANY_IN_VALUE" | "NONE_IN_VALUE", v) => Value::Array(vec![v]),
            (_, v) => v,
        };
        let mut c = Map::new();
        c.insert("action".into(), action.into());
        c.insert("key".into(), key.into());
        c.insert("value".into(), value);
        Value::from(c)
    });
    let rule = (prop::collection::vec(condition, 1..3), value());
    let feature = (value().prop_filter("default is not null", |v| !v.is_null()), prop::collection::vec(rule, 0..4));
    prop::collection::vec(feature, 1..5).prop_map(|features| {
        let mut doc = Map::new();
        for (i, (default, rules)) in features.into_iter().enumerate() {
            let mut f = Map::new();
            f.insert("boolean_type".into(), false.into());
            f.insert("default".into(), default);
            let mut rs = Map::new();
            for (j, (conditions, when_match)) in rules.into_iter().enumerate() {
                let mut r = Map::new();
                r.insert("when_match".into(), when_match);
                r.insert("conditions".into(), Value::Array(conditions));
                rs.insert(format!("rule {j}"), Value::from(r));
            }
            f.insert("rules".into(), Value::from(rs));
            doc.insert(format!("feature_{i}"), Value::from(f));
        }
        Value::from(doc)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn enabled_features_are_exactly_the_truthy_features(doc in document(), ctx in context()) {
        let doc = Document::from_value(&doc).expect("generated documents are valid");
        let enabled = doc.enabled_features(&ctx, &clock());
        let truthy: Vec<&str> = doc
            .features()
            .iter()
            .filter(|f| f.evaluate(&ctx, &clock()).is_truthy())
            .map(|f| f.name.as_str())
            .collect();
        prop_assert_eq!(enabled, truthy);
    }

    #[test]
    fn the_first_matching_rule_wins(doc in document(), ctx in context()) {
        let doc = Document::from_value(&doc).expect("generated documents are valid");
        for feature in doc.features() {
            let explanation = feature.explain(&ctx, &clock());
            let value = feature.evaluate(&ctx, &clock());
            prop_assert_eq!(value.to_json(), explanation.value.to_json());
            // Every rule before the matching one failed; the matching one (if any) is last.
            let (last, earlier) = match explanation.rules.split_last() {
                Some((last, earlier)) => (Some(last), earlier),
                None => (None, &[][..]),
            };
            prop_assert!(earlier.iter().all(|r| !r.matched));
            match &explanation.matched_rule {
                Some(name) => {
                    prop_assert_eq!(&last.unwrap().rule, name);
                    let rule = feature.rules.iter().find(|r| &r.name == name).unwrap();
                    prop_assert_eq!(value.to_json(), rule.value().to_json());
                }
                None => {
                    prop_assert_eq!(explanation.rules.len(), feature.rules.len());
                    prop_assert_eq!(value.to_json(), feature.default.to_json());
                }
            }
        }
    }

    #[test]
    fn equality_is_reflexive_and_symmetric(a in value(), b in value()) {
        prop_assert!(py_eq(a.as_ref(), a.as_ref()));
        prop_assert_eq!(py_eq(a.as_ref(), b.as_ref()), py_eq(b.as_ref(), a.as_ref()));
    }

    #[test]
    fn ordering_is_antisymmetric_and_agrees_with_equality(a in value(), b in value()) {
        let ab = py_partial_cmp(a.as_ref(), b.as_ref());
        let ba = py_partial_cmp(b.as_ref(), a.as_ref());
        prop_assert_eq!(ab.map(|o| o.map(Ordering::reverse)), ba);
        if let Ok(Some(Ordering::Equal)) = ab {
            prop_assert!(py_eq(a.as_ref(), b.as_ref()));
        }
    }

    #[test]
    fn json_text_round_trips(v in value()) {
        let text = v.to_json();
        let back = Value::from_json(&text).unwrap();
        prop_assert_eq!(back.to_json(), text);
    }

    #[test]
    fn validation_never_panics_on_any_value(v in value()) {
        let _ = Document::from_value(&v);
        let mut doc = Map::new();
        doc.insert("f".into(), v);
        let _ = Document::from_value(&Value::from(doc));
    }

    #[test]
    fn parsing_never_panics_on_any_text(text in "\\PC{0,64}") {
        let _ = Document::parse(&text);
    }
}

#[test]
fn big_integers_survive_the_round_trip() {
    let v = Value::from_json("[18446744073709551690, -340282366920938463463374607431768211457]").unwrap();
    assert!(matches!(v.as_array().unwrap()[0], Value::Number(Number::Int(18446744073709551690))));
    assert!(matches!(v.as_array().unwrap()[1], Value::Number(Number::Big(_))));
    assert_eq!(v.to_json(), "[18446744073709551690,-340282366920938463463374607431768211457]");
}
