//! `ff`: validate, evaluate and explain Powertools feature-flags documents from the shell.
//!
//! Exit status: 0 success, 1 the document is invalid (every problem is printed on stderr as
//! `FILE:LINE:COL: POINTER: message`) or AWS AppConfig failed (the AWS error named), 2 a
//! usage or input error (bad `--context` JSON, an unreadable file, a bad `--now`). Nothing
//! the user supplies can make it panic: every input is parsed with a located, one-line error.
//!
//! With the cargo feature `appconfig` (`cargo install --locked --path crates/ff-cli --features
//! appconfig` from ff's repository; the `ff-cli` crate on crates.io is another project),
//! `eval`, `enabled` and
//! `explain` read the document deployed to AWS AppConfig with `--appconfig APP/ENV/PROFILE`,
//! `ff pull` writes it to a file, and `ff push` validates a file and deploys it. Without the
//! feature those exit 2, saying how to install it.

mod appconfig;
mod cli;
mod diff;
mod input;
mod load;
mod native;
mod output;
mod schema;
mod stale;
mod unread;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use ff_runtime::{Document, FixedClock, SystemClock, Value};

use cli::{Cli, Command, DiffArgs, EnabledArgs, EvalArgs, EvaluationArgs, ExplainArgs, GenerateArgs, Source, ValidateArgs};
use input::Stdin;
use load::{Kind, Loaded};

/// Why `ff` stops without doing its job.
#[derive(Debug)]
pub enum Failure {
    /// A usage or input error (exit 2): one line, without the `ff: ` prefix.
    Input(String),
    /// The document is invalid (exit 1).
    Invalid {
        /// The document's display name (`flags.json`, `<stdin>`).
        name: String,
        /// One line per problem, already prefixed with the name (and location).
        lines: Vec<String>,
        /// Said after the count line, e.g. what pointers are relative to.
        note: Option<String>,
    },
    /// AWS AppConfig failed (exit 1): one line naming the AWS error, without `ff: `.
    AppConfig(String),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => ExitCode::from(report(failure)),
    }
}

