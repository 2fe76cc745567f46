//! The checks of `"values"`: a flag's `enabled`, its attribute values against their
//! definitions and constraints, required attributes, and its `_variants`.

use super::check::{any_string, boolean, check_key, name, MAX_ATTRIBUTES, MAX_TEXT};
use super::constraints::display;
use super::parse::{Collector, Ptr};
use super::{AttributeKind, ElementKind, FlagDefinition, FlagValues, VariantDefinition};
use crate::document::validate::describe;
use crate::value::Value;

/// The most variants a flag may have.
pub const MAX_VARIANTS: usize = 32;
/// The longest rule, in characters (the schema's `maxLength` of `rule`).
pub const MAX_RULE: usize = 16_384;

/// `"values"[KEY]` of a defined flag.
pub(crate) fn flag_values(c: &mut Collector, at: &Ptr, flag: &FlagDefinition, value: &Value) -> FlagValues {
    let mut out = FlagValues::default();
    let Some(obj) = value.as_object() else {
        c.report(at, format!("expected an object of values for flag `{}` ({{\"enabled\": ..}}), found {}", flag.key, describe(value)));
        return out;
    };
    for (member, value) in obj {
        let p = at.key(member);
        match member.as_str() {
            "enabled" => out.enabled = boolean(c, &p, value, "enabled").unwrap_or(false),
            "_createdAt" | "_updatedAt" => any_string(c, &p, value, member),
            "_variants" => out.variants = variants(c, &p, flag, value),
            _ => {
                if attribute_value(c, &p, flag, member, value) {
                    out.attributes.push((member.clone(), value.clone()));
                }
            }
        }
    }
    if out.enabled {
        for attribute in flag.attributes.iter().filter(|a| a.constraints.as_ref().is_some_and(|k| k.required)) {
            // Present counts, valid or not (an invalid value is reported on its own).
            if !obj.contains_key(&attribute.key) {
                c.report(at, format!("flag `{}` is enabled but has no value for its required attribute `{}`", flag.key, attribute.key));
            }
        }
    }
    out
}

/// One attribute value (of the flag or of a variant): a defined attribute, a value of a
/// shape the schema allows, meeting the attribute's constraints. `true` when it is kept.
fn attribute_value(c: &mut Collector, at: &Ptr, flag: &FlagDefinition, key: &str, value: &Value) -> bool {
    if !check_key(c, at, key, "attribute") {
        return false;
    }
    let Some(definition) = flag.attribute(key) else {
        c.report(at, format!("value for attribute `{key}`, which flag `{}` does not define", flag.key));
        return false;
    };
    let before = c.problems.len();
    if shape(c, at, value) {
        if let Some(constraints) = &definition.constraints {
            meets(c, at, &constraints.kind, value);
        }
    }
    c.problems.len() == before
}

/// The schema's `attributeValue`: a string of at most 1,024 characters, a number, a boolean,
/// or an array of such strings or of numbers (not mixed). An empty array is accepted (it is
/// both, which a strict `oneOf` would refuse; ff does not refuse it on that technicality).
fn shape(c: &mut Collector, at: &Ptr, value: &Value) -> bool {
    let long = |s: &str| s.chars().count() > MAX_TEXT;
    match value {
        Value::String(s) if long(s) => c.report(at, format!("the string has {} characters, at most {MAX_TEXT} are allowed", s.chars().count())),
        Value::String(_) | Value::Number(_) | Value::Bool(_) => return true,
        Value::Array(items) => {
            let strings = items.iter().all(|v| matches!(v, Value::String(_)));
            let numbers = items.iter().all(|v| matches!(v, Value::Number(_)));
            if !strings && !numbers {
                c.report(at, "expected an array of strings or an array of numbers (not mixed, nothing else)");
            } else if let Some(i) = items.iter().position(|v| v.as_str().is_some_and(long)) {
                c.report(&at.index(i), format!("the string has {} characters, at most {MAX_TEXT} are allowed", items[i].as_str().map_or(0, |s| s.chars().count())));
            } else {
                return true;
            }
        }
        other => c.report(at, format!("expected a string, a number, a boolean or an array of strings or numbers, found {}", describe(other))),
    }
    false
}

/// Reports where `value` breaks `kind`.
fn meets(c: &mut Collector, at: &Ptr, kind: &AttributeKind, value: &Value) {
    match (kind, value) {
        (AttributeKind::Number { minimum, maximum }, Value::Number(n)) => in_bounds(c, at, n.as_f64(), *minimum, *maximum),
        (AttributeKind::String { pattern, allowed }, Value::String(s)) => string_meets(c, at, s, pattern.as_deref(), allowed.as_deref()),
        (AttributeKind::Boolean, Value::Bool(_)) => {}
        (AttributeKind::Array { elements }, Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let p = at.index(i);
                match (elements, item) {
                    (None, _) => {}
                    (Some(ElementKind::Number { minimum, maximum }), Value::Number(n)) => in_bounds(c, &p, n.as_f64(), *minimum, *maximum),
                    (Some(ElementKind::String { pattern, allowed }), Value::String(s)) => string_meets(c, &p, s, pattern.as_deref(), allowed.as_deref()),
                    (Some(ElementKind::Number { .. }), other) => c.report(&p, format!("expected a number element, found {}", describe(other))),
                    (Some(ElementKind::String { .. }), other) => c.report(&p, format!("expected a string element, found {}", describe(other))),
                }
            }
        }
        (kind, other) => c.report(at, format!("expected a {} (the attribute's constraint), found {}", kind_name(kind), describe(other))),
    }
}

