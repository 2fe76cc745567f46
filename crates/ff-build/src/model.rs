//! What the generator decided, before any code is written: the Rust name and value type of
//! every feature, and the Rust name and type of every context key.
//!
//! [`Model::new`] applies the naming rules (crate docs, "Names") and the typing rules
//! ("Value types" and "Context fields"). Tools can use it to describe the generated API
//! without generating it.

use ff_runtime::{Action, Document, Value};

use crate::error::Error;
use crate::names::{assign, camel_case, rename_hint, rename_target, snake_case, Kind};
use crate::options::Options;

/// Method names of the generated `Flags`, `FlagsSnapshot` and `FlagsForTests` that a
/// feature accessor may not take: a feature that would get one fails the build, asking for a
/// rename.
pub const RESERVED_ACCESSORS: &[&str] = &[
    "new",
    "snapshot",
    "enabled_features",
    "feature_flags",
    "for_tests",
    "build",
    "clock",
    "inner",
    "clone",
    "clone_from",
    "fmt",
    "default",
    "from",
    "into",
    "eq",
    "ne",
];

/// Names of the generated `Context`'s own methods and fields that a context key's field may
/// not take: a key that would get one fails the build, asking for a rename.
pub const RESERVED_FIELDS: &[&str] = &["new", "with", "extra", "get", "clone", "clone_from", "fmt", "default"];

/// The Rust type a feature's accessor returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValueType {
    /// `bool`: every boolean feature, and a non-boolean one whose values are all booleans.
    Bool,
    /// `i64`: every value is an integer within `i64`.
    I64,
    /// `f64`: every value is a number, some with a fraction or exponent.
    F64,
    /// `String` (`&str` from a snapshot): every value is a string.
    String,
    /// `ff_runtime::Value` (`&Value` from a snapshot): lists, objects, `null`, mixed types.
    Value,
    /// A type named in the build (`Options::value_type`), read through `serde`: it must
    /// implement `serde::de::DeserializeOwned`, `serde::Serialize` and `Default`. The string
    /// is the type as written.
    Serde(String),
    /// A struct generated for an object-valued feature ([`Model::structs`]), by name
    /// (`CheckoutLayoutValue`).
    Struct(String),
    /// The struct generated for a flag of an AppConfig feature flags document
    /// ([`Model::flags`]), by name (`DarkMode`).
    Flag(String),
}

impl ValueType {
    /// The type as written in generated code, for documentation (`bool`, `i64`, `f64`,
    /// `String`, `ff_runtime::Value`, or the user's type).
    pub fn rust_name(&self) -> &str {
        match self {
            ValueType::Bool => "bool",
            ValueType::I64 => "i64",
            ValueType::F64 => "f64",
            ValueType::String => "String",
            ValueType::Value => "ff_runtime::Value",
            ValueType::Serde(path) => path,
            ValueType::Struct(name) | ValueType::Flag(name) => name,
        }
    }

    /// Whether `value` can be read as this type by the runtime (`Serde` types accept
    /// anything at build time; they are checked when read).
    pub fn accepts(&self, value: &Value) -> bool {
        match self {
            ValueType::Bool => value.as_bool().is_some(),
            ValueType::I64 => value.as_i64().is_some(),
            ValueType::F64 => value.as_f64().is_some(),
            ValueType::String => value.as_str().is_some(),
            ValueType::Value | ValueType::Serde(_) | ValueType::Struct(_) | ValueType::Flag(_) => true,
        }
    }
}

/// The Rust type of a context field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldType {
    /// `&'a str`.
    Str,
    /// `ff_runtime::Integer`: the setter takes every primitive integer type, exactly.
    Int,
    /// `f64`.
    Float,
    /// `bool`.
    Bool,
    /// `ff_runtime::StrSlice<'a>`: the setter takes `&[&str]`, `&[String]`, `&[Box<str>]`,
    /// `&[Arc<str>]`, `&[Cow<str>]` (slices, `&Vec`s and array references), borrowed.
    StrList,
    /// `ff_runtime::IntSlice<'a>`: the setter takes a slice (`&Vec`, array reference) of any
    /// primitive integer type but `u128`, borrowed.
    IntList,
    /// `&'a [f64]`.
    FloatList,
    /// `&'a [bool]`.
    BoolList,
    /// `ff_runtime::Value` (owned; the setter takes anything `Into<Value>`): objects,
    /// integers beyond `i64`, mixed lists, and keys the rules compare with conflicting types.
    Value,
}

