//! **The value layer** (the lowest): JSON values with their locations in the text
//! ([`json`]) and Python's comparison semantics ([`semantics`]). It uses only `crate::error`.
//!
//! JSON values with the reference's number model.
//!
//! The reference (Powertools for AWS Lambda, Python) reads documents and contexts with
//! Python's `json` module, so integers are arbitrary-precision and stay distinct from floats
//! (`1` vs `1.0`), while comparing equal to them. [`Value`] keeps exactly that information:
//! integers that fit in `i128` are stored inline, larger ones as a [`BigInt`], and
//! fractional or exponent numbers as `f64`. Objects keep document order ([`Map`] is an
//! [`IndexMap`]), as a Python `dict` does.
//!
//! [`ValueRef`] is the borrowed view that the rule engine compares. Contexts serve values as
//! `ValueRef`s, so a context can be a `serde_json` object, a [`Value`], or a generated struct
//! whose fields are plain Rust types, without copying anything.

mod held;
pub mod json;
pub mod semantics;

pub use held::{IntElement, IntSlice, Integer, StrElement, StrSlice};

use std::fmt;

use indexmap::IndexMap;
use num_bigint::BigInt;
use num_traits::ToPrimitive;

/// A JSON object in document order. Like a Python `dict`, a repeated key keeps the position
/// of its first occurrence and the value of its last.
pub type Map = IndexMap<String, Value>;

/// A JSON number as Python's `json` module reads it.
///
/// Integers are exact at any size; `Int` holds every integer that fits in `i128`, and `Big`
/// only those outside that range (the constructors keep this normalised, so two equal
/// integers always have the same variant).
#[derive(Clone, Debug)]
pub enum Number {
    /// An integer within `i128`.
    Int(i128),
    /// An integer outside `i128` (Python integers have no size limit).
    Big(Box<BigInt>),
    /// A number written with a fraction or an exponent (a Python `float`).
    Float(f64),
}

impl Number {
    /// Builds an integer, normalising to [`Number::Int`] when it fits in `i128`.
    pub fn from_bigint(value: BigInt) -> Number {
        match value.to_i128() {
            Some(small) => Number::Int(small),
            None => Number::Big(Box::new(value)),
        }
    }

    /// Parses a JSON number literal (`-12`, `3.5`, `1e3`, `123456789012345678901234567890`).
    ///
    /// Returns `None` when the text is not a JSON number. A literal with a fraction or an
    /// exponent is a float, as in Python (`1e3` is `1000.0`); an integer literal is exact.
    pub fn parse(text: &str) -> Option<Number> {
        if !is_json_number(text) {
            return None;
        }
        if text.bytes().any(|b| matches!(b, b'.' | b'e' | b'E')) {
            return text.parse::<f64>().ok().map(Number::Float);
        }
        match text.parse::<i128>() {
            Ok(small) => Some(Number::Int(small)),
            Err(_) => text.parse::<BigInt>().ok().map(Number::from_bigint),
        }
    }

    /// The borrowed view of this number.
    pub fn as_ref(&self) -> ValueRef<'_> {
        match self {
            Number::Int(i) => ValueRef::Int(*i),
            Number::Big(b) => ValueRef::Big(b),
            Number::Float(f) => ValueRef::Float(*f),
        }
    }

    /// The number as an `i64`, when it is an integer in range.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Number::Int(i) => i64::try_from(*i).ok(),
            _ => None,
        }
    }

    /// The number as an `f64` (integers are rounded to the nearest `f64`).
    pub fn as_f64(&self) -> f64 {
        match self {
            Number::Int(i) => *i as f64,
            Number::Big(b) => b.to_f64().unwrap_or(f64::NAN),
            Number::Float(f) => *f,
        }
    }

    /// Whether this is an integer (Python `int`), as opposed to a float.
    pub fn is_integer(&self) -> bool {
        !matches!(self, Number::Float(_))
    }
}

/// Checks the JSON number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
fn is_json_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

impl PartialEq for Number {
    /// Python's numeric equality: `1 == 1.0`.
    fn eq(&self, other: &Number) -> bool {
        crate::value::semantics::py_eq(self.as_ref(), other.as_ref())
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Big(b) => write!(f, "{b}"),
            Number::Float(x) => write_float(f, *x),
        }
    }
}

