//! The argument is the document's path, as a string literal.
use ff_macros::feature_flags;

#[feature_flags(flags_json)]
mod flags {}

#[feature_flags("")]
mod empty {}

fn main() {}
