//! `FlagName`: an enum of the features, with `ALL`, `as_str`, `from_name` and `Display`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{code, doc, feature_headline, ident, rules_doc};
use super::Ctx;

/// The enum and its impls.
pub(super) fn tokens(cx: &Ctx<'_>) -> TokenStream {
    let (vis, derives) = (&cx.vis, &cx.flag_name_derives);
    let source = code(&cx.source);
    let mut variants = TokenStream::new();
    let mut all = Vec::new();
    let mut arms = TokenStream::new();
    for (feature, fm) in cx.document.features().iter().zip(&cx.model.features) {
        let variant = ident(&fm.variant);
        let lines = match super::appconfig::flag(cx, &feature.name) {
            Some(flag) => {
                let mut lines = vec![super::appconfig::headline(flag), String::new()];
                lines.extend(super::appconfig::variants_doc(flag));
                lines
            }
            None => {
                let mut lines = vec![feature_headline(feature, fm), String::new()];
                lines.extend(rules_doc(feature));
                lines
            }
        };
        let variant_doc = doc(&lines);
        variants.extend(quote! { #variant_doc #variant, });
        all.push(quote!(FlagName::#variant));
        let name = feature.name.as_str();
        arms.extend(quote! { FlagName::#variant => #name, });
    }
    let n = Literal::usize_unsuffixed(all.len());
    let enum_doc = doc([
        format!("The features of {source}, in document order."),
        String::new(),
        "[`FlagName::as_str`] gives the name in the document; [`Flags::enabled_features`] returns these.".to_owned(),
    ]);
    quote! {
        #enum_doc
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, #(#derives),*)]
        #[allow(dead_code, clippy::enum_variant_names)]
        #vis enum FlagName {
            #variants
        }

        #[allow(dead_code)]
        impl FlagName {
            /// Every feature, in document order.
            pub const ALL: [FlagName; #n] = [#(#all),*];

            /// The feature's name in the document.
            pub const fn as_str(self) -> &'static str {
                match self {
                    #arms
                }
            }

            /// The feature called `name` (case-sensitive), if the compiled-in document has it.
            pub fn from_name(name: &str) -> ::std::option::Option<FlagName> {
                FlagName::ALL.iter().copied().find(|flag| flag.as_str() == name)
            }
        }

        impl ::std::fmt::Display for FlagName {
            /// The name in the document.
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

