//! `Flags`: the typed flags over any store (one type, the store is behind a pointer), one
//! `async` accessor per feature, `ready()` for start-up.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc, rules_doc};
use super::feature::FeatureCode;
use super::Ctx;

/// The struct, its `Clone` and `From<FeatureFlags>` impls, the accessors and `for_tests()`.
pub(super) fn tokens(cx: &Ctx<'_>, features: &[FeatureCode<'_>]) -> TokenStream {
    let vis = &cx.vis;
    let source = code(&cx.source);
    let warn_unused = cx.options.warn_unused;
    let accessors: TokenStream = features.iter().map(|f| accessor(f, warn_unused)).collect();
    // With `warn_unused`, the accessors leave the `#[allow(dead_code)]` impl (see `unused`).
    let (inner_accessors, outer_accessors) = if warn_unused {
        (TokenStream::new(), super::unused::own_impl(quote!(Flags), accessors))
    } else {
        (accessors, TokenStream::new())
    };
    let flags_doc = doc([
        format!("Typed feature flags for {source}: one accessor per feature, named after it."),
        String::new(),
        "Wraps [`ff_runtime::FeatureFlags`], which fetches the live document from the store when its copy is".to_owned(),
        "older than `max_age`, validates it once and keeps the last good one. Each accessor evaluates the".to_owned(),
        "feature for a [`Context`] and returns its typed value; where the live document lacks the feature, gives".to_owned(),
        "it a value of another type, or none could be fetched, the compiled-in default applies.".to_owned(),
        "[`Flags::snapshot`] gives a synchronous view for a request or a hot loop, and [`Flags::for_tests`]".to_owned(),
        "forces values in unit tests.".to_owned(),
        String::new(),
        "One type whatever the store: flags over a file or AppConfig store in production and".to_owned(),
        "`Flags::for_tests().build()` in tests are both `Flags`, so application state and handlers take".to_owned(),
        "`Flags`. Call [`Flags::ready`] at start-up to fail fast when the store cannot be read.".to_owned(),
    ]);
    let new_fn = if cx.model.flags.is_empty() {
        quote! {
            /// Typed flags over `store`, with `max_age` 5 seconds, the background refresh and the
            /// system clock (use `Flags::from(ff_runtime::FeatureFlags::builder(store)…build())`
            /// for others).
            pub fn new(store: impl ::ff_runtime::StoreProvider + 'static) -> Self {
                Flags { inner: ::ff_runtime::FeatureFlags::new(store) }
            }
        }
    } else {
        quote! {
            /// Typed flags over `store`, which serves AWS AppConfig's feature flags format (the
            /// retrieval format `{KEY: {"enabled": …, ATTR: …}}` of the AppConfig stores, or a
            /// stored document in a file), with `max_age` 5 seconds, the background refresh and
            /// the system clock. For others, give the builder the same format:
            /// `Flags::from(ff_runtime::FeatureFlags::builder(store).format(ff_runtime::DocumentFormat::AppConfigFeatureFlags)…build())`.
            pub fn new(store: impl ::ff_runtime::StoreProvider + 'static) -> Self {
                Flags {
                    inner: ::ff_runtime::FeatureFlags::builder(store)
                        .format(::ff_runtime::DocumentFormat::AppConfigFeatureFlags)
                        .build(),
                }
            }
        }
    };
    let from_doc = if cx.model.flags.is_empty() {
        doc(["Typed flags over configured dynamic flags (a `max_age`, a refresh policy, a clock).".to_owned()])
    } else {
        doc([
            "Typed flags over configured dynamic flags (a `max_age`, a refresh policy, a clock), which must be".to_owned(),
            "built with `.format(ff_runtime::DocumentFormat::AppConfigFeatureFlags)`: without it, the store's".to_owned(),
            "document is read as a Powertools document, refused, and every accessor serves its compiled-in value.".to_owned(),
        ])
    };
    quote! {
        #flags_doc
        #[derive(Clone)]
        #[allow(dead_code)]
        #vis struct Flags {
            inner: ::ff_runtime::FeatureFlags,
        }

        #[allow(dead_code)]
        impl ::std::convert::From<::ff_runtime::FeatureFlags> for Flags {
            #from_doc
            fn from(inner: ::ff_runtime::FeatureFlags) -> Self {
                Flags { inner }
            }
        }

        #[allow(dead_code, clippy::should_implement_trait, clippy::wrong_self_convention)]
        impl Flags {
            #new_fn

            /// Starts flags for unit tests: force values with the builder's per-feature
            /// methods, then `build()`.
            pub fn for_tests() -> FlagsForTests {
                FlagsForTests::default()
            }

            /// The dynamic flags underneath: status, refresh, explain, features by name, and the
            /// store (`feature_flags().store::<S>()`).
            pub fn feature_flags(&self) -> &::ff_runtime::FeatureFlags {
                &self.inner
            }

            /// Checks that every compiled-in value fits its Rust type ([`Flags::check_values`]),
            /// then makes the first fetch and tells whether a good document is in force: call it at
            /// start-up to fail fast instead of serving the compiled-in defaults from a store that
            /// cannot be read (see [`ff_runtime::FeatureFlags::ready`]).
            ///
            /// # Errors
            /// [`ff_runtime::Error::ValueType`] naming a feature whose compiled-in value does not
            /// fit the `serde` type named in the build; else the first fetch's error: a missing or
            /// unreadable document, access denied, an invalid document.
            pub async fn ready(&self) -> ::std::result::Result<(), ::ff_runtime::Error> {
                __ff_check_values()?;
                self.inner.ready().await
            }

            /// Checks, without a store, that every compiled-in value (each `default` and
            /// `when_match`) of a feature typed with a `serde` type named in the build
            /// deserializes into that type; the build checks every other type itself. [`Flags::ready`]
            /// calls it, and the crate's own tests run it too (a generated `#[test]`).
            /// Until it is fixed, a `default` that does not fit serves the type's `Default` and a
            /// `when_match` the compiled-in default, each reported with `tracing`.
            ///
            /// # Errors
            /// [`ff_runtime::Error::ValueType`] naming the first feature, value and type that
            /// do not fit.
            pub fn check_values() -> ::std::result::Result<(), ::ff_runtime::Error> {
                __ff_check_values()
            }

            /// A typed view of the live document (refreshed as [`ff_runtime::Refresh`] says when
            /// older than `max_age`). When no document could be fetched (the failure is logged),
            /// every accessor of the snapshot gives its compiled-in default (and its `*_details`
            /// twin the error).
            pub async fn snapshot(&self) -> FlagsSnapshot {
                FlagsSnapshot { inner: ::std::option::Option::Some(self.inner.typed_snapshot().await) }
            }

            /// The features whose value for `ctx` is truthy (in Python terms: `true`, a non-zero
            /// number, a non-empty string, list or object), in the compiled-in document's order.
            pub async fn enabled_features(&self, ctx: &Context<'_>) -> ::std::vec::Vec<FlagName> {
                self.snapshot().await.enabled_features(ctx)
            }

            #inner_accessors
        }

        #outer_accessors
    }
}

