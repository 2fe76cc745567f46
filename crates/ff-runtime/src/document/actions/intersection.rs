//! `ANY_IN_VALUE`, `ALL_IN_VALUE` and `NONE_IN_VALUE`: the context must be a list, and its
//! elements are looked up in the condition's list by Python equality.
//!
//! * `ANY_IN_VALUE`: some element is in the value list (`[]` → false).
//! * `ALL_IN_VALUE`: every element is (`[]` → true, vacuously).
//! * `NONE_IN_VALUE`: no element is (`[]` → true).
//!
//! A context that is not a list (a string, an object, `null`) is a type mismatch, so the
//! condition is false for all three, `NONE_IN_VALUE` included. Validation requires the
//! condition value to be a list.

use crate::document::Action;
use crate::value::semantics::{py_eq, TypeMismatch};
use crate::document::validate::Invalid;
use crate::value::{Value, ValueRef};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Quantifier {
    Any,
    All,
    None,
}

/// A compiled list intersection.
#[derive(Clone, Debug)]
pub(crate) struct Intersection {
    quantifier: Quantifier,
}

impl Intersection {
    pub(crate) fn compile(action: Action, value: &Value, rule: &str) -> Result<Intersection, Invalid> {
        let quantifier = match action {
            Action::AnyInValue => Quantifier::Any,
            Action::AllInValue => Quantifier::All,
            Action::NoneInValue => Quantifier::None,
            other => unreachable!("{other} is not a list intersection"),
        };
        let Value::Array(_) = value else {
            return Err(Invalid::new(
                &["value"],
                format!("expected `value` of {action} to be an array, found {}", crate::document::validate::describe(value)),
                format!("{action} action must have a list value, rule={rule}"),
            ));
        };
        Ok(Intersection { quantifier })
    }

    #[inline]
    pub(crate) fn matches(&self, ctx: ValueRef<'_>, value: &Value) -> Result<bool, TypeMismatch> {
        let ValueRef::List(items) = ctx else {
            return Err(TypeMismatch("the context value is not a list"));
        };
        let values = value.as_array().unwrap_or_default();
        let contains = |item: ValueRef<'_>| values.iter().any(|v| py_eq(v.as_ref(), item));
        Ok(match self.quantifier {
            Quantifier::Any => items.iter().any(contains),
            Quantifier::All => items.iter().all(contains),
            Quantifier::None => !items.iter().any(contains),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(action: Action, ctx: &str, value: &str) -> Result<bool, TypeMismatch> {
        let value = Value::from_json(value).unwrap();
        let m = Intersection::compile(action, &value, "r").ok().unwrap();
        m.matches(Value::from_json(ctx).unwrap().as_ref(), &value)
    }

    #[test]
    fn quantifiers() {
        assert_eq!(check(Action::AnyInValue, r#"["x", "staff"]"#, r#"["staff"]"#), Ok(true));
        assert_eq!(check(Action::AnyInValue, "[]", r#"["staff"]"#), Ok(false));
        assert_eq!(check(Action::AllInValue, "[]", r#"["staff"]"#), Ok(true));
        assert_eq!(check(Action::AllInValue, r#"["beta", "x"]"#, r#"["beta"]"#), Ok(false));
        assert_eq!(check(Action::NoneInValue, "[1.0]", "[1]"), Ok(false));
        assert_eq!(check(Action::NoneInValue, "[]", "[1]"), Ok(true));
        assert!(check(Action::NoneInValue, "\"beta\"", "[1]").is_err());
        assert!(check(Action::AnyInValue, "null", "[1]").is_err());
    }

    #[test]
    fn value_must_be_a_list() {
        let err = Intersection::compile(Action::AnyInValue, &Value::from("x"), "r").err().unwrap();
        assert_eq!(err.reference, "ANY_IN_VALUE action must have a list value, rule=r");
    }
}
