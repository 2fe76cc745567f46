//! ff-build: typed feature flags for Rust, generated at build time from a feature flags
//! document (the JSON format of the Powertools for AWS Lambda (Python) feature-flags utility).
//!
//! The document is read when your crate builds. Every feature gets a typed accessor, every
//! context key the rules read gets a typed field, and removing a feature from the document
//! turns every use of it into a compile error. At run time the live document (from AWS
//! AppConfig, a file, memory or your own store) is evaluated by [`ff_runtime`].
//!
//! # Walkthrough
//!
//! A document, `flags.json`, next to your `Cargo.toml`:
//!
//! ```json
//! {
//!   "new_checkout": {
//!     "default": false,
//!     "rules": {
//!       "premium customers": {
//!         "when_match": true,
//!         "conditions": [{ "action": "EQUALS", "key": "tier", "value": "premium" }]
//!       }
//!     }
//!   },
//!   "discount_level": {
//!     "boolean_type": false,
//!     "default": 0,
//!     "rules": {
//!       "large baskets": {
//!         "when_match": 10,
//!         "conditions": [{ "action": "KEY_GREATER_THAN_OR_EQUAL_VALUE", "key": "basket_size", "value": 100 }]
//!       }
//!     }
//!   }
//! }
//! ```
//!
//! `Cargo.toml`:
//!
//! ```toml
//! [dependencies]
//! ff-runtime = "0.1"
//!
//! [build-dependencies]
//! ff-build = "0.1"
//! ```
//!
//! `build.rs` writes `$OUT_DIR/flags.rs`:
//!
//! ```
//! # let dir = std::env::temp_dir().join(format!("ff-build-doc-{}", std::process::id()));
//! # std::fs::create_dir_all(&dir).unwrap();
//! # std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/readme/flags.json"), dir.join("flags.json")).unwrap();
//! # let schema = dir.join("flags.json");
//! # let builder = ff_build::Builder::new().out_dir(&dir).emit_cargo_directives(false);
//! # /*
//! fn main() -> Result<(), ff_build::Error> {
//!     ff_build::Builder::new().schema("flags.json").compile()?;
//!     Ok(())
//! }
//! # */
//! # let path = builder.schema(&schema).compile().unwrap();
//! # assert!(std::fs::read_to_string(path).unwrap().contains("pub async fn new_checkout("));
//! # std::fs::remove_dir_all(&dir).ok();
//! ```
//!
//! and `src/main.rs` includes it and calls the accessors:
//!
//! ```
//! # mod flags { include!("../tests/readme/flags.rs"); } /*
//! mod flags {
//!     include!(concat!(env!("OUT_DIR"), "/flags.rs"));
//! }
//! # */
//!
//! use ff_runtime::MemoryStore;
//!
//! # futures_executor::block_on(async {
//! // Any store: ff_runtime::FileStore, the AppConfig stores, MemoryStore, your own.
//! let store = MemoryStore::from_json(flags::DOCUMENT).unwrap();
//! let flags = flags::Flags::new(store);
//!
//! let ctx = flags::Context::new().tier("premium").basket_size(120);
//! assert!(flags.new_checkout(&ctx).await);                // bool
//! let level: i64 = flags.discount_level(&ctx).await;     // inferred from the document
//! assert_eq!(level, 10);
//! assert_eq!(
//!     flags.enabled_features(&ctx).await,
//!     [flags::FlagName::NewCheckout, flags::FlagName::DiscountLevel]
//! );
//!
//! // One consistent, synchronous view for a request or a hot loop:
//! let snapshot = flags.snapshot().await;
//! assert_eq!(snapshot.discount_level(&flags::Context::new()), 0);
//!
//! // Unit tests of your own code force values, no store needed:
//! let forced = flags::Flags::for_tests().new_checkout(false).discount_level(3).build();
//! assert!(!forced.new_checkout(&ctx).await);
//! assert_eq!(forced.discount_level(&ctx).await, 3);
//! # });
//! ```
//!
//! The `#[feature_flags("flags.json")] mod flags {}` attribute of the `ff-macros` crate
//! generates the same code without a build script.
//!
//! # What is generated
//!
//! Every item has a doc comment with the feature's name, type, default and rules.
//!
//! * `DOCUMENT`: the document's text, compiled in.
//! * `FlagName`: an enum of the features in document order, with `as_str()`, `from_name()`,
//!   `ALL` and `Display`.
//! * `Context<'a>`: one `Option` field per context key that a non-time condition reads,
//!   typed from the values the rules compare it with, with a setter each
//!   (`Context::new().tier("premium").basket_size(120)`), `with(key, value)` for keys only a
//!   newer live document uses, and an `ff_runtime::Context` implementation that copies and
//!   allocates nothing.
//! * `Flags`: wraps [`ff_runtime::FeatureFlags`]; one type over any store
//!   (`Flags::new(FileStore::new("flags.json"))` in production and `Flags::for_tests().build()`
//!   in tests are both `Flags`); one `async` accessor per feature, `ready()` (start-up: the
//!   first fetch's error instead of silent defaults), `snapshot()`,
//!   `enabled_features(&ctx) -> Vec<FlagName>`, `feature_flags()` for the dynamic API,
//!   `for_tests()`.
//! * `FlagsSnapshot`: the same accessors, synchronous, against one document; `bool`, `i64`,
//!   `f64` and `&str` accessors allocate nothing.
//! * `FlagsForTests`: `Flags::for_tests().new_checkout(true).discount_level(3).build()` gives
//!   `Flags` over a `MemoryStore` serving the compiled-in document with those features forced (and
//!   `.clock(..)` for the schedule conditions).
//!
//! # Defaults and drift
//!
//! An accessor returns the value the live document gives. It returns the compiled-in
//! `default` instead when the live document has no such feature, gives it a value of another
//! type (a string where the compiled document had integers), or no document could be fetched
//! (a store failure, or an invalid document with no earlier good one). The first two are
//! *drift* between the build and the live document, logged with `tracing::warn!` once per
//! fetched document and feature; fetch failures are logged by [`ff_runtime::FeatureFlags`].
//!
//! # How accessors evaluate
//!
//! The generated code resolves each live document once (on its first typed read) against
//! what it was compiled from: where each feature is, and which `Context` field serves each
//! context key. A feature that the live document has exactly as compiled, and whose
//! conditions compare string or integer fields with strings or integers (`EQUALS`,
//! `NOT_EQUALS`, the orderings, `STARTSWITH`, `ENDSWITH`, the `IN` family, `MODULO_RANGE`), is
//! then evaluated by Rust code generated for its rules, on the typed fields; any other
//! feature, or one that the live document changed, is evaluated by [`ff_runtime`]'s engine,
//! with the same result. Either way a read takes no lock and allocates nothing.
//!
//! # Value types
//!
//! A boolean feature's accessor returns `bool`. A non-boolean feature's type comes from its
//! `default` and every rule's `when_match` (a rule without `when_match` gives `null`):
//!
//! | values | accessor (`Flags`) | snapshot (`FlagsSnapshot`) |
//! | --- | --- | --- |
//! | all booleans | `bool` | `bool` |
//! | all integers within `i64` | `i64` | `i64` |
//! | all numbers, some with a fraction or exponent | `f64` | `f64` |
//! | all strings | `String` | `&str` |
//! | all objects (the `default` is one) | a generated struct, `{Variant}Value` | the same, owned |
//! | anything else: lists, `null`, bigger integers, mixed types | `ff_runtime::Value` | `&ff_runtime::Value` |
//!
//! # Generated value types
//!
//! An object-valued feature gets a `serde` struct generated from the shapes of its `default`
//! and `when_match` values ([`shapes`]): named after its `FlagName` variant
//! (`checkout_layout` → `CheckoutLayoutValue`), a nested object is a nested struct named by
//! its path (`CheckoutLayoutThemeValue`), a list a `Vec<T>` of the unified element type, a
//! member absent from some values an `Option<T>`, integers and numbers together `f64`. Field
//! names are the `snake_case` of the keys (as context keys'), with `#[serde(rename = "key")]`.
//! The structs derive `Clone`, `Debug`, `Default`, `PartialEq`, `Serialize` and `Deserialize`
//! through `ff_runtime::__private_v1::serde`, so the crate using them needs no `serde`
//! dependency. A member whose shapes conflict (a `null`, a string in one value and an object
//! in another, a list of mixed elements, an integer beyond `i64`) is an `ff_runtime::Value`
//! field; a feature some of whose values are not objects, or two of whose keys give one field
//! or struct name, keeps `ff_runtime::Value`. Each such case is in [`Model::warnings`]
//! (`cargo:warning` from [`Builder::compile`]) and in the accessor's doc comment.
//!
//! [`Builder::value_type`] names the type of a feature instead: a built-in from the table,
//! or any `serde` type (`"crate::Layout"`, `"Vec<String>"`), deserialized from the value.
//!
//! **Typed values never panic.** A built-in type that the feature's `default` or a
//! `when_match` is not fails the build, located (`flags.json:4:5: /limit/default:
//! value_type: feature "limit" cannot be i64: it has the value "10"`). A `serde` type
//! cannot be checked by the build (a build script cannot instantiate your type), so it must
//! implement `serde::de::DeserializeOwned`, `serde::Serialize` and `Default`, and the
//! generated `Flags::check_values()` checks every compiled-in value against it: call it at
//! start-up to fail fast (it needs no store); the generated code also holds a
//! `#[cfg(test)] #[test]` that runs it, so your crate's own `cargo test` fails on a value
//! that does not fit (from a build script's include and from `#[feature_flags]` alike).
//! Until it is fixed, an accessor serves the type's `Default` where the compiled-in
//! `default` does not fit (when no rule matches, or no document could be fetched) and the
//! compiled-in default where a `when_match` does not, each reported with `tracing::warn!`
//! (once per feature for the default).
//!
//! # Context fields
//!
//! Each condition asks a type of its context value; a key's field has the type its
//! conditions agree on:
//!
//! | action | condition value | field type |
//! | --- | --- | --- |
//! | `EQUALS`, `NOT_EQUALS`, `KEY_GREATER_THAN_VALUE` and the other comparisons | string / integer / number / boolean | `&'a str` / `Integer` / `f64` / `bool` |
//! | the same | a list of strings (integers, numbers, booleans) | `StrSlice<'a>` (`IntSlice<'a>`, `&'a [f64]`, `&'a [bool]`) |
//! | `STARTSWITH`, `ENDSWITH` | any | `&'a str` |
//! | `KEY_IN_VALUE`, `KEY_NOT_IN_VALUE`, `IN`, `NOT_IN` | a list | the element type |
//! | the same | a string (substring) or an object (key) | `&'a str` |
//! | `VALUE_IN_KEY`, `VALUE_NOT_IN_KEY` | a string (integer, …) | `StrSlice<'a>` (`IntSlice<'a>`, …) |
//! | `ANY_IN_VALUE`, `ALL_IN_VALUE`, `NONE_IN_VALUE` | a list | a list of the element type |
//! | `MODULO_RANGE` | any | `Integer` |
//! | the three `SCHEDULE_*` actions | | no field: they read the clock |
//!
//! The setters take what a service holds, borrowed, with nothing copied when the rules read
//! it: a string key takes a `&str` (or `&String`); an integer key ([`ff_runtime::Integer`])
//! any primitive integer type, `i8` to `i128`, `u8` to `u128`, `isize`, `usize`, exactly (a
//! `u64` above `i64::MAX` stays that number); a list of strings ([`ff_runtime::StrSlice`])
//! a slice, `&Vec` or array of `&str`, `String`, `Box<str>`, `Arc<str>` or `Cow<str>`; a list
//! of integers ([`ff_runtime::IntSlice`]) one of any primitive integer type but `u128`.
//! (An integer literal beyond `i32` needs a suffix, `.user_id(5_000_000_000u64)`, and an
//! empty list its element type, `.groups(&[] as &[&str])`: the setters are generic.)
//!
//! Objects, integers beyond `i64` and lists of mixed types make the field an owned
//! `ff_runtime::Value` (its setter takes anything `Into<Value>`). Integers and numbers agree
//! on `f64`. **Conflicting types** (a key compared with a string by one rule and with an
//! integer by another) make the field `ff_runtime::Value` too; its doc comment names the
//! conflicting conditions, and [`Builder::compile`] prints a `cargo:warning`.
//!
//! # Names
//!
//! A feature's accessor (on `Flags`, `FlagsSnapshot` and `FlagsForTests`) and a context
//! key's field and setter are the `snake_case` of its name; a feature's `FlagName` variant
//! is the `CamelCase`. A name's Rust form depends on that name alone, never on the other
//! names of the document:
//!
//! * **Words.** Non-ASCII letters are transliterated to ASCII first (with the `deunicode`
//!   crate: `größe-limit` → `grosse_limit` / `GrosseLimit`, `日本` → `ri_ben`, `🚀` →
//!   `rocket`). The name is then split into words at every character that is not an ASCII
//!   letter or digit and at case changes: `newCheckout`, `NewCheckout`, `new-checkout`,
//!   `new.checkout` and `NEW_CHECKOUT` all give `new_checkout` / `NewCheckout`
//!   (`HTTPServerV2` gives `http_server_v2`).
//! * **Digits and keywords.** A name starting with a digit gets a leading underscore (`2fa`
//!   → `_2fa` / `_2fa`); a Rust keyword becomes a raw identifier (`type` → `r#type`), except
//!   `self`, `Self`, `super` and `crate`, which get a trailing underscore (`self_`,
//!   `Self_`).
//! * **Collisions are errors.** Two features that would get the same accessor or variant
//!   (`dark-mode` and `dark_mode`, or `a1` and `a_1`, which both give `A1`), two context keys
//!   that would get the same setter (`user-id` and `user_id`), a feature named like a method
//!   of the generated types ([`model::RESERVED_ACCESSORS`]: `new`, `snapshot`, `build`,
//!   `clock`, `enabled_features`, `feature_flags`, `for_tests`, …), a context key named like
//!   one of `Context`'s ([`model::RESERVED_FIELDS`]: `new`, `with`, …), and a name with no
//!   letters or digits even transliterated (`""`, `"--"`) fail the build with
//!   [`Error::Names`], which names both document names, the Rust name, and the rename that
//!   fixes it:
//!
//!   ```text
//!   features "dark_mode" and "dark-mode" would both get the accessor `dark_mode`: rename it:
//!   `.rename("dark-mode", "dark_mode_2")` on ff_build::Builder or Options, …
//!   ```
//!
//!   So adding a feature never silently moves an accessor, variant or setter that code
//!   already calls onto another feature or key: it compiles to the same feature, or the
//!   build fails.
//! * **Renames.** [`Builder::rename`] / [`Options::rename`] (`rename("dark-mode" =
//!   "dark_mode_legacy")` in `#[feature_flags]`, `--rename dark-mode=dark_mode_legacy` for
//!   `ff generate`) give a feature or context key the Rust name you choose: a `snake_case`
//!   identifier (lowercase ASCII letters, digits and single underscores, starting with a
//!   letter; a keyword becomes raw); the variant is its `CamelCase` (`DarkModeLegacy`). A
//!   rename of a name the document does not have, or to a name that is not such an
//!   identifier, is an [`Error::Options`].
//!
//! ```
//! let doc = r#"{"dark-mode": {"default": true}, "dark_mode": {"default": false}}"#;
//! let err = ff_build::generate(doc, &ff_build::Options::new()).unwrap_err();
//! assert!(matches!(err, ff_build::Error::Names(_)));
//! assert!(err.lines()[0].contains("\"dark_mode\" and \"dark-mode\" would both get the accessor `dark_mode`"));
//!
//! let renamed = ff_build::Options::new().rename("dark-mode", "dark_mode_legacy");
//! let code = ff_build::generate(doc, &renamed).unwrap();
//! assert!(code.contains("pub async fn dark_mode_legacy(&self, ctx: &Context<'_>) -> bool"));
//! assert!(code.contains("DarkModeLegacy => \"dark-mode\""));
//! ```
//!
//! # Unused flags
//!
//! With [`Builder::warn_unused`] (`warn_unused = true` in `#[feature_flags]`, or the
//! environment variable `FF_WARN_UNUSED=1` for any build), rustc warns once about each
//! feature the crate never reads, naming it after its accessor:
//!
//! ```text
//! warning: function `feature_new_checkout` is never used
//! ```
//!
//! A read is a call of one of the feature's accessors (`NAME` or `NAME_details`, on `Flags`
//! or `FlagsSnapshot`); forcing it in
//! `FlagsForTests`, naming its `FlagName` and the generated code's own reads
//! (`enabled_features`, drift reports, `check_values`) are not. The structure that makes it
//! one warning per feature ([`Options::warn_unused`]): each feature gets a private, empty
//! function `feature_NAME` that its four accessors call and nothing else does; the accessors
//! are emitted through a `macro_rules!` macro of `ff_runtime` (rustc does not report dead
//! code defined by another crate's macro, so an unread accessor is silent) outside the
//! `#[allow(dead_code)]` that the other generated items keep (rustc treats an allowed item as
//! used, and everything it calls); `#[feature_flags]` gives the functions the span of its
//! path literal (rustc does not report about an attribute macro's own tokens).
//!
//! Limits: rustc reports only what the crate cannot export, so a library whose flags module
//! is reachable from other crates with `pub` items gets no warnings (use
//! `visibility("pub(crate)")` or a private module); each compiled target is judged alone (a
//! feature only the tests read warns in `cargo build`); a crate denying `dead_code` or
//! `warnings` fails to build on an unread feature. Without the option the generated code is
//! as before: warning-free, its accessors in the `#[allow(dead_code)]` impls. `ff stale FILE
//! --crate PATH` lists the features a crate never reads from these warnings.
//!
//! # AppConfig feature flags
//!
//! AWS AppConfig's own feature-flag format (configuration profiles of type
//! `AWS.AppConfig.FeatureFlags`, edited in the AWS console) is generated too: a stored
//! document (`{"version": "1", "flags": {…}, "values": {…}}`, [`ff_runtime::native`]) is
//! recognised by its shape, or named with [`Options::format`] ([`Builder::format`],
//! `format = "appconfig"` in `#[feature_flags]`, `ff generate --format appconfig`). It is
//! validated as AWS validates an upload, every problem located. Per flag KEY:
//!
//! * a struct named after the key's `CamelCase` (its `FlagName` variant), with
//!   `pub enabled: bool` and one field per attribute, typed from its constraints
//!   ([`appconfig`]: `i64` for a number whose every value and bound is an integer, else
//!   `f64`; `String`, or a generated enum `{Flag}{Attribute}` for a string with `enum`;
//!   `bool`; `Vec<_>` for an array; `ff_runtime::Value` without constraints), each in `Option`
//!   unless `required`; doc comments from the flag's name and description and each attribute's
//!   description and constraint. Its `Default` is the compiled-in values (a multi-variant
//!   flag's: its default variant's);
//! * `Flags::KEY(&ctx)` and `FlagsSnapshot::KEY(&ctx)` returning it, their `*_details` twins
//!   (`ff_runtime::Details<Struct>`), a `FlagName` variant, a `FlagsForTests` setter taking the
//!   struct; `_deprecation` makes the accessors `#[deprecated]`;
//! * a typed `Context` field per context key that variant rules read (`$tier` → `tier`: a
//!   string, a number (`f64`) or a boolean as the rule compares it; `ff_runtime::Value` where it
//!   does not say).
//!
//! For the flag `checkout` of `tests/fixtures/native/flags.json` (attributes `max_items`,
//! number 1..100, required; `theme`, string enum, required; `banner`, string):
//!
//! ```text
//! pub struct Checkout { pub enabled: bool, pub max_items: i64, pub theme: CheckoutTheme, pub banner: Option<String>, … }
//! pub enum CheckoutTheme { Light, Dark, HighContrast }           // as_str(), ALL, Display
//! impl Flags { pub async fn checkout(&self, ctx: &Context<'_>) -> Checkout;
//!              pub async fn checkout_details(&self, ctx: &Context<'_>) -> ff_runtime::Details<'static, Checkout>; }
//! impl FlagsSnapshot { pub fn checkout(&self, ctx: &Context<'_>) -> Checkout; … }
//! ```
//!
//! The generated `Flags::new` reads the live document in AppConfig's format
//! (`ff_runtime::DocumentFormat::AppConfigFeatureFlags`): the retrieval format
//! `{KEY: {"enabled": …, ATTR: …}}` of `AppConfigStore` and `AppConfigAgentStore`, or a stored
//! document in a file. Each field is read from the live flag on its own, and nothing panics: an
//! attribute the live flag lacks is its compiled-in value when required (the retrieval format
//! drops the attributes of a disabled flag) and `None` when optional; an attribute of another
//! type (or a string outside a generated enum) keeps its compiled-in value, and the details say
//! `TYPE_MISMATCH` naming it (logged once per document and flag, as a mistyped Powertools
//! feature is); a missing flag gives the struct's `Default` (`FLAG_NOT_FOUND`).
//! `enabled_features` lists the flags whose `enabled` is true.
//!
//! Multi-variant flags are evaluated by the AppConfig Agent only (ff never evaluates variant
//! rules): read through another store, or through `FlagsSnapshot`, a multi-variant flag is what
//! AWS serves without context, its default variant.
//!
//! # Errors
//!
//! An invalid document fails the build with every problem, one per line, as
//! `FILE:LINE:COL: POINTER: message` (the validation is [`ff_runtime::Document::parse`], the
//! same the runtime applies to live documents).

