//! The rule parser: characters to [`Expr`], every error at its character.

use super::{Argument, Expr, Operator, RuleError, MAX_DEPTH};

/// Parses a rule for well-formedness (see the module docs for the language).
///
/// # Errors
/// [`RuleError`] at the first problem: an empty rule, a rule that is not one expression in
/// parentheses, an unknown operator (with "did you mean"), the wrong operands for an
/// operator, an unclosed expression, array or string, a token that is no operand, an integer
/// outside the 64-bit range, or nesting deeper than [`MAX_DEPTH`]. Never panics.
pub fn parse(rule: &str) -> Result<Expr, RuleError> {
    let mut p = Parser { chars: rule.chars().collect(), at: 0 };
    p.skip_space();
    match p.peek() {
        None => return Err(p.error(0, "the rule is empty: expected an expression `(operator operand...)`")),
        Some('(') => {}
        Some(_) => return Err(p.error(p.at, "a rule is one expression in parentheses, `(operator operand...)`")),
    }
    let expr = p.call(1)?;
    p.skip_space();
    if p.at < p.chars.len() {
        return Err(p.error(p.at, "unexpected text after the rule's expression (a rule is one expression)"));
    }
    Ok(expr)
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

/// Whether `c` ends a bare token (an operator, number, timestamp, boolean or `$name`).
fn ends_token(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | '"' | ',')
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn error(&self, index: usize, message: impl Into<String>) -> RuleError {
        RuleError { position: index + 1, message: message.into() }
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn token(&mut self) -> String {
        let start = self.at;
        while self.peek().is_some_and(|c| !ends_token(c)) {
            self.at += 1;
        }
        self.chars[start..self.at].iter().collect()
    }

    /// `(operator operand...)`, the `(` next.
    fn call(&mut self, depth: usize) -> Result<Expr, RuleError> {
        let open = self.at;
        if depth > MAX_DEPTH {
            return Err(self.error(open, format!("expressions and arrays nest deeper than {MAX_DEPTH} levels")));
        }
        self.at += 1;
        self.skip_space();
        let name_at = self.at;
        let name = self.token();
        if name.is_empty() {
            return Err(self.error(name_at, "expected an operator after `(`"));
        }
        let Some(operator) = Operator::from_name(&name) else {
            return Err(self.error(name_at, unknown_operator(&name)));
        };
        let mut args: Vec<(usize, Argument)> = Vec::new();
        loop {
            self.skip_space();
            match self.peek() {
                None => return Err(self.error(open, format!("the `({operator}` expression is not closed: expected `)`"))),
                Some(')') => {
                    self.at += 1;
                    break;
                }
                Some(_) => {
                    let at = self.at;
                    let name = self.named();
                    let value = self.operand(depth)?;
                    args.push((at, Argument { name, value }));
                }
            }
        }
        shape::check(operator, &args).map_err(|(index, message)| self.error(index.unwrap_or(open), message))?;
        Ok(Expr::Call { operator, args: args.into_iter().map(|(_, a)| a).collect() })
    }

    /// The `name::` of a named operand, consumed, when one comes next.
    fn named(&mut self) -> Option<String> {
        let mut end = self.at;
        while self.chars.get(end).is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_') {
            end += 1;
        }
        let named = end > self.at && self.chars.get(end) == Some(&':') && self.chars.get(end + 1) == Some(&':');
        if !named {
            return None;
        }
        let name = self.chars[self.at..end].iter().collect();
        self.at = end + 2;
        Some(name)
    }

    /// One operand, white space skipped before it.
    fn operand(&mut self, depth: usize) -> Result<Expr, RuleError> {
        self.skip_space();
        let at = self.at;
        match self.peek() {
            None => Err(self.error(at, "the rule ends where an operand was expected")),
            Some('(') => self.call(depth + 1),
            Some('[') => self.array(depth + 1),
            Some('"') => self.string(),
            Some(c @ (')' | ']' | ',')) => Err(self.error(at, format!("expected an operand, found `{c}`"))),
            Some(_) => {
                let token = self.token();
                literal::classify(&token).map_err(|message| self.error(at, message))
            }
        }
    }

    /// `[operand, ...]`, the `[` next; commas between operands are optional.
    fn array(&mut self, depth: usize) -> Result<Expr, RuleError> {
        let open = self.at;
        if depth > MAX_DEPTH {
            return Err(self.error(open, format!("expressions and arrays nest deeper than {MAX_DEPTH} levels")));
        }
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.skip_space();
            match self.peek() {
                None => return Err(self.error(open, "the array is not closed: expected `]`")),
                Some(']') => {
                    self.at += 1;
                    return Ok(Expr::Array(items));
                }
                Some(',') if !items.is_empty() => {
                    self.at += 1;
                    self.skip_space();
                    if matches!(self.peek(), Some(',' | ']')) {
                        return Err(self.error(self.at, "expected an array element after `,`"));
                    }
                }
                Some(_) => items.push(self.operand(depth)?),
            }
        }
    }

    /// `"..."`, the `"` next; `\` escapes the next character.
    fn string(&mut self) -> Result<Expr, RuleError> {
        let open = self.at;
        self.at += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return Err(self.error(open, "the string is not closed: expected `\"`")),
                Some('"') => {
                    self.at += 1;
                    return Ok(Expr::String(out));
                }
                Some('\\') => {
                    self.at += 1;
                    match self.peek() {
                        Some(c) => out.push(c),
                        None => return Err(self.error(open, "the string is not closed: expected `\"`")),
                    }
                }
                Some(c) => out.push(c),
            }
            self.at += 1;
        }
    }
}

/// "unknown operator" with the closest known one.
fn unknown_operator(name: &str) -> String {
    let known = Operator::ALL.map(Operator::as_str);
    let closest = known.iter().map(|k| (strsim::jaro_winkler(name, k), k)).max_by(|a, b| a.0.total_cmp(&b.0));
    let hint = match closest {
        Some((score, k)) if score > 0.8 => format!(" (did you mean `{k}`?)"),
        _ => String::new(),
    };
    format!("unknown operator `{name}`{hint}; the operators are {}", known.join(", "))
}

mod literal;
mod shape;
