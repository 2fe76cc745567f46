//! `DOCUMENT` and the private helpers the accessors share (`__ff_drift`, `__ff_layout`,
//! `__ff_compiled`).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{code, doc};
use super::Ctx;
use crate::model::ValueType;

/// `DOCUMENT`, then the helpers that the document's features need.
pub(super) fn tokens(cx: &Ctx<'_>, text: &str) -> TokenStream {
    let (vis, source, model) = (&cx.vis, code(&cx.source), cx.model);
    let n_features = Literal::usize_unsuffixed(model.features.len());
    let document_lit = document_literal(text);
    let appconfig = !model.flags.is_empty();
    let document_doc = match &cx.options.envelope {
        None if appconfig => doc([
            format!("The AppConfig feature flags document {source} (a stored `AWS.AppConfig.FeatureFlags` document), as"),
            "compiled in: its values are every flag struct's `Default`, and [`Flags::for_tests`] serves them.".to_owned(),
        ]),
        None => doc([
            format!("The feature flags document {source}, as compiled in: it supplies every accessor's default,"),
            "and [`Flags::for_tests`] serves it.".to_owned(),
        ]),
        Some(envelope) => doc([
            format!("The feature flags document that the envelope {} selects in {source}, as compiled in", code(envelope)),
            "(compact JSON): it supplies every accessor's default, and [`Flags::for_tests`] serves it. Give the store".to_owned(),
            "the same envelope.".to_owned(),
        ]),
    };
    let mut helpers = quote! {
        #document_doc
        #[allow(dead_code)]
        #vis const DOCUMENT: &str = #document_lit;
    };
    if !model.features.is_empty() {
        helpers.extend(quote! {
            /// Drift reported so far (once per live document and feature).
            #[allow(dead_code)]
            fn __ff_drift() -> &'static ::ff_runtime::__private_v1::Drift<#n_features> {
                static DRIFT: ::ff_runtime::__private_v1::Drift<#n_features> = ::ff_runtime::__private_v1::Drift::new();
                &DRIFT
            }
        });
        // The compiled-in feature names by index and the context keys by slot: the runtime
        // resolves a live document against them once (feature positions, key slots).
        let names = cx.document.features().iter().map(|f| f.name.as_str());
        let keys = model.fields.iter().map(|f| f.key.as_str());
        // AppConfig flags have no rules for the generated code to evaluate: an empty compiled
        // document (nothing native) instead of the stored one.
        let layout_document = if appconfig { quote!("{}") } else { quote!(DOCUMENT) };
        helpers.extend(quote! {
            /// The compiled-in features by index, the context keys by slot (see
            /// `Context::get_slot`) and the document, which the runtime resolves each live
            /// document against once.
            #[allow(dead_code)]
            fn __ff_layout() -> &'static ::ff_runtime::__private_v1::Layout {
                static LAYOUT: ::ff_runtime::__private_v1::Layout =
                    ::ff_runtime::__private_v1::Layout::new(&[#(#names),*], &[#(#keys),*], #layout_document);
                &LAYOUT
            }
        });
    }
    if model.features.iter().any(|f| matches!(f.value_type, ValueType::Value | ValueType::Serde(_) | ValueType::Struct(_))) {
        helpers.extend(quote! {
            /// The compiled-in document, parsed on first use (for defaults that are not literals).
            #[allow(dead_code)]
            fn __ff_compiled() -> &'static ::ff_runtime::Document {
                static COMPILED: ::std::sync::OnceLock<::ff_runtime::Document> = ::std::sync::OnceLock::new();
                ::ff_runtime::__private_v1::compiled(&COMPILED, DOCUMENT)
            }
        });
    }
    helpers.extend(check_values(cx));
    helpers
}

/// `__ff_check_values()`, behind `Flags::check_values()`: whether every compiled-in value of
/// a feature typed with a user-named `serde` type deserializes into it (the build cannot
/// instantiate the user's type); with such features, a `#[cfg(test)]` test that runs it in
/// the user's own test suite.
fn check_values(cx: &Ctx<'_>) -> TokenStream {
    let checks: Vec<TokenStream> = cx
        .model
        .features
        .iter()
        .enumerate()
        .filter(|(_, f)| matches!(f.value_type, ValueType::Serde(_)))
        .map(|(i, f)| {
            let ty = cx.serde_type(&f.name);
            let idx = Literal::usize_unsuffixed(i);
            quote!(::ff_runtime::__private_v1::check_compiled::<#ty>(__ff_compiled(), #idx)?;)
        })
        .collect();
    let mut tokens = quote! {
        /// Checks the compiled-in values against the `serde` types named in the build (see
        /// `Flags::check_values`).
        #[allow(dead_code)]
        fn __ff_check_values() -> ::std::result::Result<(), ::ff_runtime::Error> {
            #(#checks)*
            ::std::result::Result::Ok(())
        }
    };
    if !checks.is_empty() {
        tokens.extend(quote! {
            /// Runs `Flags::check_values()` in the test suite of the crate that includes the flags.
            #[cfg(test)]
            mod __ff_check_values_test {
                #[test]
                fn compiled_values_fit_the_types_named_in_the_build() {
                    if let ::std::result::Result::Err(err) = super::__ff_check_values() {
                        panic!("{err}");
                    }
                }
            }
        });
    }
    tokens
}

/// The document text as a (raw, when possible) string literal.
fn document_literal(text: &str) -> TokenStream {
    if !text.contains('\r') {
        let mut hashes = 1;
        while text.contains(&format!("\"{}", "#".repeat(hashes))) {
            hashes += 1;
        }
        let h = "#".repeat(hashes);
        if let Ok(tokens) = format!("r{h}\"{text}\"{h}").parse::<TokenStream>() {
            return tokens;
        }
    }
    let lit = Literal::string(text);
    quote!(#lit)
}
