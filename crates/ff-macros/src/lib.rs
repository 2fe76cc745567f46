//! `#[feature_flags("flags.json")]`: typed feature flags for Rust, generated when the crate
//! compiles, without a build script.
//!
//! ```
//! use ff_macros::feature_flags;
//!
//! /// The shop's feature flags.
//! #[feature_flags("tests/flags.json")] // relative to this crate's Cargo.toml
//! mod flags {}
//!
//! # futures_executor::block_on(async {
//! let store = ff_runtime::MemoryStore::from_json(flags::DOCUMENT).unwrap();
//! let flags = flags::Flags::new(store);
//! let ctx = flags::Context::new().tier("premium").basket_size(120);
//! assert!(flags.new_checkout(&ctx).await);
//! assert_eq!(flags.discount_level(&ctx).await, 10);
//!
//! let forced = flags::Flags::for_tests().discount_level(3).build();
//! assert_eq!(forced.discount_level(&ctx).await, 3);
//! # });
//! ```
//!
//! The module receives exactly what `ff_build::Builder` writes for a build script
//! (`DOCUMENT`, `FlagName`, `Context`, `Flags`, `FlagsSnapshot`, `FlagsForTests`; see the
//! `ff-build` crate docs for the types, names and defaults), after any items already in it.
//! The crate needs `ff-runtime` as a dependency.
//!
//! * The path is relative to `CARGO_MANIFEST_DIR` (the directory of the crate's
//!   `Cargo.toml`); absolute paths are rejected, so the crate builds anywhere.
//! * Editing the document rebuilds the crate: the expansion includes the file with
//!   `include_bytes!`.
//! * A document that cannot be read, or is invalid, fails the build with one `compile_error!`
//!   per problem, all at once, on the path literal: `flags.json:3:5: /pointer: message`.
//! * What the build script prints as `cargo:warning=` lines (a context key compared with
//!   conflicting types, an object-valued feature or member left `ff_runtime::Value`, and the
//!   lints below) is a compiler warning here.
//! * What the reference accepts but is most likely a mistake (`ff_runtime::lint`: an unknown
//!   key near a known one such as `"when_macth"`, a repeated key) is a compiler warning on
//!   the path literal: `use of deprecated constant …: flags.json:3:5: /pointer: warning: …`
//!   (stable Rust lets a macro warn only through a deprecated item). It never fails the
//!   build, unless the crate denies the `deprecated` lint.
//!
//! # Options
//!
//! After the path come the options of `ff_build::Options` (the same table,
//! `ff_build::OPTIONS`, so the macro and the build script cannot drift apart): a string
//! option as `name = "value"`, a boolean one as `name = true`, a per-feature option as
//! `name(key = "value", …)`, where the
//! key is the feature or context key's name (a string literal, or an identifier when it is
//! one). Repeat an option to give it several times.
//!
//! | option | as `ff_build::Options` |
//! | --- | --- |
//! | `visibility = "pub(crate)"` | `visibility`: the generated items' visibility |
//! | `value_type(discount_level = "f64", "checkout-layout" = "crate::Layout")` | `value_type`, per feature |
//! | `rename("dark-mode" = "dark_mode_legacy")` | `rename`, per feature or context key (see "Names" in ff-build) |
//! | `derive_flag_name = "serde::Serialize"` | `derive_flag_name` |
//! | `derive_context = "serde::Serialize"` | `derive_context` |
//! | `envelope = "features"` | `envelope`: the feature document inside a larger one; give the store the same |
//! | `source_name = "flags.json"` | `source_name` (default: the path) |
//! | `warn_unused = true` | `warn_unused`: rustc warns once about each feature the crate never reads (`function `feature_NAME` is never used`, on the path literal; see "Unused flags" in ff-build) |
//! | `format = "appconfig"` | `format`: `"appconfig"` (AWS AppConfig's own feature flags, a stored `AWS.AppConfig.FeatureFlags` document: a struct per flag) or `"powertools"`; recognised from the document without it (see "AppConfig feature flags" in ff-build) |
//!
//! ```
//! use ff_macros::feature_flags;
//!
//! #[feature_flags(
//!     "tests/flags.json",
//!     visibility = "pub(crate)",
//!     value_type(discount_level = "f64"),
//!     rename(new_checkout = "checkout_v2", "basket_size" = "items"),
//! )]
//! mod flags {}
//!
//! # futures_executor::block_on(async {
//! let flags = flags::Flags::for_tests().build();
//! let ctx = flags::Context::new().tier("premium").items(120);
//! assert!(flags.checkout_v2(&ctx).await);
//! let discount: f64 = flags.discount_level(&ctx).await;
//! assert_eq!(discount, 10.0);
//! assert_eq!(flags::FlagName::CheckoutV2.as_str(), "new_checkout");
//! # });
//! ```
//!
//! A bad option (an unknown name, with the closest known one; a string where pairs are
//! expected or the reverse; a value that does not parse) is one `compile_error!` on that
//! option, and the module is still generated with the other options, so the code using it
//! reports no further errors.

