//! **The document layer**: the document model, its validation (`validate`), its lints
//! ([`lint`]: what the reference accepts but is likely a typo), the
//! condition actions (`actions`) and the compiled-in [`Layout`] a live document is resolved
//! against. It uses the value layer, `crate::clock` (schedule actions) and `crate::error`.
//!
//! The document model: features, rules, conditions and actions, validated and compiled.
//!
//! A [`Document`] only exists once it has passed every check the reference makes
//! (`schema.py`, spec §3); its conditions carry their compiled form (pre-parsed times,
//! zones, modulo bounds), so evaluating never re-reads the JSON. The same type serves the
//! runtime and the code generator (`ff-build`): one parser, one validator.

use std::collections::HashMap;
use std::fmt;
use std::hash::BuildHasher;
use std::str::FromStr;
use std::sync::OnceLock;

pub(crate) mod actions;
mod layout;
pub mod lint;
pub mod metadata;
pub mod native;
pub(crate) mod validate;
mod version;

#[doc(hidden)]
pub use layout::Layout;
pub use version::content_version;
pub use metadata::{metadata_warnings, Metadata, MetadataWarning, METADATA_KEY};

use actions::{Matcher, NO_KEY};
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

impl Feature {
    /// Whether `other` is this feature written the same way (see [`Value::same`]): the
    /// same name, default and type, and the same rules (names included: the typed
    /// `*_details` accessors name the compiled-in rule of a native evaluation) with the same
    /// `when_match` and conditions.
    pub(crate) fn same(&self, other: &Feature) -> bool {
        self.name == other.name
            && self.boolean == other.boolean
            && self.default.same(&other.default)
            && self.rules.len() == other.rules.len()
            && self.rules.iter().zip(&other.rules).all(|(a, b)| {
                let when_match = match (&a.when_match, &b.when_match) {
                    (None, None) => true,
                    (Some(x), Some(y)) => x.same(y),
                    _ => false,
                };
                when_match
                    && a.name == b.name
                    && a.conditions.len() == b.conditions.len()
                    && a.conditions
                        .iter()
                        .zip(&b.conditions)
                        .all(|(c, d)| c.action == d.action && c.key == d.key && c.value.same(&d.value))
            })
    }
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
    /// ff's lifecycle metadata (the feature's `"x-ff"` object; empty without one). It
    /// never changes an evaluation, and `Feature::same` ignores it.
    pub metadata: Metadata,
}

/// A validated, compiled feature-flags document.
///
/// Build one with [`Document::parse`] (from JSON text, with line and column in errors) or
/// [`Document::from_value`]. Features keep document order.
#[derive(Clone, Debug, Default)]
pub struct Document {
    pub(crate) features: Vec<Feature>,
    /// Feature name → position (see [`Index`]).
    index: Index,
    /// The distinct context keys that conditions read, in order of first appearance; each
    /// condition's matcher holds the position of its key here.
    pub(crate) keys: Box<[Box<str>]>,
    /// This document resolved against the layout of the generated code that first read it
    /// (see [`Document::resolve`]).
    resolved: OnceLock<Resolved>,
}

/// Feature name → position in [`Document::features`]: open addressing over positions,
/// each stored with the upper half of its name's hash, so that the names are not copied
/// (the index costs 16 bytes per feature, not a second copy of every name). foldhash,
/// seeded per document: names are short, and this lookup is on the evaluation path of the
/// dynamic API.
#[derive(Clone, Debug, Default)]
struct Index {
    hasher: foldhash::fast::RandomState,
    /// `(position + 1) | hash << 32`, or 0 for an empty slot; a power of two long, at most
    /// half full.
    slots: Box<[u64]>,
}

impl Index {
    fn new(features: &[Feature]) -> Index {
        let hasher = foldhash::fast::RandomState::default();
        let mut slots = vec![0u64; (features.len() * 2).next_power_of_two().max(2)].into_boxed_slice();
        let mask = slots.len() - 1;
        for (position, feature) in features.iter().enumerate() {
            let hash = hasher.hash_one(feature.name.as_str());
            let mut i = hash as usize & mask;
            // Names are unique (they are the keys of one JSON object); a repeated one
            // would keep its first position.
            while slots[i] != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = (position as u64 + 1) | (hash & 0xffff_ffff_0000_0000);
        }
        Index { hasher, slots }
    }

    #[inline]
    fn get(&self, features: &[Feature], name: &str) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        let hash = self.hasher.hash_one(name);
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                return None;
            }
            let position = (slot & 0xffff_ffff) as usize - 1;
            if slot >> 32 == hash >> 32 && features[position].name == name {
                return Some(position);
            }
            i = (i + 1) & mask;
        }
    }
}

/// A document resolved against the [`Layout`] of generated code: where each compiled-in
/// feature is in this document, and which typed-context slot serves each context key.
/// Computed once per document (on the first typed read), so that typed reads compare no
/// feature names and look no context keys up by name.
#[derive(Clone, Debug)]
pub(crate) struct Resolved {
    /// The address of the layout this was computed for.
    layout: usize,
    /// For each compiled-in feature (by its index in the generated code): its position in
    /// this document, or [`Resolved::MISSING`].
    positions: Box<[u32]>,
    /// For each key of [`Document::keys`]: the typed context's slot that serves it, or
    /// [`Resolved::NO_SLOT`] (the key is then looked up by name).
    pub(crate) slots: Box<[u16]>,
    /// For each compiled-in feature: whether this document has it exactly as the
    /// generated code was compiled from (same default and type, same rules with the same
    /// `when_match`, conditions, keys and values, written the same way), so that the
    /// generated code's own evaluation of it (`__private_v1::read_native`) applies.
    native: Box<[bool]>,
}

