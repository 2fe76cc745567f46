//! What the generator decided, before any code is written: the Rust name and value type of
//! every feature, and the Rust name and type of every context key.
//!
//! [`Model::new`] applies the naming rules (crate docs, "Names") and the typing rules
//! ("Value types" and "Context fields"). Tools can use it to describe the generated API
//! without generating it.

mod infer;
mod problems;

use infer::{builtin, context_fields, infer_value_type};
use problems::{details_problems, renames, variant_problems};

use ff_runtime::{Action, Document, Value};

use crate::error::Error;
use crate::names::{assign, camel_case, rename_hint, snake_case, Kind};
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

#[cfg(test)]
mod tests;
