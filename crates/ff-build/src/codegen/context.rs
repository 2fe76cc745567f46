//! `Context<'a>`: one typed field and setter per context key, and its `ff_runtime::Context`
//! implementation.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{brief, code, doc, ident, MAX_USES_IN_DOCS};
use super::Ctx;
use crate::model::{ContextField, FieldType};

fn field_doc(field: &ContextField) -> Vec<String> {
    if !field.variant_rules.is_empty() {
        return variant_field_doc(field);
    }
    let mut lines = if field.conflict {
        let kinds: Vec<&str> = {
            let mut kinds: Vec<&str> = field.uses.iter().filter_map(|u| u.wants.map(|t| t.describe())).collect();
            kinds.dedup();
            kinds
        };
        vec![
            format!(
                "Context key {}: any JSON value, because the rules compare it as {}.",
                code(&field.key),
                kinds.join(" and as ")
            ),
            "Set the type that the rule you target expects.".to_owned(),
        ]
    } else {
        vec![format!(
            "Context key {}: {} ({}).",
            code(&field.key),
            field.ty.describe(),
            code(field.ty.rust_name())
        )]
    };
    lines.push(String::new());
    lines.push("Read by:".to_owned());
    lines.push(String::new());
    for use_ in field.uses.iter().take(MAX_USES_IN_DOCS) {
        lines.push(format!(
            "- {}, rule {}: {} {}",
            code(&use_.feature),
            code(&use_.rule),
            use_.action,
            code(&brief(&use_.value))
        ));
    }
    if field.uses.len() > MAX_USES_IN_DOCS {
        lines.push(format!("- … and {} more conditions", field.uses.len() - MAX_USES_IN_DOCS));
    }
    lines
}

/// The doc of a context key that AppConfig variant rules read (the Agent evaluates them).
fn variant_field_doc(field: &ContextField) -> Vec<String> {
    let mut lines = vec![if field.conflict {
        format!("Context key {}: any value, because the variant rules compare it with different types.", code(&field.key))
    } else {
        format!("Context key {}: {} ({}).", code(&field.key), field.ty.describe(), code(field.ty.rust_name()))
    }];
    lines.extend([
        String::new(),
        "Sent to the AppConfig Agent (a `Context: key=value` header) for the variant rules that read it:".to_owned(),
        String::new(),
    ]);
    for (flag, variant, rule) in field.variant_rules.iter().take(MAX_USES_IN_DOCS) {
        lines.push(format!("- flag {}, variant {}: {}", code(flag), code(variant), code(rule)));
    }
    if field.variant_rules.len() > MAX_USES_IN_DOCS {
        lines.push(format!("- … and {} more rules", field.variant_rules.len() - MAX_USES_IN_DOCS));
    }
    lines
}

