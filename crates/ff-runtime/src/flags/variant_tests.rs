//! [`FeatureFlags::evaluate_variant`]: the store's answer, and every fallback on the
//! document in force.

use std::sync::Mutex;

use futures_executor::block_on;

use super::*;
use crate::error::{StoreError, StoreErrorKind};
use crate::eval::details::{ErrorKind, Reason};
use crate::store::{EvaluatedFlag, MemoryStore};

/// The translated retrieval format of `{"dark": {"enabled": true, "color": "red"}}`.
const DOCUMENT: &str = r#"{"dark": {"boolean_type": false, "default": {"enabled": true, "color": "red"}}}"#;

/// What [`Evaluating`] answers to `evaluate_flag`.
#[derive(Clone)]
enum Answer {
    Unsupported,
    Flag(EvaluatedFlag),
    Fail(StoreErrorKind, &'static str),
    /// Never answers.
    Hang,
}

/// One `evaluate_flag` call: the key and the context entries.
type Asked = (String, Vec<(String, String)>);

/// A memory store that also evaluates flags, as scripted, recording what it was asked.
struct Evaluating {
    memory: MemoryStore,
    answer: Mutex<Answer>,
    asked: Mutex<Vec<Asked>>,
}

impl Evaluating {
    fn new(document: &str, answer: Answer) -> Evaluating {
        Evaluating { memory: MemoryStore::from_json(document).unwrap(), answer: Mutex::new(answer), asked: Mutex::default() }
    }
}

impl StoreProvider for Evaluating {
    fn get_raw_configuration(&self) -> impl std::future::Future<Output = Result<Arc<Value>, StoreError>> + Send {
        self.memory.get_raw_configuration()
    }

    fn version(&self) -> Option<String> {
        Some("7".to_owned())
    }

