//! [`Builder`]: generate the typed flags from a build script.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::options::Options;

/// Generates typed flags for a feature flags document from a build script, into `OUT_DIR`.
///
/// ```no_run
/// // build.rs
/// fn main() -> Result<(), ff_build::Error> {
///     ff_build::Builder::new()
///         .schema("flags.json")                          // relative to CARGO_MANIFEST_DIR
///         .file_name("flags.rs")                         // the default
///         .value_type("checkout_layout", "crate::Layout") // a serde type instead of ff_runtime::Value
///         .visibility("pub(crate)")
///         .compile()?;
///     Ok(())
/// }
/// ```
///
/// [`Builder::compile`] prints `cargo:rerun-if-changed` for the document only (cargo reruns a
/// build script whose own source changed anyway) and `cargo:rerun-if-env-changed` for
/// `FF_WARN_UNUSED` ([`Options::warn_unused_from_env`]), a `cargo:warning` for each object-valued
/// feature or member left `ff_runtime::Value`, for each context key the rules compare with
/// conflicting types and for each lint (`ff_runtime::lint`: an unknown key near a known one
/// such as `"when_macth"`, a repeated key:
/// `cargo:warning=flags.json:3:5: /f/rules/r/when_macth: warning: unknown key …`), and writes the file only when its content
/// changed, so an unchanged document rebuilds nothing.
#[derive(Clone, Debug)]
pub struct Builder {
    schema: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    file_name: String,
    options: Options,
    emit_rerun_if_changed: bool,
}

impl Default for Builder {
    fn default() -> Builder {
        Builder::new()
    }
}

impl Builder {
    /// A builder with the defaults: output `$OUT_DIR/flags.rs`, items `pub`, value types
    /// inferred, `cargo:rerun-if-changed` printed.
    pub fn new() -> Builder {
        Builder {
            schema: None,
            out_dir: None,
            file_name: "flags.rs".to_owned(),
            options: Options::new(),
            emit_rerun_if_changed: true,
        }
    }

    /// The feature flags document (JSON). A relative path is resolved against
    /// `CARGO_MANIFEST_DIR` (the directory of the crate's `Cargo.toml`), and is the name used
    /// in error messages (`flags.json:3:5: /pointer: message`).
    pub fn schema(mut self, path: impl AsRef<Path>) -> Builder {
        self.schema = Some(path.as_ref().to_owned());
        self
    }

    /// Where to write (default: `OUT_DIR`, which cargo sets for build scripts).
    pub fn out_dir(mut self, dir: impl AsRef<Path>) -> Builder {
        self.out_dir = Some(dir.as_ref().to_owned());
        self
    }

    /// The output file's name in the output directory (default `flags.rs`). Use distinct
    /// names to generate flags for several documents.
    pub fn file_name(mut self, name: impl Into<String>) -> Builder {
        self.file_name = name.into();
        self
    }

    /// The visibility of the generated items; see [`Options::visibility`].
    pub fn visibility(mut self, visibility: impl Into<String>) -> Builder {
        self.options = self.options.visibility(visibility);
        self
    }

    /// The Rust type of a non-boolean feature's accessor; see [`Options::value_type`].
    pub fn value_type(mut self, feature: impl Into<String>, rust_type: impl Into<String>) -> Builder {
        self.options = self.options.value_type(feature, rust_type);
        self
    }

    /// Adds a derive to `FlagName`; see [`Options::derive_flag_name`].
    pub fn derive_flag_name(mut self, path: impl Into<String>) -> Builder {
        self.options = self.options.derive_flag_name(path);
        self
    }

    /// The envelope selecting the feature document inside a larger one; see
    /// [`Options::envelope`].
    pub fn envelope(mut self, expression: impl Into<String>) -> Builder {
        self.options = self.options.envelope(expression);
        self
    }

    /// Gives a feature or context key another Rust name; see [`Options::rename`].
    pub fn rename(mut self, document_name: impl Into<String>, rust_name: impl Into<String>) -> Builder {
        self.options = self.options.rename(document_name, rust_name);
        self
    }

    /// Lets rustc warn about each feature the crate never reads (default `false`); see
    /// [`Options::warn_unused`]. The environment variable `FF_WARN_UNUSED=1` turns it on too.
    pub fn warn_unused(mut self, warn: bool) -> Builder {
        self.options = self.options.warn_unused(warn);
        self
    }

    /// The document's format (default: recognised from the document); see
    /// [`Options::format`].
    pub fn format(mut self, format: crate::Format) -> Builder {
        self.options = self.options.format(format);
        self
    }

    /// Adds a derive to `Context`; see [`Options::derive_context`].
    pub fn derive_context(mut self, path: impl Into<String>) -> Builder {
        self.options = self.options.derive_context(path);
        self
    }

