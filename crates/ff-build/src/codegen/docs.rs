//! Helpers shared by the generators: identifiers, doc comments and the Markdown they show.

use ff_runtime::{Condition, Feature, Rule, Value};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::model::FeatureModel;

/// How many rules a doc comment lists before summarising the rest.
const MAX_RULES_IN_DOCS: usize = 12;
/// How many uses a context field's doc comment lists before summarising the rest.
pub(super) const MAX_USES_IN_DOCS: usize = 8;
/// Longest JSON value shown in a doc comment.
const MAX_VALUE_CHARS: usize = 60;

/// The identifier `name` (`r#type` becomes a raw identifier).
pub(super) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `#[doc = " line"]` for each line.
pub(super) fn doc<S: AsRef<str>>(lines: impl IntoIterator<Item = S>) -> TokenStream {
    lines
        .into_iter()
        .map(|line| {
            let line = line.as_ref();
            let text = if line.is_empty() { String::new() } else { format!(" {line}") };
            quote!(#[doc = #text])
        })
        .collect()
}

/// Text shown inside a Markdown code span, control characters escaped.
pub(super) fn code(text: &str) -> String {
    let clean: String =
        text.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect();
    if clean.contains('`') {
        format!("`` {clean} ``")
    } else {
        format!("`{clean}`")
    }
}

/// A JSON value for a doc comment, shortened.
pub(super) fn brief(value: &Value) -> String {
    let json = value.to_json();
    if json.chars().count() <= MAX_VALUE_CHARS {
        json
    } else {
        let mut short: String = json.chars().take(MAX_VALUE_CHARS - 1).collect();
        short.push('…');
        short
    }
}

fn condition_text(condition: &Condition) -> String {
    if condition.action.is_time_based() {
        format!("{} {}", condition.action, code(&brief(&condition.value)))
    } else {
        format!("{} {} {}", code(&condition.key), condition.action, code(&brief(&condition.value)))
    }
}

fn rule_text(position: usize, rule: &Rule) -> String {
    let conditions: Vec<String> = rule.conditions.iter().map(condition_text).collect();
    format!("{position}. {} → {} when {}", code(&rule.name), code(&brief(rule.value())), conditions.join(" and "))
}

/// The rules of a feature, one Markdown list item each.
pub(super) fn rules_doc(feature: &Feature) -> Vec<String> {
    if feature.rules.is_empty() {
        return vec!["No rules: the value is the default (unless the live document adds rules).".to_owned()];
    }
    let mut lines = vec!["Rules, in order (the first whose conditions all match gives the value):".to_owned(), String::new()];
    lines.extend(feature.rules.iter().take(MAX_RULES_IN_DOCS).enumerate().map(|(i, r)| rule_text(i + 1, r)));
    if feature.rules.len() > MAX_RULES_IN_DOCS {
        lines.push(format!("{}. … and {} more rules", MAX_RULES_IN_DOCS + 1, feature.rules.len() - MAX_RULES_IN_DOCS));
    }
    lines
}

/// `Feature `x`: `bool`, default `false`.`
pub(super) fn feature_headline(feature: &Feature, model: &FeatureModel) -> String {
    let kind = if feature.boolean { "boolean feature" } else { "non-boolean feature" };
    format!(
        "{} ({kind}): {}, default {}.",
        code(&feature.name),
        code(model.value_type.rust_name()),
        code(&brief(&feature.default))
    )
}

/// An integer (or, for `f64`, float) literal, with a leading minus as a separate token.
pub(super) fn number_tokens(value: &Value, float: bool) -> TokenStream {
    if let Some(i) = value.as_i64().filter(|_| !float) {
        let lit = Literal::u64_unsuffixed(i.unsigned_abs());
        return if i < 0 { quote!(-#lit) } else { quote!(#lit) };
    }
    let x = value.as_f64().expect("a number");
    let lit = Literal::f64_unsuffixed(x.abs());
    if x.is_sign_negative() {
        quote!(-#lit)
    } else {
        quote!(#lit)
    }
}

