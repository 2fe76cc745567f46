//! Typed flags from AWS AppConfig's own feature-flags format.
//!
//! `flags.json` is a stored `AWS.AppConfig.FeatureFlags` document, as the AWS console edits
//! it and `CreateHostedConfigurationVersion` receives it: flags with typed attributes, a
//! deprecated flag and a multi-variant flag. `build.rs` generates a struct per flag from it
//! (`Shipping { enabled, threshold: i64, carriers: Option<Vec<String>>, speed:
//! ShippingSpeed, banner: Option<String> }`), whose `Default` is the document's values.
//!
//! At run time the flags are read in the **retrieval format**, what `GetLatestConfiguration`
//! and the AppConfig Agent return: `retrieved.json` here, a later deployment in which dark
//! mode is off and the shipping offer changed. The file store stands in for
//! `ff_runtime::AppConfigStore` / `AppConfigAgentStore` (README.md).
//!
//! Run with `cargo run -p appconfig-flags`, or give another retrieval-format file:
//! `cargo run -p appconfig-flags -- other.json`.

use std::path::PathBuf;
use std::process::ExitCode;

use ff_runtime::FileStore;

/// The typed flags, generated from `flags.json` by `build.rs`.
mod flags {
    include!(concat!(env!("OUT_DIR"), "/flags.rs"));
}

use flags::{Context, Flags, Shipping};

fn main() -> ExitCode {
    let path = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("retrieved.json"), PathBuf::from);
    let flags = Flags::new(FileStore::new(&path));
    futures_executor::block_on(async {
        // Fail fast on a missing file or a document that is not AppConfig's format, instead
        // of serving the compiled-in values.
        if let Err(err) = flags.ready().await {
            eprintln!("cannot read the flags: {err}");
            return ExitCode::FAILURE;
        }
        let ctx = Context::new().tier("gold").customer_id("c-1042");

        println!("compiled in (flags.json): {}", describe(&Shipping::default()));
        let shipping = flags.shipping(&ctx).await;
        println!("live (retrieval format):  {}", describe(&shipping));
        println!("dark mode: {}", on_off(flags.dark_mode(&ctx).await.enabled));

        // Variants are evaluated by the AppConfig Agent only: through a store that cannot
        // (a file, the AppConfig data API), a multi-variant flag is what AWS serves without
        // context, its default variant's values.
        let recommendations = flags.recommendations_details(&ctx).await;
        let slots = recommendations.value.slots.map_or_else(|| "-".to_owned(), |n| n.to_string());
        println!(
            "recommendations: model {}, {slots} slots (reason {})",
            recommendations.value.model,
            recommendations.reason().as_str()
        );
        let enabled: Vec<&str> = flags.enabled_features(&ctx).await.into_iter().map(flags::FlagName::as_str).collect();
        println!("enabled: {}", enabled.join(", "));
        ExitCode::SUCCESS
    })
}

fn describe(shipping: &Shipping) -> String {
    let carriers = shipping.carriers.as_deref().map_or_else(|| "any".to_owned(), |c| c.join("+"));
    let banner = shipping.banner.as_deref().map_or_else(|| "no banner".to_owned(), |b| format!("banner {b:?}"));
    format!(
        "shipping {}, free from {} EUR, {} via {carriers}, {banner}",
        on_off(shipping.enabled),
        shipping.threshold,
        shipping.speed
    )
}

fn on_off(on: bool) -> &'static str {
    if on {
        "on"
    } else {
        "off"
    }
}
