//! The command line: subcommands and flags (clap derive), with the help text users read.

use clap::error::ErrorKind;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

const MAIN_AFTER_HELP: &str = "\
Exit status:
  0  success
  1  the document is invalid: every problem is printed on stderr as
     FILE:LINE:COL: POINTER: message, followed by a count line;
     or AWS AppConfig failed (--appconfig, pull, push): the AWS error is named
  2  usage or input error: bad JSON in --context or --default, an unreadable file,
     a bad --now, a bad --envelope expression, a bad APP/ENV/PROFILE, or --appconfig
     in an ff built without the `appconfig` feature

AWS AppConfig (--appconfig APP/ENV/PROFILE, ff pull, ff push) needs ff built with the
`appconfig` feature:
  cargo install --locked --path crates/ff-cli --features appconfig     # from ff's repository
Region, credentials and endpoint come from the standard AWS environment (AWS_REGION,
AWS_PROFILE, AWS_ACCESS_KEY_ID, AWS_ENDPOINT_URL_APPCONFIGDATA, AWS_ENDPOINT_URL_APPCONFIG...).

Examples:
  ff validate flags.json
  ff eval flags.json premium_features --context '{\"tier\": \"premium\"}'
  ff eval flags.json discount_level --context @ctx.json --default 0
  ff enabled flags.json --context '{\"tier\": \"premium\"}' --now 2022-11-18T10:00:00Z
  ff explain flags.json premium_features --context '{\"tier\": \"basic\"}'
  ff validate - --envelope features < config.json
  ff eval --appconfig shop/prod/features premium_features --context @ctx.json
  ff pull --appconfig shop/prod/features -o flags.json
  ff push --appconfig shop/prod/features flags.json";

const VALIDATE_AFTER_HELP: &str = "\
Checks each FILE on its own. Prints one summary line for each valid document:
  flags.json: valid: 5 features, 7 rules, 11 conditions

and for each invalid one every problem on stderr, one per line, then a count line:
  flags.json:4:18: /premium/default: expected a boolean ...
  flags.json: invalid: 1 problem

Warnings, on stderr, flag what the reference accepts but is most likely a mistake: an
unknown key near a known one (`when_macth`: the reference ignores it, so the rule has no
`when_match`), or a key repeated in one object (the last one is in force). They do not
make the document invalid, unless --strict.

Exit status: 0 when every document is valid (and, with --strict, has no warnings), 1
otherwise, 2 when a file cannot be read.

