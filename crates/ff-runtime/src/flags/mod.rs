//! **The cache layer**: [`FeatureFlags`] fetches from a store at most once per
//! `max_age` (the age is read by `age.rs`) and evaluates the document in force. It uses the
//! store, evaluation, document and value layers.
//!
//! [`FeatureFlags`]: a store, a cache with `max_age`, and evaluation.
//!
//! * The document is fetched when the cached copy is older than `max_age` (5 seconds by
//!   default, as the reference's stores), validated and compiled once per fetch, and not
//!   at all when the store hands back the same document (`Arc`) as before.
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
//!   is always returned as [`Error::Store`] of kind [`StoreErrorKind::Client`].
//! * A fetch that takes longer than `fetch_timeout` (10 seconds by default) is abandoned and
//!   counts as a failed fetch (a configuration store error). The timer is a thread started
//!   only when the store's future is still pending on its first poll (the in-memory and
//!   file stores never are), so no async runtime is needed. A store that blocks its thread
//!   instead of awaiting cannot be interrupted: its own I/O timeouts bound it.

use std::cell::RefCell;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::task::{Poll, Waker};
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;

mod age;

use age::Tick;
use crate::clock::{Clock, SystemClock};
use crate::eval::context::Context;
use crate::document::Document;
use crate::error::{Error, SchemaError, StoreError, StoreErrorKind};
use crate::eval::Explanation;
use crate::store::StoreProvider;
use crate::value::Value;

/// The default `max_age`: 5 seconds, as the reference's `AppConfigStore`.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(5);

/// The default `fetch_timeout`: 10 seconds.
pub const DEFAULT_FETCH_TIMEOUT: Duration = Duration::from_secs(10);

/// What the last fetch left behind.
#[derive(Clone, Debug)]
enum Failure {
    Store(StoreErrorKind, String),
    Schema(Arc<SchemaError>),
}

#[derive(Clone)]
struct State {
    /// The document in force (the last good one) and the clock, ready to be lent to callers
    /// (evaluating through [`FeatureFlags::read`] touches no reference count).
    snapshot: Snapshot,
    /// The configuration value it was compiled from (to skip recompiling the same `Arc`).
    source: Option<Arc<Value>>,
    /// When the last fetch was made, successful or not.
    checked_at: Option<Tick>,
    /// Until when that fetch is fresh (`checked_at` + `max_age`); `None` before any fetch.
    fresh_until: Option<Tick>,
    /// The failure of the last fetch, if it failed.
    failure: Option<Failure>,
    /// Whether callers are given the snapshot ([`State::served`] is `Ok`), decided once per
    /// fetch so that the fresh path reads one flag.
    serves: bool,
}

impl State {
    /// The snapshot callers are given, or the error they get instead: access denied, or an
    /// invalid document with no good one in force.
    fn served(&self) -> Result<&Snapshot, Error> {
        match &self.failure {
            Some(Failure::Store(StoreErrorKind::Client, message)) => Err(Error::Store(StoreError::client(message.clone()))),
            Some(Failure::Schema(err)) if self.snapshot.document.is_none() => Err(Error::Schema((**err).clone())),
            _ => Ok(&self.snapshot),
        }
    }
}

/// The health of a [`FeatureFlags`]'s store, for dashboards and health checks.
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
    /// The last fetch's failure, when it failed (the last good document is still in force).
    pub last_error: Option<String>,
}

/// A thread's copy of the state and the generation it was read at (`None` before its first
/// read).
type LocalState = RefCell<Option<(u64, Arc<State>)>>;

struct Inner<S> {
    store: S,
    max_age: Duration,
    fetch_timeout: Duration,
    state: ArcSwap<State>,
    /// Bumped (after `state` is stored) by every fetch.
    generation: AtomicU64,
    /// Each thread's copy of `state`, with the generation it was read at.
    local: thread_local::ThreadLocal<LocalState>,
    refresh: async_lock::Mutex<()>,
    counters: Mutex<(u64, u64)>,
}

