//! ff-runtime: the rule engine of ff.
mod actions;
pub mod clock;
pub mod context;
pub mod document;
pub mod envelope;
pub mod error;
pub mod eval;
pub mod flags;
pub mod json;
pub mod semantics;
pub mod store;
mod validate;
pub mod value;

pub use clock::{Clock, FixedClock, SystemClock};
pub use context::Context;
pub use document::{Action, Condition, Document, Feature, Rule};
pub use envelope::Envelope;
pub use error::{Error, Location, ParseError, Problem, SchemaError, StoreError, StoreErrorKind};
pub use eval::{Explanation, Outcome};
pub use flags::{FeatureFlags, FeatureFlagsBuilder, Snapshot, Status, DEFAULT_MAX_AGE};
pub use store::{FileStore, MemoryStore, StoreProvider};
pub use value::{ListRef, Map, Number, ObjectRef, Value, ValueRef};
