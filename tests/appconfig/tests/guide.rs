//! The user guide (`docs/guide.md`) end to end, as a new user follows it: the guide's
//! document is written to `flags.json`; `ff validate` and `ff push` deploy it to AWS
//! AppConfig (MiniStack) with the guide's own command lines; a running service with the
//! typed flags generated from that document picks it up through `AppConfigStore`; the
//! guide's CI drift check (`ff pull` + `ff diff`) passes, then fails once someone pushes
//! another document; and the code is tested with typed overrides.
//!
//! The document and the `ff` commands are read from the guide's text, so that this test
//! follows the guide when it changes: the JSON block that shows `docs/flags.json`, and the
//! `ff ...` lines of the shell blocks that run `ff push` and `ff pull`, whose `# ...` lines
//! are the output the guide promises. The guide's names (`shop/prod/features` and the
//! template's strategy `shop-prod-feature-flags`) are replaced by names unique to this run.
//! The infrastructure is created as `examples/infra/appconfig.yaml` creates it, through the
//! AppConfig control plane (the test's MiniStack runs AppConfig, not CloudFormation): the
//! application, environment, hosted profile, a strategy with no rollout or bake time, and a
//! first deployment of `examples/checkout/flags.json`.
//!
//! `ff push` resolves names by listing, and MiniStack lists at most 50 applications: like
//! `cli.rs`, this test runs before `ministack.rs` adds its own.
//!
//! Run with `scripts/test-appconfig.sh` (it starts MiniStack and builds `ff` with the
//! `appconfig` feature); without it the test says SKIPPED on the terminal.

use std::path::PathBuf;
use std::time::Duration;

use ff_appconfig_tests::{
    ministack_and_ff_or_skip, push_numbers, unique, wait_for_deployment, Probe,
};
use ff_runtime::appconfig::AppConfigStore;
use ff_runtime::{bucket_key, FeatureFlags, Value};
use serde_json::json;

// The typed flags of the guide's document, as the guide's "Typed, with the attribute macro"
// section generates them.
#[ff_macros::feature_flags("../../docs/flags.json")]
mod flags {}

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repository().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The fenced code blocks of `markdown`: (info string, text).
fn code_blocks(markdown: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in markdown.lines() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(info)) => open = Some((info.trim().to_owned(), String::new())),
            (Some(_), Some("")) => blocks.push(open.take().unwrap()),
            (Some((_, text)), _) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "docs/guide.md: an unclosed code block");
    blocks
}

/// One `ff` command of a shell block, and the output lines the guide shows under it.
#[derive(Clone, Debug)]
struct Step {
    args: Vec<String>,
    expected: Vec<String>,
}

/// The `ff` commands of the guide's shell block that contains `marker`.
fn steps(guide: &str, marker: &str) -> Vec<Step> {
    let blocks: Vec<String> = code_blocks(guide)
        .into_iter()
        .filter(|(info, text)| info == "sh" && text.contains(marker))
        .map(|(_, text)| text)
        .collect();
    assert_eq!(
        blocks.len(),
        1,
        "docs/guide.md: one shell block with `{marker}`"
    );
    let mut steps: Vec<Step> = Vec::new();
    let mut after_ff = false;
    for line in blocks[0].lines() {
        if let Some(command) = line.strip_prefix("ff ") {
            assert!(
                !command.contains(['\'', '"', '$', '\\', '|', '>']),
                "docs/guide.md: `{line}`: this test splits commands on spaces only"
            );
            steps.push(Step {
                args: command.split_whitespace().map(str::to_owned).collect(),
                expected: Vec::new(),
            });
            after_ff = true;
        } else if let (true, Some(output)) = (after_ff, line.strip_prefix("# ")) {
            steps.last_mut().unwrap().expected.push(output.to_owned());
        } else {
            after_ff = false;
        }
    }
    steps
}

/// The value after `flag` in `step`.
fn option<'a>(step: &'a Step, flag: &str) -> &'a str {
    let at = step
        .args
        .iter()
        .position(|a| a == flag)
        .unwrap_or_else(|| panic!("no {flag} in {step:?}"));
    step.args
        .get(at + 1)
        .unwrap_or_else(|| panic!("no value after {flag} in {step:?}"))
}

/// `ff push`'s line with its deployment state (which depends on how fast the deployment
/// goes) replaced by `STATE`, after checking that it is one of AppConfig's.
fn without_state(line: &str) -> String {
    let (head, state) = line
        .rsplit_once(", ")
        .unwrap_or_else(|| panic!("no state in {line:?}"));
    let state = state
        .strip_suffix(')')
        .unwrap_or_else(|| panic!("no `)` at the end of {line:?}"));
    assert!(
        ["BAKING", "VALIDATING", "DEPLOYING", "COMPLETE"].contains(&state),
        "not a deployment state of a successful push: {state:?} in {line:?}"
    );
    format!("{head}, STATE)")
}

