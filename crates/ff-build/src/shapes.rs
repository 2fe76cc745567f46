//! Generated value types: the `serde` structs of object-valued features, inferred from the
//! shapes of the feature's `default` and every `when_match` (crate docs, "Generated value
//! types").
//!
//! Values are unified member by member: the same JSON type gives that type, integers and
//! numbers give `f64`, lists give `Vec<T>` of their unified elements, objects give a struct
//! whose members absent from some values are `Option<T>`. What does not unify (a `null`, a
//! string in one value and an object in another, a list of mixed elements, an integer beyond
//! `i64`, two keys with one Rust name) is `ff_runtime::Value`, with a warning that says why.

use ff_runtime::Value;

use crate::names::{camel_case, snake_case};

/// The Rust type of a generated struct's field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `bool`.
    Bool,
    /// `i64`.
    I64,
    /// `f64`.
    F64,
    /// `String`.
    String,
    /// `ff_runtime::Value`: members that do not unify, and elements of lists that are empty
    /// in every value.
    Any,
    /// `Vec<T>`.
    List(Box<Shape>),
    /// A generated struct, by name.
    Struct(String),
}

impl Shape {
    /// The type as Rust source (`Vec<LayoutItemsValue>`, `ff_runtime::Value`, …).
    pub fn rust(&self) -> String {
        match self {
            Shape::Bool => "bool".to_owned(),
            Shape::I64 => "i64".to_owned(),
            Shape::F64 => "f64".to_owned(),
            Shape::String => "String".to_owned(),
            Shape::Any => "ff_runtime::Value".to_owned(),
            Shape::List(element) => format!("Vec<{}>", element.rust()),
            Shape::Struct(name) => name.clone(),
        }
    }
}

/// A field of a generated struct: one member of the object values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StructField {
    /// The member's key in the document (`#[serde(rename = "...")]`).
    pub key: String,
    /// The field's Rust name (`snake_case` of the key, as context keys get theirs).
    pub field: String,
    /// The field's type.
    pub shape: Shape,
    /// Whether some values lack the member (the field is then `Option<shape>`).
    pub optional: bool,
}

/// A generated struct.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedStruct {
    /// The struct's name: `{FlagName variant}Value` for a feature's value, then
    /// `{parent without Value}{CamelCase key}Value` for a member's object (or its list's
    /// elements).
    pub name: String,
    /// The feature it belongs to.
    pub feature: String,
    /// Where its objects are in the feature's values: `` (the value), `theme`,
    /// `items[]`, …
    pub path: String,
    /// The members, in order of first appearance.
    pub fields: Vec<StructField>,
}

/// The inferred shape of the values, before naming.
#[derive(Clone, Debug)]
enum Inferred {
    Bool,
    Int,
    Float,
    Str,
    /// Lists; `None` while every list seen is empty.
    List(Option<Box<Inferred>>),
    /// Members in order of first appearance, with whether some object lacks them.
    Object(Vec<(String, Inferred, bool)>),
    /// Does not unify; the reason.
    Any(String),
}

fn describe(i: &Inferred) -> &'static str {
    match i {
        Inferred::Bool => "a boolean",
        Inferred::Int => "an integer",
        Inferred::Float => "a number",
        Inferred::Str => "a string",
        Inferred::List(_) => "a list",
        Inferred::Object(_) => "an object",
        Inferred::Any(_) => "a JSON value",
    }
}

fn infer(value: &Value, at: &str) -> Inferred {
    match value {
        Value::Null => Inferred::Any(format!("{} is null", place(at))),
        Value::Bool(_) => Inferred::Bool,
        Value::Number(n) if !n.is_integer() => Inferred::Float,
        Value::Number(n) if n.as_i64().is_some() => Inferred::Int,
        Value::Number(_) => Inferred::Any(format!("{} is an integer beyond i64", place(at))),
        Value::String(_) => Inferred::Str,
        Value::Array(items) => {
            let element_at = format!("{at}[]");
            let element = items.iter().map(|v| infer(v, &element_at)).reduce(|a, b| unify(a, b, &element_at));
            Inferred::List(element.map(Box::new))
        }
        Value::Object(map) => Inferred::Object(
            map.iter().map(|(k, v)| (k.clone(), infer(v, &member(at, k)), false)).collect(),
        ),
    }
}

/// `member `a.b`` or `the value`.
fn place(at: &str) -> String {
    if at.is_empty() {
        "the value".to_owned()
    } else {
        format!("member `{at}`")
    }
}

fn member(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_owned()
    } else {
        format!("{at}.{key}")
    }
}

