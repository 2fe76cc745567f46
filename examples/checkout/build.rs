//! Generates the typed flags for `flags.json` into `$OUT_DIR/flags.rs` (see `src/main.rs`).
//! Removing a feature from the document makes every use of its accessor a compile error; an
//! invalid document fails the build with `flags.json:LINE:COL: POINTER: message` lines.

fn main() -> Result<(), ff_build::Error> {
    ff_build::Builder::new().schema("flags.json").compile()?;
    Ok(())
}
