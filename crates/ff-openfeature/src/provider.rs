//! [`FfProvider`]: ff's [`FeatureFlags`] as an OpenFeature [`FeatureProvider`].

use ff_runtime::{Details, ErrorKind, FeatureFlags, Reason, Value};
use open_feature::provider::{FeatureProvider, ProviderMetadata, ProviderStatus, ResolutionDetails};
use open_feature::{EvaluationContext, EvaluationError, EvaluationErrorCode, EvaluationReason, EvaluationResult, FlagMetadata, StructValue};

use crate::context::MappedContext;
use crate::value::{mismatch, FromFlagValue};

/// The context key that OpenFeature's targeting key becomes unless
/// [`FfProviderBuilder::targeting_key`] names another: `targeting_key`.
pub const DEFAULT_TARGETING_KEY: &str = "targeting_key";

/// The provider's name in OpenFeature ([`FeatureProvider::metadata`]): `ff`.
pub const PROVIDER_NAME: &str = "ff";

/// The flag metadata key holding the store's name (see [`FfProvider`]): `flagSetId`.
pub const FLAG_SET_ID: &str = "flagSetId";

/// The flag metadata key holding the document's version: `version`.
pub const VERSION: &str = "version";

/// ff's [`FeatureFlags`] (over any store: AWS AppConfig, a file, memory, yours) as an
/// OpenFeature provider.
///
/// * [`initialize`](FeatureProvider::initialize) (run by `set_provider`) makes the first
///   fetch ([`FeatureFlags::ready`]), waiting for it (at most the flags' `fetch_timeout`, 10
///   seconds by default); it never calls back into OpenFeature. A failure is kept:
///   [`status`](FeatureProvider::status) says `Error` until a document is in force.
/// * The resolve methods evaluate with [`FeatureFlags::evaluate_details`] (the cache, the
///   last-known-good document and the background refresh work as for ff's own API) and
///   give its details: the value, the reason (`STATIC`, `TARGETING_MATCH`, `SPLIT`,
///   `DEFAULT`, and `STALE` as [`EvaluationReason::Other`], since the SDK has no stale
///   reason), the variant (the name of the rule that matched; none when no rule matched)
///   and flag metadata: [`FLAG_SET_ID`] (`flagSetId`) is the store's name
///   ([`FeatureFlags::store_name`], e.g. `file flags.json`, or AppConfig's application,
///   environment and profile), [`VERSION`] (`version`) the document's version (AppConfig's
///   version label where the deployment has one, else the document's content hash).
/// * Errors are `Err`s (the client gives its caller the error and the caller its default):
///   `FLAG_NOT_FOUND` (the document has no such feature), `TYPE_MISMATCH` (the value is not
///   of the type asked for: see [`crate::value`]), `PROVIDER_NOT_READY` (no document could be
///   fetched yet), `PARSE_ERROR` (the store's document is invalid and no good one is in
///   force), `INVALID_CONTEXT` (a context value ff cannot read: see [`crate::context`]) and
///   `GENERAL` (the store refused access).
///
/// ```
/// use ff_openfeature::FfProvider;
/// use ff_runtime::{FeatureFlags, MemoryStore};
/// use open_feature::{EvaluationContext, EvaluationReason, OpenFeature};
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let store = MemoryStore::from_json(r#"{"premium": {"default": false, "rules": {"gold tier": {
///     "when_match": true, "conditions": [{"action": "EQUALS", "key": "tier", "value": "gold"}]}}}}"#).unwrap();
/// let mut api = OpenFeature::singleton_mut().await;
/// api.set_provider(FfProvider::new(FeatureFlags::new(store))).await;
/// let client = api.create_client();
///
/// let ctx = EvaluationContext::default().with_targeting_key("user-1").with_custom_field("tier", "gold");
/// let details = client.get_bool_details("premium", Some(&ctx), None).await.unwrap();
/// assert!(details.value);
/// assert_eq!(details.reason, Some(EvaluationReason::TargetingMatch));
/// assert_eq!(details.variant.as_deref(), Some("gold tier"));
/// // An error is an Err: the caller picks its default.
/// assert!(!client.get_bool_value("no_such_feature", Some(&ctx), None).await.unwrap_or(false));
/// # });
/// ```
pub struct FfProvider {
    flags: FeatureFlags,
    metadata: ProviderMetadata,
    flag_set_id: String,
    targeting_key: String,
    /// Whether `initialize` ran, and its failure.
    initialized: Option<Result<(), String>>,
}

/// Options of an [`FfProvider`] ([`FfProvider::builder`]).
pub struct FfProviderBuilder {
    flags: FeatureFlags,
    targeting_key: String,
}

impl FfProviderBuilder {
    /// The context key that OpenFeature's targeting key becomes ([`DEFAULT_TARGETING_KEY`]
    /// by default): name the key your document's rules read, e.g. `user_id`.
    pub fn targeting_key(mut self, key: impl Into<String>) -> FfProviderBuilder {
        self.targeting_key = key.into();
        self
    }

    /// The provider.
    pub fn build(self) -> FfProvider {
        FfProvider {
            metadata: ProviderMetadata::new(PROVIDER_NAME),
            flag_set_id: self.flags.store_name(),
            flags: self.flags,
            targeting_key: self.targeting_key,
            initialized: None,
        }
    }
}

impl FfProvider {
    /// A provider over `flags`, with the targeting key as context key `targeting_key`.
    pub fn new(flags: FeatureFlags) -> FfProvider {
        FfProvider::builder(flags).build()
    }

    /// A provider over `flags`, with options.
    pub fn builder(flags: FeatureFlags) -> FfProviderBuilder {
        FfProviderBuilder { flags, targeting_key: DEFAULT_TARGETING_KEY.to_owned() }
    }

    /// The flags it evaluates (a clone shares their cache: keep one to call ff's typed
    /// accessors or [`FeatureFlags::status`] beside OpenFeature).
    pub fn flags(&self) -> &FeatureFlags {
        &self.flags
    }

    /// Evaluates feature `flag_key` for `context` and reads its value as a `T`.
    async fn resolve<T: FromFlagValue>(&self, flag_key: &str, context: &EvaluationContext) -> EvaluationResult<ResolutionDetails<T>> {
        let mapped = MappedContext::new(context, &self.targeting_key)?;
        let details = self.flags.evaluate_details(flag_key, &mapped, Value::Null).await;
        if let Some(error) = details.error_details() {
            return Err(self.error(error.kind, &error.message));
        }
        let variant = details.variant().map(str::to_owned);
        let flag_metadata = Some(self.flag_metadata(&details));
        let (reason, found) = (reason(details.reason()), details.value.type_name());
        match T::from_flag_value(details.value) {
            Some(value) => Ok(ResolutionDetails { value, variant, reason: Some(reason), flag_metadata }),
            None => Err(mismatch::<T>(flag_key, found)),
        }
    }

    fn flag_metadata(&self, details: &Details<'_, Value>) -> FlagMetadata {
        let metadata = FlagMetadata::default().with_value(FLAG_SET_ID, self.flag_set_id.as_str());
        match details.version() {
            Some(version) => metadata.with_value(VERSION, version),
            None => metadata,
        }
    }

    /// The OpenFeature error for an ff error.
    fn error(&self, kind: ErrorKind, message: &str) -> EvaluationError {
        let code = match kind {
            ErrorKind::FlagNotFound => EvaluationErrorCode::FlagNotFound,
            ErrorKind::TypeMismatch => EvaluationErrorCode::TypeMismatch,
            ErrorKind::ProviderNotReady => EvaluationErrorCode::ProviderNotReady,
            ErrorKind::ParseError => EvaluationErrorCode::ParseError,
            ErrorKind::General => EvaluationErrorCode::General(message.to_owned()),
        };
        let message = match (&kind, self.flags.status().last_error) {
            (ErrorKind::ProviderNotReady, Some(cause)) => format!("{message}: {cause}"),
            _ => message.to_owned(),
        };
        EvaluationError { code, message: Some(message) }
    }
}

/// OpenFeature's reason for ff's.
fn reason(reason: Reason) -> EvaluationReason {
    match reason {
        Reason::Static => EvaluationReason::Static,
        Reason::TargetingMatch => EvaluationReason::TargetingMatch,
        Reason::Split => EvaluationReason::Split,
        Reason::Default => EvaluationReason::Default,
        Reason::Stale => EvaluationReason::Other(Reason::Stale.as_str().to_owned()),
        Reason::Error => EvaluationReason::Error,
    }
}

#[open_feature::async_trait]
impl FeatureProvider for FfProvider {
    /// Makes the first fetch (see [`FfProvider`]); the global context is not used.
    async fn initialize(&mut self, _context: &EvaluationContext) {
        let result = self.flags.ready().await.map_err(|err| err.to_string());
        self.initialized = Some(result);
    }

    /// `NotReady` before [`initialize`](FeatureProvider::initialize) with no document yet;
    /// `Ready` with a document in force whose last fetch worked; `STALE` when the last
    /// fetch failed and the last good document is in force; `Error` after a failed first
    /// fetch, until a document is in force.
    fn status(&self) -> ProviderStatus {
        let status = self.flags.status();
        match (status.has_document, &self.initialized) {
            (true, _) if status.last_error.is_some() => ProviderStatus::STALE,
            (true, _) => ProviderStatus::Ready,
            (false, None) => ProviderStatus::NotReady,
            (false, Some(_)) => ProviderStatus::Error,
        }
    }

    /// Name `ff`.
    fn metadata(&self) -> &ProviderMetadata {
        &self.metadata
    }

    async fn resolve_bool_value(&self, flag_key: &str, context: &EvaluationContext) -> EvaluationResult<ResolutionDetails<bool>> {
        self.resolve(flag_key, context).await
    }

    async fn resolve_int_value(&self, flag_key: &str, context: &EvaluationContext) -> EvaluationResult<ResolutionDetails<i64>> {
        self.resolve(flag_key, context).await
    }

    /// Any number: an integer is read as a float.
    async fn resolve_float_value(&self, flag_key: &str, context: &EvaluationContext) -> EvaluationResult<ResolutionDetails<f64>> {
        self.resolve(flag_key, context).await
    }

    async fn resolve_string_value(&self, flag_key: &str, context: &EvaluationContext) -> EvaluationResult<ResolutionDetails<String>> {
        self.resolve(flag_key, context).await
    }

    /// Objects only (a `null` inside is left out: see [`crate::value`]).
    async fn resolve_struct_value(&self, flag_key: &str, context: &EvaluationContext) -> EvaluationResult<ResolutionDetails<StructValue>> {
        self.resolve(flag_key, context).await
    }
}