/// Feature flags over a store: the reference's `FeatureFlags`, with a cache.
///
/// Cloning is cheap and shares the cache.
///
/// ```
/// use ff_runtime::{FeatureFlags, MemoryStore};
/// # futures_executor::block_on(async {
/// let store = MemoryStore::from_json(r#"{
///     "premium": {"default": false, "rules": {"gold tier": {"when_match": true,
///         "conditions": [{"action": "EQUALS", "key": "tier", "value": "gold"}]}}}
/// }"#).unwrap();
/// let flags = FeatureFlags::new(store);
/// let ctx = serde_json::json!({"tier": "gold"});
/// assert_eq!(flags.evaluate("premium", &ctx, false).await.unwrap(), true.into());
/// assert_eq!(flags.enabled_features(&ctx).await.unwrap(), ["premium"]);
/// # });
/// ```
pub struct FeatureFlags<S> {
    inner: Arc<Inner<S>>,
}

impl<S> Clone for FeatureFlags<S> {
    fn clone(&self) -> Self {
        FeatureFlags { inner: self.inner.clone() }
    }
}

/// Options for [`FeatureFlags`]: `max_age`, `fetch_timeout` and the clock.
pub struct FeatureFlagsBuilder<S> {
    store: S,
    clock: Arc<dyn Clock>,
    max_age: Duration,
    fetch_timeout: Duration,
}

impl<S: StoreProvider> FeatureFlagsBuilder<S> {
    /// How long a fetched document is used before the store is asked again (default 5 s;
    /// zero asks on every evaluation).
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = max_age;
        self
    }

    /// How long a fetch may take before it is abandoned and counted as failed (default
    /// 10 s; `Duration::MAX` waits for ever). The last good document stays in force, or the
    /// defaults apply when there is none yet. Callers that find a document in force never
    /// wait for a fetch; only callers that arrive before the first document do, this long
    /// at most.
    pub fn fetch_timeout(mut self, timeout: Duration) -> Self {
        self.fetch_timeout = timeout;
        self
    }

    /// The clock the schedule actions read (default: the system clock).
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Builds the flags. Nothing is fetched until the first evaluation.
    pub fn build(self) -> FeatureFlags<S> {
        FeatureFlags {
            inner: Arc::new(Inner {
                store: self.store,
                max_age: self.max_age,
                fetch_timeout: self.fetch_timeout,
                state: ArcSwap::from_pointee(State {
                    snapshot: Snapshot { document: None, clock: self.clock },
                    source: None,
                    checked_at: None,
                    fresh_until: None,
                    failure: None,
                    serves: true,
                }),
                generation: AtomicU64::new(0),
                local: thread_local::ThreadLocal::new(),
                refresh: async_lock::Mutex::new(()),
                counters: Mutex::new((0, 0)),
            }),
        }
    }
}

impl<S: StoreProvider> FeatureFlags<S> {
    /// Flags over `store` with the defaults (`max_age` 5 s, the system clock).
    pub fn new(store: S) -> FeatureFlags<S> {
        FeatureFlags::builder(store).build()
    }

    /// Flags over `store` with options.
    pub fn builder(store: S) -> FeatureFlagsBuilder<S> {
        FeatureFlagsBuilder {
            store,
            clock: Arc::new(SystemClock),
            max_age: DEFAULT_MAX_AGE,
            fetch_timeout: DEFAULT_FETCH_TIMEOUT,
        }
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.inner.store
    }

    /// The configured `max_age`.
    pub fn max_age(&self) -> Duration {
        self.inner.max_age
    }

    /// The value of feature `name` for `ctx` (the reference's `evaluate`).
    ///
    /// `default` is returned unchanged when the document has no such feature, or when no
    /// document could be fetched yet (a configuration store error); it never replaces the
    /// feature's own `default`.
    ///
    /// # Errors
    /// [`Error::Store`] of kind [`StoreErrorKind::Client`] when the store refused access;
    /// [`Error::Schema`] when the store's document is invalid and no earlier good document
    /// is in force.
    pub async fn evaluate<C: Context + ?Sized>(&self, name: &str, ctx: &C, default: impl Into<Value>) -> Result<Value, Error> {
        self.with_snapshot(|snapshot| {
            Ok(match snapshot?.evaluate(name, ctx) {
                Some(value) => value.clone(),
                None => default.into(),
            })
        })
        .await
    }

