//! **The cache layer**: [`FeatureFlags`] fetches from a store at most once per
//! `max_age` and evaluates the document in force. It uses the store, evaluation, document
//! and value layers.
//!
//! [`FeatureFlags`]: a store, a cache with `max_age`, and evaluation. Its modules:
//! `builder` (options, [`Refresh`]), `state` (the cached state and the fetch that replaces
//! it, [`Status`]), `refresh` (who fetches and who waits), `timeout` (the fetch deadline),
//! `erased` (the store behind a pointer), `age` (the coarse clock), `snapshot`
//! ([`Snapshot`]).
//!
//! * The document is fetched when the cached copy is older than `max_age` (5 seconds by
//!   default, as the reference's stores), validated and compiled once per fetch, and not
//!   at all when the store hands back the same document (`Arc`) as before.
//! * Only the first fetch is awaited: the callers that arrive before it ends wait for it.
//!   After that, with [`Refresh::Background`] (the default) the caller that finds the
//!   document expired is given it at once and the fetch runs in the background (on the
//!   current tokio runtime, or on a thread of its own without one); with
//!   [`Refresh::Blocking`] (AWS Lambda) that caller fetches in place.
//! * The age is read from a coarse monotonic clock (see `age.rs`: on Linux
//!   `CLOCK_MONOTONIC_COARSE`, so a document may be used up to one scheduler tick, 1 to 4 ms,
//!   past `max_age`; a `max_age` of zero still fetches on every evaluation).
//! * Evaluating reads the state through a per-thread copy of its `Arc`, checked against a
//!   generation counter (one atomic load): no reference count, no lock, no read-modify-write
//!   on a cache line that other threads share. A thread keeps the state it last read alive
//!   until it reads again (or the flags are dropped): after a refresh, at most one old
//!   document per thread that evaluated.
//! * One fetch at a time: while a fetch is in flight, other callers keep evaluating against
//!   the current document (or wait, when there is none yet). No evaluation takes a lock.
//! * A fetch that fails, or brings an invalid document, keeps the last good document in
//!   force; the failure is logged at `warn` once per fetch and readable from
//!   [`FeatureFlags::status`]. With no good document yet, a configuration failure gives the
//!   caller's default (as the reference), an invalid document is returned as
//!   [`Error::Schema`] (as the reference raises `SchemaValidationError`), and access denied
//!   is always returned as [`Error::Store`] of kind [`StoreErrorKind`]`::Client`.
//!   [`FeatureFlags::ready`] turns a first fetch that failed into an error at start-up.
//! * A fetch that takes longer than `fetch_timeout` (10 seconds by default) is abandoned and
//!   counts as a failed fetch (a configuration store error). The timer is a thread started
//!   only when the store's future is still pending on its first poll (the in-memory and
//!   file stores never are), so no async runtime is needed. A store that blocks its thread
//!   instead of awaiting cannot be interrupted: its own I/O timeouts bound it.
//!
//! [`StoreErrorKind`]: crate::StoreErrorKind

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

mod age;
mod builder;
mod erased;
mod observe;
mod refresh;
mod snapshot;
mod state;
mod timeout;
mod variant;
#[cfg(test)]
mod details_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod native_tests;
#[cfg(test)]
mod variant_tests;

pub use builder::{FeatureFlagsBuilder, Refresh, DEFAULT_FETCH_TIMEOUT, DEFAULT_MAX_AGE};
pub use observe::{EventValue, EVALUATION_EVENT, EVALUATION_TARGET};
pub(crate) use observe::Observer;
pub use snapshot::Snapshot;
pub use state::Status;

use crate::error::Error;
use crate::eval::context::Context;
use crate::eval::details::{Details, ErrorKind, EvaluationError, Reason};
use crate::eval::Explanation;
use crate::store::StoreProvider;
use crate::value::Value;
use state::{Inner, State};

