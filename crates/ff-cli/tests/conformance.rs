//! The shared conformance cases (produced by running the reference, Powertools for AWS
//! Lambda (Python) 3.37.0), replayed through the real `ff` binary.
//!
//! For every case of every file in `tests/conformance/` (workspace root):
//! * `ff eval SCHEMA NAME --context CONTEXT --default DEFAULT [--now NOW]` must print
//!   `expected` (compared with Python's equality, `ff_runtime::Value`'s `==`);
//! * an expected `SchemaValidationError` or `TypeError` (an unhashable `action`) must exit 1,
//!   with every problem on stderr as `FILE:LINE:COL: POINTER: message`;
//! * `store_error` cases are not applicable to the command (it reads a file) and are skipped.
//!
//! Every `enabled_features` entry (explicit, or derived from the cases as the fixtures'
//! README says) goes through `ff enabled`. Where the reference crashes with
//! `AttributeError`:
//! * a feature whose `rules` is `[]`/`null`/... with a falsy `default`: ff treats the rules
//!   as absent, so it prints the other enabled features: the test checks that the output is
//!   the list of features whose `ff eval` is truthy, in document order;
//! * a `null` document (the reference skips validating it, spec §9): ff validates every
//!   document and `null` is not an object of features, so `ff enabled` exits 1.
//!
//! Values are compared with Python's equality and, beyond it, must be spelled as the
//! reference's `json.dumps` spells them (`1.0` is not `1`, `true` is not `1`).
//!
//! Disagreements are collected and reported together, with the case and both values.

mod common;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use common::{ff, Run};
use ff_runtime::Value;

fn conformance_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance")
}

/// The files this test replays; `every_fixture_file_is_replayed` keeps it complete.
const FILES: &[&str] = &[
    "comparison",
    "differential",
    "equality",
    "evaluation",
    "list-intersection",
    "membership",
    "metadata",
    "modulo",
    "non-boolean",
    "regressions",
    "schema-validation",
    "string",
    "time",
];

#[test]
fn every_fixture_file_is_replayed() {
    let dir = conformance_dir();
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            (path.extension()? == "json").then(|| path.file_stem()?.to_str().map(str::to_owned))?
        })
        .collect();
    found.sort();
    assert_eq!(
        found, FILES,
        "a conformance file is not replayed by this test"
    );
}

macro_rules! conformance {
    ($($test:ident => $file:literal,)*) => {$(
        #[test]
        fn $test() {
            replay($file);
        }
    )*};
}

conformance! {
    comparison => "comparison",
    differential => "differential",
    equality => "equality",
    evaluation => "evaluation",
    list_intersection => "list-intersection",
    membership => "membership",
    metadata => "metadata",
    modulo => "modulo",
    non_boolean => "non-boolean",
    regressions => "regressions",
    schema_validation => "schema-validation",
    string => "string",
    time => "time",
}

/// `{"error": "Class: message"}` → `Class`.
fn expected_error(expected: &Value) -> Option<&str> {
    let map = expected.as_object()?;
    if map.len() != 1 {
        return None;
    }
    let message = map.get("error")?.as_str()?;
    Some(message.split(':').next().unwrap_or(message))
}

/// Counts for one file.
#[derive(Default)]
struct Tally {
    cases_run: usize,
    cases_passed: usize,
    cases_skipped: usize,
    enabled_run: usize,
    enabled_passed: usize,
    enabled_skipped: usize,
    /// Outputs equal in Python's terms but spelled differently from `expected` (e.g. `1`
    /// for `1.0`).
    spelling: Vec<String>,
    disagreements: Vec<String>,
}

struct Replay {
    file: String,
    dir: PathBuf,
    schemas: HashMap<String, String>,
    tally: Tally,
}

impl Replay {
    /// The path of a file holding `schema` (one file per distinct schema).
    fn schema_path(&mut self, schema: &Value) -> String {
        let text = schema.to_string();
        let next = self.schemas.len();
        let dir = &self.dir;
        self.schemas
            .entry(text)
            .or_insert_with_key(|text| common::write(dir, &format!("schema-{next}.json"), text))
            .clone()
    }

    fn disagree(&mut self, what: String) {
        self.tally.disagreements.push(what);
    }
}

/// The arguments that select context and clock: absent context → none passed (the
/// default `{}`), `null` → `null`.
fn context_args(entry: &ff_runtime::Map) -> Vec<String> {
    let mut args = Vec::new();
    if let Some(context) = entry.get("context") {
        args.push("--context".to_owned());
        args.push(context.to_string());
    }
    if let Some(now) = entry.get("now") {
        args.push("--now".to_owned());
        args.push(now.as_str().expect("`now` is a string").to_owned());
    }
    args
}