    /// The names of the features that are on for `ctx`, in document order (the reference's
    /// `get_enabled_features`; non-boolean features count when their value is truthy).
    /// Empty when no document could be fetched yet.
    ///
    /// # Errors
    /// As [`FeatureFlags::evaluate`].
    pub async fn enabled_features<C: Context + ?Sized>(&self, ctx: &C) -> Result<Vec<String>, Error> {
        self.with_snapshot(|snapshot| Ok(snapshot?.enabled_features(ctx).into_iter().map(str::to_owned).collect())).await
    }

    /// How feature `name` evaluates for `ctx`, rule by rule; `None` for an unknown feature
    /// or when no document could be fetched.
    ///
    /// # Errors
    /// As [`FeatureFlags::evaluate`].
    pub async fn explain<C: Context + ?Sized>(&self, name: &str, ctx: &C) -> Result<Option<Explanation>, Error> {
        self.with_snapshot(|snapshot| Ok(snapshot?.explain(name, ctx))).await
    }

    /// A consistent, synchronous view of the document in force, refreshed first if it is
    /// older than `max_age`: evaluate many flags against one document in a request or a
    /// hot loop without touching the cache again.
    ///
    /// # Errors
    /// As [`FeatureFlags::evaluate`].
    pub async fn snapshot(&self) -> Result<Snapshot, Error> {
        self.current().await.served().cloned()
    }

    /// Calls `f` with the document in force, refreshed first if it is older than `max_age`,
    /// or with `None` where [`FeatureFlags::snapshot`] would return an error. The generated
    /// typed accessors read through this: while the cache is fresh, `f` borrows the cached
    /// state, so no reference count is touched and nothing is allocated.
    #[doc(hidden)]
    #[inline]
    pub async fn read<R>(&self, f: impl FnOnce(Option<&Snapshot>) -> R) -> R {
        self.with_snapshot(|snapshot| f(snapshot.ok())).await
    }

    /// Calls `f` with what [`FeatureFlags::snapshot`] would return, borrowed. The fresh path
    /// is inline and small; fetching is boxed so that it does not grow every caller's future.
    async fn with_snapshot<R, F: FnOnce(Result<&Snapshot, Error>) -> R>(&self, f: F) -> R {
        let f = match self.with_fresh(f) {
            Ok(result) => return result,
            Err(f) => f,
        };
        let state: Arc<State> = Box::pin(self.current()).await;
        f(state.served())
    }

    /// Calls `f` with the snapshot when the state is fresh and serves one; gives `f` back
    /// otherwise. Reads this thread's copy of the state while the generation is unchanged.
    #[inline]
    fn with_fresh<R, F: FnOnce(Result<&Snapshot, Error>) -> R>(&self, f: F) -> Result<R, F> {
        let generation = self.inner.generation.load(Ordering::Acquire);
        let local = self.inner.local.get_or_default();
        let Ok(mut local) = local.try_borrow_mut() else {
            // Re-entered from `f` on this thread: read the shared state instead.
            let state = self.inner.state.load();
            return if state.serves && is_fresh(&state) { Ok(f(Ok(&state.snapshot))) } else { Err(f) };
        };
        let state = match &mut *local {
            Some((seen, state)) if *seen == generation => state,
            // Read after the generation: a fetch that lands in between bumps it again, and
            // the next read loads its state.
            other => &other.insert((generation, self.inner.state.load_full())).1,
        };
        if state.serves && is_fresh(state) {
            Ok(f(Ok(&state.snapshot)))
        } else {
            Err(f)
        }
    }

    /// The last fetch's outcome and counters.
    pub fn status(&self) -> Status {
        let state = self.inner.state.load();
        let (fetches, failures) = *self.inner.counters.lock().unwrap_or_else(|e| e.into_inner());
        Status {
            fetches,
            failures,
            last_fetch_age: state.checked_at.map(Tick::elapsed),
            has_document: state.snapshot.document.is_some(),
            features: state.snapshot.document.as_ref().map_or(0, |d| d.len()),
            last_error: state.failure.as_ref().map(|f| match f {
                Failure::Store(kind, message) => store_error(*kind, message).to_string(),
                Failure::Schema(err) => err.to_string(),
            }),
        }
    }

