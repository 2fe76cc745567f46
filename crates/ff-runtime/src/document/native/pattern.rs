//! A minimal well-formedness check of constraint patterns.
//!
//! AWS does not say which regular-expression dialect checks `"pattern"` (the schema is
//! JSON Schema, whose patterns are ECMA-262); ff refuses only what is broken in every
//! common dialect, so that it never refuses a pattern AWS accepts: a trailing `\`, an
//! unclosed `[...]`, unbalanced parentheses, and a quantifier (`*`, `+`, `?`) with nothing
//! before it to repeat.

use std::collections::HashMap;

use regex_lite::Regex;

/// `Ok` when `pattern` is well-formed as far as this check goes; otherwise what is wrong
/// and at which character (counted from 1).
pub(crate) fn check(pattern: &str) -> Result<(), String> {
    let mut open: Vec<usize> = Vec::new();
    // Whether the previous item can be repeated (not the start, `(` or `|`).
    let mut repeatable = false;
    let mut chars = pattern.chars().enumerate().peekable();
    while let Some((i, ch)) = chars.next() {
        let position = i + 1;
        match ch {
            '\\' => {
                if chars.next().is_none() {
                    return Err(format!("a `\\` at character {position} escapes nothing"));
                }
                repeatable = true;
            }
            '[' => {
                // A class ends at the first unescaped `]` that is not its first character.
                let mut first = true;
                loop {
                    match chars.next() {
                        None => return Err(format!("the character class opened at character {position} is not closed")),
                        Some((_, '\\')) => {
                            chars.next();
                        }
                        Some((_, '^')) if first => continue,
                        Some((_, ']')) if !first => break,
                        Some(_) => {}
                    }
                    first = false;
                }
                repeatable = true;
            }
            '(' => {
                open.push(position);
                repeatable = false;
                if chars.peek().is_some_and(|&(_, c)| c == '?') {
                    chars.next();
                }
            }
            ')' => {
                if open.pop().is_none() {
                    return Err(format!("the `)` at character {position} closes no group"));
                }
                repeatable = true;
            }
            '|' => repeatable = false,
            '*' | '+' | '?' if !repeatable => {
                return Err(format!("the quantifier `{ch}` at character {position} has nothing to repeat"));
            }
            _ => repeatable = true,
        }
    }
    match open.last() {
        Some(position) => Err(format!("the group opened at character {position} is not closed")),
        None => Ok(()),
    }
}

/// Whether `value` matches `pattern` anywhere (unanchored, as JSON Schema's `pattern`),
/// with the `regex-lite` engine; `None` when that engine does not support the pattern
/// (look-around, back-references, Unicode classes), in which case ff does not judge.
/// Each pattern is compiled once per document (`cache`).
pub(crate) fn matches(cache: &mut HashMap<String, Option<Regex>>, pattern: &str, value: &str) -> Option<bool> {
    if !cache.contains_key(pattern) {
        cache.insert(pattern.to_owned(), Regex::new(pattern).ok());
    }
    cache.get(pattern)?.as_ref().map(|re| re.is_match(value))
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn well_formed_patterns_pass() {
        for ok in [r"^[a-z]+$", r"^\d{3}-\d{4}$", r"(?:ab)+|c*", r"[]a]", r"[^]]", r"a\\", r"(?<=x)y", r"\p{L}+", "{", "a{2,}?"] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn broken_patterns_name_the_place() {
        assert_eq!(check(r"abc\").unwrap_err(), "a `\\` at character 4 escapes nothing");
        assert_eq!(check("[a-z").unwrap_err(), "the character class opened at character 1 is not closed");
        assert_eq!(check("a)").unwrap_err(), "the `)` at character 2 closes no group");
        assert_eq!(check("(a(b)").unwrap_err(), "the group opened at character 1 is not closed");
        assert_eq!(check("*a").unwrap_err(), "the quantifier `*` at character 1 has nothing to repeat");
        assert_eq!(check("a|+").unwrap_err(), "the quantifier `+` at character 3 has nothing to repeat");
    }
}
