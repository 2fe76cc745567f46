//! Why a value: [`Details`] of one evaluation, with its [`Reason`] (OpenFeature's names),
//! the variant (the matched rule's name), the rule's index, the document's version and,
//! for [`Reason::Error`], an [`EvaluationError`].
//!
//! Evaluation itself ([`Feature::evaluate_details`]) knows the first four reasons; the cache
//! adds [`Reason::Stale`] (it knows when refreshing failed) and the errors.

use std::borrow::Cow;
use std::fmt;

use crate::clock::{Clock, Now};
use crate::document::{Action, Document, Feature, Rule};
use crate::eval::context::Context;
use crate::value::Value;

/// Why an evaluation gave its value: OpenFeature's resolution reasons
/// (<https://openfeature.dev/specification/types#resolution-reason>), spelled by
/// [`Reason::as_str`]; OpenTelemetry's `feature_flag.result.reason` uses the lower-case
/// spelling ([`Reason::as_otel_str`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reason {
    /// `STATIC`: the feature has no rules, so its `default` is its only value.
    Static,
    /// `TARGETING_MATCH`: a rule matched (one without a `MODULO_RANGE` condition).
    TargetingMatch,
    /// `SPLIT`: a rule holding a `MODULO_RANGE` condition (a percentage split) matched.
    Split,
    /// `DEFAULT`: the feature has rules and none matched, so its `default` applies.
    Default,
    /// `STALE`: the document in force is past `max_age` because refreshing it failed (the
    /// value is what that older document says; the variant is filled as usual).
    Stale,
    /// `ERROR`: the value is a default because of an error (see [`Details::error`]).
    Error,
}

impl Reason {
    /// Every reason, in declaration order (the order of [`Reason::index`]).
    pub const ALL: [Reason; 6] = [Reason::Static, Reason::TargetingMatch, Reason::Split, Reason::Default, Reason::Stale, Reason::Error];

    /// OpenFeature's spelling: `STATIC`, `TARGETING_MATCH`, `SPLIT`, `DEFAULT`, `STALE`,
    /// `ERROR`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Reason::Static => "STATIC",
            Reason::TargetingMatch => "TARGETING_MATCH",
            Reason::Split => "SPLIT",
            Reason::Default => "DEFAULT",
            Reason::Stale => "STALE",
            Reason::Error => "ERROR",
        }
    }

    /// OpenTelemetry's spelling (`feature_flag.result.reason`): `static`,
    /// `targeting_match`, `split`, `default`, `stale`, `error`.
    pub const fn as_otel_str(self) -> &'static str {
        match self {
            Reason::Static => "static",
            Reason::TargetingMatch => "targeting_match",
            Reason::Split => "split",
            Reason::Default => "default",
            Reason::Stale => "stale",
            Reason::Error => "error",
        }
    }

    /// The reason's position in [`Reason::ALL`] (0 to 5).
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Reason {
    /// OpenFeature's spelling ([`Reason::as_str`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an evaluation ended in [`Reason::Error`]: OpenFeature's error codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// `FLAG_NOT_FOUND`: the document in force has no such feature.
    FlagNotFound,
    /// `TYPE_MISMATCH`: the feature's value is not of the type asked for (typed accessors:
    /// the live document gives it a value of another type than the compiled-in one).
    TypeMismatch,
    /// `PROVIDER_NOT_READY`: no document could be fetched yet (a configuration store error).
    ProviderNotReady,
    /// `PARSE_ERROR`: the store's document is invalid and no earlier good one is in force.
    ParseError,
    /// `GENERAL`: any other error (access denied by the store).
    General,
}

