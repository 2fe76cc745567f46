//! **The evaluation layer**: evaluating a document against a [`Context`] (also
//! defined here) at an instant of a [`Clock`], and explanations. It uses the document and
//! value layers, `crate::clock` and `crate::error`.
//!
//! Evaluation of a validated document (spec §4, §5, §11).
//!
//! * Rules are tried in document order; the first rule whose conditions all match wins.
//!   Conditions are ANDed in order and stop at the first that fails.
//! * A boolean feature yields its rule's `when_match` (always a boolean after validation);
//!   a non-boolean one yields `when_match` as written, or `null` when the rule has none.
//!   No match, or no rules, yields the feature's `default`.
//! * A key missing from the context fails its condition, whatever the action. A comparison
//!   the reference cannot make (it raises `TypeError`/`AttributeError`/`ValueError`) fails
//!   its condition too, and is logged at `warn` with the feature, rule, key and action, never
//!   the values (contexts may hold personal data).
//! * `enabled_features` lists, in document order, the features whose value is truthy in
//!   Python terms, so a non-boolean feature counts when its value is a non-empty string,
//!   list or object, or a non-zero number. Where the reference crashes (falsy `default` with
//!   `rules` set to `[]`, `null`, `""`, `0` or `false`: `AttributeError`), ff treats the
//!   rules as absent, so such a feature is simply not enabled.
//!
//! The hot path allocates nothing and reads the clock only when a schedule condition is
//! reached. Typed reads (generated code) find their feature by its compiled-in position
//! and their context values by field slot, both resolved once per document
//! ([`crate::Document`]); other contexts are read by key.

use std::fmt;

use crate::clock::{Clock, Now};
pub mod context;
pub mod details;

use context::Context;
use crate::document::{Condition, Document, Feature, Resolved, Rule};
use crate::value::semantics::TypeMismatch;
use crate::value::{Value, ValueRef};

/// How one condition came out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The condition holds.
    Matched,
    /// The comparison was made and is false.
    NotMatched,
    /// The context has no such key (a missing key never matches).
    KeyMissing,
    /// The values' types do not support the action (the reference raises here); false.
    TypeMismatch(&'static str),
    /// Not reached: an earlier condition of the rule failed.
    NotEvaluated,
}

impl Outcome {
    /// Whether the condition holds.
    pub fn is_match(&self) -> bool {
        matches!(self, Outcome::Matched)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Matched => f.write_str("matched"),
            Outcome::NotMatched => f.write_str("did not match"),
            Outcome::KeyMissing => f.write_str("key missing from the context"),
            Outcome::TypeMismatch(why) => write!(f, "type mismatch ({why})"),
            Outcome::NotEvaluated => f.write_str("not evaluated"),
        }
    }
}

/// The context value that `condition` reads: through the typed context's slot when the
/// document was resolved against generated code (`slots`, indexed by the condition's key id),
/// by name otherwise (`slots` empty, or a key the typed context has no field for).
#[inline]
fn lookup<'c, C: Context + ?Sized>(ctx: &'c C, condition: &Condition, slots: &[u16]) -> Option<ValueRef<'c>> {
    match slots.get(condition.matcher.key as usize) {
        Some(&slot) if slot != Resolved::NO_SLOT => ctx.get_slot(usize::from(slot), &condition.key),
        _ => ctx.get(&condition.key),
    }
}

#[inline]
fn check<C: Context + ?Sized>(
    feature: &str,
    rule: &str,
    condition: &Condition,
    ctx: &C,
    slots: &[u16],
    now: &mut Now<'_>,
) -> Outcome {
    let value = if condition.matcher.reads_clock() {
        ValueRef::Null
    } else {
        match lookup(ctx, condition, slots) {
            Some(v) => v,
            None => return Outcome::KeyMissing,
        }
    };
    match condition.matcher.matches(value, &condition.value, now) {
        Ok(true) => Outcome::Matched,
        Ok(false) => Outcome::NotMatched,
        Err(TypeMismatch(why)) => {
            report_mismatch(feature, rule, condition, why);
            Outcome::TypeMismatch(why)
        }
    }
}

