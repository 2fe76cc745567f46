//! `AppConfigStore` against MiniStack, a local AWS emulator whose AppConfig Data API
//! behaves like AWS (single-use tokens, an empty body when unchanged, `BadRequestException`
//! for a used or bogus token, `ResourceNotFoundException` for unknown names).
//!
//! Run with `scripts/test-appconfig.sh`, which starts MiniStack and sets
//! `FF_MINISTACK_ENDPOINT`; without it every test here says SKIPPED on the terminal.

use std::sync::Arc;
use std::time::Duration;

use ff_appconfig_tests::{ministack_or_skip, shout, Call, Probe};
use ff_runtime::appconfig::{AppConfigLocation, AppConfigStore};
use ff_runtime::{Envelope, FeatureFlags, Refresh, StoreErrorKind, StoreProvider, Value};
use serde_json::json;

const V1: &str = r#"{
  "premium": {"default": false, "rules": {"gold tier": {"when_match": true,
      "conditions": [{"action": "EQUALS", "key": "tier", "value": "gold"}]}}},
  "discount": {"default": 5, "boolean_type": false}
}"#;

const V2: &str = r#"{
  "premium": {"default": true},
  "discount": {"default": 10, "boolean_type": false}
}"#;

fn gold() -> serde_json::Value {
    json!({"tier": "gold"})
}

fn silver() -> serde_json::Value {
    json!({"tier": "silver"})
}

async fn value(flags: &FeatureFlags, name: &str, ctx: &serde_json::Value) -> Value {
    flags.evaluate(name, ctx, "caller default").await.expect("evaluation")
}

#[tokio::test]
async fn first_fetch_starts_a_session_and_reads_the_deployed_document() {
    let ms = ministack_or_skip!("first_fetch_starts_a_session_and_reads_the_deployed_document");
    let seeded = ms.seed("first-fetch", V1).await;
    let probe = Probe::new();
    let store = AppConfigStore::from_client(ms.data_client(&probe), seeded.location());
    let flags = FeatureFlags::new(store);

    assert_eq!(value(&flags, "premium", &gold()).await, Value::Bool(true));
    assert_eq!(value(&flags, "premium", &silver()).await, Value::Bool(false));
    assert_eq!(value(&flags, "discount", &gold()).await, Value::from(5));
    assert_eq!(value(&flags, "unknown", &gold()).await, Value::from("caller default"));
    assert_eq!(flags.enabled_features(&gold()).await.unwrap(), ["premium", "discount"]);

    let calls = probe.calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(calls[0], Call::Start);
    assert!(matches!(&calls[1], Call::Get(token) if !token.is_empty()));
    assert_eq!(flags.store::<AppConfigStore>().unwrap().version_label().as_deref(), Some("v1"));
    let raw = flags.store::<AppConfigStore>().unwrap().last_raw_configuration().expect("raw document");
    assert_eq!(raw.as_object().unwrap().len(), 2);
    assert_eq!(flags.store_name(), format!("AppConfig {}/prod/features", seeded.application));
}

#[tokio::test]
async fn ids_work_as_well_as_names() {
    let ms = ministack_or_skip!("ids_work_as_well_as_names");
    let seeded = ms.seed("by-id", V1).await;
    let location = AppConfigLocation::new(&seeded.application_id, &seeded.environment_id, &seeded.profile_id);
    let flags = FeatureFlags::new(AppConfigStore::from_sdk_config(&ms.sdk_config, location));
    assert_eq!(value(&flags, "premium", &gold()).await, Value::Bool(true));
}

#[tokio::test]
async fn no_api_call_within_max_age() {
    let ms = ministack_or_skip!("no_api_call_within_max_age");
    let seeded = ms.seed("cache-hit", V1).await;
    let probe = Probe::new();
    let store = AppConfigStore::from_client(ms.data_client(&probe), seeded.location());
    let flags = FeatureFlags::builder(store).max_age(Duration::from_secs(300)).build();

    assert_eq!(value(&flags, "premium", &gold()).await, Value::Bool(true));
    let after_first = probe.count();
    assert_eq!(after_first, 2);
    for i in 0..1000 {
        let ctx = if i % 2 == 0 { gold() } else { silver() };
        assert_eq!(value(&flags, "premium", &ctx).await, Value::Bool(i % 2 == 0));
        assert_eq!(value(&flags, "discount", &ctx).await, Value::from(5));
    }
    let extra = probe.count() - after_first;
    assert_eq!(extra, 0, "2000 evaluations within max_age made {extra} API calls");
    assert_eq!(flags.status().fetches, 1);
    shout(&format!(
        "measured: 2000 evaluations within max_age -> {extra} AppConfig API calls (after the 2 of the first fetch)"
    ));
}

