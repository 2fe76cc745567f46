//! The naming problems of a model that fail the build: two features with one `FlagName`
//! variant, a `*_details` twin that is another feature's accessor, and bad `rename` options.

use super::{ContextField, FeatureModel};
use crate::names::{rename_hint, rename_target};
use crate::options::Options;

/// Features whose variants collide while their accessors differ (`a1` and `a_1` both give
/// `A1`); colliding accessors are reported as such.
pub(super) fn variant_problems(features: &[FeatureModel], problems: &mut Vec<String>) {
    let mut holders: std::collections::HashMap<&str, &FeatureModel> = std::collections::HashMap::new();
    for feature in features.iter().filter(|f| !f.variant.is_empty() && !f.method.is_empty()) {
        match holders.get(feature.variant.as_str()) {
            Some(first) if first.method != feature.method => problems.push(format!(
                "features {:?} and {:?} would both get the FlagName variant `{}` (accessors `{}` and `{}`): {}",
                first.name,
                feature.name,
                feature.variant,
                first.method,
                feature.method,
                rename_hint(&feature.name, &format!("{}_2", feature.method.trim_start_matches("r#")))
            )),
            Some(_) => {}
            None => {
                holders.insert(&feature.variant, feature);
            }
        }
    }
}

/// Features whose `*_details` accessor (`a_details` for `a`) would be another feature's
/// accessor (that of a feature named `a_details`).
pub(super) fn details_problems(features: &[FeatureModel], problems: &mut Vec<String>) {
    let bare = |method: &str| method.trim_start_matches("r#").to_owned();
    let holders: std::collections::HashMap<String, &FeatureModel> =
        features.iter().filter(|f| !f.method.is_empty()).map(|f| (bare(&f.method), f)).collect();
    for feature in features.iter().filter(|f| !f.method.is_empty()) {
        let details = feature.details_method();
        if let Some(other) = holders.get(&details) {
            problems.push(format!(
                "features {:?} and {:?} would both get the accessor `{details}` (the details twin of `{}`, and the accessor of {:?}): {}",
                feature.name,
                other.name,
                feature.method,
                other.name,
                rename_hint(&other.name, &format!("{details}_flag"))
            ));
        }
    }
}

/// The options' renames by document name, each checked: the name is a feature or a context
/// key, the Rust name a `snake_case` identifier (the last rename of a name wins).
pub(super) fn renames(
    options: &Options,
    features: &[FeatureModel],
    fields: &[ContextField],
    problems: &mut Vec<String>,
) -> std::collections::HashMap<String, String> {
    let mut renames = std::collections::HashMap::new();
    for (name, rust) in &options.renames {
        if !features.iter().any(|f| f.name == *name) && !fields.iter().any(|f| f.key == *name) {
            problems.push(format!("rename: the document has no feature or context key {name:?} (to rename to {rust:?})"));
            continue;
        }
        match rename_target(rust) {
            Ok(rust) => {
                renames.insert(name.clone(), rust);
            }
            Err(err) => problems.push(format!("rename: {name:?} to {err}")),
        }
    }
    renames
}