/// Writes a float the way Python's `json.dumps` does for finite values (`1.0`, `0.5`,
/// `1e+300`), and `NaN`/`Infinity` for the others.
fn write_float(f: &mut fmt::Formatter<'_>, x: f64) -> fmt::Result {
    if x.is_nan() {
        return f.write_str("NaN");
    }
    if x.is_infinite() {
        return f.write_str(if x > 0.0 { "Infinity" } else { "-Infinity" });
    }
    let abs = x.abs();
    if abs != 0.0 && !(1e-4..1e16).contains(&abs) {
        // Python's repr switches to exponent form outside [1e-4, 1e16).
        let s = format!("{x:e}");
        let (mantissa, exp) = s.split_once('e').expect("exponent form has an 'e'");
        let exp: i32 = exp.parse().expect("exponent is an integer");
        let sign = if exp < 0 { '-' } else { '+' };
        return write!(f, "{mantissa}e{sign}{:02}", exp.abs());
    }
    if x.fract() == 0.0 {
        write!(f, "{x:.1}")
    } else {
        write!(f, "{x}")
    }
}

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

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Number(Number::Int(i.into()))
    }
}
impl From<i32> for Value {
    fn from(i: i32) -> Value {
        Value::Number(Number::Int(i.into()))
    }
}
impl From<u64> for Value {
    fn from(i: u64) -> Value {
        Value::Number(Number::Int(i.into()))
    }
}
impl From<i128> for Value {
    fn from(i: i128) -> Value {
        Value::Number(Number::Int(i))
    }
}
macro_rules! value_from_small_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(i: $t) -> Value {
                Value::Number(Number::Int(i.into()))
            }
        }
    )*};
}
value_from_small_int!(i8, i16, u8, u16, u32);
impl From<isize> for Value {
    fn from(i: isize) -> Value {
        // `isize` is at most 64 bits on every Rust target.
        Value::Number(Number::Int(i as i128))
    }
}
impl From<usize> for Value {
    fn from(i: usize) -> Value {
        Value::Number(Number::Int(i as i128))
    }
}
impl From<u128> for Value {
    /// Exact: above `i128::MAX`, a big integer.
    fn from(i: u128) -> Value {
        match i128::try_from(i) {
            Ok(small) => Value::Number(Number::Int(small)),
            Err(_) => Value::Number(Number::from_bigint(BigInt::from(i))),
        }
    }
}
impl From<f64> for Value {
    fn from(x: f64) -> Value {
        Value::Number(Number::Float(x))
    }
}
impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}
impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(items: Vec<T>) -> Value {
        Value::Array(items.into_iter().map(Into::into).collect())
    }
}
impl From<Map> for Value {
    fn from(map: Map) -> Value {
        Value::Object(Box::new(map))
    }
}

/// Converts a `serde_json::Value`, keeping its objects' iteration order: document order
/// when the program enables serde_json's `preserve_order` feature, key order otherwise
/// (ff does not enable it). Read text with [`Value::from_json`] to keep document order.
impl From<serde_json::Value> for Value {
    fn from(v: serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => Value::Number(number_from_json(&n)),
            serde_json::Value::String(s) => Value::String(s),
            serde_json::Value::Array(a) => Value::Array(a.into_iter().map(Value::from).collect()),
            serde_json::Value::Object(o) => {
                Value::from(o.into_iter().map(|(k, v)| (k, Value::from(v))).collect::<Map>())
            }
        }
    }
}

impl From<&serde_json::Value> for Value {
    fn from(v: &serde_json::Value) -> Value {
        Value::from(v.clone())
    }
}

fn number_from_json(n: &serde_json::Number) -> Number {
    if let Some(i) = n.as_i64() {
        Number::Int(i.into())
    } else if let Some(u) = n.as_u64() {
        Number::Int(u.into())
    } else {
        Number::Float(n.as_f64().unwrap_or(f64::NAN))
    }
}

impl From<Value> for serde_json::Value {
    /// Converts to `serde_json`. Integers beyond `u64`/`i64` and non-finite floats have no
    /// exact `serde_json` form: big integers become the nearest float, and NaN/infinity
    /// become `null`.
    fn from(v: Value) -> serde_json::Value {
        match v {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(b),
            Value::Number(Number::Int(i)) => {
                if let Ok(i) = i64::try_from(i) {
                    i.into()
                } else if let Ok(u) = u64::try_from(i) {
                    u.into()
                } else {
                    serde_json::Number::from_f64(i as f64).map_or(serde_json::Value::Null, Into::into)
                }
            }
            Value::Number(n) => {
                serde_json::Number::from_f64(n.as_f64()).map_or(serde_json::Value::Null, Into::into)
            }
            Value::String(s) => serde_json::Value::String(s),
            Value::Array(a) => serde_json::Value::Array(a.into_iter().map(Into::into).collect()),
            Value::Object(o) => {
                serde_json::Value::Object(o.into_iter().map(|(k, v)| (k, v.into())).collect())
            }
        }
    }
}

impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(Number::Int(i)) => match i64::try_from(*i) {
                Ok(small) => s.serialize_i64(small),
                Err(_) => s.serialize_i128(*i),
            },
            Value::Number(n) => s.serialize_f64(n.as_f64()),
            Value::String(v) => s.serialize_str(v),
            Value::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(map) => {
                let mut m = s.serialize_map(Some(map.len()))?;
                for (k, v) in map.iter() {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
        }
    }
}

impl<'de> serde::Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Value;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_unit<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_none<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
                <Value as serde::Deserialize>::deserialize(d)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
                Ok(Value::Bool(b))
            }
            fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
                Ok(i.into())
            }
            fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
                Ok(u.into())
            }
            fn visit_i128<E>(self, i: i128) -> Result<Value, E> {
                Ok(i.into())
            }
            fn visit_u128<E>(self, u: u128) -> Result<Value, E> {
                Ok(Value::Number(Number::from_bigint(u.into())))
            }
            fn visit_f64<E>(self, x: f64) -> Result<Value, E> {
                Ok(Value::Number(Number::Float(x)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Value, E> {
                Ok(Value::String(s.to_owned()))
            }
            fn visit_string<E>(self, s: String) -> Result<Value, E> {
                Ok(Value::String(s))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Value::Array(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
                let mut map = Map::new();
                while let Some((k, v)) = access.next_entry::<String, Value>()? {
                    map.insert(k, v);
                }
                Ok(Value::from(map))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// A borrowed view of a value, as the rule engine compares it.
///
/// Contexts hand out `ValueRef`s (see [`crate::Context`]), so the engine never copies a
/// context value. Booleans stay booleans (Python's `True == 1` is applied by the
/// comparisons, not here).
#[derive(Clone, Copy, Debug)]
pub enum ValueRef<'a> {
    /// `null` / `None`.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer within `i128`.
    Int(i128),
    /// An integer outside `i128`.
    Big(&'a BigInt),
    /// A float.
    Float(f64),
    /// A string.
    Str(&'a str),
    /// A list.
    List(ListRef<'a>),
    /// An object.
    Object(ObjectRef<'a>),
}

impl<'a> ValueRef<'a> {
    /// Python truthiness: `null`, `false`, `0`, `0.0`, `""`, `[]` and `{}` are false.
    pub fn is_truthy(self) -> bool {
        match self {
            ValueRef::Null => false,
            ValueRef::Bool(b) => b,
            ValueRef::Int(i) => i != 0,
            ValueRef::Big(_) => true,
            ValueRef::Float(x) => x != 0.0,
            ValueRef::Str(s) => !s.is_empty(),
            ValueRef::List(l) => !l.is_empty(),
            ValueRef::Object(o) => !o.is_empty(),
        }
    }

    /// The JSON type name: `null`, `boolean`, `integer`, `number`, `string`, `array`, `object`.
    pub fn type_name(self) -> &'static str {
        match self {
            ValueRef::Null => "null",
            ValueRef::Bool(_) => "boolean",
            ValueRef::Int(_) | ValueRef::Big(_) => "integer",
            ValueRef::Float(_) => "number",
            ValueRef::Str(_) => "string",
            ValueRef::List(_) => "array",
            ValueRef::Object(_) => "object",
        }
    }

    /// Copies the view into an owned [`Value`].
    pub fn to_value(self) -> Value {
        match self {
            ValueRef::Null => Value::Null,
            ValueRef::Bool(b) => Value::Bool(b),
            ValueRef::Int(i) => Value::Number(Number::Int(i)),
            ValueRef::Big(b) => Value::Number(Number::Big(Box::new(b.clone()))),
            ValueRef::Float(x) => Value::Number(Number::Float(x)),
            ValueRef::Str(s) => Value::String(s.to_owned()),
            ValueRef::List(l) => Value::Array(l.iter().map(ValueRef::to_value).collect()),
            ValueRef::Object(o) => {
                let mut map = Map::with_capacity(o.len());
                o.for_each(|k, v| {
                    map.insert(k.to_owned(), v.to_value());
                    true
                });
                Value::from(map)
            }
        }
    }
}

impl<'a> From<&'a Value> for ValueRef<'a> {
    fn from(v: &'a Value) -> ValueRef<'a> {
        v.as_ref()
    }
}

impl<'a> From<&'a serde_json::Value> for ValueRef<'a> {
    fn from(v: &'a serde_json::Value) -> ValueRef<'a> {
        match v {
            serde_json::Value::Null => ValueRef::Null,
            serde_json::Value::Bool(b) => ValueRef::Bool(*b),
            serde_json::Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    ValueRef::Int(i.into())
                } else if let Some(u) = n.as_u64() {
                    ValueRef::Int(u.into())
                } else {
                    ValueRef::Float(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            serde_json::Value::String(s) => ValueRef::Str(s),
            serde_json::Value::Array(a) => ValueRef::List(ListRef::Json(a)),
            serde_json::Value::Object(o) => ValueRef::Object(ObjectRef::Json(o)),
        }
    }
}

/// A borrowed list: a JSON array, or a slice of plain Rust values from a typed context.
#[derive(Clone, Copy, Debug)]
pub enum ListRef<'a> {
    /// Elements of an ff [`Value`] array.
    Values(&'a [Value]),
    /// Elements of a `serde_json` array.
    Json(&'a [serde_json::Value]),
    /// String slices.
    Strs(&'a [&'a str]),
    /// Owned strings.
    Strings(&'a [String]),
    /// Integers.
    Ints(&'a [i64]),
    /// Floats.
    Floats(&'a [f64]),
    /// Booleans.
    Bools(&'a [bool]),
    /// Strings as a service holds them (a typed context's list of strings).
    StrSlice(StrSlice<'a>),
    /// Integers of any primitive type (a typed context's list of integers).
    IntSlice(IntSlice<'a>),
}

impl<'a> ListRef<'a> {
    /// The number of elements.
    pub fn len(self) -> usize {
        match self {
            ListRef::Values(s) => s.len(),
            ListRef::Json(s) => s.len(),
            ListRef::Strs(s) => s.len(),
            ListRef::Strings(s) => s.len(),
            ListRef::Ints(s) => s.len(),
            ListRef::Floats(s) => s.len(),
            ListRef::Bools(s) => s.len(),
            ListRef::StrSlice(s) => s.len(),
            ListRef::IntSlice(s) => s.len(),
        }
    }

    /// Whether the list is empty.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The element at `index`; `None` past the end.
    pub fn get(self, index: usize) -> Option<ValueRef<'a>> {
        Some(match self {
            ListRef::Values(s) => s.get(index)?.as_ref(),
            ListRef::Json(s) => s.get(index)?.into(),
            ListRef::Strs(s) => ValueRef::Str(s.get(index)?),
            ListRef::Strings(s) => ValueRef::Str(s.get(index)?),
            ListRef::Ints(s) => ValueRef::Int((*s.get(index)?).into()),
            ListRef::Floats(s) => ValueRef::Float(*s.get(index)?),
            ListRef::Bools(s) => ValueRef::Bool(*s.get(index)?),
            ListRef::StrSlice(s) => ValueRef::Str(s.get(index)?),
            ListRef::IntSlice(s) => ValueRef::Int(s.get(index)?),
        })
    }

    /// The elements in order.
    pub fn iter(self) -> impl Iterator<Item = ValueRef<'a>> {
        (0..self.len()).map(move |i| self.get(i).expect("index below len"))
    }
}

/// A borrowed object: an ff [`Map`] or a `serde_json` map.
#[derive(Clone, Copy, Debug)]
pub enum ObjectRef<'a> {
    /// An ff object.
    Values(&'a Map),
    /// A `serde_json` object.
    Json(&'a serde_json::Map<String, serde_json::Value>),
}

impl<'a> ObjectRef<'a> {
    /// The number of keys.
    pub fn len(self) -> usize {
        match self {
            ObjectRef::Values(m) => m.len(),
            ObjectRef::Json(m) => m.len(),
        }
    }

    /// Whether the object has no keys.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The value under `key`.
    pub fn get(self, key: &str) -> Option<ValueRef<'a>> {
        match self {
            ObjectRef::Values(m) => m.get(key).map(Value::as_ref),
            ObjectRef::Json(m) => m.get(key).map(Into::into),
        }
    }

    /// Whether `key` is present.
    pub fn contains_key(self, key: &str) -> bool {
        match self {
            ObjectRef::Values(m) => m.contains_key(key),
            ObjectRef::Json(m) => m.contains_key(key),
        }
    }

    /// Calls `f` for each entry in order until it returns `false`; returns whether every
    /// call returned `true`.
    pub fn for_each(self, mut f: impl FnMut(&'a str, ValueRef<'a>) -> bool) -> bool {
        match self {
            ObjectRef::Values(m) => m.iter().all(|(k, v)| f(k, v.as_ref())),
            ObjectRef::Json(m) => m.iter().all(|(k, v)| f(k, v.into())),
        }
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
