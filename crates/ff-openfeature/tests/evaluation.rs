//! OpenFeature's evaluation scenarios (open-feature/spec, `evaluation_v2.feature` and
//! `metadata.feature`, over its flag set `test-flags.json`), with that flag set written as a
//! Powertools document (`tests/flags/test-flags.json`: each targeted flag is a rule named
//! after its variant), run through `OpenFeature` and a `Client` as an application would.
//! Each test has its own `OpenFeature` instance: tests run in parallel. The README lists the
//! scenarios the Powertools format cannot express.

use std::time::Duration;

use ff_openfeature::FfProvider;
use ff_runtime::{FeatureFlags, MemoryStore, Refresh, StoreErrorKind};
use open_feature::provider::{FeatureProvider, ProviderStatus};
use open_feature::{
    Client, EvaluationContext, EvaluationContextFieldValue, EvaluationErrorCode, EvaluationReason, FlagMetadata, FlagMetadataValue,
    OpenFeature, StructValue, Value,
};

const DOCUMENT: &str = include_str!("flags/test-flags.json");

fn store() -> MemoryStore {
    MemoryStore::from_json(DOCUMENT).unwrap()
}

/// A client of an `OpenFeature` of its own, over `flags`.
async fn client_over(flags: FeatureFlags) -> Client {
    let mut api = OpenFeature::default();
    api.set_provider(FfProvider::new(flags)).await;
    api.create_client()
}

async fn client() -> Client {
    client_over(FeatureFlags::new(store())).await
}

fn email(address: &str) -> EvaluationContext {
    EvaluationContext::default().with_custom_field("email", address)
}

fn template() -> StructValue {
    StructValue::default().with_field("showImages", true).with_field("title", "Check out these pics!").with_field("imagesPerPage", 100)
}

/// Every type of flag, through the client, as (value, reason, variant) in OpenFeature's
/// spelling, the value written as JSON-ish text.
async fn all_types(client: &Client, keys: [&str; 5], ctx: &EvaluationContext) -> Vec<(String, Option<EvaluationReason>, Option<String>)> {
    let ctx = Some(ctx);
    let b = client.get_bool_details(keys[0], ctx, None).await.unwrap();
    let s = client.get_string_details(keys[1], ctx, None).await.unwrap();
    let i = client.get_int_details(keys[2], ctx, None).await.unwrap();
    let f = client.get_float_details(keys[3], ctx, None).await.unwrap();
    let o = client.get_struct_details::<StructValue>(keys[4], ctx, None).await.unwrap();
    vec![
        (b.value.to_string(), b.reason, b.variant),
        (format!("{:?}", s.value), s.reason, s.variant),
        (i.value.to_string(), i.reason, i.variant),
        (format!("{:?}", f.value), f.reason, f.variant),
        (format!("{} fields", o.value.fields.len()), o.reason, o.variant),
    ]
}

fn expect(values: [&str; 5], reason: EvaluationReason, variant: Option<&str>) -> Vec<(String, Option<EvaluationReason>, Option<String>)> {
    values.iter().map(|v| (v.to_string(), Some(reason.clone()), variant.map(str::to_owned))).collect()
}

const ZERO_KEYS: [&str; 5] = ["boolean-zero-flag", "string-zero-flag", "integer-zero-flag", "float-zero-flag", "object-zero-flag"];
const TARGETED_KEYS: [&str; 5] =
    ["boolean-targeted-zero-flag", "string-targeted-zero-flag", "integer-targeted-zero-flag", "float-targeted-zero-flag", "object-targeted-zero-flag"];
const ZEROS: [&str; 5] = ["false", "\"\"", "0", "0.0", "0 fields"];

#[tokio::test]
async fn resolve_values_of_every_type() {
    let client = client().await;
    let ctx = EvaluationContext::default();
    let got = all_types(&client, ["boolean-flag", "string-flag", "integer-flag", "float-flag", "object-flag"], &ctx).await;
    assert_eq!(got, expect(["true", "\"hi\"", "10", "0.5", "3 fields"], EvaluationReason::Static, None));
    let object = client.get_struct_value::<StructValue>("object-flag", Some(&ctx), None).await.unwrap();
    assert_eq!(object, template());
    // Through the value methods too.
    assert_eq!(client.get_string_value("wrong-flag", None, None).await, Ok("uno".to_owned()));
}

#[tokio::test]
async fn zero_values_are_static() {
    let client = client().await;
    let got = all_types(&client, ZERO_KEYS, &EvaluationContext::default()).await;
    assert_eq!(got, expect(ZEROS, EvaluationReason::Static, None));
}

#[tokio::test]
async fn targeting_match_names_the_rule_as_variant() {
    let client = client().await;
    let got = all_types(&client, TARGETED_KEYS, &email("ballmer@macrosoft.com")).await;
    assert_eq!(got, expect(ZEROS, EvaluationReason::TargetingMatch, Some("zero")));
}

