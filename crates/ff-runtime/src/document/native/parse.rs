//! Reading a stored document: [`parse_stored`] (text, problems located) and
//! [`StoredDocument::from_value`], over the checks of `check` and `values`, which collect
//! every problem in one pass.

use super::StoredDocument;
use crate::error::{Problem, SchemaError};
use crate::value::Value;

/// A JSON pointer (RFC 6901) under construction, rendered as text.
#[derive(Clone, Debug, Default)]
pub(crate) struct Ptr(String);

impl Ptr {
    /// The whole document (`""`).
    pub(crate) fn root() -> Ptr {
        Ptr(String::new())
    }
    /// The member `key` of the object at this pointer.
    pub(crate) fn key(&self, key: &str) -> Ptr {
        let mut out = String::with_capacity(self.0.len() + key.len() + 1);
        out.push_str(&self.0);
        out.push('/');
        if key.contains(['~', '/']) {
            out.push_str(&key.replace('~', "~0").replace('/', "~1"));
        } else {
            out.push_str(key);
        }
        Ptr(out)
    }
    /// The element `i` of the array at this pointer.
    pub(crate) fn index(&self, i: usize) -> Ptr {
        Ptr(format!("{}/{i}", self.0))
    }
}

/// The problems found so far, in the order of the walk, and the patterns compiled so far.
#[derive(Default)]
pub(crate) struct Collector {
    pub(crate) problems: Vec<Problem>,
    /// Each constraint pattern, compiled once per document (`None`: not supported by the
    /// engine, see `pattern::matches`).
    pub(crate) patterns: std::collections::HashMap<String, Option<regex_lite::Regex>>,
}

impl Collector {
    /// Records a problem at `at`. There is no Powertools message for this format: the
    /// problem's `reference_message` repeats ff's message.
    pub(crate) fn report(&mut self, at: &Ptr, message: impl Into<String>) {
        let message = message.into();
        self.problems.push(Problem { pointer: at.0.clone(), location: None, reference_message: message.clone(), message });
    }
}

/// Whether `value` looks like a stored `AWS.AppConfig.FeatureFlags` document: an object
/// whose `"version"` is the string `"1"` and whose `"flags"` and `"values"` are objects.
///
/// A Powertools document cannot pass this test by accident unless it names features
/// `version`, `flags` and `values` with these exact shapes (a Powertools feature is an
/// object, never the string `"1"`). A retrieval-format document (`{KEY: {"enabled": ..}}`)
/// does not pass it.
pub fn is_stored_document(value: &Value) -> bool {
    let Some(obj) = value.as_object() else { return false };
    matches!(obj.get("version"), Some(Value::String(v)) if v == "1")
        && obj.get("flags").is_some_and(|f| f.as_object().is_some())
        && obj.get("values").is_some_and(|v| v.as_object().is_some())
}

/// Parses and validates the JSON text of a stored `AWS.AppConfig.FeatureFlags` document.
///
/// # Errors
/// [`SchemaError`] with a JSON syntax error (`parse`, with its line and column), or with
/// every problem AWS's schema and limits would refuse the upload for, each with its JSON
/// pointer, line and column: key patterns (`^[a-z][a-zA-Z\d_-]{0,63}$`), `enabled` as an
/// attribute key, more than 25 attributes, constraint shapes, values breaking their
/// constraints or naming unknown flags or attributes, required attributes missing from an
/// enabled flag, variants (at most 32, unique names, only the last without a rule), rules
/// (at most 16,384 characters, well-formed). Problems come in the order of the text. Text
/// longer than 16 MiB is refused unread.
pub fn parse_stored(text: &str) -> Result<StoredDocument, SchemaError> {
    let parsed = crate::value::json::parse(text)
        .map_err(|e| SchemaError { source_name: None, parse: Some(e), problems: Vec::new() })?;
    StoredDocument::from_value(&parsed.value).map_err(|mut err| {
        let locator = crate::value::json::Locator::new(text);
        for problem in &mut err.problems {
            problem.location = locator.locate(&crate::value::json::pointer_segments(&problem.pointer));
        }
        // In the order of the text (a stable sort: problems at one place keep their order).
        err.problems.sort_by_key(|p| p.location.map(|l| (l.line, l.column)));
        err
    })
}

impl StoredDocument {
    /// Validates an already-parsed stored document (problems carry pointers but no line and
    /// column; [`parse_stored`] adds them).
    ///
    /// # Errors
    /// [`SchemaError`] with every problem, as [`parse_stored`].
    pub fn from_value(value: &Value) -> Result<StoredDocument, SchemaError> {
        let mut c = Collector::default();
        let document = super::check::document(&mut c, value);
        if c.problems.is_empty() {
            Ok(document)
        } else {
            Err(SchemaError { source_name: None, parse: None, problems: c.problems })
        }
    }
}
