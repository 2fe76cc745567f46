//! Shared pieces of ff's fuzz targets: decoding an input into a document, a context and an
//! instant, and the properties each target checks.
//!
//! The `eval` and `generate` targets take either of two input forms:
//!
//! * **text**: the input starts with `{`: `DOCUMENT \0 CONTEXT \0 UNIX_SECONDS`, all JSON
//!   text (the seed corpus is written this way, from the conformance fixtures; `ff.dict`
//!   helps libFuzzer keep mutations valid);
//! * **structured**: anything else is read with `arbitrary` into a document that is valid by
//!   construction (every action with a value of its shape: modulo bounds in range, times
//!   that parse, real zones), a context over the same keys, and an instant.
//!
//! Only valid documents are evaluated or generated from; invalid ones are the `parse`
//! target's business.

use std::collections::HashMap;

use arbitrary::{Result, Unstructured};
use ff_runtime::value::{Map, Number, Value};
use ff_runtime::{Action, Document, FixedClock};

/// A decoded input of the `eval` and `generate` targets.
pub struct Case {
    /// The document as a value (valid for the structured form; maybe invalid for text).
    pub document: Value,
    /// The document's text, when the input was text (exactly as given).
    pub text: Option<String>,
    /// The context (an object, or any JSON value in the text form).
    pub context: Value,
    /// The instant the schedule actions read.
    pub now: jiff::Timestamp,
}

/// Decodes an input (see the crate docs); `None` when it is neither form.
pub fn decode(data: &[u8]) -> Option<Case> {
    if data.first() == Some(&b'{') {
        let text = std::str::from_utf8(data).ok()?;
        let mut parts = text.splitn(3, '\0');
        let doc_text = parts.next()?;
        let document = Value::from_json(doc_text).ok()?;
        let context = match parts.next() {
            Some(t) => Value::from_json(t).ok()?,
            None => Value::from(Map::new()),
        };
        let seconds = parts.next().and_then(|t| t.trim().parse::<i64>().ok()).unwrap_or(1_700_000_000);
        return Some(Case { document, text: Some(doc_text.to_owned()), context, now: timestamp(seconds) });
    }
    let mut u = Unstructured::new(data);
    let document = structured_document(&mut u).ok()?;
    let context = structured_context(&mut u).ok()?;
    let seconds = u.arbitrary::<i64>().unwrap_or(0);
    Some(Case { document, text: None, context, now: timestamp(seconds) })
}

