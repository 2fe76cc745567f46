//! What the generator makes of an AppConfig feature flags document (the stored
//! `AWS.AppConfig.FeatureFlags` format, [`ff_runtime::native`]): one struct per flag, with
//! `enabled` and one typed field per attribute, enums for string attributes with an `enum`
//! constraint, and the context keys that variant rules read.
//!
//! The types come from the attribute constraints (crate docs, "AppConfig feature flags"):
//!
//! | constraint | field |
//! | --- | --- |
//! | `number`, every value and bound in the document an integer | `i64` |
//! | `number`, some value or bound with a fraction | `f64` |
//! | `string` | `String` |
//! | `string` with `enum` | a generated enum, `{Flag}{Attribute}` |
//! | `boolean` | `bool` |
//! | `array` of `number` (`string`) | `Vec<i64>` or `Vec<f64>` (`Vec<String>`) |
//! | `array` without `elements`, or no constraints | `ff_runtime::Value` |
//!
//! Each is wrapped in `Option` unless the constraint says `required`.

use ff_runtime::native::{AttributeKind, ElementKind, FlagDefinition, StoredDocument};
use ff_runtime::Value;

use crate::model::{ContextField, FieldType};
use crate::names::{camel_case, rename_hint, snake_case};

/// The Rust type of an attribute's field (inside `Option` unless required).
#[derive(Clone, Debug, PartialEq)]
pub enum AttributeType {
    /// `bool`.
    Bool,
    /// `i64`: every value and bound of the attribute in the document is an integer.
    I64,
    /// `f64`.
    F64,
    /// `String`.
    String,
    /// A generated enum (by name): a string attribute with an `enum` constraint.
    Enum(String),
    /// `Vec<T>`.
    List(Box<AttributeType>),
    /// `ff_runtime::Value`: no constraints, or an array without `elements`.
    Value,
}

impl AttributeType {
    /// The type as written in docs (`i64`, `Vec<String>`, `DarkModeColor`).
    pub fn rust_name(&self) -> String {
        match self {
            AttributeType::Bool => "bool".to_owned(),
            AttributeType::I64 => "i64".to_owned(),
            AttributeType::F64 => "f64".to_owned(),
            AttributeType::String => "String".to_owned(),
            AttributeType::Enum(name) => name.clone(),
            AttributeType::List(element) => format!("Vec<{}>", element.rust_name()),
            AttributeType::Value => "ff_runtime::Value".to_owned(),
        }
    }
}

/// A generated enum: the allowed strings of a string attribute.
#[derive(Clone, Debug)]
pub struct AttributeEnum {
    /// The enum's name, `{Flag}{Attribute}` (`DarkModeColor`).
    pub name: String,
    /// `(string, variant)` in constraint order.
    pub variants: Vec<(String, String)>,
}

/// One attribute of a flag and its field.
#[derive(Clone, Debug)]
pub struct AttributeField {
    /// The attribute's key in the document.
    pub key: String,
    /// The field's Rust name (`snake_case`, keywords raw).
    pub field: String,
    /// The field's type (inside `Option` unless `required`).
    pub ty: AttributeType,
    /// Whether the constraint says `required`.
    pub required: bool,
    /// The attribute's description.
    pub description: Option<String>,
    /// The compiled-in value (the document's `values`; a multi-variant flag's default
    /// variant's `attributeValues`), which the generated `Default` gives;
    /// `None` when the document has none (or one of another type: see [`FlagStructModel::notes`]).
    pub compiled: Option<Value>,
    /// The constraint, as a phrase for docs (`a number from 1 to 10`).
    pub constraint: String,
}

/// The struct generated for one flag.
#[derive(Clone, Debug)]
pub struct FlagStructModel {
    /// The flag's key.
    pub key: String,
    /// The struct's name: the `CamelCase` of the key (its `FlagName` variant).
    pub name: String,
    /// The flag's `name` in the document.
    pub title: String,
    /// The flag's `description`.
    pub description: Option<String>,
    /// `_deprecation`: `(status, date)`.
    pub deprecation: Option<(String, Option<String>)>,
    /// The compiled-in `enabled` (a multi-variant flag's: its default variant's).
    pub enabled: bool,
    /// The attributes, in document order.
    pub fields: Vec<AttributeField>,
    /// The enums of its string attributes with an `enum` constraint.
    pub enums: Vec<AttributeEnum>,
    /// The names of its variants (multi-variant flags: evaluated by the AppConfig Agent),
    /// with their rules; empty for a basic flag.
    pub variants: Vec<(String, Option<String>)>,
    /// What the build could not type as asked (also in [`crate::Model::warnings`]).
    pub notes: Vec<String>,
}

