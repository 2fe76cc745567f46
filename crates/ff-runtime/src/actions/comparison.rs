//! `EQUALS`, `NOT_EQUALS` and the four ordering actions (`KEY_GREATER_THAN_VALUE`, …):
//! Python's `==`, `!=`, `>`, `>=`, `<`, `<=` between the context value and the condition
//! value (see [`crate::semantics`]). Ordering unrelated types is a type mismatch (false).

use std::cmp::Ordering;

use crate::document::Action;
use crate::semantics::{py_eq, py_partial_cmp, TypeMismatch};
use crate::value::{Value, ValueRef};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
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
        let b = value.as_ref();
        // Fast paths for the common shapes; they agree with the general rules below.
        match (self.op, ctx, b) {
            (Op::Eq, ValueRef::Str(x), ValueRef::Str(y)) => return Ok(x == y),
            (Op::Ne, ValueRef::Str(x), ValueRef::Str(y)) => return Ok(x != y),
            _ => {}
        }
        Ok(match self.op {
            Op::Eq => py_eq(ctx, b),
            Op::Ne => !py_eq(ctx, b),
            op => {
                let Some(ord) = py_partial_cmp(ctx, b)? else {
                    return Ok(false);
                };
                match op {
                    Op::Gt => ord == Ordering::Greater,
                    Op::Ge => ord != Ordering::Less,
                    Op::Lt => ord == Ordering::Less,
                    Op::Le => ord != Ordering::Greater,
                    Op::Eq | Op::Ne => unreachable!(),
                }
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
    fn ordering() {
        assert_eq!(check(Action::KeyGreaterThanValue, "\"30\"", "\"100\""), Ok(true));
        assert_eq!(check(Action::KeyGreaterThanValue, "\"150\"", "100"), Err(TypeMismatch("values of these types cannot be ordered")));
        assert_eq!(check(Action::KeyGreaterThanOrEqualValue, "100.5", "100"), Ok(true));
        assert_eq!(check(Action::KeyLessThanValue, "true", "2"), Ok(true));
        assert_eq!(check(Action::KeyLessThanOrEqualValue, "[1, 2]", "[1, 2]"), Ok(true));
        assert!(check(Action::KeyLessThanValue, "null", "1").is_err());
    }
}
