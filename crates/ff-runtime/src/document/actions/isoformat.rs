//! An exact port of CPython 3.11's `datetime.datetime.fromisoformat` (the C
//! implementation in `Modules/_datetimemodule.c`).
//!
//! The C code works on the UTF-8 bytes of the string, which it sees as
//! NUL-terminated, and several of its decisions depend on that terminator
//! (an embedded `"\0"` ends parsing early). This port works on bytes too and
//! reads a `0` at and past the end, so it neither slices `&str` nor panics.
//!
//! # Grammar accepted by 3.11
//!
//! `DATE [SEP TIME [TZ]]`, at least 7 characters in all:
//!
//! * `DATE`: `YYYY-MM-DD`, `YYYYMMDD`, or an ISO week date `YYYY-Www`,
//!   `YYYY-Www-D`, `YYYYWww`, `YYYYWwwD` (`Www` defaults the weekday to 1).
//!   Where the date ends is guessed from the shape of the text (see
//!   [`find_separator`]), so some odd forms such as `2020W0112` fail and
//!   `2020-W01-1234` reads as week 1 then `-` then `12:34`.
//! * `SEP`: any single character, ASCII or not (`T`, space, `é`, a digit...),
//!   but nothing else may follow the date when there is no time.
//! * `TIME`: `HH`, `HH:MM`, `HH:MM:SS`, `HHMM`, `HHMMSS`, each optionally
//!   followed by `.` or `,` and 1+ fraction digits (only the first 6 count;
//!   the rest are dropped, not rounded). 3.11 quirks kept: a fraction may
//!   follow the hour or minute (`12.5` is 12:00:00.5), `HH:MM:SS:fff` reads
//!   `fff` as the fraction, and a dangling `:`/`.`/other byte right before
//!   the offset is ignored (`12:30:+01:00`, `1230X+01:00`).
//! * `TZ`: `Z` (must end the string, or be followed by a NUL), or `+`/`-` followed by the same
//!   `HH[:MM[:SS[.ffffff]]]` grammar; fields are not range-checked
//!   (`+00:99` is fine) but the offset must be strictly within ±24 h.
//!
//! Only ASCII digits count as digits; hour 24, second 60, month 13, Feb 30,
//! year 0, and week 53 of a 52-week year all fail. There is no `T24:00`
//! support in 3.11.

use jiff::civil::DateTime;

/// A date-time string as Python 3.11's `datetime.fromisoformat` reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct IsoDateTime {
    /// The wall-clock date-time, microsecond precision (digits past the 6th are dropped, as Python does).
    pub datetime: DateTime,
    /// Whether the text carried a UTC offset or `Z` (Python returns an aware datetime).
    pub has_offset: bool,
}

/// Parses `text` exactly as CPython 3.11's `datetime.fromisoformat` does; `None` where Python raises.
pub(crate) fn parse_isoformat(text: &str) -> Option<IsoDateTime> {
    // `_sanitize_isoformat_str`: fewer than 7 characters (not bytes) fails.
    if text.chars().count() < 7 {
        return None;
    }
    let b = text.as_bytes();
    let len = b.len();

    let sep = find_separator(b);
    // C passes the signed location as `size_t`: -1 becomes huge.
    let (date_rv, year, month, day) = parse_date(b, sep as usize);
    if date_rv != 0 {
        return None;
    }

    let mut time = Time::default();
    if len as isize > sep {
        // Skip one whole UTF-8 character as the separator, from its lead byte.
        let mut p = sep as usize;
        let lead = at(b, p);
        p += if lead & 0x80 == 0 {
            1
        } else {
            match lead & 0xf0 {
                0xe0 => 3,
                0xf0 => 4,
                _ => 2,
            }
        };
        time = parse_time(b, p, len.saturating_sub(p));
        if time.rv < 0 {
            return None;
        }
    }

    // `tzinfo_from_isoformat_results`: a zero whole-second offset is UTC
    // (its microseconds are ignored); otherwise `timezone()` demands an
    // offset strictly between -24 h and +24 h.
    let has_offset = time.rv == 1;
    if has_offset && time.tz_seconds != 0 {
        let total = i64::from(time.tz_seconds) * 1_000_000 + i64::from(time.tz_micros);
        if total.abs() >= 86_400_000_000 {
            return None;
        }
    }

    // `new_datetime`: the usual field range checks. jiff allows years down to
    // -9999 and so checks all but the lower year bound itself.
    if !(1..=9999).contains(&year) {
        return None;
    }
    let field = |v: i32| i8::try_from(v).ok();
    let datetime = DateTime::new(
        year as i16,
        field(month)?,
        field(day)?,
        field(time.hour)?,
        field(time.minute)?,
        field(time.second)?,
        time.microsecond.checked_mul(1000)?,
    )
    .ok()?;
    Some(IsoDateTime {
        datetime,
        has_offset,
    })
}

