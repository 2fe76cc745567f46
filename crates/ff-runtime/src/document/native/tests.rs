//! Tests of the stored-document model and its validation.

use super::*;
use crate::value::Value;

const FIXTURE: &str = include_str!("../../../tests/fixtures/native/flags.json");

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

/// `(pointer, message)` of each problem of a document with one flag `f`, defined by
/// `definition` with values `values`.
fn flag_problems(definition: &str, values: &str) -> Vec<(String, String)> {
    let text = format!(r#"{{"version": "1", "flags": {{"f": {definition}}}, "values": {{"f": {values}}}}}"#);
    problems(&text).into_iter().map(|(p, _, m)| (p, m)).collect()
}

fn pm(pointer: &str, message: &str) -> (String, String) {
    (pointer.to_owned(), message.to_owned())
}

#[test]
fn constraint_shapes_are_checked() {
    let definition = r#"{"name": "F", "attributes": {
        "a": {"constraints": {"type": "integer"}},
        "b": {"constraints": {"required": true}},
        "c": {"constraints": {"type": "number", "minimum": 5, "maximum": 1.5}},
        "d": {"constraints": {"type": "number", "minimum": 10, "maximum": 1}},
        "e": {"constraints": {"type": "string", "pattern": "[a-", "enum": ["x", 2, true]}},
        "g": {"constraints": {"type": "boolean", "minimum": 1}},
        "h": {"constraints": {"type": "array", "elements": {"type": "boolean"}}},
        "i": {"constraints": {"type": "string", "required": "yes"}},
        "j": {"constraint": {}}
    }}"#;
    assert_eq!(
        flag_problems(definition, r#"{"enabled": false}"#),
        [
            pm("/flags/f/attributes/a/constraints/type", r#"expected a constraint `type` among "number", "string", "array", "boolean", found string "integer""#),
            pm("/flags/f/attributes/b/constraints", r#"constraints need a `type` ("number", "string", "array", "boolean")"#),
            pm("/flags/f/attributes/c/constraints/maximum", "expected an integer for `maximum` (AWS's schema types number bounds as integers), found number 1.5"),
            pm("/flags/f/attributes/d/constraints/maximum", "`maximum` 1 is below `minimum` 10"),
            pm("/flags/f/attributes/e/constraints", "a string constraint takes `pattern` or `enum`, not both (AWS's schema forbids the pair)"),
            pm("/flags/f/attributes/e/constraints/pattern", "the pattern `[a-` is not a well-formed regular expression: the character class opened at character 1 is not closed"),
            pm("/flags/f/attributes/e/constraints/enum/2", "expected a string (or an integer) in `enum`, found true"),
            pm("/flags/f/attributes/g/constraints/minimum", "`minimum` does not apply to a `boolean` constraint, which admits `required`"),
            pm("/flags/f/attributes/h/constraints/elements/type", r#"expected a constraint `type` among "number", "string", found string "boolean""#),
            pm("/flags/f/attributes/i/constraints/required", r#"expected a boolean for `required`, found string "yes""#),
            pm("/flags/f/attributes/j/constraint", "unknown member `constraint` in the definition of attribute `j`: expected `constraints` or `description`"),
        ]
    );
}

#[test]
fn too_many_attributes_and_bad_keys_are_refused() {
    let attributes: Vec<String> = (0..26).map(|i| format!(r#""a{i}": {{}}"#)).collect();
    let definition = format!(r#"{{"attributes": {{{}, "Bad": {{}}}}}}"#, attributes.join(", "));
    assert_eq!(
        flag_problems(&definition, "{}"),
        [
            pm("/flags/f/attributes", "flag `f` defines 27 attributes, at most 25 are allowed"),
            pm("/flags/f/attributes/Bad", "attribute key `Bad` does not match ^[a-z][a-zA-Z\\d_-]{0,63}$ (a lowercase ASCII letter, then up to 63 ASCII letters, digits, `_` or `-`)"),
        ]
    );
    assert!(is_key("a") && is_key(&format!("a{}", "b".repeat(63))) && is_key("a-B_9"));
    assert!(!is_key("") && !is_key(&format!("a{}", "b".repeat(64))) && !is_key("9a") && !is_key("aé") && !is_key("a.b"));
}

#[test]
fn values_are_checked_against_their_constraints() {
    let definition = r#"{"attributes": {
        "n": {"constraints": {"type": "number", "minimum": 1, "maximum": 10}},
        "s": {"constraints": {"type": "string", "enum": ["x", "y", 3]}},
        "p": {"constraints": {"type": "string", "pattern": "^[A-Z]+$"}},
        "b": {"constraints": {"type": "boolean"}},
        "l": {"constraints": {"type": "array", "elements": {"type": "number", "maximum": 5}}},
        "r": {"constraints": {"type": "string", "required": true}},
        "free": {}
    }}"#;
    let values = r#"{"enabled": true, "n": 11, "s": "z", "p": "abc", "b": "true", "l": [1, 7], "free": {"x": 1}, "ghost": 1, "Bad": 2}"#;
    assert_eq!(
        flag_problems(definition, values),
        [
            pm("/values/f", "flag `f` is enabled but has no value for its required attribute `r`"),
            pm("/values/f/n", "11 is above the maximum 10"),
            pm("/values/f/s", r#""z" is not one of the allowed values "x", "y", "3""#),
            pm("/values/f/p", r#""abc" does not match the pattern `^[A-Z]+$`"#),
            pm("/values/f/b", r#"expected a boolean (the attribute's constraint), found string "true""#),
            pm("/values/f/l/1", "7 is above the maximum 5"),
            pm("/values/f/free", "expected a string, a number, a boolean or an array of strings or numbers, found object {\"x\":1}"),
            pm("/values/f/ghost", "value for attribute `ghost`, which flag `f` does not define"),
            pm("/values/f/Bad", "attribute key `Bad` does not match ^[a-z][a-zA-Z\\d_-]{0,63}$ (a lowercase ASCII letter, then up to 63 ASCII letters, digits, `_` or `-`)"),
        ]
    );
    // A disabled flag needs no required attribute; mixed arrays and long strings are refused.
    let long = "x".repeat(1025);
    assert_eq!(
        flag_problems(definition, &format!(r#"{{"enabled": false, "free": [1, "a"], "p": "{long}"}}"#)),
        [
            pm("/values/f/free", "expected an array of strings or an array of numbers (not mixed, nothing else)"),
            pm("/values/f/p", "the string has 1025 characters, at most 1024 are allowed"),
        ]
    );
    // A required attribute given an invalid value is reported as invalid, not as missing.
    let required = r#"{"attributes": {"r": {"constraints": {"type": "string", "required": true}}}}"#;
    assert_eq!(
        flag_problems(required, r#"{"enabled": true, "r": 5}"#),
        [pm("/values/f/r", "expected a string (the attribute's constraint), found integer 5")]
    );
    // Patterns the regex-lite engine cannot compile are not judged.
    let lookbehind = r#"{"attributes": {"p": {"constraints": {"type": "string", "pattern": "(?<=a)b"}}}}"#;
    let text = format!(r#"{{"version": "1", "flags": {{"f": {lookbehind}}}, "values": {{"f": {{"enabled": true, "p": "zzz"}}}}}}"#);
    assert_eq!(parse_stored(&text).unwrap().flags[0].values.attribute("p"), Some(&Value::from("zzz")));
}

#[test]
fn variants_are_checked() {
    let definition = r#"{"attributes": {"n": {"constraints": {"type": "number", "maximum": 3}}}}"#;
    let values = r#"{"enabled": true, "_variants": [
        {"name": "a", "enabled": true, "rule": "(eq $tier \"gold\")", "attributeValues": {"n": 4}},
        {"name": "a", "enabled": true, "rule": "(equals $tier \"gold\")"},
        {"name": "no rule", "enabled": false},
        {"enabled": true, "extra": 1},
        {"name": "default", "enabled": false, "rule": "(exists key::\"x\")"}
    ]}"#;
    assert_eq!(
        flag_problems(definition, values),
        [
            pm("/values/f/_variants/0/attributeValues/n", "4 is above the maximum 3"),
            pm("/values/f/_variants/1/name", "variant name \"a\" repeats the name of variant 0"),
            pm("/values/f/_variants/1/rule", "the rule is not well formed: at character 2: unknown operator `equals` (did you mean `eq`?); the operators are eq, gt, gte, lt, lte, and, or, not, begins_with, ends_with, contains, in, matches, exists, split"),
            pm("/values/f/_variants/2", "only the last variant (the default) goes without a `rule`: this variant needs one"),
            pm("/values/f/_variants/3", "the variant needs `name`"),
            pm("/values/f/_variants/3", "only the last variant (the default) goes without a `rule`: this variant needs one"),
            pm("/values/f/_variants/3/extra", "unknown member `extra` in a variant: expected `name`, `enabled`, `rule` or `attributeValues`"),
            pm("/values/f/_variants/4/rule", "the last variant is the default variant, which takes no `rule`"),
        ]
    );
    // Two variants without a name are two missing names, not a repeat.
    assert_eq!(
        flag_problems("{}", r#"{"_variants": [{"enabled": true, "rule": "(eq $a 1)"}, {"enabled": true}]}"#),
        [pm("/values/f/_variants/0", "the variant needs `name`"), pm("/values/f/_variants/1", "the variant needs `name`")]
    );
    let many: Vec<String> = (0..33).map(|i| format!(r#"{{"name": "v{i}", "enabled": true, "rule": "(eq $a {i})"}}"#)).collect();
    let mut found = flag_problems("{}", &format!(r#"{{"_variants": [{}]}}"#, many.join(", ")));
    found.retain(|(p, _)| p == "/values/f/_variants");
    assert_eq!(found, [pm("/values/f/_variants", "flag `f` has 33 variants, at most 32 are allowed")]);
    let long_rule = format!(r#"(eq $a \"{}\")"#, "x".repeat(MAX_RULE));
    let values = format!(r#"{{"_variants": [{{"name": "v", "enabled": true, "rule": "{long_rule}"}}, {{"name": "d", "enabled": false}}]}}"#);
    assert_eq!(flag_problems("{}", &values), [pm("/values/f/_variants/0/rule", "the rule has 16394 characters, at most 16384 are allowed")]);
}

#[test]
fn definition_members_are_checked() {
    let definition = r#"{"name": "", "description": 3, "_deprecation": {"status": "soon", "date": 20270101, "why": "x"}, "_createdAt": "2024-01-01", "owner": "me"}"#;
    assert_eq!(
        flag_problems(definition, r#"{"enabled": "yes", "_updatedAt": 1}"#),
        [
            pm("/flags/f/name", "flag name must be 1 to 64 characters without a line break, found 0 characters"),
            pm("/flags/f/description", "expected a string for the description, found integer 3"),
            pm("/flags/f/_deprecation/status", "expected \"planned\" for the deprecation `status` (the only status AWS's schema allows), found string \"soon\""),
            pm("/flags/f/_deprecation/date", "expected a date string \"YYYY-MM-DD\" for the deprecation `date`, found integer 20270101"),
            pm("/flags/f/_deprecation/why", "unknown member `why` in `_deprecation`: expected `status` or `date`"),
            pm("/flags/f/owner", "unknown member `owner` in the definition of flag `f`: expected `name`, `description`, `attributes`, `_deprecation`, `_createdAt` or `_updatedAt`"),
            pm("/values/f/enabled", "expected a boolean for `enabled`, found string \"yes\""),
            pm("/values/f/_updatedAt", "expected a string for `_updatedAt`, found integer 1"),
        ]
    );
    assert_eq!(
        problems(r#"{"version": "1", "flags": [], "values": {}, "extra": 1}"#).into_iter().map(|(p, _, m)| (p, m)).collect::<Vec<_>>(),
        [
            pm("/flags", "expected an object for `flags`, found array []"),
            pm("/extra", "unknown member `extra`: a stored document has only `version`, `flags` and `values`"),
        ]
    );
    assert_eq!(problems("[]")[0].2, "expected an AWS.AppConfig.FeatureFlags document (an object with \"version\": \"1\", \"flags\" and \"values\"), found array []");
    assert_eq!(problems("{}")[0].2, "missing `version`: expected \"version\": \"1\"");
}

#[test]
fn to_powertools_makes_each_flag_a_feature_whose_default_is_its_object() {
    let retrieval = json(r#"{"dark": {"enabled": true, "color": "red"}, "qa": {"_variant": "QA", "enabled": true}, "off": {"enabled": false}}"#);
    assert_eq!(
        to_powertools(&retrieval).unwrap().to_json(),
        r#"{"dark":{"default":{"enabled":true,"color":"red"},"boolean_type":false},"qa":{"default":{"_variant":"QA","enabled":true},"boolean_type":false},"off":{"default":{"enabled":false},"boolean_type":false}}"#
    );
    let err = to_powertools(&json(r#"{"qa": {"_variant": 1, "enabled": true}}"#)).unwrap_err();
    assert_eq!(err.problems[0].pointer, "/qa/_variant");
    assert_eq!(err.problems[0].message, "expected the variant's name (a string) for `_variant`, found integer 1");
    assert_eq!(to_powertools(&json("{}")).unwrap().to_json(), "{}");
}

#[test]
fn a_stored_document_translates_as_aws_serves_it_without_context() {
    let stored = json(
        r#"{"version": "1", "flags": {"a": {"attributes": {"n": {}}}, "b": {"attributes": {"n": {}}}, "m": {"attributes": {"n": {}}}},
            "values": {"a": {"enabled": true, "n": 1}, "b": {"enabled": false, "n": 2},
                       "m": {"enabled": true, "n": 3, "_variants": [{"name": "x", "enabled": true, "rule": "(eq $t 1)", "attributeValues": {"n": 4}},
                                                                    {"name": "Default Variant", "enabled": false, "attributeValues": {"n": 5}}]}}}"#,
    );
    assert_eq!(
        to_powertools(&stored).unwrap().to_json(),
        r#"{"a":{"default":{"enabled":true,"n":1},"boolean_type":false},"b":{"default":{"enabled":false},"boolean_type":false},"m":{"default":{"_variant":"Default Variant","enabled":false},"boolean_type":false}}"#
    );
    // AWS's schema requires only `version`: such a document is stored, not a retrieval one.
    assert_eq!(to_powertools(&json(r#"{"version": "1"}"#)).unwrap().to_json(), "{}");
    assert_eq!(to_powertools(&json(r#"{"version": "2"}"#)).unwrap_err().problems[0].pointer, "/version");
    let invalid = json(r#"{"version": "1", "flags": {"a": {}}, "values": {"a": {"enabled": 1}}}"#);
    assert_eq!(to_powertools(&invalid).unwrap_err().problems[0].pointer, "/values/a/enabled");
}

mod properties {
    use super::super::*;
    use proptest::prelude::*;

    /// JSON values of the shapes a stored document holds, keys drawn from a small set so
    /// that the checks meet each other.
    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let key = prop::sample::select(vec![
            "version", "flags", "values", "name", "attributes", "constraints", "type", "required", "minimum", "maximum",
            "pattern", "enum", "elements", "enabled", "_variants", "rule", "attributeValues", "_deprecation", "status", "f", "a",
        ]);
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            prop::sample::select(vec!["1", "number", "string", "array", "boolean", "(eq $a 1)", "(split pct::1", "[a-", "planned"])
                .prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(5, 64, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                prop::collection::vec((key.clone(), inner), 0..6)
                    .prop_map(|pairs| serde_json::Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn reading_and_translating_never_panic(value in json_value()) {
            let text = value.to_string();
            let parsed = parse_stored(&text);
            let translated = to_powertools(&crate::value::Value::from(value));
            // A valid stored document always translates.
            if parsed.is_ok() {
                prop_assert!(translated.is_ok());
            }
        }

        #[test]
        fn arbitrary_text_never_panics(text in ".{0,300}") {
            let _ = parse_stored(&text);
        }
    }
}