/// Logs a comparison the reference cannot make (kept out of line: the hot path never
/// reaches it for well-typed contexts).
#[cold]
#[inline(never)]
fn report_mismatch(feature: &str, rule: &str, condition: &Condition, why: &'static str) {
    tracing::warn!(
        feature,
        rule,
        key = condition.key.as_str(),
        action = condition.action.as_str(),
        reason = why,
        "failed to evaluate feature flag condition; the condition does not match"
    );
}

#[inline]
fn rule_matches<C: Context + ?Sized>(feature: &str, rule: &Rule, ctx: &C, slots: &[u16], now: &mut Now<'_>) -> bool {
    rule.conditions.iter().all(|c| check(feature, &rule.name, c, ctx, slots, now).is_match())
}

impl Feature {
    /// The feature's value for `ctx`: the first matching rule's value, else `default`.
    #[inline]
    pub fn evaluate<C: Context + ?Sized>(&self, ctx: &C, clock: &dyn Clock) -> &Value {
        let mut now = Now::new(clock);
        self.evaluate_with(ctx, &[], &mut now)
    }

    /// [`Feature::evaluate`], with the context's keys served through `slots` (see
    /// [`lookup`]; empty: by name).
    #[inline]
    pub(crate) fn evaluate_with<C: Context + ?Sized>(&self, ctx: &C, slots: &[u16], now: &mut Now<'_>) -> &Value {
        if self.rules.is_empty() {
            return &self.default;
        }
        self.first_match(ctx, slots, now)
    }

    /// The rules' loop, out of line: the conditions' matchers are inlined into it, and
    /// keeping them out of the caller keeps a rule-less feature's read short.
    #[inline(never)]
    fn first_match<C: Context + ?Sized>(&self, ctx: &C, slots: &[u16], now: &mut Now<'_>) -> &Value {
        for rule in &self.rules {
            if rule_matches(&self.name, rule, ctx, slots, now) {
                return rule.value();
            }
        }
        &self.default
    }

    /// [`Feature::evaluate_with`], with the index of the rule that gave the value (`None`:
    /// the default).
    #[inline]
    pub(crate) fn evaluate_rule_with<C: Context + ?Sized>(&self, ctx: &C, slots: &[u16], now: &mut Now<'_>) -> (&Value, Option<usize>) {
        if self.rules.is_empty() {
            return (&self.default, None);
        }
        self.first_match_rule(ctx, slots, now)
    }

    /// [`Feature::first_match`], with the rule's index.
    #[inline(never)]
    fn first_match_rule<C: Context + ?Sized>(&self, ctx: &C, slots: &[u16], now: &mut Now<'_>) -> (&Value, Option<usize>) {
        for (i, rule) in self.rules.iter().enumerate() {
            if rule_matches(&self.name, rule, ctx, slots, now) {
                return (rule.value(), Some(i));
            }
        }
        (&self.default, None)
    }

    /// Evaluates and records why: which rule matched and how every condition came out.
    pub fn explain<C: Context + ?Sized>(&self, ctx: &C, clock: &dyn Clock) -> Explanation {
        let mut now = Now::new(clock);
        let mut rules = Vec::with_capacity(self.rules.len());
        let mut result = None;
        for rule in &self.rules {
            let mut conditions = Vec::with_capacity(rule.conditions.len());
            let mut failed = false;
            for condition in &rule.conditions {
                let outcome = if failed { Outcome::NotEvaluated } else { check(&self.name, &rule.name, condition, ctx, &[], &mut now) };
                failed |= !outcome.is_match() && outcome != Outcome::NotEvaluated;
                let clock = match outcome {
                    Outcome::NotEvaluated => None,
                    _ => ClockReading::of(condition, &mut now),
                };
                conditions.push(ConditionTrace {
                    action: condition.action.as_str().to_owned(),
                    key: condition.key.clone(),
                    value: condition.value.clone(),
                    outcome,
                    clock,
                });
            }
            let matched = !failed;
            rules.push(RuleTrace { rule: rule.name.clone(), matched, conditions });
            if matched {
                result = Some((rule.name.clone(), rule.value().clone()));
                break;
            }
        }
        let (matched_rule, value) = match result {
            Some((name, value)) => (Some(name), value),
            None => (None, self.default.clone()),
        };
        let skipped_rules = self.rules.len() - rules.len();
        let reason = self.reason_for(matched_rule.as_ref().map(|_| rules.len() - 1));
        Explanation {
            feature: self.name.clone(),
            reason,
            boolean: self.boolean,
            value,
            matched_rule,
            default: self.default.clone(),
            rules,
            skipped_rules,
        }
    }
}

