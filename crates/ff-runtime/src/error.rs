//! Errors, in the three kinds the reference distinguishes: an invalid document
//! ([`SchemaError`], the reference's `SchemaValidationError`), a store that could not serve
//! a document ([`StoreError`] of kind [`StoreErrorKind::Configuration`], the reference's
//! `ConfigurationStoreError`, which evaluation turns into the caller's default), and a store
//! that refused access ([`StoreErrorKind::Client`], the reference's `StoreClientError`,
//! which is returned to the caller).

use std::fmt;

/// A position in source text: 1-based line and 1-based column counted in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Location {
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// The text is not JSON.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{location}: invalid JSON: {message}")]
pub struct ParseError {
    /// What the parser expected (for example `Expected comma`).
    pub message: String,
    /// Where the first syntax error is.
    pub location: Location,
}

/// One problem in a document: where it is and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The JSON pointer (RFC 6901) of the offending node, e.g.
    /// `/premium/rules/tier is gold/conditions/0/value`; `""` is the whole document.
    pub pointer: String,
    /// Where the node starts in the source text, when the document came from text.
    /// A missing member is reported at its parent.
    pub location: Option<Location>,
    /// What was wrong and what was expected, in ff's words.
    pub message: String,
    /// The message the reference raises for this problem (`SchemaValidationError` text,
    /// reference typos included), for comparison with Powertools.
    pub reference_message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = self.location {
            write!(f, "{location}: ")?;
        }
        let pointer = if self.pointer.is_empty() { "(document)" } else { &self.pointer };
        write!(f, "{pointer}: {}", self.message)
    }
}

/// A document that fails validation (the reference's `SchemaValidationError`), with every
/// problem found, in document order. The first problem is the one the reference raises.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct SchemaError {
    /// Where the document came from (a file path, a store name), when known.
    pub source_name: Option<String>,
    /// A JSON syntax error, when the text was not JSON at all.
    pub parse: Option<ParseError>,
    /// Every validation problem, in document order (empty when `parse` is set).
    pub problems: Vec<Problem>,
}

impl SchemaError {
    /// Every problem as one line each: `SOURCE:LINE:COL: POINTER: message` (the source and
    /// location are left out when unknown).
    pub fn lines(&self) -> Vec<String> {
        let source = |located: bool| match (&self.source_name, located) {
            (Some(s), true) => format!("{s}:"),
            (Some(s), false) => format!("{s}: "),
            (None, _) => String::new(),
        };
        if let Some(parse) = &self.parse {
            return vec![format!("{}{}: invalid JSON: {}", source(true), parse.location, parse.message)];
        }
        self.problems.iter().map(|p| format!("{}{p}", source(p.location.is_some()))).collect()
    }

    /// The reference's message for the first problem (what Powertools would raise).
    pub fn reference_message(&self) -> Option<&str> {
        self.problems.first().map(|p| p.reference_message.as_str())
    }

    /// Sets the source name used by [`SchemaError::lines`] and `Display`.
    pub fn with_source_name(mut self, name: impl Into<String>) -> SchemaError {
        self.source_name = Some(name.into());
        self
    }
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = if self.parse.is_some() { 1 } else { self.problems.len() };
        write!(
            f,
            "invalid feature flags document ({count} problem{})",
            if count == 1 { "" } else { "s" }
        )?;
        for line in self.lines() {
            write!(f, "\n  {line}")?;
        }
        Ok(())
    }
}

/// Which kind of store failure, as the reference distinguishes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StoreErrorKind {
    /// The document could not be fetched or read (network, timeout, not found, bad JSON,
    /// an envelope that selects nothing). Evaluation serves the last-known-good document,
    /// or the caller's default when there is none (the reference's `ConfigurationStoreError`).
    Configuration,
    /// The store refused access (AWS `AccessDenied`). Returned to the caller, as the
    /// reference's `StoreClientError` is.
    Client,
}

/// A store could not serve a document.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", match .kind { StoreErrorKind::Configuration => "configuration store error", StoreErrorKind::Client => "store client error" })]
pub struct StoreError {
    /// Which kind of failure.
    pub kind: StoreErrorKind,
    /// What failed, naming the store and the operation.
    pub message: String,
    /// The underlying error, when there is one.
    #[source]
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl StoreError {
    /// A failure to fetch or read the document (evaluation falls back to defaults).
    pub fn configuration(message: impl Into<String>) -> StoreError {
        StoreError { kind: StoreErrorKind::Configuration, message: message.into(), source: None }
    }

    /// Access was refused (returned to the caller).
    pub fn client(message: impl Into<String>) -> StoreError {
        StoreError { kind: StoreErrorKind::Client, message: message.into(), source: None }
    }

    /// Attaches the underlying error.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> StoreError {
        self.source = Some(Box::new(source));
        self
    }
}

/// Any error ff returns to a caller.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The document is invalid and no earlier valid document is in force.
    #[error(transparent)]
    Schema(#[from] SchemaError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A value compiled into generated typed flags does not fit the Rust type named for its
    /// feature in the build (found by the generated `Flags::check_values()`).
    #[error(transparent)]
    ValueType(#[from] Box<ValueTypeError>),
}

/// A feature's compiled-in `default` or a rule's `when_match` that does not deserialize into
/// the `serde` type named for the feature in the build (`ff_build::Builder::value_type`).
///
/// The build cannot check a user's type (a build script cannot instantiate it), so the
/// generated `Flags::check_values()` (and a generated `#[test]`) does. Until the document or
/// the type is fixed, the feature's accessor serves the type's `Default` where the default
/// does not fit, and the compiled-in default where a `when_match` does not.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("feature {feature:?}: {what} {value} is not a {type_name}: {message} (fix the document, or the type named for the feature in the build)")]
pub struct ValueTypeError {
    /// The feature's name in the document.
    pub feature: String,
    /// Which value: `the default`, or `the when_match of rule "NAME"`.
    pub what: String,
    /// The value, as JSON.
    pub value: String,
    /// The Rust type named for the feature (`std::any::type_name`).
    pub type_name: String,
    /// Why it does not deserialize (`serde_json`'s message).
    pub message: String,
}
