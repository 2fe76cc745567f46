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
    pub(crate) warn_unused: bool,
    pub(crate) format: Option<Format>,
}

/// The format of the document ([`Options::format`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The Powertools feature flags document (`{FEATURE: {"default": …, "rules": …}}`).
    Powertools,
    /// AWS AppConfig's own feature flags format: a stored `AWS.AppConfig.FeatureFlags`
    /// document (`{"version": "1", "flags": …, "values": …}`, crate docs, "AppConfig feature
    /// flags"). The generated `Flags::new` reads the live document in that format (the
    /// retrieval format `{KEY: {"enabled": …, ATTR: …}}` or a stored document).
    AppConfig,
}

impl Format {
    /// `"powertools"` or `"appconfig"`: the name of [`Options::set`] and `#[feature_flags]`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Powertools => "powertools",
            Format::AppConfig => "appconfig",
        }
    }

    /// The format called `name` (`"powertools"`, `"appconfig"`).
    pub fn from_name(name: &str) -> Option<Format> {
        match name {
            "powertools" => Some(Format::Powertools),
            "appconfig" => Some(Format::AppConfig),
            _ => None,
        }
    }
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

    /// Lets rustc warn about every feature the crate never reads (default `false`): with
    /// `true`, each feature gets a private function `feature_NAME` (`NAME` its accessor's name
    /// without a leading `_` or `r#`) that its accessors call (`NAME` and `NAME_details`, on
    /// `Flags` and on `FlagsSnapshot`) and nothing else does, so that rustc's `dead_code` lint
    /// reports, once per feature the crate never reads through any of them:
    ///
    /// ```text
    /// warning: function `feature_new_checkout` is never used
    /// ```
    ///
    /// Setting a feature in `FlagsForTests`, naming its `FlagName` and the generated code
    /// itself (`enabled_features`, drift detection, `check_values`) are not reads. The
    /// environment variable `FF_WARN_UNUSED=1` turns it on for every document of a build
    /// (`ff stale FILE --crate PATH` sets it); the generated code tells cargo to rebuild when
    /// that variable changes.
    ///
    /// Limits: rustc reports only what the crate cannot export, so a library that makes the
    /// generated module reachable from outside (`pub mod flags` with the default visibility
    /// `pub`) gets no warnings: give the module no `pub` or use `visibility("pub(crate)")`.
    /// A crate that denies `dead_code` (or `warnings`) fails to build on an unread feature.
    /// The generated code then wraps each accessor in a macro of `ff_runtime` (whose
    /// expansion rustc does not report about), so `ff generate --warn-unused` prints the
    /// accessors less legibly. Crate docs, "Unused flags", for how it works.
    pub fn warn_unused(mut self, warn: bool) -> Options {
        self.warn_unused = warn;
        self
    }

    /// The document's format. Without it (the default), a document with `"version": "1"`,
    /// an object `"flags"` and an object `"values"` is read as an AppConfig feature flags
    /// document ([`ff_runtime::native::is_stored_document`]), any other as a Powertools one.
    pub fn format(mut self, format: Format) -> Options {
        self.format = Some(format);
        self
    }

    /// Turns [`Options::warn_unused`] on when the environment variable [`WARN_UNUSED_ENV`]
    /// (`FF_WARN_UNUSED`) is `1` or `true`; leaves the options as they are otherwise. The
    /// build script's [`crate::Builder`] and `#[feature_flags]` call it, and tell cargo to
    /// rebuild when the variable changes.
    pub fn warn_unused_from_env(self) -> Options {
        match std::env::var(WARN_UNUSED_ENV) {
            Ok(value) if matches!(value.trim(), "1" | "true") => self.warn_unused(true),
            _ => self,
        }
    }
}

/// `FF_WARN_UNUSED`: set to `1` (or `true`), it turns [`Options::warn_unused`] on for every
/// document a build generates, without changing the crate (`ff stale FILE --crate PATH`
/// sets it).
pub const WARN_UNUSED_ENV: &str = "FF_WARN_UNUSED";

/// The value of an option given by name ([`Options::set`]): how `#[feature_flags]` writes
/// it, `name = "value"` or `name(key = "value", …)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OptionValue {
    /// `visibility = "pub(crate)"`.
    Str(String),
    /// `value_type(discount = "f64", "checkout-layout" = "crate::Layout")`.
    Pairs(Vec<(String, String)>),
    /// `warn_unused = true`.
    Bool(bool),
}

/// Whether an option takes a string or `key = "value"` pairs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionShape {
    /// `name = "value"`.
    Str,
    /// `name(key = "value", …)`: the key is a feature or context name.
    Pairs,
    /// `name = true` or `name = false`.
    Bool,
}

