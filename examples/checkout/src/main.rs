//! An online shop's feature flags (`flags.json`), served by the file store and evaluated
//! for a handful of customers: the value of every feature, and the enabled list.
//!
//! Run with `cargo run -p checkout`. The clock is pinned to Black Friday 2026, 10:00 in
//! Copenhagen, so the output does not change from day to day; pass an RFC 3339 instant as
//! the first argument to evaluate at another time (`cargo run -p checkout -- now` for the
//! real clock).

use std::path::Path;

use ff_runtime::{Clock, FeatureFlags, FileStore, FixedClock, SystemClock};
use serde_json::json;

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

fn main() {
    let clock = match clock_from_args() {
        Ok(clock) => clock,
        Err(message) => {
            eprintln!("checkout: {message}");
            std::process::exit(2);
        }
    };
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("flags.json");
    let flags = FeatureFlags::builder(FileStore::new(&path)).clock(ClockRef(clock)).build();

    let customers = [
        ("Gold customer, big basket, Denmark", json!({"tier": "gold", "customer_id": 1042, "basket_size": 180, "country": "DK", "groups": [], "email": "ana@example.com"})),
        ("Standard customer in the 20% rollout", json!({"tier": "standard", "customer_id": 7715, "basket_size": 35, "country": "DE", "groups": [], "email": "ben@example.com"})),
        ("Standard customer outside the rollout", json!({"tier": "standard", "customer_id": 7790, "basket_size": 120, "country": "SE", "groups": ["newsletter"], "email": "cai@example.com"})),
        ("Staff member on a test account", json!({"tier": "premium", "customer_id": 3, "basket_size": 20, "country": "NO", "groups": ["staff"], "email": "qa@test.example.com"})),
        ("Anonymous visitor (empty context)", json!({})),
    ];
    let features = ["new_checkout", "black_friday_banner", "discount_level", "express_shipping", "beta_recommendations", "support_chat"];

    futures_executor::block_on(async {
        for (who, ctx) in &customers {
            println!("{who}");
            for feature in features {
                match flags.evaluate(feature, ctx, false).await {
                    Ok(value) => println!("  {feature:<22} {value}"),
                    Err(err) => println!("  {feature:<22} error: {err}"),
                }
            }
            match flags.enabled_features(ctx).await {
                Ok(enabled) => println!("  enabled: {}", enabled.join(", ")),
                Err(err) => println!("  enabled: error: {err}"),
            }
            println!();
        }
    });
    if let Some(error) = flags.status().last_error {
        eprintln!("checkout: the flags store reported: {error}");
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
