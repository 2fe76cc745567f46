//! A service that evaluates its feature flags through **OpenFeature**, with ff as the
//! provider over **AWS AppConfig**, and the same flag through ff's **typed accessor**: how
//! a team on OpenFeature adopts ff, then moves flag by flag to compile-checked accessors.
//!
//! ```text
//! FF_APPCONFIG=shop/prod/flags cargo run -p openfeature-example
//! ```
//!
//! `FF_APPCONFIG` is `APPLICATION/ENVIRONMENT/PROFILE` (default `shop/prod/flags`); the
//! region, credentials and endpoint come from the standard AWS configuration (see
//! `ff_runtime::AppConfigStore::from_env`). The document deployed there is `flags.json`
//! (`ff push`); the typed accessors are generated from the same file at compile time.

use std::time::Duration;

use ff_openfeature::{FfProvider, ToEvaluationContext};
use ff_runtime::appconfig::{AppConfigLocation, AppConfigStore};
use ff_runtime::FeatureFlags;
use open_feature::{Client, EvaluationContext, OpenFeature};

/// The typed flags of `flags.json` (generated; see the `ff-build` docs).
#[ff_macros::feature_flags("flags.json")]
mod flags {}

/// One request: a customer tier and a basket size.
struct Request {
    tier: &'static str,
    basket_size: f64,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let location: AppConfigLocation = std::env::var("FF_APPCONFIG").unwrap_or_else(|_| "shop/prod/flags".to_owned()).parse()?;
    let store = AppConfigStore::from_env(location).await;
    // One FeatureFlags (one cache, one AppConfig session) for OpenFeature and the typed flags.
    let feature_flags = FeatureFlags::builder(store).max_age(Duration::from_secs(30)).build();
    let typed = flags::Flags::from(feature_flags.clone());

    // The first fetch happens here; a failure is kept: every resolution is then a
    // PROVIDER_NOT_READY error and the service serves its own defaults.
    let client = {
        let mut api = OpenFeature::singleton_mut().await;
        api.set_provider(FfProvider::new(feature_flags.clone())).await;
        api.create_client()
    };
    if let Some(error) = feature_flags.status().last_error {
        eprintln!("feature flags not ready ({error}): serving defaults");
    }

    for request in [Request { tier: "premium", basket_size: 120.0 }, Request { tier: "standard", basket_size: 20.0 }] {
        handle(&client, &typed, &request).await;
    }
    Ok(())
}

/// Evaluates `new_checkout` through OpenFeature (string key, evaluation context) and
/// through the typed accessor (typed context), and `discount_level` through OpenFeature with
/// the typed context handed over.
async fn handle(client: &Client, typed: &flags::Flags, request: &Request) {
    let ctx = EvaluationContext::default()
        .with_targeting_key("customer-42")
        .with_custom_field("tier", request.tier)
        .with_custom_field("basket_size", request.basket_size);
    let details = client.get_bool_details("new_checkout", Some(&ctx), None).await;
    let via_openfeature = match &details {
        Ok(details) => details.value,
        Err(error) => {
            eprintln!("new_checkout: {}: {}", error.code, error.message.as_deref().unwrap_or(""));
            false // the caller's default
        }
    };

    // The same flag, typed: a renamed or removed feature is a compile error here.
    let typed_ctx = flags::Context::new().tier(request.tier).basket_size(request.basket_size);
    let via_typed = typed.new_checkout(&typed_ctx).await;

    // The typed context handed to OpenFeature, the feature named by FlagName.
    let discount = client
        .get_int_value(flags::FlagName::DiscountLevel.as_str(), Some(&typed_ctx.to_evaluation_context()), None)
        .await
        .unwrap_or(0);

    let (reason, variant) = details.map(|d| (d.reason.map(|r| r.to_string()), d.variant)).unwrap_or_default();
    println!(
        "tier {:<8} basket {:>3}: new_checkout {via_openfeature} (OpenFeature, reason {}, variant {}) / {via_typed} (typed); discount {discount}%",
        request.tier,
        request.basket_size,
        reason.as_deref().unwrap_or("-"),
        variant.as_deref().unwrap_or("-"),
    );
}
