//! `ff stale FILE --crate PATH`: the features a crate never reads. ff checks the crate with
//! `cargo check --message-format=json` and `FF_WARN_UNUSED=1`, which turns ff-build's
//! `warn_unused` on for every document the crate generates (its build script's and its
//! `#[feature_flags]` modules'): each feature then has a marker function, `feature_NAME`,
//! that only its accessors call, and rustc's `dead_code` lint names those the crate never
//! calls. The names are mapped back to FILE's features with the names ff-build gives them
//! (`--rename` as the crate's build renames).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use ff_runtime::Document;

use crate::Failure;

/// A feature that a crate (a compiled target: a library or binary) never reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unread {
    /// The feature's index in the document.
    pub index: usize,
    /// The name of the target whose code never reads it.
    pub krate: String,
}

/// Checks the crate at `path` (its directory, or its `Cargo.toml`) and returns the features
/// of `document` it never reads, in document order, then by target name.
///
/// # Errors
/// [`Failure::Input`] when the names of `document` collide (or `renames` do not fit it),
/// cargo cannot be run, or the crate does not compile (its errors are printed first).
pub fn find(document: &Document, renames: &[(String, String)], path: &str) -> Result<Vec<Unread>, Failure> {
    let options = renames.iter().fold(ff_build::Options::new(), |o, (name, rust)| o.rename(name, rust));
    let model = ff_build::Model::new(document, &options)
        .map_err(|err| Failure::Input(format!("--crate: {}", err.lines().join("; "))))?;
    let reported = check(path)?;
    let mut unread: Vec<Unread> = Vec::new();
    for (index, feature) in model.features.iter().enumerate() {
        let marker = feature.marker_name();
        let mut krates: Vec<&String> = reported.iter().filter(|(_, name)| *name == marker).map(|(krate, _)| krate).collect();
        krates.sort();
        krates.dedup();
        unread.extend(krates.into_iter().map(|krate| Unread { index, krate: krate.clone() }));
    }
    Ok(unread)
}

/// Runs `cargo check --message-format=json` on the crate with `FF_WARN_UNUSED=1`; returns
/// the `(target, marker)` pairs rustc reported as never used.
fn check(path: &str) -> Result<Vec<(String, String)>, Failure> {
    let manifest = manifest(Path::new(path));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(&cargo)
        .args(["check", "--message-format=json", "--manifest-path"])
        .arg(&manifest)
        .env(ff_build::WARN_UNUSED_ENV, "1")
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|err| Failure::Input(format!("--crate {path}: cannot run {}: {err}", cargo.to_string_lossy())))?;
    let messages = parse(&String::from_utf8_lossy(&output.stdout));
    if !output.status.success() {
        for error in &messages.errors {
            eprint!("{error}");
        }
        return Err(Failure::Input(format!(
            "--crate {path}: `cargo check --manifest-path {}` failed ({})",
            manifest.display(),
            if messages.errors.is_empty() { "see above".to_owned() } else { "its errors are above".to_owned() }
        )));
    }
    Ok(messages.unused)
}

/// `PATH/Cargo.toml`, or `PATH` when it names a manifest.
fn manifest(path: &Path) -> PathBuf {
    if path.extension().is_some_and(|e| e == "toml") {
        path.to_owned()
    } else {
        path.join("Cargo.toml")
    }
}

/// What cargo's JSON messages say.
#[derive(Debug, Default, PartialEq, Eq)]
struct Messages {
    /// `(target, function)` of every `function `NAME` is never used` (`dead_code`, as a
    /// warning, or an error where the crate denies it).
    unused: Vec<(String, String)>,
    /// The rendered text of every other error.
    errors: Vec<String>,
}

/// Parses cargo's `--message-format=json` output (one JSON object a line; other lines are
/// skipped).
fn parse(stdout: &str) -> Messages {
    let mut messages = Messages::default();
    for line in stdout.lines() {
        let Ok(json) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        if json["reason"] != "compiler-message" {
            continue;
        }
        let message = &json["message"];
        let function = message["message"]
            .as_str()
            .and_then(|m| m.strip_prefix("function `"))
            .and_then(|m| m.strip_suffix("` is never used"));
        match function {
            Some(function) if message["code"]["code"] == "dead_code" => {
                let target = json["target"]["name"].as_str().unwrap_or("?").to_owned();
                messages.unused.push((target, function.to_owned()));
            }
            _ if message["level"] == "error" => {
                messages.errors.push(message["rendered"].as_str().unwrap_or_default().to_owned());
            }
            _ => {}
        }
    }
    messages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_unused_functions_and_errors() {
        let lines = [
            r#"{"reason":"compiler-artifact","target":{"name":"serde"}}"#,
            r#"{"reason":"compiler-message","target":{"name":"built"},"message":{"message":"function `feature_banner` is never used","code":{"code":"dead_code"},"level":"warning","rendered":"warning: …"}}"#,
            r#"{"reason":"compiler-message","target":{"name":"app"},"message":{"message":"function `feature_type` is never used","code":{"code":"dead_code"},"level":"error","rendered":"error: …"}}"#,
            r#"{"reason":"compiler-message","target":{"name":"app"},"message":{"message":"unused variable: `x`","code":{"code":"unused_variables"},"level":"warning","rendered":"warning: …"}}"#,
            r#"{"reason":"compiler-message","target":{"name":"app"},"message":{"message":"mismatched types","code":{"code":"E0308"},"level":"error","rendered":"error[E0308]: mismatched types\n"}}"#,
            "not json",
        ];
        let messages = parse(&lines.join("\n"));
        assert_eq!(
            messages.unused,
            [("built".to_owned(), "feature_banner".to_owned()), ("app".to_owned(), "feature_type".to_owned())]
        );
        assert_eq!(messages.errors, ["error[E0308]: mismatched types\n"]);
    }

    #[test]
    fn manifest_of_a_directory_or_a_file() {
        assert_eq!(manifest(Path::new("app")), Path::new("app/Cargo.toml"));
        assert_eq!(manifest(Path::new("app/Cargo.toml")), Path::new("app/Cargo.toml"));
    }
}