/// The struct, its constructor and setters, and the `ff_runtime::Context` impl.
pub(super) fn tokens(cx: &Ctx<'_>) -> TokenStream {
    let (vis, derives) = (&cx.vis, &cx.context_derives);
    let source = code(&cx.source);
    let mut fields = TokenStream::new();
    let mut setters = TokenStream::new();
    let mut arms = TokenStream::new();
    // Alternating slot literal and value expression, one pair per field (slot = position).
    let mut slot_arms: Vec<TokenStream> = Vec::new();
    for field in &cx.model.fields {
        let name = ident(&field.field);
        let key = field.key.as_str();
        let field_docs = doc(field_doc(field));
        let (ty, param, value, get) = match field.ty {
            FieldType::Str => (
                quote!(&'a str),
                quote!(&'a str),
                quote!(value),
                quote!(self.#name.map(::ff_runtime::ValueRef::Str)),
            ),
            FieldType::Int => (
                quote!(::ff_runtime::Integer),
                quote!(impl ::std::convert::Into<::ff_runtime::Integer>),
                quote!(value.into()),
                quote!(self.#name.as_ref().map(::ff_runtime::Integer::as_value_ref)),
            ),
            FieldType::Float => (quote!(f64), quote!(f64), quote!(value), quote!(self.#name.map(::ff_runtime::ValueRef::Float))),
            FieldType::Bool => (quote!(bool), quote!(bool), quote!(value), quote!(self.#name.map(::ff_runtime::ValueRef::Bool))),
            FieldType::StrList => (
                quote!(::ff_runtime::StrSlice<'a>),
                quote!(impl ::std::convert::Into<::ff_runtime::StrSlice<'a>>),
                quote!(value.into()),
                quote!(self.#name.map(::ff_runtime::StrSlice::as_value_ref)),
            ),
            FieldType::IntList => (
                quote!(::ff_runtime::IntSlice<'a>),
                quote!(impl ::std::convert::Into<::ff_runtime::IntSlice<'a>>),
                quote!(value.into()),
                quote!(self.#name.map(::ff_runtime::IntSlice::as_value_ref)),
            ),
            FieldType::FloatList | FieldType::BoolList => {
                let (element, variant) = match field.ty {
                    FieldType::FloatList => (quote!(f64), quote!(Floats)),
                    _ => (quote!(bool), quote!(Bools)),
                };
                (
                    quote!(&'a [#element]),
                    quote!(&'a [#element]),
                    quote!(value),
                    quote!(self.#name.map(|list| ::ff_runtime::ValueRef::List(::ff_runtime::ListRef::#variant(list)))),
                )
            }
            FieldType::Value => (
                quote!(::ff_runtime::Value),
                quote!(impl ::std::convert::Into<::ff_runtime::Value>),
                quote!(value.into()),
                quote!(self.#name.as_ref().map(::ff_runtime::Value::as_ref)),
            ),
        };
        fields.extend(quote! {
            #field_docs
            pub #name: ::std::option::Option<#ty>,
        });
        let mut setter_lines = vec![format!("Sets context key {} (see the field of the same name).", code(key))];
        let takes = match field.ty {
            FieldType::Int => Some("Takes every primitive integer type (`u64`, `i32`, `usize`, …), exactly."),
            FieldType::StrList => Some("Takes `&[&str]`, `&[String]`, `&[Box<str>]`, `&[Arc<str>]` or `&[Cow<str>]` (a slice, `&Vec` or array), borrowed."),
            FieldType::IntList => Some("Takes a slice (`&Vec`, array) of any primitive integer type but `u128`, borrowed."),
            _ => None,
        };
        if let Some(takes) = takes {
            setter_lines.push(takes.to_owned());
        }
        let setter_doc = doc(setter_lines);
        setters.extend(quote! {
            #setter_doc
            pub fn #name(mut self, value: #param) -> Self {
                self.#name = ::std::option::Option::Some(#value);
                self
            }
        });
        arms.extend(quote! { #key => #get, });
        let slot = Literal::usize_unsuffixed(slot_arms.len() / 2);
        slot_arms.push(quote!(#slot));
        slot_arms.push(get);
    }
    let lookup_extra = quote! {
        self.extra.iter().rev().find(|(k, _)| k == key).map(|(_, value)| value.as_ref())
    };
    let get_slot = if cx.model.fields.is_empty() {
        TokenStream::new()
    } else {
        let slots = slot_arms.iter().step_by(2);
        let gets = slot_arms.iter().skip(1).step_by(2);
        quote! {
            #[inline]
            fn get_slot(&self, slot: usize, key: &str) -> ::std::option::Option<::ff_runtime::ValueRef<'_>> {
                let typed = match slot {
                    #(#slots => #gets,)*
                    _ => return ::ff_runtime::Context::get(self, key),
                };
                if typed.is_some() {
                    return typed;
                }
                #lookup_extra
            }
        }
    };
    let get_body = if cx.model.fields.is_empty() {
        lookup_extra
    } else {
        quote! {
            let typed = match key {
                #arms
                _ => ::std::option::Option::None,
            };
            typed.or_else(|| #lookup_extra)
        }
    };
    let entries = entries_impl(cx, &arms, &slot_arms);
    let struct_doc = doc([
        format!("The context the rules of {source} read: one optional field per context key."),
        String::new(),
        "Each field is typed from the values the rules compare the key with (time conditions read the".to_owned(),
        "clock, not the context). A field left `None` is a missing key, which never matches a condition.".to_owned(),
        "Build one with [`Context::new`] and the setters; set keys that only a newer live document uses".to_owned(),
        "with [`Context::with`]. Nothing is copied or allocated when the rules read it.".to_owned(),
    ]);
    quote! {
        #struct_doc
        #[derive(Clone, Debug, Default, #(#derives),*)]
        #[allow(dead_code)]
        #vis struct Context<'a> {
            #fields
            extra: ::std::vec::Vec<(::std::borrow::Cow<'a, str>, ::ff_runtime::Value)>,
        }

        #[allow(dead_code, clippy::should_implement_trait, clippy::wrong_self_convention)]
        impl<'a> Context<'a> {
            /// An empty context: no key set.
            pub fn new() -> Self {
                Self::default()
            }

            #setters

            /// Sets context key `key` to `value`, whatever its type: for keys that only a newer
            /// live document uses, or a value of another type than the field's. A field that is
            /// set takes precedence over a value set here for the same key; of two values set
            /// here for one key, the later wins.
            pub fn with(
                mut self,
                key: impl ::std::convert::Into<::std::borrow::Cow<'a, str>>,
                value: impl ::std::convert::Into<::ff_runtime::Value>,
            ) -> Self {
                self.extra.push((key.into(), value.into()));
                self
            }
        }

        impl ::ff_runtime::Context for Context<'_> {
            fn get(&self, key: &str) -> ::std::option::Option<::ff_runtime::ValueRef<'_>> {
                #get_body
            }

            #get_slot
        }

        #entries
    }
}

/// The `ff_runtime::ContextEntries` impl: the set fields in declaration order, then the
/// keys set with `with` that no set field and no later `with` shadows (what `get` returns).
fn entries_impl(cx: &Ctx<'_>, arms: &TokenStream, slot_arms: &[TokenStream]) -> TokenStream {
    let keys = cx.model.fields.iter().map(|field| field.key.as_str());
    let gets = slot_arms.iter().skip(1).step_by(2);
    let typed = if cx.model.fields.is_empty() {
        TokenStream::new()
    } else {
        quote!(|| match &**key { #arms _ => ::std::option::Option::None }.is_some())
    };
    quote! {
        impl ::ff_runtime::ContextEntries for Context<'_> {
            fn for_each_entry(&self, f: &mut dyn ::std::ops::FnMut(&str, ::ff_runtime::ValueRef<'_>)) {
                #(
                    if let ::std::option::Option::Some(value) = #gets {
                        f(#keys, value);
                    }
                )*
                for (i, (key, value)) in self.extra.iter().enumerate() {
                    let shadowed = self.extra[i + 1..].iter().any(|(later, _)| later == key) #typed;
                    if !shadowed {
                        f(key, value.as_ref());
                    }
                }
            }
        }
    }
}