fn kind_name(kind: &AttributeKind) -> &'static str {
    match kind {
        AttributeKind::Number { .. } => "number",
        AttributeKind::String { .. } => "string",
        AttributeKind::Boolean => "boolean",
        AttributeKind::Array { .. } => "array",
    }
}

fn in_bounds(c: &mut Collector, at: &Ptr, n: f64, minimum: Option<f64>, maximum: Option<f64>) {
    if let Some(min) = minimum.filter(|&min| n < min) {
        c.report(at, format!("{} is below the minimum {}", display(n), display(min)));
    }
    if let Some(max) = maximum.filter(|&max| n > max) {
        c.report(at, format!("{} is above the maximum {}", display(n), display(max)));
    }
}

fn string_meets(c: &mut Collector, at: &Ptr, s: &str, pattern: Option<&str>, allowed: Option<&[String]>) {
    if let Some(allowed) = allowed.filter(|a| !a.iter().any(|x| x == s)) {
        let list = allowed.iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(", ");
        c.report(at, format!("\"{s}\" is not one of the allowed values {list}"));
    }
    if let Some(pattern) = pattern {
        if super::pattern::matches(&mut c.patterns, pattern, s) == Some(false) {
            c.report(at, format!("\"{s}\" does not match the pattern `{pattern}`"));
        }
    }
}

/// `"_variants"`: at most [`MAX_VARIANTS`], unique names, only the last without a rule.
fn variants(c: &mut Collector, at: &Ptr, flag: &FlagDefinition, value: &Value) -> Vec<VariantDefinition> {
    let Some(items) = value.as_array() else {
        c.report(at, format!("expected an array of variants for `_variants`, found {}", describe(value)));
        return Vec::new();
    };
    if items.len() > MAX_VARIANTS {
        c.report(at, format!("flag `{}` has {} variants, at most {MAX_VARIANTS} are allowed", flag.key, items.len()));
    }
    let mut out: Vec<VariantDefinition> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let p = at.index(i);
        let Some(variant) = variant(c, &p, flag, item, i + 1 == items.len()) else { continue };
        // A variant without a valid name is reported as such, not as a repeat.
        if let Some(first) = out.iter().position(|v| !v.name.is_empty() && v.name == variant.name) {
            c.report(&p.key("name"), format!("variant name \"{}\" repeats the name of variant {first}", variant.name));
        }
        out.push(variant);
    }
    out
}

/// One variant: `{"name", "enabled", "rule"?, "attributeValues"?}`.
fn variant(c: &mut Collector, at: &Ptr, flag: &FlagDefinition, value: &Value, last: bool) -> Option<VariantDefinition> {
    let Some(obj) = value.as_object() else {
        c.report(at, format!("expected a variant object ({{\"name\", \"enabled\", \"rule\"}}), found {}", describe(value)));
        return None;
    };
    let mut out = VariantDefinition { name: String::new(), enabled: false, rule: None, attribute_values: Vec::new() };
    for (member, value) in obj {
        let p = at.key(member);
        match member.as_str() {
            "name" => out.name = name(c, &p, value, "variant name").unwrap_or_default(),
            "enabled" => out.enabled = boolean(c, &p, value, "enabled").unwrap_or(false),
            "rule" => out.rule = rule(c, &p, value, last),
            "attributeValues" => out.attribute_values = attribute_values(c, &p, flag, value),
            _ => c.report(&p, format!("unknown member `{member}` in a variant: expected `name`, `enabled`, `rule` or `attributeValues`")),
        }
    }
    for required in ["name", "enabled"].into_iter().filter(|m| !obj.contains_key(*m)) {
        c.report(at, format!("the variant needs `{required}`"));
    }
    if !last && !obj.contains_key("rule") {
        c.report(at, "only the last variant (the default) goes without a `rule`: this variant needs one");
    }
    Some(out)
}

/// A variant's `"rule"`: a string of at most [`MAX_RULE`] characters, well-formed; the
/// default (last) variant has none.
fn rule(c: &mut Collector, at: &Ptr, value: &Value, last: bool) -> Option<String> {
    let Value::String(rule) = value else {
        c.report(at, format!("expected a rule string for `rule`, found {}", describe(value)));
        return None;
    };
    if last {
        c.report(at, "the last variant is the default variant, which takes no `rule`");
    }
    let length = rule.chars().count();
    if length > MAX_RULE {
        c.report(at, format!("the rule has {length} characters, at most {MAX_RULE} are allowed"));
    } else if let Err(error) = super::rule::parse(rule) {
        c.report(at, format!("the rule is not well formed: {error}"));
    }
    Some(rule.clone())
}

/// A variant's `"attributeValues"`: at most 25, each a defined attribute's valid value.
fn attribute_values(c: &mut Collector, at: &Ptr, flag: &FlagDefinition, value: &Value) -> Vec<(String, Value)> {
    let Some(obj) = value.as_object() else {
        c.report(at, format!("expected an object of attribute values for `attributeValues`, found {}", describe(value)));
        return Vec::new();
    };
    if obj.len() > MAX_ATTRIBUTES {
        c.report(at, format!("the variant gives {} attribute values, at most {MAX_ATTRIBUTES} are allowed", obj.len()));
    }
    obj.iter()
        .filter(|(key, value)| attribute_value(c, &at.key(key), flag, key, value))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect()
}