impl FlagStructModel {
    /// Whether `value` can be the value of `field`'s Rust type: what the generated code reads
    /// from a live flag without falling back to the compiled-in value (an enum's string must
    /// be one the build saw). `null` fits no type (an optional field reads it as `None`).
    pub fn fits(&self, field: &AttributeField, value: &Value) -> bool {
        fits(&field.ty, value, &self.enums)
    }
}

/// Names the generated type names may not take (the other generated items).
pub const RESERVED_TYPES: &[&str] = &["Flags", "FlagsSnapshot", "FlagsForTests", "Context", "FlagName"];

/// The struct models of `stored`'s flags; `names[i]` is flag `i`'s struct name (its
/// `FlagName` variant). Naming problems go to `problems`.
pub(crate) fn flag_structs(stored: &StoredDocument, names: &[String], problems: &mut Vec<String>) -> Vec<FlagStructModel> {
    let mut structs: Vec<FlagStructModel> = stored.flags.iter().zip(names).map(|(flag, name)| flag_struct(flag, name, problems)).collect();
    // Every generated type name once, and none a generated item's.
    let mut taken: Vec<(String, String)> = RESERVED_TYPES.iter().map(|t| (t.to_string(), "a generated item".to_owned())).collect();
    for s in &mut structs {
        let mut names = vec![s.name.clone()];
        names.extend(s.enums.iter().map(|e| e.name.clone()));
        for type_name in names {
            if let Some((_, holder)) = taken.iter().find(|(t, _)| *t == type_name) {
                problems.push(format!(
                    "flag {:?} would get the type `{type_name}`, which is {holder}: {}",
                    s.key,
                    rename_hint(&s.key, &format!("{}_flag", snake_case(&s.key).unwrap_or_default().trim_start_matches("r#")))
                ));
            } else {
                taken.push((type_name, format!("the type of flag {:?}", s.key)));
            }
        }
    }
    structs
}

fn flag_struct(flag: &FlagDefinition, name: &str, problems: &mut Vec<String>) -> FlagStructModel {
    let mut notes = Vec::new();
    let mut fields: Vec<AttributeField> = Vec::new();
    let (enabled, compiled_attributes) = compiled_values(flag);
    let mut enums = Vec::new();
    for attribute in &flag.attributes {
        let Some(field) = snake_case(&attribute.key) else {
            problems.push(format!("attribute {:?} of flag {:?} has no letters or digits to make a Rust field from", attribute.key, flag.key));
            continue;
        };
        if field == "enabled" || fields.iter().any(|f| f.field == field) {
            problems.push(format!(
                "attribute {:?} of flag {:?} would get the field `{field}`, which another field of the flag has",
                attribute.key, flag.key
            ));
            continue;
        }
        let values = attribute_values(flag, &attribute.key);
        let (ty, required, constraint) = match &attribute.constraints {
            None => (AttributeType::Value, false, "any JSON value (no constraints)".to_owned()),
            Some(c) => {
                let (ty, phrase) = kind_type(&c.kind, &values, name, &attribute.key, &mut enums, &mut notes);
                (ty, c.required, phrase)
            }
        };
        let compiled = compiled_attributes.iter().find(|(k, _)| *k == attribute.key).map(|(_, v)| v).filter(|v| !v.is_null()).cloned();
        let compiled = match compiled {
            Some(value) if !fits(&ty, &value, &enums) => {
                notes.push(format!(
                    "attribute {:?}: the compiled-in value {value} is not a {}: the field's compiled-in value is {}",
                    attribute.key,
                    ty.rust_name(),
                    if required { "the type's zero value" } else { "None" }
                ));
                None
            }
            other => other,
        };
        if compiled.is_none() && required {
            notes.push(format!(
                "required attribute {:?} has no value in the document: the compiled-in value of its field is the type's zero value",
                attribute.key
            ));
        }
        fields.push(AttributeField {
            key: attribute.key.clone(),
            field,
            ty,
            required,
            description: attribute.description.clone(),
            compiled,
            constraint,
        });
    }
    FlagStructModel {
        key: flag.key.clone(),
        name: name.to_owned(),
        title: flag.name.clone(),
        description: flag.description.clone(),
        deprecation: flag.deprecation.as_ref().map(|d| (d.status.clone(), d.date.clone())),
        enabled,
        fields,
        enums,
        variants: flag.values.variants.iter().map(|v| (v.name.clone(), v.rule.clone())).collect(),
        notes: notes.into_iter().map(|n| format!("flag {:?}: {n}", flag.key)).collect(),
    }
}

