//! [`FeatureFlagsBuilder`]: `max_age`, `fetch_timeout`, the [`Refresh`] policy and the
//! clock.

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use arc_swap::ArcSwap;

use super::erased::ErasedStore;
use super::observe::Observer;
use super::snapshot::Snapshot;
use super::state::{Inner, State};
use super::FeatureFlags;
use crate::clock::{Clock, SystemClock};
use crate::document::native::DocumentFormat;
use crate::store::StoreProvider;

/// The default `max_age`: 5 seconds, as the reference's `AppConfigStore`.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(5);

/// The default `fetch_timeout`: 10 seconds.
pub const DEFAULT_FETCH_TIMEOUT: Duration = Duration::from_secs(10);

/// Who waits for the fetch that replaces a document older than `max_age`
/// ([`FeatureFlagsBuilder::refresh`]).
///
/// Either way, the very first fetch (no document yet) is awaited by the callers that arrive
/// before it ends, one fetch is in flight at a time, a fetch is abandoned after
/// `fetch_timeout`, and a failed fetch keeps the last good document in force.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Refresh {
    /// The default, for long-running services. The caller that finds the document expired
    /// gets the document in force at once, and the fetch runs in the background: spawned on
    /// the current tokio runtime when the caller runs inside one (`Handle::try_current`),
    /// otherwise (`futures_executor::block_on`, smol, async-std, any other executor) driven
    /// by a short-lived thread of its own, `ff-refresh`, that polls the store's future and
    /// parks between polls (a store that needs its executor's reactor must find it from
    /// another thread, as async-std's and smol's do). The new document serves the
    /// evaluations that start after the fetch ends. No evaluation waits for a fetch once a
    /// first one has ended.
    #[default]
    Background,
    /// For AWS Lambda and other environments frozen between requests, where a background
    /// task may not run until the next request (or be cut off mid-fetch): the caller that
    /// finds the document expired fetches in place and evaluates against the new document;
    /// callers that arrive meanwhile are given the document in force without waiting.
    Blocking,
}

/// Options for [`FeatureFlags`]: `max_age`, `fetch_timeout`, [`Refresh`] and the clock.
pub struct FeatureFlagsBuilder {
    store: Box<dyn ErasedStore>,
    clock: Arc<dyn Clock>,
    max_age: Duration,
    fetch_timeout: Duration,
    refresh: Refresh,
    format: DocumentFormat,
    events: bool,
    counter: bool,
}

impl FeatureFlagsBuilder {
    /// Options over `store`, all at their defaults.
    pub(super) fn new(store: impl StoreProvider + 'static) -> FeatureFlagsBuilder {
        FeatureFlagsBuilder {
            store: Box::new(store),
            clock: Arc::new(SystemClock),
            max_age: DEFAULT_MAX_AGE,
            fetch_timeout: DEFAULT_FETCH_TIMEOUT,
            refresh: Refresh::default(),
            format: DocumentFormat::default(),
            events: false,
            counter: false,
        }
    }