    /// Fetches now, whatever the age of the cached document, and returns the new state's
    /// snapshot (see [`FeatureFlags::snapshot`]).
    ///
    /// # Errors
    /// As [`FeatureFlags::evaluate`].
    pub async fn refresh(&self) -> Result<Snapshot, Error> {
        {
            let _guard = self.inner.refresh.lock().await;
            self.fetch().await;
        }
        self.snapshot().await
    }

    /// The current state, fetched first when stale (one fetch at a time).
    async fn current(&self) -> Arc<State> {
        let state = self.inner.state.load_full();
        if is_fresh(&state) {
            return state;
        }
        let _guard = match self.inner.refresh.try_lock() {
            Some(guard) => guard,
            // Someone is fetching: serve the current document meanwhile, or wait for one.
            None if state.checked_at.is_some() => return state,
            None => self.inner.refresh.lock().await,
        };
        let state = self.inner.state.load_full();
        if is_fresh(&state) {
            return state;
        }
        self.fetch().await
    }

    /// Fetches, validates and installs a document. Callers hold the refresh lock.
    async fn fetch(&self) -> Arc<State> {
        let previous = self.inner.state.load_full();
        let timeout = self.inner.fetch_timeout;
        let result = match with_timeout(self.inner.store.get_configuration(), timeout).await {
            Some(result) => result,
            None => Err(StoreError::configuration(format!(
                "fetch from {} timed out after {timeout:?}",
                self.inner.store.name()
            ))),
        };
        let now = Tick::now();
        let mut next = State {
            checked_at: Some(now),
            fresh_until: Some(now.saturating_add(self.inner.max_age)),
            ..(*previous).clone()
        };
        next.failure = match result {
            Ok(config) if previous.source.as_ref().is_some_and(|s| Arc::ptr_eq(s, &config)) => None,
            Ok(config) => match Document::from_value(&config) {
                Ok(document) => {
                    next.snapshot.document = Some(Arc::new(document));
                    next.source = Some(config);
                    None
                }
                Err(err) => Some(Failure::Schema(Arc::new(err.with_source_name(self.inner.store.name())))),
            },
            Err(err) => Some(Failure::Store(err.kind, err.message)),
        };
        {
            let mut counters = self.inner.counters.lock().unwrap_or_else(|e| e.into_inner());
            counters.0 += 1;
            counters.1 += u64::from(next.failure.is_some());
        }
        if let Some(failure) = &next.failure {
            let kept = if next.snapshot.document.is_some() { "the last good document stays in force" } else { "no document yet: defaults apply" };
            match failure {
                Failure::Store(kind, message) => tracing::warn!(store = %self.inner.store.name(), error = %store_error(*kind, message), "feature flags fetch failed; {kept}"),
                Failure::Schema(err) => tracing::warn!(store = %self.inner.store.name(), error = %err, "fetched feature flags document is invalid; {kept}"),
            }
        }
        next.serves = next.served().is_ok();
        let next = Arc::new(next);
        self.inner.state.store(next.clone());
        self.inner.generation.fetch_add(1, Ordering::Release);
        next
    }
}

/// Whether `state` was fetched less than `max_age` ago (never, before the first fetch; a
/// `max_age` of zero is never fresh, as the coarse clock never reads earlier than a reading
/// it gave before).
#[inline]
fn is_fresh(state: &State) -> bool {
    state.fresh_until.is_some_and(|until| Tick::now() < until)
}

/// Runs `future` for at most `timeout`: `None` when the time ran out first (the future is
/// dropped, which cancels it). No runtime needed: when the future is still pending after its
/// first poll, a timer thread wakes the task at the deadline (and exits early when the
/// future finishes first). A future that is ready at once costs no thread.
async fn with_timeout<F: Future>(future: F, timeout: Duration) -> Option<F::Output> {
    let mut future = std::pin::pin!(future);
    let mut timer: Option<Timer> = None;
    std::future::poll_fn(|cx| {
        if let Poll::Ready(output) = future.as_mut().poll(cx) {
            return Poll::Ready(Some(output));
        }
        match &timer {
            None => timer = Timer::start(timeout, cx.waker()),
            Some(timer) if timer.fired(cx.waker()) => return Poll::Ready(None),
            Some(_) => {}
        }
        Poll::Pending
    })
    .await
}