/// The byte at `i`, or `0` at and past the end, as C sees a NUL-terminated
/// buffer.
fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

/// `is_digit`: ASCII `0`-`9` only.
fn is_digit(c: u8) -> bool {
    c.is_ascii_digit()
}

/// `parse_digits`: reads exactly `n` ASCII digits at `p` into `var`
/// (accumulating onto its value); returns the position after them.
fn parse_digits(b: &[u8], mut p: usize, n: usize, var: &mut i32) -> Option<usize> {
    for _ in 0..n {
        let c = at(b, p);
        if !is_digit(c) {
            return None;
        }
        *var = *var * 10 + i32::from(c - b'0');
        p += 1;
    }
    Some(p)
}

/// `_find_isoformat_datetime_separator`: guesses the byte index where the
/// date ends (7, 8 or 10, or -1 for the hopeless `YYYY-Www-`), from bytes
/// 4, 5, 8 and 10. For `YYYYWww…` it counts the digits from index 7: fewer
/// than 2 gives the index of the first non-digit, else an even end of the
/// run means `YYYYWww` + separator, an odd one `YYYYWwwD` + separator.
fn find_separator(b: &[u8]) -> isize {
    let len = b.len();
    if len == 7 {
        return 7;
    }
    if at(b, 4) == b'-' {
        if at(b, 5) == b'W' {
            if len < 8 {
                return -1;
            }
            if len > 8 && at(b, 8) == b'-' {
                if len == 9 {
                    return -1;
                }
                if len > 10 && is_digit(at(b, 10)) {
                    return 8;
                }
                return 10;
            }
            8
        } else {
            10
        }
    } else if at(b, 4) == b'W' {
        let mut idx = 7;
        while idx < len && is_digit(at(b, idx)) {
            idx += 1;
        }
        if idx < 9 {
            idx as isize
        } else if idx % 2 == 0 {
            7
        } else {
            8
        }
    } else {
        8
    }
}

/// `parse_isoformat_date`: parses `YYYY[-]MM[-]DD` or `YYYY[-]Www[[-]D]`
/// from the start of `b`; `len` (the separator index) only decides whether
/// a week day follows the week. Returns `(rv, year, month, day)` with
/// `rv == 0` on success; the fields are not range-checked yet.
fn parse_date(b: &[u8], len: usize) -> (i32, i32, i32, i32) {
    let (mut year, mut month, mut day) = (0, 0, 0);
    let Some(mut p) = parse_digits(b, 0, 4, &mut year) else {
        return (-1, year, month, day);
    };
    let uses_separator = at(b, p) == b'-';
    if uses_separator {
        p += 1;
    }

    if at(b, p) == b'W' {
        p += 1;
        let (mut week, mut weekday) = (0, 0);
        let Some(q) = parse_digits(b, p, 2, &mut week) else {
            return (-3, year, month, day);
        };
        p = q;
        if p < len {
            if uses_separator {
                let c = at(b, p);
                p += 1;
                if c != b'-' {
                    return (-2, year, month, day);
                }
            }
            if parse_digits(b, p, 1, &mut weekday).is_none() {
                return (-4, year, month, day);
            }
        } else {
            weekday = 1;
        }
        return match iso_to_ymd(year, week, weekday) {
            Some((y, m, d)) => (0, y, m, d),
            None => (-5, year, month, day),
        };
    }

    let Some(q) = parse_digits(b, p, 2, &mut month) else {
        return (-1, year, month, day);
    };
    p = q;
    if uses_separator {
        let c = at(b, p);
        p += 1;
        if c != b'-' {
            return (-2, year, month, day);
        }
    }
    if parse_digits(b, p, 2, &mut day).is_none() {
        return (-1, year, month, day);
    }
    (0, year, month, day)
}