use std::path::Path;

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned};
use syn::{Item, ItemMod, LitStr};

/// The crate's README (its package's readme on crates.io): its Rust snippets compiled as
/// doctests so that they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// Generates typed feature flags for the document at the given path into the (inline)
/// module it is applied to. See the crate docs.
#[proc_macro_attribute]
pub fn feature_flags(args: proc_macro::TokenStream, item: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let mut module = match syn::parse::<ItemMod>(item) {
        Ok(module) => module,
        Err(err) => return error(err.span(), "#[feature_flags] applies to an inline module: `mod flags {}`").into(),
    };
    let Some((_, items)) = module.content.as_mut() else {
        return error(module.ident.span(), "#[feature_flags] applies to an inline module: `mod flags {}`").into();
    };
    let mut segments = split(args.into()).into_iter();
    let first = segments.next().unwrap_or_default();
    let path = match syn::parse2::<LitStr>(first.iter().cloned().collect()) {
        Ok(path) => path,
        Err(err) => {
            let span = first.first().map_or_else(Span::call_site, TokenTree::span);
            let message = format!("{err}: the first argument is the document's path: #[feature_flags(\"flags.json\")]");
            return error(span, &message).into();
        }
    };
    let mut options = ff_build::Options::new().source_name(path.value());
    let mut errors = TokenStream::new();
    for segment in segments.filter(|s| !s.is_empty()) {
        match option(&segment).and_then(|(span, name, value)| options.clone().set(&name, value).map_err(|e| (span, e))) {
            Ok(next) => options = next,
            Err((span, message)) => errors.extend(error(span, &message)),
        }
    }
    items.push(Item::Verbatim(generate(&path, &options.warn_unused_from_env())));
    quote!(#errors #module).into()
}

fn error(span: Span, message: &str) -> TokenStream {
    quote_spanned!(span=> ::core::compile_error!(#message);)
}

/// Compiler warnings on `span`, one per line. Stable Rust has no warning API for proc
/// macros, so each is the use of a deprecated constant whose note is the line, spanned on
/// the path literal (rustc prints `use of deprecated constant …: LINE`). They never fail the
/// build unless the crate denies `deprecated`.
fn warnings(span: Span, lines: impl IntoIterator<Item = String>) -> TokenStream {
    lines
        .into_iter()
        .map(|line| {
            let used = quote_spanned!(span=> let _ = feature_flags_document_warning;);
            quote! {
                const _: () = {
                    #[deprecated(note = #line)]
                    #[allow(non_upper_case_globals)]
                    const feature_flags_document_warning: u8 = 0;
                    #used
                };
            }
        })
        .collect()
}

/// The tokens between top-level commas.
fn split(tokens: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut segments = vec![Vec::new()];
    for token in tokens {
        match &token {
            TokenTree::Punct(p) if p.as_char() == ',' => segments.push(Vec::new()),
            _ => segments.last_mut().expect("one at least").push(token),
        }
    }
    segments
}

/// `name = "value"` or `name(key = "value", …)`, with the span to report problems at.
fn option(tokens: &[TokenTree]) -> Result<(Span, String, ff_build::OptionValue), (Span, String)> {
    let expected = "expected an option: `name = \"value\"` or `name(key = \"value\", …)`";
    let (name, span) = match tokens.first() {
        Some(TokenTree::Ident(name)) => (name.to_string(), name.span()),
        other => return Err((other.map_or_else(Span::call_site, TokenTree::span), expected.to_owned())),
    };
    let value = match &tokens[1..] {
        [TokenTree::Punct(eq), TokenTree::Ident(value)] if eq.as_char() == '=' && (value == "true" || value == "false") => {
            ff_build::OptionValue::Bool(value == "true")
        }
        [TokenTree::Punct(eq), value] if eq.as_char() == '=' => ff_build::OptionValue::Str(string(value)?),
        [TokenTree::Group(group)] if group.delimiter() == Delimiter::Parenthesis => {
            let pairs = split(group.stream()).into_iter().filter(|p| !p.is_empty()).map(|pair| match pair.as_slice() {
                [key, TokenTree::Punct(eq), value] if eq.as_char() == '=' => Ok((key_name(key)?, string(value)?)),
                other => Err((other[0].span(), format!("expected `key = \"value\"` in `{name}(…)`"))),
            });
            ff_build::OptionValue::Pairs(pairs.collect::<Result<_, _>>()?)
        }
        _ => return Err((span, format!("{expected}, after `{name}`"))),
    };
    Ok((span, name, value))
}

/// A string literal's value.
fn string(token: &TokenTree) -> Result<String, (Span, String)> {
    syn::parse2::<LitStr>(token.clone().into())
        .map(|lit| lit.value())
        .map_err(|_| (token.span(), format!("expected a string literal, found `{token}`")))
}

/// A pair's key: a string literal or an identifier.
fn key_name(token: &TokenTree) -> Result<String, (Span, String)> {
    match token {
        TokenTree::Ident(ident) => Ok(ident.to_string().trim_start_matches("r#").to_owned()),
        other => string(other),
    }
}

/// The generated items (with the document included, so that editing it rebuilds), or one
/// `compile_error!` per problem on the path.
fn generate(path: &LitStr, options: &ff_build::Options) -> TokenStream {
    let errors = |lines: Vec<String>| lines.iter().map(|line| error(path.span(), line)).collect();
    let (full, text) = match read(&path.value()) {
        Ok(read) => read,
        Err(message) => return errors(vec![message]),
    };
    match ff_build::generate_tokens(&text, options) {
        Ok(generated) => {
            let (full, tokens) = (full.to_string_lossy().into_owned(), generated.tokens);
            let name = path.value();
            // The generator's own warnings (a context key compared with conflicting types, an
            // object-valued feature or member left `ff_runtime::Value`), then the lints.
            let model = generated.model.warnings.iter().map(|warning| format!("{name}: {warning}"));
            let lints = warnings(path.span(), model.chain(generated.lints.iter().map(|lint| lint.line(&name))));
            // rustc reports dead code only where the tokens come from the user's input.
            let markers = respan(generated.markers, path.span());
            // `option_env!` makes rustc record the variable, so cargo rebuilds (and expands
            // again) when it changes.
            let env = ff_build::WARN_UNUSED_ENV;
            quote! {
                const _: &[u8] = ::core::include_bytes!(#full);
                const _: ::core::option::Option<&str> = ::core::option_env!(#env);
                #lints #tokens #markers
            }
        }
        Err(err) => errors(err.lines()),
    }
}

/// `tokens` with every span set to `span`.
fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut token| {
            if let TokenTree::Group(group) = &token {
                let mut inner = proc_macro2::Group::new(group.delimiter(), respan(group.stream(), span));
                inner.set_span(span);
                token = TokenTree::Group(inner);
            } else {
                token.set_span(span);
            }
            token
        })
        .collect()
}

/// The document's resolved path and text, or why not.
fn read(relative: &str) -> Result<(std::path::PathBuf, String), String> {
    if relative.is_empty() {
        return Err("the feature flags document's path is empty: give it relative to the crate's Cargo.toml".to_owned());
    }
    if Path::new(relative).is_absolute() {
        return Err(format!(
            "feature flags document {relative:?}: give a path relative to the crate's Cargo.toml \
             (CARGO_MANIFEST_DIR), not an absolute one"
        ));
    }
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .ok_or_else(|| "CARGO_MANIFEST_DIR is not set: build with cargo".to_owned())?;
    let full = Path::new(&dir).join(relative);
    match std::fs::read_to_string(&full) {
        Ok(text) => Ok((full, text)),
        Err(err) => Err(format!("cannot read feature flags document {relative:?} (relative to CARGO_MANIFEST_DIR): {err}")),
    }
}
