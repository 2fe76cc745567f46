//! AWS AppConfig's own feature-flags format (`AWS.AppConfig.FeatureFlags`, see
//! `ff_runtime::native`): reading a stored or retrieval-format document for `validate` and
//! the evaluating commands, each problem as `FILE:LINE:COL: POINTER: message`.

use ff_runtime::native::{self, StoredDocument};
use ff_runtime::{json, Document, SchemaError, Value};

use crate::cli::Format;
use crate::load::{Kind, Loaded};
use crate::Failure;

/// Reads `text` (named `name`) in AWS AppConfig's format when `format` asks for it, or,
/// with `Format::Auto`, when it is a stored document. `None`: read it as a Powertools
/// document. `envelope`: whether `--envelope` was given (auto then reads Powertools).
pub fn load(name: &str, text: &str, format: Format, envelope: bool) -> Option<Result<Loaded, Failure>> {
    match (format, envelope) {
        (Format::Powertools, _) | (Format::Auto, true) => return None,
        (Format::Appconfig, true) => {
            return Some(Err(Failure::Input(
                "--envelope does not apply to AWS AppConfig's feature-flags format (--format appconfig): its documents are never wrapped".to_owned(),
            )))
        }
        _ => {}
    }
    let value = match json::parse(text) {
        Ok(parsed) => parsed.value,
        // Auto: the Powertools reading reports the syntax error, at the same place.
        Err(_) if format == Format::Auto => return None,
        Err(e) => return Some(Err(invalid(name, vec![format!("{name}:{}: invalid JSON: {}", e.location, e.message)]))),
    };
    let stored = match format {
        Format::Appconfig => value.as_object().is_some_and(|o| matches!(o.get("version"), Some(Value::String(_)))),
        _ => native::is_stored_document(&value),
    };
    if stored {
        return Some(load_stored(name, text, &value));
    }
    (format == Format::Appconfig).then(|| load_retrieval(name, text, &value))
}

fn load_stored(name: &str, text: &str, value: &Value) -> Result<Loaded, Failure> {
    let stored = native::parse_stored(text).map_err(|e| invalid(name, e.with_source_name(name).lines()))?;
    let document = compile(name, &stored.to_powertools())?;
    let version = ff_runtime::document::content_version(value);
    Ok(Loaded { name: name.to_owned(), document, version, kind: Kind::Stored(stored) })
}

fn load_retrieval(name: &str, text: &str, value: &Value) -> Result<Loaded, Failure> {
    let translated = native::to_powertools(value).map_err(|e| invalid(name, locate(e, text).with_source_name(name).lines()))?;
    let document = compile(name, &translated)?;
    let version = ff_runtime::document::content_version(value);
    Ok(Loaded { name: name.to_owned(), document, version, kind: Kind::Retrieval })
}

/// Reads a value fetched from AWS AppConfig (no text: problems have pointers only) in AWS
/// AppConfig's format.
#[cfg_attr(not(feature = "appconfig"), allow(dead_code))]
pub fn from_value(name: &str, raw: &Value) -> Result<Document, Failure> {
    let translated = native::to_powertools(raw).map_err(|e| invalid(name, e.with_source_name(name).lines()))?;
    compile(name, &translated)
}

/// Compiles a translated document. It always validates (each feature's default is an
/// object); a failure is still reported, never a panic.
fn compile(name: &str, translated: &Value) -> Result<Document, Failure> {
    Document::from_value(translated).map_err(|e| invalid(name, e.with_source_name(name).lines()))
}

/// Adds line and column to each problem of `err`, from `text`.
fn locate(mut err: SchemaError, text: &str) -> SchemaError {
    let locator = json::Locator::new(text);
    for problem in &mut err.problems {
        problem.location = locator.locate(&json::pointer_segments(&problem.pointer));
    }
    err
}

fn invalid(name: &str, lines: Vec<String>) -> Failure {
    Failure::Invalid { name: name.to_owned(), lines, note: None }
}

/// `AWS.AppConfig.FeatureFlags stored document: 4 flags (3 enabled), 11 attributes, 1
/// multi-variant flag (3 variants)`.
pub fn summary_stored(stored: &StoredDocument) -> String {
    let flags = stored.flags.len();
    let enabled = stored.flags.iter().filter(|f| f.values.enabled).count();
    let attributes: usize = stored.flags.iter().map(|f| f.attributes.len()).sum();
    let multi: Vec<usize> = stored.flags.iter().map(|f| f.values.variants.len()).filter(|&n| n > 0).collect();
    let variants: usize = multi.iter().sum();
    let mut text = format!(
        "AWS.AppConfig.FeatureFlags stored document: {flags} flag{} ({enabled} enabled), {attributes} attribute{}",
        crate::plural(flags),
        crate::plural(attributes)
    );
    if !multi.is_empty() {
        text.push_str(&format!(
            ", {} multi-variant flag{} ({variants} variant{})",
            multi.len(),
            crate::plural(multi.len()),
            crate::plural(variants)
        ));
    }
    text
}

/// `AWS.AppConfig.FeatureFlags retrieval document: 2 flags (1 enabled)`.
pub fn summary_retrieval(document: &Document) -> String {
    let flags = document.len();
    let enabled = enabled_flags(document).len();
    format!("AWS.AppConfig.FeatureFlags retrieval document: {flags} flag{} ({enabled} enabled)", crate::plural(flags))
}

/// The flags whose object says `"enabled": true`, in document order (a translated
/// document's features have no rules: the default is the value).
pub fn enabled_flags(document: &Document) -> Vec<&str> {
    document
        .features()
        .iter()
        .filter(|f| f.default.get("enabled") == Some(&Value::Bool(true)))
        .map(|f| f.name.as_str())
        .collect()
}

/// For a document that failed as a Powertools document: a note when it reads as AWS
/// AppConfig's retrieval format (every member an object with a boolean `enabled`).
pub fn retrieval_hint(text: &str) -> Option<String> {
    let value = json::parse(text).ok()?.value;
    let flags = value.as_object().filter(|o| !o.is_empty())?;
    flags
        .values()
        .all(|f| matches!(f.get("enabled"), Some(Value::Bool(_))))
        .then(|| "this reads as AWS AppConfig's feature-flags retrieval format: give --format appconfig".to_owned())
}
