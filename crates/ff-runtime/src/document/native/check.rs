//! The checks of the definitions (`"flags"`): the document's top level, flag definitions,
//! attribute definitions and their constraints, after AWS's published JSON Schema of the
//! format. Every problem is collected; a broken part is skipped, the rest still checked.

use super::parse::{Collector, Ptr};
use super::{AttributeDefinition, Deprecation, FlagDefinition, FlagValues, StoredDocument};
use crate::document::validate::describe;
use crate::value::{Map, Value};

/// The most attributes a flag may define (`maxProperties` of the schema's
/// `attributeDefinitions`).
pub const MAX_ATTRIBUTES: usize = 25;
/// The longest description, name-less strings and string values, in characters.
pub const MAX_TEXT: usize = 1024;

/// Whether `key` matches `^[a-z][a-zA-Z\d_-]{0,63}$`, the schema's pattern for flag and
/// attribute keys (`\d` is an ASCII digit, as in the schema's ECMA-262 dialect).
pub fn is_key(key: &str) -> bool {
    let mut chars = key.chars();
    matches!(chars.next(), Some('a'..='z'))
        && key.len() <= 64
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Reports `key` when it does not match the key pattern. `what` is `"flag"` or `"attribute"`.
pub(crate) fn check_key(c: &mut Collector, at: &Ptr, key: &str, what: &str) -> bool {
    if is_key(key) {
        return true;
    }
    c.report(
        at,
        format!(
            "{what} key `{key}` does not match ^[a-z][a-zA-Z\\d_-]{{0,63}}$ (a lowercase ASCII letter, then up to 63 ASCII letters, digits, `_` or `-`)"
        ),
    );
    false
}

/// The top level: `version`, `flags`, `values`.
pub(crate) fn document(c: &mut Collector, root: &Value) -> StoredDocument {
    let at = Ptr::root();
    let Some(obj) = root.as_object() else {
        c.report(
            &at,
            format!("expected an AWS.AppConfig.FeatureFlags document (an object with \"version\": \"1\", \"flags\" and \"values\"), found {}", describe(root)),
        );
        return StoredDocument::default();
    };
    for key in obj.keys().filter(|k| !matches!(k.as_str(), "version" | "flags" | "values")) {
        c.report(&at.key(key), format!("unknown member `{key}`: a stored document has only `version`, `flags` and `values`"));
    }
    match obj.get("version") {
        None => c.report(&at, "missing `version`: expected \"version\": \"1\""),
        Some(Value::String(v)) if v == "1" => {}
        Some(v) => c.report(&at.key("version"), format!("expected \"version\": \"1\" (a string), found {}", describe(v))),
    }
    let empty = Map::new();
    let flags = object_member(c, obj, "flags", &at).unwrap_or(&empty);
    let values = object_member(c, obj, "values", &at).unwrap_or(&empty);
    let mut out: Vec<FlagDefinition> = Vec::with_capacity(flags.len());
    for (key, definition) in flags {
        let p = at.key("flags").key(key);
        check_key(c, &p, key, "flag");
        out.push(flag_definition(c, &p, key, definition));
    }
    for (key, flag_values) in values {
        let p = at.key("values").key(key);
        if !check_key(c, &p, key, "flag") {
            continue;
        }
        match out.iter_mut().find(|f| f.key == *key) {
            Some(flag) => flag.values = super::values::flag_values(c, &p, flag, flag_values),
            None => c.report(&p, format!("values for flag `{key}`, which `flags` does not define")),
        }
    }
    StoredDocument { flags: out }
}

/// The member `name` of `obj` when it is an object; reports any other type.
fn object_member<'a>(c: &mut Collector, obj: &'a Map, name: &str, at: &Ptr) -> Option<&'a Map> {
    let value = obj.get(name)?;
    let found = value.as_object();
    if found.is_none() {
        c.report(&at.key(name), format!("expected an object for `{name}`, found {}", describe(value)));
    }
    found
}

/// A customer-defined name: 1 to 64 characters, no line feed (`^[^\n]{1,64}$`).
pub(crate) fn name(c: &mut Collector, at: &Ptr, value: &Value, what: &str) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() && s.chars().count() <= 64 && !s.contains('\n') => Some(s.clone()),
        Value::String(s) => {
            c.report(at, format!("{what} must be 1 to 64 characters without a line break, found {} characters{}", s.chars().count(), if s.contains('\n') { " with a line break" } else { "" }));
            None
        }
        other => {
            c.report(at, format!("expected a string for the {what}, found {}", describe(other)));
            None
        }
    }
}

/// A string of at most [`MAX_TEXT`] characters (descriptions, patterns).
pub(crate) fn text(c: &mut Collector, at: &Ptr, value: &Value, what: &str) -> Option<String> {
    match value {
        Value::String(s) if s.chars().count() <= MAX_TEXT => Some(s.clone()),
        Value::String(s) => {
            c.report(at, format!("the {what} has {} characters, at most {MAX_TEXT} are allowed", s.chars().count()));
            None
        }
        other => {
            c.report(at, format!("expected a string for the {what}, found {}", describe(other)));
            None
        }
    }
}