impl ErrorKind {
    /// OpenFeature's spelling: `FLAG_NOT_FOUND`, `TYPE_MISMATCH`, `PROVIDER_NOT_READY`,
    /// `PARSE_ERROR`, `GENERAL`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::FlagNotFound => "FLAG_NOT_FOUND",
            ErrorKind::TypeMismatch => "TYPE_MISMATCH",
            ErrorKind::ProviderNotReady => "PROVIDER_NOT_READY",
            ErrorKind::ParseError => "PARSE_ERROR",
            ErrorKind::General => "GENERAL",
        }
    }

    /// OpenTelemetry's `error.type` spelling: the same in lower case (`flag_not_found`, …).
    pub const fn as_otel_str(self) -> &'static str {
        match self {
            ErrorKind::FlagNotFound => "flag_not_found",
            ErrorKind::TypeMismatch => "type_mismatch",
            ErrorKind::ProviderNotReady => "provider_not_ready",
            ErrorKind::ParseError => "parse_error",
            ErrorKind::General => "general",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error behind a [`Reason::Error`]: its kind and a message for people (never a
/// context value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvaluationError {
    /// The kind, as OpenFeature names it.
    pub kind: ErrorKind,
    /// What went wrong, e.g. `the document has no feature "x"`.
    pub message: Cow<'static, str>,
}

impl EvaluationError {
    /// An error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<Cow<'static, str>>) -> EvaluationError {
        EvaluationError { kind, message: message.into() }
    }
}

impl fmt::Display for EvaluationError {
    /// `FLAG_NOT_FOUND: the document has no feature "x"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

/// A document's version as [`Details`] carry it: borrowed, or (for the details of
/// [`FeatureFlags`](crate::FeatureFlags), which outlive the document) held inline when short
/// (content hashes, AppConfig version numbers) or interned when longer (AppConfig version
/// labels: one copy per distinct label for the life of the process, see [`Version::new`]).
/// Copying it touches no reference count.
#[derive(Clone, Copy)]
pub(crate) enum Version<'a> {
    Borrowed(&'a str),
    Inline { len: u8, bytes: [u8; INLINE] },
}

/// The longest version held inline.
const INLINE: usize = 22;

impl Version<'static> {
    /// `text` as a version that needs no borrow: inline up to 22 bytes, else interned (a
    /// version label is kept once for the life of the process: a process sees one per
    /// deployment).
    pub(crate) fn new(text: &str) -> Version<'static> {
        match u8::try_from(text.len()) {
            Ok(len) if text.len() <= INLINE => {
                let mut bytes = [0; INLINE];
                bytes[..text.len()].copy_from_slice(text.as_bytes());
                Version::Inline { len, bytes }
            }
            _ => Version::Borrowed(intern(text)),
        }
    }
}

impl Version<'_> {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Version::Borrowed(s) => s,
            // Always the bytes of a `&str` cut at its own length, so valid UTF-8.
            Version::Inline { len, bytes } => std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default(),
        }
    }
}

impl fmt::Debug for Version<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// `text`, kept once for the life of the process.
fn intern(text: &str) -> &'static str {
    static INTERNED: std::sync::Mutex<std::collections::BTreeSet<&'static str>> = std::sync::Mutex::new(std::collections::BTreeSet::new());
    let mut interned = INTERNED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    match interned.get(text) {
        Some(kept) => kept,
        None => {
            let kept: &'static str = Box::leak(Box::from(text));
            interned.insert(kept);
            kept
        }
    }
}

/// What few [`Details`] carry (an error, strings they own), behind one pointer so that the
/// details stay small: a `static` for the typed accessors' errors (nothing allocated), boxed
/// otherwise.
#[derive(Clone, Debug)]
enum Rare {
    Static(&'static RareParts),
    Boxed(Box<RareParts>),
}

/// The parts of [`Rare`].
#[derive(Clone, Debug, Default)]
pub(crate) struct RareParts {
    error: Option<EvaluationError>,
    variant: Option<Box<str>>,
    version: Option<Box<str>>,
}

impl RareParts {
    /// An error with a static message, for a `static` ([`Details::static_error`]).
    pub(crate) const fn error(kind: ErrorKind, message: &'static str) -> RareParts {
        RareParts { error: Some(EvaluationError { kind, message: Cow::Borrowed(message) }), variant: None, version: None }
    }
}

impl Rare {
    fn parts(&self) -> &RareParts {
        match self {
            Rare::Static(parts) => parts,
            Rare::Boxed(parts) => parts,
        }
    }

