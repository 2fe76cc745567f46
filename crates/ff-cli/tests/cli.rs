//! The `ff` command's behaviour: output formats, exit codes, every kind of bad input.

mod common;

use common::{ff, ff_stdin, scratch, write};
use ff_runtime::Value;

const FLAGS: &str = r#"{
  "premium": {
    "default": false,
    "rules": {
      "gold tier": {
        "when_match": true,
        "conditions": [
          {"action": "EQUALS", "key": "tier", "value": "gold"},
          {"action": "KEY_GREATER_THAN_VALUE", "key": "basket", "value": 100}
        ]
      },
      "staff": {"when_match": true, "conditions": [{"action": "ENDSWITH", "key": "email", "value": "@shop.example"}]}
    }
  },
  "discount": {
    "boolean_type": false,
    "default": 12345678901234567890123,
    "rules": {
      "vip": {"when_match": 1.0, "conditions": [{"action": "IN", "key": "tier", "value": ["gold", "platinum"]}]}
    }
  },
  "campaign": {
    "default": false,
    "rules": {
      "christmas": {
        "when_match": true,
        "conditions": [{
          "action": "SCHEDULE_BETWEEN_DATETIME_RANGE",
          "key": "CURRENT_DATETIME",
          "value": {"START": "2022-12-24T10:00:00", "END": "2022-12-24T11:00:00", "TIMEZONE": "Europe/Paris"}
        }]
      }
    }
  },
  "always": {"default": true}
}
"#;

/// Three problems at known places: a string default (line 3), an unknown action
/// (line 6), an empty feature (line 9).
const BAD: &str = r#"{
  "premium": {
    "default": "yes",
    "rules": {
      "gold": {"when_match": true, "conditions": [
        {"action": "EQUALZ", "key": "tier", "value": "gold"}
      ]}
    }},
  "empty": {}
}
"#;

/// The version `ff validate` prints for a document: its content hash.
fn version(document: &str) -> String {
    ff_runtime::document::content_version(&ff_runtime::Value::from_json(document).unwrap())
}

fn flags(dir: &std::path::Path) -> String {
    write(dir, "flags.json", FLAGS)
}

fn assert_input_error(run: &common::Run, starts: &str) {
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stdout.is_empty(), "{run:?}");
    assert_eq!(run.stderr.lines().count(), 1, "one line: {run:?}");
    assert!(
        run.stderr.starts_with(starts),
        "expected {starts:?}: {run:?}"
    );
    assert!(!run.stderr.contains("panicked"), "{run:?}");
}

#[test]
fn validate_prints_a_summary() {
    let dir = scratch("validate_summary");
    let path = flags(&dir);
    assert_eq!(
        ff(&["validate", &path]).line(),
        format!("{path}: valid: 4 features, 4 rules, 5 conditions; version {}", version(FLAGS))
    );
    // Issue 13: the version is the SHA-256 of the compact JSON text, `{"a":{"default":true}}`
    // (checked with sha256sum), whatever the layout.
    let one = write(&dir, "one.json", "{\"a\":  {\n \"default\": true}}");
    assert_eq!(
        ff(&["validate", &one]).line(),
        format!("{one}: valid: 1 feature, 0 rules, 0 conditions; version a13df2ee9e2f")
    );
    let empty = write(&dir, "empty.json", "{}");
    assert_eq!(
        ff(&["validate", &empty]).line(),
        format!("{empty}: valid: 0 features, 0 rules, 0 conditions; version 44136fa355b3")
    );
}

#[test]
fn validate_reports_every_problem_located() {
    let dir = scratch("validate_invalid");
    let path = write(&dir, "bad.json", BAD);
    let run = ff(&["validate", &path]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.is_empty());
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 4, "{run:?}");
    assert!(
        lines[0].starts_with(&format!("{path}:3:5: /premium/default: ")),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("found string \"yes\""), "{}", lines[0]);
    assert!(
        lines[1].starts_with(&format!(
            "{path}:6:10: /premium/rules/gold/conditions/0/action: "
        )),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains("EQUALZ"), "{}", lines[1]);
    assert!(
        lines[2].starts_with(&format!("{path}:9:3: /empty: ")),
        "{}",
        lines[2]
    );
    assert_eq!(lines[3], format!("{path}: invalid: 3 problems"));
}

#[test]
fn a_json_syntax_error_is_one_located_problem() {
    let dir = scratch("syntax");
    let path = write(&dir, "broken.json", "{\n  \"a\": {\"default\": true,}\n}\n");
    let run = ff(&["validate", &path]);
    assert_eq!(run.code, 1, "{run:?}");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{run:?}");
    assert!(
        lines[0].starts_with(&format!("{path}:2:")) && lines[0].contains(": invalid JSON: "),
        "{}",
        lines[0]
    );
    assert_eq!(lines[1], format!("{path}: invalid: 1 problem"));

    for (name, text) in [
        ("empty.json", ""),
        ("space.json", " \n "),
        ("null.json", "null"),
        ("list.json", "[]"),
    ] {
        let path = write(&dir, name, text);
        let run = ff(&["validate", &path]);
        assert_eq!(run.code, 1, "{name}: {run:?}");
        let located = run
            .stderr
            .strip_prefix(&format!("{path}:"))
            .and_then(|rest| rest.split_once(':'));
        assert!(
            located.is_some_and(|(line, _)| line.parse::<usize>().is_ok()),
            "{name}: {run:?}"
        );
    }
}

