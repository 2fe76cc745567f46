//! `Options::envelope` / `Builder::envelope`: typed flags for a feature document inside a
//! larger configuration.

use ff_build::{Builder, Error, Options};

const CONFIG: &str = r#"{
  "log_level": "INFO",
  "features": {
    "new_checkout": {"default": false},
    "discount_level": {"boolean_type": false, "default": null}
  }
}"#;

#[test]
fn problems_are_located_in_the_whole_file() {
    let options = Options::new().source_name("config.json").envelope("features");
    let err = ff_build::generate(CONFIG, &options).unwrap_err();
    assert_eq!(
        err.lines(),
        ["config.json:5:47: /features/discount_level/default: feature `discount_level` needs a `default` (any JSON value but null), found null"]
    );
}

#[test]
fn the_selected_document_is_what_is_generated_and_compiled_in() {
    let config = CONFIG.replace("null", "3");
    let code = ff_build::generate(&config, &Options::new().source_name("config.json").envelope("features")).unwrap();
    assert!(code.contains("pub async fn new_checkout(&self, ctx: &Context<'_>) -> bool"));
    assert!(code.contains("pub async fn discount_level(&self, ctx: &Context<'_>) -> i64"));
    assert!(code.contains(r##"pub const DOCUMENT: &str = r#"{"new_checkout":{"default":false},"discount_level":{"boolean_type":false,"default":3}}"#;"##), "{code}");
    assert!(!code.contains("log_level"));
}

#[test]
fn an_envelope_that_selects_nothing_or_does_not_parse_is_an_error() {
    let err = ff_build::generate(CONFIG, &Options::new().source_name("config.json").envelope("flags")).unwrap_err();
    assert_eq!(err.lines(), ["config.json: (document): envelope `flags` selects nothing in the stored document"]);
    let err = ff_build::generate(CONFIG, &Options::new().envelope("[bad")).unwrap_err();
    assert!(matches!(&err, Error::Options(problems) if problems[0].starts_with("envelope: invalid envelope expression `[bad`")), "{err}");
}

#[test]
fn the_builder_passes_the_envelope_on() {
    let dir = std::env::temp_dir().join(format!("ff-build-envelope-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let schema = dir.join("config.json");
    std::fs::write(&schema, CONFIG.replace("null", "3")).unwrap();
    let written = Builder::new().schema(&schema).out_dir(&dir).envelope("features").emit_cargo_directives(false).compile().unwrap();
    let code = std::fs::read_to_string(written).unwrap();
    assert!(code.contains("pub async fn discount_level(&self, ctx: &Context<'_>) -> i64"));
    std::fs::remove_dir_all(&dir).unwrap();
}
