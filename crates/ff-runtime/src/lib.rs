//! ff-runtime: the rule engine of ff, typed feature flags for Rust.
//!
//! It evaluates feature-flag documents in the format of the feature-flags utility of
//! Powertools for AWS Lambda (Python) — the *reference* — with the reference's exact results,
//! and fetches them from a store with a `max_age` cache.
//!
//! ```
//! use std::time::Duration;
//! use ff_runtime::{FeatureFlags, MemoryStore, Value};
//! use serde_json::json;
//!
//! # futures_executor::block_on(async {
//! let document = json!({
//!     "premium_features": {
//!         "default": false,
//!         "rules": {
//!             "customer tier equals premium": {
//!                 "when_match": true,
//!                 "conditions": [{"action": "EQUALS", "key": "tier", "value": "premium"}]
//!             }
//!         }
//!     },
//!     "ten_percent_off_campaign": {"default": true},
//!     "discount_level": {"boolean_type": false, "default": 0}
//! });
//! // Any store: MemoryStore, FileStore, the AppConfig stores, or your own StoreProvider.
//! let flags = FeatureFlags::builder(MemoryStore::new(document))
//!     .max_age(Duration::from_secs(5)) // the default: fetch again after 5 seconds
//!     .build();
//!
//! let ctx = json!({"username": "lessa", "tier": "premium"});
//! assert_eq!(flags.evaluate("premium_features", &ctx, false).await?, Value::Bool(true));
//! assert_eq!(flags.evaluate("discount_level", &ctx, 0).await?, Value::from(0));
//! // An unknown feature gives the caller's default.
//! assert_eq!(flags.evaluate("no_such_feature", &ctx, "fallback").await?, Value::from("fallback"));
//! assert_eq!(
//!     flags.enabled_features(&ctx).await?,
//!     ["premium_features", "ten_percent_off_campaign"]
//! );
//! # Ok::<(), ff_runtime::Error>(()) }).unwrap();
//! ```
//!
//! # The pieces
//!
//! * [`Document`]: a validated, compiled document ([`Document::parse`] reports *every*
//!   problem with its JSON pointer, line and column, and the reference's message).
//!   [`Document::evaluate`], [`Document::enabled_features`] and [`Document::explain`]
//!   evaluate it synchronously against any [`Context`] and [`Clock`].
//! * [`Context`]: where conditions find their values. Implemented for `serde_json` objects,
//!   ff's [`Value`], maps, and the typed contexts that `ff-build` generates.
//! * [`lint`]: what the reference accepts but is most likely a typo ([`Warning`]s with the
//!   same pointer, line and column as problems): unknown keys near known ones
//!   (`"when_macth"`, `"valeu"`, `"Rules"`) and repeated keys. They never make a document
//!   invalid; `ff validate`, `ff-build` and `#[feature_flags]` print them.
//! * [`native`]: AWS AppConfig's own feature-flag format (`AWS.AppConfig.FeatureFlags`):
//!   its stored document modelled and validated as AWS validates an upload
//!   ([`native::parse_stored`]), variant rules parsed for well-formedness ([`native::rule`],
//!   never evaluated: the AppConfig Agent does), and [`native::to_powertools`], which the
//!   cache runs on each fetched value under [`DocumentFormat::AppConfigFeatureFlags`]
//!   ([`FeatureFlagsBuilder::format`]).
//! * [`StoreProvider`]: where documents come from ([`MemoryStore`], [`FileStore`], yours).
//! * [`FeatureFlags`]: a store plus the cache: fetches at most once per `max_age`,
//!   validates once per fetch, keeps the last good document when a fetch fails, and
//!   evaluates without locks ([`Snapshot`]). One type whatever the store. Only the first
//!   fetch is waited for ([`FeatureFlags::ready`] at start-up turns its failure into an
//!   error); later ones run in the background, or in place with [`Refresh::Blocking`] (AWS
//!   Lambda). [`FeatureFlags::evaluate_variant`] reads one flag of AppConfig's own format
//!   as the store evaluates it for a context ([`StoreProvider::evaluate_flag`]: the
//!   AppConfig Agent evaluates multi-variant flags), else from the document in force.
//!
//! # Semantics
//!
//! Exactly the reference's (Powertools for AWS Lambda (Python) 3.37.0): rules in document
//! order, first match wins, conditions ANDed; Python equality and ordering (`1 == 1.0 ==
//! true`, `"10" < "9"`, mixed types never match), `in` by container type (list element,
//! substring, object key), floor modulo on integers of any size, schedule windows on the
//! wall clock of any IANA zone (the zone database is bundled), a missing key never matching
//! and an explicit `null` being a value. Each action's rules are documented in its module
//! and in [`Action`].
//!
//! Also as the reference: unknown keys are ignored (a misspelt `"when_macth"` is simply
//! absent; [`lint`] warns), a repeated key keeps its last value (Python's `json`), and a
//! document that starts with a UTF-8 byte order mark is not JSON (the reference's AppConfig
//! store decodes the body as UTF-8 and `json.loads` raises, so callers get their default):
//! every ff store refuses it with a configuration store error naming the cause, so the last
//! good document stays in force, and `Document::parse`, `ff validate` and the build refuse it
//! with the same explanation.
//!
//! Where the reference crashes or takes the service down, ff does the sensible thing instead
//! (each is tested):
//!
//! * An invalid live document keeps the last good document in force, reported through
//!   `tracing` and [`FeatureFlags::status`] (the reference raises on every evaluation).
//! * `rules` set to `[]`, `null`, `""`, `0` or `false` means no rules (the reference's
//!   `get_enabled_features` raises `AttributeError` when the default is falsy).
//! * A store serving `null`, or an envelope selecting nothing, is an error naming the cause
//!   (the reference raises `AttributeError`).
//! * An unhashable `action` (a list or object) is a validation problem (the reference
//!   raises `TypeError`).
//! * A `TIMEZONE` must be an IANA name; the reference's `dateutil.tz.gettz` also accepts
//!   POSIX TZ strings (`UTC+3`) and file paths.
//! * `TIMEZONE` `null` or `""` means UTC (the reference uses the process's local zone, which
//!   is UTC on AWS Lambda).
//! * The document is validated once per fetch, not once per evaluation.
//!
//! # Logging
//!
//! ff logs with `tracing`: a condition whose values cannot be compared (`warn`, naming the
//! feature, rule, key and action, never the values), and failed fetches (`warn`, once per
//! fetch). Context values are never logged.
//!
//! Opt in to observe every evaluation ([`FeatureFlagsBuilder::evaluation_events`]): one
//! `tracing` event per evaluation named `feature_flag.evaluation` (target
//! [`EVALUATION_TARGET`]) with OpenTelemetry's semantic-convention attributes, ready for an
//! OpenTelemetry logs bridge; and [`FeatureFlagsBuilder::evaluation_counter`], read with
//! [`FeatureFlags::evaluation_counts`]. Off, they cost one predictable branch.

