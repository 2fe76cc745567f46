//! `ff diff OLD NEW`: what changed between two documents, and which changes break code that
//! was generated from OLD (by `ff-build` or `#[feature_flags]`).
//!
//! Breaking: a feature removed (its accessor and `FlagName` variant disappear), a feature
//! whose accessor type changes, a context key that is removed or changes type (its setter
//! disappears or takes another type), and a name of NEW that does not make a Rust name of its
//! own (ff-build's "Names": a feature or key added with the Rust form of an existing one, a
//! generated method's name, or no letters), which fails the build until it is renamed. A
//! Rust name depends on its feature's or key's name alone, so it never moves to another one.
//! Not breaking: features and context keys added, a default changed, rules changed — the
//! live document may change those freely. Rule changes are listed edit by edit (`rules`).

pub mod appconfig;
mod rules;

use std::fmt::Write as _;

use ff_build::model::{ContextField, FeatureModel, Model};
use ff_build::Options;
use ff_runtime::{Document, Feature};

/// One difference between the documents.
#[derive(Debug, PartialEq, Eq)]
pub struct Change {
    /// `+` added, `-` removed, `~` changed, `!` a name of NEW that fails the build.
    pub sign: char,
    /// What changed, in one line.
    pub text: String,
    /// Whether code generated from the old document stops compiling.
    pub breaking: bool,
}

/// The model of `document` with the default options, and its naming problems.
fn model(document: &Document) -> Result<(Model, Vec<String>), String> {
    Model::with_name_problems(document, &Options::new()).map_err(|e| e.lines().join("; "))
}

