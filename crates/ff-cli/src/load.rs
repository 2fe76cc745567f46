//! Loading a document: read FILE, apply the envelope, validate, and turn every problem into
//! a `FILE:LINE:COL: POINTER: message` line.

use ff_runtime::json::{self, Locator};
use ff_runtime::{Document, Envelope, SchemaError, Value};

use crate::input::{self, Stdin};
use crate::Failure;

/// A valid document and the name it is reported under.
pub struct Loaded {
    pub name: String,
    pub document: Document,
}

/// Reads and validates FILE (`-` is stdin), through `envelope` when given.
pub fn load(path: &str, envelope: Option<&str>, stdin: &mut Stdin) -> Result<Loaded, Failure> {
    let name = input::display_name(path);
    // A bad expression is a usage error: say so before reading anything.
    let envelope = match envelope {
        Some(expr) => Some((
            expr,
            Envelope::new(expr).map_err(|e| {
                // The parser's message may add the expression and a caret on more lines.
                Failure::Input(format!(
                    "--envelope: {}",
                    e.message.lines().next().unwrap_or_default().trim_end()
                ))
            })?,
        )),
        None => None,
    };
    let bytes = input::read_source(path, "FILE", stdin)?;
    let text = input::utf8(bytes).map_err(|e| invalid(&name, vec![format!("{name}:{e}")], None))?;
    let document = match envelope {
        None => Document::parse(&text).map_err(|e| {
            let lines = e.with_source_name(name.clone()).lines();
            invalid(&name, lines, None)
        })?,
        Some((expr, envelope)) => through_envelope(&name, &text, expr, &envelope)?,
    };
    Ok(Loaded { name, document })
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
    Document::from_value(&selected).map_err(|err| match envelope.field_path() {
        Some(prefix) => invalid(name, located(name, text, prefix, &err), None),
        None => {
            let lines = err
                .problems
                .iter()
                .map(|p| format!("{name}: {}: {}", display_pointer(&p.pointer), p.message))
                .collect();
            let note = format!(
                "pointers are relative to the document selected by --envelope `{expr}` \
                     (not a plain field path, so no line:column in {name})"
            );
            invalid(name, lines, Some(note))
        }
    })
}

/// Problems of the selected sub-document, located in the raw text: `prefix` is the
/// envelope's field path, which is also where the sub-document sits in the text.
fn located(name: &str, text: &str, prefix: &[String], err: &SchemaError) -> Vec<String> {
    let locator = Locator::new(text);
    err.problems
        .iter()
        .map(|p| {
            let mut segments = prefix.to_vec();
            segments.extend(json::pointer_segments(&p.pointer));
            let pointer = json::pointer(&segments);
            match locator.locate(&segments) {
                Some(at) => format!("{name}:{at}: {}: {}", display_pointer(&pointer), p.message),
                None => format!("{name}: {}: {}", display_pointer(&pointer), p.message),
            }
        })
        .collect()
}

fn display_pointer(pointer: &str) -> &str {
    if pointer.is_empty() {
        "(document)"
    } else {
        pointer
    }
}
