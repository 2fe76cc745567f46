//! The schedule actions, which read the clock and ignore the context:
//!
//! * `SCHEDULE_BETWEEN_TIME_RANGE` (key `CURRENT_TIME`): `{"START": "HH:MM", "END": "HH:MM",
//!   "TIMEZONE": zone}`. Matches when the wall-clock minute in the zone is within
//!   `START..=END`; when `END < START` the window crosses midnight (`m >= START || m <= END`).
//!   Both ends are inclusive for their whole minute.
//! * `SCHEDULE_BETWEEN_DATETIME_RANGE` (key `CURRENT_DATETIME`): `START`/`END` are ISO 8601
//!   date-times without offset (as Python 3.11's `datetime.fromisoformat` reads them; a
//!   date alone means midnight), taken as wall-clock times in the zone; matches when
//!   `START <= now <= END` at microsecond precision.
//! * `SCHEDULE_BETWEEN_DAYS_OF_WEEK` (key `CURRENT_DAY_OF_WEEK`): `{"DAYS": ["MONDAY", …],
//!   "TIMEZONE": zone}`; matches when today in the zone is listed (`DAYS` may be empty).
//!
//! `TIMEZONE` is an IANA name, matched case-sensitively (`Europe/Copenhagen`, `US/Eastern`,
//! `UTC`), from the zone database bundled with ff (so it works where the system has none).
//! Absent or falsy (`null`, `""`) means UTC. Comparisons use the wall clock, as the
//! reference does: in a DST gap the skipped times never occur, and in an overlap both
//! occurrences match. The reference also accepts POSIX TZ strings (`UTC+3`) and file paths
//! through `dateutil.tz.gettz`; ff rejects those as invalid zones.

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::Timestamp;

use super::isoformat::parse_isoformat;
use crate::document::Action;
use crate::validate::{describe, Invalid};
use crate::value::{Map, Value};

/// The day names of `DAYS`, Monday first (the order of `Weekday::to_monday_zero_offset`).
const DAY_NAMES: [&str; 7] = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];

/// A compiled schedule condition.
#[derive(Clone, Debug)]
pub(crate) enum Schedule {
    /// Minutes since midnight, inclusive at both ends.
    TimeRange { start: u16, end: u16, zone: TimeZone },
    /// Wall-clock bounds, inclusive.
    DateTimeRange { start: DateTime, end: DateTime, zone: TimeZone },
    /// Bit `n` set for the day `n` days after Monday.
    DaysOfWeek { days: u8, zone: TimeZone },
}

impl Schedule {
    pub(crate) fn compile(action: Action, value: &Value, rule: &str) -> Result<Schedule, Invalid> {
        match action {
            Action::ScheduleBetweenTimeRange => compile_time_range(value, rule),
            Action::ScheduleBetweenDatetimeRange => compile_datetime_range(value, rule),
            Action::ScheduleBetweenDaysOfWeek => compile_days(value, rule),
            other => unreachable!("{other} is not a schedule"),
        }
    }

    /// Whether `now` falls in the schedule.
    pub(crate) fn matches(&self, now: Timestamp) -> bool {
        match self {
            Schedule::TimeRange { start, end, zone } => {
                let local = zone.to_datetime(now);
                let m = local.hour() as u16 * 60 + local.minute() as u16;
                if end < start {
                    m >= *start || m <= *end
                } else {
                    *start <= m && m <= *end
                }
            }
            Schedule::DateTimeRange { start, end, zone } => {
                let local = truncate_to_microseconds(zone.to_datetime(now));
                *start <= local && local <= *end
            }
            Schedule::DaysOfWeek { days, zone } => {
                let day = zone.to_datetime(now).weekday().to_monday_zero_offset();
                days & (1 << day) != 0
            }
        }
    }
}

/// Python's `datetime` has microsecond precision.
fn truncate_to_microseconds(dt: DateTime) -> DateTime {
    let nanos = dt.subsec_nanosecond();
    dt.with().subsec_nanosecond(nanos - nanos % 1000).build().unwrap_or(dt)
}

