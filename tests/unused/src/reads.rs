// The reads every binary makes, for a module `$flags` of generated flags: `new_checkout`
// through the async accessor, `discount_level` through the snapshot; `dark-mode` is only
// forced and named (not a read); `enabled_features` reads nothing either.
macro_rules! reads {
    ($flags:ident) => {
        async fn run() {
            let flags = $flags::Flags::for_tests().dark_mode(true).build();
            let ctx = $flags::Context::new().tier("premium");
            let checkout = flags.new_checkout(&ctx).await;
            let discount = flags.snapshot().await.discount_level(&ctx);
            let enabled = flags.enabled_features(&ctx).await;
            let dark = enabled.contains(&$flags::FlagName::DarkMode);
            println!("{checkout} {discount} {dark}");
        }
    };
}
