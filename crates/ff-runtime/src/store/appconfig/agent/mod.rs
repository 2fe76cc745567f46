//! [`AppConfigAgentStore`]: the AWS AppConfig Agent, or Lambda extension, over HTTP.
//!
//! # Why hyper
//!
//! The agent listens on plain HTTP on the loopback interface, so no TLS, connection pool,
//! proxy or redirect support is needed: one `GET` per fetch on a fresh connection. hyper's
//! low-level HTTP/1 client connection (`hyper::client::conn::http1`) does exactly that with
//! nothing else: it is the HTTP implementation under the AWS SDK, `lambda_runtime` and
//! reqwest (so a Lambda function already builds it), it is async, so a fetch is cancelled
//! (its socket closed) when its timeout expires instead of holding a blocking thread, and it
//! needs only the Tokio runtime that such programs already run. reqwest would add its
//! client stack (pool, `tower`, URL parsing) for nothing here; ureq would need a blocking
//! thread per fetch and could not be cancelled by the timeout.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwapOption;
use hyper::header::{self, HeaderName, HeaderValue};
use hyper::StatusCode;

use super::{seconds, AppConfigLocation, EnvelopeMemo, Parsed, DEFAULT_TIMEOUT};
use crate::error::StoreError;
use crate::store::envelope::Envelope;
use crate::store::{EvaluatedFlag, StoreProvider};
use crate::value::Value;

mod flag;
mod http;
mod token;

use http::Answer;
use token::AccessToken;

/// The agent's default port, used when `AWS_APPCONFIG_EXTENSION_HTTP_PORT` is not set: 2772.
pub const DEFAULT_AGENT_PORT: u16 = 2772;

/// A store that reads the document from the AWS AppConfig Agent or the AWS AppConfig Lambda
/// extension, over HTTP on `localhost:${AWS_APPCONFIG_EXTENSION_HTTP_PORT:-2772}`, as the
/// reference's `AppConfigStore(use_extension=True)` does.
///
/// Each fetch is one `GET /applications/{application}/environments/{environment}/configurations/{profile}`
/// (each name percent-encoded). The agent itself polls AppConfig and caches the document,
/// so every answer carries the whole document; an answer with the same bytes as the last
/// one hands back the same `Arc`, so an unchanged document is not validated again.
///
/// # AppConfig feature flags and their variants
///
/// A profile of type `AWS.AppConfig.FeatureFlags` is served in its retrieval format
/// (`{KEY: {"enabled": bool, ATTRIBUTE: value, …}}`); build the flags with the AppConfig
/// document format (`FeatureFlagsBuilder::format`) to read it as flags.
///
/// Multi-variant flags need the Agent: AWS documents that the Agent evaluates variant rules
/// for the context a request gives (AWS AppConfig User Guide, "Understanding multi-variant
/// feature flag concepts"), and ff does not evaluate AWS's rule language itself (the hash
/// behind `split` is not published). [`FeatureFlags::evaluate_variant`] asks this store
/// for one flag: one `GET …?flag=KEY` with a `Context: key=value` header per context entry
/// (values that the Agent would read differently, such as ones holding a comma, its
/// separator between entries, are refused without being sent); the answer's `_variant`
/// becomes the variant of the [`Details`](crate::Details). Each call is one request to
/// the Agent (which caches the profile itself); the whole-profile fetches of the cache are
/// unchanged.
///
/// Without the Agent: AWS does not document what `GetLatestConfiguration` (what
/// [`AppConfigStore`](crate::appconfig::AppConfigStore) reads) returns for a profile holding
/// multi-variant flags. Emulator authors report that AWS serves such a profile in Amazon Ion
/// for the Agent to evaluate (floci, pull request 3890), which is not JSON: the store then
/// reports a document that is not JSON (a configuration error: the last good document, or
/// the defaults, stay in force). Read profiles with multi-variant flags through the Agent.
///
/// # Access token
///
/// An agent started with its `ACCESS_TOKEN` setting answers `401 Unauthorized` to requests
/// without `Authorization: Bearer TOKEN`: give the token with
/// [`AppConfigAgentStore::with_access_token`] (nothing is read from the environment by
/// default; see there why and how).
///
/// # Errors
///
/// [`StoreProvider::get_raw_configuration`] returns a [`StoreError`]:
///
/// * of kind [`Client`](crate::StoreErrorKind::Client) when the agent answers `401
///   Unauthorized` (no token, or a wrong one) or `403 Forbidden`, or an error whose body
///   contains `AccessDenied` (the agent's own role may not read the configuration), or when
///   the access token cannot be sent; evaluation returns it to the caller;
/// * of kind [`Configuration`](crate::StoreErrorKind::Configuration) otherwise: the agent is
///   not listening, answers another error status (`404` for an unknown application,
///   environment or profile, `400`, `500`...; the status and the start of the body are in
///   the message), takes longer than the timeout, answers more than 16 MiB, or serves a
///   document that is not UTF-8 JSON. Evaluation then keeps the last good document, or
///   serves the defaults.
///
/// No message holds the access token, nor a context value.
///
/// [`FeatureFlags::evaluate_variant`]: crate::FeatureFlags::evaluate_variant
///
/// # Panics
///
/// A fetch outside a Tokio runtime with its time and I/O drivers enabled panics (as Tokio's
/// sockets and timers do).
///
/// # Example
///
/// ```no_run
/// use ff_runtime::appconfig::AppConfigAgentStore;
/// use ff_runtime::FeatureFlags;
/// # async fn run() -> Result<(), ff_runtime::Error> {
/// let flags = FeatureFlags::new(AppConfigAgentStore::new(("shop", "prod", "features")));
/// let on = flags.evaluate("premium", &serde_json::json!({"tier": "gold"}), false).await?;
/// # let _ = on; Ok(()) }
/// ```
pub struct AppConfigAgentStore {
    location: AppConfigLocation,
    name: String,
    host: String,
    port: u16,
    envelope: Option<Envelope>,
    timeout: Duration,
    last: async_lock::Mutex<Option<Parsed>>,
    raw: ArcSwapOption<Value>,
    memo: EnvelopeMemo,
    /// The `Configuration-Version` header of the last document read.
    version: std::sync::Mutex<Option<String>>,
    /// Sent as `Authorization: Bearer TOKEN` when set.
    token: Option<AccessToken>,
}

