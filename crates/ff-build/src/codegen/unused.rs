//! `warn_unused` ([`crate::Options::warn_unused`]): the structure that lets rustc's
//! `dead_code` lint report each feature the crate never reads, once, by name.
//!
//! * Each feature gets a private, empty function `feature_NAME` (its *marker*), outside any
//!   `#[allow(dead_code)]`. The feature's public accessors (`NAME` and `NAME_details` on
//!   `Flags` and on `FlagsSnapshot`) call it and nothing else does, so it is dead exactly
//!   when all four are, and rustc says
//!   `function `feature_NAME` is never used` (free functions are reported one by one;
//!   associated ones would be grouped per `impl`).
//! * The accessors must not carry `#[allow(dead_code)]` either: rustc treats an allowed item
//!   as used, and so everything it calls. They are emitted through
//!   `ff_runtime::__private_v1::accessor!`, a `macro_rules!` macro of another crate, which
//!   writes the `pub fn` itself: rustc does not report dead code whose definition comes from
//!   another crate's macro, so an unread accessor is dead but silent, and only its marker is
//!   reported.
//! * Everything else keeps `#[allow(dead_code)]` and never calls an accessor
//!   (`enabled_features` calls the read functions), so generated code is no read.
//!
//! The macro gives the markers the span of the path literal (an attribute macro's own
//! tokens are never reported about); a build script's file needs nothing more.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::doc;
use super::feature::FeatureCode;

/// The marker function of each feature (nothing without `warn_unused`).
pub(super) fn markers(features: &[FeatureCode<'_>]) -> TokenStream {
    features
        .iter()
        .filter_map(|f| {
            let marker = f.marker.as_ref()?;
            let marker_doc = doc([format!(
                "Called by the accessors of feature `{}` only (`warn_unused`): rustc reports it as never used when the crate never reads the feature.",
                f.feature.name.replace('`', "'")
            )]);
            Some(quote! {
                #marker_doc
                #[inline(always)]
                fn #marker() {}
            })
        })
        .collect()
}

/// The statement calling `marker`, for an accessor's body (nothing without one).
pub(super) fn call(marker: Option<&Ident>) -> TokenStream {
    match marker {
        Some(marker) => quote!(#marker();),
        None => TokenStream::new(),
    }
}

/// An accessor `#[attrs] pub fn …` / `pub async fn …` given as its attributes and `fn …` /
/// `async fn …`: through `ff_runtime::__private_v1::accessor!` with markers, as is
/// otherwise.
pub(super) fn accessor(with_markers: bool, attributes: TokenStream, item_without_pub: TokenStream) -> TokenStream {
    if with_markers {
        quote!(::ff_runtime::__private_v1::accessor! { #attributes #item_without_pub })
    } else {
        quote!(#attributes pub #item_without_pub)
    }
}

/// The impl of type `ty` that holds its accessors with markers: without `#[allow(dead_code)]`
/// (the type's other impl keeps it).
pub(super) fn own_impl(ty: TokenStream, accessors: TokenStream) -> TokenStream {
    quote! {
        #[allow(clippy::should_implement_trait, clippy::wrong_self_convention)]
        impl #ty {
            #accessors
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One marker per feature, called by its four accessors and by nothing else of the
    /// generated code; none without the option.
    #[test]
    fn markers_are_called_by_the_accessors_only() {
        let doc = r#"{"new_checkout": {"default": false}, "type": {"boolean_type": false, "default": "a"}}"#;
        let plain = crate::generate(doc, &crate::Options::new()).unwrap();
        assert!(!plain.contains("fn feature_new_checkout") && !plain.contains("accessor!"), "{plain}");
        let code = crate::generate(doc, &crate::Options::new().warn_unused(true)).unwrap();
        for marker in ["feature_new_checkout", "feature_type"] {
            assert_eq!(code.matches(&format!("fn {marker}()")).count(), 1, "{code}");
            // `Flags::NAME`, `Flags::NAME_details`, `FlagsSnapshot::NAME`, `FlagsSnapshot::NAME_details`.
            assert_eq!(code.matches(&format!("{marker}();")).count(), 4, "{code}");
        }
        assert_eq!(code.matches("::ff_runtime::__private_v1::accessor!").count(), 8, "{code}");
        // The accessors are outside the `#[allow(dead_code)]` impls: rustc would count them used.
        let allowed = code.split("#[allow(dead_code").skip(1).map(|rest| &rest[..rest.find("\n}\n").unwrap_or(rest.len())]);
        for block in allowed {
            assert!(!block.contains("accessor!") && !block.contains("feature_new_checkout") && !block.contains("feature_type"), "{block}");
        }
    }

    #[test]
    fn accessor_is_plain_without_markers_and_through_the_macro_with() {
        let (attributes, item) = (quote!(#[doc = "a"]), quote!(fn a(&self) -> bool { true }));
        assert_eq!(
            accessor(false, attributes.clone(), item.clone()).to_string(),
            "# [doc = \"a\"] pub fn a (& self) -> bool { true }"
        );
        assert_eq!(
            accessor(true, attributes, item).to_string(),
            ":: ff_runtime :: __private_v1 :: accessor ! { # [doc = \"a\"] fn a (& self) -> bool { true } }"
        );
        assert!(call(None).is_empty());
    }
}