struct TimerState {
    fired: bool,
    cancelled: bool,
    waker: Waker,
}

/// A deadline watched by a thread of its own; dropping it stops the thread.
struct Timer(Arc<(Mutex<TimerState>, Condvar)>);

impl Timer {
    /// `None` when there is no deadline (`Duration::MAX`) or no thread could be started.
    fn start(timeout: Duration, waker: &Waker) -> Option<Timer> {
        let deadline = Instant::now().checked_add(timeout)?;
        let shared = Arc::new((Mutex::new(TimerState { fired: false, cancelled: false, waker: waker.clone() }), Condvar::new()));
        let watched = shared.clone();
        std::thread::Builder::new()
            .name("ff-fetch-timeout".to_owned())
            .spawn(move || {
                let (lock, cancel) = &*watched;
                let mut state = lock.lock().unwrap_or_else(|e| e.into_inner());
                loop {
                    if state.cancelled {
                        return;
                    }
                    let now = Instant::now();
                    if now >= deadline {
                        state.fired = true;
                        state.waker.wake_by_ref();
                        return;
                    }
                    state = cancel.wait_timeout(state, deadline - now).unwrap_or_else(|e| e.into_inner()).0;
                }
            })
            .ok()?;
        Some(Timer(shared))
    }

    /// Whether the deadline passed; if not, `waker` is the one to wake when it does.
    fn fired(&self, waker: &Waker) -> bool {
        let mut state = self.0 .0.lock().unwrap_or_else(|e| e.into_inner());
        if !state.fired && !state.waker.will_wake(waker) {
            state.waker = waker.clone();
        }
        state.fired
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        let (lock, cancel) = &*self.0;
        lock.lock().unwrap_or_else(|e| e.into_inner()).cancelled = true;
        cancel.notify_all();
    }
}

/// The store error a failed fetch recorded (its kind and message; the source is not kept).
fn store_error(kind: StoreErrorKind, message: &str) -> StoreError {
    StoreError { kind, message: message.to_owned(), source: None }
}

/// A consistent, synchronous view of one document (see [`FeatureFlags::snapshot`]).
/// Evaluating against it takes no lock and allocates nothing.
#[derive(Clone)]
pub struct Snapshot {
    document: Option<Arc<Document>>,
    clock: Arc<dyn Clock>,
}

impl Snapshot {
    /// A snapshot of a document, read with `clock` (for tests and tools).
    pub fn new(document: Arc<Document>, clock: Arc<dyn Clock>) -> Snapshot {
        Snapshot { document: Some(document), clock }
    }

    /// The document in force; `None` when none could be fetched yet.
    pub fn document(&self) -> Option<&Document> {
        self.document.as_deref()
    }

    /// The value of feature `name`, or `None` when there is no such feature (or no
    /// document): the caller's default applies.
    #[inline]
    pub fn evaluate<C: Context + ?Sized>(&self, name: &str, ctx: &C) -> Option<&Value> {
        self.document.as_ref()?.evaluate(name, ctx, &*self.clock)
    }

    /// The enabled features, in document order.
    pub fn enabled_features<C: Context + ?Sized>(&self, ctx: &C) -> Vec<&str> {
        match &self.document {
            Some(doc) => doc.enabled_features(ctx, &*self.clock),
            None => Vec::new(),
        }
    }

    /// How feature `name` evaluates, rule by rule.
    pub fn explain<C: Context + ?Sized>(&self, name: &str, ctx: &C) -> Option<Explanation> {
        self.document.as_ref()?.explain(name, ctx, &*self.clock)
    }