#[test]
fn evaluating_an_invalid_document_exits_1_with_the_problems() {
    let dir = scratch("eval_invalid");
    let path = write(&dir, "bad.json", BAD);
    for args in [
        vec!["eval", &path, "premium"],
        vec!["enabled", &path],
        vec!["explain", &path, "premium"],
    ] {
        let run = ff(&args);
        assert_eq!(run.code, 1, "{args:?}: {run:?}");
        assert!(run.stdout.is_empty(), "{args:?}: {run:?}");
        assert_eq!(run.stderr.lines().count(), 4, "{args:?}: {run:?}");
        assert!(
            run.stderr
                .starts_with(&format!("{path}:3:5: /premium/default: ")),
            "{run:?}"
        );
    }
}

#[test]
fn eval_prints_one_line_of_json() {
    let dir = scratch("eval");
    let path = flags(&dir);
    let eval = |feature: &str, context: &str| {
        ff(&["eval", &path, feature, "--context", context])
            .line()
            .to_owned()
    };
    assert_eq!(
        eval("premium", r#"{"tier": "gold", "basket": 101}"#),
        "true"
    );
    assert_eq!(
        eval("premium", r#"{"tier": "gold", "basket": 100}"#),
        "false"
    );
    assert_eq!(
        eval("premium", r#"{"tier": "gold", "basket": "101"}"#),
        "false",
        "type mismatch: condition false"
    );
    assert_eq!(eval("premium", r#"{"email": "ann@shop.example"}"#), "true");
    // Non-boolean values keep their spelling: exact big integers, 1.0 stays 1.0.
    assert_eq!(eval("discount", r#"{"tier": "gold"}"#), "1.0");
    assert_eq!(eval("discount", "{}"), "12345678901234567890123");
    // No --context: the empty context.
    assert_eq!(ff(&["eval", &path, "premium"]).line(), "false");
    assert_eq!(ff(&["eval", &path, "always"]).line(), "true");
}

#[test]
fn unknown_features_give_the_default() {
    let dir = scratch("default");
    let path = flags(&dir);
    assert_eq!(ff(&["eval", &path, "nope"]).line(), "false");
    assert_eq!(
        ff(&["eval", &path, "Premium", "--default", "true"]).line(),
        "true",
        "names are case-sensitive"
    );
    for (given, printed) in [
        ("0", "0"),
        ("-1", "-1"),
        ("1.0", "1.0"),
        ("1E5", "100000.0"),
        (
            "123456789012345678901234567890123",
            "123456789012345678901234567890123",
        ),
        (
            r#" {"b": [1, 2.5, null], "a": "x"} "#,
            r#"{"b":[1,2.5,null],"a":"x"}"#,
        ),
        (r#""blue""#, r#""blue""#),
        ("null", "null"),
    ] {
        assert_eq!(
            ff(&["eval", &path, "nope", "--default", given]).line(),
            printed,
            "--default {given}"
        );
    }
    // The caller's default never replaces the feature's own.
    assert_eq!(
        ff(&["eval", &path, "discount", "--default", "7"]).line(),
        "12345678901234567890123"
    );
    let default_file = write(&dir, "default.json", "[\"from\", \"file\"]");
    assert_eq!(
        ff(&[
            "eval",
            &path,
            "nope",
            "--default",
            &format!("@{default_file}")
        ])
        .line(),
        r#"["from","file"]"#
    );
}

#[test]
fn enabled_prints_a_compact_array_in_document_order() {
    let dir = scratch("enabled");
    let path = flags(&dir);
    assert_eq!(ff(&["enabled", &path]).line(), r#"["discount","always"]"#);
    assert_eq!(
        ff(&[
            "enabled",
            &path,
            "--context",
            r#"{"tier": "gold", "basket": 500}"#
        ])
        .line(),
        r#"["premium","discount","always"]"#
    );
    let zero = write(
        &dir,
        "zero.json",
        r#"{"z": {"boolean_type": false, "default": 0}, "e": {"boolean_type": false, "default": ""}, "on": {"default": true}}"#,
    );
    assert_eq!(ff(&["enabled", &zero]).line(), r#"["on"]"#);
    // The reference crashes here (falsy default, rules []); ff treats the rules as absent.
    let crash = write(
        &dir,
        "crash.json",
        r#"{"a": {"default": false, "rules": []}, "b": {"default": true}}"#,
    );
    assert_eq!(ff(&["enabled", &crash]).line(), r#"["b"]"#);
    let none = write(&dir, "none.json", "{}");
    assert_eq!(ff(&["enabled", &none]).line(), "[]");
}

#[test]
fn explain_gives_a_readable_account() {
    let dir = scratch("explain");
    let path = flags(&dir);
    let run = ff(&[
        "explain",
        &path,
        "premium",
        "--context",
        r#"{"tier": "gold", "basket": 5, "email": "x@shop.example"}"#,
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let text = &run.stdout;
    assert!(
        text.starts_with("feature \"premium\" (boolean) = true (reason TARGETING_MATCH)\n"),
        "{text}"
    );
    assert!(text.contains("rule \"gold tier\": no match"), "{text}");
    assert!(
        text.contains("[1] KEY_GREATER_THAN_VALUE \"basket\" 100 -> did not match"),
        "{text}"
    );
    assert!(text.contains("rule \"staff\": MATCHED"), "{text}");
    assert!(
        !text.contains("x@shop.example"),
        "context values are not printed: {text}"
    );

    let run = ff(&["explain", &path, "premium"]);
    assert!(
        run.stdout.contains("key missing from the context"),
        "{run:?}"
    );

    let run = ff(&["explain", &path, "Premium"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("\"Premium\" is not in the document"),
        "{run:?}"
    );
    assert!(
        run.stdout.contains("the document has \"premium\""),
        "{run:?}"
    );
}

#[test]
fn context_from_argument_file_stdin_or_null() {
    let dir = scratch("context");
    let path = flags(&dir);
    let gold = r#"{"tier": "gold", "basket": 101}"#;
    let file = write(&dir, "ctx.json", gold);
    assert_eq!(
        ff(&["eval", &path, "premium", "--context", &format!("@{file}")]).line(),
        "true"
    );
    assert_eq!(
        ff_stdin(
            &["eval", &path, "premium", "--context", "-"],
            gold.as_bytes()
        )
        .line(),
        "true"
    );
    assert_eq!(
        ff(&["eval", &path, "premium", "--context", "null"]).line(),
        "false"
    );
    assert_eq!(
        ff(&["enabled", &path, "--context", "null"]).line(),
        r#"["discount","always"]"#
    );
    // Keys are literal: no path traversal.
    assert_eq!(
        ff(&[
            "eval",
            &path,
            "discount",
            "--context",
            r#"{"user": {"tier": "gold"}}"#
        ])
        .line(),
        "12345678901234567890123"
    );
}

#[test]
fn bad_context_is_an_input_error() {
    let dir = scratch("bad_context");
    let path = flags(&dir);
    for bad in [
        "tier=gold",
        "{",
        "",
        "{'tier': 'gold'}",
        "{\"a\": 1,}",
        "NaN",
    ] {
        assert_input_error(
            &ff(&["eval", &path, "premium", "--context", bad]),
            "ff: --context: expected a JSON object",
        );
    }
    for (bad, kind) in [
        ("[1, 2]", "an array"),
        ("1", "an integer"),
        ("\"gold\"", "a string"),
        ("true", "a boolean"),
    ] {
        let run = ff(&["enabled", &path, "--context", bad]);
        assert_input_error(
            &run,
            "ff: --context: expected a JSON object (or null for an empty context)",
        );
        assert!(
            run.stderr.contains(&format!("found {kind}")),
            "{bad}: {run:?}"
        );
    }
    let missing = dir.join("missing.json");
    let run = ff(&[
        "eval",
        &path,
        "premium",
        "--context",
        &format!("@{}", missing.display()),
    ]);
    assert_input_error(&run, "ff: --context: cannot read");
    assert!(run.stderr.contains("missing.json"), "{run:?}");
    assert_input_error(
        &ff(&["eval", &path, "premium", "--context", "@"]),
        "ff: --context: expected a file path",
    );
    let broken = write(&dir, "broken.json", "{\"tier\": }");
    let run = ff(&["eval", &path, "premium", "--context", &format!("@{broken}")]);
    assert_input_error(&run, "ff: --context: expected a JSON object");
    assert!(
        run.stderr.contains(&format!("{broken} is not JSON: 1:")),
        "{run:?}"
    );
    assert_input_error(
        &ff(&["eval", &path, "premium", "--default", "blue"]),
        "ff: --default: expected JSON",
    );
}

#[test]
fn unreadable_files_are_input_errors() {
    let dir = scratch("missing");
    let missing = dir.join("nope.json");
    let missing = missing.to_str().unwrap();
    for args in [
        vec!["validate", missing],
        vec!["eval", missing, "f"],
        vec!["enabled", missing],
        vec!["explain", missing, "f"],
    ] {
        let run = ff(&args);
        assert_input_error(&run, "ff: cannot read ");
        assert!(run.stderr.contains("nope.json: no such file"), "{run:?}");
    }
    let run = ff(&["validate", dir.to_str().unwrap()]);
    assert_input_error(&run, "ff: cannot read ");
}

#[test]
fn now_accepts_rfc3339_offsets_and_naive_utc() {
    let dir = scratch("now");
    let path = flags(&dir);
    // The campaign runs 10:00-11:00 in Paris (UTC+1 in December), i.e. 09:00-10:00 UTC.
    let at = |now: &str| {
        ff(&["eval", &path, "campaign", "--now", now])
            .line()
            .to_owned()
    };
    assert_eq!(at("2022-12-24T09:30:00Z"), "true");
    assert_eq!(at("2022-12-24T10:30:00Z"), "false");
    assert_eq!(at("2022-12-24T10:30:00+01:00"), "true");
    assert_eq!(at("2022-12-24T10:30:00.123+01:00"), "true");
    assert_eq!(
        at("2022-12-24T09:30:00"),
        "true",
        "a naive date-time is UTC"
    );
    assert_eq!(
        at("2022-12-24T10:30:00"),
        "false",
        "a naive date-time is UTC, not local"
    );
    assert_eq!(at("2022-12-24 09:30:00Z"), "true");
    assert_eq!(at("2022-12-24T10:30:00+01:00[Europe/Paris]"), "true");
    let enabled = ff(&["enabled", &path, "--now", "2022-12-24T09:30:00Z"]);
    assert_eq!(enabled.line(), r#"["discount","campaign","always"]"#);
    let explained = ff(&[
        "explain",
        &path,
        "campaign",
        "--now",
        "2022-12-24T09:30:00Z",
    ]);
    assert!(explained.stdout.contains("MATCHED"), "{explained:?}");
    // Without --now the system clock is used (the campaign is long over).
    assert_eq!(ff(&["eval", &path, "campaign"]).line(), "false");
    for bad in [
        "tomorrow",
        "",
        "2022-13-01T00:00:00Z",
        "2022-12-24T25:00:00Z",
        "12:00",
        "9999-12-31T23:59:59-05:00",
    ] {
        let run = ff(&["eval", &path, "campaign", "--now", bad]);
        assert_input_error(&run, "ff: --now: expected an RFC 3339 instant");
        assert!(run.stderr.contains(&format!("found {bad:?}")), "{run:?}");
    }
}

#[test]
fn the_document_can_come_from_stdin() {
    let dir = scratch("stdin");
    let run = ff_stdin(&["validate", "-"], FLAGS.as_bytes());
    assert_eq!(
        run.line(),
        format!("<stdin>: valid: 4 features, 4 rules, 5 conditions; version {}", version(FLAGS))
    );
    let run = ff_stdin(
        &[
            "eval",
            "-",
            "premium",
            "--context",
            r#"{"email": "a@shop.example"}"#,
        ],
        FLAGS.as_bytes(),
    );
    assert_eq!(run.line(), "true");
    assert_eq!(
        ff_stdin(&["enabled", "-"], FLAGS.as_bytes()).line(),
        r#"["discount","always"]"#
    );
    let run = ff_stdin(&["validate", "-"], BAD.as_bytes());
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.starts_with("<stdin>:3:5: /premium/default: "),
        "{run:?}"
    );
    assert!(
        run.stderr.ends_with("<stdin>: invalid: 3 problems\n"),
        "{run:?}"
    );
    // Only one input can read stdin.
    let path = flags(&dir);
    let run = ff_stdin(
        &["eval", "-", "premium", "--context", "-"],
        FLAGS.as_bytes(),
    );
    assert_input_error(&run, "ff: FILE: cannot read stdin");
    let run = ff_stdin(
        &["eval", &path, "nope", "--context", "-", "--default", "-"],
        b"{}",
    );
    assert_input_error(&run, "ff: ");
    assert!(run.stderr.contains("only one input can be `-`"), "{run:?}");
}

#[test]
fn envelopes_select_the_feature_document() {
    let dir = scratch("envelope");
    let raw = r#"{
  "log_level": "INFO",
  "features": {"on": {"default": true}, "off": {"default": false}},
  "draft": {
    "premium": {"default": "yes"},
    "on": {"default": true}
  },
  "my-app": {"flags": {"x": {"default": true}}}
}
"#;
    let path = write(&dir, "app.json", raw);
    assert_eq!(
        ff(&["eval", &path, "on", "--envelope", "features"]).line(),
        "true"
    );
    assert_eq!(
        ff(&["enabled", &path, "--envelope", "features"]).line(),
        r#"["on"]"#
    );
    assert_eq!(
        ff(&["validate", &path, "--envelope", "features"]).line(),
        format!("{path}: valid: 2 features, 0 rules, 0 conditions; version {}", version(r#"{"on": {"default": true}, "off": {"default": false}}"#))
    );
    assert_eq!(
        ff(&["enabled", &path, "--envelope", "\"my-app\".flags"]).line(),
        r#"["x"]"#
    );
    assert_eq!(
        ff(&["validate", &path, "--envelope", "\"my-app\".flags"]).line(),
        format!("{path}: valid: 1 feature, 0 rules, 0 conditions; version {}", version(r#"{"x": {"default": true}}"#))
    );

    // A plain field path: problems are located in the file, with the full pointer.
    let run = ff(&["validate", &path, "--envelope", "draft"]);
    assert_eq!(run.code, 1, "{run:?}");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert!(
        lines[0].starts_with(&format!("{path}:5:17: /draft/premium/default: ")),
        "{run:?}"
    );
    assert_eq!(lines[1], format!("{path}: invalid: 1 problem"));

    // Any other expression: pointers relative to the selected document, no line:column.
    let run = ff(&["validate", &path, "--envelope", "draft || `{}`"]);
    assert_eq!(run.code, 1, "{run:?}");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert!(
        lines[0].starts_with(&format!("{path}: /premium/default: ")),
        "{run:?}"
    );
    assert_eq!(lines[1], format!("{path}: invalid: 1 problem"));
    assert!(
        lines[2].contains("relative to the document selected by --envelope"),
        "{run:?}"
    );

    // Selecting nothing is an invalid document; a scalar fails validation.
    let run = ff(&["eval", &path, "on", "--envelope", "nothing"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr
            .starts_with(&format!("{path}: envelope `nothing` selects nothing")),
        "{run:?}"
    );
    let run = ff(&["validate", &path, "--envelope", "log_level"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.starts_with(&format!("{path}:2:3: /log_level: ")),
        "{run:?}"
    );

    // A bad expression is a usage error, reported on one line.
    assert_input_error(
        &ff(&["validate", &path, "--envelope", "[bad"]),
        "ff: --envelope: invalid envelope expression `[bad`",
    );

    // JSON syntax errors are located as without an envelope.
    let broken = write(&dir, "broken.json", "{\"features\": {]}");
    let run = ff(&["validate", &broken, "--envelope", "features"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr
            .starts_with(&format!("{broken}:1:15: invalid JSON: ")),
        "{run:?}"
    );
}

#[test]
fn help_documents_every_command_and_flag() {
    let run = ff(&["--help"]);
    assert_eq!(run.code, 0, "{run:?}");
    for word in [
        "validate",
        "eval",
        "enabled",
        "explain",
        "Exit status",
        "Examples:",
    ] {
        assert!(
            run.stdout.contains(word),
            "ff --help lacks {word}: {}",
            run.stdout
        );
    }
    for (command, flags) in [
        ("validate", &["FILE", "--envelope"][..]),
        (
            "eval",
            &[
                "FILE",
                "FEATURE",
                "--context",
                "--default",
                "--now",
                "--envelope",
            ][..],
        ),
        ("enabled", &["FILE", "--context", "--now", "--envelope"][..]),
        (
            "explain",
            &["FILE", "FEATURE", "--context", "--now", "--envelope"][..],
        ),
    ] {
        let run = ff(&[command, "--help"]);
        assert_eq!(run.code, 0, "{command}: {run:?}");
        for flag in flags.iter().chain(&["Examples:", "stdin"]) {
            assert!(
                run.stdout.contains(flag),
                "ff {command} --help lacks {flag}: {}",
                run.stdout
            );
        }
    }
    assert_eq!(ff(&["--version"]).code, 0);
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &[][..],
        &["eval"][..],
        &["eval", "f.json"][..],
        &["frobnicate"][..],
        &["enabled", "f.json", "--bogus"][..],
    ] {
        let run = ff(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(!run.stderr.contains("panicked"), "{run:?}");
    }
}

#[test]
fn nothing_panics_on_odd_input() {
    let dir = scratch("odd");
    let path = flags(&dir);
    let deep = "[".repeat(100_000);
    let deep_object = "{\"a\":".repeat(100_000);
    let documents: Vec<(&str, Vec<u8>)> = vec![
        ("deep", deep.clone().into_bytes()),
        ("deep_object", deep_object.clone().into_bytes()),
        ("not_utf8", b"{\"a\xff\": {\"default\": true}}".to_vec()),
        ("bom", b"\xef\xbb\xbf{\"a\": {\"default\": true}}".to_vec()),
        ("huge_number", br#"{"a": {"boolean_type": false, "default": 1e400}}"#.to_vec()),
        ("nul", b"{\"a\0\": {\"default\": true}}".to_vec()),
        ("lone_surrogate", br#"{"\ud800": {"default": true}}"#.to_vec()),
        ("numbers", br#"{"a": {"default": false, "rules": {"r": {"when_match": true, "conditions": [{"action": "MODULO_RANGE", "key": "k", "value": {"BASE": 0, "START": -1e999, "END": 99999999999999999999999999999}}]}}}}"#.to_vec()),
    ];
    for (name, bytes) in &documents {
        let file = write(&dir, &format!("{name}.json"), bytes);
        for args in [
            vec!["validate", &file],
            vec!["eval", &file, "a"],
            vec!["enabled", &file],
            vec!["explain", &file, "a"],
        ] {
            let run = ff(&args);
            assert!(matches!(run.code, 0 | 1), "{name} {args:?}: {run:?}");
            assert!(!run.stderr.contains("panicked"), "{name} {args:?}: {run:?}");
        }
    }
    let deep_context = format!("@{}", write(&dir, "deep_context.json", &deep));
    let deep_object_context = format!("@{}", write(&dir, "deep_object_context.json", &deep_object));
    let contexts = [
        deep_context.as_str(),
        deep_object_context.as_str(),
        "{\"k\": 1e400}",
        "{\"basket\": 1e999, \"tier\": \"gold\"}",
        "{\"tier\": \"\\ud83d\"}",
    ];
    for context in contexts {
        let run = ff(&["enabled", &path, "--context", context]);
        assert!(matches!(run.code, 0 | 2), "{run:?}");
        assert!(!run.stderr.contains("panicked"), "{run:?}");
    }
    // Not UTF-8 on stdin.
    let run = ff_stdin(&["validate", "-"], b"\xff\xfe");
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr
            .starts_with("<stdin>:1:1: invalid JSON: the text is not UTF-8"),
        "{run:?}"
    );
}

#[test]
fn output_is_reference_json() {
    // What ff eval prints parses back to the same value (Python's equality) and spelling.
    let dir = scratch("roundtrip");
    let doc = r#"{"v": {"boolean_type": false, "default": {"z": [1, 1.5, 1e20, -0.0, "\u00e9\n", {"k": null}], "a": 123456789012345678901234567890}}}"#;
    let path = write(&dir, "v.json", doc);
    let printed = ff(&["eval", &path, "v"]).line().to_owned();
    assert_eq!(
        printed,
        r#"{"z":[1,1.5,1e+20,-0.0,"é\n",{"k":null}],"a":123456789012345678901234567890}"#
    );
    let reparsed = Value::from_json(&printed).unwrap();
    let original = Value::from_json(doc).unwrap();
    assert!(reparsed == *original.get("v").unwrap().get("default").unwrap());
}

#[test]
fn generate_prints_typed_code_or_the_problems() {
    let dir = scratch("generate");
    let path = flags(&dir);
    let run = ff(&["generate", &path]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.starts_with("// @generated by ff-build"), "{}", &run.stdout[..80.min(run.stdout.len())]);
    for item in ["pub struct Flags", "pub async fn premium(", "pub fn discount(", "pub enum FlagName", "pub struct Context"] {
        assert!(run.stdout.contains(item), "missing {item}");
    }
    let out = dir.join("flags.rs");
    let run = ff(&["generate", &path, "--visibility", "pub(crate)", "-o", out.to_str().unwrap()]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{run:?}");
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("pub(crate) struct Flags"), "visibility applied");
    // --warn-unused: one marker function per feature, the accessors through ff_runtime's macro.
    let run = ff(&["generate", &path, "--warn-unused"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("fn feature_premium() {}"), "{}", run.stdout);
    assert!(run.stdout.contains("::ff_runtime::__private_v1::accessor! {"), "{}", run.stdout);
    assert!(!ff(&["generate", &path]).stdout.contains("fn feature_premium"));

    let run = ff_stdin(&["generate", "-"], br#"{"f": {"default": 1}}"#);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.starts_with("<stdin>:1:8: /f/default: expected a boolean"), "{}", run.stderr);

    // --value-type is Builder::value_type: the same code, and the same checks.
    let run = ff(&["generate", &path, "--value-type", "discount=ff_runtime::Value"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("pub async fn discount(&self, ctx: &Context<'_>) -> ::ff_runtime::Value"), "typed as asked");
    let run = ff(&["generate", &path, "--value-type", "discount=String"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.starts_with("ff: "), "{run:?}");
    // Located as schema problems are: FILE:LINE:COL: POINTER: message.
    assert!(run.stderr.contains(": /discount/default: value_type: feature \"discount\" cannot be String"), "{run:?}");
    let run = ff(&["generate", &path, "--value-type", "discount"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("expected FEATURE=TYPE"), "{}", run.stderr);

    // --envelope: the feature document inside a larger one, located in the whole file.
    let config = write(&dir, "config.json", "{\"log_level\": \"INFO\",\n \"features\": {\"beta\": {\"default\": 1}}}");
    let run = ff(&["generate", &config, "--envelope", "features"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.starts_with(&format!("{config}:2:24: /features/beta/default: expected a boolean")), "{}", run.stderr);
    let config = write(&dir, "config.json", r#"{"log_level": "INFO", "features": {"beta": {"default": true}}}"#);
    let run = ff(&["generate", &config, "--envelope", "features"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("pub async fn beta(&self, ctx: &Context<'_>) -> bool") && !run.stdout.contains("log_level"));
    assert_input_error(&ff(&["generate", &config, "--envelope", "[bad"]), "ff: envelope: invalid envelope expression");

    // Two names with one Rust form fail (exit 1, both names and the fix); --rename fixes it.
    let twins = write(&dir, "twins.json", r#"{"dark-mode": {"default": true}, "dark_mode": {"default": false}}"#);
    let run = ff(&["generate", &twins]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("features \"dark_mode\" and \"dark-mode\" would both get the accessor `dark_mode`: rename it")
            && run.stderr.contains("`--rename 'dark-mode=dark_mode_2'` for ff generate"),
        "{}",
        run.stderr
    );
    let run = ff(&["generate", &twins, "--rename", "dark-mode=dark_mode_legacy"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("pub async fn dark_mode_legacy(&self") && run.stdout.contains("pub async fn dark_mode(&self"));
    assert_input_error(&ff(&["generate", &twins, "--rename", "dark-mode=Dark"]), "ff: rename: \"dark-mode\" to \"Dark\" is not a snake_case");
    assert_input_error(&ff(&["generate", &twins, "--rename", "nope=x"]), "ff: rename: the document has no feature or context key \"nope\"");
}

#[test]
fn diff_marks_breaking_changes_and_sets_the_exit_status() {
    let dir = scratch("diff");
    let old = write(&dir, "old.json", r#"{"a": {"default": true}, "b": {"boolean_type": false, "default": 1}}"#);
    let same_types = write(&dir, "new1.json", r#"{"a": {"default": false}, "b": {"boolean_type": false, "default": 2}, "c": {"default": true}}"#);
    let breaking = write(&dir, "new2.json", r#"{"b": {"boolean_type": false, "default": "two"}}"#);

    let run = ff(&["diff", &old, &old]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.ends_with(": 0 changes, 0 breaking compiled code\n"), "{}", run.stdout);

    let run = ff(&["diff", &old, &same_types]);
    assert_eq!(run.code, 0, "non-breaking changes pass: {run:?}");
    assert!(run.stdout.contains("~ feature `a`: default true -> false\n"), "{}", run.stdout);
    assert!(run.stdout.contains("+ feature `c` added (bool, default true)\n"), "{}", run.stdout);
    assert_eq!(ff(&["diff", &old, &same_types, "--strict"]).code, 1, "--strict fails on any change");

    let run = ff(&["diff", &old, &breaking]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("- feature `a` removed: the accessor `a` and `FlagName::A` no longer exist  [breaking]"), "{}", run.stdout);
    assert!(run.stdout.contains("~ feature `b`: type i64 -> String: the accessor `b` returns another type  [breaking]"), "{}", run.stdout);
    assert!(run.stdout.trim_end().ends_with("2 breaking compiled code"), "{}", run.stdout);

    let invalid = write(&dir, "bad.json", r#"{"a": {}}"#);
    let run = ff(&["diff", &old, &invalid]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("bad.json:1:2: /a: expected a non-empty object"), "{}", run.stderr);
}

/// `--appconfig`, `ff pull` and `ff push`: the argument shapes, in any build.
#[test]
fn appconfig_argument_shapes_are_usage_errors() {
    for (args, says) in [
        (&["eval", "--appconfig", "a/b/c", "f.json", "premium"][..], "give FEATURE only, not FILE `f.json` too"),
        (&["explain", "f.json", "premium", "--appconfig", "a/b/c"][..], "give FEATURE only, not FILE `f.json` too"),
        (&["eval", "--appconfig", "a/b/c"][..], "FEATURE is missing"),
        (&["eval", "f.json"][..], "FEATURE is missing"),
        (&["explain"][..], "FILE and FEATURE are missing"),
        (&["enabled", "f.json", "--appconfig", "a/b/c"][..], "FILE `f.json` and --appconfig `a/b/c` both give the document"),
        (&["enabled"][..], "the document is missing: give FILE, or --appconfig APP/ENV/PROFILE"),
        (&["pull"][..], "--appconfig <APP/ENV/PROFILE>"),
        (&["pull", "--appconfig", "a/b/c", "extra"][..], "unexpected argument 'extra'"),
        (&["push", "f.json"][..], "--appconfig <APP/ENV/PROFILE>"),
        (&["push", "--appconfig", "a/b/c"][..], "<FILE>"),
        (&["eval", "--appconfig"][..], "a value is required for '--appconfig <APP/ENV/PROFILE>'"),
    ] {
        let run = ff(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "");
    }
    // The usage names both forms.
    let run = ff(&["eval", "--appconfig", "a/b/c"]);
    assert!(run.stderr.contains("ff eval [OPTIONS] <FILE> <FEATURE>\n       ff eval [OPTIONS] --appconfig <APP/ENV/PROFILE> <FEATURE>"), "{}", run.stderr);
}

#[test]
fn help_documents_appconfig_pull_and_push() {
    let run = ff(&["--help"]);
    for word in ["pull", "push", "--features appconfig", "cargo install --locked --path crates/ff-cli --features appconfig", "AWS_ENDPOINT_URL_APPCONFIGDATA"] {
        assert!(run.stdout.contains(word), "ff --help lacks {word}: {}", run.stdout);
    }
    for (command, words) in [
        ("eval", &["--appconfig <APP/ENV/PROFILE>", "ff eval --appconfig shop/prod/features premium_features", "exit 1"][..]),
        ("enabled", &["--appconfig <APP/ENV/PROFILE>", "ff enabled --appconfig shop/prod/features"][..]),
        ("explain", &["--appconfig <APP/ENV/PROFILE>", "ff explain --appconfig shop/prod/features"][..]),
        ("pull", &["--appconfig <APP/ENV/PROFILE>", "--output <OUT>", "--envelope <EXPR>", "atomically", "ff pull --appconfig shop/prod/features -o flags.json"][..]),
        (
            "push",
            &["--appconfig <APP/ENV/PROFILE>", "<FILE>", "--strategy <NAME|ID>", "AppConfig.AllAtOnce", "--description <TEXT>", "--envelope <EXPR>", "nothing is sent", "ff push --appconfig shop/prod/features flags.json"][..],
        ),
    ] {
        let run = ff(&[command, "--help"]);
        assert_eq!(run.code, 0, "{command}: {run:?}");
        for word in words.iter().chain(&["Examples:", "`appconfig`"]) {
            assert!(run.stdout.contains(word), "ff {command} --help lacks {word}: {}", run.stdout);
        }
    }
}

/// Built without the feature (the default): every AppConfig entry point is a clear exit 2
/// that says how to install ff with it, before any other input is read.
#[cfg(not(feature = "appconfig"))]
#[test]
fn without_the_feature_appconfig_says_how_to_install_it() {
    let dir = scratch("no-appconfig");
    let path = flags(&dir);
    let install = "needs ff built with the `appconfig` feature (AWS AppConfig through the AWS SDK), and this ff was \
                   built without it. Install it from ff's repository with: cargo install --locked --path crates/ff-cli \
                   --features appconfig\n";
    for (args, what) in [
        (vec!["eval", "--appconfig", "shop/prod/features", "premium"], "--appconfig"),
        (vec!["eval", "premium", "--appconfig", "shop/prod/features", "--context", "{not json"], "--appconfig"),
        (vec!["enabled", "--appconfig", "shop/prod/features", "--now", "tomorrow"], "--appconfig"),
        (vec!["explain", "--appconfig", "not-a-location", "premium"], "--appconfig"),
        (vec!["pull", "--appconfig", "shop/prod/features", "-o", "out.json"], "ff pull"),
        (vec!["push", "--appconfig", "shop/prod/features", &path], "ff push"),
        (vec!["push", "--appconfig", "shop/prod/features", "missing.json"], "ff push"),
    ] {
        let run = ff(&args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert_eq!(run.stderr, format!("ff: {what} {install}"), "{args:?}");
        assert_eq!(run.stdout, "");
    }
    assert!(!std::path::Path::new("out.json").exists());
    // The flag is documented all the same.
    assert!(ff(&["eval", "--help"]).stdout.contains("--appconfig <APP/ENV/PROFILE>"));
}

/// Built with the feature: a bad location is a usage error before any call, and a store
/// that cannot be reached is exit 1 naming the AWS error (no MiniStack needed).
#[cfg(feature = "appconfig")]
#[test]
fn with_the_feature_bad_locations_and_unreachable_endpoints() {
    use common::ff_env;
    let dir = scratch("appconfig");
    let path = flags(&dir);
    let bad = write(&dir, "bad.json", BAD);
    for args in [
        vec!["eval", "--appconfig", "shop/prod", "premium"],
        vec!["enabled", "--appconfig", "shop//features"],
        vec!["explain", "--appconfig", "a/b/c/d", "premium"],
        vec!["pull", "--appconfig", "shop"],
        vec!["push", "--appconfig", "/prod/features", &path],
    ] {
        let run = ff(&args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(run.stderr.starts_with("ff: --appconfig: `"), "{args:?}: {}", run.stderr);
        assert!(run.stderr.ends_with("` is not an AppConfig location: expected APPLICATION/ENVIRONMENT/PROFILE, three non-empty names\n"), "{}", run.stderr);
    }
    // Nothing listens on port 9 of the loopback interface.
    let unreachable = [
        ("AWS_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_ENDPOINT_URL_APPCONFIGDATA", "http://127.0.0.1:9"),
        ("AWS_ENDPOINT_URL_APPCONFIG", "http://127.0.0.1:9"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("AWS_CONFIG_FILE", "/nonexistent/ff-tests/aws-config"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/ff-tests/aws-credentials"),
    ];
    let run = ff_env(&["eval", "--appconfig", "shop/prod/features", "premium", "--default", "true"], &unreachable);
    assert_eq!(run.code, 1, "a store error is an error, not the default: {run:?}");
    assert!(
        run.stderr.starts_with("ff: AppConfig shop/prod/features: StartConfigurationSession failed: dispatch failure"),
        "{}",
        run.stderr
    );
    let out = dir.join("out.json");
    let run = ff_env(&["pull", "--appconfig", "shop/prod/features", "-o", out.to_str().unwrap()], &unreachable);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(!out.exists());
    // push validates first: an invalid document never reaches the network.
    let run = ff_env(&["push", "--appconfig", "shop/prod/features", &bad], &unreachable);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.ends_with("bad.json: invalid: 3 problems\n"), "{}", run.stderr);
    assert!(!run.stderr.contains("dispatch failure"), "{}", run.stderr);
    let run = ff_env(&["push", "--appconfig", "shop/prod/features", &path], &unreachable);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.starts_with("ff: AppConfig push to shop/prod/features: GetApplication failed: dispatch failure"),
        "{}",
        run.stderr
    );
    let run = ff_env(&["push", "--appconfig", "shop/prod/features", &path, "--strategy", " "], &unreachable);
    assert_eq!(run.code, 2, "{run:?}");

    // An empty endpoint URL makes the AWS SDK assert: from the environment it is an input
    // error, from a profile file an AppConfig failure; never a panic.
    for variable in ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_APPCONFIGDATA", "AWS_ENDPOINT_URL_APPCONFIG"] {
        let mut envs = unreachable.to_vec();
        envs.retain(|(k, _)| !k.starts_with("AWS_ENDPOINT_URL"));
        envs.push((variable, ""));
        for args in [&["enabled", "--appconfig", "a/b/c"][..], &["push", "--appconfig", "a/b/c", &path][..]] {
            let run = ff_env(args, &envs);
            assert_eq!(run.code, 2, "{variable} {args:?}: {run:?}");
            assert_eq!(run.stderr, format!("ff: {variable} is set but empty: unset it, or set it to the endpoint's URL\n"));
        }
    }
    let profile = write(&dir, "aws-config", "[default]\nregion = us-east-1\nendpoint_url =\n");
    let mut envs: Vec<(&str, &str)> = unreachable.iter().copied().filter(|(k, _)| !k.starts_with("AWS_ENDPOINT_URL")).collect();
    envs.push(("AWS_CONFIG_FILE", &profile));
    for args in [&["eval", "--appconfig", "a/b/c", "x"][..], &["pull", "--appconfig", "a/b/c"][..], &["push", "--appconfig", "a/b/c", &path][..]] {
        let run = ff_env(args, &envs);
        assert_eq!(run.code, 1, "{args:?}: {run:?}");
        assert!(run.stderr.starts_with("ff: AWS AppConfig: the AWS SDK failed on this configuration: "), "{}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    }
}

/// Issue 13: `ff eval --details` prints why, as one JSON object.
#[test]
fn eval_details_prints_the_reason_variant_and_version() {
    let dir = scratch("eval_details");
    let path = flags(&dir);
    let v = version(FLAGS);
    let details = |feature: &str, context: &str| ff(&["eval", "--details", &path, feature, "--context", context]).line().to_owned();
    assert_eq!(
        details("premium", r#"{"email": "a@shop.example"}"#),
        format!(r#"{{"value":true,"reason":"TARGETING_MATCH","variant":"staff","version":"{v}"}}"#)
    );
    assert_eq!(details("premium", "{}"), format!(r#"{{"value":false,"reason":"DEFAULT","variant":null,"version":"{v}"}}"#));
    let run = ff(&["eval", "--details", &path, "premiun", "--default", "7"]);
    assert_eq!(
        run.line(),
        format!(
            r#"{{"value":7,"reason":"ERROR","variant":null,"version":"{v}","error":{{"code":"FLAG_NOT_FOUND","message":"the document has no feature \"premiun\""}}}}"#
        )
    );
    let static_and_split = write(
        &dir,
        "split.json",
        r#"{"plain": {"default": true}, "half": {"default": false, "rules": {"even ids": {"when_match": true,
            "conditions": [{"action": "MODULO_RANGE", "key": "id", "value": {"BASE": 2, "START": 0, "END": 0}}]}}}}"#,
    );
    let line = |feature: &str| ff(&["eval", "--details", &static_and_split, feature, "--context", r#"{"id": 4}"#]).line().to_owned();
    assert!(line("plain").starts_with(r#"{"value":true,"reason":"STATIC","variant":null,"version":""#), "{}", line("plain"));
    assert!(line("half").starts_with(r#"{"value":true,"reason":"SPLIT","variant":"even ids","version":""#), "{}", line("half"));
}
