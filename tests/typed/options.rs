// The generator options of each document under `typed/documents`, shared by `build.rs`
// (which compiles the generated code) and `tests/typed.rs` (which snapshots it), so that the
// snapshots are exactly the code that compiles.

/// The options for the document called `source` in messages and docs (`names.json` for
/// `typed/documents/names.json`, `checkout/flags.json`, `conformance/time.json#0`).
pub fn options_for(source: &str) -> ff_build::Options {
    let options = ff_build::Options::new().source_name(source);
    match source {
        "options.json" => options
            .visibility("pub(crate)")
            .value_type("layout", "crate::Layout")
            .value_type("tags", "Vec<String>")
            .value_type("discount", "f64")
            .derive_flag_name("serde::Serialize")
            .derive_context("serde::Serialize"),
        _ => options,
    }
}
