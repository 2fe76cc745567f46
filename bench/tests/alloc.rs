//! Zero heap allocations per evaluation on the typed paths, counted by a global allocator.
//!
//! Allocation counts are deterministic, so unlike speed they are asserted. Each path is run
//! once first (one-time set-up, such as the executor's thread-local waker or resolving a
//! document against the generated code, is not per evaluation), then counted over many
//! evaluations on this thread only.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;

use ff_bench::{typed, typed_context, typed_flags, typed_snapshot};
use futures_executor::block_on;

/// Counts the allocations (and reallocations) made by the current thread.
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn count() {
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        System.realloc(ptr, layout, new_size)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const RUNS: u64 = 1000;

/// Allocations per call of `f`, after one call to warm up.
fn allocations_per_call<R>(mut f: impl FnMut() -> R) -> f64 {
    black_box(f());
    let before = ALLOCATIONS.with(Cell::get);
    for _ in 0..RUNS {
        black_box(f());
    }
    (ALLOCATIONS.with(Cell::get) - before) as f64 / RUNS as f64
}

type Accessor = fn(&typed::FlagsSnapshot, &typed::Context<'_>) -> bool;

const ACCESSORS: [(&str, Accessor); 6] = [
    ("no_rules", typed::FlagsSnapshot::no_rules),
    ("one_equals", typed::FlagsSnapshot::one_equals),
    ("three_by_three", typed::FlagsSnapshot::three_by_three),
    ("rollout", typed::FlagsSnapshot::rollout),
    ("night_window", typed::FlagsSnapshot::night_window),
    ("feature_0999", typed::FlagsSnapshot::feature_0999),
];

#[test]
fn the_counter_counts() {
    assert_eq!(allocations_per_call(|| Box::new(black_box(1u8))), 1.0);
    assert_eq!(allocations_per_call(|| black_box(2u8)), 0.0);
}

#[test]
fn typed_snapshot_accessors_allocate_nothing() {
    let snap = typed_snapshot();
    // The benchmark context, one whose keys are all missing, and one that sets the keys with
    // other types through `Context::with` (built once: building it allocates, reading not).
    let contexts = [
        ("benchmark", typed_context()),
        ("empty", typed::Context::new()),
        ("untyped", typed::Context::new().with("tier", 3).with("region", true).with("basket", "x").with("user_id", 1.5)),
    ];
    for (context, ctx) in &contexts {
        for (feature, accessor) in ACCESSORS {
            let n = allocations_per_call(|| accessor(black_box(&snap), black_box(ctx)));
            assert_eq!(n, 0.0, "{feature} with the {context} context allocates {n} times per evaluation");
        }
    }
}

#[test]
fn typed_async_accessor_with_a_fresh_cache_allocates_nothing() {
    let flags = typed_flags();
    let ctx = typed_context();
    let n = allocations_per_call(|| block_on(black_box(&flags).three_by_three(black_box(&ctx))));
    assert_eq!(n, 0.0, "three_by_three (async) allocates {n} times per evaluation");
    let n = allocations_per_call(|| block_on(black_box(&flags).no_rules(black_box(&ctx))));
    assert_eq!(n, 0.0, "no_rules (async) allocates {n} times per evaluation");
    let n = allocations_per_call(|| block_on(black_box(&flags).snapshot()).one_equals(black_box(&ctx)));
    assert_eq!(n, 0.0, "snapshot() + accessor allocates {n} times per evaluation");
}

#[test]
fn typed_enabled_features_allocates_only_its_result() {
    let snap = typed_snapshot();
    let ctx = typed_context();
    let n = allocations_per_call(|| black_box(&snap).enabled_features(black_box(&ctx)));
    assert!(n <= 1.0, "enabled_features allocates {n} times (more than its result vector)");
}

#[test]
fn typed_setters_of_other_integer_and_string_types_allocate_nothing_per_evaluation() {
    let snap = typed_snapshot();
    let tier = String::from("premium");
    // The benchmark context's values, set from a `&String`, a `u64` and a `usize`.
    let ctx = typed::Context::new().tier(&tier).region("eu-west-1").basket(120u64).user_id(4217usize);
    for (feature, accessor) in ACCESSORS {
        assert_eq!(accessor(&snap, &ctx), accessor(&snap, &typed_context()), "{feature}: the same value as with i64 and &str");
        let n = allocations_per_call(|| accessor(black_box(&snap), black_box(&ctx)));
        assert_eq!(n, 0.0, "{feature} with u64/usize/&String setters allocates {n} times per evaluation");
    }
}

/// The values a generated context serves for list keys set from `&[String]`, `&[Box<str>]`
/// or integers of other types (`ff_runtime::StrSlice`, `IntSlice`, `Integer`), read by the
/// engine without allocating.
#[test]
fn held_lists_and_integers_are_read_without_allocating() {
    use ff_runtime::{Document, FixedClock, IntSlice, Integer, StrSlice, ValueRef};
    struct Held<'a> {
        groups: StrSlice<'a>,
        ids: IntSlice<'a>,
        id: Integer,
    }
    impl ff_runtime::Context for Held<'_> {
        fn get(&self, key: &str) -> Option<ValueRef<'_>> {
            match key {
                "groups" => Some(self.groups.as_value_ref()),
                "ids" => Some(self.ids.as_value_ref()),
                "id" => Some(self.id.as_value_ref()),
                _ => None,
            }
        }
    }
    let document = Document::parse(
        r#"{"f": {"default": false, "rules": {"r": {"when_match": true, "conditions": [
            {"action": "ANY_IN_VALUE", "key": "groups", "value": ["staff"]},
            {"action": "VALUE_IN_KEY", "key": "ids", "value": 18446744073709551615},
            {"action": "KEY_GREATER_THAN_VALUE", "key": "id", "value": 9223372036854775807}]}}}}"#,
    )
    .unwrap();
    let clock = FixedClock(ff_bench::NOW.parse().unwrap());
    let groups: Vec<String> = vec!["beta".into(), "staff".into()];
    let boxed: Vec<Box<str>> = vec!["staff".into()];
    let ids: Vec<u64> = vec![1, u64::MAX];
    for groups in [StrSlice::from(&groups), StrSlice::from(&boxed)] {
        let held = Held { groups, ids: IntSlice::from(&ids), id: Integer::from(u64::MAX) };
        assert_eq!(document.evaluate("f", &held, &clock), Some(&ff_runtime::Value::Bool(true)));
        let n = allocations_per_call(|| document.evaluate("f", black_box(&held), &clock));
        assert_eq!(n, 0.0, "held lists and integers allocate {n} times per evaluation");
    }
}