fn timestamp(seconds: i64) -> jiff::Timestamp {
    let min = jiff::Timestamp::MIN.as_second();
    let max = jiff::Timestamp::MAX.as_second();
    jiff::Timestamp::from_second(seconds.clamp(min, max)).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

/// Names shared by documents and contexts, so that conditions find their keys.
const KEYS: &[&str] = &["tier", "user_id", "groups", "email", "basket", "region", "", "a.b", "é", "0"];
const STRINGS: &[&str] = &[
    "", "premium", "gold", "Premium", "a", "ab", "b", "10", "9", "1", "true", "null", "@example.com", "x@example.com",
    "é", "\u{0}", "Agents Only", "MONDAY", "ß", "😀",
];
const FEATURE_NAMES: &[&str] = &[
    "premium", "new_checkout", "newCheckout", "new-checkout", "", "2fa", "type", "self", "Self", "crate", "_", "r#x",
    "FlagName", "Context", "snapshot", "é", "a b", "DOCUMENT",
];
const ZONES: &[&str] = &[
    "UTC", "Europe/Copenhagen", "America/New_York", "US/Eastern", "Australia/Lord_Howe", "Pacific/Chatham",
    "Asia/Kolkata", "Pacific/Kiritimati", "Etc/GMT+12", "America/Sao_Paulo",
];
const DAYS: &[&str] = &["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];

fn string(u: &mut Unstructured<'_>, pool: &[&str]) -> Result<String> {
    if u.ratio(1, 8)? {
        let s: &str = u.arbitrary()?;
        return Ok(s.to_owned());
    }
    Ok((*u.choose(pool)?).to_owned())
}

fn number(u: &mut Unstructured<'_>) -> Result<Value> {
    Ok(Value::Number(match u.int_in_range(0..=6)? {
        0 => Number::Int(u.int_in_range(-3..=12)?),
        1 => Number::Int(u.arbitrary::<i64>()?.into()),
        2 => Number::Int(u.arbitrary::<i128>()?),
        3 => {
            let digits: u64 = u.arbitrary()?;
            Number::parse(&format!("{digits}{digits}{digits}")).unwrap_or(Number::Int(0))
        }
        4 => Number::Float(f64::from(u.int_in_range(-40..=40)?) / 4.0),
        5 => {
            let f: f64 = u.arbitrary()?;
            Number::Float(if f.is_finite() { f } else { 0.5 })
        }
        _ => Number::Float(0.0),
    }))
}

/// Any JSON value, small, biased towards values that compare with each other.
fn json_value(u: &mut Unstructured<'_>, depth: u32) -> Result<Value> {
    let top = if depth >= 3 { 3 } else { 5 };
    Ok(match u.int_in_range(0..=top)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => number(u)?,
        3 => Value::String(string(u, STRINGS)?),
        4 => {
            let n = u.int_in_range(0..=4)?;
            Value::Array((0..n).map(|_| json_value(u, depth + 1)).collect::<Result<_>>()?)
        }
        _ => {
            let n = u.int_in_range(0..=3)?;
            let mut map = Map::new();
            for _ in 0..n {
                map.insert(string(u, STRINGS)?, json_value(u, depth + 1)?);
            }
            Value::from(map)
        }
    })
}

fn non_null(u: &mut Unstructured<'_>) -> Result<Value> {
    let v = json_value(u, 0)?;
    Ok(if v.is_null() { Value::Bool(false) } else { v })
}

fn obj(pairs: Vec<(&str, Value)>) -> Value {
    Value::from(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect::<Map>())
}

fn int(i: i128) -> Value {
    Value::Number(Number::Int(i))
}

fn zone(u: &mut Unstructured<'_>, pairs: &mut Vec<(&str, Value)>) -> Result<()> {
    match u.int_in_range(0..=3)? {
        0 => {}
        1 => pairs.push(("TIMEZONE", Value::Null)),
        2 => pairs.push(("TIMEZONE", Value::String(String::new()))),
        _ => pairs.push(("TIMEZONE", Value::String((*u.choose(ZONES)?).to_owned()))),
    }
    Ok(())
}

fn hh_mm(u: &mut Unstructured<'_>) -> Result<String> {
    Ok(format!("{:02}:{:02}", u.int_in_range(0..=23)?, u.int_in_range(0..=59)?))
}

fn datetime(u: &mut Unstructured<'_>) -> Result<String> {
    let date = format!("{:04}-{:02}-{:02}", u.int_in_range(1..=9999)?, u.int_in_range(1..=12)?, u.int_in_range(1..=28)?);
    Ok(match u.int_in_range(0..=3)? {
        0 => date,
        1 => format!("{date}T{}", hh_mm(u)?),
        2 => format!("{date}T{}:{:02}", hh_mm(u)?, u.int_in_range(0..=59)?),
        _ => format!("{date}T{}:{:02}.{:06}", hh_mm(u)?, u.int_in_range(0..=59)?, u.int_in_range(0..=999_999)?),
    })
}

/// A condition that passes validation: the action's key and a value of its shape.
fn condition(u: &mut Unstructured<'_>) -> Result<Value> {
    let action = *u.choose(&Action::ALL)?;
    let (key, value) = match action {
        Action::ScheduleBetweenTimeRange => {
            let mut pairs = vec![("START", Value::String(hh_mm(u)?)), ("END", Value::String(hh_mm(u)?))];
            zone(u, &mut pairs)?;
            ("CURRENT_TIME".to_owned(), obj(pairs))
        }
        Action::ScheduleBetweenDatetimeRange => {
            let mut pairs = vec![("START", Value::String(datetime(u)?)), ("END", Value::String(datetime(u)?))];
            zone(u, &mut pairs)?;
            ("CURRENT_DATETIME".to_owned(), obj(pairs))
        }
        Action::ScheduleBetweenDaysOfWeek => {
            let n = u.int_in_range(0..=7)?;
            let days = (0..n).map(|_| Ok(Value::String((*u.choose(DAYS)?).to_owned()))).collect::<Result<_>>()?;
            let mut pairs = vec![("DAYS", Value::Array(days))];
            zone(u, &mut pairs)?;
            ("CURRENT_DAY_OF_WEEK".to_owned(), obj(pairs))
        }
        Action::ModuloRange => {
            let base: i128 = if u.ratio(1, 8)? { u.int_in_range(1..=i128::MAX)? } else { u.int_in_range(1..=1000)? };
            let start = u.int_in_range(0..=base - 1)?;
            let end = u.int_in_range(start..=base - 1)?;
            let key = string(u, KEYS)?;
            (key, obj(vec![("BASE", int(base)), ("START", int(start)), ("END", int(end))]))
        }
        Action::AllInValue | Action::AnyInValue | Action::NoneInValue => {
            let n = u.int_in_range(0..=10)?;
            let items = (0..n).map(|_| json_value(u, 1)).collect::<Result<_>>()?;
            (string(u, KEYS)?, Value::Array(items))
        }
        Action::In | Action::NotIn | Action::KeyInValue | Action::KeyNotInValue if u.ratio(1, 3)? => {
            // Long lists take the hash-set path.
            let n = u.int_in_range(8..=20)?;
            let items = (0..n).map(|_| json_value(u, 2)).collect::<Result<_>>()?;
            (string(u, KEYS)?, Value::Array(items))
        }
        _ => (string(u, KEYS)?, non_null(u)?),
    };
    let key = if key.is_empty() { "k".to_owned() } else { key };
    Ok(obj(vec![("action", Value::String(action.as_str().to_owned())), ("key", Value::String(key)), ("value", value)]))
}

/// A document that passes validation.
pub fn structured_document(u: &mut Unstructured<'_>) -> Result<Value> {
    let mut features = Map::new();
    for _ in 0..u.int_in_range(0..=5)? {
        let name = string(u, FEATURE_NAMES)?;
        let mut pairs: Vec<(&str, Value)> = Vec::new();
        // `boolean_type`: absent or truthy is boolean (Python truthiness).
        let boolean_type = match u.int_in_range(0..=6)? {
            0 => None,
            1 => Some(Value::Bool(true)),
            2 => Some(Value::String("false".into())),
            3 => Some(int(0)),
            4 => Some(Value::Null),
            5 => Some(Value::String(String::new())),
            _ => Some(Value::Bool(false)),
        };
        let boolean = boolean_type.as_ref().is_none_or(Value::is_truthy);
        if let Some(b) = boolean_type {
            pairs.push(("boolean_type", b));
        }
        pairs.push(("default", if boolean { Value::Bool(u.arbitrary()?) } else { non_null(u)? }));
        match u.int_in_range(0..=5)? {
            0 => {}
            1 => pairs.push(("rules", Value::Array(Vec::new()))),
            2 => pairs.push(("rules", Value::Null)),
            _ => {
                let mut rules = Map::new();
                for _ in 0..u.int_in_range(1..=4)? {
                    let mut rule: Vec<(&str, Value)> = Vec::new();
                    if boolean {
                        rule.push(("when_match", Value::Bool(u.arbitrary()?)));
                    } else if u.ratio(7, 8)? {
                        rule.push(("when_match", json_value(u, 0)?));
                    }
                    let n = u.int_in_range(1..=3)?;
                    let conditions = (0..n).map(|_| condition(u)).collect::<Result<_>>()?;
                    rule.push(("conditions", Value::Array(conditions)));
                    let mut rule_name = string(u, STRINGS)?;
                    if rule_name.is_empty() {
                        rule_name.push('r');
                    }
                    rules.insert(rule_name, obj(rule));
                }
                pairs.push(("rules", Value::from(rules)));
            }
        }
        features.insert(name, obj(pairs));
    }
    Ok(Value::from(features))
}

/// A context over the documents' keys: some missing, some `null`, any types.
pub fn structured_context(u: &mut Unstructured<'_>) -> Result<Value> {
    let mut map = Map::new();
    for key in KEYS {
        match u.int_in_range(0..=4)? {
            0 => {}
            1 => {
                map.insert((*key).to_owned(), Value::Null);
            }
            _ => {
                map.insert((*key).to_owned(), json_value(u, 0)?);
            }
        }
    }
    map.insert("k".to_owned(), json_value(u, 0)?);
    Ok(Value::from(map))
}

/// The `parse` target: any text through the parser, the validator and the compiler.
pub fn check_parse(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    // The JSON reader: what it accepts, it writes back as JSON it reads the same.
    if let Ok(value) = Value::from_json(&text) {
        // What it accepts, it writes back as JSON that reads the same; except that a number
        // too large for a float (`1e400`) reads as infinity and is written `Infinity`, as
        // Python's json module does, which the strict reader refuses (documented in value.rs).
        let written = value.to_json();
        match Value::from_json(&written) {
            Ok(again) => assert_eq!(again.to_json(), written, "to_json is not stable"),
            Err(e) => assert!(has_non_finite(&value), "to_json wrote unreadable JSON {written:?}: {e}"),
        }
        // The validator gives the same verdict on the value and on the text.
        let from_value = Document::from_value(&value);
        let from_text = Document::parse(&text);
        assert_eq!(from_value.is_ok(), from_text.is_ok());
        match (from_value, from_text) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a.len(), b.len());
                assert_eq!(a.len(), value.as_object().map_or(0, |m| m.len()));
                smoke_evaluate(&b, &Value::from(Map::new()), jiff::Timestamp::UNIX_EPOCH);
            }
            (Err(a), Err(b)) => {
                assert!(a.parse.is_none() && b.parse.is_none());
                assert!(!a.problems.is_empty());
                assert_eq!(a.problems.len(), b.problems.len());
                for (pa, pb) in a.problems.iter().zip(&b.problems) {
                    assert_eq!(pa.pointer, pb.pointer);
                    assert!(pb.location.is_some(), "problem {pb} has no location");
                }
                let _ = b.to_string();
            }
            _ => unreachable!(),
        }
    } else {
        let err = Document::parse(&text).expect_err("text that is not JSON is not a document");
        assert!(err.parse.is_some());
        let _ = err.to_string();
    }
}

