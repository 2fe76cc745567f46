//! The document model: features, rules, conditions and actions, validated and compiled.
//!
//! A [`Document`] only exists once it has passed every check the reference makes
//! (`schema.py`, spec §3); its conditions carry their compiled form (pre-parsed times,
//! zones, modulo bounds), so evaluating never re-reads the JSON. The same type serves the
//! runtime and the code generator (`ff-build`): one parser, one validator.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use crate::actions::Matcher;
use crate::error::SchemaError;
use crate::value::Value;

/// The 21 condition actions of the reference (`RuleAction` in `schema.py`), spelled exactly
/// as in documents (`"KEY_IN_VALUE"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// `EQUALS`: context value `==` condition value (Python equality: `1 == 1.0 == true`).
    Equals,
    /// `NOT_EQUALS`: context value `!=` condition value.
    NotEquals,
    /// `KEY_GREATER_THAN_VALUE`: context `>` value (numbers, strings, lists).
    KeyGreaterThanValue,
    /// `KEY_GREATER_THAN_OR_EQUAL_VALUE`: context `>=` value.
    KeyGreaterThanOrEqualValue,
    /// `KEY_LESS_THAN_VALUE`: context `<` value.
    KeyLessThanValue,
    /// `KEY_LESS_THAN_OR_EQUAL_VALUE`: context `<=` value.
    KeyLessThanOrEqualValue,
    /// `STARTSWITH`: the context string starts with the value string.
    StartsWith,
    /// `ENDSWITH`: the context string ends with the value string.
    EndsWith,
    /// `IN`: the older spelling of `KEY_IN_VALUE`.
    In,
    /// `NOT_IN`: the older spelling of `KEY_NOT_IN_VALUE`.
    NotIn,
    /// `KEY_IN_VALUE`: context `in` value (list element, substring, or object key).
    KeyInValue,
    /// `KEY_NOT_IN_VALUE`: context `not in` value.
    KeyNotInValue,
    /// `VALUE_IN_KEY`: value `in` context.
    ValueInKey,
    /// `VALUE_NOT_IN_KEY`: value `not in` context.
    ValueNotInKey,
    /// `ALL_IN_VALUE`: every element of the context list is in the value list.
    AllInValue,
    /// `ANY_IN_VALUE`: some element of the context list is in the value list.
    AnyInValue,
    /// `NONE_IN_VALUE`: no element of the context list is in the value list.
    NoneInValue,
    /// `SCHEDULE_BETWEEN_TIME_RANGE`: the wall-clock minute is within `START`..`END`.
    ScheduleBetweenTimeRange,
    /// `SCHEDULE_BETWEEN_DATETIME_RANGE`: the wall-clock date-time is within `START`..`END`.
    ScheduleBetweenDatetimeRange,
    /// `SCHEDULE_BETWEEN_DAYS_OF_WEEK`: today (in the zone) is one of `DAYS`.
    ScheduleBetweenDaysOfWeek,
    /// `MODULO_RANGE`: `START <= context % BASE <= END`.
    ModuloRange,
}

impl Action {
    /// Every action, in the reference's order (the order its error message lists them).
    pub const ALL: [Action; 21] = [
        Action::Equals,
        Action::NotEquals,
        Action::KeyGreaterThanValue,
        Action::KeyGreaterThanOrEqualValue,
        Action::KeyLessThanValue,
        Action::KeyLessThanOrEqualValue,
        Action::StartsWith,
        Action::EndsWith,
        Action::In,
        Action::NotIn,
        Action::KeyInValue,
        Action::KeyNotInValue,
        Action::ValueInKey,
        Action::ValueNotInKey,
        Action::AllInValue,
        Action::AnyInValue,
        Action::NoneInValue,
        Action::ScheduleBetweenTimeRange,
        Action::ScheduleBetweenDatetimeRange,
        Action::ScheduleBetweenDaysOfWeek,
        Action::ModuloRange,
    ];

