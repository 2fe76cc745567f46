//! Lifecycle metadata: ff's extension object `"x-ff"` inside a feature.
//!
//! ```json
//! "new_checkout": {
//!   "default": false,
//!   "x-ff": {
//!     "description": "The one-page checkout",
//!     "owner": "team-payments",
//!     "kind": "release",
//!     "expires": "2025-06-30"
//!   }
//! }
//! ```
//!
//! The reference ignores keys of a feature it does not know (checked with the oracle: a
//! feature carrying `"x-ff"` evaluates, and is listed by `get_enabled_features`, exactly as
//! without it, whatever the shape of `"x-ff"`), so the metadata never changes an evaluation
//! and a Python service reads the same document. All of ff's keys live in one object, so
//! that a key the reference adds to features one day cannot collide with them; the `x-`
//! prefix is the usual mark of an extension. Metadata belongs in features only: a key at the
//! top level of a document is a feature for the reference (so `"x-ff"` there, like
//! `"$schema"`, makes the document invalid).
//!
//! Metadata is read leniently: a member of the wrong shape is left out of [`Metadata`] and
//! reported by [`metadata_warnings`] (`ff validate` prints these as warnings and still
//! succeeds: the reference accepts the document).

use std::fmt;
use std::str::FromStr;

use crate::value::{Map, Value};

/// The key of ff's extension object in a feature.
pub const METADATA_KEY: &str = "x-ff";

/// The keys of the extension object, in the order the documentation lists them.
pub const METADATA_MEMBERS: [&str; 4] = ["description", "owner", "kind", "expires"];

/// A feature's lifecycle metadata (its `"x-ff"` object). Every member is optional; one of
/// the wrong shape is `None` here (see [`metadata_warnings`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Metadata {
    /// `description`: what the feature is for (the generated accessor's first doc line).
    pub description: Option<String>,
    /// `owner`: who decides when it goes (a team, a person, an e-mail address).
    pub owner: Option<String>,
    /// `kind`: what sort of flag it is.
    pub kind: Option<Kind>,
    /// `expires`: the date from which the feature is due for removal (see [`Metadata::is_expired`]).
    pub expires: Option<Date>,
}

impl Metadata {
    /// Reads the metadata of a feature object (its `"x-ff"` member), keeping the members of
    /// the right shape. A feature without `"x-ff"` has empty metadata.
    pub fn from_feature(feature: &Map) -> Metadata {
        let Some(Value::Object(object)) = feature.get(METADATA_KEY) else {
            return Metadata::default();
        };
        let string = |key: &str| match object.get(key) {
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        };
        Metadata {
            description: string("description"),
            owner: string("owner"),
            kind: string("kind").and_then(|k| k.parse().ok()),
            expires: string("expires").and_then(|d| d.parse().ok()),
        }
    }

    /// Whether the feature is due for removal on `today`: it has an expiry date and `today`
    /// is that date or later.
    pub fn is_expired(&self, today: Date) -> bool {
        self.expires.is_some_and(|expires| today >= expires)
    }

    /// Whether no member is set.
    pub fn is_empty(&self) -> bool {
        *self == Metadata::default()
    }
}

/// What sort of flag a feature is (the `kind` member), after the usual taxonomy of flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `"release"`: hides unfinished work during a rollout; short-lived.
    Release,
    /// `"experiment"`: an A/B test or a split; goes when the experiment ends.
    Experiment,
    /// `"ops"`: an operational switch (a kill switch, a degraded mode); may live long.
    Ops,
    /// `"permission"`: gates a feature for some users (a plan, a beta group); long-lived.
    Permission,
}

impl Kind {
    /// Every kind, in the order the documentation lists them.
    pub const ALL: [Kind; 4] = [Kind::Release, Kind::Experiment, Kind::Ops, Kind::Permission];

    /// The document spelling, e.g. `"release"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Release => "release",
            Kind::Experiment => "experiment",
            Kind::Ops => "ops",
            Kind::Permission => "permission",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = String;
    /// Exact, lower-case spelling; the error says what was expected.
    fn from_str(s: &str) -> Result<Kind, String> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            format!("expected `kind` to be one of release, experiment, ops, permission, found {s:?}")
        })
    }
}

/// A calendar date, `YYYY-MM-DD` (ISO 8601, proleptic Gregorian), as `expires` spells it.
/// Ordered chronologically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i16,
    month: i8,
    day: i8,
}