    fn into_parts(self) -> RareParts {
        match self {
            Rare::Static(parts) => parts.clone(),
            Rare::Boxed(parts) => *parts,
        }
    }
}

/// One evaluation, with why: the value, the [`Reason`], the variant (the matched rule's
/// name), the matched rule's index, the document's version, and the error for
/// [`Reason::Error`]. OpenFeature's evaluation details, as every path of ff returns them:
/// the typed `*_details` accessors, [`FeatureFlags::evaluate_details`],
/// [`Snapshot::evaluate_details`] and [`Document::evaluate_details`].
///
/// `'a` is the document the strings are borrowed from: a snapshot's details borrow it (and
/// allocate nothing); [`FeatureFlags`]' are `'static` (the typed ones borrow the
/// compiled-in rule names and hold the version inline: they allocate nothing either, unless
/// the live document names a rule the build did not know). Small (the value and six words):
/// the error and any owned strings are behind one pointer.
///
/// [`FeatureFlags`]: crate::FeatureFlags
/// [`FeatureFlags::evaluate_details`]: crate::FeatureFlags::evaluate_details
/// [`Snapshot::evaluate_details`]: crate::Snapshot::evaluate_details
#[derive(Clone)]
pub struct Details<'a, T> {
    /// The value, as the plain accessor gives it.
    pub value: T,
    reason: Reason,
    rule_index: Option<usize>,
    variant: Option<&'a str>,
    version: Option<Version<'a>>,
    rare: Option<Rare>,
}

/// What the accessors say, not how it is held: the value, the reason, the variant, the rule
/// index, the version and the error.
impl<T: fmt::Debug> fmt::Debug for Details<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Details")
            .field("value", &self.value)
            .field("reason", &self.reason)
            .field("variant", &self.variant())
            .field("rule_index", &self.rule_index)
            .field("version", &self.version())
            .field("error", &self.error_details())
            .finish()
    }
}

impl<'a, T> Details<'a, T> {
    /// Details of a value that evaluation gave, with its reason and matched rule (index
    /// and name).
    #[inline]
    pub fn evaluated(value: T, reason: Reason, rule: Option<(usize, &'a str)>) -> Details<'a, T> {
        Details { value, reason, variant: rule.map(|(_, name)| name), rule_index: rule.map(|(i, _)| i), version: None, rare: None }
    }

    /// Details of a default served because of `error` (reason [`Reason::Error`]).
    pub fn error(value: T, error: EvaluationError) -> Details<'a, T> {
        let parts = RareParts { error: Some(error), ..RareParts::default() };
        Details { value, reason: Reason::Error, variant: None, rule_index: None, version: None, rare: Some(Rare::Boxed(Box::new(parts))) }
    }

    /// [`Details::error`] with a static error (from [`RareParts::error`]): nothing allocated.
    #[inline]
    pub(crate) fn static_error(value: T, error: &'static RareParts) -> Details<'a, T> {
        Details { value, reason: Reason::Error, variant: None, rule_index: None, version: None, rare: Some(Rare::Static(error)) }
    }

    /// The same details with the document's version `version`.
    pub fn with_version(mut self, version: Option<&'a str>) -> Details<'a, T> {
        self.version = version.map(Version::Borrowed);
        self
    }

    /// The same details with the document's version `version` (as the snapshot holds it).
    #[inline(always)]
    pub(crate) fn with_version_of(mut self, version: Option<Version<'a>>) -> Details<'a, T> {
        self.version = version;
        self
    }

    /// The same details naming `variant`, a variant chosen outside the document (by the
    /// AppConfig Agent), with no rule index. The name is owned (behind the rare parts).
    pub(crate) fn with_named_variant(mut self, variant: Option<String>) -> Details<'a, T> {
        self.variant = None;
        self.rule_index = None;
        let mut parts = self.rare.take().map(Rare::into_parts).unwrap_or_default();
        parts.variant = variant.map(String::into_boxed_str);
        let keep = parts.error.is_some() || parts.variant.is_some() || parts.version.is_some();
        self.rare = keep.then(|| Rare::Boxed(Box::new(parts)));
        self
    }

    /// The same details marked [`Reason::Stale`] (unless they are an error).
    #[inline]
    pub(crate) fn stale(mut self) -> Details<'a, T> {
        if self.reason != Reason::Error {
            self.reason = Reason::Stale;
        }
        self
    }

    /// Why the value is what it is.
    pub fn reason(&self) -> Reason {
        self.reason
    }

    /// The name of the rule that matched; `None` when no rule matched (and for errors).
    pub fn variant(&self) -> Option<&str> {
        match self.variant {
            Some(variant) => Some(variant),
            None => self.rare.as_ref().and_then(|rare| rare.parts().variant.as_deref()),
        }
    }

    /// The position of the rule that matched among the feature's rules (document order).
    pub fn rule_index(&self) -> Option<usize> {
        self.rule_index
    }

    /// The version of the document in force: the AppConfig version label (or the Agent's
    /// `Configuration-Version`) where the deployment has one, else the document's content
    /// hash ([`crate::document::content_version`]). `None` with no document, or for a
    /// [`Document`] evaluated on its own.
    pub fn version(&self) -> Option<&str> {
        match &self.version {
            Some(version) => Some(version.as_str()),
            None => self.rare.as_ref().and_then(|rare| rare.parts().version.as_deref()),
        }
    }

    /// The error, for [`Reason::Error`].
    pub fn error_details(&self) -> Option<&EvaluationError> {
        self.rare.as_ref().and_then(|rare| rare.parts().error.as_ref())
    }

    /// The value, without the details.
    pub fn into_value(self) -> T {
        self.value
    }

    /// The same details with the value mapped by `f`.
    #[inline]
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Details<'a, U> {
        Details {
            value: f(self.value),
            reason: self.reason,
            variant: self.variant,
            rule_index: self.rule_index,
            version: self.version,
            rare: self.rare,
        }
    }

    /// The same details turned into an error serving `value` (reason [`Reason::Error`], no
    /// variant), the version kept: for typed reads whose value did not fit.
    pub(crate) fn fail<U>(self, value: U, error: EvaluationError) -> Details<'a, U> {
        let version = self.rare.as_ref().and_then(|rare| rare.parts().version.clone());
        let parts = RareParts { error: Some(error), variant: None, version };
        Details { value, reason: Reason::Error, variant: None, rule_index: None, version: self.version, rare: Some(Rare::Boxed(Box::new(parts))) }
    }