/// Checks an invalid-document run: exit 1, every problem as `FILE:LINE:COL: ...`, then the
/// count line. Returns what is wrong, if anything.
fn invalid_document_problems(run: &Run, path: &str) -> Option<String> {
    if run.code != 1 {
        return Some(format!(
            "expected exit 1 (invalid document), got {}: stdout {:?} stderr {:?}",
            run.code, run.stdout, run.stderr
        ));
    }
    if !run.stdout.is_empty() {
        return Some(format!(
            "printed {:?} on stdout for an invalid document",
            run.stdout
        ));
    }
    let lines: Vec<&str> = run.stderr.lines().collect();
    let Some((count, problems)) = lines.split_last() else {
        return Some("no problems printed".to_owned());
    };
    let plural = if problems.len() == 1 { "" } else { "s" };
    if *count != format!("{path}: invalid: {} problem{plural}", problems.len())
        || problems.is_empty()
    {
        return Some(format!("bad count line in {:?}", run.stderr));
    }
    for line in problems {
        let located = line
            .strip_prefix(path)
            .and_then(|rest| rest.strip_prefix(':'))
            .and_then(|rest| {
                let (line_no, rest) = rest.split_once(':')?;
                let (col, rest) = rest.split_once(": ")?;
                (line_no.parse::<usize>().is_ok()
                    && col.parse::<usize>().is_ok()
                    && !rest.is_empty())
                .then_some(())
            });
        if located.is_none() {
            return Some(format!("problem line is not FILE:LINE:COL: ...: {line:?}"));
        }
    }
    None
}

/// The features of `schema` (document order) whose `ff eval` value is truthy: what
/// `ff enabled` must print. `None` when an evaluation fails.
fn enabled_by_eval(
    schema_path: &str,
    schema: &Value,
    args: &[String],
) -> Result<Vec<Value>, String> {
    let features = schema.as_object().ok_or("the schema is not an object")?;
    let mut enabled = Vec::new();
    for name in features.keys() {
        let mut eval_args = vec![
            "eval".to_owned(),
            schema_path.to_owned(),
            name.clone(),
            "--default".into(),
            "false".into(),
        ];
        eval_args.extend_from_slice(args);
        let run = ff(&eval_args);
        if run.code != 0 {
            return Err(format!("ff eval {name:?} failed: {run:?}"));
        }
        let value = Value::from_json(run.stdout.trim_end())
            .map_err(|e| format!("ff eval {name:?} printed non-JSON: {e}"))?;
        if value.is_truthy() {
            enabled.push(Value::from(name.as_str()));
        }
    }
    Ok(enabled)
}