#![warn(missing_docs)]

pub mod appconfig;
mod builder;
mod codegen;
mod error;
pub mod model;
mod names;
mod options;
pub mod shapes;

pub use builder::Builder;
pub use error::Error;
pub use model::Model;
pub use options::{Format, OptionShape, OptionValue, Options, OPTIONS, WARN_UNUSED_ENV};
pub use proc_macro2::TokenStream;

/// The crate's README (its package's readme on crates.io): its Rust snippets compiled as
/// doctests so that they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

use ff_runtime::Document;

/// The generated items for one document, before formatting.
pub struct Generated {
    /// The items, to be placed in a module of their own.
    pub tokens: TokenStream,
    /// With [`Options::warn_unused`], one private function per feature (`feature_NAME`)
    /// that its accessors call, to be placed in the same module as [`Generated::tokens`]; rustc
    /// reports those the crate never calls. Apart so that a macro can give them spans of its
    /// input (rustc does not report about an attribute macro's own tokens). Empty without
    /// the option.
    pub markers: TokenStream,
    /// The names and types that were chosen, and any warnings.
    pub model: Model,
    /// What the reference accepts but is most likely a mistake (`ff_runtime::lint`): unknown
    /// keys near known ones, repeated keys. [`Builder`] prints them as `cargo:warning=`
    /// lines and `#[feature_flags]` as compiler warnings; they never fail the build.
    pub lints: Vec<ff_runtime::Warning>,
}

