//! [`AppConfigStore`]: the AppConfig Data API through the AWS SDK for Rust.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use arc_swap::ArcSwapOption;
use aws_sdk_appconfigdata::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_appconfigdata::operation::get_latest_configuration::{
    GetLatestConfigurationError, GetLatestConfigurationOutput,
};
use aws_sdk_appconfigdata::Client;

use super::{seconds, AppConfigLocation, EnvelopeMemo, Parsed, DEFAULT_TIMEOUT};
use crate::store::envelope::Envelope;
use crate::error::StoreError;
use crate::store::StoreProvider;
use crate::value::Value;

/// The longest poll interval AppConfig allows, in seconds (24 hours).
const MAX_POLL_INTERVAL_SECONDS: u64 = 86_400;

/// A store that reads the document from AWS AppConfig through the AppConfig Data API
/// (`aws-sdk-appconfigdata`), as the reference's `AppConfigStore` does with boto3.
///
/// # Session handling
///
/// As AWS documents it, and more robustly than the reference:
///
/// * The first fetch calls `StartConfigurationSession` and then `GetLatestConfiguration`
///   with the session's initial token. Every later fetch calls only
///   `GetLatestConfiguration`, with the single-use `NextPollConfigurationToken` of the
///   previous answer.
/// * An empty configuration in an answer means "unchanged": the last document is served
///   again, as the same `Arc`.
/// * Each answer's `NextPollIntervalInSeconds` is respected: a fetch that comes sooner (for
///   example because [`FeatureFlags`](crate::FeatureFlags)'s `max_age` is shorter) makes
///   no call and serves the last document. AWS's default interval is 60 seconds; ask for
///   another with [`AppConfigStore::with_poll_interval`].
/// * A token that the service rejects (`BadRequestException`: expired after 24 hours
///   without a poll, already used, or bogus) starts a new session, once per fetch. The
///   reference never does, and fails forever after a day without polls.
/// * A new session that serves the very same bytes hands back the same `Arc` too.
///
/// # Errors
///
/// [`StoreProvider::get_raw_configuration`] returns a [`StoreError`]:
///
/// * of kind [`Client`](crate::StoreErrorKind::Client) when AWS refuses access (an error
///   code containing `AccessDenied`, as the reference checks), which evaluation returns to
///   the caller;
/// * of kind [`Configuration`](crate::StoreErrorKind::Configuration) for everything else,
///   naming the operation and the AWS error (`ResourceNotFoundException` for an unknown
///   application, environment or profile, `ThrottlingException`, `BadRequestException`
///   once a new session has also failed, `InternalServerException`, network and
///   credential failures), for a fetch that takes longer than the timeout, for a document
///   that is not UTF-8 JSON, and when nothing has been deployed yet. Evaluation then keeps
///   the last good document, or serves the defaults.
///
/// # Panics
///
/// A fetch outside a Tokio runtime with its time driver enabled panics, as the AWS SDK does.
///
/// # Example
///
/// ```no_run
/// use std::time::Duration;
/// use ff_runtime::appconfig::AppConfigStore;
/// use ff_runtime::{Envelope, FeatureFlags};
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// // Region, credentials and endpoint from the environment (AWS_REGION, AWS_PROFILE,
/// // AWS_ENDPOINT_URL_APPCONFIGDATA, the Lambda execution role, ...).
/// let store = AppConfigStore::from_env(("shop", "prod", "features"))
///     .await
///     .with_envelope(Envelope::new("features")?)
///     .with_timeout(Duration::from_secs(3));
/// let flags = FeatureFlags::builder(store).max_age(Duration::from_secs(45)).build();
/// let premium = flags.evaluate("premium", &serde_json::json!({"tier": "gold"}), false).await?;
/// # let _ = premium; Ok(()) }
/// ```
pub struct AppConfigStore {
    client: Client,
    location: AppConfigLocation,
    name: String,
    envelope: Option<Envelope>,
    timeout: Duration,
    poll_interval: Option<Duration>,
    session: async_lock::Mutex<Session>,
    raw: ArcSwapOption<Value>,
    version_label: Mutex<Option<String>>,
    memo: EnvelopeMemo,
}

/// The AppConfig Data session: the next token, when the service allows the next poll, and
/// the last version read.
#[derive(Debug, Default)]
struct Session {
    token: Option<String>,
    next_poll_at: Option<Instant>,
    last: Option<Parsed>,
}

impl fmt::Debug for AppConfigStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppConfigStore")
            .field("location", &self.location)
            .field("envelope", &self.envelope)
            .field("timeout", &self.timeout)
            .field("poll_interval", &self.poll_interval)
            .finish_non_exhaustive()
    }
}

