//! Minimising a failing case by delta debugging on its JSON: drop members and elements,
//! replace values by simpler ones, shorten strings and numbers, round the clock. Every
//! candidate of a round is one oracle batch; the first candidate that still fails becomes the
//! case, until no candidate fails. (proptest's own shrinking would need one oracle run per
//! step; this needs one per round.)

use ff_runtime::{Number, Value};
use jiff::Timestamp;

use super::gen::Case;

/// A size that every accepted candidate strictly decreases: JSON length, then the number of
/// non-null leaves, then whether the JSON text is styled, then how fine the clock is.
fn measure(case: &Case) -> (usize, usize, bool, u8) {
    fn leaves(v: &Value) -> usize {
        match v {
            Value::Null => 0,
            Value::Array(items) => items.iter().map(leaves).sum(),
            Value::Object(map) => map.values().map(leaves).sum(),
            _ => 1,
        }
    }
    let len = case.schema.to_json().len()
        + case.context.as_ref().map_or(0, |c| c.to_json().len())
        + case.default.to_json().len()
        + case.name.len();
    let n = leaves(&case.schema) + case.context.as_ref().map_or(0, leaves) + leaves(&case.default);
    let micros = case.now.as_microsecond();
    let fine = if micros % 60_000_000 == 0 {
        0
    } else if micros % 1_000_000 == 0 {
        1
    } else {
        2
    };
    (len, n, case.style != 0, fine)
}

/// Simpler versions of `v` (each a single change somewhere inside it).
pub fn reductions(v: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    match v {
        Value::Null => {}
        Value::Bool(_) => out.push(Value::Null),
        Value::Number(n) => {
            out.push(Value::Null);
            out.push(Value::from(0));
            out.push(Value::from(1));
            let text = n.to_string();
            if let Number::Float(x) = n {
                if x.fract() != 0.0 && x.abs() < 1e18 {
                    out.push(Value::from(x.trunc() as i64));
                }
            }
            if text.len() > 2 && n.is_integer() {
                if let Some(shorter) = Number::parse(&text[..text.len() - 1]) {
                    out.push(Value::Number(shorter));
                }
            }
        }
        Value::String(s) => {
            out.push(Value::Null);
            if !s.is_empty() {
                let chars: Vec<char> = s.chars().collect();
                out.push(Value::from(""));
                out.push(Value::from(chars[1..].iter().collect::<String>()));
                out.push(Value::from(chars[..chars.len() - 1].iter().collect::<String>()));
                if chars.len() > 3 {
                    out.push(Value::from(chars[..chars.len() / 2].iter().collect::<String>()));
                }
            }
        }
        Value::Array(items) => {
            out.push(Value::Null);
            for i in 0..items.len() {
                let mut fewer = items.clone();
                fewer.remove(i);
                out.push(Value::Array(fewer));
            }
            for (i, item) in items.iter().enumerate() {
                for r in reductions(item) {
                    let mut changed = items.clone();
                    changed[i] = r;
                    out.push(Value::Array(changed));
                }
            }
        }
        Value::Object(map) => {
            out.push(Value::Null);
            for key in map.keys() {
                let mut fewer = map.clone();
                fewer.shift_remove(key);
                out.push(Value::Object(fewer));
            }
            for (key, item) in map.iter() {
                for r in reductions(item) {
                    let mut changed = map.clone();
                    changed.insert(key.clone(), r);
                    out.push(Value::Object(changed));
                }
            }
        }
    }
    out
}

fn candidates(case: &Case) -> Vec<Case> {
    let mut out = Vec::new();
    for schema in reductions(&case.schema) {
        out.push(Case { schema, ..case.clone() });
    }
    if let Some(ctx) = &case.context {
        for r in reductions(ctx) {
            out.push(Case { context: Some(r), ..case.clone() });
        }
    }
    if case.style != 0 {
        out.push(Case { style: 0, ..case.clone() });
    }
    if !case.default.is_null() {
        out.push(Case { default: Value::Null, ..case.clone() });
    }
    let micros = case.now.as_microsecond();
    for unit in [1_000_000, 60_000_000] {
        let rounded = micros - micros.rem_euclid(unit);
        if rounded != micros {
            out.push(Case { now: Timestamp::from_microsecond(rounded).unwrap(), ..case.clone() });
        }
    }
    let size = measure(case);
    out.retain(|c| measure(c) < size);
    out
}

/// Minimises `case`, given a check that says which of a batch of cases still fail.
///
/// Stops after `max_rounds` rounds or when the check fails (an oracle error): the smallest
/// failing case found so far is returned either way.
pub fn minimise(case: &Case, max_rounds: usize, still_fails: &mut dyn FnMut(&[Case]) -> Option<Vec<bool>>) -> Case {
    let mut current = case.clone();
    for _ in 0..max_rounds {
        let candidates = candidates(&current);
        if candidates.is_empty() {
            break;
        }
        let Some(verdicts) = still_fails(&candidates) else { break };
        // The smallest candidate that still fails.
        let smallest = candidates.into_iter().zip(verdicts).filter(|(_, fails)| *fails).map(|(c, _)| c).min_by_key(measure);
        match smallest {
            Some(smaller) => current = smaller,
            None => break,
        }
    }
    current
}
