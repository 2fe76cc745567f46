//! What changed in a feature's rules, rule by rule, for `ff diff`: rules added, removed,
//! renamed (same `when_match` and conditions under another name) and moved (the first
//! matching rule wins, so order matters), `when_match` changed, and conditions added,
//! removed or changed (action, key or value), numbered from 1 in document order.

use ff_runtime::{Condition, Feature, Rule};

/// One line per edit, in the new document's rule order (removed rules first).
pub fn rule_edits(old: &Feature, new: &Feature) -> Vec<String> {
    let mut edits = Vec::new();
    // Old rule → new rule: by name, then unmatched ones with the same content (renamed).
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut new_taken = vec![false; new.rules.len()];
    let mut old_unpaired = Vec::new();
    for (i, rule) in old.rules.iter().enumerate() {
        match new.rules.iter().position(|r| r.name == rule.name) {
            Some(j) => {
                pairs.push((i, j));
                new_taken[j] = true;
            }
            None => old_unpaired.push(i),
        }
    }
    let mut removed = Vec::new();
    for i in old_unpaired {
        let twin = (0..new.rules.len()).find(|&j| !new_taken[j] && same_content(&old.rules[i], &new.rules[j]));
        match twin {
            Some(j) => {
                new_taken[j] = true;
                pairs.push((i, j));
                edits.push(format!("rule {:?} renamed to {:?}", old.rules[i].name, new.rules[j].name));
            }
            None => removed.push(i),
        }
    }
    for i in removed {
        edits.insert(0, format!("rule {:?} removed", old.rules[i].name));
    }
    for (j, rule) in new.rules.iter().enumerate() {
        if !new_taken[j] {
            edits.push(format!("rule {:?} added at position {} ({})", rule.name, j + 1, summary(rule)));
        }
    }
    edits.extend(moves(&pairs, new));
    pairs.sort_by_key(|&(_, j)| j);
    for (i, j) in pairs {
        edits.extend(rule_changes(&old.rules[i], &new.rules[j]));
    }
    edits
}

/// Rules kept (by name or renamed) whose place among the kept rules changed.
fn moves(pairs: &[(usize, usize)], new: &Feature) -> Vec<String> {
    let mut by_old: Vec<(usize, usize)> = pairs.to_vec();
    by_old.sort();
    let mut by_new = by_old.clone();
    by_new.sort_by_key(|&(_, j)| j);
    by_new
        .iter()
        .enumerate()
        .filter(|&(rank, pair)| by_old[rank] != *pair)
        .map(|(_, &(i, j))| format!("rule {:?} moved from position {} to {}", new.rules[j].name, i + 1, j + 1))
        .collect()
}

fn same_content(a: &Rule, b: &Rule) -> bool {
    a.value().to_json() == b.value().to_json()
        && a.conditions.len() == b.conditions.len()
        && a.conditions.iter().zip(&b.conditions).all(|(c, d)| same_condition(c, d))
}

fn same_condition(a: &Condition, b: &Condition) -> bool {
    a.action == b.action && a.key == b.key && a.value.to_json() == b.value.to_json()
}

/// `when_match true, 2 conditions`.
fn summary(rule: &Rule) -> String {
    let n = rule.conditions.len();
    format!("when_match {}, {n} condition{}", rule.value(), if n == 1 { "" } else { "s" })
}

/// `MODULO_RANGE on user_id`.
fn what(condition: &Condition) -> String {
    format!("{} on {}", condition.action, condition.key)
}

