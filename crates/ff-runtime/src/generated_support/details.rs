//! Support for the generated `*_details` accessors: the typed read of
//! `super::read_typed`/`super::read_native` (the same walk, `super::walk`), with why
//! ([`Details`]). Allocates nothing on any path: the errors are statics, the variant borrows
//! the document (or the compiled-in rule names), the version is held inline or interned.

use crate::document::Layout;
use crate::eval::context::Context;
use crate::eval::details::{Details, ErrorKind, RareParts, Reason};
use crate::flags::{EventValue, Observer, Snapshot};
use crate::value::Value;

use super::{no_native, walk, Drift, FlagValue, Walk};

const MISSING: &str = "the live document has no such feature: the compiled-in default applies";
const MISTYPED: &str = "the live document gives the feature a value of another type than the compiled-in one: the compiled-in default applies";

static MISSING_ERROR: RareParts = RareParts::error(ErrorKind::FlagNotFound, MISSING);
static MISTYPED_ERROR: RareParts = RareParts::error(ErrorKind::TypeMismatch, MISTYPED);
static PARSE_ERROR: RareParts =
    RareParts::error(ErrorKind::ParseError, "the store's document is invalid and no good one is in force: the compiled-in default applies");
static NOT_READY: RareParts =
    RareParts::error(ErrorKind::ProviderNotReady, "no feature flags document could be fetched yet: the compiled-in default applies");
static REFUSED: RareParts = RareParts::error(ErrorKind::General, "the store refused access: the compiled-in default applies");

/// The error of a read without a document (static: nothing allocated).
fn unserved(kind: ErrorKind) -> &'static RareParts {
    match kind {
        ErrorKind::ParseError => &PARSE_ERROR,
        ErrorKind::ProviderNotReady => &NOT_READY,
        _ => &REFUSED,
    }
}

/// [`super::read_typed`] with why. `default` gives the compiled-in default.
#[inline(always)]
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
    details_native(snapshot, ctx, drift, layout, index, name, default, no_native(), &[])
}

/// [`super::read_native`] with why: `native` (the generated code's own evaluation, giving
/// the value and the index of the matched rule) serves while the live feature is exactly
/// the compiled one, whose rules' names and reasons (`TARGETING_MATCH` or `SPLIT`) are
/// `rules`.
#[inline(always)]
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
    rules: &'static [(&'static str, Reason)],
) -> Details<'a, T> {
    let snapshot = match snapshot {
        Ok(snapshot) => snapshot,
        Err(kind) => return Details::static_error(default(), unserved(kind)),
    };
    match snapshot.observer() {
        None => details_of(walk(snapshot, ctx, drift, Some(layout), index, name, native), snapshot, rules, default),
        Some(observer) => details_observed(observer, snapshot, ctx, drift, layout, index, name, default, native, rules),
    }
}

/// [`details_typed`] without recording the evaluation (the observer's event and count), for
/// the reads that record what they finally serve (the AppConfig flag structs, `flag_struct`).
#[allow(clippy::too_many_arguments)]
pub(super) fn details_quiet<'a, T: FlagValue<'a>, C: Context + ?Sized, const N: usize>(
    snapshot: Result<&'a Snapshot, ErrorKind>,
    ctx: &C,
    drift: &Drift<N>,
    layout: &'static Layout,
    index: usize,
    name: &str,
    default: impl FnOnce() -> T,
) -> Details<'a, T> {
    let snapshot = match snapshot {
        Ok(snapshot) => snapshot,
        Err(kind) => return Details::static_error(default(), unserved(kind)),
    };
    details_of(walk(snapshot, ctx, drift, Some(layout), index, name, no_native()), snapshot, &[], default)
}

/// [`details_native`] when the evaluation is observed: out of line, so that the path
/// without an observer stays as it was (the details built in place, no extra copy).
#[cold]
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn details_observed<'a, T: FlagValue<'a>, C: Context + ?Sized, const N: usize>(
    observer: &Observer,
    snapshot: &'a Snapshot,
    ctx: &C,
    drift: &Drift<N>,
    layout: &'static Layout,
    index: usize,
    name: &str,
    default: impl FnOnce() -> T,
    native: Option<impl FnOnce(&C) -> Option<(T, Option<usize>)>>,
    rules: &'static [(&'static str, Reason)],
) -> Details<'a, T> {
    let details = details_of(walk(snapshot, ctx, drift, Some(layout), index, name, native), snapshot, rules, default);
    observer.record_typed(layout, index, name, &details, details.value.event_value());
    details
}

