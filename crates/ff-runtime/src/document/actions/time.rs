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
//! Absent or falsy (`null`, `""`, `0`, `false`) means UTC, except that an empty list or
//! object passes validation but never matches (the reference's comparator raises on it). A
//! `START`/`END` that only parses after validation's `Z` → `+00:00` replacement
//! (`"2022-10-05Z"`) never matches either, for the same reason. Comparisons use the wall clock, as the
//! reference does: in a DST gap the skipped times never occur, and in an overlap both
//! occurrences match. The reference also accepts POSIX TZ strings (`UTC+3`) and file paths
//! through `dateutil.tz.gettz`; ff rejects those as invalid zones.

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::Timestamp;

use super::isoformat::parse_isoformat;
use crate::document::Action;
use crate::value::semantics::TypeMismatch;
use crate::document::validate::{describe, Invalid};
use crate::value::{Map, Value};

/// The day names of `DAYS`, Monday first (the order of `Weekday::to_monday_zero_offset`).
const DAY_NAMES: [&str; 7] = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];

/// A compiled schedule condition.
///
/// `zone` is `None` when `TIMEZONE` is an empty list or object: validation lets it through
/// (`timezone or "UTC"`), but the reference's comparator then calls `gettz([])`, which raises
/// `TypeError: unhashable type`, so the condition never matches.
#[derive(Clone, Debug)]
pub(crate) enum Schedule {
    /// Minutes since midnight, inclusive at both ends.
    TimeRange { start: u16, end: u16, zone: Option<Zone> },
    /// Wall-clock bounds, inclusive. A bound is `None` when the reference's comparator cannot
    /// read it: validation parses `START`/`END` after replacing `Z` by `+00:00`, but the
    /// comparator parses the text as written, so `"2022-10-05Z"` passes validation (as
    /// `2022-10-05+00:00`, a date and a time) and then raises `ValueError` on every
    /// evaluation: the condition never matches.
    DateTimeRange { start: Option<DateTime>, end: Option<DateTime>, zone: Option<Zone> },
    /// Bit `n` set for the day `n` days after Monday.
    DaysOfWeek { days: u8, zone: Option<Zone> },
}

const UNHASHABLE_ZONE: TypeMismatch = TypeMismatch("TIMEZONE is an empty list or object (unhashable in the reference)");

impl Schedule {
    pub(crate) fn compile(action: Action, value: &Value, rule: &str) -> Result<Schedule, Invalid> {
        match action {
            Action::ScheduleBetweenTimeRange => compile_time_range(value, rule),
            Action::ScheduleBetweenDatetimeRange => compile_datetime_range(value, rule),
            Action::ScheduleBetweenDaysOfWeek => compile_days(value, rule),
            other => unreachable!("{other} is not a schedule"),
        }
    }

    /// Whether `now` falls in the schedule; `Err` where the reference's comparator raises
    /// (the condition is then false).
    pub(crate) fn matches(&self, now: Timestamp) -> Result<bool, TypeMismatch> {
        Ok(match self {
            Schedule::TimeRange { start, end, zone } => {
                let local = zone.as_ref().ok_or(UNHASHABLE_ZONE)?.local_seconds(now);
                let m = (local.rem_euclid(SECONDS_PER_DAY) / 60) as u16;
                if end < start {
                    m >= *start || m <= *end
                } else {
                    *start <= m && m <= *end
                }
            }
            Schedule::DateTimeRange { start, end, zone } => {
                let local = truncate_to_microseconds(zone.as_ref().ok_or(UNHASHABLE_ZONE)?.to_datetime(now));
                let (Some(start), Some(end)) = (start, end) else {
                    return Err(TypeMismatch("START or END is not ISO 8601 as written (the reference reads it without replacing Z)"));
                };
                *start <= local && local <= *end
            }
            Schedule::DaysOfWeek { days, zone } => {
                // 1970-01-01 was a Thursday: 3 days after Monday.
                let day = (zone.as_ref().ok_or(UNHASHABLE_ZONE)?.local_seconds(now).div_euclid(SECONDS_PER_DAY) + 3).rem_euclid(7);
                days & (1 << day) != 0
            }
        })
    }
}