    /// The same details, owning their strings (copies the borrowed ones).
    pub fn into_owned(self) -> Details<'static, T> {
        let version = match self.version {
            Some(Version::Inline { len, bytes }) => Some(Version::Inline { len, bytes }),
            _ => None,
        };
        let mut parts = self.rare.map(Rare::into_parts).unwrap_or_default();
        if let Some(variant) = self.variant {
            parts.variant = Some(Box::from(variant));
        }
        if let Some(Version::Borrowed(text)) = self.version {
            parts.version = Some(Box::from(text));
        }
        let rare = (parts.error.is_some() || parts.variant.is_some() || parts.version.is_some()).then(|| Rare::Boxed(Box::new(parts)));
        Details { value: self.value, reason: self.reason, variant: None, rule_index: self.rule_index, version, rare }
    }

    /// The same details with the variant given `'static` life by `lookup` (the compiled-in
    /// rule name, when the build knew it), copied otherwise; the version `version` (which
    /// needs no borrow).
    #[inline(always)]
    pub(crate) fn detach(self, lookup: impl FnOnce(usize, &str) -> Option<&'static str>, version: Option<Version<'static>>) -> Details<'static, T> {
        let (variant, rare) = match (self.rule_index, self.variant) {
            (Some(i), Some(name)) => match lookup(i, name) {
                Some(name) => (Some(name), self.rare),
                None => (None, Some(copied_variant(self.rare, name))),
            },
            (_, Some(name)) => (None, Some(copied_variant(self.rare, name))),
            (_, None) => (None, self.rare),
        };
        Details { value: self.value, reason: self.reason, variant, rule_index: self.rule_index, version, rare }
    }
}

/// `rare` with a copy of `variant` (a rule name the build did not know): the one allocation
/// of `Flags`' details.
#[cold]
fn copied_variant(rare: Option<Rare>, variant: &str) -> Rare {
    let mut parts = rare.map(Rare::into_parts).unwrap_or_default();
    parts.variant = Some(Box::from(variant));
    Rare::Boxed(Box::new(parts))
}

