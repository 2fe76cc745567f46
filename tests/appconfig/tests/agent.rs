//! `AppConfigAgentStore` against a loopback HTTP server that answers as the AWS AppConfig
//! Agent does in local development mode (a folder of files named `APP:ENV:PROFILE`), plus
//! errors: 404, 500, 403, a slow answer (timeout), nothing listening.

use std::sync::Arc;
use std::time::{Duration, Instant};

use ff_appconfig_tests::{AgentMode, AgentServer};
use ff_runtime::appconfig::{AppConfigAgentStore, DEFAULT_AGENT_PORT};
use ff_runtime::{Envelope, Error, FeatureFlags, Refresh, StoreErrorKind, StoreProvider, Value};
use serde_json::json;

const V1: &str = r#"{"premium": {"default": false, "rules": {"gold": {"when_match": true,
    "conditions": [{"action": "EQUALS", "key": "tier", "value": "gold"}]}}},
  "discount": {"default": 5, "boolean_type": false}}"#;
const V2: &str = r#"{"premium": {"default": true}, "discount": {"default": 10, "boolean_type": false}}"#;

async fn server_with(app: &str, env: &str, profile: &str, body: &str) -> AgentServer {
    let server = AgentServer::start().await;
    server.put(app, env, profile, body);
    server
}

#[tokio::test]
async fn serves_the_document_and_encodes_the_names() {
    let server = server_with("my shop", "prod+eu", "flags:v1", V1).await;
    let store =
        AppConfigAgentStore::new(("my shop", "prod+eu", "flags:v1")).with_host("127.0.0.1").with_port(server.port);
    let flags = FeatureFlags::new(store);
    assert_eq!(flags.evaluate("premium", &json!({"tier": "gold"}), false).await.unwrap(), Value::Bool(true));
    assert_eq!(flags.evaluate("premium", &json!({"tier": "bronze"}), true).await.unwrap(), Value::Bool(false));
    assert_eq!(flags.evaluate("discount", &(), 0).await.unwrap(), Value::from(5));
    assert_eq!(server.paths(), ["/applications/my%20shop/environments/prod%2Beu/configurations/flags%3Av1"]);
    assert_eq!(flags.store_name(), "AppConfig agent my shop/prod+eu/flags:v1");
}

#[tokio::test]
async fn localhost_is_the_default_host() {
    let server = server_with("shop", "prod", "features", V1).await;
    let store = AppConfigAgentStore::new(("shop", "prod", "features")).with_port(server.port);
    assert_eq!(store.host(), "localhost");
    match store.get_raw_configuration().await {
        Ok(doc) => assert_eq!(doc.as_object().unwrap().len(), 2),
        // `localhost` may resolve to ::1 only on some machines, where the test server (on
        // 127.0.0.1) is not listening: then the error must say so.
        Err(err) => assert!(err.message.contains("cannot connect to the agent at localhost"), "{err}"),
    }
}

#[tokio::test]
async fn the_port_comes_from_the_lambda_extension_variable() {
    // The only test that reads or sets the variable.
    std::env::remove_var("AWS_APPCONFIG_EXTENSION_HTTP_PORT");
    assert_eq!(AppConfigAgentStore::new(("a", "e", "p")).port(), DEFAULT_AGENT_PORT);
    assert_eq!(DEFAULT_AGENT_PORT, 2772);
    let server = server_with("a", "e", "p", V1).await;
    std::env::set_var("AWS_APPCONFIG_EXTENSION_HTTP_PORT", server.port.to_string());
    let store = AppConfigAgentStore::new(("a", "e", "p")).with_host("127.0.0.1");
    std::env::set_var("AWS_APPCONFIG_EXTENSION_HTTP_PORT", "not a port");
    assert_eq!(AppConfigAgentStore::new(("a", "e", "p")).port(), DEFAULT_AGENT_PORT);
    std::env::remove_var("AWS_APPCONFIG_EXTENSION_HTTP_PORT");
    assert_eq!(store.port(), server.port);
    assert_eq!(store.get_raw_configuration().await.unwrap().as_object().unwrap().len(), 2);
}

