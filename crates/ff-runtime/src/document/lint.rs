//! Lints: what the reference accepts but is most likely a mistake, reported as
//! [`Warning`]s. A lint never rejects a document: the reference ignores unknown keys and
//! keeps the last of repeated keys, so a document with either evaluates, in ff as in the
//! reference, exactly as if the typo were not there. The warning says so, and where.
//!
//! * **Unknown keys near a known one** at the feature (`default`, `rules`,
//!   `boolean_type`), rule (`when_match`, `conditions`) and condition (`action`, `key`,
//!   `value`) levels: `"when_macth"`, `"valeu"`, `"defualt"`, `"Rules"`. Keys far from
//!   every known one (`"description"`, `"owner"`) are taken as the author's own notes and
//!   not reported.
//! * **Repeated keys** in any object of the text: the last one is in force (Python's
//!   `json` module keeps the last value, and so does ff).
//! * **Lifecycle metadata of the wrong shape** (`"x-ff"` in a feature, see
//!   [`crate::document::metadata`]): a member of the wrong type, an unknown kind, a date
//!   that is not `YYYY-MM-DD`.
//!
//! `ff validate` prints them (`--strict` fails on them), `ff_build::Builder` prints them as
//! `cargo:warning=` lines and `#[feature_flags]` as compiler warnings on the path literal.
//! [`did_you_mean`] is the "did you mean" used here, in the unknown-action problem and for
//! unknown feature names in `ff eval`.

use std::fmt;

use crate::error::Location;
use crate::value::json::{self, Locator};
use crate::value::Value;

/// One lint finding: where it is and what is suspicious. Unlike a [`crate::error::Problem`], it
/// does not make the document invalid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// The JSON pointer (RFC 6901) of the member concerned, e.g. `/premium/rules/r/when_macth`.
    pub pointer: String,
    /// Where the member's key starts in the source text (for a repeated key, the first
    /// occurrence), when the document came from text.
    pub location: Option<Location>,
    /// What is suspicious, what the reference does with it, and the likely fix.
    pub message: String,
}

impl fmt::Display for Warning {
    /// `LINE:COL: POINTER: warning: message` (the location left out when unknown).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = self.location {
            write!(f, "{location}: ")?;
        }
        let pointer = if self.pointer.is_empty() { "(document)" } else { &self.pointer };
        write!(f, "{pointer}: warning: {}", self.message)
    }
}

impl Warning {
    /// The warning as one line, prefixed with the document's name:
    /// `flags.json:3:5: /f/defualt: warning: …` (`flags.json: /f/defualt: …` without a location).
    pub fn line(&self, source_name: &str) -> String {
        match self.location {
            Some(_) => format!("{source_name}:{self}"),
            None => format!("{source_name}: {self}"),
        }
    }
}

/// The keys the reference reads in a feature.
pub const FEATURE_KEYS: [&str; 3] = ["default", "rules", "boolean_type"];
/// The keys the reference reads in a rule.
pub const RULE_KEYS: [&str; 2] = ["when_match", "conditions"];
/// The keys the reference reads in a condition.
pub const CONDITION_KEYS: [&str; 3] = ["action", "key", "value"];

/// Lints a document's text: repeated keys anywhere, and unknown keys near known ones.
/// Text that is not JSON has no warnings (its syntax error is [`crate::document::Document::parse`]'s
/// to report). Warnings come in text order.
pub fn lint(text: &str) -> Vec<Warning> {
    match json::parse(text) {
        Ok(parsed) => lint_in(text, &parsed.value, Some(&[])),
        Err(_) => Vec::new(),
    }
}

/// Lints a document that has no text of its own: unknown keys near known ones, without
/// locations (repeated keys cannot be seen in a parsed value).
pub fn lint_value(document: &Value) -> Vec<Warning> {
    let mut warnings = Vec::new();
    unknown_keys(document, &mut warnings);
    metadata_shapes(document, &mut warnings);
    warnings
}

/// Lints `document`, a part of `text` (the feature document that an envelope selected):
/// repeated keys anywhere in `text` (pointers from its root), and unknown keys in
/// `document`. With `prefix`, the path of `document` in `text`, the unknown keys' pointers
/// start from `text`'s root and are located; without, they are relative to `document`
/// and have no location.
pub fn lint_in(text: &str, document: &Value, prefix: Option<&[String]>) -> Vec<Warning> {
    let mut warnings: Vec<Warning> = json::duplicate_keys(text).into_iter().map(repeated).collect();
    let mut unknown = Vec::new();
    unknown_keys(document, &mut unknown);
    metadata_shapes(document, &mut unknown);
    if let Some(prefix) = prefix {
        let locator = Locator::new(text);
        for warning in &mut unknown {
            let mut segments = prefix.to_vec();
            segments.extend(json::pointer_segments(&warning.pointer));
            warning.pointer = json::pointer(&segments);
            warning.location = locator.locate(&segments);
        }
    }
    warnings.extend(unknown);
    // Text order; unlocated warnings last, in the order found.
    warnings.sort_by_key(|w| w.location.map_or((usize::MAX, usize::MAX), |l| (l.line, l.column)));
    warnings
}

