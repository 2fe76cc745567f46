//! The document and its [`Model`] → a `TokenStream`.

use ff_runtime::{Condition, Document, Feature, Rule, Value};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::error::Error;
use crate::model::{ContextField, FeatureModel, FieldType, Model, ValueType};
use crate::options::Options;

/// How many rules a doc comment lists before summarising the rest.
const MAX_RULES_IN_DOCS: usize = 12;
/// How many uses a context field's doc comment lists before summarising the rest.
const MAX_USES_IN_DOCS: usize = 8;
/// Longest JSON value shown in a doc comment.
const MAX_VALUE_CHARS: usize = 60;

fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `#[doc = " line"]` for each line.
fn doc<S: AsRef<str>>(lines: impl IntoIterator<Item = S>) -> TokenStream {
    lines
        .into_iter()
        .map(|line| {
            let line = line.as_ref();
            let text = if line.is_empty() { String::new() } else { format!(" {line}") };
            quote!(#[doc = #text])
        })
        .collect()
}

/// Text shown inside a Markdown code span, control characters escaped.
fn code(text: &str) -> String {
    let clean: String =
        text.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect();
    if clean.contains('`') {
        format!("`` {clean} ``")
    } else {
        format!("`{clean}`")
    }
}

/// A JSON value for a doc comment, shortened.
fn brief(value: &Value) -> String {
    let json = value.to_json();
    if json.chars().count() <= MAX_VALUE_CHARS {
        json
    } else {
        let mut short: String = json.chars().take(MAX_VALUE_CHARS - 1).collect();
        short.push('…');
        short
    }
}

fn condition_text(condition: &Condition) -> String {
    if condition.action.is_time_based() {
        format!("{} {}", condition.action, code(&brief(&condition.value)))
    } else {
        format!("{} {} {}", code(&condition.key), condition.action, code(&brief(&condition.value)))
    }
}

fn rule_text(position: usize, rule: &Rule) -> String {
    let conditions: Vec<String> = rule.conditions.iter().map(condition_text).collect();
    format!("{position}. {} → {} when {}", code(&rule.name), code(&brief(rule.value())), conditions.join(" and "))
}

/// The rules of a feature, one Markdown list item each.
fn rules_doc(feature: &Feature) -> Vec<String> {
    if feature.rules.is_empty() {
        return vec!["No rules: the value is the default (unless the live document adds rules).".to_owned()];
    }
    let mut lines = vec!["Rules, in order (the first whose conditions all match gives the value):".to_owned(), String::new()];
    lines.extend(feature.rules.iter().take(MAX_RULES_IN_DOCS).enumerate().map(|(i, r)| rule_text(i + 1, r)));
    if feature.rules.len() > MAX_RULES_IN_DOCS {
        lines.push(format!("{}. … and {} more rules", MAX_RULES_IN_DOCS + 1, feature.rules.len() - MAX_RULES_IN_DOCS));
    }
    lines
}

/// `Feature `x`: `bool`, default `false`.`
fn feature_headline(feature: &Feature, model: &FeatureModel) -> String {
    let kind = if feature.boolean { "boolean feature" } else { "non-boolean feature" };
    format!(
        "{} ({kind}): {}, default {}.",
        code(&feature.name),
        code(model.value_type.rust_name()),
        code(&brief(&feature.default))
    )
}

/// An integer (or, for `f64`, float) literal, with a leading minus as a separate token.
fn number_tokens(value: &Value, float: bool) -> TokenStream {
    if let Some(i) = value.as_i64().filter(|_| !float) {
        let lit = Literal::u64_unsuffixed(i.unsigned_abs());
        return if i < 0 { quote!(-#lit) } else { quote!(#lit) };
    }
    let x = value.as_f64().expect("a number");
    let lit = Literal::f64_unsuffixed(x.abs());
    if x.is_sign_negative() {
        quote!(-#lit)
    } else {
        quote!(#lit)
    }
}

/// The document text as a (raw, when possible) string literal.
fn document_literal(text: &str) -> TokenStream {
    if !text.contains('\r') {
        let mut hashes = 1;
        while text.contains(&format!("\"{}", "#".repeat(hashes))) {
            hashes += 1;
        }
        let h = "#".repeat(hashes);
        if let Ok(tokens) = format!("r{h}\"{text}\"{h}").parse::<TokenStream>() {
            return tokens;
        }
    }
    let lit = Literal::string(text);
    quote!(#lit)
}

/// The generated code's own evaluation of `feature`, as the body of a function of the typed
/// context (`__ff_native_NAME(ctx: &Context<'_>) -> Option<T>`) that
/// `__private_v1::read_native` and `enabled_features` use only while the live feature is
/// exactly the compiled one. `None` when a value or a
/// condition has a shape this does not translate; the runtime then evaluates the feature.
///
/// Only shapes whose Python semantics are plain Rust operations are translated: a string
/// field compared with a string (`==`, `!=`, ordering by code point, prefix, suffix,
/// substring) or tested for membership in a list (a string only equals a string), and an
/// integer field compared with an integer or bucketed by `MODULO_RANGE`. None of them can
/// be a type mismatch, so nothing the runtime would log is skipped. A condition whose field
/// is unset is false (a missing key) when `Context::with` set nothing; otherwise the
/// closure returns `None` and the runtime decides.
fn native_evaluation(feature: &Feature, fm: &FeatureModel, model: &Model) -> Option<TokenStream> {
    let typed = |value: &Value| -> Option<TokenStream> {
        match fm.value_type {
            ValueType::Bool => value.as_bool().map(|b| quote!(#b)),
            ValueType::I64 => value.as_i64().map(|_| number_tokens(value, false)),
            ValueType::F64 => value.as_f64().map(|_| number_tokens(value, true)),
            ValueType::String => value.as_str().map(|s| quote!(#s)),
            ValueType::Value | ValueType::Serde(_) => None,
        }
    };
    let default = typed(&feature.default)?;
    let mut rules = TokenStream::new();
    for rule in &feature.rules {
        let value = typed(rule.when_match.as_ref()?)?;
        let conditions = rule.conditions.iter().map(|c| native_condition(c, model)).collect::<Option<Vec<_>>>()?;
        rules.extend(quote! {
            if #(#conditions)&&* {
                return ::std::option::Option::Some(#value);
            }
        });
    }
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
            let y = Literal::i128_unsuffixed(*y);
            let op = match action {
                Action::Equals => quote!(==),
                Action::NotEquals => quote!(!=),
                Action::KeyGreaterThanValue => quote!(>),
                Action::KeyGreaterThanOrEqualValue => quote!(>=),
                Action::KeyLessThanValue => quote!(<),
                Action::KeyLessThanOrEqualValue => quote!(<=),
                _ => return None,
            };
            quote!(::std::primitive::i128::from(v) #op #y)
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
            quote!({
                let r = v.rem_euclid(#base);
                (#start..=#end).contains(&r)
            })
        }
        _ => return None,
    };
    Some(quote! {
        match ctx.#name {
            ::std::option::Option::Some(v) => #test,
            ::std::option::Option::None if ctx.extra.is_empty() => false,
            ::std::option::Option::None => return ::std::option::Option::None,
        }
    })
}

struct Ctx<'a> {
    document: &'a Document,
    model: &'a Model,
    source: String,
}

/// Generates the items for `document` (whose JSON is `text`).
pub(crate) fn generate(document: &Document, text: &str, model: &Model, options: &Options) -> Result<TokenStream, Error> {
    let mut problems = Vec::new();
    let vis: TokenStream = match options.visibility.as_deref() {
        None => quote!(pub),
        Some(v) => match syn::parse_str::<syn::Visibility>(v) {
            Ok(vis) => quote!(#vis),
            Err(err) => {
                problems.push(format!("visibility: {v:?} is not a Rust visibility: {err}"));
                TokenStream::new()
            }
        },
    };
    let mut derive_paths = |paths: &[String], what: &str| -> Vec<syn::Path> {
        paths
            .iter()
            .filter_map(|p| match syn::parse_str::<syn::Path>(p) {
                Ok(path) => Some(path),
                Err(err) => {
                    problems.push(format!("{what}: {p:?} is not a path to a derive macro: {err}"));
                    None
                }
            })
            .collect()
    };
    let flag_name_derives = derive_paths(&options.flag_name_derives, "derive_flag_name");
    let context_derives = derive_paths(&options.context_derives, "derive_context");
    let mut serde_types = Vec::new();
    for feature in &model.features {
        if let ValueType::Serde(path) = &feature.value_type {
            match syn::parse_str::<syn::Type>(path) {
                Ok(ty) => serde_types.push((feature.name.clone(), ty)),
                Err(err) => problems.push(format!("value_type: {path:?} (feature {:?}) is not a Rust type: {err}", feature.name)),
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::Options(problems));
    }
    let serde_type = |name: &str| -> &syn::Type { &serde_types.iter().find(|(n, _)| n == name).expect("parsed above").1 };

    let cx = Ctx {
        document,
        model,
        source: options.source_name.clone().unwrap_or_else(|| "the feature flags document".to_owned()),
    };
    let source = code(&cx.source);
    let n_features = Literal::usize_unsuffixed(model.features.len());
    let document_lit = document_literal(text);

    // DOCUMENT and the private helpers.
    let document_doc = match &options.envelope {
        None => doc([
            format!("The feature flags document {source}, as compiled in: it supplies every accessor's default,"),
            "and [`Flags::for_tests`] serves it.".to_owned(),
        ]),
        Some(envelope) => doc([
            format!("The feature flags document that the envelope {} selects in {source}, as compiled in", code(envelope)),
            "(compact JSON): it supplies every accessor's default, and [`Flags::for_tests`] serves it. Give the store".to_owned(),
            "the same envelope.".to_owned(),
        ]),
    };
    let mut helpers = quote! {
        #document_doc
        #[allow(dead_code)]
        #vis const DOCUMENT: &str = #document_lit;
    };
    if !model.features.is_empty() {
        helpers.extend(quote! {
            /// Drift reported so far (once per live document and feature).
            #[allow(dead_code)]
            fn __ff_drift() -> &'static ::ff_runtime::__private_v1::Drift<#n_features> {
                static DRIFT: ::ff_runtime::__private_v1::Drift<#n_features> = ::ff_runtime::__private_v1::Drift::new();
                &DRIFT
            }
        });
    }
    if !model.features.is_empty() {
        // The compiled-in feature names by index and the context keys by slot: the runtime
        // resolves a live document against them once (feature positions, key slots).
        let names = document.features().iter().map(|f| f.name.as_str());
        let keys = model.fields.iter().map(|f| f.key.as_str());
        helpers.extend(quote! {
            /// The compiled-in features by index, the context keys by slot (see
            /// `Context::get_slot`) and the document, which the runtime resolves each live
            /// document against once.
            #[allow(dead_code)]
            fn __ff_layout() -> &'static ::ff_runtime::__private_v1::Layout {
                static LAYOUT: ::ff_runtime::__private_v1::Layout =
                    ::ff_runtime::__private_v1::Layout::new(&[#(#names),*], &[#(#keys),*], DOCUMENT);
                &LAYOUT
            }
        });
    }
    if model.features.iter().any(|f| matches!(f.value_type, ValueType::Value | ValueType::Serde(_))) {
        helpers.extend(quote! {
            /// The compiled-in document, parsed on first use (for defaults that are not literals).
            #[allow(dead_code)]
            fn __ff_compiled() -> &'static ::ff_runtime::Document {
                static COMPILED: ::std::sync::OnceLock<::ff_runtime::Document> = ::std::sync::OnceLock::new();
                ::ff_runtime::__private_v1::compiled(&COMPILED, DOCUMENT)
            }
        });
    }

    let flag_name = flag_name_tokens(&cx, &vis, &flag_name_derives);
    let context = context_tokens(&cx, &vis, &context_derives);

    // Accessors.
    let mut flags_accessors = TokenStream::new();
    let mut snapshot_accessors = TokenStream::new();
    let mut test_setters = TokenStream::new();
    let mut enabled_checks = TokenStream::new();
    let mut any_native = false;
    for (index, (feature, fm)) in document.features().iter().zip(&model.features).enumerate() {
        let method = ident(&fm.method);
        // The snapshot accessor's body, shared with the async accessor (which lends it the
        // cached state). Methods never start with `__` and have `_` before a digit only, so these
        // names are unique and snake case.
        let bare = fm.method.trim_start_matches("r#").trim_start_matches('_');
        let read_method = ident(&format!("__ff_read_{bare}"));
        let native_method = ident(&format!("__ff_native_{bare}"));
        let variant = ident(&fm.variant);
        let name = feature.name.as_str();
        let idx = Literal::usize_unsuffixed(index);
        let headline = feature_headline(feature, fm);
        let default = code(&brief(&feature.default));
        let serde_args = quote!(snapshot, ctx, __ff_drift(), #idx, #name);
        // Features the generator can translate are evaluated by the generated code itself
        // while the live document has them exactly as compiled (`read_native`).
        let native = native_evaluation(feature, fm, cx.model);
        any_native |= native.is_some();
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
            ValueType::Serde(_) => {
                let ty = serde_type(name);
                (
                    quote!(#ty),
                    quote!(#ty),
                    quote! {
                        ::ff_runtime::__private_v1::read_serde(#serde_args)
                            .unwrap_or_else(|| ::ff_runtime::__private_v1::compiled_default(__ff_compiled(), #idx))
                    },
                    quote!(),
                    quote!(#ty),
                    quote!(::ff_runtime::__private_v1::to_value(&value)),
                    Some(quote!(::ff_runtime::__private_v1::serde_truthy)),
                )
            }
        };

        // Only borrowed values need the snapshot's lifetime named (clippy asks to elide it
        // elsewhere, and generated code must pass `clippy -D warnings`).
        let (lifetime, snapshot_arg, snapshot_ty_in) = match &fm.value_type {
            ValueType::String => (quote!(<'__ff>), quote!(&'__ff ::ff_runtime::Snapshot), quote!(&'__ff str)),
            ValueType::Value => (quote!(<'__ff>), quote!(&'__ff ::ff_runtime::Snapshot), quote!(&'__ff ::ff_runtime::Value)),
            _ => (quote!(), quote!(&::ff_runtime::Snapshot), snapshot_ty.clone()),
        };

        let mut full_doc = vec![headline.clone(), String::new()];
        full_doc.extend(rules_doc(feature));
        full_doc.push(String::new());
        full_doc.push(format!("Gives the compiled-in default {default} when the live document has no feature {},", code(name)));
        full_doc.push(format!(
            "gives it a value that is not {}, or could not be fetched (drift is logged with `tracing`).",
            code(fm.value_type.rust_name()),
        ));
        let flags_doc = doc(&full_doc);
        flags_accessors.extend(quote! {
            #flags_doc
            pub async fn #method(&self, ctx: &Context<'_>) -> #owned_ty {
                self.inner.read(|snapshot| FlagsSnapshot::#read_method(snapshot, ctx) #to_owned).await
            }
        });
        let snapshot_doc = doc([
            headline.clone(),
            String::new(),
            format!("The value in this snapshot's document (synchronous; see `Flags::{}` for the rules).", fm.method.trim_start_matches("r#")),
        ]);
        snapshot_accessors.extend(quote! {
            #snapshot_doc
            pub fn #method(&self, ctx: &Context<'_>) -> #snapshot_ty {
                Self::#read_method(self.inner.as_ref(), ctx)
            }

            #[doc(hidden)]
            #[inline]
            pub fn #read_method #lifetime(snapshot: ::std::option::Option<#snapshot_arg>, ctx: &Context<'_>) -> #snapshot_ty_in {
                #snapshot_body
            }
        });
        let setter_doc = doc([format!(
            "Forces feature {} ({}, default {}) to `value`; its rules are dropped.",
            code(name),
            code(fm.value_type.rust_name()),
            default
        )]);
        let boolean = feature.boolean;
        test_setters.extend(quote! {
            #setter_doc
            pub fn #method(mut self, value: #setter_ty) -> Self {
                self.overrides.push((#name, #boolean, #setter_value));
                self
            }
        });
        // In `enabled_features`, a feature the live document has exactly as compiled is
        // evaluated by its native function directly (the mask is looked up once per call).
        let value = match &native {
            Some(_) => quote! {
                match ::ff_runtime::__private_v1::is_native(native, #idx).then(|| Self::#native_method(ctx)).flatten() {
                    ::std::option::Option::Some(value) => value,
                    ::std::option::Option::None => self.#method(ctx),
                }
            },
            None => quote!(self.#method(ctx)),
        };
        let check = match &truthy {
            None => value,
            Some(path) => quote!(#path(&#value)),
        };
        enabled_checks.extend(quote! {
            if #check {
                enabled.push(FlagName::#variant);
            }
        });
        if let Some(body) = &native {
            // Native features are bool, i64, f64 or string: the read function's return type.
            snapshot_accessors.extend(quote! {
                #[doc(hidden)]
                #[inline(always)]
                pub fn #native_method #lifetime(ctx: &Context<'_>) -> ::std::option::Option<#snapshot_ty_in> {
                    #body
                }
            });
        }
    }

    // Which features the live document has exactly as compiled, once for all of them.
    let native_lookup = if any_native {
        quote!(let native = ::ff_runtime::__private_v1::native_features(self.inner.as_ref(), __ff_layout());)
    } else {
        TokenStream::new()
    };
    let enabled_body = if model.features.is_empty() {
        quote! {
            let _ = ctx;
            ::std::vec::Vec::new()
        }
    } else {
        quote! {
            let mut enabled = ::std::vec::Vec::with_capacity(#n_features);
            #native_lookup
            #enabled_checks
            enabled
        }
    };

    // Float defaults are written as the document spells them (`3.14` is not meant as π).
    let float_lints = if model.features.iter().any(|f| f.value_type == ValueType::F64) {
        quote!(#[allow(clippy::approx_constant, clippy::excessive_precision, clippy::unreadable_literal)])
    } else {
        TokenStream::new()
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
    ]);
    let snapshot_struct_doc = doc([
        format!("A consistent, synchronous, typed view of one live document of {source} (see [`Flags::snapshot`])."),
        String::new(),
        "Its accessors take no lock; those returning `bool`, `i64`, `f64` or `&str` allocate nothing.".to_owned(),
    ]);
    let tests_doc = doc([
        format!("Forces feature values of {source} for unit tests: `Flags::for_tests().feature(value).build()`."),
        String::new(),
        "Features not forced keep the compiled-in document's rules. The flags are served by a".to_owned(),
        "[`ff_runtime::MemoryStore`] with `max_age` zero: `flags.feature_flags().store().set(..)` takes".to_owned(),
        "effect at once.".to_owned(),
    ]);

    Ok(quote! {
        #helpers
        #flag_name
        #context

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

            #flags_accessors
        }

        #[allow(dead_code)]
        impl Flags<::ff_runtime::MemoryStore> {
            /// Starts flags for unit tests: force values with the builder's per-feature
            /// methods, then `build()`.
            pub fn for_tests() -> FlagsForTests {
                FlagsForTests::default()
            }
        }

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
            /// The dynamic snapshot underneath; `None` when no document could be fetched.
            pub fn inner(&self) -> ::std::option::Option<&::ff_runtime::Snapshot> {
                self.inner.as_ref()
            }

            /// The features whose value for `ctx` is truthy, in the compiled-in document's
            /// order (see [`Flags::enabled_features`]).
            pub fn enabled_features(&self, ctx: &Context<'_>) -> ::std::vec::Vec<FlagName> {
                #enabled_body
            }

            #snapshot_accessors
        }

        #tests_doc
        #[derive(Clone, Default)]
        #[allow(dead_code)]
        #vis struct FlagsForTests {
            overrides: ::std::vec::Vec<(&'static str, bool, ::ff_runtime::Value)>,
            clock: ::std::option::Option<::std::sync::Arc<dyn ::ff_runtime::Clock>>,
        }

        #[allow(dead_code, clippy::should_implement_trait, clippy::wrong_self_convention)]
        impl FlagsForTests {
            #test_setters

            /// The clock the schedule conditions read (default: the system clock).
            pub fn clock(mut self, clock: impl ::ff_runtime::Clock + 'static) -> Self {
                self.clock = ::std::option::Option::Some(::std::sync::Arc::new(clock));
                self
            }

            /// The flags: the compiled-in document with the forced features replaced.
            ///
            /// # Panics
            /// When a forced value is not a valid default (`null`).
            pub fn build(self) -> Flags<::ff_runtime::MemoryStore> {
                Flags { inner: ::ff_runtime::__private_v1::for_tests(DOCUMENT, self.overrides, self.clock) }
            }
        }
    })
}

fn flag_name_tokens(cx: &Ctx<'_>, vis: &TokenStream, derives: &[syn::Path]) -> TokenStream {
    let source = code(&cx.source);
    let mut variants = TokenStream::new();
    let mut all = Vec::new();
    let mut arms = TokenStream::new();
    for (feature, fm) in cx.document.features().iter().zip(&cx.model.features) {
        let variant = ident(&fm.variant);
        let mut lines = vec![feature_headline(feature, fm), String::new()];
        lines.extend(rules_doc(feature));
        let variant_doc = doc(&lines);
        variants.extend(quote! { #variant_doc #variant, });
        all.push(quote!(FlagName::#variant));
        let name = feature.name.as_str();
        arms.extend(quote! { FlagName::#variant => #name, });
    }
    let n = Literal::usize_unsuffixed(all.len());
    let enum_doc = doc([
        format!("The features of {source}, in document order."),
        String::new(),
        "[`FlagName::as_str`] gives the name in the document; [`Flags::enabled_features`] returns these.".to_owned(),
    ]);
    quote! {
        #enum_doc
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, #(#derives),*)]
        #[allow(dead_code, clippy::enum_variant_names)]
        #vis enum FlagName {
            #variants
        }

        #[allow(dead_code)]
        impl FlagName {
            /// Every feature, in document order.
            pub const ALL: [FlagName; #n] = [#(#all),*];

            /// The feature's name in the document.
            pub const fn as_str(self) -> &'static str {
                match self {
                    #arms
                }
            }

            /// The feature called `name` (case-sensitive), if the compiled-in document has it.
            pub fn from_name(name: &str) -> ::std::option::Option<FlagName> {
                FlagName::ALL.iter().copied().find(|flag| flag.as_str() == name)
            }
        }

        impl ::std::fmt::Display for FlagName {
            /// The name in the document.
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

fn field_doc(field: &ContextField) -> Vec<String> {
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

fn context_tokens(cx: &Ctx<'_>, vis: &TokenStream, derives: &[syn::Path]) -> TokenStream {
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
                quote!(i64),
                quote!(i64),
                quote!(value),
                quote!(self.#name.map(|value| ::ff_runtime::ValueRef::Int(::std::primitive::i128::from(value)))),
            ),
            FieldType::Float => (quote!(f64), quote!(f64), quote!(value), quote!(self.#name.map(::ff_runtime::ValueRef::Float))),
            FieldType::Bool => (quote!(bool), quote!(bool), quote!(value), quote!(self.#name.map(::ff_runtime::ValueRef::Bool))),
            FieldType::StrList | FieldType::IntList | FieldType::FloatList | FieldType::BoolList => {
                let (element, variant) = match field.ty {
                    FieldType::StrList => (quote!(&'a str), quote!(Strs)),
                    FieldType::IntList => (quote!(i64), quote!(Ints)),
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
        let setter_doc = doc([format!("Sets context key {} (see the field of the same name).", code(key))]);
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
    }
}