/// Every option of [`Options`] that can be given by name: the one definition that
/// `#[feature_flags]` parses its arguments with, so the macro offers exactly the options of
/// [`Options`] and [`crate::Builder`]. `(name, shape, example)`.
pub const OPTIONS: &[(&str, OptionShape, &str)] = &[
    ("visibility", OptionShape::Str, r#"visibility = "pub(crate)""#),
    ("value_type", OptionShape::Pairs, r#"value_type(checkout_layout = "crate::Layout")"#),
    ("rename", OptionShape::Pairs, r#"rename("dark-mode" = "dark_mode_legacy")"#),
    ("derive_flag_name", OptionShape::Str, r#"derive_flag_name = "serde::Serialize""#),
    ("derive_context", OptionShape::Str, r#"derive_context = "serde::Serialize""#),
    ("envelope", OptionShape::Str, r#"envelope = "features""#),
    ("source_name", OptionShape::Str, r#"source_name = "flags.json""#),
    ("warn_unused", OptionShape::Bool, "warn_unused = true"),
    ("format", OptionShape::Str, r#"format = "appconfig""#),
];

impl Options {
    /// Sets the option called `name` (one of [`OPTIONS`]) to `value`, as the method of that
    /// name does (`Pairs` call it once per pair), after checking what can be checked
    /// without the document: the shape, and that a visibility, derive path, type or Rust name
    /// parses.
    ///
    /// ```
    /// use ff_build::{OptionValue, Options};
    /// let options = Options::new().set("visibility", OptionValue::Str("pub(crate)".into())).unwrap();
    /// let err = options.set("visiblity", OptionValue::Str("pub".into())).unwrap_err();
    /// assert!(err.starts_with("unknown option `visiblity`: did you mean `visibility`?"), "{err}");
    /// ```
    ///
    /// # Errors
    /// One line saying what is wrong and how the option is written: an unknown name (with the
    /// closest known one), a string for a `Pairs` option or pairs for a `Str` one, or a value
    /// that does not parse.
    pub fn set(self, name: &str, value: OptionValue) -> Result<Options, String> {
        let Some(&(_, shape, example)) = OPTIONS.iter().find(|(n, _, _)| *n == name) else {
            return Err(unknown_option(name));
        };
        match (shape, value) {
            (OptionShape::Str, OptionValue::Str(value)) => {
                check(name, &value)?;
                Ok(match name {
                    "visibility" => self.visibility(value),
                    "derive_flag_name" => self.derive_flag_name(value),
                    "derive_context" => self.derive_context(value),
                    "envelope" => self.envelope(value),
                    "format" => self.format(Format::from_name(&value).expect("checked")),
                    _ => self.source_name(value),
                })
            }
            (OptionShape::Pairs, OptionValue::Pairs(pairs)) => {
                let mut options = self;
                for (key, value) in pairs {
                    check(name, &value)?;
                    options = if name == "rename" { options.rename(key, value) } else { options.value_type(key, value) };
                }
                Ok(options)
            }
            (OptionShape::Bool, OptionValue::Bool(value)) => Ok(self.warn_unused(value)),
            (OptionShape::Str, _) => Err(format!("option `{name}` takes a string: `{example}`")),
            (OptionShape::Pairs, _) => {
                Err(format!("option `{name}` takes `name = \"value\"` pairs in parentheses: `{example}`"))
            }
            (OptionShape::Bool, _) => Err(format!("option `{name}` takes `true` or `false`: `{example}`")),
        }
    }
}

/// Checks the syntax of a string option's value.
fn check(name: &str, value: &str) -> Result<(), String> {
    let parsed = match name {
        "visibility" => syn::parse_str::<syn::Visibility>(value).map(drop).map_err(|e| format!("not a Rust visibility: {e}")),
        "derive_flag_name" | "derive_context" => {
            syn::parse_str::<syn::Path>(value).map(drop).map_err(|e| format!("not a path to a derive macro: {e}"))
        }
        "value_type" => syn::parse_str::<syn::Type>(value).map(drop).map_err(|e| format!("not a Rust type: {e}")),
        "format" => match Format::from_name(value) {
            Some(_) => Ok(()),
            None => Err("not a document format: \"powertools\" or \"appconfig\"".to_owned()),
        },
        "rename" => crate::names::rename_target(value).map(drop).map_err(|e| e.trim_start_matches(&format!("{value:?} is ")).to_owned()),
        _ => Ok(()),
    };
    parsed.map_err(|why| format!("{name}: {value:?} is {why}"))
}

/// `unknown option `x``, with the closest known name when there is one.
fn unknown_option(name: &str) -> String {
    let closest = OPTIONS
        .iter()
        .map(|(known, _, _)| (strsim::damerau_levenshtein(name, known), *known))
        .filter(|&(distance, known)| distance <= 2.max(known.len() / 3))
        .min();
    let names: Vec<&str> = OPTIONS.iter().map(|(n, _, _)| *n).collect();
    match closest {
        Some((_, known)) => format!("unknown option `{name}`: did you mean `{known}`? (options: {})", names.join(", ")),
        None => format!("unknown option `{name}` (options: {})", names.join(", ")),
    }
}