impl FieldType {
    /// The field's Rust type, as generated (inside `Option<…>`).
    pub fn rust_name(self) -> &'static str {
        match self {
            FieldType::Str => "&'a str",
            FieldType::Int => "ff_runtime::Integer",
            FieldType::Float => "f64",
            FieldType::Bool => "bool",
            FieldType::StrList => "ff_runtime::StrSlice<'a>",
            FieldType::IntList => "ff_runtime::IntSlice<'a>",
            FieldType::FloatList => "&'a [f64]",
            FieldType::BoolList => "&'a [bool]",
            FieldType::Value => "ff_runtime::Value",
        }
    }

    /// A word for documentation and warnings: `a string`, `a list of integers`, …
    pub fn describe(self) -> &'static str {
        match self {
            FieldType::Str => "a string",
            FieldType::Int => "an integer",
            FieldType::Float => "a number",
            FieldType::Bool => "a boolean",
            FieldType::StrList => "a list of strings",
            FieldType::IntList => "a list of integers",
            FieldType::FloatList => "a list of numbers",
            FieldType::BoolList => "a list of booleans",
            FieldType::Value => "any JSON value",
        }
    }

    fn list_of(element: FieldType) -> FieldType {
        match element {
            FieldType::Str => FieldType::StrList,
            FieldType::Int => FieldType::IntList,
            FieldType::Float => FieldType::FloatList,
            FieldType::Bool => FieldType::BoolList,
            _ => FieldType::Value,
        }
    }

    /// The common type of two uses: equal types, or integer and number (number wins, also
    /// for lists); `None` when they conflict.
    fn unify(a: FieldType, b: FieldType) -> Option<FieldType> {
        use FieldType::*;
        match (a, b) {
            _ if a == b => Some(a),
            (Int, Float) | (Float, Int) => Some(Float),
            (IntList, FloatList) | (FloatList, IntList) => Some(FloatList),
            _ => None,
        }
    }
}

/// One condition that reads a context key.
#[derive(Clone, Debug)]
pub struct KeyUse {
    /// The feature's name.
    pub feature: String,
    /// The rule's name.
    pub rule: String,
    /// The action.
    pub action: Action,
    /// The condition's value.
    pub value: Value,
    /// The type this use asks of the context value; `None` when the use says nothing
    /// (`KEY_IN_VALUE` with a number, which never matches; an empty list).
    pub wants: Option<FieldType>,
}

/// A field of the generated `Context`: one per context key that a non-time condition reads.
#[derive(Clone, Debug)]
pub struct ContextField {
    /// The context key, as in the document.
    pub key: String,
    /// The field's (and its setter's) Rust name, e.g. `basket_size` or `r#type`.
    pub field: String,
    /// The field's type.
    pub ty: FieldType,
    /// Whether uses asked for conflicting types (the field is then [`FieldType::Value`]).
    pub conflict: bool,
    /// Every condition that reads the key, in document order.
    pub uses: Vec<KeyUse>,
    /// For an AppConfig feature flags document: every variant rule that reads the key, as
    /// `(flag, variant, rule)`, in document order.
    pub variant_rules: Vec<(String, String, String)>,
}

/// A feature and its generated accessor.
#[derive(Clone, Debug)]
pub struct FeatureModel {
    /// The feature's name in the document.
    pub name: String,
    /// The accessor's Rust name, e.g. `new_checkout` or `r#type`.
    pub method: String,
    /// The `FlagName` variant, e.g. `NewCheckout`.
    pub variant: String,
    /// Whether the feature is boolean.
    pub boolean: bool,
    /// The accessor's type.
    pub value_type: ValueType,
    /// Why an object-valued feature, or some of its members, are `ff_runtime::Value` rather
    /// than generated types (for the accessor's doc comment; also in [`Model::warnings`]).
    pub value_notes: Vec<String>,
}

impl FeatureModel {
    /// The name of the feature's `warn_unused` marker ([`crate::Options::warn_unused`]):
    /// `feature_` and the accessor's name without `r#` or a leading `_` (`new_checkout` →
    /// `feature_new_checkout`, `r#type` → `feature_type`, `_2fa` → `feature_2fa`), the
    /// name rustc's warning gives for a feature the crate never reads. Distinct for distinct
    /// features (accessors never start with `__`).
    pub fn marker_name(&self) -> String {
        format!("feature_{}", self.method.trim_start_matches("r#").trim_start_matches('_'))
    }

    /// The name of the accessor's `*_details` twin: `new_checkout_details`, `r#type` →
    /// `type_details`, `self_` → `self_details`.
    pub fn details_method(&self) -> String {
        format!("{}_details", self.method.trim_start_matches("r#").trim_end_matches('_'))
    }
}

/// The generated API of one document.
#[derive(Clone, Debug)]
pub struct Model {
    /// Features in document order.
    pub features: Vec<FeatureModel>,
    /// Context fields in order of first use in the document.
    pub fields: Vec<ContextField>,
    /// The structs generated for object-valued features, in document order (each feature's
    /// own struct first, then its members').
    pub structs: Vec<crate::shapes::GeneratedStruct>,
    /// For an AppConfig feature flags document: the struct of each flag, in document order
    /// (empty for a Powertools document).
    pub flags: Vec<crate::appconfig::FlagStructModel>,
    /// Things a user should know (a context key used with conflicting types); `ff-build`
    /// prints them as `cargo:warning`s.
    pub warnings: Vec<String>,
}