/// The time actions' key check: the key must name the clock reading.
pub(crate) fn check_key(action: Action, key: &str, rule: &str) -> Result<(), Invalid> {
    let expected = match action {
        Action::ScheduleBetweenTimeRange => "CURRENT_TIME",
        Action::ScheduleBetweenDatetimeRange => "CURRENT_DATETIME",
        Action::ScheduleBetweenDaysOfWeek => "CURRENT_DAY_OF_WEEK",
        _ => return Ok(()),
    };
    if key == expected {
        return Ok(());
    }
    Err(Invalid::new(
        &["key"],
        format!("expected `key` of {action} to be \"{expected}\", found \"{key}\""),
        format!("'condition with a '{action}' action must have a '{expected}' condition key, rule={rule}"),
    ))
}

fn object<'v>(value: &'v Value, action: Action, rule: &str) -> Result<&'v Map, Invalid> {
    match value {
        Value::Object(map) => Ok(map),
        other => Err(Invalid::new(
            &["value"],
            format!("expected `value` of {action} to be an object with START and END, found {}", describe(other)),
            format!("{action} action must have a dictionary with 'START' and 'END' keys, rule={rule}"),
        )),
    }
}

/// `START` and `END` as strings (absent reads as `""`, as in the reference).
fn start_end<'v>(map: &'v Map, rule: &str) -> Result<(&'v str, &'v str), Invalid> {
    let get = |name: &str| match map.get(name) {
        None => Some(""),
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => None,
    };
    match (get("START"), get("END")) {
        (Some(start), Some(end)) => Ok((start, end)),
        _ => Err(Invalid::new(
            &["value"],
            "expected START and END to be strings",
            format!("'START' and 'END' must be a non empty string, rule={rule}"),
        )),
    }
}

fn compile_time_range(value: &Value, rule: &str) -> Result<Schedule, Invalid> {
    let map = object(value, Action::ScheduleBetweenTimeRange, rule)?;
    let (start, end) = start_end(map, rule)?;
    let (Some(start_m), Some(end_m)) = (parse_hh_mm(start), parse_hh_mm(end)) else {
        let (field, bad) = if parse_hh_mm(start).is_none() { ("START", start) } else { ("END", end) };
        return Err(Invalid::new(
            &["value", if field == "START" { "START" } else { "END" }],
            format!("expected {field} to be a 24-hour time \"HH:MM\" (00:00 to 23:59), found \"{bad}\""),
            format!("'START' and 'END' must be a valid time format, time_format=%H:%M, rule={rule}"),
        ));
    };
    let zone = zone(map, rule)?;
    Ok(Schedule::TimeRange { start: start_m, end: end_m, zone })
}

/// Matches the reference's `(?:2[0-3]|[01]\d):[0-5]\d` (Python's `\d` is any Unicode decimal
/// digit, which `int()` then reads) and returns minutes since midnight.
fn parse_hh_mm(text: &str) -> Option<u16> {
    let chars: Vec<char> = text.chars().take(6).collect();
    let [h1, h2_char, ':', m1, m2] = chars[..] else {
        return None;
    };
    let h2 = decimal_digit(h2_char)?;
    let m2 = decimal_digit(m2)?;
    let hour = match h1 {
        '2' => match ascii(h2_char) {
            Some(d @ 0..=3) => 20 + d,
            _ => return None,
        },
        '0' | '1' => (h1 as u16 - '0' as u16) * 10 + h2,
        _ => return None,
    };
    let m1 = match m1 {
        '0'..='5' => m1 as u16 - '0' as u16,
        _ => return None,
    };
    Some(hour * 60 + m1 * 10 + m2)
}

/// The value of an ASCII digit.
fn ascii(c: char) -> Option<u16> {
    c.is_ascii_digit().then(|| c as u16 - '0' as u16)
}

/// The value of a Unicode decimal digit (general category Nd), as Python's `\d` and `int()`
/// read it. Every Nd block is a run of ten starting at one of these code points
/// (Unicode 14, as in Python 3.11).
fn decimal_digit(c: char) -> Option<u16> {
    const ZEROS: [u32; 66] = [
        0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6, 0xE50,
        0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40,
        0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x10D30, 0x11066,
        0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950,
        0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6,
        0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
    ];
    let cp = c as u32;
    let i = ZEROS.partition_point(|&z| z <= cp).checked_sub(1)?;
    let offset = cp - ZEROS[i];
    (offset < 10).then_some(offset as u16)
}

