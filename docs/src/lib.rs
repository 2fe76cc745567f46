// The ff user guide, `docs/guide.md`, is this crate's documentation, so that
// `cargo test -p ff-guide` compiles and runs every Rust snippet in it (add
// `--features appconfig` to compile the AWS AppConfig snippets too; see build.rs);
// `tests/guide.rs` checks the rest of it (the action table, the JSON documents, the links,
// the Python bucketing function). `build.rs` also generates the typed flags that the
// build-script snippets include.
#![doc = include_str!(concat!(env!("OUT_DIR"), "/guide.md"))]
