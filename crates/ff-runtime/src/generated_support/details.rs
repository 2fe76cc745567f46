//! Support for the generated `*_details` accessors: the typed read of
//! `super::read_typed`/`super::read_native`, with why ([`Details`]). Allocates nothing on
//! any path: the messages are static, the variant borrows the document (or, for `Flags`,
//! the compiled-in document), the version is shared.

use crate::clock::Now;
use crate::document::{Document, Feature, Layout};
use crate::eval::context::Context;
use crate::eval::details::{Details, ErrorKind, EvaluationError};
use crate::flags::{EventValue, Observer, Snapshot};
use crate::value::Value;

use super::{by_name, report_missing, report_mistyped, Drift, FlagValue};

const MISSING: &str = "the live document has no such feature: the compiled-in default applies";
const MISTYPED: &str = "the live document gives the feature a value of another type than the compiled-in one: the compiled-in default applies";

/// The error of a read without a snapshot (static messages: nothing allocated).
fn unserved(kind: ErrorKind) -> EvaluationError {
    let message = match kind {
        ErrorKind::ParseError => "the store's document is invalid and no good one is in force: the compiled-in default applies",
        ErrorKind::ProviderNotReady => "no feature flags document could be fetched yet: the compiled-in default applies",
        _ => "the store refused access: the compiled-in default applies",
    };
    EvaluationError::new(kind, message)
}

/// [`super::read_typed`] with why. `default` gives the compiled-in default.
#[inline]
#[allow(clippy::too_many_arguments)]
pub fn details_typed<'a, T: FlagValue<'a>, C: Context + ?Sized, const N: usize>(
    snapshot: Result<&'a Snapshot, ErrorKind>,
    ctx: &C,
    drift: &Drift<N>,
    layout: &'static Layout,
    index: usize,
    name: &str,
    default: impl FnOnce() -> T,
) -> Details<'a, T> {
    details_native(snapshot, ctx, drift, layout, index, name, default, None::<fn(&C) -> Option<(T, Option<usize>)>>)
}

/// [`super::read_native`] with why: `native` (the generated code's own evaluation, giving
/// the value and the index of the matched rule) serves while the live feature is exactly
/// the compiled one.
#[inline]
#[allow(clippy::too_many_arguments)]
pub fn details_native<'a, T: FlagValue<'a>, C: Context + ?Sized, const N: usize>(
    snapshot: Result<&'a Snapshot, ErrorKind>,
    ctx: &C,
    drift: &Drift<N>,
    layout: &'static Layout,
    index: usize,
    name: &str,
    default: impl FnOnce() -> T,
    native: Option<impl FnOnce(&C) -> Option<(T, Option<usize>)>>,
) -> Details<'a, T> {
    match snapshot.ok().and_then(Snapshot::observer) {
        None => details_quiet(snapshot, ctx, drift, layout, index, name, default, native),
        Some(observer) => details_observed(observer, snapshot, ctx, drift, layout, index, name, default, native),
    }
}

/// [`details_native`] when the evaluation is observed: out of line, so that the path
/// without an observer stays as it was (the details built in place, no extra copy).
#[cold]
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn details_observed<'a, T: FlagValue<'a>, C: Context + ?Sized, const N: usize>(
    observer: &Observer,
    snapshot: Result<&'a Snapshot, ErrorKind>,
    ctx: &C,
    drift: &Drift<N>,
    layout: &'static Layout,
    index: usize,
    name: &str,
    default: impl FnOnce() -> T,
    native: Option<impl FnOnce(&C) -> Option<(T, Option<usize>)>>,
) -> Details<'a, T> {
    let details = details_quiet(snapshot, ctx, drift, layout, index, name, default, native);
    observer.record(name, &details, details.value.event_value());
    details
}

/// [`details_native`] without recording the evaluation (the observer's event and count).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub(super) fn details_quiet<'a, T: FlagValue<'a>, C: Context + ?Sized, const N: usize>(
    snapshot: Result<&'a Snapshot, ErrorKind>,
    ctx: &C,
    drift: &Drift<N>,
    layout: &'static Layout,
    index: usize,
    name: &str,
    default: impl FnOnce() -> T,
    native: Option<impl FnOnce(&C) -> Option<(T, Option<usize>)>>,
) -> Details<'a, T> {
    let snapshot = match snapshot {
        Ok(snapshot) => snapshot,
        Err(kind) => return Details::error(default(), unserved(kind)),
    };
    let Some(document) = snapshot.document() else {
        return Details::error(default(), unserved(ErrorKind::ProviderNotReady));
    };
    let (feature, slots) = match document.resolve(layout) {
        Some(resolved) => {
            let feature = resolved.position(index).map(|p| &document.features()[p]);
            if let (true, Some(native), Some(feature)) = (resolved.is_native(index), native, feature) {
                if let Some((value, rule)) = native(ctx) {
                    let details = Details::evaluated(value, feature.reason_for(rule), rule.map(|i| (i, feature.rules[i].name.as_str())));
                    return finish(snapshot, details);
                }
            }
            (feature, &resolved.slots[..])
        }
        None => (by_name(document, index, name), &[][..]),
    };
    details_in(snapshot, document, feature, ctx, slots, drift, index, name, default)
}

