//! Absolute paths are rejected: the path is relative to the crate's Cargo.toml.
use ff_macros::feature_flags;

#[feature_flags("/etc/flags.json")]
mod flags {}

fn main() {}
