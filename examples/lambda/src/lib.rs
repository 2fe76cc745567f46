//! An AWS Lambda function that reads its feature flags from AWS AppConfig.
//!
//! The flags are typed: [`flags`] is generated at compile time from `flags.json` (the
//! `features` part of it, through the envelope) by `#[ff_macros::feature_flags]`, so
//! `new_checkout` is a `bool` and `discount_level` an `i64`, and a feature removed from the
//! document is a compile error in [`handle`]. They run over an [`AppConfigStore`], built once
//! per cold start in `main`, which then calls [`flags::Flags::ready`]: a cold start that
//! cannot read its document (a wrong name, a missing permission, an invalid document) fails
//! its initialisation with that error, instead of serving the compiled-in defaults. Every
//! event is then evaluated against the cached document, which is fetched again only when
//! it is older than `max_age` *and* AppConfig allows another poll. So a warm invocation
//! makes no AppConfig call at all.
//!
//! The flags refresh with [`Refresh::Blocking`]: the invocation that finds the document
//! older than `max_age` fetches it in place. Lambda freezes the execution environment when
//! an invocation returns, so a background refresh (the default, for long-running services)
//! could be held until a later invocation, or cut off mid-request.
//!
//! The AppConfig document (`flags.json` beside this crate) holds application configuration
//! beside the flags: `log_level`, and the feature document under `features`, selected by the
//! envelope.
//!
//! Settings, from the function's environment:
//!
//! | variable | meaning | default |
//! | --- | --- | --- |
//! | `FF_APPCONFIG` | `APPLICATION/ENVIRONMENT/PROFILE` (names or IDs) | required |
//! | `FF_ENVELOPE` | JMESPath selecting the feature document; empty for the whole document | `features` |
//! | `FF_MAX_AGE_SECONDS` | how long a fetched document is used before AppConfig is asked again | `45` |
//! | `FF_TIMEOUT_SECONDS` | the longest one fetch may take | `3` |
//!
//! Region, credentials and endpoint come from the standard AWS configuration (on Lambda: the
//! execution role and `AWS_REGION`).

use std::time::Duration;

use ff_runtime::appconfig::{AppConfigLocation, AppConfigStore};
use ff_runtime::{Envelope, FeatureFlags, Refresh, Value};

/// The typed flags of `flags.json`'s `features` (generated; see the `ff-build` docs).
#[ff_macros::feature_flags("flags.json", envelope = "features")]
pub mod flags {}
use lambda_runtime::LambdaEvent;
use serde::{Deserialize, Serialize};

/// The function's settings (see the crate documentation).
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Where the document is.
    pub location: AppConfigLocation,
    /// The envelope, `None` for the whole document. The typed flags are compiled from
    /// `features`: another envelope serves another document, whose features then read as
    /// drift (compiled-in defaults, and a warning).
    pub envelope: Option<String>,
    /// How long a fetched document is used.
    pub max_age: Duration,
    /// The longest one fetch may take.
    pub timeout: Duration,
}

impl Settings {
    /// Reads the settings from `var` (the process environment in `main`).
    ///
    /// # Errors
    /// A message naming the variable that is missing or malformed.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Settings, String> {
        let location = var("FF_APPCONFIG")
            .ok_or("FF_APPCONFIG is not set: expected APPLICATION/ENVIRONMENT/PROFILE")?
            .parse::<AppConfigLocation>()
            .map_err(|e| format!("FF_APPCONFIG: {e}"))?;
        let seconds = |name: &str, default: f64| -> Result<Duration, String> {
            match var(name) {
                None => Ok(Duration::from_secs_f64(default)),
                Some(text) => text
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .and_then(|s| Duration::try_from_secs_f64(s).ok())
                    .ok_or(format!("{name}: expected a number of seconds, got {text:?}")),
            }
        };
        let envelope = match var("FF_ENVELOPE") {
            None => Some("features".to_owned()),
            Some(text) if text.trim().is_empty() => None,
            Some(text) => Some(text),
        };
        Ok(Settings {
            location,
            envelope,
            max_age: seconds("FF_MAX_AGE_SECONDS", 45.0)?,
            timeout: seconds("FF_TIMEOUT_SECONDS", 3.0)?,
        })
    }

    /// Builds the flags over `store` (a store from [`AppConfigStore::from_env`] in `main`, or
    /// over any client in tests), applying the envelope, timeout and `max_age`, with the
    /// blocking refresh (see the crate documentation).
    ///
    /// # Errors
    /// When the envelope is not a JMESPath expression.
    pub fn flags(&self, store: AppConfigStore) -> Result<flags::Flags, String> {
        let mut store = store.with_timeout(self.timeout);
        if let Some(envelope) = &self.envelope {
            store = store.with_envelope(Envelope::new(envelope).map_err(|e| format!("FF_ENVELOPE: {e}"))?);
        }
        let flags = FeatureFlags::builder(store).max_age(self.max_age).refresh(Refresh::Blocking).build();
        Ok(flags::Flags::from(flags))
    }
}

