//! Running a batch of cases through ff and through the reference, and comparing the answers
//! the way the conformance test does (`tests/tests/conformance.rs`):
//!
//! * values compare by JSON text (so `1` ≠ `1.0` ≠ `true`, and order counts);
//! * `SchemaValidationError: <message>` ↔ ff's `Error::Schema` whose first problem carries
//!   exactly that `reference_message`.
//!
//! Accepted, documented deliberate differences (the reference crashes; ff answers):
//! * `TypeError: unhashable type` for a list or object `action` ↔ `Error::Schema` whose first
//!   problem is that `action`;
//! * `AttributeError` for a `null` document (the reference's identity-cache bug skips
//!   validation) ↔ `Error::Schema` about the whole document;
//! * `AttributeError` from `get_enabled_features` when a feature has a falsy `default` and
//!   `rules` set to a falsy non-object (`[]`, `null`, `""`, `0`, `false`): ff treats such
//!   rules as absent. This one is still checked against the reference: the same document
//!   without those `rules` members goes through the oracle again, and its answer must be
//!   ff's answer for the original.
//!
//! (Store failures are not generated: the differential test is about documents and contexts.)

use std::time::Duration;

use ff_runtime::{Error, FeatureFlags, FixedClock, Map, MemoryStore, Value};
use futures_executor::block_on;

use super::gen::Case;
use super::oracle::Oracle;

/// How one answer of ff compares with the reference's.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Identical.
    Same,
    /// A documented deliberate difference (named).
    Accepted(&'static str),
    /// A difference: an engine bug (or a new deliberate difference to document).
    Differs,
}

/// Both answers for one case.
#[derive(Clone, Debug)]
pub struct Report {
    /// `evaluate`.
    pub evaluate: Verdict,
    /// `get_enabled_features`.
    pub enabled: Verdict,
    /// The reference's `evaluate` result (`{"error": ...}` when it raised).
    pub reference_evaluate: Value,
    /// The reference's `get_enabled_features` result.
    pub reference_enabled: Value,
    /// For an accepted enabled-features crash: the reference's answer on the document
    /// without the offending `rules`.
    pub reference_enabled_patched: Option<Value>,
    /// ff's `evaluate`, as text.
    pub ff_evaluate: String,
    /// ff's `enabled_features`, as text.
    pub ff_enabled: String,
}

impl Report {
    /// Whether either answer differs.
    pub fn differs(&self) -> bool {
        self.evaluate == Verdict::Differs || self.enabled == Verdict::Differs
    }

    /// What differs, for people.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        if self.evaluate == Verdict::Differs {
            out.push_str(&format!(
                "evaluate:            reference {}\n                     ff        {}\n",
                self.reference_evaluate.to_json(),
                self.ff_evaluate
            ));
        }
        if self.enabled == Verdict::Differs {
            out.push_str(&format!(
                "get_enabled_features: reference {}{}\n                     ff        {}\n",
                self.reference_enabled.to_json(),
                self.reference_enabled_patched
                    .as_ref()
                    .map(|p| format!(" (without the falsy non-object rules: {})", p.to_json()))
                    .unwrap_or_default(),
                self.ff_enabled
            ));
        }
        out
    }
}

/// ff's answers for one case.
pub struct FfAnswers {
    /// `evaluate(name, context, default)`.
    pub evaluate: Result<Value, Error>,
    /// `enabled_features(context)`.
    pub enabled: Result<Vec<String>, Error>,
}

/// Reads JSON text as the reference receives it.
fn read(text: &str, expected: &Value) -> Value {
    let value = Value::from_json(text).unwrap_or_else(|e| panic!("ff cannot read the JSON {text}: {e}"));
    // Styled text reads as the value it was written from (`1` and `1.0` stay apart).
    assert_eq!(value.to_json(), expected.to_json(), "ff reads {text} as {value}");
    value
}

/// Parses `v`'s JSON text back.
fn reparse(v: &Value) -> Value {
    read(&v.to_json(), v)
}

/// Runs a case through ff: `FeatureFlags` over an in-memory store, clock pinned.
pub fn run_ff(case: &Case) -> FfAnswers {
    let schema = read(&case.schema_text(), &case.schema);
    let flags = FeatureFlags::builder(MemoryStore::new(schema))
        .max_age(Duration::ZERO)
        .refresh(ff_runtime::Refresh::Blocking)
        .clock(FixedClock(case.now))
        .build();
    let context = match &case.context {
        None => Value::from(Map::new()),
        Some(ctx) if ctx.is_null() => Value::from(Map::new()),
        Some(ctx) => read(&case.context_text().expect("a context"), ctx),
    };
    FfAnswers {
        evaluate: block_on(flags.evaluate(&case.name, &context, reparse(&case.default))),
        enabled: block_on(flags.enabled_features(&context)),
    }
}

/// `{"error": "Class: message"}` → `(Class, message)`.
pub fn reference_error(result: &Value) -> Option<(&str, &str)> {
    let obj = result.as_object()?;
    if obj.len() != 1 {
        return None;
    }
    let text = obj.get("error")?.as_str()?;
    Some(text.split_once(": ").unwrap_or((text, "")))
}

fn compare_error(case: &Case, class: &str, message: &str, err: &Error) -> Verdict {
    let Error::Schema(err) = err else { return Verdict::Differs };
    let first = err.problems.first();
    match class {
        "SchemaValidationError" if err.reference_message() == Some(message) => Verdict::Same,
        "TypeError" if message.starts_with("unhashable type") && first.is_some_and(|p| p.pointer.ends_with("/action")) => {
            Verdict::Accepted("unhashable action: TypeError in the reference, a schema error in ff")
        }
        "AttributeError" if case.schema.is_null() && first.is_some_and(|p| p.pointer.is_empty()) => {
            Verdict::Accepted("null document: AttributeError in the reference, a schema error in ff")
        }
        _ => Verdict::Differs,
    }
}

