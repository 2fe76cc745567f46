//! The borrowed views the rule engine compares: [`ValueRef`], [`ListRef`], [`ObjectRef`].

use num_bigint::BigInt;

use super::{IntSlice, Map, Number, StrSlice, Value};

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
