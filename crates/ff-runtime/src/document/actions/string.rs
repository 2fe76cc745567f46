//! `STARTSWITH` and `ENDSWITH`: Python's `str.startswith` / `str.endswith`. Both operands
//! must be strings (a non-string context has no such method, and a non-string condition
//! value is a `TypeError` in the reference): otherwise the condition is false. Matching is
//! case-sensitive and `""` is a prefix and suffix of every string.

use crate::document::Action;
use crate::value::semantics::TypeMismatch;
use crate::value::{Value, ValueRef};

/// A compiled prefix or suffix test (the affix is the condition's value).
#[derive(Clone, Debug)]
pub(crate) struct Affix {
    suffix: bool,
}

impl Affix {
    pub(crate) fn new(action: Action) -> Affix {
        Affix { suffix: action == Action::EndsWith }
    }

    #[inline]
    pub(crate) fn matches(&self, ctx: ValueRef<'_>, value: &Value) -> Result<bool, TypeMismatch> {
        let ValueRef::Str(s) = ctx else {
            return Err(TypeMismatch("the context value is not a string"));
        };
        let Value::String(affix) = value else {
            return Err(TypeMismatch("the condition value is not a string"));
        };
        Ok(if self.suffix { s.ends_with(affix.as_str()) } else { s.starts_with(affix.as_str()) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_and_suffix() {
        let starts = Affix::new(Action::StartsWith);
        let admin = Value::from("Admin");
        assert_eq!(starts.matches(ValueRef::Str("Admin.kim"), &admin), Ok(true));
        assert_eq!(starts.matches(ValueRef::Str("admin.kim"), &admin), Ok(false));
        assert!(starts.matches(ValueRef::Int(1), &admin).is_err());
        let ends = Affix::new(Action::EndsWith);
        assert_eq!(ends.matches(ValueRef::Str("x"), &Value::from("")), Ok(true));
        let list = Value::from_json("[\"a\"]").unwrap();
        assert!(ends.matches(ValueRef::Str("a"), &list).is_err());
    }
}