impl Schedule {
    /// The condition's zone name (`UTC` when `TIMEZONE` is absent or falsy) and the wall
    /// clock there at `now`, for explanations; `None` when the zone is unusable.
    pub(crate) fn local(&self, now: Timestamp) -> Option<(&str, DateTime)> {
        let zone = match self {
            Schedule::TimeRange { zone, .. } | Schedule::DateTimeRange { zone, .. } | Schedule::DaysOfWeek { zone, .. } => zone.as_ref()?,
        };
        Some((zone.zone.iana_name().unwrap_or("UTC"), zone.to_datetime(now)))
    }
}

const SECONDS_PER_DAY: i64 = 86_400;

/// A condition's zone, with its UTC offsets from 1970 to 2100 tabulated on first use.
///
/// Finding a zone's offset for an instant means reading its rules (for recent years, the
/// POSIX rule of the zone database: the year's DST transitions are computed each time),
/// which costs more than the rest of the evaluation. The offset only changes at the zone's
/// transitions, so the table holds each transition between 1970 and 2100 with the offset
/// from then on, shared by every condition on the same zone; an instant is looked up by
/// binary search. Instants outside the table ask the zone itself.
#[derive(Debug)]
pub(crate) struct Zone {
    zone: TimeZone,
    offsets: std::sync::OnceLock<Offsets>,
    /// The table entry that answered last: consecutive evaluations (the clock moves
    /// forward) nearly always fall in the same one. Only a hint, checked before use.
    last: std::sync::atomic::AtomicUsize,
}

impl Clone for Zone {
    fn clone(&self) -> Zone {
        Zone { zone: self.zone.clone(), offsets: self.offsets.clone(), last: std::sync::atomic::AtomicUsize::new(0) }
    }
}

impl Zone {
    /// The first and last second tabulated: 1970-01-01 and 2100-01-01 (UTC).
    const FROM: i64 = 0;
    const UNTIL: i64 = 4_102_444_800;

    fn new(zone: TimeZone) -> Zone {
        Zone { zone, offsets: std::sync::OnceLock::new(), last: std::sync::atomic::AtomicUsize::new(0) }
    }

    /// The offset of the zone at `now`, in seconds east of UTC.
    fn offset_seconds(&self, now: Timestamp) -> i32 {
        let second = now.as_second();
        if !(Zone::FROM..Zone::UNTIL).contains(&second) {
            return self.zone.to_offset(now).seconds();
        }
        let table = self.offsets.get_or_init(|| offsets_of(&self.zone));
        // The last transition at or before `second` (whole seconds: transitions are).
        let last = self.last.load(std::sync::atomic::Ordering::Relaxed);
        if let Some(&(at, offset)) = table.get(last) {
            if at <= second && table.get(last + 1).is_none_or(|&(next, _)| second < next) {
                return offset;
            }
        }
        match table.partition_point(|&(at, _)| at <= second) {
            0 => self.zone.to_offset(now).seconds(),
            i => {
                self.last.store(i - 1, std::sync::atomic::Ordering::Relaxed);
                table[i - 1].1
            }
        }
    }

    /// Local wall-clock time at `now` as seconds since 1970-01-01T00:00 local, floored.
    fn local_seconds(&self, now: Timestamp) -> i64 {
        // `as_second` truncates towards zero; floor it for instants before 1970.
        let floor = now.as_second() - i64::from(now.subsec_nanosecond() < 0);
        floor + i64::from(self.offset_seconds(now))
    }

    /// The wall-clock date and time at `now`.
    fn to_datetime(&self, now: Timestamp) -> DateTime {
        match jiff::tz::Offset::from_seconds(self.offset_seconds(now)) {
            Ok(offset) => offset.to_datetime(now),
            Err(_) => self.zone.to_datetime(now),
        }
    }
}

/// A zone's offset table: `(second, offset in seconds)` from each transition on, sorted.
type Offsets = std::sync::Arc<[(i64, i32)]>;