/// `pub async fn NAME(&self, ctx) -> T`, documented with the feature's rules and default.
fn accessor(f: &FeatureCode<'_>, warn_unused: bool) -> TokenStream {
    let (method, read_method, owned_ty, to_owned) = (&f.method, &f.read_method, &f.owned_ty, &f.to_owned);
    let full_doc = match f.flag {
        Some(flag) => flag_doc(f, flag),
        None => feature_doc(f),
    };
    let flags_doc = doc(&full_doc);
    let deprecated = &f.deprecated;
    let marker = super::unused::call(f.marker.as_ref());
    let (details_method, details_read_method) = (&f.details_method, &f.details_read_method);
    // The compiled-in rule names: the variants that `Flags`' details borrow.
    let rules = &f.rules;
    let to_owned_details = if to_owned.is_empty() { TokenStream::new() } else { quote!(.map(|value| value #to_owned)) };
    let details_doc = doc([
        format!("[`Flags::{}`], with why: the reason, the matched rule (variant and index) and the version of the", f.model.method.trim_start_matches("r#")),
        "document in force (see [`ff_runtime::Details`]). Allocates nothing for `bool`, `i64` and `f64` values.".to_owned(),
    ]);
    // A multi-variant AppConfig flag is evaluated by the store (the AppConfig Agent) when
    // `VARIANTS_FROM_STORE` is on (see there); otherwise, and for every other flag or feature,
    // both accessors read the document in force.
    let variant_key = f.flag.filter(|flag| super::appconfig::VARIANTS_FROM_STORE && !flag.variants.is_empty()).map(|flag| flag.key.as_str());
    let (value_body, details_body) = match variant_key {
        Some(key) => (
            quote!(::ff_runtime::__private_v1::variant_flag(&self.inner, #key, ctx).await.value),
            quote!(::ff_runtime::__private_v1::variant_flag(&self.inner, #key, ctx).await),
        ),
        None => (
            quote!(self.inner.read(|snapshot| FlagsSnapshot::#read_method(snapshot, ctx) #to_owned).await),
            // While the cache is fresh, read without an `await`: the details then cross no
            // future's layers (each would copy them once more), and only the closure is held
            // across the `await` of the other path (which keeps the future small).
            quote! {
                let read = match self.inner.read_details_fresh(|snapshot| {
                    ::ff_runtime::__private_v1::detach(FlagsSnapshot::#details_read_method(snapshot, ctx), snapshot, #rules)
                        #to_owned_details
                }) {
                    ::std::result::Result::Ok(details) => return details,
                    ::std::result::Result::Err(read) => read,
                };
                self.inner.read_details(read).await
            },
        ),
    };
    let value = super::unused::accessor(
        warn_unused,
        quote!(#flags_doc #deprecated),
        quote! {
            async fn #method(&self, ctx: &Context<'_>) -> #owned_ty {
                #marker
                #value_body
            }
        },
    );
    let details = super::unused::accessor(
        warn_unused,
        quote!(#details_doc #deprecated),
        quote! {
            async fn #details_method(&self, ctx: &Context<'_>) -> ::ff_runtime::Details<'static, #owned_ty> {
                #marker
                #details_body
            }
        },
    );
    quote!(#value #details)
}
/// The doc of an AppConfig flag's accessor.
fn flag_doc(f: &FeatureCode<'_>, flag: &crate::appconfig::FlagStructModel) -> Vec<String> {
    let mut lines = f.description.clone();
    lines.extend([f.headline.clone(), String::new()]);
    lines.extend(super::appconfig::variants_doc(flag));
    lines.push(String::new());
    lines.push(format!("Each field is the live flag's, read field by field (see [`{}`]); the compiled-in values", flag.name));
    lines.push(format!("([`{}::default`]) when the live document has no flag {} or none could be fetched.", flag.name, code(&flag.key)));
    lines
}

/// The doc of a Powertools feature's accessor.
fn feature_doc(f: &FeatureCode<'_>) -> Vec<String> {
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
    if let crate::model::ValueType::Serde(ty) = &f.model.value_type {
        full_doc.push(format!(
            "Where the compiled-in default is not a {} itself, its `Default` (see [`Flags::check_values`]).",
            code(ty)
        ));
    }
    for note in &f.model.value_notes {
        full_doc.push(format!("Not a generated struct: {note}."));
    }
    full_doc
}