    /// How long a fetched document is used before the store is asked again (default 5 s;
    /// zero asks on every evaluation: with [`Refresh::Background`] each evaluation then
    /// starts a fetch when none is in flight and is given the document in force, so use
    /// [`Refresh::Blocking`] to see every change at the next evaluation).
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = max_age;
        self
    }

    /// How long a fetch may take before it is abandoned and counted as failed (default
    /// 10 s; `Duration::MAX` waits for ever). The last good document stays in force, or the
    /// defaults apply when there is none yet. Only callers that arrive before the first
    /// fetch ends wait for it, this long at most (and, with [`Refresh::Blocking`], the one
    /// caller that refreshes an expired document).
    pub fn fetch_timeout(mut self, timeout: Duration) -> Self {
        self.fetch_timeout = timeout;
        self
    }

    /// Who waits for the fetch that replaces an expired document (default
    /// [`Refresh::Background`]: nobody; [`Refresh::Blocking`] in AWS Lambda).
    pub fn refresh(mut self, refresh: Refresh) -> Self {
        self.refresh = refresh;
        self
    }

    /// The format of the store's documents (default [`DocumentFormat::Powertools`]).
    ///
    /// With [`DocumentFormat::AppConfigFeatureFlags`], each fetched value is read as AWS
    /// AppConfig's own feature-flags format (the retrieval format `{KEY: {"enabled": ..,
    /// ATTR: ..}}`, or a stored document) and translated by
    /// [`native::to_powertools`](crate::native::to_powertools): each flag is a feature whose
    /// value is its object, e.g. `{"enabled": true, "color": "red"}`. An invalid document is
    /// a [`SchemaError`](crate::SchemaError) and the last good one stays in force; `max_age`,
    /// versions, details and events work as for Powertools documents. Variant rules are not
    /// evaluated: a multi-variant flag read this way is what the store serves without context.
    pub fn format(mut self, format: DocumentFormat) -> Self {
        self.format = format;
        self
    }

    /// The clock the schedule actions read (default: the system clock).
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Whether each evaluation emits a `tracing` event shaped as OpenTelemetry's
    /// `feature_flag.evaluation` event (default `false`): the typed accessors (plain and
    /// `*_details`, on `Flags` and on the snapshot), [`FeatureFlags::evaluate`],
    /// [`FeatureFlags::evaluate_details`] and [`Snapshot::evaluate_details`].
    ///
    /// The event is named `feature_flag.evaluation`, has the target
    /// [`EVALUATION_TARGET`](crate::EVALUATION_TARGET) (`ff_runtime::evaluation`) and level
    /// `INFO`, and carries the semantic conventions' attributes: `feature_flag.key`,
    /// `feature_flag.result.value`, `feature_flag.result.variant` (the matched rule),
    /// `feature_flag.result.reason` ([`Reason::as_otel_str`](crate::Reason::as_otel_str)),
    /// `feature_flag.provider.name` (`ff`), `feature_flag.set.id`
    /// ([`StoreProvider::location`](crate::StoreProvider::location)), `feature_flag.version`
    /// and, for errors, `error.type` ([`ErrorKind::as_otel_str`](crate::ErrorKind::as_otel_str))
    /// and `feature_flag.error.message`. Never a context value.
    ///
    /// Not emitted: [`Snapshot::evaluate`] and `enabled_features` (no single flag's
    /// result), and the evaluations that get no snapshot at all (the store refused access,
    /// or its first document is invalid: [`FeatureFlags::evaluate`] returns that error, and
    /// the plain typed accessors serve their compiled-in defaults; the failed fetch itself is
    /// logged at `warn`). Disabled, an evaluation pays one predictable branch.
    pub fn evaluation_events(mut self, enabled: bool) -> Self {
        self.events = enabled;
        self
    }

    /// Whether evaluations are counted per feature and [`Reason`](crate::Reason) (default
    /// `false`), for [`FeatureFlags::evaluation_counts`]: the same evaluations as
    /// [`FeatureFlagsBuilder::evaluation_events`]. Each thread counts in its own map, so
    /// that threads do not contend on one cache line.
    pub fn evaluation_counter(mut self, enabled: bool) -> Self {
        self.counter = enabled;
        self
    }

    /// Builds the flags. Nothing is fetched until the first evaluation (or
    /// [`FeatureFlags::ready`]).
    pub fn build(self) -> FeatureFlags {
        let observer = Observer::new(self.events, self.counter, self.store.location());
        FeatureFlags {
            inner: Arc::new(Inner {
                store: self.store,
                max_age: self.max_age,
                fetch_timeout: self.fetch_timeout,
                refresh: self.refresh,
                format: self.format,
                state: ArcSwap::from_pointee(State::empty(Snapshot { document: None, clock: self.clock, version: None, stale: false, observer, refused: None })),
                generation: AtomicU64::new(0),
                local: thread_local::ThreadLocal::new(),
                lock: Arc::new(async_lock::Mutex::new(())),
                counters: Mutex::new((0, 0)),
            }),
        }
    }
}