/// Lifecycle metadata (`"x-ff"` in a feature) of the wrong shape: the reference ignores it,
/// and so does evaluation; the generator and `ff stale` skip the members in question.
fn metadata_shapes(document: &Value, out: &mut Vec<Warning>) {
    out.extend(
        super::metadata::metadata_warnings(document)
            .into_iter()
            .map(|w| Warning { pointer: w.pointer, location: None, message: w.message }),
    );
}

fn repeated(duplicate: json::DuplicateKey) -> Warning {
    let name = json::pointer_segments(&duplicate.pointer).pop().unwrap_or_default();
    let at: Vec<String> = duplicate.locations.iter().map(Location::to_string).collect();
    let last = at.last().cloned().unwrap_or_default();
    Warning {
        pointer: duplicate.pointer,
        location: duplicate.locations.first().copied(),
        message: format!(
            "key `{name}` appears {} times in one object (at {}); the last one, at {last}, is in force \
             (as in the reference: Python's json keeps the last), the others are ignored",
            at.len(),
            at.join(", ")
        ),
    }
}

/// Unknown keys near known ones, at the feature, rule and condition levels of `document`.
fn unknown_keys(document: &Value, out: &mut Vec<Warning>) {
    let Value::Object(features) = document else { return };
    for (name, feature) in features.iter() {
        let Value::Object(feature) = feature else { continue };
        let at = vec![name.clone()];
        check_keys(feature, &at, &FEATURE_KEYS, &format!("feature `{name}`"), out);
        let Some(Value::Object(rules)) = feature.get("rules") else { continue };
        for (rule_name, rule) in rules.iter() {
            let Value::Object(rule) = rule else { continue };
            let at = vec![name.clone(), "rules".to_owned(), rule_name.clone()];
            check_keys(rule, &at, &RULE_KEYS, &format!("rule `{rule_name}`"), out);
            let Some(Value::Array(conditions)) = rule.get("conditions") else { continue };
            for (i, condition) in conditions.iter().enumerate() {
                let Value::Object(condition) = condition else { continue };
                let mut at = at.clone();
                at.extend(["conditions".to_owned(), i.to_string()]);
                check_keys(condition, &at, &CONDITION_KEYS, &format!("condition {i} of rule `{rule_name}`"), out);
            }
        }
    }
}

fn check_keys(object: &crate::value::Map, at: &[String], known: &[&str], whose: &str, out: &mut Vec<Warning>) {
    for key in object.keys() {
        if known.contains(&key.as_str()) {
            continue;
        }
        let Some(&near) = did_you_mean(key, known.iter().copied()).first() else { continue };
        let mut segments = at.to_vec();
        segments.push(key.clone());
        let present = if object.contains_key(near) { "" } else { ", so it is absent" };
        out.push(Warning {
            pointer: json::pointer(&segments),
            location: None,
            message: format!(
                "unknown key `{key}` in {whose}: did you mean `{near}`? The reference ignores unknown keys \
                 (the `{near}` in force is the one spelled exactly{present})"
            ),
        });
    }
}

/// The candidates near `word`, nearest first (three at most): those equal to it but for
/// case and separators (`new_checkout_flow` and `new checkout flow`, `Rules` and `rules`),
/// then those a few edits away (Damerau–Levenshtein distance, case ignored: one edit for
/// names of up to four characters, two up to eight, three beyond). Empty when none is near.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let folded = fold(word);
    let lower = word.to_lowercase();
    let mut near: Vec<(usize, &'a str)> = candidates
        .into_iter()
        .filter(|c| *c != word)
        .filter_map(|c| {
            if fold(c) == folded {
                return Some((0, c));
            }
            let distance = strsim::damerau_levenshtein(&lower, &c.to_lowercase());
            let limit = match c.chars().count() {
                0..=4 => 1,
                5..=8 => 2,
                _ => 3,
            };
            (distance <= limit).then_some((distance, c))
        })
        .collect();
    near.sort_by_key(|&(distance, _)| distance);
    near.into_iter().take(3).map(|(_, c)| c).collect()
}

