//! AppConfig feature flags: `legacy_search` was removed from the document (`appconfig_next.json`
//! is `appconfig.json`'s next version): every use of it stops compiling, naming the missing
//! accessor, struct and variant.
use ff_macros::feature_flags;

#[feature_flags("ui/appconfig_next.json")]
mod flags {}

fn main() {
    let flags: flags::Flags = flags::Flags::for_tests().build();
    let ctx = flags::Context::new();
    let _ = futures_executor::block_on(flags.legacy_search(&ctx));
    let snapshot: flags::FlagsSnapshot = futures_executor::block_on(flags.snapshot());
    let _: flags::LegacySearch = snapshot.legacy_search(&ctx);
    let _ = flags::FlagName::LegacySearch;
}
