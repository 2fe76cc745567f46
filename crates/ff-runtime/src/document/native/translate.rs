//! [`to_powertools`]: an AppConfig feature-flags document (retrieval format or stored) as a
//! Powertools document, so that the cache and the rule engine serve it unchanged.

use super::parse::{Collector, Ptr};
use super::{is_stored_document, StoredDocument};
use crate::document::validate::describe;
use crate::error::SchemaError;
use crate::value::{Map, Value};

/// The member of a flag object naming the variant served (the AppConfig Agent's answers).
pub const VARIANT_MEMBER: &str = "_variant";

/// Translates an AppConfig feature-flags document into a Powertools document.
///
/// - The **retrieval format** (`GetLatestConfiguration`, the Agent): `{KEY: {"enabled":
///   bool, ATTR: value, ...}}` becomes `{KEY: {"default": {"enabled": .., ATTR: ..},
///   "boolean_type": false}}`: each flag is a feature with no rules whose default is the
///   flag's object as received, members in their order (an Agent answer's `"_variant"`
///   included).
/// - A **stored document** ([`is_stored_document`], or any object whose `version` is a
///   string) is validated as [`parse_stored`](super::parse_stored)
///   does, then each flag becomes the object AWS would return for it without context: its
///   `enabled` and, for an enabled flag only, its attribute values (the retrieval format drops
///   the attributes of disabled flags); for a multi-variant flag, the default (last)
///   variant's `enabled` and attribute values with `"_variant": NAME`, as the AppConfig
///   Agent answers a request without context.
///
/// # Errors
/// [`SchemaError`] with every problem, each with its JSON pointer (no line and column: the
/// value is already parsed): a document that is not an object, a flag whose value is not an
/// object, whose `enabled` is missing or not a boolean, or whose `_variant` is not a
/// string; for a stored document, every problem [`StoredDocument::from_value`] finds.
pub fn to_powertools(value: &Value) -> Result<Value, SchemaError> {
    // A retrieval document's members are objects: a string `version` is a stored document's,
    // even one without `flags` or `values` (AWS's schema requires only `version`).
    let stored = is_stored_document(value) || value.get("version").is_some_and(|v| v.as_str().is_some());
    if stored {
        return StoredDocument::from_value(value).map(|doc| doc.to_powertools());
    }
    let mut c = Collector::default();
    let at = Ptr::root();
    let Some(flags) = value.as_object() else {
        c.report(&at, format!("expected an AppConfig feature flags document ({{KEY: {{\"enabled\": true, ...}}}}), found {}", describe(value)));
        return Err(error(c));
    };
    let mut out = Map::with_capacity(flags.len());
    for (key, flag) in flags {
        let p = at.key(key);
        let Some(object) = flag.as_object() else {
            c.report(&p, format!("expected an object {{\"enabled\": true|false, ATTRIBUTE: value, ...}} for flag `{key}`, found {}", describe(flag)));
            continue;
        };
        match object.get("enabled") {
            Some(Value::Bool(_)) => {}
            None => c.report(&p, format!("flag `{key}` has no `enabled` (a boolean)")),
            Some(other) => c.report(&p.key("enabled"), format!("expected a boolean for `enabled` of flag `{key}`, found {}", describe(other))),
        }
        if let Some(variant) = object.get(VARIANT_MEMBER).filter(|v| !matches!(v, Value::String(_))) {
            c.report(&p.key(VARIANT_MEMBER), format!("expected the variant's name (a string) for `{VARIANT_MEMBER}`, found {}", describe(variant)));
        }
        out.insert(key.clone(), feature(flag.clone()));
    }
    if c.problems.is_empty() {
        Ok(Value::from(out))
    } else {
        Err(error(c))
    }
}

fn error(c: Collector) -> SchemaError {
    SchemaError { source_name: None, parse: None, problems: c.problems }
}

/// A Powertools feature with no rules whose default is `object`.
fn feature(object: Value) -> Value {
    let mut feature = Map::with_capacity(2);
    feature.insert("default".to_owned(), object);
    feature.insert("boolean_type".to_owned(), Value::Bool(false));
    Value::from(feature)
}

impl StoredDocument {
    /// The retrieval-format object AWS serves for each flag without context, as a
    /// Powertools document (see [`to_powertools`]).
    pub fn to_powertools(&self) -> Value {
        let mut out = Map::with_capacity(self.flags.len());
        for flag in &self.flags {
            let values = &flag.values;
            let (enabled, attributes, variant) = match values.variants.last() {
                Some(default) => (default.enabled, &default.attribute_values, Some(&default.name)),
                None => (values.enabled, &values.attributes, None),
            };
            let mut object = Map::with_capacity(attributes.len() + 2);
            if let Some(name) = variant {
                object.insert(VARIANT_MEMBER.to_owned(), Value::from(name.as_str()));
            }
            object.insert("enabled".to_owned(), Value::Bool(enabled));
            if enabled {
                object.extend(attributes.iter().cloned());
            }
            out.insert(flag.key.clone(), feature(Value::from(object)));
        }
        Value::from(out)
    }
}
