//! `#[feature_flags]` on an AppConfig feature flags document (a stored
//! `AWS.AppConfig.FeatureFlags` document, recognised as such): the structs, enums, context
//! and test overrides that the build script generates too.
#![deny(missing_docs, warnings)]

use ff_macros::feature_flags;

/// The shop's AppConfig flags.
#[feature_flags("ui/appconfig.json")]
pub mod flags {}

fn main() {
    futures_executor::block_on(async {
        let flags = flags::Flags::for_tests().build();
        let ctx = flags::Context::new().tier("gold").orders(12.0).user_id("u-1");
        let checkout: flags::Checkout = flags.checkout(&ctx).await;
        assert!(checkout.enabled);
        assert_eq!(checkout.max_items, 25);
        assert_eq!(checkout.theme, flags::CheckoutTheme::Dark);
        assert_eq!(checkout.banner.as_deref(), Some("FREE SHIPPING"));
        assert_eq!(checkout.limits, Some(vec![10, 250]));
        assert!(!legacy_search_enabled(&flags).await);

        let forced = flags::Flags::for_tests()
            .checkout(flags::Checkout { enabled: false, theme: flags::CheckoutTheme::Light, ..flags::Checkout::default() })
            .build();
        let snapshot = forced.snapshot().await;
        let checkout = snapshot.checkout(&ctx);
        assert!(!checkout.enabled);
        assert_eq!(checkout.theme.as_str(), "light");
        assert_eq!(snapshot.enabled_features(&ctx), [flags::FlagName::DarkMode, flags::FlagName::Recommendations]);
        let details = snapshot.recommendations_details(&ctx);
        assert_eq!(details.value.model, "baseline");
    });
}

/// Reads the deprecated flag: its accessor warns, so a crate that still reads it allows that.
#[allow(deprecated)]
async fn legacy_search_enabled(flags: &flags::Flags) -> bool {
    flags.legacy_search(&flags::Context::new()).await.enabled
}