impl Resolved {
    /// A compiled-in feature that this document does not have.
    pub(crate) const MISSING: u32 = u32::MAX;
    /// A context key that the typed context has no field for.
    pub(crate) const NO_SLOT: u16 = u16::MAX;

    fn new(document: &Document, layout: &'static Layout) -> Resolved {
        let positions = layout
            .features()
            .iter()
            .map(|name| document.position(name).and_then(|p| u32::try_from(p).ok()).unwrap_or(Resolved::MISSING))
            .collect();
        let slots = document
            .keys
            .iter()
            .map(|key| {
                layout
                    .keys()
                    .iter()
                    .position(|k| **k == **key)
                    .and_then(|slot| u16::try_from(slot).ok())
                    .filter(|&slot| slot != Resolved::NO_SLOT)
                    .unwrap_or(Resolved::NO_SLOT)
            })
            .collect();
        let compiled = layout.compiled();
        let native = layout
            .features()
            .iter()
            .enumerate()
            .map(|(index, name)| {
                let live = document.feature(name);
                let built = compiled.and_then(|c| c.features().get(index)).filter(|f| f.name == **name);
                matches!((live, built), (Some(live), Some(built)) if live.same(built))
            })
            .collect();
        Resolved { layout: layout as *const Layout as usize, positions, slots, native }
    }

    /// Whether compiled-in feature `index` is in this document exactly as compiled.
    #[inline]
    pub(crate) fn is_native(&self, index: usize) -> bool {
        self.native.get(index).copied().unwrap_or(false)
    }

    /// [`Resolved::is_native`] for every compiled-in feature, by compiled index.
    pub(crate) fn native_mask(&self) -> &[bool] {
        &self.native
    }

    /// The position in the document of the compiled-in feature `index`; `None` when the
    /// document does not have it.
    #[inline]
    pub(crate) fn position(&self, index: usize) -> Option<usize> {
        match self.positions.get(index) {
            Some(&p) if p != Resolved::MISSING => Some(p as usize),
            _ => None,
        }
    }
}

impl Document {
    /// Parses and validates JSON text.
    ///
    /// # Errors
    /// [`SchemaError`] with every problem found (JSON syntax, or each failed check with its
    /// JSON pointer, line and column, and the reference's message). Text longer than
    /// [`crate::value::json::DEFAULT_MAX_DOCUMENT_BYTES`] (16 MiB) is refused unread; see
    /// [`Document::parse_with_limit`].
    pub fn parse(text: &str) -> Result<Document, SchemaError> {
        Document::parse_with_limit(text, crate::value::json::DEFAULT_MAX_DOCUMENT_BYTES)
    }

    /// [`Document::parse`], refusing text longer than `max_bytes` before parsing it.
    ///
    /// # Errors
    /// As [`Document::parse`]; text that is too long is a [`SchemaError`] whose `parse`
    /// error names the size and the limit.
    pub fn parse_with_limit(text: &str, max_bytes: usize) -> Result<Document, SchemaError> {
        let parsed = crate::value::json::parse_with_limit(text, max_bytes)
            .map_err(|e| SchemaError { source_name: None, parse: Some(e), problems: Vec::new() })?;
        crate::document::validate::validate(&parsed.value).map_err(|mut err| {
            let locator = crate::value::json::Locator::new(text);
            for problem in &mut err.problems {
                let segments = crate::document::validate::pointer_segments(&problem.pointer);
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
        crate::document::validate::validate(value)
    }

    /// The features in document order.
    pub fn features(&self) -> &[Feature] {
        &self.features
    }

    /// The feature named `name` (case-sensitive).
    pub fn feature(&self, name: &str) -> Option<&Feature> {
        self.index.get(&self.features, name).map(|i| &self.features[i])
    }

    /// The position of feature `name` in [`Document::features`].
    pub fn position(&self, name: &str) -> Option<usize> {
        self.index.get(&self.features, name)
    }

    /// Number of features.
    pub fn len(&self) -> usize {
        self.features.len()
    }

    /// Whether the document has no features (`{}` is a valid document).
    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// This document resolved against `layout` (generated code's compiled-in feature names
    /// and typed-context keys). Computed on first use and kept: a document is read through
    /// one generated module in practice. `None` when another layout got there first; the
    /// caller then reads by name.
    #[inline]
    pub(crate) fn resolve(&self, layout: &'static Layout) -> Option<&Resolved> {
        let resolved = self.resolved.get_or_init(|| Resolved::new(self, layout));
        (resolved.layout == layout as *const Layout as usize).then_some(resolved)
    }

    pub(crate) fn from_features(mut features: Vec<Feature>) -> Document {
        // Number the distinct context keys; each condition's matcher records its key's number.
        let mut ids: HashMap<Box<str>, u32, foldhash::fast::RandomState> = HashMap::default();
        let mut keys = Vec::new();
        for condition in features.iter_mut().flat_map(|f| &mut f.rules).flat_map(|r| &mut r.conditions) {
            let Condition { key, matcher, .. } = condition;
            if matcher.reads_clock() {
                matcher.key = NO_KEY;
                continue;
            }
            matcher.key = match ids.get(key.as_str()) {
                Some(&id) => id,
                None => {
                    let id = u32::try_from(keys.len()).unwrap_or(NO_KEY);
                    ids.insert(Box::from(key.as_str()), id);
                    keys.push(Box::from(key.as_str()));
                    id
                }
            };
        }
        let index = Index::new(&features);
        Document { features, index, keys: keys.into_boxed_slice(), resolved: OnceLock::new() }
    }
}
