//! `AppConfigStore` against faults that the emulator cannot produce: throttling, a token
//! that expired after 24 hours, access denied, server errors and timeouts. The AppConfig
//! Data service is faked with the AWS SDK's own test HTTP clients (`infallible_client_fn`,
//! `NeverClient`); the SDK serialises, signs and parses everything as it would for AWS.

use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_config::{BehaviorVersion, Region};
use aws_credential_types::Credentials;
use aws_smithy_types::retry::RetryConfig;
use ff_appconfig_tests::{Call, Reply, Script};
use ff_runtime::appconfig::AppConfigStore;
use ff_runtime::{Error, FeatureFlags, Refresh, StoreError, StoreErrorKind, StoreProvider, Value};
use serde_json::json;

const V1: &str = r#"{"premium": {"default": true}, "discount": {"default": 5, "boolean_type": false}}"#;
const V2: &str = r#"{"premium": {"default": false}, "discount": {"default": 7, "boolean_type": false}}"#;

fn store(script: &Script) -> AppConfigStore {
    AppConfigStore::from_client(script.client(), ("shop", "prod", "features"))
}

fn get(token: &str) -> Call {
    Call::Get(token.to_owned())
}

#[tokio::test]
async fn throttling_is_a_configuration_error_and_the_token_is_kept() {
    let script = Script::new([
        Reply::Session("t1"),
        Reply::Config("t2", 0, V1),
        Reply::Error(429, "ThrottlingException", "Rate exceeded"),
        Reply::Config("t3", 0, ""),
    ]);
    let store = store(&script);
    let first = store.get_raw_configuration().await.unwrap();
    let err = store.get_raw_configuration().await.unwrap_err();
    assert_eq!(err.kind, StoreErrorKind::Configuration);
    assert_eq!(
        err.message,
        "AppConfig shop/prod/features: GetLatestConfiguration failed: ThrottlingException: Rate exceeded"
    );
    assert!(std::error::Error::source(&err).is_some(), "the SDK error is attached");
    let again = store.get_raw_configuration().await.unwrap();
    assert!(Arc::ptr_eq(&first, &again));
    assert_eq!(script.calls(), [Call::Start, get("t1"), get("t2"), get("t2")]);
}

#[tokio::test]
async fn throttling_keeps_the_last_good_document_in_force() {
    let script = Script::new([
        Reply::Session("t1"),
        Reply::Config("t2", 0, V1),
        Reply::Error(429, "ThrottlingException", "Rate exceeded"),
        Reply::Error(500, "InternalServerException", "Something broke"),
    ]);
    let flags = FeatureFlags::builder(store(&script)).max_age(Duration::ZERO).refresh(Refresh::Blocking).build();
    assert_eq!(flags.evaluate("discount", &(), 0).await.unwrap(), Value::from(5));
    assert_eq!(flags.evaluate("discount", &(), 0).await.unwrap(), Value::from(5));
    assert!(flags.status().last_error.unwrap().contains("ThrottlingException"));
    assert_eq!(flags.evaluate("discount", &(), 0).await.unwrap(), Value::from(5));
    assert!(flags.status().last_error.unwrap().contains("InternalServerException: Something broke"));
    assert_eq!(flags.status().failures, 2);
}

#[tokio::test]
async fn the_sdk_retries_a_throttled_poll_with_the_same_token() {
    let script = Script::new([
        Reply::Session("t1"),
        Reply::Error(429, "ThrottlingException", "Rate exceeded"),
        Reply::Config("t2", 0, V1),
    ]);
    let store =
        AppConfigStore::from_client(script.client_with_retries(RetryConfig::standard()), ("shop", "prod", "features"));
    let doc = store.get_raw_configuration().await.unwrap();
    assert_eq!(doc.as_object().unwrap().len(), 2);
    assert_eq!(script.calls(), [Call::Start, get("t1"), get("t1")]);
}

