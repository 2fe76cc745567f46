//! AWS AppConfig's variant rule language, for well-formedness only.
//!
//! A rule selects a variant of a multi-variant flag: an s-expression `(operator operand...)`
//! that produces `true` or `false` ("Defining rules for multi-variant feature flags", AWS
//! AppConfig user guide). [`parse`] checks that a rule is well formed — balanced, known
//! operators with the operands they take, literals and `$name` context references — and
//! [`context_keys`] lists the context keys it reads, with the type the rule implies.
//!
//! ff never evaluates rules: the AppConfig Agent does, and the hash behind `split` is not
//! published.
//!
//! The language, as documented:
//! - operands: strings in double quotes (`"gold"`, a `\` escapes the next character),
//!   64-bit integers (`-7`, `42`), floats (`3.14`, `1.234e-5`), timestamps written bare after
//!   the W3C date-time note (`2024-01`, `2012-03-04T05:06:07-08:00`), `true`, `false`,
//!   context values (`$country`), arrays of operands (`["123", "456"]`), and nested
//!   expressions;
//! - comparison operators `eq`, `gt`, `gte`, `lt`, `lte` and the custom operators
//!   `begins_with`, `ends_with`, `contains`, `in` take two operands: `(eq $state "Virginia")`,
//!   `(in $userId ["123", "456"])`;
//! - logical operators: `and` and `or` take two operands or more (the docs say "both
//!   operands" and show two; ff does not refuse more), `not` takes one;
//! - operators with named operands: `(matches in::$greeting pattern::"h.*y")`,
//!   `(exists key::"country")`, `(split pct::10 by::$userId seed::"abc")` (`seed` optional).
//!
//! What the docs leave open, ff accepts: any characters in a context key name after `$`
//! except white space, brackets, parentheses and `"`; operand types of the comparison
//! operators; any number for `pct`. One limit is ff's own: expressions nested deeper than
//! [`MAX_DEPTH`] levels are refused, so that parsing never exhausts the stack.

mod keys;
mod parser;

#[cfg(test)]
mod tests;

use std::fmt;

pub use keys::context_keys;
pub use parser::parse;

/// How deeply expressions and arrays may nest in a rule.
pub const MAX_DEPTH: usize = 64;

/// A parsed rule, or one of its operands.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A string literal, its escapes resolved: `"gold"`.
    String(String),
    /// A 64-bit integer literal: `42`.
    Integer(i64),
    /// A float literal: `3.14`, `1.234e-5`.
    Float(f64),
    /// A timestamp literal, as written: `2024-01`, `2012-03-04T05:06:07-08:00`.
    Timestamp(String),
    /// `true` or `false`.
    Bool(bool),
    /// A context value `$name`; the name without the `$`.
    Context(String),
    /// An array of operands: `["123", "456"]`.
    Array(Vec<Expr>),
    /// An operator applied to its operands: `(eq $tier "gold")`.
    Call {
        /// The operator.
        operator: Operator,
        /// The operands, in the order written.
        args: Vec<Argument>,
    },
}

/// One operand of an operator: positional (`$tier`) or named (`pct::10`).
#[derive(Clone, Debug, PartialEq)]
pub struct Argument {
    /// The name of a named operand (`pct`, `by`, `seed`, `in`, `pattern`, `key`).
    pub name: Option<String>,
    /// The operand.
    pub value: Expr,
}

/// The operators of the rule language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operator {
    /// `eq`: equal.
    Eq,
    /// `gt`: greater than.
    Gt,
    /// `gte`: greater than or equal.
    Gte,
    /// `lt`: less than.
    Lt,
    /// `lte`: less than or equal.
    Lte,
    /// `and`: every operand is true.
    And,
    /// `or`: at least one operand is true.
    Or,
    /// `not`: the operand is false.
    Not,
    /// `begins_with`: the string starts with the prefix.
    BeginsWith,
    /// `ends_with`: the string ends with the suffix.
    EndsWith,
    /// `contains`: the string contains the substring.
    Contains,
    /// `in`: the value is one of a list of constants.
    In,
    /// `matches`: `in::VALUE` matches the regular expression `pattern::"..."`.
    Matches,
    /// `exists`: the context has a value for `key::"name"`.
    Exists,
    /// `split`: true for `pct::N` percent of the values of `by::$key` (optional `seed::"s"`),
    /// by a hash AWS does not publish.
    Split,
}

impl Operator {
    /// Every operator, in the order of the docs.
    pub const ALL: [Operator; 15] = [
        Operator::Eq,
        Operator::Gt,
        Operator::Gte,
        Operator::Lt,
        Operator::Lte,
        Operator::And,
        Operator::Or,
        Operator::Not,
        Operator::BeginsWith,
        Operator::EndsWith,
        Operator::Contains,
        Operator::In,
        Operator::Matches,
        Operator::Exists,
        Operator::Split,
    ];

    /// The operator as written in rules (`"begins_with"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Eq => "eq",
            Operator::Gt => "gt",
            Operator::Gte => "gte",
            Operator::Lt => "lt",
            Operator::Lte => "lte",
            Operator::And => "and",
            Operator::Or => "or",
            Operator::Not => "not",
            Operator::BeginsWith => "begins_with",
            Operator::EndsWith => "ends_with",
            Operator::Contains => "contains",
            Operator::In => "in",
            Operator::Matches => "matches",
            Operator::Exists => "exists",
            Operator::Split => "split",
        }
    }

    /// The operator written `name`, if any.
    pub fn from_name(name: &str) -> Option<Operator> {
        Operator::ALL.into_iter().find(|o| o.as_str() == name)
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a rule is not well formed, and where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("at character {position}: {message}")]
pub struct RuleError {
    /// The character (counted from 1 in the rule's text) where the problem starts; one past
    /// the last character when the rule ends too early.
    pub position: usize,
    /// What is wrong and what was expected.
    pub message: String,
}

/// A context key a rule reads, with the type of value the rule implies for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextKey {
    /// The key, without `$` (`"tier"` for `$tier`, `"country"` for `exists key::"country"`).
    pub name: String,
    /// The type the rule implies.
    pub kind: ContextKind,
}

/// The type a rule implies for a context key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContextKind {
    /// Compared with strings or timestamps, or used by `begins_with`, `ends_with`,
    /// `contains`, `matches` or `split by::` (the Agent receives context values as text).
    String,
    /// Compared with numbers (`(gt $age 30)`, `(in $id [1, 2])`).
    Number,
    /// Compared with `true`/`false`, or an operand of `and`, `or`, `not`.
    Boolean,
    /// The rule does not say (`exists`, two context values compared), or its uses disagree.
    Unknown,
}
