//! What each feature's accessors are made of (names, types, the read expression, native
//! evaluation), computed once and used by `Flags`, `FlagsSnapshot` and `FlagsForTests`.

use ff_runtime::Feature;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::docs::{brief, code, feature_headline, ident, number_tokens};
use super::native::{native_details, native_evaluation};
use super::Ctx;
use crate::model::{FeatureModel, ValueType};

/// The pieces of one feature's generated accessors.
pub(super) struct FeatureCode<'a> {
    pub feature: &'a Feature,
    pub model: &'a FeatureModel,
    /// The accessor (and test setter).
    pub method: Ident,
    /// `FlagsSnapshot::__ff_read_NAME`: the snapshot accessor's body, shared with the async
    /// accessor (which lends it the cached state).
    pub read_method: Ident,
    /// `FlagsSnapshot::__ff_native_NAME`, used when `native` is some.
    pub native_method: Ident,
    pub variant: Ident,
    /// The body of the native evaluation, when the generator translates the feature.
    pub native: Option<TokenStream>,
    /// The `*_details` accessor, its read function (`FlagsSnapshot::__ff_details_NAME`) and
    /// native evaluation (`__ff_native_details_NAME`, giving the matched rule's index too).
    pub details_method: Ident,
    pub details_read_method: Ident,
    pub native_details_method: Ident,
    pub native_details: Option<TokenStream>,
    /// The details read function's body and value type (borrowing `'__ff`).
    pub details_body: TokenStream,
    /// The compiled-in rules' names and reasons, `&[("name", Reason::…)]`: the variants the
    /// details of a native evaluation and `Flags`' details borrow.
    pub rules: TokenStream,
    pub details_ty_in: TokenStream,
    /// `Flags`' accessor type.
    pub owned_ty: TokenStream,
    /// `FlagsSnapshot`'s accessor type.
    pub snapshot_ty: TokenStream,
    /// The read function's body.
    pub snapshot_body: TokenStream,
    /// Turns the snapshot's value into `owned_ty` (`.to_owned()`, `.clone()` or nothing).
    pub to_owned: TokenStream,
    /// `FlagsForTests`' setter parameter type and the `ff_runtime::Value` it makes.
    pub setter_ty: TokenStream,
    pub setter_value: TokenStream,
    /// The truthiness function for `enabled_features` (`None` for `bool`).
    pub truthy: Option<TokenStream>,
    /// The read function's lifetime parameter, snapshot argument type and return type.
    pub lifetime: TokenStream,
    pub snapshot_arg: TokenStream,
    pub snapshot_ty_in: TokenStream,
    /// `Feature `x` (boolean feature): `bool`, default `false`.`
    pub headline: String,
    /// The default, as a code span.
    pub default: String,
    /// The description from the feature's lifecycle metadata, as the accessors' first doc
    /// paragraph (empty without one).
    pub description: Vec<String>,
    /// `#[deprecated(note = "…")]` on every accessor of a feature past its expiry date
    /// (empty otherwise).
    pub deprecated: TokenStream,
    pub index: Literal,
    /// The flag's struct model, for an AppConfig feature flags document.
    pub flag: Option<&'a crate::appconfig::FlagStructModel>,
    /// `feature_NAME`, the function its four public accessors call, with `warn_unused` (see
    /// `unused`).
    pub marker: Option<Ident>,
}

/// The code of every feature, in document order.
pub(super) fn features<'a>(cx: &Ctx<'a>) -> Vec<FeatureCode<'a>> {
    cx.document.features().iter().zip(&cx.model.features).enumerate().map(|(i, (f, m))| FeatureCode::new(cx, i, f, m)).collect()
}

