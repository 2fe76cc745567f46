//! The cache's tests: caching, refresh policies, failures, `ready`, the store behind a pointer.

use std::future::Future;
use std::sync::Mutex;
use std::task::{Poll, Waker};

use futures_executor::block_on;
use serde_json::json;

use super::*;
use crate::document::Document;
use crate::error::{StoreError, StoreErrorKind};
use crate::store::MemoryStore;

/// The memory store under `flags`.
fn memory(flags: &FeatureFlags) -> &MemoryStore {
    flags.store::<MemoryStore>().expect("flags over a MemoryStore")
}

/// Flags over a memory store serving `document`, with `max_age` and [`Refresh::Blocking`]
/// (each evaluation that finds the document expired fetches in place).
fn blocking(document: Value, max_age: Duration) -> FeatureFlags {
    FeatureFlags::builder(MemoryStore::new(document)).max_age(max_age).refresh(Refresh::Blocking).build()
}

fn doc(default: bool) -> Value {
    Value::from(json!({"a": {"default": default}}))
}

#[test]
fn caches_within_max_age() {
    let flags = FeatureFlags::builder(MemoryStore::new(doc(true))).max_age(Duration::from_secs(60)).build();
    for _ in 0..10 {
        assert_eq!(block_on(flags.evaluate("a", &(), false)).unwrap(), Value::Bool(true));
    }
    assert_eq!(memory(&flags).fetches(), 1);
    memory(&flags).set(doc(false));
    assert_eq!(block_on(flags.evaluate("a", &(), true)).unwrap(), Value::Bool(true));
    assert_eq!(block_on(flags.refresh()).unwrap().evaluate("a", &()), Some(&Value::Bool(false)));
    assert_eq!(memory(&flags).fetches(), 2);
}

#[test]
fn zero_max_age_fetches_every_time() {
    let flags = blocking(doc(true), Duration::ZERO);
    for _ in 0..3 {
        block_on(flags.evaluate("a", &(), false)).unwrap();
    }
    assert_eq!(memory(&flags).fetches(), 3);
    assert_eq!(flags.status().fetches, 3);
}

#[test]
fn last_good_document_survives_failures_and_invalid_documents() {
    let flags = blocking(doc(true), Duration::ZERO);
    assert_eq!(block_on(flags.evaluate("a", &(), false)).unwrap(), Value::Bool(true));
    memory(&flags).fail(StoreErrorKind::Configuration, "network down");
    assert_eq!(block_on(flags.evaluate("a", &(), false)).unwrap(), Value::Bool(true));
    assert_eq!(flags.status().last_error.as_deref(), Some("configuration store error: network down"));
    memory(&flags).set(Value::from(json!({"a": {"default": "not a bool"}})));
    assert_eq!(block_on(flags.evaluate("a", &(), false)).unwrap(), Value::Bool(true));
    assert!(flags.status().last_error.unwrap().contains("/a/default"));
    memory(&flags).set(doc(false));
    assert_eq!(block_on(flags.evaluate("a", &(), true)).unwrap(), Value::Bool(false));
    assert_eq!(flags.status().last_error, None);
    assert_eq!(flags.status().failures, 2);
}

