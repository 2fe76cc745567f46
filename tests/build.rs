//! Generates typed flags (with `ff-build`, exactly as a user's build script does) for:
//!
//! * every document under `typed/documents/` and `examples/checkout/flags.json`;
//! * every valid document of the conformance fixtures (`conformance/*.json`: the file's
//!   `schema` and each case's own `schema`),
//!
//! plus, for `tests/typed.rs`, a runner per conformance document that evaluates a feature
//! through the typed API, and a table of every conformance case with its typed context
//! (context keys set through the typed fields where the value has the field's type, through
//! `Context::with` otherwise). Everything lands in `$OUT_DIR/typed/`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use ff_build::model::{FieldType, Model, ValueType};
use ff_runtime::{Document, Value};

#[path = "typed/options.rs"]
mod options;

struct Module {
    /// Rust module name.
    name: String,
    /// Source name in docs and messages.
    source: String,
    /// Snapshot name, for the documents that are snapshotted.
    snapshot: Option<String>,
    model: Model,
    conformance: bool,
}

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("run by cargo")).join("typed");
    std::fs::create_dir_all(&out).expect("OUT_DIR is writable");
    println!("cargo:rerun-if-changed=typed/options.rs");

    let mut modules = Vec::new();
    let mut cases = String::new();
    let mut enabled = String::new();
    let mut case_fns = String::new();

    // The documents under typed/documents, and the checkout example's.
    let mut documents = json_files(&manifest.join("typed/documents"));
    documents.push(manifest.join("../examples/checkout/flags.json"));
    // AppConfig's own format (issue 16): the stored document that ff-runtime's tests share.
    documents.push(manifest.join("fixtures/native/flags.json"));
    for path in documents {
        println!("cargo:rerun-if-changed={}", path.display());
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let (name, source, snapshot) = if path.ends_with("checkout/flags.json") {
            ("doc_checkout".to_owned(), "checkout/flags.json".to_owned(), "checkout".to_owned())
        } else if path.ends_with("native/flags.json") {
            ("doc_appconfig".to_owned(), "native/flags.json".to_owned(), "appconfig".to_owned())
        } else {
            (format!("doc_{stem}"), format!("{stem}.json"), stem.clone())
        };
        let text = std::fs::read_to_string(&path).expect("document is readable");
        modules.push(generate(&out, name, source, Some(snapshot), &text, false));
    }

    // A document whose compiled-in values do not fit the `serde` type named for them
    // (finding 2). Its generated `#[cfg(test)]` check would fail this crate's tests, as it is
    // meant to fail a user's: it is compiled out here (`tests/typed.rs` checks that it is
    // generated, and tests what it runs, `Flags::check_values()`).
    let misfit = manifest.join("typed/misfit/limits.json");
    println!("cargo:rerun-if-changed={}", misfit.display());
    let text = std::fs::read_to_string(&misfit).expect("misfit document is readable");
    let options = ff_build::Options::new()
        .source_name("misfit/limits.json")
        .value_type("limits", "crate::Limits")
        .value_type("burst", "crate::Limits");
    let code = ff_build::generate(&text, &options).unwrap_or_else(|e| panic!("misfit/limits.json: {e}"));
    assert!(code.contains("#[cfg(test)]\nmod __ff_check_values_test {"), "the generated check is there");
    write(&out.join("misfit.rs"), &code.replace("#[cfg(test)]\nmod __ff_check_values_test {", "#[cfg(any())]\nmod __ff_check_values_test {"));

    // The conformance fixtures.
    println!("cargo:rerun-if-changed=conformance");
    for path in json_files(&manifest.join("conformance")) {
        println!("cargo:rerun-if-changed={}", path.display());
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let stem = path.file_stem().unwrap().to_string_lossy().replace(['-', '.'], "_");
        let fixture = Value::from_json(&std::fs::read_to_string(&path).expect("readable")).expect("fixture is JSON");
        // Distinct valid documents of this file, by JSON text → module index.
        let mut seen: HashMap<String, Option<usize>> = HashMap::new();
        let mut module_of = |schema: Option<&Value>, label: String, modules: &mut Vec<Module>| -> Option<usize> {
            let schema = schema?;
            let key = schema.to_json();
            if let Some(found) = seen.get(&key) {
                return *found;
            }
            let found = Document::from_value(schema).ok().map(|_| {
                let text = pretty(schema);
                let name = format!("conf_{stem}_{}", seen.len());
                let has_features = schema.as_object().is_some_and(|m| !m.is_empty());
                let snapshot = (label == file && has_features).then(|| format!("conformance-{stem}"));
                modules.push(generate(&out, name, format!("conformance/{label}"), snapshot, &text, true));
                modules.len() - 1
            });
            seen.insert(key, found);
            found
        };
        let file_schema = fixture.get("schema");
        let file_module = module_of(file_schema, file.clone(), &mut modules);
        let empty = Vec::new();
        let fixture_cases = fixture.get("cases").and_then(Value::as_array).unwrap_or(&empty);
        for (index, case) in fixture_cases.iter().enumerate() {
            let module = match case.get("schema") {
                Some(schema) => module_of(Some(schema), format!("{file} case {index}"), &mut modules),
                None => file_module,
            };
            let Some(module) = module.map(|m| &modules[m]) else { continue };
            let feature = case.get("name").and_then(Value::as_str).expect("case has a name");
            let fn_name = format!("case_{stem}_{index}");
            let ctx = typed_context(module, case.get("context"));
            let m = &module.name;
            writeln!(
                case_fns,
                "fn {fn_name}(clock: ::ff_runtime::FixedClock, fail: bool) -> ::std::option::Option<(::ff_runtime::Value, ::ff_runtime::Value)> {{\n    \
                 let ctx = {ctx};\n    {m}::eval_case({feature:?}, &ctx, clock, fail)\n}}\n\
                 fn {fn_name}_details(clock: ::ff_runtime::FixedClock, fail: bool) -> ::std::option::Option<(crate::Why, crate::Why)> {{\n    \
                 let ctx = {ctx};\n    {m}::details_case({feature:?}, &ctx, clock, fail)\n}}"
            )
            .unwrap();
            writeln!(
                cases,
                "    TypedCase {{ file: {file:?}, index: {index}, module: {m:?}, feature: {feature:?}, document: {m}::DOCUMENT, \
                 context: {}, now: {}, store_error: {}, expected: {:?}, run: {fn_name}, details: {fn_name}_details }},",
                opt_json(case.get("context")),
                opt_str(case.get("now").and_then(Value::as_str)),
                opt_str(case.get("store_error").and_then(Value::as_str)),
                case.get("expected").map(Value::to_json).unwrap_or_default(),
            )
            .unwrap();
        }
        for (index, entry) in enabled_entries(&fixture).iter().enumerate() {
            let module = match entry.get("schema") {
                Some(schema) => module_of(Some(schema), format!("{file} enabled {index}"), &mut modules),
                None => file_module,
            };
            let Some(module) = module.map(|m| &modules[m]) else { continue };
            let fn_name = format!("enabled_{stem}_{index}");
            let ctx = typed_context(module, entry.get("context"));
            let m = &module.name;
            writeln!(
                case_fns,
                "fn {fn_name}(clock: ::ff_runtime::FixedClock, fail: bool) -> (Vec<&'static str>, Vec<&'static str>) {{\n    \
                 let ctx = {ctx};\n    {m}::enabled_case(&ctx, clock, fail)\n}}"
            )
            .unwrap();
            writeln!(
                enabled,
                "    TypedEnabled {{ file: {file:?}, index: {index}, module: {m:?}, document: {m}::DOCUMENT, context: {}, now: {}, \
                 store_error: {}, expected: {:?}, run: {fn_name} }},",
                opt_json(entry.get("context")),
                opt_str(entry.get("now").and_then(Value::as_str)),
                opt_str(entry.get("store_error").and_then(Value::as_str)),
                entry.get("expected").map(Value::to_json).unwrap_or_default(),
            )
            .unwrap();
        }
    }

    // modules.rs: every generated module, with the conformance runners.
    let mut modules_rs = String::new();
    let mut snapshots = String::new();
    for module in &modules {
        let name = &module.name;
        writeln!(modules_rs, "/// Typed flags generated from `{}`.", module.source).unwrap();
        if module.conformance {
            // The runners read every feature, expired ones too (conformance/metadata.json).
            modules_rs.push_str("#[allow(deprecated)]\n");
        }
        writeln!(modules_rs, "pub mod {name} {{\n    include!(concat!(env!(\"OUT_DIR\"), \"/typed/{name}.rs\"));").unwrap();
        if module.conformance {
            modules_rs.push_str(&runners(&module.model));
        }
        modules_rs.push_str("}\n");
        if let Some(snapshot) = &module.snapshot {
            writeln!(
                snapshots,
                "    ({snapshot:?}, {:?}, {name}::DOCUMENT, include_str!(concat!(env!(\"OUT_DIR\"), \"/typed/{name}.rs\"))),",
                module.source
            )
            .unwrap();
        }
    }
    write(&out.join("modules.rs"), &modules_rs);
    let cases_rs = format!(
        "/// Every conformance `evaluate` case whose document is valid.\npub static CASES: &[TypedCase] = &[\n{cases}];\n\n\
         /// Every conformance `enabled_features` entry whose document is valid.\npub static ENABLED: &[TypedEnabled] = &[\n{enabled}];\n\n\
         /// `(snapshot name, source name, DOCUMENT, the generated file that compiled)`.\npub static SNAPSHOTS: &[(&str, &str, &str, &str)] = &[\n{snapshots}];\n\n\
         {case_fns}"
    );
    write(&out.join("cases.rs"), &cases_rs);
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn write(path: &Path, text: &str) {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return;
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// Pretty JSON that reads back exactly (compact JSON otherwise).
fn pretty(value: &Value) -> String {
    let compact = value.to_json();
    match serde_json::to_string_pretty(value) {
        Ok(text) if Value::from_json(&text).is_ok_and(|v| v.to_json() == compact) => text + "\n",
        _ => compact,
    }
}

fn generate(out: &Path, name: String, source: String, snapshot: Option<String>, text: &str, conformance: bool) -> Module {
    let options = options::options(&source, text);
    let code = ff_build::generate(text, &options).unwrap_or_else(|e| panic!("{source}: {e}"));
    let model = ff_build::generate_tokens(text, &options).expect("generated above").model;
    write(&out.join(format!("{name}.rs")), &code);
    Module { name, source, snapshot, model, conformance }
}

fn opt_str(s: Option<&str>) -> String {
    match s {
        Some(s) => format!("Some({s:?})"),
        None => "None".to_owned(),
    }
}

fn opt_json(v: Option<&Value>) -> String {
    opt_str(v.map(Value::to_json).as_deref())
}

/// The `enabled_features` entries of a fixture: explicit, or one per distinct
/// `(context, now, schema, store_error)` among its cases (the fixture README's rule).
fn enabled_entries(fixture: &Value) -> Vec<Value> {
    if let Some(entries) = fixture.get("enabled_features").and_then(Value::as_array) {
        return entries.to_vec();
    }
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for case in fixture.get("cases").and_then(Value::as_array).unwrap_or_default() {
        let mut entry = ff_runtime::Map::new();
        for key in ["context", "now", "schema", "store_error"] {
            if let Some(v) = case.get(key) {
                entry.insert(key.to_owned(), v.clone());
            }
        }
        let entry = Value::from(entry);
        if !seen.contains(&entry.to_json()) {
            seen.push(entry.to_json());
            out.push(entry);
        }
    }
    out
}

/// A Rust expression building the module's typed `Context` for a case's JSON context: each
/// key through its typed setter when the value has the field's type, through `with` otherwise.
fn typed_context(module: &Module, context: Option<&Value>) -> String {
    let mut expr = format!("{}::Context::new()", module.name);
    let Some(Value::Object(map)) = context else { return expr };
    for (key, value) in map.iter() {
        let field = module.model.fields.iter().find(|f| &f.key == key);
        match field.and_then(|f| typed_literal(f.ty, value).map(|lit| (f, lit))) {
            Some((field, literal)) => write!(expr, ".{}({literal})", field.field).unwrap(),
            None => write!(expr, ".with({key:?}, {})", value_expr(value)).unwrap(),
        }
    }
    expr
}

fn value_expr(value: &Value) -> String {
    format!("::ff_runtime::Value::from_json({:?}).unwrap()", value.to_json())
}

/// The Rust literal for `value` as a field of type `ty`, when it has that type. Integers
/// serve `f64` fields when exactly representable (Python compares `1 == 1.0`).
fn typed_literal(ty: FieldType, value: &Value) -> Option<String> {
    fn float(value: &Value) -> Option<String> {
        match value {
            Value::Number(n) if !n.is_integer() => Some(format!("{:?}", n.as_f64())),
            Value::Number(n) => n.as_i64().filter(|i| i.unsigned_abs() < (1 << 53)).map(|i| format!("{i}.0")),
            _ => None,
        }
    }
    // An empty list names its element type (the generic setters cannot infer it from `&[]`).
    fn list(value: &Value, element: impl Fn(&Value) -> Option<String>, empty: &str) -> Option<String> {
        let items = value.as_array()?.iter().map(element).collect::<Option<Vec<_>>>()?;
        if items.is_empty() {
            return Some(format!("&[{empty}; 0]"));
        }
        Some(format!("&[{}]", items.join(", ")))
    }
    let string = |v: &Value| v.as_str().map(|s| format!("{s:?}"));
    // Suffixed: an unsuffixed literal beyond `i32` would not pass for the generic setters.
    let int = |v: &Value| v.as_i64().map(|i| format!("{i}i64"));
    let boolean = |v: &Value| v.as_bool().map(|b| b.to_string());
    match ty {
        FieldType::Str => string(value),
        FieldType::Int => int(value),
        FieldType::Float => float(value),
        FieldType::Bool => boolean(value),
        FieldType::StrList => list(value, string, "\"\""),
        FieldType::IntList => list(value, int, "0i64"),
        FieldType::FloatList => list(value, float, "0.0"),
        FieldType::BoolList => list(value, boolean, "false"),
        FieldType::Value => Some(value_expr(value)),
    }
}

/// `eval_case` and `enabled_case` for a conformance module: the typed API over a memory
/// store (failing when `fail`), both the snapshot's and the async accessors.
fn runners(model: &Model) -> String {
    let mut arms = String::new();
    let mut details_arms = String::new();
    for feature in &model.features {
        let (variant, details) = (&feature.variant, format!("{}_details", feature.method.trim_start_matches("r#").trim_end_matches('_')));
        let value = |d: &str| match feature.value_type {
            ValueType::Value => format!("{d}.value.clone()"),
            ValueType::Struct(_) | ValueType::Serde(_) => format!("::ff_runtime::__private_v1::to_value(&{d}.value)"),
            _ => format!("::ff_runtime::Value::from({d}.value.to_owned())"),
        };
        let why = |d: &str| {
            format!(
                "({}, {d}.reason().as_str(), {d}.variant().map(str::to_owned), {d}.rule_index(), {d}.version().map(str::to_owned), {d}.error_details().map(|e| e.kind.as_str()))",
                value(d)
            )
        };
        writeln!(
            details_arms,
            "            FlagName::{variant} => {{ let s = snapshot.{details}(ctx); let f = block_on(flags.{details}(ctx)); ({}, {}) }}",
            why("s"),
            why("f")
        )
        .unwrap();
        let (variant, method) = (&feature.variant, &feature.method);
        let (snap, flags) = match feature.value_type {
            ValueType::Value => (format!("snapshot.{method}(ctx).clone()"), format!("block_on(flags.{method}(ctx))")),
            ValueType::Struct(_) | ValueType::Serde(_) => (
                format!("::ff_runtime::__private_v1::to_value(&snapshot.{method}(ctx))"),
                format!("::ff_runtime::__private_v1::to_value(&block_on(flags.{method}(ctx)))"),
            ),
            _ => (
                format!("::ff_runtime::Value::from(snapshot.{method}(ctx))"),
                format!("::ff_runtime::Value::from(block_on(flags.{method}(ctx)))"),
            ),
        };
        writeln!(arms, "            FlagName::{variant} => ({snap}, {flags}),").unwrap();
    }
    let details_body = if model.features.is_empty() {
        "        let _ = (ctx, clock, fail);\n        FlagName::from_name(feature).map(|flag| match flag {})\n".to_owned()
    } else {
        format!(
            "        use ::futures_executor::block_on;\n        let flags = flags(clock, fail);\n        let snapshot = block_on(flags.snapshot());\n        \
             ::std::option::Option::Some(match FlagName::from_name(feature)? {{\n{details_arms}        }})\n"
        )
    };
    let body = if model.features.is_empty() {
        "        let _ = (ctx, clock, fail);\n        FlagName::from_name(feature).map(|flag| match flag {})\n".to_owned()
    } else {
        format!(
            "        use ::futures_executor::block_on;\n        let flags = flags(clock, fail);\n        let snapshot = block_on(flags.snapshot());\n        \
             ::std::option::Option::Some(match FlagName::from_name(feature)? {{\n{arms}        }})\n"
        )
    };
    format!(
        r#"
    fn flags(clock: ::ff_runtime::FixedClock, fail: bool) -> Flags {{
        let store = ::ff_runtime::MemoryStore::from_json(DOCUMENT).expect("DOCUMENT is JSON");
        if fail {{
            store.fail(::ff_runtime::StoreErrorKind::Configuration, "simulated store failure");
        }}
        let flags = ::ff_runtime::FeatureFlags::builder(store).max_age(::std::time::Duration::ZERO).clock(clock).build();
        Flags::from(flags)
    }}

    /// The typed value of `feature` for `ctx` (from a snapshot, and from the async accessor);
    /// `None` when the compiled document has no such feature.
    pub fn eval_case(
        feature: &str,
        ctx: &Context<'_>,
        clock: ::ff_runtime::FixedClock,
        fail: bool,
    ) -> ::std::option::Option<(::ff_runtime::Value, ::ff_runtime::Value)> {{
{body}    }}

    /// The typed details of `feature` for `ctx` (from a snapshot, and from the async
    /// accessor); `None` when the compiled document has no such feature.
    pub fn details_case(
        feature: &str,
        ctx: &Context<'_>,
        clock: ::ff_runtime::FixedClock,
        fail: bool,
    ) -> ::std::option::Option<(crate::Why, crate::Why)> {{
{details_body}    }}

    /// The enabled features for `ctx` (from a snapshot, and from the async method).
    pub fn enabled_case(ctx: &Context<'_>, clock: ::ff_runtime::FixedClock, fail: bool) -> (Vec<&'static str>, Vec<&'static str>) {{
        let flags = flags(clock, fail);
        let snapshot = ::futures_executor::block_on(flags.snapshot());
        let names = |flags: Vec<FlagName>| flags.into_iter().map(FlagName::as_str).collect();
        (names(snapshot.enabled_features(ctx)), names(::futures_executor::block_on(flags.enabled_features(ctx))))
    }}
"#
    )
}
