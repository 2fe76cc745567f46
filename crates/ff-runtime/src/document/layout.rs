//! [`Layout`]: what generated code knows of its compiled-in document, and what the runtime
//! resolves a live document against (see `Document::resolve`).

use std::sync::OnceLock;

use super::Document;

/// What generated code knows of its compiled-in document, for `__private_v1::read_typed`: the features'
/// names by compiled index, and the typed context's keys by slot (the slots of its
/// `Context::get_slot`). The runtime resolves a live document against it once per document,
/// so that a typed read finds its feature by position and its context values by slot.
/// Generated code keeps it in a `static`: its address identifies it.
///
/// It also holds the compiled-in document's text, parsed on first use, so that the runtime
/// can tell which live features are exactly as compiled: for those, the generated code's
/// own evaluation (`__private_v1::read_native`) applies.
#[derive(Debug)]
pub struct Layout {
    features: &'static [&'static str],
    keys: &'static [&'static str],
    document: &'static str,
    compiled: OnceLock<Option<Document>>,
}

impl Layout {
    /// The layout of generated code: the compiled-in features' names by compiled index,
    /// the typed context's keys by slot, and the compiled-in document's text.
    pub const fn new(features: &'static [&'static str], keys: &'static [&'static str], document: &'static str) -> Layout {
        Layout { features, keys, document, compiled: OnceLock::new() }
    }

    /// The compiled-in features' names, by compiled index.
    pub fn features(&self) -> &'static [&'static str] {
        self.features
    }

    /// The typed context's keys, by slot.
    pub fn keys(&self) -> &'static [&'static str] {
        self.keys
    }

    /// The compiled-in document, parsed on first use; `None` if it no longer validates
    /// (a runtime whose validation changed since the build: nothing is then native).
    pub(crate) fn compiled(&self) -> Option<&Document> {
        self.compiled.get_or_init(|| Document::parse(self.document).ok()).as_ref()
    }
}