/// Every value the document gives attribute `key` of `flag`: its value and each variant's.
fn attribute_values<'a>(flag: &'a FlagDefinition, key: &str) -> Vec<&'a Value> {
    let variants = flag.values.variants.iter().flat_map(|v| v.attribute_values.iter().filter(|(k, _)| k == key).map(|(_, v)| v));
    flag.values.attribute(key).into_iter().chain(variants).collect()
}

/// Whether every number among `values` (and their elements) and every bound is an integer.
fn all_integers(values: &[&Value], bounds: [Option<f64>; 2]) -> bool {
    let numbers = values.iter().flat_map(|v| match v {
        Value::Array(items) => items.iter().collect::<Vec<_>>(),
        other => vec![*other],
    });
    numbers.filter(|v| matches!(v, Value::Number(_))).all(|v| v.as_i64().is_some())
        && bounds.iter().flatten().all(|b| b.fract() == 0.0 && b.abs() < 9.0e15)
}

fn kind_type(
    kind: &AttributeKind,
    values: &[&Value],
    flag: &str,
    attribute: &str,
    enums: &mut Vec<AttributeEnum>,
    notes: &mut Vec<String>,
) -> (AttributeType, String) {
    match kind {
        AttributeKind::Boolean => (AttributeType::Bool, "a boolean".to_owned()),
        AttributeKind::Number { minimum, maximum } => number(values, *minimum, *maximum),
        AttributeKind::String { pattern, allowed } => match allowed {
            Some(allowed) => match attribute_enum(flag, attribute, allowed) {
                Ok(generated) => {
                    let phrase = format!("one of {}", quoted(allowed));
                    let ty = AttributeType::Enum(generated.name.clone());
                    enums.push(generated);
                    (ty, phrase)
                }
                Err(why) => {
                    notes.push(format!("attribute {attribute:?}: {why}: its field is a String"));
                    (AttributeType::String, format!("a string, one of {}", quoted(allowed)))
                }
            },
            None => (AttributeType::String, string_phrase(pattern.as_deref())),
        },
        AttributeKind::Array { elements } => match elements {
            None => (AttributeType::Value, "an array (of any elements)".to_owned()),
            Some(ElementKind::Number { minimum, maximum }) => {
                let (ty, phrase) = number(values, *minimum, *maximum);
                (AttributeType::List(Box::new(ty)), format!("an array, each element {phrase}"))
            }
            Some(ElementKind::String { pattern, allowed }) => {
                let phrase = match allowed {
                    Some(allowed) => format!("one of {}", quoted(allowed)),
                    None => string_phrase(pattern.as_deref()),
                };
                (AttributeType::List(Box::new(AttributeType::String)), format!("an array, each element {phrase}"))
            }
        },
    }
}

fn number(values: &[&Value], minimum: Option<f64>, maximum: Option<f64>) -> (AttributeType, String) {
    let integer = all_integers(values, [minimum, maximum]);
    let noun = if integer { "an integer" } else { "a number" };
    let phrase = match (minimum, maximum) {
        (Some(lo), Some(hi)) => format!("{noun} from {lo} to {hi}"),
        (Some(lo), None) => format!("{noun} of at least {lo}"),
        (None, Some(hi)) => format!("{noun} of at most {hi}"),
        (None, None) => noun.to_owned(),
    };
    (if integer { AttributeType::I64 } else { AttributeType::F64 }, phrase)
}

fn string_phrase(pattern: Option<&str>) -> String {
    match pattern {
        Some(p) => format!("a string matching `{p}`"),
        None => "a string".to_owned(),
    }
}

fn quoted(items: &[String]) -> String {
    items.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ")
}

