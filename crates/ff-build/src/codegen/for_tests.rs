//! `FlagsForTests`: `Flags::for_tests().feature(value).build()` forces values in unit tests.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc};
use super::feature::FeatureCode;
use super::Ctx;

/// The builder struct and its methods: one setter per feature, `clock`, `build`.
pub(super) fn tokens(cx: &Ctx<'_>, features: &[FeatureCode<'_>]) -> TokenStream {
    let vis = &cx.vis;
    let source = code(&cx.source);
    let setters: TokenStream = features.iter().map(setter).collect();
    let appconfig = !cx.model.flags.is_empty();
    let (overrides_ty, build) = if appconfig {
        (
            quote!(::std::vec::Vec<(&'static str, ::ff_runtime::Value)>),
            quote!(::ff_runtime::__private_v1::for_tests_appconfig(DOCUMENT, self.overrides, self.clock)),
        )
    } else {
        (
            quote!(::std::vec::Vec<(&'static str, bool, ::ff_runtime::Value)>),
            quote!(::ff_runtime::__private_v1::for_tests(DOCUMENT, self.overrides, self.clock)),
        )
    };
    let tests_doc = doc([
        format!("Forces feature values of {source} for unit tests: `Flags::for_tests().feature(value).build()`."),
        String::new(),
        "Features not forced keep the compiled-in document's rules. The flags are the same type as in".to_owned(),
        "production ([`Flags`]), served by a [`ff_runtime::MemoryStore`] with `max_age` zero and the".to_owned(),
        "blocking refresh: `flags.feature_flags().store::<ff_runtime::MemoryStore>().unwrap().set(..)`".to_owned(),
        "takes effect at the next evaluation.".to_owned(),
    ]);
    quote! {
        #tests_doc
        #[derive(Clone, Default)]
        #[allow(dead_code)]
        #vis struct FlagsForTests {
            overrides: #overrides_ty,
            clock: ::std::option::Option<::std::sync::Arc<dyn ::ff_runtime::Clock>>,
        }

        #[allow(dead_code, clippy::should_implement_trait, clippy::wrong_self_convention)]
        impl FlagsForTests {
            #setters

            /// The clock the schedule conditions read (default: the system clock).
            pub fn clock(mut self, clock: impl ::ff_runtime::Clock + 'static) -> Self {
                self.clock = ::std::option::Option::Some(::std::sync::Arc::new(clock));
                self
            }

            /// The flags: the compiled-in document with the forced features replaced.
            ///
            /// # Panics
            /// When a forced value is not a valid default (`null`).
            pub fn build(self) -> Flags {
                Flags { inner: #build }
            }
        }
    }
}

/// `pub fn NAME(self, value) -> Self`: forces the feature.
fn setter(f: &FeatureCode<'_>) -> TokenStream {
    let (method, setter_ty, setter_value) = (&f.method, &f.setter_ty, &f.setter_value);
    let name = f.feature.name.as_str();
    let setter_doc = doc([format!(
        "Forces feature {} ({}, default {}) to `value`; its rules are dropped.",
        code(name),
        code(f.model.value_type.rust_name()),
        f.default
    )]);
    let boolean = f.feature.boolean;
    if let Some(flag) = f.flag {
        let setter_doc = doc([format!("Forces flag {} to `value` (a [`{}`]).", code(name), flag.name)]);
        return quote! {
            #setter_doc
            pub fn #method(mut self, value: #setter_ty) -> Self {
                self.overrides.push((#name, #setter_value));
                self
            }
        };
    }
    quote! {
        #setter_doc
        pub fn #method(mut self, value: #setter_ty) -> Self {
            self.overrides.push((#name, #boolean, #setter_value));
            self
        }
    }
}
