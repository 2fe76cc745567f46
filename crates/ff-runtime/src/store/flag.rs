//! [`EvaluatedFlag`]: one flag evaluated with a context by the store itself (the AppConfig
//! Agent's `?flag=` with `Context` headers), for [`StoreProvider::evaluate_flag`].
//!
//! [`StoreProvider::evaluate_flag`]: super::StoreProvider::evaluate_flag

use crate::value::Value;

/// One flag of an AWS AppConfig feature-flag profile (`AWS.AppConfig.FeatureFlags`), as
/// the store evaluated it for a context: what the AppConfig Agent answers to
/// `GET …/configurations/PROFILE?flag=KEY` with `Context: key=value` headers.
#[derive(Clone, Debug, PartialEq)]
pub struct EvaluatedFlag {
    /// The flag's object without `_variant`: `{"enabled": bool, ATTRIBUTE: value, …}` (the
    /// attributes of the variant chosen, or of the flag when it has no variants).
    pub value: Value,
    /// The name of the variant the store chose (the answer's `_variant`); `None` for a flag
    /// without variants.
    pub variant: Option<String>,
    /// The version of the configuration the answer comes from (the Agent's
    /// `Configuration-Version` header), when the store tells it.
    pub version: Option<String>,
}

impl EvaluatedFlag {
    /// Splits a flag object as the Agent answers it: `_variant` (a string) becomes
    /// [`EvaluatedFlag::variant`], the rest is [`EvaluatedFlag::value`]. `None` when `answer`
    /// is not an object with a boolean `enabled`, or has a `_variant` that is not a string.
    pub fn from_answer(answer: Value, version: Option<String>) -> Option<EvaluatedFlag> {
        let Value::Object(mut object) = answer else { return None };
        if !matches!(object.get("enabled"), Some(Value::Bool(_))) {
            return None;
        }
        let variant = match object.shift_remove("_variant") {
            None => None,
            Some(Value::String(name)) => Some(name.to_string()),
            Some(_) => return None,
        };
        Some(EvaluatedFlag { value: Value::Object(object), variant, version })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_variant_is_split_from_the_flag_object() {
        let answer = Value::from_json(r#"{"_variant": "QA", "dark_mode_support": true, "enabled": true}"#).unwrap();
        let flag = EvaluatedFlag::from_answer(answer, Some("3".into())).unwrap();
        assert_eq!(flag.value.to_json(), r#"{"dark_mode_support":true,"enabled":true}"#);
        assert_eq!((flag.variant.as_deref(), flag.version.as_deref()), (Some("QA"), Some("3")));
        let basic = EvaluatedFlag::from_answer(Value::from_json(r#"{"enabled": false}"#).unwrap(), None).unwrap();
        assert_eq!((basic.value.to_json().as_str(), basic.variant), (r#"{"enabled":false}"#, None));
        for bad in [r#"[1]"#, r#"{"color": "red"}"#, r#"{"enabled": "yes"}"#, r#"{"enabled": true, "_variant": 3}"#] {
            assert_eq!(EvaluatedFlag::from_answer(Value::from_json(bad).unwrap(), None), None, "{bad}");
        }
    }
}
