//! Differential test: random documents, contexts and clock readings (proptest strategies in
//! `ff_tests::differential::gen`) go through ff and through the reference, Powertools for
//! AWS Lambda (Python) 3.37.0 (`scripts/oracle/run`), in batches (one Python process per
//! batch). The first difference fails the test, with the case minimised.
//!
//! Run it with `scripts/test-differential.sh` (it installs the oracle's venv first). Settings:
//!
//! | variable | meaning |
//! | --- | --- |
//! | `FF_DIFF_CASES` | cases per run (default 10,000; raise it for soak runs) |
//! | `FF_DIFF_BATCH` | cases per oracle process (default 500) |
//! | `FF_DIFF_SEED` | the generator's seed (default: random; every run prints its seed) |
//! | `FF_ORACLE` | the oracle program (default `scripts/oracle/run`) |
//! | `FF_DIFF_REQUIRE_ORACLE=1` | fail, instead of skipping loudly, when the oracle cannot run |
//! | `FF_DIFF_KEEP_GOING=1` | run every case and list every difference (the first `FF_DIFF_MINIMISE`, default 5, minimised) |
//! | `FF_DIFF_DUMP` | a file to write each oracle input batch to (the last one stays) |
//!
//! Answers compare as in `conformance.rs`. Deliberate differences, accepted (see
//! `ff_tests::differential::check`): the reference's `TypeError` for an unhashable `action`
//! and its `AttributeError` crashes (a `null` document; `get_enabled_features` with falsy
//! non-object `rules`, which is still checked against the reference on the same document
//! without those rules). Input classes that are not generated because the reference's answer
//! depends on the machine (system tzdata and zoneinfo files, POSIX TZ strings) or cannot be
//! expressed in Rust are listed at the top of `ff_tests::differential::gen`.
//!
//! Every difference this test found is a case of `tests/conformance/differential.json`
//! (notes D01–D03), and was fixed in ff:
//! * D01: the reference echoes a non-object document with Python's `repr()`, which escapes
//!   unprintable characters (`['\x1b']`); ff echoed them raw (`document/validate.rs`).
//! * D02: a `TIMEZONE` of `[]` or `{}` passes validation (`timezone or "UTC"`) but
//!   `gettz([])` raises at evaluation, so the condition never matches; ff used UTC
//!   (`actions/time.rs`).
//! * D03: `START`/`END` of a date-time range such as `"2022-10-05Z"` pass validation (read
//!   after replacing `Z` by `+00:00`) but the comparator reads the text as written and raises,
//!   so the condition never matches; ff used the validated reading (`actions/time.rs`).
//!
//! A failure prints the case in fixture format: add it to that file, run
//! `scripts/oracle/run --fill-expected` on it for `expected`, then fix ff.

use std::collections::BTreeMap;
use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::time::Instant;

use ff_runtime::{Document, FixedClock, Outcome, Value};
use ff_tests::differential::check::{reference_error, run_batch, Report, Verdict};
use ff_tests::differential::gen::{self, Case};
use ff_tests::differential::oracle::Oracle;
use ff_tests::differential::shrink::minimise;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// Writes past libtest's output capture, so that a skip is seen.
fn loud(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{text}");
    let _ = err.flush();
}

fn env_usize(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(v) => v.trim().replace('_', "").parse().unwrap_or_else(|_| panic!("{name}={v:?} is not a count")),
        Err(_) => default,
    }
}

fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
}

fn seed() -> u64 {
    match std::env::var("FF_DIFF_SEED") {
        Ok(v) => v.trim().parse().unwrap_or_else(|_| panic!("FF_DIFF_SEED={v:?} is not a u64")),
        Err(_) => {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos());
            h.write_u32(std::process::id());
            h.finish()
        }
    }
}

