//! `ff push` with a stored `AWS.AppConfig.FeatureFlags` document against MiniStack: it goes
//! to a profile of that type (and `ff eval`/`ff pull --format appconfig` read the retrieval
//! format AppConfig serves from it, which `ff diff` compares with the stored document), and is refused, before anything is created, by a freeform
//! profile, with an envelope, or when invalid. A Powertools document is refused by a
//! profile of that type.
//!
//! Locations are given by IDs, so that no listing depends on how many applications the
//! emulator holds. Run by `scripts/test-appconfig.sh`; SKIPPED without MiniStack and FF_BIN.

use ff_appconfig_tests::{ministack_and_ff_or_skip, push_numbers, wait_for_deployment, Seeded};

/// A basic flag, a flag with a required enum attribute, and a disabled flag.
const STORED: &str = r#"{
  "version": "1",
  "flags": {
    "dark": {"name": "Dark mode"},
    "checkout": {"name": "Checkout", "attributes": {
      "theme": {"constraints": {"type": "string", "enum": ["light", "dark"], "required": true}}}},
    "legacy": {"name": "Legacy"}
  },
  "values": {
    "dark": {"enabled": true},
    "checkout": {"enabled": true, "theme": "dark"},
    "legacy": {"enabled": false}
  }
}
"#;

/// Invalid: `theme` breaks its enum (its member at line 8, column 35).
const INVALID: &str = r#"{
  "version": "1",
  "flags": {
    "checkout": {"name": "Checkout", "attributes": {
      "theme": {"constraints": {"type": "string", "enum": ["light", "dark"]}}}}
  },
  "values": {
    "checkout": {"enabled": true, "theme": "purple"}
  }
}
"#;

fn location(seeded: &Seeded) -> String {
    format!("{}/{}/{}", seeded.application_id, seeded.environment_id, seeded.profile_id)
}

#[tokio::test]
async fn a_stored_document_is_pushed_to_a_feature_flags_profile_and_read_back() {
    let (ms, ff) = ministack_and_ff_or_skip!("a_stored_document_is_pushed_to_a_feature_flags_profile_and_read_back");
    let seeded = ms.create_feature_flags("ff-cli-native").await;
    let location = location(&seeded);
    let file = ff.write("flags.json", STORED);
    let run = ff.run(&["push", "--appconfig", &location, &file, "--strategy", &seeded.strategy_id]);
    assert_eq!(run.code, 0, "{run:#?}");
    let (version, deployment) = push_numbers(run.line());
    assert_eq!((version, deployment), (1, 1), "{}", run.line());
    assert_eq!(
        seeded.hosted_versions().await,
        [(1, STORED.to_owned(), "application/json".to_owned())],
        "the hosted version holds the stored document's exact bytes"
    );
    wait_for_deployment(&ms.control, &seeded.application_id, &seeded.environment_id, deployment).await;

    // AppConfig serves the retrieval format; `--format appconfig` reads it as flags.
    let eval = |flag: &str| ff.run(&["eval", "--appconfig", &location, "--format", "appconfig", flag]);
    assert_eq!(eval("checkout").line(), r#"{"enabled":true,"theme":"dark"}"#);
    assert_eq!(eval("dark").line(), r#"{"enabled":true}"#);
    let legacy = eval("legacy");
    assert!(legacy.line().starts_with(r#"{"enabled":false"#), "{legacy:#?}");

    // `ff pull --format appconfig` writes what the profile serves; `ff diff` finds no drift
    // from the stored document the code would be generated from.
    let run = ff.run(&["pull", "--appconfig", &location, "--format", "appconfig", "-o", "live.json"]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.line().contains(": valid: ") && run.line().ends_with("written to live.json"), "{}", run.line());
    let run = ff.run(&["diff", "flags.json", "live.json"]);
    assert_eq!((run.code, run.line()), (0, "flags.json -> live.json: 0 changes, 0 breaking compiled code"), "{run:#?}");
}

#[tokio::test]
async fn each_format_is_refused_by_the_other_kind_of_profile_before_anything_is_created() {
    let (ms, ff) =
        ministack_and_ff_or_skip!("each_format_is_refused_by_the_other_kind_of_profile_before_anything_is_created");
    let freeform = ms.create("ff-cli-freeform").await;
    let native = ms.create_feature_flags("ff-cli-native-refuses").await;
    let stored = ff.write("stored.json", STORED);
    let powertools = ff.write("powertools.json", r#"{"premium": {"default": false}}"#);

    let run = ff.run(&["push", "--appconfig", &location(&freeform), &stored, "--strategy", &freeform.strategy_id]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stderr.contains("is of type AWS.Freeform, not AWS.AppConfig.FeatureFlags")
            && run.stderr.contains("push it to a profile of type AWS.AppConfig.FeatureFlags"),
        "{}",
        run.stderr
    );
    assert_eq!(freeform.hosted_versions().await, []);

    let run = ff.run(&["push", "--appconfig", &location(&native), &powertools, "--strategy", &native.strategy_id]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(run.stderr.contains("Powertools documents go in a freeform profile (AWS.Freeform)"), "{}", run.stderr);
    assert_eq!(native.hosted_versions().await, []);
}

#[tokio::test]
async fn an_invalid_stored_document_or_an_envelope_sends_nothing() {
    let (ms, ff) = ministack_and_ff_or_skip!("an_invalid_stored_document_or_an_envelope_sends_nothing");
    let native = ms.create_feature_flags("ff-cli-native-invalid").await;
    let location = location(&native);
    let bad = ff.write("bad.json", INVALID);
    let run = ff.run(&["push", "--appconfig", &location, &bad]);
    assert_eq!(run.code, 1, "{run:#?}");
    let first = run.stderr.lines().next().unwrap_or_default();
    assert!(first.starts_with("bad.json:8:35: /values/checkout/theme: "), "{}", run.stderr);
    assert!(first.contains("purple"), "{first}");

    let stored = ff.write("stored.json", STORED);
    let run = ff.run(&["push", "--appconfig", &location, &stored, "--envelope", "features"]);
    assert_eq!(run.code, 2, "{run:#?}");
    assert!(run.stderr.contains("--envelope: stored.json is a stored AWS.AppConfig.FeatureFlags document"), "{}", run.stderr);
    assert_eq!(native.hosted_versions().await, []);
}