impl Document {
    /// The value of feature `name` for `ctx`, or `None` when the document has no such
    /// feature (the caller then uses its own default, as the reference does).
    #[inline]
    pub fn evaluate<C: Context + ?Sized>(&self, name: &str, ctx: &C, clock: &dyn Clock) -> Option<&Value> {
        self.feature(name).map(|f| f.evaluate(ctx, clock))
    }

    /// The names of the features whose value for `ctx` is truthy, in document order (the
    /// reference's `get_enabled_features`).
    pub fn enabled_features<C: Context + ?Sized>(&self, ctx: &C, clock: &dyn Clock) -> Vec<&str> {
        let mut now = Now::new(clock);
        self.features
            .iter()
            .filter(|f| f.evaluate_with(ctx, &[], &mut now).is_truthy())
            .map(|f| f.name.as_str())
            .collect()
    }

    /// How feature `name` evaluates for `ctx`, rule by rule; `None` for an unknown feature.
    pub fn explain<C: Context + ?Sized>(&self, name: &str, ctx: &C, clock: &dyn Clock) -> Option<Explanation> {
        self.feature(name).map(|f| f.explain(ctx, clock))
    }
}

/// How one condition of a rule came out, for [`Explanation`].
#[derive(Clone, Debug)]
pub struct ConditionTrace {
    /// The action's spelling, e.g. `KEY_IN_VALUE`.
    pub action: String,
    /// The context key (or the clock reading, for schedule actions).
    pub key: String,
    /// The condition value from the document.
    pub value: Value,
    /// How it came out.
    pub outcome: Outcome,
    /// For a schedule condition that was evaluated: the instant it compared and the wall
    /// clock in its zone. `None` for other conditions, and for those not evaluated.
    pub clock: Option<ClockReading>,
}

/// What a schedule condition (`SCHEDULE_BETWEEN_TIME_RANGE`, `_DATETIME_RANGE`,
/// `_DAYS_OF_WEEK`) compared, for [`Explanation`]: the instant read from the clock (once
/// per evaluation), and the local date, time and weekday in the condition's `TIMEZONE`.
/// Only explanations compute it: evaluation itself does not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClockReading {
    /// The instant (UTC) the clock gave.
    pub instant: jiff::Timestamp,
    /// The condition's zone: its IANA name, `UTC` when `TIMEZONE` is absent or empty.
    pub zone: String,
    /// The wall-clock date and time in `zone` at `instant`.
    pub local: jiff::civil::DateTime,
}

impl ClockReading {
    fn of(condition: &Condition, now: &mut Now<'_>) -> Option<ClockReading> {
        if !condition.matcher.reads_clock() {
            return None;
        }
        let instant = now.get();
        let (zone, local) = condition.matcher.clock_reading(instant)?;
        Some(ClockReading { instant, zone: zone.to_owned(), local })
    }

    /// The local weekday in the condition's zone.
    pub fn weekday(&self) -> jiff::civil::Weekday {
        self.local.weekday()
    }
}

impl fmt::Display for ClockReading {
    /// `at 2022-12-25T09:00:00Z: Sunday 2022-12-25 10:00:00 in Europe/Copenhagen`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "at {}: {:?} {} in {}",
            self.instant,
            self.weekday(),
            self.local.strftime("%Y-%m-%d %H:%M:%S"),
            self.zone
        )
    }
}

/// One rule tried, for [`Explanation`].
#[derive(Clone, Debug)]
pub struct RuleTrace {
    /// The rule's name.
    pub rule: String,
    /// Whether every condition matched.
    pub matched: bool,
    /// Its conditions, in order.
    pub conditions: Vec<ConditionTrace>,
}