/// The zone's transitions between [`Zone::FROM`] and [`Zone::UNTIL`], each with the offset
/// from then on (the first entry is the offset at `FROM`); one table per zone name.
fn offsets_of(zone: &TimeZone) -> Offsets {
    static TABLES: std::sync::Mutex<Vec<(String, Offsets)>> = std::sync::Mutex::new(Vec::new());
    let name = zone.iana_name().map(str::to_owned);
    if let Some(name) = &name {
        let tables = TABLES.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, table)) = tables.iter().find(|(n, _)| n == name) {
            return table.clone();
        }
    }
    let from = Timestamp::from_second(Zone::FROM).expect("1970 is a timestamp");
    let mut table = vec![(Zone::FROM, zone.to_offset(from).seconds())];
    for transition in zone.following(from) {
        let at = transition.timestamp().as_second();
        if at >= Zone::UNTIL {
            break;
        }
        if transition.timestamp().subsec_nanosecond() != 0 {
            // Not a whole second (no zone has one): give up tabulating (ask the zone).
            return std::sync::Arc::from(Vec::new());
        }
        table.push((at, transition.offset().seconds()));
    }
    let table: Offsets = std::sync::Arc::from(table);
    if let Some(name) = name {
        TABLES.lock().unwrap_or_else(|e| e.into_inner()).push((name, table.clone()));
    }
    table
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
    parse_naive(start, "START", rule)?;
    parse_naive(end, "END", rule)?;
    let zone = zone(map, rule)?;
    Ok(Schedule::DateTimeRange { start: as_written(start), end: as_written(end), zone })
}

/// A bound as the reference's comparator reads it: `fromisoformat` on the text as written
/// (no `Z` replacement); any offset it carries is then replaced by the condition's zone.
fn as_written(text: &str) -> Option<DateTime> {
    parse_isoformat(text).map(|parsed| parsed.datetime)
}

