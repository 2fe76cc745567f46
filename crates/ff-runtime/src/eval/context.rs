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

/// A [`Context`] that can list what it holds: every key it sets, once, with the value
/// [`Context::get`] returns for it. For handing a context to another API (ff-openfeature
/// turns one into an OpenFeature evaluation context).
///
/// Implemented for every context of this module and for the typed contexts that `ff-build`
/// generates (their set fields in declaration order, then the keys set with `with` that no
/// field shadows, the later of two for one key).
pub trait ContextEntries: Context {
    /// Calls `f` with each key and its value (order: the context's own, e.g. a map's).
    fn for_each_entry(&self, f: &mut dyn FnMut(&str, ValueRef<'_>));
}

impl<C: ContextEntries + ?Sized> ContextEntries for &C {
    fn for_each_entry(&self, f: &mut dyn FnMut(&str, ValueRef<'_>)) {
        (**self).for_each_entry(f)
    }
}

impl ContextEntries for () {
    fn for_each_entry(&self, _f: &mut dyn FnMut(&str, ValueRef<'_>)) {}
}

impl ContextEntries for serde_json::Map<String, serde_json::Value> {
    fn for_each_entry(&self, f: &mut dyn FnMut(&str, ValueRef<'_>)) {
        self.iter().for_each(|(k, v)| f(k, v.into()))
    }
}

impl ContextEntries for serde_json::Value {
    /// An object's members; nothing for any other value.
    fn for_each_entry(&self, f: &mut dyn FnMut(&str, ValueRef<'_>)) {
        if let Some(map) = self.as_object() {
            map.for_each_entry(f)
        }
    }
}

impl ContextEntries for Map {
    fn for_each_entry(&self, f: &mut dyn FnMut(&str, ValueRef<'_>)) {
        self.iter().for_each(|(k, v)| f(k, v.as_ref()))
    }
}

impl ContextEntries for Value {
    /// An object's members; nothing for any other value.
    fn for_each_entry(&self, f: &mut dyn FnMut(&str, ValueRef<'_>)) {
        if let Some(map) = self.as_object() {
            map.for_each_entry(f)
        }
    }
}

impl<S: std::hash::BuildHasher> ContextEntries for HashMap<String, Value, S> {
    fn for_each_entry(&self, f: &mut dyn FnMut(&str, ValueRef<'_>)) {
        self.iter().for_each(|(k, v)| f(k, v.as_ref()))
    }
}

impl<S: std::hash::BuildHasher> ContextEntries for HashMap<String, serde_json::Value, S> {
    fn for_each_entry(&self, f: &mut dyn FnMut(&str, ValueRef<'_>)) {
        self.iter().for_each(|(k, v)| f(k, v.into()))
    }
}

impl ContextEntries for BTreeMap<String, Value> {
    fn for_each_entry(&self, f: &mut dyn FnMut(&str, ValueRef<'_>)) {
        self.iter().for_each(|(k, v)| f(k, v.as_ref()))
    }
}

impl ContextEntries for BTreeMap<String, serde_json::Value> {
    fn for_each_entry(&self, f: &mut dyn FnMut(&str, ValueRef<'_>)) {
        self.iter().for_each(|(k, v)| f(k, v.into()))
    }
}

#[cfg(test)]
mod entries_tests {
    use super::*;

    fn entries<C: ContextEntries + ?Sized>(ctx: &C) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        ctx.for_each_entry(&mut |k, v| out.push((k.to_owned(), v.to_value())));
        out
    }

    #[test]
    fn every_context_lists_what_get_returns() {
        let json = serde_json::json!({"tier": "gold", "ids": [1, 2], "none": null});
        let listed = entries(&json);
        assert_eq!(listed.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["ids", "none", "tier"]);
        for (key, value) in &listed {
            assert_eq!(Context::get(&json, key).map(ValueRef::to_value).as_ref(), Some(value));
        }
        assert_eq!(entries(&Value::from(json.clone())).len(), 3);
        assert!(entries(&serde_json::json!([1])).is_empty());
        assert!(entries(&()).is_empty());
        let map: BTreeMap<String, Value> = [("a".to_owned(), Value::from(1))].into();
        assert_eq!(entries(&&map), [("a".to_owned(), Value::from(1))]);
    }
}
