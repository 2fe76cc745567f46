//! Contexts: where conditions find the values they compare.
//!
//! A context maps keys to values. Keys are literal (`"user.tier"` is one key; there are no
//! nested paths), a missing key never satisfies a condition (not even a negated one), and a
//! key that is present with `null` is a real value (spec §5).

use std::collections::{BTreeMap, HashMap};

use crate::value::{Map, Value, ValueRef};

/// Serves context values by key, borrowed: evaluation copies nothing.
///
/// Implemented for `serde_json::Value` (an object; any other value has no keys),
/// `serde_json::Map`, ff's [`Value`] and [`Map`], `HashMap`/`BTreeMap` of strings to
/// values, `()` (the empty context), and references to any of them. Generated typed
/// contexts (`ff-build`) implement it with one field per key.
pub trait Context {
    /// The value under `key`: `None` when the key is absent, `Some(ValueRef::Null)` when it
    /// is present with `null`.
    fn get(&self, key: &str) -> Option<ValueRef<'_>>;

    /// The value under `key`, which is the key in position `slot` of the typed context's
    /// key table (`ff_runtime::__private_v1::Layout::keys`), so that a generated context
    /// can serve it by position instead of comparing key names. The runtime resolves each
    /// condition's key to its slot once per document.
    ///
    /// Only generated code implements this; the default, right for every other context,
    /// looks `key` up with [`Context::get`]. An implementation must return exactly what
    /// `get(key)` returns.
    #[doc(hidden)]
    #[inline]
    fn get_slot(&self, slot: usize, key: &str) -> Option<ValueRef<'_>> {
        let _ = slot;
        self.get(key)
    }
}

impl<C: Context + ?Sized> Context for &C {
    #[inline]
    fn get(&self, key: &str) -> Option<ValueRef<'_>> {
        (**self).get(key)
    }

    #[inline]
    fn get_slot(&self, slot: usize, key: &str) -> Option<ValueRef<'_>> {
        (**self).get_slot(slot, key)
    }
}

impl Context for () {
    #[inline]
    fn get(&self, _key: &str) -> Option<ValueRef<'_>> {
        None
    }
}

impl Context for serde_json::Map<String, serde_json::Value> {
    #[inline]
    fn get(&self, key: &str) -> Option<ValueRef<'_>> {
        self.get(key).map(ValueRef::from)
    }
}

impl Context for serde_json::Value {
    #[inline]
    fn get(&self, key: &str) -> Option<ValueRef<'_>> {
        self.as_object().and_then(|m| m.get(key)).map(ValueRef::from)
    }
}

impl Context for Map {
    #[inline]
    fn get(&self, key: &str) -> Option<ValueRef<'_>> {
        self.get(key).map(Value::as_ref)
    }
}

impl Context for Value {
    #[inline]
    fn get(&self, key: &str) -> Option<ValueRef<'_>> {
        self.as_object().and_then(|m| m.get(key)).map(Value::as_ref)
    }
}

impl<S: std::hash::BuildHasher> Context for HashMap<String, Value, S> {
    #[inline]
    fn get(&self, key: &str) -> Option<ValueRef<'_>> {
        HashMap::get(self, key).map(Value::as_ref)
    }
}

impl<S: std::hash::BuildHasher> Context for HashMap<String, serde_json::Value, S> {
    #[inline]
    fn get(&self, key: &str) -> Option<ValueRef<'_>> {
        HashMap::get(self, key).map(ValueRef::from)
    }
}

impl Context for BTreeMap<String, Value> {
    #[inline]
    fn get(&self, key: &str) -> Option<ValueRef<'_>> {
        BTreeMap::get(self, key).map(Value::as_ref)
    }
}

impl Context for BTreeMap<String, serde_json::Value> {
    #[inline]
    fn get(&self, key: &str) -> Option<ValueRef<'_>> {
        BTreeMap::get(self, key).map(ValueRef::from)
    }
}
