//! Fault injection: stores that fail, hang, serve bad bytes or invalid documents, or flip
//! between good and bad, alone and under concurrent evaluation.
//!
//! What must hold, whatever the store does:
//! * the last good document stays in force (a first fetch that fails serves the caller's
//!   defaults; a first document that is invalid is returned as `Error::Schema`, as the
//!   reference raises `SchemaValidationError`);
//! * each failed fetch is reported once (one `warn` event, one `Status::failures`), not once
//!   per evaluation;
//! * a later good document is picked up;
//! * a fetch that never finishes is abandoned after `fetch_timeout`;
//! * under concurrency: no panic, no deadlock, at most one fetch in flight per store.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context as TaskContext, Poll};
use std::time::Duration;

use ff_runtime::{Error, FeatureFlags, FileStore, Refresh, StoreError, StoreErrorKind, StoreProvider, Value};
use futures_executor::block_on;

// ---------------------------------------------------------------------------------------
// Capturing ff's tracing output (this thread only).

use ff_tests::logs::Logs;

/// The `warn` lines that report a failed fetch or an invalid fetched document.
fn fetch_failures(logs: &Logs) -> usize {
    logs.warnings("feature flags fetch failed") + logs.warnings("fetched feature flags document is invalid")
}

/// Runs `f` with every tracing event of this thread written to `logs`.
fn capture<T>(logs: &Logs, f: impl FnOnce() -> T) -> T {
    logs.capture(f)
}

// ---------------------------------------------------------------------------------------
// A store whose answer the test scripts.

/// What the scripted store answers.
#[derive(Clone, Debug)]
enum Answer {
    /// A body, parsed as the AppConfig stores parse theirs (bad bytes are a configuration
    /// store error).
    Body(Vec<u8>),
    /// A store error of this kind.
    Fail(StoreErrorKind, &'static str),
    /// A fetch that never finishes (it awaits for ever, without blocking its thread).
    Hang,
}

fn body(text: &str) -> Answer {
    Answer::Body(text.as_bytes().to_vec())
}

/// A store serving scripted answers, that counts fetches and detects overlapping ones.
#[derive(Default)]
struct ScriptedStore {
    answer: Mutex<Option<Answer>>,
    /// The last body and its parse, so that the same body gives the same `Arc` (as the real
    /// stores do; ff then skips validating it again).
    parsed: Mutex<Option<(Vec<u8>, Arc<Value>)>>,
    fetches: AtomicU64,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    /// When set, each fetch yields to the executor once before answering (so that fetches
    /// interleave with other tasks).
    yield_once: AtomicBool,
}

impl ScriptedStore {
    fn new(answer: Answer) -> ScriptedStore {
        let store = ScriptedStore::default();
        store.set(answer);
        store
    }

    fn set(&self, answer: Answer) {
        *self.answer.lock().unwrap() = Some(answer);
    }

    fn parse(&self, bytes: &[u8]) -> Result<Arc<Value>, StoreError> {
        let mut parsed = self.parsed.lock().unwrap();
        if let Some((last, doc)) = &*parsed {
            if last == bytes {
                return Ok(doc.clone());
            }
        }
        let text = std::str::from_utf8(bytes)
            .map_err(|e| StoreError::configuration(format!("scripted: the configuration is not UTF-8 text: {e}")))?;
        let doc = Arc::new(
            Value::from_json(text)
                .map_err(|e| StoreError::configuration(format!("scripted: the configuration is not JSON: {e}")))?,
        );
        *parsed = Some((bytes.to_vec(), doc.clone()));
        Ok(doc)
    }
}

/// Counts a fetch in flight from its start until it finishes or is dropped (timed out).
struct InFlight<'a>(&'a ScriptedStore);