fn runner(seed: u64) -> TestRunner {
    // XorShift: ChaCha costs more than everything else in an unoptimised test build.
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8..].copy_from_slice(&(!seed).rotate_left(17).to_le_bytes());
    TestRunner::new_with_rng(Config::default(), TestRng::from_seed(RngAlgorithm::XorShift, &bytes))
}

/// What the random cases covered, so that a run shows it exercised something.
#[derive(Default)]
struct Coverage {
    cases: usize,
    valid_documents: usize,
    schema_errors: BTreeMap<String, usize>,
    other_reference_errors: BTreeMap<String, usize>,
    results: BTreeMap<&'static str, usize>,
    /// Per action, how its conditions came out in ff (which agreed with the reference on
    /// every result): matched, did not match, key missing, type mismatch.
    actions: BTreeMap<String, [usize; 4]>,
    enabled_nonempty: usize,
    accepted: BTreeMap<&'static str, usize>,
}

impl Coverage {
    fn record(&mut self, case: &Case, report: &Report) {
        self.cases += 1;
        match reference_error(&report.reference_evaluate) {
            Some(("SchemaValidationError", message)) => {
                // The message up to its first variable part.
                let kind = message.split([',', '=']).next().unwrap_or(message).to_owned();
                *self.schema_errors.entry(kind).or_default() += 1;
            }
            Some((class, _)) => *self.other_reference_errors.entry(class.to_owned()).or_default() += 1,
            None => {
                self.valid_documents += 1;
                let kind = match &report.reference_evaluate {
                    Value::Bool(true) => "true",
                    Value::Bool(false) => "false",
                    Value::Null => "null",
                    _ => "other value",
                };
                *self.results.entry(kind).or_default() += 1;
                if let Ok(doc) = Document::from_value(&case.schema) {
                    let ctx = match &case.context {
                        Some(Value::Object(map)) => Value::Object(map.clone()),
                        _ => Value::Object(Default::default()),
                    };
                    for feature in doc.features() {
                        for rule in feature.explain(&ctx, &FixedClock(case.now)).rules {
                            for c in rule.conditions {
                                let slot = match c.outcome {
                                    Outcome::Matched => 0,
                                    Outcome::NotMatched => 1,
                                    Outcome::KeyMissing => 2,
                                    Outcome::TypeMismatch(_) => 3,
                                    Outcome::NotEvaluated => continue,
                                };
                                self.actions.entry(c.action).or_default()[slot] += 1;
                            }
                        }
                    }
                }
            }
        }
        if report.reference_enabled.as_array().is_some_and(|a| !a.is_empty()) {
            self.enabled_nonempty += 1;
        }
        for v in [&report.evaluate, &report.enabled] {
            if let Verdict::Accepted(why) = v {
                *self.accepted.entry(why).or_default() += 1;
            }
        }
    }

    fn summary(&self) -> String {
        let list = |m: &BTreeMap<String, usize>| m.iter().map(|(k, v)| format!("    {v:>6}  {k}")).collect::<Vec<_>>().join("\n");
        let actions = self
            .actions
            .iter()
            .map(|(k, [m, n, missing, mismatch])| format!("    {m:>6} {n:>6} {missing:>6} {mismatch:>6}  {k}"))
            .collect::<Vec<_>>()
            .join("\n");
        format!(
            "  {} cases; {} valid documents (evaluate gave: {:?}); {} non-empty enabled lists\n  \
             conditions evaluated in valid documents (matched, not matched, key missing, type mismatch):\n{}\n  \
             schema errors by kind:\n{}\n  other reference errors: {:?}\n  accepted deliberate differences: {:?}",
            self.cases,
            self.valid_documents,
            self.results,
            self.enabled_nonempty,
            actions,
            list(&self.schema_errors),
            self.other_reference_errors,
            self.accepted,
        )
    }
}

fn show_case(title: &str, case: &Case, report: &Report) -> String {
    format!("{title}:\n  case (fixture format): {}\n{}", case.to_fixture_json(), report.describe())
}

