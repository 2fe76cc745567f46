//! The layers of `src/` (issue: "ff-runtime's layers visible in its folders"): each top-level
//! module imports only the modules below it, so there is no import cycle between them and
//! the document layer does not depend on the support for generated code.
//!
//! Reads every source file, takes each `crate::NAME` path outside comments, and checks it
//! against the order below.

use std::collections::BTreeSet;
use std::path::Path;

/// The top-level modules from the lowest layer up; a module may use the ones before it.
const LAYERS: &[&[&str]] = &[
    &["error", "clock", "bucket"],
    &["value"],
    &["document"],
    &["eval"],
    &["store"],
    &["flags"],
    &["generated_support"],
];

fn rank(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// `crate::NAME` paths of the code (not the comments) of `text`.
fn crate_paths(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in text.lines().map(str::trim_start).filter(|l| !l.starts_with("//")) {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            assert!(!rest.starts_with('{'), "use one `crate::MODULE::…` path per module, not `crate::{{…}}`: {line}");
            found.insert(name);
        }
    }
    found
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn each_layer_uses_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut checked = 0;
    let mut wrong = Vec::new();
    for path in all {
        let relative = path.strip_prefix(&src).unwrap();
        let top = relative.components().next().unwrap().as_os_str().to_str().unwrap().trim_end_matches(".rs").to_owned();
        if top == "lib" {
            continue;
        }
        let own = rank(&top).unwrap_or_else(|| panic!("src/{} is in no layer: add `{top}` to LAYERS", relative.display()));
        for used in crate_paths(&std::fs::read_to_string(&path).unwrap()) {
            if used.starts_with(|c: char| c.is_ascii_uppercase()) {
                wrong.push(format!("src/{} uses the root re-export crate::{used}: name its module", relative.display()));
                continue;
            }
            let Some(other) = rank(&used) else { continue }; // a macro or a name of lib.rs
            if used != top && other >= own {
                wrong.push(format!("src/{} uses crate::{used}", relative.display()));
            }
            checked += 1;
        }
    }
    assert!(checked > 20, "found only {checked} crate:: paths: is the scan broken?");
    assert!(wrong.is_empty(), "imports against the layers:\n{}", wrong.join("\n"));
}

#[test]
fn the_scan_sees_paths_in_code_and_not_in_comments() {
    let found = crate_paths("use crate::value::Value;\n// crate::flags\n    let x = crate::error::Error::from(e);");
    assert_eq!(found, BTreeSet::from(["value".to_owned(), "error".to_owned()]));
}
