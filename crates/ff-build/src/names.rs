//! Rust names for feature names and context keys.
//!
//! The rules (also in the crate docs, "Names"):
//!
//! 1. The name is split into words at every character that is not an ASCII letter or digit
//!    and at case changes (`newCheckout`, `NewCheckout`, `new-checkout`, `new.checkout` and
//!    `NEW_CHECKOUT` all give the words `new`, `checkout`). Non-ASCII characters separate
//!    words and are dropped.
//! 2. Accessors and fields join the words in `snake_case`; `FlagName` variants in
//!    `CamelCase`.
//! 3. A name with no words (`""`, `"日本"`, `"--"`) becomes `feature` / `Feature` (or `key` for
//!    a context key). A name that starts with a digit gets a leading underscore (`2fa` →
//!    `_2fa`).
//! 4. A Rust keyword becomes a raw identifier (`type` → `r#type`), except the four that
//!    cannot be raw (`self`, `Self`, `super`, `crate`), which get a trailing underscore.
//! 5. A name already taken (by one of the generated type's own methods, or by another
//!    feature or key) gets the smallest suffix `_2`, `_3`, … that makes it unique (`2`, `3`, …
//!    for variants). Who gets the plain name does not depend on document order ([`assign`]):
//!    a name written exactly as its Rust form (`new_checkout` for an accessor, `NewCheckout`
//!    for a variant) keeps it; the others claim theirs in the byte order of their names. So
//!    reordering a document, or adding a feature, never moves an accessor, variant or setter
//!    that is written as its Rust name onto another feature.

use std::collections::HashSet;

/// Words of `name`, lowercase.
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
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

/// The `snake_case` form of `name`, before uniqueness (`fallback` when it has no words).
pub(crate) fn snake_case(name: &str, fallback: &str) -> String {
    let words = words(name);
    let mut joined = if words.is_empty() { fallback.to_owned() } else { words.join("_") };
    if joined.starts_with(|c: char| c.is_ascii_digit()) {
        joined.insert(0, '_');
    }
    escape_keyword(joined)
}

/// The `CamelCase` form of `name`, before uniqueness (`fallback` when it has no words).
pub(crate) fn camel_case(name: &str, fallback: &str) -> String {
    let words = words(name);
    let mut joined: String = if words.is_empty() {
        fallback.to_owned()
    } else {
        words
            .iter()
            .map(|w| {
                let mut chars = w.chars();
                let first = chars.next().map(|c| c.to_ascii_uppercase()).into_iter();
                first.chain(chars).collect::<String>()
            })
            .collect()
    };
    if joined.starts_with(|c: char| c.is_ascii_digit()) {
        joined.insert(0, '_');
    }
    escape_keyword(joined)
}

/// The Rust names of `names` (all distinct), `form` applied to each and made unique in
/// `namespace`, in the same order as `names`. `other` is the other naming form (`CamelCase`
/// for accessors and fields, `snake_case` for variants).
///
/// Names claim their form, suffixed when taken, in an order that does not depend on the
/// document's: first the names written exactly as their form (a keyword that only gains
/// `r#` counts) when it is not reserved, which cannot collide with each other; then those
/// written exactly as their other form; then the rest; within each group in the byte order
/// of the names. So neither
/// reordering the document nor adding a name moves an exact name, and a new name takes a
/// form from an existing one only if it sorts before it in the same group.
pub(crate) fn assign(
    namespace: &mut Namespace,
    names: &[&str],
    form: impl Fn(&str) -> String,
    other: impl Fn(&str) -> String,
) -> Vec<String> {
    let candidates: Vec<String> = names.iter().map(|name| form(name)).collect();
    let bare = |s: &str| s.strip_prefix("r#").unwrap_or(s).to_owned();
    let rank = |i: usize| {
        if bare(&candidates[i]) == names[i] && !namespace.is_taken(&candidates[i]) {
            0
        } else if bare(&other(names[i])) == names[i] {
            1
        } else {
            2
        }
    };
    let mut order: Vec<(u8, usize)> = (0..names.len()).map(|i| (rank(i), i)).collect();
    order.sort_by(|&(ra, a), &(rb, b)| ra.cmp(&rb).then_with(|| names[a].cmp(names[b])));
    let mut assigned = vec![String::new(); names.len()];
    for (_, i) in order {
        assigned[i] = namespace.claim(candidates[i].clone());
    }
    assigned
}

/// Hands out unique names in one namespace.
pub(crate) struct Namespace {
    taken: HashSet<String>,
    separator: &'static str,
}

impl Namespace {
    /// A namespace where `reserved` are already taken; suffixes are `{separator}{n}`.
    pub(crate) fn new(reserved: &[&str], separator: &'static str) -> Namespace {
        Namespace { taken: reserved.iter().map(|s| (*s).to_owned()).collect(), separator }
    }

