use super::*;

fn model(json: &str) -> Model {
    Model::new(&Document::parse(json).unwrap(), &Options::new()).unwrap()
}

fn field<'m>(m: &'m Model, key: &str) -> &'m ContextField {
    m.fields.iter().find(|f| f.key == key).unwrap()
}

#[test]
fn value_types_are_inferred_from_default_and_every_when_match() {
    let m = model(
        r#"{
        "b": {"default": false},
        "nb_bool": {"boolean_type": false, "default": false, "rules": {"r": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "k", "value": 1}]}}},
        "int": {"boolean_type": false, "default": 0, "rules": {"r": {"when_match": 15, "conditions": [{"action": "EQUALS", "key": "k", "value": 1}]}}},
        "num": {"boolean_type": false, "default": 0, "rules": {"r": {"when_match": 1.5, "conditions": [{"action": "EQUALS", "key": "k", "value": 1}]}}},
        "str": {"boolean_type": false, "default": "a"},
        "big": {"boolean_type": false, "default": 92233720368547758070},
        "list": {"boolean_type": false, "default": []},
        "mixed": {"boolean_type": false, "default": "a", "rules": {"r": {"when_match": 1, "conditions": [{"action": "EQUALS", "key": "k", "value": 1}]}}},
        "null_when_match": {"boolean_type": false, "default": 1, "rules": {"r": {"conditions": [{"action": "EQUALS", "key": "k", "value": 1}]}}}
    }"#,
    );
    let types: Vec<_> = m.features.iter().map(|f| (f.name.as_str(), f.value_type.rust_name())).collect();
    assert_eq!(
        types,
        [
            ("b", "bool"),
            ("nb_bool", "bool"),
            ("int", "i64"),
            ("num", "f64"),
            ("str", "String"),
            ("big", "ff_runtime::Value"),
            ("list", "ff_runtime::Value"),
            ("mixed", "ff_runtime::Value"),
            ("null_when_match", "ff_runtime::Value"),
        ]
    );
}

#[test]
fn context_fields_are_typed_from_the_values_compared() {
    let m = model(
        r#"{"f": {"default": false, "rules": {
            "a": {"when_match": true, "conditions": [
                {"action": "EQUALS", "key": "tier", "value": "gold"},
                {"action": "KEY_GREATER_THAN_VALUE", "key": "basket size", "value": 100},
                {"action": "KEY_LESS_THAN_VALUE", "key": "ratio", "value": 0.5},
                {"action": "KEY_LESS_THAN_VALUE", "key": "ratio", "value": 2},
                {"action": "MODULO_RANGE", "key": "id", "value": {"BASE": 100, "START": 0, "END": 9}},
                {"action": "ANY_IN_VALUE", "key": "groups", "value": ["staff", "beta"]},
                {"action": "VALUE_IN_KEY", "key": "ids", "value": 7},
                {"action": "KEY_IN_VALUE", "key": "country", "value": ["DK", "SE"]},
                {"action": "STARTSWITH", "key": "email", "value": "qa@"},
                {"action": "EQUALS", "key": "beta", "value": true},
                {"action": "EQUALS", "key": "meta", "value": {"a": 1}},
                {"action": "EQUALS", "key": "user", "value": "42"},
                {"action": "MODULO_RANGE", "key": "user", "value": {"BASE": 2, "START": 0, "END": 0}},
                {"action": "SCHEDULE_BETWEEN_TIME_RANGE", "key": "CURRENT_TIME", "value": {"START": "09:00", "END": "17:00"}}
            ]}}}}"#,
    );
    let types: Vec<_> = m.fields.iter().map(|f| (f.key.as_str(), f.field.as_str(), f.ty)).collect();
    use FieldType::*;
    assert_eq!(
        types,
        [
            ("tier", "tier", Str),
            ("basket size", "basket_size", Int),
            ("ratio", "ratio", Float),
            ("id", "id", Int),
            ("groups", "groups", StrList),
            ("ids", "ids", IntList),
            ("country", "country", Str),
            ("email", "email", Str),
            ("beta", "beta", Bool),
            ("meta", "meta", Value),
            ("user", "user", Value),
        ]
    );
    assert!(field(&m, "user").conflict);
    assert!(!field(&m, "meta").conflict);
    assert_eq!(m.warnings.len(), 1);
    assert!(m.warnings[0].contains("\"user\" is compared as a string (feature \"f\", rule \"a\", EQUALS) and as an integer"), "{}", m.warnings[0]);
}