#[tokio::test]
async fn the_service_poll_interval_is_respected_even_when_max_age_is_shorter() {
    let ms = ministack_or_skip!("the_service_poll_interval_is_respected_even_when_max_age_is_shorter");
    let seeded = ms.seed("poll-interval", V1).await;
    let probe = Probe::new();
    // The session asks for 15 s (the least AppConfig allows); max_age 0 asks the store on
    // every evaluation.
    let store = AppConfigStore::from_client(ms.data_client(&probe), seeded.location())
        .with_poll_interval(Duration::from_secs(15));
    let flags = FeatureFlags::builder(store).max_age(Duration::ZERO).refresh(Refresh::Blocking).build();
    let first = flags.store::<AppConfigStore>().unwrap().get_configuration().await.unwrap();
    seeded.deploy(V2).await;
    for _ in 0..200 {
        assert_eq!(value(&flags, "discount", &gold()).await, Value::from(5));
    }
    let again = flags.store::<AppConfigStore>().unwrap().get_configuration().await.unwrap();
    assert!(Arc::ptr_eq(&first, &again));
    assert_eq!(probe.count(), 2, "polled sooner than NextPollIntervalInSeconds allows: {:?}", probe.calls());
    assert_eq!(flags.status().fetches, 200);
}

#[tokio::test]
async fn an_unchanged_poll_keeps_the_same_document() {
    let ms = ministack_or_skip!("an_unchanged_poll_keeps_the_same_document");
    let seeded = ms.seed("unchanged", V1).await;
    let probe = Probe::new();
    probe.answer_poll_interval(0);
    let store = AppConfigStore::from_client(ms.data_client(&probe), seeded.location());
    let first = store.get_raw_configuration().await.unwrap();
    let second = store.get_raw_configuration().await.unwrap();
    let third = store.get_configuration().await.unwrap();
    assert!(Arc::ptr_eq(&first, &second), "an empty (unchanged) answer must give the same Arc");
    assert!(Arc::ptr_eq(&first, &third));
    // One session, then three polls, each with the token the previous answer gave.
    let calls = probe.calls();
    assert_eq!(calls.len(), 4, "{calls:?}");
    assert_eq!(calls[0], Call::Start);
    let tokens = probe.tokens();
    assert_eq!(tokens.len(), 3);
    assert!(tokens[0] != tokens[1] && tokens[1] != tokens[2], "tokens are single-use: {tokens:?}");

    // Through FeatureFlags: the document in force is not recompiled.
    let flags = FeatureFlags::builder(store).max_age(Duration::ZERO).refresh(Refresh::Blocking).build();
    let a = flags.snapshot().await.unwrap();
    let b = flags.snapshot().await.unwrap();
    assert!(std::ptr::eq(a.document().unwrap(), b.document().unwrap()));
}

#[tokio::test]
async fn a_new_deployment_is_picked_up_on_the_next_poll() {
    let ms = ministack_or_skip!("a_new_deployment_is_picked_up_on_the_next_poll");
    let seeded = ms.seed("new-deployment", V1).await;
    let probe = Probe::new();
    probe.answer_poll_interval(1);
    let store = AppConfigStore::from_client(ms.data_client(&probe), seeded.location());
    let flags = FeatureFlags::builder(store).max_age(Duration::ZERO).refresh(Refresh::Blocking).build();
    assert_eq!(value(&flags, "premium", &silver()).await, Value::Bool(false));
    assert_eq!(value(&flags, "discount", &silver()).await, Value::from(5));

    assert_eq!(seeded.deploy(V2).await, "v2");
    // Within the 1 s the service asked for: still v1, and no call.
    assert_eq!(value(&flags, "discount", &silver()).await, Value::from(5));
    assert_eq!(probe.count(), 2);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(value(&flags, "premium", &silver()).await, Value::Bool(true));
    assert_eq!(value(&flags, "discount", &silver()).await, Value::from(10));
    assert_eq!(probe.count(), 3, "{:?}", probe.calls());
    assert_eq!(flags.store::<AppConfigStore>().unwrap().version_label().as_deref(), Some("v2"));
}