    /// Whether `name` (raw or not) is taken.
    fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name.strip_prefix("r#").unwrap_or(name))
    }

    /// `candidate`, or `candidate{separator}{n}` with the smallest `n >= 2` not taken.
    pub(crate) fn claim(&mut self, candidate: String) -> String {
        let bare = candidate.strip_prefix("r#").unwrap_or(&candidate).to_owned();
        if self.taken.insert(bare.clone()) {
            return candidate;
        }
        let base = bare.trim_end_matches('_');
        let base = if base.is_empty() { bare.as_str() } else { base };
        (2..)
            .map(|n| format!("{base}{}{n}", self.separator))
            .find(|name| self.taken.insert(name.clone()))
            .expect("some suffix is free")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_at_separators_and_case_changes() {
        for name in ["newCheckout", "NewCheckout", "new-checkout", "new.checkout", "NEW_CHECKOUT", " new  checkout "] {
            assert_eq!(snake_case(name, "feature"), "new_checkout", "{name:?}");
            assert_eq!(camel_case(name, "Feature"), "NewCheckout", "{name:?}");
        }
        assert_eq!(snake_case("HTTPServerV2", "x"), "http_server_v2");
        assert_eq!(snake_case("v2Checkout", "x"), "v2_checkout");
        assert_eq!(snake_case("user.tier", "x"), "user_tier");
        assert_eq!(snake_case("Grüße", "x"), "gr_e");
    }

    #[test]
    fn empty_digit_and_keyword_names() {
        assert_eq!(snake_case("", "feature"), "feature");
        assert_eq!(snake_case("日本", "key"), "key");
        assert_eq!(camel_case("", "Feature"), "Feature");
        assert_eq!(snake_case("2fa", "feature"), "_2fa");
        assert_eq!(camel_case("2fa enabled", "Feature"), "_2faEnabled");
        assert_eq!(snake_case("type", "feature"), "r#type");
        assert_eq!(snake_case("Self", "feature"), "self_");
        assert_eq!(camel_case("self", "Feature"), "Self_");
        assert_eq!(snake_case("gen", "feature"), "r#gen");
    }

    #[test]
    fn collisions_get_numeric_suffixes() {
        let mut ns = Namespace::new(&["new", "snapshot"], "_");
        assert_eq!(ns.claim("new_checkout".into()), "new_checkout");
        assert_eq!(ns.claim("new_checkout".into()), "new_checkout_2");
        assert_eq!(ns.claim("new_checkout".into()), "new_checkout_3");
        assert_eq!(ns.claim("snapshot".into()), "snapshot_2");
        assert_eq!(ns.claim("r#type".into()), "r#type");
        assert_eq!(ns.claim("r#type".into()), "type_2");
        assert_eq!(ns.claim("self_".into()), "self_");
        assert_eq!(ns.claim("self_".into()), "self_2");
        let mut variants = Namespace::new(&[], "");
        assert_eq!(variants.claim("A1".into()), "A1");
        assert_eq!(variants.claim("A1".into()), "A12");
    }

    fn snake(names: &[&str], reserved: &[&str]) -> Vec<String> {
        assign(&mut Namespace::new(reserved, "_"), names, |n| snake_case(n, "feature"), |n| camel_case(n, "Feature"))
    }

    fn camel(names: &[&str]) -> Vec<String> {
        assign(&mut Namespace::new(&[], ""), names, |n| camel_case(n, "Feature"), |n| snake_case(n, "feature"))
    }

    #[test]
    fn exact_names_keep_theirs_whatever_the_order() {
        // The failing input of a rebinding: `new-checkout` first used to take `new_checkout`.
        assert_eq!(snake(&["new-checkout", "new_checkout"], &[]), ["new_checkout_2", "new_checkout"]);
        assert_eq!(snake(&["new_checkout", "new-checkout"], &[]), ["new_checkout", "new_checkout_2"]);
        // A reserved name's suffixed form, written exactly, is kept by the feature so named.
        assert_eq!(snake(&["inner", "inner_2"], &["inner"]), ["inner_3", "inner_2"]);
        assert_eq!(snake(&["inner_2", "inner"], &["inner"]), ["inner_2", "inner_3"]);
        // Keywords written as such are exact; a name exact in the other form comes next.
        assert_eq!(snake(&["Type", "type"], &[]), ["type_2", "r#type"]);
        assert_eq!(snake(&["type", "Type"], &[]), ["r#type", "type_2"]);
        assert_eq!(camel(&["type", "Type"]), ["Type2", "Type"]);
        // Variants follow the same priority as accessors for snake_case names.
        assert_eq!(camel(&["new-checkout", "new_checkout"]), ["NewCheckout2", "NewCheckout"]);
        assert_eq!(camel(&["new_checkout", "NewCheckout"]), ["NewCheckout2", "NewCheckout"]);
    }

    #[test]
    fn inexact_names_are_ordered_by_name_not_by_position() {
        let forward = snake(&["new.checkout", "New Checkout", "new-checkout"], &[]);
        let backward = snake(&["new-checkout", "New Checkout", "new.checkout"], &[]);
        // "New Checkout" < "new-checkout" < "new.checkout" in byte order.
        assert_eq!(forward, ["new_checkout_3", "new_checkout", "new_checkout_2"]);
        assert_eq!(backward, ["new_checkout_2", "new_checkout", "new_checkout_3"]);
    }
}