#[tokio::test]
async fn no_match_empty_context_and_null_values_are_default() {
    let client = client().await;
    let null_email = EvaluationContext::default().with_custom_field("email", EvaluationContextFieldValue::new_struct(serde_json::Value::Null));
    for ctx in [email("ballmer@none.com"), EvaluationContext::default(), null_email] {
        let got = all_types(&client, TARGETED_KEYS, &ctx).await;
        assert_eq!(got, expect(ZEROS, EvaluationReason::Default, None), "{ctx:?}");
    }
}

#[tokio::test]
async fn multiple_context_attributes() {
    let client = client().await;
    let ctx = email("ballmer@macrosoft.com").with_custom_field("role", "admin").with_custom_field("age", 65).with_custom_field("customer", false);
    let details = client.get_string_details("complex-targeted", Some(&ctx), None).await.unwrap();
    assert_eq!((details.value.as_str(), details.reason, details.variant.as_deref()), ("INTERNAL", Some(EvaluationReason::TargetingMatch), Some("internal")));
    let young = ctx.clone().with_custom_field("age", 10);
    let details = client.get_string_details("complex-targeted", Some(&young), None).await.unwrap();
    assert_eq!((details.value.as_str(), details.reason), ("EXTERNAL", Some(EvaluationReason::Default)));
}

#[tokio::test]
async fn the_targeting_key_and_splits() {
    let client = client().await;
    let user = |key: &str| EvaluationContext::default().with_targeting_key(key);
    let beta = client.get_bool_details("beta-flag", Some(&user("user-2")), None).await.unwrap();
    assert_eq!((beta.value, beta.reason, beta.variant.as_deref()), (true, Some(EvaluationReason::TargetingMatch), Some("beta users")));
    assert!(!client.get_bool_value("beta-flag", Some(&user("user-3")), None).await.unwrap());
    let split = |n: i64| EvaluationContext::default().with_custom_field("user_number", n);
    let first = client.get_string_details("split-flag", Some(&split(142)), None).await.unwrap();
    assert_eq!((first.value.as_str(), first.reason, first.variant.as_deref()), ("treatment", Some(EvaluationReason::Split), Some("first half")));
    let second = client.get_string_details("split-flag", Some(&split(150)), None).await.unwrap();
    assert_eq!((second.value.as_str(), second.reason), ("control", Some(EvaluationReason::Default)));
}

