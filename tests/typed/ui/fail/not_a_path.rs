//! The argument is the document's path, as a string literal, and optionally an envelope.
use ff_macros::feature_flags;

#[feature_flags(flags_json)]
mod flags {}

#[feature_flags("")]
mod empty {}

#[feature_flags("flags.json", path = "x")]
mod unknown_option {}

#[feature_flags("flags.json", envelope = features)]
mod envelope_not_a_string {}

fn main() {}
