//! The context keys a rule reads, and the type each use implies.

use super::{ContextKey, ContextKind, Expr, Operator};

/// The context keys `rule` reads, in the order of their first use, each with the type the
/// rule implies: the type of the literal it is compared with (`(eq $tier "gold")` → String,
/// `(gt $age 30)` → Number, a timestamp → String), String for `begins_with`, `ends_with`,
/// `contains`, `matches in::` and `split by::`, the element type of `in`'s array, Boolean
/// for an operand of `and`, `or`, `not`. A key whose uses say nothing (`exists key::"k"`,
/// two context values compared) or disagree is [`ContextKind::Unknown`].
pub fn context_keys(rule: &Expr) -> Vec<ContextKey> {
    let mut found: Vec<(String, Option<ContextKind>)> = Vec::new();
    walk(rule, &mut found);
    found.into_iter().map(|(name, kind)| ContextKey { name, kind: kind.unwrap_or(ContextKind::Unknown) }).collect()
}

/// Records a use of `name`; `kind` is what this use implies (`None`: nothing).
fn note(found: &mut Vec<(String, Option<ContextKind>)>, name: &str, kind: Option<ContextKind>) {
    match found.iter_mut().find(|(n, _)| n == name) {
        None => found.push((name.to_owned(), kind)),
        Some((_, known)) => {
            *known = match (*known, kind) {
                (k, None) => k,
                (None, k) => k,
                (Some(a), Some(b)) if a == b => Some(a),
                _ => Some(ContextKind::Unknown),
            }
        }
    }
}

/// The type a literal operand has, if it is one.
fn literal_kind(expr: &Expr) -> Option<ContextKind> {
    match expr {
        Expr::String(_) | Expr::Timestamp(_) => Some(ContextKind::String),
        Expr::Integer(_) | Expr::Float(_) => Some(ContextKind::Number),
        Expr::Bool(_) => Some(ContextKind::Boolean),
        Expr::Array(items) => {
            let mut kinds = items.iter().map(literal_kind);
            let first = kinds.next()??;
            kinds.all(|k| k == Some(first)).then_some(first)
        }
        Expr::Context(_) | Expr::Call { .. } => None,
    }
}

fn walk(expr: &Expr, found: &mut Vec<(String, Option<ContextKind>)>) {
    match expr {
        Expr::Context(name) => note(found, name, None),
        Expr::Array(items) => items.iter().for_each(|i| walk(i, found)),
        Expr::Call { operator, args } => call(*operator, args, found),
        _ => {}
    }
}

fn call(operator: Operator, args: &[super::Argument], found: &mut Vec<(String, Option<ContextKind>)>) {
    let positional: Vec<&Expr> = args.iter().filter(|a| a.name.is_none()).map(|a| &a.value).collect();
    for arg in args {
        match (&arg.value, arg.name.as_deref()) {
            (Expr::Context(name), named) => note(found, name, implied(operator, named, &arg.value, &positional)),
            (Expr::String(key), Some("key")) if operator == Operator::Exists => note(found, key, None),
            (value, _) => walk(value, found),
        }
    }
}

/// What a context value used as this operand implies.
fn implied(operator: Operator, name: Option<&str>, value: &Expr, positional: &[&Expr]) -> Option<ContextKind> {
    match (operator, name) {
        (Operator::Split, Some("by")) | (Operator::Matches, Some("in")) => Some(ContextKind::String),
        (Operator::And | Operator::Or | Operator::Not, None) => Some(ContextKind::Boolean),
        (Operator::BeginsWith | Operator::EndsWith | Operator::Contains, None) => Some(ContextKind::String),
        (Operator::Eq | Operator::Gt | Operator::Gte | Operator::Lt | Operator::Lte | Operator::In, None) => {
            // The other operand's literal type; only the left operand of `in` is the key.
            let other = positional.iter().find(|e| !std::ptr::eq(**e, value))?;
            if operator == Operator::In && !std::ptr::eq(positional[0], value) {
                return None;
            }
            literal_kind(other)
        }
        _ => None,
    }
}