#[tokio::test]
async fn a_bogus_or_used_token_starts_a_new_session() {
    let ms = ministack_or_skip!("a_bogus_or_used_token_starts_a_new_session");
    let seeded = ms.seed("bad-token", V1).await;
    let probe = Probe::new();
    probe.answer_poll_interval(0);
    let store = AppConfigStore::from_client(ms.data_client(&probe), seeded.location());
    let first = store.get_raw_configuration().await.unwrap();
    let used = probe.tokens()[0].clone();

    probe.replace_next_token("bogus-token");
    let after_bogus = store.get_raw_configuration().await.expect("recovers with a new session");
    assert!(Arc::ptr_eq(&first, &after_bogus), "the same bytes from a new session give the same Arc");
    let calls = probe.calls();
    assert_eq!(calls[2..], [Call::Get("bogus-token".into()), Call::Start, calls[4].clone()], "{calls:?}");

    probe.replace_next_token(used.clone());
    seeded.deploy(V2).await;
    let after_reuse = store.get_raw_configuration().await.expect("recovers with a new session");
    assert_eq!(after_reuse.as_object().unwrap().len(), 2);
    assert_eq!(after_reuse.to_json(), Value::from_json(V2).unwrap().to_json());
    let calls = probe.calls();
    assert_eq!(calls.len(), 8, "{calls:?}");
    assert_eq!(calls[5..7], [Call::Get(used), Call::Start]);

    // And the session goes on normally afterwards.
    let next = store.get_raw_configuration().await.unwrap();
    assert!(Arc::ptr_eq(&after_reuse, &next));
    assert_eq!(probe.count(), 9);
}

#[tokio::test]
async fn unknown_application_environment_or_profile_is_a_configuration_error() {
    let ms = ministack_or_skip!("unknown_application_environment_or_profile_is_a_configuration_error");
    let seeded = ms.seed("unknown", V1).await;
    for location in [
        AppConfigLocation::new("no-such-application", "prod", "features"),
        AppConfigLocation::new(&seeded.application, "no-such-environment", "features"),
        AppConfigLocation::new(&seeded.application, "prod", "no-such-profile"),
    ] {
        let store = AppConfigStore::from_sdk_config(&ms.sdk_config, location.clone());
        let err = store.get_configuration().await.unwrap_err();
        assert_eq!(err.kind, StoreErrorKind::Configuration, "{err}");
        assert!(err.message.contains("StartConfigurationSession failed: ResourceNotFoundException"), "{err}");
        assert!(err.message.contains(&location.to_string()), "{err}");
        // Evaluation falls back to the caller's default.
        let flags = FeatureFlags::new(store);
        assert_eq!(flags.evaluate("premium", &gold(), "fallback").await.unwrap(), Value::from("fallback"));
        assert!(flags.enabled_features(&gold()).await.unwrap().is_empty());
        assert!(flags.status().last_error.unwrap().contains("ResourceNotFoundException"));
    }
}

#[tokio::test]
async fn nothing_deployed_yet_is_a_configuration_error() {
    let ms = ministack_or_skip!("nothing_deployed_yet_is_a_configuration_error");
    let seeded = ms.create("undeployed").await;
    let probe = Probe::new();
    probe.answer_poll_interval(0);
    let store = AppConfigStore::from_client(ms.data_client(&probe), seeded.location());
    let err = store.get_configuration().await.unwrap_err();
    assert_eq!(err.kind, StoreErrorKind::Configuration);
    assert!(err.message.contains("no configuration has been deployed"), "{err}");
    seeded.deploy(V1).await;
    let flags = FeatureFlags::builder(store).max_age(Duration::ZERO).refresh(Refresh::Blocking).build();
    assert_eq!(value(&flags, "premium", &gold()).await, Value::Bool(true));
    assert_eq!(probe.calls()[0], Call::Start);
    assert_eq!(probe.count(), 3, "the session goes on: {:?}", probe.calls());
}