    async fn evaluate_flag(&self, key: &str, context: &[(&str, String)]) -> Option<Result<EvaluatedFlag, StoreError>> {
        self.asked.lock().unwrap().push((key.to_owned(), context.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()));
        let answer = self.answer.lock().unwrap().clone();
        match answer {
            Answer::Unsupported => None,
            Answer::Flag(flag) => Some(Ok(flag)),
            Answer::Fail(StoreErrorKind::Client, message) => Some(Err(StoreError::client(message))),
            Answer::Fail(_, message) => Some(Err(StoreError::configuration(message))),
            Answer::Hang => std::future::pending().await,
        }
    }
}

fn flags(answer: Answer) -> FeatureFlags {
    FeatureFlags::builder(Evaluating::new(DOCUMENT, answer)).evaluation_counter(true).build()
}

fn gold() -> Vec<(&'static str, String)> {
    vec![("tier", "gold".to_owned()), ("userId", "u-1".to_owned())]
}

fn qa() -> EvaluatedFlag {
    let answer = Value::from_json(r#"{"enabled": true, "color": "blue", "_variant": "QA"}"#).unwrap();
    EvaluatedFlag::from_answer(answer, Some("12".to_owned())).unwrap()
}

#[test]
fn the_store_answer_gives_the_value_and_the_variant() {
    let flags = flags(Answer::Flag(qa()));
    let d = block_on(flags.evaluate_variant("dark", &gold()));
    assert_eq!(d.value.to_json(), r#"{"enabled":true,"color":"blue"}"#);
    assert_eq!((d.reason(), d.variant(), d.rule_index(), d.version()), (Reason::TargetingMatch, Some("QA"), None, Some("12")));
    let store = flags.store::<Evaluating>().unwrap();
    let asked = store.asked.lock().unwrap().clone();
    assert_eq!(asked, [("dark".to_owned(), vec![("tier".to_owned(), "gold".to_owned()), ("userId".to_owned(), "u-1".to_owned())])]);
    // A flag without variants: no variant, STATIC; no version in the answer: the document's.
    let basic = EvaluatedFlag::from_answer(Value::from_json(r#"{"enabled": false}"#).unwrap(), None).unwrap();
    *store.answer.lock().unwrap() = Answer::Flag(basic);
    let d = block_on(flags.evaluate_variant("dark", &gold()));
    assert_eq!((d.value.to_json().as_str(), d.reason(), d.variant(), d.version()), (r#"{"enabled":false}"#, Reason::Static, None, Some("7")));
    assert_eq!(flags.evaluation_counts(), [("dark".to_owned(), Reason::Static, 1), ("dark".to_owned(), Reason::TargetingMatch, 1)]);
}

#[test]
fn a_store_that_does_not_evaluate_gives_the_document_in_force() {
    // Not supported: the document's value as it is. Failed: the same value as an error
    // (the store did not choose it for this context).
    let cases = [
        (Answer::Unsupported, Reason::Static, None),
        (Answer::Fail(StoreErrorKind::Configuration, "agent down"), Reason::Error, Some((ErrorKind::General, "agent down"))),
    ];
    for (store_answer, reason, error) in cases {
        let flags = flags(store_answer);
        let d = block_on(flags.evaluate_variant("dark", &gold()));
        assert_eq!(d.value.to_json(), r#"{"enabled":true,"color":"red"}"#);
        assert_eq!((d.reason(), d.variant(), d.version()), (reason, None, Some("7")));
        assert_eq!(d.error_details().map(|e| (e.kind, &*e.message)), error);
        let d = block_on(flags.evaluate_variant("light", &gold()));
        assert_eq!((&d.value, d.reason(), d.error_details().map(|e| e.kind)), (&Value::Null, Reason::Error, Some(ErrorKind::FlagNotFound)));
        // Counted once each, for what was returned.
        assert_eq!(flags.evaluation_counts(), [("dark".to_owned(), reason, 1), ("light".to_owned(), Reason::Error, 1)]);
    }
    // Plain memory stores too (the provided method).
    let flags = FeatureFlags::new(MemoryStore::from_json(DOCUMENT).unwrap());
    assert_eq!(block_on(flags.evaluate_variant("dark", &[])).value.to_json(), r#"{"enabled":true,"color":"red"}"#);
}

#[test]
fn a_variant_in_the_document_in_force_is_split_out() {
    // The Agent's whole-profile answer names the variant it chose without context.
    let document = r#"{"dark": {"boolean_type": false, "default": {"enabled": false, "_variant": "default"}}}"#;
    let flags = FeatureFlags::new(Evaluating::new(document, Answer::Unsupported));
    let d = block_on(flags.evaluate_variant("dark", &[]));
    assert_eq!((d.value.to_json().as_str(), d.reason(), d.variant()), (r#"{"enabled":false}"#, Reason::Static, Some("default")));
}

#[test]
fn access_denied_is_an_error_carrying_the_document_value() {
    let flags = flags(Answer::Fail(StoreErrorKind::Client, "the agent answered 401 Unauthorized"));
    let d = block_on(flags.evaluate_variant("dark", &gold()));
    assert_eq!(d.value.to_json(), r#"{"enabled":true,"color":"red"}"#);
    assert_eq!((d.reason(), d.variant(), d.version()), (Reason::Error, None, Some("7")));
    let error = d.error_details().unwrap();
    assert_eq!((error.kind, &*error.message), (ErrorKind::General, "the agent answered 401 Unauthorized"));
}

#[test]
fn a_store_that_never_answers_is_abandoned_at_the_fetch_timeout() {
    let store = Evaluating::new(DOCUMENT, Answer::Hang);
    let flags = FeatureFlags::builder(store).fetch_timeout(Duration::from_millis(50)).build();
    block_on(flags.ready()).unwrap();
    let started = std::time::Instant::now();
    let d = block_on(flags.evaluate_variant("dark", &gold()));
    assert_eq!((d.value.to_json().as_str(), d.reason()), (r#"{"enabled":true,"color":"red"}"#, Reason::Error));
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[test]
fn without_a_document_the_value_is_null_with_the_reason() {
    let store = Evaluating::new(DOCUMENT, Answer::Unsupported);
    store.memory.fail(StoreErrorKind::Configuration, "network down");
    let d = block_on(FeatureFlags::new(store).evaluate_variant("dark", &gold()));
    assert_eq!((&d.value, d.reason(), d.error_details().map(|e| e.kind)), (&Value::Null, Reason::Error, Some(ErrorKind::ProviderNotReady)));
}
