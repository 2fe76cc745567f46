//! Hostile documents and contexts: deep nesting, a 100 MB input, 100,000 features, very long
//! keys and strings, huge lists. Each gets a clear error, or is handled in time and memory
//! proportional to its size. Inputs are generated in memory; the tests assert behaviour,
//! not timings.

use std::time::Duration;

use ff_runtime::json::{DEFAULT_MAX_DOCUMENT_BYTES, MAX_NESTING};
use ff_runtime::{Document, FeatureFlags, FileStore, FixedClock, MemoryStore, Value};
use futures_executor::block_on;

fn clock() -> FixedClock {
    FixedClock("2024-05-06T12:00:00Z".parse().unwrap())
}

fn eval(doc: &Document, name: &str, ctx: &Value) -> Value {
    doc.evaluate(name, ctx, &clock()).expect("the feature exists").clone()
}

fn ctx(pairs: &[(&str, Value)]) -> Value {
    Value::from(pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect::<ff_runtime::Map>())
}

/// A non-boolean feature `f` whose single rule compares key `k` with `value` by `action`.
fn one_rule(action: &str, value: &str) -> String {
    format!(
        r#"{{"f": {{"boolean_type": false, "default": "no", "rules": {{"r": {{"when_match": "yes",
            "conditions": [{{"action": "{action}", "key": "k", "value": {value}}}]}}}}}}}}"#
    )
}

// ---------------------------------------------------------------------------------------
// Nesting