/// The event: a customer at the checkout.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Request {
    /// Who.
    pub customer_id: String,
    /// `standard` or `premium`.
    #[serde(default)]
    pub tier: Option<String>,
    /// The basket's value.
    #[serde(default)]
    pub basket_size: Option<f64>,
}

/// What the function answers.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Response {
    /// The customer.
    pub customer_id: String,
    /// The value of `new_checkout`.
    pub new_checkout: bool,
    /// The value of `discount_level`.
    pub discount_level: i64,
    /// The features that are on for this customer, in document order.
    pub enabled: Vec<String>,
    /// `log_level` from the raw AppConfig document (application configuration beside the
    /// flags), when there is one.
    pub log_level: Option<String>,
}

/// Handles one event: evaluates the flags for the customer.
///
/// When AppConfig cannot be read (and no document was read before: `main`'s
/// [`flags::Flags::ready`] makes that a failed cold start), the features take their
/// compiled-in defaults (`false`, `0`); when AppConfig refuses access, or the only document
/// ever read is invalid, the invocation fails with that error.
///
/// # Errors
/// [`ff_runtime::Error`] as [`FeatureFlags::snapshot`] returns it.
pub async fn handle(
    flags: &flags::Flags,
    event: LambdaEvent<Request>,
) -> Result<Response, ff_runtime::Error> {
    let request = event.payload;
    let mut ctx = flags::Context::new();
    if let Some(tier) = &request.tier {
        ctx = ctx.tier(tier);
    }
    if let Some(size) = request.basket_size {
        ctx = ctx.basket_size(size);
    }
    // One consistent document for the whole event. Through the dynamic snapshot, so that
    // access denied fails the invocation instead of serving the defaults.
    let snapshot = flags::FlagsSnapshot::from(flags.feature_flags().snapshot().await?);
    let new_checkout = snapshot.new_checkout(&ctx);
    let discount_level = snapshot.discount_level(&ctx);
    let enabled = snapshot.enabled_features(&ctx).into_iter().map(|f| f.as_str().to_owned()).collect();
    let log_level = flags
        .feature_flags()
        .store::<AppConfigStore>()
        .and_then(AppConfigStore::last_raw_configuration)
        .and_then(|raw| raw.as_object().and_then(|o| o.get("log_level")).and_then(Value::as_str).map(str::to_owned));
    Ok(Response { customer_id: request.customer_id, new_checkout, discount_level, enabled, log_level })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned())
    }

    #[test]
    fn settings_from_the_environment() {
        let s = Settings::from_vars(vars(&[("FF_APPCONFIG", "shop/prod/features")])).unwrap();
        assert_eq!(s.location, AppConfigLocation::new("shop", "prod", "features"));
        assert_eq!(s.envelope.as_deref(), Some("features"));
        assert_eq!(s.max_age, Duration::from_secs(45));
        assert_eq!(s.timeout, Duration::from_secs(3));
        let s = Settings::from_vars(vars(&[
            ("FF_APPCONFIG", "a/b/c"),
            ("FF_ENVELOPE", ""),
            ("FF_MAX_AGE_SECONDS", "0.5"),
            ("FF_TIMEOUT_SECONDS", "10"),
        ]))
        .unwrap();
        assert_eq!((s.envelope, s.max_age, s.timeout), (None, Duration::from_millis(500), Duration::from_secs(10)));
        assert!(Settings::from_vars(vars(&[])).unwrap_err().contains("FF_APPCONFIG is not set"));
        assert!(Settings::from_vars(vars(&[("FF_APPCONFIG", "a/b")]))
            .unwrap_err()
            .contains("APPLICATION/ENVIRONMENT/PROFILE"));
        let err = Settings::from_vars(vars(&[("FF_APPCONFIG", "a/b/c"), ("FF_MAX_AGE_SECONDS", "-1")])).unwrap_err();
        assert!(err.contains("FF_MAX_AGE_SECONDS"), "{err}");
    }
}
