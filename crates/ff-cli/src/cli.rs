//! The command line: subcommands and flags (clap derive), with the help text users read.

use clap::{Args, Parser, Subcommand};

const MAIN_AFTER_HELP: &str = "\
Exit status:
  0  success
  1  the document is invalid: every problem is printed on stderr as
     FILE:LINE:COL: POINTER: message, followed by a count line
  2  usage or input error: bad JSON in --context or --default, an unreadable file,
     a bad --now, a bad --envelope expression

Examples:
  ff validate flags.json
  ff eval flags.json premium_features --context '{\"tier\": \"premium\"}'
  ff eval flags.json discount_level --context @ctx.json --default 0
  ff enabled flags.json --context '{\"tier\": \"premium\"}' --now 2022-11-18T10:00:00Z
  ff explain flags.json premium_features --context '{\"tier\": \"basic\"}'
  aws appconfigdata ... | ff validate - --envelope features";

const VALIDATE_AFTER_HELP: &str = "\
Prints one summary line and exits 0 when the document is valid:
  flags.json: valid: 5 features, 7 rules, 11 conditions

Otherwise exits 1 and prints every problem on stderr, one per line, then a count line:
  flags.json:4:18: /premium/default: expected a boolean ...
  flags.json: invalid: 1 problem

Examples:
  ff validate flags.json
  ff validate - < flags.json
  ff validate appconfig.json --envelope features";

const EVAL_AFTER_HELP: &str = "\
Prints the feature's value as one line of compact JSON: exactly what the reference's
FeatureFlags.evaluate(name=FEATURE, context=CONTEXT, default=DEFAULT) returns. A feature
the document does not have gives DEFAULT. Numbers keep Python's spelling (1.0 stays 1.0,
big integers stay exact).

Examples:
  ff eval flags.json premium_features --context '{\"tier\": \"premium\"}'
  ff eval flags.json discount_level --context @ctx.json --default 0
  ff eval flags.json christmas_campaign --now 2022-12-25T10:00:00+01:00
  echo '{\"tier\": \"gold\"}' | ff eval flags.json premium_features --context -";

const ENABLED_AFTER_HELP: &str = "\
Prints the names of the features that are on for the context, in document order, as one
line of compact JSON (the reference's get_enabled_features). A non-boolean feature counts
when its value is truthy in Python terms (a non-empty string, list or object, a non-zero
number).

Examples:
  ff enabled flags.json
  ff enabled flags.json --context '{\"tier\": \"premium\", \"basket_size\": 120}'
  ff enabled flags.json --context @ctx.json --now 2022-11-18T10:00:00Z";

const EXPLAIN_AFTER_HELP: &str = "\
Prints which rules were tried, in document order, how each condition came out (matched,
did not match, key missing, type mismatch) and where the value came from. Context values
are not printed, only the document's.

Examples:
  ff explain flags.json premium_features --context '{\"tier\": \"basic\"}'
  ff explain flags.json christmas_campaign --now 2022-12-25T10:00:00Z";

const FILE_HELP: &str = "The feature-flags document (JSON); `-` reads it from stdin";

/// Typed feature flags: validate, evaluate and explain Powertools feature-flags documents.
///
/// The documents are those that Powertools for AWS Lambda (Python) evaluates (stored in AWS
/// AppConfig or a file); ff evaluates them exactly as the reference does.
#[derive(Debug, Parser)]
#[command(name = "ff", version, propagate_version = true, after_help = MAIN_AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a document: report every problem with its line, column and JSON pointer
    #[command(after_help = VALIDATE_AFTER_HELP)]
    Validate(ValidateArgs),
    /// Print a feature's value for a context, as one line of JSON
    #[command(after_help = EVAL_AFTER_HELP)]
    Eval(EvalArgs),
    /// Print the features that are on for a context, as a JSON array of names
    #[command(after_help = ENABLED_AFTER_HELP)]
    Enabled(EnabledArgs),
    /// Explain how a feature evaluates for a context, rule by rule
    #[command(after_help = EXPLAIN_AFTER_HELP)]
    Explain(ExplainArgs),
    /// Print the typed Rust code that ff-build generates for a document
    #[command(after_help = GENERATE_AFTER_HELP)]
    Generate(GenerateArgs),
    /// List what changed between two documents, marking changes that break compiled code
    #[command(after_help = DIFF_AFTER_HELP)]
    Diff(DiffArgs),
}

