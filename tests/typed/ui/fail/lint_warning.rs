//! A typo the reference ignores (`when_macth`), and an object member whose values have
//! conflicting types (left `ff_runtime::Value`), are warnings on the path: with
//! `deny(deprecated)` (the only way a macro warns on stable) they show as errors here.
#![deny(deprecated)]
use ff_macros::feature_flags;

#[feature_flags("ui/typos.json")]
mod flags {}

fn main() {}