/// Prints a failure on stderr; returns its exit status.
fn report(failure: Failure) -> u8 {
    match failure {
        Failure::Input(message) => {
            eprintln!("ff: {message}");
            2
        }
        Failure::AppConfig(message) => {
            eprintln!("ff: {message}");
            1
        }
        Failure::Invalid { name, lines, note } => {
            let mut err = io::stderr().lock();
            for line in &lines {
                let _ = writeln!(err, "{line}");
            }
            let count = lines.len();
            let _ = writeln!(err, "{name}: invalid: {count} problem{}", plural(count));
            if let Some(note) = note {
                let _ = writeln!(err, "{name}: note: {note}");
            }
            1
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    let mut stdin = Stdin::default();
    match cli.command {
        Command::Validate(args) => validate(args, &mut stdin),
        Command::Eval(args) => eval(args, &mut stdin),
        Command::Enabled(args) => enabled(args, &mut stdin),
        Command::Explain(args) => explain(args, &mut stdin),
        Command::Generate(args) => generate(args, &mut stdin),
        Command::Diff(args) => diff_documents(args, &mut stdin),
        Command::Pull(args) => appconfig::pull(args),
        Command::Push(args) => appconfig::push(args, &mut stdin),
        Command::Schema => schema::run(),
        Command::Stale(args) => stale::run(args, &mut stdin),
    }
}

fn diff_documents(args: DiffArgs, stdin: &mut Stdin) -> Result<(), Failure> {
    let envelope = args.envelope.as_deref();
    let old = load::load_as(&args.old, envelope, args.format, stdin)?;
    // Code generated from a stored AppConfig document is compared with another stored one,
    // or with the retrieval format AppConfig serves (what `ff pull` writes).
    let new_format = if old.kind.is_native() { cli::Format::Appconfig } else { args.format };
    let new = load::load_as(&args.new, envelope, new_format, stdin)?;
    let changes = match (&old.kind, &new.kind) {
        (Kind::Powertools, Kind::Powertools) => diff::diff(&old.document, &new.document),
        (Kind::Stored(before), Kind::Stored(after)) => diff::appconfig::diff_stored(before, after),
        (Kind::Stored(before), Kind::Retrieval) => diff::appconfig::diff_retrieved(before, &new.document),
        (Kind::Retrieval, _) => Err(format!(
            "{}: OLD must be the stored AWS.AppConfig.FeatureFlags document the code was generated from, \
             not the retrieval format (it has no attribute definitions)",
            old.name
        )),
        (_, _) => Err(format!(
            "{} and {} are in different formats (a Powertools document and an AWS.AppConfig.FeatureFlags one)",
            old.name, new.name
        )),
    }
    .map_err(Failure::Input)?;
    emit(&diff::render(&old.name, &new.name, &changes))?;
    let fails = if args.strict { !changes.is_empty() } else { changes.iter().any(|c| c.breaking) };
    if fails {
        std::process::exit(1);
    }
    Ok(())
}

fn generate(args: GenerateArgs, stdin: &mut Stdin) -> Result<(), Failure> {
    let name = input::display_name(&args.file);
    let bytes = input::read_source(&args.file, "FILE", stdin)?;
    let text = input::utf8(bytes).map_err(|e| Failure::Invalid { name: name.clone(), lines: vec![format!("{name}:{e}")], note: None })?;
    let mut options = ff_build::Options::new().source_name(name.clone());
    if let Some(visibility) = args.visibility {
        options = options.visibility(visibility);
    }
    for (feature, rust_type) in args.value_types {
        options = options.value_type(feature, rust_type);
    }
    for (name, rust) in args.renames {
        options = options.rename(name, rust);
    }
    if let Some(envelope) = args.envelope {
        options = options.envelope(envelope);
    }
    options = options.warn_unused(args.warn_unused);
    match args.format {
        cli::Format::Auto => {}
        cli::Format::Powertools => options = options.format(ff_build::Format::Powertools),
        cli::Format::Appconfig => options = options.format(ff_build::Format::AppConfig),
    }
    let code = ff_build::generate(&text, &options).map_err(|err| match err {
        ff_build::Error::Options(problems) => Failure::Input(problems.join("; ")),
        other => Failure::Invalid { name: name.clone(), lines: other.lines(), note: None },
    })?;
    match args.output {
        None => emit(code.trim_end()),
        Some(path) => std::fs::write(&path, code)
            .map_err(|e| Failure::Input(format!("cannot write {}: {e}", path.display()))),
    }
}

/// Writes one line to stdout. A closed pipe (`ff enabled … | head -c0`) is not an error.
pub(crate) fn emit(text: &str) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Input(format!("cannot write to stdout: {e}"))),
    }
}

/// `ff validate FILE...`: each file's result; exits with the worst status (1 invalid, or
/// warnings with --strict; 2 unreadable) once every file is checked.
fn validate(args: ValidateArgs, stdin: &mut Stdin) -> Result<(), Failure> {
    // A bad expression is a usage error, said once, before reading anything.
    load::parse_envelope(args.envelope.as_deref())?;
    let mut status = 0;
    for file in &args.files {
        let code = match validate_one(file, &args, stdin) {
            Ok(warned) => u8::from(warned && args.strict),
            Err(failure) => report(failure),
        };
        status = status.max(code);
    }
    if status != 0 {
        std::process::exit(i32::from(status));
    }
    Ok(())
}

