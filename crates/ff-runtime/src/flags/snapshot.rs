//! [`Snapshot`]: one document and the clock its schedule actions read, evaluated
//! synchronously.

use std::sync::Arc;

use crate::clock::Clock;
use crate::document::Document;
use crate::eval::context::Context;
use crate::eval::Explanation;
use crate::value::Value;

/// A consistent, synchronous view of one document (see [`FeatureFlags::snapshot`]).
/// Evaluating against it takes no lock and allocates nothing.
///
/// [`FeatureFlags::snapshot`]: super::FeatureFlags::snapshot
#[derive(Clone)]
pub struct Snapshot {
    pub(super) document: Option<Arc<Document>>,
    pub(super) clock: Arc<dyn Clock>,
}

impl Snapshot {
    /// A snapshot of a document, read with `clock` (for tests and tools).
    pub fn new(document: Arc<Document>, clock: Arc<dyn Clock>) -> Snapshot {
        Snapshot { document: Some(document), clock }
    }

    /// The document in force; `None` when none could be fetched yet.
    pub fn document(&self) -> Option<&Document> {
        self.document.as_deref()
    }

    /// The value of feature `name`, or `None` when there is no such feature (or no
    /// document): the caller's default applies.
    #[inline]
    pub fn evaluate<C: Context + ?Sized>(&self, name: &str, ctx: &C) -> Option<&Value> {
        self.document.as_ref()?.evaluate(name, ctx, &*self.clock)
    }

    /// The enabled features, in document order.
    pub fn enabled_features<C: Context + ?Sized>(&self, ctx: &C) -> Vec<&str> {
        match &self.document {
            Some(doc) => doc.enabled_features(ctx, &*self.clock),
            None => Vec::new(),
        }
    }

    /// How feature `name` evaluates, rule by rule.
    pub fn explain<C: Context + ?Sized>(&self, name: &str, ctx: &C) -> Option<Explanation> {
        self.document.as_ref()?.explain(name, ctx, &*self.clock)
    }

    /// The clock the schedule actions read.
    pub fn clock(&self) -> &dyn Clock {
        &*self.clock
    }
}