fn rules_text(feature: &Feature) -> String {
    feature
        .rules
        .iter()
        .map(|r| {
            let conditions: Vec<String> = r
                .conditions
                .iter()
                .map(|c| format!("{} {} {}", c.key, c.action, c.value))
                .collect();
            format!("{}:{}:{}", r.name, r.value(), conditions.join(","))
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// Every difference, old features first (in the old document's order), then added ones.
pub fn diff(old: &Document, new: &Document) -> Result<Vec<Change>, String> {
    let ((old_model, old_problems), (new_model, new_problems)) = (model(old)?, model(new)?);
    let mut changes = Vec::new();
    let find = |m: &'_ Model, name: &str| m.features.iter().find(|f| f.name == name).cloned();
    for old_feature in &old_model.features {
        let name = &old_feature.name;
        let Some(new_feature) = find(&new_model, name) else {
            changes.push(Change {
                sign: '-',
                text: format!(
                    "feature `{name}` removed: the accessor `{}` and `FlagName::{}` no longer exist",
                    old_feature.method, old_feature.variant
                ),
                breaking: true,
            });
            continue;
        };
        feature_changes(old, new, old_feature, &new_feature, &mut changes);
    }
    for new_feature in &new_model.features {
        if find(&old_model, &new_feature.name).is_none() {
            let default = &new.feature(&new_feature.name).expect("modelled feature exists").default;
            changes.push(Change {
                sign: '+',
                text: format!(
                    "feature `{}` added ({}, default {default})",
                    new_feature.name,
                    new_feature.value_type.rust_name()
                ),
                breaking: false,
            });
        }
    }
    field_changes(&old_model.fields, &new_model.fields, &mut changes);
    for problem in new_problems.into_iter().filter(|p| !old_problems.contains(p)) {
        changes.push(Change { sign: '!', text: format!("the build fails: {problem}"), breaking: true });
    }
    Ok(changes)
}

fn feature_changes(old: &Document, new: &Document, before: &FeatureModel, after: &FeatureModel, out: &mut Vec<Change>) {
    let name = &before.name;
    if before.value_type != after.value_type {
        out.push(Change {
            sign: '~',
            text: format!(
                "feature `{name}`: type {} -> {}: the accessor `{}` returns another type",
                before.value_type.rust_name(),
                after.value_type.rust_name(),
                before.method
            ),
            breaking: true,
        });
    }
    let (old_f, new_f) = (old.feature(name).expect("modelled"), new.feature(name).expect("modelled"));
    if old_f.default.to_json() != new_f.default.to_json() {
        out.push(Change {
            sign: '~',
            text: format!("feature `{name}`: default {} -> {}", old_f.default, new_f.default),
            breaking: false,
        });
    }
    if rules_text(old_f) != rules_text(new_f) {
        let edits = rules::rule_edits(old_f, new_f);
        if edits.is_empty() {
            out.push(Change {
                sign: '~',
                text: format!("feature `{name}`: rules changed ({} -> {} rules)", old_f.rules.len(), new_f.rules.len()),
                breaking: false,
            });
        }
        for edit in edits {
            out.push(Change { sign: '~', text: format!("feature `{name}`: {edit}"), breaking: false });
        }
    }
}

fn field_changes(old: &[ContextField], new: &[ContextField], out: &mut Vec<Change>) {
    for before in old {
        match new.iter().find(|f| f.key == before.key) {
            None => out.push(Change {
                sign: '-',
                text: format!(
                    "context key `{}` no longer used by any rule: the setter `Context::{}` no longer exists",
                    before.key, before.field
                ),
                breaking: true,
            }),
            Some(after) if after.ty != before.ty => out.push(Change {
                sign: '~',
                text: format!(
                    "context key `{}`: type {} -> {}: the setter `Context::{}` takes another type",
                    before.key,
                    before.ty.rust_name(),
                    after.ty.rust_name(),
                    before.field
                ),
                breaking: true,
            }),
            Some(_) => {}
        }
    }
    for after in new {
        if !old.iter().any(|f| f.key == after.key) {
            out.push(Change {
                sign: '+',
                text: format!("context key `{}` added ({})", after.key, after.ty.rust_name()),
                breaking: false,
            });
        }
    }
}

/// The report: one line per change (breaking ones marked), then a summary line.
pub fn render(old_name: &str, new_name: &str, changes: &[Change]) -> String {
    let mut out = String::new();
    for c in changes {
        let mark = if c.breaking { "  [breaking]" } else { "" };
        let _ = writeln!(out, "{} {}{mark}", c.sign, c.text);
    }
    let breaking = changes.iter().filter(|c| c.breaking).count();
    let _ = write!(
        out,
        "{old_name} -> {new_name}: {} change{}, {breaking} breaking compiled code",
        changes.len(),
        if changes.len() == 1 { "" } else { "s" }
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document::parse(text).unwrap()
    }

    #[test]
    fn classifies_every_kind_of_change() {
        let old = doc(r#"{
            "kept": {"default": false, "rules": {"r": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "tier", "value": "gold"}]}}},
            "gone": {"default": true},
            "level": {"boolean_type": false, "default": 1},
            "ratio": {"boolean_type": false, "default": 0.5}
        }"#);
        let new = doc(r#"{
            "kept": {"default": true, "rules": {"r": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "tier", "value": 3}]}}},
            "level": {"boolean_type": false, "default": "high"},
            "ratio": {"boolean_type": false, "default": 0.5},
            "fresh": {"default": false, "rules": {"r": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "region", "value": "eu"}]}}}
        }"#);
        let changes = diff(&old, &new).unwrap();
        let lines: Vec<(char, bool, &str)> = changes.iter().map(|c| (c.sign, c.breaking, c.text.as_str())).collect();
        assert_eq!(
            lines,
            [
                ('~', false, "feature `kept`: default false -> true"),
                ('~', false, "feature `kept`: rule \"r\": condition 1 (EQUALS on tier) value \"gold\" -> 3"),
                ('-', true, "feature `gone` removed: the accessor `gone` and `FlagName::Gone` no longer exist"),
                ('~', true, "feature `level`: type i64 -> String: the accessor `level` returns another type"),
                ('~', false, "feature `level`: default 1 -> \"high\""),
                ('+', false, "feature `fresh` added (bool, default false)"),
                ('~', true, "context key `tier`: type &'a str -> ff_runtime::Integer: the setter `Context::tier` takes another type"),
                ('+', false, "context key `region` added (&'a str)"),
            ]
        );
        assert!(render("a", "b", &changes).ends_with("a -> b: 8 changes, 3 breaking compiled code"));
        assert!(diff(&old, &old).unwrap().is_empty());
    }

    #[test]
    fn a_name_added_with_the_rust_form_of_another_is_breaking() {
        // The failing input: `dark_mode` added next to `dark-mode` used to take over
        // `dark_mode()` (and `dark-mode` became `dark_mode_2`); now NEW does not build.
        let old = doc(r#"{"dark-mode": {"default": true},
            "f": {"default": false, "rules": {"r": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "user-id", "value": "a"}]}}}}"#);
        let new = doc(r#"{"dark-mode": {"default": true}, "dark_mode": {"default": false},
            "f": {"default": false, "rules": {"r": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "user-id", "value": "a"}]}}},
            "g": {"default": false, "rules": {"r": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "user_id", "value": "b"}]}}}}"#);
        let breaking: Vec<String> =
            diff(&old, &new).unwrap().into_iter().filter(|c| c.breaking).map(|c| format!("{} {}", c.sign, c.text)).collect();
        assert_eq!(breaking.len(), 2, "{breaking:?}");
        assert!(
            breaking[0].starts_with("! the build fails: features \"dark_mode\" and \"dark-mode\" would both get the accessor `dark_mode`: rename it"),
            "{}",
            breaking[0]
        );
        assert!(
            breaking[1].starts_with("! the build fails: context keys \"user_id\" and \"user-id\" would both get the Context setter `user_id`"),
            "{}",
            breaking[1]
        );
        // Reordering alone changes nothing, and a problem OLD already had is not new.
        let a = doc(r#"{"new-checkout": {"default": true}, "new_checkout": {"default": false}}"#);
        let b = doc(r#"{"new_checkout": {"default": false}, "new-checkout": {"default": true}}"#);
        assert!(diff(&a, &b).unwrap().is_empty());
    }
}
