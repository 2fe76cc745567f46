//! `AppConfigStore` against MiniStack with a profile of type `AWS.AppConfig.FeatureFlags`
//! (AppConfig's own feature-flag format): a stored document is deployed, the store reads
//! its retrieval format, and flags built with `DocumentFormat::AppConfigFeatureFlags` read
//! it as flags; a redeployment is seen, a broken one leaves the last good document in force,
//! and a drifted one (a flag disabled or removed) is read as AWS serves it.
//!
//! Run with `scripts/test-appconfig.sh`, which starts MiniStack and sets
//! `FF_MINISTACK_ENDPOINT`; without it every test here says SKIPPED on the terminal.

use ff_appconfig_tests::{ministack_or_skip, Probe};
use ff_runtime::appconfig::AppConfigStore;
use ff_runtime::{DocumentFormat, FeatureFlags, Reason, Refresh, StoreProvider, Value};
use std::time::Duration;

const V1: &str = r#"{
  "version": "1",
  "flags": {
    "dark": {"name": "Dark mode", "attributes": {"color": {"constraints": {"type": "string", "enum": ["red", "blue"]}}}},
    "off": {"name": "Off for now"}
  },
  "values": {
    "dark": {"enabled": true, "color": "red"},
    "off": {"enabled": false}
  }
}"#;

const V2: &str = r#"{
  "version": "1",
  "flags": {
    "dark": {"name": "Dark mode", "attributes": {"color": {"constraints": {"type": "string", "enum": ["red", "blue"]}}}},
    "off": {"name": "Off for now"}
  },
  "values": {
    "dark": {"enabled": true, "color": "blue"},
    "off": {"enabled": true}
  }
}"#;

async fn flag(flags: &FeatureFlags, key: &str) -> String {
    flags.evaluate(key, &(), Value::Null).await.expect("evaluation").to_json()
}

#[tokio::test]
async fn basic_native_flags_are_read_redeployed_and_kept_when_broken() {
    let ms = ministack_or_skip!("basic_native_flags_are_read_redeployed_and_kept_when_broken");
    let seeded = ms.create_feature_flags("native").await;
    assert_eq!(seeded.deploy(V1).await, "v1");
    let probe = Probe::new();
    probe.answer_poll_interval(0);
    let store = AppConfigStore::from_client(ms.data_client(&probe), seeded.location());

    // The retrieval format: the values only; a disabled flag without its attributes.
    let raw = store.get_raw_configuration().await.unwrap();
    assert_eq!(raw.to_json(), r#"{"dark":{"enabled":true,"color":"red"},"off":{"enabled":false}}"#);

    let flags = FeatureFlags::builder(store)
        .format(DocumentFormat::AppConfigFeatureFlags)
        .max_age(Duration::ZERO)
        .refresh(Refresh::Blocking)
        .build();
    assert_eq!(flag(&flags, "dark").await, r#"{"enabled":true,"color":"red"}"#);
    assert_eq!(flag(&flags, "off").await, r#"{"enabled":false}"#);
    let details = flags.evaluate_details("dark", &(), Value::Null).await;
    assert_eq!((details.reason(), details.version()), (Reason::Static, Some("v1")));
    // The data API evaluates no variant: evaluate_variant reads the document in force.
    let variant = flags.evaluate_variant("dark", &[("tier", "gold".to_owned())]).await;
    assert_eq!((variant.value.to_json().as_str(), variant.reason(), variant.variant()), (r#"{"enabled":true,"color":"red"}"#, Reason::Static, None));

    // A redeployment is seen on the next fetch.
    assert_eq!(seeded.deploy(V2).await, "v2");
    assert_eq!(flag(&flags, "dark").await, r#"{"enabled":true,"color":"blue"}"#);
    assert_eq!(flag(&flags, "off").await, r#"{"enabled":true}"#);
    assert_eq!(flags.evaluate_details("off", &(), Value::Null).await.version(), Some("v2"));

    // A document that is not a flag document (MiniStack, unlike AWS, accepts the upload):
    // v2 stays in force, reported stale, the error readable.
    seeded.deploy(r#"{"version": "1", "flags": {"dark": {"name": "Dark mode"}}, "values": {"dark": {"enabled": "yes"}}}"#).await;
    assert_eq!(flag(&flags, "dark").await, r#"{"enabled":true,"color":"blue"}"#);
    let status = flags.status();
    assert!(status.has_document && status.last_error.is_some(), "{status:?}");
    let details = flags.evaluate_details("dark", &(), Value::Null).await;
    assert_eq!((details.reason(), details.version()), (Reason::Stale, Some("v2")));

    // Not JSON at all: a store error, v2 stays in force.
    seeded.deploy("{ this is not json").await;
    assert_eq!(flag(&flags, "off").await, r#"{"enabled":true}"#);
    assert!(flags.status().last_error.unwrap_or_default().contains("is not JSON"));

    // A good document again is picked up.
    assert_eq!(seeded.deploy(V1).await, "v5");
    assert_eq!(flag(&flags, "dark").await, r#"{"enabled":true,"color":"red"}"#);
    assert_eq!(flags.status().last_error, None);

    // Drift from what the code was built with: a flag disabled (AWS's retrieval format then
    // drops its attributes; MiniStack 1.5.33 keeps them, as checked here) and a flag
    // removed, which is not found (typed accessors serve the compiled default).
    let drifted = r#"{"version": "1", "flags": {"dark": {"name": "Dark mode", "attributes": {"color": {"constraints": {"type": "string"}}}}},
        "values": {"dark": {"enabled": false, "color": "blue"}}}"#;
    assert_eq!(seeded.deploy(drifted).await, "v6");
    assert_eq!(flag(&flags, "dark").await, r#"{"enabled":false,"color":"blue"}"#, "MiniStack keeps a disabled flag's attributes");
    let removed = flags.evaluate_details("off", &(), Value::Null).await;
    assert_eq!((&removed.value, removed.reason()), (&Value::Null, Reason::Error));
    assert_eq!(removed.error_details().map(|e| e.kind), Some(ff_runtime::ErrorKind::FlagNotFound));
    assert_eq!(flags.status().last_error, None, "a drifted document is a valid one");
}
