//! Values that do not fit the type named for their feature fail the build, located.

#[test]
fn a_value_that_does_not_fit_a_builtin_type_is_a_located_build_error() {
    let text = "{\n  \"limit\": {\n    \"boolean_type\": false,\n    \"default\": \"10\",\n    \"rules\": {\"r\": {\"when_match\": 5, \"conditions\": [{\"action\": \"EQUALS\", \"key\": \"k\", \"value\": 1}]}}\n  }\n}";
    let options = ff_build::Options::new().source_name("flags.json").value_type("limit", "i64");
    let err = ff_build::generate(text, &options).unwrap_err();
    assert!(matches!(err, ff_build::Error::Options(_)), "{err:?}");
    assert_eq!(
        err.lines(),
        ["flags.json:4:5: /limit/default: value_type: feature \"limit\" cannot be i64: it has the value \"10\""]
    );
    let err = ff_build::generate(text, &ff_build::Options::new().source_name("flags.json").value_type("limit", "String")).unwrap_err();
    assert_eq!(
        err.lines(),
        ["flags.json:5:21: /limit/rules/r/when_match: value_type: feature \"limit\" cannot be String: it has the value 5"]
    );
}