impl fmt::Debug for AppConfigAgentStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppConfigAgentStore")
            .field("location", &self.location)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("envelope", &self.envelope)
            .field("timeout", &self.timeout)
            .field("access_token", &self.token.as_ref().map(|_| "***"))
            .finish_non_exhaustive()
    }
}

impl AppConfigAgentStore {
    /// A store asking the agent on `localhost`, on the port in
    /// `AWS_APPCONFIG_EXTENSION_HTTP_PORT` (read now), or [`DEFAULT_AGENT_PORT`] when that is
    /// unset or not a port number. Nothing is fetched yet.
    pub fn new(location: impl Into<AppConfigLocation>) -> AppConfigAgentStore {
        let port = std::env::var("AWS_APPCONFIG_EXTENSION_HTTP_PORT")
            .ok()
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or(DEFAULT_AGENT_PORT);
        let location = location.into();
        AppConfigAgentStore {
            name: format!("AppConfig agent {location}"),
            location,
            host: "localhost".to_owned(),
            port,
            envelope: None,
            timeout: DEFAULT_TIMEOUT,
            last: async_lock::Mutex::new(None),
            raw: ArcSwapOption::empty(),
            memo: EnvelopeMemo::default(),
            version: std::sync::Mutex::new(None),
            token: None,
        }
    }

    /// Asks the agent on another port.
    pub fn with_port(mut self, port: u16) -> AppConfigAgentStore {
        self.port = port;
        self
    }

    /// Asks the agent on another host (default `localhost`), e.g. a sidecar's address.
    pub fn with_host(mut self, host: impl Into<String>) -> AppConfigAgentStore {
        self.host = host.into();
        self
    }

