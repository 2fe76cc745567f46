//! The content version of a feature document: what names the document in force when its
//! store has no version label of its own.

use crate::value::Value;

/// A short, stable name for the content of a feature document: the first 12 hexadecimal
/// digits (48 bits) of the SHA-256 of its compact JSON text ([`Value::to_json`]: document
/// order, no whitespace, numbers spelled as written), so that the same document gives the
/// same version whatever its layout in the file, and any change to a feature, a rule or
/// their order gives another. `ff validate` prints it, so that "the service runs version X"
/// can be checked from the command line.
///
/// ```
/// use ff_runtime::{document::content_version, Value};
/// let a = Value::from_json(r#"{"a": {"default": true}}"#).unwrap();
/// let b = Value::from_json("{\n  \"a\" : { \"default\" : true }\n}").unwrap();
/// assert_eq!(content_version(&a), content_version(&b));
/// assert_eq!(content_version(&a).len(), 12);
/// ```
pub fn content_version(document: &Value) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(document.to_json().as_bytes());
    digest[..6].iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_follow_content_and_order_not_layout() {
        let v = |text: &str| content_version(&Value::from_json(text).unwrap());
        assert_eq!(v(r#"{"a": {"default": true}}"#), "a13df2ee9e2f", "the SHA-256 of the compact text");
        assert_eq!(v(r#"{"a": {"default": true}}"#), v("{\"a\":{\"default\":true}}"));
        assert_ne!(v(r#"{"a": {"default": true}}"#), v(r#"{"a": {"default": false}}"#));
        assert_ne!(v(r#"{"a": {"default": true}, "b": {"default": true}}"#), v(r#"{"b": {"default": true}, "a": {"default": true}}"#));
        assert!(v("{}").chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_eq!(v("{}"), "44136fa355b3", "the SHA-256 of `{{}}`");
    }
}
