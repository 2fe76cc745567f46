//! Reading JSON text: values with exact integers and document order, and source locations
//! for JSON pointers.
//!
//! Parsing is done by `jsonc-parser` with every extension turned off (no comments, trailing
//! commas, single quotes, hexadecimal or non-finite numbers), which gives byte ranges for
//! every node and the literal text of every number. Locations are only needed when a
//! document is invalid, so they are computed on that path alone, by [`Locator`].

use jsonc_parser::ast;
use jsonc_parser::{CollectOptions, ParseOptions};

use crate::error::{Location, ParseError};
use crate::value::{Map, Number, Value};

/// The result of [`parse`].
#[derive(Debug)]
pub struct Parsed {
    /// The value the text holds.
    pub value: Value,
}

fn strict_options() -> ParseOptions {
    ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

fn parse_ast(text: &str) -> Result<Option<ast::Value<'_>>, ParseError> {
    match jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &strict_options()) {
        Ok(result) => Ok(result.value),
        Err(err) => Err(ParseError {
            message: err.kind().to_string(),
            location: Location { line: err.line_display(), column: err.column_display() },
        }),
    }
}

/// Parses strict JSON text into a [`Value`].
///
/// # Errors
/// [`ParseError`] with the line and column (1-based, columns in characters) of the first
/// syntax error, or of the end of the text when it holds no value. Nesting deeper than 512
/// levels is an error, not a stack overflow.
pub fn parse(text: &str) -> Result<Parsed, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match parse_ast(text)? {
        Some(root) => Ok(Parsed { value: convert(root)? }),
        None => Err(ParseError {
            message: "expected a JSON value, found no text".to_owned(),
            location: Locator::line_column(text, text.len()),
        }),
    }
}

fn convert(node: ast::Value<'_>) -> Result<Value, ParseError> {
    Ok(match node {
        ast::Value::NullKeyword(_) => Value::Null,
        ast::Value::BooleanLit(b) => Value::Bool(b.value),
        ast::Value::StringLit(s) => Value::String(s.value.into_owned()),
        ast::Value::NumberLit(n) => match Number::parse(n.value) {
            Some(number) => Value::Number(number),
            None => {
                return Err(ParseError {
                    message: format!("invalid number `{}`", n.value),
                    location: Location { line: 0, column: 0 },
                })
            }
        },
        ast::Value::Array(a) => {
            Value::Array(a.elements.into_iter().map(convert).collect::<Result<_, _>>()?)
        }
        ast::Value::Object(o) => {
            let mut map = Map::with_capacity(o.properties.len());
            for prop in o.properties {
                // A repeated key keeps its first position and its last value, as in Python.
                map.insert(prop.name.into_string(), convert(prop.value)?);
            }
            Value::Object(map)
        }
    })
}

/// Splits a JSON pointer (RFC 6901) into unescaped segments: `/a~1b/0` → `["a/b", "0"]`.
pub fn pointer_segments(pointer: &str) -> Vec<String> {
    match pointer.strip_prefix('/') {
        None => Vec::new(),
        Some(rest) => rest.split('/').map(|s| s.replace("~1", "/").replace("~0", "~")).collect(),
    }
}

/// Joins unescaped segments into a JSON pointer (RFC 6901): `["a/b", "0"]` → `/a~1b/0`.
pub fn pointer<S: AsRef<str>>(segments: &[S]) -> String {
    segments.iter().map(|s| format!("/{}", s.as_ref().replace('~', "~0").replace('/', "~1"))).collect()
}

/// Finds where a JSON pointer's node starts in the source text.
///
/// Built once per invalid document; each lookup walks the syntax tree along the pointer.
pub struct Locator<'t> {
    text: &'t str,
    root: Option<ast::Value<'t>>,
}

impl<'t> Locator<'t> {
    /// Parses `text` for lookups. Text that does not parse gives a locator that finds nothing.
    pub fn new(text: &'t str) -> Locator<'t> {
        Locator { text, root: parse_ast(text).ok().flatten() }
    }

    /// The location of the node at `pointer` (segments already unescaped), or of its deepest
    /// existing ancestor when the node itself is missing (a missing `default` is reported
    /// at its feature). An object member is located at its key.
    pub fn locate(&self, segments: &[String]) -> Option<Location> {
        let mut node = self.root.as_ref()?;
        let mut at = node_start(node);
        for segment in segments {
            match node {
                ast::Value::Object(o) => {
                    // The last occurrence of a repeated key holds the value in force.
                    let Some(prop) = o.properties.iter().rev().find(|p| p.name.as_str() == segment) else {
                        break;
                    };
                    at = prop.range.start;
                    node = &prop.value;
                }
                ast::Value::Array(a) => {
                    let Some(item) = segment.parse::<usize>().ok().and_then(|i| a.elements.get(i)) else {
                        break;
                    };
                    at = node_start(item);
                    node = item;
                }
                _ => break,
            }
        }
        Some(Self::line_column(self.text, at))
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_column(text: &str, offset: usize) -> Location {
        let before = &text[..offset.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Location { line, column }
    }
}

fn node_start(node: &ast::Value<'_>) -> usize {
    match node {
        ast::Value::StringLit(v) => v.range.start,
        ast::Value::NumberLit(v) => v.range.start,
        ast::Value::BooleanLit(v) => v.range.start,
        ast::Value::Object(v) => v.range.start,
        ast::Value::Array(v) => v.range.start,
        ast::Value::NullKeyword(v) => v.range.start,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_exact_integers_and_python_duplicate_keys() {
        let v = parse(r#"{"z": 1, "a": 18446744073709551690, "z": 2.0}"#).unwrap().value;
        let map = v.as_object().unwrap();
        assert_eq!(map.keys().collect::<Vec<_>>(), ["z", "a"]);
        assert!(matches!(map["z"], Value::Number(Number::Float(x)) if x == 2.0));
        assert_eq!(map["a"].to_string(), "18446744073709551690");
    }

    #[test]
    fn rejects_extensions_with_a_location() {
        for (text, line, column) in [
            ("{\"a\": 1,}", 1, 8),
            ("{\n  // c\n}", 2, 3),
            ("[1,\n 'x']", 2, 2),
            ("[NaN]", 1, 2),
            ("", 1, 1),
            ("{\"a\": 1} 2", 1, 10),
        ] {
            let err = parse(text).unwrap_err();
            assert_eq!((err.location.line, err.location.column), (line, column), "{text:?}: {err}");
        }
    }

    #[test]
    fn locates_pointers() {
        let text = "{\n  \"f\": {\n    \"default\": 1,\n    \"rules\": {\"r\": {\"conditions\": [{}, {\"key\": 2}]}}\n  }\n}";
        let loc = Locator::new(text);
        let at = |p: &[&str]| {
            let segs: Vec<String> = p.iter().map(|s| s.to_string()).collect();
            let l = loc.locate(&segs).unwrap();
            (l.line, l.column)
        };
        assert_eq!(at(&[]), (1, 1));
        assert_eq!(at(&["f", "default"]), (3, 5));
        assert_eq!(at(&["f", "rules", "r", "conditions", "1", "key"]), (4, 41));
        // missing node: deepest ancestor
        assert_eq!(at(&["f", "boolean_type"]), (2, 3));
    }
}