/// Whether a float in `value` is infinite (a literal beyond `f64`, such as `1e400`).
pub fn has_non_finite(value: &Value) -> bool {
    match value {
        Value::Number(Number::Float(f)) => !f.is_finite(),
        Value::Array(items) => items.iter().any(has_non_finite),
        Value::Object(map) => map.values().any(has_non_finite),
        _ => false,
    }
}

fn smoke_evaluate(document: &Document, context: &Value, now: jiff::Timestamp) {
    let clock = FixedClock(now);
    for feature in document.features() {
        let _ = document.evaluate(&feature.name, context, &clock);
    }
}

/// The `eval` target: evaluation of a valid document against any context and instant.
pub fn check_eval(data: &[u8]) {
    let Some(case) = decode(data) else { return };
    let Ok(document) = Document::from_value(&case.document) else {
        assert!(case.text.is_some(), "the structured generator made an invalid document: {}", case.document);
        return;
    };
    let clock = FixedClock(case.now);
    let ctx = &case.context;
    let as_map: HashMap<String, Value> = match ctx.as_object() {
        Some(map) => map.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        None => HashMap::new(),
    };
    let mut enabled = Vec::new();
    for feature in document.features() {
        let value = document.evaluate(&feature.name, ctx, &clock).expect("a feature of the document evaluates");
        // The value is the default or some rule's value; boolean features give booleans.
        let json = value.to_json();
        assert!(
            json == feature.default.to_json() || feature.rules.iter().any(|r| r.value().to_json() == json),
            "feature {:?} gave {json}, which is neither its default nor a rule's value",
            feature.name
        );
        if feature.boolean {
            assert!(matches!(value, Value::Bool(_)), "boolean feature {:?} gave {json}", feature.name);
        }
        // The same context in another container gives the same value.
        if ctx.as_object().is_some() {
            let other = document.evaluate(&feature.name, &as_map, &clock).unwrap();
            assert_eq!(other.to_json(), json, "Value vs HashMap context");
        }
        // explain agrees with evaluate.
        let explanation = document.explain(&feature.name, ctx, &clock).unwrap();
        assert_eq!(explanation.value.to_json(), json, "explain disagrees with evaluate for {:?}", feature.name);
        match &explanation.matched_rule {
            Some(rule) => {
                let matched = explanation.rules.last().expect("a matched rule was tried");
                assert!(matched.matched && &matched.rule == rule);
            }
            None => assert!(explanation.rules.iter().all(|r| !r.matched)),
        }
        assert_eq!(explanation.rules.len() + explanation.skipped_rules, feature.rules.len());
        let _ = explanation.to_string();
        if value.is_truthy() {
            enabled.push(feature.name.as_str());
        }
    }
    // Duplicate names cannot occur (a document is an object), so positions line up.
    assert_eq!(document.enabled_features(ctx, &clock), enabled);
    // The document survives a trip through its JSON text.
    if has_non_finite(&case.document) {
        return;
    }
    let text = case.document.to_json();
    let reparsed = Document::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
    for feature in document.features() {
        assert_eq!(
            reparsed.evaluate(&feature.name, ctx, &clock).map(Value::to_json),
            document.evaluate(&feature.name, ctx, &clock).map(Value::to_json),
        );
    }
}

/// The `generate` target: the generator on a valid document; its output must parse as Rust.
pub fn check_generate(data: &[u8]) {
    let Some(case) = decode(data) else { return };
    let text = case.text.unwrap_or_else(|| case.document.to_json());
    if Document::parse(&text).is_err() {
        return;
    }
    let options = ff_build::Options::new().source_name("fuzz.json");
    let code = match ff_build::generate(&text, &options) {
        Ok(code) => code,
        Err(err) => panic!("a valid document does not generate: {err}\n{text}"),
    };
    if let Err(err) = syn::parse_file(&code) {
        panic!("generated code does not parse: {err}\n--- document\n{text}\n--- code\n{code}");
    }
}
