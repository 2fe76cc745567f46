//! AppConfig feature flags: attribute `banner` was removed from flag `checkout`: reading the
//! field, or setting it in a test, stops compiling.
use ff_macros::feature_flags;

#[feature_flags("ui/appconfig_next.json")]
mod flags {}

fn main() {
    let flags: flags::Flags = flags::Flags::for_tests().build();
    let checkout = futures_executor::block_on(flags.checkout(&flags::Context::new()));
    let _: Option<String> = checkout.banner;
    let _ = flags::Checkout { banner: None, ..flags::Checkout::default() };
}
