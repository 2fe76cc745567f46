//! [`FeatureFlags::evaluate_variant`]: one flag of an AWS AppConfig feature-flag profile
//! evaluated with a context by the store (the AppConfig Agent evaluates multi-variant flags;
//! ff never evaluates AWS's rule language itself), else read from the document in force.


use super::observe::EventValue;
use super::snapshot::Snapshot;
use super::timeout::with_timeout;
use super::state::error_kind;
use super::FeatureFlags;
use crate::error::{Error, StoreError};
use crate::eval::details::{Details, ErrorKind, EvaluationError, Reason, Version};
use crate::store::EvaluatedFlag;
use crate::value::{Map, Value};

/// What the store said.
enum Asked {
    /// It does not evaluate flags ([`crate::StoreProvider::evaluate_flag`] gave `None`).
    Unsupported,
    Answered(EvaluatedFlag),
    Failed(StoreError),
}

impl FeatureFlags {
    /// Flag `key` of an AWS AppConfig feature-flag profile (`AWS.AppConfig.FeatureFlags`)
    /// evaluated for `context` by the store, with its variant: the way to read a
    /// multi-variant flag, whose rules only the AppConfig Agent evaluates (see
    /// `AppConfigAgentStore`, feature `appconfig-agent`). The generated accessors of native flags call it.
    ///
    /// * When the store evaluates flags ([`crate::StoreProvider::evaluate_flag`]; the Agent
    ///   store does, with one request per call): the value is the flag's object without
    ///   `_variant` (`{"enabled": bool, ATTRIBUTE: value, …}`), the variant is the
    ///   answer's `_variant`, the reason [`Reason::TargetingMatch`] when it names a variant
    ///   ([`Reason::Static`] for a flag without variants: AWS's answer does not tell a rule
    ///   match from the default variant, nor a `split`), the version the answer's (else the
    ///   document's in force).
    /// * When it does not: the flag as [`FeatureFlags::evaluate_details`] reads it from the
    ///   document in force, `context` given as string values (a `_variant` in the
    ///   document's object, as the Agent's whole-profile answer carries, becomes the
    ///   variant).
    /// * When its answer fails or takes longer than the `fetch_timeout` (logged at `warn`,
    ///   without context values), or the store refuses access (a 401 or 403 from the
    ///   Agent): that value, with reason [`Reason::Error`], [`ErrorKind::General`] and the
    ///   store's message, so that a value the store did not choose for this context is
    ///   never taken for one it did (the document's own error, e.g. `FlagNotFound`, when it
    ///   has no value either).
    ///
    /// Never panics, never waits past the `fetch_timeout` for the store's answer (reading
    /// the document in force may fetch it first, as every evaluation does). Without a value
    /// (no document and no answer), the value is `null` with reason [`Reason::Error`]
    /// (`FlagNotFound`, `ProviderNotReady`, …), for the caller's default to apply. The
    /// evaluation event, when enabled, is emitted once, for what is returned; it carries
    /// no context value.
    ///
    /// ```
    /// use ff_runtime::{FeatureFlags, MemoryStore, Reason};
    /// # futures_executor::block_on(async {
    /// // A memory store does not evaluate flags: the document in force answers.
    /// let store = MemoryStore::from_json(r#"{"dark": {"boolean_type": false, "default": {"enabled": true, "color": "red"}}}"#).unwrap();
    /// let flags = FeatureFlags::new(store);
    /// let details = flags.evaluate_variant("dark", &[("tier", "gold".to_owned())]).await;
    /// assert_eq!(details.value.to_json(), r#"{"enabled":true,"color":"red"}"#);
    /// assert_eq!((details.reason(), details.variant()), (Reason::Static, None));
    /// # });
    /// ```
    pub async fn evaluate_variant(&self, key: &str, context: &[(&str, String)]) -> Details<'static, Value> {
        let store = &self.inner.store;
        let timeout = self.inner.fetch_timeout;
        let asked = match with_timeout(store.evaluate_flag(key, context), timeout).await {
            Some(None) => Asked::Unsupported,
            Some(Some(Ok(flag))) => Asked::Answered(flag),
            Some(Some(Err(err))) => Asked::Failed(err),
            None => Asked::Failed(StoreError::configuration(format!(
                "evaluating flag {key:?} with {} timed out after {timeout:?}",
                store.name()
            ))),
        };
        match &asked {
            Asked::Failed(err) => tracing::warn!(
                store = %store.name(),
                feature = key,
                error = %err,
                "flag evaluation by the store failed; the flag is read from the document in force"
            ),
            Asked::Unsupported => tracing::debug!(
                store = %store.name(),
                feature = key,
                "the store does not evaluate flags; the flag is read from the document in force"
            ),
            Asked::Answered(_) => {}
        }
        self.with_snapshot(move |snapshot| serve(key, context, asked, snapshot)).await
    }
}

