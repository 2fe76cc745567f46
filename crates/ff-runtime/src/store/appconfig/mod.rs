//! Stores that read the document from AWS AppConfig.
//!
//! * [`AppConfigStore`] (feature `appconfig`) calls the AppConfig Data API through the AWS
//!   SDK for Rust (`aws-sdk-appconfigdata`): the equivalent of the reference's
//!   `AppConfigStore`.
//! * [`AppConfigAgentStore`] (feature `appconfig-agent`) asks the AWS AppConfig Agent, or the
//!   AWS AppConfig Lambda extension, over HTTP on `localhost`: the equivalent of the
//!   reference's `AppConfigStore(use_extension=True)` / `AppConfigExtensionStore`.
//!
//! Both serve the raw document through [`StoreProvider::get_raw_configuration`](crate::StoreProvider::get_raw_configuration)
//! and the feature document, after the optional [`Envelope`], through
//! [`StoreProvider::get_configuration`](crate::StoreProvider::get_configuration). Neither
//! caches by age: [`FeatureFlags`](crate::FeatureFlags) asks them only when its copy is
//! older than its `max_age` (the reference's `max_age` parameter of `AppConfigStore`). Both
//! hand back the *same* `Arc` for as long as the stored document's bytes do not change, so
//! an unchanged document is neither parsed, nor enveloped, nor validated again.
//!
//! Errors follow the reference: access refused is a [`StoreError`] of kind
//! [`StoreErrorKind::Client`](crate::StoreErrorKind::Client), returned to the caller;
//! everything else (network, timeout, throttling, unknown names, a document that is not
//! JSON, an envelope that selects nothing) is of kind
//! [`StoreErrorKind::Configuration`](crate::StoreErrorKind::Configuration), so evaluation
//! keeps the last good document, or serves the defaults when there is none yet.
//!
//! Both stores need a [Tokio](https://tokio.rs) runtime (with its time driver, and for the
//! agent store its I/O driver) to be running when a document is fetched, as the AWS SDK and
//! `lambda_runtime` do.

use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::store::envelope::Envelope;
use crate::error::StoreError;
use crate::value::Value;

#[cfg(feature = "appconfig-agent")]
mod agent;
#[cfg(feature = "appconfig")]
mod sdk;

#[cfg(feature = "appconfig-agent")]
pub use agent::{AppConfigAgentStore, DEFAULT_AGENT_PORT};
#[cfg(feature = "appconfig")]
pub use sdk::AppConfigStore;
#[cfg(feature = "appconfig")]
pub use {aws_config, aws_sdk_appconfigdata};

/// The default limit on one fetch, all its requests included: 10 seconds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Where a document lives in AppConfig: an application, an environment and a configuration
/// profile, each given by name or by ID (AppConfig accepts either).
///
/// Written and parsed as `APPLICATION/ENVIRONMENT/PROFILE`, the order of the agent's URL
/// and of the `ff` command's `--appconfig` option (the reference's `AppConfigStore` takes
/// them as `environment, application, name`).
///
/// ```
/// use ff_runtime::appconfig::AppConfigLocation;
/// let location: AppConfigLocation = "shop/prod/features".parse().unwrap();
/// assert_eq!(location.application, "shop");
/// assert_eq!(location.profile, "features");
/// assert_eq!(location.to_string(), "shop/prod/features");
/// assert!("shop/prod".parse::<AppConfigLocation>().is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AppConfigLocation {
    /// The application's name or ID.
    pub application: String,
    /// The environment's name or ID.
    pub environment: String,
    /// The configuration profile's name or ID (the reference's `name`).
    pub profile: String,
}

impl AppConfigLocation {
    /// A location from its three parts.
    pub fn new(
        application: impl Into<String>,
        environment: impl Into<String>,
        profile: impl Into<String>,
    ) -> AppConfigLocation {
        AppConfigLocation { application: application.into(), environment: environment.into(), profile: profile.into() }
    }
}

