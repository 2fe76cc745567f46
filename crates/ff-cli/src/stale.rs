//! `ff stale FILE`: the features that can go, each with its reason: expired (lifecycle
//! metadata), constant (every evaluation gives the same value), rules that can never be
//! reached, and with `--crate PATH` features that crate never reads (`crate::unread`).
//! Exit 1 when something is listed, for CI.

use ff_runtime::document::metadata::Date;
use ff_runtime::{Condition, Document, Feature, Rule};

use crate::input::Stdin;
use crate::load::{self, Loaded};
use crate::Failure;

/// The help text after the options.
pub const AFTER_HELP: &str = "\
Lists, one per line, what can be removed from the document, and why:
  expired        the feature's \"x-ff\" metadata has an `expires` date that is today or past
  constant       no rules, or every rule's when_match equals the default (Python's ==,
                 so 1 == 1.0 == true): every evaluation gives the same value
  unreachable    a rule whose conditions include every condition of an earlier rule
                 (written the same way): whenever it would match, the earlier one already did
  never read     with --crate PATH: the crate never calls the feature's accessors (one line
                 per compiled target, library or binary, that does not)
Then a count line. Exit status: 1 when something is listed (for CI), 0 when nothing is,
2 on input errors; an invalid document exits 1 with every problem, as `ff validate`.

The date compared with `expires` is --today, else the UTC date of SOURCE_DATE_EPOCH when
that is set (reproducible builds), else today's (UTC).

--crate PATH runs `cargo check --message-format=json` on the crate at PATH (its directory or
its Cargo.toml; its lib and bin targets) with FF_WARN_UNUSED=1, which turns ff-build's
warn_unused on for every document the crate generates flags for (build script or
#[feature_flags]), and lists the features of FILE whose marker function (`feature_NAME`)
rustc reports as never used. Give --rename as the crate's build does. A crate that exports
its flags (a library with `pub mod flags` and `pub` items) reads everything, as far as
rustc can tell. The crate must compile; cargo's progress goes to stderr.

Examples:
  ff stale flags.json
  ff stale flags.json --today 2025-07-01
  ff stale config.json --envelope features
  ff stale flags.json --crate .";

/// `ff stale`'s arguments.
#[derive(Debug, clap::Args)]
pub struct StaleArgs {
    /// The feature-flags document (JSON); `-` reads it from stdin
    #[arg(value_name = "FILE")]
    pub file: String,

    /// The date to compare expiry dates with, YYYY-MM-DD [default: today, or SOURCE_DATE_EPOCH's]
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,

    /// JMESPath expression selecting the feature document inside FILE
    #[arg(long, value_name = "EXPR")]
    pub envelope: Option<String>,

    /// Also list the features the crate at PATH (directory or Cargo.toml) never reads
    #[arg(long = "crate", value_name = "PATH")]
    pub krate: Option<String>,

    /// With --crate: a feature's Rust name, as the crate's build renames it (dark-mode=dark_mode_legacy); repeat for several
    #[arg(long = "rename", value_name = "NAME=RUST", value_parser = crate::cli::parse_rename, requires = "krate")]
    pub renames: Vec<(String, String)>,
}

/// Why a feature (or one of its rules) can go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// Its metadata's `expires` is on or before today.
    Expired { expires: Date, owner: Option<String> },
    /// It has no rules: always its default (shown as JSON).
    NoRules { default: String },
    /// Every rule gives the default (Python's `==`).
    EveryRuleGivesTheDefault { default: String },
    /// Rule `rule` can never match first: its conditions include all of `earlier`'s.
    Unreachable { rule: String, earlier: String },
    /// The crate (compiled target) `krate` never reads the feature (`--crate`).
    NeverRead { krate: String },
}

/// One thing `ff stale` lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub feature: String,
    pub reason: Reason,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}: ", self.feature)?;
        match &self.reason {
            Reason::Expired { expires, owner: Some(owner) } => write!(f, "expired on {expires} (owner: {owner})"),
            Reason::Expired { expires, owner: None } => write!(f, "expired on {expires}"),
            Reason::NoRules { default } => write!(f, "constant: no rules, always {default}"),
            Reason::EveryRuleGivesTheDefault { default } => {
                write!(f, "constant: every rule gives the default, always {default}")
            }
            Reason::Unreachable { rule, earlier } => write!(
                f,
                "unreachable rule {rule:?}: it has every condition of the earlier rule {earlier:?}, which matches first"
            ),
            Reason::NeverRead { krate } => write!(f, "never read by crate {krate}"),
        }
    }
}

/// Everything that can go from `document` on `today`, in document order.
pub fn find(document: &Document, today: Date) -> Vec<Finding> {
    let mut out = Vec::new();
    for feature in document.features() {
        let mut found = |reason| out.push(Finding { feature: feature.name.clone(), reason });
        if feature.metadata.is_expired(today) {
            if let Some(expires) = feature.metadata.expires {
                found(Reason::Expired { expires, owner: feature.metadata.owner.clone() });
            }
        }
        if let Some(reason) = constant(feature) {
            // A constant feature's rules do not matter: say only that.
            found(reason);
            continue;
        }
        for (j, rule) in feature.rules.iter().enumerate() {
            if let Some(earlier) = feature.rules[..j].iter().find(|earlier| implies(earlier, rule)) {
                found(Reason::Unreachable { rule: rule.name.clone(), earlier: earlier.name.clone() });
            }
        }
    }
    out
}