impl Rule {
    /// Whether the rule holds a `MODULO_RANGE` condition (its match is a [`Reason::Split`]).
    #[inline]
    pub fn is_split(&self) -> bool {
        self.conditions.iter().any(|c| c.action == Action::ModuloRange)
    }
}

impl Feature {
    /// The reason for a value given by rule `rule` (its index; `None`: the default).
    #[inline]
    pub fn reason_for(&self, rule: Option<usize>) -> Reason {
        match rule.and_then(|i| self.rules.get(i)) {
            Some(rule) if rule.is_split() => Reason::Split,
            Some(_) => Reason::TargetingMatch,
            None if self.rules.is_empty() => Reason::Static,
            None => Reason::Default,
        }
    }

    /// [`Feature::evaluate`], with why: the reason and the matched rule.
    #[inline]
    pub fn evaluate_details<C: Context + ?Sized>(&self, ctx: &C, clock: &dyn Clock) -> Details<'_, &Value> {
        self.evaluate_details_with(ctx, &[], &mut Now::new(clock))
    }

    /// [`Feature::evaluate_details`], with the context's keys served through `slots`.
    #[inline]
    pub(crate) fn evaluate_details_with<C: Context + ?Sized>(&self, ctx: &C, slots: &[u16], now: &mut Now<'_>) -> Details<'_, &Value> {
        let (value, rule) = self.evaluate_rule_with(ctx, slots, now);
        let reason = self.reason_for(rule);
        Details::evaluated(value, reason, rule.map(|i| (i, self.rules[i].name.as_str())))
    }
}

impl Document {
    /// [`Document::evaluate`](crate::Document::evaluate), with why; `None` for an unknown
    /// feature. The details have no version (a document alone has none: see
    /// [`crate::Snapshot::evaluate_details`]).
    pub fn evaluate_details<C: Context + ?Sized>(&self, name: &str, ctx: &C, clock: &dyn Clock) -> Option<Details<'_, &Value>> {
        self.feature(name).map(|f| f.evaluate_details(ctx, clock))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use serde_json::json;

    #[test]
    fn debug_shows_what_the_accessors_say() {
        let owned = Details::evaluated(7, Reason::Static, None).with_named_variant(Some("gold".to_owned())).with_version(Some("v3"));
        assert_eq!(
            format!("{owned:?}"),
            r#"Details { value: 7, reason: Static, variant: Some("gold"), rule_index: None, version: Some("v3"), error: None }"#
        );
        let failed = Details::error(false, EvaluationError::new(ErrorKind::General, "agent down"));
        assert_eq!(
            format!("{failed:?}"),
            r#"Details { value: false, reason: Error, variant: None, rule_index: None, version: None, error: Some(EvaluationError { kind: General, message: "agent down" }) }"#
        );
    }

