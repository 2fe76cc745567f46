//! The first argument is the document's path, as a string literal; then the options.
use ff_macros::feature_flags;

#[feature_flags(flags_json)]
mod flags {}

#[feature_flags("")]
mod empty {}

#[feature_flags("ui/shop.json", path = "x")]
mod unknown_option {}

#[feature_flags("ui/shop.json", envelope = features)]
mod envelope_not_a_string {}

fn main() {}