#[tokio::test]
async fn flag_not_found_is_an_error_and_the_caller_keeps_its_default() {
    let client = client().await;
    let key = "non-existent-flag";
    let codes = [
        client.get_bool_details(key, None, None).await.map(|_| ()),
        client.get_string_details(key, None, None).await.map(|_| ()),
        client.get_int_details(key, None, None).await.map(|_| ()),
        client.get_float_details(key, None, None).await.map(|_| ()),
        client.get_struct_details::<StructValue>(key, None, None).await.map(|_| ()),
    ];
    for code in codes {
        let err = code.unwrap_err();
        assert_eq!(err.code, EvaluationErrorCode::FlagNotFound);
        assert_eq!(err.message.as_deref(), Some(r#"the document has no feature "non-existent-flag""#));
    }
    assert!(!client.get_bool_value(key, None, None).await.unwrap_or(false), "the caller's default");
    assert_eq!(client.get_int_value(key, None, None).await.unwrap_or(1), 1);
}

#[tokio::test]
async fn type_mismatches() {
    let client = client().await;
    let mismatch = |r: Result<(), open_feature::EvaluationError>| r.unwrap_err();
    let errors = [
        mismatch(client.get_bool_details("string-flag", None, None).await.map(|_| ())),
        mismatch(client.get_string_details("boolean-flag", None, None).await.map(|_| ())),
        mismatch(client.get_int_details("boolean-flag", None, None).await.map(|_| ())),
        mismatch(client.get_float_details("boolean-flag", None, None).await.map(|_| ())),
        mismatch(client.get_struct_details::<StructValue>("boolean-flag", None, None).await.map(|_| ())),
        mismatch(client.get_int_details("float-flag", None, None).await.map(|_| ())),
        mismatch(client.get_struct_details::<StructValue>("string-flag", None, None).await.map(|_| ())),
    ];
    assert!(errors.iter().all(|e| e.code == EvaluationErrorCode::TypeMismatch), "{errors:?}");
    assert_eq!(errors[2].message.as_deref(), Some(r#"feature "boolean-flag" is a boolean, not an integer"#));
    assert_eq!(errors[5].message.as_deref(), Some(r#"feature "float-flag" is a number, not an integer"#));
    // An integer asked for as a float is fine.
    assert_eq!(client.get_float_value("integer-flag", None, None).await, Ok(10.0));
}

#[tokio::test]
async fn provider_not_ready_until_a_document_is_in_force() {
    let store = store();
    store.fail(StoreErrorKind::Configuration, "AppConfig is down");
    let flags = FeatureFlags::builder(store).max_age(Duration::ZERO).build();
    let mut provider = FfProvider::new(flags.clone());
    assert_eq!(provider.status(), ProviderStatus::NotReady);
    provider.initialize(&EvaluationContext::default()).await;
    assert_eq!(provider.status(), ProviderStatus::Error, "the failed first fetch is remembered");

    let client = client_over(flags.clone()).await;
    for key in ["boolean-flag", "string-flag"] {
        let err = client.get_bool_details(key, None, None).await.map(|_| ()).unwrap_err();
        assert_eq!(err.code, EvaluationErrorCode::ProviderNotReady);
        assert!(err.message.unwrap().contains("AppConfig is down"));
    }
    assert_eq!(client.get_string_value("string-flag", None, None).await.unwrap_or("bye".into()), "bye");
    assert_eq!(client.get_int_details("integer-flag", None, None).await.unwrap_err().code, EvaluationErrorCode::ProviderNotReady);
    assert_eq!(client.get_float_details("float-flag", None, None).await.unwrap_err().code, EvaluationErrorCode::ProviderNotReady);
    assert_eq!(client.get_struct_details::<StructValue>("object-flag", None, None).await.unwrap_err().code, EvaluationErrorCode::ProviderNotReady);

    // The store comes back: the next fetch brings the document in force.
    flags.store::<MemoryStore>().unwrap().set(ff_runtime::Value::from_json(DOCUMENT).unwrap());
    flags.refresh().await.unwrap();
    assert_eq!(provider.status(), ProviderStatus::Ready);
    assert_eq!(client.get_bool_value("boolean-flag", None, None).await, Ok(true));
}

#[tokio::test]
async fn an_invalid_first_document_is_a_parse_error() {
    let store = MemoryStore::new(serde_json::json!({"broken": {"rules": {}}}));
    let client = client_over(FeatureFlags::new(store)).await;
    let err = client.get_bool_details("broken", None, None).await.unwrap_err();
    assert_eq!(err.code, EvaluationErrorCode::ParseError);
    assert!(err.message.unwrap().contains("default"), "names what is wrong");
}

#[tokio::test]
async fn a_stale_document_says_stale() {
    let flags = FeatureFlags::builder(store()).max_age(Duration::ZERO).refresh(Refresh::Blocking).build();
    let client = client_over(flags.clone()).await;
    flags.store::<MemoryStore>().unwrap().fail(StoreErrorKind::Configuration, "AppConfig is down");
    let details = client.get_bool_details("boolean-flag", None, None).await.unwrap();
    assert_eq!((details.value, details.reason), (true, Some(EvaluationReason::Other("STALE".to_owned()))));
    assert_eq!(FfProvider::new(flags).status(), ProviderStatus::STALE);
}

#[tokio::test]
async fn flag_metadata_names_the_store_and_the_version() {
    let flags = FeatureFlags::new(store());
    let client = client_over(flags.clone()).await;
    let version = flags.status().version.unwrap();
    let expected = FlagMetadata::default().with_value("flagSetId", "memory").with_value("version", version.as_str());
    for key in ["metadata-flag", "boolean-flag"] {
        let details = client.get_bool_details(key, None, None).await.unwrap();
        assert_eq!(details.flag_metadata, expected);
    }
    assert!(matches!(&expected.values["version"], FlagMetadataValue::String(v) if v.len() > 8), "a content hash");
}

#[tokio::test]
async fn nulls_inside_a_struct_are_left_out() {
    let client = client().await;
    let value = client.get_struct_value::<StructValue>("null-member-flag", None, None).await.unwrap();
    assert_eq!(value, StructValue::default().with_field("title", "x").with_field("sizes", Value::Array(vec![1.into(), 3.into()])));
}

#[tokio::test]
async fn an_unreadable_context_value_is_invalid_context() {
    let client = client().await;
    let ctx = EvaluationContext::default().with_custom_field("email", EvaluationContextFieldValue::new_struct(std::time::Instant::now()));
    let err = client.get_bool_details("boolean-targeted-zero-flag", Some(&ctx), None).await.unwrap_err();
    assert_eq!(err.code, EvaluationErrorCode::InvalidContext);
}

#[tokio::test]
async fn a_named_provider_and_the_provider_metadata() {
    let mut api = OpenFeature::default();
    api.set_named_provider("ff", FfProvider::builder(FeatureFlags::new(store())).targeting_key("user").build()).await;
    assert_eq!(api.named_provider_metadata("ff").await.unwrap().name, "ff");
    let client = api.create_named_client("ff");
    let ctx = EvaluationContext::default().with_targeting_key("user-1");
    // The targeting key is context key `user` now, so the rule on `targeting_key` misses.
    let details = client.get_bool_details("beta-flag", Some(&ctx), None).await.unwrap();
    assert_eq!((details.value, details.reason), (false, Some(EvaluationReason::Default)));
}
