//! The body of the checkout examples (`examples/checkout`, with a build script, and
//! `examples/checkout-macro`, with `#[feature_flags]`), shared by both: each crate's
//! `main.rs` generates the typed flags into its `flags` module and includes this file as
//! `mod shop`. The customers, the pinned clock and the printed table are the same for both.

use std::fmt::Display;
use std::path::Path;

use ff_runtime::{Clock, FeatureFlags, FileStore, FixedClock, SystemClock};

use crate::flags::{Context, FlagName, Flags};

/// The example's name in error messages (`checkout` or `checkout-macro`).
const PROGRAM: &str = env!("CARGO_PKG_NAME");

fn clock_from_args() -> Result<Box<dyn Clock>, String> {
    match std::env::args().nth(1).as_deref() {
        None => Ok(Box::new(FixedClock("2026-11-27T09:00:00Z".parse().expect("valid instant")))),
        Some("now") => Ok(Box::new(SystemClock)),
        Some(text) => text
            .parse::<jiff::Timestamp>()
            .map(|t| Box::new(FixedClock(t)) as Box<dyn Clock>)
            .map_err(|e| format!("expected an RFC 3339 instant such as 2026-11-27T09:00:00Z or `now`, got {text:?}: {e}")),
    }
}

fn row(feature: FlagName, value: impl Display) {
    println!("  {:<22} {value}", feature.as_str());
}

/// No groups: an empty list names its element type (the `groups` setter takes any string slice).
const NO_GROUPS: [&str; 0] = [];

/// Evaluates every feature for each customer, with the flags of the document at `path`.
pub fn run(path: &Path) {
    let clock = match clock_from_args() {
        Ok(clock) => clock,
        Err(message) => {
            eprintln!("{PROGRAM}: {message}");
            std::process::exit(2);
        }
    };
    let flags = Flags::from(FeatureFlags::builder(FileStore::new(path)).clock(ClockRef(clock)).build());

    let customers = [
        (
            "Gold customer, big basket, Denmark",
            Context::new().tier("gold").customer_id(1042).basket_size(180).country("DK").groups(&NO_GROUPS).email("ana@example.com"),
        ),
        (
            "Standard customer in the 20% rollout",
            Context::new().tier("standard").customer_id(7715).basket_size(35).country("DE").groups(&NO_GROUPS).email("ben@example.com"),
        ),
        (
            "Standard customer outside the rollout",
            Context::new()
                .tier("standard")
                .customer_id(7790)
                .basket_size(120)
                .country("SE")
                .groups(&["newsletter"])
                .email("cai@example.com"),
        ),
        (
            "Staff member on a test account",
            Context::new()
                .tier("premium")
                .customer_id(3)
                .basket_size(20)
                .country("NO")
                .groups(&["staff"])
                .email("qa@test.example.com"),
        ),
        ("Anonymous visitor (empty context)", Context::new()),
    ];

    futures_executor::block_on(async {
        // At start-up: fail fast when flags.json is missing, unreadable or invalid, instead
        // of serving the compiled-in defaults.
        if let Err(error) = flags.ready().await {
            eprintln!("{PROGRAM}: cannot load the feature flags: {error}");
            std::process::exit(1);
        }
        for (who, ctx) in &customers {
            println!("{who}");
            row(FlagName::NewCheckout, flags.new_checkout(ctx).await);
            row(FlagName::BlackFridayBanner, flags.black_friday_banner(ctx).await);
            let discount: i64 = flags.discount_level(ctx).await;
            row(FlagName::DiscountLevel, discount);
            row(FlagName::ExpressShipping, flags.express_shipping(ctx).await);
            row(FlagName::BetaRecommendations, flags.beta_recommendations(ctx).await);
            row(FlagName::SupportChat, flags.support_chat(ctx).await);
            let enabled: Vec<&str> = flags.enabled_features(ctx).await.into_iter().map(FlagName::as_str).collect();
            println!("  enabled: {}", enabled.join(", "));
            println!();
        }
    });
    if let Some(error) = flags.feature_flags().status().last_error {
        eprintln!("{PROGRAM}: the flags store reported: {error}");
        std::process::exit(1);
    }
}

/// Lets a boxed clock be handed to the builder.
struct ClockRef(Box<dyn Clock>);

impl Clock for ClockRef {
    fn now(&self) -> jiff::Timestamp {
        self.0.now()
    }
}
