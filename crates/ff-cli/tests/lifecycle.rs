//! Flag lifecycle in the `ff` command: metadata warnings in `ff validate`.

mod common;

use common::{ff, scratch, write};

/// A feature with good metadata, one with bad members (lines 9 and 10), one whose
/// `x-ff` is not an object (line 13).
const WITH_METADATA: &str = r#"{
  "new_checkout": {
    "default": false,
    "x-ff": {"description": "One-page checkout", "owner": "payments", "kind": "release", "expires": "2025-06-30"}
  },
  "dark_mode": {
    "default": true,
    "x-ff": {
      "kind": "feature",
      "expires": "30/06/2025"
    }
  },
  "legacy": {"default": false, "x-ff": "remove me"}
}
"#;

#[test]
fn validate_warns_about_metadata_and_succeeds() {
    let dir = scratch("lifecycle_validate");
    let path = write(&dir, "flags.json", WITH_METADATA);
    let run = ff(&["validate", &path]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, format!("{path}: valid: 3 features, 0 rules, 0 conditions, 3 warnings; version {}\n", version(WITH_METADATA)));
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines,
        [
            format!("{path}:9:7: /dark_mode/x-ff/kind: warning: expected `kind` to be one of release, experiment, ops, permission, found \"feature\""),
            format!("{path}:10:7: /dark_mode/x-ff/expires: warning: `expires`: expected a date as YYYY-MM-DD (e.g. 2025-06-30), found \"30/06/2025\""),
            format!("{path}:13:32: /legacy/x-ff: warning: expected `x-ff` to be an object of description, owner, kind and expires, found string \"remove me\""),
        ]
    );
}

#[test]
fn validate_locates_metadata_warnings_through_an_envelope() {
    let dir = scratch("lifecycle_validate_envelope");
    let text = format!("{{\"log\": 1,\n \"features\": {WITH_METADATA}}}");
    let path = write(&dir, "config.json", &text);
    let run = ff(&["validate", &path, "--envelope", "features"]);
    assert_eq!(run.code, 0, "{run:?}");
    let first = run.stderr.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        format!("{path}:10:7: /features/dark_mode/x-ff/kind: warning: expected `kind` to be one of release, experiment, ops, permission, found \"feature\"")
    );
}

/// One feature of each sort `ff stale` lists, and one that stays.
const STALE: &str = r#"{
  "new_checkout": {
    "default": false,
    "x-ff": {"owner": "team-payments", "kind": "release", "expires": "2025-06-30"},
    "rules": {"gold": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "tier", "value": "gold"}]}}
  },
  "always_on": {"default": true},
  "discount": {
    "boolean_type": false,
    "default": 10,
    "rules": {"gold": {"when_match": 10.0, "conditions": [{"action": "EQUALS", "key": "tier", "value": "gold"}]}}
  },
  "premium": {
    "default": false,
    "rules": {
      "gold": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "tier", "value": "gold"}]},
      "gold in Europe": {"when_match": false, "conditions": [
        {"action": "EQUALS", "key": "region", "value": "eu"},
        {"action": "EQUALS", "key": "tier", "value": "gold"}
      ]},
      "silver": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "tier", "value": "silver"}]}
    }
  }
}
"#;

#[test]
fn stale_lists_expired_constant_and_unreachable_and_exits_1() {
    let dir = scratch("lifecycle_stale");
    let path = write(&dir, "flags.json", STALE);
    let run = ff(&["stale", &path, "--today", "2025-07-01"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stderr, "");
    let expected = [
        format!("{path}: \"new_checkout\": expired on 2025-06-30 (owner: team-payments)"),
        format!("{path}: \"always_on\": constant: no rules, always true"),
        format!("{path}: \"discount\": constant: every rule gives the default, always 10"),
        format!("{path}: \"premium\": unreachable rule \"gold in Europe\": it has every condition of the earlier rule \"gold\", which matches first"),
        format!("{path}: 4 findings in 4 of 4 features on 2025-07-01"),
    ];
    assert_eq!(run.stdout.lines().collect::<Vec<_>>(), expected);
    // The day before the expiry date, the feature stays.
    let run = ff(&["stale", &path, "--today", "2025-06-29"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(!run.stdout.contains("new_checkout"), "{run:?}");
}

#[test]
fn stale_exits_0_when_nothing_can_go() {
    let dir = scratch("lifecycle_stale_clean");
    let text = r#"{"f": {"default": false, "x-ff": {"expires": "2030-01-01"},
        "rules": {"r": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "k", "value": 1}]}}}}"#;
    let path = write(&dir, "flags.json", text);
    let run = ff(&["stale", &path, "--today", "2029-12-31"]);
    assert_eq!(run.line(), format!("{path}: nothing stale on 2029-12-31 (1 feature, 1 rule, 1 condition)"));
}

#[test]
fn stale_takes_today_from_source_date_epoch() {
    let dir = scratch("lifecycle_stale_epoch");
    let path = write(&dir, "flags.json", r#"{"f": {"default": false, "x-ff": {"expires": "2025-06-30"}, "rules": {"r": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "k", "value": 1}]}}}}"#);
    // 2025-06-30T00:00:00Z and one second before.
    let run = common::ff_env(&["stale", &path], &[("SOURCE_DATE_EPOCH", "1751241600")]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.ends_with("1 finding in 1 of 1 feature on 2025-06-30\n"), "{run:?}");
    let run = common::ff_env(&["stale", &path], &[("SOURCE_DATE_EPOCH", "1751241599")]);
    assert_eq!(run.code, 0, "{run:?}");
    let run = common::ff_env(&["stale", &path], &[("SOURCE_DATE_EPOCH", "soon")]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(run.stderr, "ff: SOURCE_DATE_EPOCH: expected seconds since the Unix epoch, found \"soon\"\n");
}

#[test]
fn stale_reads_through_an_envelope_and_refuses_a_bad_date() {
    let dir = scratch("lifecycle_stale_envelope");
    let path = write(&dir, "config.json", format!("{{\"features\": {STALE}}}"));
    let run = ff(&["stale", &path, "--envelope", "features", "--today", "2025-01-01"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stdout.lines().count(), 4, "{run:?}");
    let run = ff(&["stale", &path, "--today", "2025-02-30"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(run.stderr, "ff: --today: expected a date that exists, found \"2025-02-30\"\n");
    let bad = write(&dir, "bad.json", r#"{"f": {"default": 1}}"#);
    let run = ff(&["stale", &bad, "--today", "2025-01-01"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("/f/default: expected a boolean"), "{run:?}");
}

/// The version `ff validate` prints for a document: its content hash.
fn version(document: &str) -> String {
    ff_runtime::document::content_version(&ff_runtime::Value::from_json(document).unwrap())
}