fn name_problems(json: &str, options: &Options) -> Vec<String> {
    match Model::new(&Document::parse(json).unwrap(), options) {
        Err(Error::Names(problems)) => problems,
        other => panic!("expected naming problems, got {other:?}"),
    }
}

#[test]
fn a_feature_that_would_take_another_ones_rust_name_fails() {
    // The failing input: adding `dark_mode` next to `dark-mode` silently made
    // `dark_mode()` read the new feature and the old one `dark_mode_2()`.
    let doc = r#"{"dark-mode": {"default": true}, "dark_mode": {"default": false}}"#;
    let problems = name_problems(doc, &Options::new());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with(
            "features \"dark_mode\" and \"dark-mode\" would both get the accessor `dark_mode`: rename it: \
             `.rename(\"dark-mode\", \"dark_mode_2\")`"
        ),
        "{}",
        problems[0]
    );
    let m = Model::new(&Document::parse(doc).unwrap(), &Options::new().rename("dark-mode", "dark_mode_legacy")).unwrap();
    let names: Vec<_> = m.features.iter().map(|f| (f.name.as_str(), f.method.as_str(), f.variant.as_str())).collect();
    assert_eq!(names, [("dark-mode", "dark_mode_legacy", "DarkModeLegacy"), ("dark_mode", "dark_mode", "DarkMode")]);
}

#[test]
fn a_details_twin_that_would_be_another_features_accessor_fails() {
    // The failing input: `a_details()` was both the details of `a` and the accessor of
    // `a_details` (the generated code did not compile).
    let doc = r#"{"a": {"default": true}, "a_details": {"default": false}, "type": {"default": true}, "type-details": {"default": true}}"#;
    let problems = name_problems(doc, &Options::new());
    assert_eq!(
        problems,
        [
            "features \"a\" and \"a_details\" would both get the accessor `a_details` (the details twin of `a`, and the accessor of \"a_details\"): \
             rename it: `.rename(\"a_details\", \"a_details_flag\")` on ff_build::Builder or Options, `rename(\"a_details\" = \"a_details_flag\")` in \
             #[feature_flags], `--rename 'a_details=a_details_flag'` for ff generate",
            "features \"type\" and \"type-details\" would both get the accessor `type_details` (the details twin of `r#type`, and the accessor of \"type-details\"): \
             rename it: `.rename(\"type-details\", \"type_details_flag\")` on ff_build::Builder or Options, `rename(\"type-details\" = \"type_details_flag\")` in \
             #[feature_flags], `--rename 'type-details=type_details_flag'` for ff generate",
        ]
    );
    let options = Options::new().rename("a_details", "a_details_flag").rename("type-details", "type_details_flag");
    assert!(Model::new(&Document::parse(doc).unwrap(), &options).is_ok());
}

