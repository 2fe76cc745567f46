//! AWS AppConfig's own feature-flag format, `AWS.AppConfig.FeatureFlags` (public as
//! `ff_runtime::native`).
//!
//! Besides the Powertools document, AWS AppConfig has a configuration-profile type of its
//! own for feature flags, edited in the AWS console. It comes in two shapes:
//!
//! - the **stored document**, what `CreateHostedConfigurationVersion` receives and what the
//!   console edits: `{"version": "1", "flags": {KEY: definition}, "values": {KEY: values}}`,
//!   with typed attributes (constraints) and, since 2024, multi-variant flags. It is modelled
//!   by [`StoredDocument`] and read by [`parse_stored`];
//! - the **retrieval format**, what `GetLatestConfiguration` (and the AppConfig Agent without
//!   `?flag=`) returns: `{KEY: {"enabled": bool, ATTR: value, ...}}`, the definitions
//!   stripped, attributes present only for enabled flags.
//!
//! The shapes and limits come from AWS's published JSON Schema of the format ("Understanding
//! the type reference for AWS.AppConfig.FeatureFlags", AppConfig user guide) and the rule
//! language from "Defining rules for multi-variant feature flags". ff never
//! evaluates variant rules: the hash behind `split` is not published, so variants are
//! evaluated by the AppConfig Agent only.

use crate::value::Value;

mod check;
mod constraints;
mod format;
mod parse;
mod pattern;
pub mod rule;
mod translate;
mod values;

#[cfg(test)]
mod tests;

pub use check::{is_key, MAX_ATTRIBUTES, MAX_TEXT};
pub use format::DocumentFormat;
pub use parse::{is_stored_document, parse_stored};
pub use translate::{to_powertools, VARIANT_MEMBER};
pub use values::{MAX_RULE, MAX_VARIANTS};

/// A stored `AWS.AppConfig.FeatureFlags` document: every flag with its definition and its
/// values, in the document order of `"flags"`.
///
/// Built by [`parse_stored`] (or [`StoredDocument::from_value`]), which refuse a document
/// AWS would refuse.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct StoredDocument {
    /// The flags, in the order of the document's `"flags"` object.
    pub flags: Vec<FlagDefinition>,
}

impl StoredDocument {
    /// The flag whose key is `key`.
    pub fn flag(&self, key: &str) -> Option<&FlagDefinition> {
        self.flags.iter().find(|f| f.key == key)
    }
}

/// One flag: its definition (`"flags"[KEY]`) and its values (`"values"[KEY]`).
#[derive(Clone, Debug, PartialEq)]
pub struct FlagDefinition {
    /// The flag key, matching `^[a-z][a-zA-Z\d_-]{0,63}$` (e.g. `"dark_mode"`).
    pub key: String,
    /// The display name (`"name"`, 1 to 64 characters without a line break). AWS's schema
    /// does not require it; when absent, this is the key.
    pub name: String,
    /// The description (`"description"`, at most 1,024 characters).
    pub description: Option<String>,
    /// The attribute definitions, in document order (at most 25).
    pub attributes: Vec<AttributeDefinition>,
    /// The deprecation notice (`"_deprecation"`), when the flag is marked for removal.
    pub deprecation: Option<Deprecation>,
    /// The flag's values (`"values"[KEY]`); when the document has none for this flag, the
    /// flag is disabled with no attribute values and no variants.
    pub values: FlagValues,
}

impl FlagDefinition {
    /// The attribute definition whose key is `key`.
    pub fn attribute(&self, key: &str) -> Option<&AttributeDefinition> {
        self.attributes.iter().find(|a| a.key == key)
    }
}

/// A flag's `"_deprecation"`: `{"status": "planned", "date"?: "YYYY-MM-DD"}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Deprecation {
    /// The status; AWS's schema allows only `"planned"`.
    pub status: String,
    /// The planned date as written (the schema's `format: date`, `YYYY-MM-DD`), if any.
    pub date: Option<String>,
}

