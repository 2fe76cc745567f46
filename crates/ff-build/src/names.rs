//! Rust names for feature names and context keys (the rules are in the crate docs, "Names").
//!
//! A name's Rust form depends on that name alone (and on a `rename` of it), never on the
//! other names of the document: two names that would get the same Rust name, or a name that
//! would take one of the generated items' own, are an error asking for a rename. So adding a
//! feature can fail the build, but never moves an accessor, variant or setter onto another
//! feature or key.

use std::collections::HashMap;

/// Words of `name`, lowercase ASCII: the name is transliterated to ASCII (`größe` →
/// `grosse`, `日本` → `ri ben`, `🚀` → `rocket`), then split at every character that is not
/// an ASCII letter or digit and at case changes.
fn words(name: &str) -> Vec<String> {
    let ascii = deunicode::deunicode_with_tofu(name, " ");
    let chars: Vec<char> = ascii.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if c.is_ascii_uppercase() && !current.is_empty() {
            let prev = chars[i - 1];
            let next_is_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
            if prev.is_ascii_lowercase() || prev.is_ascii_digit() || (prev.is_ascii_uppercase() && next_is_lower) {
                words.push(std::mem::take(&mut current));
            }
        }
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in",
    "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super",
    "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become", "box",
    "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate"];

fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// Joins `words` (non-empty), a leading underscore before a digit, keywords escaped.
fn finish(mut joined: String) -> String {
    if joined.starts_with(|c: char| c.is_ascii_digit()) {
        joined.insert(0, '_');
    }
    escape_keyword(joined)
}

/// The `snake_case` form of `name`; `None` when it has no letters or digits, even
/// transliterated.
pub(crate) fn snake_case(name: &str) -> Option<String> {
    let words = words(name);
    (!words.is_empty()).then(|| finish(words.join("_")))
}

/// The `CamelCase` form of `name`; `None` when it has no letters or digits.
pub(crate) fn camel_case(name: &str) -> Option<String> {
    let words = words(name);
    let joined: String = words
        .iter()
        .map(|w| {
            let mut chars = w.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase()).into_iter();
            first.chain(chars).collect::<String>()
        })
        .collect();
    (!words.is_empty()).then(|| finish(joined))
}

/// Checks the Rust name that a `rename` gives: a `snake_case` identifier (lowercase ASCII
/// letters, digits and single underscores, starting with a letter), so that the accessor or
/// setter is the name as written and the variant is its `CamelCase`. A keyword becomes a raw
/// identifier (`type` → `r#type`).
pub(crate) fn rename_target(rust: &str) -> Result<String, String> {
    let bare = rust.strip_prefix("r#").unwrap_or(rust);
    let valid = bare.starts_with(|c: char| c.is_ascii_lowercase())
        && bare.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !bare.contains("__")
        && !bare.ends_with('_')
        && !NOT_RAW.contains(&bare);
    if valid {
        Ok(escape_keyword(bare.to_owned()))
    } else {
        Err(format!(
            "{rust:?} is not a snake_case Rust identifier (lowercase ASCII letters, digits and single underscores, \
             starting with a letter, e.g. \"dark_mode_legacy\")"
        ))
    }
}

/// How to rename `name` to `example`, in the syntax of each front end.
pub(crate) fn rename_hint(name: &str, example: &str) -> String {
    format!(
        "rename it: `.rename({name:?}, {example:?})` on ff_build::Builder or Options, \
         `rename({name:?} = {example:?})` in #[feature_flags], `--rename '{name}={example}'` for ff generate"
    )
}

/// What is being named, for messages.
pub(crate) struct Kind {
    /// `feature` or `context key`.
    pub owner: &'static str,
    /// `accessor`, `FlagName variant` or `Context setter`.
    pub item: &'static str,
    /// Where the reserved names come from, for the message.
    pub reserved_by: &'static str,
    /// The suffix of a suggested rename of a reserved name (`_flag`, `_key`).
    pub suffix: &'static str,
}

