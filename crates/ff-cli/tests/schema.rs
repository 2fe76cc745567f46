//! `ff schema` checked with a real JSON Schema validator (the `jsonschema` crate) against
//! every document of the conformance suite (`tests/conformance`, which holds the shared
//! suite's files unchanged plus ff's own): each document ff's validator (which matches the
//! reference case by case) accepts, the schema accepts; each one it rejects, the schema
//! rejects, except for the faults listed in [`INEXPRESSIBLE`].

mod common;

use std::path::Path;

use ff_runtime::document::metadata_warnings;
use ff_runtime::{Document, Value};

/// Faults that JSON Schema cannot express, by a fragment of the reference's message (or
/// of ff's metadata warning), with why.
const INEXPRESSIBLE: &[(&str, &str)] = &[
    ("must satisfy 0 <= START <= END <= BASE-1", "MODULO_RANGE: an order between members (a schema compares a value with constants only)"),
    ("'BASE', 'START' and 'END' must be integers", "MODULO_RANGE: JSON Schema's `integer` includes integral floats such as 1.0, which Python's int check refuses"),
    ("must represent a valid IANA timezone", "TIMEZONE: whether a zone exists depends on the time-zone database; the schema checks it is a string"),
    ("must be a valid ISO8601 time format", "SCHEDULE_BETWEEN_DATETIME_RANGE: Python 3.11's fromisoformat grammar; the schema checks the four-digit year it starts with"),
    ("must not include timezone information", "SCHEDULE_BETWEEN_DATETIME_RANGE: an offset (Z, +01:00) anywhere fromisoformat reads one"),
    ("expected a date that exists", "x-ff expires: a pattern cannot tell 2025-02-30 from 2025-02-28"),
];

fn schema() -> jsonschema::Validator {
    let run = common::ff(&["schema"]);
    assert_eq!(run.code, 0, "{run:?}");
    let schema: serde_json::Value = serde_json::from_str(&run.stdout).expect("ff schema prints JSON");
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    jsonschema::draft202012::new(&schema).expect("the schema is a valid draft 2020-12 schema")
}

/// Every document of every conformance file (the file's, each case's, each entry's), as
/// `(file, JSON text)`, without repeats.
fn documents() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance");
    let mut paths: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    let mut out: Vec<(String, String)> = Vec::new();
    for path in paths.into_iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let json = Value::from_json(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let entries = ["cases", "enabled_features"].into_iter().flat_map(|k| json.get(k).and_then(Value::as_array).unwrap_or_default());
        for schema in json.get("schema").into_iter().chain(entries.filter_map(|e| e.get("schema"))) {
            let text = schema.to_json();
            if !out.iter().any(|(_, t)| *t == text) {
                out.push((file.clone(), text));
            }
        }
    }
    out
}