/// The enum of a string attribute: `{Flag}{Attribute}`, a variant per allowed string.
///
/// # Errors
/// Why not: an allowed string with no letters or digits, or two with one variant name.
fn attribute_enum(flag: &str, attribute: &str, allowed: &[String]) -> Result<AttributeEnum, String> {
    let suffix = camel_case(attribute).ok_or("its name has no letters or digits")?;
    let mut variants: Vec<(String, String)> = Vec::new();
    for value in allowed {
        let variant = camel_case(value).ok_or_else(|| format!("the allowed string {value:?} has no letters or digits"))?;
        if let Some((other, _)) = variants.iter().find(|(_, v)| *v == variant) {
            return Err(format!("the allowed strings {other:?} and {value:?} would both be the variant `{variant}`"));
        }
        variants.push((value.clone(), variant));
    }
    if variants.is_empty() {
        return Err("its enum allows no string".to_owned());
    }
    Ok(AttributeEnum { name: format!("{flag}{}", suffix.trim_start_matches("r#").trim_start_matches('_')), variants })
}

/// Whether `value` can be the compiled-in value of a field of type `ty`.
fn fits(ty: &AttributeType, value: &Value, enums: &[AttributeEnum]) -> bool {
    match ty {
        AttributeType::Bool => value.as_bool().is_some(),
        AttributeType::I64 => value.as_i64().is_some(),
        AttributeType::F64 => value.as_f64().is_some(),
        AttributeType::String => value.as_str().is_some(),
        AttributeType::Enum(name) => {
            let allowed = enums.iter().find(|e| e.name == *name).map(|e| &e.variants[..]).unwrap_or_default();
            value.as_str().is_some_and(|s| allowed.iter().any(|(v, _)| v == s))
        }
        AttributeType::List(element) => value.as_array().is_some_and(|items| items.iter().all(|i| fits(element, i, enums))),
        AttributeType::Value => true,
    }
}

/// The context fields that the variant rules of `stored` read (`$tier` → `tier`), in order of
/// first use, typed from what the rules compare them with (`ff_runtime::native::rule`): a
/// string, a number (`f64`) or a boolean; any value (`ff_runtime::Value`, sent as its text)
/// where the rule does not say or rules disagree. A warning per key whose uses conflict (by
/// field index, as `model::context_fields` gives them). A rule that does not parse reads
/// nothing (the document's validation reports it).
pub(crate) fn context_fields(stored: &StoredDocument) -> (Vec<ContextField>, Vec<(usize, String)>) {
    use ff_runtime::native::rule::{self, ContextKind};
    let mut fields: Vec<ContextField> = Vec::new();
    let mut kinds: Vec<Vec<ContextKind>> = Vec::new();
    for flag in &stored.flags {
        for variant in &flag.values.variants {
            let Some(text) = &variant.rule else { continue };
            let Ok(expr) = rule::parse(text) else { continue };
            for key in rule::context_keys(&expr) {
                let use_ = (flag.key.clone(), variant.name.clone(), text.clone());
                match fields.iter().position(|f| f.key == key.name) {
                    Some(i) => {
                        if !fields[i].variant_rules.contains(&use_) {
                            fields[i].variant_rules.push(use_);
                        }
                        kinds[i].push(key.kind);
                    }
                    None => {
                        fields.push(ContextField {
                            key: key.name.clone(),
                            field: String::new(),
                            ty: FieldType::Value,
                            conflict: false,
                            uses: Vec::new(),
                            variant_rules: vec![use_],
                        });
                        kinds.push(vec![key.kind]);
                    }
                }
            }
        }
    }
    let mut warnings = Vec::new();
    for (i, (field, kinds)) in fields.iter_mut().zip(kinds).enumerate() {
        let known: Vec<FieldType> = kinds
            .iter()
            .filter_map(|k| match k {
                ContextKind::String => Some(FieldType::Str),
                ContextKind::Number => Some(FieldType::Float),
                ContextKind::Boolean => Some(FieldType::Bool),
                ContextKind::Unknown => None,
            })
            .collect();
        let mut distinct: Vec<FieldType> = Vec::new();
        for k in known {
            if !distinct.contains(&k) {
                distinct.push(k);
            }
        }
        let known = distinct;
        match known[..] {
            [] => field.ty = FieldType::Value,
            [only] => field.ty = only,
            _ => {
                field.ty = FieldType::Value;
                field.conflict = true;
                let described: Vec<&str> = known.iter().map(|k| k.describe()).collect();
                warnings.push((i, format!("context key {:?} is compared as {} by variant rules", field.key, described.join(" and as "))));
            }
        }
    }
    (fields, warnings)
}