/// Names `names` (distinct document names) with `form`, or the `renamed` Rust name
/// (`names[i]` → `renamed[i]`) where given. Every name that cannot be named, or would share
/// its Rust name with another or with `reserved`, is a problem, and keeps the form it would
/// have had (or `""` for none); the result is only meaningful without problems.
pub(crate) fn assign(
    kind: &Kind,
    names: &[&str],
    renamed: &[Option<String>],
    form: impl Fn(&str) -> Option<String>,
    reserved: &[&str],
    problems: &mut Vec<String>,
) -> Vec<String> {
    let bare = |s: &str| s.strip_prefix("r#").unwrap_or(s).to_owned();
    let mut assigned = Vec::with_capacity(names.len());
    // Each Rust name's first holder, and how many names want it.
    let mut holders: HashMap<String, (usize, usize)> = HashMap::new();
    for (i, name) in names.iter().enumerate() {
        let Some(rust) = renamed[i].clone().or_else(|| form(name)) else {
            let example = format!("{}_{}", kind.owner.rsplit(' ').next().unwrap_or("name"), i + 1);
            problems.push(format!(
                "{} {name:?} has no letters or digits to make a Rust {} from: {}",
                kind.owner,
                kind.item,
                rename_hint(name, &example)
            ));
            assigned.push(String::new());
            continue;
        };
        let key = bare(&rust);
        if reserved.contains(&key.as_str()) {
            let example = format!("{key}{}", kind.suffix);
            problems.push(format!(
                "{} {name:?} would get the {} `{rust}`, which is {}: {}",
                kind.owner,
                kind.item,
                kind.reserved_by,
                rename_hint(name, &example)
            ));
        } else if let Some((first, count)) = holders.get_mut(&key) {
            // Rename the name that is not written as its Rust form (the later one if both are).
            let first = *first;
            let (keep, other) = if names[i] == key && names[first] != key { (i, first) } else { (first, i) };
            *count += 1;
            let example = format!("{key}_{count}");
            problems.push(format!(
                "{}s {:?} and {:?} would both get the {} `{rust}`: {}",
                kind.owner,
                names[keep],
                names[other],
                kind.item,
                rename_hint(names[other], &example)
            ));
        } else {
            holders.insert(key, (i, 1));
        }
        assigned.push(rust);
    }
    assigned
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_at_separators_and_case_changes() {
        for name in ["newCheckout", "NewCheckout", "new-checkout", "new.checkout", "NEW_CHECKOUT", " new  checkout "] {
            assert_eq!(snake_case(name).as_deref(), Some("new_checkout"), "{name:?}");
            assert_eq!(camel_case(name).as_deref(), Some("NewCheckout"), "{name:?}");
        }
        assert_eq!(snake_case("HTTPServerV2").unwrap(), "http_server_v2");
        assert_eq!(snake_case("v2Checkout").unwrap(), "v2_checkout");
        assert_eq!(snake_case("user.tier").unwrap(), "user_tier");
    }

    #[test]
    fn non_ascii_names_are_transliterated() {
        // The failing inputs: `gr_e_limit` and `feature` before.
        assert_eq!(snake_case("größe-limit").unwrap(), "grosse_limit");
        assert_eq!(camel_case("größe-limit").unwrap(), "GrosseLimit");
        assert_eq!(snake_case("Grüße").unwrap(), "grusse");
        assert_eq!(snake_case("🚀").unwrap(), "rocket");
        assert_eq!(snake_case("日本").unwrap(), "ri_ben");
        assert_eq!(snake_case("café_crème").unwrap(), "cafe_creme");
        assert_eq!(snake_case(""), None);
        assert_eq!(snake_case("--"), None);
        assert_eq!(camel_case("¿?"), None);
    }

    #[test]
    fn digits_and_keywords() {
        assert_eq!(snake_case("2fa").unwrap(), "_2fa");
        assert_eq!(camel_case("2fa enabled").unwrap(), "_2faEnabled");
        assert_eq!(snake_case("type").unwrap(), "r#type");
        assert_eq!(snake_case("Self").unwrap(), "self_");
        assert_eq!(camel_case("self").unwrap(), "Self_");
        assert_eq!(snake_case("gen").unwrap(), "r#gen");
    }

    #[test]
    fn rename_targets_are_snake_case_identifiers() {
        assert_eq!(rename_target("dark_mode_legacy").unwrap(), "dark_mode_legacy");
        assert_eq!(rename_target("type").unwrap(), "r#type");
        assert_eq!(rename_target("r#type").unwrap(), "r#type");
        for bad in ["", "DarkMode", "dark-mode", "2fa", "_x", "a__b", "a_", "self", "größe", "a b"] {
            assert!(rename_target(bad).unwrap_err().contains("is not a snake_case Rust identifier"), "{bad:?}");
        }
    }

    const FEATURE: Kind = Kind { owner: "feature", item: "accessor", reserved_by: "a generated method", suffix: "_flag" };

    fn snake(names: &[&str], renamed: &[Option<&str>], reserved: &[&str]) -> (Vec<String>, Vec<String>) {
        let renamed: Vec<Option<String>> = renamed.iter().map(|r| r.map(str::to_owned)).collect();
        let mut problems = Vec::new();
        let names = assign(&FEATURE, names, &renamed, snake_case, reserved, &mut problems);
        (names, problems)
    }

    #[test]
    fn two_names_with_one_rust_form_are_an_error_naming_both() {
        // The failing input: `dark_mode` added next to `dark-mode` took over `dark_mode()`.
        let (_, problems) = snake(&["dark-mode", "dark_mode"], &[None, None], &[]);
        assert_eq!(
            problems,
            ["features \"dark_mode\" and \"dark-mode\" would both get the accessor `dark_mode`: rename it: \
              `.rename(\"dark-mode\", \"dark_mode_2\")` on ff_build::Builder or Options, \
              `rename(\"dark-mode\" = \"dark_mode_2\")` in #[feature_flags], `--rename 'dark-mode=dark_mode_2'` for ff generate"]
        );
        // In either order, the one not written as its Rust name is the one to rename.
        let (_, problems) = snake(&["dark_mode", "dark-mode"], &[None, None], &[]);
        assert!(problems[0].starts_with("features \"dark_mode\" and \"dark-mode\""), "{problems:?}");
        // A rename resolves it.
        let (names, problems) = snake(&["dark-mode", "dark_mode"], &[Some("dark_mode_legacy"), None], &[]);
        assert_eq!((names, problems), (vec!["dark_mode_legacy".to_owned(), "dark_mode".to_owned()], vec![]));
    }

    #[test]
    fn reserved_and_empty_names_are_errors() {
        let (_, problems) = snake(&["snapshot", "", "type", "Type"], &[None, None, None, None], &["snapshot"]);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].starts_with("feature \"snapshot\" would get the accessor `snapshot`, which is a generated method: rename it: `.rename(\"snapshot\", \"snapshot_flag\")`"), "{}", problems[0]);
        assert!(problems[1].starts_with("feature \"\" has no letters or digits to make a Rust accessor from: rename it: `.rename(\"\", \"feature_2\")`"), "{}", problems[1]);
        assert!(problems[2].starts_with("features \"type\" and \"Type\" would both get the accessor `r#type`"), "{}", problems[2]);
        let (names, problems) = snake(&["snapshot", ""], &[Some("snapshot_flag"), Some("unnamed")], &["snapshot"]);
        assert_eq!((names, problems), (vec!["snapshot_flag".to_owned(), "unnamed".to_owned()], vec![]));
    }
}