    /// Selects the feature document inside the stored one with a JMESPath envelope (the
    /// reference's `envelope`).
    pub fn with_envelope(mut self, envelope: Envelope) -> AppConfigAgentStore {
        self.envelope = Some(envelope);
        self
    }

    /// The longest one fetch may take, from connecting to reading the whole answer (default
    /// [`DEFAULT_TIMEOUT`], 10 seconds). A fetch that takes longer fails with a
    /// configuration [`StoreError`].
    pub fn with_timeout(mut self, timeout: Duration) -> AppConfigAgentStore {
        self.timeout = timeout;
        self
    }

    /// Sends `Authorization: Bearer TOKEN` with every request, as an agent started with its
    /// `ACCESS_TOKEN` setting requires (AWS AppConfig User Guide, the agent's environment
    /// variables for Amazon ECS and Amazon EKS, and its configuration on Amazon EC2). The
    /// token never appears in logs, `Debug` output or error messages.
    ///
    /// No token is read from the environment by default: AWS documents `ACCESS_TOKEN` as the
    /// *agent's* setting only, and no variable for its clients (an application container
    /// does not see the agent container's environment, and a variable named
    /// `ACCESS_TOKEN` may hold another service's secret). Where your process does share
    /// the agent's setting, pass it on yourself:
    ///
    /// ```no_run
    /// use ff_runtime::appconfig::AppConfigAgentStore;
    /// let mut store = AppConfigAgentStore::new(("shop", "prod", "features"));
    /// if let Ok(token) = std::env::var("ACCESS_TOKEN") {
    ///     store = store.with_access_token(token);
    /// }
    /// ```
    ///
    /// A token that cannot be sent in a header (empty, or holding a control character)
    /// makes every fetch fail with a client [`StoreError`], returned to the caller.
    pub fn with_access_token(mut self, token: impl Into<String>) -> AppConfigAgentStore {
        self.token = Some(AccessToken::new(token.into()));
        self
    }

    /// Whether an access token is sent ([`AppConfigAgentStore::with_access_token`]).
    pub fn has_access_token(&self) -> bool {
        self.token.is_some()
    }

    /// Where the document is read from.
    pub fn location(&self) -> &AppConfigLocation {
        &self.location
    }

    /// The agent's host.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The agent's port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The fetch timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The request path: `/applications/{application}/environments/{environment}/configurations/{profile}`,
    /// each name percent-encoded.
    pub fn path(&self) -> String {
        format!(
            "/applications/{}/environments/{}/configurations/{}",
            encode(&self.location.application),
            encode(&self.location.environment),
            encode(&self.location.profile)
        )
    }

    /// The last raw document read (before the envelope), without fetching. `None` before the
    /// first successful fetch.
    pub fn last_raw_configuration(&self) -> Option<Arc<Value>> {
        self.raw.load_full()
    }

    async fn fetch(&self) -> Result<Arc<Value>, StoreError> {
        let mut last = match tokio::time::timeout(self.timeout, self.last.lock()).await {
            Ok(guard) => guard,
            Err(_) => return Err(self.timed_out()),
        };
        let headers = self.authorization()?;
        let answer = self.exchange(&self.path(), &headers).await?;
        let parsed = Parsed::new(&self.name, "", answer.body.to_vec(), last.take());
        if let Some(document) = parsed.document() {
            self.raw.store(Some(document));
            *self.version.lock().unwrap_or_else(|e| e.into_inner()) = answer.version;
        }
        let outcome = parsed.outcome();
        *last = Some(parsed);
        outcome
    }

    /// The `Authorization` header, when a token is set; a client error when the token
    /// cannot be sent.
    fn authorization(&self) -> Result<Vec<(HeaderName, HeaderValue)>, StoreError> {
        match &self.token {
            None => Ok(Vec::new()),
            Some(token) => match token.header() {
                Ok(value) => Ok(vec![(header::AUTHORIZATION, value.clone())]),
                Err(why) => Err(StoreError::client(format!("{}: {why} (AppConfigAgentStore::with_access_token)", self.name))),
            },
        }
    }

