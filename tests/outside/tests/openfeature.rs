//! A user's program on OpenFeature, with ff as its provider: a Powertools flag resolved
//! through the SDK's client, with its value, reason, variant and flag metadata.

use ff_openfeature::FfProvider;
use ff_runtime::{FeatureFlags, MemoryStore};
use open_feature::{EvaluationContext, EvaluationReason, FlagMetadata, OpenFeature};

#[test]
fn an_openfeature_client_resolves_a_powertools_flag() {
    futures_executor::block_on(async {
        let store = MemoryStore::from_json(
            r#"{"new_checkout": {"default": false, "rules": {"premium customers": {"when_match": true,
                "conditions": [{"action": "EQUALS", "key": "tier", "value": "premium"}]}}}}"#,
        )
        .unwrap();
        let flags = FeatureFlags::new(store);
        let mut api = OpenFeature::default();
        api.set_provider(FfProvider::new(flags.clone())).await;
        let client = api.create_client();
        let ctx = EvaluationContext::default().with_targeting_key("user-1").with_custom_field("tier", "premium");
        let details = client.get_bool_details("new_checkout", Some(&ctx), None).await.unwrap();
        assert!(details.value);
        assert_eq!(details.reason, Some(EvaluationReason::TargetingMatch));
        assert_eq!(details.variant.as_deref(), Some("premium customers"));
        let version = flags.status().version.unwrap();
        assert_eq!(details.flag_metadata, FlagMetadata::default().with_value("flagSetId", "memory").with_value("version", version));
        let other = EvaluationContext::default().with_custom_field("tier", "basic");
        let details = client.get_bool_details("new_checkout", Some(&other), None).await.unwrap();
        assert_eq!((details.value, details.reason, details.variant), (false, Some(EvaluationReason::Default), None));
    });
}
