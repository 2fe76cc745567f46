//! trybuild cases of `#[feature_flags]`: `typed/ui/pass/*.rs` compile and run;
//! `typed/ui/fail/*.rs` fail with the errors in their `.stderr` files (a call to a removed
//! feature, a context field of the wrong type, an invalid document, a missing file, an
//! absolute path, names that collide or a bad rename, bad options, each located on the option
//! while the module still expands; for an AppConfig feature flags document, a removed flag, a
//! removed attribute and an attribute whose type changed).
//!
//! The macro resolves paths against `CARGO_MANIFEST_DIR`, which for trybuild's cases is the
//! project trybuild builds them in, `<target>/tests/trybuild/ff-tests/`; the documents of
//! `typed/ui/` are copied there (as `ui/*.json`) first. Run with `TRYBUILD=overwrite` to
//! rewrite the `.stderr` files.

use std::path::Path;

#[test]
fn ui() {
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("typed/ui");
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("CARGO_TARGET_TMPDIR is <target>/tmp");
    let project_ui = target.join("tests/trybuild/ff-tests/ui");
    std::fs::create_dir_all(&project_ui).unwrap();
    for entry in std::fs::read_dir(&ui).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            std::fs::copy(&path, project_ui.join(path.file_name().unwrap())).unwrap();
        }
    }
    // The AppConfig feature flags fixture that ff-runtime's tests share (issue 16).
    let appconfig = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/native/flags.json");
    std::fs::copy(appconfig, project_ui.join("appconfig.json")).unwrap();
    let cases = trybuild::TestCases::new();
    cases.pass(ui.join("pass/*.rs"));
    cases.compile_fail(ui.join("fail/*.rs"));
}