#[test]
fn first_fetch_failures_follow_the_reference() {
    let store = MemoryStore::new(doc(true));
    store.fail(StoreErrorKind::Configuration, "timeout");
    let flags = FeatureFlags::builder(store).max_age(Duration::ZERO).refresh(Refresh::Blocking).build();
    assert_eq!(block_on(flags.evaluate("a", &(), "caller")).unwrap(), Value::from("caller"));
    assert!(block_on(flags.enabled_features(&())).unwrap().is_empty());
    memory(&flags).fail(StoreErrorKind::Client, "AccessDenied");
    let err = block_on(flags.evaluate("a", &(), false)).unwrap_err();
    assert_eq!(err.to_string(), "store client error: AccessDenied", "the kind is named once");
    assert!(matches!(err, Error::Store(StoreError { kind: StoreErrorKind::Client, .. })), "{err}");
    memory(&flags).set(Value::from(json!({"a": {}})));
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
    assert_eq!(flags.store::<SlowStore>().unwrap().fetches.load(std::sync::atomic::Ordering::SeqCst), 1);
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
    let flags = FeatureFlags::builder(store).max_age(Duration::ZERO).refresh(Refresh::Blocking).build();
    block_on(flags.snapshot()).unwrap();
    let gate = flags.store::<GateStore>().unwrap();
    *gate.open.lock().unwrap() = false;
    let (tx, rx) = std::sync::mpsc::channel();
    *gate.started.lock().unwrap() = Some(tx);
    std::thread::scope(|s| {
        let fetching = s.spawn(|| block_on(flags.snapshot()).unwrap());
        rx.recv().unwrap(); // the fetch is in flight and blocked at the gate
        *gate.started.lock().unwrap() = None;
        // This caller must not wait for it (the gate is still closed: waiting would hang).
        let snapshot = block_on(flags.snapshot()).unwrap();
        assert_eq!(snapshot.evaluate("a", &()), Some(&Value::Bool(true)));
        *gate.open.lock().unwrap() = true;
        gate.opened.notify_all();
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
fn read_lends_the_document_in_force_and_a_refusal_where_snapshot_fails() {
    let flags = FeatureFlags::builder(MemoryStore::new(doc(true))).max_age(Duration::from_secs(60)).build();
    let read = |flags: &FeatureFlags| block_on(flags.read(|s| s.map(|s| s.evaluate("a", &()).cloned())));
    assert_eq!(read(&flags), Some(Some(Value::Bool(true))));
    // Fresh: the same state is lent again, without a fetch.
    let first = block_on(flags.read(|s| s.unwrap().document().unwrap() as *const Document));
    let second = block_on(flags.read(|s| s.unwrap().document().unwrap() as *const Document));
    assert_eq!((first, memory(&flags).fetches()), (second, 1));

    // Stale: refreshed first, then lent.
    let flags = blocking(doc(true), Duration::ZERO);
    assert_eq!(read(&flags), Some(Some(Value::Bool(true))));
    memory(&flags).set(doc(false));
    assert_eq!(read(&flags), Some(Some(Value::Bool(false))));
    // Access denied and a first document that is invalid: `snapshot()` fails, and `read`
    // lends a snapshot without a document that says why (for the typed details and events).
    memory(&flags).fail(StoreErrorKind::Client, "AccessDenied");
    assert_eq!(read(&flags), Some(None));
    assert_eq!(block_on(flags.read(|s| s.unwrap().refused())), Some(ErrorKind::General));
    assert!(block_on(flags.snapshot()).is_err());
    let invalid = FeatureFlags::new(MemoryStore::new(Value::from(json!({"a": {}}))));
    assert_eq!(read(&invalid), Some(None));
    assert_eq!(block_on(invalid.read(|s| s.unwrap().refused())), Some(ErrorKind::ParseError));
    assert_eq!(block_on(invalid.typed_snapshot()).refused(), Some(ErrorKind::ParseError));
    // A configuration failure before any document: a snapshot without a document.
    let store = MemoryStore::new(doc(true));
    store.fail(StoreErrorKind::Configuration, "timeout");
    assert_eq!(read(&FeatureFlags::new(store)), Some(None));
}

#[test]
fn a_refresh_reaches_every_thread_at_its_next_read() {
    let flags = FeatureFlags::builder(MemoryStore::new(doc(true))).max_age(Duration::from_secs(600)).build();
    let value = |flags: &FeatureFlags| block_on(flags.read(|s| s.and_then(|s| s.evaluate("a", &()).cloned())));
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
        memory(&flags).set(doc(false));
        block_on(flags.refresh()).unwrap();
        to_reader.send(()).unwrap();
        assert_eq!(main_rx.recv().unwrap(), Some(Value::Bool(false)));
        drop(to_reader);
    });
    assert_eq!(value(&flags), Some(Value::Bool(false)));
    assert_eq!(memory(&flags).fetches(), 2);
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
    let flags = blocking(doc(true), Duration::ZERO);
    let first = block_on(flags.snapshot()).unwrap();
    let second = block_on(flags.snapshot()).unwrap();
    assert!(std::ptr::eq(first.document().unwrap(), second.document().unwrap()));
}

/// A gate that is closed: `GateStore`'s next fetches wait at it.
fn closed_gate(document: Value) -> GateStore {
    GateStore { doc: Arc::new(document), open: Mutex::new(false), opened: Default::default(), started: Mutex::new(None) }
}

impl GateStore {
    fn open(&self) {
        *self.open.lock().unwrap() = true;
        self.opened.notify_all();
    }
}

/// Polls `done` every millisecond for at most 10 seconds.
fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !done() {
        assert!(start.elapsed() < Duration::from_secs(10), "{what}: not after 10 s");
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn in_the_background_an_expired_document_is_served_while_the_fetch_waits() {
    // max_age zero: every evaluation finds the document expired. Without a runtime the
    // refresh runs on a thread of its own; the gate holds it as long as this test wants.
    let flags = FeatureFlags::builder(closed_gate(doc(true))).max_age(Duration::ZERO).build();
    let gate = flags.store::<GateStore>().unwrap();
    gate.open();
    assert_eq!(block_on(flags.evaluate("a", &(), false)).unwrap(), Value::Bool(true));
    *gate.open.lock().unwrap() = false;
    let (tx, rx) = std::sync::mpsc::channel();
    *gate.started.lock().unwrap() = Some(tx);
    // Before the background refresh, this call hung at the closed gate.
    assert_eq!(block_on(flags.evaluate("a", &(), false)).unwrap(), Value::Bool(true));
    rx.recv().unwrap(); // the background fetch started, and is held at the gate
    for _ in 0..5 {
        assert_eq!(block_on(flags.evaluate("a", &(), false)).unwrap(), Value::Bool(true));
    }
    assert_eq!(flags.status().fetches, 1, "one fetch in flight, none other started");
    *gate.started.lock().unwrap() = None;
    gate.open();
    eventually("the background fetch ends", || flags.status().fetches >= 2);
}

/// A store that takes 200 ms per fetch (blocking its thread) and serves `true` on the
/// first fetch, `false` after.
struct SlowFlipStore {
    fetches: std::sync::atomic::AtomicU64,
}

impl StoreProvider for SlowFlipStore {
    async fn get_raw_configuration(&self) -> Result<Arc<Value>, StoreError> {
        let n = self.fetches.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(200));
        Ok(Arc::new(doc(n == 0)))
    }
}

/// The slowest of five evaluations right after `max_age` (100 ms) expired, and the value
/// they saw.
fn slowest_after_expiry(flags: &FeatureFlags) -> Duration {
    let start = std::time::Instant::now();
    assert_eq!(block_on(flags.evaluate("a", &(), false)).unwrap(), Value::Bool(true));
    assert!(start.elapsed() >= Duration::from_millis(150), "the first fetch is awaited");
    std::thread::sleep(Duration::from_millis(150));
    (0..5)
        .map(|_| {
            let start = std::time::Instant::now();
            assert_eq!(block_on(flags.evaluate("a", &(), false)).unwrap(), Value::Bool(true), "the document in force");
            start.elapsed()
        })
        .max()
        .unwrap()
}

#[test]
fn finding_3_no_evaluation_waits_for_a_refresh_of_a_200ms_store() {
    let flags = FeatureFlags::builder(SlowFlipStore { fetches: Default::default() }).max_age(Duration::from_millis(100)).build();
    let slowest = slowest_after_expiry(&flags);
    // Before: the first of the five waited for the whole fetch (201 ms).
    assert!(slowest < Duration::from_millis(50), "an evaluation waited {slowest:?}");
    eventually("the refreshed document is served", || block_on(flags.evaluate("a", &(), true)).unwrap() == Value::Bool(false));
    assert_eq!(flags.status().fetches, 2);
}

#[test]
fn blocking_refresh_fetches_in_place() {
    let flags = FeatureFlags::builder(SlowFlipStore { fetches: Default::default() })
        .max_age(Duration::from_millis(100))
        .refresh(Refresh::Blocking)
        .build();
    assert_eq!(block_on(flags.evaluate("a", &(), false)).unwrap(), Value::Bool(true));
    std::thread::sleep(Duration::from_millis(150));
    // The caller that finds the document expired waits for the fetch and sees its result.
    assert_eq!(block_on(flags.evaluate("a", &(), true)).unwrap(), Value::Bool(false));
    assert_eq!(flags.status().fetches, 2);
    assert_eq!(flags.refresh_policy(), Refresh::Blocking);
}

/// A store that sleeps on tokio's timer, which panics outside a tokio runtime: it proves
/// that the background refresh runs on the caller's runtime.
struct TokioStore {
    fetches: std::sync::atomic::AtomicU64,
}

impl StoreProvider for TokioStore {
    async fn get_raw_configuration(&self) -> Result<Arc<Value>, StoreError> {
        let n = self.fetches.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(200)).await;
        Ok(Arc::new(doc(n == 0)))
    }
}

