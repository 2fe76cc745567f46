//! `FlagsSnapshot`: the accessors, synchronous, against one live document; the read and
//! native functions behind every accessor; `enabled_features`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{code, doc};
use super::feature::FeatureCode;
use super::Ctx;
use crate::model::ValueType;

/// The struct, its `From<Snapshot>` impl and its methods.
pub(super) fn tokens(cx: &Ctx<'_>, features: &[FeatureCode<'_>]) -> TokenStream {
    let vis = &cx.vis;
    let source = code(&cx.source);
    let warn_unused = cx.options.warn_unused;
    let (public, internals): (TokenStream, TokenStream) = features.iter().map(|f| accessor(f, warn_unused)).unzip();
    // With `warn_unused`, the public accessors leave the `#[allow(dead_code)]` impl (see `unused`).
    let outer_accessors = if warn_unused { super::unused::own_impl(quote!(FlagsSnapshot), public) } else { TokenStream::new() };
    let enabled_body = enabled_features_body(features);
    // Float defaults are written as the document spells them (`3.14` is not meant as π).
    let float_lints = if cx.model.features.iter().any(|f| f.value_type == ValueType::F64) {
        quote!(#[allow(clippy::approx_constant, clippy::excessive_precision, clippy::unreadable_literal)])
    } else {
        TokenStream::new()
    };
    let snapshot_struct_doc = doc([
        format!("A consistent, synchronous, typed view of one live document of {source} (see [`Flags::snapshot`])."),
        String::new(),
        "Its accessors take no lock; those returning `bool`, `i64`, `f64` or `&str` allocate nothing.".to_owned(),
    ]);
    quote! {
        #snapshot_struct_doc
        #[derive(Clone)]
        #[allow(dead_code)]
        #vis struct FlagsSnapshot {
            inner: ::std::option::Option<::ff_runtime::Snapshot>,
        }

        #[allow(dead_code)]
        impl ::std::convert::From<::ff_runtime::Snapshot> for FlagsSnapshot {
            /// A typed view of a dynamic snapshot (for tools and tests).
            fn from(snapshot: ::ff_runtime::Snapshot) -> Self {
                FlagsSnapshot { inner: ::std::option::Option::Some(snapshot) }
            }
        }

        #[allow(dead_code, clippy::should_implement_trait, clippy::wrong_self_convention)]
        #float_lints
        impl FlagsSnapshot {
            /// The dynamic snapshot underneath (without a document when none could be fetched or
            /// the store refused access: see `ff_runtime::Snapshot::document`).
            pub fn inner(&self) -> ::std::option::Option<&::ff_runtime::Snapshot> {
                self.inner.as_ref()
            }

            /// The features whose value for `ctx` is truthy, in the compiled-in document's
            /// order (see [`Flags::enabled_features`]).
            pub fn enabled_features(&self, ctx: &Context<'_>) -> ::std::vec::Vec<FlagName> {
                #enabled_body
            }

            #internals
        }

        #outer_accessors
    }
}

