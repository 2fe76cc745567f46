//! How long an evaluation takes right after `max_age` expired, with a store that takes
//! 200 ms per fetch (`max_age` 100 ms): the first evaluation (no document yet, awaited by
//! design), then 10 rounds of "wait until the document is expired, evaluate 5 times", for
//! each [`Refresh`] policy, without a runtime (`futures_executor::block_on`) and on a
//! multi-threaded tokio runtime.
//!
//! ```sh
//! cargo run --release -p ff-bench --example refresh_latency
//! ```
//!
//! Expected: with `Refresh::Background` every evaluation after expiry takes microseconds;
//! with `Refresh::Blocking` the first one of each round waits for the fetch (~200 ms).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ff_runtime::{FeatureFlags, Refresh, StoreError, StoreProvider, Value};

const FETCH: Duration = Duration::from_millis(200);
const MAX_AGE: Duration = Duration::from_millis(100);
const ROUNDS: usize = 10;

/// A store that takes [`FETCH`] per fetch and serves a new document each time.
struct SlowStore {
    fetches: AtomicU64,
    tokio: bool,
}

impl StoreProvider for SlowStore {
    async fn get_raw_configuration(&self) -> Result<Arc<Value>, StoreError> {
        let n = self.fetches.fetch_add(1, Ordering::SeqCst);
        if self.tokio {
            tokio::time::sleep(FETCH).await;
        } else {
            std::thread::sleep(FETCH);
        }
        let json = format!(r#"{{"on": {{"default": {}}}, "version": {{"boolean_type": false, "default": {n}}}}}"#, n.is_multiple_of(2));
        Ok(Arc::new(Value::from_json(&json).expect("JSON")))
    }
}

/// The first evaluation's time, and the times of every evaluation after expiry.
async fn measure(refresh: Refresh, tokio: bool, sleep: impl Fn(Duration) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>) -> (Duration, Vec<Duration>) {
    let store = SlowStore { fetches: AtomicU64::new(0), tokio };
    let flags = FeatureFlags::builder(store).max_age(MAX_AGE).refresh(refresh).build();
    let start = Instant::now();
    flags.evaluate("on", &(), false).await.expect("a document");
    let first = start.elapsed();
    let mut after = Vec::new();
    for _ in 0..ROUNDS {
        // A fetch started last round has ended (200 ms) and its document is expired (100 ms).
        sleep(FETCH + MAX_AGE + Duration::from_millis(50)).await;
        for _ in 0..5 {
            let start = Instant::now();
            flags.evaluate("on", &(), false).await.expect("a document");
            after.push(start.elapsed());
        }
    }
    (first, after)
}

fn report(what: &str, (first, mut after): (Duration, Vec<Duration>)) {
    after.sort();
    let median = after[after.len() / 2];
    let max = *after.last().expect("measured");
    println!("| {what} | {first:.1?} | {median:.1?} | {max:.1?} |");
}

fn main() {
    println!("| policy, executor | first evaluation (no document) | median after expiry | slowest after expiry ({} evaluations) |", ROUNDS * 5);
    println!("| --- | --- | --- | --- |");
    let std_sleep = |d: Duration| -> std::pin::Pin<Box<dyn std::future::Future<Output = ()>>> {
        std::thread::sleep(d);
        Box::pin(std::future::ready(()))
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_time().build().expect("a runtime");
    let tokio_sleep = |d: Duration| -> std::pin::Pin<Box<dyn std::future::Future<Output = ()>>> { Box::pin(tokio::time::sleep(d)) };
    for refresh in [Refresh::Background, Refresh::Blocking] {
        report(&format!("{refresh:?}, futures_executor::block_on"), futures_executor::block_on(measure(refresh, false, std_sleep)));
        report(&format!("{refresh:?}, tokio multi-thread"), runtime.block_on(measure(refresh, true, tokio_sleep)));
    }
}
