//! [`FileStore`]: a JSON file, read again only when it changes.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use super::envelope::Envelope;
use super::StoreProvider;
use crate::error::StoreError;
use crate::value::Value;

/// A store that reads a JSON file, and reads it again only when its modification time or
/// size changes (so an unchanged file is not re-validated).
///
/// A file longer than [`crate::value::json::DEFAULT_MAX_DOCUMENT_BYTES`] (16 MiB) is a store error,
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
            max_bytes: crate::value::json::DEFAULT_MAX_DOCUMENT_BYTES,
            cached: Mutex::new(None),
        }
    }

    /// The largest file read (default [`crate::value::json::DEFAULT_MAX_DOCUMENT_BYTES`], 16 MiB);
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
            let err = crate::value::json::too_large(usize::try_from(len).unwrap_or(usize::MAX), self.max_bytes);
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
        let value = crate::value::json::parse_with_limit(&text, self.max_bytes).map(|p| p.value).map_err(|e| {
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

    /// The file's path.
    fn location(&self) -> String {
        self.path.display().to_string()
    }
}
