//! The operands each operator takes.

use super::super::{Argument, Expr, Operator};

/// A problem with an operator's operands: the character index of the operand at fault
/// (`None`: the expression's `(`), and the message.
pub(super) type ShapeError = (Option<usize>, String);

/// The named operands of an operator: (name, required).
fn named(operator: Operator) -> &'static [(&'static str, bool)] {
    match operator {
        Operator::Matches => &[("in", true), ("pattern", true)],
        Operator::Exists => &[("key", true)],
        Operator::Split => &[("pct", true), ("by", true), ("seed", false)],
        _ => &[],
    }
}

/// Checks `args` against what `operator` takes.
pub(super) fn check(operator: Operator, args: &[(usize, Argument)]) -> Result<(), ShapeError> {
    let names = named(operator);
    if names.is_empty() {
        return positional(operator, args);
    }
    let list = || names.iter().map(|(n, _)| format!("{n}::")).collect::<Vec<_>>().join(", ");
    for (i, (at, arg)) in args.iter().enumerate() {
        let Some(name) = &arg.name else {
            return Err((Some(*at), format!("`{operator}` takes named operands ({}), not a positional one", list())));
        };
        if !names.iter().any(|(n, _)| n == name) {
            return Err((Some(*at), format!("`{operator}` takes no operand `{name}::`; it takes {}", list())));
        }
        if args[..i].iter().any(|(_, a)| a.name.as_ref() == Some(name)) {
            return Err((Some(*at), format!("`{name}::` is given twice")));
        }
        operand_type(operator, name, &arg.value).map_err(|m| (Some(*at), m))?;
    }
    match names.iter().find(|(n, required)| *required && !args.iter().any(|(_, a)| a.name.as_deref() == Some(n))) {
        Some((name, _)) => Err((None, format!("`{operator}` needs `{name}::` (it takes {})", list()))),
        None => Ok(()),
    }
}

/// The documented types of named operands.
fn operand_type(operator: Operator, name: &str, value: &Expr) -> Result<(), String> {
    let ok = match (operator, name) {
        (Operator::Split, "pct") => matches!(value, Expr::Integer(_) | Expr::Float(_)),
        (Operator::Split, "by") => matches!(value, Expr::Context(_)),
        (Operator::Split, "seed") | (Operator::Exists, "key") | (Operator::Matches, "pattern") => matches!(value, Expr::String(_)),
        _ => true,
    };
    if ok {
        return Ok(());
    }
    let expected = match name {
        "pct" => "a number (the percentage)",
        "by" => "a context value (`by::$userId`)",
        _ => "a string in double quotes",
    };
    Err(format!("`{name}::` of `{operator}` takes {expected}"))
}

/// Operators with positional operands only.
fn positional(operator: Operator, args: &[(usize, Argument)]) -> Result<(), ShapeError> {
    if let Some((at, arg)) = args.iter().find(|(_, a)| a.name.is_some()) {
        let name = arg.name.as_deref().unwrap_or_default();
        return Err((Some(*at), format!("`{operator}` takes no named operand `{name}::`")));
    }
    let (min, max, wanted) = match operator {
        Operator::And | Operator::Or => (2, usize::MAX, "two operands or more"),
        Operator::Not => (1, 1, "one operand"),
        _ => (2, 2, "two operands"),
    };
    if (min..=max).contains(&args.len()) {
        return Ok(());
    }
    // Too many: at the first extra operand; too few: at the expression.
    let at = args.get(max).map(|(at, _)| *at);
    Err((at, format!("`{operator}` takes {wanted}, found {}", args.len())))
}
