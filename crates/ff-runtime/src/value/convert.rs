//! Conversions into and out of [`Value`]: from Rust scalars, strings, vectors and maps,
//! from and to `serde_json::Value`, and serde's `Serialize`/`Deserialize`.

use num_bigint::BigInt;

use std::fmt;

use super::{Map, Number, Value};

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
