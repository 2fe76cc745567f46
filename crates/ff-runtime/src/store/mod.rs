//! **The store layer**: the [`StoreProvider`] trait, the memory and file stores,
//! envelopes ([`envelope`]) and the AWS AppConfig stores (`appconfig`). It uses the document
//! layer (envelopes validate what they select), the value layer and `crate::error`.
//!
//! Store providers: where the document comes from.
//!
//! A [`StoreProvider`] serves the whole stored document (the reference's
//! `get_raw_configuration`) and, through its optional [`Envelope`], the feature document
//! (`get_configuration`). Caching is not the store's job here: [`crate::FeatureFlags`] asks
//! the store only when its copy is older than `max_age`, validates what it gets once, and
//! keeps the last good document when a fetch fails.
//!
//! Built in: [`MemoryStore`] (tests, documents built in code) and [`FileStore`] (a JSON
//! file, re-read when it changes). The AWS AppConfig stores live behind the `appconfig`
//! features.

use std::future::Future;
use std::sync::Arc;

pub mod envelope;
mod file;
mod flag;
mod memory;

#[cfg(any(feature = "appconfig", feature = "appconfig-agent"))]
pub mod appconfig;

pub use file::FileStore;
pub use flag::EvaluatedFlag;
pub use memory::MemoryStore;

use crate::error::StoreError;
use crate::value::Value;
use envelope::Envelope;

/// A source of feature-flag documents.
///
/// Implement [`StoreProvider::get_raw_configuration`]; the feature document is derived from
/// it by the envelope. Return the *same* `Arc` while the stored document is unchanged:
/// [`crate::FeatureFlags`] then skips validating and compiling it again.
///
/// Errors: return [`StoreError::configuration`] for anything that should fall back to the
/// last good document or the defaults (network, timeout, not found, bad JSON), and
/// [`StoreError::client`] for access refused, which is returned to the caller.
pub trait StoreProvider: Send + Sync {
    /// The whole stored document, before the envelope (application configuration that
    /// lives beside the flags can be read from it).
    fn get_raw_configuration(&self) -> impl Future<Output = Result<Arc<Value>, StoreError>> + Send;

    /// The envelope that selects the feature document inside the raw one; `None` (the
    /// default) means the whole document.
    fn envelope(&self) -> Option<&Envelope> {
        None
    }

    /// A short description for reports and logs, e.g. `file flags.json`.
    fn name(&self) -> String {
        std::any::type_name::<Self>().rsplit("::").next().unwrap_or("store").to_owned()
    }

    /// Where the store reads its document, as OpenTelemetry's `feature_flag.set.id` names
    /// the flag set: `application/environment/profile` for AppConfig, the path for a
    /// file; [`StoreProvider::name`] (the default) for other stores.
    fn location(&self) -> String {
        self.name()
    }

    /// The version of the document that the last successful
    /// [`StoreProvider::get_configuration`] returned, as the deployment names it (the
    /// AppConfig version label, the Agent's `Configuration-Version`); `None` (the default)
    /// when the store has none: [`crate::FeatureFlags`] then names the document by its
    /// content ([`crate::document::content_version`]). Read right after each fetch (one
    /// fetch is in flight at a time per `FeatureFlags`).
    fn version(&self) -> Option<String> {
        None
    }

    /// The feature document: the raw document with the envelope applied.
    fn get_configuration(&self) -> impl Future<Output = Result<Arc<Value>, StoreError>> + Send {
        async move {
            let raw = self.get_raw_configuration().await?;
            match self.envelope() {
                None => Ok(raw),
                Some(envelope) => envelope.apply(&raw).map(Arc::new),
            }
        }
    }

    /// Flag `key` of an AWS AppConfig feature-flag profile evaluated by the store itself
    /// with `context` (`(key, value)` pairs, in order), as only the AppConfig Agent can for
    /// multi-variant flags; see [`crate::FeatureFlags::evaluate_variant`], which calls it.
    ///
    /// `None` (the default) when the store cannot: the caller then reads the flag from the
    /// document in force. `AppConfigAgentStore` (feature `appconfig-agent`) implements it with one request
    /// (`?flag=KEY` and one `Context: key=value` header per pair). Errors are as for
    /// [`StoreProvider::get_raw_configuration`]: [`StoreError::client`] for access refused,
    /// [`StoreError::configuration`] for anything else.
    fn evaluate_flag(
        &self,
        key: &str,
        context: &[(&str, String)],
    ) -> impl Future<Output = Option<Result<EvaluatedFlag, StoreError>>> + Send {
        let _ = (key, context);
        std::future::ready(None)
    }
}

