//! Loading a document: read FILE, apply the envelope, validate, and turn every problem into
//! a `FILE:LINE:COL: POINTER: message` line.

use ff_runtime::json;
use ff_runtime::{Document, Envelope, Value};

use crate::cli::Format;
use crate::input::{self, Stdin};
use crate::Failure;

/// A valid document, the name it is reported under, and its version (the AppConfig version
/// label where it has one, else `ff_runtime::document::content_version`, as the runtime
/// names the document in force).
pub struct Loaded {
    pub name: String,
    pub document: Document,
    pub version: String,
    /// The format the document was read in.
    pub kind: Kind,
}

/// The format a document was read in.
pub enum Kind {
    /// A Powertools document.
    Powertools,
    /// A stored AWS.AppConfig.FeatureFlags document, translated (`ff_runtime::native`).
    Stored(ff_runtime::native::StoredDocument),
    /// AWS AppConfig's retrieval format, translated.
    Retrieval,
}

impl Kind {
    /// Whether the document is in AWS AppConfig's own format.
    pub fn is_native(&self) -> bool {
        !matches!(self, Kind::Powertools)
    }
}

/// Reads and validates FILE (`-` is stdin), through `envelope` when given.
pub fn load(path: &str, envelope: Option<&str>, stdin: &mut Stdin) -> Result<Loaded, Failure> {
    load_as(path, envelope, Format::Powertools, stdin)
}

/// [`load`] in `format` (see `--format`).
pub fn load_as(path: &str, envelope: Option<&str>, format: Format, stdin: &mut Stdin) -> Result<Loaded, Failure> {
    // A bad expression is a usage error: say so before reading anything.
    let envelope = parse_envelope(envelope)?;
    let bytes = input::read_source(path, "FILE", stdin)?;
    from_bytes_as(&input::display_name(path), bytes, envelope.as_ref(), format)
}

/// [`load`], with the document's lint warnings (`FILE:LINE:COL: POINTER: warning: …`, see
/// `ff_runtime::lint`), for `ff validate`.
/// AWS AppConfig's format has no lints.
pub fn load_linted(path: &str, envelope: Option<&str>, format: Format, stdin: &mut Stdin) -> Result<(Loaded, Vec<String>), Failure> {
    let envelope = parse_envelope(envelope)?;
    let bytes = input::read_source(path, "FILE", stdin)?;
    let name = input::display_name(path);
    let loaded = from_bytes_as(&name, bytes.clone(), envelope.as_ref(), format)?;
    if loaded.kind.is_native() {
        return Ok((loaded, Vec::new()));
    }
    // Valid, so UTF-8 JSON (through the envelope, selecting a document).
    let text = String::from_utf8(bytes).unwrap_or_default();
    let warnings = match &envelope {
        None => ff_runtime::lint::lint(&text),
        Some(arg) => match Value::from_json(&text).map(|raw| arg.envelope.apply(&raw)) {
            Ok(Ok(selected)) => arg.envelope.lint_selected(&text, &selected),
            _ => Vec::new(),
        },
    };
    Ok((loaded, warnings.iter().map(|w| w.line(&name)).collect()))
}

/// An `--envelope` expression and the compiled envelope.
pub struct EnvelopeArg<'a> {
    pub expr: &'a str,
    pub envelope: Envelope,
}

/// Compiles `--envelope`; a bad expression is a usage error (exit 2).
pub fn parse_envelope(expr: Option<&str>) -> Result<Option<EnvelopeArg<'_>>, Failure> {
    let Some(expr) = expr else { return Ok(None) };
    let envelope = Envelope::new(expr).map_err(|e| {
        // The parser's message may add the expression and a caret on more lines.
        Failure::Input(format!(
            "--envelope: {}",
            e.message.lines().next().unwrap_or_default().trim_end()
        ))
    })?;
    Ok(Some(EnvelopeArg { expr, envelope }))
}

/// Validates the text of a document named `name` (already read), through `envelope`.
#[cfg_attr(not(feature = "appconfig"), allow(dead_code))]
pub fn from_bytes(name: &str, bytes: Vec<u8>, envelope: Option<&EnvelopeArg<'_>>) -> Result<Loaded, Failure> {
    from_bytes_as(name, bytes, envelope, Format::Powertools)
}

