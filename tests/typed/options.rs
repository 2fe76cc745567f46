// The generator options of each document (under `typed/documents`, and the conformance ones), shared by `build.rs`
// (which compiles the generated code) and `tests/typed.rs` (which snapshots it), so that the
// snapshots are exactly the code that compiles.

/// The options for the document called `source` in messages and docs (`names.json` for
/// `typed/documents/names.json`, `checkout/flags.json`, `conformance/time.json#0`).
pub fn options_for(source: &str) -> ff_build::Options {
    let options = ff_build::Options::new().source_name(source);
    match source {
        "options.json" => options
            .visibility("pub(crate)")
            .value_type("layout", "crate::Layout")
            .value_type("tags", "Vec<String>")
            .value_type("discount", "f64")
            .derive_flag_name("serde::Serialize")
            .derive_context("serde::Serialize"),
        // Every kind of name that needs a rename: two names with the Rust form of a third that
        // is written as it (`new_checkout` keeps its own), names of generated methods, a name
        // with no letters, two context keys with one form, a key named like `Context::with`.
        "names.json" => options
            .rename("new-checkout", "new_checkout_dashed")
            .rename("newCheckout", "new_checkout_camel")
            .rename("snapshot", "snapshot_flag")
            .rename("build", "build_flag")
            .rename("", "unnamed")
            .rename("user.tier", "user_tier_dotted")
            .rename("with", "with_key"),
        _ => options,
    }
}

/// The options for the document `text` called `source`: [`options_for`], and for a
/// conformance document the renames its names need.
pub fn options(source: &str, text: &str) -> ff_build::Options {
    let options = options_for(source);
    if source.starts_with("conformance/") {
        conformance_renames(text, options)
    } else {
        options
    }
}

/// The conformance fixtures test evaluation, not naming: a feature or context key of theirs
/// that gets no Rust name of its own (none at all, a generated method's, or one an earlier
/// name has) is renamed `feature_N` / `key_N` (its position), as a user would rename it.
fn conformance_renames(text: &str, mut options: ff_build::Options) -> ff_build::Options {
    use ff_build::model::Model;
    let document = ff_runtime::Document::parse(text).expect("valid conformance document");
    let (model, problems) = Model::with_name_problems(&document, &options).expect("no option problems");
    if problems.is_empty() {
        return options;
    }
    let mut taken: Vec<&str> = ff_build::model::RESERVED_ACCESSORS.to_vec();
    let mut variants: Vec<&str> = Vec::new();
    for (i, feature) in model.features.iter().enumerate() {
        if feature.method.is_empty() || taken.contains(&feature.method.as_str()) || variants.contains(&feature.variant.as_str()) {
            options = options.rename(feature.name.clone(), format!("feature_{i}"));
        } else {
            taken.push(&feature.method);
            variants.push(&feature.variant);
        }
    }
    let mut taken: Vec<&str> = ff_build::model::RESERVED_FIELDS.to_vec();
    for (i, field) in model.fields.iter().enumerate() {
        if field.field.is_empty() || taken.contains(&field.field.as_str()) {
            options = options.rename(field.key.clone(), format!("key_{i}"));
        } else {
            taken.push(&field.field);
        }
    }
    options
}
