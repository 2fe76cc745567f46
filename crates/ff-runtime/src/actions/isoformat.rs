//! Placeholder until the exact port lands: accepts `YYYY-MM-DD[(T| )HH:MM[:SS[.ffffff]]]`.
use jiff::civil::DateTime;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct IsoDateTime {
    pub datetime: DateTime,
    pub has_offset: bool,
}

pub(crate) fn parse_isoformat(text: &str) -> Option<IsoDateTime> {
    let (body, has_offset) = match text.find('+') {
        Some(i) => (&text[..i], true),
        None => (text, false),
    };
    let body = body.replacen(' ', "T", 1);
    let datetime: DateTime = if body.len() == 10 { format!("{body}T00:00").parse().ok()? } else { body.parse().ok()? };
    Some(IsoDateTime { datetime, has_offset })
}