/// Validates one file: its summary on stdout, its warnings on stderr. Returns whether it
/// had warnings.
fn validate_one(file: &str, args: &ValidateArgs, stdin: &mut Stdin) -> Result<bool, Failure> {
    let (Loaded { name, document, version, kind }, warnings) = load::load_linted(file, args.envelope.as_deref(), args.format, stdin)?;
    let mut err = io::stderr().lock();
    for line in &warnings {
        let _ = writeln!(err, "{line}");
    }
    drop(err);
    let count = warnings.len();
    let warned = if count == 0 { String::new() } else { format!(", {count} warning{}", plural(count)) };
    let summary = match &kind {
        Kind::Powertools => summary(&document),
        Kind::Stored(stored) => native::summary_stored(stored),
        Kind::Retrieval => native::summary_retrieval(&document),
    };
    emit(&format!("{name}: valid: {summary}{warned}; version {version}"))?;
    Ok(count > 0)
}

/// `5 features, 7 rules, 11 conditions`.
pub(crate) fn summary(document: &Document) -> String {
    let features = document.len();
    let rules: usize = document.features().iter().map(|f| f.rules.len()).sum();
    let conditions: usize = document
        .features()
        .iter()
        .flat_map(|f| &f.rules)
        .map(|r| r.conditions.len())
        .sum();
    format!(
        "{features} feature{}, {rules} rule{}, {conditions} condition{}",
        plural(features),
        plural(rules),
        plural(conditions)
    )
}

/// What every evaluating command needs: the document, the context and the clock.
struct Evaluation {
    document: std::sync::Arc<Document>,
    version: String,
    context: Value,
    clock: std::sync::Arc<dyn ff_runtime::Clock>,
    /// Whether the document is in AWS AppConfig's own format.
    native: bool,
}

fn prepare(source: &Source, args: &EvaluationArgs, stdin: &mut Stdin) -> Result<Evaluation, Failure> {
    // Check the cheap, user-typed inputs before reading the document, so a typo in
    // `--now` is reported even when the document is also wrong.
    if let Source::AppConfig(location) = source {
        appconfig::check(location)?;
    }
    let clock: std::sync::Arc<dyn ff_runtime::Clock> = match args.now.as_deref() {
        Some(text) => std::sync::Arc::new(FixedClock(input::parse_now(text)?)),
        None => std::sync::Arc::new(SystemClock),
    };
    let context = input::context(args.context.as_deref().unwrap_or("{}"), stdin)?;
    let Loaded { document, version, kind, .. } = match source {
        Source::File(file) => load::load_as(file, args.envelope.as_deref(), args.format, stdin)?,
        Source::AppConfig(location) => appconfig::load(location, args.envelope.as_deref(), args.format)?,
    };
    Ok(Evaluation {
        document: std::sync::Arc::new(document),
        version,
        context,
        clock,
        native: kind.is_native(),
    })
}

fn eval(args: EvalArgs, stdin: &mut Stdin) -> Result<(), Failure> {
    let (source, feature) = args.source().unwrap_or_else(|e| e.exit());
    let default = input::json_argument(
        "--default",
        args.default.as_deref().unwrap_or("false"),
        stdin,
    )?;
    let ev = prepare(&source, &args.evaluation, stdin)?;
    if args.details {
        return emit(&details_json(&ev, &feature, &default).to_json());
    }
    let value = match ev.document.evaluate(&feature, &ev.context, &*ev.clock) {
        Some(value) => value,
        None => {
            eprintln!(
                "ff: warning: feature {feature:?} is not in the document: printing the default (--default), \
                 as the reference returns the caller's default{}",
                did_you_mean(&ev.document, &feature)
            );
            &default
        }
    };
    emit(&value.to_string())
}