/// Found by this test: the parser's own limit was 512 levels, and a document 500 levels deep
/// (accepted) overflowed the 2 MiB stack of a spawned thread in a debug build, aborting
/// the process. ff now refuses nesting beyond 128 levels before parsing.
#[test]
fn nesting_beyond_the_limit_is_an_error_not_a_stack_overflow() {
    assert_eq!(MAX_NESTING, 128);
    for depth in [129, 500, 10_000, 1_000_000] {
        for (open, close) in [("[", "]"), (r#"{"a":"#, "}")] {
            let text = format!("{}1{}", open.repeat(depth), close.repeat(depth));
            let err = Document::parse(&text).unwrap_err();
            let parse = err.parse.as_ref().expect("a JSON error");
            assert_eq!(parse.message, "arrays and objects nested deeper than 128 levels", "depth {depth}");
            assert!(Value::from_json(&text).is_err());
            // Inside a condition value too.
            let text = one_rule("EQUALS", &format!("{}1{}", open.repeat(depth), close.repeat(depth)));
            assert!(Document::parse(&text).unwrap_err().parse.is_some(), "depth {depth}");
        }
    }
}

#[test]
fn nesting_within_the_limit_is_evaluated() {
    // The document's own six levels (down to the condition) plus 122 in the value.
    let deep = |leaf: &str| format!("{}{leaf}{}", "[".repeat(122), "]".repeat(122));
    assert!(Document::parse(&one_rule("EQUALS", &format!("[{}]", deep("1")))).is_err());
    let doc = Document::parse(&one_rule("EQUALS", &deep("\"x\""))).unwrap();
    let same = Value::from_json(&deep("\"x\"")).unwrap();
    let other = Value::from_json(&deep("\"y\"")).unwrap();
    assert_eq!(eval(&doc, "f", &ctx(&[("k", same.clone())])), Value::from("yes"));
    assert_eq!(eval(&doc, "f", &ctx(&[("k", other.clone())])), Value::from("no"));
    let doc = Document::parse(&one_rule("KEY_GREATER_THAN_VALUE", &deep("1"))).unwrap();
    assert_eq!(eval(&doc, "f", &ctx(&[("k", Value::from_json(&deep("2")).unwrap())])), Value::from("yes"));
    // A type mismatch deep inside (list vs string at the bottom) does not match.
    assert_eq!(eval(&doc, "f", &ctx(&[("k", same)])), Value::from("no"));
    let doc = Document::parse(&one_rule("VALUE_IN_KEY", &deep("\"y\""))).unwrap();
    assert_eq!(eval(&doc, "f", &ctx(&[("k", Value::Array(vec![other]))])), Value::from("yes"));
}

// ---------------------------------------------------------------------------------------
// Size

/// A valid document of at least `bytes` bytes: one feature with a long string default.
fn padded_document(bytes: usize) -> String {
    format!(r#"{{"f": {{"boolean_type": false, "default": "{}"}}}}"#, "x".repeat(bytes))
}

#[test]
fn a_100_mb_document_is_refused_before_parsing() {
    assert_eq!(DEFAULT_MAX_DOCUMENT_BYTES, 16 * 1024 * 1024);
    let text = padded_document(100 << 20);
    let expected = format!("the document is {} bytes, more than the limit of 16777216 bytes", text.len());
    let err = Document::parse(&text).unwrap_err();
    assert_eq!(err.parse.as_ref().unwrap().message, expected);
    assert_eq!(err.lines(), [format!("1:1: invalid JSON: {expected}")]);
    assert_eq!(Value::from_json(&text).unwrap_err().message, expected);
    assert_eq!(MemoryStore::from_json(&text).unwrap_err().message, expected);
    // Anything over the limit, JSON or not, is refused unread.
    let junk = "{".repeat(DEFAULT_MAX_DOCUMENT_BYTES + 1);
    assert!(Document::parse(&junk).unwrap_err().parse.unwrap().message.starts_with("the document is 16777217 bytes"));
}

#[test]
fn the_limit_is_configurable() {
    let text = padded_document(17 << 20);
    assert!(Document::parse(&text).is_err());
    let doc = Document::parse_with_limit(&text, 32 << 20).unwrap();
    assert_eq!(doc.feature("f").unwrap().default.as_str().unwrap().len(), 17 << 20);
    let small = padded_document(10);
    assert!(Document::parse_with_limit(&small, small.len()).is_ok());
    assert!(Document::parse_with_limit(&small, small.len() - 1).unwrap_err().parse.is_some());
}

#[test]
fn a_100_mb_file_keeps_the_last_good_document_in_force() {
    let dir = std::env::temp_dir().join(format!("ff-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("flags.json");
    std::fs::write(&path, r#"{"on": {"default": true}}"#).unwrap();
    let flags = FeatureFlags::builder(FileStore::new(&path)).max_age(Duration::ZERO).refresh(ff_runtime::Refresh::Blocking).build();
    assert_eq!(block_on(flags.evaluate("on", &(), false)).unwrap(), Value::Bool(true));
    // A sparse 100 MB file: refused from its size, nothing is read.
    std::fs::File::create(&path).unwrap().set_len(100 << 20).unwrap();
    assert_eq!(block_on(flags.evaluate("on", &(), false)).unwrap(), Value::Bool(true));
    let error = flags.status().last_error.unwrap();
    assert!(error.contains("the document is 104857600 bytes, more than the limit of 16777216 bytes"), "{error}");
    std::fs::remove_dir_all(&dir).ok();
}

/// Found by this test: reading an integer literal takes time quadratic in its digits (3.4 s
/// for 1.6 million in a release build, minutes for 16 MiB). Python, and so the reference,
/// refuses more than 4300 digits; so does ff now.
#[test]
fn integers_beyond_4300_digits_are_refused() {
    assert_eq!(ff_runtime::json::MAX_INTEGER_DIGITS, 4300);
    let huge = "9".repeat(10_000_000);
    let err = Document::parse(&one_rule("EQUALS", &huge)).unwrap_err();
    assert_eq!(err.parse.unwrap().message, "an integer of 10000000 digits, more than 4300");
    // 4300 digits are read and compute exactly: 10^4299 % 7 == 10^(4299 % 6) % 7 == 10^3 % 7 == 6.
    let base = format!("1{}", "0".repeat(4299));
    let doc = Document::parse(&one_rule("MODULO_RANGE", r#"{"BASE": 7, "START": 6, "END": 6}"#)).unwrap();
    assert_eq!(eval(&doc, "f", &ctx(&[("k", Value::from_json(&base).unwrap())])), Value::from("yes"));
    let doc = Document::parse(&one_rule("MODULO_RANGE", &format!(r#"{{"BASE": {base}, "START": 0, "END": 5}}"#))).unwrap();
    assert_eq!(eval(&doc, "f", &ctx(&[("k", Value::from(5))])), Value::from("yes"));
    assert_eq!(eval(&doc, "f", &ctx(&[("k", Value::from(-1))])), Value::from("no"));
}

// ---------------------------------------------------------------------------------------
// Many features

#[test]
fn a_document_with_100_000_features() {
    const N: usize = 100_000;
    let mut text = String::from("{");
    for i in 0..N {
        if i > 0 {
            text.push(',');
        }
        // Every tenth feature has a rule on the user id's last digit.
        if i % 10 == 0 {
            text.push_str(&format!(
                r#""f{i}":{{"default":false,"rules":{{"r":{{"when_match":true,"conditions":[{{"action":"MODULO_RANGE","key":"id","value":{{"BASE":10,"START":{d},"END":{d}}}}}]}}}}}}"#,
                d = (i / 10) % 10
            ));
        } else {
            text.push_str(&format!(r#""f{i}":{{"default":{}}}"#, i % 2 == 0));
        }
    }
    text.push('}');
    let doc = Document::parse(&text).unwrap();
    assert_eq!(doc.len(), N);
    assert_eq!(doc.features()[N - 1].name, format!("f{}", N - 1));
    let user = ctx(&[("id", Value::from(1234))]);
    assert_eq!(eval(&doc, "f40", &user), Value::Bool(true)); // 40 / 10 % 10 == 4 == 1234 % 10
    assert_eq!(eval(&doc, "f50", &user), Value::Bool(false));
    assert_eq!(eval(&doc, "f99998", &user), Value::Bool(true));
    assert_eq!(eval(&doc, "f99999", &user), Value::Bool(false));
    // Defaults on: the 40,000 even features without rules; rules on: a tenth of the others.
    assert_eq!(doc.enabled_features(&user, &clock()).len(), 40_000 + 1_000);
}

/// Found by this test: locating each problem walked the text from its start and the root
/// object's members one by one, so locating 100,000 problems took quadratic time (minutes);
/// the locator now indexes lines, characters and large objects.
#[test]
fn a_document_with_30_000_problems_reports_them_all() {
    const N: usize = 30_000;
    let mut text = String::from("{");
    for i in 0..N {
        if i > 0 {
            text.push_str(if i % 100 == 0 { ",\n" } else { "," });
        }
        text.push_str(&format!(r#""f{i}":{{"default":"{i}"}}"#));
    }
    text.push('}');
    let err = Document::parse(&text).unwrap_err();
    assert_eq!(err.problems.len(), N);
    let last = err.problems.last().unwrap();
    assert_eq!(last.pointer, format!("/f{}/default", N - 1));
    let location = last.location.expect("located");
    assert_eq!(location.line, N / 100);
    assert!(err.problems.iter().all(|p| p.location.is_some()));
    // The same through FeatureFlags (no locations: the store hands over a value).
    let flags = FeatureFlags::new(MemoryStore::from_json(&text).unwrap());
    assert!(block_on(flags.evaluate("f1", &(), false)).is_err());
}

// ---------------------------------------------------------------------------------------
// Long keys and strings

#[test]
fn very_long_keys_and_strings() {
    let long = "k".repeat(4 << 20);
    let name = "n".repeat(1 << 20);
    let text = format!(
        r#"{{"{name}": {{"boolean_type": false, "default": "no", "rules": {{"{name}": {{"when_match": "{long}",
            "conditions": [{{"action": "STARTSWITH", "key": "{long}", "value": "{long}"}}]}}}}}}}}"#
    );
    let doc = Document::parse(&text).unwrap();
    let mut hit = long.clone();
    hit.push('!');
    assert_eq!(eval(&doc, &name, &ctx(&[(long.as_str(), Value::from(hit))])), Value::from(long.clone()));
    assert_eq!(eval(&doc, &name, &ctx(&[(long.as_str(), Value::from("k"))])), Value::from("no"));
    assert_eq!(eval(&doc, &name, &ctx(&[("k", Value::from(long.clone()))])), Value::from("no"));
    // In an error, a long value is described briefly; a long name is named in full once.
    let bad = format!(r#"{{"{name}": {{"default": "{long}"}}}}"#);
    let err = Document::parse(&bad).unwrap_err();
    assert_eq!(err.problems.len(), 1);
    assert!(err.problems[0].message.len() < name.len() + 300, "{} bytes", err.problems[0].message.len());
}

// ---------------------------------------------------------------------------------------
// Huge lists

/// [`one_rule`] with `value` put in place (built in code: parsing a huge list as text in a
/// debug build is what would take the time here, and the size tests cover parsing).
fn one_rule_with(action: &str, value: Value) -> Document {
    let mut doc = Value::from_json(&one_rule(action, "0")).unwrap();
    let Value::Object(features) = &mut doc else { unreachable!() };
    let condition = features["f"].as_object().unwrap()["rules"].as_object().unwrap()["r"].as_object().unwrap()
        ["conditions"]
        .as_array()
        .unwrap()[0]
        .clone();
    let mut condition = condition.as_object().unwrap().clone();
    condition.insert("value".to_owned(), value);
    let mut rule = ff_runtime::Map::new();
    rule.insert("when_match".to_owned(), Value::from("yes"));
    rule.insert("conditions".to_owned(), Value::Array(vec![Value::from(condition)]));
    let mut rules = ff_runtime::Map::new();
    rules.insert("r".to_owned(), Value::from(rule));
    let Value::Object(feature) = &mut features["f"] else { unreachable!() };
    feature.insert("rules".to_owned(), Value::from(rules));
    Document::from_value(&doc).unwrap()
}

#[test]
fn huge_lists_in_membership_conditions() {
    const N: usize = 250_000;
    let users = Value::Array((0..N).map(|i| Value::from(format!("user-{i}"))).collect());
    let doc = one_rule_with("KEY_IN_VALUE", users.clone());
    assert_eq!(eval(&doc, "f", &ctx(&[("k", Value::from("user-249999"))])), Value::from("yes"));
    assert_eq!(eval(&doc, "f", &ctx(&[("k", Value::from("user-250000"))])), Value::from("no"));
    assert_eq!(eval(&doc, "f", &ctx(&[("k", Value::from(5))])), Value::from("no"));
    let doc = one_rule_with("NOT_IN", users.clone());
    assert_eq!(eval(&doc, "f", &ctx(&[("k", Value::from("user-0"))])), Value::from("no"));
    assert_eq!(eval(&doc, "f", &ctx(&[("k", Value::from("admin"))])), Value::from("yes"));
    // Numbers compare by Python equality: 249999 == 249999.0.
    let numbers = Value::Array((0..N as i64).map(Value::from).collect());
    let doc = one_rule_with("IN", numbers);
    assert_eq!(eval(&doc, "f", &ctx(&[("k", Value::from(249_999.0))])), Value::from("yes"));
    assert_eq!(eval(&doc, "f", &ctx(&[("k", Value::from(-1))])), Value::from("no"));
    // A huge context list against a small condition value.
    let doc = Document::parse(&one_rule("VALUE_IN_KEY", "\"user-777\"")).unwrap();
    assert_eq!(eval(&doc, "f", &ctx(&[("k", users.clone())])), Value::from("yes"));
    let doc = Document::parse(&one_rule("ANY_IN_VALUE", r#"["nobody", "user-3"]"#)).unwrap();
    assert_eq!(eval(&doc, "f", &ctx(&[("k", users)])), Value::from("yes"));
    // And one huge list parsed from text, to the end.
    let list = format!("[{}]", (0..100_000).map(|i| format!("\"u{i}\"")).collect::<Vec<_>>().join(","));
    let doc = Document::parse(&one_rule("KEY_IN_VALUE", &list)).unwrap();
    assert_eq!(eval(&doc, "f", &ctx(&[("k", Value::from("u99999"))])), Value::from("yes"));
}

#[test]
fn large_lists_on_both_sides_of_a_list_intersection() {
    // ALL_IN_VALUE compares every context element with the value list (as the reference
    // does): both sides at 2,000 elements stay well within a test's budget.
    const N: usize = 2_000;
    let list = format!("[{}]", (0..N).map(|i| format!("\"g{i}\"")).collect::<Vec<_>>().join(","));
    let doc = Document::parse(&one_rule("ALL_IN_VALUE", &list)).unwrap();
    let all = Value::from_json(&list).unwrap();
    assert_eq!(eval(&doc, "f", &ctx(&[("k", all)])), Value::from("yes"));
    let mut some = (0..N).map(|i| Value::from(format!("g{i}"))).collect::<Vec<_>>();
    some.push(Value::from("intruder"));
    assert_eq!(eval(&doc, "f", &ctx(&[("k", Value::Array(some))])), Value::from("no"));
}
