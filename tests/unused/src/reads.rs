// The reads every binary makes, for a module `$flags` of generated flags, one through each
// accessor family: `new_checkout` through `Flags::new_checkout`, `discount_level` through
// `FlagsSnapshot::discount_level`, `banner` through `Flags::banner_details`, `type` through
// `FlagsSnapshot::type_details`. `dark-mode` is only forced and named (not a read);
// `enabled_features` reads nothing either.
macro_rules! reads {
    ($flags:ident) => {
        async fn run() {
            let flags = $flags::Flags::for_tests().dark_mode(true).build();
            let ctx = $flags::Context::new().tier("premium");
            let checkout = flags.new_checkout(&ctx).await;
            let banner = flags.banner_details(&ctx).await.value;
            let snapshot = flags.snapshot().await;
            let discount = snapshot.discount_level(&ctx);
            let kind = snapshot.type_details(&ctx).value;
            let enabled = flags.enabled_features(&ctx).await;
            let dark = enabled.contains(&$flags::FlagName::DarkMode);
            println!("{checkout} {banner} {discount} {kind} {dark}");
        }
    };
}