impl Date {
    /// The date, when it exists (`2024-02-30` does not).
    pub fn new(year: i16, month: i8, day: i8) -> Option<Date> {
        jiff::civil::Date::new(year, month, day).ok().map(|_| Date { year, month, day })
    }

    /// Today's date in UTC by the system clock, or, when the environment variable
    /// `SOURCE_DATE_EPOCH` is set (reproducible builds: seconds since the Unix epoch), the
    /// UTC date of that instant.
    ///
    /// # Errors
    /// `SOURCE_DATE_EPOCH` is set but is not an integer number of seconds in jiff's range.
    pub fn today_or_source_date_epoch() -> Result<Date, String> {
        match std::env::var("SOURCE_DATE_EPOCH") {
            Ok(text) => {
                let seconds: i64 = text
                    .trim()
                    .parse()
                    .map_err(|_| format!("SOURCE_DATE_EPOCH: expected seconds since the Unix epoch, found {text:?}"))?;
                let instant = jiff::Timestamp::from_second(seconds)
                    .map_err(|e| format!("SOURCE_DATE_EPOCH: {seconds} is out of range: {e}"))?;
                Ok(Date::from_civil(jiff::tz::TimeZone::UTC.to_datetime(instant).date()))
            }
            Err(_) => Ok(Date::from_civil(jiff::tz::TimeZone::UTC.to_datetime(jiff::Timestamp::now()).date())),
        }
    }

    fn from_civil(date: jiff::civil::Date) -> Date {
        Date { year: date.year(), month: date.month(), day: date.day() }
    }

    /// The year.
    pub fn year(self) -> i16 {
        self.year
    }
    /// The month, 1 to 12.
    pub fn month(self) -> i8 {
        self.month
    }
    /// The day of the month, from 1.
    pub fn day(self) -> i8 {
        self.day
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = String;
    /// Exactly `YYYY-MM-DD` (ten characters), a date that exists.
    fn from_str(s: &str) -> Result<Date, String> {
        let expected = || format!("expected a date as YYYY-MM-DD (e.g. 2025-06-30), found {s:?}");
        let b = s.as_bytes();
        let shape = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape {
            return Err(expected());
        }
        let (year, month, day) = (s[0..4].parse().ok(), s[5..7].parse().ok(), s[8..10].parse().ok());
        match (year, month, day) {
            (Some(y), Some(m), Some(d)) => {
                Date::new(y, m, d).ok_or_else(|| format!("expected a date that exists, found {s:?}"))
            }
            _ => Err(expected()),
        }
    }
}

/// A problem with a feature's metadata: the reference accepts the document, so this is a
/// warning, never an error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetadataWarning {
    /// JSON pointer (RFC 6901) of the offending member, from the document's root.
    pub pointer: String,
    /// What was found and what was expected.
    pub message: String,
}

impl fmt::Display for MetadataWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

/// Every problem with the shape of the metadata in a document (the root value, before or
/// after validation): an `"x-ff"` that is not an object, a member of the wrong type, an
/// unknown `kind`, a date that is not `YYYY-MM-DD` or does not exist, an unknown member.
/// Empty for a document without metadata, and for a root that is not an object.
pub fn metadata_warnings(root: &Value) -> Vec<MetadataWarning> {
    let mut out = Vec::new();
    let Value::Object(features) = root else {
        return out;
    };
    for (name, feature) in features.iter() {
        let Value::Object(feature) = feature else { continue };
        let Some(metadata) = feature.get(METADATA_KEY) else { continue };
        let at = crate::value::json::pointer(&[name.as_str(), METADATA_KEY]);
        check_object(&at, metadata, &mut out);
    }
    out
}

