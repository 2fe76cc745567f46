//! Every option of `ff_build::Options` as a macro option: renames resolve a collision,
//! value types, derives, visibility.
#![deny(missing_docs, warnings)]

use ff_macros::feature_flags;

mod inner {
    use ff_macros::feature_flags;

    /// Flags visible to the crate only.
    #[feature_flags(
        "ui/twins.json",
        visibility = "pub(crate)",
        rename("dark-mode" = "dark_mode_legacy", "user-id" = "user_id_legacy"),
        derive_flag_name = "serde::Serialize",
        derive_context = "serde::Serialize",
    )]
    pub mod twins {}
}

/// The shop's flags, with the discount as a float.
#[feature_flags("ui/shop.json", value_type(discount_level = "f64"), rename(new_checkout = "checkout_v2"))]
pub mod shop {}

fn main() {
    futures_executor::block_on(async {
        use inner::twins::{Context, FlagName, Flags};
        let flags = Flags::for_tests().build();
        let alice = Context::new().user_id_legacy("alice").user_id("alice");
        assert!(flags.dark_mode_legacy(&alice).await, "the old feature keeps its value");
        assert!(flags.dark_mode(&alice).await);
        assert!(!flags.dark_mode(&Context::new().user_id_legacy("alice")).await, "each setter sets its own key");
        assert_eq!(FlagName::DarkModeLegacy.as_str(), "dark-mode");
        assert_eq!(serde_json::to_string(&FlagName::DarkMode).unwrap(), "\"DarkMode\"");
        assert_eq!(serde_json::to_value(&alice).unwrap()["user_id_legacy"], "alice");

        let shop = shop::Flags::for_tests().build();
        let ctx = shop::Context::new().tier("premium").basket_size(120);
        assert!(shop.checkout_v2(&ctx).await);
        let discount: f64 = shop.discount_level(&ctx).await;
        assert_eq!(discount, 10.0);
    });
}
