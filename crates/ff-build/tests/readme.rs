//! The crate docs' walkthrough includes `tests/readme/flags.rs`, the code generated for
//! `tests/readme/flags.json`; this test keeps it up to date (run with `FF_BLESS=1` to
//! rewrite it after changing the generator).

use std::path::Path;

#[test]
fn readme_sample_is_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/readme");
    let text = std::fs::read_to_string(dir.join("flags.json")).unwrap();
    let code = ff_build::generate(&text, &ff_build::Options::new().source_name("flags.json")).unwrap();
    let path = dir.join("flags.rs");
    if std::env::var_os("FF_BLESS").is_some() {
        std::fs::write(&path, &code).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(checked_in == code, "tests/readme/flags.rs is stale: run FF_BLESS=1 cargo test -p ff-build --test readme");
}
