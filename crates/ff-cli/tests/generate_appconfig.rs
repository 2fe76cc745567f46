//! `ff generate` on AWS AppConfig's own feature-flags format (issue 16): a stored
//! `AWS.AppConfig.FeatureFlags` document gives the code `ff_build::Builder` writes for it (a
//! struct per flag), with or without `--format appconfig`; `--format powertools` reads it
//! as a Powertools document, which it is not.

use std::path::PathBuf;
use std::process::{Command, Stdio};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/native/flags.json")
}

/// `ff ARGS`: exit code, stdout, stderr.
fn ff(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_ff")).args(args).stdin(Stdio::null()).output().expect("ff runs");
    (output.status.code().unwrap_or(-1), String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn generate_gives_a_struct_per_flag_of_a_stored_document() {
    let path = fixture();
    let path = path.to_str().unwrap();
    let (code, stdout, stderr) = ff(&["generate", path]);
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(path).unwrap();
    let expected = ff_build::generate(&text, &ff_build::Options::new().source_name(path)).unwrap();
    assert_eq!(stdout.trim_end(), expected.trim_end(), "the code the build script writes");
    for item in [
        "pub struct Checkout {",
        "pub max_items: i64,",
        "pub theme: CheckoutTheme,",
        "pub enum CheckoutTheme {",
        "pub async fn checkout(&self, ctx: &Context<'_>) -> Checkout",
        "pub fn tier(mut self, value: &'a str) -> Self",
        ".format(::ff_runtime::DocumentFormat::AppConfigFeatureFlags)",
    ] {
        assert!(stdout.contains(item), "missing {item}");
    }
    let (code, explicit, _) = ff(&["generate", path, "--format", "appconfig"]);
    assert_eq!((code, explicit), (0, stdout));

    let (code, stdout, stderr) = ff(&["generate", path, "--format", "powertools"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(stderr.contains("/version: "), "read as a Powertools document: {stderr}");
}
