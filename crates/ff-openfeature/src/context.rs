//! The evaluation context: OpenFeature's [`EvaluationContext`] read as an ff context.
//!
//! | OpenFeature | ff context key | ff value |
//! | --- | --- | --- |
//! | `targeting_key` | `targeting_key`, or the name given to [`FfProviderBuilder::targeting_key`] | a string |
//! | custom field `k` | `k` (the same name) | |
//! | `Bool` | | a boolean |
//! | `Int` | | an integer |
//! | `Float` | | a float (`1.0` equals `1` in conditions, as in Python) |
//! | `String` | | a string |
//! | `DateTime` | | its RFC 3339 string, e.g. `2026-03-01T09:30:00+01:00` (`Z` for UTC, fractional seconds only when not zero) |
//! | `Struct` holding an [`open_feature::Value`] or [`StructValue`] | | the same JSON value (a struct is an object, an array a list) |
//! | `Struct` holding a [`serde_json::Value`] or an [`ff_runtime::Value`] | | that value (`null` included: the one way to pass a `null`) |
//! | `Struct` holding anything else | | an `INVALID_CONTEXT` error naming the key |
//!
//! The targeting key wins over a custom field of the same name. A date-time that RFC 3339
//! cannot write (a year before 0, an offset with seconds) is an `INVALID_CONTEXT` error too. Nothing
//! here panics. Scalars and strings are read in place; date-times and structs are
//! converted once per evaluation.
//!
//! [`FfProviderBuilder::targeting_key`]: crate::FfProviderBuilder::targeting_key

use std::any::Any;
use std::sync::Arc;

use ff_runtime::{Context, Value, ValueRef};
use open_feature::{EvaluationContext, EvaluationContextFieldValue as Field, EvaluationError, EvaluationErrorCode, StructValue, Value as OfValue};
use time::OffsetDateTime;

/// An [`EvaluationContext`] served to ff's rule engine.
pub(crate) struct MappedContext<'a> {
    context: &'a EvaluationContext,
    targeting_key: &'a str,
    /// The date-time and struct fields, converted.
    converted: Vec<(&'a str, Value)>,
}

impl<'a> MappedContext<'a> {
    /// Reads `context`, naming its targeting key `targeting_key`.
    ///
    /// # Errors
    /// `INVALID_CONTEXT` for a field whose value ff cannot read (see the module docs).
    pub(crate) fn new(context: &'a EvaluationContext, targeting_key: &'a str) -> Result<MappedContext<'a>, EvaluationError> {
        let mut converted = Vec::new();
        for (key, field) in &context.custom_fields {
            let value = match field {
                Field::DateTime(at) => Value::String(rfc3339(at).ok_or_else(|| invalid(key, "a date-time outside the years 0 to 9999"))?),
                Field::Struct(any) => struct_field(&**any).ok_or_else(|| invalid(key, "a struct of a type ff cannot read"))?,
                _ => continue,
            };
            converted.push((key.as_str(), value));
        }
        Ok(MappedContext { context, targeting_key, converted })
    }
}

impl Context for MappedContext<'_> {
    fn get(&self, key: &str) -> Option<ValueRef<'_>> {
        if key == self.targeting_key {
            if let Some(targeting_key) = &self.context.targeting_key {
                return Some(ValueRef::Str(targeting_key));
            }
        }
        Some(match self.context.custom_fields.get(key)? {
            Field::Bool(b) => ValueRef::Bool(*b),
            Field::Int(i) => ValueRef::Int((*i).into()),
            Field::Float(x) => ValueRef::Float(*x),
            Field::String(s) => ValueRef::Str(s),
            Field::DateTime(_) | Field::Struct(_) => self.converted.iter().find(|(k, _)| *k == key)?.1.as_ref(),
        })
    }
}

fn invalid(key: &str, what: &str) -> EvaluationError {
    EvaluationError {
        code: EvaluationErrorCode::InvalidContext,
        message: Some(format!("context key {key:?} holds {what} (see ff_openfeature's context mapping)")),
    }
}

/// The RFC 3339 text of `at`, at its own offset; `None` outside what RFC 3339 can write.
pub(crate) fn rfc3339(at: &OffsetDateTime) -> Option<String> {
    if at.year() < 0 {
        return None;
    }
    let timestamp = jiff::Timestamp::from_nanosecond(at.unix_timestamp_nanos()).ok()?;
    let offset = jiff::tz::Offset::from_seconds(at.offset().whole_seconds()).ok()?;
    if offset == jiff::tz::Offset::UTC {
        return Some(timestamp.to_string());
    }
    // RFC 3339 offsets are whole minutes.
    (at.offset().seconds_past_minute() == 0).then(|| timestamp.display_with_offset(offset).to_string())
}

/// The value in a struct field, when it is of a type ff reads.
fn struct_field(any: &(dyn Any + Send + Sync)) -> Option<Value> {
    if let Some(value) = any.downcast_ref::<OfValue>() {
        Some(from_of_value(value))
    } else if let Some(value) = any.downcast_ref::<StructValue>() {
        Some(from_struct(value))
    } else if let Some(value) = any.downcast_ref::<serde_json::Value>() {
        Some(Value::from(value))
    } else {
        any.downcast_ref::<Value>().cloned()
    }
}