/// The public accessors (the value and its details) with `warn_unused`, for their own impl;
/// and the read functions they share with `Flags`' accessors, the native evaluation when
/// there is one, and without `warn_unused` the public accessors, each before its read
/// function.
fn accessor(f: &FeatureCode<'_>, warn_unused: bool) -> (TokenStream, TokenStream) {
    let (method, read_method, native_method) = (&f.method, &f.read_method, &f.native_method);
    let (snapshot_ty, snapshot_body, lifetime) = (&f.snapshot_ty, &f.snapshot_body, &f.lifetime);
    let (snapshot_arg, snapshot_ty_in) = (&f.snapshot_arg, &f.snapshot_ty_in);
    let mut lines = f.description.clone();
    lines.extend([
        f.headline.clone(),
        String::new(),
        format!(
            "The value in this snapshot's document (synchronous; see `Flags::{}` for the rules).",
            f.model.method.trim_start_matches("r#")
        ),
    ]);
    let snapshot_doc = doc(lines);
    let deprecated = &f.deprecated;
    let snapshot_ty_in_details = match &f.model.value_type {
        ValueType::String => quote!(&str),
        ValueType::Value => quote!(&::ff_runtime::Value),
        _ => snapshot_ty.clone(),
    };
    // With `warn_unused`, the public accessors go to their own impl (`public`), each calling
    // the feature's marker; without, each stays where it was, before its read function.
    let marker = super::unused::call(f.marker.as_ref());
    let mut public = TokenStream::new();
    let mut place = |tokens: &mut TokenStream, accessor: TokenStream| {
        if warn_unused { public.extend(accessor) } else { tokens.extend(accessor) }
    };
    let details_read_method = &f.details_read_method;
    let mut tokens = TokenStream::new();
    place(
        &mut tokens,
        super::unused::accessor(
            warn_unused,
            quote!(#snapshot_doc #deprecated),
            quote! {
                fn #method(&self, ctx: &Context<'_>) -> #snapshot_ty {
                    #marker
                    Self::#read_method(self.inner.as_ref(), ctx)
                }
            },
        ),
    );
    tokens.extend(quote! {
        #[doc(hidden)]
        #[inline]
        pub fn #read_method #lifetime(snapshot: ::std::option::Option<#snapshot_arg>, ctx: &Context<'_>) -> #snapshot_ty_in {
            // Evaluation events or counter enabled: read through the details, which record.
            if ::ff_runtime::__private_v1::observed(snapshot) {
                return ::ff_runtime::__private_v1::out_of_line(move || {
                    Self::#details_read_method(snapshot.ok_or(::ff_runtime::__private_v1::ErrorKind::ProviderNotReady), ctx).value
                });
            }
            #snapshot_body
        }
    });
    let (details_method, details_body, details_ty_in) = (&f.details_method, &f.details_body, &f.details_ty_in);
    let details_doc = doc([
        format!("[`FlagsSnapshot::{}`], with why: the reason, the matched rule and the document's version (see", f.model.method.trim_start_matches("r#")),
        "[`ff_runtime::Details`]). Allocates nothing.".to_owned(),
    ]);
    place(
        &mut tokens,
        super::unused::accessor(
            warn_unused,
            quote!(#details_doc #deprecated),
            quote! {
                fn #details_method(&self, ctx: &Context<'_>) -> ::ff_runtime::Details<'_, #snapshot_ty_in_details> {
                    #marker
                    Self::#details_read_method(self.inner.as_ref().ok_or(::ff_runtime::__private_v1::ErrorKind::ProviderNotReady), ctx)
                }
            },
        ),
    );
    tokens.extend(quote! {
        #[doc(hidden)]
        #[inline]
        pub fn #details_read_method<'__ff>(
            snapshot: ::std::result::Result<&'__ff ::ff_runtime::Snapshot, ::ff_runtime::__private_v1::ErrorKind>,
            ctx: &Context<'_>,
        ) -> ::ff_runtime::Details<'__ff, #details_ty_in> {
            #details_body
        }
    });
    if let (Some(body), Some(_)) = (&f.native_details, &f.native) {
        let native_details_method = &f.native_details_method;
        tokens.extend(quote! {
            #[doc(hidden)]
            #[inline(always)]
            pub fn #native_details_method #lifetime(ctx: &Context<'_>) -> ::std::option::Option<(#snapshot_ty_in, ::std::option::Option<usize>)> {
                #body
            }
        });
    }
    if let Some(body) = &f.native {
        // Native features are bool, i64, f64 or string: the read function's return type.
        tokens.extend(quote! {
            #[doc(hidden)]
            #[inline(always)]
            pub fn #native_method #lifetime(ctx: &Context<'_>) -> ::std::option::Option<#snapshot_ty_in> {
                #body
            }
        });
    }
    (public, tokens)
}

/// `enabled_features`: a feature the live document has exactly as compiled is evaluated by
/// its native function directly (which features are is looked up once per call).
fn enabled_features_body(features: &[FeatureCode<'_>]) -> TokenStream {
    if features.is_empty() {
        return quote! {
            let _ = ctx;
            ::std::vec::Vec::new()
        };
    }
    let mut checks = TokenStream::new();
    for f in features {
        let (read_method, native_method, variant, idx) = (&f.read_method, &f.native_method, &f.variant, &f.index);
        let value = match &f.native {
            Some(_) => quote! {
                match ::ff_runtime::__private_v1::is_native(native, #idx).then(|| Self::#native_method(ctx)).flatten() {
                    ::std::option::Option::Some(value) => value,
                    ::std::option::Option::None => Self::#read_method(self.inner.as_ref(), ctx),
                }
            },
            // The read function, not the accessor: generated code must not count as a use of a
            // deprecated (expired) feature.
            None => quote!(Self::#read_method(self.inner.as_ref(), ctx)),
        };
        let check = match &f.truthy {
            None => value,
            Some(path) => quote!(#path(&#value)),
        };
        checks.extend(quote! {
            if #check {
                enabled.push(FlagName::#variant);
            }
        });
    }
    let native_lookup = if features.iter().any(|f| f.native.is_some()) {
        quote!(let native = ::ff_runtime::__private_v1::native_features(self.inner.as_ref(), __ff_layout());)
    } else {
        TokenStream::new()
    };
    let n_features = Literal::usize_unsuffixed(features.len());
    quote! {
        let mut enabled = ::std::vec::Vec::with_capacity(#n_features);
        #native_lookup
        #checks
        enabled
    }
}