#[tokio::test]
async fn the_same_bytes_give_the_same_document_and_a_change_is_seen() {
    let server = server_with("shop", "prod", "features", V1).await;
    let store = AppConfigAgentStore::new(("shop", "prod", "features")).with_host("127.0.0.1").with_port(server.port);
    let one = store.get_raw_configuration().await.unwrap();
    let two = store.get_configuration().await.unwrap();
    assert!(Arc::ptr_eq(&one, &two));
    server.put("shop", "prod", "features", V2);
    let three = store.get_raw_configuration().await.unwrap();
    assert!(!Arc::ptr_eq(&one, &three));
    assert_eq!(three.to_json(), Value::from_json(V2).unwrap().to_json());
    assert!(Arc::ptr_eq(&three, &store.last_raw_configuration().unwrap()));
    assert_eq!(server.paths().len(), 3, "every fetch asks the agent (it caches itself)");

    let flags = FeatureFlags::builder(store).max_age(Duration::from_secs(60)).build();
    for _ in 0..100 {
        assert_eq!(flags.evaluate("discount", &(), 0).await.unwrap(), Value::from(10));
    }
    assert_eq!(server.paths().len(), 4, "no request within max_age");
}

#[tokio::test]
async fn an_unknown_profile_is_a_configuration_error() {
    let server = server_with("shop", "prod", "features", V1).await;
    let store = AppConfigAgentStore::new(("shop", "prod", "nope")).with_host("127.0.0.1").with_port(server.port);
    let err = store.get_configuration().await.unwrap_err();
    assert_eq!(err.kind, StoreErrorKind::Configuration);
    assert!(err.message.contains("the agent answered 404 Not Found"), "{err}");
    assert!(err.message.contains("Configuration shop:prod:nope not found"), "{err}");
    let flags = FeatureFlags::new(store);
    assert_eq!(flags.evaluate("premium", &(), "fallback").await.unwrap(), Value::from("fallback"));
}

#[tokio::test]
async fn server_errors_keep_the_last_good_document() {
    let server = server_with("shop", "prod", "features", V1).await;
    let store = AppConfigAgentStore::new(("shop", "prod", "features")).with_host("127.0.0.1").with_port(server.port);
    let flags = FeatureFlags::builder(store).max_age(Duration::ZERO).refresh(Refresh::Blocking).build();
    assert_eq!(flags.evaluate("discount", &(), 0).await.unwrap(), Value::from(5));
    server.set_mode(AgentMode::Status(500, "upstream AppConfig unreachable".into()));
    assert_eq!(flags.evaluate("discount", &(), 0).await.unwrap(), Value::from(5));
    let error = flags.status().last_error.unwrap();
    assert!(error.contains("500 Internal Server Error") && error.contains("upstream AppConfig unreachable"), "{error}");
    // Not JSON: a store error, the last good document stays.
    server.set_mode(AgentMode::Files);
    server.put("shop", "prod", "features", "log_level: INFO");
    assert_eq!(flags.evaluate("discount", &(), 0).await.unwrap(), Value::from(5));
    assert!(flags.status().last_error.unwrap().contains("is not JSON"));
    // A byte order mark, refused as the reference refuses it (issue 12, finding 10).
    server.put("shop", "prod", "features", &format!("\u{feff}{V2}"));
    assert_eq!(flags.evaluate("discount", &(), 0).await.unwrap(), Value::from(5));
    let error = flags.status().last_error.unwrap();
    assert!(error.contains("is not JSON: 1:1: invalid JSON: the text starts with a UTF-8 byte order mark"), "{error}");
    server.put("shop", "prod", "features", V2);
    assert_eq!(flags.evaluate("discount", &(), 0).await.unwrap(), Value::from(10));
    assert_eq!(flags.status().last_error, None);
}