const ACCESSOR: Kind = Kind {
    owner: "feature",
    item: "accessor",
    reserved_by: "a method of the generated Flags, FlagsSnapshot or FlagsForTests",
    suffix: "_flag",
};
const SETTER: Kind = Kind {
    owner: "context key",
    item: "Context setter",
    reserved_by: "a method or field of the generated Context",
    suffix: "_key",
};

impl Model {
    /// Names and types everything in `document` according to `options`.
    ///
    /// # Errors
    /// * [`Error::Options`] listing every option that does not fit the document: a value
    ///   type named for a feature the document does not have, for a boolean feature, or a
    ///   built-in type (`bool`, `i64`, `f64`, `String`) that the feature's `default` or a
    ///   `when_match` is not; a `rename` of a name that is neither a feature nor a context
    ///   key, or to a name that is not a `snake_case` identifier;
    /// * [`Error::Names`] listing every feature or context key that gets no Rust name, or
    ///   the same one as another or as a generated item (crate docs, "Names").
    pub fn new(document: &Document, options: &Options) -> Result<Model, Error> {
        let (model, problems) = Model::with_name_problems(document, options)?;
        if problems.is_empty() {
            Ok(model)
        } else {
            Err(Error::Names(problems))
        }
    }

    /// As [`Model::new`], but the naming problems ([`Error::Names`]) are returned instead of
    /// failing, for tools that describe a document that does not build (`ff diff`). With
    /// problems, some names are shared or empty.
    ///
    /// # Errors
    /// [`Error::Options`], as [`Model::new`].
    pub fn with_name_problems(document: &Document, options: &Options) -> Result<(Model, Vec<String>), Error> {
        Model::build(document, None, options)
    }

    /// [`Model::appconfig`], with the naming problems returned next to the model instead of
    /// as an error (for `ff diff`, which reports them as changes that fail the build).
    ///
    /// # Errors
    /// [`Error::Options`], as [`Model::appconfig`].
    pub fn appconfig_with_name_problems(
        stored: &ff_runtime::native::StoredDocument,
        document: &Document,
        options: &Options,
    ) -> Result<(Model, Vec<String>), Error> {
        Model::build(document, Some(stored), options)
    }

    /// The model of an AppConfig feature flags document `stored` (crate docs, "AppConfig
    /// feature flags"), whose flags `document` holds as the runtime reads them (a feature per
    /// flag, whose value is the flag's object).
    ///
    /// # Errors
    /// As [`Model::new`]; a `value_type` option is an [`Error::Options`] (the constraints
    /// type the attributes), and a flag whose struct or enum would take another generated
    /// type's name an [`Error::Names`].
    pub fn appconfig(stored: &ff_runtime::native::StoredDocument, document: &Document, options: &Options) -> Result<Model, Error> {
        let (model, problems) = Model::appconfig_with_name_problems(stored, document, options)?;
        if problems.is_empty() {
            Ok(model)
        } else {
            Err(Error::Names(problems))
        }
    }