#[tokio::test]
async fn an_invalid_document_after_a_good_one_keeps_the_last_good_one() {
    let ms = ministack_or_skip!("an_invalid_document_after_a_good_one_keeps_the_last_good_one");
    let seeded = ms.seed("last-known-good", V1).await;
    let probe = Probe::new();
    probe.answer_poll_interval(0);
    let store = AppConfigStore::from_client(ms.data_client(&probe), seeded.location());
    let flags = FeatureFlags::builder(store).max_age(Duration::ZERO).refresh(Refresh::Blocking).build();
    assert_eq!(value(&flags, "discount", &gold()).await, Value::from(5));

    // Valid JSON, invalid document: validation fails, v1 stays in force.
    seeded.deploy(r#"{"premium": {"default": "yes"}, "discount": {"default": 99, "boolean_type": false}}"#).await;
    assert_eq!(value(&flags, "discount", &gold()).await, Value::from(5));
    assert_eq!(value(&flags, "premium", &gold()).await, Value::Bool(true));
    let status = flags.status();
    assert!(status.has_document);
    assert!(status.last_error.as_deref().unwrap_or("").contains("/premium"), "{status:?}");

    // Not JSON at all: a store error, v1 stays in force, and the unchanged polls that
    // follow keep reporting it (the bad version is still the deployed one).
    seeded.deploy("{ this is not json").await;
    for _ in 0..3 {
        assert_eq!(value(&flags, "discount", &gold()).await, Value::from(5));
        let error = flags.status().last_error.unwrap_or_default();
        assert!(error.contains("is not JSON") && error.contains("version `v3`"), "{error}");
    }
    let raw = flags.store::<AppConfigStore>().unwrap().last_raw_configuration().unwrap();
    assert_eq!(raw.as_object().unwrap().len(), 2, "the raw document is the last JSON one");

    // A good document again is picked up.
    seeded.deploy(V2).await;
    assert_eq!(value(&flags, "discount", &gold()).await, Value::from(10));
    assert_eq!(flags.status().last_error, None);
}

#[tokio::test]
async fn an_envelope_selects_the_feature_document_and_the_raw_document_stays_readable() {
    let ms = ministack_or_skip!("an_envelope_selects_the_feature_document_and_the_raw_document_stays_readable");
    let document = format!(r#"{{"log_level": "DEBUG", "service": {{"features": {V1}}}}}"#);
    let seeded = ms.seed("envelope", &document).await;
    let probe = Probe::new();
    probe.answer_poll_interval(0);
    let store = AppConfigStore::from_client(ms.data_client(&probe), seeded.location())
        .with_envelope(Envelope::new("service.features").unwrap());
    let one = store.get_configuration().await.unwrap();
    let two = store.get_configuration().await.unwrap();
    assert!(Arc::ptr_eq(&one, &two), "the envelope result is memoised per raw document");
    assert_eq!(one.as_object().unwrap().len(), 2);
    let raw = store.get_raw_configuration().await.unwrap();
    assert!(raw.to_json().contains(r#""log_level":"DEBUG""#), "{}", raw.to_json());
    assert!(Arc::ptr_eq(&raw, &store.last_raw_configuration().unwrap()));

    let flags = FeatureFlags::builder(store).max_age(Duration::ZERO).refresh(Refresh::Blocking).build();
    assert_eq!(value(&flags, "premium", &gold()).await, Value::Bool(true));
}

#[tokio::test]
async fn an_envelope_that_selects_nothing_is_a_clear_store_error() {
    let ms = ministack_or_skip!("an_envelope_that_selects_nothing_is_a_clear_store_error");
    let seeded = ms.seed("envelope-nothing", V1).await;
    let store = AppConfigStore::from_sdk_config(&ms.sdk_config, seeded.location())
        .with_envelope(Envelope::new("features").unwrap());
    let err = store.get_configuration().await.unwrap_err();
    assert_eq!(err.kind, StoreErrorKind::Configuration);
    assert!(err.message.contains("envelope `features` selects nothing"), "{err}");
    assert!(err.message.contains(&seeded.application), "{err}");
    // The raw document was fetched all the same.
    assert!(store.last_raw_configuration().is_some());
    let flags = FeatureFlags::new(store);
    assert_eq!(flags.evaluate("premium", &gold(), "fallback").await.unwrap(), Value::from("fallback"));
    assert!(flags.status().last_error.unwrap().contains("selects nothing"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_evaluations_share_one_fetch() {
    let ms = ministack_or_skip!("concurrent_evaluations_share_one_fetch");
    let seeded = ms.seed("single-flight", V1).await;
    let probe = Probe::new();
    let store = AppConfigStore::from_client(ms.data_client(&probe), seeded.location());
    let flags = FeatureFlags::builder(store).max_age(Duration::from_secs(60)).build();
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let flags = flags.clone();
            tokio::spawn(async move { flags.evaluate("premium", &json!({"tier": "gold"}), false).await.unwrap() })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), Value::Bool(true));
    }
    assert_eq!(probe.count(), 2, "{:?}", probe.calls());
}

/// `AppConfigStore::from_env`: the standard AWS configuration chain. `scripts/test-appconfig.sh`
/// sets `AWS_ENDPOINT_URL_APPCONFIGDATA`, `AWS_REGION` and static credentials for it.
#[tokio::test]
async fn the_standard_aws_configuration_chain_is_used() {
    let ms = ministack_or_skip!("the_standard_aws_configuration_chain_is_used");
    if std::env::var("AWS_ENDPOINT_URL_APPCONFIGDATA").ok().as_deref() != Some(ms.endpoint.as_str()) {
        shout("\n*** SKIPPED the_standard_aws_configuration_chain_is_used: AWS_ENDPOINT_URL_APPCONFIGDATA is not the MiniStack endpoint (scripts/test-appconfig.sh sets it).\n");
        return;
    }
    let seeded = ms.seed("from-env", V1).await;
    let flags = FeatureFlags::new(AppConfigStore::from_env(seeded.location()).await);
    assert_eq!(value(&flags, "premium", &gold()).await, Value::Bool(true));
    assert_eq!(value(&flags, "discount", &gold()).await, Value::from(5));
}