/// `iso_to_ymd`: ISO year/week/weekday to a proleptic Gregorian date.
/// Week 53 only exists in years starting on a Thursday (or a Wednesday in
/// leap years); weekday must be 1..=7. ISO year 0 always ends in a failure
/// in 3.11 (its C code computes month <= 0 there), so it is `None` here.
/// The result may still be out of range (e.g. year 10000), which the caller
/// rejects.
fn iso_to_ymd(year: i32, week: i32, weekday: i32) -> Option<(i32, i32, i32)> {
    if year < 1 {
        return None;
    }
    if week <= 0 || week >= 53 {
        let first_weekday = (ymd_to_ord(year, 1, 1) + 6) % 7;
        let long_year = first_weekday == 3 || (first_weekday == 2 && is_leap(year));
        if week != 53 || !long_year {
            return None;
        }
    }
    if !(1..=7).contains(&weekday) {
        return None;
    }
    let first_day = ymd_to_ord(year, 1, 1);
    let first_weekday = (first_day + 6) % 7;
    let mut week1_monday = first_day - first_weekday;
    if first_weekday > 3 {
        week1_monday += 7;
    }
    Some(ord_to_ymd(week1_monday + (week - 1) * 7 + weekday - 1))
}

/// Gregorian leap year rule.
fn is_leap(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days in `year` before the first of `month` (1..=12).
fn days_before_month(year: i32, month: i32) -> i32 {
    const BEFORE: [i32; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    BEFORE[(month - 1) as usize] + i32::from(month > 2 && is_leap(year))
}

/// Proleptic Gregorian ordinal, 0001-01-01 being day 1 (`year >= 1`).
fn ymd_to_ord(year: i32, month: i32, day: i32) -> i32 {
    let y = year - 1;
    y * 365 + y / 4 - y / 100 + y / 400 + days_before_month(year, month) + day
}

/// Inverse of [`ymd_to_ord`] for `ordinal >= 1` (the year may reach 10000).
fn ord_to_ymd(ordinal: i32) -> (i32, i32, i32) {
    const DI400Y: i32 = 146_097;
    const DI100Y: i32 = 36_524;
    const DI4Y: i32 = 1_461;
    let n = ordinal - 1;
    let (n400, n) = (n / DI400Y, n % DI400Y);
    let (n100, n) = (n / DI100Y, n % DI100Y);
    let (n4, n) = (n / DI4Y, n % DI4Y);
    let (n1, n) = (n / 365, n % 365);
    let year = n400 * 400 + 1 + n100 * 100 + n4 * 4 + n1;
    if n1 == 4 || n100 == 4 {
        return (year - 1, 12, 31);
    }
    let mut month = 1;
    while month < 12 && days_before_month(year, month + 1) <= n {
        month += 1;
    }
    (year, month, n - days_before_month(year, month) + 1)
}

/// Result of [`parse_time`]: `rv` is 0 (no offset), 1 (offset) or negative
/// (error); fields are not range-checked yet.
#[derive(Default)]
struct Time {
    /// Return code, as in C's `parse_isoformat_time`.
    rv: i32,
    /// Hour as written (0..=99).
    hour: i32,
    /// Minute as written (0..=99).
    minute: i32,
    /// Second as written (0..=99).
    second: i32,
    /// Fraction, truncated to microseconds.
    microsecond: i32,
    /// Signed whole seconds of the UTC offset.
    tz_seconds: i32,
    /// Signed microseconds of the UTC offset.
    tz_micros: i32,
}

/// `parse_isoformat_time`: the time starts at `start` and runs `dtlen`
/// bytes. The first `Z`, `+` or `-` starts the offset; everything before it
/// is `HH[:MM[:SS]][{.,}fff…]`.
fn parse_time(b: &[u8], start: usize, dtlen: usize) -> Time {
    let end = start + dtlen;
    let mut t = Time::default();

    // C's do-while: looks at `start` even when the time is empty.
    let mut tz = start;
    loop {
        let c = at(b, tz);
        if c == b'Z' || c == b'+' || c == b'-' {
            break;
        }
        tz += 1;
        if tz >= end {
            break;
        }
    }

    let (rv, [h, m, s, us]) = parse_hh_mm_ss_ff(b, start, tz);
    (t.hour, t.minute, t.second, t.microsecond) = (h, m, s, us);
    if rv < 0 {
        t.rv = rv;
        return t;
    }
    if tz == end {
        // No offset: leftover text is an error.
        t.rv = if rv == 1 { -5 } else { 0 };
        return t;
    }

    if at(b, tz) == b'Z' {
        // `Z` must be followed by the terminator (or an embedded NUL).
        t.rv = if at(b, tz + 1) != 0 { -5 } else { 1 };
        return t;
    }

    let sign = if at(b, tz) == b'-' { -1 } else { 1 };
    let (rv, [th, tm, ts, tus]) = parse_hh_mm_ss_ff(b, tz + 1, end);
    t.tz_seconds = sign * (th * 3600 + tm * 60 + ts);
    t.tz_micros = sign * tus;
    t.rv = if rv != 0 { -5 } else { 1 };
    t
}

/// `parse_hh_mm_ss_ff`: parses `HH[:?MM[:?SS]][{.,}ffffff…]` between
/// `start` and `end`. The first separator after the hour decides whether
/// `:` is used. Returns `(rv, [h, m, s, us])`: `rv` is negative on error,
/// 1 if something other than the terminator follows, else 0.
fn parse_hh_mm_ss_ff(b: &[u8], start: usize, end: usize) -> (i32, [i32; 4]) {
    let mut vals = [0i32; 4];
    let mut p = start;
    let mut has_separator = true;

    let mut i = 0;
    while i < 3 {
        match parse_digits(b, p, 2, &mut vals[i]) {
            Some(q) => p = q,
            None => return (-3, vals),
        }
        let c = at(b, p);
        p += 1;
        if i == 0 {
            has_separator = c == b':';
        }
        if p >= end {
            return (i32::from(c != 0), vals);
        } else if has_separator && c == b':' {
            i += 1;
            continue;
        } else if c == b'.' || c == b',' {
            break;
        } else if !has_separator {
            p -= 1;
        } else {
            return (-4, vals);
        }
        i += 1;
    }

    // Fraction: up to 6 digits count, later digits are skipped.
    // `p < end` here (the loop returned otherwise), so at least one digit.
    let to_parse = end.saturating_sub(p).min(6);
    match parse_digits(b, p, to_parse, &mut vals[3]) {
        Some(q) => p = q,
        None => return (-3, vals),
    }
    const CORRECTION: [i32; 5] = [100_000, 10_000, 1_000, 100, 10];
    if (1..6).contains(&to_parse) {
        vals[3] *= CORRECTION[to_parse - 1];
    }
    while is_digit(at(b, p)) {
        p += 1;
    }
    (i32::from(at(b, p) != 0), vals)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(input, expected)`; expected is `None` where Python 3.11 raises,
    /// else `(y, mo, d, h, mi, s, us, aware)`. Obtained from Python 3.11.7.
    type Case = (&'static str, Option<(i16, i8, i8, i8, i8, i8, i32, bool)>);

    #[rustfmt::skip]
    const CASES: &[Case] = &[
        ("2020-01-02", Some((2020, 1, 2, 0, 0, 0, 0, false))),
        ("20200102", Some((2020, 1, 2, 0, 0, 0, 0, false))),
        ("2020-W01", Some((2019, 12, 30, 0, 0, 0, 0, false))),
        ("2020-W01-3", Some((2020, 1, 1, 0, 0, 0, 0, false))),
        ("2020W01", Some((2019, 12, 30, 0, 0, 0, 0, false))),
        ("2020W013", Some((2020, 1, 1, 0, 0, 0, 0, false))),
        ("2020-W53", Some((2020, 12, 28, 0, 0, 0, 0, false))),
        ("2026-W53-1", Some((2026, 12, 28, 0, 0, 0, 0, false))),
        ("2015-W53-7", Some((2016, 1, 3, 0, 0, 0, 0, false))),
        ("0001-W01-1", Some((1, 1, 1, 0, 0, 0, 0, false))),
        ("9999-W52-5", Some((9999, 12, 31, 0, 0, 0, 0, false))),
        ("9999-W52-6", None),
        ("0000-W01-1", None),
        ("2020-W00-1", None),
        ("2020-W01-0", None),
        ("2020-W01-8", None),
        ("2020W0112", None),
        ("2020-W0112", None),
        ("2020-W01-", None),
        ("2020W01012", Some((2019, 12, 30, 12, 0, 0, 0, false))),
        ("2020W0101234", Some((2019, 12, 30, 12, 34, 0, 0, false))),
        ("2020-W01-1234", Some((2019, 12, 30, 12, 34, 0, 0, false))),
        ("2020-W01T12", Some((2019, 12, 30, 12, 0, 0, 0, false))),
        ("2020W013T12", Some((2020, 1, 1, 12, 0, 0, 0, false))),
        ("2020-W01-3T12", Some((2020, 1, 1, 12, 0, 0, 0, false))),
        ("", None),
        ("2020-1", None),
        ("202001", None),
        ("2020-01", None),
        ("2020011", None),
        ("2020-0101", None),
        ("202001-01", None),
        ("2020-1-01", None),
        ("x020-01-01", None),
        ("0000-01-01", None),
        ("0001-01-01", Some((1, 1, 1, 0, 0, 0, 0, false))),
        ("9999-12-31", Some((9999, 12, 31, 0, 0, 0, 0, false))),
        ("2020-13-01", None),
        ("2020-00-10", None),
        ("2020-02-30", None),
        ("2020-02-29", Some((2020, 2, 29, 0, 0, 0, 0, false))),
        ("2021-02-29", None),
        ("1900-02-29", None),
        ("2000-02-29", Some((2000, 2, 29, 0, 0, 0, 0, false))),
        ("2020-04-31", None),
        ("2020-01-00", None),
        ("2020-01-32", None),
        ("\u{662}\u{660}\u{662}\u{660}-01-01", None),
        ("\u{ff12}\u{ff10}\u{ff12}\u{ff10}-01-01", None),
        ("2020-01-0\u{661}", None),
        ("2020W0\u{e9}", None),
        ("2020-01-01Z", None),
        ("2020-01-01 ", None),
        ("2020-01-01T", None),
        ("2020-01-01\u{0}", None),
        ("2020-01-01T12", Some((2020, 1, 1, 12, 0, 0, 0, false))),
        ("2020-01-01 12", Some((2020, 1, 1, 12, 0, 0, 0, false))),
        ("2020-01-01t12", Some((2020, 1, 1, 12, 0, 0, 0, false))),
        ("2020-01-01x12", Some((2020, 1, 1, 12, 0, 0, 0, false))),
        ("2020-01-01012", Some((2020, 1, 1, 12, 0, 0, 0, false))),
        ("2020-01-01-12", Some((2020, 1, 1, 12, 0, 0, 0, false))),
        ("2020-01-01\u{e9}12:00", Some((2020, 1, 1, 12, 0, 0, 0, false))),
        ("2020-01-01\u{20ac}12:00", Some((2020, 1, 1, 12, 0, 0, 0, false))),
        ("2020-01-01\u{1f600}12:00", Some((2020, 1, 1, 12, 0, 0, 0, false))),
        ("20200101T1230", Some((2020, 1, 1, 12, 30, 0, 0, false))),
        ("2020-01-01TT12", None),
        ("2020-01-01T1", None),
        ("2020-01-01T12:3", None),
        ("2020-01-01T12:30", Some((2020, 1, 1, 12, 30, 0, 0, false))),
        ("2020-01-01T1230", Some((2020, 1, 1, 12, 30, 0, 0, false))),
        ("2020-01-01T12:30:45", Some((2020, 1, 1, 12, 30, 45, 0, false))),
        ("2020-01-01T123045", Some((2020, 1, 1, 12, 30, 45, 0, false))),
        ("2020-01-01T12:3045", None),
        ("2020-01-01T1230:45", None),
        ("2020-01-01T12:30:", None),
        ("2020-01-01T12:", None),
        ("2020-01-01T12:30:45.1", Some((2020, 1, 1, 12, 30, 45, 100000, false))),
        ("2020-01-01T12:30:45,123", Some((2020, 1, 1, 12, 30, 45, 123000, false))),
        ("2020-01-01T12:30:45.123456", Some((2020, 1, 1, 12, 30, 45, 123456, false))),
        ("2020-01-01T12:30:45.1234567", Some((2020, 1, 1, 12, 30, 45, 123456, false))),
        ("2020-01-01T12:30:45.999999999", Some((2020, 1, 1, 12, 30, 45, 999999, false))),
        ("2020-01-01T12:30:45.", None),
        ("2020-01-01T12:30:45.12a", None),
        ("2020-01-01T12:30:45.1234567a", None),
        ("2020-01-01T12.5", Some((2020, 1, 1, 12, 0, 0, 500000, false))),
        ("2020-01-01T12:30.25", Some((2020, 1, 1, 12, 30, 0, 250000, false))),
        ("2020-01-01T1230,5", Some((2020, 1, 1, 12, 30, 0, 500000, false))),
        ("2020-01-01T12:30:45:123", Some((2020, 1, 1, 12, 30, 45, 123000, false))),
        ("2020-01-01T1230451", None),
        ("2020-01-01T12345", None),
        ("2020-01-01T12\u{0}", Some((2020, 1, 1, 12, 0, 0, 0, false))),
        ("2020-01-01T12:30:45.1234567\u{0}x", Some((2020, 1, 1, 12, 30, 45, 123456, false))),
        ("2020-01-01T12:30x", None),
        ("2020-01-01T23:59:59", Some((2020, 1, 1, 23, 59, 59, 0, false))),
        ("2020-01-01T24:00", None),
        ("2020-01-01T24:00:00", None),
        ("2020-01-01T12:60", None),
        ("2020-01-01T12:00:60", None),
        ("2020-01-01T\u{661}\u{662}:00", None),
        ("2020-01-01T12:\u{ff10}\u{ff10}", None),
        ("2020-01-01T12Z", Some((2020, 1, 1, 12, 0, 0, 0, true))),
        ("2020-01-01T12:00Z", Some((2020, 1, 1, 12, 0, 0, 0, true))),
        ("2020-01-01T12:00z", None),
        ("2020-01-01T12:00ZZ", None),
        ("2020-01-01T12:00Z\u{0}x", Some((2020, 1, 1, 12, 0, 0, 0, true))),
        ("2020-01-01T12:00+01", Some((2020, 1, 1, 12, 0, 0, 0, true))),
        ("2020-01-01T12:00+0130", Some((2020, 1, 1, 12, 0, 0, 0, true))),
        ("2020-01-01T12:00+01:30", Some((2020, 1, 1, 12, 0, 0, 0, true))),
        ("2020-01-01T12:00-01:30:15", Some((2020, 1, 1, 12, 0, 0, 0, true))),
        ("2020-01-01T12:00+013015.5", Some((2020, 1, 1, 12, 0, 0, 0, true))),
        ("2020-01-01T12:00+01:30:15.123456", Some((2020, 1, 1, 12, 0, 0, 0, true))),
        ("2020-01-01T12:00+00:00", Some((2020, 1, 1, 12, 0, 0, 0, true))),
        ("2020-01-01T12:00-00:00", Some((2020, 1, 1, 12, 0, 0, 0, true))),
        ("2020-01-01T12:00+00:00:00.5", Some((2020, 1, 1, 12, 0, 0, 0, true))),
        ("2020-01-01T12:00+00:99", Some((2020, 1, 1, 12, 0, 0, 0, true))),
        ("2020-01-01T12:00+23:59", Some((2020, 1, 1, 12, 0, 0, 0, true))),
        ("2020-01-01T12:00+23:99", None),
        ("2020-01-01T12:00+24", None),
        ("2020-01-01T12:00-23:59:59.999999", Some((2020, 1, 1, 12, 0, 0, 0, true))),
        ("2020-01-01T12:00+", None),
        ("2020-01-01T12:00-", None),
        ("2020-01-01T12:00+1", None),
        ("2020-01-01T12:00+01:0", None),
        ("2020-01-01T12:00+01:", None),
        ("2020-01-01T12:00+01x", None),
        ("2020-01-01T12:30:00.+01:00", Some((2020, 1, 1, 12, 30, 0, 0, true))),
        ("2020-01-01T12:30:+01:00", Some((2020, 1, 1, 12, 30, 0, 0, true))),
        ("2020-01-01T1230X+01:00", Some((2020, 1, 1, 12, 30, 0, 0, true))),
        ("2020-01-01T+01:00", None),
        ("2020-01-01T12:00+01:00Z", None),
        ("2020-01-01T12:00Z+01:00", None),
        ("2020-01-01T12:00:00+00:00", Some((2020, 1, 1, 12, 0, 0, 0, true))),
        ("2020-01-01T12:00:00+00:00:00", Some((2020, 1, 1, 12, 0, 0, 0, true))),
    ];

    #[test]
    fn table_matches_python() {
        for &(text, expected) in CASES {
            let got = parse_isoformat(text).map(|r| {
                let d = r.datetime;
                (
                    d.year(),
                    d.month(),
                    d.day(),
                    d.hour(),
                    d.minute(),
                    d.second(),
                    d.subsec_nanosecond() / 1000,
                    r.has_offset,
                )
            });
            assert_eq!(got, expected, "input {text:?}");
        }
    }

    #[test]
    fn fraction_is_truncated_to_microseconds() {
        let r = parse_isoformat("2020-01-01T00:00:00.9999999").unwrap();
        assert_eq!(r.datetime.subsec_nanosecond(), 999_999_000);
        assert!(!r.has_offset);
    }

    proptest::proptest! {
        /// Never panics, whatever the bytes (multi-byte characters anywhere).
        #[test]
        fn never_panics_on_any_string(s in ".{0,40}") {
            let _ = parse_isoformat(&s);
        }

        /// Never panics on text close to the accepted grammar.
        #[test]
        fn never_panics_on_near_valid(s in "[0-9:TW .,+Z\\-\u{0}\u{e9}\u{20ac}\u{1F600}\u{661}]{0,35}") {
            let _ = parse_isoformat(&s);
        }

        /// Offset-free results are naive; `Z`/`+00:00` forms are aware.
        #[test]
        fn valid_forms_round_trip(y in 1i16..=9999, mo in 1i8..=12, d in 1i8..=28,
                                  h in 0i8..=23, mi in 0i8..=59, sec in 0i8..=59, us in 0i32..1_000_000) {
            let text = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{sec:02}.{us:06}");
            let want = DateTime::new(y, mo, d, h, mi, sec, us * 1000).unwrap();
            let naive = parse_isoformat(&text).unwrap();
            proptest::prop_assert_eq!(naive, IsoDateTime { datetime: want, has_offset: false });
            let aware = parse_isoformat(&format!("{text}Z")).unwrap();
            proptest::prop_assert_eq!(aware, IsoDateTime { datetime: want, has_offset: true });
            let aware = parse_isoformat(&format!("{text}+00:00")).unwrap();
            proptest::prop_assert_eq!(aware, IsoDateTime { datetime: want, has_offset: true });
        }
    }
}