/// [`from_bytes`] in `format`.
pub fn from_bytes_as(name: &str, bytes: Vec<u8>, envelope: Option<&EnvelopeArg<'_>>, format: Format) -> Result<Loaded, Failure> {
    let name = name.to_owned();
    let text = input::utf8(bytes).map_err(|e| invalid(&name, vec![format!("{name}:{e}")], None))?;
    if let Some(native) = crate::native::load(&name, &text, format, envelope.is_some()) {
        return native;
    }
    let document = match envelope {
        None => Document::parse(&text).map_err(|e| {
            let lines = e.with_source_name(name.clone()).lines();
            let note = (format == Format::Auto).then(|| crate::native::retrieval_hint(&text)).flatten();
            invalid(&name, lines, note)
        })?,
        Some(arg) => through_envelope(&name, &text, arg.expr, &arg.envelope)?,
    };
    // Valid, so JSON that the envelope (if any) selects a document from.
    let selected = Value::from_json(&text).ok().and_then(|raw| match envelope {
        None => Some(raw),
        Some(arg) => arg.envelope.apply(&raw).ok(),
    });
    let version = selected.map(|value| ff_runtime::document::content_version(&value)).unwrap_or_default();
    Ok(Loaded { name, document, version, kind: Kind::Powertools })
}

/// Validates a document that has no text of its own (the live AppConfig document, read as
/// a value), through `envelope`. Returns the feature document (what the envelope selected)
/// and its validated form. Problems have no `LINE:COL`: `NAME: POINTER: message`, the
/// pointer from the stored document's root when the envelope is a plain field path.
#[cfg_attr(not(feature = "appconfig"), allow(dead_code))]
pub fn from_value(name: &str, raw: &Value, envelope: Option<&EnvelopeArg<'_>>) -> Result<(Value, Document), Failure> {
    let selected = match envelope {
        None => raw.clone(),
        Some(arg) => arg
            .envelope
            .apply(raw)
            .map_err(|e| invalid(name, vec![format!("{name}: {}", e.message)], None))?,
    };
    match Document::from_value(&selected) {
        Ok(document) => Ok((selected, document)),
        Err(err) => {
            let prefix: &[String] = match envelope {
                None => &[],
                Some(arg) => arg.envelope.field_path().unwrap_or(&[]),
            };
            let relative = envelope.is_some_and(|arg| arg.envelope.field_path().is_none());
            let lines = err
                .problems
                .iter()
                .map(|p| {
                    let mut segments = prefix.to_vec();
                    segments.extend(json::pointer_segments(&p.pointer));
                    format!("{name}: {}: {}", display_pointer(&json::pointer(&segments)), p.message)
                })
                .collect();
            let note = relative.then(|| {
                format!(
                    "pointers are relative to the document selected by --envelope `{}`",
                    envelope.map_or("", |arg| arg.expr)
                )
            });
            Err(invalid(name, lines, note))
        }
    }
}

fn invalid(name: &str, lines: Vec<String>, note: Option<String>) -> Failure {
    Failure::Invalid {
        name: name.to_owned(),
        lines,
        note,
    }
}

fn through_envelope(
    name: &str,
    text: &str,
    expr: &str,
    envelope: &Envelope,
) -> Result<Document, Failure> {
    let raw =
        Value::from_json(text).map_err(|e| invalid(name, vec![format!("{name}:{e}")], None))?;
    let selected = envelope
        .apply(&raw)
        .map_err(|e| invalid(name, vec![format!("{name}: {}", e.message)], None))?;
    envelope.validate_selected(text, &selected).map_err(|err| {
        let note = envelope.field_path().is_none().then(|| {
            format!(
                "pointers are relative to the document selected by --envelope `{expr}` \
                 (not a plain field path, so no line:column in {name})"
            )
        });
        invalid(name, err.with_source_name(name).lines(), note)
    })
}

fn display_pointer(pointer: &str) -> &str {
    if pointer.is_empty() {
        "(document)"
    } else {
        pointer
    }
}
