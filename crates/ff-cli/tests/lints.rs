//! Issue 12, findings 7, 8 and 10 from the command line: lints in `ff validate` (and
//! `--strict`), several files at once, a missing feature in `ff eval`/`ff explain`, the
//! clock reading of schedule conditions in `ff explain`, `ff diff --envelope` and rule
//! edits, and the byte order mark the reference refuses.

mod common;

use common::{ff, scratch, write};

/// The reference accepts this document (checked with the oracle) and ignores every typo.
const TYPOS: &str = r#"{
  "new checkout flow": {"default": false, "defualt": true,
    "rules": {"r": {"when_macth": false, "when_match": true, "conditions": [{"action": "EQUALS", "key": "tier", "value": "gold", "valeu": 1}]}}},
  "level": {"boolean_type": false, "default": 1, "default": 2}
}"#;

#[test]
fn validate_warns_on_typos_and_repeated_keys_and_fails_only_with_strict() {
    let dir = scratch("lints-typos");
    let path = write(&dir, "flags.json", TYPOS);
    let run = ff(&["validate", &path]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout.trim_end(), format!("{path}: valid: 2 features, 1 rule, 1 condition, 4 warnings; version {}", version(TYPOS)));
    let warnings: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(warnings.len(), 4, "{run:?}");
    assert!(warnings[0].starts_with(&format!("{path}:2:43: /new checkout flow/defualt: warning: unknown key `defualt` in feature `new checkout flow`: did you mean `default`?")), "{}", warnings[0]);
    assert!(warnings[1].starts_with(&format!("{path}:3:21: /new checkout flow/rules/r/when_macth: warning: unknown key `when_macth` in rule `r`: did you mean `when_match`?")), "{}", warnings[1]);
    assert!(warnings[2].contains("/conditions/0/valeu: warning: unknown key `valeu`"), "{}", warnings[2]);
    assert!(warnings[3].starts_with(&format!("{path}:4:36: /level/default: warning: key `default` appears 2 times in one object (at 4:36, 4:50); the last one, at 4:50, is in force")), "{}", warnings[3]);
    let strict = ff(&["validate", "--strict", &path]);
    assert_eq!(strict.code, 1, "{strict:?}");
    assert_eq!(strict.stderr, run.stderr);
}