type DetailsAccessor = for<'a> fn(&'a typed::FlagsSnapshot, &typed::Context<'_>) -> ff_runtime::Details<'a, bool>;

/// Issue 13: the `*_details` twins allocate nothing either (the variant and the version are
/// borrowed from the document, or for `Flags` from the compiled-in rule names and shared).
#[test]
fn typed_details_accessors_allocate_nothing() {
    const DETAILS: [(&str, DetailsAccessor); 6] = [
        ("no_rules", typed::FlagsSnapshot::no_rules_details),
        ("one_equals", typed::FlagsSnapshot::one_equals_details),
        ("three_by_three", typed::FlagsSnapshot::three_by_three_details),
        ("rollout", typed::FlagsSnapshot::rollout_details),
        ("night_window", typed::FlagsSnapshot::night_window_details),
        ("feature_0999", typed::FlagsSnapshot::feature_0999_details),
    ];
    let snap = typed_snapshot();
    let ctx = typed_context();
    for (feature, accessor) in DETAILS {
        let details = accessor(&snap, &ctx);
        assert!(details.version().is_some(), "{feature}: the version is named");
        let n = allocations_per_call(|| accessor(black_box(&snap), black_box(&ctx)).reason());
        assert_eq!(n, 0.0, "{feature}_details allocates {n} times per evaluation");
    }
    let flags = typed_flags();
    let details = block_on(flags.three_by_three_details(&ctx));
    assert!(details.variant().is_some() && details.version().is_some(), "{details:?}");
    let n = allocations_per_call(|| block_on(black_box(&flags).three_by_three_details(black_box(&ctx))));
    assert_eq!(n, 0.0, "three_by_three_details (async) allocates {n} times per evaluation");
    let n = allocations_per_call(|| block_on(black_box(&flags).rollout_details(black_box(&ctx))));
    assert_eq!(n, 0.0, "rollout_details (async) allocates {n} times per evaluation");
}
