//! Python's value semantics, as the reference's comparators apply them to JSON values.
//!
//! * Numbers form one tower: `bool` counts as `0`/`1`, integers are exact at any size, and
//!   an integer compares with a float by exact value (`2**53 + 1 != 2.0**53`).
//! * `==` never raises: values of unrelated types are simply unequal. Lists compare in
//!   order; objects compare as sets of keys with equal values.
//! * `<`, `<=`, `>`, `>=` are defined for number/number, string/string (by code point) and
//!   list/list (lexicographically, by the first unequal element); anything else is a
//!   `TypeError`, which the reference turns into "condition false".
//! * `in` is element equality for lists, substring for strings (the needle must be a string)
//!   and key membership for objects (the needle must be hashable); any other container is a
//!   `TypeError`.

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_traits::{ToPrimitive, Zero};

use crate::value::{ListRef, ValueRef};

/// The reference would have raised (`TypeError`, `AttributeError`, `ValueError`): the
/// operands' types do not support the operation. The condition is false.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TypeMismatch(pub &'static str);

/// A number of the tower, borrowed.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Num<'a> {
    Int(i128),
    Big(&'a BigInt),
    Float(f64),
}

/// The value as a number of the tower (`bool` included), if it is one.
pub(crate) fn as_num(v: ValueRef<'_>) -> Option<Num<'_>> {
    match v {
        ValueRef::Bool(b) => Some(Num::Int(b as i128)),
        ValueRef::Int(i) => Some(Num::Int(i)),
        ValueRef::Big(b) => Some(Num::Big(b)),
        ValueRef::Float(x) => Some(Num::Float(x)),
        _ => None,
    }
}

/// Exact comparison of an integer with a float (`None` when the float is NaN).
fn cmp_int_float(i: i128, x: f64) -> Option<Ordering> {
    if x.is_nan() {
        return None;
    }
    // 2^127 is exactly representable; every float at or beyond it exceeds every i128.
    const LIMIT: f64 = 170_141_183_460_469_231_731_687_303_715_884_105_728.0;
    if x >= LIMIT {
        return Some(Ordering::Less);
    }
    if x < -LIMIT {
        return Some(Ordering::Greater);
    }
    let trunc = x.trunc();
    // `trunc` is integral and within i128, so the conversion is exact.
    let t = trunc as i128;
    match i.cmp(&t) {
        Ordering::Equal => 0.0f64.partial_cmp(&(x - trunc)),
        other => Some(other),
    }
}

fn cmp_big_float(b: &BigInt, x: f64) -> Option<Ordering> {
    if x.is_nan() {
        return None;
    }
    if x.is_infinite() {
        return Some(if x > 0.0 { Ordering::Less } else { Ordering::Greater });
    }
    let trunc = x.trunc();
    let t = BigInt::from_f64_exact(trunc);
    match b.cmp(&t) {
        Ordering::Equal => 0.0f64.partial_cmp(&(x - trunc)),
        other => Some(other),
    }
}

trait FromF64Exact {
    fn from_f64_exact(x: f64) -> BigInt;
}

impl FromF64Exact for BigInt {
    /// An integral, finite float as an exact big integer.
    fn from_f64_exact(x: f64) -> BigInt {
        num_traits::FromPrimitive::from_f64(x).unwrap_or_else(BigInt::zero)
    }
}

/// Compares two numbers of the tower exactly (`None` when a NaN is involved).
pub(crate) fn cmp_num(a: Num<'_>, b: Num<'_>) -> Option<Ordering> {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => Some(x.cmp(&y)),
        (Num::Float(x), Num::Float(y)) => x.partial_cmp(&y),
        (Num::Int(x), Num::Float(y)) => cmp_int_float(x, y),
        (Num::Float(x), Num::Int(y)) => cmp_int_float(y, x).map(Ordering::reverse),
        (Num::Big(x), Num::Big(y)) => Some(x.cmp(y)),
        // Normalised: a Big is outside i128, so its sign decides.
        (Num::Big(x), Num::Int(_)) => Some(if x.sign() == num_bigint::Sign::Minus { Ordering::Less } else { Ordering::Greater }),
        (Num::Int(_), Num::Big(y)) => Some(if y.sign() == num_bigint::Sign::Minus { Ordering::Greater } else { Ordering::Less }),
        (Num::Big(x), Num::Float(y)) => cmp_big_float(x, y),
        (Num::Float(x), Num::Big(y)) => cmp_big_float(y, x).map(Ordering::reverse),
    }
}

