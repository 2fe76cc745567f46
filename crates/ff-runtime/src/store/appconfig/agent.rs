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
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use arc_swap::ArcSwapOption;
use http_body_util::{BodyExt, Empty, Limited};
use hyper::body::Bytes;
use hyper::{header, Request, StatusCode};
use hyper_util::rt::TokioIo;

use super::{seconds, AppConfigLocation, EnvelopeMemo, Parsed, DEFAULT_TIMEOUT};
use crate::store::envelope::Envelope;
use crate::error::StoreError;
use crate::store::StoreProvider;
use crate::value::Value;

/// The agent's default port, used when `AWS_APPCONFIG_EXTENSION_HTTP_PORT` is not set: 2772.
pub const DEFAULT_AGENT_PORT: u16 = 2772;

/// The largest answer read from the agent: 16 MiB (larger documents are refused, as
/// [`FileStore`](crate::FileStore) refuses larger files).
const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// A store that reads the document from the AWS AppConfig Agent or the AWS AppConfig Lambda
/// extension, over HTTP on `localhost:${AWS_APPCONFIG_EXTENSION_HTTP_PORT:-2772}`, as the
/// reference's `AppConfigStore(use_extension=True)` does.
///
/// Each fetch is one `GET /applications/{application}/environments/{environment}/configurations/{profile}`
/// (each name percent-encoded). The agent itself polls AppConfig and caches the document,
/// so every answer carries the whole document; an answer with the same bytes as the last
/// one hands back the same `Arc`, so an unchanged document is not validated again.
///
/// # Errors
///
/// [`StoreProvider::get_raw_configuration`] returns a [`StoreError`]:
///
/// * of kind [`Client`](crate::StoreErrorKind::Client) when the agent answers `403
///   Forbidden`, or an error whose body contains `AccessDenied` (the agent's own role may
///   not read the configuration), which evaluation returns to the caller;
/// * of kind [`Configuration`](crate::StoreErrorKind::Configuration) otherwise: the agent is
///   not listening, answers another error status (`404` for an unknown application,
///   environment or profile, `400`, `500`...; the status and the start of the body are in
///   the message), takes longer than the timeout, answers more than 16 MiB, or serves a
///   document that is not UTF-8 JSON. Evaluation then keeps the last good document, or
///   serves the defaults.
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
}

impl fmt::Debug for AppConfigAgentStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppConfigAgentStore")
            .field("location", &self.location)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("envelope", &self.envelope)
            .field("timeout", &self.timeout)
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
        let (status, version, body) = match tokio::time::timeout(self.timeout, self.request()).await {
            Ok(Ok(answer)) => answer,
            Ok(Err(message)) => return Err(StoreError::configuration(format!("{}: {message}", self.name))),
            Err(_) => return Err(self.timed_out()),
        };
        if !status.is_success() {
            let text = excerpt(&body);
            let message = format!("{}: the agent answered {status} to GET {}: {text}", self.name, self.path());
            return Err(if status == StatusCode::FORBIDDEN || text.contains("AccessDenied") {
                StoreError::client(message)
            } else {
                StoreError::configuration(message)
            });
        }
        let parsed = Parsed::new(&self.name, "", body.to_vec(), last.take());
        if let Some(document) = parsed.document() {
            self.raw.store(Some(document));
            *self.version.lock().unwrap_or_else(|e| e.into_inner()) = version;
        }
        let outcome = parsed.outcome();
        *last = Some(parsed);
        outcome
    }

    fn timed_out(&self) -> StoreError {
        StoreError::configuration(format!("{}: no answer within the timeout of {}", self.name, seconds(self.timeout)))
    }

    /// One `GET` on a new connection; the status, the `Configuration-Version` header (when it
    /// is text) and the whole body.
    async fn request(&self) -> Result<(StatusCode, Option<String>, Bytes), String> {
        let address = format!("{}:{}", self.host, self.port);
        let stream = tokio::net::TcpStream::connect((self.host.as_str(), self.port))
            .await
            .map_err(|e| format!("cannot connect to the agent at {address}: {e}"))?;
        let (mut sender, connection) = hyper::client::conn::http1::handshake::<_, Empty<Bytes>>(TokioIo::new(stream))
            .await
            .map_err(|e| format!("cannot talk HTTP to the agent at {address}: {e}"))?;
        let request = Request::get(self.path())
            .header(header::HOST, &address)
            .header(header::ACCEPT, "application/json")
            .header(header::CONNECTION, "close")
            .body(Empty::new())
            .map_err(|e| format!("cannot build the request: {e}"))?;
        let exchange = async move {
            let response = sender.send_request(request).await?;
            let status = response.status();
            let version = response
                .headers()
                .get("configuration-version")
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty());
            let body = Limited::new(response.into_body(), MAX_BODY_BYTES).collect().await?.to_bytes();
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>((status, version, body))
        };
        // Drive the connection and the exchange together on this task, so that dropping this
        // future (the timeout) closes the socket; nothing is left running.
        let mut exchange = pin!(exchange);
        let mut connection = pin!(connection);
        let mut connection_done = false;
        let answer = poll_fn(|cx| {
            if !connection_done {
                if let Poll::Ready(result) = connection.as_mut().poll(cx) {
                    connection_done = true;
                    if let Err(e) = result {
                        return Poll::Ready(Err(e.into()));
                    }
                }
            }
            exchange.as_mut().poll(cx)
        })
        .await;
        answer.map_err(|e| format!("GET {} from the agent at {address} failed: {e}", self.path()))
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
