//! `Flags<S>`: the typed flags over a store, one `async` accessor per feature.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc, rules_doc};
use super::feature::FeatureCode;
use super::Ctx;

/// The struct, its `Clone` and `From<FeatureFlags>` impls, the accessors and `for_tests()`.
pub(super) fn tokens(cx: &Ctx<'_>, features: &[FeatureCode<'_>]) -> TokenStream {
    let vis = &cx.vis;
    let source = code(&cx.source);
    let accessors: TokenStream = features.iter().map(accessor).collect();
    let flags_doc = doc([
        format!("Typed feature flags for {source}: one accessor per feature, named after it."),
        String::new(),
        "Wraps [`ff_runtime::FeatureFlags`], which fetches the live document from the store when its copy is".to_owned(),
        "older than `max_age`, validates it once and keeps the last good one. Each accessor evaluates the".to_owned(),
        "feature for a [`Context`] and returns its typed value; where the live document lacks the feature, gives".to_owned(),
        "it a value of another type, or none could be fetched, the compiled-in default applies.".to_owned(),
        "[`Flags::snapshot`] gives a synchronous view for a request or a hot loop, and [`Flags::for_tests`]".to_owned(),
        "forces values in unit tests.".to_owned(),
    ]);
    quote! {
        #flags_doc
        #[allow(dead_code)]
        #vis struct Flags<S> {
            inner: ::ff_runtime::FeatureFlags<S>,
        }

        #[allow(dead_code)]
        impl<S> ::std::clone::Clone for Flags<S> {
            fn clone(&self) -> Self {
                Flags { inner: self.inner.clone() }
            }
        }

        #[allow(dead_code)]
        impl<S> ::std::convert::From<::ff_runtime::FeatureFlags<S>> for Flags<S> {
            /// Typed flags over configured dynamic flags (a `max_age`, a clock).
            fn from(inner: ::ff_runtime::FeatureFlags<S>) -> Self {
                Flags { inner }
            }
        }

        #[allow(dead_code, clippy::should_implement_trait, clippy::wrong_self_convention)]
        impl<S: ::ff_runtime::StoreProvider> Flags<S> {
            /// Typed flags over `store`, with `max_age` 5 seconds and the system clock (use
            /// `Flags::from(ff_runtime::FeatureFlags::builder(store)…build())` for others).
            pub fn new(store: S) -> Self {
                Flags { inner: ::ff_runtime::FeatureFlags::new(store) }
            }

            /// The dynamic flags underneath: status, refresh, explain, features by name.
            pub fn feature_flags(&self) -> &::ff_runtime::FeatureFlags<S> {
                &self.inner
            }

            /// A typed view of the live document, refreshed first when older than `max_age`.
            /// When no document could be fetched (the failure is logged), every accessor of the
            /// snapshot gives its compiled-in default.
            pub async fn snapshot(&self) -> FlagsSnapshot {
                FlagsSnapshot { inner: self.inner.snapshot().await.ok() }
            }

            /// The features whose value for `ctx` is truthy (in Python terms: `true`, a non-zero
            /// number, a non-empty string, list or object), in the compiled-in document's order.
            pub async fn enabled_features(&self, ctx: &Context<'_>) -> ::std::vec::Vec<FlagName> {
                self.snapshot().await.enabled_features(ctx)
            }

            #accessors
        }

        #[allow(dead_code)]
        impl Flags<::ff_runtime::MemoryStore> {
            /// Starts flags for unit tests: force values with the builder's per-feature
            /// methods, then `build()`.
            pub fn for_tests() -> FlagsForTests {
                FlagsForTests::default()
            }
        }
    }
}

/// `pub async fn NAME(&self, ctx) -> T`, documented with the feature's rules and default.
fn accessor(f: &FeatureCode<'_>) -> TokenStream {
    let (method, read_method, owned_ty, to_owned) = (&f.method, &f.read_method, &f.owned_ty, &f.to_owned);
    let mut full_doc = f.description.clone();
    full_doc.extend([f.headline.clone(), String::new()]);
    full_doc.extend(rules_doc(f.feature));
    full_doc.push(String::new());
    full_doc.push(format!(
        "Gives the compiled-in default {} when the live document has no feature {},",
        f.default,
        code(&f.feature.name)
    ));
    full_doc.push(format!(
        "gives it a value that is not {}, or could not be fetched (drift is logged with `tracing`).",
        code(f.model.value_type.rust_name()),
    ));
    let flags_doc = doc(&full_doc);
    let deprecated = &f.deprecated;
    quote! {
        #flags_doc
        #deprecated
        pub async fn #method(&self, ctx: &Context<'_>) -> #owned_ty {
            self.inner.read(|snapshot| FlagsSnapshot::#read_method(snapshot, ctx) #to_owned).await
        }
    }
}