/// Validates the document `text` and generates its typed flags as tokens (for the
/// `#[feature_flags]` macro and tools).
///
/// # Errors
/// [`Error::Schema`] with every problem of an invalid document (located with
/// [`Options::source_name`] as the file name), [`Error::Options`], or [`Error::Names`]
/// when names collide (crate docs, "Names").
pub fn generate_tokens(text: &str, options: &Options) -> Result<Generated, Error> {
    let named = |err: ff_runtime::SchemaError| match &options.source_name {
        Some(name) => err.with_source_name(name.clone()),
        None => err,
    };
    if is_appconfig(text, options) {
        return generate_appconfig(text, options, named);
    }
    let (document, text, lints) = match &options.envelope {
        None => (Document::parse(text).map_err(named)?, std::borrow::Cow::Borrowed(text), ff_runtime::lint::lint(text)),
        Some(expression) => {
            let envelope = ff_runtime::Envelope::new(expression).map_err(|err| {
                Error::Options(vec![format!("envelope: {}", err.message.lines().next().unwrap_or_default().trim_end())])
            })?;
            let (document, selected) = envelope.parse_document(text).map_err(named)?;
            let lints = envelope.lint_selected(text, &selected);
            (document, std::borrow::Cow::Owned(selected.to_json()), lints)
        }
    };
    let model = Model::new(&document, options).map_err(|err| locate(err, &text, options))?;
    let (tokens, markers) = codegen::generate(&document, &text, &model, options)?;
    Ok(Generated { tokens, markers, model, lints })
}