    /// One `GET target` within the timeout; a successful answer, or the store error for a
    /// failure or an error status.
    async fn exchange(&self, target: &str, headers: &[(HeaderName, HeaderValue)]) -> Result<Answer, StoreError> {
        let answer = match tokio::time::timeout(self.timeout, http::get(&self.host, self.port, target, headers)).await {
            Ok(Ok(answer)) => answer,
            Ok(Err(message)) => return Err(StoreError::configuration(format!("{}: {message}", self.name))),
            Err(_) => return Err(self.timed_out()),
        };
        if answer.status.is_success() {
            Ok(answer)
        } else {
            Err(self.refused(answer.status, &answer.body, target))
        }
    }

    /// The error for an error status: a client error for `401`, `403` and `AccessDenied`,
    /// a configuration error otherwise. The token is removed from the body's excerpt.
    fn refused(&self, status: StatusCode, body: &[u8], target: &str) -> StoreError {
        let mut text = excerpt(body);
        if let Some(token) = &self.token {
            text = token.redact(&text);
        }
        let message = format!("{}: the agent answered {status} to GET {target}: {text}", self.name);
        match status {
            StatusCode::UNAUTHORIZED if self.token.is_none() => StoreError::client(format!(
                "{message} (the agent requires an access token, its ACCESS_TOKEN setting: give it with AppConfigAgentStore::with_access_token)"
            )),
            StatusCode::UNAUTHORIZED => StoreError::client(format!("{message} (the agent refused the access token)")),
            StatusCode::FORBIDDEN => StoreError::client(message),
            _ if text.contains("AccessDenied") => StoreError::client(message),
            _ => StoreError::configuration(message),
        }
    }

    fn timed_out(&self) -> StoreError {
        StoreError::configuration(format!("{}: no answer within the timeout of {}", self.name, seconds(self.timeout)))
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The start of an error body, on one line, for a message.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = one_line.chars().take(300).collect();
    if one_line.chars().count() > 300 {
        out.push('…');
    }
    if out.is_empty() {
        out.push_str("(empty body)");
    }
    out
}

impl StoreProvider for AppConfigAgentStore {
    /// The whole stored document, as the agent serves it now.
    fn get_raw_configuration(&self) -> impl Future<Output = Result<Arc<Value>, StoreError>> + Send {
        self.fetch()
    }

    fn envelope(&self) -> Option<&Envelope> {
        self.envelope.as_ref()
    }

    fn name(&self) -> String {
        self.name.clone()
    }

    /// `application/environment/profile`.
    fn location(&self) -> String {
        self.location.to_string()
    }

    /// The `Configuration-Version` header the agent sent with the last document read.
    fn version(&self) -> Option<String> {
        self.version.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The feature document: the raw one through the envelope, remembered per raw document
    /// so that an unchanged document gives the same `Arc`.
    async fn get_configuration(&self) -> Result<Arc<Value>, StoreError> {
        let raw = self.fetch().await?;
        self.memo.apply(&self.name, self.envelope.as_ref(), raw)
    }

    /// Flag `key` as the agent evaluates it for `context`: one `GET PATH?flag=KEY` with a
    /// `Context: key=value` header per entry (see the type's docs). Always `Some`.
    async fn evaluate_flag(&self, key: &str, context: &[(&str, String)]) -> Option<Result<EvaluatedFlag, StoreError>> {
        Some(self.evaluate(key, context).await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_percent_encoded() {
        let store = AppConfigAgentStore::new(("my app", "prod/eu", "flags:v1")).with_port(1);
        assert_eq!(store.path(), "/applications/my%20app/environments/prod%2Feu/configurations/flags%3Av1");
        assert_eq!(encode("a-b_c.d~é"), "a-b_c.d~%C3%A9");
    }

    #[test]
    fn error_bodies_are_shortened_to_one_line() {
        assert_eq!(excerpt(b"  not\n found "), "not found");
        assert_eq!(excerpt(b""), "(empty body)");
        assert_eq!(excerpt(&[b'x'; 400]).chars().count(), 301);
    }
}
