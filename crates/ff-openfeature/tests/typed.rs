//! The typed bridge: code generated from the document (`#[feature_flags]`) hands its typed
//! `Context` to OpenFeature and names features by `FlagName`, and gets what its typed
//! accessors give, over the same `FeatureFlags` (one cache).

use ff_openfeature::{FfProvider, ToEvaluationContext};
use ff_runtime::{ContextEntries, FeatureFlags, MemoryStore, Reason, Value};
use open_feature::{EvaluationContextFieldValue, EvaluationReason, OpenFeature};

// OpenFeature's flag set has object values with null members, which the generator leaves
// `ff_runtime::Value` and warns about (as a deprecation, the macro's only warning).
#[ff_macros::feature_flags("tests/flags/test-flags.json")]
#[allow(deprecated)]
mod flags {}

use flags::{Context, FlagName, Flags};

#[tokio::test]
async fn a_typed_context_and_flag_name_resolve_as_the_typed_accessor() {
    let feature_flags = FeatureFlags::new(MemoryStore::from_json(include_str!("flags/test-flags.json")).unwrap());
    let typed = Flags::from(feature_flags.clone());
    let mut api = OpenFeature::default();
    api.set_provider(FfProvider::new(feature_flags)).await;
    let client = api.create_client();

    let ctx = Context::new().email("ballmer@macrosoft.com").age(65).customer(false);
    let ec = ctx.to_evaluation_context();
    let name = FlagName::ComplexTargeted.as_str();
    let of = client.get_string_details(name, Some(&ec), None).await.unwrap();
    let ff = typed.complex_targeted_details(&ctx).await;
    assert_eq!((of.value.as_str(), of.variant.as_deref()), (ff.value.as_str(), ff.variant()));
    assert_eq!((of.value.as_str(), of.reason, ff.reason()), ("INTERNAL", Some(EvaluationReason::TargetingMatch), Reason::TargetingMatch));

    let user = Context::new().targeting_key("user-1");
    let of = client.get_bool_value(FlagName::BetaFlag.as_str(), Some(&user.to_evaluation_context()), None).await;
    assert_eq!(of, Ok(typed.beta_flag(&user).await));
    assert_eq!(of, Ok(true));
}

#[test]
fn a_typed_context_lists_its_set_fields_then_unshadowed_extra_keys() {
    let ctx = Context::new().email("a@b.c").age(70).with("email", "shadowed").with("plan", "x").with("plan", "pro").with("tags", vec!["a"]);
    let mut entries = Vec::new();
    ctx.for_each_entry(&mut |k, v| entries.push((k.to_owned(), v.to_value())));
    assert_eq!(
        entries,
        [
            ("email".to_owned(), Value::from("a@b.c")),
            ("age".to_owned(), Value::from(70)),
            ("plan".to_owned(), Value::from("pro")),
            ("tags".to_owned(), Value::from(vec!["a"])),
        ]
    );
    let ec = ctx.to_evaluation_context();
    assert_eq!(ec.custom_fields["plan"], EvaluationContextFieldValue::String("pro".to_owned()));
    assert_eq!(ec.custom_fields.len(), 4);
}
