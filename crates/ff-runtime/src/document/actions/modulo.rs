//! `MODULO_RANGE`: `START <= context % BASE <= END`, with Python's floor modulo.
//!
//! * The value is an object with integer `BASE`, `START` and `END` (booleans count as
//!   `0`/`1`, as in Python; `100.0` is rejected), and `0 <= START <= END <= BASE - 1`.
//! * The context must be a number or a boolean. Integers are exact at any size
//!   (`18446744073709551690 % 100 == 90`); a negative integer takes the sign of the base
//!   (`-7 % 100 == 93`); a float keeps its fraction (`35.5 % 100 == 35.5`). Strings, lists,
//!   objects and `null` never match (type mismatch).
//! * There is no hashing: bucketing users needs a numeric id in the context.

use std::cmp::Ordering;

use num_bigint::BigInt;

use crate::value::semantics::{as_num, cmp_num, py_mod, Num, TypeMismatch};
use crate::document::validate::Invalid;
use crate::value::{Number, Value, ValueRef};

/// An integer bound of the range, exact at any size.
#[derive(Clone, Debug)]
enum Bound {
    Small(i128),
    Big(BigInt),
}

impl Bound {
    fn num(&self) -> Num<'_> {
        match self {
            Bound::Small(i) => Num::Int(*i),
            Bound::Big(b) => Num::Big(b),
        }
    }
}

/// A compiled modulo range.
#[derive(Clone, Debug)]
pub(crate) struct ModuloRange {
    base: Bound,
    start: Bound,
    end: Bound,
}

impl ModuloRange {
    pub(crate) fn compile(value: &Value, rule: &str) -> Result<ModuloRange, Invalid> {
        let shape = || {
            Invalid::new(
                &["value"],
                format!(
                    "expected `value` of MODULO_RANGE to be an object with integer BASE, START and END, found {}",
                    crate::document::validate::describe(value)
                ),
                format!(
                    "condition with a 'MODULO_RANGE' action must have a condition value type dictionary with 'BASE', 'START' and 'END' keys, rule={rule}"
                ),
            )
        };
        let Value::Object(map) = value else {
            return Err(shape());
        };
        let field = |name: &str| map.get(name).filter(|v| !v.is_null());
        let (Some(base), Some(start), Some(end)) = (field("BASE"), field("START"), field("END")) else {
            return Err(shape());
        };
        let int = |v: &Value| match v {
            Value::Bool(b) => Some(Bound::Small(*b as i128)),
            Value::Number(Number::Int(i)) => Some(Bound::Small(*i)),
            Value::Number(Number::Big(b)) => Some(Bound::Big((**b).clone())),
            _ => None,
        };
        let (Some(base), Some(start), Some(end)) = (int(base), int(start), int(end)) else {
            return Err(Invalid::new(
                &["value"],
                format!(
                    "expected BASE, START and END of MODULO_RANGE to be integers, found {}",
                    crate::document::validate::describe(value)
                ),
                format!("'BASE', 'START' and 'END' must be integers, rule={rule}"),
            ));
        };
        let le = |a: Num<'_>, b: Num<'_>| cmp_num(a, b) != Some(Ordering::Greater);
        // END <= BASE - 1  <=>  END < BASE for integers.
        let ordered = le(Num::Int(0), start.num())
            && le(start.num(), end.num())
            && cmp_num(end.num(), base.num()) == Some(Ordering::Less);
        if !ordered {
            return Err(Invalid::new(
                &["value"],
                format!(
                    "expected 0 <= START <= END <= BASE - 1 in MODULO_RANGE, found {}",
                    crate::document::validate::describe(value)
                ),
                format!("condition with 'MODULO_RANGE' action must satisfy 0 <= START <= END <= BASE-1, rule={rule}"),
            ));
        }
        Ok(ModuloRange { base, start, end })
    }

    #[inline]
    pub(crate) fn matches(&self, ctx: ValueRef<'_>) -> Result<bool, TypeMismatch> {
        let Some(n) = as_num(ctx) else {
            return Err(TypeMismatch("the context value is not a number"));
        };
        // Fast path: the everyday case of an i64-sized id and a small base.
        if let (Num::Int(x), Bound::Small(m), Bound::Small(s), Bound::Small(e)) = (n, &self.base, &self.start, &self.end) {
            // `BASE` is positive (validated), so Euclid's remainder is Python's floor modulo;
            // in 64 bits when both fit (an i128 division is a library call).
            let r = match (i64::try_from(x), i64::try_from(*m)) {
                (Ok(x), Ok(m)) => i128::from(x.rem_euclid(m)),
                _ => x.rem_euclid(*m),
            };
            return Ok(*s <= r && r <= *e);
        }
        let r = py_mod(n, self.base.num())?;
        let le = |a: Num<'_>, b: Num<'_>| matches!(cmp_num(a, b), Some(Ordering::Less | Ordering::Equal));
        Ok(le(self.start.num(), r.as_num()) && le(r.as_num(), self.end.num()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(text: &str) -> Result<ModuloRange, String> {
        ModuloRange::compile(&Value::from_json(text).unwrap(), "r").map_err(|e| e.reference)
    }

    fn check(r: &str, ctx: &str) -> Result<bool, TypeMismatch> {
        range(r).unwrap().matches(Value::from_json(ctx).unwrap().as_ref())
    }

    #[test]
    fn validation_matches_the_reference() {
        assert!(range(r#"{"BASE": 100, "START": 0, "END": 99}"#).is_ok());
        assert!(range(r#"{"BASE": 2, "START": true, "END": true}"#).is_ok());
        assert!(range(r#"{"BASE": 100, "START": 0}"#).unwrap_err().contains("'BASE', 'START' and 'END' keys"));
        assert!(range(r#"{"BASE": 100.0, "START": 0, "END": 1}"#).unwrap_err().contains("must be integers"));
        assert!(range(r#"{"BASE": 100, "START": 0, "END": 100}"#).unwrap_err().contains("0 <= START"));
        assert!(range(r#"{"BASE": 0, "START": 0, "END": 0}"#).unwrap_err().contains("0 <= START"));
        assert!(range(r#"{"BASE": 10, "START": 5, "END": 4}"#).unwrap_err().contains("0 <= START"));
    }

    #[test]
    fn floor_modulo_on_any_number() {
        let r = r#"{"BASE": 100, "START": 90, "END": 99}"#;
        assert_eq!(check(r, "-7"), Ok(true));
        assert_eq!(check(r, "9223372036854775899"), Ok(true));
        assert_eq!(check(r, "18446744073709551690"), Ok(true));
        assert_eq!(check(r, "12345600"), Ok(false));
        assert_eq!(check(r, "95.5"), Ok(true));
        assert_eq!(check(r, "99.5"), Ok(false));
        assert!(check(r, "\"93\"").is_err());
        assert!(check(r, "null").is_err());
        let low = r#"{"BASE": 100, "START": 0, "END": 39}"#;
        assert_eq!(check(low, "35.5"), Ok(true));
        assert_eq!(check(low, "39.5"), Ok(false));
        assert_eq!(check(low, "true"), Ok(true));
        assert_eq!(check(r#"{"BASE": 1, "START": 0, "END": 0}"#, "2.5"), Ok(false));
        let big = r#"{"BASE": 100000000000000000000000000000000000000000, "START": 0, "END": 5}"#;
        assert_eq!(check(big, "3"), Ok(true));
        assert_eq!(check(big, "-3"), Ok(false));
    }
}