#[test]
fn on_a_tokio_runtime_the_refresh_is_spawned_on_it() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
    runtime.block_on(async {
        let flags = FeatureFlags::builder(TokioStore { fetches: Default::default() }).max_age(Duration::from_millis(100)).build();
        assert_eq!(flags.evaluate("a", &(), false).await.unwrap(), Value::Bool(true));
        tokio::time::sleep(Duration::from_millis(150)).await;
        let mut slowest = Duration::ZERO;
        for _ in 0..5 {
            let start = std::time::Instant::now();
            assert_eq!(flags.evaluate("a", &(), false).await.unwrap(), Value::Bool(true));
            slowest = slowest.max(start.elapsed());
        }
        assert!(slowest < Duration::from_millis(50), "an evaluation waited {slowest:?}");
        // The spawned fetch runs while this task sleeps.
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(flags.status().fetches, 2);
        assert_eq!(flags.evaluate("a", &(), true).await.unwrap(), Value::Bool(false));
    });
}

#[test]
fn ready_returns_the_first_fetchs_error() {
    // Missing file: a configuration error naming it, where evaluations give the defaults.
    let missing = std::env::temp_dir().join(format!("ff-ready-{}/no-such-flags.json", std::process::id()));
    let flags = FeatureFlags::new(crate::store::FileStore::new(&missing));
    let err = block_on(flags.ready()).unwrap_err();
    assert!(matches!(&err, Error::Store(StoreError { kind: StoreErrorKind::Configuration, .. })), "{err}");
    assert!(err.to_string().contains("no-such-flags.json"), "{err}");
    assert_eq!(flags.status().fetches, 1);
    assert_eq!(block_on(flags.evaluate("a", &(), "default")).unwrap(), Value::from("default"));

    let store = MemoryStore::new(doc(true));
    store.fail(StoreErrorKind::Client, "AccessDenied");
    let err = block_on(FeatureFlags::new(store).ready()).unwrap_err();
    assert_eq!(err.to_string(), "store client error: AccessDenied");

    let invalid = FeatureFlags::new(MemoryStore::new(Value::from(json!({"a": {"default": 1}}))));
    let err = block_on(invalid.ready()).unwrap_err();
    assert!(matches!(&err, Error::Schema(_)) && err.to_string().contains("/a/default"), "{err}");
}

