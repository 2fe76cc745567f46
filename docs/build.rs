//! Prepares the guide's doctests:
//!
//! * generates the typed flags of the guide's document, `flags.json`, into
//!   `$OUT_DIR/flags.rs`, exactly as the guide's "Typed, from a build script" section tells
//!   users to (the build-script snippets `include!` that file);
//! * copies `guide.md` to `$OUT_DIR/guide.md`, which `src/lib.rs` includes as the crate's
//!   documentation. Without this crate's `appconfig` feature, the snippets that use the
//!   AWS AppConfig stores (`rust,no_run` blocks naming `ff_runtime::appconfig`) become
//!   `rust,ignore` in the copy: they need ff-runtime's AppConfig features, and with them
//!   the AWS SDK, which the workspace's test run does not build. `cargo test -p ff-guide
//!   --features appconfig` compiles them too.

use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    ff_build::Builder::new().schema("flags.json").compile()?;

    println!("cargo:rerun-if-changed=guide.md");
    let guide = std::fs::read_to_string("guide.md")?;
    let appconfig = std::env::var_os("CARGO_FEATURE_APPCONFIG").is_some();
    let out = std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?;
    std::fs::write(Path::new(&out).join("guide.md"), doctests(&guide, appconfig)?)?;
    Ok(())
}

/// The guide as the doctests see it.
fn doctests(guide: &str, appconfig: bool) -> Result<String, String> {
    let mut out = String::with_capacity(guide.len());
    let mut lines = guide.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        if line.starts_with("```rust,ignore") {
            return Err("guide.md: a `rust,ignore` snippet is not tested; make it run, or `no_run` if it needs AWS".into());
        }
        if !line.starts_with("```rust,no_run") {
            out.push_str(line);
            continue;
        }
        let mut block = Vec::new();
        while let Some(inner) = lines.next_if(|l| !l.starts_with("```")) {
            block.push(inner);
        }
        let uses_appconfig = block.iter().any(|l| l.contains("ff_runtime::appconfig"));
        if uses_appconfig && !appconfig {
            out.push_str(&line.replacen("rust,no_run", "rust,ignore", 1));
        } else {
            out.push_str(line);
        }
        block.into_iter().for_each(|l| out.push_str(l));
    }
    Ok(out)
}
