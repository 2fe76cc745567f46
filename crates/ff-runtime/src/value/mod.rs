//! **The value layer** (the lowest): JSON values with their locations in the text
//! ([`json`]) and Python's comparison semantics ([`semantics`]). It uses only `crate::error`.
//!
//! JSON values with the reference's number model.
//!
//! The reference (Powertools for AWS Lambda, Python) reads documents and contexts with
//! Python's `json` module, so integers are arbitrary-precision and stay distinct from floats
//! (`1` vs `1.0`), while comparing equal to them. [`Value`] keeps exactly that information:
//! integers that fit in `i128` are stored inline, larger ones as a [`BigInt`](num_bigint::BigInt), and
//! fractional or exponent numbers as `f64`. Objects keep document order ([`Map`] is an
//! [`IndexMap`]), as a Python `dict` does.
//!
//! [`ValueRef`] is the borrowed view that the rule engine compares. Contexts serve values as
//! `ValueRef`s, so a context can be a `serde_json` object, a [`Value`], or a generated struct
//! whose fields are plain Rust types, without copying anything.

mod convert;
mod held;
mod number;
mod view;
pub mod json;
pub mod semantics;

pub use held::{IntElement, IntSlice, Integer, StrElement, StrSlice};
pub use number::Number;
pub use view::{ListRef, ObjectRef, ValueRef};

use std::fmt;

use indexmap::IndexMap;

/// A JSON object in document order. Like a Python `dict`, a repeated key keeps the position
/// of its first occurrence and the value of its last.
pub type Map = IndexMap<String, Value>;

/// A JSON value as the reference sees it: Python's `None`, `bool`, `int`, `float`, `str`,
/// `list` and `dict`.
///
/// Equality ([`PartialEq`]) is Python's `==`: `1 == 1.0 == true`, lists compare in order,
/// objects regardless of key order.
#[derive(Clone, Debug, Default)]
pub enum Value {
    /// JSON `null` (Python `None`).
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, exact for integers of any size.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, in document order. Boxed, so that a `Value` is 32 bytes rather than the
    /// 80 of an inline map: compiled documents hold one per default, `when_match` and
    /// condition value, and most are scalars.
    Object(Box<Map>),
}

