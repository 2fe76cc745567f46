//! The cache's state ([`State`], shared by every caller) and the fetch that replaces it:
//! fetch from the store within `fetch_timeout`, validate and compile once, keep the last
//! good document when the fetch fails, and install the next state.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use arc_swap::ArcSwap;

use super::age::Tick;
use super::builder::Refresh;
use super::erased::ErasedStore;
use super::snapshot::Snapshot;
use super::timeout::with_timeout;
use crate::document::content_version;
use crate::document::native::DocumentFormat;
use crate::error::{Error, SchemaError, StoreError, StoreErrorKind};
use crate::eval::details::{ErrorKind, Version};

/// What the last fetch left behind.
#[derive(Clone, Debug)]
pub(super) enum Failure {
    Store(StoreErrorKind, String),
    Schema(Arc<SchemaError>),
}

impl Failure {
    /// The failure as the error a caller gets.
    fn to_error(&self) -> Error {
        match self {
            Failure::Store(kind, message) => Error::Store(store_error(*kind, message)),
            Failure::Schema(err) => Error::Schema((**err).clone()),
        }
    }
}

#[derive(Clone)]
pub(super) struct State {
    /// The document in force (the last good one) and the clock, ready to be lent to callers
    /// (evaluating through [`FeatureFlags::read`](super::FeatureFlags::read) touches no
    /// reference count).
    pub(super) snapshot: Snapshot,
    /// The configuration value it was compiled from (to skip recompiling the same `Arc`).
    pub(super) source: Option<Arc<crate::value::Value>>,
    /// When the last fetch was made, successful or not; `None` before the first fetch ends.
    pub(super) checked_at: Option<Tick>,
    /// Until when that fetch is fresh (`checked_at` + `max_age`); `None` before any fetch.
    pub(super) fresh_until: Option<Tick>,
    /// The failure of the last fetch, if it failed.
    pub(super) failure: Option<Failure>,
    /// Whether callers are given the snapshot ([`State::served`] is `Ok`), decided once per
    /// fetch so that the fresh path reads one flag.
    pub(super) serves: bool,
    /// When the state serves no snapshot: a snapshot without a document that says why
    /// ([`Snapshot::refused`]), which typed reads are given instead (so that their details
    /// and evaluation events name the error).
    pub(super) refused: Option<Snapshot>,
}

impl State {
    /// The state before the first fetch.
    pub(super) fn empty(snapshot: Snapshot) -> State {
        State { snapshot, source: None, checked_at: None, fresh_until: None, failure: None, serves: true, refused: None }
    }

    /// The snapshot callers are given, or the error they get instead: access denied, or an
    /// invalid document with no good one in force.
    pub(super) fn served(&self) -> Result<&Snapshot, Error> {
        match &self.failure {
            Some(Failure::Store(StoreErrorKind::Client, message)) => Err(Error::Store(StoreError::client(message.clone()))),
            Some(Failure::Schema(err)) if self.snapshot.document.is_none() => Err(Error::Schema((**err).clone())),
            _ => Ok(&self.snapshot),
        }
    }

    /// The error of a state that serves no snapshot (see [`State::served`]).
    pub(super) fn error(&self) -> Error {
        self.served().err().unwrap_or_else(|| Error::Store(StoreError::configuration("no feature flags document was fetched")))
    }

    /// The snapshot that stands for a state serving none ([`State::refused`]; the served
    /// one otherwise).
    pub(super) fn refused(&self) -> &Snapshot {
        self.refused.as_ref().unwrap_or(&self.snapshot)
    }

    /// `Ok` when a good document is in force and served; otherwise the last fetch's error
    /// (see [`FeatureFlags::ready`](super::FeatureFlags::ready)).
    pub(super) fn ready(&self) -> Result<(), Error> {
        self.served()?;
        match (&self.snapshot.document, &self.failure) {
            (Some(_), _) => Ok(()),
            (None, Some(failure)) => Err(failure.to_error()),
            // Not reached after a fetch: a fetch without a failure installs a document.
            (None, None) => Err(Error::Store(StoreError::configuration("no feature flags document was fetched"))),
        }
    }

    /// Whether the state was fetched less than `max_age` ago (never, before the first fetch;
    /// a `max_age` of zero is never fresh, as the coarse clock never reads earlier than a
    /// reading it gave before).
    #[inline]
    pub(super) fn is_fresh(&self) -> bool {
        self.fresh_until.is_some_and(|until| Tick::now() < until)
    }
}

/// A thread's copy of the state and the generation it was read at (`None` before its first
/// read).
pub(super) type LocalState = RefCell<Option<(u64, Arc<State>)>>;