impl<'a> FeatureCode<'a> {
    fn new(cx: &Ctx<'a>, index: usize, feature: &'a Feature, fm: &'a FeatureModel) -> FeatureCode<'a> {
        // Methods never start with `__` and have `_` before a digit only, so these names are
        // unique and snake case.
        let bare = fm.method.trim_start_matches("r#").trim_start_matches('_');
        let read_method = ident(&format!("__ff_read_{bare}"));
        let native_method = ident(&format!("__ff_native_{bare}"));
        let details_read_method = ident(&format!("__ff_details_{bare}"));
        let native_details_method = ident(&format!("__ff_native_details_{bare}"));
        // `r#type` gives `type_details`, `self_` (for `self`) `self_details`.
        let details_method = ident(&fm.details_method());
        let name = feature.name.as_str();
        let idx = Literal::usize_unsuffixed(index);
        let serde_args = quote!(snapshot, ctx, __ff_drift(), #idx, #name);
        // Features the generator can translate are evaluated by the generated code itself
        // while the live document has them exactly as compiled (`read_native`).
        let native = native_evaluation(feature, fm, cx.model);
        let native_details = native_details(feature, fm, cx.model);
        let details_native = match &native_details {
            Some(_) => quote!(::std::option::Option::Some(Self::#native_details_method)),
            None => quote!(::std::option::Option::None::<fn(&Context<'_>) -> ::std::option::Option<(_, ::std::option::Option<usize>)>>),
        };
        let details_args = quote!(snapshot, ctx, __ff_drift(), __ff_layout(), #idx, #name);
        let details_read_args = &details_args;
        let rule_entries = feature.rules.iter().map(|rule| {
            let rule_name = rule.name.as_str();
            let reason = if rule.is_split() { quote!(Split) } else { quote!(TargetingMatch) };
            quote!((#rule_name, ::ff_runtime::Reason::#reason))
        });
        let rules = quote!(&[#(#rule_entries),*]);
        let (read_fn, read_args) = match &native {
            Some(_) => (quote!(read_native), quote!(snapshot, ctx, __ff_drift(), __ff_layout(), #idx, #name, Self::#native_method)),
            None => (quote!(read_typed), quote!(snapshot, ctx, __ff_drift(), __ff_layout(), #idx, #name)),
        };

        let (owned_ty, snapshot_ty, snapshot_body, to_owned, setter_ty, setter_value, truthy) = match &fm.value_type {
            ValueType::Bool => {
                let lit = feature.default.as_bool().expect("checked by the model");
                (
                    quote!(bool),
                    quote!(bool),
                    quote!(::ff_runtime::__private_v1::#read_fn(#read_args).unwrap_or(#lit)),
                    quote!(),
                    quote!(bool),
                    quote!(::ff_runtime::Value::Bool(value)),
                    None,
                )
            }
            ValueType::I64 | ValueType::F64 => {
                let lit = number_tokens(&feature.default, fm.value_type == ValueType::F64);
                let ty = if fm.value_type == ValueType::I64 { quote!(i64) } else { quote!(f64) };
                (
                    ty.clone(),
                    ty.clone(),
                    quote!(::ff_runtime::__private_v1::#read_fn(#read_args).unwrap_or(#lit)),
                    quote!(),
                    ty,
                    quote!(::ff_runtime::Value::from(value)),
                    Some(quote!(::ff_runtime::__private_v1::Truthy::truthy)),
                )
            }
            ValueType::String => {
                let lit = feature.default.as_str().expect("checked by the model");
                (
                    quote!(::std::string::String),
                    quote!(&str),
                    quote!(::ff_runtime::__private_v1::#read_fn(#read_args).unwrap_or(#lit)),
                    quote!(.to_owned()),
                    quote!(impl ::std::convert::Into<::std::string::String>),
                    quote!(::ff_runtime::Value::String(value.into())),
                    Some(quote!(::ff_runtime::__private_v1::Truthy::truthy)),
                )
            }
            ValueType::Value => (
                quote!(::ff_runtime::Value),
                quote!(&::ff_runtime::Value),
                quote! {
                    ::ff_runtime::__private_v1::#read_fn(#read_args)
                        .unwrap_or_else(|| &__ff_compiled().features()[#idx].default)
                },
                quote!(.clone()),
                quote!(impl ::std::convert::Into<::ff_runtime::Value>),
                quote!(value.into()),
                Some(quote!(::ff_runtime::__private_v1::Truthy::truthy)),
            ),
            ValueType::Flag(struct_name) => {
                let ty = ident(struct_name);
                (
                    quote!(#ty),
                    quote!(#ty),
                    quote!(::ff_runtime::__private_v1::read_flag(#details_read_args).unwrap_or_default()),
                    quote!(),
                    quote!(#ty),
                    quote!(::ff_runtime::__private_v1::FlagStruct::to_flag(&value)),
                    Some(quote!(::ff_runtime::__private_v1::flag_enabled)),
                )
            }
            ValueType::Serde(_) | ValueType::Struct(_) => {
                let ty = cx.serde_type(name);
                (
                    quote!(#ty),
                    quote!(#ty),
                    quote! {
                        ::ff_runtime::__private_v1::read_serde(#serde_args)
                            .unwrap_or_else(|| ::ff_runtime::__private_v1::compiled_value(__ff_compiled(), __ff_drift(), #idx))
                    },
                    quote!(),
                    quote!(#ty),
                    quote!(::ff_runtime::__private_v1::to_value(&value)),
                    Some(quote!(::ff_runtime::__private_v1::serde_truthy)),
                )
            }
        };

        let details_body = match &fm.value_type {
            ValueType::Bool | ValueType::I64 | ValueType::F64 | ValueType::String => {
                let lit = match &fm.value_type {
                    ValueType::Bool => {
                        let b = feature.default.as_bool().expect("checked by the model");
                        quote!(#b)
                    }
                    ValueType::String => {
                        let text = feature.default.as_str().expect("checked by the model");
                        quote!(#text)
                    }
                    _ => number_tokens(&feature.default, fm.value_type == ValueType::F64),
                };
                quote!(::ff_runtime::__private_v1::details_native(#details_args, || #lit, #details_native, #rules))
            }
            ValueType::Value => quote! {
                ::ff_runtime::__private_v1::details_native(#details_args, || &__ff_compiled().features()[#idx].default, #details_native, #rules)
            },
            ValueType::Flag(_) => quote!(::ff_runtime::__private_v1::details_flag(#details_args)),
            ValueType::Serde(_) | ValueType::Struct(_) => quote! {
                ::ff_runtime::__private_v1::details_serde(#details_args, || ::ff_runtime::__private_v1::compiled_value(__ff_compiled(), __ff_drift(), #idx))
            },
        };
        let details_ty_in = match &fm.value_type {
            ValueType::String => quote!(&'__ff str),
            ValueType::Value => quote!(&'__ff ::ff_runtime::Value),
            _ => snapshot_ty.clone(),
        };

        // Only borrowed values need the snapshot's lifetime named (clippy asks to elide it
        // elsewhere, and generated code must pass `clippy -D warnings`).
        let (lifetime, snapshot_arg, snapshot_ty_in) = match &fm.value_type {
            ValueType::String => (quote!(<'__ff>), quote!(&'__ff ::ff_runtime::Snapshot), quote!(&'__ff str)),
            ValueType::Value => (quote!(<'__ff>), quote!(&'__ff ::ff_runtime::Snapshot), quote!(&'__ff ::ff_runtime::Value)),
            _ => (quote!(), quote!(&::ff_runtime::Snapshot), snapshot_ty.clone()),
        };
        let flag = super::appconfig::flag(cx, name);
        FeatureCode {
            feature,
            model: fm,
            method: ident(&fm.method),
            read_method,
            native_method,
            variant: ident(&fm.variant),
            native,
            details_method,
            details_read_method,
            native_details_method,
            native_details,
            details_body,
            rules,
            details_ty_in,
            owned_ty,
            snapshot_ty,
            snapshot_body,
            to_owned,
            setter_ty,
            setter_value,
            truthy,
            lifetime,
            snapshot_arg,
            snapshot_ty_in,
            headline: flag.map_or_else(|| feature_headline(feature, fm), super::appconfig::headline),
            default: code(&brief(&feature.default)),
            description: flag.map_or_else(|| super::lifecycle::description(feature), super::appconfig::description),
            deprecated: flag.map_or_else(|| super::lifecycle::deprecated(feature, cx.today), super::appconfig::deprecated),
            flag,
            index: idx,
            marker: cx.options.warn_unused.then(|| ident(&fm.marker_name())),
        }
    }
}