impl Value {
    /// Whether the two values are written the same: the same JSON types with the same
    /// contents, objects with the same keys in the same order. Unlike `==` (Python's
    /// equality), `1`, `1.0` and `true` all differ. The runtime uses it to tell whether a
    /// live feature is exactly the one that code was generated for.
    pub(crate) fn same(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Number(Number::Int(a)), Value::Number(Number::Int(b))) => a == b,
            (Value::Number(Number::Big(a)), Value::Number(Number::Big(b))) => a == b,
            (Value::Number(Number::Float(a)), Value::Number(Number::Float(b))) => a.to_bits() == b.to_bits(),
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same(y)),
            (Value::Object(a), Value::Object(b)) => {
                a.len() == b.len() && a.iter().zip(b.iter()).all(|((k, x), (l, y))| k == l && x.same(y))
            }
            _ => false,
        }
    }

    /// The borrowed view the rule engine compares.
    pub fn as_ref(&self) -> ValueRef<'_> {
        match self {
            Value::Null => ValueRef::Null,
            Value::Bool(b) => ValueRef::Bool(*b),
            Value::Number(n) => n.as_ref(),
            Value::String(s) => ValueRef::Str(s),
            Value::Array(items) => ValueRef::List(ListRef::Values(items)),
            Value::Object(map) => ValueRef::Object(ObjectRef::Values(map)),
        }
    }

    /// Python truthiness: `null`, `false`, `0`, `0.0`, `""`, `[]` and `{}` are false.
    pub fn is_truthy(&self) -> bool {
        self.as_ref().is_truthy()
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The integer, if this is an integer that fits in `i64` (booleans are not integers here).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    /// The number as `f64`, if this is a number (integers are rounded to the nearest `f64`).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(n.as_f64()),
            _ => None,
        }
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The array, if this is one.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Looks a key up in an object; `None` for a missing key or a non-object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object().and_then(|m| m.get(key))
    }

    /// The JSON type name used in error messages: `null`, `boolean`, `integer`, `number`,
    /// `string`, `array` or `object`.
    pub fn type_name(&self) -> &'static str {
        self.as_ref().type_name()
    }

    /// Parses JSON text (strict JSON, as Python's `json.loads` reads it, except that
    /// `NaN`/`Infinity` are rejected). Objects keep document order; integers stay exact.
    ///
    /// # Errors
    /// [`crate::ParseError`] with the line and column of the first syntax error.
    pub fn from_json(text: &str) -> Result<Value, crate::error::ParseError> {
        crate::value::json::parse(text).map(|parsed| parsed.value)
    }

    /// Serialises to compact JSON text, in the same spelling as Python's `json.dumps`
    /// (`1.0` stays `1.0`, big integers stay exact), with `", "`/`": "` replaced by `","`/`":"`.
    pub fn to_json(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Value {
    /// Compact JSON.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => write!(f, "{n}"),
            Value::String(s) => write_json_string(f, s),
            Value::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Value::Object(map) => {
                f.write_str("{")?;
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write_json_string(f, k)?;
                    write!(f, ":{v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

fn write_json_string(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    // serde_json's string escaping is the well-tested one; reuse it.
    let escaped = serde_json::to_string(s).map_err(|_| fmt::Error)?;
    f.write_str(&escaped)
}

impl PartialEq for Value {
    /// Python's `==` (see [`crate::value::semantics::py_eq`]).
    fn eq(&self, other: &Value) -> bool {
        crate::value::semantics::py_eq(self.as_ref(), other.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_as_large_as_a_number() {
        // Compiled documents hold a `Value` per default, `when_match` and condition value:
        // an inline map (72 bytes) would make every one of them 80 bytes.
        assert_eq!(std::mem::size_of::<Value>(), std::mem::size_of::<Number>());
        assert_eq!(std::mem::size_of::<Value>(), 32);
        assert_eq!(std::mem::size_of::<Option<Value>>(), 32);
    }

    #[test]
    fn numbers_parse_exactly() {
        assert!(matches!(Number::parse("12"), Some(Number::Int(12))));
        assert!(matches!(Number::parse("-0"), Some(Number::Int(0))));
        assert!(matches!(Number::parse("1.0"), Some(Number::Float(x)) if x == 1.0));
        assert!(matches!(Number::parse("1e3"), Some(Number::Float(x)) if x == 1000.0));
        let big = Number::parse("18446744073709551690").unwrap();
        assert!(matches!(big, Number::Int(18446744073709551690)));
        let huge = Number::parse("1234567890123456789012345678901234567890123").unwrap();
        assert!(matches!(huge, Number::Big(_)));
        assert_eq!(huge.to_string(), "1234567890123456789012345678901234567890123");
        for bad in ["", "-", "01", "1.", ".5", "1e", "+1", "0x10", "NaN", "1 "] {
            assert!(Number::parse(bad).is_none(), "{bad:?} should not parse");
        }
    }

    #[test]
    #[allow(clippy::approx_constant)] // 3.14 is the literal being printed, not π
    fn floats_print_like_python() {
        let show = |x: f64| Value::from(x).to_string();
        assert_eq!(show(1.0), "1.0");
        assert_eq!(show(0.5), "0.5");
        assert_eq!(show(3.14), "3.14");
        assert_eq!(show(1e300), "1e+300");
        assert_eq!(show(1.5e-7), "1.5e-07");
        assert_eq!(show(-0.0), "-0.0");
        assert_eq!(show(1e16), "1e+16");
        assert_eq!(show(123456789.0), "123456789.0");
    }

    #[test]
    fn truthiness_is_pythons() {
        for falsy in ["null", "false", "0", "0.0", "\"\"", "[]", "{}"] {
            assert!(!Value::from_json(falsy).unwrap().is_truthy(), "{falsy}");
        }
        for truthy in ["true", "1", "-0.5", "\"0\"", "[0]", "{\"a\":null}"] {
            assert!(Value::from_json(truthy).unwrap().is_truthy(), "{truthy}");
        }
    }

    #[test]
    fn same_is_exact() {
        let v = |t: &str| Value::from_json(t).unwrap();
        assert!(v(r#"{"a":[1,2.5,"x",null,true]}"#).same(&v(r#"{"a":[1,2.5,"x",null,true]}"#)));
        for (a, b) in [("1", "1.0"), ("1", "true"), ("0", "false"), (r#"{"a":1,"b":2}"#, r#"{"b":2,"a":1}"#), ("[1]", "[1,1]"), ("\"a\"", "\"b\"")] {
            assert!(!v(a).same(&v(b)), "{a} {b}");
            assert!(!v(b).same(&v(a)), "{b} {a}");
        }
    }

    /// ff reads text in document order with its own reader; a `serde_json::Map` is in key
    /// order, as ff does not enable serde_json's `preserve_order` (issue 12, finding 5: it
    /// changed `json!` for every crate of a program depending on ff).
    #[test]
    fn text_keeps_document_order_and_serde_json_round_trips_keep_values() {
        let v = Value::from_json(r#"{"b":1,"a":[true,null,"x",2.5]}"#).unwrap();
        assert_eq!(v.to_json(), r#"{"b":1,"a":[true,null,"x",2.5]}"#);
        let j: serde_json::Value = v.clone().into();
        assert_eq!(j.to_string(), r#"{"a":[true,null,"x",2.5],"b":1}"#);
        assert_eq!(Value::from(j.clone()), v);
        assert_eq!(Value::from(j).to_json(), r#"{"a":[true,null,"x",2.5],"b":1}"#);
    }
}
