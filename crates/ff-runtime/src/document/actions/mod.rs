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
use crate::value::semantics::TypeMismatch;
use crate::document::validate::Invalid;
use crate::value::{Value, ValueRef};

/// The key id of a condition whose document has not assigned one yet, and of schedule
/// conditions (they read the clock, not the context).
pub(crate) const NO_KEY: u32 = u32::MAX;

/// A condition compiled for evaluation: the condition value pre-parsed for its action, and
/// the condition key's id in its document's key table (see [`crate::Document`]), through
/// which a typed context serves the key from a field slot instead of by name.
#[derive(Clone, Debug)]
pub(crate) struct Matcher {
    /// Position of the condition's key in the document's key table; [`NO_KEY`] for
    /// schedule conditions.
    pub(crate) key: u32,
    kind: Kind,
}

/// The large variants are boxed: the common ones (comparisons, short lists) then sit in a
/// few bytes next to the key id, and the variant is a plain tag.
#[derive(Clone, Debug)]
enum Kind {
    Comparison(comparison::Comparison),
    String(string::Affix),
    Membership(Box<membership::Membership>),
    Intersection(intersection::Intersection),
    Modulo(Box<modulo::ModuloRange>),
    Time(Box<time::Schedule>),
}

impl Matcher {
    fn new(kind: Kind) -> Matcher {
        Matcher { key: NO_KEY, kind }
    }

    /// Whether this is a schedule condition (it reads the clock and ignores the context).
    #[inline]
    pub(crate) fn reads_clock(&self) -> bool {
        matches!(self.kind, Kind::Time(_))
    }

    /// Whether the context value `ctx` satisfies the condition whose document value is
    /// `value`; `Err` where the reference's comparator raises (the condition is then false).
    /// Time matchers ignore `ctx`.
    #[inline]
    pub(crate) fn matches(&self, ctx: ValueRef<'_>, value: &Value, now: &mut Now<'_>) -> Result<bool, TypeMismatch> {
        match &self.kind {
            Kind::Comparison(m) => m.matches(ctx, value),
            Kind::String(m) => m.matches(ctx, value),
            Kind::Membership(m) => m.matches(ctx, value),
            Kind::Intersection(m) => m.matches(ctx, value),
            Kind::Modulo(m) => m.matches(ctx),
            Kind::Time(m) => m.matches(now.get()),
        }
    }

    /// For a schedule condition: its zone's name and the wall clock there at `now` (what
    /// the condition compares), for explanations. `None` for other conditions.
    pub(crate) fn clock_reading(&self, now: jiff::Timestamp) -> Option<(&str, jiff::civil::DateTime)> {
        match &self.kind {
            Kind::Time(m) => m.local(now),
            _ => None,
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
    Ok(Matcher::new(match action {
        Action::Equals
        | Action::NotEquals
        | Action::KeyGreaterThanValue
        | Action::KeyGreaterThanOrEqualValue
        | Action::KeyLessThanValue
        | Action::KeyLessThanOrEqualValue => Kind::Comparison(comparison::Comparison::new(action)),
        Action::StartsWith | Action::EndsWith => Kind::String(string::Affix::new(action)),
        Action::In
        | Action::NotIn
        | Action::KeyInValue
        | Action::KeyNotInValue
        | Action::ValueInKey
        | Action::ValueNotInKey => Kind::Membership(Box::new(membership::Membership::new(action, value))),
        Action::AllInValue | Action::AnyInValue | Action::NoneInValue => {
            Kind::Intersection(intersection::Intersection::compile(action, value, rule)?)
        }
        Action::ModuloRange => Kind::Modulo(Box::new(modulo::ModuloRange::compile(value, rule)?)),
        Action::ScheduleBetweenTimeRange
        | Action::ScheduleBetweenDatetimeRange
        | Action::ScheduleBetweenDaysOfWeek => Kind::Time(Box::new(time::Schedule::compile(action, value, rule)?)),
    }))
}