impl<S: StoreProvider + ?Sized> StoreProvider for Arc<S> {
    fn get_raw_configuration(&self) -> impl Future<Output = Result<Arc<Value>, StoreError>> + Send {
        (**self).get_raw_configuration()
    }
    fn envelope(&self) -> Option<&Envelope> {
        (**self).envelope()
    }
    fn location(&self) -> String {
        (**self).location()
    }
    fn name(&self) -> String {
        (**self).name()
    }
    fn version(&self) -> Option<String> {
        (**self).version()
    }
    fn get_configuration(&self) -> impl Future<Output = Result<Arc<Value>, StoreError>> + Send {
        (**self).get_configuration()
    }
    fn evaluate_flag(
        &self,
        key: &str,
        context: &[(&str, String)],
    ) -> impl Future<Output = Option<Result<EvaluatedFlag, StoreError>>> + Send {
        (**self).evaluate_flag(key, context)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::StoreErrorKind;
    use futures_executor::block_on;

    #[test]
    fn memory_store_serves_replaces_and_fails() {
        let store = MemoryStore::from_json(r#"{"a": {"default": true}}"#).unwrap();
        let first = block_on(store.get_configuration()).unwrap();
        let again = block_on(store.get_configuration()).unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        store.fail(StoreErrorKind::Client, "AccessDenied");
        let err = block_on(store.get_configuration()).unwrap_err();
        assert_eq!(err.kind, StoreErrorKind::Client);
        store.set(Value::from_json(r#"{"b": {"default": false}}"#).unwrap());
        assert_eq!(block_on(store.get_configuration()).unwrap().to_json(), r#"{"b":{"default":false}}"#);
        assert_eq!(store.fetches(), 4);
    }

    #[test]
    fn file_store_rereads_only_on_change() {
        let dir = std::env::temp_dir().join(format!("ff-file-store-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("flags.json");
        std::fs::write(&path, r#"{"cfg": {"features": {"a": {"default": true}}}}"#).unwrap();
        let store = FileStore::new(&path).with_envelope(Envelope::new("cfg.features").unwrap());
        let one = block_on(store.get_raw_configuration()).unwrap();
        let two = block_on(store.get_raw_configuration()).unwrap();
        assert!(Arc::ptr_eq(&one, &two));
        assert_eq!(block_on(store.get_configuration()).unwrap().to_json(), r#"{"a":{"default":true}}"#);
        std::fs::write(&path, r#"{"cfg": {"features": {"b": {"default": false}, "c": {"default": true}}}}"#).unwrap();
        assert_eq!(block_on(store.get_configuration()).unwrap().as_object().unwrap().len(), 2);
        std::fs::write(&path, "{not json").unwrap();
        let err = block_on(store.get_configuration()).unwrap_err();
        assert_eq!(err.kind, StoreErrorKind::Configuration);
        assert!(err.message.contains("flags.json:1:2"), "{}", err.message);
        std::fs::remove_file(&path).unwrap();
        assert!(block_on(store.get_configuration()).unwrap_err().message.contains("cannot read"));
        std::fs::remove_dir_all(&dir).ok();
    }

    /// Issue 12, finding 10: ff served a document starting with a byte order mark, which
    /// the reference's store cannot parse (Python's json.loads raises "Unexpected UTF-8
    /// BOM", callers get their default). Now a configuration store error naming the cause,
    /// so the last good document stays in force.
    #[test]
    fn stores_refuse_a_byte_order_mark_as_the_reference() {
        let dir = std::env::temp_dir().join(format!("ff-file-store-bom-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("flags.json");
        std::fs::write(&path, "\u{feff}{\"a\": {\"default\": true}}").unwrap();
        let err = block_on(FileStore::new(&path).get_configuration()).unwrap_err();
        assert_eq!(err.kind, StoreErrorKind::Configuration);
        assert!(err.message.ends_with("flags.json:1:1: invalid JSON: the text starts with a UTF-8 byte order mark (U+FEFF), which the reference refuses (Python's json.loads raises \"Unexpected UTF-8 BOM\", so Powertools serves the caller's default): save the document as UTF-8 without a BOM"), "{}", err.message);
        assert!(MemoryStore::from_json("\u{feff}{}").is_err());
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn file_store_refuses_a_file_over_the_limit_unread() {
        let dir = std::env::temp_dir().join(format!("ff-file-store-limit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("flags.json");
        std::fs::write(&path, r#"{"a": {"default": true}}"#).unwrap();
        let store = FileStore::new(&path).max_document_bytes(24);
        assert!(block_on(store.get_configuration()).is_ok());
        std::fs::write(&path, r#"{"a": {"default": false}}"#).unwrap();
        let err = block_on(store.get_configuration()).unwrap_err();
        assert_eq!(err.kind, StoreErrorKind::Configuration);
        assert!(err.message.ends_with("flags.json: the document is 25 bytes, more than the limit of 24 bytes"), "{}", err.message);
        // A sparse file of 100 MB under the default limit: refused from its size alone.
        std::fs::File::create(&path).unwrap().set_len(100 << 20).unwrap();
        let err = block_on(FileStore::new(&path).get_configuration()).unwrap_err();
        assert!(err.message.contains("104857600 bytes, more than the limit of 16777216 bytes"), "{}", err.message);
        std::fs::remove_dir_all(&dir).ok();
    }
}