    /// The clock the schedule actions read.
    pub fn clock(&self) -> &dyn Clock {
        &*self.clock
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;
    use futures_executor::block_on;
    use serde_json::json;

    fn doc(default: bool) -> Value {
        Value::from(json!({"a": {"default": default}}))
    }

    #[test]
    fn caches_within_max_age() {
        let flags = FeatureFlags::builder(MemoryStore::new(doc(true))).max_age(Duration::from_secs(60)).build();
        for _ in 0..10 {
            assert_eq!(block_on(flags.evaluate("a", &(), false)).unwrap(), Value::Bool(true));
        }
        assert_eq!(flags.store().fetches(), 1);
        flags.store().set(doc(false));
        assert_eq!(block_on(flags.evaluate("a", &(), true)).unwrap(), Value::Bool(true));
        assert_eq!(block_on(flags.refresh()).unwrap().evaluate("a", &()), Some(&Value::Bool(false)));
        assert_eq!(flags.store().fetches(), 2);
    }

    #[test]
    fn zero_max_age_fetches_every_time() {
        let flags = FeatureFlags::builder(MemoryStore::new(doc(true))).max_age(Duration::ZERO).build();
        for _ in 0..3 {
            block_on(flags.evaluate("a", &(), false)).unwrap();
        }
        assert_eq!(flags.store().fetches(), 3);
        assert_eq!(flags.status().fetches, 3);
    }

    #[test]
    fn last_good_document_survives_failures_and_invalid_documents() {
        let flags = FeatureFlags::builder(MemoryStore::new(doc(true))).max_age(Duration::ZERO).build();
        assert_eq!(block_on(flags.evaluate("a", &(), false)).unwrap(), Value::Bool(true));
        flags.store().fail(StoreErrorKind::Configuration, "network down");
        assert_eq!(block_on(flags.evaluate("a", &(), false)).unwrap(), Value::Bool(true));
        assert_eq!(flags.status().last_error.as_deref(), Some("configuration store error: network down"));
        flags.store().set(Value::from(json!({"a": {"default": "not a bool"}})));
        assert_eq!(block_on(flags.evaluate("a", &(), false)).unwrap(), Value::Bool(true));
        assert!(flags.status().last_error.unwrap().contains("/a/default"));
        flags.store().set(doc(false));
        assert_eq!(block_on(flags.evaluate("a", &(), true)).unwrap(), Value::Bool(false));
        assert_eq!(flags.status().last_error, None);
        assert_eq!(flags.status().failures, 2);
    }

    #[test]
    fn first_fetch_failures_follow_the_reference() {
        let store = MemoryStore::new(doc(true));
        store.fail(StoreErrorKind::Configuration, "timeout");
        let flags = FeatureFlags::builder(store).max_age(Duration::ZERO).build();
        assert_eq!(block_on(flags.evaluate("a", &(), "caller")).unwrap(), Value::from("caller"));
        assert!(block_on(flags.enabled_features(&())).unwrap().is_empty());
        flags.store().fail(StoreErrorKind::Client, "AccessDenied");
        let err = block_on(flags.evaluate("a", &(), false)).unwrap_err();
        assert_eq!(err.to_string(), "store client error: AccessDenied", "the kind is named once");
        assert!(matches!(err, Error::Store(StoreError { kind: StoreErrorKind::Client, .. })), "{err}");
        flags.store().set(Value::from(json!({"a": {}})));
        assert!(matches!(block_on(flags.evaluate("a", &(), false)), Err(Error::Schema(_))));
    }

    /// A store that takes 50 ms per fetch and counts fetches.
    struct SlowStore {
        fetches: std::sync::atomic::AtomicU64,
        doc: Arc<Value>,
    }

    impl StoreProvider for SlowStore {
        async fn get_raw_configuration(&self) -> Result<Arc<Value>, StoreError> {
            self.fetches.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(50));
            Ok(self.doc.clone())
        }
    }

