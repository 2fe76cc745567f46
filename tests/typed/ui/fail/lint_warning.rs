//! A typo the reference ignores (`when_macth`) is a warning on the path: with
//! `deny(deprecated)` (the only way a macro warns on stable) it shows as an error here.
#![deny(deprecated)]
use ff_macros::feature_flags;

#[feature_flags("ui/typos.json")]
mod flags {}

fn main() {}
