//! Support for the structs generated from an AppConfig feature flags document (the stored
//! `AWS.AppConfig.FeatureFlags` format, see [`crate::native`]): one struct per flag, with
//! `enabled` and one typed field per attribute.
//!
//! At run time each flag is a feature of the translated document whose value is the object
//! `{"enabled": e, ATTR: v, …}` ([`crate::native::to_powertools`]). The generated struct is
//! read from that object **field by field**, and never panics:
//!
//! * an attribute the live object has with the compiled type is read;
//! * a required attribute it lacks (the retrieval format drops the attributes of a disabled
//!   flag) keeps its compiled-in value; an optional one is `None` (an explicit `null` too);
//! * an attribute of another type (a string where the build saw numbers, a string outside a
//!   generated enum) keeps its compiled-in value, and the read is a `TYPE_MISMATCH` in the
//!   `*_details` accessors (the value then holds the live attributes, each mistyped one
//!   replaced by its compiled-in value), reported with `tracing::warn!` once per document
//!   and flag, as the Powertools typed accessors report a mistyped feature;
//! * a flag whose live value is not an object, or that the live document lacks, gives the
//!   compiled-in struct (`Default`), as the Powertools typed accessors give the compiled-in
//!   default (`TYPE_MISMATCH` and `FLAG_NOT_FOUND` in the details).

use std::cell::Cell;

use crate::eval::context::Context;
use crate::eval::details::{Details, ErrorKind, EvaluationError};
use crate::flags::{EventValue, Snapshot};
use crate::value::{Map, Value};

use super::{details, read_typed, Drift, Layout};

/// A Rust type an attribute of a generated flag struct is read as.
pub trait AttributeValue: Sized {
    /// The value as this type; `None` when it has another JSON type (or, for a generated
    /// enum, is a string the build did not see).
    fn from_attribute(value: &Value) -> Option<Self>;
    /// The value as JSON (for `FlagsForTests`).
    fn to_attribute(&self) -> Value;
}

impl AttributeValue for bool {
    fn from_attribute(value: &Value) -> Option<bool> {
        value.as_bool()
    }
    fn to_attribute(&self) -> Value {
        Value::Bool(*self)
    }
}

impl AttributeValue for i64 {
    /// Integers within `i64` only (`2.5` and `2.0` are not).
    fn from_attribute(value: &Value) -> Option<i64> {
        value.as_i64()
    }
    fn to_attribute(&self) -> Value {
        Value::from(*self)
    }
}

impl AttributeValue for f64 {
    /// Any number (integers are converted), not booleans.
    fn from_attribute(value: &Value) -> Option<f64> {
        value.as_f64()
    }
    fn to_attribute(&self) -> Value {
        Value::from(*self)
    }
}

impl AttributeValue for String {
    fn from_attribute(value: &Value) -> Option<String> {
        value.as_str().map(str::to_owned)
    }
    fn to_attribute(&self) -> Value {
        Value::String(self.clone())
    }
}

impl AttributeValue for Value {
    /// Any value (an attribute without constraints).
    fn from_attribute(value: &Value) -> Option<Value> {
        Some(value.clone())
    }
    fn to_attribute(&self) -> Value {
        self.clone()
    }
}

impl<T: AttributeValue> AttributeValue for Vec<T> {
    /// An array whose every element reads as `T`.
    fn from_attribute(value: &Value) -> Option<Vec<T>> {
        value.as_array()?.iter().map(T::from_attribute).collect()
    }
    fn to_attribute(&self) -> Value {
        Value::Array(self.iter().map(T::to_attribute).collect())
    }
}

/// A struct generated for an AppConfig flag. Its `Default` is the compiled-in values.
pub trait FlagStruct: Default {
    /// Reads the struct from the live flag object, field by field ([`FlagObject`]).
    fn from_flag(flag: &FlagObject<'_>) -> Self;
    /// The flag object (`{"enabled": e, ATTR: v, …}`), `None` fields left out.
    fn to_flag(&self) -> Value;
    /// The struct's `enabled` field.
    fn enabled(&self) -> bool;
}

/// A live flag object being read into a generated struct: remembers the first attribute
/// whose live value did not have the compiled type.
pub struct FlagObject<'a> {
    map: &'a Map,
    mismatched: Cell<Option<&'static str>>,
}