/// The details of what [`walk`] found: the reason and variant of the matched rule (of the
/// live feature, or for a native evaluation of `rules`, the compiled-in ones), the
/// snapshot's version, `STALE` when its refresh failed; a static error otherwise.
#[inline(always)]
fn details_of<'a, T>(walk: Walk<'a, T>, snapshot: &'a Snapshot, rules: &'static [(&'static str, Reason)], default: impl FnOnce() -> T) -> Details<'a, T> {
    let (value, reason, variant) = match walk {
        Walk::Found { value, feature, rule } => {
            (value, feature.reason_for(rule), rule.and_then(|i| Some((i, feature.rules.get(i)?.name.as_str()))))
        }
        Walk::Native { value, rule: Some(i), .. } => match rules.get(i) {
            Some(&(variant, reason)) => (value, reason, Some((i, variant))),
            // Not reached: the native evaluation gives the index of a compiled-in rule.
            None => (value, Reason::TargetingMatch, None),
        },
        Walk::Native { value, rule: None, .. } => (value, if rules.is_empty() { Reason::Static } else { Reason::Default }, None),
        Walk::NoDocument => return Details::static_error(default(), unserved(snapshot.refused().unwrap_or(ErrorKind::ProviderNotReady))),
        Walk::Missing => return Details::static_error(default(), &MISSING_ERROR).with_version_of(snapshot.held_version()),
        Walk::Mistyped => return Details::static_error(default(), &MISTYPED_ERROR).with_version_of(snapshot.held_version()),
    };
    let reason = if snapshot.is_stale() { Reason::Stale } else { reason };
    Details::evaluated(value, reason, variant).with_version_of(snapshot.held_version())
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
    let details = match snapshot {
        Ok(snapshot) => details_of(walk(snapshot, ctx, drift, Some(layout), index, name, no_native()), snapshot, &[], || &NULL),
        Err(kind) => Details::static_error(&NULL, unserved(kind)),
    };
    let details = serde_in(details, snapshot, drift, index, name, default);
    if let Some(observer) = snapshot.ok().and_then(Snapshot::observer) {
        observer.record_typed(layout, index, name, &details.0, details.1.map_or(EventValue::None, EventValue::of));
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
            let version = snapshot.ok().and_then(Snapshot::held_version);
            (Details::static_error(default(), &MISTYPED_ERROR).with_version_of(version), None)
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

/// Calls `f` out of line: the observed branch of a generated plain read (which reads through
/// the details twin), so that the details path, inlined into `f`, does not take registers
/// from the plain path.
#[cold]
#[inline(never)]
pub fn out_of_line<R>(f: impl FnOnce() -> R) -> R {
    f()
}

/// Marks the branch that calls it as rarely taken (the observed path), so that the
/// compiler lays the plain path out first and does not inline the details path into it.
#[cold]
#[inline(never)]
fn unlikely() {}

/// `Flags`' details: the snapshot's details with `'static` life, the variant borrowed from
/// `rules`, the compiled-in rule names of the feature, where the build knew the rule (a copy
/// otherwise, the only allocation), the version held inline or interned (no reference
/// count).
#[inline(always)]
pub fn detach<T>(details: Details<'_, T>, snapshot: Result<&Snapshot, ErrorKind>, rules: &'static [(&'static str, Reason)]) -> Details<'static, T> {
    let lookup = |i: usize, name: &str| -> Option<&'static str> {
        match rules.get(i) {
            // The same string (a native evaluation's variant), or the same text.
            Some(&(rule, _)) if std::ptr::eq(rule, name) || rule == name => Some(rule),
            _ => rules.iter().map(|&(rule, _)| rule).find(|rule| *rule == name),
        }
    };
    details.detach(lookup, snapshot.ok().and_then(Snapshot::held_version))
}
