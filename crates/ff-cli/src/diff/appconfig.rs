//! `ff diff` on AWS AppConfig's own format (`AWS.AppConfig.FeatureFlags`).
//!
//! OLD is the stored document the code was generated from (its flags, attributes and their
//! types, as `ff_build::appconfig` generates them). NEW is another stored document, or the
//! retrieval format that AppConfig serves (what `ff pull` writes from such a profile).
//!
//! Breaking (code generated from OLD stops compiling when generated from NEW): a flag removed
//! (its accessors and struct go), an attribute removed or retyped (a field goes or changes
//! type, `Option` included), a string of an attribute's `enum` removed or added (a variant
//! goes, or an exhaustive `match` misses one), a context key of the variant rules removed or
//! retyped, and a name of NEW that fails the build. Against the retrieval format, which has
//! no definitions, a flag missing from NEW and a value that does not fit its field (the
//! accessor serves the compiled-in value, with `TYPE_MISMATCH` in its details) are breaking.
//! Not breaking: flags and attributes added (a struct literal without
//! `..Default::default()` needs the new field), values, `enabled`, variants and deprecations.

use ff_build::appconfig::{AttributeField, FlagStructModel};
use ff_build::{Model, Options};
use ff_runtime::native::StoredDocument;
use ff_runtime::{Document, Value};

use super::{field_changes, Change};

/// The model of a stored document with the default options; naming problems as lines.
fn model(stored: &StoredDocument) -> Result<(Model, Vec<String>), String> {
    // The flags as the runtime reads them (each a feature whose value is its object).
    let document = Document::from_value(&stored.to_powertools()).map_err(|e| e.lines().join("; "))?;
    Model::appconfig_with_name_problems(stored, &document, &Options::new()).map_err(|e| e.lines().join("; "))
}

fn change(sign: char, breaking: bool, text: String) -> Change {
    Change { sign, text, breaking }
}

/// Every difference between two stored documents: OLD's flags in order, then NEW's added
/// flags, then the context keys of the variant rules, then NEW's naming problems.
pub fn diff_stored(old: &StoredDocument, new: &StoredDocument) -> Result<Vec<Change>, String> {
    let ((old_model, old_problems), (new_model, new_problems)) = (model(old)?, model(new)?);
    let mut out = Vec::new();
    for before in &old_model.flags {
        match new_model.flags.iter().find(|f| f.key == before.key) {
            None => out.push(removed(before)),
            Some(after) => flag_changes(before, after, old, new, &mut out),
        }
    }
    for after in new_model.flags.iter().filter(|a| !old_model.flags.iter().any(|b| b.key == a.key)) {
        out.push(change('+', false, format!("flag `{}` added (struct `{}`)", after.key, after.name)));
    }
    field_changes(&old_model.fields, &new_model.fields, &mut out);
    for problem in new_problems.into_iter().filter(|p| !old_problems.contains(p)) {
        out.push(change('!', true, format!("the build fails: {problem}")));
    }
    Ok(out)
}

fn removed(flag: &FlagStructModel) -> Change {
    change('-', true, format!("flag `{}` removed: its accessors and the struct `{}` no longer exist", flag.key, flag.name))
}

fn flag_changes(before: &FlagStructModel, after: &FlagStructModel, old: &StoredDocument, new: &StoredDocument, out: &mut Vec<Change>) {
    let key = &before.key;
    for field in &before.fields {
        match after.fields.iter().find(|f| f.key == field.key) {
            None => out.push(change(
                '-',
                true,
                format!("flag `{key}`: attribute `{}` removed: the field `{}.{}` no longer exists", field.key, before.name, field.field),
            )),
            Some(next) if rust_type(field) != rust_type(next) => out.push(change(
                '~',
                true,
                format!("flag `{key}`: attribute `{}`: type {} -> {}", field.key, rust_type(field), rust_type(next)),
            )),
            Some(_) => {}
        }
    }
    for field in after.fields.iter().filter(|f| !before.fields.iter().any(|b| b.key == f.key)) {
        out.push(change('+', false, format!("flag `{key}`: attribute `{}` added ({})", field.key, rust_type(field))));
    }
    enum_changes(before, after, out);
    if before.enabled != after.enabled {
        out.push(change('~', false, format!("flag `{key}`: enabled {} -> {}", before.enabled, after.enabled)));
    }
    let (old_flag, new_flag) = (old.flag(key), new.flag(key));
    if let (Some(o), Some(n)) = (old_flag, new_flag) {
        for (attribute, value) in &n.values.attributes {
            let was = o.values.attribute(attribute);
            if was.is_some_and(|w| w.to_json() != value.to_json()) {
                let was = was.map(Value::to_json).unwrap_or_default();
                out.push(change('~', false, format!("flag `{key}`: attribute `{attribute}` value {was} -> {}", value.to_json())));
            }
        }
    }
    let names = |f: &FlagStructModel| f.variants.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    if before.variants != after.variants {
        out.push(change(
            '~',
            false,
            format!("flag `{key}`: variants [{}] -> [{}]", names(before).join(", "), names(after).join(", ")),
        ));
    }
    if before.deprecation != after.deprecation {
        let text = match &after.deprecation {
            Some(_) => "deprecated: its accessors warn where they are used",
            None => "no longer deprecated",
        };
        out.push(change('~', false, format!("flag `{key}`: {text}")));
    }
}