impl<'a> FlagObject<'a> {
    /// Reads `map`, the live flag's object.
    pub fn new(map: &'a Map) -> FlagObject<'a> {
        FlagObject { map, mismatched: Cell::new(None) }
    }

    /// A required attribute (and `enabled`): the live value; `compiled` when the object
    /// lacks it or gives it another type (recorded as a mismatch).
    pub fn required<T: AttributeValue>(&self, key: &'static str, compiled: T) -> T {
        match self.map.get(key) {
            None => compiled,
            Some(value) => T::from_attribute(value).unwrap_or_else(|| {
                self.mismatch(key);
                compiled
            }),
        }
    }

    /// An optional attribute: the live value; `None` when the object lacks it or has `null`;
    /// `compiled` when it has another type (recorded as a mismatch).
    pub fn optional<T: AttributeValue>(&self, key: &'static str, compiled: Option<T>) -> Option<T> {
        match self.map.get(key) {
            None | Some(Value::Null) => None,
            Some(value) => match T::from_attribute(value) {
                Some(typed) => Some(typed),
                None => {
                    self.mismatch(key);
                    compiled
                }
            },
        }
    }

    /// The first attribute read whose live value had another type.
    pub fn mismatched(&self) -> Option<&'static str> {
        self.mismatched.get()
    }

    fn mismatch(&self, key: &'static str) {
        if self.mismatched.get().is_none() {
            self.mismatched.set(Some(key));
        }
    }
}

/// Reads a live flag value into `T`: the struct and the first mistyped attribute; `None`
/// when the value is not an object.
pub fn flag_from_value<T: FlagStruct>(value: &Value) -> Option<(T, Option<&'static str>)> {
    let flag = FlagObject::new(value.as_object()?);
    let typed = T::from_flag(&flag);
    Some((typed, flag.mismatched()))
}

/// The flag object of a struct, for `FlagsForTests`: `{"enabled": e, ATTR: v, …}` from
/// `(key, value)` pairs, `None` values left out.
pub fn flag_object<'k>(fields: impl IntoIterator<Item = (&'k str, Option<Value>)>) -> Value {
    let map: Map = fields.into_iter().filter_map(|(key, value)| Some((key.to_owned(), value?))).collect();
    Value::from(map)
}

/// `enabled_features`: a generated flag counts when its `enabled` field is true.
pub fn flag_enabled<T: FlagStruct>(value: &T) -> bool {
    value.enabled()
}

/// The generated plain accessor of an AppConfig flag: `None` when the compiled-in struct
/// applies (no document, no such flag, a value that is not an object: drift, reported once
/// per document and flag); otherwise the struct read field by field, a mistyped attribute
/// reported the same way.
pub fn read_flag<T: FlagStruct, C: Context + ?Sized, const N: usize>(
    snapshot: Option<&Snapshot>,
    ctx: &C,
    drift: &Drift<N>,
    layout: &'static Layout,
    index: usize,
    name: &str,
) -> Option<T> {
    let value: &Value = read_typed(snapshot, ctx, drift, layout, index, name)?;
    match flag_from_value::<T>(value) {
        Some((typed, None)) => Some(typed),
        Some((typed, Some(attribute))) => {
            report_attribute(snapshot, drift, index, name, attribute, value);
            Some(typed)
        }
        None => {
            report_not_object(snapshot, drift, index, name, value);
            None
        }
    }
}

/// The generated `*_details` accessor of an AppConfig flag: as [`read_flag`], with why. A
/// mistyped attribute gives `ERROR`/`TYPE_MISMATCH` naming it, with the struct read field by
/// field (the mistyped field compiled-in).
pub fn details_flag<'a, T: FlagStruct, C: Context + ?Sized, const N: usize>(
    snapshot: Result<&'a Snapshot, ErrorKind>,
    ctx: &C,
    drift: &Drift<N>,
    layout: &'static Layout,
    index: usize,
    name: &str,
) -> Details<'a, T> {
    static NULL: Value = Value::Null;
    let raw = details::details_quiet::<&Value, C, N>(
        snapshot,
        ctx,
        drift,
        layout,
        index,
        name,
        || &NULL,
        None::<fn(&C) -> Option<(&'a Value, Option<usize>)>>,
    );
    let (details, event) = if raw.error_details().is_some() {
        (raw.map(|_| T::default()), None)
    } else {
        let value = raw.value;
        match flag_from_value::<T>(value) {
            Some((typed, None)) => (raw.map(|_| typed), Some(value)),
            Some((typed, Some(attribute))) => {
                report_attribute(snapshot.ok(), drift, index, name, attribute, value);
                (raw.fail(typed, mistyped_attribute(attribute)), Some(value))
            }
            None => {
                report_not_object(snapshot.ok(), drift, index, name, value);
                (raw.fail(T::default(), not_an_object()), None)
            }
        }
    };
    if let Some(observer) = snapshot.ok().and_then(Snapshot::observer) {
        observer.record(name, &details, event.map_or(EventValue::None, EventValue::of));
    }
    details
}

