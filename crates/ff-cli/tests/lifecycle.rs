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
    assert_eq!(run.stdout, format!("{path}: valid: 3 features, 0 rules, 0 conditions\n"));
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
