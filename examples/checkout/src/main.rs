//! An online shop's feature flags (`flags.json`), served by the file store and evaluated
//! for a handful of customers through typed accessors: the value of every feature, and the
//! enabled list.
//!
//! `build.rs` generates the accessors from `flags.json` with `ff-build`: `new_checkout` is a
//! `bool`, `discount_level` an `i64`, and `Context` has one typed field per key the rules
//! read (`tier: &str`, `customer_id: i64`, `groups: &[&str]`, …). Delete a feature from the
//! document and this file stops compiling where it is used.
//!
//! Run with `cargo run -p checkout`. The clock is pinned to Black Friday 2026, 10:00 in
//! Copenhagen, so the output does not change from day to day; pass an RFC 3339 instant as
//! the first argument to evaluate at another time (`cargo run -p checkout -- now` for the
//! real clock).

use std::path::Path;

/// The shop's typed flags, generated from `flags.json` by `build.rs`.
mod flags {
    include!(concat!(env!("OUT_DIR"), "/flags.rs"));
}

/// The example itself, shared with `examples/checkout-macro`.
mod shop;

fn main() {
    shop::run(&Path::new(env!("CARGO_MANIFEST_DIR")).join("flags.json"));
}
