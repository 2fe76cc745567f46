//! Opt-in observability of evaluations ([`FeatureFlagsBuilder::evaluation_events`],
//! [`FeatureFlagsBuilder::evaluation_counter`]): one `tracing` event per evaluation, named
//! and shaped as OpenTelemetry's `feature_flag.evaluation` event, and a count per feature
//! and [`Reason`].
//!
//! Both hang off the [`Snapshot`] an evaluation reads (`Snapshot::observer`, `None` when
//! both are off): an evaluation that finds `None` pays one predictable branch and nothing
//! else. The recording itself is out of line (`#[cold]`), so that it does not grow the
//! accessors it is called from.
//!
//! The event never carries a context value (contexts hold personal data): only the
//! feature's name, the result (value, variant, reason), the store and the document's
//! version, and the error's kind and message (which name no context value either).
//!
//! [`FeatureFlagsBuilder::evaluation_events`]: super::FeatureFlagsBuilder::evaluation_events
//! [`FeatureFlagsBuilder::evaluation_counter`]: super::FeatureFlagsBuilder::evaluation_counter
//! [`Snapshot`]: super::Snapshot

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use thread_local::ThreadLocal;

use crate::document::Layout;
use crate::eval::details::{Details, Reason};
use crate::value::Value;

/// The `tracing` target of the evaluation events (filter on it, e.g.
/// `ff_runtime::evaluation=info`).
pub const EVALUATION_TARGET: &str = "ff_runtime::evaluation";

/// The name of the evaluation events: OpenTelemetry's event name.
pub const EVALUATION_EVENT: &str = "feature_flag.evaluation";

/// What an observed [`Snapshot`](super::Snapshot) records.
pub(crate) struct Observer {
    /// Whether to emit `feature_flag.evaluation` events.
    events: bool,
    /// `feature_flag.set.id`: the store's location ([`crate::StoreProvider::location`]).
    set_id: Arc<str>,
    /// The evaluation counter, when enabled.
    counter: Option<Counter>,
}

impl Observer {
    /// An observer, or `None` when neither events nor the counter are wanted.
    pub(crate) fn new(events: bool, counter: bool, set_id: String) -> Option<Arc<Observer>> {
        (events || counter).then(|| Arc::new(Observer { events, set_id: Arc::from(set_id), counter: counter.then(Counter::default) }))
    }

    /// The counter, when enabled.
    pub(crate) fn counter(&self) -> Option<&Counter> {
        self.counter.as_ref()
    }

    /// Records one evaluation of feature `key` that gave `details` (`value`: the value as
    /// the event carries it).
    #[cold]
    #[inline(never)]
    pub(crate) fn record<T>(&self, key: &str, details: &Details<'_, T>, value: EventValue<'_>) {
        if let Some(counter) = &self.counter {
            counter.add(key, details.reason());
        }
        if self.events {
            self.emit(key, details, value);
        }
    }

    /// [`Observer::record`] for a typed accessor: feature `key` is compiled index `index` of
    /// `layout`, which the counter counts by (no hashing).
    #[cold]
    #[inline(never)]
    pub(crate) fn record_typed<T>(&self, layout: &'static Layout, index: usize, key: &str, details: &Details<'_, T>, value: EventValue<'_>) {
        if let Some(counter) = &self.counter {
            counter.add_typed(layout, index, key, details.reason());
        }
        if self.events {
            self.emit(key, details, value);
        }
    }

    fn emit<T>(&self, key: &str, details: &Details<'_, T>, value: EventValue<'_>) {
        let reason = details.reason().as_otel_str();
        let error_type = details.error_details().map(|e| e.kind.as_otel_str());
        let error_message = details.error_details().map(|e| &*e.message);
        let (variant, version, set_id) = (details.variant(), details.version(), &*self.set_id);
        // One event per value type, so that each keeps its type (an OpenTelemetry bool,
        // int, double or string attribute).
        macro_rules! event {
            ($value:expr) => {
                tracing::event!(
                    name: EVALUATION_EVENT,
                    target: EVALUATION_TARGET,
                    tracing::Level::INFO,
                    feature_flag.key = key,
                    feature_flag.result.value = $value,
                    feature_flag.result.variant = variant,
                    feature_flag.result.reason = reason,
                    feature_flag.provider.name = "ff",
                    feature_flag.set.id = set_id,
                    feature_flag.version = version,
                    error.type = error_type,
                    feature_flag.error.message = error_message,
                    "feature flag evaluated"
                )
            };
        }
        match value {
            EventValue::Bool(b) => event!(b),
            EventValue::I64(n) => event!(n),
            EventValue::F64(x) => event!(x),
            EventValue::Str(s) => event!(s),
            EventValue::Json(v) => event!(tracing::field::display(v)),
            EventValue::None => event!(None::<&str>),
        }
    }
}

