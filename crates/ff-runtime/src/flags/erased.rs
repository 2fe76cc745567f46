//! The store behind a [`FeatureFlags`](super::FeatureFlags), with its type erased.
//!
//! [`StoreProvider`] returns `impl Future`, so it is not dyn compatible: `dyn StoreProvider`
//! does not exist. [`ErasedStore`] is its dyn-compatible twin (the fetch future is boxed,
//! once per fetch, never per evaluation), implemented for every `StoreProvider + 'static`,
//! so that `FeatureFlags` has one type whatever its store, and a generated `Flags` holding
//! a file store in production and a memory store in tests is the same type.

use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::error::StoreError;
use crate::store::{EvaluatedFlag, StoreProvider};
use crate::value::Value;

/// A boxed fetch: what [`StoreProvider::get_configuration`] returns.
pub(super) type Fetch<'a> = Pin<Box<dyn Future<Output = Result<Arc<Value>, StoreError>> + Send + 'a>>;

/// A boxed flag evaluation: what [`StoreProvider::evaluate_flag`] returns.
pub(super) type FlagEvaluation<'a> = Pin<Box<dyn Future<Output = Option<Result<EvaluatedFlag, StoreError>>> + Send + 'a>>;

/// A [`StoreProvider`] behind a pointer.
pub(super) trait ErasedStore: Send + Sync + 'static {
    /// [`StoreProvider::get_configuration`], boxed.
    fn fetch(&self) -> Fetch<'_>;
    /// [`StoreProvider::evaluate_flag`], boxed.
    fn evaluate_flag<'a>(&'a self, key: &'a str, context: &'a [(&'a str, String)]) -> FlagEvaluation<'a>;
    /// [`StoreProvider::name`].
    fn name(&self) -> String;
    /// [`StoreProvider::version`].
    fn version(&self) -> Option<String>;
    /// [`StoreProvider::location`].
    fn location(&self) -> String;
    /// The store itself, to be downcast to its concrete type.
    fn as_any(&self) -> &dyn Any;
}

impl<S: StoreProvider + 'static> ErasedStore for S {
    fn fetch(&self) -> Fetch<'_> {
        Box::pin(self.get_configuration())
    }

    fn evaluate_flag<'a>(&'a self, key: &'a str, context: &'a [(&'a str, String)]) -> FlagEvaluation<'a> {
        Box::pin(StoreProvider::evaluate_flag(self, key, context))
    }

    fn name(&self) -> String {
        StoreProvider::name(self)
    }

    fn version(&self) -> Option<String> {
        StoreProvider::version(self)
    }

    fn location(&self) -> String {
        StoreProvider::location(self)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