const DIFF_AFTER_HELP: &str = "\
Lists features added (+), removed (-) and changed (~) in type, default or rules, and the
context keys the rules use, marking [breaking] the changes that stop code generated from OLD
(by ff-build or #[feature_flags]) from compiling: a feature removed, an accessor whose type
changes, a context key removed or retyped. Ends with a summary line.

Exit status: 0 when nothing breaks compiled code (with --strict: when nothing changed at
all), 1 otherwise (or when a document is invalid), 2 on input errors.

Examples:
  ff diff flags.json live.json
  ff diff flags.json live.json --strict     # in CI: the compiled document must be the live one";

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The document the code was generated from (`-` for stdin)
    #[arg(value_name = "OLD")]
    pub old: String,

    /// The document to compare it with, e.g. the live one (`-` for stdin)
    #[arg(value_name = "NEW")]
    pub new: String,

    /// Exit 1 on any change, not only on breaking ones
    #[arg(long)]
    pub strict: bool,
}

const GENERATE_AFTER_HELP: &str = "\
Prints the code that `ff_build::Builder` writes to OUT_DIR (and that #[feature_flags]
expands to) for FILE: the typed `Flags`, `FlagsSnapshot`, `Context` and `FlagName`, one
accessor per feature. An invalid document exits 1 with every problem, as `ff validate`.

Examples:
  ff generate flags.json | less
  ff generate flags.json --visibility 'pub(crate)' -o src/flags.rs";

#[derive(Debug, Args)]
pub struct GenerateArgs {
    #[arg(value_name = "FILE", help = FILE_HELP)]
    pub file: String,

    /// Visibility of the generated items (`pub`, `pub(crate)`, …) [default: pub]
    #[arg(long, value_name = "VIS")]
    pub visibility: Option<String>,

    /// Write the code to this file instead of stdout
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[arg(value_name = "FILE", help = FILE_HELP)]
    pub file: String,

    #[arg(long, value_name = "EXPR", help = ENVELOPE_HELP, long_help = ENVELOPE_LONG_HELP)]
    pub envelope: Option<String>,
}

const ENVELOPE_HELP: &str = "JMESPath expression selecting the feature document inside FILE";

const ENVELOPE_LONG_HELP: &str = "\
JMESPath expression selecting the feature document inside FILE (the reference's
`envelope`, e.g. `features` in {\"log_level\": \"INFO\", \"features\": {...}}). It is
applied to the raw document before validation; selecting nothing (null) is an invalid
document (exit 1).

Where problems are reported: when EXPR is a plain field path (`features`,
`config.features`, `\"my-app\".flags`), each problem keeps its line:column in FILE and its
pointer is the full pointer from FILE's root (`/features/premium/default`). For any other
expression the selected document is not a part of FILE's text, so problems are reported
without line:column, as `FILE: POINTER: message`, with pointers relative to the selected
document.";

/// The inputs of an evaluation: context, clock and envelope.
#[derive(Debug, Args)]
pub struct EvaluationArgs {
    /// The evaluation context: inline JSON, `@FILE` to read a file, or `-` for stdin
    /// [default: {}]
    ///
    /// It must be a JSON object (`null` means an empty context, as the reference treats
    /// None). Keys are literal: `"user.tier"` is one key, with no path traversal.
    #[arg(long, value_name = "JSON|@FILE|-", allow_hyphen_values = true)]
    pub context: Option<String>,

    /// The instant the clock reads, for the SCHEDULE_* actions [default: the system clock]
    ///
    /// An RFC 3339 instant (`2022-11-18T10:00:00Z`, `2022-11-18T11:00:00+01:00`), or a
    /// date-time without offset (`2022-11-18T10:00:00`), which is taken as UTC.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,

    #[arg(long, value_name = "EXPR", help = ENVELOPE_HELP, long_help = ENVELOPE_LONG_HELP)]
    pub envelope: Option<String>,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    #[arg(value_name = "FILE", help = FILE_HELP)]
    pub file: String,

    /// The feature's name (case-sensitive)
    #[arg(value_name = "FEATURE")]
    pub feature: String,

    /// The caller's default, as JSON, returned when the document has no such feature
    /// [default: false]
    ///
    /// Inline JSON (`0`, `'"blue"'`, `'{"level": 1}'`), `@FILE` to read a file, or `-` for
    /// stdin. It never replaces the feature's own `default`.
    #[arg(long, value_name = "JSON|@FILE|-", allow_hyphen_values = true)]
    pub default: Option<String>,

    #[command(flatten)]
    pub evaluation: EvaluationArgs,
}

#[derive(Debug, Args)]
pub struct EnabledArgs {
    #[arg(value_name = "FILE", help = FILE_HELP)]
    pub file: String,

    #[command(flatten)]
    pub evaluation: EvaluationArgs,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[arg(value_name = "FILE", help = FILE_HELP)]
    pub file: String,

    /// The feature's name (case-sensitive)
    #[arg(value_name = "FEATURE")]
    pub feature: String,

    #[command(flatten)]
    pub evaluation: EvaluationArgs,
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