fn replay(file: &str) {
    let path = conformance_dir().join(format!("{file}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let fixture = Value::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let fixture = fixture.as_object().expect("a fixture file is an object");
    let file_schema = fixture.get("schema").cloned().unwrap_or(Value::Null);
    let cases = fixture
        .get("cases")
        .and_then(Value::as_array)
        .expect("`cases` is an array");

    let mut replay = Replay {
        file: file.to_owned(),
        dir: common::scratch(&format!("conformance-{file}")),
        schemas: HashMap::new(),
        tally: Tally::default(),
    };

    for (index, case) in cases.iter().enumerate() {
        let case = case.as_object().expect("a case is an object");
        let name = case
            .get("name")
            .and_then(Value::as_str)
            .expect("a case has a name");
        let label = format!("{}.json cases[{index}] ({name:?})", replay.file);
        if case.contains_key("store_error") {
            replay.tally.cases_skipped += 1;
            continue;
        }
        replay.tally.cases_run += 1;
        let schema = case.get("schema").unwrap_or(&file_schema);
        let schema_path = replay.schema_path(schema);
        let default = case.get("default").expect("a case has a default");
        let expected = case.get("expected").expect("a case has an expected value");
        let mut args = vec![
            "eval".to_owned(),
            schema_path.clone(),
            name.to_owned(),
            "--default".into(),
            default.to_string(),
        ];
        args.extend(context_args(case));
        let run = ff(&args);

        match expected_error(expected) {
            Some("SchemaValidationError" | "TypeError") => {
                match invalid_document_problems(&run, &schema_path) {
                    None => replay.tally.cases_passed += 1,
                    Some(why) => replay.disagree(format!("{label}: expected {expected}: {why}")),
                }
            }
            Some(class) => replay.disagree(format!(
                "{label}: no command-line equivalent for expected {class}: {expected}"
            )),
            None => {
                let printed = run.stdout.trim_end_matches('\n');
                let one_line =
                    run.code == 0 && run.stdout.ends_with('\n') && !printed.contains('\n');
                match Value::from_json(printed) {
                    Ok(value) if one_line && value == *expected => {
                        replay.tally.cases_passed += 1;
                        if printed != expected.to_string() {
                            replay.tally.spelling.push(format!("{label}: printed {printed}, expected {expected}"));
                        }
                    }
                    _ => replay.disagree(format!(
                        "{label}: expected {expected}, ff printed {printed:?} (exit {}, stderr {:?})",
                        run.code, run.stderr
                    )),
                }
            }
        }
    }

    // enabled_features: explicit entries, or one per distinct (context, now, schema,
    // store_error) among the cases, in order (those have no expected value: ff enabled
    // must then agree with ff eval).
    let entries: Vec<(ff_runtime::Map, bool)> =
        match fixture.get("enabled_features").and_then(Value::as_array) {
            Some(entries) => entries
                .iter()
                .map(|e| (e.as_object().expect("an entry is an object").clone(), true))
                .collect(),
            None => {
                let mut seen = Vec::new();
                let mut derived = Vec::new();
                for case in cases {
                    let case = case.as_object().expect("a case is an object");
                    let mut entry = ff_runtime::Map::new();
                    for key in ["context", "now", "schema", "store_error"] {
                        if let Some(value) = case.get(key) {
                            entry.insert(key.to_owned(), value.clone());
                        }
                    }
                    let identity = Value::from(entry.clone()).to_string();
                    if !seen.contains(&identity) {
                        seen.push(identity);
                        derived.push((entry, false));
                    }
                }
                derived
            }
        };

    for (index, (entry, explicit)) in entries.iter().enumerate() {
        let label = format!(
            "{}.json enabled_features[{index}]{}",
            replay.file,
            if *explicit { "" } else { " (derived)" }
        );
        if entry.contains_key("store_error") {
            replay.tally.enabled_skipped += 1;
            continue;
        }
        replay.tally.enabled_run += 1;
        let schema = entry.get("schema").unwrap_or(&file_schema);
        let schema_path = replay.schema_path(schema);
        let extra = context_args(entry);
        let mut args = vec!["enabled".to_owned(), schema_path.clone()];
        args.extend(extra.iter().cloned());
        let run = ff(&args);
        let printed = run.stdout.trim_end_matches('\n').to_owned();
        let as_list = Value::from_json(&printed)
            .ok()
            .filter(|v| v.as_array().is_some() && run.code == 0);

        let expected = entry.get("expected");
        let verdict: Result<(), String> = match expected.map(|e| (e, expected_error(e))) {
            Some((_, Some("SchemaValidationError" | "TypeError"))) => {
                invalid_document_problems(&run, &schema_path).map_or(Ok(()), Err)
            }
            Some((_, Some("AttributeError"))) if schema.is_null() => {
                // The reference skips validating a `null` document; ff rejects it.
                invalid_document_problems(&run, &schema_path).map_or(Ok(()), Err)
            }
            Some((_, Some("AttributeError"))) | None => match (&as_list, enabled_by_eval(&schema_path, schema, &extra)) {
                (Some(list), Ok(by_eval)) if *list == Value::Array(by_eval.clone()) => Ok(()),
                (_, Ok(by_eval)) => Err(format!(
                    "expected the features whose eval is truthy, {}, ff enabled printed {printed:?} (exit {}, stderr {:?})",
                    Value::Array(by_eval),
                    run.code,
                    run.stderr
                )),
                (_, Err(why)) => Err(why),
            },
            Some((expected, Some(class))) => Err(format!("no command-line equivalent for expected {class}: {expected}")),
            Some((expected, None)) => match &as_list {
                Some(list) if list == expected => Ok(()),
                _ => Err(format!("expected {expected}, ff printed {printed:?} (exit {}, stderr {:?})", run.code, run.stderr)),
            },
        };
        match verdict {
            Ok(()) => replay.tally.enabled_passed += 1,
            Err(why) => replay.disagree(format!("{label}: {why}")),
        }
    }

    let t = &replay.tally;
    let mut report = format!(
        "{file}.json via ff: cases {} run, {} passed, {} skipped (store_error); enabled_features {} run, {} passed, {} skipped (store_error)",
        t.cases_run, t.cases_passed, t.cases_skipped, t.enabled_run, t.enabled_passed, t.enabled_skipped
    );
    for s in &t.spelling {
        let _ = write!(report, "\n  equal but spelled differently: {s}");
    }
    eprintln!("{report}");
    assert!(
        t.disagreements.is_empty(),
        "{} disagreement(s) with the reference in {file}.json:\n{}",
        t.disagreements.len(),
        t.disagreements.join("\n")
    );
    // Beyond Python's equality, ff prints the reference's own spelling (json.dumps, compact):
    // `1.0` stays `1.0`, `true` is not `1`, big integers are exact.
    assert!(
        t.spelling.is_empty(),
        "values equal in Python's terms but spelled differently in {file}.json"
    );
    assert_eq!(t.cases_passed, t.cases_run);
    assert_eq!(t.enabled_passed, t.enabled_run);
}
