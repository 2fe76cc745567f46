//! Checks the parts of the guide (`docs/guide.md`) that are not Rust snippets, so that they
//! cannot rot either: every row of the action table is evaluated, every JSON document is
//! validated, the guide's copy of `flags.json` is the file, every link and anchor resolves,
//! and the Python bucketing function gives `ff_runtime::bucket_key`'s keys.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use ff_runtime::{bucket_key, Action, Document, FixedClock, Value};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn guide() -> String {
    std::fs::read_to_string(dir().join("guide.md")).expect("docs/guide.md")
}

/// The fenced code blocks of `markdown`: (info string, text, line of the opening fence).
fn code_blocks(markdown: &str) -> Vec<(String, String, usize)> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, String, usize)> = None;
    for (i, line) in markdown.lines().enumerate() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(info)) => open = Some((info.trim().to_owned(), String::new(), i + 1)),
            (Some(_), Some("")) => blocks.push(open.take().unwrap()),
            (Some((_, text, _)), _) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "an unclosed code block");
    blocks
}

/// The lines of `markdown` outside code blocks.
fn prose(markdown: &str) -> Vec<&str> {
    let mut inside = false;
    markdown
        .lines()
        .filter(|line| {
            if line.starts_with("```") {
                inside = !inside;
                return false;
            }
            !inside
        })
        .collect()
}

/// The rows (cells, trimmed) of every table whose header row starts with `header`.
fn table_rows(markdown: &str, header: &str) -> Vec<Vec<String>> {
    let lines = prose(markdown);
    let mut rows = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].starts_with(header) {
            i += 2; // the header and the `| --- |` line
            while i < lines.len() && lines[i].starts_with('|') {
                let line = lines[i].trim().trim_start_matches('|').trim_end_matches('|');
                rows.push(line.split('|').map(|c| c.trim().to_owned()).collect());
                i += 1;
            }
        }
        i += 1;
    }
    rows
}

/// The first `code span` of a table cell.
fn first_code(cell: &str) -> &str {
    cell.split('`').nth(1).unwrap_or_else(|| panic!("no `code` in cell {cell:?}"))
}

/// Evaluates a one-condition feature for a table cell: `` `{"key": …}` `` is a context and
/// `` at `2026-…Z` `` an instant (with an empty context).
fn holds(condition: &serde_json::Value, cell: &str) -> bool {
    let (ctx, clock) = match cell.strip_prefix("at ") {
        Some(rest) => (serde_json::json!({}), FixedClock(first_code(rest).parse().expect("an RFC 3339 instant"))),
        None => (
            serde_json::from_str(first_code(cell)).unwrap_or_else(|e| panic!("context {cell:?}: {e}")),
            FixedClock("2026-01-01T00:00:00Z".parse().unwrap()),
        ),
    };
    let document = serde_json::json!({
        "f": {"default": false, "rules": {"r": {"when_match": true, "conditions": [condition]}}}
    });
    let document = Document::from_value(&Value::from(document)).unwrap_or_else(|e| panic!("{condition}: {e}"));
    match document.evaluate("f", &ctx, &clock) {
        Some(Value::Bool(b)) => *b,
        other => panic!("{condition}: {other:?}"),
    }
}

#[test]
fn every_action_is_in_the_table_and_its_examples_hold() {
    let rows = table_rows(&guide(), "| action | matches when |");
    let mut seen = Vec::new();
    for row in &rows {
        let [action, _meaning, condition, yes, no] = &row[..] else { panic!("a row of 5 cells: {row:?}") };
        let action: Action = first_code(action).parse().unwrap();
        let condition: serde_json::Value = serde_json::from_str(first_code(condition)).unwrap();
        assert_eq!(condition["action"], action.as_str(), "the row of {action} shows another action");
        assert!(holds(&condition, yes), "{action}: {condition} should hold for {yes}");
        assert!(!holds(&condition, no), "{action}: {condition} should not hold for {no}");
        seen.push(action);
    }
    let mut all = Action::ALL.to_vec();
    all.sort();
    seen.sort();
    assert_eq!(seen, all, "the action table lists every action once");
}

/// Whether a JSON value looks like a feature-flags document: an object with a member that
/// is an object with a `default` or `rules`.
fn looks_like_a_document(value: &serde_json::Value) -> bool {
    value.as_object().is_some_and(|features| {
        features.values().any(|f| f.get("default").is_some() || f.get("rules").is_some())
    })
}

