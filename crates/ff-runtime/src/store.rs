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
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use crate::envelope::Envelope;
use crate::error::{StoreError, StoreErrorKind};
use crate::value::Value;

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
}

impl<S: StoreProvider + ?Sized> StoreProvider for Arc<S> {
    fn get_raw_configuration(&self) -> impl Future<Output = Result<Arc<Value>, StoreError>> + Send {
        (**self).get_raw_configuration()
    }
    fn envelope(&self) -> Option<&Envelope> {
        (**self).envelope()
    }
    fn name(&self) -> String {
        (**self).name()
    }
}

#[derive(Debug)]
enum Served {
    Document(Arc<Value>),
    Failure(StoreErrorKind, String),
}

/// A store that serves a document held in memory; the document can be replaced, or a
/// failure injected, at any time (for tests of code that uses flags, and of ff itself).
#[derive(Debug)]
pub struct MemoryStore {
    served: Mutex<Served>,
    envelope: Option<Envelope>,
    fetches: std::sync::atomic::AtomicU64,
}

impl MemoryStore {
    /// A store serving `document` (anything convertible to [`Value`], e.g. a
    /// `serde_json::Value` or a parsed [`Value`]).
    pub fn new(document: impl Into<Value>) -> MemoryStore {
        MemoryStore {
            served: Mutex::new(Served::Document(Arc::new(document.into()))),
            envelope: None,
            fetches: Default::default(),
        }
    }

    /// A store serving the JSON `text`.
    ///
    /// # Errors
    /// [`crate::ParseError`] when the text is not JSON.
    pub fn from_json(text: &str) -> Result<MemoryStore, crate::ParseError> {
        Ok(MemoryStore::new(Value::from_json(text)?))
    }

    /// Selects the feature document with a JMESPath envelope.
    pub fn with_envelope(mut self, envelope: Envelope) -> MemoryStore {
        self.envelope = Some(envelope);
        self
    }

    /// Replaces the served document (the next fetch sees it).
    pub fn set(&self, document: impl Into<Value>) {
        *self.served.lock().unwrap_or_else(|e| e.into_inner()) = Served::Document(Arc::new(document.into()));
    }

    /// Makes every fetch fail with an error of `kind` and `message` until [`MemoryStore::set`].
    pub fn fail(&self, kind: StoreErrorKind, message: impl Into<String>) {
        *self.served.lock().unwrap_or_else(|e| e.into_inner()) = Served::Failure(kind, message.into());
    }

    /// How many times the document was fetched.
    pub fn fetches(&self) -> u64 {
        self.fetches.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl StoreProvider for MemoryStore {
    fn get_raw_configuration(&self) -> impl Future<Output = Result<Arc<Value>, StoreError>> + Send {
        self.fetches.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let result = match &*self.served.lock().unwrap_or_else(|e| e.into_inner()) {
            Served::Document(doc) => Ok(doc.clone()),
            Served::Failure(kind, message) => {
                Err(StoreError { kind: *kind, message: message.clone(), source: None })
            }
        };
        std::future::ready(result)
    }

    fn envelope(&self) -> Option<&Envelope> {
        self.envelope.as_ref()
    }

    fn name(&self) -> String {
        "memory".to_owned()
    }
}

/// A store that reads a JSON file, and reads it again only when its modification time or
/// size changes (so an unchanged file is not re-validated).
///
/// A file longer than [`crate::json::DEFAULT_MAX_DOCUMENT_BYTES`] (16 MiB) is a store error,
/// found from its size before anything is read; [`FileStore::max_document_bytes`] sets
/// another limit.
#[derive(Debug)]
pub struct FileStore {
    path: PathBuf,
    envelope: Option<Envelope>,
    max_bytes: usize,
    cached: Mutex<Option<(SystemTime, u64, Arc<Value>)>>,
}

impl FileStore {
    /// A store reading `path` (relative paths are relative to the working directory).
    pub fn new(path: impl AsRef<Path>) -> FileStore {
        FileStore {
            path: path.as_ref().to_owned(),
            envelope: None,
            max_bytes: crate::json::DEFAULT_MAX_DOCUMENT_BYTES,
            cached: Mutex::new(None),
        }
    }

    /// The largest file read (default [`crate::json::DEFAULT_MAX_DOCUMENT_BYTES`], 16 MiB);
    /// a longer one is a configuration store error, so the last good document stays in force.
    pub fn max_document_bytes(mut self, max_bytes: usize) -> FileStore {
        self.max_bytes = max_bytes;
        self
    }

    /// Selects the feature document with a JMESPath envelope.
    pub fn with_envelope(mut self, envelope: Envelope) -> FileStore {
        self.envelope = Some(envelope);
        self
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn read(&self) -> Result<Arc<Value>, StoreError> {
        let fail = |what: &str, e: std::io::Error| {
            StoreError::configuration(format!("cannot {what} {}: {e}", self.path.display())).with_source(e)
        };
        let meta = std::fs::metadata(&self.path).map_err(|e| fail("read", e))?;
        let stamp = (meta.modified().unwrap_or(SystemTime::UNIX_EPOCH), meta.len());
        let mut cached = self.cached.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((modified, len, doc)) = &*cached {
            if (*modified, *len) == stamp {
                return Ok(doc.clone());
            }
        }
        let too_large = |len: u64| {
            let err = crate::json::too_large(usize::try_from(len).unwrap_or(usize::MAX), self.max_bytes);
            StoreError::configuration(format!("{}: {}", self.path.display(), err.message)).with_source(err)
        };
        if meta.len() > self.max_bytes as u64 {
            return Err(too_large(meta.len()));
        }
        // The file may have grown since: read one byte past the limit at most.
        let mut text = String::new();
        std::io::Read::read_to_string(
            &mut std::io::Read::take(std::fs::File::open(&self.path).map_err(|e| fail("read", e))?, (self.max_bytes as u64).saturating_add(1)),
            &mut text,
        )
        .map_err(|e| fail("read", e))?;
        let value = crate::json::parse_with_limit(&text, self.max_bytes).map(|p| p.value).map_err(|e| {
            StoreError::configuration(format!("{}:{e}", self.path.display())).with_source(e)
        })?;
        let doc = Arc::new(value);
        *cached = Some((stamp.0, stamp.1, doc.clone()));
        Ok(doc)
    }
}

impl StoreProvider for FileStore {
    fn get_raw_configuration(&self) -> impl Future<Output = Result<Arc<Value>, StoreError>> + Send {
        std::future::ready(self.read())
    }

    fn envelope(&self) -> Option<&Envelope> {
        self.envelope.as_ref()
    }

    fn name(&self) -> String {
        format!("file {}", self.path.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