impl AppConfigStore {
    /// A store over an AppConfig Data client configured from the standard AWS configuration
    /// chain (`aws_config::load_defaults` with the latest behavior version): the region from
    /// `AWS_REGION` or the profile, credentials from the environment, the profile, SSO or the
    /// execution role, and the endpoint from `AWS_ENDPOINT_URL_APPCONFIGDATA` or
    /// `AWS_ENDPOINT_URL` when set. Nothing is fetched yet.
    pub async fn from_env(location: impl Into<AppConfigLocation>) -> AppConfigStore {
        let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        AppConfigStore::from_sdk_config(&config, location)
    }

    /// A store over a client built from `config` (the AppConfig Data endpoint is taken from
    /// its service configuration, e.g. `AWS_ENDPOINT_URL_APPCONFIGDATA`). A config without a
    /// behavior version gets the latest one.
    ///
    /// # Panics
    /// As [`Client::from_conf`]: when `config` enables retries or timeouts but has no sleep
    /// implementation (a config from `aws_config` always has one).
    pub fn from_sdk_config(config: &aws_config::SdkConfig, location: impl Into<AppConfigLocation>) -> AppConfigStore {
        let mut builder = aws_sdk_appconfigdata::config::Builder::from(config);
        if config.behavior_version().is_none() {
            builder.set_behavior_version(Some(aws_config::BehaviorVersion::latest()));
        }
        AppConfigStore::from_client(Client::from_conf(builder.build()), location)
    }

    /// A store over `client`, an AppConfig Data client the caller configured (retries,
    /// interceptors, HTTP client, endpoint...).
    pub fn from_client(client: Client, location: impl Into<AppConfigLocation>) -> AppConfigStore {
        let location = location.into();
        AppConfigStore {
            client,
            name: format!("AppConfig {location}"),
            location,
            envelope: None,
            timeout: DEFAULT_TIMEOUT,
            poll_interval: None,
            session: async_lock::Mutex::new(Session::default()),
            raw: ArcSwapOption::empty(),
            version_label: Mutex::new(None),
            memo: EnvelopeMemo::default(),
        }
    }

    /// Selects the feature document inside the stored one with a JMESPath envelope (the
    /// reference's `envelope`), e.g. `features` for `{"log_level": "INFO", "features": {...}}`.
    pub fn with_envelope(mut self, envelope: Envelope) -> AppConfigStore {
        self.envelope = Some(envelope);
        self
    }

    /// The longest one fetch may take, all its API calls and the SDK's retries included
    /// (default [`DEFAULT_TIMEOUT`], 10 seconds). A fetch that takes longer fails with a
    /// configuration [`StoreError`].
    pub fn with_timeout(mut self, timeout: Duration) -> AppConfigStore {
        self.timeout = timeout;
        self
    }

    /// The shortest interval between polls that this client wants, sent as
    /// `RequiredMinimumPollIntervalInSeconds` when a session starts. AppConfig accepts whole
    /// seconds from 15 to 86,400 (a value out of range makes `StartConfigurationSession` fail
    /// with `BadRequestException`); without it the service chooses (60 s on AWS). The
    /// service's `NextPollIntervalInSeconds` is respected either way.
    pub fn with_poll_interval(mut self, interval: Duration) -> AppConfigStore {
        self.poll_interval = Some(interval);
        self
    }

    /// The AppConfig Data client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Where the document is read from.
    pub fn location(&self) -> &AppConfigLocation {
        &self.location
    }

    /// The fetch timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The last raw document read (before the envelope), without fetching: application
    /// configuration that lives beside the flags can be read from it. `None` before the
    /// first successful fetch.
    pub fn last_raw_configuration(&self) -> Option<Arc<Value>> {
        self.raw.load_full()
    }

