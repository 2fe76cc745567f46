//! [`Error`]: why code could not be generated.

use std::fmt;
use std::path::PathBuf;

use ff_runtime::SchemaError;

/// Why code could not be generated or written.
///
/// `Debug` prints the same text as `Display`, so a build script's
/// `Builder::new()…compile().unwrap()` shows every problem on its own line.
#[derive(thiserror::Error)]
pub enum Error {
    /// The document is not valid (or not JSON). Every problem is listed, one per line, as
    /// `FILE:LINE:COL: POINTER: message` ([`SchemaError::lines`]).
    #[error("{0}")]
    Schema(SchemaError),
    /// Options that do not fit the document or are not valid Rust (a `value_type` for a
    /// feature the document lacks, an unparsable visibility or type, …), all of them.
    #[error("invalid ff-build options:{}", .0.iter().map(|p| format!("\n  {p}")).collect::<String>())]
    Options(Vec<String>),
    /// Feature names or context keys that do not make distinct Rust names: two that would
    /// get the same accessor, `FlagName` variant or `Context` setter (`dark-mode` and
    /// `dark_mode`), one that would take a generated method's name (`snapshot`), or one with
    /// no letters or digits. Each problem names the document names, the Rust name and the
    /// rename that fixes it.
    #[error("feature names or context keys that do not make distinct Rust names:{}", .0.iter().map(|p| format!("\n  {p}")).collect::<String>())]
    Names(Vec<String>),
    /// The document could not be read.
    #[error("cannot read the feature flags document {}: {source}", .path.display())]
    Read {
        /// The path as resolved.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The generated file could not be written.
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        /// The output path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The builder was not told where to write: `OUT_DIR` is unset (not running in a build
    /// script) and no [`crate::Builder::out_dir`] was given.
    #[error("OUT_DIR is not set: call ff_build::Builder from a build script, or set Builder::out_dir")]
    NoOutDir,
    /// [`crate::Builder::compile`] was called without [`crate::Builder::schema`].
    #[error("no feature flags document: call Builder::schema(\"flags.json\") before compile()")]
    NoSchema,
}

impl Error {
    /// Every problem as one line (for a schema error, `FILE:LINE:COL: POINTER: message`).
    pub fn lines(&self) -> Vec<String> {
        match self {
            Error::Schema(err) => err.lines(),
            Error::Options(problems) | Error::Names(problems) => problems.clone(),
            other => vec![other.to_string()],
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl From<SchemaError> for Error {
    fn from(err: SchemaError) -> Error {
        Error::Schema(err)
    }
}