fn compile_datetime_range(value: &Value, rule: &str) -> Result<Schedule, Invalid> {
    let map = object(value, Action::ScheduleBetweenDatetimeRange, rule)?;
    let (start, end) = start_end(map, rule)?;
    let start = parse_naive(start, "START", rule)?;
    let end = parse_naive(end, "END", rule)?;
    let zone = zone(map, rule)?;
    Ok(Schedule::DateTimeRange { start, end, zone })
}

/// The reference's `_validate_datetime`: `fromisoformat(s.replace("Z", "+00:00"))` must
/// parse and must not carry an offset.
fn parse_naive(text: &str, field: &'static str, rule: &str) -> Result<DateTime, Invalid> {
    let Some(parsed) = parse_isoformat(&text.replace('Z', "+00:00")) else {
        return Err(Invalid::new(
            &["value", field],
            format!("expected {field} to be an ISO 8601 date-time such as \"2022-10-05T12:15:00\", found \"{text}\""),
            format!("'START' and 'END' must be a valid ISO8601 time format, rule={rule}"),
        ));
    };
    if parsed.has_offset {
        return Err(Invalid::new(
            &["value", field],
            format!("expected {field} without a UTC offset (set the zone with TIMEZONE), found \"{text}\""),
            format!(
                "'START' and 'END' must not include timezone information. Set the timezone using the 'TIMEZONE' field, rule={rule} "
            ),
        ));
    }
    Ok(parsed.datetime)
}

fn compile_days(value: &Value, rule: &str) -> Result<Schedule, Invalid> {
    let shape = || {
        Invalid::new(
            &["value"],
            format!(
                "expected `value` of SCHEDULE_BETWEEN_DAYS_OF_WEEK to be an object with a DAYS array (and an optional TIMEZONE), found {}",
                describe(value)
            ),
            format!(
                "condition with a CURRENT_DAY_OF_WEEK action must have a condition value dictionary with 'DAYS' and 'TIMEZONE' (optional) keys, rule={rule}"
            ),
        )
    };
    let Value::Object(map) = value else {
        return Err(shape());
    };
    let Some(Value::Array(days)) = map.get("DAYS") else {
        return Err(shape());
    };
    let mut mask = 0u8;
    for day in days {
        match day.as_str().and_then(|d| DAY_NAMES.iter().position(|n| *n == d)) {
            Some(i) => mask |= 1 << i,
            None => {
                return Err(Invalid::new(
                    &["value", "DAYS"],
                    format!("expected DAYS to hold day names MONDAY to SUNDAY (upper-case), found {}", describe(day)),
                    format!("condition value DAYS must represent a day of the week in 'TimeValues' enum, rule={rule}"),
                ))
            }
        }
    }
    let zone = zone(map, rule)?;
    Ok(Schedule::DaysOfWeek { days: mask, zone })
}

/// The condition's zone: `TIMEZONE` absent or falsy is UTC; otherwise an IANA name, exact
/// case.
fn zone(map: &Map, rule: &str) -> Result<TimeZone, Invalid> {
    let name = match map.get("TIMEZONE") {
        None => return Ok(TimeZone::UTC),
        Some(v) if !v.is_truthy() => return Ok(TimeZone::UTC),
        Some(Value::String(s)) => s.as_str(),
        Some(other) => {
            return Err(Invalid::new(
                &["value", "TIMEZONE"],
                format!("expected TIMEZONE to be an IANA zone name such as \"Europe/Copenhagen\", found {}", describe(other)),
                // The reference formats the `str` type into this message, not the rule.
                "'TIMEZONE' must be a string, rule=<class 'str'>",
            ))
        }
    };
    lookup_zone(name).ok_or_else(|| {
        Invalid::new(
            &["value", "TIMEZONE"],
            format!("expected TIMEZONE to be an IANA zone name (case-sensitive, e.g. \"America/New_York\"), found \"{name}\""),
            format!("'TIMEZONE' value must represent a valid IANA timezone, rule={rule}"),
        )
    })
}

