//! Helpers shared by ff's cross-crate tests: reading the conformance fixtures
//! (`tests/conformance/*.json`, produced by running the reference, Powertools for AWS Lambda
//! (Python) 3.37.0) and running their cases.

use std::path::{Path, PathBuf};

use ff_runtime::Value;

/// The folder holding the conformance fixtures.
pub fn conformance_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance")
}

/// One fixture file.
pub struct Fixture {
    /// File name, e.g. `time.json`.
    pub file: String,
    /// The whole file.
    pub json: Value,
}

/// Every fixture file, sorted by name.
pub fn fixtures() -> Vec<Fixture> {
    let mut files: Vec<_> = std::fs::read_dir(conformance_dir())
        .expect("tests/conformance exists")
        .map(|e| e.expect("readable dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("fixture is readable");
            Fixture {
                file: path.file_name().unwrap().to_string_lossy().into_owned(),
                json: Value::from_json(&text).expect("fixture is JSON"),
            }
        })
        .collect()
}

/// The document a case runs against: its own `schema`, else the file's.
pub fn schema_of<'a>(fixture: &'a Value, case: &'a Value) -> Option<&'a Value> {
    case.get("schema").or_else(|| fixture.get("schema"))
}

/// The `enabled_features` entries of a file: explicit, or derived as the fixture README says
/// (one per distinct `(context, now, schema, store_error)` among the cases, in order).
pub fn enabled_entries(fixture: &Value) -> Vec<Value> {
    if let Some(entries) = fixture.get("enabled_features").and_then(Value::as_array) {
        return entries.to_vec();
    }
    let mut seen = Vec::<String>::new();
    let mut out = Vec::new();
    for case in fixture.get("cases").and_then(Value::as_array).unwrap_or_default() {
        let mut entry = ff_runtime::Map::new();
        for key in ["context", "now", "schema", "store_error"] {
            if let Some(v) = case.get(key) {
                entry.insert(key.to_owned(), v.clone());
            }
        }
        let entry = Value::from(entry);
        let id = entry.to_json();
        if !seen.contains(&id) {
            seen.push(id);
            out.push(entry);
        }
    }
    out
}

/// The `now` of a case as an instant (a naive time is UTC, as in the oracle).
pub fn now_of(case: &Value) -> Option<jiff::Timestamp> {
    let text = case.get("now")?.as_str()?;
    parse_instant(text)
}

/// Parses an RFC 3339 instant, or a naive date-time taken as UTC.
pub fn parse_instant(text: &str) -> Option<jiff::Timestamp> {
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Some(ts);
    }
    let civil: jiff::civil::DateTime = text.parse().ok()?;
    jiff::tz::TimeZone::UTC.to_timestamp(civil).ok()
}

/// The expected error's class name, when `expected` is `{"error": "Class: message"}`.
pub fn expected_error(expected: &Value) -> Option<(&str, &str)> {
    let obj = expected.as_object()?;
    if obj.len() != 1 {
        return None;
    }
    let text = obj.get("error")?.as_str()?;
    Some(match text.split_once(": ") {
        Some((class, message)) => (class, message),
        None => (text, ""),
    })
}

/// The differential test against the reference (random documents and contexts).
pub mod differential;

/// Capturing ff's `tracing` output in tests (the current thread only).
pub mod logs {
    use std::sync::{Arc, Mutex};

    /// A shared buffer that a `tracing_subscriber::fmt` subscriber writes into.
    #[derive(Clone, Default)]
    pub struct Logs(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Logs {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Logs {
        type Writer = Logs;
        fn make_writer(&'a self) -> Logs {
            self.clone()
        }
    }

    impl Logs {
        /// Everything written so far.
        pub fn text(&self) -> String {
            String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
        }

        /// The `WARN` lines that contain `needle`.
        pub fn warnings(&self, needle: &str) -> usize {
            self.text().lines().filter(|l| l.contains("WARN") && l.contains(needle)).count()
        }

        /// Runs `f` with every event of this thread, TRACE included, written here as text
        /// (with targets, files and lines, without colours).
        pub fn capture<T>(&self, f: impl FnOnce() -> T) -> T {
            let subscriber = tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_writer(self.clone())
                .with_ansi(false)
                .with_target(true)
                .with_file(true)
                .with_line_number(true)
                .finish();
            tracing::subscriber::with_default(subscriber, f)
        }
    }
}
