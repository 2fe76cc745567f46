//! `#[feature_flags(PATH, envelope = EXPR)]`: typed flags for a feature document nested in a
//! larger configuration, read at run time through a store with the same envelope.

use ff_macros::feature_flags;
use ff_runtime::{Envelope, MemoryStore};
use futures_executor::block_on;

#[feature_flags("tests/config.json", envelope = "features")]
mod flags {}

const CONFIG: &str = include_str!("config.json");

#[test]
fn the_selected_document_is_compiled_in_and_evaluated_through_the_envelope() {
    // Only the feature document is compiled in, not the configuration around it.
    assert!(flags::DOCUMENT.starts_with(r#"{"new_checkout":"#), "{}", flags::DOCUMENT);
    assert!(!flags::DOCUMENT.contains("log_level"));
    assert_eq!(flags::FlagName::ALL.len(), 2);

    let store = MemoryStore::from_json(CONFIG).unwrap().with_envelope(Envelope::new("features").unwrap());
    let flags = flags::Flags::new(store);
    let premium = flags::Context::new().tier("premium");
    let basic = flags::Context::new().tier("basic");
    assert!(block_on(flags.new_checkout(&premium)));
    assert!(!block_on(flags.new_checkout(&basic)));
    assert_eq!(block_on(flags.discount_level(&basic)), 5);
    // The live document is the one compiled: every feature is read by the generated code.
    let status = flags.feature_flags().status();
    assert_eq!((status.features, status.last_error), (2, None));

    let forced = flags::Flags::for_tests().discount_level(9).build();
    assert_eq!(block_on(forced.discount_level(&basic)), 9);
}