#[test]
#[ignore = "needs the Python reference: run scripts/test-differential.sh"]
fn ff_answers_like_the_reference_on_random_cases() {
    let oracle = match Oracle::locate() {
        Ok(oracle) => oracle,
        Err(why) => {
            assert!(!flag("FF_DIFF_REQUIRE_ORACLE"), "the reference oracle cannot run: {why}");
            loud(&format!(
                "\n{bar}\n!! SKIPPED: differential test against the reference NOT RUN\n!! the oracle cannot run: {why}\n\
                 !! (needs python3 with venv and PyPI access once; see scripts/oracle/run)\n{bar}\n",
                bar = "!".repeat(78)
            ));
            return;
        }
    };
    let total = env_usize("FF_DIFF_CASES", 10_000);
    let batch = env_usize("FF_DIFF_BATCH", 500).max(1);
    let keep_going = flag("FF_DIFF_KEEP_GOING");
    let seed = seed();
    loud(&format!("differential: {total} cases, batches of {batch}, FF_DIFF_SEED={seed}, oracle {}", oracle.program().display()));

    let started = Instant::now();
    // Batches are generated on another thread, while this one waits for the reference.
    let (batches, received) = std::sync::mpsc::sync_channel::<Vec<Case>>(1);
    let producer = std::thread::spawn(move || {
        let mut runner = runner(seed);
        let strategy = gen::case();
        let mut generating = std::time::Duration::ZERO;
        let mut made = 0;
        while made < total {
            let n = batch.min(total - made);
            let t = Instant::now();
            let cases: Vec<Case> =
                (0..n).map(|_| strategy.new_tree(&mut runner).expect("the strategy generates").current()).collect();
            generating += t.elapsed();
            made += n;
            if batches.send(cases).is_err() {
                break;
            }
        }
        generating
    });
    let mut coverage = Coverage::default();
    let mut differences: Vec<(Case, Report)> = Vec::new();
    let mut tried = 0;
    for cases in received.iter() {
        let reports = run_batch(&oracle, &cases).unwrap_or_else(|e| panic!("the oracle failed: {e}"));
        tried += cases.len();
        for (case, report) in cases.iter().zip(&reports) {
            coverage.record(case, report);
            if report.differs() {
                differences.push((case.clone(), report.clone()));
            }
        }
        if !differences.is_empty() && !keep_going {
            break;
        }
    }
    drop(received);
    let generating = producer.join().expect("the generator thread");
    let elapsed = started.elapsed();
    loud(&format!(
        "differential: {tried} cases in {:.1}s ({:.1}s generating, alongside), {} differences (FF_DIFF_SEED={seed})\n{}",
        elapsed.as_secs_f64(),
        generating.as_secs_f64(),
        differences.len(),
        coverage.summary()
    ));
    if differences.is_empty() {
        return;
    }

    let mut message = format!("{} of {tried} cases differ from the reference (FF_DIFF_SEED={seed})\n", differences.len());
    let minimise_count = if keep_going { env_usize("FF_DIFF_MINIMISE", 5) } else { 1 };
    for (i, (case, report)) in differences.iter().enumerate() {
        message.push_str(&show_case(&format!("difference {}", i + 1), case, report));
        if i < minimise_count {
            let evaluate_differs = report.evaluate == Verdict::Differs;
            let mut still_fails = |candidates: &[Case]| {
                run_batch(&oracle, candidates).ok().map(|reports| {
                    reports
                        .iter()
                        .map(|r| if evaluate_differs { r.evaluate == Verdict::Differs } else { r.enabled == Verdict::Differs })
                        .collect()
                })
            };
            let small = minimise(case, 200, &mut still_fails);
            let small_report = run_batch(&oracle, std::slice::from_ref(&small)).expect("oracle").remove(0);
            message.push_str(&show_case("  minimised", &small, &small_report));
        }
        message.push('\n');
    }
    loud(&message);
    panic!("{message}");
}
