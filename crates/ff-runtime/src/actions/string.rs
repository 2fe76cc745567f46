//! `STARTSWITH` and `ENDSWITH`: Python's `str.startswith` / `str.endswith`. Both operands
//! must be strings (a non-string context has no such method, and a non-string condition
//! value is a `TypeError` in the reference): otherwise the condition is false. Matching is
//! case-sensitive and `""` is a prefix and suffix of every string.

use crate::document::Action;
use crate::semantics::TypeMismatch;
use crate::value::{Value, ValueRef};

/// A compiled prefix or suffix test.
#[derive(Clone, Debug)]
pub(crate) struct Affix {
    suffix: bool,
    /// `None` when the condition value is not a string (never matches).
    text: Option<String>,
}

impl Affix {
    pub(crate) fn new(action: Action, value: &Value) -> Affix {
        Affix { suffix: action == Action::EndsWith, text: value.as_str().map(str::to_owned) }
    }

    #[inline]
    pub(crate) fn matches(&self, ctx: ValueRef<'_>) -> Result<bool, TypeMismatch> {
        let ValueRef::Str(s) = ctx else {
            return Err(TypeMismatch("the context value is not a string"));
        };
        let Some(affix) = &self.text else {
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
        let starts = Affix::new(Action::StartsWith, &Value::from("Admin"));
        assert_eq!(starts.matches(ValueRef::Str("Admin.kim")), Ok(true));
        assert_eq!(starts.matches(ValueRef::Str("admin.kim")), Ok(false));
        assert!(starts.matches(ValueRef::Int(1)).is_err());
        let ends = Affix::new(Action::EndsWith, &Value::from(""));
        assert_eq!(ends.matches(ValueRef::Str("x")), Ok(true));
        let list = Affix::new(Action::EndsWith, &Value::from_json("[\"a\"]").unwrap());
        assert!(list.matches(ValueRef::Str("a")).is_err());
    }
}
