//! proptest strategies for the differential test: random feature documents, contexts, caller
//! defaults and pinned clock readings, built to hit every action and its edges (spec §2–§8)
//! and every check of the validator (spec §3).
//!
//! Documents and contexts share a pool of "atoms" (the values of one case), and context values
//! are mostly *derived* from the condition values they meet (the same value, the same number
//! as int/float/bool, a neighbour, a prefix, an element, a key...), so that conditions match
//! about as often as they fail. Schedule values are derived from the pinned `now`, in the
//! condition's own zone, so windows open and close around it.
//!
//! Input classes left out on purpose (each one a documented deliberate difference, see
//! `tests/tests/differential.rs`):
//! * `TIMEZONE` strings that `dateutil.tz.gettz` reads as something other than an IANA
//!   name: POSIX TZ strings (any name with a digit that is not a zone file, `UTC+3`), names
//!   with a leading `:`, absolute or relative file paths, a space for `_`
//!   (`America/New York`), and files of the system zoneinfo folder that are not zones of the
//!   bundled database (`posixrules`, `localtime`, `right/...`). The reference's answer depends
//!   on the machine's files there.
//! * Instants outside 2000-01-01..2021-09-01 and zones whose rules changed in recent tzdata
//!   releases: the reference reads the system tzdata, ff its bundled copy, and the two
//!   versions differ on recent political changes (and dateutil ignores the TZif footer, so
//!   it has no DST rule after 2037).
//! * Contexts that are not objects (a list or string context crashes the reference with
//!   `AttributeError`; ff's `Context` has no such value).
//! * Lone UTF-16 surrogates in strings (`"\ud800"`): valid for Python's `json`, impossible in
//!   a Rust `String`. Non-finite numbers (`NaN`, `1e400`): not JSON.
//! * Integers of more than 4300 digits (Python's `int` parsing limit).
//! * In documents that are not objects (echoed by `repr()` in the reference's error
//!   message): code points unassigned in some Unicode version. Python escapes them as
//!   unprintable according to its own Unicode database (14.0 for 3.11, newer for later
//!   Pythons); ff escapes the categories that are stable across versions.
//!
//! About one case in three may be invalid somewhere (`Env::sloppy`); the others always
//! validate, so most cases get as far as evaluating. A few cases are "probes": a single
//! schedule condition whose `START`/`END`/`TIMEZONE` is a randomly edited string.

use std::sync::{Arc, OnceLock};

use ff_runtime::{Map, Number, Value};
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::strategy::BoxedStrategy;

/// A strategy built once per thread and shared (building some, regexes in particular, is
/// costly).
macro_rules! cached {
    ($ty:ty, $strategy:expr) => {{
        thread_local! {
            static CELL: BoxedStrategy<$ty> = $strategy.boxed();
        }
        CELL.with(BoxedStrategy::clone)
    }};
}

/// One differential case: `evaluate(name, context, default)` and `get_enabled_features(context)`
/// against `schema`, with the clock pinned at `now`.
#[derive(Clone, Debug)]
pub struct Case {
    /// The document the store serves.
    pub schema: Value,
    /// The feature evaluated.
    pub name: String,
    /// The context; `None` calls without one.
    pub context: Option<Value>,
    /// The caller's default.
    pub default: Value,
    /// The pinned clock.
    pub now: Timestamp,
    /// How the JSON text of the document and context is spelt: `0` canonical (compact,
    /// shortest numbers, minimal escapes); otherwise a seed for [`styled_json`] (escapes,
    /// number spellings, whitespace, duplicate keys; the same values either way).
    pub style: u64,
}

impl Case {
    /// `now` as the oracle reads it (RFC 3339, UTC, at most microseconds).
    pub fn now_text(&self) -> String {
        self.now.to_string()
    }

    /// The document's JSON text, as both sides read it.
    pub fn schema_text(&self) -> String {
        styled_json(&self.schema, self.style)
    }

    /// The context's JSON text, as both sides read it.
    pub fn context_text(&self) -> Option<String> {
        self.context.as_ref().map(|c| styled_json(c, self.style.rotate_left(32)))
    }

