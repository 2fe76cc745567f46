//! What a feature's lifecycle metadata (`"x-ff"`, see `ff_runtime::document::metadata`)
//! adds to its accessors: the description as their first doc line, and `#[deprecated]` once
//! the feature is past its expiry date, so that every remaining use warns at compile time.

use ff_runtime::document::metadata::Date;
use ff_runtime::{Document, Feature};
use proc_macro2::TokenStream;
use quote::quote;

/// The date the build compares expiry dates with: today's (UTC), or the UTC date of
/// `SOURCE_DATE_EPOCH` when it is set (reproducible builds). Read only when some feature
/// has an expiry date, so that other builds do not depend on the clock.
///
/// # Errors
/// `SOURCE_DATE_EPOCH` is set but is not a number of seconds.
pub(super) fn today(document: &Document) -> Result<Date, String> {
    if document.features().iter().all(|f| f.metadata.expires.is_none()) {
        return Ok(Date::new(1970, 1, 1).expect("a date"));
    }
    Date::today_or_source_date_epoch()
}

/// The description, then an empty line, as doc lines (nothing without a description).
pub(super) fn description(feature: &Feature) -> Vec<String> {
    match feature.metadata.description.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => {
            let mut lines: Vec<String> = text.lines().map(|l| l.trim_end().to_owned()).collect();
            lines.push(String::new());
            lines
        }
        _ => Vec::new(),
    }
}

/// `#[deprecated(note = "…")]` naming the owner and the date, when `feature` has expired on
/// `today`; nothing otherwise.
pub(super) fn deprecated(feature: &Feature, today: Date) -> TokenStream {
    let metadata = &feature.metadata;
    let Some(expires) = metadata.expires.filter(|_| metadata.is_expired(today)) else {
        return TokenStream::new();
    };
    let owner = metadata.owner.as_deref().map_or_else(String::new, |o| format!(" (owner: {o})"));
    let note = format!(
        "feature {:?} expired on {expires}{owner}: remove its uses, then the feature from the document",
        feature.name
    );
    quote!(#[deprecated(note = #note)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feature(json: &str) -> Feature {
        Document::parse(json).unwrap().features()[0].clone()
    }

    #[test]
    fn deprecated_from_the_expiry_date_on() {
        let f = feature(r#"{"old": {"default": true, "x-ff": {"expires": "2025-06-30", "owner": "payments"}}}"#);
        assert!(deprecated(&f, Date::new(2025, 6, 29).unwrap()).is_empty());
        assert_eq!(
            deprecated(&f, Date::new(2025, 6, 30).unwrap()).to_string(),
            r#"# [deprecated (note = "feature \"old\" expired on 2025-06-30 (owner: payments): remove its uses, then the feature from the document")]"#
        );
        assert!(deprecated(&feature(r#"{"f": {"default": true}}"#), Date::new(2999, 1, 1).unwrap()).is_empty());
    }

    #[test]
    fn description_lines() {
        let f = feature(r#"{"f": {"default": true, "x-ff": {"description": "One-page checkout.\nFor EU first. "}}}"#);
        assert_eq!(description(&f), ["One-page checkout.", "For EU first.", ""]);
        assert!(description(&feature(r#"{"f": {"default": true, "x-ff": {"description": "  "}}}"#)).is_empty());
    }
}
