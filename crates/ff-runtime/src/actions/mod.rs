//! The condition actions, one module per family, each with its validation (the reference's
//! `_validate_<action>_key/value` checks) and its compiled matcher.
//!
//! | family | module | actions |
//! | --- | --- | --- |
//! | comparison | [`comparison`] | `EQUALS`, `NOT_EQUALS`, `KEY_GREATER_THAN_VALUE`, `KEY_GREATER_THAN_OR_EQUAL_VALUE`, `KEY_LESS_THAN_VALUE`, `KEY_LESS_THAN_OR_EQUAL_VALUE` |
//! | string | [`string`] | `STARTSWITH`, `ENDSWITH` |
//! | membership | [`membership`] | `IN`, `NOT_IN`, `KEY_IN_VALUE`, `KEY_NOT_IN_VALUE`, `VALUE_IN_KEY`, `VALUE_NOT_IN_KEY` |
//! | list intersection | [`intersection`] | `ANY_IN_VALUE`, `ALL_IN_VALUE`, `NONE_IN_VALUE` |
//! | modulo | [`modulo`] | `MODULO_RANGE` |
//! | time | [`time`] | `SCHEDULE_BETWEEN_TIME_RANGE`, `SCHEDULE_BETWEEN_DATETIME_RANGE`, `SCHEDULE_BETWEEN_DAYS_OF_WEEK` |

pub(crate) mod comparison;
pub(crate) mod intersection;
pub(crate) mod isoformat;
pub(crate) mod membership;
pub(crate) mod modulo;
pub(crate) mod string;
pub(crate) mod time;

use crate::clock::Now;
use crate::document::Action;
use crate::semantics::TypeMismatch;
use crate::validate::Invalid;
use crate::value::{Value, ValueRef};

/// A condition compiled for evaluation: the condition value pre-parsed for its action.
#[derive(Clone, Debug)]
pub(crate) enum Matcher {
    Comparison(comparison::Comparison),
    String(string::Affix),
    Membership(membership::Membership),
    Intersection(intersection::Intersection),
    Modulo(modulo::ModuloRange),
    Time(time::Schedule),
}

impl Matcher {
    /// Whether the context value `ctx` satisfies the condition whose document value is
    /// `value`; `Err` where the reference's comparator raises (the condition is then false).
    /// Time matchers ignore `ctx`.
    #[inline]
    pub(crate) fn matches(&self, ctx: ValueRef<'_>, value: &Value, now: &mut Now<'_>) -> Result<bool, TypeMismatch> {
        match self {
            Matcher::Comparison(m) => m.matches(ctx, value),
            Matcher::String(m) => m.matches(ctx, value),
            Matcher::Membership(m) => m.matches(ctx, value),
            Matcher::Intersection(m) => m.matches(ctx, value),
            Matcher::Modulo(m) => m.matches(ctx),
            Matcher::Time(m) => Ok(m.matches(now.get())),
        }
    }
}

/// The action's own check of the condition `key` (only the time actions have one: their
/// key must name the clock reading).
pub(crate) fn check_key(action: Action, key: &str, rule: &str) -> Result<(), Invalid> {
    time::check_key(action, key, rule)
}

/// The action's own check of the condition `value`, and its compiled form.
pub(crate) fn compile(action: Action, value: &Value, rule: &str) -> Result<Matcher, Invalid> {
    Ok(match action {
        Action::Equals
        | Action::NotEquals
        | Action::KeyGreaterThanValue
        | Action::KeyGreaterThanOrEqualValue
        | Action::KeyLessThanValue
        | Action::KeyLessThanOrEqualValue => Matcher::Comparison(comparison::Comparison::new(action)),
        Action::StartsWith | Action::EndsWith => Matcher::String(string::Affix::new(action)),
        Action::In
        | Action::NotIn
        | Action::KeyInValue
        | Action::KeyNotInValue
        | Action::ValueInKey
        | Action::ValueNotInKey => Matcher::Membership(membership::Membership::new(action, value)),
        Action::AllInValue | Action::AnyInValue | Action::NoneInValue => {
            Matcher::Intersection(intersection::Intersection::compile(action, value, rule)?)
        }
        Action::ModuloRange => Matcher::Modulo(modulo::ModuloRange::compile(value, rule)?),
        Action::ScheduleBetweenTimeRange
        | Action::ScheduleBetweenDatetimeRange
        | Action::ScheduleBetweenDaysOfWeek => Matcher::Time(time::Schedule::compile(action, value, rule)?),
    })
}