    /// The document spelling, e.g. `"KEY_IN_VALUE"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Equals => "EQUALS",
            Action::NotEquals => "NOT_EQUALS",
            Action::KeyGreaterThanValue => "KEY_GREATER_THAN_VALUE",
            Action::KeyGreaterThanOrEqualValue => "KEY_GREATER_THAN_OR_EQUAL_VALUE",
            Action::KeyLessThanValue => "KEY_LESS_THAN_VALUE",
            Action::KeyLessThanOrEqualValue => "KEY_LESS_THAN_OR_EQUAL_VALUE",
            Action::StartsWith => "STARTSWITH",
            Action::EndsWith => "ENDSWITH",
            Action::In => "IN",
            Action::NotIn => "NOT_IN",
            Action::KeyInValue => "KEY_IN_VALUE",
            Action::KeyNotInValue => "KEY_NOT_IN_VALUE",
            Action::ValueInKey => "VALUE_IN_KEY",
            Action::ValueNotInKey => "VALUE_NOT_IN_KEY",
            Action::AllInValue => "ALL_IN_VALUE",
            Action::AnyInValue => "ANY_IN_VALUE",
            Action::NoneInValue => "NONE_IN_VALUE",
            Action::ScheduleBetweenTimeRange => "SCHEDULE_BETWEEN_TIME_RANGE",
            Action::ScheduleBetweenDatetimeRange => "SCHEDULE_BETWEEN_DATETIME_RANGE",
            Action::ScheduleBetweenDaysOfWeek => "SCHEDULE_BETWEEN_DAYS_OF_WEEK",
            Action::ModuloRange => "MODULO_RANGE",
        }
    }

    /// Whether this is one of the three `SCHEDULE_*` actions, which read the clock and
    /// ignore the context (their `key` is `CURRENT_TIME`, `CURRENT_DATETIME` or
    /// `CURRENT_DAY_OF_WEEK`).
    pub fn is_time_based(self) -> bool {
        matches!(
            self,
            Action::ScheduleBetweenTimeRange
                | Action::ScheduleBetweenDatetimeRange
                | Action::ScheduleBetweenDaysOfWeek
        )
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The spelling is not one of the 21 actions (exact, upper-case).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown action `{0}`")]
pub struct UnknownAction(pub String);

impl FromStr for Action {
    type Err = UnknownAction;
    fn from_str(s: &str) -> Result<Action, UnknownAction> {
        Action::ALL.into_iter().find(|a| a.as_str() == s).ok_or_else(|| UnknownAction(s.to_owned()))
    }
}

/// One condition of a rule: `action` applied to the context value under `key` and `value`.
#[derive(Clone, Debug)]
pub struct Condition {
    /// The action.
    pub action: Action,
    /// The context key (a literal key: `"user.tier"` is one key), or for time actions
    /// `CURRENT_TIME` / `CURRENT_DATETIME` / `CURRENT_DAY_OF_WEEK`.
    pub key: String,
    /// The condition value as written in the document.
    pub value: Value,
    pub(crate) matcher: Matcher,
}

/// A rule: when every condition matches (they are ANDed, in order), the feature takes the
/// rule's `when_match` value.
#[derive(Clone, Debug)]
pub struct Rule {
    /// The rule's name (its key in `rules`); never empty.
    pub name: String,
    /// `when_match` as written; `None` when the key is absent (allowed only for non-boolean
    /// features, whose value is then `null`, as in the reference).
    pub when_match: Option<Value>,
    /// The conditions, in document order; never empty.
    pub conditions: Vec<Condition>,
}

impl Rule {
    /// The value a match produces: `when_match`, or `null` when it is absent.
    pub fn value(&self) -> &Value {
        static NULL: Value = Value::Null;
        self.when_match.as_ref().unwrap_or(&NULL)
    }
}

/// A feature (a flag): its default, whether it is boolean, and its rules in document order.
#[derive(Clone, Debug)]
pub struct Feature {
    /// The feature's name (its key in the document; may be any string, even `""`).
    pub name: String,
    /// `default`: never `null`; a boolean for boolean features.
    pub default: Value,
    /// Whether the feature is boolean: `boolean_type` absent or truthy in Python terms
    /// (so `"false"` is boolean and `0`, `""`, `null` are not).
    pub boolean: bool,
    /// The rules in document order; empty when `rules` is absent or falsy.
    pub rules: Vec<Rule>,
}

/// A validated, compiled feature-flags document.
///
/// Build one with [`Document::parse`] (from JSON text, with line and column in errors) or
/// [`Document::from_value`]. Features keep document order.
#[derive(Clone, Debug, Default)]
pub struct Document {
    pub(crate) features: Vec<Feature>,
    /// Feature name → position. foldhash: names are short, and this lookup is on the
    /// evaluation path of the dynamic API.
    pub(crate) index: HashMap<Box<str>, usize, foldhash::fast::RandomState>,
}

impl Document {
    /// Parses and validates JSON text.
    ///
    /// # Errors
    /// [`SchemaError`] with every problem found (JSON syntax, or each failed check with its
    /// JSON pointer, line and column, and the reference's message).
    pub fn parse(text: &str) -> Result<Document, SchemaError> {
        let parsed = crate::json::parse(text)
            .map_err(|e| SchemaError { source_name: None, parse: Some(e), problems: Vec::new() })?;
        crate::validate::validate(&parsed.value).map_err(|mut err| {
            let locator = crate::json::Locator::new(text);
            for problem in &mut err.problems {
                let segments = crate::validate::pointer_segments(&problem.pointer);
                problem.location = locator.locate(&segments);
            }
            err
        })
    }

    /// Validates an already-parsed value (no locations in errors).
    ///
    /// # Errors
    /// [`SchemaError`] with every problem found.
    pub fn from_value(value: &Value) -> Result<Document, SchemaError> {
        crate::validate::validate(value)
    }

    /// The features in document order.
    pub fn features(&self) -> &[Feature] {
        &self.features
    }

    /// The feature named `name` (case-sensitive).
    pub fn feature(&self, name: &str) -> Option<&Feature> {
        self.index.get(name).map(|&i| &self.features[i])
    }

    /// The position of feature `name` in [`Document::features`].
    pub fn position(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    /// Number of features.
    pub fn len(&self) -> usize {
        self.features.len()
    }

    /// Whether the document has no features (`{}` is a valid document).
    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    pub(crate) fn from_features(features: Vec<Feature>) -> Document {
        let index = features.iter().enumerate().map(|(i, f)| (Box::from(f.name.as_str()), i)).collect();
        Document { features, index }
    }
}