/// Python's `a == b` for JSON values.
pub fn py_eq(a: ValueRef<'_>, b: ValueRef<'_>) -> bool {
    match (a, b) {
        (ValueRef::Null, ValueRef::Null) => true,
        (ValueRef::Str(x), ValueRef::Str(y)) => x == y,
        (ValueRef::List(x), ValueRef::List(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| py_eq(p, q))
        }
        (ValueRef::Object(x), ValueRef::Object(y)) => {
            x.len() == y.len() && x.for_each(|k, v| y.get(k).is_some_and(|w| py_eq(v, w)))
        }
        _ => match (as_num(a), as_num(b)) {
            (Some(x), Some(y)) => cmp_num(x, y) == Some(Ordering::Equal),
            _ => false,
        },
    }
}

/// Python's ordering of `a` against `b`: `Ok(None)` when unordered (NaN), `Err` when the
/// types cannot be ordered (the reference's `TypeError`).
pub fn py_partial_cmp(a: ValueRef<'_>, b: ValueRef<'_>) -> Result<Option<Ordering>, TypeMismatch> {
    match (a, b) {
        (ValueRef::Str(x), ValueRef::Str(y)) => Ok(Some(x.cmp(y))),
        (ValueRef::List(x), ValueRef::List(y)) => cmp_lists(x, y),
        _ => match (as_num(a), as_num(b)) {
            (Some(x), Some(y)) => Ok(cmp_num(x, y)),
            _ => Err(TypeMismatch("values of these types cannot be ordered")),
        },
    }
}

fn cmp_lists(x: ListRef<'_>, y: ListRef<'_>) -> Result<Option<Ordering>, TypeMismatch> {
    for (p, q) in x.iter().zip(y.iter()) {
        if !py_eq(p, q) {
            return py_partial_cmp(p, q);
        }
    }
    Ok(Some(x.len().cmp(&y.len())))
}

/// Python's `needle in container`.
pub fn py_contains(container: ValueRef<'_>, needle: ValueRef<'_>) -> Result<bool, TypeMismatch> {
    match container {
        ValueRef::List(items) => Ok(items.iter().any(|item| py_eq(item, needle))),
        ValueRef::Str(haystack) => match needle {
            ValueRef::Str(s) => Ok(haystack.contains(s)),
            _ => Err(TypeMismatch("'in <string>' requires a string as left operand")),
        },
        ValueRef::Object(map) => match needle {
            ValueRef::Str(s) => Ok(map.contains_key(s)),
            ValueRef::List(_) | ValueRef::Object(_) => Err(TypeMismatch("unhashable type")),
            _ => Ok(false),
        },
        _ => Err(TypeMismatch("argument of this type is not a container")),
    }
}

/// Python's floor modulo `a % base` for a numeric `a` and an integer `base >= 1`.
pub(crate) enum Remainder {
    Int(BigOrSmall),
    Float(f64),
}

pub(crate) enum BigOrSmall {
    Small(i128),
    Big(BigInt),
}

/// `a % base` with Python's semantics (the result takes the sign of `base`).
pub(crate) fn py_mod(a: Num<'_>, base: Num<'_>) -> Result<Remainder, TypeMismatch> {
    match (a, base) {
        (Num::Int(x), Num::Int(m)) if m != 0 => {
            let r = x.checked_rem(m).unwrap_or(0);
            Ok(Remainder::Int(BigOrSmall::Small(if r != 0 && ((r < 0) != (m < 0)) { r + m } else { r })))
        }
        (Num::Float(x), _) => {
            let m = match base {
                Num::Int(m) => m as f64,
                Num::Big(m) => m.to_f64().filter(|f| f.is_finite()).ok_or(TypeMismatch("int too large to convert to float"))?,
                Num::Float(m) => m,
            };
            if m == 0.0 {
                return Err(TypeMismatch("modulo by zero"));
            }
            Ok(Remainder::Float(float_mod(x, m)))
        }
        (Num::Int(_) | Num::Big(_), Num::Float(_)) => Err(TypeMismatch("float modulo base")),
        (x, m) => {
            let x = to_big(x);
            let m = to_big(m);
            if m.is_zero() {
                return Err(TypeMismatch("modulo by zero"));
            }
            let r = num_integer::Integer::mod_floor(&x, &m);
            Ok(Remainder::Int(match r.to_i128() {
                Some(small) => BigOrSmall::Small(small),
                None => BigOrSmall::Big(r),
            }))
        }
    }
}

fn to_big(n: Num<'_>) -> BigInt {
    match n {
        Num::Int(i) => BigInt::from(i),
        Num::Big(b) => b.clone(),
        Num::Float(x) => BigInt::from_f64_exact(x.trunc()),
    }
}

/// CPython's `float_rem`: `fmod`, then moved into the sign of the divisor.
fn float_mod(x: f64, m: f64) -> f64 {
    let mut r = x % m;
    if r != 0.0 {
        if (m < 0.0) != (r < 0.0) {
            r += m;
        }
    } else {
        r = 0.0f64.copysign(m);
    }
    r
}

