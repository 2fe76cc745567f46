//! A feature past its expiry date ("x-ff": {"expires": ...}) is #[deprecated] on every
//! accessor (the async one and the snapshot's): each use warns, naming the owner and the
//! date (denied here to make the warnings errors). A feature not yet expired does not warn,
//! and the generated code's own reads (enabled_features) do not count as uses.
#![deny(deprecated)]
use ff_macros::feature_flags;

#[feature_flags("ui/lifecycle.json")]
mod flags {}

async fn read(flags: &flags::Flags, ctx: &flags::Context<'_>) -> bool {
    let snapshot = flags.snapshot().await;
    let _ = snapshot.enabled_features(ctx);
    flags.new_checkout(ctx).await && snapshot.old_checkout(ctx) && flags.old_checkout(ctx).await
}

fn main() {
    let _ = read;
}
