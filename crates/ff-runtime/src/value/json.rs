//! Reading JSON text: values with exact integers and document order, and source locations
//! for JSON pointers.
//!
//! Parsing is done by `jsonc-parser` with every extension turned off (no comments, trailing
//! commas, single quotes, hexadecimal or non-finite numbers), which gives byte ranges for
//! every node and the literal text of every number. Locations are only needed when a
//! document is invalid, so they are computed on that path alone, by [`Locator`].
//!
//! # A byte order mark is an error
//!
//! Text that starts with a UTF-8 byte order mark (U+FEFF) is refused at 1:1
//! ([`BYTE_ORDER_MARK`] says why), as the reference refuses it: Powertools' AppConfig store
//! decodes the body as UTF-8 and hands it to Python's `json.loads`, which raises
//! `Unexpected UTF-8 BOM`, so the store fails (`ConfigurationStoreError`) and callers get
//! their default. ff's stores then keep the last good document in force.
//!
//! # Limits
//!
//! Text longer than [`DEFAULT_MAX_DOCUMENT_BYTES`] (16 MiB) is refused before it is parsed
//! ([`parse_with_limit`] sets another limit; so do [`crate::Document::parse_with_limit`] and
//! [`crate::FileStore::max_document_bytes`]). AWS AppConfig itself holds at most 2 MB per
//! hosted configuration by default (4 MB at most), so the default leaves ample room while
//! bounding the memory a hostile or mistaken document can take (parsing needs a few times
//! the text's size).
//!
//! Arrays and objects nested deeper than [`MAX_NESTING`] (128) levels are an error, found by
//! a scan before parsing: parsing, comparing and dropping values recurse, and at the parser's
//! own limit (512 levels) a debug build needs about 4 MiB of stack, more than the 2 MiB of
//! a spawned thread (a tokio worker, a test), so a deep document would abort the process.
//! At 128 levels it needs about 1 MiB in a debug build and 256 KiB in a release build.
//!
//! Integer literals of more than [`MAX_INTEGER_DIGITS`] (4300) digits are an error, as they
//! are for the reference (Python's `int` refuses to convert them).

use jsonc_parser::ast;
use jsonc_parser::{CollectOptions, ParseOptions};

use crate::error::{Location, ParseError};
use crate::value::{Map, Number, Value};

/// The deepest nesting of arrays and objects that [`parse`] reads: 128 levels (as
/// `serde_json`; see the module docs).
pub const MAX_NESTING: usize = 128;

/// The most digits an integer literal may have: 4300, the limit of Python's `int` (3.11 and
/// later), so of the reference's `json.loads` (it raises `ValueError` beyond). Converting
/// decimal digits to a big integer takes time quadratic in their number: a document of one
/// 16 MiB integer would take minutes.
pub const MAX_INTEGER_DIGITS: usize = 4300;

/// The longest text [`parse`] reads: 16 MiB (see the module docs).
pub const DEFAULT_MAX_DOCUMENT_BYTES: usize = 16 * 1024 * 1024;

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
/// syntax error, or of the end of the text when it holds no value. Nesting deeper than
/// [`MAX_NESTING`] levels is an error, not a stack overflow; so is text longer than
/// [`DEFAULT_MAX_DOCUMENT_BYTES`].
pub fn parse(text: &str) -> Result<Parsed, ParseError> {
    parse_with_limit(text, DEFAULT_MAX_DOCUMENT_BYTES)
}

/// [`parse`], refusing text longer than `max_bytes` before reading it.
///
/// # Errors
/// As [`parse`]; text that is too long is an error at 1:1 naming its size and the limit.
pub fn parse_with_limit(text: &str, max_bytes: usize) -> Result<Parsed, ParseError> {
    if text.len() > max_bytes {
        return Err(too_large(text.len(), max_bytes));
    }
    if text.starts_with('\u{feff}') {
        return Err(byte_order_mark());
    }
    check_nesting(text)?;
    match parse_ast(text)? {
        Some(root) => Ok(Parsed { value: convert(root, text)? }),
        None => Err(ParseError {
            message: "expected a JSON value, found no text".to_owned(),
            location: Locator::line_column(text, text.len()),
        }),
    }
}

/// Finds the first array or object nested deeper than [`MAX_NESTING`] (brackets outside
/// strings; the text has no comments, as the parser allows none).
fn check_nesting(text: &str) -> Result<(), ParseError> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(ParseError {
                        message: format!("arrays and objects nested deeper than {MAX_NESTING} levels"),
                        location: Locator::line_column(text, i),
                    });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// What [`parse`] says of text that starts with a byte order mark.