impl Remainder {
    /// The remainder as a borrowed number, for comparisons.
    pub(crate) fn as_num(&self) -> Num<'_> {
        match self {
            Remainder::Int(BigOrSmall::Small(i)) => Num::Int(*i),
            Remainder::Int(BigOrSmall::Big(b)) => Num::Big(b),
            Remainder::Float(x) => Num::Float(*x),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    fn v(text: &str) -> Value {
        Value::from_json(text).unwrap()
    }

    #[test]
    fn equality_follows_the_numeric_tower() {
        assert!(py_eq(v("1").as_ref(), v("1.0").as_ref()));
        assert!(py_eq(v("true").as_ref(), v("1").as_ref()));
        assert!(py_eq(v("false").as_ref(), v("0.0").as_ref()));
        assert!(!py_eq(v("\"1\"").as_ref(), v("1").as_ref()));
        assert!(!py_eq(v("9007199254740993").as_ref(), v("9007199254740992.0").as_ref()));
        assert!(py_eq(v("[1, [true]]").as_ref(), v("[1.0, [1]]").as_ref()));
        assert!(!py_eq(v("[1, 2]").as_ref(), v("[2, 1]").as_ref()));
        assert!(py_eq(v(r#"{"a":1,"b":2}"#).as_ref(), v(r#"{"b":2,"a":1.0}"#).as_ref()));
        assert!(!py_eq(v(r#"{"a":1}"#).as_ref(), v(r#"{"a":1,"b":2}"#).as_ref()));
        assert!(py_eq(v("null").as_ref(), v("null").as_ref()));
        assert!(!py_eq(v("null").as_ref(), v("0").as_ref()));
        let big = v("123456789012345678901234567890123456789012");
        assert!(py_eq(big.as_ref(), big.as_ref()));
        assert!(!py_eq(big.as_ref(), v("1.2345678901234568e41").as_ref()));
    }

    #[test]
    fn ordering_and_type_errors() {
        let cmp = |a: &str, b: &str| py_partial_cmp(v(a).as_ref(), v(b).as_ref());
        assert_eq!(cmp("\"10\"", "\"9\""), Ok(Some(Ordering::Less)));
        assert_eq!(cmp("\"B\"", "\"a\""), Ok(Some(Ordering::Less)));
        assert_eq!(cmp("true", "0.5"), Ok(Some(Ordering::Greater)));
        assert_eq!(cmp("[1, 2]", "[1, 3]"), Ok(Some(Ordering::Less)));
        assert_eq!(cmp("[1, 2]", "[1]"), Ok(Some(Ordering::Greater)));
        assert_eq!(cmp("[{}]", "[{}]"), Ok(Some(Ordering::Equal)));
        assert!(cmp("[1, \"a\"]", "[1, 2]").is_err());
        assert!(cmp("\"1\"", "1").is_err());
        assert!(cmp("null", "null").is_err());
        assert!(cmp("{}", "{}").is_err());
        assert_eq!(cmp("18446744073709551690", "1.8446744073709552e19"), Ok(Some(Ordering::Greater)));
        assert_eq!(cmp("1e400", "123456789012345678901234567890123456789012"), Ok(Some(Ordering::Greater)));
    }

    #[test]
    fn membership_by_container_type() {
        let has = |c: &str, n: &str| py_contains(v(c).as_ref(), v(n).as_ref());
        assert_eq!(has("[1, 2]", "2.0"), Ok(true));
        assert_eq!(has("[[1], 2]", "[1]"), Ok(true));
        assert_eq!(has("\"abc\"", "\"b\""), Ok(true));
        assert_eq!(has("\"abc\"", "\"\""), Ok(true));
        assert!(has("\"abc\"", "1").is_err());
        assert_eq!(has(r#"{"a": 1}"#, "\"a\""), Ok(true));
        assert_eq!(has(r#"{"1": 1}"#, "1"), Ok(false));
        assert!(has(r#"{"a": 1}"#, "[\"a\"]").is_err());
        assert!(has("5", "5").is_err());
        assert!(has("null", "5").is_err());
    }

    #[test]
    fn modulo_is_floored() {
        let m = |a: &str, b: i128| match py_mod(as_num(v(a).as_ref()).unwrap(), Num::Int(b)).unwrap() {
            Remainder::Int(BigOrSmall::Small(i)) => i.to_string(),
            Remainder::Int(BigOrSmall::Big(b)) => b.to_string(),
            Remainder::Float(x) => format!("{x:?}"),
        };
        assert_eq!(m("-1", 100), "99");
        assert_eq!(m("-61", 100), "39");
        assert_eq!(m("35.5", 100), "35.5");
        assert_eq!(m("-0.5", 100), "99.5");
        assert_eq!(m("2.5", 1), "0.5");
        assert_eq!(m("true", 100), "1");
        assert_eq!(m("9223372036854775807", 100), "7");
        assert_eq!(m("18446744073709551690", 100), "90");
        assert_eq!(m("-123456789012345678901234567890123456789012", 100), "88");
    }
}