    fn build(
        document: &Document,
        stored: Option<&ff_runtime::native::StoredDocument>,
        options: &Options,
    ) -> Result<(Model, Vec<String>), Error> {
        let mut problems = Vec::new();
        if stored.is_some() {
            for (feature, ty) in &options.value_types {
                problems.push(format!(
                    "value_type: {feature:?} = {ty:?}: the flags of an AppConfig feature flags document are typed from their attribute constraints"
                ));
            }
        }
        for (feature, _) in &options.value_types {
            match document.feature(feature) {
                None => problems.push(format!("value_type: the document has no feature {feature:?}")),
                Some(f) if f.boolean => problems.push(format!(
                    "value_type: feature {feature:?} is boolean, and boolean features are always `bool`"
                )),
                Some(_) => {}
            }
        }
        let mut features = Vec::with_capacity(document.len());
        for feature in document.features() {
            let values: Vec<&Value> =
                std::iter::once(&feature.default).chain(feature.rules.iter().map(|r| r.value())).collect();
            let value_type = if feature.boolean {
                ValueType::Bool
            } else if let Some((_, named)) = options.value_types.iter().rev().find(|(f, _)| *f == feature.name) {
                let ty = builtin(named).unwrap_or_else(|| ValueType::Serde(named.clone()));
                // Each problem starts with the value's JSON pointer, which `generate_tokens`
                // turns into `FILE:LINE:COL: POINTER` (a rule without `when_match` is
                // located at the rule).
                let pointers = std::iter::once(ff_runtime::json::pointer(&[feature.name.as_str(), "default"])).chain(
                    feature.rules.iter().map(|r| match r.when_match {
                        Some(_) => ff_runtime::json::pointer(&[feature.name.as_str(), "rules", r.name.as_str(), "when_match"]),
                        None => ff_runtime::json::pointer(&[feature.name.as_str(), "rules", r.name.as_str()]),
                    }),
                );
                for (value, pointer) in values.iter().zip(pointers) {
                    if !ty.accepts(value) {
                        problems.push(format!(
                            "{pointer}: value_type: feature {:?} cannot be {named}: it has the value {value}",
                            feature.name
                        ));
                    }
                }
                ty
            } else {
                infer_value_type(&values)
            };
            features.push(FeatureModel {
                name: feature.name.clone(),
                method: String::new(),
                variant: String::new(),
                boolean: feature.boolean,
                value_type,
                value_notes: Vec::new(),
            });
        }
        let (mut fields, warnings) = match stored {
            None => context_fields(document),
            Some(stored) => crate::appconfig::context_fields(stored),
        };
        let renames = renames(options, &features, &fields, &mut problems);
        if !problems.is_empty() {
            return Err(Error::Options(problems));
        }

        let mut names = Vec::new();
        let feature_names: Vec<&str> = features.iter().map(|f| f.name.as_str()).collect();
        let renamed: Vec<Option<String>> = feature_names.iter().map(|n| renames.get(*n).cloned()).collect();
        let methods = assign(&ACCESSOR, &feature_names, &renamed, snake_case, RESERVED_ACCESSORS, &mut names);
        for ((feature, method), renamed) in features.iter_mut().zip(methods).zip(&renamed) {
            feature.variant = renamed.as_deref().or(Some(feature.name.as_str())).and_then(camel_case).unwrap_or_default();
            feature.method = method;
        }
        variant_problems(&features, &mut names);
        details_problems(&features, &mut names);
        let (structs, mut struct_warnings, flags) = match stored {
            None => {
                let (structs, warnings) = generated_structs(document, options, &mut features);
                (structs, warnings, Vec::new())
            }
            Some(stored) => {
                let type_names: Vec<String> = features.iter().map(|f| f.variant.clone()).collect();
                let flags = crate::appconfig::flag_structs(stored, &type_names, &mut names);
                for (feature, flag) in features.iter_mut().zip(&flags) {
                    feature.value_type = ValueType::Flag(flag.name.clone());
                }
                let notes = flags.iter().flat_map(|f| f.notes.iter().cloned()).collect();
                (Vec::new(), notes, flags)
            }
        };
        let keys: Vec<&str> = fields.iter().map(|f| f.key.as_str()).collect();
        let renamed: Vec<Option<String>> = keys.iter().map(|k| renames.get(*k).cloned()).collect();
        let setters = assign(&SETTER, &keys, &renamed, snake_case, RESERVED_FIELDS, &mut names);
        for (field, name) in fields.iter_mut().zip(setters) {
            field.field = name;
        }
        let mut warnings: Vec<String> = warnings.into_iter().map(|(i, warning)| format!("{warning}: its field `{}` takes any value (ff_runtime::Value)", fields[i].field)).collect();
        warnings.append(&mut struct_warnings);
        Ok((Model { features, fields, structs, flags, warnings }, names))
    }
}

/// The structs of the object-valued features that the options type not, each such
/// feature's type set to its struct (or left `Value`, with notes), and the warnings.
fn generated_structs(
    document: &Document,
    options: &Options,
    features: &mut [FeatureModel],
) -> (Vec<crate::shapes::GeneratedStruct>, Vec<String>) {
    let mut structs: Vec<crate::shapes::GeneratedStruct> = Vec::new();
    let mut warnings = Vec::new();
    for (feature, fm) in document.features().iter().zip(features.iter_mut()) {
        let named = options.value_types.iter().any(|(f, _)| *f == feature.name);
        if named || fm.value_type != ValueType::Value || fm.variant.is_empty() {
            continue;
        }
        let values: Vec<&Value> = std::iter::once(&feature.default).chain(feature.rules.iter().map(|r| r.value())).collect();
        let notes = match crate::shapes::feature_structs(&feature.name, &fm.variant, &values) {
            None => continue,
            Some(Err(why)) => vec![format!("{why}: its accessor returns ff_runtime::Value")],
            Some(Ok((new, member_warnings))) => {
                if let Some(taken) = new.iter().find(|s| structs.iter().any(|t| t.name == s.name)) {
                    let other = structs.iter().find(|t| t.name == taken.name).map(|t| t.feature.clone()).unwrap_or_default();
                    vec![format!(
                        "its struct `{}` would have the name of a struct of feature {other:?}: its accessor returns ff_runtime::Value ({})",
                        taken.name,
                        rename_hint(&feature.name, &format!("{}_value", fm.method.trim_start_matches("r#")))
                    )]
                } else {
                    fm.value_type = ValueType::Struct(new[0].name.clone());
                    structs.extend(new);
                    member_warnings.into_iter().map(|w| format!("{w}: its field is ff_runtime::Value")).collect()
                }
            }
        };
        warnings.extend(notes.iter().map(|n| format!("feature {:?}: {n}", feature.name)));
        fm.value_notes = notes;
    }
    (structs, warnings)
}

