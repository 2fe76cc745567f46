//! A bad option is one error on that option; the module is still generated with the other
//! options, so the code that uses it reports nothing more (no unresolved imports).
use ff_macros::feature_flags;

#[feature_flags(
    "ui/shop.json",
    visiblity = "pub(crate)",
    rename = "checkout_v2",
    value_type = "f64",
    visibility = "public",
    envelope = features,
    derive_context("serde::Serialize"),
    warn_unused = "yes",
    value_type(discount_level = "f64"),
)]
mod flags {}

fn main() {
    let forced = flags::Flags::for_tests().new_checkout(true).discount_level(2.5).build();
    let _ = futures_executor::block_on(forced.discount_level(&flags::Context::new().tier("premium")));
}