    #[test]
    fn concurrent_callers_do_not_stampede_the_store() {
        let store = SlowStore { fetches: Default::default(), doc: Arc::new(doc(true)) };
        let flags = FeatureFlags::builder(store).max_age(Duration::from_secs(60)).build();
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    for _ in 0..20 {
                        assert_eq!(block_on(flags.evaluate("a", &(), false)).unwrap(), Value::Bool(true));
                    }
                });
            }
        });
        assert_eq!(flags.store().fetches.load(std::sync::atomic::Ordering::SeqCst), 1);
    }

    /// A store whose fetches wait until the gate opens, and announce that they started.
    struct GateStore {
        doc: Arc<Value>,
        open: Mutex<bool>,
        opened: std::sync::Condvar,
        started: Mutex<Option<std::sync::mpsc::Sender<()>>>,
    }

    impl StoreProvider for GateStore {
        async fn get_raw_configuration(&self) -> Result<Arc<Value>, StoreError> {
            if let Some(tx) = &*self.started.lock().unwrap() {
                tx.send(()).unwrap();
            }
            let mut open = self.open.lock().unwrap();
            while !*open {
                open = self.opened.wait(open).unwrap();
            }
            Ok(self.doc.clone())
        }
    }

    #[test]
    fn a_stale_document_is_served_while_another_caller_fetches() {
        let store = GateStore { doc: Arc::new(doc(true)), open: Mutex::new(true), opened: Default::default(), started: Mutex::new(None) };
        // max_age zero: every call finds the document stale and wants to fetch.
        let flags = FeatureFlags::builder(store).max_age(Duration::ZERO).build();
        block_on(flags.snapshot()).unwrap();
        *flags.store().open.lock().unwrap() = false;
        let (tx, rx) = std::sync::mpsc::channel();
        *flags.store().started.lock().unwrap() = Some(tx);
        std::thread::scope(|s| {
            let fetching = s.spawn(|| block_on(flags.snapshot()).unwrap());
            rx.recv().unwrap(); // the fetch is in flight and blocked at the gate
            *flags.store().started.lock().unwrap() = None;
            // This caller must not wait for it (the gate is still closed: waiting would hang).
            let snapshot = block_on(flags.snapshot()).unwrap();
            assert_eq!(snapshot.evaluate("a", &()), Some(&Value::Bool(true)));
            *flags.store().open.lock().unwrap() = true;
            flags.store().opened.notify_all();
            fetching.join().unwrap();
        });
        assert_eq!(flags.status().fetches, 2);
    }

    /// A store whose fetch never completes (it awaits, it does not block).
    struct NeverStore;

    impl StoreProvider for NeverStore {
        async fn get_raw_configuration(&self) -> Result<Arc<Value>, StoreError> {
            std::future::pending().await
        }
    }

    #[test]
    fn a_fetch_that_never_ends_times_out() {
        let flags = FeatureFlags::builder(NeverStore).fetch_timeout(Duration::from_millis(20)).build();
        assert_eq!(block_on(flags.evaluate("a", &(), "caller")).unwrap(), Value::from("caller"));
        let status = flags.status();
        assert_eq!((status.fetches, status.failures, status.has_document), (1, 1, false));
        assert_eq!(status.last_error.as_deref(), Some("configuration store error: fetch from NeverStore timed out after 20ms"));
    }

    #[test]
    fn with_timeout_returns_what_finishes_in_time() {
        // Pending at first, finished by another thread well before the deadline.
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let slow = async move {
            let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
            let mut started = false;
            std::future::poll_fn(|cx| {
                if done.load(std::sync::atomic::Ordering::SeqCst) {
                    return Poll::Ready(7);
                }
                if !started {
                    started = true;
                    let (done, waker, tx) = (done.clone(), cx.waker().clone(), tx.clone());
                    std::thread::spawn(move || {
                        std::thread::sleep(Duration::from_millis(5));
                        done.store(true, std::sync::atomic::Ordering::SeqCst);
                        waker.wake();
                        let _ = tx.send(());
                    });
                }
                Poll::Pending
            })
            .await
        };
        assert_eq!(block_on(with_timeout(slow, Duration::from_secs(600))), Some(7));
        rx.recv().unwrap();
        assert_eq!(block_on(with_timeout(std::future::pending::<()>(), Duration::from_millis(1))), None);
        assert_eq!(block_on(with_timeout(std::future::ready(1), Duration::ZERO)), Some(1));
    }

    #[test]
    fn read_lends_the_document_in_force_and_none_where_snapshot_fails() {
        let flags = FeatureFlags::builder(MemoryStore::new(doc(true))).max_age(Duration::from_secs(60)).build();
        let read = |flags: &FeatureFlags<MemoryStore>| block_on(flags.read(|s| s.map(|s| s.evaluate("a", &()).cloned())));
        assert_eq!(read(&flags), Some(Some(Value::Bool(true))));
        // Fresh: the same state is lent again, without a fetch.
        let first = block_on(flags.read(|s| s.unwrap().document().unwrap() as *const Document));
        let second = block_on(flags.read(|s| s.unwrap().document().unwrap() as *const Document));
        assert_eq!((first, flags.store().fetches()), (second, 1));

        // Stale: refreshed first, then lent.
        let flags = FeatureFlags::builder(MemoryStore::new(doc(true))).max_age(Duration::ZERO).build();
        assert_eq!(read(&flags), Some(Some(Value::Bool(true))));
        flags.store().set(doc(false));
        assert_eq!(read(&flags), Some(Some(Value::Bool(false))));
        // Access denied and a first document that is invalid: `None`, as `snapshot()` fails.
        flags.store().fail(StoreErrorKind::Client, "AccessDenied");
        assert_eq!(read(&flags), None);
        let invalid = FeatureFlags::new(MemoryStore::new(Value::from(json!({"a": {}}))));
        assert_eq!(read(&invalid), None);
        // A configuration failure before any document: a snapshot without a document.
        let store = MemoryStore::new(doc(true));
        store.fail(StoreErrorKind::Configuration, "timeout");
        assert_eq!(read(&FeatureFlags::new(store)), Some(None));
    }

    #[test]
    fn a_refresh_reaches_every_thread_at_its_next_read() {
        let flags = FeatureFlags::builder(MemoryStore::new(doc(true))).max_age(Duration::from_secs(600)).build();
        let value = |flags: &FeatureFlags<MemoryStore>| block_on(flags.read(|s| s.and_then(|s| s.evaluate("a", &()).cloned())));
        let (to_reader, reader_rx) = std::sync::mpsc::channel::<()>();
        let (to_main, main_rx) = std::sync::mpsc::channel::<Option<Value>>();
        std::thread::scope(|s| {
            s.spawn(|| {
                for _ in reader_rx {
                    to_main.send(value(&flags)).unwrap();
                }
            });
            to_reader.send(()).unwrap();
            assert_eq!(main_rx.recv().unwrap(), Some(Value::Bool(true)));
            // Refreshed on this thread: the reader's own copy is out of date from now on.
            flags.store().set(doc(false));
            block_on(flags.refresh()).unwrap();
            to_reader.send(()).unwrap();
            assert_eq!(main_rx.recv().unwrap(), Some(Value::Bool(false)));
            drop(to_reader);
        });
        assert_eq!(value(&flags), Some(Value::Bool(false)));
        assert_eq!(flags.store().fetches(), 2);
    }

    #[test]
    fn a_read_inside_a_read_sees_the_same_document() {
        let flags = FeatureFlags::builder(MemoryStore::new(doc(true))).max_age(Duration::from_secs(600)).build();
        block_on(flags.snapshot()).unwrap();
        let outer = block_on(flags.read(|outer| {
            // Fresh, so the inner read completes on its first poll (no executor inside one).
            let mut inner = std::pin::pin!(flags.read(|inner| inner.unwrap().document().unwrap() as *const Document));
            let Poll::Ready(inner) = inner.as_mut().poll(&mut std::task::Context::from_waker(Waker::noop())) else {
                panic!("a fresh read is ready at once");
            };
            (outer.unwrap().document().unwrap() as *const Document, inner)
        }));
        assert_eq!(outer.0, outer.1);
    }

    #[test]
    fn same_document_is_not_revalidated() {
        let flags = FeatureFlags::builder(MemoryStore::new(doc(true))).max_age(Duration::ZERO).build();
        let first = block_on(flags.snapshot()).unwrap();
        let second = block_on(flags.snapshot()).unwrap();
        assert!(std::ptr::eq(first.document().unwrap(), second.document().unwrap()));
    }
}
