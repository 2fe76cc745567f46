//! The typed bridge: an ff context (the typed `Context` that `ff-build` or
//! `#[feature_flags]` generates, or any [`ContextEntries`]) handed to OpenFeature.
//!
//! Each key becomes a custom field of the same name, except the targeting key's name
//! (`targeting_key` by default), whose string value becomes the targeting key; the mapping
//! is the inverse of the provider's ([`crate::context`]), so a context round-trips:
//!
//! | ff value | custom field |
//! | --- | --- |
//! | boolean | `Bool` |
//! | integer within `i64` | `Int` |
//! | float | `Float` |
//! | string | `String` |
//! | list, object, `null`, integer outside `i64` | `Struct` holding the [`ff_runtime::Value`] (read back exactly by [`FfProvider`](crate::FfProvider)) |

use ff_runtime::{ContextEntries, ValueRef};
use open_feature::{EvaluationContext, EvaluationContextFieldValue as Field};

use crate::context::struct_of;
use crate::provider::DEFAULT_TARGETING_KEY;

/// An ff context as an OpenFeature [`EvaluationContext`], so that code moving to OpenFeature
/// (or back to ff's typed accessors) keeps one context type:
///
/// ```
/// use ff_openfeature::ToEvaluationContext;
/// let ctx = serde_json::json!({"targeting_key": "user-1", "tier": "gold"});
/// let ec = ctx.to_evaluation_context();
/// assert_eq!(ec.targeting_key.as_deref(), Some("user-1"));
/// assert_eq!(ec.custom_fields["tier"].as_str(), Some("gold"));
/// ```
pub trait ToEvaluationContext {
    /// The context, with the key `targeting_key` (a string) as the targeting key.
    fn to_evaluation_context(&self) -> EvaluationContext {
        self.to_evaluation_context_with(DEFAULT_TARGETING_KEY)
    }

    /// The context, with the key `targeting_key` (a string) as the targeting key: give the
    /// name given to [`FfProviderBuilder::targeting_key`](crate::FfProviderBuilder::targeting_key).
    fn to_evaluation_context_with(&self, targeting_key: &str) -> EvaluationContext;
}

impl<C: ContextEntries + ?Sized> ToEvaluationContext for C {
    fn to_evaluation_context_with(&self, targeting_key: &str) -> EvaluationContext {
        let mut out = EvaluationContext::default();
        self.for_each_entry(&mut |key, value| match value {
            ValueRef::Str(s) if key == targeting_key => out.targeting_key = Some(s.to_owned()),
            value => out.add_custom_field(key, field(value)),
        });
        out
    }
}

/// One value as a custom field.
fn field(value: ValueRef<'_>) -> Field {
    match value {
        ValueRef::Bool(b) => Field::Bool(b),
        ValueRef::Int(i) => match i64::try_from(i) {
            Ok(i) => Field::Int(i),
            Err(_) => struct_of(value.to_value()),
        },
        ValueRef::Float(x) => Field::Float(x),
        ValueRef::Str(s) => Field::String(s.to_owned()),
        ValueRef::Null | ValueRef::Big(_) | ValueRef::List(_) | ValueRef::Object(_) => struct_of(value.to_value()),
    }
}

/// The ff value of a custom field made by [`field`] (for tests).
#[cfg(test)]
fn read_back(field: &Field) -> Option<ff_runtime::Value> {
    match field {
        Field::Struct(any) => any.downcast_ref::<ff_runtime::Value>().cloned(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::MappedContext;
    use ff_runtime::{Context, Value};

    #[test]
    fn a_context_round_trips_through_openfeature() {
        let ctx = serde_json::json!({
            "targeting_key": "user-1", "b": false, "i": -3, "f": 1.5, "s": "x",
            "list": ["a", 1], "obj": {"k": null}, "null": null, "big": 18446744073709551615u64
        });
        let ec = ctx.to_evaluation_context();
        assert_eq!(ec.targeting_key.as_deref(), Some("user-1"));
        assert!(!ec.custom_fields.contains_key("targeting_key"));
        assert_eq!(ec.custom_fields["i"], Field::Int(-3));
        assert_eq!(read_back(&ec.custom_fields["null"]), Some(Value::Null));
        let mapped = MappedContext::new(&ec, "targeting_key").unwrap();
        for (key, value) in ctx.as_object().unwrap() {
            assert_eq!(mapped.get(key).map(ValueRef::to_value), Some(Value::from(value)), "{key}");
        }
    }

    #[test]
    fn another_targeting_key_name_and_a_non_string_one() {
        let ctx = serde_json::json!({"user_id": "u", "targeting_key": 7});
        let ec = ctx.to_evaluation_context_with("user_id");
        assert_eq!(ec.targeting_key.as_deref(), Some("u"));
        assert_eq!(ec.custom_fields["targeting_key"], Field::Int(7));
        let ec = serde_json::json!({"targeting_key": 7}).to_evaluation_context();
        assert_eq!((ec.targeting_key, &ec.custom_fields["targeting_key"]), (None, &Field::Int(7)), "not a string: a custom field");
    }
}