/// One attribute of a flag (`"flags"[KEY]["attributes"][ATTR]`).
#[derive(Clone, Debug, PartialEq)]
pub struct AttributeDefinition {
    /// The attribute key, matching `^[a-z][a-zA-Z\d_-]{0,63}$`; never `enabled` (reserved).
    pub key: String,
    /// The description (at most 1,024 characters).
    pub description: Option<String>,
    /// The constraints (`"constraints"`); `None` when the attribute has none, so that its
    /// values may be any string, number, boolean or array of strings or of numbers.
    pub constraints: Option<Constraints>,
}

/// An attribute's `"constraints"`: its type with the type's bounds, and `required`.
#[derive(Clone, Debug, PartialEq)]
pub struct Constraints {
    /// The type (`"type"`) and the checks that come with it.
    pub kind: AttributeKind,
    /// `"required"`: an enabled flag must give the attribute a value (default `false`).
    pub required: bool,
}

/// The type of an attribute, from `"constraints"."type"`, with that type's checks.
#[derive(Clone, Debug, PartialEq)]
pub enum AttributeKind {
    /// `"number"`: any JSON number, within the inclusive bounds when given (AWS's schema
    /// writes the bounds as integers).
    Number {
        /// `"minimum"`, inclusive.
        minimum: Option<f64>,
        /// `"maximum"`, inclusive.
        maximum: Option<f64>,
    },
    /// `"string"`: a string of at most 1,024 characters, matching `pattern` or one of
    /// `allowed` (AWS's schema forbids giving both).
    String {
        /// `"pattern"`, a regular expression the value must match (unanchored, as JSON
        /// Schema's `pattern`; write `^…$` to match the whole value).
        pattern: Option<String>,
        /// `"enum"`: the allowed values. AWS's schema also admits integers here; they are
        /// kept as their decimal text (`1` → `"1"`).
        allowed: Option<Vec<String>>,
    },
    /// `"boolean"`.
    Boolean,
    /// `"array"`: an array of strings or of numbers (not mixed).
    Array {
        /// `"elements"`: the constraints every element meets, when given.
        elements: Option<ElementKind>,
    },
}

/// The constraints of an array attribute's elements (`"elements"`): a number or a string
/// constraint, as [`AttributeKind::Number`] and [`AttributeKind::String`].
#[derive(Clone, Debug, PartialEq)]
pub enum ElementKind {
    /// Number elements within the inclusive bounds.
    Number {
        /// `"minimum"`, inclusive.
        minimum: Option<f64>,
        /// `"maximum"`, inclusive.
        maximum: Option<f64>,
    },
    /// String elements matching the pattern or one of the allowed values.
    String {
        /// `"pattern"` (unanchored).
        pattern: Option<String>,
        /// `"enum"` (integers kept as their decimal text).
        allowed: Option<Vec<String>>,
    },
}

/// A flag's values (`"values"[KEY]`): whether it is enabled, its attribute values and its
/// variants.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct FlagValues {
    /// `"enabled"` (absent: `false`).
    pub enabled: bool,
    /// The attribute values, in document order (`"values"[KEY][ATTR]`).
    pub attributes: Vec<(String, Value)>,
    /// The variants (`"_variants"`), in evaluation order; the last one is the default
    /// variant. Empty for a basic flag.
    pub variants: Vec<VariantDefinition>,
}

impl FlagValues {
    /// The value of attribute `key`, when the document gives one.
    pub fn attribute(&self, key: &str) -> Option<&Value> {
        self.attributes.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// One variant of a multi-variant flag (`"values"[KEY]["_variants"][i]`).
#[derive(Clone, Debug, PartialEq)]
pub struct VariantDefinition {
    /// The variant name (1 to 64 characters without a line break), unique in its flag.
    pub name: String,
    /// Whether the flag is enabled when this variant is served.
    pub enabled: bool,
    /// The rule selecting this variant (at most 16,384 characters); `None`
    /// for the default variant (the last one).
    pub rule: Option<String>,
    /// The attribute values served with this variant (`"attributeValues"`), in document
    /// order.
    pub attribute_values: Vec<(String, Value)>,
}
