//! ff-runtime: the rule engine of ff.
mod actions;
pub mod clock;
pub mod context;
pub mod document;
pub mod error;
pub mod eval;
pub mod json;
pub mod semantics;
mod validate;
pub mod value;

pub use clock::{Clock, FixedClock, SystemClock};
pub use context::Context;
pub use document::{Action, Condition, Document, Feature, Rule};
pub use error::{Error, Location, ParseError, Problem, SchemaError, StoreError, StoreErrorKind};
pub use eval::{Explanation, Outcome};
pub use value::{ListRef, Map, Number, ObjectRef, Value, ValueRef};