fn unify(a: Inferred, b: Inferred, at: &str) -> Inferred {
    use Inferred::*;
    match (a, b) {
        (Any(why), _) | (_, Any(why)) => Any(why),
        (Bool, Bool) => Bool,
        (Int, Int) => Int,
        (Int | Float, Int | Float) => Float,
        (Str, Str) => Str,
        (List(x), List(y)) => List(match (x, y) {
            (None, e) | (e, None) => e,
            (Some(x), Some(y)) => Some(Box::new(unify(*x, *y, &format!("{at}[]")))),
        }),
        (Object(mut xs), Object(ys)) => {
            let mut seen = vec![false; xs.len()];
            for (key, y, y_optional) in ys {
                match xs.iter().position(|(k, _, _)| *k == key) {
                    Some(i) => {
                        seen[i] = true;
                        let (_, x, x_optional) = std::mem::replace(&mut xs[i], (String::new(), Bool, false));
                        xs[i] = (key.clone(), unify(x, y, &member(at, &key)), x_optional || y_optional);
                    }
                    None => xs.push((key, y, true)),
                }
            }
            for (i, seen) in seen.into_iter().enumerate() {
                if !seen {
                    xs[i].2 = true;
                }
            }
            Object(xs)
        }
        (a, b) => Any(format!("{} is {} in one value and {} in another", place(at), describe(&a), describe(&b))),
    }
}

/// A feature's generated structs (its own first) and the warnings about its members.
pub(crate) type FeatureStructs = (Vec<GeneratedStruct>, Vec<String>);

/// The structs of an object-valued feature (its `default` is an object) whose `FlagName`
/// variant is `variant`, from its values (`default` first): the structs (the feature's own
/// first) and a warning per member that is `ff_runtime::Value`. `None` when the default is
/// not an object; `Some(Err(why))` when the feature cannot have a struct (a value that is
/// not an object, a member with no Rust name or sharing one): its type is then
/// `ff_runtime::Value`.
pub(crate) fn feature_structs(
    feature: &str,
    variant: &str,
    values: &[&Value],
) -> Option<Result<FeatureStructs, String>> {
    if !matches!(values.first(), Some(Value::Object(_))) {
        return None;
    }
    if let Some(other) = values.iter().find(|v| !matches!(v, Value::Object(_))) {
        let other = describe(&infer(other, ""));
        let other = if other == "a JSON value" { "null (a rule without when_match)" } else { other };
        return Some(Err(format!("the default is an object and a when_match is {other}")));
    }
    let inferred = values.iter().map(|v| infer(v, "")).reduce(|a, b| unify(a, b, ""))?;
    let Inferred::Object(members) = inferred else { return None };
    let mut out = Out { feature, structs: Vec::new(), warnings: Vec::new() };
    Some(out.structs_of(format!("{variant}Value"), String::new(), members).map(|()| (out.structs, out.warnings)))
}

struct Out<'a> {
    feature: &'a str,
    structs: Vec<GeneratedStruct>,
    warnings: Vec<String>,
}

