//! Generates the typed flags for `flags.json`, a stored `AWS.AppConfig.FeatureFlags`
//! document (recognised as such), into `$OUT_DIR/flags.rs`: a struct per flag, typed from
//! its attribute constraints. Removing a flag or an attribute, or changing an attribute's
//! type, makes every use of it a compile error; a document AWS would refuse fails the build
//! with `flags.json:LINE:COL: POINTER: message` lines.

fn main() -> Result<(), ff_build::Error> {
    ff_build::Builder::new().schema("flags.json").compile()?;
    Ok(())
}