fn from_struct(value: &StructValue) -> Value {
    let map: ff_runtime::Map = value.fields.iter().map(|(k, v)| (k.clone(), from_of_value(v))).collect();
    Value::from(map)
}

fn from_of_value(value: &OfValue) -> Value {
    match value {
        OfValue::Bool(b) => Value::Bool(*b),
        OfValue::Int(i) => Value::from(*i),
        OfValue::Float(x) => Value::from(*x),
        OfValue::String(s) => Value::String(s.clone()),
        OfValue::Array(items) => Value::Array(items.iter().map(from_of_value).collect()),
        OfValue::Struct(s) => from_struct(s),
    }
}

/// A struct field holding `value` (for tests and the typed bridge).
pub(crate) fn struct_of(value: Value) -> Field {
    Field::Struct(Arc::new(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn get(ctx: &EvaluationContext, key: &str) -> Option<Value> {
        MappedContext::new(ctx, "targeting_key").unwrap().get(key).map(ValueRef::to_value)
    }

    #[test]
    fn every_field_type_maps_to_its_value() {
        let ctx = EvaluationContext::default()
            .with_targeting_key("user-1")
            .with_custom_field("b", true)
            .with_custom_field("i", 65)
            .with_custom_field("f", 0.5)
            .with_custom_field("s", "gold")
            .with_custom_field("at", datetime!(2026-03-01 09:30:00 +01:00))
            .with_custom_field("utc", datetime!(2026-03-01 08:30:00.25 UTC))
            .with_custom_field("list", Field::new_struct(OfValue::Array(vec![OfValue::Int(1), "a".into()])))
            .with_custom_field("obj", Field::new_struct(StructValue::default().with_field("tier", "gold")))
            .with_custom_field("json", Field::new_struct(serde_json::json!({"n": null})))
            .with_custom_field("null", Field::new_struct(serde_json::Value::Null))
            .with_custom_field("ff", struct_of(Value::from(vec![1, 2])));
        assert_eq!(get(&ctx, "targeting_key"), Some(Value::from("user-1")));
        assert_eq!(get(&ctx, "b"), Some(Value::Bool(true)));
        assert_eq!(get(&ctx, "i"), Some(Value::from(65)));
        assert_eq!(get(&ctx, "f"), Some(Value::from(0.5)));
        assert_eq!(get(&ctx, "s"), Some(Value::from("gold")));
        assert_eq!(get(&ctx, "at"), Some(Value::from("2026-03-01T09:30:00+01:00")));
        assert_eq!(get(&ctx, "utc"), Some(Value::from("2026-03-01T08:30:00.25Z")));
        assert_eq!(get(&ctx, "list"), Some(Value::from_json(r#"[1, "a"]"#).unwrap()));
        assert_eq!(get(&ctx, "obj"), Some(Value::from_json(r#"{"tier": "gold"}"#).unwrap()));
        assert_eq!(get(&ctx, "json"), Some(Value::from_json(r#"{"n": null}"#).unwrap()));
        assert_eq!(get(&ctx, "null"), Some(Value::Null), "present with null");
        assert_eq!(get(&ctx, "ff"), Some(Value::from(vec![1, 2])));
        assert_eq!(get(&ctx, "missing"), None);
    }

    #[test]
    fn the_targeting_key_takes_its_configured_name_and_wins() {
        let ctx = EvaluationContext::default().with_targeting_key("user-1").with_custom_field("user_id", "field");
        let mapped = MappedContext::new(&ctx, "user_id").unwrap();
        assert_eq!(mapped.get("user_id").map(ValueRef::to_value), Some(Value::from("user-1")));
        assert!(mapped.get("targeting_key").is_none());
        let no_key = EvaluationContext::default().with_custom_field("user_id", "field");
        assert_eq!(MappedContext::new(&no_key, "user_id").unwrap().get("user_id").map(ValueRef::to_value), Some(Value::from("field")));
    }

    #[test]
    fn unreadable_values_are_invalid_context_errors() {
        #[derive(Debug)]
        struct Mine;
        let ctx = EvaluationContext::default().with_custom_field("mine", Field::new_struct(Mine));
        let err = MappedContext::new(&ctx, "targeting_key").err().unwrap();
        assert_eq!(err.code, EvaluationErrorCode::InvalidContext);
        assert!(err.message.unwrap().contains(r#""mine""#));
        let seconds = OffsetDateTime::UNIX_EPOCH.to_offset(time::UtcOffset::from_hms(1, 0, 30).unwrap());
        let ctx = EvaluationContext::default().with_custom_field("at", seconds);
        assert_eq!(MappedContext::new(&ctx, "targeting_key").err().unwrap().code, EvaluationErrorCode::InvalidContext);
        let ctx = EvaluationContext::default().with_custom_field("at", datetime!(-0001-01-01 0:00 UTC));
        assert_eq!(MappedContext::new(&ctx, "targeting_key").err().unwrap().code, EvaluationErrorCode::InvalidContext);
    }
}