/// Feature flags over a store: the reference's `FeatureFlags`, with a cache.
///
/// One type whatever the store (it is held behind a pointer): flags over a [`FileStore`] in
/// production and over a [`MemoryStore`] in tests can be passed to the same function or
/// kept in the same application state. Cloning is cheap and shares the cache.
///
/// ```
/// use ff_runtime::{FeatureFlags, MemoryStore};
/// # futures_executor::block_on(async {
/// let store = MemoryStore::from_json(r#"{
///     "premium": {"default": false, "rules": {"gold tier": {"when_match": true,
///         "conditions": [{"action": "EQUALS", "key": "tier", "value": "gold"}]}}}
/// }"#).unwrap();
/// let flags = FeatureFlags::new(store);
/// flags.ready().await.unwrap(); // at start-up: fail fast when the store cannot be read
/// let ctx = serde_json::json!({"tier": "gold"});
/// assert_eq!(flags.evaluate("premium", &ctx, false).await.unwrap(), true.into());
/// assert_eq!(flags.enabled_features(&ctx).await.unwrap(), ["premium"]);
/// // The concrete store, when you need it back:
/// assert_eq!(flags.store::<MemoryStore>().unwrap().fetches(), 1);
/// # });
/// ```
///
/// [`FileStore`]: crate::FileStore
/// [`MemoryStore`]: crate::MemoryStore
#[derive(Clone)]
pub struct FeatureFlags {
    inner: Arc<Inner>,
}

impl FeatureFlags {
    /// Flags over `store` with the defaults (`max_age` 5 s, `fetch_timeout` 10 s,
    /// [`Refresh::Background`], the system clock).
    pub fn new(store: impl StoreProvider + 'static) -> FeatureFlags {
        FeatureFlags::builder(store).build()
    }

    /// Flags over `store` with options.
    pub fn builder(store: impl StoreProvider + 'static) -> FeatureFlagsBuilder {
        FeatureFlagsBuilder::new(store)
    }

