//! `"constraints"` of an attribute and `"elements"` of an array attribute, after the
//! schema's `numberConstraints`, `stringConstraints`, `arrayConstraints`,
//! `boolConstraints` and `elementConstraints`.

use super::check::{boolean, text};
use super::parse::{Collector, Ptr};
use super::{AttributeKind, Constraints, ElementKind};
use crate::document::validate::describe;
use crate::value::{Map, Number, Value};

/// The members each type admits (besides `type`).
fn members(kind: &str) -> &'static [&'static str] {
    match kind {
        "number" => &["required", "minimum", "maximum"],
        "string" => &["required", "pattern", "enum"],
        "array" => &["required", "elements"],
        _ => &["required"],
    }
}

/// The `type` of a constraint object, when it is one of `allowed`.
fn kind<'a>(c: &mut Collector, at: &Ptr, obj: &'a Map, allowed: &[&str]) -> Option<&'a str> {
    let expected = || allowed.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(", ");
    match obj.get("type") {
        None => c.report(at, format!("constraints need a `type` ({})", expected())),
        Some(Value::String(t)) if allowed.contains(&t.as_str()) => return Some(t),
        Some(other) => c.report(&at.key("type"), format!("expected a constraint `type` among {}, found {}", expected(), describe(other))),
    }
    None
}

/// Reports members that the type does not admit.
fn unknown_members(c: &mut Collector, at: &Ptr, obj: &Map, kind: &str) {
    let admitted = members(kind);
    for member in obj.keys().filter(|m| *m != "type" && !admitted.contains(&m.as_str())) {
        c.report(
            &at.key(member),
            format!("`{member}` does not apply to a `{kind}` constraint, which admits {}", admitted.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")),
        );
    }
}

/// An attribute's `"constraints"`; `None` when its type cannot be read.
pub(crate) fn constraints(c: &mut Collector, at: &Ptr, value: &Value) -> Option<Constraints> {
    let Some(obj) = value.as_object() else {
        c.report(at, format!("expected an object for `constraints` ({{\"type\": ...}}), found {}", describe(value)));
        return None;
    };
    let kind = kind(c, at, obj, &["number", "string", "array", "boolean"]);
    let required = obj.get("required").and_then(|v| boolean(c, &at.key("required"), v, "required")).unwrap_or(false);
    let kind = kind?;
    unknown_members(c, at, obj, kind);
    let kind = match kind {
        "number" => {
            let (minimum, maximum) = bounds(c, at, obj);
            AttributeKind::Number { minimum, maximum }
        }
        "string" => {
            let (pattern, allowed) = string_checks(c, at, obj);
            AttributeKind::String { pattern, allowed }
        }
        "array" => AttributeKind::Array { elements: obj.get("elements").and_then(|e| elements(c, &at.key("elements"), e)) },
        _ => AttributeKind::Boolean,
    };
    Some(Constraints { kind, required })
}

/// An array attribute's `"elements"`: a number or a string constraint.
fn elements(c: &mut Collector, at: &Ptr, value: &Value) -> Option<ElementKind> {
    let Some(obj) = value.as_object() else {
        c.report(at, format!("expected an object for `elements` ({{\"type\": \"number\" or \"string\", ...}}), found {}", describe(value)));
        return None;
    };
    let kind = kind(c, at, obj, &["number", "string"]);
    if let Some(v) = obj.get("required") {
        boolean(c, &at.key("required"), v, "required");
    }
    let kind = kind?;
    unknown_members(c, at, obj, kind);
    Some(if kind == "number" {
        let (minimum, maximum) = bounds(c, at, obj);
        ElementKind::Number { minimum, maximum }
    } else {
        let (pattern, allowed) = string_checks(c, at, obj);
        ElementKind::String { pattern, allowed }
    })
}

/// `"minimum"` and `"maximum"`: integers (the schema types them `integer`), minimum <= maximum.
fn bounds(c: &mut Collector, at: &Ptr, obj: &Map) -> (Option<f64>, Option<f64>) {
    let mut bound = |member: &str| match obj.get(member)? {
        Value::Number(n) if n.is_integer() => Some(n.as_f64()),
        other => {
            c.report(&at.key(member), format!("expected an integer for `{member}` (AWS's schema types number bounds as integers), found {}", describe(other)));
            None
        }
    };
    let (minimum, maximum) = (bound("minimum"), bound("maximum"));
    if let (Some(min), Some(max)) = (minimum, maximum) {
        if min > max {
            c.report(&at.key("maximum"), format!("`maximum` {} is below `minimum` {}", display(max), display(min)));
        }
    }
    (minimum, maximum)
}

/// A bound as written (integers without a fraction).
pub(crate) fn display(n: f64) -> String {
    Number::Float(n).to_string().trim_end_matches(".0").to_owned()
}

/// `"pattern"` (a well-formed regular expression of at most 1,024 characters) and `"enum"`
/// (strings of at most 1,024 characters or integers), not both.
fn string_checks(c: &mut Collector, at: &Ptr, obj: &Map) -> (Option<String>, Option<Vec<String>>) {
    let pattern = obj.get("pattern").and_then(|p| {
        let pattern = text(c, &at.key("pattern"), p, "pattern")?;
        match super::pattern::check(&pattern) {
            Ok(()) => Some(pattern),
            Err(problem) => {
                c.report(&at.key("pattern"), format!("the pattern `{pattern}` is not a well-formed regular expression: {problem}"));
                None
            }
        }
    });
    let allowed = obj.get("enum").and_then(|e| allowed(c, &at.key("enum"), e));
    if obj.contains_key("pattern") && obj.contains_key("enum") {
        c.report(at, "a string constraint takes `pattern` or `enum`, not both (AWS's schema forbids the pair)");
    }
    (pattern, allowed)
}

/// `"enum"`: an array of strings (at most 1,024 characters) or integers, kept as text.
fn allowed(c: &mut Collector, at: &Ptr, value: &Value) -> Option<Vec<String>> {
    let Some(items) = value.as_array() else {
        c.report(at, format!("expected an array of allowed strings for `enum`, found {}", describe(value)));
        return None;
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match item {
            Value::Number(n) if n.is_integer() => out.push(n.to_string()),
            Value::String(_) => out.extend(text(c, &at.index(i), item, "enum value")),
            other => c.report(&at.index(i), format!("expected a string (or an integer) in `enum`, found {}", describe(other))),
        }
    }
    Some(out)
}