/// An IANA zone by its exact name (the database lookup itself ignores case).
pub(crate) fn lookup_zone(name: &str) -> Option<TimeZone> {
    let zone = TimeZone::get(name).ok()?;
    let exact = zone.iana_name().is_some_and(|n| n == name);
    exact.then_some(zone)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule(action: Action, value: &str) -> Result<Schedule, String> {
        Schedule::compile(action, &Value::from_json(value).unwrap(), "r").map_err(|e| e.reference)
    }

    fn at(instant: &str) -> Timestamp {
        instant.parse().unwrap()
    }

    #[test]
    fn time_windows_cross_midnight_by_minute() {
        let s = schedule(Action::ScheduleBetweenTimeRange, r#"{"START": "23:30", "END": "23:00"}"#).unwrap();
        assert!(s.matches(at("2022-11-18T23:45:00Z")));
        assert!(s.matches(at("2022-11-18T22:59:59.999Z")));
        assert!(s.matches(at("2022-11-18T23:00:59Z")));
        assert!(!s.matches(at("2022-11-18T23:01:00Z")));
        let day = schedule(Action::ScheduleBetweenTimeRange, r#"{"START": "09:00", "END": "17:00", "TIMEZONE": "America/New_York"}"#).unwrap();
        assert!(day.matches(at("2022-03-14T13:30:00Z")));
        assert!(!day.matches(at("2022-03-14T21:30:00Z")));
    }

    #[test]
    fn time_format_is_the_references_regex() {
        assert_eq!(parse_hh_mm("00:00"), Some(0));
        assert_eq!(parse_hh_mm("23:59"), Some(1439));
        assert_eq!(parse_hh_mm("1\u{663}:00"), Some(13 * 60));
        for bad in ["24:00", "9:00", "09:60", "09:00:00", "", "2\u{663}:00", "\u{661}9:00", "09-00"] {
            assert_eq!(parse_hh_mm(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn datetime_windows_use_the_zone_wall_clock() {
        let s = schedule(
            Action::ScheduleBetweenDatetimeRange,
            r#"{"START": "2022-12-24T18:00:00", "END": "2022-12-26T23:59:59", "TIMEZONE": "Europe/Berlin"}"#,
        )
        .unwrap();
        assert!(s.matches(at("2022-12-24T17:00:00Z")));
        assert!(!s.matches(at("2022-12-24T16:59:00Z")));
        assert!(s.matches(at("2022-12-26T22:59:59Z")));
        assert!(!s.matches(at("2022-12-26T22:59:59.000001Z")));
        assert!(!s.matches(at("2022-12-26T23:00:00Z")));
        assert!(schedule(Action::ScheduleBetweenDatetimeRange, r#"{"START": "2022-12-24T18:00:00Z", "END": "2022-12-26"}"#)
            .unwrap_err()
            .contains("must not include timezone"));
        assert!(schedule(Action::ScheduleBetweenDatetimeRange, r#"{"START": "2022-13-24", "END": "2022-12-26"}"#)
            .unwrap_err()
            .contains("valid ISO8601"));
    }

    #[test]
    fn days_follow_the_zone() {
        let s = schedule(Action::ScheduleBetweenDaysOfWeek, r#"{"DAYS": ["MONDAY"], "TIMEZONE": "Europe/Copenhagen"}"#).unwrap();
        assert!(s.matches(at("2022-11-20T23:00:00Z")));
        assert!(!s.matches(at("2022-11-20T22:59:00Z")));
        assert!(schedule(Action::ScheduleBetweenDaysOfWeek, r#"{"DAYS": ["monday"]}"#).unwrap_err().contains("TimeValues"));
        assert!(schedule(Action::ScheduleBetweenDaysOfWeek, r#"{"DAYS": []}"#).is_ok());
    }

    #[test]
    fn zones_are_exact_iana_names() {
        for good in ["UTC", "GMT", "Europe/Copenhagen", "US/Eastern", "EST5EDT", "America/Argentina/Buenos_Aires"] {
            assert!(lookup_zone(good).is_some(), "{good}");
        }
        for bad in ["utc", "europe/copenhagen", "Europe/Tokyo", "Mars/Olympus", "", "UTC+3"] {
            assert!(lookup_zone(bad).is_none(), "{bad}");
        }
        assert_eq!(
            schedule(Action::ScheduleBetweenDaysOfWeek, r#"{"DAYS": [], "TIMEZONE": 5}"#).unwrap_err(),
            "'TIMEZONE' must be a string, rule=<class 'str'>"
        );
        assert!(schedule(Action::ScheduleBetweenDaysOfWeek, r#"{"DAYS": [], "TIMEZONE": null}"#).is_ok());
    }
}
