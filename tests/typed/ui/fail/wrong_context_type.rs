//! Context fields are typed from the values the rules compare them with.
use ff_macros::feature_flags;

#[feature_flags("ui/shop.json")]
mod flags {}

fn main() {
    let _ = flags::Context::new().basket_size("large").tier(3);
    let _ = flags::Flags::for_tests().discount_level("high");
}
