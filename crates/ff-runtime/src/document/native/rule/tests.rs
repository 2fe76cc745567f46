//! Tests of the rule parser and of the context keys.

use super::*;
use proptest::prelude::*;

fn call(operator: Operator, args: Vec<Expr>) -> Expr {
    Expr::Call { operator, args: args.into_iter().map(|value| Argument { name: None, value }).collect() }
}

fn named(name: &str, value: Expr) -> Argument {
    Argument { name: Some(name.to_owned()), value }
}

#[test]
fn documented_examples_parse() {
    assert_eq!(parse(r#"(eq $state "Virginia")"#), Ok(call(Operator::Eq, vec![Expr::Context("state".into()), Expr::String("Virginia".into())])));
    assert_eq!(
        parse("(and\n    (eq $state \"Virginia\")\n    (gt $age 65)\n)"),
        Ok(call(
            Operator::And,
            vec![
                call(Operator::Eq, vec![Expr::Context("state".into()), Expr::String("Virginia".into())]),
                call(Operator::Gt, vec![Expr::Context("age".into()), Expr::Integer(65)]),
            ]
        ))
    );
    assert_eq!(
        parse(r#"(in $userId ["123", "456"])"#),
        Ok(call(Operator::In, vec![Expr::Context("userId".into()), Expr::Array(vec![Expr::String("123".into()), Expr::String("456".into())])]))
    );
    assert_eq!(
        parse(r#"(split pct::10 by::$userId seed::"abc")"#),
        Ok(Expr::Call {
            operator: Operator::Split,
            args: vec![named("pct", Expr::Integer(10)), named("by", Expr::Context("userId".into())), named("seed", Expr::String("abc".into()))]
        })
    );
    assert_eq!(
        parse(r#"(matches in::$greeting pattern::"h.*y")"#),
        Ok(Expr::Call { operator: Operator::Matches, args: vec![named("in", Expr::Context("greeting".into())), named("pattern", Expr::String("h.*y".into()))] })
    );
    for ok in [
        r#"(exists key::"country")"#,
        r#"(not (eq $state "Virginia"))"#,
        r#"(begins_with $state "A")"#,
        r#"(ends_with $email "amazon.com")"#,
        r#"(contains $promoCode "WIN")"#,
        "(split by::$uniqueId pct::20)",
        "(gte $age 65)",
        "(lte $age 65)",
        "(lt $score 1.234e-5)",
        "(gt $when 2012-03-04T05:06:07-08:00)",
        "(lt $when 2024-01)",
        "(or (eq $a true) (eq $b -7) (eq $c 3.14))",
    ] {
        assert!(parse(ok).is_ok(), "{ok}: {:?}", parse(ok));
    }
    assert_eq!(parse("(gt $t 2024-01-02T03:04Z)"), Ok(call(Operator::Gt, vec![Expr::Context("t".into()), Expr::Timestamp("2024-01-02T03:04Z".into())])));
    assert_eq!(parse(r#"(eq $s "a \"q\" \\")"#), Ok(call(Operator::Eq, vec![Expr::Context("s".into()), Expr::String(r#"a "q" \"#.into())])));
}

fn error(rule: &str) -> String {
    parse(rule).unwrap_err().to_string()
}

#[test]
fn errors_name_the_character() {
    assert_eq!(error(""), "at character 1: the rule is empty: expected an expression `(operator operand...)`");
    assert_eq!(error("  $tier"), "at character 3: a rule is one expression in parentheses, `(operator operand...)`");
    assert_eq!(
        error(r#"(equals $tier "gold")"#),
        "at character 2: unknown operator `equals` (did you mean `eq`?); the operators are eq, gt, gte, lt, lte, and, or, not, begins_with, ends_with, contains, in, matches, exists, split"
    );
    assert_eq!(error(r#"(eq $tier "gold""#), "at character 1: the `(eq` expression is not closed: expected `)`");
    assert_eq!(error(r#"(eq $tier "gold)"#), "at character 11: the string is not closed: expected `\"`");
    assert_eq!(error(r#"(eq $tier "gold") x"#), "at character 19: unexpected text after the rule's expression (a rule is one expression)");
    assert_eq!(error(r#"(eq $tier "a" "b")"#), "at character 15: `eq` takes two operands, found 3");
    assert_eq!(error("(not)"), "at character 1: `not` takes one operand, found 0");
    assert_eq!(error("(and (eq $a 1))"), "at character 1: `and` takes two operands or more, found 1");
    assert_eq!(error("(split pct::10)"), "at character 1: `split` needs `by::` (it takes pct::, by::, seed::)");
    assert_eq!(error("(split pct::10 by::$u pct::5)"), "at character 23: `pct::` is given twice");
    assert_eq!(error("(split pct::\"ten\" by::$u)"), "at character 8: `pct::` of `split` takes a number (the percentage)");
    assert_eq!(error("(split pct::10 by::\"u\")"), "at character 16: `by::` of `split` takes a context value (`by::$userId`)");
    assert_eq!(error("(split pct::10 by::$u salt::\"x\")"), "at character 23: `split` takes no operand `salt::`; it takes pct::, by::, seed::");
    assert_eq!(error("(exists $country)"), "at character 9: `exists` takes named operands (key::), not a positional one");
    assert_eq!(error("(eq by::$a 1)"), "at character 5: `eq` takes no named operand `by::`");
    assert_eq!(error("(eq $ 1)"), "at character 5: `$` must be followed by a context key name (`$userId`)");
    assert_eq!(error("(eq $a gold)"), "at character 8: unexpected `gold`: expected a string in double quotes, a number, a timestamp, true, false, a context value `$name`, an array `[...]` or an expression `(...)`");
    assert_eq!(error("(gt $a 99999999999999999999)"), "at character 8: the integer 99999999999999999999 is outside the 64-bit range");
    assert_eq!(error("(in $a [\"x\",, \"y\"])"), "at character 13: expected an array element after `,`");
    assert_eq!(error("(in $a [\"x\""), "at character 8: the array is not closed: expected `]`");
    assert_eq!(error("()"), "at character 2: expected an operator after `(`");
    assert_eq!(error("(eq $a )"), "at character 1: `eq` takes two operands, found 1");
}

#[test]
fn nesting_is_bounded() {
    let deep = format!("{}(eq $a 1){}", "(not ".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert_eq!(error(&deep), format!("at character {}: expressions and arrays nest deeper than {MAX_DEPTH} levels", 5 * MAX_DEPTH + 1));
    let fits = format!("{}(eq $a 1){}", "(not ".repeat(MAX_DEPTH - 1), ")".repeat(MAX_DEPTH - 1));
    assert!(parse(&fits).is_ok());
}

fn keys(rule: &str) -> Vec<(String, ContextKind)> {
    context_keys(&parse(rule).unwrap()).into_iter().map(|k| (k.name, k.kind)).collect()
}

#[test]
fn context_keys_take_their_type_from_the_operators_and_operands() {
    use ContextKind::*;
    assert_eq!(keys(r#"(eq $tier "gold")"#), [("tier".to_owned(), String)]);
    assert_eq!(keys("(gt $age 30)"), [("age".to_owned(), Number)]);
    assert_eq!(keys("(eq 30 $age)"), [("age".to_owned(), Number)]);
    assert_eq!(keys("(eq $beta true)"), [("beta".to_owned(), Boolean)]);
    assert_eq!(keys("(split pct::10 by::$userId)"), [("userId".to_owned(), String)]);
    assert_eq!(keys(r#"(matches in::$greeting pattern::"h.*y")"#), [("greeting".to_owned(), String)]);
    assert_eq!(keys(r#"(ends_with $email "amazon.com")"#), [("email".to_owned(), String)]);
    assert_eq!(keys("(in $id [1, 2, 3])"), [("id".to_owned(), Number)]);
    assert_eq!(keys(r#"(in $id [1, "2"])"#), [("id".to_owned(), Unknown)]);
    assert_eq!(keys("(lt $when 2024-01)"), [("when".to_owned(), String)]);
    assert_eq!(keys(r#"(exists key::"country")"#), [("country".to_owned(), Unknown)]);
    assert_eq!(keys(r#"(and (exists key::"country") (eq $country "FR"))"#), [("country".to_owned(), String)]);
    assert_eq!(keys("(eq $a $b)"), [("a".to_owned(), Unknown), ("b".to_owned(), Unknown)]);
    assert_eq!(keys("(and $beta (not $legacy))"), [("beta".to_owned(), Boolean), ("legacy".to_owned(), Boolean)]);
    assert_eq!(
        keys(r#"(or (eq $tier "gold") (and (eq $tier 3) (gte $orders 10)))"#),
        [("tier".to_owned(), Unknown), ("orders".to_owned(), Number)]
    );
}

proptest! {
    #[test]
    fn parsing_never_panics(rule in ".{0,200}") {
        let _ = parse(&rule);
    }

    #[test]
    fn parsing_never_panics_on_rule_like_text(rule in r#"[()\[\]" $a-z0-9:,.\\-]{0,120}"#) {
        if let Ok(expr) = parse(&rule) {
            let _ = context_keys(&expr);
        }
    }
}
