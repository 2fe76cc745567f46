// The ff user guide, `docs/guide.md`, is this crate's documentation, so that
// `cargo test -p ff-guide` compiles and runs every Rust snippet in it (add
// `--features appconfig` to compile the AWS AppConfig snippets too; see build.rs);
// `tests/guide.rs` checks the rest of it (the action table, the JSON documents, the links,
// the Python bucketing function). `build.rs` also generates the typed flags that the
// build-script snippets include.
#![doc = include_str!(concat!(env!("OUT_DIR"), "/guide.md"))]

/// The repository's README, `README.md`: its Rust snippets compiled and run as doctests too.
/// (Here rather than in ff-runtime, whose package on crates.io cannot include a file outside
/// its directory.)
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
