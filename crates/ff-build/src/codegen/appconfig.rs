//! The types generated for an AppConfig feature flags document ([`crate::appconfig`]): per
//! flag a struct (`enabled` and a field per attribute) whose `Default` is the compiled-in
//! values, read field by field from the live flag object through
//! `ff_runtime::__private_v1::FlagStruct`; per string attribute with an `enum` constraint an
//! enum. Also the flag's doc lines, which `FlagName`, `Flags` and `FlagsSnapshot` share.

use ff_runtime::Value;
use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc, ident, number_tokens};
use super::Ctx;
use crate::appconfig::{AttributeEnum, AttributeField, AttributeType, FlagStructModel};

/// Whether `Flags`' accessors of a multi-variant AppConfig flag ask the store to evaluate it
/// with the context (`ff_runtime::__private_v1::variant_flag`, over
/// `FeatureFlags::evaluate_variant`: the AppConfig Agent's `?flag=KEY` with `Context`
/// headers). Off, they would read the flag's values in the document in force, what AWS
/// serves without context (its default variant), as `FlagsSnapshot`'s accessors do.
pub(super) const VARIANTS_FROM_STORE: bool = true;

/// Every flag's enums and struct, in document order.
pub(super) fn tokens(cx: &Ctx<'_>) -> TokenStream {
    let mut tokens = TokenStream::new();
    for flag in &cx.model.flags {
        for generated in &flag.enums {
            tokens.extend(attribute_enum(cx, flag, generated));
        }
        tokens.extend(flag_struct(cx, flag));
    }
    tokens
}

/// The flag model of the feature called `name`, for an AppConfig document.
pub(super) fn flag<'m>(cx: &Ctx<'m>, name: &str) -> Option<&'m FlagStructModel> {
    cx.model.flags.iter().find(|f| f.key == name)
}

/// `` `dark_mode` (AppConfig flag "Dark mode"): [`DarkMode`], enabled in the compiled-in document. ``
pub(super) fn headline(flag: &FlagStructModel) -> String {
    let state = if flag.enabled { "enabled" } else { "disabled" };
    format!("{} (AppConfig flag {:?}): [`{}`], {state} in the compiled-in document.", code(&flag.key), flag.title, flag.name)
}

/// The description (then an empty line), as doc lines.
pub(super) fn description(flag: &FlagStructModel) -> Vec<String> {
    match flag.description.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => {
            let mut lines: Vec<String> = text.lines().map(|l| l.trim_end().to_owned()).collect();
            lines.push(String::new());
            lines
        }
        _ => Vec::new(),
    }
}

/// What the flag's variants are, for the accessors' docs (one line for a basic flag).
pub(super) fn variants_doc(flag: &FlagStructModel) -> Vec<String> {
    if flag.variants.is_empty() {
        return vec!["A basic flag: its value is the live document's `enabled` and attributes.".to_owned()];
    }
    let how = if VARIANTS_FROM_STORE {
        "(`Flags`' accessor asks the store with the context; a store that cannot, and `FlagsSnapshot`, give what AWS serves"
    } else {
        "(ff does not evaluate variant rules: the accessors give what AWS serves"
    };
    let mut lines = vec![
        "A multi-variant flag: the AppConfig Agent picks the first variant whose rule matches the context".to_owned(),
        format!("{how} without context, the default variant). Variants:"),
        String::new(),
    ];
    for (i, (name, rule)) in flag.variants.iter().enumerate() {
        let rule = rule.as_deref().map_or_else(|| "the default variant".to_owned(), code);
        lines.push(format!("{}. {}: {rule}", i + 1, code(name)));
    }
    lines
}

