//! The generated code's own evaluation of a feature (`__ff_native_NAME`), for the shapes of
//! rules whose Python semantics are plain Rust operations.

use ff_runtime::{Condition, Feature, Value};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{ident, number_tokens};
use crate::model::{FeatureModel, FieldType, Model, ValueType};

/// The generated code's own evaluation of `feature`, as the body of a function of the typed
/// context (`__ff_native_NAME(ctx: &Context<'_>) -> Option<T>`) that
/// `__private_v1::read_native` and `enabled_features` use only while the live feature is
/// exactly the compiled one. `None` when a value or a
/// condition has a shape this does not translate; the runtime then evaluates the feature.
///
/// Only shapes whose Python semantics are plain Rust operations are translated: a string
/// field compared with a string (`==`, `!=`, ordering by code point, prefix, suffix,
/// substring) or tested for membership in a list (a string only equals a string), and an
/// integer field (at any size) compared with an integer or bucketed by `MODULO_RANGE`. None of them can
/// be a type mismatch, so nothing the runtime would log is skipped. A condition whose field
/// is unset is false (a missing key) when `Context::with` set nothing; otherwise the
/// closure returns `None` and the runtime decides.
pub(super) fn native_evaluation(feature: &Feature, fm: &FeatureModel, model: &Model) -> Option<TokenStream> {
    native_body(feature, fm, model, false)
}

/// [`native_evaluation`] for the `*_details` accessors: the body of
/// `__ff_native_details_NAME(ctx: &Context<'_>) -> Option<(T, Option<usize>)>`, which also
/// gives the index of the matched rule (`None`: the default).
pub(super) fn native_details(feature: &Feature, fm: &FeatureModel, model: &Model) -> Option<TokenStream> {
    native_body(feature, fm, model, true)
}

fn native_body(feature: &Feature, fm: &FeatureModel, model: &Model, with_rule: bool) -> Option<TokenStream> {
    let typed = |value: &Value| -> Option<TokenStream> {
        match fm.value_type {
            ValueType::Bool => value.as_bool().map(|b| quote!(#b)),
            ValueType::I64 => value.as_i64().map(|_| number_tokens(value, false)),
            ValueType::F64 => value.as_f64().map(|_| number_tokens(value, true)),
            ValueType::String => value.as_str().map(|s| quote!(#s)),
            ValueType::Value | ValueType::Serde(_) | ValueType::Struct(_) | ValueType::Flag(_) => None,
        }
    };
    let default = typed(&feature.default)?;
    let mut rules = TokenStream::new();
    for (i, rule) in feature.rules.iter().enumerate() {
        let value = typed(rule.when_match.as_ref()?)?;
        let conditions = rule.conditions.iter().map(|c| native_condition(c, model)).collect::<Option<Vec<_>>>()?;
        let value = if with_rule {
            let i = Literal::usize_unsuffixed(i);
            quote!((#value, ::std::option::Option::Some(#i)))
        } else {
            value
        };
        rules.extend(quote! {
            if #(#conditions)&&* {
                return ::std::option::Option::Some(#value);
            }
        });
    }
    let default = if with_rule { quote!((#default, ::std::option::Option::None)) } else { default };
    Some(quote! {
        let _ = ctx;
        #rules
        ::std::option::Option::Some(#default)
    })
}

/// One condition as a Rust `bool` expression over the typed context (see
/// [`native_evaluation`]); `None` when it is not translated.
fn native_condition(condition: &Condition, model: &Model) -> Option<TokenStream> {
    use ff_runtime::{Action, Number};
    let field = model.fields.iter().find(|f| f.key == condition.key)?;
    let name = ident(&field.field);
    let test = match (field.ty, condition.action, &condition.value) {
        (FieldType::Str, action, Value::String(y)) => match action {
            // `v == ""` passes clippy only as `is_empty`.
            Action::Equals if y.is_empty() => quote!(v.is_empty()),
            Action::NotEquals if y.is_empty() => quote!(!v.is_empty()),
            Action::Equals => quote!(v == #y),
            Action::NotEquals => quote!(v != #y),
            Action::KeyGreaterThanValue => quote!(v > #y),
            Action::KeyGreaterThanOrEqualValue => quote!(v >= #y),
            Action::KeyLessThanValue => quote!(v < #y),
            Action::KeyLessThanOrEqualValue => quote!(v <= #y),
            Action::StartsWith => quote!(v.starts_with(#y)),
            Action::EndsWith => quote!(v.ends_with(#y)),
            Action::KeyInValue | Action::In => quote!(#y.contains(v)),
            Action::KeyNotInValue | Action::NotIn => quote!(!#y.contains(v)),
            _ => return None,
        },
        (FieldType::Str, action @ (Action::KeyInValue | Action::In | Action::KeyNotInValue | Action::NotIn), Value::Array(items)) => {
            let strings: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            let found = if strings.is_empty() { quote!(false) } else { quote!(matches!(v, #(#strings)|*)) };
            if matches!(action, Action::KeyInValue | Action::In) {
                found
            } else {
                quote!(!#found)
            }
        }
        (FieldType::Int, action, Value::Number(Number::Int(y))) => {
            // `v` is a `&ff_runtime::Integer`, compared exactly at any size.
            let y = Literal::i128_unsuffixed(*y);
            let test = match action {
                Action::Equals => quote!(is_eq),
                Action::NotEquals => quote!(is_ne),
                Action::KeyGreaterThanValue => quote!(is_gt),
                Action::KeyGreaterThanOrEqualValue => quote!(is_ge),
                Action::KeyLessThanValue => quote!(is_lt),
                Action::KeyLessThanOrEqualValue => quote!(is_le),
                _ => return None,
            };
            quote!(v.cmp_i128(#y).#test())
        }
        (FieldType::Int, Action::ModuloRange, Value::Object(range)) => {
            let int = |k: &str| range.get(k).and_then(|v| match v {
                Value::Number(Number::Int(i)) => i64::try_from(*i).ok(),
                _ => None,
            });
            let (base, start, end) = (int("BASE")?, int("START")?, int("END")?);
            if base <= 0 {
                return None;
            }
            let (base, start, end) = (Literal::i64_unsuffixed(base), Literal::i64_unsuffixed(start), Literal::i64_unsuffixed(end));
            // A `u128` above `i128::MAX` is left to the runtime.
            quote!(match v.rem_euclid(#base) {
                ::std::option::Option::Some(r) => (#start..=#end).contains(&r),
                ::std::option::Option::None => return ::std::option::Option::None,
            })
        }
        _ => return None,
    };
    // Integer fields are not `Copy`: borrowed.
    let field = if field.ty == FieldType::Int { quote!(ctx.#name.as_ref()) } else { quote!(ctx.#name) };
    Some(quote! {
        match #field {
            ::std::option::Option::Some(v) => #test,
            ::std::option::Option::None if ctx.extra.is_empty() => false,
            ::std::option::Option::None => return ::std::option::Option::None,
        }
    })
}

