//! A path that does not exist.
use ff_macros::feature_flags;

#[feature_flags("ui/no-such-flags.json")]
mod flags {}

fn main() {}