/// `#[deprecated]` for a flag with `_deprecation`.
pub(super) fn deprecated(flag: &FlagStructModel) -> TokenStream {
    let Some((status, date)) = &flag.deprecation else { return TokenStream::new() };
    let date = date.as_deref().map_or_else(String::new, |d| format!(", date {d}"));
    let note = format!("flag {:?} is deprecated ({status}{date}): remove its uses, then the flag from the document", flag.key);
    quote!(#[deprecated(note = #note)])
}

fn attribute_enum(cx: &Ctx<'_>, flag: &FlagStructModel, generated: &AttributeEnum) -> TokenStream {
    let vis = &cx.vis;
    let name = ident(&generated.name);
    let attribute = flag.fields.iter().find(|f| f.ty == AttributeType::Enum(generated.name.clone()));
    let key = attribute.map_or("", |a| a.key.as_str());
    let enum_doc = doc([
        format!("The allowed strings of attribute {} of flag {} (its `enum` constraint).", code(key), code(&flag.key)),
        String::new(),
        "A live string that is none of these reads as the field's compiled-in value, a `TYPE_MISMATCH` in the".to_owned(),
        "`*_details` accessors (logged once per document): add the string to the document and rebuild.".to_owned(),
    ]);
    let variants: Vec<_> = generated.variants.iter().map(|(_, v)| ident(v)).collect();
    let strings: Vec<&str> = generated.variants.iter().map(|(s, _)| s.as_str()).collect();
    let variant_docs: Vec<TokenStream> = strings.iter().map(|s| doc([code(&format!("{s:?}"))])).collect();
    quote! {
        #enum_doc
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(dead_code)]
        #vis enum #name {
            #(#variant_docs #variants,)*
        }

        #[allow(dead_code)]
        impl #name {
            /// Every allowed string's variant, in constraint order.
            pub const ALL: &'static [#name] = &[#(#name::#variants),*];

            /// The string in the document.
            pub const fn as_str(self) -> &'static str {
                match self {
                    #(#name::#variants => #strings,)*
                }
            }
        }

        impl ::std::fmt::Display for #name {
            /// The string in the document.
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::ff_runtime::__private_v1::AttributeValue for #name {
            fn from_attribute(value: &::ff_runtime::Value) -> ::std::option::Option<Self> {
                match value.as_str()? {
                    #(#strings => ::std::option::Option::Some(#name::#variants),)*
                    _ => ::std::option::Option::None,
                }
            }

            fn to_attribute(&self) -> ::ff_runtime::Value {
                ::ff_runtime::Value::from(self.as_str())
            }
        }
    }
}