/// The reference's `_validate_datetime`: `fromisoformat(s.replace("Z", "+00:00"))` must
/// parse and must not carry an offset.
fn parse_naive(text: &str, field: &'static str, rule: &str) -> Result<(), Invalid> {
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
    Ok(())
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
/// case. `None` for an empty list or object (see [`Schedule`]).
fn zone(map: &Map, rule: &str) -> Result<Option<Zone>, Invalid> {
    let name = match map.get("TIMEZONE") {
        None => return Ok(Some(Zone::new(TimeZone::UTC))),
        Some(Value::Array(_) | Value::Object(_)) if !map["TIMEZONE"].is_truthy() => return Ok(None),
        Some(v) if !v.is_truthy() => return Ok(Some(Zone::new(TimeZone::UTC))),
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
    lookup_zone(name).map(|zone| Some(Zone::new(zone))).ok_or_else(|| {
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
        assert_eq!(s.matches(at("2022-11-18T23:45:00Z")), Ok(true));
        assert_eq!(s.matches(at("2022-11-18T22:59:59.999Z")), Ok(true));
        assert_eq!(s.matches(at("2022-11-18T23:00:59Z")), Ok(true));
        assert_eq!(s.matches(at("2022-11-18T23:01:00Z")), Ok(false));
        let day = schedule(Action::ScheduleBetweenTimeRange, r#"{"START": "09:00", "END": "17:00", "TIMEZONE": "America/New_York"}"#).unwrap();
        assert_eq!(day.matches(at("2022-03-14T13:30:00Z")), Ok(true));
        assert_eq!(day.matches(at("2022-03-14T21:30:00Z")), Ok(false));
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
        assert_eq!(s.matches(at("2022-12-24T17:00:00Z")), Ok(true));
        assert_eq!(s.matches(at("2022-12-24T16:59:00Z")), Ok(false));
        assert_eq!(s.matches(at("2022-12-26T22:59:59Z")), Ok(true));
        assert_eq!(s.matches(at("2022-12-26T22:59:59.000001Z")), Ok(false));
        assert_eq!(s.matches(at("2022-12-26T23:00:00Z")), Ok(false));
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
        assert_eq!(s.matches(at("2022-11-20T23:00:00Z")), Ok(true));
        assert_eq!(s.matches(at("2022-11-20T22:59:00Z")), Ok(false));
        assert!(schedule(Action::ScheduleBetweenDaysOfWeek, r#"{"DAYS": ["monday"]}"#).unwrap_err().contains("TimeValues"));
        assert!(schedule(Action::ScheduleBetweenDaysOfWeek, r#"{"DAYS": []}"#).is_ok());
    }

    #[test]
    fn tabulated_offsets_are_the_zones_own() {
        for name in ["Europe/Copenhagen", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "America/Sao_Paulo", "UTC", "Africa/Casablanca"] {
            let tz = lookup_zone(name).unwrap();
            let zone = Zone::new(tz.clone());
            // Every transition (and a second either side), and a sweep of the whole range.
            let from = Timestamp::from_second(Zone::FROM).unwrap();
            let mut instants: Vec<i64> = tz
                .following(from)
                .take_while(|t| t.timestamp().as_second() < Zone::UNTIL + 86_400)
                .flat_map(|t| {
                    let s = t.timestamp().as_second();
                    [s - 1, s, s + 1]
                })
                .collect();
            instants.extend((-400..4_200).map(|i| i64::from(i) * 1_000_003));
            for s in instants {
                for nanos in [0, 999_999_999] {
                    let now = Timestamp::new(s, nanos).unwrap();
                    assert_eq!(zone.offset_seconds(now), tz.to_offset(now).seconds(), "{name} at {now}");
                    assert_eq!(zone.to_datetime(now), tz.to_datetime(now), "{name} at {now}");
                    let local = tz.to_datetime(now);
                    let minute = (local.hour() as i64 * 60 + local.minute() as i64) * 60;
                    assert_eq!(zone.local_seconds(now).rem_euclid(SECONDS_PER_DAY) / 60 * 60, minute, "{name} at {now}");
                }
            }
            let before = Timestamp::new(-86_400 * 365, -1).unwrap();
            assert_eq!(zone.to_datetime(before), tz.to_datetime(before), "{name} before 1970");
            assert_eq!(
                (zone.local_seconds(before).div_euclid(SECONDS_PER_DAY) + 3).rem_euclid(7),
                i64::from(tz.to_datetime(before).weekday().to_monday_zero_offset()),
                "{name} weekday before 1970"
            );
        }
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

    #[test]
    fn an_empty_list_or_object_timezone_validates_but_never_matches() {
        // The reference: `timezone or "UTC"` passes validation, then `gettz([])` raises.
        let now = at("2020-01-01T12:00:00Z"); // a Wednesday
        for tz in ["[]", "{}"] {
            for (action, value) in [
                (Action::ScheduleBetweenDaysOfWeek, format!(r#"{{"DAYS": ["WEDNESDAY"], "TIMEZONE": {tz}}}"#)),
                (Action::ScheduleBetweenTimeRange, format!(r#"{{"START": "00:00", "END": "23:59", "TIMEZONE": {tz}}}"#)),
                (Action::ScheduleBetweenDatetimeRange, format!(r#"{{"START": "2000-01-01", "END": "2030-01-01", "TIMEZONE": {tz}}}"#)),
            ] {
                assert!(schedule(action, &value).unwrap().matches(now).is_err(), "{action} {value}");
            }
        }
        // Other falsy values are UTC, as in the reference.
        for tz in ["null", "\"\"", "0", "false", "0.0"] {
            let s = schedule(Action::ScheduleBetweenDaysOfWeek, &format!(r#"{{"DAYS": ["WEDNESDAY"], "TIMEZONE": {tz}}}"#)).unwrap();
            assert_eq!(s.matches(now), Ok(true), "{tz}");
        }
    }

    #[test]
    fn a_datetime_bound_read_only_after_the_z_replacement_never_matches() {
        // Validation reads "2000-01-01Z" as "2000-01-01+00:00" (a date, `+` as the separator,
        // then 00:00); the comparator reads the text as written and raises.
        let s = schedule(Action::ScheduleBetweenDatetimeRange, r#"{"START": "2000-01-01Z", "END": "2030-01-01"}"#).unwrap();
        assert!(s.matches(at("2020-01-01T00:00:00Z")).is_err());
        let s = schedule(Action::ScheduleBetweenDatetimeRange, r#"{"START": "2000-01-01", "END": "2030-01-01Z"}"#).unwrap();
        assert!(s.matches(at("2020-01-01T00:00:00Z")).is_err());
        let s = schedule(Action::ScheduleBetweenDatetimeRange, r#"{"START": "2000-01-01", "END": "2030-01-01"}"#).unwrap();
        assert_eq!(s.matches(at("2020-01-01T00:00:00Z")), Ok(true));
    }
}