/// `ff eval --details`: one JSON object, `{"value", "reason", "variant", "version"}` and, for
/// a feature the document lacks, `"error": {"code": "FLAG_NOT_FOUND", "message"}` (the value
/// is then `--default`). `variant` is `null` when no rule matched.
fn details_json(ev: &Evaluation, feature: &str, default: &Value) -> Value {
    let snapshot = ff_runtime::Snapshot::new(ev.document.clone(), ev.clock.clone()).with_version(ev.version.as_str());
    let details = snapshot.evaluate_details(feature, &ev.context, default);
    let mut object = ff_runtime::Map::new();
    object.insert("value".to_owned(), details.value.clone());
    object.insert("reason".to_owned(), Value::from(details.reason().as_str()));
    // AWS AppConfig's format: the variant the document names (an Agent answer's `_variant`).
    let variant = details.variant().map(Value::from).or_else(|| {
        ev.native.then(|| details.value.get(ff_runtime::native::VARIANT_MEMBER).filter(|v| v.as_str().is_some()).cloned()).flatten()
    });
    object.insert("variant".to_owned(), variant.unwrap_or(Value::Null));
    object.insert("version".to_owned(), details.version().map_or(Value::Null, Value::from));
    if let Some(error) = details.error_details() {
        let mut e = ff_runtime::Map::new();
        e.insert("code".to_owned(), Value::from(error.kind.as_str()));
        e.insert("message".to_owned(), Value::from(error.message.to_string()));
        object.insert("error".to_owned(), Value::from(e));
    }
    Value::from(object)
}

/// `; did you mean "new checkout flow"?` naming the document's features nearest to
/// `feature` (see `ff_runtime::lint::did_you_mean`), or nothing.
fn did_you_mean(document: &Document, feature: &str) -> String {
    let near = ff_runtime::lint::did_you_mean(feature, document.features().iter().map(|f| f.name.as_str()));
    if near.is_empty() {
        return String::new();
    }
    let names: Vec<String> = near.iter().map(|n| format!("{n:?}")).collect();
    format!("; did you mean {}?", names.join(" or "))
}

fn enabled(args: EnabledArgs, stdin: &mut Stdin) -> Result<(), Failure> {
    let source = args.source().unwrap_or_else(|e| e.exit());
    let ev = prepare(&source, &args.evaluation, stdin)?;
    // A flag of AWS AppConfig's format is on when its object says `"enabled": true` (the
    // object itself is always truthy).
    let names = if ev.native { native::enabled_flags(&ev.document) } else { ev.document.enabled_features(&ev.context, &*ev.clock) };
    let list = Value::Array(names.into_iter().map(Value::from).collect());
    emit(&list.to_string())
}

fn explain(args: ExplainArgs, stdin: &mut Stdin) -> Result<(), Failure> {
    let (source, feature) = args.source().unwrap_or_else(|e| e.exit());
    let ev = prepare(&source, &args.evaluation, stdin)?;
    match ev.document.explain(&feature, &ev.context, &*ev.clock) {
        Some(explanation) => emit(&explanation.to_string()),
        None => {
            eprintln!("ff: warning: feature {feature:?} is not in the document{}", did_you_mean(&ev.document, &feature));
            emit(&unknown_feature(&ev.document, &feature))
        }
    }
}

/// The account of a feature the document does not have: `evaluate` returns the caller's
/// default. Names the features it does have, and a case-insensitive near miss if any.
fn unknown_feature(document: &Document, feature: &str) -> String {
    let mut text = format!(
        "feature {feature:?} is not in the document: evaluate returns the caller's default"
    );
    if let Some(near) = document
        .features()
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(feature))
    {
        text.push_str(&format!(
            "\n  (feature names are case-sensitive; the document has {:?})",
            near.name
        ));
    } else if let Some(hint) = did_you_mean(document, feature).strip_prefix("; ") {
        text.push_str(&format!("\n  {hint}"));
    }
    const SHOWN: usize = 20;
    let names: Vec<String> = document
        .features()
        .iter()
        .take(SHOWN)
        .map(|f| format!("{:?}", f.name))
        .collect();
    if names.is_empty() {
        text.push_str("\n  the document has no features");
    } else {
        let more = document.len().saturating_sub(SHOWN);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        text.push_str(&format!(
            "\n  the document's features: {}{more}",
            names.join(", ")
        ));
    }
    text
}
