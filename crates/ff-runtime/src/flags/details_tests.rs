//! Details through the cache: reasons the cache knows (`STALE`, `ERROR` kinds) and the
//! version of the document in force.

use futures_executor::block_on;
use serde_json::json;

use super::*;
use crate::document::content_version;
use crate::error::{StoreError, StoreErrorKind};
use crate::eval::details::{ErrorKind, Reason};
use crate::store::MemoryStore;

fn targeted() -> Value {
    Value::from(json!({"premium": {"default": false, "rules": {
        "gold": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "tier", "value": "gold"}]}}}}))
}

fn blocking(store: impl StoreProvider + 'static) -> FeatureFlags {
    FeatureFlags::builder(store).max_age(Duration::ZERO).refresh(Refresh::Blocking).build()
}

fn memory(flags: &FeatureFlags) -> &MemoryStore {
    flags.store::<MemoryStore>().unwrap()
}

#[test]
fn details_name_the_rule_and_the_content_version() {
    let flags = blocking(MemoryStore::new(targeted()));
    let gold = json!({"tier": "gold"});
    let d = block_on(flags.evaluate_details("premium", &gold, false));
    let version = content_version(&targeted());
    assert_eq!((&d.value, d.reason(), d.variant(), d.rule_index()), (&Value::Bool(true), Reason::TargetingMatch, Some("gold"), Some(0)));
    assert_eq!(d.version(), Some(version.as_str()));
    assert_eq!(flags.status().version.as_deref(), Some(version.as_str()));
    let d = block_on(flags.evaluate_details("premium", &json!({"tier": "silver"}), true));
    assert_eq!((&d.value, d.reason(), d.variant()), (&Value::Bool(false), Reason::Default, None));
    let snapshot = block_on(flags.snapshot()).unwrap();
    assert_eq!(snapshot.version(), Some(version.as_str()));
    assert!(!snapshot.is_stale());
}

#[test]
fn a_failed_refresh_makes_the_document_in_force_stale_until_a_fetch_succeeds() {
    let flags = blocking(MemoryStore::new(targeted()));
    let gold = json!({"tier": "gold"});
    assert_eq!(block_on(flags.evaluate_details("premium", &gold, false)).reason(), Reason::TargetingMatch);
    memory(&flags).fail(StoreErrorKind::Configuration, "network down");
    let d = block_on(flags.evaluate_details("premium", &gold, false));
    assert_eq!((&d.value, d.reason(), d.variant()), (&Value::Bool(true), Reason::Stale, Some("gold")), "the older document's value, marked stale");
    assert_eq!(d.version(), Some(content_version(&targeted()).as_str()));
    // An invalid document is a failed refresh too.
    memory(&flags).set(Value::from(json!({"premium": {"default": "x"}})));
    assert_eq!(block_on(flags.evaluate_details("premium", &gold, false)).reason(), Reason::Stale);
    memory(&flags).set(targeted());
    assert_eq!(block_on(flags.evaluate_details("premium", &gold, false)).reason(), Reason::TargetingMatch);
}

#[test]
fn errors_carry_the_default_and_their_kind() {
    let store = MemoryStore::new(targeted());
    store.fail(StoreErrorKind::Configuration, "timeout");
    let flags = blocking(store);
    let d = block_on(flags.evaluate_details("premium", &(), "caller"));
    let error = d.error_details().unwrap();
    assert_eq!((&d.value, d.reason(), error.kind), (&Value::from("caller"), Reason::Error, ErrorKind::ProviderNotReady));
    assert_eq!((d.variant(), d.version()), (None, None));

    memory(&flags).set(Value::from(json!({"premium": {"default": "x"}})));
    let d = block_on(flags.evaluate_details("premium", &(), false));
    let error = d.error_details().unwrap();
    assert_eq!((d.reason(), error.kind), (Reason::Error, ErrorKind::ParseError));
    assert!(error.message.contains("/premium/default"), "{}", error.message);

    memory(&flags).fail(StoreErrorKind::Client, "AccessDenied");
    let d = block_on(flags.evaluate_details("premium", &(), false));
    let error = d.error_details().unwrap();
    assert_eq!((error.kind, &*error.message), (ErrorKind::General, "store client error: AccessDenied"));

    memory(&flags).set(targeted());
    let d = block_on(flags.evaluate_details("gone", &(), 7));
    let error = d.error_details().unwrap();
    assert_eq!((&d.value, d.reason(), error.kind), (&Value::from(7), Reason::Error, ErrorKind::FlagNotFound));
    assert_eq!(error.message, r#"the document has no feature "gone""#);
    assert_eq!(d.version(), Some(content_version(&targeted()).as_str()), "the document in force is named");
}

/// A store with a version label of its own, as AppConfig deployments have.
struct Labelled(MemoryStore, std::sync::Mutex<Option<String>>);

impl StoreProvider for Labelled {
    async fn get_raw_configuration(&self) -> Result<Arc<Value>, StoreError> {
        self.0.get_raw_configuration().await
    }

    fn version(&self) -> Option<String> {
        self.1.lock().unwrap().clone()
    }
}

#[test]
fn the_stores_version_label_names_the_document_where_it_has_one() {
    let flags = blocking(Labelled(MemoryStore::new(targeted()), std::sync::Mutex::new(Some("v7".into()))));
    assert_eq!(block_on(flags.evaluate_details("premium", &(), false)).version(), Some("v7"));
    assert_eq!(flags.status().version.as_deref(), Some("v7"));
    let store = flags.store::<Labelled>().unwrap();
    *store.1.lock().unwrap() = None;
    store.0.set(Value::from(json!({"premium": {"default": true}})));
    let d = block_on(flags.evaluate_details("premium", &(), false));
    assert_eq!((d.reason(), d.version()), (Reason::Static, Some(content_version(&Value::from(json!({"premium": {"default": true}}))).as_str())));
}