#[tokio::test]
async fn an_expired_token_starts_a_new_session_once() {
    // A day without polls: AppConfig rejects the token with BadRequestException. The
    // reference fails from then on; ff starts a new session.
    let script = Script::new([
        Reply::Session("t1"),
        Reply::Config("t2", 0, V1),
        Reply::Error(400, "BadRequestException", "Invalid or expired configuration token"),
        Reply::Session("t3"),
        Reply::Config("t4", 0, V1),
    ]);
    let store = store(&script);
    let first = store.get_raw_configuration().await.unwrap();
    let second = store.get_raw_configuration().await.unwrap();
    assert!(Arc::ptr_eq(&first, &second), "the same bytes from the new session give the same Arc");
    assert_eq!(script.calls(), [Call::Start, get("t1"), get("t2"), Call::Start, get("t3")]);

    // The new session's token is rejected too: one new session per fetch, then the error.
    script.then([
        Reply::Error(400, "BadRequestException", "Invalid or expired configuration token"),
        Reply::Session("t5"),
        Reply::Error(400, "BadRequestException", "Invalid or expired configuration token"),
    ]);
    let err = store.get_raw_configuration().await.unwrap_err();
    assert_eq!(err.kind, StoreErrorKind::Configuration);
    assert!(
        err.message
            .contains("GetLatestConfiguration failed: BadRequestException: Invalid or expired configuration token"),
        "{err}"
    );
    assert_eq!(script.calls()[5..], [get("t4"), Call::Start, get("t5")]);
    assert_eq!(script.remaining(), 0);

    // A rejected token is never sent again: the next fetch starts with a new session.
    script.then([Reply::Session("t6"), Reply::Config("t7", 0, V2)]);
    let third = store.get_raw_configuration().await.unwrap();
    assert_eq!(third.to_json(), Value::from_json(V2).unwrap().to_json());
    assert_eq!(script.calls()[8..], [Call::Start, get("t6")]);
}

#[tokio::test]
async fn access_denied_is_a_client_error_returned_by_evaluation() {
    let script = Script::new([Reply::Error(
        403,
        "AccessDeniedException",
        "User: arn:aws:iam::123456789012:user/app is not authorized to perform: appconfig:StartConfigurationSession",
    )]);
    let flags = FeatureFlags::new(store(&script));
    let err = flags.evaluate("premium", &json!({}), false).await.unwrap_err();
    let Error::Store(StoreError { kind, message, .. }) = err else { panic!("expected a store error, got {err}") };
    assert_eq!(kind, StoreErrorKind::Client);
    assert!(message.contains("StartConfigurationSession failed: AccessDeniedException: User: arn:aws:iam::123456789012:user/app is not authorized"), "{message}");
    assert!(flags.enabled_features(&json!({})).await.is_err());
}

#[tokio::test]
async fn access_denied_on_a_poll_is_returned_even_with_a_good_document() {
    let script = Script::new([
        Reply::Session("t1"),
        Reply::Config("t2", 0, V1),
        Reply::Error(403, "AccessDeniedException", "not authorized to perform: appconfig:GetLatestConfiguration"),
        Reply::Config("t3", 0, ""),
    ]);
    let flags = FeatureFlags::builder(store(&script)).max_age(Duration::ZERO).refresh(Refresh::Blocking).build();
    assert_eq!(flags.evaluate("premium", &(), false).await.unwrap(), Value::Bool(true));
    let err = flags.evaluate("premium", &(), false).await.unwrap_err();
    assert!(
        matches!(&err, Error::Store(e) if e.kind == StoreErrorKind::Client && e.message.contains("AccessDeniedException")),
        "{err}"
    );
    // Access restored: the same token is used again and the document is back.
    assert_eq!(flags.evaluate("premium", &(), false).await.unwrap(), Value::Bool(true));
    assert_eq!(script.calls()[2..], [get("t2"), get("t2")]);
}

#[tokio::test]
async fn a_fetch_that_takes_too_long_times_out() {
    let never = aws_smithy_http_client::test_util::NeverClient::new();
    let config = aws_sdk_appconfigdata::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "ff-tests"))
        .http_client(never.clone())
        .build();
    let store =
        AppConfigStore::from_client(aws_sdk_appconfigdata::Client::from_conf(config), ("shop", "prod", "features"))
            .with_timeout(Duration::from_millis(300));
    assert_eq!(store.timeout(), Duration::from_millis(300));
    let started = Instant::now();
    let err = store.get_raw_configuration().await.unwrap_err();
    let took = started.elapsed();
    assert_eq!(err.kind, StoreErrorKind::Configuration);
    assert_eq!(err.message, "AppConfig shop/prod/features: no answer within the timeout of 0.300 s");
    assert!(took >= Duration::from_millis(300) && took < Duration::from_secs(3), "{took:?}");
    assert_eq!(never.num_calls(), 1);

    let flags = FeatureFlags::new(store);
    assert_eq!(flags.evaluate("premium", &(), "default").await.unwrap(), Value::from("default"));
}

