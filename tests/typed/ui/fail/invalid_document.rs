//! An invalid document: every problem, at once, on the path.
use ff_macros::feature_flags;

#[feature_flags("ui/invalid.json")]
mod flags {}

fn main() {}