A stored AWS.AppConfig.FeatureFlags document (AWS AppConfig's own format) is recognised
and checked as AWS would check the upload (see --format):
  flags.json: valid: AWS.AppConfig.FeatureFlags stored document: 4 flags (3 enabled), ...

Examples:
  ff validate flags.json
  ff validate flags/*.json --strict
  ff validate - < flags.json
  ff validate appconfig.json --envelope features
  ff validate retrieved.json --format appconfig";

const EVAL_AFTER_HELP: &str = "\
Prints the feature's value as one line of compact JSON: exactly what the reference's
FeatureFlags.evaluate(name=FEATURE, context=CONTEXT, default=DEFAULT) returns. A feature
the document does not have gives DEFAULT. Numbers keep Python's spelling (1.0 stays 1.0,
big integers stay exact).

With --appconfig APP/ENV/PROFILE the document is the one deployed to AWS AppConfig
(application, environment and configuration profile, by name or ID) and the only
positional argument is FEATURE. Failing to read it is an error (exit 1, the AWS error
named): there is no last good document to fall back to.

Examples:
  ff eval flags.json premium_features --context '{\"tier\": \"premium\"}'
  ff eval flags.json discount_level --context @ctx.json --default 0
  ff eval flags.json christmas_campaign --now 2022-12-25T10:00:00+01:00
  echo '{\"tier\": \"gold\"}' | ff eval flags.json premium_features --context -
  ff eval --appconfig shop/prod/features premium_features --context '{\"tier\": \"gold\"}'
  ff eval native-flags.json checkout        # AWS AppConfig's format: {\"enabled\":true,...}";

const ENABLED_AFTER_HELP: &str = "\
Prints the names of the features that are on for the context, in document order, as one
line of compact JSON (the reference's get_enabled_features). A non-boolean feature counts
when its value is truthy in Python terms (a non-empty string, list or object, a non-zero
number).

With --appconfig APP/ENV/PROFILE the document is the one deployed to AWS AppConfig, and
FILE is not given. Failing to read it is an error (exit 1, the AWS error named).

Examples:
  ff enabled flags.json
  ff enabled flags.json --context '{\"tier\": \"premium\", \"basket_size\": 120}'
  ff enabled flags.json --context @ctx.json --now 2022-11-18T10:00:00Z
  ff enabled --appconfig shop/prod/features --context '{\"tier\": \"premium\"}'";

const EXPLAIN_AFTER_HELP: &str = "\
Prints which rules were tried, in document order, how each condition came out (matched,
did not match, key missing, type mismatch) and where the value came from. Context values
are not printed, only the document's.

With --appconfig APP/ENV/PROFILE the document is the one deployed to AWS AppConfig and
the only positional argument is FEATURE (exit 1, the AWS error named, when it cannot be
read).

Examples:
  ff explain flags.json premium_features --context '{\"tier\": \"basic\"}'
  ff explain flags.json christmas_campaign --now 2022-12-25T10:00:00Z
  ff explain --appconfig shop/prod/features premium_features --context @ctx.json";

const FILE_HELP: &str = "The feature-flags document (JSON); `-` reads it from stdin";

const FILE_OR_APPCONFIG_HELP: &str =
    "The feature-flags document (JSON); `-` reads it from stdin. Not given with --appconfig";

const EVAL_USAGE: &str = "\
ff eval [OPTIONS] <FILE> <FEATURE>
       ff eval [OPTIONS] --appconfig <APP/ENV/PROFILE> <FEATURE>";

const ENABLED_USAGE: &str = "\
ff enabled [OPTIONS] <FILE>
       ff enabled [OPTIONS] --appconfig <APP/ENV/PROFILE>";

const EXPLAIN_USAGE: &str = "\
ff explain [OPTIONS] <FILE> <FEATURE>
       ff explain [OPTIONS] --appconfig <APP/ENV/PROFILE> <FEATURE>";

const APPCONFIG_HELP: &str =
    "Read the document deployed to AWS AppConfig instead of FILE (application/environment/profile)";

const APPCONFIG_LONG_HELP: &str = "\
Read the document deployed to AWS AppConfig instead of FILE: APP/ENV/PROFILE names the
application, the environment and the configuration profile, each by name or by ID (as
the AppConfig Data API accepts them), e.g. `shop/prod/features`. Region, credentials and
endpoint come from the standard AWS environment (AWS_REGION, AWS_PROFILE,
AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL_APPCONFIGDATA, ...). The IAM
permissions needed are appconfig:StartConfigurationSession and
appconfig:GetLatestConfiguration. Any failure (unknown name, access denied, network,
nothing deployed, a document that is not JSON) exits 1 naming the AWS error.

Needs ff built with the `appconfig` feature (`cargo install --locked --path crates/ff-cli --features
appconfig` from ff's repository); otherwise exits 2 saying so.";

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
    /// Write the document deployed to AWS AppConfig to a file (or stdout), after validating it
    #[command(after_help = PULL_AFTER_HELP)]
    Pull(PullArgs),
    /// Validate a document, then create a hosted AWS AppConfig version of it and deploy it
    #[command(after_help = PUSH_AFTER_HELP)]
    Push(PushArgs),
    /// Print the JSON Schema (draft 2020-12) of the document, for editors
    #[command(after_help = crate::schema::AFTER_HELP)]
    Schema,
    /// List the features that can go: expired, constant, unreachable rules, never read by a crate (exit 1 when any)
    #[command(after_help = crate::stale::AFTER_HELP)]
    Stale(crate::stale::StaleArgs),
}

const PULL_AFTER_HELP: &str = "\
Reads the document deployed to APP/ENV/PROFILE (as `ff eval --appconfig` does), validates
it, and writes it as pretty-printed JSON: key order kept, integers exact, floats in the
spelling the reference uses. This is the document a build script (ff-build) compiles, so
`ff diff flags.json live.json` tells whether compiled code still matches the live flags.
With --envelope, the feature document that EXPR selects is written (what ff-build
compiles), not the whole stored document.

An invalid live document exits 1 with every problem (`APPCONFIG: POINTER: message`, where
APPCONFIG is `appconfig:APP/ENV/PROFILE`) and writes nothing. The file is replaced
atomically (a temporary file in the same folder, then a rename): it is never half-written.
Any AWS failure exits 1 naming the AWS error. Needs the `appconfig` feature (exit 2
otherwise; see `ff --help`).

Examples:
  ff pull --appconfig shop/prod/features -o flags.json
  ff pull --appconfig shop/prod/features > live.json
  ff pull --appconfig shop/prod/config --envelope features -o flags.json
  ff pull --appconfig shop/prod/features -o live.json && ff diff flags.json live.json --strict";

const PUSH_AFTER_HELP: &str = "\
Validates FILE first: an invalid document exits 1 with every problem, as `ff validate`
does, and nothing is sent. Then, through the AppConfig control plane, resolves APP, ENV and
PROFILE (names or IDs) and the deployment strategy (name or ID) to their IDs, creates a
hosted configuration version with FILE's exact bytes (content type application/json), and
starts a deployment of it to the environment. Prints one line with the version number and
the deployment number:
  pushed flags.json to shop/prod/features: version 4, deployment 9 (strategy AppConfig.AllAtOnce, DEPLOYING)

Both formats: a Powertools document goes to a freeform profile (AWS.Freeform); a stored
AWS.AppConfig.FeatureFlags document (\"version\": \"1\" with flags and values) is validated as
one and goes to a profile of that type, which serves it in AppConfig's retrieval format.
Each is refused by the other kind of profile before anything is created.

It does not wait for the deployment to finish: the strategy decides how long it takes
(`aws appconfig get-deployment` follows it). AppConfig runs one deployment per environment
at a time, and AppConfig.AllAtOnce bakes for 10 minutes after deploying: a push during that
time fails with ConflictException (the version is created, not deployed; the message says
so). IAM permissions needed:
appconfig:ListApplications, ListEnvironments, ListConfigurationProfiles,
ListDeploymentStrategies, the matching Get* calls, CreateHostedConfigurationVersion and
StartDeployment. Any AWS failure exits 1 naming the AWS error. Needs the `appconfig`
feature (exit 2 otherwise; see `ff --help`).

Examples:
  ff push --appconfig shop/prod/features flags.json
  ff push --appconfig shop/prod/features flags.json --strategy AppConfig.Linear50PercentEvery30Seconds
  ff push --appconfig shop/prod/features flags.json --description \"release 1.4: premium for gold\"
  ff push --appconfig shop/prod/config config.json --envelope features
  ff push --appconfig shop/prod/flags appconfig-flags.json   # a stored AWS.AppConfig.FeatureFlags document";

#[derive(Debug, Args)]
pub struct PullArgs {
    /// Where the document is deployed: APPLICATION/ENVIRONMENT/PROFILE (names or IDs)
    #[arg(long, value_name = "APP/ENV/PROFILE", required = true)]
    pub appconfig: String,

    /// Write the document to this file (atomically) instead of stdout
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<std::path::PathBuf>,

    /// JMESPath expression selecting the feature document inside the stored one; that
    /// selected document is what gets validated and written
    #[arg(long, value_name = "EXPR")]
    pub envelope: Option<String>,

    /// appconfig: the profile is of type AWS.AppConfig.FeatureFlags, whose data AppConfig
    /// serves in its retrieval format; it is validated as that and written as served
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Auto)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct PushArgs {
    /// Where to deploy: APPLICATION/ENVIRONMENT/PROFILE (names or IDs; the profile must be
    /// a hosted one)
    #[arg(long, value_name = "APP/ENV/PROFILE", required = true)]
    pub appconfig: String,

    #[arg(value_name = "FILE", help = FILE_HELP)]
    pub file: String,

    /// The deployment strategy, by name or ID [default: AppConfig.AllAtOnce]
    #[arg(long, value_name = "NAME|ID")]
    pub strategy: Option<String>,

    /// A description for the hosted configuration version and the deployment
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,

    /// JMESPath expression selecting the feature document inside FILE: that part is
    /// validated, and the whole FILE is deployed
    #[arg(long, value_name = "EXPR")]
    pub envelope: Option<String>,
}

const DIFF_AFTER_HELP: &str = "\
Lists features added (+), removed (-) and changed (~) in type, default or rules, and the
context keys the rules use, marking [breaking] the changes that stop code generated from OLD
(by ff-build or #[feature_flags]) from compiling: a feature removed, an accessor whose type
changes, a context key removed or retyped, and (!) a name of NEW that fails the build until
it is renamed: a feature or key with the Rust form of another (`dark-mode` next to
`dark_mode`), a generated method's name, or no letters. Ends with a summary line.

AWS AppConfig's own format: when OLD is a stored AWS.AppConfig.FeatureFlags document, NEW is
another stored document or the retrieval format AppConfig serves (what `ff pull` writes from
such a profile). Between stored documents, [breaking]: a flag removed, an attribute removed
or retyped (`Option` included), an enum string removed or added (an exhaustive `match` misses
it), a context key of the variant rules removed or retyped. Against the retrieval format:
a flag missing, and a live value that does not fit its field (the accessor serves the
compiled-in value). Values, `enabled`, variants and deprecations are listed, not breaking.

Exit status: 0 when nothing breaks compiled code (with --strict: when nothing changed at
all), 1 otherwise (or when a document is invalid), 2 on input errors.

Rule changes are listed edit by edit: a rule added, removed, renamed or moved (the first
matching rule wins), its when_match changed, a condition added, removed or changed, e.g.
  ~ feature `checkout`: rule \"rollout\": condition 1 (MODULO_RANGE on user_id) value {\"BASE\":100,\"START\":0,\"END\":9} -> {\"BASE\":100,\"START\":0,\"END\":19}

Examples:
  ff diff flags.json live.json
  ff diff config.json live-config.json --envelope features
  ff diff flags.json live.json --strict     # in CI: the compiled document must be the live one
  ff diff appconfig-flags.json live.json    # a stored AppConfig document vs what `ff pull` wrote";

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

    /// JMESPath expression selecting the feature document inside OLD and inside NEW (as
    /// ff-build's and the stores' envelope)
    #[arg(long, value_name = "EXPR")]
    pub envelope: Option<String>,

    /// The documents' format: auto (the default), powertools or appconfig. When OLD is a
    /// stored AWS.AppConfig.FeatureFlags document, NEW is read in AppConfig's format (a stored
    /// document or the retrieval format) whatever this says
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Auto)]
    pub format: Format,
}

const GENERATE_AFTER_HELP: &str = "\
Prints the code that `ff_build::Builder` writes to OUT_DIR (and that #[feature_flags]
expands to) for FILE: the typed `Flags`, `FlagsSnapshot`, `Context` and `FlagName`, one
accessor per feature. An invalid document exits 1 with every problem, as `ff validate`.

With --visibility, --value-type, --rename, --envelope and --warn-unused it prints what a Builder with the
same options writes, so a CI job can regenerate a checked-in copy and compare.

Examples:
  ff generate flags.json | less
  ff generate flags.json --visibility 'pub(crate)' -o src/flags.rs
  ff generate flags.json --value-type checkout_layout=crate::Layout
  ff generate flags.json --rename dark-mode=dark_mode_legacy";

/// `FEATURE=TYPE` of `--value-type` (the feature name may itself contain `=`: the type is
/// after the last one).
fn parse_value_type(arg: &str) -> Result<(String, String), String> {
    match arg.rsplit_once('=') {
        Some((feature, ty)) if !ty.trim().is_empty() => Ok((feature.to_owned(), ty.trim().to_owned())),
        _ => Err(format!("expected FEATURE=TYPE (e.g. discount=f64), found {arg:?}")),
    }
}

/// `NAME=RUST` of `--rename` (the name may itself contain `=`: the Rust name is after the
/// last one, and is checked by ff-build).
pub(crate) fn parse_rename(arg: &str) -> Result<(String, String), String> {
    match arg.rsplit_once('=') {
        Some((name, rust)) if !rust.trim().is_empty() => Ok((name.to_owned(), rust.trim().to_owned())),
        _ => Err(format!("expected NAME=RUST (e.g. dark-mode=dark_mode_legacy), found {arg:?}")),
    }
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    #[arg(value_name = "FILE", help = FILE_HELP)]
    pub file: String,

    /// Visibility of the generated items (`pub`, `pub(crate)`, …) [default: pub]
    #[arg(long, value_name = "VIS")]
    pub visibility: Option<String>,

    /// The Rust type of a non-boolean feature's accessor, as `ff_build::Builder::value_type`
    /// sets it (`discount=f64`, `layout=crate::Layout`); repeat for several features
    #[arg(long = "value-type", value_name = "FEATURE=TYPE", value_parser = parse_value_type)]
    pub value_types: Vec<(String, String)>,

    /// Gives a feature or context key another Rust name, as `ff_build::Builder::rename`
    /// (`dark-mode=dark_mode_legacy`); repeat for several
    #[arg(long = "rename", value_name = "NAME=RUST", value_parser = parse_rename)]
    pub renames: Vec<(String, String)>,

    #[arg(long, value_name = "EXPR", help = ENVELOPE_HELP, long_help = ENVELOPE_LONG_HELP)]
    pub envelope: Option<String>,

    /// Generate as `ff_build::Builder::warn_unused(true)`: rustc then warns about each feature the crate never reads
    #[arg(long)]
    pub warn_unused: bool,

    /// The document's format, as `ff_build::Builder::format`: auto (the default) generates a
    /// struct per flag for a stored AWS.AppConfig.FeatureFlags document, the Powertools
    /// accessors for any other; appconfig needs a stored document (the retrieval format has no
    /// attribute types)
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Auto)]
    pub format: Format,

    /// Write the code to this file instead of stdout
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The feature-flags documents (JSON), each checked on its own; `-` reads one from stdin
    #[arg(value_name = "FILE", required = true, num_args = 1..)]
    pub files: Vec<String>,

    #[arg(long, value_name = "EXPR", help = ENVELOPE_HELP, long_help = ENVELOPE_LONG_HELP)]
    pub envelope: Option<String>,

    /// Exit 1 on warnings too (typos such as `when_macth`, repeated keys), for CI
    #[arg(long)]
    pub strict: bool,

    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Auto, help = FORMAT_HELP, long_help = FORMAT_LONG_HELP)]
    pub format: Format,
}

/// The format of a document (`--format`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A stored AWS.AppConfig.FeatureFlags document when it is one (`"version": "1"` with
    /// `flags` and `values`), else a Powertools document
    #[default]
    Auto,
    /// A Powertools feature-flags document
    Powertools,
    /// AWS AppConfig's own feature-flags format (AWS.AppConfig.FeatureFlags): a stored
    /// document, or the retrieval format `{KEY: {"enabled": .., ATTR: ..}}`
    Appconfig,
}

const FORMAT_HELP: &str = "The document's format: auto (the default), powertools or appconfig";

const FORMAT_LONG_HELP: &str = "\
The document's format.

auto (the default) reads a stored AWS.AppConfig.FeatureFlags document (an object with
\"version\": \"1\", \"flags\" and \"values\", as the AWS console edits it) in AWS AppConfig's own
format, and anything else as a Powertools document. powertools reads a Powertools document.
appconfig reads AWS AppConfig's format: a stored document, or the retrieval format that
GetLatestConfiguration and the AppConfig Agent return ({\"dark_mode\": {\"enabled\": true,
\"color\": \"red\"}}), which auto does not recognise.

In AWS AppConfig's format each flag evaluates to its object, {\"enabled\": .., ATTRIBUTE: ..}:
for a stored document, what AWS serves without context (the attributes of an enabled
flag; for a multi-variant flag, its default variant's values and \"_variant\"). Variant
rules are checked but never evaluated: the AppConfig Agent evaluates them. --envelope does
not apply to this format.";

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

/// The inputs of an evaluation: where the document comes from (besides FILE), context,
/// clock and envelope.
#[derive(Debug, Args)]
pub struct EvaluationArgs {
    #[arg(long, value_name = "APP/ENV/PROFILE", help = APPCONFIG_HELP, long_help = APPCONFIG_LONG_HELP)]
    pub appconfig: Option<String>,

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

    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Auto, help = FORMAT_HELP, long_help = FORMAT_LONG_HELP)]
    pub format: Format,
}

#[derive(Debug, Args)]
#[command(override_usage = EVAL_USAGE)]
pub struct EvalArgs {
    // FILE and FEATURE are both optional for clap: with --appconfig the single positional
    // is FEATURE. `EvalArgs::source` checks the combination.
    #[arg(value_name = "FILE", help = FILE_OR_APPCONFIG_HELP)]
    pub file: Option<String>,

    /// The feature's name (case-sensitive)
    #[arg(value_name = "FEATURE")]
    pub feature: Option<String>,

    /// The caller's default, as JSON, returned when the document has no such feature
    /// [default: false]
    ///
    /// Inline JSON (`0`, `'"blue"'`, `'{"level": 1}'`), `@FILE` to read a file, or `-` for
    /// stdin. It never replaces the feature's own `default`.
    #[arg(long, value_name = "JSON|@FILE|-", allow_hyphen_values = true)]
    pub default: Option<String>,

    /// Print why, as one JSON object: `value`, `reason` (OpenFeature's: STATIC,
    /// TARGETING_MATCH, SPLIT, DEFAULT, or ERROR with `error` for a feature the document
    /// lacks), `variant` (the matched rule, or null) and `version` (the document's)
    #[arg(long)]
    pub details: bool,

    #[command(flatten)]
    pub evaluation: EvaluationArgs,
}

#[derive(Debug, Args)]
#[command(override_usage = ENABLED_USAGE)]
pub struct EnabledArgs {
    #[arg(value_name = "FILE", help = FILE_OR_APPCONFIG_HELP)]
    pub file: Option<String>,

    #[command(flatten)]
    pub evaluation: EvaluationArgs,
}

#[derive(Debug, Args)]
#[command(override_usage = EXPLAIN_USAGE)]
pub struct ExplainArgs {
    #[arg(value_name = "FILE", help = FILE_OR_APPCONFIG_HELP)]
    pub file: Option<String>,

    /// The feature's name (case-sensitive)
    #[arg(value_name = "FEATURE")]
    pub feature: Option<String>,

    #[command(flatten)]
    pub evaluation: EvaluationArgs,
}

/// Where an evaluating command reads its document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// FILE (`-` is stdin).
    File(String),
    /// `--appconfig APP/ENV/PROFILE`, as typed (parsed when it is used).
    AppConfig(String),
}

impl EvalArgs {
    /// The document's source and the feature's name, or a usage error (exit 2).
    pub fn source(&self) -> Result<(Source, String), clap::Error> {
        source_and_feature("eval", self.file.as_deref(), self.feature.as_deref(), &self.evaluation)
    }
}

impl ExplainArgs {
    /// The document's source and the feature's name, or a usage error (exit 2).
    pub fn source(&self) -> Result<(Source, String), clap::Error> {
        source_and_feature("explain", self.file.as_deref(), self.feature.as_deref(), &self.evaluation)
    }
}

impl EnabledArgs {
    /// The document's source, or a usage error (exit 2).
    pub fn source(&self) -> Result<Source, clap::Error> {
        match (&self.evaluation.appconfig, &self.file) {
            (Some(location), None) => Ok(Source::AppConfig(location.clone())),
            (None, Some(file)) => Ok(Source::File(file.clone())),
            (Some(location), Some(file)) => Err(usage_error(
                "enabled",
                ErrorKind::ArgumentConflict,
                format!(
                    "FILE `{file}` and --appconfig `{location}` both give the document; give one of them"
                ),
            )),
            (None, None) => Err(usage_error(
                "enabled",
                ErrorKind::MissingRequiredArgument,
                "the document is missing: give FILE, or --appconfig APP/ENV/PROFILE".to_owned(),
            )),
        }
    }
}

/// `FILE FEATURE`, or `--appconfig LOCATION FEATURE`.
fn source_and_feature(
    command: &str,
    first: Option<&str>,
    second: Option<&str>,
    evaluation: &EvaluationArgs,
) -> Result<(Source, String), clap::Error> {
    match (&evaluation.appconfig, first, second) {
        (None, Some(file), Some(feature)) => Ok((Source::File(file.to_owned()), feature.to_owned())),
        (Some(location), Some(feature), None) => Ok((Source::AppConfig(location.clone()), feature.to_owned())),
        (Some(location), Some(file), Some(_)) => Err(usage_error(
            command,
            ErrorKind::ArgumentConflict,
            format!(
                "with --appconfig `{location}` the document comes from AWS AppConfig: give FEATURE \
                 only, not FILE `{file}` too"
            ),
        )),
        (Some(_), None, _) => Err(usage_error(
            command,
            ErrorKind::MissingRequiredArgument,
            "FEATURE is missing: the feature's name, after --appconfig APP/ENV/PROFILE".to_owned(),
        )),
        (None, Some(_), None) => Err(usage_error(
            command,
            ErrorKind::MissingRequiredArgument,
            "FEATURE is missing: the feature's name, after FILE".to_owned(),
        )),
        (None, None, _) => Err(usage_error(
            command,
            ErrorKind::MissingRequiredArgument,
            "FILE and FEATURE are missing: give FILE FEATURE, or --appconfig APP/ENV/PROFILE FEATURE"
                .to_owned(),
        )),
    }
}

/// A clap usage error of `ff COMMAND` (exit 2, with the command's usage).
fn usage_error(command: &str, kind: ErrorKind, message: String) -> clap::Error {
    let mut cli = Cli::command();
    cli.build();
    match cli.find_subcommand_mut(command) {
        Some(sub) => sub.error(kind, message),
        None => cli.error(kind, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("ff").chain(args.iter().copied()))
    }

    fn eval_source(args: &[&str]) -> Result<(Source, String), ErrorKind> {
        match parse(args).map_err(|e| e.kind())?.command {
            Command::Eval(a) => a.source().map_err(|e| e.kind()),
            Command::Explain(a) => a.source().map_err(|e| e.kind()),
            other => panic!("{other:?}"),
        }
    }

    fn enabled_source(args: &[&str]) -> Result<Source, ErrorKind> {
        match parse(args).map_err(|e| e.kind())?.command {
            Command::Enabled(a) => a.source().map_err(|e| e.kind()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn eval_and_explain_take_file_feature_or_appconfig_feature() {
        for command in ["eval", "explain"] {
            assert_eq!(
                eval_source(&[command, "flags.json", "premium"]),
                Ok((Source::File("flags.json".into()), "premium".into()))
            );
            assert_eq!(
                eval_source(&[command, "-", "premium", "--context", "{}"]),
                Ok((Source::File("-".into()), "premium".into()))
            );
            let appconfig = Ok((Source::AppConfig("shop/prod/features".into()), "premium".into()));
            assert_eq!(eval_source(&[command, "--appconfig", "shop/prod/features", "premium"]), appconfig);
            assert_eq!(eval_source(&[command, "premium", "--appconfig", "shop/prod/features"]), appconfig);
            assert_eq!(eval_source(&[command, "--appconfig=shop/prod/features", "premium"]), appconfig);
            // The location is parsed when it is used, so any text gets here.
            assert_eq!(
                eval_source(&[command, "--appconfig", "nonsense", "premium"]),
                Ok((Source::AppConfig("nonsense".into()), "premium".into()))
            );
            assert_eq!(
                eval_source(&[command, "--appconfig", "a/b/c", "flags.json", "premium"]),
                Err(ErrorKind::ArgumentConflict)
            );
            assert_eq!(eval_source(&[command, "--appconfig", "a/b/c"]), Err(ErrorKind::MissingRequiredArgument));
            assert_eq!(eval_source(&[command, "flags.json"]), Err(ErrorKind::MissingRequiredArgument));
            assert_eq!(eval_source(&[command]), Err(ErrorKind::MissingRequiredArgument));
            assert_eq!(eval_source(&[command, "--appconfig"]).unwrap_err(), ErrorKind::InvalidValue);
            assert_eq!(eval_source(&[command, "a", "b", "c"]).unwrap_err(), ErrorKind::UnknownArgument);
        }
        // --default still belongs to eval only.
        assert!(parse(&["explain", "f.json", "x", "--default", "1"]).is_err());
    }

    #[test]
    fn enabled_takes_file_or_appconfig() {
        assert_eq!(enabled_source(&["enabled", "flags.json"]), Ok(Source::File("flags.json".into())));
        assert_eq!(enabled_source(&["enabled", "--appconfig", "a/b/c"]), Ok(Source::AppConfig("a/b/c".into())));
        assert_eq!(enabled_source(&["enabled", "--appconfig", "a/b/c", "f.json"]), Err(ErrorKind::ArgumentConflict));
        assert_eq!(enabled_source(&["enabled"]), Err(ErrorKind::MissingRequiredArgument));
    }

    #[test]
    fn pull_and_push_need_appconfig() {
        match parse(&["pull", "--appconfig", "a/b/c", "-o", "out.json", "--envelope", "features"]).unwrap().command {
            Command::Pull(a) => {
                assert_eq!(a.appconfig, "a/b/c");
                assert_eq!(a.output.as_deref(), Some(std::path::Path::new("out.json")));
                assert_eq!(a.envelope.as_deref(), Some("features"));
            }
            other => panic!("{other:?}"),
        }
        match parse(&["push", "flags.json", "--appconfig", "a/b/c", "--strategy", "fast", "--description", "d"])
            .unwrap()
            .command
        {
            Command::Push(a) => {
                assert_eq!((a.appconfig.as_str(), a.file.as_str()), ("a/b/c", "flags.json"));
                assert_eq!((a.strategy.as_deref(), a.description.as_deref()), (Some("fast"), Some("d")));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(parse(&["pull"]).unwrap_err().kind(), ErrorKind::MissingRequiredArgument);
        assert_eq!(parse(&["push", "f.json"]).unwrap_err().kind(), ErrorKind::MissingRequiredArgument);
        assert_eq!(parse(&["push", "--appconfig", "a/b/c"]).unwrap_err().kind(), ErrorKind::MissingRequiredArgument);
    }

    #[test]
    fn usage_errors_name_the_subcommand() {
        let err = eval_source_error(&["eval", "--appconfig", "a/b/c", "f.json", "premium"]);
        assert!(err.contains("give FEATURE only, not FILE `f.json` too"), "{err}");
        assert!(err.contains("ff eval [OPTIONS] --appconfig <APP/ENV/PROFILE> <FEATURE>"), "{err}");
    }

    fn eval_source_error(args: &[&str]) -> String {
        match parse(args).unwrap().command {
            Command::Eval(a) => a.source().unwrap_err().render().to_string(),
            other => panic!("{other:?}"),
        }
    }
}