    /// Whether to print `cargo:rerun-if-changed=DOCUMENT` and `cargo:warning=…` lines (default
    /// `true`; turn off when calling the builder outside a build script).
    pub fn emit_cargo_directives(mut self, emit: bool) -> Builder {
        self.emit_rerun_if_changed = emit;
        self
    }

    /// Reads and validates the document, generates the code and writes it to
    /// `OUT_DIR/FILE_NAME` if it changed. Returns the output path.
    ///
    /// # Errors
    /// * [`Error::NoSchema`] without [`Builder::schema`];
    /// * [`Error::Read`] when the document cannot be read;
    /// * [`Error::Schema`] when it is not valid, with every problem as
    ///   `FILE:LINE:COL: POINTER: message`;
    /// * [`Error::Options`] when options do not fit the document;
    /// * [`Error::Names`] when feature names or context keys do not make distinct Rust
    ///   names (a rename fixes it);
    /// * [`Error::NoOutDir`] outside a build script without [`Builder::out_dir`];
    /// * [`Error::Write`] when the output cannot be written.
    pub fn compile(self) -> Result<PathBuf, Error> {
        let schema = self.schema.ok_or(Error::NoSchema)?;
        let resolved = match std::env::var_os("CARGO_MANIFEST_DIR") {
            Some(dir) if schema.is_relative() => Path::new(&dir).join(&schema),
            _ => schema.clone(),
        };
        if self.emit_rerun_if_changed {
            println!("cargo:rerun-if-changed={}", resolved.display());
            println!("cargo:rerun-if-env-changed={}", crate::WARN_UNUSED_ENV);
        }
        let text = std::fs::read_to_string(&resolved).map_err(|source| Error::Read { path: resolved.clone(), source })?;
        let options = match self.options.source_name {
            Some(_) => self.options,
            None => self.options.source_name(schema.display().to_string()),
        }
        .warn_unused_from_env();
        let generated = crate::generate_tokens(&text, &options)?;
        if self.emit_rerun_if_changed {
            for line in warnings(&schema, &generated) {
                println!("{line}");
            }
        }
        let code = crate::format(&generated, &options);
        let out_dir = match self.out_dir {
            Some(dir) => dir,
            None => PathBuf::from(std::env::var_os("OUT_DIR").ok_or(Error::NoOutDir)?),
        };
        let path = out_dir.join(&self.file_name);
        let unchanged = std::fs::read_to_string(&path).is_ok_and(|old| old == code);
        if !unchanged {
            std::fs::create_dir_all(&out_dir).map_err(|source| Error::Write { path: out_dir.clone(), source })?;
            std::fs::write(&path, code).map_err(|source| Error::Write { path: path.clone(), source })?;
        }
        Ok(path)
    }
}

/// The `cargo:warning=` lines for a generated document read from `schema`: conflicting
/// context key types, then lints, each prefixed with the document's path.
fn warnings(schema: &Path, generated: &crate::Generated) -> Vec<String> {
    let name = schema.display().to_string();
    let types = generated.model.warnings.iter().map(|warning| format!("cargo:warning={name}: {warning}"));
    let lints = generated.lints.iter().map(|lint| format!("cargo:warning={}", lint.line(&name)));
    types.chain(lints).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 12, finding 7: a typo (`when_macth`) and a repeated key built without a word.
    #[test]
    fn lints_become_cargo_warnings() {
        let text = "{\"f\": {\"default\": false, \"rules\": {\"r\": {\"when_macth\": true, \"when_match\": true,\n  \"conditions\": [{\"action\": \"EQUALS\", \"key\": \"k\", \"value\": 1}]}}}, \"g\": {\"default\": true, \"default\": false}}";
        let generated = crate::generate_tokens(text, &Options::new()).unwrap();
        let lines = warnings(Path::new("flags.json"), &generated);
        assert_eq!(lines.len(), 2, "{lines:#?}");
        assert!(lines[0].starts_with("cargo:warning=flags.json:1:42: /f/rules/r/when_macth: warning: unknown key `when_macth` in rule `r`: did you mean `when_match`?"), "{}", lines[0]);
        assert!(lines[1].starts_with("cargo:warning=flags.json:2:74: /g/default: warning: key `default` appears 2 times"), "{}", lines[1]);
        assert!(lines.iter().all(|l| !l.contains('\n')));
        // Through an envelope: pointers and locations in the whole file.
        let enveloped = format!("{{\"features\": {}}}", r#"{"f": {"default": true, "Rules": {}}}"#);
        let generated = crate::generate_tokens(&enveloped, &Options::new().envelope("features")).unwrap();
        let lines = warnings(Path::new("config.json"), &generated);
        assert_eq!(lines.len(), 1);
        assert!(lines[0].starts_with("cargo:warning=config.json:1:38: /features/f/Rules: warning: unknown key `Rules`"), "{}", lines[0]);
    }
}
