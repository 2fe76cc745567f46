//! Flag values: ff's [`Value`] (untyped JSON, as Powertools documents hold them) read as
//! the type OpenFeature asks for, or a `TYPE_MISMATCH`.
//!
//! | asked for | accepted | anything else |
//! | --- | --- | --- |
//! | `bool` | `true`, `false` | `TYPE_MISMATCH` |
//! | `i64` | an integer within `i64` (`10`; not `10.0`) | `TYPE_MISMATCH` (also an integer outside `i64`) |
//! | `f64` | any number (`0.5`; an integer such as `10` too, rounded to the nearest `f64`) | `TYPE_MISMATCH` |
//! | `String` | a string | `TYPE_MISMATCH` |
//! | struct | an object | `TYPE_MISMATCH` (a list too: the SDK's struct is an object) |
//!
//! A feature whose value is `null` (a non-boolean rule without `when_match`) is a
//! `TYPE_MISMATCH` for every type. Inside an object, OpenFeature's [`OfValue`] has no null:
//! **a member whose value is `null` is left out** of the [`StructValue`] (reading it gives
//! "absent", as reading a null gives nothing), and **a `null` list element is left out** of
//! its list. An integer outside `i64` inside an object becomes an [`OfValue::Float`] (the
//! nearest `f64`).

use ff_runtime::{Number, Value};
use open_feature::{EvaluationError, EvaluationErrorCode, StructValue, Value as OfValue};

/// A value of the type OpenFeature asked for, read from ff's [`Value`].
pub(crate) trait FromFlagValue: Sized {
    /// The type's name in messages (OpenFeature's: `boolean`, `integer`, …).
    const TYPE: &'static str;

    /// The value, when it is of this type.
    fn from_flag_value(value: Value) -> Option<Self>;
}

impl FromFlagValue for bool {
    const TYPE: &'static str = "boolean";

    fn from_flag_value(value: Value) -> Option<bool> {
        value.as_bool()
    }
}

impl FromFlagValue for i64 {
    const TYPE: &'static str = "integer";

    fn from_flag_value(value: Value) -> Option<i64> {
        match value {
            Value::Number(n @ Number::Int(_)) => n.as_i64(),
            _ => None,
        }
    }
}

impl FromFlagValue for f64 {
    const TYPE: &'static str = "float";

    fn from_flag_value(value: Value) -> Option<f64> {
        match value {
            Value::Number(n) => Some(n.as_f64()),
            _ => None,
        }
    }
}

impl FromFlagValue for String {
    const TYPE: &'static str = "string";

    fn from_flag_value(value: Value) -> Option<String> {
        match value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

impl FromFlagValue for StructValue {
    const TYPE: &'static str = "object";

    fn from_flag_value(value: Value) -> Option<StructValue> {
        match value {
            Value::Object(map) => Some(struct_value(*map)),
            _ => None,
        }
    }
}

/// The `TYPE_MISMATCH` error for feature `name`, whose value (of JSON type `found`) is not
/// a `T`.
pub(crate) fn mismatch<T: FromFlagValue>(name: &str, found: &str) -> EvaluationError {
    EvaluationError {
        code: EvaluationErrorCode::TypeMismatch,
        message: Some(format!("feature {name:?} is {} {found}, not {} {}", article(found), article(T::TYPE), T::TYPE)),
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// An object as OpenFeature's struct (null members left out).
fn struct_value(map: ff_runtime::Map) -> StructValue {
    StructValue { fields: map.into_iter().filter_map(|(k, v)| Some((k, of_value(v)?))).collect() }
}

/// A value as OpenFeature's; `None` for `null`.
pub(crate) fn of_value(value: Value) -> Option<OfValue> {
    Some(match value {
        Value::Null => return None,
        Value::Bool(b) => OfValue::Bool(b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => OfValue::Int(i),
            None => OfValue::Float(n.as_f64()),
        },
        Value::String(s) => OfValue::String(s),
        Value::Array(items) => OfValue::Array(items.into_iter().filter_map(of_value).collect()),
        Value::Object(map) => OfValue::Struct(struct_value(*map)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(json: &str) -> Value {
        Value::from_json(json).unwrap()
    }

    #[test]
    fn each_type_takes_only_its_values() {
        assert_eq!(bool::from_flag_value(value("true")), Some(true));
        assert_eq!(bool::from_flag_value(value("1")), None);
        assert_eq!(i64::from_flag_value(value("10")), Some(10));
        assert_eq!(i64::from_flag_value(value("10.0")), None);
        assert_eq!(i64::from_flag_value(value("true")), None);
        assert_eq!(i64::from_flag_value(value("9223372036854775808")), None, "outside i64");
        assert_eq!(f64::from_flag_value(value("0.5")), Some(0.5));
        assert_eq!(f64::from_flag_value(value("10")), Some(10.0), "an integer is a float too");
        assert_eq!(f64::from_flag_value(value("\"0.5\"")), None);
        assert_eq!(String::from_flag_value(value("\"hi\"")), Some("hi".to_owned()));
        assert_eq!(String::from_flag_value(value("null")), None);
        assert_eq!(StructValue::from_flag_value(value("[1]")), None);
        assert_eq!(StructValue::from_flag_value(value("{}")), Some(StructValue::default()));
    }

    #[test]
    fn nulls_inside_a_struct_are_left_out() {
        let s = StructValue::from_flag_value(value(
            r#"{"a": null, "b": [1, null, 2.5], "c": {"d": null, "e": "x"}, "big": 100000000000000000000}"#,
        ))
        .unwrap();
        let mut expected = StructValue::default();
        expected.add_field("b", OfValue::Array(vec![OfValue::Int(1), OfValue::Float(2.5)]));
        expected.add_field("c", OfValue::Struct(StructValue::default().with_field("e", "x")));
        expected.add_field("big", OfValue::Float(1e20));
        assert_eq!(s, expected);
    }

    #[test]
    fn mismatches_name_both_types() {
        let e = mismatch::<i64>("f", value("true").type_name());
        assert_eq!(e.code, EvaluationErrorCode::TypeMismatch);
        assert_eq!(e.message.as_deref(), Some(r#"feature "f" is a boolean, not an integer"#));
    }
}