/// The details of a flag evaluated elsewhere (the AppConfig Agent's answer for a
/// multi-variant flag, `FeatureFlags::evaluate_variant`), as the generated struct: read field
/// by field as [`details_flag`] does; a value that is not an object gives the compiled-in
/// struct, `TYPE_MISMATCH`. The reason, variant and version are kept when the value fits.
pub fn flag_details<T: FlagStruct>(details: Details<'static, Value>) -> Details<'static, T> {
    if details.error_details().is_some() {
        return details.map(|_| T::default());
    }
    match flag_from_value::<T>(&details.value) {
        Some((typed, None)) => details.map(|_| typed),
        Some((typed, Some(attribute))) => details.fail(typed, mistyped_attribute(attribute)),
        None => details.fail(T::default(), not_an_object()),
    }
}

fn mistyped_attribute(attribute: &str) -> EvaluationError {
    EvaluationError::new(
        ErrorKind::TypeMismatch,
        format!("attribute {attribute:?} of the live flag has another type than the compiled-in one: its compiled-in value applies"),
    )
}

fn not_an_object() -> EvaluationError {
    EvaluationError::new(ErrorKind::TypeMismatch, "the live flag is not an object: the compiled-in flag applies")
}

#[cold]
#[inline(never)]
fn report_attribute<const N: usize>(
    snapshot: Option<&Snapshot>,
    drift: &Drift<N>,
    index: usize,
    name: &str,
    attribute: &str,
    value: &Value,
) {
    let Some(document) = snapshot.and_then(Snapshot::document) else { return };
    if drift.first_report(index, document) {
        let found = value.get(attribute).map_or("nothing", Value::type_name);
        tracing::warn!(
            feature = name,
            attribute,
            found,
            "attribute {attribute:?} of flag {name:?} is {found} in the live document, not the compiled-in type: its compiled-in value applies"
        );
    }
}

#[cold]
#[inline(never)]
fn report_not_object<const N: usize>(snapshot: Option<&Snapshot>, drift: &Drift<N>, index: usize, name: &str, value: &Value) {
    let Some(document) = snapshot.and_then(Snapshot::document) else { return };
    if drift.first_report(index, document) {
        tracing::warn!(
            feature = name,
            found = value.type_name(),
            "flag {name:?} is {} in the live document, not an object: the compiled-in flag applies",
            value.type_name()
        );
    }
}

/// The flags behind `Flags::for_tests()` of an AppConfig feature flags document: the
/// compiled-in stored document `text` in the retrieval format (`{KEY: {"enabled": e, ATTR:
/// v, …}}`, as [`StoredDocument::to_powertools`](crate::native::StoredDocument::to_powertools)
/// serves it without context), each flag in `overrides` (`(key, flag object)`) replaced,
/// served by a [`crate::MemoryStore`] read in [`DocumentFormat::AppConfigFeatureFlags`]
/// with `max_age` zero and the blocking refresh, as [`super::for_tests`] serves a Powertools
/// document (`store::<MemoryStore>().unwrap().set(..)` takes a retrieval-format document).
///
/// # Panics
/// When `text` is not a valid stored document, which cannot happen for the text `ff-build`
/// embedded unless the runtime's validation changed since the build.
pub fn for_tests_appconfig(
    text: &str,
    overrides: Vec<(&'static str, Value)>,
    clock: Option<std::sync::Arc<dyn crate::clock::Clock>>,
) -> crate::flags::FeatureFlags {
    let stored = crate::native::parse_stored(text)
        .unwrap_or_else(|err| panic!("ff: the compiled-in AppConfig feature flags document does not validate: {err}"));
    let translated = stored.to_powertools();
    let mut document = Map::new();
    for (key, feature) in translated.as_object().into_iter().flatten() {
        document.insert(key.clone(), feature.get("default").cloned().unwrap_or(Value::Null));
    }
    for (key, object) in overrides {
        document.insert(key.to_owned(), object);
    }
    let builder = crate::flags::FeatureFlags::builder(crate::store::MemoryStore::new(Value::from(document)))
        .format(crate::native::DocumentFormat::AppConfigFeatureFlags)
        .max_age(std::time::Duration::ZERO)
        .refresh(crate::flags::Refresh::Blocking);
    match clock {
        Some(clock) => builder.clock(clock).build(),
        None => builder.build(),
    }
}
