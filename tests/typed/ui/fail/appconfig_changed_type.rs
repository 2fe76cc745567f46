//! AppConfig feature flags: attribute `max_items` of flag `checkout` became a string: code
//! that reads it as the integer it was stops compiling.
use ff_macros::feature_flags;

#[feature_flags("ui/appconfig_next.json")]
mod flags {}

fn main() {
    let flags: flags::Flags = flags::Flags::for_tests().build();
    let checkout = futures_executor::block_on(flags.checkout(&flags::Context::new()));
    let most: i64 = checkout.max_items;
    let _ = most;
}
