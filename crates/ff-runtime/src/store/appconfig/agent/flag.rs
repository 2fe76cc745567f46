//! The Agent's evaluation of one flag with a context: `?flag=KEY` and `Context` headers
//! ([`AppConfigAgentStore::evaluate`]).
//!
//! AWS documents (AWS AppConfig User Guide, "Retrieving basic and multi-variant feature
//! flags" and its code samples): the query parameter `flag=FLAG_KEY` selects one flag; the
//! context goes in `Context` request headers, `key=value` each, "passed either across
//! multiple headers or as comma-separated values in a single header"; the answer carries the
//! flag's `enabled`, its attributes and, for a multi-variant flag, `_variant` (the AWS
//! example, for the whole profile: `{"ui_refresh": {"_variant": "QA", "dark_mode_support":
//! true, "enabled": true}}`). AWS documents no escaping, so a value the Agent would read
//! differently from what was given (a comma, a control character, surrounding white space)
//! is refused, naming the key and never the value.

use hyper::header::{HeaderName, HeaderValue};

use super::{encode, AppConfigAgentStore};
use crate::error::StoreError;
use crate::store::EvaluatedFlag;
use crate::value::Value;

/// The request header that carries the context.
const CONTEXT: HeaderName = HeaderName::from_static("context");

impl AppConfigAgentStore {
    /// `GET PATH?flag=KEY` with one `Context: key=value` header per entry of `context`.
    pub(super) async fn evaluate(&self, key: &str, context: &[(&str, String)]) -> Result<EvaluatedFlag, StoreError> {
        let mut headers = self.authorization()?;
        for (name, value) in context {
            let header = context_header(name, value).map_err(|e| StoreError::configuration(format!("{}: {e}", self.name)))?;
            headers.push((CONTEXT, header));
        }
        let target = format!("{}?flag={}", self.path(), encode(key));
        let answer = self.exchange(&target, &headers).await?;
        let text = std::str::from_utf8(&answer.body)
            .map_err(|_| StoreError::configuration(format!("{}: the agent's answer to GET {target} is not UTF-8", self.name)))?;
        let value = Value::from_json(text)
            .map_err(|e| StoreError::configuration(format!("{}: the agent's answer to GET {target} is not JSON: {e}", self.name)))?;
        EvaluatedFlag::from_answer(unwrap_flag(key, value), answer.version).ok_or_else(|| {
            StoreError::configuration(format!(
                "{}: the agent's answer to GET {target} is not a flag (an object with a boolean \"enabled\")",
                self.name
            ))
        })
    }
}

/// The flag's object: the answer itself, or its only member `key` when the answer has the
/// shape of the whole profile (`{KEY: {...}}`).
fn unwrap_flag(key: &str, answer: Value) -> Value {
    match answer {
        Value::Object(mut object) if object.len() == 1 && !object.contains_key("enabled") => match object.shift_remove(key) {
            Some(flag) => flag,
            None => Value::Object(object),
        },
        other => other,
    }
}

/// The `Context` header of one entry, or why it cannot be sent as it is (naming the key,
/// never the value).
pub(super) fn context_header(key: &str, value: &str) -> Result<HeaderValue, String> {
    let key_ok = !key.is_empty() && key.bytes().all(|b| b.is_ascii_graphic() && b != b'=' && b != b',');
    if !key_ok {
        return Err(format!(
            "context key {key:?} cannot be sent in a Context header: a key is ASCII letters, digits and punctuation, without `=` or `,`"
        ));
    }
    let why = if value.contains(',') {
        Some("it holds a comma, which the Agent reads as a separator between entries")
    } else if value.chars().any(char::is_control) {
        Some("it holds a control character")
    } else if value.trim() != value {
        Some("it starts or ends with white space, which HTTP drops")
    } else {
        None
    };
    if let Some(why) = why {
        return Err(format!("the value of context key {key:?} cannot be sent in a Context header: {why}"));
    }
    HeaderValue::from_bytes(format!("{key}={value}").as_bytes())
        .map_err(|_| format!("the value of context key {key:?} cannot be sent in a Context header"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_entries_become_headers_or_are_refused_without_their_value() {
        assert_eq!(context_header("tier", "gold").unwrap().as_bytes(), b"tier=gold");
        assert_eq!(context_header("email", "jane_doe@example.org").unwrap().as_bytes(), b"email=jane_doe@example.org");
        assert_eq!(context_header("opted_in", "false").unwrap().as_bytes(), b"opted_in=false");
        assert_eq!(context_header("city", "Z\u{fc}rich").unwrap().as_bytes(), "city=Z\u{fc}rich".as_bytes());
        assert_eq!(context_header("expr", "a=b").unwrap().as_bytes(), b"expr=a=b");
        for (key, value) in [("tier", "gold,silver"), ("tier", "line\nbreak"), ("tier", " padded"), ("", "v"), ("a=b", "v"), ("a b", "v")] {
            let message = context_header(key, value).unwrap_err();
            assert!(!message.contains(value), "{message}");
        }
    }

    #[test]
    fn a_whole_profile_answer_is_unwrapped() {
        let flag = r#"{"enabled":true,"color":"red"}"#;
        let wrapped = Value::from_json(&format!(r#"{{"dark": {flag}}}"#)).unwrap();
        assert_eq!(unwrap_flag("dark", wrapped).to_json(), flag);
        assert_eq!(unwrap_flag("dark", Value::from_json(flag).unwrap()).to_json(), flag);
        assert_eq!(unwrap_flag("dark", Value::from_json(r#"{"light": {"enabled": true}}"#).unwrap()).to_json(), r#"{"light":{"enabled":true}}"#);
    }
}
