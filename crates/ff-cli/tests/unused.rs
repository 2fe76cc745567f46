//! `warn_unused` and `ff stale --crate`, on the fixture crate `tests/unused` (outside the
//! workspace; see its Cargo.toml): built with `cargo check --message-format=json`, asserting
//! exactly which features rustc reports. Ignored by `cargo test` (each test runs cargo on
//! the fixture; the first run checks its dependencies); scripts/test-unused.sh runs them,
//! with the fixture's target directory `target/unused-fixture`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The features the fixture's binaries never read, as their markers, sorted.
const UNREAD: [&str; 3] = ["feature_checkout_layout", "feature_dark_mode", "feature_legacy"];

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/unused")
}

fn target_dir() -> PathBuf {
    let base = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"), PathBuf::from);
    base.join("unused-fixture")
}

/// Every compiler message of `cargo check` on the fixture, by target: `(level, message,
/// file of the primary span)`, sorted.
fn check(warn_unused_env: bool) -> BTreeMap<String, Vec<(String, String, String)>> {
    let mut command = Command::new(env!("CARGO"));
    command
        .args(["check", "--message-format=json", "--bins"])
        .current_dir(fixture())
        .env("CARGO_TARGET_DIR", target_dir());
    if warn_unused_env {
        command.env("FF_WARN_UNUSED", "1");
    } else {
        command.env_remove("FF_WARN_UNUSED");
    }
    let started = Instant::now();
    let output = command.output().expect("cargo runs");
    eprintln!("cargo check of tests/unused (FF_WARN_UNUSED: {warn_unused_env}): {:?}", started.elapsed());
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let mut by_target: BTreeMap<String, Vec<(String, String, String)>> = BTreeMap::new();
    for target in ["built", "expanded", "plain"] {
        by_target.insert(target.to_owned(), Vec::new());
    }
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let json: serde_json::Value = serde_json::from_str(line).expect("cargo writes JSON lines");
        if json["reason"] != "compiler-message" {
            continue;
        }
        let message = &json["message"];
        let spans = message["spans"].as_array().cloned().unwrap_or_default();
        let file = spans.iter().find(|s| s["is_primary"] == true).map_or("", |s| s["file_name"].as_str().unwrap_or(""));
        let file = if file.ends_with(".rs") && file.contains("/out/") { format!("OUT_DIR/{}", file.rsplit('/').next().unwrap_or("")) } else { file.to_owned() };
        let entry = (message["level"].as_str().unwrap_or("").to_owned(), message["message"].as_str().unwrap_or("").to_owned(), file);
        by_target.entry(json["target"]["name"].as_str().unwrap_or("?").to_owned()).or_default().push(entry);
    }
    for messages in by_target.values_mut() {
        messages.sort();
    }
    by_target
}

/// `(warning, function `MARKER` is never used, file)` for each unread feature.
fn reported(file: &str, times: usize) -> Vec<(String, String, String)> {
    let mut out: Vec<_> = UNREAD
        .iter()
        .flat_map(|m| std::iter::repeat_n(("warning".to_owned(), format!("function `{m}` is never used"), file.to_owned()), times))
        .collect();
    out.sort();
    out
}

/// The binary `built` (build script, `.warn_unused(true)`) and `expanded`
/// (`#[feature_flags(…, warn_unused = true)]`) get exactly one warning per feature they never
/// read (in the generated file, and on the macro's path literal), and nothing else: no
/// warning for the features read through any one of the four accessor families (the value
/// or its details, async or on the snapshot), none for
/// `dark-mode` being forced and named, none from the generated code's own reads, no
/// deprecation of the expired `legacy` (never used). `plain`, without the option, gets no
/// warning at all.
#[test]
#[ignore = "runs cargo on tests/unused: scripts/test-unused.sh"]
fn warn_unused_reports_exactly_the_unread_features() {
    let messages = check(false);
    assert_eq!(messages["built"], reported("OUT_DIR/flags.rs", 1));
    assert_eq!(messages["expanded"], reported("src/bin/expanded.rs", 1));
    assert_eq!(messages["plain"], []);
    assert_eq!(messages.len(), 3, "{messages:#?}");
}

/// FF_WARN_UNUSED=1 turns the option on without changing the crate: `plain`'s two modules
/// (build script and macro) each report the unread features; unset again, nothing (cargo
/// reruns the build script and expands the macro again when the variable changes).
#[test]
#[ignore = "runs cargo on tests/unused: scripts/test-unused.sh"]
fn ff_warn_unused_env_turns_it_on_for_every_module() {
    let messages = check(true);
    let mut both = reported("OUT_DIR/flags_plain.rs", 1);
    both.extend(reported("src/bin/plain.rs", 1));
    both.sort();
    assert_eq!(messages["plain"], both);
    assert_eq!(messages["built"], reported("OUT_DIR/flags.rs", 1));
    assert_eq!(check(false)["plain"], []);
}

/// `ff stale FILE --crate PATH` lists, with the document's own findings, each feature a
/// compiled target of the crate never reads, and exits 1.
#[test]
#[ignore = "runs cargo on tests/unused: scripts/test-unused.sh"]
fn stale_lists_the_features_a_crate_never_reads() {
    let dir = fixture();
    let file = dir.join("flags.json").display().to_string();
    let target = target_dir().display().to_string();
    let started = Instant::now();
    let run = common::ff_env(&["stale", &file, "--crate", &dir.display().to_string(), "--today", "2019-12-31"], &[("CARGO_TARGET_DIR", &target)]);
    eprintln!("ff stale --crate tests/unused: {:?}", started.elapsed());
    assert_eq!(run.code, 1, "{run:?}");
    let constant = |feature: &str, value: &str| format!("{file}: {feature:?}: constant: no rules, always {value}");
    let unread = |feature: &str, value: &str| {
        let mut lines = vec![constant(feature, value)];
        lines.extend(["built", "expanded", "plain"].map(|krate| format!("{file}: {feature:?}: never read by crate {krate}")));
        lines
    };
    let mut expected = vec![constant("discount_level", "0"), constant("banner", "\"welcome\"")];
    expected.extend(unread("checkout_layout", r#"{"columns":2,"theme":"light"}"#));
    expected.extend(unread("dark-mode", "false"));
    expected.push(constant("type", "\"a\""));
    expected.extend(unread("legacy", "true"));
    expected.push(format!("{file}: 15 findings in 6 of 7 features on 2019-12-31"));
    assert_eq!(run.stdout.lines().collect::<Vec<_>>(), expected, "{}", run.stderr);
}

/// A crate that cannot be checked is an input error (exit 2) naming it.
#[test]
#[ignore = "runs cargo: scripts/test-unused.sh"]
fn stale_reports_a_crate_cargo_cannot_check() {
    let missing = std::env::temp_dir().join(format!("ff-no-crate-{}", std::process::id()));
    let file = fixture().join("flags.json").display().to_string();
    let run = common::ff(&["stale", &file, "--crate", &missing.display().to_string()]);
    assert_eq!(run.code, 2, "{run:?}");
    let last = run.stderr.lines().last().unwrap_or_default();
    assert_eq!(
        last,
        format!("ff: --crate {}: `cargo check --manifest-path {}/Cargo.toml` failed (see above)", missing.display(), missing.display())
    );
}
