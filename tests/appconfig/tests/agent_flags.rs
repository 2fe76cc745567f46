//! `AppConfigAgentStore` against the stand-in for the AWS AppConfig Agent
//! (`ff_appconfig_tests::AgentServer`, which implements only what AWS documents): the
//! access token, and flags evaluated by the Agent with `?flag=` and `Context` headers
//! through `FeatureFlags::evaluate_variant`.

use ff_appconfig_tests::{AgentMode, AgentServer, Recorded, Variant};
use ff_runtime::appconfig::AppConfigAgentStore;
use ff_runtime::{Error, ErrorKind, FeatureFlags, Reason, StoreErrorKind, StoreProvider};
use serde_json::json;

const TOKEN: &str = "tok-5ec12e7-never-shown";

/// A retrieval-format profile (what the Agent serves for `AWS.AppConfig.FeatureFlags`).
const PROFILE: &str = r#"{"ui_refresh": {"enabled": false}, "dark": {"enabled": true, "color": "red"}}"#;

async fn agent() -> AgentServer {
    let server = AgentServer::start().await;
    server.put("UIRefresh", "Production", "Features", PROFILE);
    server
}

fn store(server: &AgentServer) -> AppConfigAgentStore {
    AppConfigAgentStore::new(("UIRefresh", "Production", "Features")).with_host("127.0.0.1").with_port(server.port)
}