impl fmt::Display for AppConfigLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.application, self.environment, self.profile)
    }
}

/// `APPLICATION/ENVIRONMENT/PROFILE` is not of that form.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an AppConfig location: expected APPLICATION/ENVIRONMENT/PROFILE, three non-empty names")]
pub struct LocationParseError(pub String);

impl FromStr for AppConfigLocation {
    type Err = LocationParseError;

    fn from_str(s: &str) -> Result<AppConfigLocation, LocationParseError> {
        let parts: Vec<&str> = s.split('/').collect();
        match parts[..] {
            [a, e, p] if !a.is_empty() && !e.is_empty() && !p.is_empty() => Ok(AppConfigLocation::new(a, e, p)),
            _ => Err(LocationParseError(s.to_owned())),
        }
    }
}

impl<A: Into<String>, E: Into<String>, P: Into<String>> From<(A, E, P)> for AppConfigLocation {
    fn from((application, environment, profile): (A, E, P)) -> AppConfigLocation {
        AppConfigLocation::new(application, environment, profile)
    }
}

/// The outcome of reading one version of the stored document: kept so that an unchanged
/// answer ("no change" from the service, or the same bytes again) hands back the same
/// `Arc`, or the same error, without parsing again.
#[derive(Debug)]
pub(crate) struct Parsed {
    bytes: Vec<u8>,
    outcome: Result<Arc<Value>, String>,
}

impl Parsed {
    /// Parses `bytes` as a JSON document, reusing `previous` when the bytes are the same.
    pub(crate) fn new(store: &str, detail: &str, bytes: Vec<u8>, previous: Option<Parsed>) -> Parsed {
        if let Some(previous) = previous {
            if previous.bytes == bytes {
                return previous;
            }
        }
        let text = match std::str::from_utf8(&bytes) {
            // A byte order mark is refused by the parser, as the reference refuses it.
            Ok(text) => Ok(text),
            Err(e) => Err(format!("{store}: the configuration{detail} is not UTF-8 text: {e}")),
        };
        let outcome = text.and_then(|text| {
            Value::from_json(text)
                .map(Arc::new)
                .map_err(|e| format!("{store}: the configuration{detail} is not JSON: {e}"))
        });
        Parsed { bytes, outcome }
    }

    /// The document, or the error, that this version gave.
    pub(crate) fn outcome(&self) -> Result<Arc<Value>, StoreError> {
        self.outcome.clone().map_err(StoreError::configuration)
    }

    /// The document, when this version was JSON.
    pub(crate) fn document(&self) -> Option<Arc<Value>> {
        self.outcome.as_ref().ok().cloned()
    }
}

/// The envelope's result, remembered per raw document (by `Arc` identity), as the
/// reference memoises it: a cache hit hands back the same feature document, so
/// [`FeatureFlags`] skips validating it again.
#[derive(Debug, Default)]
pub(crate) struct EnvelopeMemo {
    last: Mutex<Option<Enveloped>>,
}

/// A raw document and what the envelope made of it.
type Enveloped = (Arc<Value>, Result<Arc<Value>, String>);

impl EnvelopeMemo {
    pub(crate) fn apply(
        &self,
        store: &str,
        envelope: Option<&Envelope>,
        raw: Arc<Value>,
    ) -> Result<Arc<Value>, StoreError> {
        let Some(envelope) = envelope else { return Ok(raw) };
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((source, result)) = &*last {
            if Arc::ptr_eq(source, &raw) {
                return result.clone().map_err(StoreError::configuration);
            }
        }
        let result = envelope.apply(&raw).map(Arc::new).map_err(|e| format!("{store}: {}", e.message));
        *last = Some((raw, result.clone()));
        result.map_err(StoreError::configuration)
    }
}

/// `Duration` as whole seconds, for messages.
pub(crate) fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        format!("{s:.3} s")
    }
}