#[test]
fn ready_is_ok_while_a_good_document_is_in_force() {
    let flags = blocking(doc(true), Duration::ZERO);
    block_on(flags.ready()).unwrap();
    assert_eq!(memory(&flags).fetches(), 1, "ready made the first fetch");
    block_on(flags.ready()).unwrap();
    assert_eq!(memory(&flags).fetches(), 1, "and no other");
    memory(&flags).fail(StoreErrorKind::Configuration, "network down");
    block_on(flags.evaluate("a", &(), false)).unwrap();
    block_on(flags.ready()).unwrap();
    memory(&flags).fail(StoreErrorKind::Client, "AccessDenied");
    block_on(flags.evaluate("a", &(), false)).unwrap_err();
    assert_eq!(block_on(flags.ready()).unwrap_err().to_string(), "store client error: AccessDenied");
}

/// Takes flags over any store.
fn features(flags: &FeatureFlags) -> usize {
    block_on(flags.snapshot()).unwrap().document().map_or(0, Document::len)
}

#[test]
fn one_type_over_any_store_and_the_store_back() {
    let dir = std::env::temp_dir().join(format!("ff-one-type-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("flags.json");
    std::fs::write(&path, r#"{"a": {"default": true}, "b": {"default": false}}"#).unwrap();
    let mut all: Vec<FeatureFlags> = vec![FeatureFlags::new(crate::store::FileStore::new(&path)), FeatureFlags::new(MemoryStore::new(doc(true)))];
    all.push(FeatureFlags::new(Arc::new(MemoryStore::new(doc(true)))));
    assert_eq!(all.iter().map(features).collect::<Vec<_>>(), [2, 1, 1]);
    assert!(all[0].store::<crate::store::FileStore>().is_some());
    assert!(all[0].store::<MemoryStore>().is_none());
    assert_eq!(all[1].store::<MemoryStore>().unwrap().fetches(), 1);
    assert!(all[2].store::<MemoryStore>().is_none(), "the type given: Arc<MemoryStore>");
    assert_eq!(all[2].store::<Arc<MemoryStore>>().unwrap().fetches(), 1);
    assert_eq!(all[1].store_name(), "memory");
    std::fs::remove_dir_all(&dir).ok();
}
