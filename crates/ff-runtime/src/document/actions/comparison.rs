//! `EQUALS`, `NOT_EQUALS` and the four ordering actions (`KEY_GREATER_THAN_VALUE`, …):
//! Python's `==`, `!=`, `>`, `>=`, `<`, `<=` between the context value and the condition
//! value (see [`crate::value::semantics`]). Ordering unrelated types is a type mismatch (false).

use std::cmp::Ordering;

use crate::document::Action;
use crate::value::semantics::{py_eq, py_partial_cmp, TypeMismatch};
use crate::value::{Number, Value, ValueRef};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

impl Op {
    /// Whether `a OP b` holds when `a` compares with `b` as `ord`.
    #[inline]
    fn holds(self, ord: Ordering) -> bool {
        match self {
            Op::Eq => ord == Ordering::Equal,
            Op::Ne => ord != Ordering::Equal,
            Op::Gt => ord == Ordering::Greater,
            Op::Ge => ord != Ordering::Less,
            Op::Lt => ord == Ordering::Less,
            Op::Le => ord != Ordering::Greater,
        }
    }
}

/// A compiled comparison (the condition value stays in the [`crate::Condition`]).
#[derive(Clone, Debug)]
pub(crate) struct Comparison {
    op: Op,
}

impl Comparison {
    pub(crate) fn new(action: Action) -> Comparison {
        let op = match action {
            Action::Equals => Op::Eq,
            Action::NotEquals => Op::Ne,
            Action::KeyGreaterThanValue => Op::Gt,
            Action::KeyGreaterThanOrEqualValue => Op::Ge,
            Action::KeyLessThanValue => Op::Lt,
            Action::KeyLessThanOrEqualValue => Op::Le,
            other => unreachable!("{other} is not a comparison"),
        };
        Comparison { op }
    }

    #[inline]
    pub(crate) fn matches(&self, ctx: ValueRef<'_>, value: &Value) -> Result<bool, TypeMismatch> {
        // Fast paths for the common shapes (string with string, integer with integer); they
        // agree with the general rules below: Python compares strings by code point, which
        // is the byte order of their UTF-8, and integers exactly.
        match (ctx, value) {
            (ValueRef::Str(x), Value::String(y)) => {
                return Ok(match self.op {
                    Op::Eq => x == y.as_str(),
                    Op::Ne => x != y.as_str(),
                    op => op.holds(x.cmp(y.as_str())),
                })
            }
            (ValueRef::Int(x), Value::Number(Number::Int(y))) => return Ok(self.op.holds(x.cmp(y))),
            _ => {}
        }
        self.matches_slow(ctx, value)
    }

    /// Every other pair of types, with Python's rules (see [`crate::value::semantics`]).
    #[inline(never)]
    fn matches_slow(&self, ctx: ValueRef<'_>, value: &Value) -> Result<bool, TypeMismatch> {
        let b = value.as_ref();
        Ok(match self.op {
            Op::Eq => py_eq(ctx, b),
            Op::Ne => !py_eq(ctx, b),
            op => {
                let Some(ord) = py_partial_cmp(ctx, b)? else {
                    return Ok(false);
                };
                op.holds(ord)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(action: Action, ctx: &str, value: &str) -> Result<bool, TypeMismatch> {
        let m = Comparison::new(action);
        m.matches(Value::from_json(ctx).unwrap().as_ref(), &Value::from_json(value).unwrap())
    }

    #[test]
    fn equality() {
        assert_eq!(check(Action::Equals, "1", "1.0"), Ok(true));
        assert_eq!(check(Action::Equals, "true", "1"), Ok(true));
        assert_eq!(check(Action::Equals, "\"1\"", "1"), Ok(false));
        assert_eq!(check(Action::NotEquals, "null", "\"x\""), Ok(true));
        assert_eq!(check(Action::NotEquals, "\"a\"", "\"a\""), Ok(false));
    }

    #[test]
    fn fast_paths_agree_with_the_general_rules() {
        let values = ["\"a\"", "\"b\"", "\"ab\"", "\"\"", "\"é\"", "\"z\"", "1", "2", "-3", "170141183460469231731687303715884105727"];
        for action in [
            Action::Equals,
            Action::NotEquals,
            Action::KeyGreaterThanValue,
            Action::KeyGreaterThanOrEqualValue,
            Action::KeyLessThanValue,
            Action::KeyLessThanOrEqualValue,
        ] {
            let m = Comparison::new(action);
            for ctx in values {
                for value in values {
                    let (c, v) = (Value::from_json(ctx).unwrap(), Value::from_json(value).unwrap());
                    assert_eq!(m.matches(c.as_ref(), &v), m.matches_slow(c.as_ref(), &v), "{ctx} {action} {value}");
                }
            }
        }
    }

    #[test]
    fn ordering() {
        assert_eq!(check(Action::KeyGreaterThanValue, "\"30\"", "\"100\""), Ok(true));
        assert_eq!(check(Action::KeyGreaterThanValue, "\"150\"", "100"), Err(TypeMismatch("values of these types cannot be ordered")));
        assert_eq!(check(Action::KeyGreaterThanOrEqualValue, "100.5", "100"), Ok(true));
        assert_eq!(check(Action::KeyLessThanValue, "true", "2"), Ok(true));
        assert_eq!(check(Action::KeyLessThanOrEqualValue, "[1, 2]", "[1, 2]"), Ok(true));
        assert!(check(Action::KeyLessThanValue, "null", "1").is_err());
    }
}