fn show<T: std::fmt::Debug>(r: &Result<T, Error>) -> String {
    match r {
        Ok(v) => format!("{v:?}"),
        Err(Error::Schema(e)) => format!(
            "Error::Schema(first problem: {:?}, reference message {:?})",
            e.problems.first().map(|p| format!("{}: {}", p.pointer, p.message)),
            e.reference_message()
        ),
        Err(e) => format!("Err({e})"),
    }
}

/// The document without the `rules` of features whose `default` is falsy and whose `rules`
/// are a falsy non-object (what ff makes of them); `None` when there are none.
pub fn without_falsy_nonobject_rules(schema: &Value) -> Option<Value> {
    let features = schema.as_object()?;
    let mut patched = features.clone();
    let mut changed = false;
    for feature in patched.values_mut() {
        let Value::Object(f) = feature else { continue };
        let default_falsy = !f.get("default").is_some_and(Value::is_truthy);
        let bad_rules = f.get("rules").is_some_and(|r| !r.is_truthy() && !matches!(r, Value::Object(_)));
        if default_falsy && bad_rules {
            f.shift_remove("rules");
            changed = true;
        }
    }
    changed.then_some(Value::from(patched))
}

fn batch_input(cases: &[Case], enabled: impl Iterator<Item = String>) -> String {
    let mut input = String::from(r#"{"cases":["#);
    for (i, case) in cases.iter().enumerate() {
        if i > 0 {
            input.push(',');
        }
        input.push_str(&case.to_fixture_json());
    }
    input.push_str(r#"],"enabled_features":["#);
    for (i, entry) in enabled.enumerate() {
        if i > 0 {
            input.push(',');
        }
        input.push_str(&entry);
    }
    input.push_str("]}");
    input
}

fn results(output: &Value, field: &str, n: usize) -> Result<Vec<Value>, String> {
    let list = output.get(field).and_then(Value::as_array).ok_or_else(|| format!("oracle output has no {field}"))?;
    if list.len() != n {
        return Err(format!("oracle returned {} {field} for {n} entries", list.len()));
    }
    Ok(list.iter().map(|r| r.get("result").cloned().unwrap_or_default()).collect())
}

/// Runs `cases` through the reference (one process, plus one more when some
/// enabled-features crash needs its re-check) and through ff, and compares.
///
/// # Errors
/// The oracle failed.
pub fn run_batch(oracle: &Oracle, cases: &[Case]) -> Result<Vec<Report>, String> {
    let input = batch_input(cases, cases.iter().map(Case::to_enabled_json));
    if let Some(path) = std::env::var_os("FF_DIFF_DUMP") {
        // For looking at (or replaying) what the oracle was given.
        std::fs::write(&path, &input).map_err(|e| format!("FF_DIFF_DUMP: {e}"))?;
    }
    // ff answers while the reference works.
    let pending = oracle.start(&input)?;
    let answers: Vec<FfAnswers> = cases.iter().map(run_ff).collect();
    let output = pending.wait()?;
    let evaluated = results(&output, "results", cases.len())?;
    let enabled = results(&output, "enabled_features", cases.len())?;

    let mut reports = Vec::with_capacity(cases.len());
    let mut rechecks = Vec::new();
    for ((i, case), ff) in cases.iter().enumerate().zip(answers) {
        let evaluate = match (reference_error(&evaluated[i]), &ff.evaluate) {
            (Some((class, message)), Err(err)) => compare_error(case, class, message, err),
            (None, Ok(value)) if value.to_json() == evaluated[i].to_json() => Verdict::Same,
            _ => Verdict::Differs,
        };
        let enabled_verdict = match (reference_error(&enabled[i]), &ff.enabled) {
            (Some((class, message)), Err(err)) => compare_error(case, class, message, err),
            (Some(("AttributeError", _)), Ok(_)) => match without_falsy_nonobject_rules(&case.schema) {
                Some(patched) => {
                    rechecks.push((i, Case { schema: patched, ..case.clone() }));
                    Verdict::Accepted("get_enabled_features crash on falsy non-object rules")
                }
                None => Verdict::Differs,
            },
            (None, Ok(names)) => {
                let names = Value::Array(names.iter().map(|n| Value::from(n.as_str())).collect());
                if names.to_json() == enabled[i].to_json() {
                    Verdict::Same
                } else {
                    Verdict::Differs
                }
            }
            _ => Verdict::Differs,
        };
        reports.push(Report {
            evaluate,
            enabled: enabled_verdict,
            reference_evaluate: evaluated[i].clone(),
            reference_enabled: enabled[i].clone(),
            reference_enabled_patched: None,
            ff_evaluate: show(&ff.evaluate),
            ff_enabled: show(&ff.enabled),
        });
    }

    if !rechecks.is_empty() {
        // Only the enabled-features answers matter here; `cases` is empty.
        let output = oracle.run(&batch_input(&[], rechecks.iter().map(|(_, c)| c.to_enabled_json())))?;
        let patched = results(&output, "enabled_features", rechecks.len())?;
        for ((i, _), answer) in rechecks.iter().zip(patched) {
            let report = &mut reports[*i];
            let ff = run_ff(&cases[*i]).enabled;
            let same = match (&ff, reference_error(&answer)) {
                (Ok(names), None) => {
                    Value::Array(names.iter().map(|n| Value::from(n.as_str())).collect()).to_json() == answer.to_json()
                }
                _ => false,
            };
            if !same {
                report.enabled = Verdict::Differs;
            }
            report.reference_enabled_patched = Some(answer);
        }
    }
    Ok(reports)
}
