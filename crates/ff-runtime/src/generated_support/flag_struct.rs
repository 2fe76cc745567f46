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

    /// A required attribute (and `enabled`): the live value; `compiled()` (the compiled-in
    /// value, built only then) when the object lacks it or gives it another type (recorded
    /// as a mismatch).
    pub fn required<T: AttributeValue>(&self, key: &'static str, compiled: impl FnOnce() -> T) -> T {
        match self.map.get(key) {
            None => compiled(),
            Some(value) => T::from_attribute(value).unwrap_or_else(|| {
                self.mismatch(key);
                compiled()
            }),
        }
    }

    /// An optional attribute: the live value; `None` when the object lacks it or has `null`;
    /// `compiled()` when it has another type (recorded as a mismatch).
    pub fn optional<T: AttributeValue>(&self, key: &'static str, compiled: impl FnOnce() -> Option<T>) -> Option<T> {
        match self.map.get(key) {
            None | Some(Value::Null) => None,
            Some(value) => match T::from_attribute(value) {
                Some(typed) => Some(typed),
                None => {
                    self.mismatch(key);
                    compiled()
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

/// The typed context as the AppConfig Agent takes it (one `Context: key=value` request header
/// per entry): each key with its value as text, a string as itself, anything else as its
/// JSON text (`12`, `true`, `["a","b"]`). For the multi-variant flags' accessors
/// (`FeatureFlags::evaluate_variant`).
pub fn context_pairs<C: crate::eval::context::ContextEntries + ?Sized>(ctx: &C) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    ctx.for_each_entry(&mut |key, value| {
        let text = match value {
            crate::value::ValueRef::Str(s) => s.to_owned(),
            other => other.to_value().to_json(),
        };
        pairs.push((key.to_owned(), text));
    });
    pairs
}

/// The generated accessors of a multi-variant AppConfig flag: the flag evaluated by the
/// store with the typed context ([`crate::FeatureFlags::evaluate_variant`]: the AppConfig
/// Agent's `?flag=KEY` with one `Context: key=value` header per [`context_pairs`] entry;
/// another store, or a failed request, gives the document in force), read into the struct
/// as [`flag_details`] does. Never panics.
pub async fn variant_flag<T: FlagStruct, C: crate::eval::context::ContextEntries + ?Sized>(
    flags: &crate::flags::FeatureFlags,
    key: &str,
    ctx: &C,
) -> Details<'static, T> {
    let pairs = context_pairs(ctx);
    let pairs: Vec<(&str, String)> = pairs.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    flag_details(flags.evaluate_variant(key, &pairs).await)
}

/// The flags behind `Flags::for_tests()` of an AppConfig feature flags document: the
/// compiled-in stored document `text` in the retrieval format (`{KEY: {"enabled": e, ATTR:
/// v, …}}`, as [`StoredDocument::to_powertools`](crate::native::StoredDocument::to_powertools)
/// serves it without context), each flag in `overrides` (`(key, flag object)`) replaced,
/// served by a [`crate::MemoryStore`] read in [`DocumentFormat::AppConfigFeatureFlags`](crate::DocumentFormat::AppConfigFeatureFlags)
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq)]
    struct Limits {
        enabled: bool,
        rps: i64,
        burst: Option<f64>,
        tags: Option<Vec<String>>,
    }

    impl Default for Limits {
        fn default() -> Limits {
            Limits { enabled: true, rps: 10, burst: Some(1.5), tags: None }
        }
    }

    impl FlagStruct for Limits {
        fn from_flag(flag: &FlagObject<'_>) -> Limits {
            Limits {
                enabled: flag.required("enabled", || true),
                rps: flag.required("rps", || 10),
                burst: flag.optional("burst", || Some(1.5)),
                tags: flag.optional("tags", || None),
            }
        }
        fn to_flag(&self) -> Value {
            flag_object([
                ("enabled", Some(self.enabled.to_attribute())),
                ("rps", Some(self.rps.to_attribute())),
                ("burst", self.burst.as_ref().map(AttributeValue::to_attribute)),
                ("tags", self.tags.as_ref().map(AttributeValue::to_attribute)),
            ])
        }
        fn enabled(&self) -> bool {
            self.enabled
        }
    }

    fn read(value: serde_json::Value) -> Option<(Limits, Option<&'static str>)> {
        flag_from_value::<Limits>(&Value::from(value))
    }

    #[test]
    fn attributes_are_read_one_by_one_and_a_misfit_keeps_the_compiled_in_value() {
        let all = read(json!({"enabled": false, "rps": 3, "burst": 2, "tags": ["a"]})).unwrap();
        assert_eq!(all, (Limits { enabled: false, rps: 3, burst: Some(2.0), tags: Some(vec!["a".into()]) }, None));
        let missing = read(json!({"enabled": false})).unwrap();
        assert_eq!(missing, (Limits { enabled: false, rps: 10, burst: None, tags: None }, None), "required: compiled; optional: None");
        let null = read(json!({"enabled": true, "burst": null})).unwrap();
        assert_eq!(null.0.burst, None);
        let mistyped = read(json!({"enabled": true, "rps": 2.5, "burst": "x", "tags": ["a", 1]})).unwrap();
        assert_eq!(mistyped, (Limits { enabled: true, rps: 10, burst: Some(1.5), tags: None }, Some("rps")), "the first mistyped attribute");
        assert!(read(json!([1])).is_none(), "not an object");
    }

    #[test]
    fn flag_objects_leave_out_none_and_round_trip() {
        let limits = Limits { enabled: true, rps: 4, burst: None, tags: Some(vec!["x".into()]) };
        assert_eq!(limits.to_flag().to_json(), r#"{"enabled":true,"rps":4,"tags":["x"]}"#);
        assert_eq!(flag_from_value::<Limits>(&limits.to_flag()).unwrap(), (limits, None));
    }

    #[test]
    fn details_of_an_answer_keep_its_reason_or_say_type_mismatch() {
        let answer = Details::evaluated(Value::from(json!({"enabled": true, "rps": 7})), crate::eval::details::Reason::TargetingMatch, None)
            .into_owned();
        let typed = flag_details::<Limits>(answer);
        assert_eq!((typed.value.rps, typed.reason()), (7, crate::eval::details::Reason::TargetingMatch));
        let answer = Details::evaluated(Value::from(json!({"enabled": true, "rps": "7"})), crate::eval::details::Reason::Static, None);
        let typed = flag_details::<Limits>(answer);
        assert_eq!(typed.value.rps, 10);
        assert_eq!(typed.error_details().unwrap().kind, ErrorKind::TypeMismatch);
        let failed = Details::error(Value::Null, EvaluationError::new(ErrorKind::General, "down"));
        let typed = flag_details::<Limits>(failed);
        assert_eq!((&typed.value, typed.error_details().unwrap().kind), (&Limits::default(), ErrorKind::General));
    }

    #[test]
    fn context_pairs_are_text() {
        let ctx = json!({"tier": "gold", "orders": 12, "beta": true});
        let ctx = Value::from(ctx);
        let mut pairs = context_pairs(&ctx);
        pairs.sort();
        assert_eq!(
            pairs,
            [("beta".to_owned(), "true".to_owned()), ("orders".to_owned(), "12".to_owned()), ("tier".to_owned(), "gold".to_owned())]
        );
    }
}
