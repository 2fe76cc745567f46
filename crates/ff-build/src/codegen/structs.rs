//! The value types generated for object-valued features ([`crate::shapes`]): `serde`
//! structs through `ff_runtime::__private_v1::serde`, so the user's crate needs no `serde`
//! dependency of its own.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc, ident};
use super::Ctx;
use crate::shapes::{GeneratedStruct, Shape};

/// Every generated struct, in the model's order.
pub(super) fn tokens(cx: &Ctx<'_>) -> TokenStream {
    cx.model.structs.iter().map(|s| generated_struct(cx, s)).collect()
}

fn shape_tokens(shape: &Shape) -> TokenStream {
    match shape {
        Shape::Bool => quote!(bool),
        Shape::I64 => quote!(i64),
        Shape::F64 => quote!(f64),
        Shape::String => quote!(::std::string::String),
        Shape::Any => quote!(::ff_runtime::Value),
        Shape::List(element) => {
            let element = shape_tokens(element);
            quote!(::std::vec::Vec<#element>)
        }
        Shape::Struct(name) => {
            let name = ident(name);
            quote!(#name)
        }
    }
}

fn generated_struct(cx: &Ctx<'_>, s: &GeneratedStruct) -> TokenStream {
    let vis = &cx.vis;
    let name = ident(&s.name);
    let what = if s.path.is_empty() {
        format!("The value of feature {}", code(&s.feature))
    } else {
        format!("Member {} of the value of feature {}", code(&s.path), code(&s.feature))
    };
    let struct_doc = doc([
        format!("{what}, as a struct generated from the shapes of its `default` and `when_match` values."),
        String::new(),
        "A member that some values lack is an `Option`; integers and numbers together are `f64`.".to_owned(),
    ]);
    let fields = s.fields.iter().map(|f| {
        let field = ident(&f.field);
        let key = f.key.as_str();
        let ty = shape_tokens(&f.shape);
        let field_doc = doc([format!(
            "Member {}{}.",
            code(key),
            if f.optional { " (absent from some values: `None`)" } else { "" }
        )]);
        if f.optional {
            quote! {
                #field_doc
                #[serde(rename = #key, default, skip_serializing_if = "::std::option::Option::is_none")]
                pub #field: ::std::option::Option<#ty>,
            }
        } else {
            quote! {
                #field_doc
                #[serde(rename = #key)]
                pub #field: #ty,
            }
        }
    });
    quote! {
        #struct_doc
        #[derive(
            ::std::clone::Clone,
            ::std::fmt::Debug,
            ::std::default::Default,
            ::std::cmp::PartialEq,
            ::ff_runtime::__private_v1::serde::Serialize,
            ::ff_runtime::__private_v1::serde::Deserialize,
        )]
        #[serde(crate = "::ff_runtime::__private_v1::serde")]
        #[allow(dead_code)]
        #vis struct #name {
            #(#fields)*
        }
    }
}
