//! The typing rules: the context fields of a document, typed from the values its conditions
//! compare them with, and the value type of a feature from its `default` and `when_match`.

use ff_runtime::{Action, Document, Value};

use super::{ContextField, FieldType, KeyUse, ValueType};


/// The context fields of `document`, unnamed, in order of first use, typed; and a warning
/// per field whose uses conflict (by field index, to be completed with the field's name).
pub(super) fn context_fields(document: &Document) -> (Vec<ContextField>, Vec<(usize, String)>) {
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
pub(super) fn builtin(named: &str) -> Option<ValueType> {
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
pub(super) fn infer_value_type(values: &[&Value]) -> ValueType {
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