    /// The `VersionLabel` of the last configuration version read, when it has one.
    pub fn version_label(&self) -> Option<String> {
        self.version_label.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    async fn fetch(&self) -> Result<Arc<Value>, StoreError> {
        let work = async {
            let mut session = self.session.lock().await;
            self.poll(&mut session).await
        };
        match tokio::time::timeout(self.timeout, work).await {
            Ok(result) => result,
            Err(_) => Err(StoreError::configuration(format!(
                "{}: no answer within the timeout of {}",
                self.name,
                seconds(self.timeout)
            ))),
        }
    }

    async fn poll(&self, session: &mut Session) -> Result<Arc<Value>, StoreError> {
        if session.next_poll_at.is_some_and(|at| Instant::now() < at) {
            tracing::trace!(store = %self.name, "the service allows no poll yet; serving the last answer");
            return self.unchanged(session);
        }
        let mut started_here = false;
        let output = loop {
            let token = match session.token.clone() {
                Some(token) => token,
                None => {
                    let token = self.start_session().await?;
                    started_here = true;
                    session.token = Some(token.clone());
                    token
                }
            };
            match self.client.get_latest_configuration().configuration_token(token).send().await {
                Ok(output) => break output,
                Err(err) if is_rejected_token(&err) => {
                    // A rejected token is dead: the next poll needs a new session.
                    session.token = None;
                    if started_here {
                        return Err(self.aws_error("GetLatestConfiguration", err));
                    }
                    tracing::info!(store = %self.name, error = %DisplayErrorContext(&err), "AppConfig rejected the poll token; starting a new session");
                }
                Err(err) => return Err(self.aws_error("GetLatestConfiguration", err)),
            }
        };
        self.read_answer(session, output)
    }

    async fn start_session(&self) -> Result<String, StoreError> {
        let interval = self.poll_interval.map(|d| i32::try_from(d.as_secs()).unwrap_or(i32::MAX));
        let output = self
            .client
            .start_configuration_session()
            .application_identifier(&self.location.application)
            .environment_identifier(&self.location.environment)
            .configuration_profile_identifier(&self.location.profile)
            .set_required_minimum_poll_interval_in_seconds(interval)
            .send()
            .await
            .map_err(|err| self.aws_error("StartConfigurationSession", err))?;
        output.initial_configuration_token.ok_or_else(|| {
            StoreError::configuration(format!("{}: StartConfigurationSession answered without a token", self.name))
        })
    }

    fn read_answer(
        &self,
        session: &mut Session,
        output: GetLatestConfigurationOutput,
    ) -> Result<Arc<Value>, StoreError> {
        // Without a next token (never seen from AWS), the next poll starts a new session.
        session.token = output.next_poll_configuration_token.filter(|token| !token.is_empty());
        // AppConfig allows 15 s to 24 h; anything else from the wire is clamped into 0..=24 h.
        let seconds = u64::try_from(output.next_poll_interval_in_seconds).unwrap_or(0).min(MAX_POLL_INTERVAL_SECONDS);
        session.next_poll_at = Instant::now().checked_add(Duration::from_secs(seconds));
        let bytes = output.configuration.map(|blob| blob.into_inner()).unwrap_or_default();
        if bytes.is_empty() {
            return self.unchanged(session);
        }
        let detail = match (&output.version_label, &output.content_type) {
            (Some(label), Some(ct)) => format!(" (version `{label}`, {ct})"),
            (Some(label), None) => format!(" (version `{label}`)"),
            (None, Some(ct)) => format!(" ({ct})"),
            (None, None) => String::new(),
        };
        let parsed = Parsed::new(&self.name, &detail, bytes, session.last.take());
        if let Some(document) = parsed.document() {
            self.raw.store(Some(document));
            *self.version_label.lock().unwrap_or_else(|e| e.into_inner()) = output.version_label;
        }
        let outcome = parsed.outcome();
        session.last = Some(parsed);
        outcome
    }

    /// The answer to a fetch when the document has not changed: the last one read.
    fn unchanged(&self, session: &Session) -> Result<Arc<Value>, StoreError> {
        match &session.last {
            Some(last) => last.outcome(),
            None => Err(StoreError::configuration(format!(
                "{}: no configuration has been deployed to this environment yet (GetLatestConfiguration answered with an empty configuration)",
                self.name
            ))),
        }
    }

    fn aws_error<E>(&self, operation: &str, err: SdkError<E>) -> StoreError
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let message = match (err.as_service_error(), err.code()) {
            (Some(_), Some(code)) => {
                format!("{}: {operation} failed: {code}: {}", self.name, err.message().unwrap_or("(no message)"))
            }
            _ => format!("{}: {operation} failed: {}", self.name, DisplayErrorContext(&err)),
        };
        let access_denied = err.code().is_some_and(|code| code.contains("AccessDenied"));
        let error = if access_denied { StoreError::client(message) } else { StoreError::configuration(message) };
        error.with_source(err)
    }
}

/// Whether the service refused the poll token itself (expired, reused or bogus), so that a
/// new session can succeed.
fn is_rejected_token(err: &SdkError<GetLatestConfigurationError>) -> bool {
    matches!(err.as_service_error(), Some(GetLatestConfigurationError::BadRequestException(_)))
}

impl StoreProvider for AppConfigStore {
    /// The whole stored document. Calls AppConfig only when the service's poll interval
    /// has passed (see the type's documentation); otherwise serves the last document.
    fn get_raw_configuration(&self) -> impl Future<Output = Result<Arc<Value>, StoreError>> + Send {
        self.fetch()
    }

    fn envelope(&self) -> Option<&Envelope> {
        self.envelope.as_ref()
    }

    fn name(&self) -> String {
        self.name.clone()
    }

    /// The `VersionLabel` of the last configuration version read ([`AppConfigStore::version_label`]).
    fn version(&self) -> Option<String> {
        self.version_label()
    }

    /// The feature document: the raw one through the envelope, remembered per raw document
    /// so that an unchanged document gives the same `Arc`.
    async fn get_configuration(&self) -> Result<Arc<Value>, StoreError> {
        let raw = self.fetch().await?;
        self.memo.apply(&self.name, self.envelope.as_ref(), raw)
    }
}
