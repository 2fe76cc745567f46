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
//! * What the reference accepts but is most likely a mistake (`ff_runtime::lint`: an unknown
//!   key near a known one such as `"when_macth"`, a repeated key) is a compiler warning on
//!   the path literal: `use of deprecated constant …: flags.json:3:5: /pointer: warning: …`
//!   (stable Rust lets a macro warn only through a deprecated item). It never fails the
//!   build, unless the crate denies the `deprecated` lint.
//! * `#[feature_flags("config.json", envelope = "features")]` generates the flags for the
//!   feature document that a JMESPath envelope selects inside a larger one (as
//!   `ff_build::Options::envelope`); give the store the same envelope.

use std::path::Path;

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::{Item, ItemMod, LitStr, Token};

/// The attribute's arguments: `"flags.json"` or `"config.json", envelope = "features"`.
struct Args {
    path: LitStr,
    envelope: Option<LitStr>,
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Args> {
        let path: LitStr = input.parse()?;
        let mut envelope = None;
        if input.parse::<Option<Token![,]>>()?.is_some() && !input.is_empty() {
            let name: syn::Ident = input.parse()?;
            if name != "envelope" {
                return Err(syn::Error::new(name.span(), format!("unknown option `{name}`")));
            }
            input.parse::<Token![=]>()?;
            envelope = Some(input.parse::<LitStr>()?);
            input.parse::<Option<Token![,]>>()?;
        }
        if !input.is_empty() {
            return Err(input.error("unexpected tokens after the arguments"));
        }
        Ok(Args { path, envelope })
    }
}

/// Generates typed feature flags for the document at the given path into the (inline)
/// module it is applied to. See the crate docs.
#[proc_macro_attribute]
pub fn feature_flags(args: proc_macro::TokenStream, item: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let args = match syn::parse::<Args>(args) {
        Ok(args) => args,
        Err(err) => {
            let message = format!(
                "{err} (the arguments are the document's path and, optionally, an envelope: \
                 #[feature_flags(\"flags.json\")], #[feature_flags(\"config.json\", envelope = \"features\")])"
            );
            return syn::Error::new(err.span(), message).to_compile_error().into();
        }
    };
    let module = match syn::parse::<ItemMod>(item) {
        Ok(module) => module,
        Err(err) => {
            let message = "#[feature_flags] applies to an inline module: `mod flags {}`";
            return syn::Error::new(err.span(), message).to_compile_error().into();
        }
    };
    expand(&args, module).into()
}

fn errors(span: Span, lines: impl IntoIterator<Item = String>) -> TokenStream {
    lines.into_iter().map(|line| quote_spanned!(span=> ::core::compile_error!(#line);)).collect()
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
                    const feature_flags_document_warning: () = ();
                    #used
                };
            }
        })
        .collect()
}

fn expand(args: &Args, mut module: ItemMod) -> TokenStream {
    let path = &args.path;
    let span = path.span();
    let Some((_, items)) = module.content.as_mut() else {
        return errors(module.ident.span(), ["#[feature_flags] applies to an inline module: `mod flags {}`".to_owned()]);
    };
    let relative = path.value();
    let generated = match read(&relative) {
        Err(message) => errors(span, [message]),
        Ok((full, text)) => {
            let mut options = ff_build::Options::new().source_name(relative.clone());
            if let Some(envelope) = &args.envelope {
                options = options.envelope(envelope.value());
            }
            match ff_build::generate_tokens(&text, &options) {
                Ok(generated) => {
                    let full = full.to_string_lossy().into_owned();
                    let lints = warnings(span, generated.lints.iter().map(|lint| lint.line(&relative)));
                    let tokens = generated.tokens;
                    quote! {
                        const _: &[u8] = ::core::include_bytes!(#full);
                        #lints
                        #tokens
                    }
                }
                Err(err) => errors(span, err.lines()),
            }
        }
    };
    items.push(Item::Verbatim(generated));
    quote!(#module)
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