#[test]
fn the_schema_agrees_with_the_validator_on_the_conformance_suite() {
    let validator = schema();
    let (mut valid, mut invalid, mut inexpressible) = (0, 0, Vec::new());
    let mut disagreements = Vec::new();
    for (file, text) in documents() {
        let instance: serde_json::Value = serde_json::from_str(&text).unwrap();
        let accepted = validator.is_valid(&instance);
        // What ff says is wrong: its validation problems (reference messages), else the
        // metadata warnings.
        let faults: Vec<String> = match Document::parse(&text) {
            Ok(_) => metadata_warnings(&Value::from_json(&text).unwrap()).into_iter().map(|w| w.message).collect(),
            Err(err) => err.problems.iter().map(|p| p.reference_message.clone()).collect(),
        };
        match (faults.is_empty(), accepted) {
            (true, true) => valid += 1,
            (false, false) => invalid += 1,
            (true, false) => disagreements.push(format!(
                "{file}: valid, but the schema rejects it: {:?}\n  {text}",
                validator.iter_errors(&instance).map(|e| e.to_string()).collect::<Vec<_>>()
            )),
            (false, true) => {
                let why = faults.iter().find_map(|f| INEXPRESSIBLE.iter().find(|(m, _)| f.contains(m)));
                match why {
                    Some((message, _)) => inexpressible.push(*message),
                    None => disagreements.push(format!("{file}: invalid ({faults:?}), but the schema accepts it\n  {text}")),
                }
            }
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    // The suite has documents of each sort; the counts are printed with --nocapture.
    println!("{valid} valid, {invalid} invalid rejected, {} invalid the schema cannot tell: {inexpressible:?}", inexpressible.len());
    assert!(valid >= 20 && invalid >= 20, "{valid} valid, {invalid} invalid");
}

/// Faults the suite may not hold, each written once, so that the schema's reach is
/// checked case by case: rejected by both, or accepted by the schema for a listed reason.
#[test]
fn the_schema_rejects_each_fault_it_can_express() {
    let validator = schema();
    let rejected = [
        r#"[]"#,
        r#"{"f": {}}"#,
        r#"{"f": {"default": null}}"#,
        r#"{"f": {"default": 1}}"#,
        r#"{"f": {"default": 1, "boolean_type": "no"}}"#,
        r#"{"f": {"default": true, "rules": [1]}}"#,
        r#"{"f": {"default": true, "rules": {"": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "k", "value": 1}]}}}}"#,
        r#"{"f": {"default": true, "rules": {"r": {"conditions": [{"action": "EQUALS", "key": "k", "value": 1}]}}}}"#,
        r#"{"f": {"default": true, "rules": {"r": {"when_match": 1, "conditions": [{"action": "EQUALS", "key": "k", "value": 1}]}}}}"#,
        r#"{"f": {"default": true, "rules": {"r": {"when_match": true, "conditions": []}}}}"#,
        r#"{"f": {"default": true, "rules": {"r": {"when_match": true, "conditions": [{"action": "EQUAL", "key": "k", "value": 1}]}}}}"#,
        r#"{"f": {"default": true, "rules": {"r": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "", "value": 1}]}}}}"#,
        r#"{"f": {"default": true, "rules": {"r": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "k", "value": null}]}}}}"#,
        r#"{"f": {"default": true, "rules": {"r": {"when_match": true, "conditions": [{"action": "ANY_IN_VALUE", "key": "k", "value": "a"}]}}}}"#,
        r#"{"f": {"default": true, "rules": {"r": {"when_match": true, "conditions": [{"action": "MODULO_RANGE", "key": "k", "value": {"BASE": 10, "START": -1, "END": 3}}]}}}}"#,
        r#"{"f": {"default": true, "rules": {"r": {"when_match": true, "conditions": [{"action": "MODULO_RANGE", "key": "k", "value": {"BASE": 10, "START": "0", "END": 3}}]}}}}"#,
        r#"{"f": {"default": true, "rules": {"r": {"when_match": true, "conditions": [{"action": "SCHEDULE_BETWEEN_TIME_RANGE", "key": "CURRENT_DATETIME", "value": {"START": "09:00", "END": "17:00"}}]}}}}"#,
        r#"{"f": {"default": true, "rules": {"r": {"when_match": true, "conditions": [{"action": "SCHEDULE_BETWEEN_TIME_RANGE", "key": "CURRENT_TIME", "value": {"START": "9:00", "END": "17:00"}}]}}}}"#,
        r#"{"f": {"default": true, "rules": {"r": {"when_match": true, "conditions": [{"action": "SCHEDULE_BETWEEN_TIME_RANGE", "key": "CURRENT_TIME", "value": {"START": "09:00", "END": "24:00"}}]}}}}"#,
        r#"{"f": {"default": true, "rules": {"r": {"when_match": true, "conditions": [{"action": "SCHEDULE_BETWEEN_TIME_RANGE", "key": "CURRENT_TIME", "value": {"START": "09:00", "END": "17:00", "TIMEZONE": 1}}]}}}}"#,
        r#"{"f": {"default": true, "rules": {"r": {"when_match": true, "conditions": [{"action": "SCHEDULE_BETWEEN_DAYS_OF_WEEK", "key": "CURRENT_DAY_OF_WEEK", "value": {"DAYS": ["monday"]}}]}}}}"#,
        r#"{"f": {"default": true, "x-ff": {"kind": "feature"}}}"#,
        r#"{"f": {"default": true, "x-ff": {"expires": "30/06/2025"}}}"#,
        r#"{"f": {"default": true, "x-ff": {"ownr": "x"}}}"#,
        r#"{"$schema": "./flags.schema.json", "f": {"default": true}}"#,
    ];
    let accepted = [
        r#"{}"#,
        r#"{"f": {"default": {"a": 1}, "boolean_type": 0, "rules": {"r": {"conditions": [{"action": "EQUALS", "key": "k", "value": [1]}]}}}}"#,
        r#"{"f": {"default": true, "rules": null, "description": "ignored by the reference"}}"#,
        r#"{"f": {"default": true, "rules": {"r": {"when_match": false, "conditions": [{"action": "MODULO_RANGE", "key": "k", "value": {"BASE": true, "START": false, "END": 0}}]}}}}"#,
        // Python's \d: any Unicode decimal digit after the first digit of the hour.
        r#"{"f": {"default": true, "rules": {"r": {"when_match": true, "conditions": [{"action": "SCHEDULE_BETWEEN_TIME_RANGE", "key": "CURRENT_TIME", "value": {"START": "0٩:00", "END": "17:3٠", "TIMEZONE": []}}]}}}}"#,
        r#"{"f": {"default": true, "rules": {"r": {"when_match": true, "conditions": [{"action": "SCHEDULE_BETWEEN_DATETIME_RANGE", "key": "CURRENT_DATETIME", "value": {"START": "2022-12-24", "END": "2022-12-24T10:00:00", "TIMEZONE": "Europe/Paris"}}]}}}}"#,
        r#"{"f": {"default": true, "x-ff": {"description": "d", "owner": "o", "kind": "ops", "expires": "2025-06-30"}}}"#,
    ];
    for text in rejected {
        let instance: serde_json::Value = serde_json::from_str(text).unwrap();
        let ff_faults = Document::parse(text).map_or(1, |_| metadata_warnings(&Value::from_json(text).unwrap()).len());
        assert!(ff_faults > 0, "ff finds nothing wrong with {text}");
        assert!(!validator.is_valid(&instance), "the schema accepts {text}");
    }
    for text in accepted {
        let instance: serde_json::Value = serde_json::from_str(text).unwrap();
        assert!(Document::parse(text).is_ok(), "ff rejects {text}");
        let errors: Vec<String> = validator.iter_errors(&instance).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "the schema rejects {text}: {errors:?}");
    }
}

#[test]
fn ff_schema_prints_the_file_in_the_repository() {
    let run = common::ff(&["schema"]);
    let file = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/powertools-feature-flags.schema.json")).unwrap();
    assert_eq!(run.stdout, file);
}