/// The edits inside one rule kept from old to new (named as in new).
fn rule_changes(old: &Rule, new: &Rule) -> Vec<String> {
    let name = &new.name;
    let mut out = Vec::new();
    if old.value().to_json() != new.value().to_json() {
        out.push(format!("rule {name:?}: when_match {} -> {}", old.value(), new.value()));
    }
    for k in 0..old.conditions.len().max(new.conditions.len()) {
        let n = k + 1;
        match (old.conditions.get(k), new.conditions.get(k)) {
            (Some(a), Some(b)) if same_condition(a, b) => {}
            (Some(a), Some(b)) if a.action == b.action && a.key == b.key => {
                out.push(format!("rule {name:?}: condition {n} ({}) value {} -> {}", what(a), a.value, b.value));
            }
            (Some(a), Some(b)) => {
                out.push(format!("rule {name:?}: condition {n} {} {} -> {} {}", what(a), a.value, what(b), b.value));
            }
            (Some(a), None) => out.push(format!("rule {name:?}: condition {n} ({} {}) removed", what(a), a.value)),
            (None, Some(b)) => out.push(format!("rule {name:?}: condition {n} ({} {}) added", what(b), b.value)),
            (None, None) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ff_runtime::Document;

    fn feature(rules: &str) -> Feature {
        let text = format!(r#"{{"f": {{"default": false, "rules": {{{rules}}}}}}}"#);
        Document::parse(&text).unwrap().features()[0].clone()
    }

    const ROLLOUT_9: &str = r#""rollout": {"when_match": true, "conditions": [{"action": "MODULO_RANGE", "key": "user_id", "value": {"BASE": 100, "START": 0, "END": 9}}]}"#;
    const ROLLOUT_19: &str = r#""rollout": {"when_match": true, "conditions": [{"action": "MODULO_RANGE", "key": "user_id", "value": {"BASE": 100, "START": 0, "END": 19}}]}"#;
    const GOLD: &str = r#""gold": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "tier", "value": "gold"}]}"#;

    /// Issue 12, finding 8: a rollout widened from 0-9 to 0-19 was reported as
    /// `rules changed (2 -> 2 rules)`.
    #[test]
    fn a_widened_rollout_names_the_condition_and_both_values() {
        let edits = rule_edits(&feature(&format!("{GOLD}, {ROLLOUT_9}")), &feature(&format!("{GOLD}, {ROLLOUT_19}")));
        assert_eq!(
            edits,
            [r#"rule "rollout": condition 1 (MODULO_RANGE on user_id) value {"BASE":100,"START":0,"END":9} -> {"BASE":100,"START":0,"END":19}"#]
        );
    }

    #[test]
    fn rules_added_removed_renamed_moved_and_edited() {
        let old = feature(&format!(
            r#"{GOLD}, {ROLLOUT_9}, "beta": {{"when_match": true, "conditions": [{{"action": "IN", "key": "user", "value": ["a"]}}]}},
               "old name": {{"when_match": false, "conditions": [{{"action": "EQUALS", "key": "x", "value": 1}}]}}"#
        ));
        let new = feature(&format!(
            r#"{ROLLOUT_9}, "new name": {{"when_match": false, "conditions": [{{"action": "EQUALS", "key": "x", "value": 1}}]}},
               "gold": {{"when_match": false, "conditions": [{{"action": "EQUALS", "key": "tier", "value": "gold"}}, {{"action": "KEY_GREATER_THAN_VALUE", "key": "age", "value": 18}}]}},
               "staff": {{"when_match": true, "conditions": [{{"action": "ENDSWITH", "key": "email", "value": "@shop.example"}}]}}"#
        ));
        assert_eq!(
            rule_edits(&old, &new),
            [
                r#"rule "beta" removed"#,
                r#"rule "old name" renamed to "new name""#,
                r#"rule "staff" added at position 4 (when_match true, 1 condition)"#,
                r#"rule "rollout" moved from position 2 to 1"#,
                r#"rule "new name" moved from position 4 to 2"#,
                r#"rule "gold" moved from position 1 to 3"#,
                r#"rule "gold": when_match true -> false"#,
                r#"rule "gold": condition 2 (KEY_GREATER_THAN_VALUE on age 18) added"#,
            ]
        );
        let swapped = feature(r#""gold": {"when_match": true, "conditions": [{"action": "NOT_EQUALS", "key": "plan", "value": "gold"}]}"#);
        assert_eq!(
            rule_edits(&feature(GOLD), &swapped),
            [r#"rule "gold": condition 1 EQUALS on tier "gold" -> NOT_EQUALS on plan "gold""#]
        );
        assert!(rule_edits(&old, &old).is_empty());
    }
}