#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn details_in<'a, T: FlagValue<'a>, C: Context + ?Sized, const N: usize>(
    snapshot: &'a Snapshot,
    document: &'a Document,
    feature: Option<&'a Feature>,
    ctx: &C,
    slots: &[u16],
    drift: &Drift<N>,
    index: usize,
    name: &str,
    default: impl FnOnce() -> T,
) -> Details<'a, T> {
    let Some(feature) = feature else {
        report_missing(drift, document, index, name);
        return Details::error(default(), EvaluationError::new(ErrorKind::FlagNotFound, MISSING)).with_version(snapshot.version());
    };
    let details = feature.evaluate_details_with(ctx, slots, &mut Now::new(snapshot.clock()));
    match T::from_value(details.value) {
        Some(typed) => finish(snapshot, details.map(|_| typed)),
        None => {
            report_mistyped(drift, document, index, name, T::TYPE, details.value);
            Details::error(default(), EvaluationError::new(ErrorKind::TypeMismatch, MISTYPED)).with_version(snapshot.version())
        }
    }
}

/// The snapshot's version, and `STALE` when its refresh failed.
#[inline(always)]
fn finish<'a, T>(snapshot: &'a Snapshot, details: Details<'a, T>) -> Details<'a, T> {
    let details = details.with_version(snapshot.version());
    if snapshot.is_stale() {
        details.stale()
    } else {
        details
    }
}

/// [`super::read_serde`] with why: a value that does not deserialize into `T` is a
/// `TYPE_MISMATCH` (and drift, reported once per document).
pub fn details_serde<'a, T: serde::de::DeserializeOwned, C: Context + ?Sized, const N: usize>(
    snapshot: Result<&'a Snapshot, ErrorKind>,
    ctx: &C,
    drift: &Drift<N>,
    layout: &'static Layout,
    index: usize,
    name: &str,
    default: impl FnOnce() -> T,
) -> Details<'a, T> {
    static NULL: Value = Value::Null;
    let details = details_quiet::<&Value, C, N>(snapshot, ctx, drift, layout, index, name, || &NULL, None::<fn(&C) -> Option<(&'a Value, Option<usize>)>>);
    let details = serde_in(details, snapshot, drift, index, name, default);
    if let Some(observer) = snapshot.ok().and_then(Snapshot::observer) {
        observer.record(name, &details.0, details.1.map_or(EventValue::None, EventValue::of));
    }
    details.0
}

/// [`details_serde`]'s conversion, giving the JSON value the event carries too (none for
/// the compiled-in default).
fn serde_in<'a, T: serde::de::DeserializeOwned, const N: usize>(
    details: Details<'a, &'a Value>,
    snapshot: Result<&'a Snapshot, ErrorKind>,
    drift: &Drift<N>,
    index: usize,
    name: &str,
    default: impl FnOnce() -> T,
) -> (Details<'a, T>, Option<&'a Value>) {
    if details.error_details().is_some() {
        return (details.map(|_| default()), None);
    }
    match super::deserialize::<T>(details.value) {
        Ok(typed) => {
            let value = details.value;
            (details.map(|_| typed), Some(value))
        }
        Err(err) => {
            if let Some(document) = snapshot.ok().and_then(Snapshot::document) {
                if drift.first_report(index, document) {
                    tracing::warn!(feature = name, expected = std::any::type_name::<T>(), error = %err, "feature {name:?} has a value in the live document that is not a {}: the compiled-in default applies", std::any::type_name::<T>());
                }
            }
            let version = snapshot.ok().and_then(Snapshot::version);
            (Details::error(default(), EvaluationError::new(ErrorKind::TypeMismatch, MISTYPED)).with_version(version), None)
        }
    }
}

/// Whether evaluations against `snapshot` are observed (evaluation events or the counter):
/// the generated plain accessors then read through their details twin, which records the
/// evaluation. One predictable branch when they are not.
#[inline(always)]
pub fn observed(snapshot: Option<&Snapshot>) -> bool {
    if matches!(snapshot, Some(snapshot) if snapshot.is_observed()) {
        unlikely();
        true
    } else {
        false
    }
}

/// Marks the branch that calls it as rarely taken (the observed path), so that the
/// compiler lays the plain path out first and does not inline the details path into it.
#[cold]
#[inline(never)]
fn unlikely() {}

/// `Flags`' details: the snapshot's details with `'static` life, the variant borrowed from
/// `rules`, the compiled-in rule names of the feature, where the build knew the rule (a copy
/// otherwise, the only allocation), the version shared.
#[inline]
pub fn detach<T>(details: Details<'_, T>, snapshot: Result<&Snapshot, ErrorKind>, rules: &'static [&'static str]) -> Details<'static, T> {
    let lookup = |i: usize, name: &str| -> Option<&'static str> {
        match rules.get(i) {
            Some(rule) if *rule == name => Some(*rule),
            _ => rules.iter().find(|rule| **rule == name).copied(),
        }
    };
    details.detach(lookup, snapshot.ok().and_then(Snapshot::shared_version))
}
