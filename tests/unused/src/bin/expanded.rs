//! `#[feature_flags]` with `warn_unused = true`.
include!("../reads.rs");

#[ff_macros::feature_flags("flags.json", warn_unused = true)]
mod flags {}

reads!(flags);

fn main() {
    drop(run());
}