/// The details returned for `asked`, recorded once when evaluations are observed.
fn serve(key: &str, context: &[(&str, String)], asked: Asked, snapshot: Result<&Snapshot, Error>) -> Details<'static, Value> {
    let details = match asked {
        Asked::Answered(flag) => {
            let version = flag.version.as_deref().map(Version::new).or_else(|| snapshot.as_ref().ok().and_then(|s| s.held_version()));
            let reason = if flag.variant.is_some() { Reason::TargetingMatch } else { Reason::Static };
            Details::evaluated(flag.value, reason, None).with_named_variant(flag.variant).with_version_of(version)
        }
        // The store could not evaluate the flag for this context (access refused, the Agent
        // down or slow): the document in force answers, as an error, so that a caller can
        // tell this value from one the store chose.
        Asked::Failed(err) => {
            let basic = basic_read(key, context, &snapshot);
            if basic.reason() == Reason::Error {
                return observed(key, basic, snapshot);
            }
            let version = snapshot.as_ref().ok().and_then(|s| s.held_version());
            Details::error(basic.value, EvaluationError::new(ErrorKind::General, err.message)).with_version_of(version)
        }
        Asked::Unsupported => basic_read(key, context, &snapshot),
    };
    observed(key, details, snapshot)
}

/// `details`, recorded once when evaluations are observed.
fn observed(key: &str, details: Details<'static, Value>, snapshot: Result<&Snapshot, Error>) -> Details<'static, Value> {
    if let Some(observer) = snapshot.ok().and_then(Snapshot::observer) {
        observer.record(key, &details, EventValue::of(&details.value));
    }
    details
}

/// Flag `key` as the document in force gives it (`null` with reason `ERROR` without one),
/// its object's `_variant` split out as the variant.
fn basic_read(key: &str, context: &[(&str, String)], snapshot: &Result<&Snapshot, Error>) -> Details<'static, Value> {
    let snapshot = match snapshot {
        Ok(snapshot) => *snapshot,
        Err(err) => return Details::error(Value::Null, EvaluationError::new(error_kind(err), err.to_string())),
    };
    let context: Map = context.iter().map(|(k, v)| ((*k).to_owned(), Value::String(v.clone()))).collect();
    let null = Value::Null;
    let details = snapshot.evaluate_details_unobserved(key, &context, &null).map(Value::clone);
    let details = details.detach(|_, _| None, snapshot.held_version());
    if details.reason() == Reason::Error {
        return details;
    }
    let variant = match &details.value {
        Value::Object(object) => match object.get("_variant") {
            Some(Value::String(name)) => Some(name.to_string()),
            _ => None,
        },
        _ => None,
    };
    match variant {
        None => details,
        Some(name) => details
            .map(|value| match value {
                Value::Object(mut object) => {
                    object.shift_remove("_variant");
                    Value::Object(object)
                }
                other => other,
            })
            .with_named_variant(Some(name)),
    }
}
