//! Reading what the user supplies: files (or stdin), JSON arguments, the context, `--now`.
//! Every failure is a [`Failure::Input`] (exit 2) that names the input and what was expected.

use std::io::Read;

use ff_runtime::{json::Locator, Value};
use jiff::{civil, tz::TimeZone, Timestamp, ZonedDateTime};

use crate::Failure;

/// Stdin can be read once: remembers which input took it.
#[derive(Debug, Default)]
pub struct Stdin {
    taken_by: Option<String>,
}

impl Stdin {
    /// Reads all of stdin for `what` (`FILE`, `--context`).
    pub fn read(&mut self, what: &str) -> Result<Vec<u8>, Failure> {
        if let Some(first) = &self.taken_by {
            return Err(Failure::Input(format!(
                "{what}: cannot read stdin (`-`): {first} already reads it; only one input can be `-`"
            )));
        }
        self.taken_by = Some(what.to_owned());
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|e| Failure::Input(format!("{what}: cannot read stdin: {e}")))?;
        Ok(bytes)
    }
}

/// The display name of a FILE argument.
pub fn display_name(path: &str) -> String {
    if path == "-" {
        "<stdin>".to_owned()
    } else {
        path.to_owned()
    }
}

/// Reads a FILE argument (`-` is stdin) as bytes. `what` names the argument in messages.
pub fn read_source(path: &str, what: &str, stdin: &mut Stdin) -> Result<Vec<u8>, Failure> {
    if path == "-" {
        return stdin.read(what);
    }
    std::fs::read(path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_owned(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            _ => e.to_string(),
        };
        let prefix = if what == "FILE" {
            String::new()
        } else {
            format!("{what}: ")
        };
        Failure::Input(format!("{prefix}cannot read {path}: {why}"))
    })
}

/// Decodes UTF-8, or says where the first bad byte is (`LINE:COL`, and the byte offset).
pub fn utf8(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = std::str::from_utf8(&e.as_bytes()[..valid]).unwrap_or_default();
        let at = Locator::line_column(prefix, prefix.len());
        format!("{at}: invalid JSON: the text is not UTF-8 (bad byte at offset {valid})")
    })
}

/// Reads a JSON argument: inline JSON, `@FILE` for a file, `-` for stdin. `what` is the
/// flag's name (`--context`, `--default`).
pub fn json_argument(what: &str, argument: &str, stdin: &mut Stdin) -> Result<Value, Failure> {
    let (text, origin) = if argument == "-" {
        (decode(what, "stdin", stdin.read(what)?)?, Origin::Stdin)
    } else if let Some(path) = argument.strip_prefix('@') {
        if path.is_empty() {
            return Err(Failure::Input(format!(
                "{what}: expected a file path after `@`"
            )));
        }
        (
            decode(what, path, read_source(path, what, stdin)?)?,
            Origin::File(path),
        )
    } else {
        (argument.to_owned(), Origin::Inline)
    };
    Value::from_json(&text).map_err(|e| {
        let expected = match what {
            "--context" => "a JSON object such as '{\"tier\": \"gold\"}'",
            _ => "JSON such as false, 0, '\"blue\"' or '{\"level\": 1}'",
        };
        let found = match origin {
            Origin::Inline => format!("`{}`", shorten(argument)),
            Origin::File(path) => path.to_owned(),
            Origin::Stdin => "stdin".to_owned(),
        };
        Failure::Input(format!(
            "{what}: expected {expected} (or @FILE to read a file, - for stdin), \
             but {found} is not JSON: {}: {}",
            e.location, e.message
        ))
    })
}

enum Origin<'a> {
    Inline,
    File(&'a str),
    Stdin,
}

/// An argument quoted in a message, cut to a readable length.
fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        format!("{}...", text.chars().take(MAX).collect::<String>())
    }
}

fn decode(what: &str, origin: &str, bytes: Vec<u8>) -> Result<String, Failure> {
    utf8(bytes).map_err(|e| Failure::Input(format!("{what}: {origin}:{e}")))
}

/// Reads `--context`: a JSON object, or `null` for the empty context.
pub fn context(argument: &str, stdin: &mut Stdin) -> Result<Value, Failure> {
    let value = json_argument("--context", argument, stdin)?;
    match value {
        Value::Object(_) => Ok(value),
        Value::Null => Ok(Value::Object(Default::default())),
        other => Err(Failure::Input(format!(
            "--context: expected a JSON object (or null for an empty context), found {} {}",
            article(other.type_name()),
            other.type_name()
        ))),
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// Parses `--now`: an RFC 3339 instant (`Z` or an offset), an instant with a zone
/// annotation (`2022-11-18T10:00:00+01:00[Europe/Paris]`), or a date-time without offset
/// taken as UTC (`2022-11-18T10:00:00`, as the reference's oracle does).
pub fn parse_now(text: &str) -> Result<Timestamp, Failure> {
    let trimmed = text.trim();
    if let Ok(ts) = trimmed.parse::<Timestamp>() {
        return Ok(ts);
    }
    if let Ok(zoned) = trimmed.parse::<ZonedDateTime>() {
        return Ok(zoned.timestamp());
    }
    let naive = trimmed.parse::<civil::DateTime>();
    if let Ok(dt) = &naive {
        if let Ok(ts) = TimeZone::UTC.to_timestamp(*dt) {
            return Ok(ts);
        }
    }
    let why = match trimmed.parse::<Timestamp>() {
        Err(e) => e.to_string(),
        Ok(_) => String::new(),
    };
    Err(Failure::Input(format!(
        "--now: expected an RFC 3339 instant such as 2022-11-18T10:00:00Z or \
         2022-11-18T11:00:00+01:00 (or a date-time without offset, taken as UTC), \
         found {text:?}: {why}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now(text: &str) -> String {
        parse_now(text)
            .map(|t| t.to_string())
            .unwrap_or_else(|e| format!("{e:?}"))
    }

    #[test]
    fn now_accepts_instants_offsets_and_naive_utc() {
        assert_eq!(now("2022-11-18T10:00:00Z"), "2022-11-18T10:00:00Z");
        assert_eq!(now("2022-11-18T11:00:00+01:00"), "2022-11-18T10:00:00Z");
        assert_eq!(now("2022-11-18T10:00:00"), "2022-11-18T10:00:00Z");
        assert_eq!(now("2022-11-18 10:00:00.5"), "2022-11-18T10:00:00.5Z");
        assert_eq!(
            now("2022-11-18T11:00:00+01:00[Europe/Paris]"),
            "2022-11-18T10:00:00Z"
        );
        assert!(parse_now("tomorrow").is_err());
        assert!(parse_now("").is_err());
        assert!(parse_now("2022-13-01T00:00:00Z").is_err());
    }

    #[test]
    fn context_must_be_an_object_or_null() {
        let mut stdin = Stdin::default();
        assert!(context("{\"a\": 1}", &mut stdin).is_ok());
        assert_eq!(context("null", &mut stdin).unwrap().to_string(), "{}");
        for bad in ["[1]", "1", "\"x\"", "true", "{", "tier=gold", ""] {
            assert!(
                matches!(context(bad, &mut stdin), Err(Failure::Input(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn utf8_errors_are_located() {
        let e = utf8(b"{\n  \"a\": \xff}".to_vec()).unwrap_err();
        assert!(
            e.starts_with("2:8: invalid JSON: the text is not UTF-8"),
            "{e}"
        );
    }
}