/// The flags of `stored` as the runtime reads them ([`StoredDocument::to_powertools`]): a
/// rule-less, non-boolean feature per flag, in document order, whose value is the flag's
/// object `{"enabled": e, ATTR: v, …}`.
pub(crate) fn document(stored: &StoredDocument) -> ff_runtime::Document {
    ff_runtime::Document::from_value(&stored.to_powertools()).expect("the translation of a valid stored document is valid")
}

/// A flag's compiled-in `enabled` and attribute values: what the store serves for it without
/// context ([`StoredDocument::to_powertools`]: a multi-variant flag's default variant), except
/// that a disabled flag keeps its attribute values (the retrieval format drops them; the
/// struct's `Default` keeps them, so that a field of a disabled flag still has its value).
fn compiled_values(flag: &FlagDefinition) -> (bool, &[(String, Value)]) {
    match flag.values.variants.last() {
        Some(default) => (default.enabled, &default.attribute_values),
        None => (flag.values.enabled, &flag.values.attributes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(json: &str) -> (Vec<FlagStructModel>, Vec<String>) {
        let stored = ff_runtime::native::parse_stored(json).unwrap();
        let names: Vec<String> = stored.flags.iter().map(|f| camel_case(&f.key).unwrap()).collect();
        let mut problems = Vec::new();
        let structs = flag_structs(&stored, &names, &mut problems);
        (structs, problems)
    }

    #[test]
    fn attribute_types_come_from_constraints_and_values() {
        let (structs, problems) = model(
            r#"{"version": "1", "flags": {"limits": {"name": "Limits", "attributes": {
                "count": {"constraints": {"type": "number", "required": true, "minimum": 1, "maximum": 10}},
                "ratio": {"constraints": {"type": "number"}},
                "mode": {"constraints": {"type": "string", "enum": ["fast", "slow-ish"], "required": true}},
                "label": {"constraints": {"type": "string", "pattern": "^[a-z]+$"}},
                "ids": {"constraints": {"type": "array", "elements": {"type": "number"}}},
                "tags": {"constraints": {"type": "array", "elements": {"type": "string"}}},
                "on": {"constraints": {"type": "boolean"}},
                "raw": {}
            }}}, "values": {"limits": {"enabled": true, "count": 3, "ratio": 0.5, "mode": "fast", "ids": [1, 2]}}}"#,
        );
        assert!(problems.is_empty(), "{problems:?}");
        let s = &structs[0];
        let types: Vec<(&str, String, bool)> = s.fields.iter().map(|f| (f.field.as_str(), f.ty.rust_name(), f.required)).collect();
        assert_eq!(
            types,
            [
                ("count", "i64".to_owned(), true),
                ("ratio", "f64".to_owned(), false),
                ("mode", "LimitsMode".to_owned(), true),
                ("label", "String".to_owned(), false),
                ("ids", "Vec<i64>".to_owned(), false),
                ("tags", "Vec<String>".to_owned(), false),
                ("on", "bool".to_owned(), false),
                ("raw", "ff_runtime::Value".to_owned(), false),
            ]
        );
        assert_eq!(s.enums[0].variants, [("fast".to_owned(), "Fast".to_owned()), ("slow-ish".to_owned(), "SlowIsh".to_owned())]);
        assert_eq!(s.fields[0].constraint, "an integer from 1 to 10");
        assert!(s.notes.is_empty(), "{:?}", s.notes);
    }

    #[test]
    fn a_type_name_of_a_generated_item_is_a_problem() {
        let (_, problems) = model(r#"{"version": "1", "flags": {"flags": {"name": "F"}}, "values": {}}"#);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("flag \"flags\" would get the type `Flags`, which is a generated item: rename it"), "{}", problems[0]);
    }

    #[test]
    fn a_missing_required_value_or_colliding_enum_strings_are_notes_not_failures() {
        // A disabled flag may lack a required attribute; two allowed strings with one variant.
        let (structs, problems) = model(
            r#"{"version": "1", "flags": {"f": {"name": "F", "attributes": {
                "size": {"constraints": {"type": "number", "required": true}},
                "mode": {"constraints": {"type": "string", "enum": ["a-b", "a_b"]}}
            }}}, "values": {"f": {"enabled": false}}}"#,
        );
        assert!(problems.is_empty(), "{problems:?}");
        let f = &structs[0];
        assert_eq!((f.fields[0].ty.rust_name(), f.fields[0].compiled.clone()), ("i64".to_owned(), None));
        assert_eq!(f.fields[1].ty, AttributeType::String, "no enum");
        assert_eq!(f.notes.len(), 2, "{:?}", f.notes);
        assert!(f.notes[0].contains("required attribute \"size\" has no value in the document"), "{}", f.notes[0]);
        assert!(f.notes[1].contains("the allowed strings \"a-b\" and \"a_b\" would both be the variant `AB`"), "{}", f.notes[1]);
    }

    #[test]
    fn a_multi_variant_flags_compiled_in_values_are_its_default_variants() {
        let (structs, _) = model(
            r#"{"version": "1", "flags": {"rec": {"name": "R", "attributes": {"model": {"constraints": {"type": "string", "required": true}}}}},
                "values": {"rec": {"enabled": true, "model": "top", "_variants": [
                    {"name": "gold", "enabled": true, "rule": "(eq $tier \"gold\")", "attributeValues": {"model": "premium"}},
                    {"name": "default", "enabled": false, "attributeValues": {"model": "baseline"}}]}}}"#,
        );
        let rec = &structs[0];
        assert!(!rec.enabled, "the default variant's enabled");
        assert_eq!(rec.fields[0].compiled, Some(Value::from("baseline")));
        assert_eq!(rec.variants, [("gold".to_owned(), Some("(eq $tier \"gold\")".to_owned())), ("default".to_owned(), None)]);
    }

    #[test]
    fn variant_rules_type_the_context_keys() {
        let stored = ff_runtime::native::parse_stored(
            r#"{"version": "1", "flags": {"a": {"name": "A"}}, "values": {"a": {"enabled": true, "_variants": [
                {"name": "v1", "enabled": true, "rule": "(and (eq $tier \"gold\") (gt $orders 3) (eq $beta true))"},
                {"name": "v2", "enabled": true, "rule": "(or (eq $tier 5) (exists key::\"country\"))"},
                {"name": "default", "enabled": false}]}}}"#,
        )
        .unwrap();
        let (fields, warnings) = context_fields(&stored);
        let types: Vec<(&str, FieldType, bool)> = fields.iter().map(|f| (f.key.as_str(), f.ty, f.conflict)).collect();
        assert_eq!(
            types,
            [
                ("tier", FieldType::Value, true),
                ("orders", FieldType::Float, false),
                ("beta", FieldType::Bool, false),
                ("country", FieldType::Value, false),
            ]
        );
        assert_eq!(fields[0].variant_rules.len(), 2);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].1.contains("\"tier\" is compared as a string and as a number by variant rules"), "{}", warnings[0].1);
    }

    #[test]
    fn the_format_is_recognised_or_named() {
        let stored = r#"{"version": "1", "flags": {"on": {"name": "On"}}, "values": {"on": {"enabled": true}}}"#;
        let code = crate::generate(stored, &crate::Options::new()).unwrap();
        assert!(code.contains("pub struct On {"), "recognised");
        let named = crate::Options::new().set("format", crate::OptionValue::Str("appconfig".into())).unwrap();
        assert_eq!(crate::generate(stored, &named).unwrap(), code);
        let err = crate::generate(stored, &crate::Options::new().format(crate::Format::Powertools)).unwrap_err();
        assert!(err.lines()[0].contains("/version: "), "{:?}", err.lines());
        let err = crate::generate(r#"{"f": {"default": true}}"#, &crate::Options::new().format(crate::Format::AppConfig)).unwrap_err();
        assert!(matches!(err, crate::Error::Schema(_)), "{err}");
        let err = crate::Options::new().set("format", crate::OptionValue::Str("yaml".into())).unwrap_err();
        assert_eq!(err, r#"format: "yaml" is not a document format: "powertools" or "appconfig""#);
        let err = crate::generate(stored, &crate::Options::new().value_type("on", "bool")).unwrap_err();
        assert!(err.lines()[0].starts_with("value_type: \"on\" = \"bool\": the flags of an AppConfig"), "{:?}", err.lines());
        let err = crate::generate(stored, &crate::Options::new().envelope("flags")).unwrap_err();
        assert!(matches!(err, crate::Error::Options(_)), "{err}");
    }
}