/// Whether `text` is generated as an AppConfig feature flags document: the option
/// [`Options::format`] says so, or, without it, the document is a stored
/// `AWS.AppConfig.FeatureFlags` document ([`ff_runtime::native::is_stored_document`]).
fn is_appconfig(text: &str, options: &Options) -> bool {
    match options.format {
        Some(format) => format == Format::AppConfig,
        None => ff_runtime::Value::from_json(text).is_ok_and(|value| ff_runtime::native::is_stored_document(&value)),
    }
}

/// [`generate_tokens`] for a stored `AWS.AppConfig.FeatureFlags` document (crate docs,
/// "AppConfig feature flags").
fn generate_appconfig(
    text: &str,
    options: &Options,
    named: impl Fn(ff_runtime::SchemaError) -> ff_runtime::SchemaError,
) -> Result<Generated, Error> {
    if options.envelope.is_some() {
        return Err(Error::Options(vec!["envelope: an AppConfig feature flags document is read whole (no envelope)".to_owned()]));
    }
    let stored = ff_runtime::native::parse_stored(text).map_err(named)?;
    let document = appconfig::document(&stored);
    let model = Model::appconfig(&stored, &document, options)?;
    let (tokens, markers) = codegen::generate(&document, text, &model, options)?;
    Ok(Generated { tokens, markers, model, lints: Vec::new() })
}