fn check_object(at: &str, metadata: &Value, out: &mut Vec<MetadataWarning>) {
    let mut warn = |pointer: String, message: String| out.push(MetadataWarning { pointer, message });
    let Value::Object(object) = metadata else {
        warn(
            at.to_owned(),
            format!("expected `{METADATA_KEY}` to be an object of description, owner, kind and expires, found {}", crate::document::validate::describe(metadata)),
        );
        return;
    };
    for (key, value) in object.iter() {
        let pointer = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
        let text = match value {
            Value::String(s) => Some(s.as_str()),
            _ => None,
        };
        let problem = match (key.as_str(), text) {
            ("description" | "owner", Some(_)) => None,
            ("kind", Some(kind)) => kind.parse::<Kind>().err(),
            ("expires", Some(date)) => date.parse::<Date>().err().map(|e| format!("`expires`: {e}")),
            (known, None) if METADATA_MEMBERS.contains(&known) => Some(format!(
                "expected `{known}` to be a string, found {}",
                crate::document::validate::describe(value)
            )),
            (unknown, _) => Some(format!(
                "unknown member `{unknown}` of `{METADATA_KEY}` (ff reads description, owner, kind and expires)"
            )),
        };
        if let Some(message) = problem {
            warn(pointer, message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metadata(json: &str) -> Metadata {
        match Value::from_json(json).unwrap() {
            Value::Object(feature) => Metadata::from_feature(&feature),
            _ => unreachable!(),
        }
    }

    #[test]
    fn reads_every_member() {
        let m = metadata(
            r#"{"default": true, "x-ff": {"description": "One-page checkout", "owner": "payments", "kind": "release", "expires": "2025-06-30"}}"#,
        );
        assert_eq!(m.description.as_deref(), Some("One-page checkout"));
        assert_eq!(m.owner.as_deref(), Some("payments"));
        assert_eq!(m.kind, Some(Kind::Release));
        assert_eq!(m.expires, Date::new(2025, 6, 30));
        assert_eq!(m.expires.unwrap().to_string(), "2025-06-30");
    }

    #[test]
    fn leaves_out_members_of_the_wrong_shape() {
        let m = metadata(r#"{"x-ff": {"description": 3, "owner": "o", "kind": "Release", "expires": "2025-02-30"}}"#);
        assert_eq!(m, Metadata { owner: Some("o".into()), ..Metadata::default() });
        assert!(metadata(r#"{"x-ff": [1]}"#).is_empty());
        assert!(metadata(r#"{"default": true}"#).is_empty());
    }

    #[test]
    fn a_document_keeps_each_features_metadata_and_compares_without_it() {
        let with = crate::document::Document::parse(r#"{"f": {"default": true, "x-ff": {"owner": "o", "kind": "ops"}}}"#).unwrap();
        let without = crate::document::Document::parse(r#"{"f": {"default": true}}"#).unwrap();
        let f = with.feature("f").unwrap();
        assert_eq!(f.metadata, Metadata { owner: Some("o".into()), kind: Some(Kind::Ops), ..Metadata::default() });
        assert!(without.feature("f").unwrap().metadata.is_empty());
        // Metadata changes no evaluation: the generated code's native evaluation still applies.
        assert!(f.same(without.feature("f").unwrap()));
    }

    #[test]
    fn expires_on_its_date() {
        let m = metadata(r#"{"x-ff": {"expires": "2025-06-30"}}"#);
        assert!(!m.is_expired(Date::new(2025, 6, 29).unwrap()));
        assert!(m.is_expired(Date::new(2025, 6, 30).unwrap()));
        assert!(m.is_expired(Date::new(2026, 1, 1).unwrap()));
        assert!(!Metadata::default().is_expired(Date::new(2999, 1, 1).unwrap()));
    }

    #[test]
    fn dates_are_exactly_yyyy_mm_dd() {
        assert_eq!("2024-02-29".parse::<Date>(), Ok(Date::new(2024, 2, 29).unwrap()));
        for bad in ["2023-02-29", "2024-13-01", "2024-1-01", "24-01-01", "2024-01-01T00:00:00Z", "2024/01/01", "+024-01-01", ""] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        assert!(Date::new(2024, 1, 2) < Date::new(2024, 2, 1));
    }

    #[test]
    fn warns_about_each_bad_member_with_its_pointer() {
        let root = Value::from_json(
            r#"{"a": {"default": true, "x-ff": {"description": 1, "kind": "feature", "expires": "2025-06-31", "ownr": "x", "owner": "ok"}},
                "b/c": {"default": true, "x-ff": "text"},
                "d": {"default": true, "x-ff": {"kind": "ops", "expires": "2025-01-01"}},
                "e": {"default": true}}"#,
        )
        .unwrap();
        let lines: Vec<String> = metadata_warnings(&root).iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "/a/x-ff/description: expected `description` to be a string, found integer 1",
                "/a/x-ff/kind: expected `kind` to be one of release, experiment, ops, permission, found \"feature\"",
                "/a/x-ff/expires: `expires`: expected a date that exists, found \"2025-06-31\"",
                "/a/x-ff/ownr: unknown member `ownr` of `x-ff` (ff reads description, owner, kind and expires)",
                "/b~1c/x-ff: expected `x-ff` to be an object of description, owner, kind and expires, found string \"text\"",
            ]
        );
        assert!(metadata_warnings(&Value::from_json("[]").unwrap()).is_empty());
    }
}
