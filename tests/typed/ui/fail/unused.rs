//! `warn_unused = true`: rustc reports each feature the crate never reads, once, naming it
//! (denied here to make the warning an error), on the path literal. `old_checkout` is only
//! forced in `FlagsForTests` and named in `FlagName`, which are not reads; `new_checkout`
//! is read through the snapshot only; the generated code's own reads do not count.
#![deny(dead_code)]
use ff_macros::feature_flags;

#[feature_flags("ui/lifecycle.json", warn_unused = true)]
mod flags {}

async fn read() -> bool {
    let flags = flags::Flags::for_tests().old_checkout(true).build();
    let ctx = flags::Context::new();
    let snapshot = flags.snapshot().await;
    snapshot.new_checkout(&ctx) && snapshot.enabled_features(&ctx).contains(&flags::FlagName::OldCheckout)
}

fn main() {
    drop(read());
}
