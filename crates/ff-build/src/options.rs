//! [`Options`]: what the generated code looks like, shared by the build-script [`crate::Builder`],
//! [`crate::generate`] and the `#[feature_flags]` macro.

/// Options of the generator.
///
/// ```
/// let options = ff_build::Options::new()
///     .source_name("flags.json")
///     .visibility("pub(crate)")
///     .value_type("checkout_layout", "crate::Layout")
///     .derive_flag_name("serde::Serialize");
/// # let _ = options;
/// ```
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub(crate) source_name: Option<String>,
    pub(crate) visibility: Option<String>,
    pub(crate) value_types: Vec<(String, String)>,
    pub(crate) flag_name_derives: Vec<String>,
    pub(crate) context_derives: Vec<String>,
    pub(crate) envelope: Option<String>,
    pub(crate) renames: Vec<(String, String)>,
}

impl Options {
    /// The defaults: items `pub`, value types inferred, no extra derives.
    pub fn new() -> Options {
        Options::default()
    }

    /// The document's name in error messages (`flags.json:3:5: …`) and in the generated
    /// documentation.
    pub fn source_name(mut self, name: impl Into<String>) -> Options {
        self.source_name = Some(name.into());
        self
    }

    /// The visibility of the generated items (`DOCUMENT`, `FlagName`, `Context`, `Flags`,
    /// `FlagsSnapshot`, `FlagsForTests`), as Rust syntax: `"pub"` (the default),
    /// `"pub(crate)"`, `"pub(super)"`, or `""` for private. Their methods and fields are
    /// always `pub`.
    pub fn visibility(mut self, visibility: impl Into<String>) -> Options {
        self.visibility = Some(visibility.into());
        self
    }

    /// The Rust type of non-boolean feature `feature`'s accessor, instead of the inferred one.
    ///
    /// `"bool"`, `"i64"`, `"f64"`, `"String"` and `"ff_runtime::Value"` are read natively;
    /// the document's `default` and every `when_match` must then have that type. Any other
    /// type (a path such as `"crate::Layout"` or `"Vec<String>"`) is read through `serde`:
    /// it must implement `serde::de::DeserializeOwned` and `serde::Serialize` (the generated
    /// `enabled_features` judges the value's truthiness through it, and `FlagsForTests`
    /// stores forced values with it). A live value that does not deserialize is drift (the
    /// compiled-in default applies); a compiled-in default that does not deserialize panics
    /// when first needed, so test that the accessor returns its default (`Flags::for_tests()`
    /// and one call) when naming a type.
    pub fn value_type(mut self, feature: impl Into<String>, rust_type: impl Into<String>) -> Options {
        self.value_types.push((feature.into(), rust_type.into()));
        self
    }

    /// Adds a derive to `FlagName` (which always derives `Clone`, `Copy`, `Debug`,
    /// `PartialEq`, `Eq`, `Hash`, `PartialOrd` and `Ord`), e.g. `"serde::Serialize"`.
    pub fn derive_flag_name(mut self, path: impl Into<String>) -> Options {
        self.flag_name_derives.push(path.into());
        self
    }

    /// Adds a derive to `Context` (which always derives `Clone`, `Debug` and `Default`).
    pub fn derive_context(mut self, path: impl Into<String>) -> Options {
        self.context_derives.push(path.into());
        self
    }

    /// A JMESPath expression selecting the feature document inside a larger one (the
    /// reference's `envelope`, e.g. `features` in `{"log_level": "INFO", "features": {...}}`):
    /// the typed flags are generated for what it selects, and `DOCUMENT` is that part, as
    /// compact JSON. Give the store the same envelope (`FileStore::with_envelope`,
    /// `AppConfigStore::with_envelope`, …), so that it serves the same part at run time.
    /// With a plain field path, problems are located in the whole file
    /// (`config.json:12:7: /features/new_checkout/default: …`).
    pub fn envelope(mut self, expression: impl Into<String>) -> Options {
        self.envelope = Some(expression.into());
        self
    }

    /// Gives the feature or context key called `document_name` the Rust name `rust_name`: its
    /// accessor (or `Context` setter) is `rust_name`, its `FlagName` variant the `CamelCase`
    /// of it. For two names that would get the same Rust name (`dark-mode` and `dark_mode`),
    /// a name that would take a generated method's (`snapshot`), or one with no letters or
    /// digits (crate docs, "Names"). A name that is both a feature and a context key is
    /// renamed in both places.
    ///
    /// ```
    /// let code = ff_build::generate(
    ///     r#"{"dark-mode": {"default": true}, "dark_mode": {"default": false}}"#,
    ///     &ff_build::Options::new().rename("dark-mode", "dark_mode_legacy"),
    /// )
    /// .unwrap();
    /// assert!(code.contains("pub async fn dark_mode_legacy(&self"));
    /// assert!(code.contains("pub async fn dark_mode(&self"));
    /// ```
    ///
    /// The build fails ([`crate::Error::Options`]) when the document has no feature or
    /// context key `document_name`, or when `rust_name` is not a `snake_case` identifier
    /// (lowercase ASCII letters, digits and single underscores, starting with a letter; a
    /// keyword becomes a raw identifier).
    pub fn rename(mut self, document_name: impl Into<String>, rust_name: impl Into<String>) -> Options {
        self.renames.push((document_name.into(), rust_name.into()));
        self
    }
}
