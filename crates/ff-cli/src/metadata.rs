//! Warnings about the shape of ff's lifecycle metadata (`"x-ff"` in a feature, see
//! `ff_runtime::document::metadata`): printed by `ff validate` on stderr, never failing it
//! (the reference accepts the document).

use ff_runtime::document::metadata_warnings;
use ff_runtime::json::{self, Locator};
use ff_runtime::Value;

use crate::load::EnvelopeArg;

/// One line per metadata warning of a valid document's text:
/// `NAME:LINE:COL: POINTER: warning: message` (no `LINE:COL` when the envelope is not a
/// plain field path). Pointers are from the root of the text.
pub fn warning_lines(name: &str, text: &str, envelope: Option<&EnvelopeArg<'_>>) -> Vec<String> {
    let Ok(raw) = Value::from_json(text) else { return Vec::new() };
    let (selected, prefix) = match envelope {
        None => (raw, Some(Vec::new())),
        Some(arg) => match arg.envelope.apply(&raw) {
            Ok(selected) => (selected, arg.envelope.field_path().map(<[String]>::to_vec)),
            Err(_) => return Vec::new(),
        },
    };
    let locator = Locator::new(text);
    metadata_warnings(&selected)
        .into_iter()
        .map(|warning| {
            let relative = json::pointer_segments(&warning.pointer);
            match &prefix {
                Some(prefix) => {
                    let mut segments = prefix.clone();
                    segments.extend(relative);
                    let at = locator.locate(&segments).map_or_else(String::new, |l| format!("{l}:"));
                    format!("{name}:{at} {}: warning: {}", json::pointer(&segments), warning.message)
                }
                None => format!("{name}: {}: warning: {}", warning.pointer, warning.message),
            }
        })
        .collect()
}
