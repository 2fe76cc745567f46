//! [`MemoryStore`]: a document held in memory, replaceable, with failures on demand.

use std::future::Future;
use std::sync::{Arc, Mutex};

use super::envelope::Envelope;
use super::StoreProvider;
use crate::error::{StoreError, StoreErrorKind};
use crate::value::Value;

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
    ///
    /// Order matters in a document: rules are tried in document order, and features are
    /// listed in it. A `serde_json::Value` keeps its objects' order only when the program
    /// enables serde_json's `preserve_order` feature (ff does not: it would change
    /// `serde_json` for every crate of the program); otherwise its objects are sorted by
    /// key, so rules written with `json!` are tried in the order of their names. To keep
    /// the order as written, give the text: [`MemoryStore::from_json`] (or
    /// [`Value::from_json`]), which ff reads in document order.
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
    pub fn from_json(text: &str) -> Result<MemoryStore, crate::error::ParseError> {
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