#[test]
fn validate_checks_every_file_and_fails_if_any_does() {
    let dir = scratch("lints-several");
    let good = write(&dir, "good.json", r#"{"a": {"default": true}}"#);
    let bad = write(&dir, "bad.json", r#"{"a": {"default": 1}}"#);
    let typo = write(&dir, "typo.json", r#"{"a": {"default": true, "Rules": {}}}"#);
    let run = ff(&["validate", &good, &bad, &typo]);
    assert_eq!(run.code, 1, "{run:?}");
    let out: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        out,
        [
            format!("{good}: valid: 1 feature, 0 rules, 0 conditions; version a13df2ee9e2f"),
            format!("{typo}: valid: 1 feature, 0 rules, 0 conditions, 1 warning; version {}", version(r#"{"a": {"default": true, "Rules": {}}}"#))
        ]
    );
    assert!(run.stderr.contains(&format!("{bad}:1:8: /a/default: expected a boolean `default`")), "{run:?}");
    assert!(run.stderr.contains(&format!("{bad}: invalid: 1 problem")), "{run:?}");
    assert!(run.stderr.contains(&format!("{typo}:1:25: /a/Rules: warning: unknown key `Rules`")), "{run:?}");
    // All valid, warnings only: 0, or 1 with --strict. An unreadable file: 2, the others still checked.
    assert_eq!(ff(&["validate", &good, &typo]).code, 0);
    assert_eq!(ff(&["validate", &good, &typo, "--strict"]).code, 1);
    let missing = dir.join("missing.json").display().to_string();
    let run = ff(&["validate", &missing, &good]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(run.stdout.trim_end(), format!("{good}: valid: 1 feature, 0 rules, 0 conditions; version a13df2ee9e2f"));
}

#[test]
fn eval_and_explain_of_a_missing_feature_print_the_default_and_the_nearest_names() {
    let dir = scratch("lints-missing");
    let path = write(&dir, "flags.json", TYPOS);
    let run = ff(&["eval", &path, "new_checkout_flow"]);
    assert_eq!((run.code, run.stdout.trim_end()), (0, "false"), "{run:?}");
    assert_eq!(
        run.stderr.trim_end(),
        "ff: warning: feature \"new_checkout_flow\" is not in the document: printing the default (--default), \
         as the reference returns the caller's default; did you mean \"new checkout flow\"?"
    );
    let run = ff(&["eval", &path, "unrelated", "--default", "7"]);
    assert_eq!(run.stdout.trim_end(), "7");
    assert!(run.stderr.ends_with("the caller's default\n"), "{run:?}");
    let run = ff(&["explain", &path, "new_checkout_flow"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("\n  did you mean \"new checkout flow\"?"), "{run:?}");
    assert!(run.stderr.contains("did you mean \"new checkout flow\"?"), "{run:?}");
}

#[test]
fn explain_says_what_instant_and_local_time_a_schedule_compared() {
    let dir = scratch("lints-explain");
    let path = write(
        &dir,
        "flags.json",
        r#"{"sale": {"default": false, "rules": {"weekend in Tokyo": {"when_match": true, "conditions": [
            {"action": "SCHEDULE_BETWEEN_DAYS_OF_WEEK", "key": "CURRENT_DAY_OF_WEEK", "value": {"DAYS": ["SATURDAY", "SUNDAY"], "TIMEZONE": "Asia/Tokyo"}},
            {"action": "SCHEDULE_BETWEEN_TIME_RANGE", "key": "CURRENT_TIME", "value": {"START": "09:00", "END": "17:00", "TIMEZONE": "Asia/Tokyo"}}]}}}}"#,
    );
    // Friday 20:30 UTC is Saturday 05:30 in Tokyo: the day matches, the time does not.
    let run = ff(&["explain", &path, "sale", "--now", "2022-11-18T20:30:00Z"]);
    assert_eq!(run.code, 0, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[3], "        compared at 2022-11-18T20:30:00Z: Saturday 2022-11-19 05:30:00 in Asia/Tokyo", "{}", run.stdout);
    assert!(lines[4].ends_with("-> did not match"), "{}", run.stdout);
    assert_eq!(lines[5], "        compared at 2022-11-18T20:30:00Z: Saturday 2022-11-19 05:30:00 in Asia/Tokyo", "{}", run.stdout);
}

#[test]
fn diff_reads_enveloped_documents_and_names_rule_edits() {
    let dir = scratch("lints-diff");
    let rollout = |end: u32| {
        format!(
            r#"{{"log_level": "INFO", "features": {{"checkout": {{"default": false, "rules": {{"rollout": {{"when_match": true,
                "conditions": [{{"action": "MODULO_RANGE", "key": "user_id", "value": {{"BASE": 100, "START": 0, "END": {end}}}}}]}}}}}}}}}}"#
        )
    };
    let old = write(&dir, "old.json", rollout(9));
    let new = write(&dir, "new.json", rollout(19));
    // Without the envelope, `log_level` is not a feature: the document is invalid.
    assert_eq!(ff(&["diff", &old, &new]).code, 1);
    let run = ff(&["diff", &old, &new, "--envelope", "features"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout.lines().next().unwrap(),
        r#"~ feature `checkout`: rule "rollout": condition 1 (MODULO_RANGE on user_id) value {"BASE":100,"START":0,"END":9} -> {"BASE":100,"START":0,"END":19}"#
    );
    assert_eq!(ff(&["diff", &old, &new, "--envelope", "features", "--strict"]).code, 1);
    // The guide's CI recipe on examples/lambda's enveloped document.
    let lambda = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/lambda/flags.json");
    let run = ff(&["diff", lambda, lambda, "--envelope", "features", "--strict"]);
    assert_eq!(run.code, 0, "{run:?}");
}

/// The reference's AppConfig store cannot parse a document that starts with a byte order
/// mark (Python's json.loads raises), so ff refuses it too, saying why.
#[test]
fn a_byte_order_mark_is_refused_with_the_reason() {
    let dir = scratch("lints-bom");
    let path = write(&dir, "flags.json", b"\xef\xbb\xbf{\"a\": {\"default\": true}}");
    let run = ff(&["validate", &path]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.starts_with(&format!("{path}:1:1: invalid JSON: the text starts with a UTF-8 byte order mark (U+FEFF), which the reference refuses")),
        "{run:?}"
    );
}

/// The version `ff validate` prints for a document: its content hash.
fn version(document: &str) -> String {
    ff_runtime::document::content_version(&ff_runtime::Value::from_json(document).unwrap())
}