/// Features whose variants collide while their accessors differ (`a1` and `a_1` both give
/// `A1`); colliding accessors are reported as such.
fn variant_problems(features: &[FeatureModel], problems: &mut Vec<String>) {
    let mut holders: std::collections::HashMap<&str, &FeatureModel> = std::collections::HashMap::new();
    for feature in features.iter().filter(|f| !f.variant.is_empty() && !f.method.is_empty()) {
        match holders.get(feature.variant.as_str()) {
            Some(first) if first.method != feature.method => problems.push(format!(
                "features {:?} and {:?} would both get the FlagName variant `{}` (accessors `{}` and `{}`): {}",
                first.name,
                feature.name,
                feature.variant,
                first.method,
                feature.method,
                rename_hint(&feature.name, &format!("{}_2", feature.method.trim_start_matches("r#")))
            )),
            Some(_) => {}
            None => {
                holders.insert(&feature.variant, feature);
            }
        }
    }
}

/// Features whose `*_details` accessor (`a_details` for `a`) would be another feature's
/// accessor (that of a feature named `a_details`).
fn details_problems(features: &[FeatureModel], problems: &mut Vec<String>) {
    let bare = |method: &str| method.trim_start_matches("r#").to_owned();
    let holders: std::collections::HashMap<String, &FeatureModel> =
        features.iter().filter(|f| !f.method.is_empty()).map(|f| (bare(&f.method), f)).collect();
    for feature in features.iter().filter(|f| !f.method.is_empty()) {
        let details = feature.details_method();
        if let Some(other) = holders.get(&details) {
            problems.push(format!(
                "features {:?} and {:?} would both get the accessor `{details}` (the details twin of `{}`, and the accessor of {:?}): {}",
                feature.name,
                other.name,
                feature.method,
                other.name,
                rename_hint(&other.name, &format!("{details}_flag"))
            ));
        }
    }
}

/// The options' renames by document name, each checked: the name is a feature or a context
/// key, the Rust name a `snake_case` identifier (the last rename of a name wins).
fn renames(
    options: &Options,
    features: &[FeatureModel],
    fields: &[ContextField],
    problems: &mut Vec<String>,
) -> std::collections::HashMap<String, String> {
    let mut renames = std::collections::HashMap::new();
    for (name, rust) in &options.renames {
        if !features.iter().any(|f| f.name == *name) && !fields.iter().any(|f| f.key == *name) {
            problems.push(format!("rename: the document has no feature or context key {name:?} (to rename to {rust:?})"));
            continue;
        }
        match rename_target(rust) {
            Ok(rust) => {
                renames.insert(name.clone(), rust);
            }
            Err(err) => problems.push(format!("rename: {name:?} to {err}")),
        }
    }
    renames
}

/// The context fields of `document`, unnamed, in order of first use, typed; and a warning
/// per field whose uses conflict (by field index, to be completed with the field's name).
fn context_fields(document: &Document) -> (Vec<ContextField>, Vec<(usize, String)>) {
    let mut fields: Vec<ContextField> = Vec::new();
    for feature in document.features() {
        for rule in &feature.rules {
            for condition in &rule.conditions {
                if condition.action.is_time_based() {
                    continue;
                }
                let use_ = KeyUse {
                    feature: feature.name.clone(),
                    rule: rule.name.clone(),
                    action: condition.action,
                    value: condition.value.clone(),
                    wants: wanted_type(condition.action, &condition.value),
                };
                match fields.iter_mut().find(|f| f.key == condition.key) {
                    Some(field) => field.uses.push(use_),
                    None => fields.push(ContextField {
                        key: condition.key.clone(),
                        field: String::new(),
                        ty: FieldType::Value,
                        conflict: false,
                        uses: vec![use_],
                        variant_rules: Vec::new(),
                    }),
                }
            }
        }
    }
    let mut warnings = Vec::new();
    for (i, field) in fields.iter_mut().enumerate() {
        let mut ty: Option<FieldType> = None;
        for wanted in field.uses.iter().filter_map(|u| u.wants) {
            ty = match ty {
                None => Some(wanted),
                Some(t) => match FieldType::unify(t, wanted) {
                    Some(t) => Some(t),
                    None => {
                        field.conflict = true;
                        break;
                    }
                },
            };
        }
        if field.conflict {
            field.ty = FieldType::Value;
            let uses: Vec<String> = field
                .uses
                .iter()
                .filter_map(|u| u.wants.map(|t| format!("{} (feature {:?}, rule {:?}, {})", t.describe(), u.feature, u.rule, u.action)))
                .collect();
            warnings.push((i, format!("context key {:?} is compared as {}", field.key, uses.join(" and as "))));
        } else {
            field.ty = ty.unwrap_or(FieldType::Value);
        }
    }
    (fields, warnings)
}

