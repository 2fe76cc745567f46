//! The document and its [`Model`] → a `TokenStream`, one module per generated item:
//! `document` (`DOCUMENT` and the private helpers `__ff_drift`, `__ff_layout`,
//! `__ff_compiled`), `structs` (the generated value types), `flag_name` (`FlagName`),
//! `context` (`Context<'a>`), `flags` (`Flags`), `snapshot` (`FlagsSnapshot`) and
//! `for_tests` (`FlagsForTests`). `feature`
//! computes what each feature's accessors are made of, for the last three; `native`
//! translates a feature's rules into Rust; `docs` writes identifiers and doc comments;
//! `unused` lets rustc report the features a crate never reads (`warn_unused`).

mod appconfig;
mod context;
mod docs;
mod document;
mod feature;
mod flag_name;
mod flags;
mod for_tests;
mod lifecycle;
mod native;
mod snapshot;
mod structs;
mod unused;

use ff_runtime::Document;
use proc_macro2::TokenStream;
use quote::quote;

use crate::error::Error;
use crate::model::{Model, ValueType};
use crate::options::Options;

/// What every generator reads: the document, its model and the parsed options.
struct Ctx<'a> {
    document: &'a Document,
    model: &'a Model,
    options: &'a Options,
    /// The document's name in the generated docs.
    source: String,
    /// The generated items' visibility.
    vis: TokenStream,
    flag_name_derives: Vec<syn::Path>,
    context_derives: Vec<syn::Path>,
    /// The `serde` value types (named in the build, or generated structs), by feature name.
    serde_types: Vec<(String, syn::Type)>,
    /// The date expiry dates are compared with (see [`lifecycle::today`]).
    today: ff_runtime::document::metadata::Date,
}

impl Ctx<'_> {
    /// The parsed `serde` type of feature `name` (one whose value type is `Serde` or `Struct`).
    fn serde_type(&self, name: &str) -> &syn::Type {
        &self.serde_types.iter().find(|(n, _)| n == name).expect("parsed in Ctx::new").1
    }
}

impl<'a> Ctx<'a> {
    /// Parses the options that are Rust syntax.
    ///
    /// # Errors
    /// [`Error::Options`] with every visibility, derive path or value type that does not parse.
    fn new(document: &'a Document, model: &'a Model, options: &'a Options) -> Result<Ctx<'a>, Error> {
        let mut problems = Vec::new();
        let vis: TokenStream = match options.visibility.as_deref() {
            None => quote!(pub),
            Some(v) => match syn::parse_str::<syn::Visibility>(v) {
                Ok(vis) => quote!(#vis),
                Err(err) => {
                    problems.push(format!("visibility: {v:?} is not a Rust visibility: {err}"));
                    TokenStream::new()
                }
            },
        };
        let mut derive_paths = |paths: &[String], what: &str| -> Vec<syn::Path> {
            paths
                .iter()
                .filter_map(|p| match syn::parse_str::<syn::Path>(p) {
                    Ok(path) => Some(path),
                    Err(err) => {
                        problems.push(format!("{what}: {p:?} is not a path to a derive macro: {err}"));
                        None
                    }
                })
                .collect()
        };
        let flag_name_derives = derive_paths(&options.flag_name_derives, "derive_flag_name");
        let context_derives = derive_paths(&options.context_derives, "derive_context");
        let mut serde_types = Vec::new();
        for feature in &model.features {
            if let ValueType::Serde(path) | ValueType::Struct(path) = &feature.value_type {
                match syn::parse_str::<syn::Type>(path) {
                    Ok(ty) => serde_types.push((feature.name.clone(), ty)),
                    Err(err) => problems.push(format!("value_type: {path:?} (feature {:?}) is not a Rust type: {err}", feature.name)),
                }
            }
        }
        let today = lifecycle::today(document).unwrap_or_else(|problem| {
            problems.push(problem);
            ff_runtime::document::metadata::Date::new(1970, 1, 1).expect("a date")
        });
        if !problems.is_empty() {
            return Err(Error::Options(problems));
        }
        Ok(Ctx {
            document,
            model,
            options,
            source: options.source_name.clone().unwrap_or_else(|| "the feature flags document".to_owned()),
            vis,
            flag_name_derives,
            context_derives,
            serde_types,
            today,
        })
    }
}

/// Generates the items for `document` (whose JSON is `text`), and apart the `warn_unused`
/// markers (empty without it; see `unused`), which belong in the same module.
///
/// # Errors
/// [`Error::Options`] when an option that is Rust syntax does not parse.
pub(crate) fn generate(
    document: &Document,
    text: &str,
    model: &Model,
    options: &Options,
) -> Result<(TokenStream, TokenStream), Error> {
    let cx = Ctx::new(document, model, options)?;
    let features = feature::features(&cx);
    let items = [
        document::tokens(&cx, text),
        flag_name::tokens(&cx),
        structs::tokens(&cx),
        appconfig::tokens(&cx),
        context::tokens(&cx),
        flags::tokens(&cx, &features),
        snapshot::tokens(&cx, &features),
        for_tests::tokens(&cx, &features),
    ];
    Ok((items.into_iter().collect(), unused::markers(&features)))
}