    #[test]
    fn reasons_variants_and_indexes_come_from_evaluation() {
        let document = Document::parse(
            r#"{"plain": {"default": true},
                "targeted": {"default": false, "rules": {
                    "gold": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "tier", "value": "gold"}]},
                    "half": {"when_match": true, "conditions": [
                        {"action": "EQUALS", "key": "tier", "value": "silver"},
                        {"action": "MODULO_RANGE", "key": "id", "value": {"BASE": 2, "START": 0, "END": 0}}]}}}}"#,
        )
        .unwrap();
        let clock = FixedClock("2026-01-01T00:00:00Z".parse().unwrap());
        let d = document.evaluate_details("plain", &json!({}), &clock).unwrap();
        assert_eq!((d.value, d.reason(), d.variant(), d.rule_index()), (&Value::Bool(true), Reason::Static, None, None));
        let d = document.evaluate_details("targeted", &json!({"tier": "gold"}), &clock).unwrap();
        assert_eq!((d.value, d.reason(), d.variant(), d.rule_index()), (&Value::Bool(true), Reason::TargetingMatch, Some("gold"), Some(0)));
        let d = document.evaluate_details("targeted", &json!({"tier": "silver", "id": 4}), &clock).unwrap();
        assert_eq!((d.reason(), d.variant(), d.rule_index()), (Reason::Split, Some("half"), Some(1)));
        let d = document.evaluate_details("targeted", &json!({"tier": "silver", "id": 5}), &clock).unwrap();
        assert_eq!((d.value, d.reason(), d.variant(), d.rule_index()), (&Value::Bool(false), Reason::Default, None, None));
        assert!(document.evaluate_details("missing", &json!({}), &clock).is_none());
        assert_eq!(d.version(), None);
        assert!(d.error_details().is_none());
    }

    #[test]
    fn spellings_follow_openfeature_and_opentelemetry() {
        let names: Vec<_> = Reason::ALL.iter().map(|r| (r.as_str(), r.as_otel_str(), r.index())).collect();
        assert_eq!(
            names,
            [
                ("STATIC", "static", 0),
                ("TARGETING_MATCH", "targeting_match", 1),
                ("SPLIT", "split", 2),
                ("DEFAULT", "default", 3),
                ("STALE", "stale", 4),
                ("ERROR", "error", 5)
            ]
        );
        assert_eq!(ErrorKind::ProviderNotReady.as_str(), "PROVIDER_NOT_READY");
        assert_eq!(ErrorKind::TypeMismatch.as_otel_str(), "type_mismatch");
        let error = EvaluationError::new(ErrorKind::FlagNotFound, "no feature \"x\"");
        assert_eq!(error.to_string(), "FLAG_NOT_FOUND: no feature \"x\"");
        let d = Details::error(1, error.clone()).stale();
        assert_eq!((d.reason(), d.error_details()), (Reason::Error, Some(&error)), "an error stays an error");
    }

    #[test]
    fn versions_are_inline_when_short_and_interned_when_long() {
        let short = Version::new("58d58f221a43");
        assert!(matches!(short, Version::Inline { len: 12, .. }));
        assert_eq!(short.as_str(), "58d58f221a43");
        assert_eq!(Version::new("").as_str(), "");
        let label = "release-2026-12-06-canary-eu-west-1";
        let copy = String::from(label);
        let (a, b) = (Version::new(label), Version::new(&copy));
        match (a, b) {
            (Version::Borrowed(a), Version::Borrowed(b)) => assert!(std::ptr::eq(a, b), "interned once"),
            other => panic!("{other:?}"),
        }
        assert_eq!(Version::new("ünïcödé-22-bytes-long").as_str(), "ünïcödé-22-bytes-long");
        let d = Details::evaluated(1, Reason::Static, None).with_version_of(Some(short));
        assert_eq!(d.version(), Some("58d58f221a43"));
        assert!(std::mem::size_of::<Details<'_, bool>>() <= 80, "{}", std::mem::size_of::<Details<'_, bool>>());
    }

    #[test]
    fn owned_details_keep_every_part() {
        let name = String::from("gold");
        let version = String::from("v1");
        let d = Details::evaluated(true, Reason::TargetingMatch, Some((2, name.as_str()))).with_version(Some(&version)).into_owned();
        drop((name, version));
        assert_eq!((d.variant(), d.rule_index(), d.version(), d.reason()), (Some("gold"), Some(2), Some("v1"), Reason::TargetingMatch));
        static NOT_FOUND: RareParts = RareParts::error(ErrorKind::FlagNotFound, "no such feature");
        let e = Details::static_error(0, &NOT_FOUND).into_owned();
        assert_eq!(e.error_details().map(|e| (e.kind, &*e.message)), Some((ErrorKind::FlagNotFound, "no such feature")));
        assert_eq!((e.variant(), e.version()), (None, None));
    }

    #[test]
    fn detached_details_borrow_compiled_names_and_copy_unknown_ones() {
        let d = Details::evaluated(true, Reason::TargetingMatch, Some((0, "gold"))).detach(|_, _| Some("gold"), Some(Version::new("v1")));
        assert_eq!((d.variant(), d.version()), (Some("gold"), Some("v1")));
        assert!(d.rare.is_none(), "nothing copied");
        let name = String::from("new rule");
        let d = Details::evaluated(true, Reason::TargetingMatch, Some((3, name.as_str()))).detach(|_, _| None, None);
        drop(name);
        assert_eq!((d.variant(), d.rule_index(), d.version()), (Some("new rule"), Some(3), None));
    }
}