fn context(entries: &[(&str, &str)]) -> Vec<(String, String)> {
    entries.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

#[tokio::test]
async fn the_token_is_sent_and_a_missing_or_wrong_one_is_a_client_error() {
    let server = agent().await;
    server.require_token(Some(TOKEN));

    let without = store(&server);
    assert!(!without.has_access_token());
    let err = without.get_raw_configuration().await.unwrap_err();
    assert_eq!(err.kind, StoreErrorKind::Client);
    assert!(err.message.contains("the agent answered 401 Unauthorized"), "{err}");
    assert!(err.message.contains("AppConfigAgentStore::with_access_token"), "{err}");
    let flags = FeatureFlags::new(without);
    let refused = flags.evaluate("dark", &(), false).await.unwrap_err();
    assert!(matches!(&refused, Error::Store(e) if e.kind == StoreErrorKind::Client), "{refused}");

    let wrong = store(&server).with_access_token("wrong-9f3a");
    let err = wrong.get_raw_configuration().await.unwrap_err();
    assert_eq!(err.kind, StoreErrorKind::Client);
    assert!(err.message.contains("401 Unauthorized") && err.message.contains("refused the access token"), "{err}");
    assert!(!err.message.contains("wrong-9f3a"), "{err}");

    let right = store(&server).with_access_token(TOKEN);
    assert!(right.has_access_token());
    let debug = format!("{right:?}");
    assert!(!debug.contains(TOKEN) && debug.contains("access_token: Some(\"***\")"), "{debug}");
    assert_eq!(right.get_raw_configuration().await.unwrap().as_object().unwrap().len(), 2);
    let requests = server.requests();
    assert_eq!(requests.iter().map(|r| r.authorization.as_deref()).collect::<Vec<_>>(), [None, None, Some("Bearer wrong-9f3a"), Some(&*format!("Bearer {TOKEN}"))]);

    // An answer that echoes the token: removed from the message.
    server.set_mode(AgentMode::Status(403, format!("AccessDeniedException: Bearer {TOKEN} may not read")));
    let err = right.get_raw_configuration().await.unwrap_err();
    assert_eq!(err.kind, StoreErrorKind::Client);
    assert!(err.message.contains("403 Forbidden") && err.message.ends_with(": AccessDeniedException: Bearer *** may not read"), "{err}");
    assert!(!err.message.contains(TOKEN), "{err}");

    // A token that cannot be sent: a client error, before any request, without the token.
    let before = server.requests().len();
    let err = store(&server).with_access_token("bad\ntoken").get_raw_configuration().await.unwrap_err();
    assert_eq!(err.kind, StoreErrorKind::Client);
    assert!(err.message.contains("the access token cannot be sent in an HTTP header") && !err.message.contains("bad\ntoken"), "{err}");
    assert_eq!(server.requests().len(), before);
}

#[tokio::test]
async fn variants_come_back_with_their_context_and_name() {
    let server = agent().await;
    server.set_version(Some("4"));
    // The scenario of AWS's "Retrieving basic and multi-variant feature flags".
    server.set_variants(
        "ui_refresh",
        vec![
            Variant::when("QA", json!({"enabled": true, "dark_mode_support": true}), |c| {
                c.iter().any(|(k, v)| k == "email" && v.ends_with("@example.org"))
                    && c.iter().any(|(k, v)| k == "opted_in_to_beta" && v == "false")
            }),
            Variant::when("BetaUsers", json!({"enabled": true, "dark_mode_support": false}), |c| {
                c.iter().any(|(k, v)| k == "opted_in_to_beta" && v == "true")
            }),
            Variant::default("Default", json!({"enabled": false})),
        ],
    );
    let flags = FeatureFlags::new(store(&server));

    let jane = [("email", "jane_doe@example.org".to_owned()), ("opted_in_to_beta", "false".to_owned())];
    let d = flags.evaluate_variant("ui_refresh", &jane).await;
    assert_eq!(d.value.to_json(), r#"{"enabled":true,"dark_mode_support":true}"#);
    assert_eq!((d.reason(), d.variant(), d.version()), (Reason::TargetingMatch, Some("QA"), Some("4")));
    let asked: Vec<Recorded> = server.requests().into_iter().filter(|r| r.target.contains("?flag=")).collect();
    assert_eq!(
        asked,
        [Recorded {
            target: "/applications/UIRefresh/environments/Production/configurations/Features?flag=ui_refresh".to_owned(),
            authorization: None,
            context: context(&[("email", "jane_doe@example.org"), ("opted_in_to_beta", "false")]),
        }]
    );

    let beta = [("email", "ann@example.com".to_owned()), ("opted_in_to_beta", "true".to_owned())];
    let d = flags.evaluate_variant("ui_refresh", &beta).await;
    assert_eq!((d.value.to_json().as_str(), d.variant()), (r#"{"enabled":true,"dark_mode_support":false}"#, Some("BetaUsers")));
    let d = flags.evaluate_variant("ui_refresh", &[]).await;
    assert_eq!((d.value.to_json().as_str(), d.reason(), d.variant()), (r#"{"enabled":false}"#, Reason::TargetingMatch, Some("Default")));
    // A flag without variants: its object, no variant.
    let d = flags.evaluate_variant("dark", &beta).await;
    assert_eq!((d.value.to_json().as_str(), d.reason(), d.variant()), (r#"{"enabled":true,"color":"red"}"#, Reason::Static, None));
}

#[tokio::test]
async fn the_agent_store_evaluates_one_flag_with_the_token_and_refuses_what_it_cannot_send() {
    let server = agent().await;
    server.require_token(Some(TOKEN));
    let store = store(&server).with_access_token(TOKEN);
    let flag = store.evaluate_flag("dark", &[("tier", "gold".to_owned())]).await.unwrap().unwrap();
    assert_eq!((flag.value.to_json().as_str(), flag.variant, flag.version), (r#"{"enabled":true,"color":"red"}"#, None, None));
    let last = server.requests().pop().unwrap();
    assert_eq!((last.authorization.unwrap(), last.context), (format!("Bearer {TOKEN}"), context(&[("tier", "gold")])));

    // An unknown flag: the agent's 404, a configuration error.
    let err = store.evaluate_flag("nope", &[]).await.unwrap().unwrap_err();
    assert_eq!(err.kind, StoreErrorKind::Configuration);
    assert!(err.message.contains("404 Not Found to GET /applications/UIRefresh/environments/Production/configurations/Features?flag=nope"), "{err}");

    // A value with a comma would be read as two entries: refused, not sent, never shown.
    let before = server.requests().len();
    let err = store.evaluate_flag("dark", &[("segment", "secret-a,b".to_owned())]).await.unwrap().unwrap_err();
    assert_eq!(err.kind, StoreErrorKind::Configuration);
    assert!(err.message.contains("context key \"segment\"") && !err.message.contains("secret-a"), "{err}");
    assert_eq!(server.requests().len(), before);

    // A wrong token: a client error; through evaluate_variant, ERROR with the kind.
    let wrong = AppConfigAgentStore::new(("UIRefresh", "Production", "Features"))
        .with_host("127.0.0.1")
        .with_port(server.port)
        .with_access_token("wrong-9f3a");
    let err = wrong.evaluate_flag("dark", &[]).await.unwrap().unwrap_err();
    assert_eq!(err.kind, StoreErrorKind::Client);
    let d = FeatureFlags::new(wrong).evaluate_variant("dark", &[("tier", "gold".to_owned())]).await;
    assert_eq!((d.reason(), d.error_details().map(|e| e.kind)), (Reason::Error, Some(ErrorKind::General)));
    let message = &d.error_details().unwrap().message;
    assert!(message.contains("401 Unauthorized") && !message.contains("wrong-9f3a") && !message.contains("gold"), "{message}");
}

#[tokio::test]
async fn an_agent_that_is_down_leaves_the_document_in_force() {
    let server = agent().await;
    server.set_mode(AgentMode::Status(500, "upstream AppConfig unreachable".into()));
    let flags = FeatureFlags::new(store(&server));
    let d = flags.evaluate_variant("dark", &[("tier", "gold".to_owned())]).await;
    // No document could be fetched either: null, for the caller's default.
    assert_eq!((&d.value, d.reason(), d.error_details().map(|e| e.kind)), (&ff_runtime::Value::Null, Reason::Error, Some(ErrorKind::ProviderNotReady)));
}

#[tokio::test]
async fn the_whole_profile_reads_as_flags_and_a_failed_variant_request_falls_back_on_it() {
    let server = agent().await;
    server.set_version(Some("9"));
    server.set_variants(
        "ui_refresh",
        vec![
            Variant::when("BetaUsers", json!({"enabled": true, "dark_mode_support": false}), |c| {
                c.iter().any(|(k, v)| k == "opted_in_to_beta" && v == "true")
            }),
            Variant::default("Default", json!({"enabled": false})),
        ],
    );
    let flags = FeatureFlags::builder(store(&server)).format(ff_runtime::DocumentFormat::AppConfigFeatureFlags).build();
    // A basic read of the whole profile: each flag's object (the Agent evaluates the
    // multi-variant flag for an empty context and names the variant).
    assert_eq!(flags.evaluate("dark", &(), false).await.unwrap().to_json(), r#"{"enabled":true,"color":"red"}"#);
    let d = flags.evaluate_details("dark", &(), false).await;
    assert_eq!((d.reason(), d.version()), (Reason::Static, Some("9")));

    // The Agent fails the ?flag= request: the document in force answers (its `_variant`
    // split out), as an error, since the Agent did not choose it for this context.
    server.set_mode(AgentMode::Status(500, "upstream AppConfig unreachable".into()));
    let d = flags.evaluate_variant("ui_refresh", &[("opted_in_to_beta", "true".to_owned())]).await;
    assert_eq!((d.value.to_json().as_str(), d.reason(), d.variant(), d.version()), (r#"{"enabled":false}"#, Reason::Error, None, Some("9")));
    let error = d.error_details().unwrap();
    assert!(error.kind == ErrorKind::General && error.message.contains("500"), "{error:?}");
    server.set_mode(AgentMode::Files);
    let d = flags.evaluate_variant("ui_refresh", &[("opted_in_to_beta", "true".to_owned())]).await;
    assert_eq!((d.value.to_json().as_str(), d.reason(), d.variant()), (r#"{"enabled":true,"dark_mode_support":false}"#, Reason::TargetingMatch, Some("BetaUsers")));
}