#[tokio::test]
async fn the_poll_interval_the_service_asks_for_is_respected() {
    let script = Script::new([Reply::Session("t1"), Reply::Config("t2", 60, V1)]);
    let flags = FeatureFlags::builder(store(&script)).max_age(Duration::ZERO).refresh(Refresh::Blocking).build();
    for _ in 0..100 {
        assert_eq!(flags.evaluate("discount", &(), 0).await.unwrap(), Value::from(5));
    }
    assert_eq!(flags.status().fetches, 100);
    assert_eq!(script.calls().len(), 2, "no poll before NextPollIntervalInSeconds (60 s)");
}

#[tokio::test]
async fn an_answer_without_a_next_token_starts_a_new_session_next_time() {
    let script =
        Script::new([Reply::Session("t1"), Reply::Config("", 0, V1), Reply::Session("t3"), Reply::Config("t4", 0, V2)]);
    let store = store(&script);
    assert_eq!(store.get_raw_configuration().await.unwrap().to_json(), Value::from_json(V1).unwrap().to_json());
    assert_eq!(store.get_raw_configuration().await.unwrap().to_json(), Value::from_json(V2).unwrap().to_json());
    assert_eq!(script.calls(), [Call::Start, get("t1"), Call::Start, get("t3")]);
}

#[tokio::test]
async fn documents_that_are_not_json_are_configuration_errors_and_never_panic() {
    for (body, expected) in
        // A byte order mark: the reference's json.loads raises, so its store fails
        // (ConfigurationStoreError) and so does ff's, naming the cause (issue 12, finding 10).
        [("{\"a\": ", "is not JSON"), ("premium: true", "is not JSON"), ("\u{feff}{\"a\": {\"default\": true}}", "is not JSON: 1:1: invalid JSON: the text starts with a UTF-8 byte order mark")]
    {
        let script = Script::new([Reply::Session("t1"), Reply::Config("t2", 0, body)]);
        let result = store(&script).get_raw_configuration().await;
        match expected {
            "" => assert_eq!(result.unwrap().to_json(), r#"{"a":{"default":true}}"#),
            text => {
                let err = result.unwrap_err();
                assert_eq!(err.kind, StoreErrorKind::Configuration);
                assert!(err.message.contains(text), "{err}");
            }
        }
    }
}

#[tokio::test]
async fn an_unparseable_service_answer_is_a_configuration_error() {
    // A 200 answer to StartConfigurationSession whose body is not the JSON the SDK expects.
    let http_client = aws_smithy_http_client::test_util::infallible_client_fn(|_req| {
        http::Response::builder().status(201).body("<html>proxy error</html>").unwrap()
    });
    let config = aws_sdk_appconfigdata::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "ff-tests"))
        .http_client(http_client)
        .build();
    let store =
        AppConfigStore::from_client(aws_sdk_appconfigdata::Client::from_conf(config), ("shop", "prod", "features"));
    let err = store.get_raw_configuration().await.unwrap_err();
    assert_eq!(err.kind, StoreErrorKind::Configuration);
    assert!(err.message.starts_with("AppConfig shop/prod/features: StartConfigurationSession failed: "), "{err}");
}

#[tokio::test]
async fn out_of_range_poll_intervals_do_not_panic() {
    let script = Script::new([Reply::Session("t1"), Reply::Config("t2", -5, V1), Reply::Config("t3", i32::MAX, V2)]);
    let store = store(&script);
    assert_eq!(store.get_raw_configuration().await.unwrap().to_json(), Value::from_json(V1).unwrap().to_json());
    // A negative interval is taken as "now".
    assert_eq!(store.get_raw_configuration().await.unwrap().to_json(), Value::from_json(V2).unwrap().to_json());
    // An interval of 68 years is clamped (to AppConfig's 24 h maximum): no poll now.
    assert_eq!(store.get_raw_configuration().await.unwrap().to_json(), Value::from_json(V2).unwrap().to_json());
    assert_eq!(script.calls(), [Call::Start, get("t1"), get("t2")]);
}