fn enum_changes(before: &FlagStructModel, after: &FlagStructModel, out: &mut Vec<Change>) {
    for old_enum in &before.enums {
        let Some(new_enum) = after.enums.iter().find(|e| e.name == old_enum.name) else { continue };
        for (string, variant) in &old_enum.variants {
            if !new_enum.variants.iter().any(|(s, _)| s == string) {
                out.push(change('-', true, format!("`{}::{variant}` removed: {string:?} is no longer allowed", old_enum.name)));
            }
        }
        for (string, variant) in &new_enum.variants {
            if !old_enum.variants.iter().any(|(s, _)| s == string) {
                out.push(change(
                    '+',
                    true,
                    format!("`{}::{variant}` added for {string:?}: an exhaustive `match` misses it", old_enum.name),
                ));
            }
        }
    }
}

/// A field's type as written in the struct.
fn rust_type(field: &AttributeField) -> String {
    match field.required {
        true => field.ty.rust_name(),
        false => format!("Option<{}>", field.ty.rust_name()),
    }
}

/// Drift of a live retrieval-format document (`new`, as translated) from the stored document
/// the code was generated from: flags missing, values that do not fit their fields, values
/// changed, flags the code does not know.
pub fn diff_retrieved(old: &StoredDocument, new: &Document) -> Result<Vec<Change>, String> {
    let (old_model, _) = model(old)?;
    let mut out = Vec::new();
    for flag in &old_model.flags {
        let Some(live) = new.feature(&flag.key).map(|f| &f.default) else {
            out.push(change(
                '-',
                true,
                format!("flag `{}` missing: its accessors serve the compiled-in values (FLAG_NOT_FOUND)", flag.key),
            ));
            continue;
        };
        live_changes(flag, old.flag(&flag.key).map(|f| &f.values.attributes[..]).unwrap_or_default(), live, &mut out);
    }
    for feature in new.features() {
        if !old_model.flags.iter().any(|f| f.key == feature.name) {
            out.push(change('+', false, format!("flag `{}` is live but not in the compiled document", feature.name)));
        }
    }
    Ok(out)
}

fn live_changes(flag: &FlagStructModel, compiled: &[(String, Value)], live: &Value, out: &mut Vec<Change>) {
    let key = &flag.key;
    let enabled = live.as_object().and_then(|o| o.get("enabled")).and_then(Value::as_bool);
    if enabled.is_some_and(|e| e != flag.enabled) {
        out.push(change('~', false, format!("flag `{key}`: enabled {} -> {}", flag.enabled, !flag.enabled)));
    }
    for field in &flag.fields {
        let Some(value) = live.as_object().and_then(|o| o.get(&field.key)).filter(|v| !v.is_null()) else { continue };
        if !flag.fits(field, value) {
            out.push(change(
                '~',
                true,
                format!(
                    "flag `{key}`: attribute `{}`: live value {} does not fit {}: the accessor serves the compiled-in value (TYPE_MISMATCH)",
                    field.key,
                    value.to_json(),
                    rust_type(field)
                ),
            ));
        } else if let Some((_, was)) = compiled.iter().find(|(k, _)| *k == field.key).filter(|(_, w)| w.to_json() != value.to_json()) {
            out.push(change('~', false, format!("flag `{key}`: attribute `{}` value {} -> {}", field.key, was.to_json(), value.to_json())));
        }
    }
}