fn flag_struct(cx: &Ctx<'_>, flag: &FlagStructModel) -> TokenStream {
    let vis = &cx.vis;
    let name = ident(&flag.name);
    let mut lines = vec![format!("{}: flag {} of {} (AppConfig feature flags).", flag.title, code(&flag.key), code(&cx.source))];
    lines.push(String::new());
    lines.extend(description(flag));
    lines.push(format!("The value of `Flags::{0}` and `FlagsSnapshot::{0}`. Its `Default` is the compiled-in document's values.", method_of(cx, flag)));
    lines.push("A live attribute of another type than its field keeps the compiled-in value; a required one the".to_owned());
    lines.push("live flag lacks (the retrieval format drops the attributes of a disabled flag) too; an optional one is `None`.".to_owned());
    for note in &flag.notes {
        lines.push(String::new());
        lines.push(format!("Note: {note}."));
    }
    let struct_doc = doc(lines);
    let enabled_doc = doc([format!("Whether the flag is enabled (compiled-in: `{}`).", flag.enabled)]);
    let fields = flag.fields.iter().map(|f| {
        let (field, ty, field_doc) = (ident(&f.field), field_type(f), doc(field_doc(f)));
        quote!(#field_doc pub #field: #ty,)
    });
    let defaults = flag.fields.iter().map(|f| {
        let field = ident(&f.field);
        let value = compiled_tokens(f, &flag.enums);
        quote!(#field: #value,)
    });
    // Each compiled-in value is built only when the live flag does not give the field.
    let reads = flag.fields.iter().map(|f| {
        let (field, key) = (ident(&f.field), f.key.as_str());
        let read = if f.required { quote!(required) } else { quote!(optional) };
        let compiled = compiled_tokens(f, &flag.enums);
        quote!(#field: flag.#read(#key, || #compiled),)
    });
    let writes = flag.fields.iter().map(|f| {
        let (field, key) = (ident(&f.field), f.key.as_str());
        let value = if f.required {
            quote!(::std::option::Option::Some(::ff_runtime::__private_v1::AttributeValue::to_attribute(&self.#field)))
        } else {
            quote!(self.#field.as_ref().map(::ff_runtime::__private_v1::AttributeValue::to_attribute))
        };
        quote!((#key, #value),)
    });
    let enabled = flag.enabled;
    let float_lints = if flag.fields.iter().any(|f| matches!(&f.ty, AttributeType::F64) || f.ty == AttributeType::List(Box::new(AttributeType::F64))) {
        quote!(#[allow(clippy::approx_constant, clippy::excessive_precision, clippy::unreadable_literal)])
    } else {
        TokenStream::new()
    };
    quote! {
        #struct_doc
        #[derive(Clone, Debug, PartialEq)]
        #[allow(dead_code)]
        #vis struct #name {
            #enabled_doc
            pub enabled: bool,
            #(#fields)*
        }

        impl ::std::default::Default for #name {
            /// The compiled-in document's values.
            #float_lints
            fn default() -> Self {
                #name { enabled: #enabled, #(#defaults)* }
            }
        }

        impl ::ff_runtime::__private_v1::FlagStruct for #name {
            #float_lints
            fn from_flag(flag: &::ff_runtime::__private_v1::FlagObject<'_>) -> Self {
                #name { enabled: flag.required("enabled", || #enabled), #(#reads)* }
            }

            fn to_flag(&self) -> ::ff_runtime::Value {
                ::ff_runtime::__private_v1::flag_object([
                    ("enabled", ::std::option::Option::Some(::ff_runtime::Value::Bool(self.enabled))),
                    #(#writes)*
                ])
            }

            fn enabled(&self) -> bool {
                self.enabled
            }
        }
    }
}

/// The accessor's name of `flag` (for docs).
fn method_of(cx: &Ctx<'_>, flag: &FlagStructModel) -> String {
    cx.model.features.iter().find(|f| f.name == flag.key).map_or_else(String::new, |f| f.method.trim_start_matches("r#").to_owned())
}

fn field_doc(f: &AttributeField) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(description) = f.description.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        lines.extend(description.lines().map(|l| l.trim_end().to_owned()));
        lines.push(String::new());
    }
    let compiled = f.compiled.as_ref().map_or_else(|| "none".to_owned(), |v| code(&v.to_json()));
    let required = if f.required { "required" } else { "optional: `None` when the live flag lacks it" };
    lines.push(format!("Attribute {}: {} ({required}); compiled-in: {compiled}.", code(&f.key), f.constraint));
    lines
}

fn type_tokens(ty: &AttributeType) -> TokenStream {
    match ty {
        AttributeType::Bool => quote!(bool),
        AttributeType::I64 => quote!(i64),
        AttributeType::F64 => quote!(f64),
        AttributeType::String => quote!(::std::string::String),
        AttributeType::Enum(name) => {
            let name = ident(name);
            quote!(#name)
        }
        AttributeType::List(element) => {
            let element = type_tokens(element);
            quote!(::std::vec::Vec<#element>)
        }
        AttributeType::Value => quote!(::ff_runtime::Value),
    }
}

fn field_type(f: &AttributeField) -> TokenStream {
    let ty = type_tokens(&f.ty);
    if f.required {
        ty
    } else {
        quote!(::std::option::Option<#ty>)
    }
}

/// The compiled-in value of a field: the document's value, `None` for an optional field
/// without one, the type's zero value for a required one.
fn compiled_tokens(f: &AttributeField, enums: &[AttributeEnum]) -> TokenStream {
    match (&f.compiled, f.required) {
        (Some(value), true) => value_tokens(&f.ty, value, enums),
        (Some(value), false) => {
            let value = value_tokens(&f.ty, value, enums);
            quote!(::std::option::Option::Some(#value))
        }
        (None, false) => quote!(::std::option::Option::None),
        (None, true) => zero_tokens(&f.ty, enums),
    }
}

fn value_tokens(ty: &AttributeType, value: &Value, enums: &[AttributeEnum]) -> TokenStream {
    match ty {
        AttributeType::Bool => {
            let b = value.as_bool().unwrap_or_default();
            quote!(#b)
        }
        AttributeType::I64 => number_tokens(value, false),
        AttributeType::F64 => number_tokens(value, true),
        AttributeType::String => {
            let s = value.as_str().unwrap_or_default();
            quote!(::std::string::String::from(#s))
        }
        AttributeType::Enum(name) => {
            let generated = enums.iter().find(|e| e.name == *name).expect("the flag's enum");
            let text = value.as_str().unwrap_or_default();
            let variant = generated.variants.iter().find(|(s, _)| s == text).unwrap_or(&generated.variants[0]);
            let (name, variant) = (ident(name), ident(&variant.1));
            quote!(#name::#variant)
        }
        AttributeType::List(element) => {
            let items = value.as_array().unwrap_or_default().iter().map(|item| value_tokens(element, item, enums));
            quote!(::std::vec![#(#items),*])
        }
        AttributeType::Value => {
            let json = value.to_json();
            quote!(::ff_runtime::Value::from_json(#json).unwrap_or(::ff_runtime::Value::Null))
        }
    }
}

fn zero_tokens(ty: &AttributeType, enums: &[AttributeEnum]) -> TokenStream {
    match ty {
        AttributeType::Bool => quote!(false),
        AttributeType::I64 => quote!(0),
        AttributeType::F64 => quote!(0.0),
        AttributeType::String => quote!(::std::string::String::new()),
        AttributeType::Enum(name) => {
            let generated = enums.iter().find(|e| e.name == *name).expect("the flag's enum");
            let (name, variant) = (ident(name), ident(&generated.variants[0].1));
            quote!(#name::#variant)
        }
        AttributeType::List(_) => quote!(::std::vec::Vec::new()),
        AttributeType::Value => quote!(::ff_runtime::Value::Null),
    }
}
