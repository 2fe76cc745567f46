//! `old_banner` was removed from the document: every use of it stops compiling, naming the
//! missing accessor.
use ff_macros::feature_flags;

#[feature_flags("ui/shop.json")]
mod flags {}

fn main() {
    let flags: flags::Flags = flags::Flags::for_tests().build();
    let ctx = flags::Context::new();
    let _ = futures_executor::block_on(flags.old_banner(&ctx));
    let snapshot: flags::FlagsSnapshot = futures_executor::block_on(flags.snapshot());
    let _ = snapshot.old_banner(&ctx);
    let _ = flags::FlagName::OldBanner;
}