impl<'a> InFlight<'a> {
    fn enter(store: &'a ScriptedStore) -> InFlight<'a> {
        let now = store.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        store.max_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(store)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Returns `Pending` once (waking itself at once), then `Ready`.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

impl StoreProvider for ScriptedStore {
    async fn get_raw_configuration(&self) -> Result<Arc<Value>, StoreError> {
        self.fetches.fetch_add(1, Ordering::SeqCst);
        let _in_flight = InFlight::enter(self);
        if self.yield_once.load(Ordering::SeqCst) {
            YieldOnce(false).await;
        }
        let answer = self.answer.lock().unwrap().clone().expect("an answer is scripted");
        match answer {
            Answer::Body(bytes) => self.parse(&bytes),
            Answer::Fail(kind, message) => Err(StoreError { kind, message: message.to_owned(), source: None }),
            Answer::Hang => std::future::pending().await,
        }
    }

    fn name(&self) -> String {
        "scripted".to_owned()
    }
}

// ---------------------------------------------------------------------------------------
// Documents.

/// A document whose feature `version` is the non-boolean `n`, and whose boolean `premium`
/// is on for tier `gold`.
fn good(n: i64) -> String {
    format!(
        r#"{{"version": {{"boolean_type": false, "default": {n}}},
            "premium": {{"default": false, "rules": {{"gold": {{"when_match": true,
                "conditions": [{{"action": "EQUALS", "key": "tier", "value": "gold"}}]}}}}}}}}"#
    )
}

/// Every way a fetch can go wrong (besides hanging, which needs a timeout).
fn faults() -> Vec<(&'static str, Answer)> {
    vec![
        ("store error", Answer::Fail(StoreErrorKind::Configuration, "connection reset")),
        ("invalid JSON", body(r#"{"version": {"default": 1,}"#)),
        ("truncated JSON", body(r#"{"version": {"boolean_type": false, "def"#)),
        ("empty body", body("")),
        ("whitespace body", body(" \n\t ")),
        ("not UTF-8", Answer::Body(vec![b'{', 0xff, 0xfe, b'}'])),
        ("JSON null", body("null")),
        ("JSON array", body("[1, 2]")),
        ("invalid document", body(r#"{"version": {"boolean_type": false}}"#)),
        ("boolean feature with a string default", body(r#"{"premium": {"default": "yes"}}"#)),
        ("unknown action", body(r#"{"premium": {"default": false, "rules": {"r": {"when_match": true, "conditions": [{"action": "EQUAL", "key": "k", "value": 1}]}}}}"#)),
        ("invalid zone", body(r#"{"premium": {"default": false, "rules": {"r": {"when_match": true, "conditions": [{"action": "SCHEDULE_BETWEEN_DAYS_OF_WEEK", "key": "CURRENT_DAY_OF_WEEK", "value": {"DAYS": ["MONDAY"], "TIMEZONE": "Mars/Olympus"}}]}}}}"#)),
    ]
}

fn gold() -> serde_json::Value {
    serde_json::json!({"tier": "gold"})
}

/// The scripted store under `flags`.
fn scripted(flags: &FeatureFlags) -> &ScriptedStore {
    flags.store::<ScriptedStore>().expect("flags over a ScriptedStore")
}

fn version(flags: &FeatureFlags) -> Value {
    block_on(flags.evaluate("version", &gold(), -1)).expect("a document or the defaults")
}

const HOUR: Duration = Duration::from_secs(3600);

// ---------------------------------------------------------------------------------------

#[test]
fn a_first_fetch_that_fails_serves_the_defaults() {
    let mut cases = faults();
    cases.push(("hang", Answer::Hang));
    for (what, answer) in cases {
        let invalid_document = matches!(&answer, Answer::Body(b) if Value::from_json(std::str::from_utf8(b).unwrap_or("")).is_ok());
        let logs = Logs::default();
        let flags = FeatureFlags::builder(ScriptedStore::new(answer))
            .max_age(HOUR)
            .fetch_timeout(Duration::from_millis(50))
            .build();
        capture(&logs, || {
            for _ in 0..20 {
                let result = block_on(flags.evaluate("version", &gold(), -1));
                let enabled = block_on(flags.enabled_features(&gold()));
                if invalid_document {
                    // JSON that is not a valid document: the reference raises
                    // SchemaValidationError; ff returns Error::Schema (the typed API of
                    // ff-build serves the compiled-in defaults instead).
                    assert!(matches!(result, Err(Error::Schema(_))), "{what}: {result:?}");
                    assert!(matches!(enabled, Err(Error::Schema(_))), "{what}");
                } else {
                    assert_eq!(result.unwrap(), Value::from(-1), "{what}: the caller's default");
                    assert_eq!(enabled.unwrap(), Vec::<String>::new(), "{what}");
                }
            }
        });
        let status = flags.status();
        assert_eq!((status.fetches, status.failures, status.has_document), (1, 1, false), "{what}");
        assert!(status.last_error.is_some(), "{what}");
        assert_eq!(fetch_failures(&logs), 1, "{what}: reported once per fetch, not per evaluation:\n{}", logs.text());
        assert!(logs.text().contains("no document yet: defaults apply"), "{what}: {}", logs.text());
        assert_eq!(scripted(&flags).fetches.load(Ordering::SeqCst), 1, "{what}");
    }
}

#[test]
fn evaluation_futures_are_send_with_the_timeout_in_place() {
    fn is_send<T: Send>(_: &T) {}
    let flags = FeatureFlags::new(ScriptedStore::new(body(&good(1))));
    let ctx = gold();
    let future = flags.evaluate("version", &ctx, 0);
    is_send(&future);
    assert_eq!(block_on(future).unwrap(), Value::from(1));
    assert_eq!(ff_runtime::DEFAULT_FETCH_TIMEOUT, Duration::from_secs(10));
}

#[test]
fn access_denied_is_returned_to_the_caller() {
    let flags = FeatureFlags::builder(ScriptedStore::new(body(&good(1)))).max_age(HOUR).build();
    assert_eq!(version(&flags), Value::from(1));
    scripted(&flags).set(Answer::Fail(StoreErrorKind::Client, "AccessDenied"));
    let err = block_on(flags.refresh()).err().expect("a client error");
    assert!(matches!(err, Error::Store(StoreError { kind: StoreErrorKind::Client, .. })), "{err}");
    scripted(&flags).set(body(&good(2)));
    assert_eq!(block_on(flags.refresh()).unwrap().evaluate("version", &gold()), Some(&Value::from(2)));
}

#[test]
fn the_last_good_document_survives_every_fault_and_each_is_reported_once() {
    let logs = Logs::default();
    let flags = FeatureFlags::builder(ScriptedStore::new(body(&good(1))))
        .max_age(HOUR)
        .fetch_timeout(Duration::from_millis(50))
        .build();
    let mut cases = faults();
    cases.push(("hang", Answer::Hang));
    let count = cases.len() as u64;
    capture(&logs, || {
        assert_eq!(version(&flags), Value::from(1));
        for (i, (what, answer)) in cases.into_iter().enumerate() {
            scripted(&flags).set(answer);
            // One fetch, then many evaluations within max_age.
            let snapshot = block_on(flags.refresh()).expect("the last good document is in force");
            assert_eq!(snapshot.evaluate("version", &gold()), Some(&Value::from(1)), "{what}");
            for _ in 0..50 {
                assert_eq!(version(&flags), Value::from(1), "{what}");
                assert_eq!(block_on(flags.enabled_features(&gold())).unwrap(), ["version", "premium"], "{what}");
            }
            let status = flags.status();
            assert_eq!(status.failures, i as u64 + 1, "{what}");
            assert!(status.has_document && status.features == 2, "{what}");
            let error = status.last_error.unwrap_or_default();
            assert!(!error.is_empty(), "{what}");
            if what == "hang" {
                assert_eq!(error, "configuration store error: fetch from scripted timed out after 50ms");
            }
            assert_eq!(fetch_failures(&logs), i + 1, "{what}: one report per failed fetch:\n{}", logs.text());
        }
    });
    assert!(logs.text().contains("the last good document stays in force"));
    // A later good document is picked up, and the error clears.
    scripted(&flags).set(body(&good(2)));
    assert_eq!(block_on(flags.refresh()).unwrap().evaluate("version", &gold()), Some(&Value::from(2)));
    let status = flags.status();
    assert_eq!((status.fetches, status.failures, status.last_error), (count + 2, count, None));
}

#[test]
fn a_store_flipping_between_good_and_bad_serves_the_latest_good_document() {
    let logs = Logs::default();
    let store = ScriptedStore::new(body(&good(0)));
    let flags = FeatureFlags::builder(store).max_age(Duration::ZERO).refresh(Refresh::Blocking).fetch_timeout(Duration::from_millis(20)).build();
    let faults = faults();
    let mut expected = Value::from(-1); // no document yet: the caller's default
    let mut failures = 0;
    capture(&logs, || {
        for round in 0..60i64 {
            // Rounds alternate: good, bad, bad, good, bad, hang, ...
            let answer = match round % 3 {
                0 => {
                    expected = Value::from(round);
                    body(&good(round))
                }
                1 => faults[(round as usize / 3) % faults.len()].1.clone(),
                _ if round % 9 == 5 => Answer::Hang,
                _ => Answer::Fail(StoreErrorKind::Configuration, "throttled"),
            };
            let fails = round % 3 != 0;
            scripted(&flags).set(answer);
            // max_age zero: this evaluation fetches.
            assert_eq!(version(&flags), expected, "round {round}");
            failures += u64::from(fails);
            assert_eq!(flags.status().failures, failures, "round {round}");
            assert_eq!(flags.status().last_error.is_some(), fails, "round {round}");
        }
    });
    assert_eq!(flags.status().fetches, 60);
    assert_eq!(fetch_failures(&logs) as u64, failures, "{}", logs.text());
}

#[test]
fn an_unchanged_good_document_is_not_validated_again_and_not_reported() {
    let logs = Logs::default();
    let flags = FeatureFlags::builder(ScriptedStore::new(body(&good(7)))).max_age(Duration::ZERO).refresh(Refresh::Blocking).build();
    capture(&logs, || {
        for _ in 0..30 {
            assert_eq!(version(&flags), Value::from(7));
        }
    });
    assert_eq!(flags.status().fetches, 30);
    assert_eq!(flags.status().failures, 0);
    assert_eq!(fetch_failures(&logs), 0);
    assert!(!logs.text().contains("WARN"), "{}", logs.text());
}

#[test]
fn a_hanging_fetch_does_not_hold_up_callers_that_have_a_document() {
    let flags = FeatureFlags::builder(ScriptedStore::new(body(&good(1))))
        .max_age(Duration::ZERO)
        .refresh(Refresh::Blocking)
        .fetch_timeout(Duration::from_millis(300))
        .build();
    assert_eq!(version(&flags), Value::from(1));
    scripted(&flags).set(Answer::Hang);
    std::thread::scope(|s| {
        let fetching = s.spawn(|| version(&flags));
        // Wait until that fetch is in flight.
        while scripted(&flags).in_flight.load(Ordering::SeqCst) == 0 {
            std::thread::yield_now();
        }
        // Meanwhile every caller is served the last good document, and none starts a second
        // fetch while the first is in flight.
        loop {
            assert_eq!(version(&flags), Value::from(1));
            if scripted(&flags).in_flight.load(Ordering::SeqCst) != 1 {
                break;
            }
        }
        assert_eq!(fetching.join().unwrap(), Value::from(1));
    });
    assert_eq!(scripted(&flags).max_in_flight.load(Ordering::SeqCst), 1);
    assert_eq!(flags.status().last_error.as_deref(), Some("configuration store error: fetch from scripted timed out after 300ms"));
    scripted(&flags).set(body(&good(2)));
    assert_eq!(version(&flags), Value::from(2));
}

#[test]
fn callers_without_a_document_wait_for_the_first_fetch_at_most_fetch_timeout() {
    let flags = FeatureFlags::builder(ScriptedStore::new(Answer::Hang))
        .max_age(HOUR)
        .fetch_timeout(Duration::from_millis(100))
        .build();
    std::thread::scope(|s| {
        let callers: Vec<_> = (0..4).map(|_| s.spawn(|| version(&flags))).collect();
        for caller in callers {
            assert_eq!(caller.join().unwrap(), Value::from(-1));
        }
    });
    // The waiting callers found the timed-out fetch fresh: one fetch in all.
    assert_eq!(scripted(&flags).fetches.load(Ordering::SeqCst), 1);
    assert_eq!(flags.status().failures, 1);
}

#[test]
fn file_store_faults() {
    let dir = std::env::temp_dir().join(format!("ff-faults-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("flags.json");
    let logs = Logs::default();
    let flags = FeatureFlags::builder(FileStore::new(&path).max_document_bytes(4096)).max_age(Duration::ZERO).refresh(Refresh::Blocking).build();
    capture(&logs, || {
        // No file yet: defaults.
        assert_eq!(version(&flags), Value::from(-1));
        std::fs::write(&path, good(1)).unwrap();
        assert_eq!(version(&flags), Value::from(1));
        // Each write has a new length, so the store sees the change whatever the clock.
        let bad: Vec<String> = vec![
            String::new(),
            "{".to_owned(),
            r#"{"version": {"boolean_type": false}}"#.to_owned(),
            format!("[{}]", "1,".repeat(2100) + "1"), // over the 4096-byte limit
            "\u{feff}{\"version\": nul}".to_owned(),
        ];
        for text in &bad {
            std::fs::write(&path, text).unwrap();
            assert_eq!(version(&flags), Value::from(1), "{text:.40}");
        }
        std::fs::remove_file(&path).unwrap();
        assert_eq!(version(&flags), Value::from(1), "file deleted");
        std::fs::write(&path, good(22)).unwrap();
        assert_eq!(version(&flags), Value::from(22));
    });
    let status = flags.status();
    assert_eq!(status.failures, 7, "{status:?}");
    assert_eq!(fetch_failures(&logs), 7, "{}", logs.text());
    assert!(logs.text().contains("more than the limit of 4096 bytes"), "{}", logs.text());
    std::fs::remove_dir_all(&dir).ok();
}

/// Many threads, each running many tasks, evaluate while the store refreshes on every call
/// (max_age zero), yields mid-fetch, fails, serves bad bytes, invalid documents and new
/// good documents. No panic, no deadlock, never more than one fetch in flight, and every
/// answer is a value some good document gave. Once with each [`Refresh`] policy.
#[test]
fn concurrent_evaluation_while_the_store_refreshes_and_fails() {
    concurrent_evaluation(Refresh::Blocking);
}

/// As above, with the fetches in the background (a thread each, one at a time).
#[test]
fn concurrent_evaluation_while_the_store_refreshes_in_the_background_and_fails() {
    concurrent_evaluation(Refresh::Background);
}

fn concurrent_evaluation(refresh: Refresh) {
    const THREADS: usize = 6;
    const TASKS: usize = 8;
    const ROUNDS: usize = 1500;
    let store = ScriptedStore::new(body(&good(0)));
    store.yield_once.store(true, Ordering::SeqCst);
    let flags = FeatureFlags::builder(store).max_age(Duration::ZERO).refresh(refresh).fetch_timeout(Duration::from_millis(50)).build();
    assert_eq!(version(&flags), Value::from(0));
    let highest_good = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let (done_tx, done_rx) = std::sync::mpsc::channel();

    let mut workers = Vec::new();
    for _ in 0..THREADS {
        let flags = flags.clone();
        let highest_good = highest_good.clone();
        let done = done_tx.clone();
        workers.push(std::thread::spawn(move || {
            let evaluations = Arc::new(AtomicU64::new(0));
            let tasks: Vec<Pin<Box<dyn Future<Output = ()>>>> = (0..TASKS)
                .map(|_| {
                    let flags = flags.clone();
                    let highest_good = highest_good.clone();
                    let evaluations = evaluations.clone();
                    Box::pin(async move {
                        for _ in 0..ROUNDS {
                            let value = flags.evaluate("version", &gold(), -1).await.expect("a good document is in force");
                            let n = value.as_i64().expect("an integer version");
                            assert!(n >= 0 && n as u64 <= highest_good.load(Ordering::SeqCst), "{n} was never served");
                            let on = flags.evaluate("premium", &gold(), false).await.unwrap();
                            assert_eq!(on, Value::Bool(true));
                            evaluations.fetch_add(2, Ordering::Relaxed);
                        }
                    }) as Pin<Box<dyn Future<Output = ()>>>
                })
                .collect();
            block_on(join_all(tasks));
            done.send(evaluations.load(Ordering::Relaxed)).unwrap();
        }));
    }

    // The store keeps changing under them.
    let chaos = {
        let flags = flags.clone();
        let highest_good = highest_good.clone();
        let stop = stop.clone();
        std::thread::spawn(move || {
            let faults = faults();
            let mut i = 0usize;
            while !stop.load(Ordering::SeqCst) {
                i += 1;
                let answer = match i % 4 {
                    0 => {
                        // Publish the number before the document can be served.
                        highest_good.store(i as u64, Ordering::SeqCst);
                        body(&good(i as i64))
                    }
                    1 => faults[i % faults.len()].1.clone(),
                    2 if i % 50 == 2 => Answer::Hang,
                    _ => Answer::Fail(StoreErrorKind::Configuration, "throttled"),
                };
                scripted(&flags).set(answer);
                std::thread::sleep(Duration::from_micros(200));
            }
            scripted(&flags).set(body(&good(1_000_000)));
            highest_good.store(1_000_000, Ordering::SeqCst);
        })
    };

    let mut evaluations = 0;
    for _ in 0..THREADS {
        match done_rx.recv_timeout(Duration::from_secs(120)) {
            Ok(n) => evaluations += n,
            Err(_) => panic!("deadlock: a worker did not finish in 120 s"),
        }
    }
    stop.store(true, Ordering::SeqCst);
    chaos.join().unwrap();
    for worker in workers {
        worker.join().unwrap();
    }
    assert_eq!(evaluations, (THREADS * TASKS * ROUNDS * 2) as u64);
    // After the storm, the latest good document is picked up (after any fetch in flight).
    assert_eq!(block_on(flags.refresh()).unwrap().evaluate("version", &gold()), Some(&Value::from(1_000_000)));
    let store = scripted(&flags);
    assert_eq!(store.max_in_flight.load(Ordering::SeqCst), 1, "two fetches overlapped");
    assert!(store.fetches.load(Ordering::SeqCst) > 2);
    let status = flags.status();
    eprintln!("concurrency ({refresh:?}): {evaluations} evaluations, {} fetches, {} failed", status.fetches, status.failures);
    assert_eq!(status.fetches, store.fetches.load(Ordering::SeqCst));
}

/// Runs `tasks` concurrently on the current thread (each poll polls every unfinished one).
async fn join_all(mut tasks: Vec<Pin<Box<dyn Future<Output = ()>>>>) {
    std::future::poll_fn(|cx| {
        tasks.retain_mut(|task| task.as_mut().poll(cx).is_pending());
        if tasks.is_empty() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await
}