#[test]
fn every_json_block_parses_and_every_document_is_valid() {
    let mut documents = 0;
    for (info, text, line) in code_blocks(&guide()) {
        if info != "json" {
            continue;
        }
        let value: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("guide.md:{line}: not JSON: {e}"));
        // A document, or a document nested in a stored configuration (an envelope's).
        let mut candidates = vec![&value];
        candidates.extend(value.as_object().into_iter().flat_map(|o| o.values()));
        candidates.extend(value.pointer("/checkout/features"));
        for candidate in candidates.into_iter().filter(|v| looks_like_a_document(v)) {
            Document::parse(&candidate.to_string()).unwrap_or_else(|e| panic!("guide.md:{line}: {e}"));
            documents += 1;
        }
    }
    assert_eq!(documents, 3, "the guide shows flags.json, the envelope's document and the lifecycle metadata example");
}

#[test]
fn the_guide_shows_flags_json_as_it_is() {
    let file = std::fs::read_to_string(dir().join("flags.json")).unwrap();
    let shown = code_blocks(&guide())
        .into_iter()
        .find(|(info, text, _)| info == "json" && text.contains("\"new_checkout\"") && text.contains("gift_wrapping"))
        .expect("the guide shows flags.json");
    assert_eq!(shown.1, file, "the guide's copy of docs/flags.json differs from the file");

    // The counts that the guide quotes from `ff validate`.
    let document = Document::parse(&file).unwrap();
    let rules: usize = document.features().iter().map(|f| f.rules.len()).sum();
    let conditions: usize = document.features().iter().flat_map(|f| &f.rules).map(|r| r.conditions.len()).sum();
    let summary = format!("valid: {} features, {rules} rules, {conditions} conditions", document.len());
    assert!(guide().contains(&summary), "the guide should quote `{summary}`");
}

/// GitHub's anchor for a heading.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of the headings of a markdown text.
fn headings(markdown: &str) -> Vec<String> {
    prose(markdown).iter().filter_map(|l| l.strip_prefix('#')).map(|h| slug(h.trim_start_matches('#'))).collect()
}

#[test]
fn every_link_and_anchor_resolves() {
    let text = guide();
    let lines = prose(&text);
    let anchors = headings(&text);
    let mut checked = 0;
    for line in &lines {
        for part in line.split("](").skip(1) {
            let target = &part[..part.find(')').expect("a closing parenthesis")];
            if target.starts_with("http") {
                continue;
            }
            let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
            let headings = if file.is_empty() {
                anchors.clone()
            } else {
                let path = Path::new(&dir()).join(file);
                assert!(path.exists(), "guide.md links to {file}, which does not exist");
                match anchor {
                    "" => Vec::new(),
                    _ => headings(&std::fs::read_to_string(&path).unwrap()),
                }
            };
            if !anchor.is_empty() {
                assert!(headings.iter().any(|a| a == anchor), "no heading for {target}");
            }
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} links found");
}

#[test]
fn the_python_bucket_key_agrees_with_rust() {
    let (_, function, _) = code_blocks(&guide())
        .into_iter()
        .find(|(info, _, _)| info == "python")
        .expect("the guide shows the Python bucket_key");
    let ids = ["", "user-1", "ana@example.com", "ben@example.com", "tenant-42", "ünïcödé", "日本", "a b\tc"];
    let program = format!(
        "{function}\nimport json, sys\nfor user_id in json.load(sys.stdin):\n    print(bucket_key(user_id))\n"
    );
    let child = Command::new("python3")
        .args(["-c", &program])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        eprintln!("!! SKIPPED: python3 is not available, the guide's Python bucket_key was not checked");
        return;
    };
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), serde_json::to_string(&ids).unwrap().as_bytes()).unwrap();
    drop(child.stdin.take());
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "python3 failed");
    let keys: Vec<i64> = String::from_utf8(output.stdout).unwrap().lines().map(|l| l.parse().unwrap()).collect();
    let expected: Vec<i64> = ids.iter().map(bucket_key).collect();
    assert_eq!(keys, expected);
    assert_eq!(keys[2] % 100, 3, "ana@example.com is in bucket 3, as the guide says");
}

#[test]
fn only_the_aws_snippets_are_not_run() {
    let mut aws = 0;
    for (info, text, line) in code_blocks(&guide()) {
        let attributes: Vec<&str> = info.split(',').collect();
        if attributes[0] != "rust" {
            continue;
        }
        assert!(!attributes.contains(&"ignore"), "guide.md:{line}: an ignored snippet");
        if attributes.contains(&"no_run") {
            assert!(text.contains("ff_runtime::appconfig"), "guide.md:{line}: only snippets that need AWS are `no_run`");
            aws += 1;
        }
    }
    assert_eq!(aws, 5, "the AppConfigStore and AppConfigAgentStore snippets, the Agent's access token and variants, and the Lambda refresh policy");
}
