//! `ff validate`, `eval`, `enabled` and `explain` on AWS AppConfig's own feature-flags format
//! (`AWS.AppConfig.FeatureFlags`), over the shared fixtures in `tests/fixtures/native/`.

mod common;

use std::path::PathBuf;
use std::process::{Command, Stdio};

use common::Run;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/native")
}

/// Runs `ff ARGS` in the fixtures' folder, so that files are named as given.
fn ff(args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_ff"))
        .args(args)
        .current_dir(fixtures())
        .stdin(Stdio::null())
        .output()
        .expect("ff runs");
    Run { code: output.status.code().unwrap_or(-1), stdout: String::from_utf8_lossy(&output.stdout).into_owned(), stderr: String::from_utf8_lossy(&output.stderr).into_owned() }
}

fn version(file: &str) -> String {
    let text = std::fs::read_to_string(fixtures().join(file)).unwrap();
    ff_runtime::document::content_version(&ff_runtime::Value::from_json(&text).unwrap())
}

/// Asserts that `ff validate FILE ARGS` exits 1 printing exactly `problems`, then the count.
fn assert_invalid(file: &str, args: &[&str], problems: &[&str]) {
    let mut all = vec!["validate", file];
    all.extend_from_slice(args);
    let run = ff(&all);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stdout, "", "{run:?}");
    let mut expected: Vec<String> = problems.iter().map(|p| format!("{file}:{p}")).collect();
    expected.push(format!("{file}: invalid: {} problem{}", problems.len(), if problems.len() == 1 { "" } else { "s" }));
    assert_eq!(run.stderr.lines().collect::<Vec<_>>(), expected);
}

