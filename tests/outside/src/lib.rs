//! Typed flags from `flags.json`, generated twice: by the build script and by the macro.
//! `flags.json` holds a typo that the reference ignores (`"Rules"`): both warn about it.

/// From the build script.
pub mod built {
    include!(concat!(env!("OUT_DIR"), "/flags.rs"));
}

/// From the attribute macro.
#[ff_macros::feature_flags("flags.json")]
pub mod expanded {}
