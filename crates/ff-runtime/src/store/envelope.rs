//! Envelopes: a JMESPath expression that selects the feature document inside a larger
//! stored document (the reference's `envelope` parameter), e.g. `features` in
//! `{"log_level": "INFO", "features": {...}}`.

use std::fmt;

use crate::document::Document;
use crate::error::{Problem, SchemaError, StoreError};
use crate::value::json::{self, Locator};
use crate::value::Value;

/// A compiled JMESPath envelope.
///
/// A plain field path (`features`, `config.features`, `"my-app".flags`: the common case) is
/// walked directly, keeping every value exact; any other expression is evaluated with the
/// `jmespath` crate (the reference uses Python's `jmespath` package), through which integers
/// beyond the 64-bit range pass as floats.
#[derive(Clone)]
pub struct Envelope {
    expression: std::sync::Arc<jmespath::Expression<'static>>,
    /// The keys, when the expression is a plain field path (`features`, `a.b`, `"my-app".x`).
    field_path: Option<Vec<String>>,
}

impl fmt::Debug for Envelope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Envelope").field(&self.expression.as_str()).finish()
    }
}

impl Envelope {
    /// Compiles a JMESPath expression.
    ///
    /// # Errors
    /// A configuration [`StoreError`] naming the expression and the syntax problem.
    pub fn new(expression: &str) -> Result<Envelope, StoreError> {
        let compiled = jmespath::compile(expression).map_err(|e| {
            StoreError::configuration(format!("invalid envelope expression `{expression}`: {e}"))
        })?;
        let field_path = field_path(compiled.as_ast());
        Ok(Envelope { expression: std::sync::Arc::new(compiled), field_path })
    }

    /// The keys of the expression when it is a plain field path (`config.features` →
    /// `["config", "features"]`): the JSON pointer of the feature document inside the
    /// stored one. `None` for any other expression.
    pub fn field_path(&self) -> Option<&[String]> {
        self.field_path.as_deref()
    }

    /// The expression text.
    pub fn as_str(&self) -> &str {
        self.expression.as_str()
    }

    /// Applies the envelope to a raw document.
    ///
    /// # Errors
    /// A configuration [`StoreError`] when the expression fails or selects nothing (`null`):
    /// the reference crashes with `AttributeError` there; ff reports a clear store error,
    /// so the last-known-good document stays in force.
    pub fn apply(&self, raw: &Value) -> Result<Value, StoreError> {
        if let Some(keys) = &self.field_path {
            // JMESPath field access on a non-object is null, like a missing key.
            return match keys.iter().try_fold(raw, |v, k| v.get(k)) {
                Some(v) if !v.is_null() => Ok(v.clone()),
                _ => Err(StoreError::configuration(format!(
                    "envelope `{}` selects nothing in the stored document",
                    self.as_str()
                ))),
            };
        }
        let data: serde_json::Value = raw.clone().into();
        let result = self.expression.search(data).map_err(|e| {
            StoreError::configuration(format!("envelope `{}` failed: {e}", self.as_str()))
        })?;
        if result.is_null() {
            return Err(StoreError::configuration(format!(
                "envelope `{}` selects nothing in the stored document",
                self.as_str()
            )));
        }
        let json = serde_json::to_value(&*result).map_err(|e| {
            StoreError::configuration(format!("envelope `{}` gave an unusable value: {e}", self.as_str()))
        })?;
        Ok(Value::from(json))
    }
}

impl Envelope {
    /// Parses JSON `text` (a whole stored document), applies the envelope and validates the
    /// feature document it selects: what a build reads when the flags live inside a larger
    /// configuration (`ff_build::Options::envelope`). Returns the document and the selected
    /// value (its JSON is the compiled-in document of generated code).
    ///
    /// # Errors
    /// [`SchemaError`] when `text` is not JSON (located), when the envelope selects nothing
    /// (one problem at the document's root), or with every problem of the selected
    /// document. With a plain field path, problems carry the pointer from the root of
    /// `text` (`/features/new_checkout/default`) and their line and column in it; with any
    /// other expression, pointers are relative to the selected document, without location.
    pub fn parse_document(&self, text: &str) -> Result<(Document, Value), SchemaError> {
        let raw = json::parse(text)
            .map_err(|parse| SchemaError { source_name: None, parse: Some(parse), problems: Vec::new() })?
            .value;
        let selected = self.apply(&raw).map_err(|err| SchemaError {
            source_name: None,
            parse: None,
            problems: vec![Problem {
                pointer: String::new(),
                location: None,
                message: err.message.clone(),
                reference_message: err.message,
            }],
        })?;
        let document = self.validate_selected(text, &selected)?;
        Ok((document, selected))
    }

