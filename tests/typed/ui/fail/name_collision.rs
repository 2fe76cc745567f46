//! Two features (and two context keys) that would get the same Rust name fail the build,
//! naming both document names and the rename that fixes it; no accessor is silently moved.
use ff_macros::feature_flags;

#[feature_flags("ui/twins.json")]
mod twins {}

// A rename of a name the document does not have.
#[feature_flags("ui/shop.json", rename("dark-mode" = "dark_mode_legacy"))]
mod absent {}

// A rename to a name that is not snake_case.
#[feature_flags("ui/shop.json", rename(new_checkout = "NewCheckout"))]
mod not_snake_case {}

fn main() {}