    /// The case as a conformance fixture case (without `expected`).
    pub fn to_fixture_json(&self) -> String {
        let mut out = format!(r#"{{"name":{}"#, Value::from(self.name.as_str()).to_json());
        if let Some(ctx) = self.context_text() {
            out.push_str(&format!(r#","context":{ctx}"#));
        }
        out.push_str(&format!(
            r#","default":{},"now":{},"schema":{}}}"#,
            self.default.to_json(),
            Value::from(self.now_text()).to_json(),
            self.schema_text()
        ));
        out
    }

    /// The matching `get_enabled_features` entry (without `expected`).
    pub fn to_enabled_json(&self) -> String {
        let mut out = String::from("{");
        if let Some(ctx) = self.context_text() {
            out.push_str(&format!(r#""context":{ctx},"#));
        }
        out.push_str(&format!(r#""now":{},"schema":{}}}"#, Value::from(self.now_text()).to_json(), self.schema_text()));
        out
    }
}

/// JSON text for `v` in a spelling chosen by `seed` (`0`: canonical): `\u` escapes (surrogate
/// pairs for astral characters), `\/`, exponent and trailing-zero spellings of floats, `-0`,
/// whitespace, and duplicate keys placed just before the real member (Python's `dict` keeps
/// the first position and the last value, so the result is `v` again). Any JSON reader must
/// read it back as `v`.
pub fn styled_json(v: &Value, seed: u64) -> String {
    if seed == 0 {
        return v.to_json();
    }
    let mut rng = seed | 1;
    let mut out = String::new();
    write_styled(v, &mut rng, &mut out);
    out
}

fn roll(rng: &mut u64, one_in: u64) -> bool {
    // xorshift64
    *rng ^= *rng << 13;
    *rng ^= *rng >> 7;
    *rng ^= *rng << 17;
    rng.is_multiple_of(one_in)
}

fn space(rng: &mut u64, out: &mut String) {
    if roll(rng, 6) {
        out.push_str(["\n", " ", "\t", "\r\n  "][(*rng >> 8) as usize % 4]);
    }
}

fn write_styled_string(s: &str, rng: &mut u64, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' if roll(rng, 2) => out.push_str("\\/"),
            c if (c as u32) < 0x20 || roll(rng, 5) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    if roll(rng, 2) {
                        out.push_str(&format!("\\u{unit:04x}"));
                    } else {
                        out.push_str(&format!("\\u{unit:04X}"));
                    }
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_styled(v: &Value, rng: &mut u64, out: &mut String) {
    match v {
        Value::Number(Number::Int(0)) if roll(rng, 3) => out.push_str("-0"),
        Value::Number(Number::Float(x)) if roll(rng, 2) => {
            let canonical = v.to_json();
            out.push_str(&match (*rng >> 8) % 3 {
                0 => format!("{x:e}"),
                1 => format!("{x:E}").replace("E", "E+").replace("E+-", "E-"),
                _ if canonical.contains('.') && !canonical.contains('e') => format!("{canonical}00"),
                _ => canonical,
            });
        }
        Value::String(s) => write_styled_string(s, rng, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                space(rng, out);
                write_styled(item, rng, out);
                space(rng, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                space(rng, out);
                if roll(rng, 8) {
                    // A duplicate, overridden by the real member that follows.
                    write_styled_string(k, rng, out);
                    out.push_str(":[\"overridden\"],");
                }
                write_styled_string(k, rng, out);
                space(rng, out);
                out.push(':');
                space(rng, out);
                write_styled(item, rng, out);
            }
            space(rng, out);
            out.push('}');
        }
        other => out.push_str(&other.to_json()),
    }
}

// ---------------------------------------------------------------------------------------------
// Zones and instants

/// Zones used by schedule conditions: midnight and DST edges of every kind (30-minute DST,
/// DST at midnight, southern hemisphere, half- and quarter-hour offsets, a skipped calendar
/// day, ±14 h), all with rules that are settled in every tzdata release since 2021b for
/// instants before September 2021. Legacy links are included (`US/Eastern`, `EST5EDT`).
pub const ZONES: &[&str] = &[
    "UTC",
    "GMT",
    "Etc/UTC",
    "Europe/Copenhagen",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "America/New_York",
    "US/Eastern",
    "EST5EDT",
    "America/Los_Angeles",
    "America/St_Johns",
    "America/Havana",
    "America/Sao_Paulo",
    "America/Asuncion",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Tokyo",
    "Asia/Tehran",
    "Pacific/Chatham",
    "Pacific/Apia",
    "Pacific/Kiritimati",
    "Etc/GMT+12",
    "Etc/GMT-14",
    "Europe/Moscow",
];

/// `TIMEZONE` strings that the reference rejects and ff must reject too.
const BAD_ZONES: &[&str] = &[
    "utc",
    "Utc",
    "gmt",
    "europe/copenhagen",
    "EUROPE/LONDON",
    "Europe/Tokyo",
    "Mars/Olympus",
    "Europe",
    "Europe/Copenhagen ",
    " UTC",
    "America/New_York/",
    "Nowhere",
    "Ëurope/Paris",
];

const FIRST_INSTANT: i64 = 946_684_800; // 2000-01-01T00:00:00Z
const LAST_INSTANT: i64 = 1_630_454_400; // 2021-09-01T00:00:00Z

fn zone(name: &str) -> TimeZone {
    TimeZone::get(name).expect("zone of the list exists")
}

/// Every UTC-offset transition of the zones in [`ZONES`] in the instant range, with its zone.
fn transitions() -> &'static [(i64, &'static str)] {
    static ALL: OnceLock<Vec<(i64, &'static str)>> = OnceLock::new();
    ALL.get_or_init(|| {
        let start = Timestamp::from_second(FIRST_INSTANT).unwrap();
        let mut out = Vec::new();
        for name in ZONES {
            let tz = zone(name);
            for t in tz.following(start) {
                let s = t.timestamp().as_second();
                if s >= LAST_INSTANT {
                    break;
                }
                out.push((s, *name));
            }
        }
        out
    })
}

fn offset_micros() -> BoxedStrategy<i64> {
    const S: i64 = 1_000_000;
    cached!(
        i64,
        prop_oneof![
            3 => Just(0i64),
            4 => select(vec![-1, 1, -S, S, -59 * S, 59 * S, 60 * S, -60 * S, -61 * S, 30 * 60 * S, -30 * 60 * S,
                             3600 * S, -3600 * S, 2 * 3600 * S, -2 * 3600 * S, 86_399 * S, -86_400 * S]),
            3 => -86_400 * S..86_400 * S,
        ]
    )
}

fn clamp(us: i64) -> Timestamp {
    let us = us.clamp(FIRST_INSTANT * 1_000_000, LAST_INSTANT * 1_000_000 - 1);
    Timestamp::from_microsecond(us).unwrap()
}

/// A pinned `now`: near a DST transition or a local midnight of a zone (that zone is
/// returned too: schedule conditions use it more often than the others), or anywhere in the
/// range.
pub fn instant() -> BoxedStrategy<(Timestamp, &'static str)> {
    prop_oneof![
        3 => (select(transitions()), offset_micros()).prop_map(|((s, zone), off)| (clamp(s * 1_000_000 + off), zone)),
        3 => (select(ZONES), FIRST_INSTANT..LAST_INSTANT, offset_micros()).prop_map(|(name, s, off)| {
            let tz = zone(name);
            let day = tz.to_datetime(Timestamp::from_second(s).unwrap()).date();
            let midnight = tz.to_ambiguous_timestamp(day.to_datetime(jiff::civil::Time::midnight())).compatible().unwrap();
            (clamp(midnight.as_microsecond() + off), name)
        }),
        2 => (FIRST_INSTANT * 1_000_000..LAST_INSTANT * 1_000_000, any::<bool>(), select(ZONES))
            .prop_map(|(us, whole, zone)| (clamp(if whole { us - us.rem_euclid(1_000_000) } else { us }), zone)),
    ]
    .boxed()
}

// ---------------------------------------------------------------------------------------------
// JSON values

fn int(text: &str) -> Value {
    Value::Number(Number::parse(text).expect("integer literal"))
}

fn obj(pairs: Vec<(String, Value)>) -> Value {
    let mut map = Map::new();
    for (k, v) in pairs {
        map.insert(k, v);
    }
    Value::from(map)
}

const STRINGS: &[&str] = &[
    "", "a", "ab", "abc", "A", "B", "Admin", "admin", "admin.kim", "beta", "Beta", "gold", "staff", "1", "10", "9",
    "1.0", "true", "null", "%d", " ", "\t", "\n", "\u{0}", "\u{7f}", "\u{a0}", "\u{ad}", "\u{85}", "é", "e\u{301}",
    "ß", "SS", "İ", "i\u{307}", "ǅ", "ﬁ", "日本", "日本語", "🦀", "🦀🦀", "\u{200b}", "\u{fffd}", "\u{10ffff}",
    "\u{e000}", "a'b", "a\"b", "a\\b", "'\"", "MONDAY", "UTC", "Europe/Copenhagen", "CURRENT_TIME", "23:59",
    "2022-10-05",
];

fn regex(re: &str) -> BoxedStrategy<String> {
    proptest::string::string_regex(re).expect("valid regex").boxed()
}

/// Strings: the list above, small alphabets (so prefixes and substrings meet), any scalar
/// value, controls.
pub fn string() -> BoxedStrategy<String> {
    cached!(
        String,
        prop_oneof![
            4 => select(STRINGS).prop_map(str::to_owned),
            3 => regex("[ab]{0,4}"),
            1 => regex("[a-zA-Z0-9 _.\\-]{0,8}"),
            1 => vec(any::<char>(), 0..4).prop_map(|c| c.into_iter().collect::<String>()),
            1 => regex("[\\x00-\\x1f\\x7f-\\u{a0}a]{0,3}"),
            1 => regex("\\PC{0,5}"),
        ]
    )
}

/// Characters whose printability (for Python's `repr`) is the same in every Unicode
/// version: assigned long ago, or never assignable.
const STABLE_CHARS: &[char] = &[
    'a', 'B', ' ', '\'', '"', '\\', '\t', '\n', '\r', '\u{0}', '\u{1b}', '\u{7f}', '\u{85}', '\u{a0}', '\u{ad}', 'é',
    'ß', '日', '🦀', '\u{301}', '\u{600}', '\u{1680}', '\u{200b}', '\u{2028}', '\u{2029}', '\u{202f}', '\u{3000}',
    '\u{e000}', '\u{f8ff}', '\u{fdd0}', '\u{feff}', '\u{fffb}', '\u{fffd}', '\u{fffe}', '\u{ffff}', '\u{1d173}',
    '\u{1fffe}', '\u{e0001}', '\u{e007f}', '\u{f0000}', '\u{10fffd}', '\u{10ffff}',
];

/// Strings without code points that are unassigned in some Unicode version: the reference
/// echoes a non-object document with `repr()`, whose escaping of those depends on the
/// Python version (a documented deliberate difference).
fn stable_string() -> BoxedStrategy<String> {
    cached!(
        String,
        prop_oneof![
            2 => select(STRINGS).prop_map(str::to_owned),
            3 => vec(select(STABLE_CHARS), 0..5).prop_map(|c| c.into_iter().collect::<String>()),
        ]
    )
}

const INTS: &[&str] = &[
    "0", "1", "-1", "2", "7", "39", "40", "93", "99", "100", "101", "-7", "-61", "-100", "255", "65536",
    "2147483647", "2147483648", "-2147483649", "9007199254740992", "9007199254740993", "-9007199254740993",
    "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
    "18446744073709551615", "18446744073709551616", "18446744073709551690",
    "170141183460469231731687303715884105727", "170141183460469231731687303715884105728",
    "-170141183460469231731687303715884105728", "-170141183460469231731687303715884105729",
    "340282366920938463463374607431768211456", "1000000000000000000000000000000",
    "123456789012345678901234567890123456789012", "-123456789012345678901234567890123456789012",
];

/// Integers: small, 64-bit, beyond 64 and 128 bits.
pub fn integer() -> BoxedStrategy<Value> {
    cached!(
        Value,
        prop_oneof![
            4 => (-3i64..=3).prop_map(Value::from),
            2 => select(INTS).prop_map(int),
            2 => any::<i64>().prop_map(Value::from),
            1 => regex("-?[1-9][0-9]{18,42}").prop_map(|s| int(&s)),
            1 => regex("[1-9][0-9]{59}").prop_map(|s| int(&s)),
        ]
    )
}

const FLOATS: &[f64] = &[
    0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 2.0, 1.5, 0.1, 0.2, 0.30000000000000004, 3.5, 35.5, 39.5, 93.0, 99.5,
    99.99999999999999, 100.0, 1e16, 1e15, 1e-4, 1e-5, 1.5e-7, 1e300, -1e300, 5e-324, 2.2250738585072014e-308,
    9007199254740992.0, 9007199254740994.0, 9.223372036854776e18, 1.8446744073709552e19,
    1.7014118346046923e38, 3.402823669209385e38, 1.2345678901234568e41, 1.7976931348623157e308, 123456789.0,
];

/// Floats: integral and fractional, tiny, huge, at the edges of exact integers.
pub fn float() -> BoxedStrategy<Value> {
    cached!(
        Value,
        prop_oneof![
            3 => select(FLOATS).prop_map(Value::from),
            2 => (-200i32..200, 0u32..8).prop_map(|(i, f)| Value::from(f64::from(i) + f64::from(f) / 8.0)),
            1 => any::<f64>().prop_filter("finite", |x| x.is_finite()).prop_map(Value::from),
        ]
    )
}

fn scalar_with(strings: BoxedStrategy<String>) -> impl Strategy<Value = Value> {
    prop_oneof![
        1 => Just(Value::Null),
        2 => any::<bool>().prop_map(Value::Bool),
        3 => integer(),
        2 => float(),
        4 => strings.prop_map(Value::String),
    ]
}

/// Scalars.
pub fn scalar() -> BoxedStrategy<Value> {
    cached!(Value, scalar_with(string()))
}

const KEYS: &[&str] = &[
    "tier", "id", "k", "", "user.id", "ü", "日本", "a b", "🦀", "CURRENT_TIME", "CURRENT_DATETIME", "CURRENT_DAY_OF_WEEK",
    "default", "rules", "START", "BASE", "DAYS", "TIMEZONE", "0", "None",
];

fn key() -> BoxedStrategy<String> {
    // Never `error`: an object `{"error": "..."}` is how the oracle reports an exception.
    cached!(
        String,
        prop_oneof![4 => select(KEYS).prop_map(str::to_owned), 1 => string().prop_map(|s| if s == "error" { "error_".into() } else { s })]
    )
}

fn json_with(scalar: BoxedStrategy<Value>, key: BoxedStrategy<String>) -> BoxedStrategy<Value> {
    // Three levels of nesting, built once (prop_recursive rebuilds its levels for every
    // value, which is slow).
    let mut level = scalar.clone();
    for _ in 0..3 {
        level = prop_oneof![
            3 => scalar.clone(),
            1 => vec(level.clone(), 0..4).prop_map(Value::Array),
            1 => vec((key.clone(), level), 0..4).prop_map(obj),
        ]
        .boxed();
    }
    level
}

/// Any JSON value, nested lists and objects included.
pub fn json() -> BoxedStrategy<Value> {
    cached!(Value, json_with(scalar(), key()))
}

/// [`json`] with [`stable_string`]s only.
fn stable_json() -> BoxedStrategy<Value> {
    cached!(Value, json_with(cached!(Value, scalar_with(stable_string())), stable_string()))
}

// ---------------------------------------------------------------------------------------------
// Derived values: what a context holds for a condition

fn numeric_variants(v: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    let text = v.to_json();
    match v {
        Value::Bool(b) => {
            out.push(Value::from(i64::from(*b)));
            out.push(Value::from(if *b { 1.0 } else { 0.0 }));
            out.push(Value::Bool(!b));
        }
        Value::Number(Number::Float(x)) => {
            if x.fract() == 0.0 && x.abs() < 1e300 {
                out.push(int(&format!("{x:.0}")));
            }
            out.push(Value::from(x + 1.0));
            out.push(Value::from(x - 0.5));
            out.push(Value::from(-x));
            if *x == 0.0 || *x == 1.0 {
                out.push(Value::Bool(*x == 1.0));
            }
        }
        Value::Number(_) => {
            // Same value as a float, and its integer neighbours (as text, to stay exact).
            out.push(Value::from(v.as_f64().unwrap()));
            let digits = text.trim_start_matches('-');
            let neg = text.starts_with('-');
            let bumped = add_one(digits);
            out.push(int(&if neg { format!("-{bumped}") } else { bumped.clone() }));
            out.push(int(&if neg { digits.to_owned() } else { format!("-{digits}") }));
            if text == "0" || text == "1" {
                out.push(Value::Bool(text == "1"));
            }
            if text != "0" {
                out.push(int(&format!("{text}00")));
            }
        }
        _ => {}
    }
    out
}

/// `digits + 1` for a decimal string of ASCII digits.
fn add_one(digits: &str) -> String {
    let mut d: Vec<u8> = digits.bytes().collect();
    let mut i = d.len();
    loop {
        if i == 0 {
            d.insert(0, b'1');
            break;
        }
        i -= 1;
        if d[i] == b'9' {
            d[i] = b'0';
        } else {
            d[i] += 1;
            break;
        }
    }
    String::from_utf8(d).unwrap()
}

fn string_variants(s: &str) -> Vec<Value> {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    let mut out = vec![
        Value::from(""),
        Value::from(format!("{s}x")),
        Value::from(format!("x{s}")),
        Value::from(s.to_uppercase()),
        Value::from(s.to_lowercase()),
        Value::Array(vec![Value::from(s)]),
    ];
    for cut in [1, n / 2, n.saturating_sub(1)] {
        if cut <= n {
            out.push(Value::from(chars[..cut].iter().collect::<String>()));
            out.push(Value::from(chars[n - cut..].iter().collect::<String>()));
        }
    }
    if n >= 3 {
        out.push(Value::from(chars[1..n - 1].iter().collect::<String>()));
    }
    if let Ok(n) = s.parse::<i64>() {
        out.push(Value::from(n));
    }
    out
}

fn container_variants(v: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    match v {
        Value::Array(items) => {
            out.extend(items.iter().cloned());
            out.extend(items.iter().flat_map(numeric_variants));
            out.push(Value::Array(Vec::new()));
            if items.len() > 1 {
                out.push(Value::Array(items[1..].to_vec()));
                out.push(Value::Array(items.iter().rev().cloned().collect()));
            }
            let mut more = items.clone();
            more.push(Value::from("zz"));
            out.push(Value::Array(more));
            // Elements as strings, joined: for VALUE_IN_KEY with a string context.
            let joined: String = items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(",");
            out.push(Value::from(joined));
            out.push(obj(items.iter().filter_map(Value::as_str).map(|s| (s.to_owned(), Value::Null)).collect()));
        }
        Value::Object(map) => {
            out.extend(map.keys().map(|k| Value::from(k.as_str())));
            out.extend(map.values().cloned());
            out.push(Value::Array(map.keys().map(|k| Value::from(k.as_str())).collect()));
            out.push(obj(Vec::new()));
        }
        _ => {}
    }
    out
}

/// A context value for a condition whose value is `v`.
fn derived(v: &Value, atoms: &Arc<Vec<Value>>) -> BoxedStrategy<Value> {
    let mut close = numeric_variants(v);
    if let Value::String(s) = v {
        close.extend(string_variants(s));
    }
    close.extend(container_variants(v));
    let same = Just(v.clone());
    let atoms = select(atoms.as_ref().clone());
    if close.is_empty() {
        prop_oneof![4 => same, 3 => atoms, 2 => json()].boxed()
    } else {
        prop_oneof![4 => same, 5 => select(close), 2 => atoms, 1 => json()].boxed()
    }
}

fn modulo_context() -> BoxedStrategy<Value> {
    prop_oneof![
        6 => integer(),
        3 => float(),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => prop_oneof![Just(Value::from("93")), Just(Value::from("%d")), Just(Value::Null), Just(Value::from(vec![1i64]))],
    ]
    .boxed()
}

// ---------------------------------------------------------------------------------------------
// Conditions

const ACTIONS: &[&str] = &[
    "EQUALS",
    "NOT_EQUALS",
    "KEY_GREATER_THAN_VALUE",
    "KEY_GREATER_THAN_OR_EQUAL_VALUE",
    "KEY_LESS_THAN_VALUE",
    "KEY_LESS_THAN_OR_EQUAL_VALUE",
    "STARTSWITH",
    "ENDSWITH",
    "IN",
    "NOT_IN",
    "KEY_IN_VALUE",
    "KEY_NOT_IN_VALUE",
    "VALUE_IN_KEY",
    "VALUE_NOT_IN_KEY",
    "ALL_IN_VALUE",
    "ANY_IN_VALUE",
    "NONE_IN_VALUE",
    "SCHEDULE_BETWEEN_TIME_RANGE",
    "SCHEDULE_BETWEEN_DATETIME_RANGE",
    "SCHEDULE_BETWEEN_DAYS_OF_WEEK",
    "MODULO_RANGE",
];

/// What a case is built from: the pinned clock, the values it plays with, and whether its
/// document may be invalid.
#[derive(Debug)]
pub struct Env {
    now: Timestamp,
    /// The zone whose transition or midnight `now` is near.
    zone: &'static str,
    atoms: Arc<Vec<Value>>,
    /// When false, every generated document is valid (the invalid choices are off), so that
    /// most cases get as far as evaluating.
    sloppy: bool,
}

/// `good`, or when the case may be invalid, sometimes `bad` (weights `w_good : w_bad`).
fn or_bad<T: std::fmt::Debug + 'static>(
    sloppy: bool,
    w_good: u32,
    good: impl Strategy<Value = T> + 'static,
    w_bad: u32,
    bad: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<T> {
    if sloppy {
        prop_oneof![w_good => good.boxed(), w_bad => bad.boxed()].boxed()
    } else {
        good.boxed()
    }
}

fn atom(env: &Env) -> BoxedStrategy<Value> {
    prop_oneof![3 => select(env.atoms.as_ref().clone()), 1 => json()].boxed()
}

fn list_of_atoms(env: &Env) -> BoxedStrategy<Value> {
    vec(atom(env), 0..5).prop_map(Value::Array).boxed()
}

/// The `value` of a condition, by action.
fn condition_value(action: &'static str, env: &Arc<Env>) -> BoxedStrategy<Value> {
    match action {
        "STARTSWITH" | "ENDSWITH" => prop_oneof![
            6 => string().prop_map(Value::String),
            3 => atom(env),
            1 => Just(Value::Array(vec![Value::from("a")])),
        ]
        .boxed(),
        "IN" | "NOT_IN" | "KEY_IN_VALUE" | "KEY_NOT_IN_VALUE" => prop_oneof![
            5 => list_of_atoms(env),
            // Long lists (ff compiles them into a set).
            1 => vec(atom(env), 8..14).prop_map(Value::Array),
            2 => string().prop_map(Value::String),
            2 => vec((key(), json()), 0..4).prop_map(obj),
            1 => atom(env),
        ]
        .boxed(),
        "VALUE_IN_KEY" | "VALUE_NOT_IN_KEY" => prop_oneof![5 => atom(env), 2 => string().prop_map(Value::String), 1 => json()].boxed(),
        "ALL_IN_VALUE" | "ANY_IN_VALUE" | "NONE_IN_VALUE" => or_bad(
            env.sloppy,
            6,
            list_of_atoms(env),
            1,
            atom(env).prop_filter("not a list", |v| !matches!(v, Value::Array(_))),
        ),
        "MODULO_RANGE" => modulo_value(env.sloppy),
        "SCHEDULE_BETWEEN_TIME_RANGE" => time_range_value(env.clone()),
        "SCHEDULE_BETWEEN_DATETIME_RANGE" => datetime_range_value(env.clone()),
        "SCHEDULE_BETWEEN_DAYS_OF_WEEK" => days_value(env.clone()),
        _ => prop_oneof![6 => atom(env), 1 => json()].boxed(),
    }
}

fn expected_key(action: &str) -> Option<&'static str> {
    match action {
        "SCHEDULE_BETWEEN_TIME_RANGE" => Some("CURRENT_TIME"),
        "SCHEDULE_BETWEEN_DATETIME_RANGE" => Some("CURRENT_DATETIME"),
        "SCHEDULE_BETWEEN_DAYS_OF_WEEK" => Some("CURRENT_DAY_OF_WEEK"),
        _ => None,
    }
}

/// A member that may be absent (`None`).
type Member = Option<Value>;

/// `action` as written: valid; or misspelt, lower-case, non-string, unhashable, absent.
fn action_member(action: &'static str, sloppy: bool) -> BoxedStrategy<Member> {
    let bad = prop_oneof![
        1 => Just(Some(Value::from(action.to_lowercase()))),
        1 => Just(Some(Value::from(format!("{action} ")))),
        1 => select(vec!["EQUAL", "", "KEY_IN_VALUES", "RuleAction.EQUALS", "BETWEEN", "equals"]).prop_map(|s| Some(Value::from(s))),
        1 => prop_oneof![Just(Value::Null), Just(Value::from(1)), Just(Value::Bool(true)), Just(Value::from(1.5))].prop_map(Some),
        // Unhashable: the reference raises TypeError (a documented deliberate difference).
        1 => prop_oneof![Just(Value::Array(vec![Value::from(action)])), Just(obj(vec![(action.to_owned(), Value::Null)]))].prop_map(Some),
        1 => Just(None),
    ];
    or_bad(sloppy, 25, Just(Some(Value::from(action))), 1, bad)
}

fn key_member(action: &'static str, sloppy: bool) -> BoxedStrategy<Member> {
    let good = match expected_key(action) {
        Some(k) => or_bad(sloppy, 30, Just(k.to_owned()), 2, prop_oneof![Just(k.to_lowercase()), key()]),
        None => key().prop_filter("non-empty", |k| !k.is_empty()).boxed(),
    };
    let bad = prop_oneof![
        1 => Just(Some(Value::from(""))),
        1 => prop_oneof![Just(Value::Null), Just(Value::from(1)), Just(Value::Array(vec![Value::from("k")])), Just(Value::Bool(true))].prop_map(Some),
        1 => Just(None),
    ];
    or_bad(sloppy, 25, good.prop_map(|k| Some(Value::String(k))), 1, bad)
}

fn value_member(action: &'static str, env: &Arc<Env>) -> BoxedStrategy<Member> {
    let good = prop_oneof![
        40 => condition_value(action, env).prop_map(Some),
        // Falsy values are fine (for the actions without a value check).
        1 => prop_oneof![Just(Value::from("")), Just(Value::from(0)), Just(Value::Bool(false)), Just(Value::Array(vec![])), Just(obj(vec![]))].prop_map(Some),
    ];
    or_bad(env.sloppy, 25, good, 1, prop_oneof![Just(Some(Value::Null)), Just(None)])
}

/// One condition object (or, rarely, something that is not a valid condition at all).
fn condition(env: Arc<Env>) -> BoxedStrategy<Value> {
    let sloppy = env.sloppy;
    let cond = select(ACTIONS).prop_flat_map(move |action| {
        (
            action_member(action, env.sloppy),
            key_member(action, env.sloppy),
            value_member(action, &env),
            any::<Index>(),
            prop::option::weighted(0.05, json()),
        )
    });
    let good = cond.prop_map(|(action, key, value, order, extra)| {
        let mut members: Vec<(String, Value)> = Vec::new();
        for (name, m) in [("action", action), ("key", key), ("value", value)] {
            if let Some(v) = m {
                members.push((name.to_owned(), v));
            }
        }
        if let Some(extra) = extra {
            members.push(("note".to_owned(), extra));
        }
        // Member order does not matter; vary it anyway.
        if !members.is_empty() {
            let k = order.index(members.len());
            members.rotate_left(k);
        }
        obj(members)
    });
    let bad = prop_oneof![Just(obj(vec![])), Just(Value::Null), Just(Value::from("EQUALS")), Just(Value::Array(vec![])), Just(Value::from(1))];
    or_bad(sloppy, 40, good, 1, bad)
}

// ---------------------------------------------------------------------------------------------
// MODULO_RANGE values

fn modulo_value(sloppy: bool) -> BoxedStrategy<Value> {
    let base = prop_oneof![
        Just(1i128),
        Just(2),
        Just(3),
        Just(7),
        Just(10),
        Just(100),
        Just(1000),
        Just(1 << 64),
        Just(10i128.pow(30)),
        (1i128..200),
    ];
    let valid = (base, any::<Index>(), any::<Index>(), any::<u8>(), prop::option::weighted(0.1, json())).prop_map(
        |(base, a, b, style, extra)| {
            let pick = |i: Index| -> i128 {
                // Bias to the edges: 0, 1, BASE-1.
                match i.index(6) {
                    0 => 0,
                    1 => 1.min(base - 1),
                    2 => base - 1,
                    _ => i.index(base.min(1 << 40) as usize) as i128,
                }
            };
            let (mut start, mut end) = (pick(a), pick(b));
            if start > end {
                std::mem::swap(&mut start, &mut end);
            }
            let as_value = |n: i128, style: u8| -> Value {
                // 0 and 1 may be written as booleans (Python's bools are ints).
                if n <= 1 && style.is_multiple_of(4) {
                    Value::Bool(n == 1)
                } else {
                    Value::from(n)
                }
            };
            let mut members = vec![
                ("BASE".to_owned(), as_value(base, style / 4)),
                ("START".to_owned(), as_value(start, style)),
                ("END".to_owned(), as_value(end, style / 2)),
            ];
            if let Some(extra) = extra {
                members.push(("TIMEZONE".to_owned(), extra));
            }
            obj(members)
        },
    );
    let big = select(vec![
        r#"{"BASE": 1000000000000000000000000000000000000000000, "START": 0, "END": 999999999999999999999999999999999999999999}"#,
        r#"{"BASE": 1000000000000000000000000000000000000000000, "START": 5, "END": 5}"#,
        r#"{"BASE": 340282366920938463463374607431768211457, "START": 170141183460469231731687303715884105728, "END": 340282366920938463463374607431768211456}"#,
        r#"{"BASE": 1, "START": 0, "END": 0}"#,
        r#"{"BASE": 2, "START": true, "END": 1}"#,
        r#"{"BASE": true, "START": false, "END": 0}"#,
        r#"{"BASE": 100, "START": 0, "END": 99, "BASE ": 1, "extra": null}"#,
    ])
    .prop_map(|t| Value::from_json(t).unwrap());
    let invalid = select(vec![
        r#"{"BASE": 100, "START": 0}"#,
        r#"{"BASE": 100, "END": 5}"#,
        r#"{"START": 0, "END": 5}"#,
        r#"{"BASE": null, "START": 0, "END": 5}"#,
        r#"{"BASE": 100, "START": null, "END": 5}"#,
        r#"{"BASE": 100.0, "START": 0, "END": 5}"#,
        r#"{"BASE": 100, "START": 0.0, "END": 5}"#,
        r#"{"BASE": "100", "START": 0, "END": 5}"#,
        r#"{"BASE": 100, "START": -1, "END": 5}"#,
        r#"{"BASE": 100, "START": 6, "END": 5}"#,
        r#"{"BASE": 100, "START": 0, "END": 100}"#,
        r#"{"BASE": 0, "START": 0, "END": 0}"#,
        r#"{"BASE": -5, "START": 0, "END": 0}"#,
        r#"{"BASE": true, "START": true, "END": true}"#,
        r#"{"BASE": [100], "START": 0, "END": 5}"#,
        r#"{}"#,
        r#"[100, 0, 5]"#,
        r#""100""#,
        r#"100"#,
        r#"{"BASE": 1000000000000000000000000000000000000000000, "START": 0, "END": 1000000000000000000000000000000000000000000}"#,
    ])
    .prop_map(|t| Value::from_json(t).unwrap());
    or_bad(sloppy, 16, prop_oneof![12 => valid, 2 => big], 3, invalid)
}

// ---------------------------------------------------------------------------------------------
// Schedule values

/// `TIMEZONE`: absent (`None`), or a member value; and the zone it means when valid.
fn timezone(env: &Env) -> BoxedStrategy<(Member, TimeZone)> {
    let sloppy = env.sloppy;
    let focus = env.zone;
    let good = prop_oneof![
        20 => Just((None, TimeZone::UTC)),
        30 => Just((Some(Value::from(focus)), zone(focus))),
        25 => select(ZONES).prop_map(|n| (Some(Value::from(n)), zone(n))),
        // Falsy: UTC for the reference (after `or "UTC"`, or via TZ=UTC for gettz(None/"")).
        3 => prop_oneof![Just(Value::Null), Just(Value::from("")), Just(Value::from(0)), Just(Value::Bool(false)), Just(Value::from(0.0))]
            .prop_map(|v| (Some(v), TimeZone::UTC)),
        // Falsy and unhashable: validation lets them through as "UTC".
        1 => prop_oneof![Just(Value::Array(vec![])), Just(obj(vec![]))].prop_map(|v| (Some(v), TimeZone::UTC)),
    ];
    let bad = prop_oneof![
        3 => select(BAD_ZONES).prop_map(|n| (Some(Value::from(n)), TimeZone::UTC)),
        2 => prop_oneof![Just(Value::from(5)), Just(Value::Bool(true)), Just(Value::Array(vec![Value::from("UTC")])), Just(obj(vec![("UTC".into(), Value::Null)])), Just(Value::from(1.5))]
            .prop_map(|v| (Some(v), TimeZone::UTC)),
    ];
    or_bad(sloppy, 16, good, 1, bad)
}

fn shift(dt: DateTime, micros: i64) -> DateTime {
    let ts = TimeZone::UTC.to_timestamp(dt).unwrap();
    let moved = Timestamp::from_microsecond(ts.as_microsecond().saturating_add(micros)).unwrap_or(ts);
    TimeZone::UTC.to_datetime(moved)
}

/// Python's `\d` accepts any Unicode decimal digit; so does `int()`.
const DIGIT_SETS: &[u32] = &[0x660, 0x6f0, 0x966, 0xff10, 0x1d7ce];

fn hh_mm(minutes: i64, style: u8) -> String {
    let m = minutes.rem_euclid(1440);
    let text = format!("{:02}:{:02}", m / 60, m % 60);
    if !style.is_multiple_of(8) {
        return text;
    }
    // Replace the second hour digit (when the first is 0/1) and the last minute digit by
    // digits of another script.
    let zero = DIGIT_SETS[(style as usize / 8) % DIGIT_SETS.len()];
    let mut chars: Vec<char> = text.chars().collect();
    let swap = |c: char| char::from_u32(zero + c.to_digit(10).unwrap()).unwrap();
    if chars[0] != '2' {
        chars[1] = swap(chars[1]);
    }
    chars[4] = swap(chars[4]);
    chars.into_iter().collect()
}

/// One random edit of a string: delete, insert or replace a character.
#[derive(Clone, Copy, Debug)]
struct Edit {
    at: Index,
    kind: u8,
    with: char,
}

fn edits(alphabet: &'static [char]) -> BoxedStrategy<Vec<Edit>> {
    vec((any::<Index>(), 0u8..3, select(alphabet)).prop_map(|(at, kind, with)| Edit { at, kind, with }), 1..3).boxed()
}

fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for e in edits {
        match e.kind {
            0 if !chars.is_empty() => {
                chars.remove(e.at.index(chars.len()));
            }
            1 => chars.insert(e.at.index(chars.len() + 1), e.with),
            _ if !chars.is_empty() => {
                let i = e.at.index(chars.len());
                chars[i] = e.with;
            }
            _ => chars.push(e.with),
        }
    }
    chars.into_iter().collect()
}

const TIME_EDITS: &[char] = &['0', '1', '2', '3', '5', '9', ':', ' ', '+', '-', '\u{663}', '\u{ff11}', 'a', '.'];
const DATETIME_EDITS: &[char] =
    &['0', '1', '2', '5', '9', '-', ':', 'T', ' ', '.', ',', '+', 'Z', 'W', 'x', 'é', '\u{0}', '\u{663}', '/'];

fn time_string(local: DateTime, sloppy: bool) -> BoxedStrategy<Member> {
    let minute = i64::from(local.hour()) * 60 + i64::from(local.minute());
    let good = prop_oneof![
        8 => (prop_oneof![3 => -2i64..=2, 2 => -120i64..=120, 1 => 0i64..1440], any::<u8>())
            .prop_map(move |(d, style)| Some(Value::from(hh_mm(minute + d, style)))),
        1 => select(vec!["00:00", "23:59", "12:00", "٠٩:٠٠", "2٣:00", "1\u{1d7d7}:5\u{ff19}"]).prop_map(|s| Some(Value::from(s))),
    ];
    let bad = prop_oneof![
        2 => select(vec!["24:00", "9:00", "09:00:00", "0900", "12:60", "", " 09:00", "09:00 ", "23:5", "09.00", "+9:00", "-1:00", "2\u{663}:00", "\u{661}9:00"])
            .prop_map(|s| Some(Value::from(s))),
        2 => (0i64..1440, edits(TIME_EDITS)).prop_map(|(m, e)| Some(Value::from(apply_edits(&hh_mm(m, 1), &e)))),
        1 => prop_oneof![Just(None), Just(Some(Value::Null)), Just(Some(Value::from(900))), Just(Some(Value::Array(vec![])))],
    ];
    or_bad(sloppy, 10, good, 1, bad)
}

fn time_range_value(env: Arc<Env>) -> BoxedStrategy<Value> {
    let sloppy = env.sloppy;
    let good = timezone(&env)
        .prop_flat_map(move |(tz_member, tz)| {
            let local = tz.to_datetime(env.now);
            (Just(tz_member), time_string(local, env.sloppy), time_string(local, env.sloppy), prop::option::weighted(0.05, json()))
        })
        .prop_map(|(tz, start, end, extra)| schedule_object(vec![("START", start), ("END", end), ("TIMEZONE", tz), ("DAYS", extra)]));
    or_bad(sloppy, 20, good, 1, prop_oneof![Just(Value::from("09:00-17:00")), Just(obj(vec![])), Just(Value::Array(vec![]))])
}

fn schedule_object(members: Vec<(&str, Member)>) -> Value {
    obj(members.into_iter().filter_map(|(k, v)| v.map(|v| (k.to_owned(), v))).collect())
}

fn iso_date(dt: DateTime) -> String {
    format!("{:04}-{:02}-{:02}", dt.year(), dt.month(), dt.day())
}

/// Shapes of [`datetime_text`] that Python 3.11's `fromisoformat` reads as naive date-times.
const VALID_SHAPES: &[u8] = &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 21];

/// `dt` written in one of the many shapes Python 3.11's `fromisoformat` reads (and some it
/// does not, and some with an offset, which validation rejects).
fn datetime_text(dt: DateTime, shape: u8, digits: u8) -> String {
    let date = iso_date(dt);
    let (h, m, s) = (dt.hour(), dt.minute(), dt.second());
    let micros = dt.subsec_nanosecond() / 1000;
    let frac = |n: u8| {
        let n = usize::from(n.clamp(1, 9));
        let full = format!("{:06}000", micros);
        full[..n].to_owned()
    };
    match shape % 24 {
        0..=2 => format!("{date}T{h:02}:{m:02}:{s:02}"),
        3 => format!("{date}T{h:02}:{m:02}:{s:02}.{}", frac(digits % 9 + 1)),
        4 => format!("{date} {h:02}:{m:02}"),
        5 => date,
        6 => format!("{date}T{h:02}"),
        7 => format!("{:04}{:02}{:02}T{h:02}{m:02}{s:02}", dt.year(), dt.month(), dt.day()),
        8 => format!("{:04}{:02}{:02}", dt.year(), dt.month(), dt.day()),
        9 => {
            let w = dt.date().iso_week_date();
            format!("{:04}-W{:02}-{}", w.year(), w.week(), w.weekday().to_monday_one_offset())
        }
        10 => {
            let w = dt.date().iso_week_date();
            format!("{:04}W{:02}{}", w.year(), w.week(), w.weekday().to_monday_one_offset())
        }
        11 => {
            let w = dt.date().iso_week_date();
            format!("{:04}-W{:02}", w.year(), w.week())
        }
        12 => format!("{date}T{h:02}:{m:02}:{s:02},{}", frac(3)),
        13 => format!("{date}x{h:02}:{m:02}"),
        14 => format!("{date}é{h:02}:{m:02}:{s:02}"),
        15 => format!("{date}T{h:02}{m:02}"),
        16 => format!("{date}T{h:02}:{m:02}:{s:02}.{}", frac(9)),
        17 => format!("{date}T{h:02}:{m:02}:{s:02}{}", ["Z", "+00:00", "+01:00", "-05:30", "+0000", "+14:00"][usize::from(digits) % 6]),
        // Valid for the validator (which reads it after replacing Z by +00:00), unreadable
        // for the reference's comparator.
        18 => format!("{date}Z"),
        19 => format!("{date}T{h:02}:{m:02}:{s:02}.{}", frac(6)),
        20 => format!("{date}T{h:02}.5"),
        21 => format!("{date}T{h:02}:{m:02}:{s:02}:{}", frac(3)),
        22 => [format!("{date} "), format!("{date}TZ"), format!("{date}T{h:02}Z"), format!("{date}Z{h:02}:{m:02}"), format!("{date}T{h:02}:{m:02}Z"), format!("{date}z")]
            [usize::from(digits) % 6]
            .clone(),
        _ => [
            "", "2022-13-01", "2022-02-30", "2022-10-05T24:00:00", "0000-01-01", "not a date", "2021-W53-1", "2020-W53-7",
            "2022-10-05T12:15:00 ", "2022-1-5", "20221005T1215", "2022-10-05T12:15:00.", "9999-12-31T23:59:59.999999",
            "0001-01-01", "2022-10-05\u{0}", "2022-10-05T12:15:00+24:00", "2022-10-05T12:15:00-23:59:59.999999",
        ][usize::from(digits) % 17]
            .to_owned(),
    }
}

fn datetime_string(local: DateTime, sloppy: bool) -> BoxedStrategy<Member> {
    const S: i64 = 1_000_000;
    let offset = prop_oneof![
        3 => select(vec![0, -1, 1, -S, S, -60 * S, 60 * S, -3600 * S, 3600 * S, -86_400 * S, 86_400 * S]),
        2 => -3 * 86_400 * S..3 * 86_400 * S,
        1 => -3650 * 86_400 * S..3650 * 86_400 * S,
    ];
    let shape = if sloppy { any::<u8>().boxed() } else { select(VALID_SHAPES).boxed() };
    let text = (offset.clone(), shape, any::<u8>()).prop_map(move |(off, shape, digits)| Some(Value::from(datetime_text(shift(local, off), shape, digits))));
    // Random edits of a valid text: odd shapes that Python 3.11 may or may not read.
    let edited = (offset, select(VALID_SHAPES), any::<u8>(), edits(DATETIME_EDITS))
        .prop_map(move |(off, shape, digits, e)| Some(Value::from(apply_edits(&datetime_text(shift(local, off), shape, digits), &e))));
    let bad = prop_oneof![
        2 => edited,
        1 => prop_oneof![Just(None), Just(Some(Value::Null)), Just(Some(Value::from(20221005))), Just(Some(Value::Array(vec![])))],
    ];
    or_bad(sloppy, 8, text, 2, bad)
}

fn datetime_range_value(env: Arc<Env>) -> BoxedStrategy<Value> {
    let sloppy = env.sloppy;
    let good = timezone(&env)
        .prop_flat_map(move |(tz_member, tz)| {
            let local = tz.to_datetime(env.now);
            (Just(tz_member), datetime_string(local, env.sloppy), datetime_string(local, env.sloppy))
        })
        .prop_map(|(tz, start, end)| schedule_object(vec![("START", start), ("END", end), ("TIMEZONE", tz)]));
    or_bad(sloppy, 20, good, 1, prop_oneof![Just(Value::from("2022-10-05")), Just(obj(vec![])), Just(Value::Array(vec![]))])
}

const DAYS: &[&str] = &["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];

fn days_value(env: Arc<Env>) -> BoxedStrategy<Value> {
    let sloppy = env.sloppy;
    let day = or_bad(
        sloppy,
        20,
        select(DAYS).prop_map(Value::from),
        1,
        prop_oneof![
            select(vec!["monday", "Mon", "", "SUNDAY ", "MONDAY,TUESDAY", "LUNDI"]).prop_map(Value::from),
            Just(Value::Null),
            Just(Value::from(1)),
            Just(Value::Array(vec![Value::from("MONDAY")])),
        ],
    );
    let good = timezone(&env)
        .prop_flat_map(move |(tz_member, tz)| {
            let today = DAYS[tz.to_datetime(env.now).weekday().to_monday_zero_offset() as usize];
            (Just(tz_member), Just(today), vec(day.clone(), 0..4), any::<Index>(), any::<bool>())
        })
        .prop_map(|(tz, today, mut days, at, include)| {
            if include {
                let i = at.index(days.len() + 1);
                days.insert(i, Value::from(today));
            }
            schedule_object(vec![("DAYS", Some(Value::Array(days))), ("TIMEZONE", tz)])
        });
    let bad = prop_oneof![
        Just(obj(vec![])),
        Just(obj(vec![("TIMEZONE".into(), Value::from("UTC"))])),
        Just(obj(vec![("DAYS".into(), Value::from("MONDAY"))])),
        Just(obj(vec![("DAYS".into(), Value::Null)])),
        Just(Value::Array(vec![Value::from("MONDAY")])),
        Just(Value::from("MONDAY")),
    ];
    or_bad(sloppy, 20, good, 1, bad)
}

// ---------------------------------------------------------------------------------------------
// Rules, features, documents

const FEATURE_NAMES: &[&str] = &["f", "flag", "", "Flag", "ü", "f.g", "日本", "premium", "a/b~c"];
const RULE_NAMES: &[&str] = &["r", "rule", "R", "r ü", "2", "tier is gold", " "];

fn when_match(boolean: bool, env: &Env) -> BoxedStrategy<Member> {
    if boolean {
        or_bad(
            env.sloppy,
            20,
            any::<bool>().prop_map(|b| Some(Value::Bool(b))),
            1,
            prop_oneof![Just(None), Just(Some(Value::Null)), Just(Some(Value::from(1))), Just(Some(Value::from("true"))), Just(Some(Value::from(0)))],
        )
    } else {
        prop_oneof![
            12 => atom(env).prop_map(Some),
            4 => json().prop_map(Some),
            2 => Just(None),
            3 => any::<bool>().prop_map(|b| Some(Value::Bool(b))),
        ]
        .boxed()
    }
}

fn conditions(env: Arc<Env>) -> BoxedStrategy<Member> {
    let bad = prop_oneof![
        Just(None),
        Just(Some(Value::Array(vec![]))),
        Just(Some(obj(vec![]))),
        Just(Some(Value::Null)),
        Just(Some(Value::from("EQUALS"))),
        Just(Some(obj(vec![("action".into(), Value::from("EQUALS"))]))),
    ];
    let sloppy = env.sloppy;
    or_bad(sloppy, 20, vec(condition(env), 1..=3).prop_map(|c| Some(Value::Array(c))), 1, bad)
}

fn rule(env: Arc<Env>, boolean: bool) -> BoxedStrategy<Value> {
    let good = (when_match(boolean, &env), conditions(env.clone()), prop::option::weighted(0.03, json()))
        .prop_map(|(wm, conds, extra)| schedule_object(vec![("when_match", wm), ("conditions", conds), ("description", extra)]));
    let bad = prop_oneof![Just(obj(vec![])), Just(Value::Null), Just(Value::Bool(true)), Just(Value::Array(vec![])), Just(Value::from("r"))];
    or_bad(env.sloppy, 40, good, 1, bad)
}

fn rule_name(sloppy: bool) -> BoxedStrategy<String> {
    or_bad(sloppy, 12, select(RULE_NAMES).prop_map(str::to_owned), 1, Just(String::new()))
}

fn rules(env: Arc<Env>, boolean: bool) -> BoxedStrategy<Member> {
    let sloppy = env.sloppy;
    let good = prop_oneof![
        10 => Just(None),
        // Falsy: no rules (with a warning); get_enabled_features crashes on the non-objects
        // when the default is falsy (a documented deliberate difference).
        4 => prop_oneof![Just(obj(vec![])), Just(Value::Array(vec![])), Just(Value::Null), Just(Value::from("")), Just(Value::from(0)), Just(Value::Bool(false))]
            .prop_map(Some),
        40 => vec((rule_name(sloppy), rule(env, boolean)), 1..=3).prop_map(|r| Some(obj(r))),
    ];
    let bad = prop_oneof![Just(Value::Array(vec![Value::from(1)])), Just(Value::from("r")), Just(Value::from(1)), Just(Value::Bool(true))].prop_map(Some);
    or_bad(sloppy, 30, good, 1, bad)
}

fn boolean_type() -> BoxedStrategy<Member> {
    prop_oneof![
        20 => Just(None),
        8 => Just(Some(Value::Bool(false))),
        4 => Just(Some(Value::Bool(true))),
        3 => prop_oneof![Just(Value::Null), Just(Value::from(0)), Just(Value::from("")), Just(Value::from("false")), Just(Value::from(1)),
                         Just(Value::Array(vec![])), Just(obj(vec![])), Just(Value::from(0.0)), Just(Value::from(-0.0)), Just(Value::from("0")),
                         Just(Value::Array(vec![Value::from(0)])), Just(int("100000000000000000000000000000000000000000"))].prop_map(Some),
    ]
    .boxed()
}

fn default_member(boolean: bool, env: &Env) -> BoxedStrategy<Member> {
    let bad = prop_oneof![Just(None), Just(Some(Value::Null))];
    if boolean {
        or_bad(
            env.sloppy,
            20,
            any::<bool>().prop_map(|b| Some(Value::Bool(b))),
            1,
            prop_oneof![bad, prop_oneof![Just(Value::from(1)), Just(Value::from(0)), Just(Value::from("true")), Just(Value::from(1.0))].prop_map(Some)],
        )
    } else {
        let good = prop_oneof![
            30 => atom(env).prop_filter("not null", |v| !v.is_null()).prop_map(Some),
            5 => prop_oneof![Just(Value::Bool(false)), Just(Value::from(0)), Just(Value::from("")), Just(Value::Array(vec![])), Just(obj(vec![]))].prop_map(Some),
        ];
        or_bad(env.sloppy, 20, good, 1, bad)
    }
}

fn feature(env: Arc<Env>) -> BoxedStrategy<Value> {
    let sloppy = env.sloppy;
    let good = boolean_type()
        .prop_flat_map(move |bt| {
            let boolean = bt.as_ref().is_none_or(Value::is_truthy);
            (Just(bt), default_member(boolean, &env), rules(env.clone(), boolean), any::<Index>())
        })
        .prop_map(|(bt, default, rules, order)| {
            let mut members: Vec<(&str, Member)> = vec![("default", default), ("boolean_type", bt), ("rules", rules)];
            let k = order.index(members.len());
            members.rotate_left(k);
            schedule_object(members)
        });
    let bad = prop_oneof![Just(obj(vec![])), Just(Value::Null), Just(Value::Bool(true)), Just(Value::Array(vec![])), Just(Value::from("on")), Just(Value::from(1))];
    or_bad(sloppy, 40, good, 1, bad)
}

fn document(env: Arc<Env>) -> BoxedStrategy<Value> {
    let sloppy = env.sloppy;
    let good = prop_oneof![
        80 => vec((select(FEATURE_NAMES).prop_map(str::to_owned), feature(env)), 1..=3).prop_map(obj),
        1 => Just(obj(vec![])),
    ];
    // Not an object: "Features must be a dictionary, schema=<str(doc)>" (and null: the
    // reference's identity-cache crash, a documented deliberate difference).
    let bad = prop_oneof![
        4 => vec(stable_json(), 0..4).prop_map(Value::Array),
        2 => stable_string().prop_map(Value::String),
        2 => integer(),
        1 => float(),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => Just(Value::Null),
    ];
    or_bad(sloppy, 30, good, 1, bad)
}

/// Every condition of a document with a string key: `(key, action, value)`.
fn conditions_of(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    let Some(features) = doc.as_object() else { return out };
    for feature in features.values() {
        let Some(rules) = feature.get("rules").and_then(Value::as_object) else { continue };
        for rule in rules.values() {
            for c in rule.get("conditions").and_then(Value::as_array).unwrap_or_default() {
                if let Some(key) = c.get("key").and_then(Value::as_str) {
                    let action = c.get("action").and_then(Value::as_str).unwrap_or("").to_owned();
                    out.push((key.to_owned(), action, c.get("value").cloned().unwrap_or_default()));
                }
            }
        }
    }
    out
}

fn context_for(doc: &Value, env: &Arc<Env>) -> BoxedStrategy<Option<Value>> {
    let entries: Vec<BoxedStrategy<Option<(String, Value)>>> = conditions_of(doc)
        .into_iter()
        .map(|(key, action, value)| {
            let v = if action == "MODULO_RANGE" {
                prop_oneof![3 => modulo_context(), 1 => derived(&value, &env.atoms)].boxed()
            } else {
                derived(&value, &env.atoms)
            };
            prop::option::weighted(0.85, v.prop_map(move |v| (key.clone(), v))).boxed()
        })
        .collect();
    let extra = vec((key(), atom(env)), 0..3);
    let object = (entries, extra).prop_map(|(entries, extra)| {
        let mut members: Vec<(String, Value)> = entries.into_iter().flatten().collect();
        members.extend(extra);
        obj(members)
    });
    prop_oneof![
        30 => object.prop_map(Some),
        1 => Just(None),
        1 => Just(Some(Value::Null)),
        1 => Just(Some(obj(vec![]))),
    ]
    .boxed()
}

fn name_for(doc: &Value) -> BoxedStrategy<String> {
    let names: Vec<String> = doc.as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default();
    let other = select(FEATURE_NAMES).prop_map(str::to_owned);
    if names.is_empty() {
        other.boxed()
    } else {
        prop_oneof![12 => select(names), 1 => other].boxed()
    }
}

// ---------------------------------------------------------------------------------------------
// Probes: one schedule condition whose START, END or TIMEZONE is a randomly edited string, to
// check ff's port of Python 3.11's `datetime.fromisoformat`, the reference's HH:MM regex and
// zone-name lookup on many odd spellings (each is validated, then evaluated when valid).

fn single_condition(action: &str, key: &str, value: Value) -> Value {
    let condition = obj(vec![("action".into(), Value::from(action)), ("key".into(), Value::from(key)), ("value".into(), value)]);
    let rule = obj(vec![("when_match".into(), Value::Bool(true)), ("conditions".into(), Value::Array(vec![condition]))]);
    obj(vec![("f".into(), obj(vec![("default".into(), Value::Bool(false)), ("rules".into(), obj(vec![("r".into(), rule)]))]))])
}

const PROBE_DATETIME_EDITS: &[char] = &[
    '0', '1', '2', '3', '4', '5', '6', '9', '-', ':', 'T', 't', ' ', '.', ',', '+', 'Z', 'z', 'W', 'x', 'é', '\u{0}',
    '\u{663}', '/', '_', '\u{2212}',
];

fn datetime_probe(env: Arc<Env>) -> BoxedStrategy<Value> {
    let tz = env.zone;
    let local = zone(tz).to_datetime(env.now);
    const S: i64 = 1_000_000;
    let text = (prop_oneof![Just(0i64), -86_400 * S..86_400 * S], any::<u8>(), any::<u8>(), vec(any::<Index>(), 0..1), edits(PROBE_DATETIME_EDITS))
        .prop_map(move |(off, shape, digits, no_edit, e)| {
            let text = datetime_text(shift(local, off), shape, digits);
            if no_edit.is_empty() { apply_edits(&text, &e) } else { text }
        });
    let other = (prop_oneof![Just(0i64), -86_400 * S..86_400 * S], select(VALID_SHAPES), any::<u8>())
        .prop_map(move |(off, shape, digits)| datetime_text(shift(local, off), shape, digits));
    (text, other, any::<bool>(), any::<bool>())
        .prop_map(move |(probe, other, probe_is_start, with_zone)| {
            let (start, end) = if probe_is_start { (probe, other) } else { (other, probe) };
            let mut members = vec![("START".to_owned(), Value::from(start)), ("END".to_owned(), Value::from(end))];
            if with_zone {
                members.push(("TIMEZONE".to_owned(), Value::from(tz)));
            }
            single_condition("SCHEDULE_BETWEEN_DATETIME_RANGE", "CURRENT_DATETIME", obj(members))
        })
        .boxed()
}

fn time_probe(env: Arc<Env>) -> BoxedStrategy<Value> {
    let tz = env.zone;
    let local = zone(tz).to_datetime(env.now);
    let minute = i64::from(local.hour()) * 60 + i64::from(local.minute());
    let text = (-90i64..90, any::<u8>(), vec(any::<Index>(), 0..1), edits(TIME_EDITS))
        .prop_map(move |(d, style, no_edit, e)| {
            let text = hh_mm(minute + d, style);
            if no_edit.is_empty() { apply_edits(&text, &e) } else { text }
        });
    (text, -90i64..90, any::<bool>())
        .prop_map(move |(probe, d, probe_is_start)| {
            let other = hh_mm(minute + d, 1);
            let (start, end) = if probe_is_start { (probe, other) } else { (other, probe) };
            let value = obj(vec![
                ("START".into(), Value::from(start)),
                ("END".into(), Value::from(end)),
                ("TIMEZONE".into(), Value::from(tz)),
            ]);
            single_condition("SCHEDULE_BETWEEN_TIME_RANGE", "CURRENT_TIME", value)
        })
        .boxed()
}

/// Zone names edited with letters, `_` and `-` only: no digits (POSIX TZ strings), no `/`,
/// `.`, `:` or spaces (file paths and `gettz`'s space-for-underscore leniency), which are
/// excluded input classes.
const ZONE_EDITS: &[char] = &['a', 'e', 'E', 'n', 'N', 'T', 'U', 'C', '_', '-', 'é'];

fn zone_probe() -> BoxedStrategy<Value> {
    let name = prop_oneof![
        3 => (select(ZONES), edits(ZONE_EDITS)).prop_map(|(z, e)| apply_edits(z, &e)),
        1 => (select(ZONES), any::<Index>()).prop_map(|(z, at)| {
            // Flip the case of one letter.
            let mut chars: Vec<char> = z.chars().collect();
            let i = at.index(chars.len());
            chars[i] = if chars[i].is_uppercase() { chars[i].to_ascii_lowercase() } else { chars[i].to_ascii_uppercase() };
            chars.into_iter().collect::<String>()
        }),
        1 => select(vec!["UCT", "Zulu", "Universal", "Greenwich", "GMT", "UTC", "Etc/Zulu", "Japan", "Eire", "Navajo", "WET", "CET", "EST", "HST", "MST", "Factory"]).prop_map(str::to_owned),
    ]
    .prop_filter("not an excluded class", |n| {
        !n.chars().any(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | ':'))
            && !n.starts_with('/')
            && !n.contains("//")
            && !n.ends_with('/')
            && !["posix", "right", "posixrules", "localtime"].iter().any(|p| n.split('/').next() == Some(p))
    });
    name.prop_map(|n| {
        let value = obj(vec![("DAYS".into(), Value::Array(DAYS.iter().map(|d| Value::from(*d)).collect())), ("TIMEZONE".into(), Value::from(n))]);
        single_condition("SCHEDULE_BETWEEN_DAYS_OF_WEEK", "CURRENT_DAY_OF_WEEK", value)
    })
    .boxed()
}

/// A whole case. About one case in three may have an invalid document.
pub fn case() -> BoxedStrategy<Case> {
    let atoms = vec(prop_oneof![3 => scalar(), 1 => json()], 3..7);
    (instant(), atoms, prop::bool::weighted(0.35))
        .prop_flat_map(|((now, zone), atoms, sloppy)| {
            let env = Arc::new(Env { now, zone, atoms: Arc::new(atoms), sloppy });
            let doc = prop_oneof![
                24 => document(env.clone()),
                1 => datetime_probe(env.clone()),
                1 => time_probe(env.clone()),
                1 => zone_probe(),
            ];
            (Just(env), doc)
        })
        .prop_flat_map(|(env, doc)| {
            let context = context_for(&doc, &env);
            let name = name_for(&doc);
            let style = prop_oneof![3 => Just(0u64), 1 => any::<u64>()];
            (Just(env.now), Just(doc), name, context, prop_oneof![3 => Just(Value::Bool(false)), 1 => json()], style)
        })
        .prop_map(|(now, schema, name, context, default, style)| Case { schema, name, context, default, now, style })
        .boxed()
}