/// Locates the option problems that start with a JSON pointer into the document `text`
/// (a value that does not fit a `value_type`): `FILE:LINE:COL: POINTER: message`, as schema
/// problems are. Behind an envelope, the pointer alone (it points into the selected
/// document).
fn locate(err: Error, text: &str, options: &Options) -> Error {
    let Error::Options(problems) = err else { return err };
    if options.envelope.is_some() {
        return Error::Options(problems);
    }
    let locator = ff_runtime::json::Locator::new(text);
    let file = options.source_name.as_deref().unwrap_or("<document>");
    let problems = problems
        .into_iter()
        .map(|problem| {
            let Some(end) = problem.find(": value_type: ").filter(|_| problem.starts_with('/')) else { return problem };
            let pointer = &problem[..end];
            match locator.locate(&ff_runtime::json::pointer_segments(pointer)) {
                Some(at) => format!("{file}:{at}: {problem}"),
                None => problem,
            }
        })
        .collect();
    Error::Options(problems)
}

/// Validates the document `text` and returns its typed flags as Rust source: formatted with
/// `prettyplease`, starting with an `@generated` banner. This is what [`Builder::compile`]
/// writes and what `ff generate FILE` prints.
///
/// ```
/// let code = ff_build::generate(
///     r#"{"new_checkout": {"default": false}}"#,
///     &ff_build::Options::new().source_name("flags.json"),
/// )
/// .unwrap();
/// assert!(code.starts_with("// @generated by ff-build"));
/// assert!(code.contains("pub async fn new_checkout(&self, ctx: &Context<'_>) -> bool"));
///
/// let err = ff_build::generate(r#"{"x": {"default": null}}"#, &ff_build::Options::new().source_name("flags.json"))
///     .unwrap_err();
/// assert_eq!(err.lines()[0], "flags.json:1:8: /x/default: feature `x` needs a `default` (a boolean), found null");
/// ```
///
/// # Errors
/// As [`generate_tokens`].
pub fn generate(text: &str, options: &Options) -> Result<String, Error> {
    let generated = generate_tokens(text, options)?;
    Ok(format(&generated, options))
}

/// Formats generated tokens with `prettyplease`, after the banner.
pub(crate) fn format(generated: &Generated, options: &Options) -> String {
    let (tokens, markers) = (&generated.tokens, &generated.markers);
    let file: syn::File = syn::parse2(quote::quote!(#tokens #markers)).expect("the generator produces valid Rust");
    let source = options.source_name.as_deref().unwrap_or("a feature flags document");
    format!(
        "// @generated by ff-build {} from {source}. Do not edit: edit the document, and the build\n\
         // regenerates this file.\n\n{}",
        env!("CARGO_PKG_VERSION"),
        prettyplease::unparse(&file)
    )
}