/// A built-in value type named in the options.
fn builtin(named: &str) -> Option<ValueType> {
    Some(match named.trim() {
        "bool" => ValueType::Bool,
        "i64" => ValueType::I64,
        "f64" => ValueType::F64,
        "String" | "std::string::String" | "::std::string::String" => ValueType::String,
        "ff_runtime::Value" | "::ff_runtime::Value" => ValueType::Value,
        _ => return None,
    })
}

/// The value type of a non-boolean feature from its `default` and every `when_match`.
fn infer_value_type(values: &[&Value]) -> ValueType {
    if values.iter().all(|v| v.as_bool().is_some()) {
        ValueType::Bool
    } else if values.iter().all(|v| v.as_i64().is_some()) {
        ValueType::I64
    } else if values.iter().all(|v| matches!(v, Value::Number(n) if n.as_i64().is_some() || !n.is_integer())) {
        ValueType::F64
    } else if values.iter().all(|v| v.as_str().is_some()) {
        ValueType::String
    } else {
        ValueType::Value
    }
}

/// The type of a scalar condition value: string, integer within `i64`, number, boolean.
fn scalar_type(value: &Value) -> Option<FieldType> {
    match value {
        Value::String(_) => Some(FieldType::Str),
        Value::Bool(_) => Some(FieldType::Bool),
        Value::Number(n) if !n.is_integer() => Some(FieldType::Float),
        Value::Number(n) if n.as_i64().is_some() => Some(FieldType::Int),
        _ => None,
    }
}

/// The common element type of a list: `None` for an empty list, `Value` for mixed or
/// non-scalar elements.
fn element_type(items: &[Value]) -> Option<FieldType> {
    let mut ty: Option<FieldType> = None;
    for item in items {
        let Some(t) = scalar_type(item) else { return Some(FieldType::Value) };
        ty = match ty {
            None => Some(t),
            Some(prev) => match FieldType::unify(prev, t) {
                Some(u) => Some(u),
                None => return Some(FieldType::Value),
            },
        };
    }
    ty
}