#[test]
fn a_stored_document_is_recognised_and_summarised_with_its_version() {
    let expected = format!(
        "flags.json: valid: AWS.AppConfig.FeatureFlags stored document: 4 flags (3 enabled), 9 attributes, 1 multi-variant flag (3 variants); version {}",
        version("flags.json")
    );
    assert_eq!(ff(&["validate", "flags.json"]).line(), expected);
    assert_eq!(ff(&["validate", "flags.json", "--format", "appconfig"]).line(), expected);
    // Read as a Powertools document, it is invalid (its `version` is no feature).
    let run = ff(&["validate", "flags.json", "--format", "powertools"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.starts_with("flags.json:2:3: /version: "), "{run:?}");
}

#[test]
fn the_retrieval_format_needs_format_appconfig() {
    assert_eq!(
        ff(&["validate", "retrieval.json", "--format", "appconfig"]).line(),
        format!("retrieval.json: valid: AWS.AppConfig.FeatureFlags retrieval document: 4 flags (3 enabled); version {}", version("retrieval.json"))
    );
    let run = ff(&["validate", "retrieval.json"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stderr.lines().last(),
        Some("retrieval.json: note: this reads as AWS AppConfig's feature-flags retrieval format: give --format appconfig")
    );
}

#[test]
fn keys_are_checked() {
    assert_invalid(
        "invalid-keys.json",
        &[],
        &[
            "4:5: /flags/Dark_mode: flag key `Dark_mode` does not match ^[a-z][a-zA-Z\\d_-]{0,63}$ (a lowercase ASCII letter, then up to 63 ASCII letters, digits, `_` or `-`)",
            "8:9: /flags/checkout/attributes/enabled: attribute key `enabled` is reserved (it holds whether the flag is on): name the attribute differently",
            "14:52: /values/checkout/colour: value for attribute `colour`, which flag `checkout` does not define",
            "15:5: /values/ghost: values for flag `ghost`, which `flags` does not define",
        ],
    );
}

#[test]
fn constraints_are_checked() {
    assert_invalid(
        "invalid-constraints.json",
        &[],
        &[
            "7:74: /flags/checkout/attributes/max_items/constraints/maximum: `maximum` 1 is below `minimum` 10",
            "8:55: /flags/checkout/attributes/ratio/constraints/maximum: expected an integer for `maximum` (AWS's schema types number bounds as integers), found number 0.5",
            "9:20: /flags/checkout/attributes/theme/constraints: a string constraint takes `pattern` or `enum`, not both (AWS's schema forbids the pair)",
            "10:54: /flags/checkout/attributes/code/constraints/pattern: the pattern `([A-Z]+` is not a well-formed regular expression: the group opened at character 1 is not closed",
            "11:36: /flags/checkout/attributes/when/constraints/type: expected a constraint `type` among \"number\", \"string\", \"array\", \"boolean\", found string \"date\"",
            "12:67: /flags/checkout/attributes/tags/constraints/elements/type: expected a constraint `type` among \"number\", \"string\", found string \"boolean\"",
        ],
    );
}

#[test]
fn values_are_checked_against_their_constraints() {
    assert_invalid(
        "invalid-values.json",
        &[],
        &[
            "16:5: /values/checkout: flag `checkout` is enabled but has no value for its required attribute `theme`",
            "18:7: /values/checkout/max_items: 250 is above the maximum 100",
            "19:7: /values/checkout/code: \"abc\" does not match the pattern `^[A-Z]{3}$`",
            "20:25: /values/checkout/regions/1: \"mars\" is not one of the allowed values \"eu\", \"us\"",
            "21:7: /values/checkout/express: expected a boolean (the attribute's constraint), found string \"yes\"",
        ],
    );
}

#[test]
fn variants_and_rules_are_checked() {
    assert_invalid(
        "invalid-variants.json",
        &[],
        &[
            "13:44: /values/recommendations/_variants/0/rule: the rule is not well formed: at character 1: the `(eq` expression is not closed: expected `)`",
            "14:11: /values/recommendations/_variants/1/name: variant name \"gold\" repeats the name of variant 0",
            "14:104: /values/recommendations/_variants/1/attributeValues/model: expected a string (the attribute's constraint), found integer 7",
            "15:9: /values/recommendations/_variants/2: only the last variant (the default) goes without a `rule`: this variant needs one",
            "16:48: /values/recommendations/_variants/3/rule: the last variant is the default variant, which takes no `rule`",
        ],
    );
}

#[test]
fn an_invalid_retrieval_document_is_located() {
    assert_invalid(
        "invalid-retrieval.json",
        &["--format", "appconfig"],
        &[
            "2:18: /dark_mode/enabled: expected a boolean for `enabled` of flag `dark_mode`, found string \"yes\"",
            "3:3: /checkout: flag `checkout` has no `enabled` (a boolean)",
            "4:3: /legacy_search: expected an object {\"enabled\": true|false, ATTRIBUTE: value, ...} for flag `legacy_search`, found false",
        ],
    );
}

#[test]
fn eval_prints_each_flag_object() {
    assert_eq!(
        ff(&["eval", "flags.json", "checkout"]).line(),
        r#"{"enabled":true,"max_items":25,"discount":0.15,"theme":"dark","banner":"FREE SHIPPING","regions":["eu","us"],"limits":[10,250],"express":false}"#
    );
    assert_eq!(ff(&["eval", "flags.json", "legacy_search"]).line(), r#"{"enabled":false}"#);
    assert_eq!(ff(&["eval", "retrieval.json", "checkout", "--format", "appconfig"]).line(), r#"{"enabled":true,"max_items":25,"theme":"dark","regions":["eu","us"]}"#);
    // A multi-variant flag without context: its default variant, named in --details.
    assert_eq!(
        ff(&["eval", "flags.json", "recommendations", "--details"]).line(),
        format!(
            r#"{{"value":{{"_variant":"default","enabled":true,"model":"baseline","slots":4}},"reason":"STATIC","variant":"default","version":"{}"}}"#,
            version("flags.json")
        )
    );
    let run = ff(&["eval", "flags.json", "chekout"]);
    assert_eq!(run.line(), "false");
    assert!(run.stderr.contains("did you mean \"checkout\"?"), "{run:?}");
}

#[test]
fn enabled_lists_the_flags_whose_object_is_enabled() {
    assert_eq!(ff(&["enabled", "flags.json"]).line(), r#"["dark_mode","checkout","recommendations"]"#);
    assert_eq!(ff(&["enabled", "retrieval.json", "--format", "appconfig"]).line(), r#"["dark_mode","checkout","recommendations"]"#);
}

#[test]
fn evaluating_an_invalid_native_document_exits_1_and_envelopes_do_not_apply() {
    let run = ff(&["eval", "invalid-values.json", "checkout"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.ends_with("invalid-values.json: invalid: 5 problems\n"), "{run:?}");
    let run = ff(&["validate", "flags.json", "--format", "appconfig", "--envelope", "flags"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        run.stderr,
        "ff: --envelope does not apply to AWS AppConfig's feature-flags format (--format appconfig): its documents are never wrapped\n"
    );
    assert_eq!(ff(&["validate", "flags.json", "--format", "yaml"]).code, 2);
}

/// `ff diff` between stored documents: every kind of change to the generated types, each
/// marked breaking or not, and exit 1 because some break compiled code.
#[test]
fn diff_of_stored_documents_marks_what_breaks_the_generated_types() {
    let run = ff(&["diff", "flags.json", "flags-next.json"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stdout.lines().collect::<Vec<_>>(),
        [
            "~ flag `dark_mode`: enabled true -> false",
            "- flag `checkout`: attribute `banner` removed: the field `Checkout.banner` no longer exists  [breaking]",
            "~ flag `checkout`: attribute `express`: type Option<bool> -> bool  [breaking]",
            "- `CheckoutTheme::HighContrast` removed: \"high-contrast\" is no longer allowed  [breaking]",
            "+ `CheckoutTheme::Sepia` added for \"sepia\": an exhaustive `match` misses it  [breaking]",
            "~ flag `checkout`: attribute `theme` value \"dark\" -> \"light\"",
            "- flag `legacy_search` removed: its accessors and the struct `LegacySearch` no longer exist  [breaking]",
            "+ flag `beta` added (struct `Beta`)",
            "flags.json -> flags-next.json: 8 changes, 5 breaking compiled code",
        ]
    );
    let same = ff(&["diff", "flags.json", "flags.json"]);
    assert_eq!((same.code, same.line()), (0, "flags.json -> flags.json: 0 changes, 0 breaking compiled code"));
}

/// `ff diff` of the compiled stored document against the retrieval format (`ff pull`'s
/// output of such a profile): the drift the typed accessors would meet.
#[test]
fn diff_against_the_retrieval_format_shows_the_drift_the_accessors_meet() {
    let run = ff(&["diff", "flags.json", "retrieval-drift.json"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stdout.lines().collect::<Vec<_>>(),
        [
            "~ flag `checkout`: attribute `max_items`: live value \"many\" does not fit i64: the accessor serves the compiled-in value (TYPE_MISMATCH)  [breaking]",
            "~ flag `checkout`: attribute `discount` value 0.15 -> 0.2",
            "~ flag `checkout`: attribute `theme`: live value \"sepia\" does not fit CheckoutTheme: the accessor serves the compiled-in value (TYPE_MISMATCH)  [breaking]",
            "- flag `legacy_search` missing: its accessors serve the compiled-in values (FLAG_NOT_FOUND)  [breaking]",
            "+ flag `extra` is live but not in the compiled document",
            "flags.json -> retrieval-drift.json: 5 changes, 3 breaking compiled code",
        ]
    );
    // The retrieval format cannot be OLD (no attribute definitions); formats do not mix.
    let run = ff(&["diff", "retrieval-drift.json", "flags.json", "--format", "appconfig"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("OLD must be the stored AWS.AppConfig.FeatureFlags document"), "{run:?}");
    let powertools = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/flags.json");
    let run = ff(&["diff", powertools.to_str().unwrap(), "flags.json"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("are in different formats"), "{run:?}");
}

/// A NEW stored document whose flag would take a generated type's name: the build fails
/// (`!`), and every other flag is still compared (none reads as removed).
#[test]
fn diff_reports_a_name_that_fails_the_build_and_still_compares_the_flags() {
    let text = std::fs::read_to_string(fixtures().join("flags.json")).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value["flags"]["flags"] = serde_json::json!({"name": "A flag named like the generated Flags"});
    value["values"]["flags"] = serde_json::json!({"enabled": true});
    let dir = std::env::temp_dir().join(format!("ff-native-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let next = dir.join("named.json");
    std::fs::write(&next, value.to_string()).unwrap();
    let run = ff(&["diff", "flags.json", next.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(run.code, 1, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines.iter().all(|l| !l.contains("removed")), "{run:?}");
    assert!(lines.iter().any(|l| l.starts_with("+ flag `flags` added")), "{run:?}");
    assert!(lines.iter().any(|l| l.starts_with("! the build fails: ") && l.contains("flags") && l.ends_with("[breaking]")), "{run:?}");
}