pub const BYTE_ORDER_MARK: &str = "the text starts with a UTF-8 byte order mark (U+FEFF), which the reference \
     refuses (Python's json.loads raises \"Unexpected UTF-8 BOM\", so Powertools serves the caller's default): \
     save the document as UTF-8 without a BOM";

/// The error for text that starts with a byte order mark, at 1:1 (see [`BYTE_ORDER_MARK`]).
fn byte_order_mark() -> ParseError {
    ParseError { message: BYTE_ORDER_MARK.to_owned(), location: Location { line: 1, column: 1 } }
}

/// The error for text of `len` bytes over the limit `max_bytes`.
pub(crate) fn too_large(len: usize, max_bytes: usize) -> ParseError {
    ParseError {
        message: format!("the document is {len} bytes, more than the limit of {max_bytes} bytes"),
        location: Location { line: 1, column: 1 },
    }
}

fn convert(node: ast::Value<'_>, text: &str) -> Result<Value, ParseError> {
    Ok(match node {
        ast::Value::NullKeyword(_) => Value::Null,
        ast::Value::BooleanLit(b) => Value::Bool(b.value),
        ast::Value::StringLit(s) => Value::String(s.value.into_owned()),
        ast::Value::NumberLit(n) => {
            let digits = n.value.trim_start_matches('-').len();
            let integer = !n.value.bytes().any(|b| matches!(b, b'.' | b'e' | b'E'));
            let number = if integer && digits > MAX_INTEGER_DIGITS {
                Err(format!("an integer of {digits} digits, more than {MAX_INTEGER_DIGITS}"))
            } else {
                Number::parse(n.value).ok_or_else(|| format!("invalid number `{}`", n.value))
            };
            match number {
                Ok(number) => Value::Number(number),
                Err(message) => {
                    return Err(ParseError { message, location: Locator::line_column(text, n.range.start) })
                }
            }
        }
        ast::Value::Array(a) => Value::Array(
            a.elements.into_iter().map(|v| convert(v, text)).collect::<Result<_, _>>()?,
        ),
        ast::Value::Object(o) => {
            let mut map = Map::with_capacity(o.properties.len());
            for prop in o.properties {
                // A repeated key keeps its first position and its last value, as in Python.
                map.insert(prop.name.into_string(), convert(prop.value, text)?);
            }
            Value::from(map)
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
/// Lookups take time proportional to the pointer, not to the document: large objects get a
/// name index, and lines and columns come from indexes of the text built on first use (a
/// document with 100,000 problems is located in linear time).
pub struct Locator<'t> {
    text: &'t str,
    root: Option<ast::Value<'t>>,
    /// Name → position of the last property with that name, for large objects, keyed by
    /// the object's start offset.
    names: std::cell::RefCell<std::collections::HashMap<usize, std::collections::HashMap<Box<str>, usize>>>,
    /// The byte offset of every line start.
    lines: std::cell::OnceCell<Vec<usize>>,
    /// The number of characters before every multiple of `CHUNK` bytes.
    chars: std::cell::OnceCell<Vec<usize>>,
}

/// Objects with more properties than this get a name index.
const INDEXED_OBJECT: usize = 16;
/// The spacing of the character-count checkpoints.
const CHUNK: usize = 256;

/// Characters that start in `bytes` (bytes that are not UTF-8 continuation bytes).
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

impl<'t> Locator<'t> {
    /// Parses `text` for lookups. Text that does not parse gives a locator that finds nothing.
    /// A leading byte order mark is skipped (a column then counts from after it), although
    /// [`parse`] refuses such text.
    pub fn new(text: &'t str) -> Locator<'t> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Locator {
            text,
            root: parse_ast(text).ok().flatten(),
            names: Default::default(),
            lines: Default::default(),
            chars: Default::default(),
        }
    }

    /// The property of `o` named `name` (the last one, when the name repeats).
    fn property<'a>(&self, o: &'a ast::Object<'t>, name: &str) -> Option<&'a ast::ObjectProp<'t>> {
        if o.properties.len() <= INDEXED_OBJECT {
            return o.properties.iter().rev().find(|p| p.name.as_str() == name);
        }
        let mut names = self.names.borrow_mut();
        let index = names.entry(o.range.start).or_insert_with(|| {
            // Later properties overwrite earlier ones: the last occurrence wins.
            o.properties.iter().enumerate().map(|(i, p)| (Box::from(p.name.as_str()), i)).collect()
        });
        index.get(name).map(move |&i| &o.properties[i])
    }

    /// [`Locator::line_column`] of this locator's text, from its indexes.
    fn offset_location(&self, offset: usize) -> Location {
        let offset = offset.min(self.text.len());
        let bytes = self.text.as_bytes();
        let lines = self.lines.get_or_init(|| {
            std::iter::once(0).chain(bytes.iter().enumerate().filter(|(_, &b)| b == b'\n').map(|(i, _)| i + 1)).collect()
        });
        let chars = self.chars.get_or_init(|| {
            let mut counts = Vec::with_capacity(bytes.len() / CHUNK + 1);
            let mut total = 0;
            counts.push(0);
            for chunk in bytes.chunks(CHUNK) {
                total += char_starts(chunk);
                counts.push(total);
            }
            counts
        });
        let chars_before = |at: usize| chars[at / CHUNK] + char_starts(&bytes[at / CHUNK * CHUNK..at]);
        // The line holding `offset`: the last line start at or before it.
        let line = lines.partition_point(|&start| start <= offset);
        let line_start = lines[line - 1];
        let column = if offset - line_start <= 2 * CHUNK {
            char_starts(&bytes[line_start..offset])
        } else {
            chars_before(offset) - chars_before(line_start)
        };
        Location { line, column: column + 1 }
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
                    let Some(prop) = self.property(o, segment) else {
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
        Some(self.offset_location(at))
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

/// A key that one object of the text holds more than once. The document keeps the last
/// value, at the first key's position (as Python's `json` module, so as the reference).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The JSON pointer (RFC 6901) of the repeated member, e.g. `/premium/default`.
    pub pointer: String,
    /// Where each occurrence's key starts, in text order (two or more); the value of the
    /// last one is the one in force.
    pub locations: Vec<Location>,
}

/// Every key that an object of `text` repeats, in text order of their first occurrence.
/// Text that does not parse has none (its syntax error is [`parse`]'s to report).
pub fn duplicate_keys(text: &str) -> Vec<DuplicateKey> {
    let locator = Locator::new(text);
    let mut found = Vec::new();
    if let Some(root) = &locator.root {
        let mut path = Vec::new();
        locator.collect_duplicates(root, &mut path, &mut found);
    }
    found
}

impl Locator<'_> {
    /// Walks `node` (at `path`), adding each object's repeated keys to `found`.
    fn collect_duplicates(&self, node: &ast::Value<'_>, path: &mut Vec<String>, found: &mut Vec<DuplicateKey>) {
        match node {
            ast::Value::Object(o) => {
                let mut seen: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
                let mut order = Vec::new();
                for prop in &o.properties {
                    let offsets = seen.entry(prop.name.as_str()).or_default();
                    if offsets.len() == 1 {
                        order.push(prop.name.as_str());
                    }
                    offsets.push(prop.range.start);
                }
                for name in order {
                    path.push(name.to_owned());
                    let locations = seen[name].iter().map(|&at| self.offset_location(at)).collect();
                    found.push(DuplicateKey { pointer: pointer(path), locations });
                    path.pop();
                }
                for prop in &o.properties {
                    path.push(prop.name.as_str().to_owned());
                    self.collect_duplicates(&prop.value, path, found);
                    path.pop();
                }
            }
            ast::Value::Array(a) => {
                for (i, item) in a.elements.iter().enumerate() {
                    path.push(i.to_string());
                    self.collect_duplicates(item, path, found);
                    path.pop();
                }
            }
            _ => {}
        }
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
    fn finds_repeated_keys_with_every_location() {
        let text = "{\"f\": {\"default\": 1,\n \"rules\": [{\"a\": 1, \"a\": 2, \"a\": 3}], \"default\": 2}, \"g\": {}}";
        let found = duplicate_keys(text);
        let summary: Vec<(String, Vec<(usize, usize)>)> = found
            .iter()
            .map(|d| (d.pointer.clone(), d.locations.iter().map(|l| (l.line, l.column)).collect()))
            .collect();
        assert_eq!(
            summary,
            [
                ("/f/default".to_owned(), vec![(1, 8), (2, 39)]),
                ("/f/rules/0/a".to_owned(), vec![(2, 13), (2, 21), (2, 29)]),
            ]
        );
        // The value keeps the last one, as Python's json does.
        assert_eq!(parse(text).unwrap().value.to_json(), r#"{"f":{"default":2,"rules":[{"a":3}]},"g":{}}"#);
        assert!(duplicate_keys(r#"{"a": {"a": 1}, "b": [{"a": 1}, {"a": 2}]}"#).is_empty());
        assert!(duplicate_keys("{").is_empty());
    }

    /// The reference's AppConfig store hands the body to Python's `json.loads`, which
    /// raises "Unexpected UTF-8 BOM": the store fails, callers get their default.
    #[test]
    fn refuses_a_byte_order_mark_as_the_reference() {
        let err = parse("\u{feff}{\"a\": {\"default\": true}}").unwrap_err();
        assert_eq!(err.location, Location { line: 1, column: 1 });
        assert_eq!(err.message, BYTE_ORDER_MARK);
        assert!(err.to_string().contains("byte order mark"), "{err}");
        // Anywhere else, U+FEFF is a character like any other.
        assert_eq!(parse("[\"\u{feff}\"]").unwrap().value.as_array().unwrap()[0].as_str(), Some("\u{feff}"));
        assert!(parse(" \u{feff}{}").is_err());
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
    fn refuses_text_over_the_limit_before_parsing() {
        let text = format!("[{}0]", "0,".repeat(10));
        assert!(parse_with_limit(&text, text.len()).is_ok());
        let err = parse_with_limit(&text, text.len() - 1).unwrap_err();
        assert_eq!(err.to_string(), "1:1: invalid JSON: the document is 23 bytes, more than the limit of 22 bytes");
        // Not even looked at: invalid text over the limit gets the same error.
        assert_eq!(parse_with_limit("{{{{", 3).unwrap_err().message, "the document is 4 bytes, more than the limit of 3 bytes");
    }

    #[test]
    fn indexed_locations_agree_with_counting() {
        // Multi-byte characters straddling the checkpoints, long and empty lines.
        let mut text = String::from("{\"k\": [");
        text.push_str(&"\"aé😀\",".repeat(600)); // a line longer than the checkpoints' spacing
        for i in 0..300 {
            text.push_str(if i % 7 == 0 { "\"é😀\",\n" } else if i % 13 == 0 { "\"ß\",\n\n" } else { "\"aé\"," });
        }
        text.push_str("1]}");
        let locator = Locator::new(&text);
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            assert_eq!(locator.offset_location(offset), Locator::line_column(&text, offset), "offset {offset}");
        }
    }

    #[test]
    fn large_objects_find_the_last_repeated_name() {
        let mut text = String::from("{");
        for i in 0..100 {
            text.push_str(&format!("\"f{i}\": {i}, "));
        }
        text.push_str("\"f7\": \"again\"}");
        let loc = Locator::new(&text).locate(&["f7".to_owned()]).unwrap();
        assert_eq!(loc.column, text.rfind("\"f7\"").unwrap() + 1);
        let loc = Locator::new(&text).locate(&["f99".to_owned()]).unwrap();
        assert_eq!(loc.column, text.find("\"f99\"").unwrap() + 1);
    }

    #[test]
    fn refuses_nesting_beyond_the_limit_with_its_location() {
        let nested = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
        assert!(parse(&nested(MAX_NESTING)).is_ok());
        let err = parse(&nested(MAX_NESTING + 1)).unwrap_err();
        assert_eq!(err.to_string(), "1:129: invalid JSON: arrays and objects nested deeper than 128 levels");
        let err = parse(&format!("{{\n \"a\": {}}}", nested(MAX_NESTING))).unwrap_err();
        assert_eq!(err.location, Location { line: 2, column: 134 });
        // Brackets in strings (escaped quotes included) do not count.
        let text = format!("[\"{}\\\"{}\"]", "[".repeat(1000), "{".repeat(1000));
        assert_eq!(parse(&text).unwrap().value.as_array().unwrap()[0].as_str().unwrap().len(), 2001);
        assert!(parse(&format!("{}\"]]]\"{}", "[".repeat(100), "]".repeat(100))).is_ok());
    }

    /// Found while testing hostile documents: a 1.6-million-digit integer took 3.4 s to read
    /// (quadratic), a 16 MiB one would take minutes. Python refuses more than 4300 digits.
    #[test]
    fn refuses_integers_longer_than_python_reads() {
        let max = "7".repeat(MAX_INTEGER_DIGITS);
        assert_eq!(parse(&format!("[-{max}]")).unwrap().value.to_json(), format!("[-{max}]"));
        let err = parse(&format!("{{\n  \"a\": [1, {max}7]}}")).unwrap_err();
        assert_eq!(err.to_string(), "2:12: invalid JSON: an integer of 4301 digits, more than 4300");
        // Floats are read in linear time, whatever their length (Python reads them too).
        assert!(parse(&format!("{max}{max}.5")).is_ok());
        assert!(parse(&format!("{max}{max}e-9000")).is_ok());
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
