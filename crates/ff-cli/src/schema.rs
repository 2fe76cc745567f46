//! `ff schema`: the JSON Schema (draft 2020-12) of the Powertools document, for editors.
//!
//! The schema is kept as a JSON file in the repository (`crates/ff-cli/schema/`) and
//! compiled in; `tests/schema.rs` checks it against every conformance document with a real
//! JSON Schema validator.

/// The schema's text, exactly as the file in the repository holds it.
pub const SCHEMA: &str = include_str!("../schema/powertools-feature-flags.schema.json");

/// The help text after the options.
pub const AFTER_HELP: &str = "\
Prints the JSON Schema (draft 2020-12) of the feature-flags document: features, rules,
conditions, the 21 actions and the shape of each one's value (lists, MODULO_RANGE's
BASE/START/END, HH:MM times, days, TIMEZONE), and ff's \"x-ff\" lifecycle metadata, with
descriptions that an editor shows on hover. `ff validate` checks more than a schema can say
(zones exist, dates parse, START <= END <= BASE - 1, 1.0 is not an integer).

Do not put a \"$schema\" key in the document: the reference reads every top-level key as a
feature, and the document becomes invalid. Associate the schema by file name instead, e.g.
in VS Code's settings.json:
  \"json.schemas\": [{\"fileMatch\": [\"flags.json\"], \"url\": \"./ff-flags.schema.json\"}]

Examples:
  ff schema > ff-flags.schema.json";

/// Prints the schema.
pub fn run() -> Result<(), crate::Failure> {
    crate::emit(SCHEMA.trim_end())
}
