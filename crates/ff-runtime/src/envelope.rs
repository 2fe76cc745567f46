//! Envelopes: a JMESPath expression that selects the feature document inside a larger
//! stored document (the reference's `envelope` parameter), e.g. `features` in
//! `{"log_level": "INFO", "features": {...}}`.

use std::fmt;

use crate::error::StoreError;
use crate::value::Value;

/// A compiled JMESPath envelope.
///
/// Evaluated with the `jmespath` crate (the reference uses Python's `jmespath` package).
/// Integers beyond the 64-bit range pass through it as floats.
#[derive(Clone)]
pub struct Envelope {
    expression: std::sync::Arc<jmespath::Expression<'static>>,
}

impl fmt::Debug for Envelope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Envelope").field(&self.expression.as_str()).finish()
    }
}

impl Envelope {
    /// Compiles a JMESPath expression.
    ///
    /// # Errors
    /// A configuration [`StoreError`] naming the expression and the syntax problem.
    pub fn new(expression: &str) -> Result<Envelope, StoreError> {
        let compiled = jmespath::compile(expression).map_err(|e| {
            StoreError::configuration(format!("invalid envelope expression `{expression}`: {e}"))
        })?;
        Ok(Envelope { expression: std::sync::Arc::new(compiled) })
    }

    /// The expression text.
    pub fn as_str(&self) -> &str {
        self.expression.as_str()
    }

    /// Applies the envelope to a raw document.
    ///
    /// # Errors
    /// A configuration [`StoreError`] when the expression fails or selects nothing (`null`):
    /// the reference crashes with `AttributeError` there; ff reports a clear store error,
    /// so the last-known-good document stays in force.
    pub fn apply(&self, raw: &Value) -> Result<Value, StoreError> {
        let data: serde_json::Value = raw.clone().into();
        let result = self.expression.search(data).map_err(|e| {
            StoreError::configuration(format!("envelope `{}` failed: {e}", self.as_str()))
        })?;
        if result.is_null() {
            return Err(StoreError::configuration(format!(
                "envelope `{}` selects nothing in the stored document",
                self.as_str()
            )));
        }
        let json = serde_json::to_value(&*result).map_err(|e| {
            StoreError::configuration(format!("envelope `{}` gave an unusable value: {e}", self.as_str()))
        })?;
        Ok(Value::from(json))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selects_a_sub_document_or_fails_clearly() {
        let raw = Value::from_json(r#"{"log_level": "INFO", "features": {"f": {"default": true}}}"#).unwrap();
        let env = Envelope::new("features").unwrap();
        assert_eq!(env.apply(&raw).unwrap().to_json(), r#"{"f":{"default":true}}"#);
        let missing = Envelope::new("nope").unwrap().apply(&raw).unwrap_err();
        assert!(missing.to_string().contains("selects nothing"), "{missing}");
        assert!(Envelope::new("[bad").is_err());
    }
}