/// What a [`FeatureFlags`](super::FeatureFlags) and its clones share.
pub(super) struct Inner {
    pub(super) store: Box<dyn ErasedStore>,
    pub(super) max_age: Duration,
    pub(super) fetch_timeout: Duration,
    pub(super) refresh: Refresh,
    /// The format of the store's documents; each fetched value is compiled by it.
    pub(super) format: DocumentFormat,
    pub(super) state: ArcSwap<State>,
    /// Bumped (after `state` is stored) by every fetch.
    pub(super) generation: AtomicU64,
    /// Each thread's copy of `state`, with the generation it was read at.
    pub(super) local: thread_local::ThreadLocal<LocalState>,
    /// Held by the one fetch in flight (single flight); in an `Arc` so that a background
    /// refresh owns its guard.
    pub(super) lock: Arc<async_lock::Mutex<()>>,
    /// Fetches made and fetches failed.
    pub(super) counters: Mutex<(u64, u64)>,
}

impl Inner {
    /// Fetches, validates and installs a document. Callers hold `lock`.
    pub(super) async fn fetch(&self) -> Arc<State> {
        let previous = self.state.load_full();
        let timeout = self.fetch_timeout;
        let result = match with_timeout(self.store.fetch(), timeout).await {
            Some(result) => result,
            None => Err(StoreError::configuration(format!("fetch from {} timed out after {timeout:?}", self.store.name()))),
        };
        let now = Tick::now();
        let mut next = State { checked_at: Some(now), fresh_until: Some(now.saturating_add(self.max_age)), ..(*previous).clone() };
        next.failure = match result {
            Ok(config) if previous.source.as_ref().is_some_and(|s| Arc::ptr_eq(s, &config)) => None,
            Ok(config) => match self.format.compile(&config) {
                Ok(document) => {
                    let version = self.store.version().unwrap_or_else(|| content_version(&config));
                    next.snapshot.document = Some(Arc::new(document));
                    next.snapshot.version = Some(Version::new(&version));
                    next.source = Some(config);
                    None
                }
                Err(err) => Some(Failure::Schema(Arc::new(err.with_source_name(self.store.name())))),
            },
            Err(err) => Some(Failure::Store(err.kind, err.message)),
        };
        {
            let mut counters = self.counters.lock().unwrap_or_else(|e| e.into_inner());
            counters.0 += 1;
            counters.1 += u64::from(next.failure.is_some());
        }
        if let Some(failure) = &next.failure {
            self.log(failure, next.snapshot.document.is_some());
        }
        next.serves = next.served().is_ok();
        next.refused = match next.served() {
            Ok(_) => None,
            Err(err) => Some(Snapshot { document: None, version: None, stale: false, refused: Some(error_kind(&err)), ..next.snapshot.clone() }),
        };
        next.snapshot.stale = next.failure.is_some() && next.snapshot.document.is_some();
        let next = Arc::new(next);
        self.state.store(next.clone());
        self.generation.fetch_add(1, Ordering::Release);
        next
    }

    /// Logs a failed fetch at `warn`.
    fn log(&self, failure: &Failure, has_document: bool) {
        let kept = if has_document { "the last good document stays in force" } else { "no document yet: defaults apply" };
        match failure {
            Failure::Store(kind, message) => {
                tracing::warn!(store = %self.store.name(), error = %store_error(*kind, message), "feature flags fetch failed; {kept}")
            }
            Failure::Schema(err) => tracing::warn!(store = %self.store.name(), error = %err, "fetched feature flags document is invalid; {kept}"),
        }
    }

    /// The last fetch's outcome and counters.
    pub(super) fn status(&self) -> Status {
        let state = self.state.load();
        let (fetches, failures) = *self.counters.lock().unwrap_or_else(|e| e.into_inner());
        Status {
            fetches,
            failures,
            last_fetch_age: state.checked_at.map(Tick::elapsed),
            has_document: state.snapshot.document.is_some(),
            features: state.snapshot.document.as_ref().map_or(0, |d| d.len()),
            version: state.snapshot.version().map(str::to_owned),
            last_error: state.failure.as_ref().map(|f| f.to_error().to_string()),
        }
    }
}

/// The [`ErrorKind`] of an error that keeps the document from callers: an invalid document
/// (`ParseError`), else `General` (access denied).
pub(super) fn error_kind(err: &Error) -> ErrorKind {
    match err {
        Error::Schema(_) => ErrorKind::ParseError,
        _ => ErrorKind::General,
    }
}

/// The health of a [`FeatureFlags`](super::FeatureFlags)'s store, for dashboards and health
/// checks.
#[derive(Clone, Debug, Default)]
pub struct Status {
    /// Fetches made so far.
    pub fetches: u64,
    /// Fetches that failed or brought an invalid document.
    pub failures: u64,
    /// How long ago the last fetch was made.
    pub last_fetch_age: Option<Duration>,
    /// Whether a good document is in force.
    pub has_document: bool,
    /// Number of features in the document in force.
    pub features: usize,
    /// The version of the document in force ([`Snapshot::version`]): the store's version
    /// label, else its content hash. `None` without a document.
    pub version: Option<String>,
    /// The last fetch's failure, when it failed (the last good document is still in force).
    pub last_error: Option<String>,
}

/// The store error a failed fetch recorded (its kind and message; the source is not kept).
fn store_error(kind: StoreErrorKind, message: &str) -> StoreError {
    StoreError { kind, message: message.to_owned(), source: None }
}