    /// Validates `selected`, the feature document this envelope selected in the stored
    /// document `text`. With a plain field path, problems carry the pointer from the root of
    /// `text` and their line and column in it; otherwise they stay relative to `selected`,
    /// without location.
    ///
    /// # Errors
    /// [`SchemaError`] with every problem of `selected`.
    pub fn validate_selected(&self, text: &str, selected: &Value) -> Result<Document, SchemaError> {
        Document::from_value(selected).map_err(|mut err| {
            if let Some(prefix) = self.field_path() {
                let locator = Locator::new(text);
                for problem in &mut err.problems {
                    let mut segments = prefix.to_vec();
                    segments.extend(json::pointer_segments(&problem.pointer));
                    problem.pointer = json::pointer(&segments);
                    problem.location = locator.locate(&segments);
                }
            }
            err
        })
    }
}

impl Envelope {
    /// Lints `selected`, the feature document this envelope selected in the stored document
    /// `text` (see [`crate::lint::lint_in`]): repeated keys anywhere in `text`, and unknown
    /// keys near known ones in `selected`, with the pointer from the root of `text` and
    /// their line and column with a plain field path, relative to `selected` otherwise.
    pub fn lint_selected(&self, text: &str, selected: &Value) -> Vec<crate::document::lint::Warning> {
        crate::document::lint::lint_in(text, selected, self.field_path())
    }
}

/// The keys of a field-path expression (`a`, `a.b.c`, with quoted identifiers allowed).
fn field_path(ast: &jmespath::ast::Ast) -> Option<Vec<String>> {
    use jmespath::ast::Ast;
    match ast {
        Ast::Field { name, .. } => Some(vec![name.clone()]),
        Ast::Subexpr { lhs, rhs, .. } => {
            let mut keys = field_path(lhs)?;
            keys.extend(field_path(rhs)?);
            Some(keys)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selects_a_sub_document_or_fails_clearly() {
        let raw = Value::from_json(r#"{"log_level": "INFO", "features": {"f": {"default": true}}}"#).unwrap();
        let env = Envelope::new("features").unwrap();
        assert_eq!(env.apply(&raw).unwrap().to_json(), r#"{"f":{"default":true}}"#);
        let missing = Envelope::new("nope").unwrap().apply(&raw).unwrap_err();
        assert!(missing.to_string().contains("selects nothing"), "{missing}");
        assert!(Envelope::new("[bad").is_err());
    }

    #[test]
    fn a_document_inside_a_larger_one_is_validated_with_locations_in_the_whole_text() {
        let text = "{\n  \"log_level\": \"INFO\",\n  \"features\": {\n    \"f\": {\"default\": true},\n    \"g\": {\"default\": null}\n  }\n}";
        let err = Envelope::new("features").unwrap().parse_document(text).unwrap_err();
        assert_eq!(err.lines(), ["5:11: /features/g/default: feature `g` needs a `default` (a boolean), found null"]);
        let fixed = text.replace("null", "false");
        let (document, selected) = Envelope::new("features").unwrap().parse_document(&fixed).unwrap();
        assert_eq!(document.len(), 2);
        assert_eq!(selected.to_json(), r#"{"f":{"default":true},"g":{"default":false}}"#);
        // Selecting nothing, and text that is not JSON.
        let err = Envelope::new("flags").unwrap().parse_document(&fixed).unwrap_err();
        assert_eq!(err.lines(), ["(document): envelope `flags` selects nothing in the stored document"]);
        let err = Envelope::new("features").unwrap().parse_document("{").unwrap_err();
        assert!(err.parse.is_some(), "{err}");
        // Not a field path: pointers relative to the selection, no location.
        let err = Envelope::new("values(@)[0]").unwrap().parse_document(r#"{"a": {"g": {"default": null}}}"#).unwrap_err();
        assert_eq!(err.lines(), ["/g/default: feature `g` needs a `default` (a boolean), found null"]);
    }

    #[test]
    fn field_paths_are_walked_exactly() {
        let raw = Value::from_json(r#"{"my-app": {"flags": {"id": 123456789012345678901234567890}}}"#).unwrap();
        let env = Envelope::new(r#""my-app".flags"#).unwrap();
        assert_eq!(env.field_path(), Some(&["my-app".to_owned(), "flags".to_owned()][..]));
        assert_eq!(env.apply(&raw).unwrap().to_json(), r#"{"id":123456789012345678901234567890}"#);
        assert_eq!(Envelope::new("a[0]").unwrap().field_path(), None);
        let not_object = Envelope::new("x.y").unwrap().apply(&Value::from_json(r#"{"x": [1]}"#).unwrap());
        assert!(not_object.is_err());
        // A general expression still works, through jmespath.
        let list = Envelope::new("items[?on].name").unwrap();
        let raw = Value::from_json(r#"{"items": [{"name": "a", "on": true}, {"name": "b", "on": false}]}"#).unwrap();
        assert_eq!(list.apply(&raw).unwrap().to_json(), r#"["a"]"#);
    }
}