#![warn(missing_docs)]

// The layers, each importing only those above it in this list (see each folder's `mod.rs`):
// errors, the clock and bucket keys at the bottom; values; the document; evaluation; stores;
// the cache; and the support module for generated code on top.
pub mod bucket;
pub mod clock;
pub mod error;
pub mod value;
pub mod document;
pub mod eval;
pub mod store;
pub mod flags;

/// The README's Rust snippets, compiled and run as doctests so that they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

#[doc(hidden)]
#[path = "generated_support.rs"]
pub mod __private_v1;

// The modules' public paths from before the layers had folders.
pub use eval::context;
pub use document::native;
pub use store::envelope;
pub use value::{json, semantics};

pub use bucket::bucket_key;
pub use clock::{Clock, FixedClock, SystemClock};
pub use context::{Context, ContextEntries};
pub use document::lint::{self, Warning};
pub use document::native::DocumentFormat;
pub use document::{Action, Condition, Document, Feature, Metadata, Rule};
pub use envelope::Envelope;
pub use error::{Error, Location, ParseError, Problem, SchemaError, StoreError, StoreErrorKind, ValueTypeError};
pub use eval::details::{Details, ErrorKind, EvaluationError, Reason};
pub use eval::{ClockReading, Explanation, Outcome};
pub use flags::{FeatureFlags, FeatureFlagsBuilder, Refresh, Snapshot, Status, DEFAULT_FETCH_TIMEOUT, DEFAULT_MAX_AGE, EVALUATION_EVENT, EVALUATION_TARGET};
pub use store::{EvaluatedFlag, FileStore, MemoryStore, StoreProvider};
pub use value::{IntElement, IntSlice, Integer, ListRef, Map, Number, ObjectRef, StrElement, StrSlice, Value, ValueRef};

// AWS AppConfig stores (features `appconfig` and `appconfig-agent`).
#[cfg(any(feature = "appconfig", feature = "appconfig-agent"))]
pub use store::appconfig;
#[cfg(feature = "appconfig-agent")]
pub use appconfig::AppConfigAgentStore;
#[cfg(feature = "appconfig")]
pub use appconfig::AppConfigStore;