impl Out<'_> {
    /// Adds the struct `name` for the objects at `path`, and the structs of its members.
    ///
    /// # Errors
    /// Why the feature cannot have structs (a member's Rust name).
    fn structs_of(&mut self, name: String, path: String, members: Vec<(String, Inferred, bool)>) -> Result<(), String> {
        let index = self.structs.len();
        self.structs.push(GeneratedStruct { name: name.clone(), feature: self.feature.to_owned(), path: path.clone(), fields: Vec::new() });
        let stem = name.trim_end_matches("Value").to_owned();
        let mut fields: Vec<StructField> = Vec::new();
        for (key, inferred, optional) in members {
            let at = member(&path, &key);
            let Some(field) = snake_case(&key) else {
                return Err(format!("member `{at}` has no Rust name (no letters or digits)"));
            };
            if let Some(other) = fields.iter().find(|x| x.field == field) {
                return Err(format!("members `{}` and `{at}` would both be the field `{field}`", member(&path, &other.key)));
            }
            let shape = self.shape(&stem, &key, &at, inferred)?;
            fields.push(StructField { key, field, shape, optional });
        }
        self.structs[index].fields = fields;
        Ok(())
    }

    fn any(&mut self, why: String) -> Shape {
        self.warnings.push(why);
        Shape::Any
    }

    /// The shape of member `key` (at `at`) of a struct named `{stem}Value`.
    fn shape(&mut self, stem: &str, key: &str, at: &str, inferred: Inferred) -> Result<Shape, String> {
        Ok(match inferred {
            Inferred::Bool => Shape::Bool,
            Inferred::Int => Shape::I64,
            Inferred::Float => Shape::F64,
            Inferred::Str => Shape::String,
            Inferred::Any(why) => self.any(why),
            Inferred::List(None) => Shape::List(Box::new(Shape::Any)),
            Inferred::List(Some(element)) => Shape::List(Box::new(self.shape(stem, key, &format!("{at}[]"), *element)?)),
            Inferred::Object(members) => {
                let part = camel_case(key).map(|c| c.trim_matches('_').to_owned()).unwrap_or_default();
                let name = format!("{stem}{part}Value");
                if let Some(other) = self.structs.iter().find(|s| s.name == name) {
                    return Err(format!("members `{}` and `{at}` would both get the struct `{name}`", other.path));
                }
                self.structs_of(name.clone(), at.trim_end_matches("[]").to_owned(), members)?;
                Shape::Struct(name)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn structs(values: &[&str]) -> (Vec<GeneratedStruct>, Vec<String>) {
        let values: Vec<Value> = values.iter().map(|v| Value::from_json(v).unwrap()).collect();
        let refs: Vec<&Value> = values.iter().collect();
        feature_structs("f", "Layout", &refs).expect("objects").expect("structs")
    }

    fn fields(s: &GeneratedStruct) -> Vec<(String, String, bool)> {
        s.fields.iter().map(|f| (f.key.clone(), f.shape.rust(), f.optional)).collect()
    }

    #[test]
    fn shapes_unify_member_by_member() {
        let (structs, warnings) = structs(&[
            r#"{"columns": 1, "theme": {"name": "light"}, "items": [{"id": 1}], "ratio": 1, "tags": []}"#,
            r#"{"columns": 3, "theme": {"name": "dark", "accent": true}, "items": [], "ratio": 0.5, "tags": ["a"], "new-key": "x"}"#,
        ]);
        assert!(warnings.is_empty(), "{warnings:?}");
        let names: Vec<&str> = structs.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["LayoutValue", "LayoutThemeValue", "LayoutItemsValue"]);
        let s = |k: &str, t: &str, o: bool| (k.to_owned(), t.to_owned(), o);
        assert_eq!(
            fields(&structs[0]),
            [
                s("columns", "i64", false),
                s("theme", "LayoutThemeValue", false),
                s("items", "Vec<LayoutItemsValue>", false),
                s("ratio", "f64", false),
                s("tags", "Vec<String>", false),
                s("new-key", "String", true),
            ]
        );
        assert_eq!(structs[0].fields[5].field, "new_key");
        assert_eq!(fields(&structs[1]), [s("name", "String", false), s("accent", "bool", true)]);
        assert_eq!(fields(&structs[2]), [s("id", "i64", false)]);
        assert_eq!(structs[2].path, "items");
    }

    #[test]
    fn what_does_not_unify_is_a_value_with_a_warning() {
        let (structs, warnings) = structs(&[r#"{"a": "x", "b": null, "c": [1, "y"], "d": 99999999999999999999, "e": []}"#, r#"{"a": {"k": 1}}"#]);
        let s = |k: &str, t: &str, o: bool| (k.to_owned(), t.to_owned(), o);
        assert_eq!(
            fields(&structs[0]),
            [
                s("a", "ff_runtime::Value", false),
                s("b", "ff_runtime::Value", true),
                s("c", "Vec<ff_runtime::Value>", true),
                s("d", "ff_runtime::Value", true),
                s("e", "Vec<ff_runtime::Value>", true),
            ]
        );
        assert_eq!(
            warnings,
            [
                "member `a` is a string in one value and an object in another",
                "member `b` is null",
                "member `c[]` is an integer in one value and a string in another",
                "member `d` is an integer beyond i64",
            ]
        );
    }

    #[test]
    fn a_feature_that_cannot_have_structs_is_a_value() {
        let why = |values: &[&str]| {
            let values: Vec<Value> = values.iter().map(|v| Value::from_json(v).unwrap()).collect();
            feature_structs("f", "F", &values.iter().collect::<Vec<_>>()).map(|r| r.unwrap_err())
        };
        assert_eq!(why(&["1", "{}"]), None, "not object-valued");
        assert_eq!(why(&[r#"{"a": 1}"#, "1"]).unwrap(), "the default is an object and a when_match is an integer");
        assert_eq!(why(&[r#"{"a": 1}"#, "null"]).unwrap(), "the default is an object and a when_match is null (a rule without when_match)");
        assert_eq!(why(&[r#"{"x-y": 1, "x_y": 2}"#]).unwrap(), "members `x-y` and `x_y` would both be the field `x_y`");
        assert_eq!(why(&[r#"{"--": 1}"#]).unwrap(), "member `--` has no Rust name (no letters or digits)");
        assert_eq!(
            why(&[r#"{"a": {"b": {}}, "a_b": {}}"#]).unwrap(),
            "members `a.b` and `a_b` would both get the struct `FABValue`"
        );
    }
}