    /// The store, when it is of type `S` (exactly the type given to [`FeatureFlags::new`]:
    /// flags built over an `Arc<MemoryStore>` give `store::<Arc<MemoryStore>>()`); `None`
    /// for any other type. Keeping an `Arc<S>` of your own (which is a store too) works as
    /// well.
    pub fn store<S: StoreProvider + 'static>(&self) -> Option<&S> {
        self.inner.store.as_any().downcast_ref::<S>()
    }

    /// The store's name ([`StoreProvider::name`]), e.g. `file flags.json`.
    pub fn store_name(&self) -> String {
        self.inner.store.name()
    }

    /// The configured `max_age`.
    pub fn max_age(&self) -> Duration {
        self.inner.max_age
    }

    /// The configured [`Refresh`] policy.
    pub fn refresh_policy(&self) -> Refresh {
        self.inner.refresh
    }

    /// Waits for the first fetch (making it when nothing has fetched yet) and tells whether
    /// a good document is in force: the one call a service makes at start-up to fail fast
    /// instead of serving the compiled-in or caller's defaults from a store it cannot read.
    ///
    /// Later, it reports the state in force without fetching: `Ok` while a good document
    /// is in force (even when the last fetch failed, see [`FeatureFlags::status`]).
    ///
    /// # Errors
    /// The last fetch's error when no good document is in force: [`Error::Store`] (of kind
    /// configuration for a missing or unreadable file, a network failure or a fetch that
    /// timed out; of kind client for access denied) or [`Error::Schema`] for an invalid
    /// document. Access denied is an error even with a document in force, as for every
    /// evaluation.
    pub async fn ready(&self) -> Result<(), Error> {
        let state = self.inner.state.load_full();
        let state = if state.checked_at.is_some() { state } else { Box::pin(refresh::current(&self.inner)).await };
        state.ready()
    }

    /// The value of feature `name` for `ctx` (the reference's `evaluate`).
    ///
    /// `default` is returned unchanged when the document has no such feature, or when no
    /// document could be fetched yet (a configuration store error); it never replaces the
    /// feature's own `default`.
    ///
    /// # Errors
    /// [`Error::Store`] of kind client when the store refused access; [`Error::Schema`]
    /// when the store's document is invalid and no earlier good document is in force.
    pub async fn evaluate<C: Context + ?Sized>(&self, name: &str, ctx: &C, default: impl Into<Value>) -> Result<Value, Error> {
        self.with_view(|view| {
            let snapshot = match view {
                Ok(snapshot) => snapshot,
                Err(state) => {
                    let err = state.error();
                    record_refused(state, name, &default.into(), &err);
                    return Err(err);
                }
            };
            if snapshot.is_observed() {
                return Ok(snapshot.evaluate_details(name, ctx, &default.into()).value.clone());
            }
            Ok(match snapshot.evaluate(name, ctx) {
                Some(value) => value.clone(),
                None => default.into(),
            })
        })
        .await
    }

    /// How many evaluations gave each [`Reason`], per feature: `(feature, reason, count)`
    /// for every non-zero count since the flags were built, summed over threads, sorted by
    /// feature then reason. Empty unless built with
    /// [`FeatureFlagsBuilder::evaluation_counter`]. Counts the same evaluations as the
    /// evaluation events (see [`FeatureFlagsBuilder::evaluation_events`]).
    ///
    /// Reading takes each thread's counter lock in turn (briefly): call it when exporting,
    /// e.g. from an OpenTelemetry observable counter's callback (see the guide's
    /// "Observability" section), not per request.
    ///
    /// ```
    /// use ff_runtime::{FeatureFlags, MemoryStore, Reason};
    /// # futures_executor::block_on(async {
    /// let store = MemoryStore::from_json(r#"{"premium": {"default": false}}"#).unwrap();
    /// let flags = FeatureFlags::builder(store).evaluation_counter(true).build();
    /// for _ in 0..3 {
    ///     flags.evaluate("premium", &serde_json::json!({}), false).await.unwrap();
    /// }
    /// assert_eq!(flags.evaluation_counts(), [("premium".to_owned(), Reason::Static, 3)]);
    /// # });
    /// ```
    pub fn evaluation_counts(&self) -> Vec<(String, Reason, u64)> {
        let state = self.inner.state.load();
        match state.snapshot.observer().and_then(|o| o.counter()) {
            Some(counter) => counter.counts(),
            None => Vec::new(),
        }
    }

    /// [`FeatureFlags::evaluate`], with why ([`Details`]): the value, the [`Reason`], the
    /// matched rule (variant and index) and the version of the document in force.
    ///
    /// Never fails: where [`FeatureFlags::evaluate`] returns an error, or gives `default`
    /// because there is no document or no such feature, the details carry `default` with
    /// reason [`Reason::Error`] and an [`ErrorKind`]: `FlagNotFound` (no such feature),
    /// `ProviderNotReady` (no document could be fetched yet), `ParseError` (the store's
    /// document is invalid and no good one is in force) or `General` (the store refused
    /// access). A document in force whose refresh failed gives [`Reason::Stale`].
    ///
    /// ```
    /// use ff_runtime::{FeatureFlags, MemoryStore, Reason};
    /// # futures_executor::block_on(async {
    /// let store = MemoryStore::from_json(r#"{"premium": {"default": false, "rules": {"gold tier": {
    ///     "when_match": true, "conditions": [{"action": "EQUALS", "key": "tier", "value": "gold"}]}}}}"#).unwrap();
    /// let flags = FeatureFlags::new(store);
    /// let details = flags.evaluate_details("premium", &serde_json::json!({"tier": "gold"}), false).await;
    /// assert_eq!(details.value, true.into());
    /// assert_eq!((details.reason(), details.variant()), (Reason::TargetingMatch, Some("gold tier")));
    /// assert_eq!(details.version(), flags.status().version.as_deref()); // the content hash
    /// # });
    /// ```
    ///
    /// [`Reason`]: crate::Reason
    /// [`Reason::Error`]: crate::Reason::Error
    /// [`Reason::Stale`]: crate::Reason::Stale
    pub async fn evaluate_details<C: Context + ?Sized>(&self, name: &str, ctx: &C, default: impl Into<Value>) -> Details<'static, Value> {
        let default = default.into();
        self.with_view(move |view| match view {
            Ok(snapshot) => {
                let details = snapshot.evaluate_details(name, ctx, &default).map(Value::clone);
                details.detach(|_, _| None, snapshot.held_version())
            }
            Err(state) => {
                let err = state.error();
                record_refused(state, name, &default, &err);
                Details::error(default, EvaluationError::new(state::error_kind(&err), err.to_string()))
            }
        })
        .await
    }

    /// The names of the features that are on for `ctx`, in document order (the reference's
    /// `get_enabled_features`; non-boolean features count when their value is truthy).
    /// Empty when no document could be fetched yet.
    ///
    /// With [`DocumentFormat::AppConfigFeatureFlags`](crate::DocumentFormat), the flags whose
    /// object says `"enabled": true` (every flag's object is truthy, so truthiness would list
    /// them all; [`Snapshot::enabled_features`] does not know the format and does that).
    ///
    /// # Errors
    /// As [`FeatureFlags::evaluate`].
    pub async fn enabled_features<C: Context + ?Sized>(&self, ctx: &C) -> Result<Vec<String>, Error> {
        let native = self.inner.format == crate::document::native::DocumentFormat::AppConfigFeatureFlags;
        self.with_snapshot(|snapshot| {
            let snapshot = snapshot?;
            if !native {
                return Ok(snapshot.enabled_features(ctx).into_iter().map(str::to_owned).collect());
            }
            let features = snapshot.document().map_or(&[][..], |d| d.features());
            Ok(features
                .iter()
                .filter(|f| snapshot.evaluate(&f.name, ctx).and_then(|v| v.get("enabled")) == Some(&Value::Bool(true)))
                .map(|f| f.name.clone())
                .collect())
        })
        .await
    }

    /// How feature `name` evaluates for `ctx`, rule by rule; `None` for an unknown feature
    /// or when no document could be fetched.
    ///
    /// # Errors
    /// As [`FeatureFlags::evaluate`].
    pub async fn explain<C: Context + ?Sized>(&self, name: &str, ctx: &C) -> Result<Option<Explanation>, Error> {
        self.with_snapshot(|snapshot| Ok(snapshot?.explain(name, ctx))).await
    }

    /// A consistent, synchronous view of the document in force (see [`Refresh`] for when an
    /// expired one is refreshed first): evaluate many flags against one document in a
    /// request or a hot loop without touching the cache again.
    ///
    /// # Errors
    /// As [`FeatureFlags::evaluate`].
    pub async fn snapshot(&self) -> Result<Snapshot, Error> {
        self.with_snapshot(|snapshot| snapshot.cloned()).await
    }

    /// Calls `f` with the document in force (see [`Refresh`] for when an expired one is
    /// refreshed first). Where [`FeatureFlags::snapshot`] would return an error, `f` is given
    /// a snapshot without a document that names the error (so that typed reads report it in
    /// their details and evaluation events). The generated typed accessors read through this:
    /// while the cache is fresh, `f` borrows the cached state, so no reference count is
    /// touched and nothing is allocated.
    #[doc(hidden)]
    #[inline]
    pub async fn read<R>(&self, f: impl FnOnce(Option<&Snapshot>) -> R) -> R {
        self.with_view(|view| f(Some(view.unwrap_or_else(|state| state.refused()))))
            .await
    }

    /// [`FeatureFlags::read`] for the typed `*_details` accessors (always `Ok`: the snapshot
    /// says why it has no document).
    #[doc(hidden)]
    #[inline]
    pub async fn read_details<R>(&self, f: impl FnOnce(Result<&Snapshot, ErrorKind>) -> R) -> R {
        self.with_view(|view| f(Ok(view.unwrap_or_else(|state| state.refused()))))
            .await
    }

    /// [`FeatureFlags::read_details`] without an `await` while the cache is fresh: calls `f`
    /// and gives its result, or gives `f` back when the state is stale, not fetched yet or
    /// serves no document (the generated `*_details` accessors then await
    /// [`FeatureFlags::read_details`] with it). Keeps the details out of the futures' layers
    /// on the usual path: each would copy them once more.
    #[doc(hidden)]
    #[inline]
    pub fn read_details_fresh<R, F: FnOnce(Result<&Snapshot, ErrorKind>) -> R>(&self, f: F) -> Result<R, F> {
        self.with_fresh(f, |f, snapshot| f(Ok(snapshot)))
    }

    /// The snapshot of the generated `Flags::snapshot`: as [`FeatureFlags::snapshot`], with
    /// the snapshot of [`FeatureFlags::read`] in place of an error.
    #[doc(hidden)]
    pub async fn typed_snapshot(&self) -> Snapshot {
        self.with_view(|view| view.unwrap_or_else(|state| state.refused()).clone()).await
    }

    /// Calls `f` with what [`FeatureFlags::snapshot`] would return, borrowed.
    async fn with_snapshot<R, F: FnOnce(Result<&Snapshot, Error>) -> R>(&self, f: F) -> R {
        self.with_view(|view| f(view.map_err(State::error))).await
    }

    /// Calls `f` with the snapshot served, or with the state that serves none. The fresh
    /// path is inline and small; an expired state served in the background is checked
    /// synchronously; fetching in place is boxed so that it does not grow every caller's
    /// future.
    async fn with_view<R, F: FnOnce(Result<&Snapshot, &State>) -> R>(&self, f: F) -> R {
        let f = match self.with_fresh(f, |f, snapshot| f(Ok(snapshot))) {
            Ok(result) => return result,
            Err(f) => f,
        };
        let state: Arc<State> = match refresh::serve_now(&self.inner) {
            Some(state) => state,
            None => Box::pin(refresh::current(&self.inner)).await,
        };
        f(if state.serves { Ok(&state.snapshot) } else { Err(&state) })
    }

    /// Calls `f` (through `call`) with the snapshot when the state is fresh and serves one;
    /// gives `f` back otherwise. Reads this thread's copy of the state while the generation
    /// is unchanged.
    #[inline]
    fn with_fresh<R, F>(&self, f: F, call: impl FnOnce(F, &Snapshot) -> R) -> Result<R, F> {
        let generation = self.inner.generation.load(Ordering::Acquire);
        let local = self.inner.local.get_or_default();
        let Ok(mut local) = local.try_borrow_mut() else {
            // Re-entered from `f` on this thread: read the shared state instead.
            let state = self.inner.state.load();
            return if state.serves && state.is_fresh() { Ok(call(f, &state.snapshot)) } else { Err(f) };
        };
        let state = match &mut *local {
            Some((seen, state)) if *seen == generation => state,
            // Read after the generation: a fetch that lands in between bumps it again, and
            // the next read loads its state.
            other => &other.insert((generation, self.inner.state.load_full())).1,
        };
        if state.serves && state.is_fresh() {
            Ok(call(f, &state.snapshot))
        } else {
            Err(f)
        }
    }

    /// The last fetch's outcome and counters.
    pub fn status(&self) -> Status {
        self.inner.status()
    }

    /// Fetches now, whatever the age of the cached document and the [`Refresh`] policy
    /// (after the fetch in flight, if any, ends), and returns the new state's snapshot (see
    /// [`FeatureFlags::snapshot`]).
    ///
    /// # Errors
    /// As [`FeatureFlags::evaluate`].
    pub async fn refresh(&self) -> Result<Snapshot, Error> {
        refresh::now(&self.inner).await.served().cloned()
    }
}

/// Records (evaluation events, counter) an evaluation of `name` that a state serving no
/// document refused with `err`: the details carry `default`, reason `ERROR`.
fn record_refused(state: &State, name: &str, default: &Value, err: &Error) {
    if let Some(observer) = state.snapshot.observer() {
        let details = Details::error(default, EvaluationError::new(state::error_kind(err), err.to_string()));
        observer.record(name, &details, observe::EventValue::of(default));
    }
}
