//! The typical uses of `#[feature_flags]`: typed accessors, contexts, snapshots, enabled
//! features, test overrides, and the dynamic API underneath.
#![deny(missing_docs, warnings)]

use ff_macros::feature_flags;

/// The shop's flags.
#[feature_flags("ui/shop.json")]
pub mod flags {}

fn main() {
    futures_executor::block_on(async {
        let store = ff_runtime::MemoryStore::from_json(flags::DOCUMENT).unwrap();
        let flags = flags::Flags::new(store);
        let ctx = flags::Context::new().tier("premium").basket_size(120);
        let on: bool = flags.new_checkout(&ctx).await;
        let level: i64 = flags.discount_level(&ctx).await;
        assert!(on);
        assert_eq!(level, 10);
        assert_eq!(flags.enabled_features(&ctx).await, [flags::FlagName::NewCheckout, flags::FlagName::DiscountLevel]);

        let snapshot = flags.snapshot().await;
        assert!(!snapshot.new_checkout(&flags::Context::new().tier("standard")));
        assert_eq!(snapshot.discount_level(&flags::Context::new().with("basket_size", 500)), 10);

        let forced = flags::Flags::for_tests().new_checkout(false).discount_level(3).build();
        assert!(!forced.new_checkout(&ctx).await);
        assert_eq!(forced.discount_level(&ctx).await, 3);
        assert_eq!(forced.feature_flags().status().features, 2);
        assert_eq!(flags::FlagName::ALL.map(flags::FlagName::as_str), ["new_checkout", "discount_level"]);
    });
}