/// The code under test, as in the guide's "Typed overrides" section.
async fn checkout_page(flags: &flags::Flags, ctx: &flags::Context<'_>) -> String {
    let layout = if flags.new_checkout(ctx).await {
        "new"
    } else {
        "old"
    };
    format!(
        "{layout} checkout, {}% off",
        flags.discount_level(ctx).await
    )
}

#[tokio::test]
async fn a_new_user_follows_the_guide() {
    let (ms, ff) = ministack_and_ff_or_skip!("a_new_user_follows_the_guide");
    let guide = read("docs/guide.md");

    // 1. The document: the guide's copy of docs/flags.json, which is what the typed flags
    //    compile.
    let (_, document) = code_blocks(&guide)
        .into_iter()
        .find(|(info, text)| {
            info == "json" && text.contains("\"new_checkout\"") && text.contains("gift_wrapping")
        })
        .expect("docs/guide.md shows flags.json");
    assert_eq!(
        document,
        read("docs/flags.json"),
        "the guide's document is docs/flags.json"
    );
    assert_eq!(
        document,
        flags::DOCUMENT,
        "the typed flags compile the guide's document"
    );
    ff.write("flags.json", &document);

    // 2. The infrastructure, named as the guide names it, unique to this run.
    // (The AppConfig-format block, `shop/prod/flags`, is run by cli_native.rs.)
    let deploy = steps(&guide, "ff push --appconfig shop/prod/features");
    let push_step = deploy
        .iter()
        .find(|s| s.args[0] == "push")
        .expect("the guide runs ff push");
    let guide_location = option(push_step, "--appconfig").to_owned();
    let guide_strategy = option(push_step, "--strategy").to_owned();
    let [guide_app, environment, profile] = guide_location.split('/').collect::<Vec<_>>()[..]
    else {
        panic!("not APP/ENV/PROFILE: {guide_location}")
    };
    assert_eq!(
        guide_strategy,
        format!("{guide_app}-{environment}-feature-flags"),
        "the guide pushes with the template's strategy"
    );
    assert!(
        read("examples/infra/appconfig.yaml")
            .contains(r#"Name: !Sub "${ApplicationName}-${EnvironmentName}-feature-flags""#),
        "the template names its strategy APPLICATION-ENVIRONMENT-feature-flags"
    );
    let app = unique(guide_app);
    let location = format!("{app}/{environment}/{profile}");
    let strategy = format!("{app}-{environment}-feature-flags");
    let ours = |text: &str| {
        text.replace(&guide_location, &location)
            .replace(&guide_strategy, &strategy)
    };
    let seeded = ms.create_at(&app, environment, profile, &strategy).await;
    seeded.deploy(&read("examples/checkout/flags.json")).await; // the template's version 1

    // A service already running, with the typed flags over AppConfigStore (as in the
    // guide's "From AWS AppConfig"); the probe makes MiniStack allow a poll at any time.
    let probe = Probe::new();
    probe.answer_poll_interval(0);
    let store = AppConfigStore::from_client(ms.data_client(&probe), seeded.location())
        .with_timeout(Duration::from_secs(3));
    let service = flags::Flags::from(
        FeatureFlags::builder(store)
            .max_age(Duration::from_secs(45))
            .build(),
    );
    let ana = flags::Context::new()
        .tier("standard")
        .customer_bucket(bucket_key("ana@example.com"));
    // The template's document buckets by `customer_id`, not `customer_bucket`: ana is out.
    assert!(!service.new_checkout(&ana).await);
    let only_in_the_template = || async {
        service
            .feature_flags()
            .evaluate("support_chat", &json!({}), false)
            .await
            .unwrap()
    };
    assert_eq!(
        only_in_the_template().await,
        Value::Bool(true),
        "the template's document is live"
    );

    // 3. The guide's deployment: ff validate, ff push.
    let mut deployment = None;
    for step in &deploy {
        let args: Vec<String> = step.args.iter().map(|a| ours(a)).collect();
        let run = ff.run(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(run.code, 0, "ff {args:?}: {run:#?}");
        let mut printed: Vec<String> = run.stdout.lines().map(str::to_owned).collect();
        let mut expected: Vec<String> = step.expected.iter().map(|e| ours(e)).collect();
        if step.args[0] == "push" {
            let (version, number) = push_numbers(&printed[0]);
            assert_eq!(version, 2, "version 1 is the template's");
            deployment = Some(number);
            printed = printed.iter().map(|l| without_state(l)).collect();
            expected = expected.iter().map(|l| without_state(l)).collect();
        }
        assert_eq!(printed, expected, "ff {args:?}: the output the guide shows");
    }
    let deployment = deployment.expect("the guide's block pushed");
    wait_for_deployment(
        &ms.control,
        &seeded.application_id,
        &seeded.environment_id,
        deployment,
    )
    .await;
    let versions = seeded.hosted_versions().await;
    assert_eq!(versions.len(), 2);
    assert_eq!(
        versions[1].1,
        flags::DOCUMENT,
        "the deployed bytes are the compiled document"
    );

    // 4. The running service picks the pushed document up at its next poll.
    service.feature_flags().refresh().await.unwrap();
    assert!(
        service.new_checkout(&ana).await,
        "ana's bucket (3) is in the 20% rollout"
    );
    let ben = flags::Context::new()
        .tier("standard")
        .customer_bucket(bucket_key("ben@example.com"));
    assert!(
        !service.new_checkout(&ben).await,
        "ben's bucket (72) is not"
    );
    let gold = flags::Context::new().tier("gold").basket_size(120);
    assert!(service.new_checkout(&gold).await);
    assert_eq!(service.discount_level(&gold).await, 15);
    assert_eq!(
        service
            .discount_level(&flags::Context::new().basket_size(150))
            .await,
        5
    );
    assert_eq!(service.checkout_theme(&gold).await, "classic");
    assert_eq!(
        service
            .checkout_theme(&flags::Context::new().groups(&["staff"]))
            .await,
        "aurora"
    );
    assert!(service.gift_wrapping(&flags::Context::new()).await);
    assert_eq!(
        only_in_the_template().await,
        Value::Bool(false),
        "support_chat is gone: the caller's default"
    );
    let dynamic = service.feature_flags();
    assert_eq!(
        dynamic
            .evaluate(
                "discount_level",
                &json!({"tier": "gold", "basket_size": 120}),
                0
            )
            .await
            .unwrap(),
        Value::from(15)
    );
    let status = dynamic.status();
    assert_eq!(status.last_error, None);
    assert!(status.fetches >= 2, "{status:?}");

    // 5. The guide's CI drift check: nothing has drifted.
    let ci = steps(&guide, "ff pull --appconfig shop/prod/features");
    assert_eq!(
        ci.iter().map(|s| s.args[0].as_str()).collect::<Vec<_>>(),
        ["pull", "diff"],
        "the guide's CI block pulls, then diffs"
    );
    let run_ci = || {
        ci.iter()
            .map(|step| {
                let args: Vec<String> = step.args.iter().map(|a| ours(a)).collect();
                (
                    step,
                    ff.run(&args.iter().map(String::as_str).collect::<Vec<_>>()),
                )
            })
            .collect::<Vec<_>>()
    };
    for (step, run) in run_ci() {
        assert_eq!(run.code, 0, "ff {:?}: {run:#?}", step.args);
        let expected: Vec<String> = step.expected.iter().map(|e| ours(e)).collect();
        assert_eq!(
            run.stdout.lines().collect::<Vec<_>>(),
            expected,
            "ff {:?}",
            step.args
        );
    }
    let live = ff.read(option(&ci[0], "-o"));
    assert!(
        Value::from_json(&live).unwrap() == Value::from_json(flags::DOCUMENT).unwrap(),
        "ff pull wrote the pushed document"
    );

    // 6. Someone pushes another document (gift wrapping off): the service follows it, and
    //    the same CI check now fails, naming the change.
    let changed = document.replace(
        r#""gift_wrapping": { "default": true }"#,
        r#""gift_wrapping": { "default": false }"#,
    );
    assert_ne!(
        changed, document,
        "the guide's document has `\"gift_wrapping\": {{ \"default\": true }}`"
    );
    ff.write("changed.json", &changed);
    let run = ff.run(&[
        "push",
        "--appconfig",
        &location,
        "changed.json",
        "--strategy",
        &strategy,
    ]);
    let (version, number) = push_numbers(run.line());
    assert_eq!(version, 3);
    wait_for_deployment(
        &ms.control,
        &seeded.application_id,
        &seeded.environment_id,
        number,
    )
    .await;
    service.feature_flags().refresh().await.unwrap();
    assert!(!service.gift_wrapping(&flags::Context::new()).await);
    assert!(
        service.new_checkout(&gold).await,
        "the other flags are unchanged"
    );

    let runs = run_ci();
    let (pull, diff) = (&runs[0].1, &runs[1].1);
    assert_eq!(pull.code, 0, "{pull:#?}");
    assert_eq!(diff.code, 1, "--strict fails on any change: {diff:#?}");
    assert!(diff.stdout.contains("gift_wrapping"), "{}", diff.stdout);
    assert!(
        diff.stdout
            .ends_with("flags.json -> live.json: 1 change, 0 breaking compiled code\n"),
        "{}",
        diff.stdout
    );

    // 7. Testing the code: typed overrides instead of the live document.
    assert_eq!(
        checkout_page(&service, &gold).await,
        "new checkout, 15% off"
    );
    let forced = flags::Flags::for_tests()
        .new_checkout(false)
        .discount_level(30)
        .build();
    assert_eq!(checkout_page(&forced, &gold).await, "old checkout, 30% off");
    let partly = flags::Flags::for_tests().new_checkout(true).build();
    assert_eq!(
        checkout_page(&partly, &flags::Context::new().basket_size(150)).await,
        "new checkout, 5% off",
        "discount_level is not forced: its rules apply"
    );
}