/// `word` lower-cased without separators (`_`, `-`, `.`, spaces).
fn fold(word: &str) -> String {
    word.chars().filter(|c| !matches!(c, '_' | '-' | '.' | ' ')).flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Finding 7 of issue 12: each typo validated silently. The reference ignores them
    /// (checked with the oracle: `when_macth` beside `when_match`, `valeu`, `defualt`,
    /// `Rules` evaluate as if absent), so they warn and the document stays valid.
    #[test]
    fn typos_near_known_keys_warn_and_stay_valid() {
        let text = r#"{
  "f": {"default": false, "defualt": true, "Rules": {},
        "rules": {"r": {"when_macth": false, "when_match": true,
                        "conditions": [{"action": "EQUALS", "key": "k", "value": 1, "valeu": 2}]}}},
  "g": {"default": true, "description": "not a typo", "owner": "team"}
}"#;
        assert!(crate::document::Document::parse(text).is_ok());
        let lines: Vec<String> = lint(text).iter().map(ToString::to_string).collect();
        assert_eq!(lines.len(), 4, "{lines:#?}");
        assert!(lines[0].starts_with("2:27: /f/defualt: warning: unknown key `defualt` in feature `f`: did you mean `default`?"), "{}", lines[0]);
        assert!(lines[1].starts_with("2:44: /f/Rules: warning: unknown key `Rules` in feature `f`: did you mean `rules`?"), "{}", lines[1]);
        assert!(lines[2].starts_with("3:25: /f/rules/r/when_macth: warning: unknown key `when_macth` in rule `r`: did you mean `when_match`?"), "{}", lines[2]);
        assert!(lines[3].starts_with("4:85: /f/rules/r/conditions/0/valeu: warning: unknown key `valeu` in condition 0 of rule `r`: did you mean `value`?"), "{}", lines[3]);
        assert!(lines[3].contains("The reference ignores unknown keys"), "{}", lines[3]);
    }

    #[test]
    fn a_typo_without_the_right_key_says_it_is_absent() {
        let warnings = lint(r#"{"f": {"default": 1, "boolean_type": false, "rules": {"r": {"when_macth": 2, "conditions": [{"action": "EQUALS", "key": "k", "value": 1}]}}}}"#);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].message.contains("spelled exactly, so it is absent"), "{}", warnings[0].message);
    }

    #[test]
    fn repeated_keys_warn_naming_the_one_in_force() {
        let text = "{\"f\": {\"default\": false,\n \"default\": true}}";
        assert_eq!(crate::document::Document::parse(text).unwrap().features()[0].default, Value::Bool(true));
        let warnings = lint(text);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].pointer, "/f/default");
        assert_eq!(warnings[0].location, Some(Location { line: 1, column: 8 }));
        assert!(warnings[0].message.contains("appears 2 times in one object (at 1:8, 2:2); the last one, at 2:2, is in force"), "{}", warnings[0]);
        assert_eq!(warnings[0].line("flags.json"), format!("flags.json:{}", warnings[0]));
    }

    #[test]
    fn a_clean_document_and_text_that_is_not_json_have_no_warnings() {
        assert!(lint(r#"{"f": {"default": true, "rules": {"r": {"when_match": false, "conditions": [{"action": "EQUALS", "key": "k", "value": {"a": 1}}]}}}}"#).is_empty());
        assert!(lint("{").is_empty());
        assert!(lint("[]").is_empty());
    }

    #[test]
    fn values_and_selected_documents_are_linted_with_relative_or_prefixed_pointers() {
        let document = Value::from_json(r#"{"f": {"default": true, "rulez": {}}}"#).unwrap();
        let warnings = lint_value(&document);
        assert_eq!((warnings[0].pointer.as_str(), warnings[0].location), ("/f/rulez", None));
        let text = r#"{"features": {"f": {"default": true, "rulez": {}}}, "x": 1, "x": 2}"#;
        let selected = Value::from_json(text).unwrap().get("features").unwrap().clone();
        let warnings = lint_in(text, &selected, Some(&["features".to_owned()]));
        let found: Vec<(&str, Option<Location>)> = warnings.iter().map(|w| (w.pointer.as_str(), w.location)).collect();
        assert_eq!(
            found,
            [("/features/f/rulez", Some(Location { line: 1, column: 38 })), ("/x", Some(Location { line: 1, column: 53 }))]
        );
    }

    #[test]
    fn did_you_mean_prefers_the_same_words_then_few_edits() {
        let names = ["new checkout flow", "premium_features", "old_checkout", "Premium-Features"];
        assert_eq!(did_you_mean("new_checkout_flow", names), ["new checkout flow"]);
        assert_eq!(did_you_mean("premium_feature", names), ["premium_features", "Premium-Features"]);
        assert_eq!(did_you_mean("EQAULS", ["EQUALS", "NOT_EQUALS", "IN"]), ["EQUALS"]);
        assert!(did_you_mean("tier", names).is_empty());
        assert!(did_you_mean("description", FEATURE_KEYS).is_empty());
    }
}
