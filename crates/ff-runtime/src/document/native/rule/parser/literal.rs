//! Bare tokens: `true`, `false`, numbers, timestamps and `$name` context values.

use super::super::Expr;

/// The operand a bare token writes, or why it writes none.
pub(super) fn classify(token: &str) -> Result<Expr, String> {
    match token {
        "true" => return Ok(Expr::Bool(true)),
        "false" => return Ok(Expr::Bool(false)),
        _ => {}
    }
    if let Some(name) = token.strip_prefix('$') {
        if name.is_empty() {
            return Err("`$` must be followed by a context key name (`$userId`)".to_owned());
        }
        return Ok(Expr::Context(name.to_owned()));
    }
    match number(token) {
        Some(true) => {
            return token.parse::<i64>().map(Expr::Integer).map_err(|_| format!("the integer {token} is outside the 64-bit range"));
        }
        Some(false) => return token.parse::<f64>().map(Expr::Float).map_err(|_| format!("`{token}` is not a number")),
        None => {}
    }
    if is_timestamp(token) {
        return Ok(Expr::Timestamp(token.to_owned()));
    }
    Err(format!(
        "unexpected `{token}`: expected a string in double quotes, a number, a timestamp, true, false, a context value `$name`, an array `[...]` or an expression `(...)`"
    ))
}

/// `Some(true)` for an integer, `Some(false)` for a float (`-?D+(.D+)?([eE][+-]?D+)?`),
/// `None` for anything else.
fn number(token: &str) -> Option<bool> {
    let b = token.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    if !digits(&mut i) {
        return None;
    }
    let mut integer = true;
    if b.get(i) == Some(&b'.') {
        i += 1;
        integer = false;
        if !digits(&mut i) {
            return None;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        integer = false;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return None;
        }
    }
    (i == b.len()).then_some(integer)
}

/// The W3C date-time note's forms past a bare year (which reads as an integer):
/// `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DDThh:mmTZD`, `YYYY-MM-DDThh:mm:ssTZD`,
/// `YYYY-MM-DDThh:mm:ss.sTZD`, with `TZD` = `Z`, `+hh:mm` or `-hh:mm`. Field ranges are not
/// checked.
fn is_timestamp(token: &str) -> bool {
    let b = token.as_bytes();
    let digits = |from: usize, to: usize| b.get(from..to).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(digits(0, 4) && at(4, b'-') && digits(5, 7)) {
        return false;
    }
    if b.len() == 7 {
        return true;
    }
    if !(at(7, b'-') && digits(8, 10)) {
        return false;
    }
    if b.len() == 10 {
        return true;
    }
    if !(at(10, b'T') && digits(11, 13) && at(13, b':') && digits(14, 16)) {
        return false;
    }
    let mut i = 16;
    if at(i, b':') {
        if !digits(i + 1, i + 3) {
            return false;
        }
        i += 3;
        if at(i, b'.') {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start {
                return false;
            }
        }
    }
    match b.get(i..) {
        Some([b'Z']) => true,
        Some([b'+' | b'-', ..]) => b.len() == i + 6 && digits(i + 1, i + 3) && at(i + 3, b':') && digits(i + 4, i + 6),
        _ => false,
    }
}