/// A readable account of one evaluation: which rules were tried, in order, how each
/// condition came out, and where the value came from. `Display` renders it for people
/// (`ff explain`). Context values are not included, only the document's.
#[derive(Clone, Debug)]
pub struct Explanation {
    /// The feature's name.
    pub feature: String,
    /// Whether the feature is boolean.
    pub boolean: bool,
    /// The value evaluation produced.
    pub value: Value,
    /// The rule that produced it; `None` when the `default` did.
    pub matched_rule: Option<String>,
    /// Why (from evaluation: [`Reason::Static`], [`Reason::TargetingMatch`],
    /// [`Reason::Split`] or [`Reason::Default`]).
    ///
    /// [`Reason::Static`]: details::Reason::Static
    /// [`Reason::TargetingMatch`]: details::Reason::TargetingMatch
    /// [`Reason::Split`]: details::Reason::Split
    /// [`Reason::Default`]: details::Reason::Default
    pub reason: details::Reason,
    /// The feature's `default`.
    pub default: Value,
    /// The rules tried, in document order, up to and including the matching one.
    pub rules: Vec<RuleTrace>,
    /// Rules after the matching one, not tried.
    pub skipped_rules: usize,
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.boolean { "boolean" } else { "non-boolean" };
        writeln!(f, "feature {:?} ({kind}) = {} (reason {})", self.feature, self.value, self.reason)?;
        if self.rules.is_empty() {
            return write!(f, "  no rules: the default {} applies", self.default);
        }
        for rule in &self.rules {
            let verdict = if rule.matched { "MATCHED" } else { "no match" };
            writeln!(f, "  rule {:?}: {verdict}", rule.rule)?;
            for (i, c) in rule.conditions.iter().enumerate() {
                writeln!(f, "    [{i}] {} {:?} {} -> {}", c.action, c.key, c.value, c.outcome)?;
                if let Some(clock) = &c.clock {
                    writeln!(f, "        compared {clock}")?;
                }
            }
        }
        if self.skipped_rules > 0 {
            writeln!(f, "  ({} later rule{} not tried)", self.skipped_rules, if self.skipped_rules == 1 { "" } else { "s" })?;
        }
        match &self.matched_rule {
            Some(rule) => write!(f, "  value from rule {rule:?}: {}", self.value),
            None => write!(f, "  no rule matched: the default {} applies", self.default),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;

    /// Issue 12, finding 8: `ff explain` did not say which instant, in which zone, a
    /// schedule condition compared.
    #[test]
    fn explanations_say_what_instant_and_local_time_each_schedule_condition_compared() {
        let document = Document::parse(
            r#"{"christmas": {"default": false, "rules": {
                "in Copenhagen": {"when_match": true, "conditions": [
                    {"action": "SCHEDULE_BETWEEN_DAYS_OF_WEEK", "key": "CURRENT_DAY_OF_WEEK", "value": {"DAYS": ["SUNDAY"], "TIMEZONE": "Europe/Copenhagen"}},
                    {"action": "SCHEDULE_BETWEEN_TIME_RANGE", "key": "CURRENT_TIME", "value": {"START": "11:00", "END": "12:00"}},
                    {"action": "EQUALS", "key": "tier", "value": "gold"}]}}}}"#,
        )
        .unwrap();
        let clock = FixedClock("2022-12-25T09:30:00Z".parse().unwrap());
        let explanation = document.explain("christmas", &serde_json::json!({"tier": "gold"}), &clock).unwrap();
        let conditions = &explanation.rules[0].conditions;
        let days = conditions[0].clock.as_ref().unwrap();
        assert_eq!(days.instant, clock.0);
        assert_eq!(days.zone, "Europe/Copenhagen");
        assert_eq!(days.local, jiff::civil::date(2022, 12, 25).at(10, 30, 0, 0));
        assert_eq!(days.weekday(), jiff::civil::Weekday::Sunday);
        assert_eq!(days.to_string(), "at 2022-12-25T09:30:00Z: Sunday 2022-12-25 10:30:00 in Europe/Copenhagen");
        let time = conditions[1].clock.as_ref().unwrap();
        assert_eq!((time.zone.as_str(), time.local.hour()), ("UTC", 9));
        assert_eq!(conditions[1].outcome, Outcome::NotMatched);
        // Not a schedule, and not evaluated: no reading.
        assert!(conditions[2].clock.is_none());
        let text = explanation.to_string();
        assert!(text.contains("        compared at 2022-12-25T09:30:00Z: Sunday 2022-12-25 09:30:00 in UTC\n"), "{text}");
    }
}