/// Whether every evaluation of `feature` gives the same value (Python's `==`).
fn constant(feature: &Feature) -> Option<Reason> {
    let default = feature.default.to_json();
    if feature.rules.is_empty() {
        return Some(Reason::NoRules { default });
    }
    // `Value`'s `==` is Python's (`1 == 1.0 == true`); an absent when_match is null, which
    // no default equals (a default is never null).
    feature
        .rules
        .iter()
        .all(|rule| *rule.value() == feature.default)
        .then_some(Reason::EveryRuleGivesTheDefault { default })
}

/// Whether `earlier` matches whenever `later` does: every condition of `earlier` is one of
/// `later`'s, written the same way (conditions are ANDed, and within one evaluation a
/// condition gives the same result wherever it appears: the context and the clock reading
/// are the same). Conservative: conditions that are equivalent but written differently
/// (`1` and `1.0`, `IN` and `KEY_IN_VALUE`) do not count.
fn implies(earlier: &Rule, later: &Rule) -> bool {
    earlier
        .conditions
        .iter()
        .all(|c| later.conditions.iter().any(|d| same_condition(c, d)))
}

fn same_condition(a: &Condition, b: &Condition) -> bool {
    a.action == b.action && a.key == b.key && a.value.to_json() == b.value.to_json()
}

/// Runs `ff stale`.
pub fn run(args: StaleArgs, stdin: &mut Stdin) -> Result<(), Failure> {
    let today = match args.today.as_deref() {
        Some(text) => text.parse::<Date>().map_err(|e| Failure::Input(format!("--today: {e}")))?,
        None => Date::today_or_source_date_epoch().map_err(Failure::Input)?,
    };
    let Loaded { name, document, .. } = load::load(&args.file, args.envelope.as_deref(), stdin)?;
    let mut findings = find(&document, today);
    if let Some(path) = &args.krate {
        let unread = crate::unread::find(&document, &args.renames, path)?;
        findings.extend(unread.into_iter().map(|u| Finding {
            feature: document.features()[u.index].name.clone(),
            reason: Reason::NeverRead { krate: u.krate },
        }));
        // In document order, each feature's findings together (a stable sort).
        let position = |f: &Finding| document.features().iter().position(|g| g.name == f.feature);
        findings.sort_by_key(position);
    }
    let mut text: String = findings.iter().map(|f| format!("{name}: {f}\n")).collect();
    let features = {
        let mut names: Vec<&str> = findings.iter().map(|f| f.feature.as_str()).collect();
        names.dedup();
        names.len()
    };
    if findings.is_empty() {
        text.push_str(&format!("{name}: nothing stale on {today} ({})", crate::summary(&document)));
    } else {
        text.push_str(&format!(
            "{name}: {} finding{} in {features} of {} feature{} on {today}",
            findings.len(),
            crate::plural(findings.len()),
            document.len(),
            crate::plural(document.len())
        ));
    }
    crate::emit(&text)?;
    if !findings.is_empty() {
        std::process::exit(1);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(json: &str, today: &str) -> Vec<String> {
        let document = Document::parse(json).unwrap();
        find(&document, today.parse().unwrap()).iter().map(ToString::to_string).collect()
    }

    fn rule(name: &str, when_match: &str, conditions: &[&str]) -> String {
        format!(r#""{name}": {{"when_match": {when_match}, "conditions": [{}]}}"#, conditions.join(", "))
    }

    const GOLD: &str = r#"{"action": "EQUALS", "key": "tier", "value": "gold"}"#;
    const BIG: &str = r#"{"action": "KEY_GREATER_THAN_VALUE", "key": "basket", "value": 100}"#;
    const BIG_FLOAT: &str = r#"{"action": "KEY_GREATER_THAN_VALUE", "key": "basket", "value": 100.0}"#;

    #[test]
    fn expired_on_and_after_the_date() {
        let doc = r#"{"f": {"default": true, "rules": {"r": {"when_match": false, "conditions": [{"action": "EQUALS", "key": "k", "value": 1}]}},
                      "x-ff": {"expires": "2025-06-30", "owner": "payments"}}}"#;
        assert!(findings(doc, "2025-06-29").is_empty());
        assert_eq!(findings(doc, "2025-06-30"), [r#""f": expired on 2025-06-30 (owner: payments)"#]);
    }

    #[test]
    fn constant_features() {
        let doc = format!(
            r#"{{"none": {{"default": 3, "boolean_type": false}},
                "same": {{"default": 1, "boolean_type": false, "rules": {{{}, {}}}}},
                "differs": {{"default": 1, "boolean_type": false, "rules": {{{}, {}}}}},
                "absent": {{"default": 1, "boolean_type": false, "rules": {{"r": {{"conditions": [{GOLD}]}}}}}}}}"#,
            rule("a", "1.0", &[GOLD]),
            rule("b", "true", &[BIG]),
            rule("a", "1", &[GOLD]),
            rule("b", "2", &[BIG]),
        );
        assert_eq!(
            findings(&doc, "2025-01-01"),
            [r#""none": constant: no rules, always 3"#, r#""same": constant: every rule gives the default, always 1"#]
        );
    }

    #[test]
    fn rules_implied_by_an_earlier_rule() {
        let doc = format!(
            r#"{{"f": {{"default": false, "rules": {{{}, {}, {}, {}, {}}}}}}}"#,
            rule("gold", "true", &[GOLD]),
            rule("gold and big", "true", &[BIG, GOLD]),
            rule("big", "true", &[BIG]),
            rule("big again", "false", &[BIG]),
            rule("big as float", "true", &[BIG_FLOAT]),
        );
        assert_eq!(
            findings(&doc, "2025-01-01"),
            [
                r#""f": unreachable rule "gold and big": it has every condition of the earlier rule "gold", which matches first"#,
                r#""f": unreachable rule "big again": it has every condition of the earlier rule "big", which matches first"#,
            ]
        );
    }
}
