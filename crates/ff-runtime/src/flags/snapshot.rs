//! [`Snapshot`]: one document and the clock its schedule actions read, evaluated
//! synchronously.

use std::sync::Arc;

use crate::clock::Clock;
use crate::document::Document;
use crate::eval::context::Context;
use crate::eval::details::{Details, ErrorKind, EvaluationError};
use crate::eval::Explanation;
use crate::value::Value;

use super::observe::{EventValue, Observer};

/// A consistent, synchronous view of one document (see [`FeatureFlags::snapshot`]).
/// Evaluating against it takes no lock and allocates nothing.
///
/// [`FeatureFlags::snapshot`]: super::FeatureFlags::snapshot
#[derive(Clone)]
pub struct Snapshot {
    pub(super) document: Option<Arc<Document>>,
    pub(super) clock: Arc<dyn Clock>,
    /// The document's version (see [`Snapshot::version`]).
    pub(super) version: Option<Arc<str>>,
    /// Whether the last refresh failed, so that the document is past `max_age`.
    pub(super) stale: bool,
    /// The evaluation events and counter, when enabled (see `observe.rs`).
    pub(super) observer: Option<Arc<Observer>>,
}

impl Snapshot {
    /// A snapshot of a document, read with `clock` (for tests and tools).
    /// It has no version until [`Snapshot::with_version`] gives it one.
    pub fn new(document: Arc<Document>, clock: Arc<dyn Clock>) -> Snapshot {
        Snapshot { document: Some(document), clock, version: None, stale: false, observer: None }
    }

    /// The same snapshot, naming its document `version` (for tests and tools; the cache
    /// names each document it fetches).
    pub fn with_version(mut self, version: impl Into<Arc<str>>) -> Snapshot {
        self.version = Some(version.into());
        self
    }

    /// The version of the document: the store's ([`crate::StoreProvider::version`], the
    /// AppConfig version label) where it has one, else the document's content hash
    /// ([`crate::document::content_version`]). `None` without a document.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// The version, shared.
    pub(crate) fn shared_version(&self) -> Option<Arc<str>> {
        self.version.clone()
    }

    /// Whether the document in force is past `max_age` because the last refresh failed:
    /// evaluations give [`Reason::Stale`](crate::Reason::Stale).
    pub fn is_stale(&self) -> bool {
        self.stale
    }

    /// [`Snapshot::evaluate`], with why: the reason (`STALE` when [`Snapshot::is_stale`]),
    /// the matched rule and the document's version; observed (an evaluation event, a count)
    /// when the flags were built so ([`Snapshot::is_observed`]). `default` is the value for a feature
    /// the document lacks (reason `ERROR`, [`ErrorKind::FlagNotFound`]) and when there is no
    /// document ([`ErrorKind::ProviderNotReady`]). Allocates nothing but the message of an
    /// unknown feature.
    pub fn evaluate_details<'a, C: Context + ?Sized>(&'a self, name: &str, ctx: &C, default: &'a Value) -> Details<'a, &'a Value> {
        let details = self.evaluate_details_unobserved(name, ctx, default);
        if let Some(observer) = &self.observer {
            observer.record(name, &details, EventValue::of(details.value));
        }
        details
    }

    /// [`Snapshot::evaluate_details`] without recording it (for callers that record what
    /// they finally serve, e.g. [`FeatureFlags::evaluate_variant`](super::FeatureFlags::evaluate_variant)).
    pub(crate) fn evaluate_details_unobserved<'a, C: Context + ?Sized>(&'a self, name: &str, ctx: &C, default: &'a Value) -> Details<'a, &'a Value> {
        let Some(document) = self.document.as_deref() else {
            return Details::error(default, not_ready());
        };
        let details = match document.feature(name) {
            Some(feature) => feature.evaluate_details(ctx, &*self.clock),
            None => Details::error(default, EvaluationError::new(ErrorKind::FlagNotFound, format!("the document has no feature {name:?}"))),
        };
        let details = details.with_version(self.version());
        if self.stale { details.stale() } else { details }
    }

    /// Whether evaluations against this snapshot are observed: evaluation events or the
    /// evaluation counter are enabled ([`FeatureFlagsBuilder::evaluation_events`]).
    ///
    /// [`FeatureFlagsBuilder::evaluation_events`]: super::FeatureFlagsBuilder::evaluation_events
    #[inline(always)]
    pub fn is_observed(&self) -> bool {
        self.observer.is_some()
    }

    /// The observer, when evaluations are observed.
    #[inline(always)]
    pub(crate) fn observer(&self) -> Option<&Observer> {
        self.observer.as_deref()
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

/// The error of an evaluation without a document.
pub(crate) fn not_ready() -> EvaluationError {
    EvaluationError::new(ErrorKind::ProviderNotReady, "no feature flags document could be fetched yet: the default applies")
}