#[tokio::test]
async fn forbidden_is_a_client_error() {
    let server = server_with("shop", "prod", "features", V1).await;
    server.set_mode(AgentMode::Status(403, "AccessDeniedException: not authorized".into()));
    let store = AppConfigAgentStore::new(("shop", "prod", "features")).with_host("127.0.0.1").with_port(server.port);
    let flags = FeatureFlags::new(store);
    let err = flags.evaluate("premium", &(), false).await.unwrap_err();
    assert!(
        matches!(&err, Error::Store(e) if e.kind == StoreErrorKind::Client && e.message.contains("403 Forbidden")),
        "{err}"
    );
}

#[tokio::test]
async fn a_slow_agent_times_out_and_the_next_fetch_recovers() {
    let server = server_with("shop", "prod", "features", V1).await;
    server.set_mode(AgentMode::Slow(Duration::from_secs(5)));
    let store = AppConfigAgentStore::new(("shop", "prod", "features"))
        .with_host("127.0.0.1")
        .with_port(server.port)
        .with_timeout(Duration::from_millis(250));
    let started = Instant::now();
    let err = store.get_raw_configuration().await.unwrap_err();
    let took = started.elapsed();
    assert_eq!(err.kind, StoreErrorKind::Configuration);
    assert_eq!(err.message, "AppConfig agent shop/prod/features: no answer within the timeout of 0.250 s");
    assert!(took >= Duration::from_millis(250) && took < Duration::from_secs(2), "{took:?}");
    server.set_mode(AgentMode::Files);
    assert_eq!(store.get_raw_configuration().await.unwrap().as_object().unwrap().len(), 2);
}

#[tokio::test]
async fn nothing_listening_is_a_configuration_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let store = AppConfigAgentStore::new(("shop", "prod", "features")).with_host("127.0.0.1").with_port(port);
    let err = store.get_raw_configuration().await.unwrap_err();
    assert_eq!(err.kind, StoreErrorKind::Configuration);
    assert!(err.message.contains(&format!("cannot connect to the agent at 127.0.0.1:{port}")), "{err}");
}

#[tokio::test]
async fn envelopes_select_a_sub_document_or_fail_clearly() {
    let server =
        server_with("shop", "prod", "features", &format!(r#"{{"log_level": "INFO", "features": {V1}}}"#)).await;
    let store = AppConfigAgentStore::new(("shop", "prod", "features"))
        .with_host("127.0.0.1")
        .with_port(server.port)
        .with_envelope(Envelope::new("features").unwrap());
    let one = store.get_configuration().await.unwrap();
    let two = store.get_configuration().await.unwrap();
    assert!(Arc::ptr_eq(&one, &two), "memoised per raw document");
    assert_eq!(one.as_object().unwrap().len(), 2);
    assert!(store.last_raw_configuration().unwrap().to_json().contains(r#""log_level":"INFO""#));

    let nothing = AppConfigAgentStore::new(("shop", "prod", "features"))
        .with_host("127.0.0.1")
        .with_port(server.port)
        .with_envelope(Envelope::new("flags").unwrap());
    let err = nothing.get_configuration().await.unwrap_err();
    assert_eq!(err.kind, StoreErrorKind::Configuration);
    assert!(err.message.contains("envelope `flags` selects nothing"), "{err}");
    let flags = FeatureFlags::new(nothing);
    assert_eq!(flags.evaluate("premium", &(), "fallback").await.unwrap(), Value::from("fallback"));
}

#[tokio::test]
async fn an_oversized_answer_is_refused() {
    let big = format!(r#"{{"a": {{"default": true}}, "padding": "{}"}}"#, "x".repeat(17 * 1024 * 1024));
    let server = server_with("shop", "prod", "features", &big).await;
    let store = AppConfigAgentStore::new(("shop", "prod", "features")).with_host("127.0.0.1").with_port(server.port);
    let err = store.get_raw_configuration().await.unwrap_err();
    assert_eq!(err.kind, StoreErrorKind::Configuration);
    assert!(err.message.contains("length limit exceeded"), "{err}");
}
