//! Writes the benchmark document (`src/workload.rs`, the one source of truth) to
//! `$OUT_DIR/benchmark.json` and generates its typed flags into `$OUT_DIR/flags.rs` with
//! `ff_build::Builder`, exactly as a user's build script does.

use std::path::PathBuf;

#[allow(dead_code)]
#[path = "src/workload.rs"]
mod workload;

fn main() {
    println!("cargo:rerun-if-changed=src/workload.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("run by cargo"));
    let path = out.join("benchmark.json");
    let text = serde_json::to_string_pretty(&workload::document(workload::EXTRA)).expect("JSON");
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(&path, &text).expect("OUT_DIR is writable");
    }
    // The document is an output of this script, not an input: cargo reruns the script when
    // `src/workload.rs` changes (above), so the builder's own directives are off.
    ff_build::Builder::new().schema(&path).emit_cargo_directives(false).compile().expect("benchmark document compiles");
}