/// Reports a value that is not a string (`_createdAt`, `_updatedAt`).
pub(crate) fn any_string(c: &mut Collector, at: &Ptr, value: &Value, what: &str) {
    if !matches!(value, Value::String(_)) {
        c.report(at, format!("expected a string for `{what}`, found {}", describe(value)));
    }
}

/// Reports a value that is not a boolean; `None` then.
pub(crate) fn boolean(c: &mut Collector, at: &Ptr, value: &Value, what: &str) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        other => {
            c.report(at, format!("expected a boolean for `{what}`, found {}", describe(other)));
            None
        }
    }
}

/// `"flags"[KEY]`. Always gives a definition (best effort), so that the flag's values are
/// still checked against what could be read.
fn flag_definition(c: &mut Collector, at: &Ptr, key: &str, definition: &Value) -> FlagDefinition {
    let mut flag = FlagDefinition {
        key: key.to_owned(),
        name: key.to_owned(),
        description: None,
        attributes: Vec::new(),
        deprecation: None,
        values: FlagValues::default(),
    };
    let Some(obj) = definition.as_object() else {
        c.report(at, format!("expected an object defining flag `{key}` (\"name\", \"attributes\", ...), found {}", describe(definition)));
        return flag;
    };
    for (member, value) in obj {
        let p = at.key(member);
        match member.as_str() {
            "name" => flag.name = name(c, &p, value, "flag name").unwrap_or(flag.name),
            "description" => flag.description = text(c, &p, value, "description"),
            "_createdAt" | "_updatedAt" => any_string(c, &p, value, member),
            "_deprecation" => flag.deprecation = deprecation(c, &p, value),
            "attributes" => flag.attributes = attributes(c, &p, key, value),
            _ => c.report(
                &p,
                format!("unknown member `{member}` in the definition of flag `{key}`: expected `name`, `description`, `attributes`, `_deprecation`, `_createdAt` or `_updatedAt`"),
            ),
        }
    }
    flag
}

/// `"_deprecation"`: `{"status": "planned", "date"?: string}`. The schema's `format: date`
/// is an annotation in JSON Schema draft 7, so the date's text is not checked.
fn deprecation(c: &mut Collector, at: &Ptr, value: &Value) -> Option<Deprecation> {
    let Some(obj) = value.as_object() else {
        c.report(at, format!("expected an object {{\"status\": \"planned\", \"date\": \"YYYY-MM-DD\"}} for `_deprecation`, found {}", describe(value)));
        return None;
    };
    let mut out = Deprecation { status: "planned".to_owned(), date: None };
    for (member, value) in obj {
        let p = at.key(member);
        match (member.as_str(), value) {
            ("status", Value::String(s)) if s == "planned" => {}
            ("status", other) => c.report(&p, format!("expected \"planned\" for the deprecation `status` (the only status AWS's schema allows), found {}", describe(other))),
            ("date", Value::String(s)) => out.date = Some(s.clone()),
            ("date", other) => c.report(&p, format!("expected a date string \"YYYY-MM-DD\" for the deprecation `date`, found {}", describe(other))),
            _ => c.report(&p, format!("unknown member `{member}` in `_deprecation`: expected `status` or `date`")),
        }
    }
    Some(out)
}

/// `"attributes"`: at most [`MAX_ATTRIBUTES`], keys matching the pattern, `enabled` reserved.
fn attributes(c: &mut Collector, at: &Ptr, flag: &str, value: &Value) -> Vec<AttributeDefinition> {
    let Some(obj) = value.as_object() else {
        c.report(at, format!("expected an object of attribute definitions, found {}", describe(value)));
        return Vec::new();
    };
    if obj.len() > MAX_ATTRIBUTES {
        c.report(at, format!("flag `{flag}` defines {} attributes, at most {MAX_ATTRIBUTES} are allowed", obj.len()));
    }
    let mut out = Vec::with_capacity(obj.len());
    for (key, definition) in obj {
        let p = at.key(key);
        if key == "enabled" {
            c.report(&p, "attribute key `enabled` is reserved (it holds whether the flag is on): name the attribute differently");
        } else {
            check_key(c, &p, key, "attribute");
        }
        out.push(attribute(c, &p, key, definition));
    }
    out
}

/// One attribute definition: `{"description"?, "constraints"?}`.
fn attribute(c: &mut Collector, at: &Ptr, key: &str, definition: &Value) -> AttributeDefinition {
    let mut out = AttributeDefinition { key: key.to_owned(), description: None, constraints: None };
    let Some(obj) = definition.as_object() else {
        c.report(at, format!("expected an object defining attribute `{key}` (\"constraints\", \"description\"), found {}", describe(definition)));
        return out;
    };
    for (member, value) in obj {
        let p = at.key(member);
        match member.as_str() {
            "description" => out.description = text(c, &p, value, "description"),
            "constraints" => out.constraints = super::constraints::constraints(c, &p, value),
            _ => c.report(&p, format!("unknown member `{member}` in the definition of attribute `{key}`: expected `constraints` or `description`")),
        }
    }
    out
}