#[test]
fn context_keys_variants_and_generated_names_collide_too() {
    let rule = |key: &str| format!(r#"{{"when_match": true, "conditions": [{{"action": "EQUALS", "key": "{key}", "value": "x"}}]}}"#);
    let doc = format!(
        r#"{{"f": {{"default": false, "rules": {{"a": {}, "b": {}, "c": {}}}}}, "snapshot": {{"default": true}},
            "a1": {{"default": true}}, "a_1": {{"default": true}}, "--": {{"default": true}}}}"#,
        rule("user-id"),
        rule("user_id"),
        rule("with")
    );
    let problems = name_problems(&doc, &Options::new());
    let starts: Vec<&str> = problems.iter().map(|p| p.split(": rename it").next().unwrap()).collect();
    assert_eq!(
        starts,
        [
            "feature \"snapshot\" would get the accessor `snapshot`, which is a method of the generated Flags, FlagsSnapshot or FlagsForTests",
            "feature \"--\" has no letters or digits to make a Rust accessor from",
            "features \"a1\" and \"a_1\" would both get the FlagName variant `A1` (accessors `a1` and `a_1`)",
            "context keys \"user_id\" and \"user-id\" would both get the Context setter `user_id`",
            "context key \"with\" would get the Context setter `with`, which is a method or field of the generated Context",
        ]
    );
    let options = Options::new()
        .rename("snapshot", "snapshot_flag")
        .rename("--", "dashes")
        .rename("a_1", "a_one")
        .rename("user-id", "user_id_legacy")
        .rename("with", "with_key");
    let m = Model::new(&Document::parse(&doc).unwrap(), &options).unwrap();
    let methods: Vec<_> = m.features.iter().map(|f| (f.method.as_str(), f.variant.as_str())).collect();
    assert_eq!(methods, [("f", "F"), ("snapshot_flag", "SnapshotFlag"), ("a1", "A1"), ("a_one", "AOne"), ("dashes", "Dashes")]);
    let fields: Vec<_> = m.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["user_id_legacy", "user_id", "with_key"]);
}

#[test]
fn renames_are_checked() {
    let doc = Document::parse(r#"{"a": {"default": true}}"#).unwrap();
    let options = Options::new().rename("nope", "x").rename("a", "Not-Snake");
    let Err(Error::Options(problems)) = Model::new(&doc, &options) else { panic!("expected option errors") };
    assert_eq!(problems.len(), 2);
    assert_eq!(problems[0], "rename: the document has no feature or context key \"nope\" (to rename to \"x\")");
    assert!(problems[1].starts_with("rename: \"a\" to \"Not-Snake\" is not a snake_case Rust identifier"), "{}", problems[1]);
    // A keyword is fine (raw), and a name that is both a feature and a key is renamed in both.
    let doc = Document::parse(
        r#"{"type": {"default": false, "rules": {"r": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "type", "value": "x"}]}}}}"#,
    )
    .unwrap();
    let m = Model::new(&doc, &Options::new().rename("type", "kind")).unwrap();
    assert_eq!((m.features[0].method.as_str(), m.features[0].variant.as_str(), m.fields[0].field.as_str()), ("kind", "Kind", "kind"));
    let m = Model::new(&doc, &Options::new()).unwrap();
    assert_eq!((m.features[0].method.as_str(), m.fields[0].field.as_str()), ("r#type", "r#type"));
}

#[test]
fn value_type_options_are_checked_against_the_document() {
    let doc = Document::parse(
        r#"{"b": {"default": true}, "level": {"boolean_type": false, "default": 1, "rules": {"r": {"when_match": "x", "conditions": [{"action": "EQUALS", "key": "k", "value": 1}]}}}}"#,
    )
    .unwrap();
    let options = Options::new().value_type("b", "u8").value_type("level", "i64").value_type("nope", "String");
    let Err(Error::Options(problems)) = Model::new(&doc, &options) else { panic!("expected option errors") };
    assert_eq!(
        problems,
        [
            "value_type: feature \"b\" is boolean, and boolean features are always `bool`",
            "value_type: the document has no feature \"nope\"",
            "/level/rules/r/when_match: value_type: feature \"level\" cannot be i64: it has the value \"x\"",
        ]
    );
    let ok = Model::new(&doc, &Options::new().value_type("level", "crate::Level")).unwrap();
    assert_eq!(ok.features[1].value_type, ValueType::Serde("crate::Level".into()));
}
