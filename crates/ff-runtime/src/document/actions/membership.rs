//! `KEY_IN_VALUE` (alias `IN`), `KEY_NOT_IN_VALUE` (alias `NOT_IN`), `VALUE_IN_KEY` and
//! `VALUE_NOT_IN_KEY`: Python's `in` / `not in` (see [`crate::value::semantics::py_contains`]).
//!
//! The container decides the meaning: a list tests element equality, a string tests for a
//! substring, an object tests for a key. A container of any other type, or a needle that a
//! string or object cannot hold, is a type mismatch, which makes the condition false for
//! the negated actions too (the reference's `not in` raises before it negates).
//!
//! Long string lists in `KEY_IN_VALUE` are compiled into a hash set; the result is the same
//! as the linear scan (strings only ever equal strings).

use std::collections::HashSet;

use crate::document::Action;
use crate::value::semantics::{py_contains, py_eq, TypeMismatch};
use crate::value::{Value, ValueRef};

/// Lists at least this long get a hash set of their string elements.
const SET_THRESHOLD: usize = 8;

/// A compiled membership test.
#[derive(Clone, Debug)]
pub(crate) struct Membership {
    /// `true` for `VALUE_IN_KEY`/`VALUE_NOT_IN_KEY` (the context is the container).
    context_is_container: bool,
    negate: bool,
    /// For a long list condition value: its string elements, and the rest.
    set: Option<(HashSet<Box<str>>, Vec<Value>)>,
}

impl Membership {
    pub(crate) fn new(action: Action, value: &Value) -> Membership {
        let (context_is_container, negate) = match action {
            Action::In | Action::KeyInValue => (false, false),
            Action::NotIn | Action::KeyNotInValue => (false, true),
            Action::ValueInKey => (true, false),
            Action::ValueNotInKey => (true, true),
            other => unreachable!("{other} is not a membership action"),
        };
        let set = match value {
            Value::Array(items) if !context_is_container && items.len() >= SET_THRESHOLD => {
                let strings = items.iter().filter_map(|v| v.as_str().map(Box::from)).collect();
                let others = items.iter().filter(|v| v.as_str().is_none()).cloned().collect();
                Some((strings, others))
            }
            _ => None,
        };
        Membership { context_is_container, negate, set }
    }

    #[inline]
    pub(crate) fn matches(&self, ctx: ValueRef<'_>, value: &Value) -> Result<bool, TypeMismatch> {
        // Fast path: a string in a short list. A string only ever equals a string, so this
        // is the scan below without the general equality.
        if let (false, None, ValueRef::Str(s), Value::Array(items)) = (self.context_is_container, &self.set, ctx, value) {
            let found = items.iter().any(|item| matches!(item, Value::String(t) if t.as_str() == s));
            return Ok(found != self.negate);
        }
        self.matches_slow(ctx, value)
    }

    #[inline(never)]
    fn matches_slow(&self, ctx: ValueRef<'_>, value: &Value) -> Result<bool, TypeMismatch> {
        let found = if self.context_is_container {
            py_contains(ctx, value.as_ref())?
        } else if let Some((strings, others)) = &self.set {
            match ctx {
                ValueRef::Str(s) => strings.contains(s),
                other => others.iter().any(|v| py_eq(v.as_ref(), other)),
            }
        } else {
            py_contains(value.as_ref(), ctx)?
        };
        Ok(found != self.negate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(action: Action, ctx: &str, value: &str) -> Result<bool, TypeMismatch> {
        let value = Value::from_json(value).unwrap();
        let m = Membership::new(action, &value);
        m.matches(Value::from_json(ctx).unwrap().as_ref(), &value)
    }

    #[test]
    fn containers_decide_the_meaning() {
        assert_eq!(check(Action::KeyInValue, "\"Ops\"", r#"["Agents", "Ops"]"#), Ok(true));
        assert_eq!(check(Action::KeyInValue, "\"Agents\"", r#""Agents Only""#), Ok(true));
        assert_eq!(check(Action::In, r#"["Agents"]"#, r#""Agents""#), Err(TypeMismatch("'in <string>' requires a string as left operand")));
        assert_eq!(check(Action::ValueInKey, r#"["a", "Agents"]"#, r#""Agents""#), Ok(true));
        assert_eq!(check(Action::KeyInValue, "\"k\"", r#"{"k": 0}"#), Ok(true));
        assert_eq!(check(Action::KeyInValue, "null", "[null]"), Ok(true));
        assert_eq!(check(Action::KeyNotInValue, "null", "[1]"), Ok(true));
        assert!(check(Action::KeyNotInValue, "5", "5").is_err());
        assert!(check(Action::ValueNotInKey, "null", "\"a\"").is_err());
    }

    #[test]
    fn fast_path_agrees_with_the_scan() {
        let lists = [r#"["a", "b", "c"]"#, r#"["a", 1, null, ["a"]]"#, "[]", r#"["é", ""]"#];
        for action in [Action::KeyInValue, Action::KeyNotInValue, Action::In, Action::NotIn] {
            for list in lists {
                let value = Value::from_json(list).unwrap();
                let m = Membership::new(action, &value);
                for ctx in ["\"a\"", "\"c\"", "\"\"", "\"é\"", "\"A\""] {
                    let c = Value::from_json(ctx).unwrap();
                    assert_eq!(m.matches(c.as_ref(), &value), m.matches_slow(c.as_ref(), &value), "{ctx} {action} {list}");
                }
            }
        }
    }

    #[test]
    fn hash_set_agrees_with_the_scan() {
        let list = r#"["a", "b", "c", "d", "e", "f", "g", 1, 2.5, true, [1]]"#;
        for ctx in ["\"a\"", "\"g\"", "\"z\"", "1", "1.0", "2.5", "true", "[1]", "[2]", "null", "0"] {
            let fast = check(Action::KeyInValue, ctx, list);
            let slow = py_contains(Value::from_json(list).unwrap().as_ref(), Value::from_json(ctx).unwrap().as_ref());
            assert_eq!(fast, slow, "{ctx}");
            assert_eq!(check(Action::KeyNotInValue, ctx, list), slow.map(|b| !b), "{ctx}");
        }
    }
}
