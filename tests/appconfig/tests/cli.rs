//! The `ff` command against AWS AppConfig (MiniStack): `ff push` deploys a document,
//! `ff eval`/`ff enabled`/`ff explain --appconfig` evaluate the live one, `ff pull` writes it
//! back, and failures exit 1 naming the AWS error.
//!
//! Runs the `ff` binary built with `--features appconfig`, from `FF_BIN`, with the standard
//! AWS environment pointing at MiniStack. `scripts/test-appconfig.sh` builds it, starts
//! MiniStack and sets both; without them every test here says SKIPPED on the terminal.
//!
//! Names are resolved to IDs by listing; MiniStack lists at most 50 applications (without
//! pagination), so these tests expect a MiniStack that holds fewer than that before they
//! start (the script starts a fresh one, and this file's tests run before `ministack.rs`).

use std::path::Path;
use std::process::Command;

use ff_appconfig_tests::{
    ff_bin, ministack_and_ff_or_skip, push_numbers, unique, wait_for_deployment, Ff, MiniStack, Seeded,
};
use ff_runtime::Value;

/// Three features, keys not in alphabetical order, an integer beyond `i64`, a float.
const FLAGS: &str = r#"{
  "zeta": {"default": true},
  "premium": {"default": false, "rules": {"gold tier": {"when_match": true,
      "conditions": [{"action": "EQUALS", "key": "tier", "value": "gold"}]}}},
  "discount": {"boolean_type": false, "default": 12345678901234567890123,
    "rules": {"vip": {"when_match": 1.0, "conditions": [{"action": "IN", "key": "tier", "value": ["gold", "platinum"]}]}}}
}
"#;

/// `FLAGS` as `ff pull` writes it.
const FLAGS_PRETTY: &str = r#"{
  "zeta": {
    "default": true
  },
  "premium": {
    "default": false,
    "rules": {
      "gold tier": {
        "when_match": true,
        "conditions": [
          {
            "action": "EQUALS",
            "key": "tier",
            "value": "gold"
          }
        ]
      }
    }
  },
  "discount": {
    "boolean_type": false,
    "default": 12345678901234567890123,
    "rules": {
      "vip": {
        "when_match": 1.0,
        "conditions": [
          {
            "action": "IN",
            "key": "tier",
            "value": [
              "gold",
              "platinum"
            ]
          }
        ]
      }
    }
  }
}
"#;

/// Two problems, at 3:5 and 5:3.
const BAD: &str = "{\n  \"premium\": {\n    \"default\": \"yes\"\n  },\n  \"empty\": {}\n}\n";

/// Skips the test (returns) when MiniStack or FF_BIN is missing.
macro_rules! setup {
    ($test:expr) => {
        ministack_and_ff_or_skip!($test)
    };
}

/// Pushes `file` to the seeded profile with the seeded zero-time strategy, checks the line,
/// waits for the deployment; returns the version and deployment numbers.
async fn push(ms: &MiniStack, ff: &Ff, seeded: &Seeded, file: &str, extra: &[&str]) -> (i32, i32) {
    let location = format!("{}/prod/features", seeded.application);
    let mut args = vec![
        "push",
        "--appconfig",
        &location,
        file,
        "--strategy",
        &seeded.strategy_id,
    ];
    args.extend_from_slice(extra);
    let run = ff.run(&args);
    let line = run.line();
    assert!(
        line.starts_with(&format!("pushed {file} to {location}: version ")),
        "{line}"
    );
    let (version, deployment) = push_numbers(line);
    assert!(
        line.contains(&format!("(strategy {}", seeded.strategy)),
        "{line}"
    );
    wait_for_deployment(&ms.control, &seeded.application_id, &seeded.environment_id, deployment).await;
    (version, deployment)
}