/// A value as the event carries it (`feature_flag.result.value`): booleans, integers
/// (within `i64`), floats and strings as themselves, other JSON values (and bigger
/// integers) as their compact JSON text.
#[derive(Clone, Copy, Debug)]
pub enum EventValue<'a> {
    /// A boolean.
    Bool(bool),
    /// An integer.
    I64(i64),
    /// A float.
    F64(f64),
    /// A string.
    Str(&'a str),
    /// Any other JSON value (an object, an array, `null`, a big number), as compact JSON.
    Json(&'a Value),
    /// No value (a user-named `serde` type whose compiled-in default was served).
    None,
}

impl<'a> EventValue<'a> {
    /// The event value of a document value.
    pub fn of(value: &'a Value) -> EventValue<'a> {
        match value {
            Value::Bool(b) => EventValue::Bool(*b),
            Value::String(s) => EventValue::Str(s),
            _ => match value.as_i64() {
                Some(n) => EventValue::I64(n),
                None => match value {
                    // Integers past `i64` stay exact, as JSON text.
                    Value::Number(n) if !n.is_integer() => value.as_f64().map_or(EventValue::Json(value), EventValue::F64),
                    _ => EventValue::Json(value),
                },
            },
        }
    }
}

/// The evaluation counter, per thread so that threads never write a shared cache line:
/// the typed accessors count in a table by compiled feature index (of the first generated
/// layout the thread counts for: one per program as a rule), written only by its own thread
/// with a relaxed load and store (no lock, no read-modify-write); everything else (the
/// dynamic API, another layout) in a map from feature name behind a mutex that only its own
/// thread locks while counting. [`Counter::counts`] sums every thread's.
#[derive(Default)]
pub(crate) struct Counter {
    local: ThreadLocal<Local>,
}

/// One thread's counts.
#[derive(Default)]
struct Local {
    typed: OnceLock<Typed>,
    named: Mutex<Counts>,
}

/// One thread's counts of the typed accessors of `layout`: per compiled index, one count
/// per [`Reason`] (by [`Reason::index`]).
struct Typed {
    layout: &'static Layout,
    counts: Box<[[AtomicU64; 6]]>,
}

/// One thread's counts by feature name: one count per [`Reason`] (by [`Reason::index`]).
type Counts = HashMap<Box<str>, [u64; 6], foldhash::fast::RandomState>;

impl Counter {
    /// Counts one evaluation of `key` with `reason`.
    fn add(&self, key: &str, reason: Reason) {
        Counter::add_named(self.local.get_or_default(), key, reason);
    }

    fn add_named(local: &Local, key: &str, reason: Reason) {
        let mut counts = local.named.lock().unwrap_or_else(PoisonError::into_inner);
        match counts.get_mut(key) {
            Some(row) => row[reason.index()] += 1,
            None => {
                let mut row = [0; 6];
                row[reason.index()] = 1;
                counts.insert(key.into(), row);
            }
        }
    }

    /// Counts one evaluation of `key`, compiled index `index` of `layout`, with `reason`.
    fn add_typed(&self, layout: &'static Layout, index: usize, key: &str, reason: Reason) {
        let local = self.local.get_or_default();
        let typed = local.typed.get_or_init(|| Typed { layout, counts: layout.features().iter().map(|_| Default::default()).collect() });
        match typed.counts.get(index) {
            Some(row) if std::ptr::eq(typed.layout, layout) => {
                // Only this thread writes this count: a plain increment, atomic only so that
                // `counts` may read it from another thread.
                let count = &row[reason.index()];
                count.store(count.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
            }
            _ => Counter::add_named(local, key, reason),
        }
    }

    /// Every count so far, summed over threads: `(feature, reason, count)` for each
    /// non-zero count, sorted by feature then reason.
    pub(crate) fn counts(&self) -> Vec<(String, Reason, u64)> {
        let mut total: HashMap<&str, [u64; 6]> = HashMap::new();
        fn add<'k>(total: &mut HashMap<&'k str, [u64; 6]>, key: &'k str, row: [u64; 6]) {
            let sum = total.entry(key).or_insert([0; 6]);
            for (s, n) in sum.iter_mut().zip(row) {
                *s += n;
            }
        }
        for typed in self.local.iter().filter_map(|local| local.typed.get()) {
            for (key, row) in typed.layout.features().iter().zip(typed.counts.iter()) {
                add(&mut total, key, row.each_ref().map(|count| count.load(Ordering::Relaxed)));
            }
        }
        let guards: Vec<_> = self.local.iter().map(|local| local.named.lock().unwrap_or_else(PoisonError::into_inner)).collect();
        for counts in &guards {
            for (key, row) in counts.iter() {
                add(&mut total, key, *row);
            }
        }
        let mut out: Vec<(String, Reason, u64)> = total
            .into_iter()
            .flat_map(|(key, row)| Reason::ALL.into_iter().filter(move |r| row[r.index()] > 0).map(move |r| (key.to_owned(), r, row[r.index()])))
            .collect();
        out.sort_by(|a, b| (&a.0, a.1.index()).cmp(&(&b.0, b.1.index())));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flags::FeatureFlags;
    use crate::store::MemoryStore;
    use futures_executor::block_on;
    use serde_json::json;

    #[test]
    fn counts_sum_over_threads_per_feature_and_reason() {
        let store = MemoryStore::from_json(
            r#"{"plain": {"default": true}, "gold": {"default": false, "rules": {"r": {"when_match": true,
                "conditions": [{"action": "EQUALS", "key": "tier", "value": "gold"}]}}}}"#,
        )
        .unwrap();
        let flags = FeatureFlags::builder(store).evaluation_counter(true).build();
        std::thread::scope(|s| {
            for _ in 0..3 {
                s.spawn(|| {
                    for i in 0..10 {
                        let tier = if i % 2 == 0 { "gold" } else { "silver" };
                        block_on(flags.evaluate("gold", &json!({"tier": tier}), false)).unwrap();
                        block_on(flags.evaluate_details("plain", &json!({}), false));
                    }
                });
            }
        });
        block_on(flags.evaluate("absent", &json!({}), false)).unwrap();
        assert_eq!(
            flags.evaluation_counts(),
            [
                ("absent".to_owned(), Reason::Error, 1),
                ("gold".to_owned(), Reason::TargetingMatch, 15),
                ("gold".to_owned(), Reason::Default, 15),
                ("plain".to_owned(), Reason::Static, 30),
            ]
        );
    }

    #[test]
    fn off_counts_nothing() {
        let flags = FeatureFlags::new(MemoryStore::from_json(r#"{"plain": {"default": true}}"#).unwrap());
        block_on(flags.evaluate("plain", &json!({}), false)).unwrap();
        assert!(flags.evaluation_counts().is_empty());
        let only_events = FeatureFlags::builder(MemoryStore::from_json(r#"{"plain": {"default": true}}"#).unwrap()).evaluation_events(true).build();
        block_on(only_events.evaluate("plain", &json!({}), false)).unwrap();
        assert!(only_events.evaluation_counts().is_empty());
    }

    #[test]
    fn event_values_keep_their_type() {
        let v = |s: &str| Value::from_json(s).unwrap();
        assert!(matches!(EventValue::of(&v("true")), EventValue::Bool(true)));
        assert!(matches!(EventValue::of(&v("-3")), EventValue::I64(-3)));
        assert!(matches!(EventValue::of(&v("2.5")), EventValue::F64(x) if x == 2.5));
        assert!(matches!(EventValue::of(&v(r#""on""#)), EventValue::Str("on")));
        assert!(matches!(EventValue::of(&v(r#"{"a": [1]}"#)), EventValue::Json(_)));
        assert!(matches!(EventValue::of(&v("null")), EventValue::Json(Value::Null)));
        let big = v("271828182845904523536028747135");
        assert!(matches!(EventValue::of(&big), EventValue::Json(_)));
    }
}
