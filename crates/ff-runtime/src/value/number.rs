//! [`Number`]: a JSON number as Python's `json` module reads it, and its text as
//! `json.dumps` writes it.

use std::fmt;

use num_bigint::BigInt;
use num_traits::ToPrimitive;

use super::ValueRef;

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