#[tokio::test]
async fn push_then_eval_enabled_explain_pull_and_diff() {
    let (ms, ff) = setup!("push_then_eval_enabled_explain_pull_and_diff");
    let seeded = ms.create("ff-cli-push").await;
    let location = format!("{}/prod/features", seeded.application);
    let file = ff.write("flags.json", FLAGS);

    let (version, deployment) = push(
        &ms,
        &ff,
        &seeded,
        &file,
        &["--description", "release 1: premium for gold"],
    )
    .await;
    assert_eq!((version, deployment), (1, 1));
    assert_eq!(
        seeded.hosted_versions().await,
        [(1, FLAGS.to_owned(), "application/json".to_owned())],
        "the hosted version holds the file's exact bytes"
    );
    let deployed = ms
        .control
        .get_deployment()
        .application_id(&seeded.application_id)
        .environment_id(&seeded.environment_id)
        .deployment_number(deployment)
        .send()
        .await
        .unwrap();
    assert_eq!(deployed.description(), Some("release 1: premium for gold"));
    assert_eq!(deployed.configuration_version(), Some("1"));
    assert_eq!(deployed.deployment_strategy_id(), Some(seeded.strategy_id.as_str()));

    // eval / enabled / explain read the live document.
    let eval =
        |feature: &str, context: &str| ff.run(&["eval", "--appconfig", &location, feature, "--context", context]);
    assert_eq!(eval("premium", r#"{"tier": "gold"}"#).line(), "true");
    assert_eq!(eval("premium", r#"{"tier": "silver"}"#).line(), "false");
    assert_eq!(
        eval("discount", r#"{"tier": "silver"}"#).line(),
        "12345678901234567890123"
    );
    assert_eq!(eval("discount", r#"{"tier": "platinum"}"#).line(), "1.0");
    let run = ff.run(&[
        "eval",
        "premium",
        "--appconfig",
        &location,
        "--context",
        r#"{"tier": "gold"}"#,
    ]);
    assert_eq!(run.line(), "true", "--appconfig may come after FEATURE");
    let run = ff.run(&["eval", "--appconfig", &location, "nope", "--default", r#""fallback""#]);
    assert_eq!(run.line(), r#""fallback""#);
    let enabled = |context: &str| ff.run(&["enabled", "--appconfig", &location, "--context", context]);
    assert_eq!(
        enabled(r#"{"tier": "gold"}"#).line(),
        r#"["zeta","premium","discount"]"#
    );
    assert_eq!(enabled(r#"{"tier": "silver"}"#).line(), r#"["zeta","discount"]"#);
    let run = ff.run(&[
        "explain",
        "--appconfig",
        &location,
        "premium",
        "--context",
        r#"{"tier": "gold"}"#,
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stdout.contains("gold tier"), "{}", run.stdout);

    // By IDs as well as names.
    let ids = format!(
        "{}/{}/{}",
        seeded.application_id, seeded.environment_id, seeded.profile_id
    );
    assert_eq!(
        ff.run(&[
            "eval",
            "--appconfig",
            &ids,
            "premium",
            "--context",
            r#"{"tier": "gold"}"#
        ])
        .line(),
        "true"
    );

    // pull writes the live document; diff against the source: nothing changed.
    let run = ff.run(&["pull", "--appconfig", &location, "-o", "live.json"]);
    assert_eq!(
        run.line(),
        format!("appconfig:{location}: valid: 3 features, 2 rules, 2 conditions: written to live.json")
    );
    assert_eq!(ff.read("live.json"), FLAGS_PRETTY);
    assert_eq!(ff.files(), ["flags.json", "live.json"], "no temporary file left");
    let pulled = Value::from_json(&ff.read("live.json")).unwrap();
    assert!(pulled == Value::from_json(FLAGS).unwrap());
    assert_eq!(
        pulled.to_string(),
        Value::from_json(FLAGS).unwrap().to_string(),
        "same order and spelling"
    );
    let run = ff.run(&["pull", "--appconfig", &location]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, FLAGS_PRETTY),
        "to stdout: {run:#?}"
    );
    let run = ff.run(&["diff", "flags.json", "live.json", "--strict"]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(
        run.stdout,
        "flags.json -> live.json: 0 changes, 0 breaking compiled code\n"
    );

    // A second push, by IDs with the default strategy... named: a new version, seen at once.
    let v2 = ff.write(
        "v2.json",
        r#"{"zeta": {"default": false}, "premium": {"default": true}}"#,
    );
    let run = ff.run(&[
        "push",
        "--appconfig",
        &ids,
        &v2,
        "--strategy",
        &seeded.strategy,
    ]);
    let (version, deployment) = push_numbers(run.line());
    assert_eq!((version, deployment), (2, 2), "{run:#?}");
    wait_for_deployment(&ms.control, &seeded.application_id, &seeded.environment_id, deployment).await;
    assert_eq!(ff.run(&["eval", "--appconfig", &location, "premium"]).line(), "true");
    assert_eq!(ff.run(&["enabled", "--appconfig", &location]).line(), r#"["premium"]"#);
    // The pulled file overwritten atomically; diff now lists what changed.
    ff.run(&["pull", "--appconfig", &location, "-o", "live.json"]).line();
    let run = ff.run(&["diff", "flags.json", "live.json"]);
    assert_eq!(run.code, 1, "a removed feature breaks compiled code: {run:#?}");
    assert!(run.stdout.contains("- feature `discount` removed"), "{}", run.stdout);
}

#[tokio::test]
async fn pushing_an_invalid_document_sends_nothing() {
    let (ms, ff) = setup!("pushing_an_invalid_document_sends_nothing");
    let seeded = ms.create("ff-cli-invalid").await;
    let location = format!("{}/prod/features", seeded.application);
    let bad = ff.write("bad.json", BAD);
    let run = ff.run(&[
        "push",
        "--appconfig",
        &location,
        &bad,
        "--strategy",
        &seeded.strategy_id,
    ]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert_eq!(run.stdout, "");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stderr);
    assert!(
        lines[0].starts_with("bad.json:3:5: /premium/default: expected a boolean `default`"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("bad.json:5:3: /empty: expected a non-empty object"),
        "{}",
        lines[1]
    );
    assert_eq!(lines[2], "bad.json: invalid: 2 problems");
    // An envelope whose selection is invalid: also nothing sent.
    let config = ff.write(
        "config.json",
        r#"{"log_level": "INFO", "features": {"premium": {"default": 1}}}"#,
    );
    let run = ff.run(&["push", "--appconfig", &location, &config, "--envelope", "features"]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stderr
            .starts_with("config.json:1:48: /features/premium/default: expected a boolean"),
        "{}",
        run.stderr
    );
    // Not JSON, and a missing file.
    ff.write("text.json", "premium = true");
    assert_eq!(ff.run(&["push", "--appconfig", &location, "text.json"]).code, 1);
    let run = ff.run(&["push", "--appconfig", &location, "missing.json"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (2, "ff: cannot read missing.json: no such file\n")
    );

    assert_eq!(seeded.hosted_versions().await, [], "no hosted version created");
    assert_eq!(seeded.deployment_count().await, 0, "no deployment started");
}

#[tokio::test]
async fn unknown_names_exit_1_naming_the_error() {
    let (ms, ff) = setup!("unknown_names_exit_1_naming_the_error");
    let seeded = ms.create("ff-cli-unknown").await;
    let app = &seeded.application;
    let flags = ff.write("flags.json", FLAGS);
    let missing_app = format!("{}/prod/features", unique("no-such-app"));

    for args in [
        vec!["eval", "--appconfig", &missing_app, "premium"],
        vec!["enabled", "--appconfig", &missing_app],
        vec!["explain", "--appconfig", &missing_app, "premium"],
        vec!["pull", "--appconfig", &missing_app, "-o", "out.json"],
    ] {
        let run = ff.run(&args);
        assert_eq!(run.code, 1, "{args:?}: {run:#?}");
        assert_eq!(run.stdout, "");
        assert!(
            run.stderr.starts_with(&format!(
                "ff: AppConfig {missing_app}: StartConfigurationSession failed: ResourceNotFoundException: "
            )),
            "{args:?}: {}",
            run.stderr
        );
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    }
    assert_eq!(ff.files(), ["flags.json"], "pull wrote nothing");

    let unknown_profile = format!("{app}/prod/no-such-profile");
    let run = ff.run(&["eval", "--appconfig", &unknown_profile, "premium"]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stderr
            .contains("StartConfigurationSession failed: ResourceNotFoundException"),
        "{}",
        run.stderr
    );

    // Nothing deployed yet: an error, not the caller's default.
    let location = format!("{app}/prod/features");
    let run = ff.run(&["eval", "--appconfig", &location, "premium", "--default", "true"]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stderr.contains("no configuration has been deployed"),
        "{}",
        run.stderr
    );

    // push names what it could not find, and sends nothing.
    let app_name = missing_app.split('/').next().unwrap();
    let run = ff.run(&[
        "push",
        "--appconfig",
        &missing_app,
        &flags,
        "--strategy",
        &seeded.strategy_id,
    ]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stderr.starts_with(&format!(
            "ff: AppConfig push to {missing_app}: no application has the name or ID `{app_name}` (there "
        )),
        "{}",
        run.stderr
    );
    let run = ff.run(&[
        "push",
        "--appconfig",
        &format!("{app}/staging/features"),
        &flags,
        "--strategy",
        &seeded.strategy_id,
    ]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stderr.contains(&format!(
            "no environment of application `{app}` has the name or ID `staging` (there is 1: `prod`)"
        )),
        "{}",
        run.stderr
    );
    let run = ff.run(&[
        "push",
        "--appconfig",
        &format!("{app}/prod/flags"),
        &flags,
        "--strategy",
        &seeded.strategy_id,
    ]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stderr.contains(&format!(
            "no configuration profile of application `{app}` has the name or ID `flags` (there is 1: `features`)"
        )),
        "{}",
        run.stderr
    );
    let run = ff.run(&[
        "push",
        "--appconfig",
        &location,
        &flags,
        "--strategy",
        "no-such-strategy",
    ]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stderr
            .contains("no deployment strategy has the name or ID `no-such-strategy`"),
        "{}",
        run.stderr
    );
    assert_eq!(seeded.hosted_versions().await, [], "no hosted version created");
    assert_eq!(seeded.deployment_count().await, 0);

    // A bad location is a usage error (exit 2), before any call.
    let run = ff.run(&["eval", "--appconfig", "shop/prod", "premium"]);
    assert_eq!(run.code, 2, "{run:#?}");
    assert!(
        run.stderr
            .starts_with("ff: --appconfig: `shop/prod` is not an AppConfig location"),
        "{}",
        run.stderr
    );
    assert_eq!(ff.run(&["push", "--appconfig", "a//c", &flags]).code, 2);
    assert_eq!(ff.run(&["pull", "--appconfig", "a/b/c/d"]).code, 2);
}

#[tokio::test]
async fn the_default_strategy_is_all_at_once() {
    let (ms, ff) = setup!("the_default_strategy_is_all_at_once");
    let seeded = ms.create("ff-cli-default-strategy").await;
    let location = format!("{}/prod/features", seeded.application);
    let flags = ff.write("flags.json", FLAGS);
    let run = ff.run(&["push", "--appconfig", &location, &flags]);
    let line = run.line();
    assert!(line.contains("(strategy AppConfig.AllAtOnce, "), "{line}");
    let (_, deployment) = push_numbers(line);
    let state = ms
        .control
        .get_deployment()
        .application_id(&seeded.application_id)
        .environment_id(&seeded.environment_id)
        .deployment_number(deployment)
        .send()
        .await
        .unwrap();
    assert_eq!(state.deployment_strategy_id(), Some("AppConfig.AllAtOnce"));
    assert_eq!(
        state.final_bake_time_in_minutes(),
        10,
        "the predefined strategy bakes for 10 minutes"
    );
    let shown = state.state().unwrap().as_str();
    assert!(
        line.ends_with(&format!(", {shown})")) || shown == "BAKING",
        "{line} / {shown}"
    );

    // AppConfig allows one deployment in progress per environment: a second push creates
    // the version, fails to deploy it, and says both.
    let run = ff.run(&["push", "--appconfig", &location, &flags]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stderr.starts_with(&format!(
            "ff: AppConfig push to {location}: StartDeployment failed: ConflictException: "
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .ends_with(" (hosted configuration version 2 was created, but not deployed)\n"),
        "{}",
        run.stderr
    );
}

#[tokio::test]
async fn pull_refuses_an_invalid_live_document() {
    let (ms, ff) = setup!("pull_refuses_an_invalid_live_document");
    // Deployed behind ff's back, so not validated.
    let seeded = ms.seed("ff-cli-live-invalid", BAD).await;
    let location = format!("{}/prod/features", seeded.application);
    ff.write("live.json", "the previous pull\n");
    let run = ff.run(&["pull", "--appconfig", &location, "-o", "live.json"]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert_eq!(run.stdout, "");
    let name = format!("appconfig:{location}");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stderr);
    assert!(
        lines[0].starts_with(&format!("{name}: /premium/default: expected a boolean `default`")),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with(&format!("{name}: /empty: expected a non-empty object")),
        "{}",
        lines[1]
    );
    assert_eq!(lines[2], format!("{name}: invalid: 2 problems"));
    assert_eq!(ff.read("live.json"), "the previous pull\n", "the file is untouched");
    assert_eq!(ff.files(), ["live.json"], "no temporary file left");
    // Evaluating it is the same error.
    let run = ff.run(&["enabled", "--appconfig", &location]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.ends_with(&format!("{name}: invalid: 2 problems\n")),
        "{}",
        run.stderr
    );

    // Not JSON at all.
    seeded.deploy("premium = true").await;
    let run = ff.run(&["pull", "--appconfig", &location, "-o", "live.json"]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stderr.starts_with(&format!(
            "ff: AppConfig {location}: the configuration (version `v2`, application/json) is not JSON: "
        )),
        "{}",
        run.stderr
    );
    assert_eq!(ff.read("live.json"), "the previous pull\n");
}

#[tokio::test]
async fn envelopes_select_the_feature_document() {
    let (ms, ff) = setup!("envelopes_select_the_feature_document");
    let seeded = ms.create("ff-cli-envelope").await;
    let location = format!("{}/prod/features", seeded.application);
    let config = r#"{"log_level": "INFO", "features": {"premium": {"default": false, "rules": {"gold": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "tier", "value": "gold"}]}}}}}"#;
    let file = ff.write("config.json", config);
    push(&ms, &ff, &seeded, &file, &["--envelope", "features"]).await;
    assert_eq!(seeded.hosted_versions().await[0].1, config, "the whole file is deployed");

    let gold = r#"{"tier": "gold"}"#;
    let run = ff.run(&[
        "eval",
        "--appconfig",
        &location,
        "premium",
        "--envelope",
        "features",
        "--context",
        gold,
    ]);
    assert_eq!(run.line(), "true");
    // Without the envelope the stored document is not a feature document.
    let run = ff.run(&["eval", "--appconfig", &location, "premium"]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stderr.starts_with(&format!(
            "appconfig:{location}: /log_level: expected a non-empty object"
        )),
        "{}",
        run.stderr
    );
    // pull --envelope writes the selected document: what ff-build compiles.
    let run = ff.run(&[
        "pull",
        "--appconfig",
        &location,
        "--envelope",
        "features",
        "-o",
        "flags.json",
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    let pulled = Value::from_json(&ff.read("flags.json")).unwrap();
    assert_eq!(
        pulled.to_string(),
        Value::from_json(config).unwrap().get("features").unwrap().to_string()
    );
    // Problems under a field-path envelope point from the stored document's root.
    let run = ff.run(&["pull", "--appconfig", &location, "--envelope", "log_level"]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stderr.starts_with(&format!(
            "appconfig:{location}: /log_level: expected an object of features, found string \"INFO\""
        )),
        "{}",
        run.stderr
    );
    // An envelope selecting nothing, and a bad expression (exit 2, before any call).
    let run = ff.run(&["pull", "--appconfig", &location, "--envelope", "nothing.here"]);
    assert_eq!(run.code, 1, "{run:#?}");
    let run = ff.run(&["pull", "--appconfig", &location, "--envelope", "[["]);
    assert_eq!(run.code, 2, "{run:#?}");
    assert!(run.stderr.starts_with("ff: --envelope: "), "{}", run.stderr);
}

/// The binary the tests run is the one with the feature: its help shows `pull` and `push`.
#[test]
fn ff_bin_has_the_appconfig_commands() {
    let Some(bin) = ff_bin("ff_bin_has_the_appconfig_commands") else {
        return;
    };
    let output = Command::new(&bin).arg("push").arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && help.contains("--strategy <NAME|ID>"),
        "{help}"
    );
    // Run without any AWS endpoint or region: a clear exit 1, not a panic or a hang.
    let output = Command::new(&bin)
        .args(["enabled", "--appconfig", "a/b/c"])
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_PROFILE")
        .env("AWS_CONFIG_FILE", Path::new("/nonexistent/ff-test-config"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr,
        "ff: AWS AppConfig: no AWS region is configured: set AWS_REGION (or a region in the AWS profile)\n"
    );
}
