//! [`Snapshot`]: one document and the clock its schedule actions read, evaluated
//! synchronously.

use std::sync::Arc;

use crate::clock::Clock;
use crate::document::Document;
use crate::eval::context::Context;
use crate::eval::details::{Details, ErrorKind, EvaluationError, RareParts, Version};
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
    /// The document's version (see [`Snapshot::version`]), held so that details can carry
    /// it without a reference count.
    pub(super) version: Option<Version<'static>>,
    /// Whether the last refresh failed, so that the document is past `max_age`.
    pub(super) stale: bool,
    /// The evaluation events and counter, when enabled (see `observe.rs`).
    pub(super) observer: Option<Arc<Observer>>,
    /// Why callers are given no document: set on the snapshot that stands for a state that
    /// serves none (access denied, or an invalid first document), so that typed reads and
    /// their evaluation events name the error (`None` otherwise).
    pub(super) refused: Option<ErrorKind>,
}

impl Snapshot {
    /// A snapshot of a document, read with `clock` (for tests and tools).
    /// It has no version until [`Snapshot::with_version`] gives it one.
    pub fn new(document: Arc<Document>, clock: Arc<dyn Clock>) -> Snapshot {
        Snapshot { document: Some(document), clock, version: None, stale: false, observer: None, refused: None }
    }

    /// The same snapshot, naming its document `version` (for tests and tools; the cache
    /// names each document it fetches).
    pub fn with_version(mut self, version: impl AsRef<str>) -> Snapshot {
        self.version = Some(Version::new(version.as_ref()));
        self
    }

    /// The version of the document: the store's ([`crate::StoreProvider::version`], the
    /// AppConfig version label) where it has one, else the document's content hash
    /// ([`crate::document::content_version`]). `None` without a document.
    ///
    /// A version longer than 22 bytes (an AppConfig version label) is kept once for the life
    /// of the process, so that details can carry it without a reference count.
    pub fn version(&self) -> Option<&str> {
        self.version.as_ref().map(Version::as_str)
    }

    /// The version, as details carry it.
    #[inline(always)]
    pub(crate) fn held_version(&self) -> Option<Version<'static>> {
        self.version
    }

    /// Why no document is given, on the snapshot that stands for a state serving none
    /// (access denied: [`ErrorKind::General`]; an invalid first document:
    /// [`ErrorKind::ParseError`]).
    #[inline(always)]
    pub(crate) fn refused(&self) -> Option<ErrorKind> {
        self.refused
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
            return Details::static_error(default, unserved(self.refused));
        };
        let details = match document.feature(name) {
            Some(feature) => feature.evaluate_details(ctx, &*self.clock),
            None => Details::error(default, EvaluationError::new(ErrorKind::FlagNotFound, format!("the document has no feature {name:?}"))),
        };
        let details = details.with_version_of(self.version);
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

/// The error of an evaluation without a document: none could be fetched yet, or (`refused`)
/// the state serves none (static: nothing allocated).
fn unserved(refused: Option<ErrorKind>) -> &'static RareParts {
    static NOT_READY: RareParts = RareParts::error(ErrorKind::ProviderNotReady, "no feature flags document could be fetched yet: the default applies");
    static INVALID: RareParts =
        RareParts::error(ErrorKind::ParseError, "the store's document is invalid and no good one is in force: the default applies");
    static REFUSED: RareParts = RareParts::error(ErrorKind::General, "the store refused access: the default applies");
    match refused {
        None => &NOT_READY,
        Some(ErrorKind::ParseError) => &INVALID,
        Some(_) => &REFUSED,
    }
}