/// The type a condition asks of its context value (crate docs, "Context fields").
fn wanted_type(action: Action, value: &Value) -> Option<FieldType> {
    use Action::*;
    match action {
        Equals | NotEquals | KeyGreaterThanValue | KeyGreaterThanOrEqualValue | KeyLessThanValue
        | KeyLessThanOrEqualValue => match value {
            Value::Array(items) => element_type(items).map(FieldType::list_of),
            other => Some(scalar_type(other).unwrap_or(FieldType::Value)),
        },
        StartsWith | EndsWith => Some(FieldType::Str),
        In | NotIn | KeyInValue | KeyNotInValue => match value {
            Value::Array(items) => element_type(items),
            Value::String(_) | Value::Object(_) => Some(FieldType::Str),
            _ => None,
        },
        ValueInKey | ValueNotInKey => match scalar_type(value) {
            Some(t) => Some(FieldType::list_of(t)),
            None => Some(FieldType::Value),
        },
        AnyInValue | AllInValue | NoneInValue => match value {
            Value::Array(items) => element_type(items).map(FieldType::list_of),
            _ => None,
        },
        ModuloRange => Some(FieldType::Int),
        ScheduleBetweenTimeRange | ScheduleBetweenDatetimeRange | ScheduleBetweenDaysOfWeek => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(json: &str) -> Model {
        Model::new(&Document::parse(json).unwrap(), &Options::new()).unwrap()
    }

    fn field<'m>(m: &'m Model, key: &str) -> &'m ContextField {
        m.fields.iter().find(|f| f.key == key).unwrap()
    }

    #[test]
    fn value_types_are_inferred_from_default_and_every_when_match() {
        let m = model(
            r#"{
            "b": {"default": false},
            "nb_bool": {"boolean_type": false, "default": false, "rules": {"r": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "k", "value": 1}]}}},
            "int": {"boolean_type": false, "default": 0, "rules": {"r": {"when_match": 15, "conditions": [{"action": "EQUALS", "key": "k", "value": 1}]}}},
            "num": {"boolean_type": false, "default": 0, "rules": {"r": {"when_match": 1.5, "conditions": [{"action": "EQUALS", "key": "k", "value": 1}]}}},
            "str": {"boolean_type": false, "default": "a"},
            "big": {"boolean_type": false, "default": 92233720368547758070},
            "list": {"boolean_type": false, "default": []},
            "mixed": {"boolean_type": false, "default": "a", "rules": {"r": {"when_match": 1, "conditions": [{"action": "EQUALS", "key": "k", "value": 1}]}}},
            "null_when_match": {"boolean_type": false, "default": 1, "rules": {"r": {"conditions": [{"action": "EQUALS", "key": "k", "value": 1}]}}}
        }"#,
        );
        let types: Vec<_> = m.features.iter().map(|f| (f.name.as_str(), f.value_type.rust_name())).collect();
        assert_eq!(
            types,
            [
                ("b", "bool"),
                ("nb_bool", "bool"),
                ("int", "i64"),
                ("num", "f64"),
                ("str", "String"),
                ("big", "ff_runtime::Value"),
                ("list", "ff_runtime::Value"),
                ("mixed", "ff_runtime::Value"),
                ("null_when_match", "ff_runtime::Value"),
            ]
        );
    }

    #[test]
    fn context_fields_are_typed_from_the_values_compared() {
        let m = model(
            r#"{"f": {"default": false, "rules": {
                "a": {"when_match": true, "conditions": [
                    {"action": "EQUALS", "key": "tier", "value": "gold"},
                    {"action": "KEY_GREATER_THAN_VALUE", "key": "basket size", "value": 100},
                    {"action": "KEY_LESS_THAN_VALUE", "key": "ratio", "value": 0.5},
                    {"action": "KEY_LESS_THAN_VALUE", "key": "ratio", "value": 2},
                    {"action": "MODULO_RANGE", "key": "id", "value": {"BASE": 100, "START": 0, "END": 9}},
                    {"action": "ANY_IN_VALUE", "key": "groups", "value": ["staff", "beta"]},
                    {"action": "VALUE_IN_KEY", "key": "ids", "value": 7},
                    {"action": "KEY_IN_VALUE", "key": "country", "value": ["DK", "SE"]},
                    {"action": "STARTSWITH", "key": "email", "value": "qa@"},
                    {"action": "EQUALS", "key": "beta", "value": true},
                    {"action": "EQUALS", "key": "meta", "value": {"a": 1}},
                    {"action": "EQUALS", "key": "user", "value": "42"},
                    {"action": "MODULO_RANGE", "key": "user", "value": {"BASE": 2, "START": 0, "END": 0}},
                    {"action": "SCHEDULE_BETWEEN_TIME_RANGE", "key": "CURRENT_TIME", "value": {"START": "09:00", "END": "17:00"}}
                ]}}}}"#,
        );
        let types: Vec<_> = m.fields.iter().map(|f| (f.key.as_str(), f.field.as_str(), f.ty)).collect();
        use FieldType::*;
        assert_eq!(
            types,
            [
                ("tier", "tier", Str),
                ("basket size", "basket_size", Int),
                ("ratio", "ratio", Float),
                ("id", "id", Int),
                ("groups", "groups", StrList),
                ("ids", "ids", IntList),
                ("country", "country", Str),
                ("email", "email", Str),
                ("beta", "beta", Bool),
                ("meta", "meta", Value),
                ("user", "user", Value),
            ]
        );
        assert!(field(&m, "user").conflict);
        assert!(!field(&m, "meta").conflict);
        assert_eq!(m.warnings.len(), 1);
        assert!(m.warnings[0].contains("\"user\" is compared as a string (feature \"f\", rule \"a\", EQUALS) and as an integer"), "{}", m.warnings[0]);
    }

    fn name_problems(json: &str, options: &Options) -> Vec<String> {
        match Model::new(&Document::parse(json).unwrap(), options) {
            Err(Error::Names(problems)) => problems,
            other => panic!("expected naming problems, got {other:?}"),
        }
    }

    #[test]
    fn a_feature_that_would_take_another_ones_rust_name_fails() {
        // The failing input: adding `dark_mode` next to `dark-mode` silently made
        // `dark_mode()` read the new feature and the old one `dark_mode_2()`.
        let doc = r#"{"dark-mode": {"default": true}, "dark_mode": {"default": false}}"#;
        let problems = name_problems(doc, &Options::new());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with(
                "features \"dark_mode\" and \"dark-mode\" would both get the accessor `dark_mode`: rename it: \
                 `.rename(\"dark-mode\", \"dark_mode_2\")`"
            ),
            "{}",
            problems[0]
        );
        let m = Model::new(&Document::parse(doc).unwrap(), &Options::new().rename("dark-mode", "dark_mode_legacy")).unwrap();
        let names: Vec<_> = m.features.iter().map(|f| (f.name.as_str(), f.method.as_str(), f.variant.as_str())).collect();
        assert_eq!(names, [("dark-mode", "dark_mode_legacy", "DarkModeLegacy"), ("dark_mode", "dark_mode", "DarkMode")]);
    }

    #[test]
    fn a_details_twin_that_would_be_another_features_accessor_fails() {
        // The failing input: `a_details()` was both the details of `a` and the accessor of
        // `a_details` (the generated code did not compile).
        let doc = r#"{"a": {"default": true}, "a_details": {"default": false}, "type": {"default": true}, "type-details": {"default": true}}"#;
        let problems = name_problems(doc, &Options::new());
        assert_eq!(
            problems,
            [
                "features \"a\" and \"a_details\" would both get the accessor `a_details` (the details twin of `a`, and the accessor of \"a_details\"): \
                 rename it: `.rename(\"a_details\", \"a_details_flag\")` on ff_build::Builder or Options, `rename(\"a_details\" = \"a_details_flag\")` in \
                 #[feature_flags], `--rename 'a_details=a_details_flag'` for ff generate",
                "features \"type\" and \"type-details\" would both get the accessor `type_details` (the details twin of `r#type`, and the accessor of \"type-details\"): \
                 rename it: `.rename(\"type-details\", \"type_details_flag\")` on ff_build::Builder or Options, `rename(\"type-details\" = \"type_details_flag\")` in \
                 #[feature_flags], `--rename 'type-details=type_details_flag'` for ff generate",
            ]
        );
        let options = Options::new().rename("a_details", "a_details_flag").rename("type-details", "type_details_flag");
        assert!(Model::new(&Document::parse(doc).unwrap(), &options).is_ok());
    }

    #[test]
    fn context_keys_variants_and_generated_names_collide_too() {
        let rule = |key: &str| format!(r#"{{"when_match": true, "conditions": [{{"action": "EQUALS", "key": "{key}", "value": "x"}}]}}"#);
        let doc = format!(
            r#"{{"f": {{"default": false, "rules": {{"a": {}, "b": {}, "c": {}}}}}, "snapshot": {{"default": true}},
                "a1": {{"default": true}}, "a_1": {{"default": true}}, "--": {{"default": true}}}}"#,
            rule("user-id"),
            rule("user_id"),
            rule("with")
        );
        let problems = name_problems(&doc, &Options::new());
        let starts: Vec<&str> = problems.iter().map(|p| p.split(": rename it").next().unwrap()).collect();
        assert_eq!(
            starts,
            [
                "feature \"snapshot\" would get the accessor `snapshot`, which is a method of the generated Flags, FlagsSnapshot or FlagsForTests",
                "feature \"--\" has no letters or digits to make a Rust accessor from",
                "features \"a1\" and \"a_1\" would both get the FlagName variant `A1` (accessors `a1` and `a_1`)",
                "context keys \"user_id\" and \"user-id\" would both get the Context setter `user_id`",
                "context key \"with\" would get the Context setter `with`, which is a method or field of the generated Context",
            ]
        );
        let options = Options::new()
            .rename("snapshot", "snapshot_flag")
            .rename("--", "dashes")
            .rename("a_1", "a_one")
            .rename("user-id", "user_id_legacy")
            .rename("with", "with_key");
        let m = Model::new(&Document::parse(&doc).unwrap(), &options).unwrap();
        let methods: Vec<_> = m.features.iter().map(|f| (f.method.as_str(), f.variant.as_str())).collect();
        assert_eq!(methods, [("f", "F"), ("snapshot_flag", "SnapshotFlag"), ("a1", "A1"), ("a_one", "AOne"), ("dashes", "Dashes")]);
        let fields: Vec<_> = m.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["user_id_legacy", "user_id", "with_key"]);
    }

    #[test]
    fn renames_are_checked() {
        let doc = Document::parse(r#"{"a": {"default": true}}"#).unwrap();
        let options = Options::new().rename("nope", "x").rename("a", "Not-Snake");
        let Err(Error::Options(problems)) = Model::new(&doc, &options) else { panic!("expected option errors") };
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0], "rename: the document has no feature or context key \"nope\" (to rename to \"x\")");
        assert!(problems[1].starts_with("rename: \"a\" to \"Not-Snake\" is not a snake_case Rust identifier"), "{}", problems[1]);
        // A keyword is fine (raw), and a name that is both a feature and a key is renamed in both.
        let doc = Document::parse(
            r#"{"type": {"default": false, "rules": {"r": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "type", "value": "x"}]}}}}"#,
        )
        .unwrap();
        let m = Model::new(&doc, &Options::new().rename("type", "kind")).unwrap();
        assert_eq!((m.features[0].method.as_str(), m.features[0].variant.as_str(), m.fields[0].field.as_str()), ("kind", "Kind", "kind"));
        let m = Model::new(&doc, &Options::new()).unwrap();
        assert_eq!((m.features[0].method.as_str(), m.fields[0].field.as_str()), ("r#type", "r#type"));
    }

    #[test]
    fn value_type_options_are_checked_against_the_document() {
        let doc = Document::parse(
            r#"{"b": {"default": true}, "level": {"boolean_type": false, "default": 1, "rules": {"r": {"when_match": "x", "conditions": [{"action": "EQUALS", "key": "k", "value": 1}]}}}}"#,
        )
        .unwrap();
        let options = Options::new().value_type("b", "u8").value_type("level", "i64").value_type("nope", "String");
        let Err(Error::Options(problems)) = Model::new(&doc, &options) else { panic!("expected option errors") };
        assert_eq!(
            problems,
            [
                "value_type: feature \"b\" is boolean, and boolean features are always `bool`",
                "value_type: the document has no feature \"nope\"",
                "/level/rules/r/when_match: value_type: feature \"level\" cannot be i64: it has the value \"x\"",
            ]
        );
        let ok = Model::new(&doc, &Options::new().value_type("level", "crate::Level")).unwrap();
        assert_eq!(ok.features[1].value_type, ValueType::Serde("crate::Level".into()));
    }
}
