//! Publication dates from the strings crawlers and wires write, and from the
//! archive's folder layout when the content has none.
//!
//! Everything becomes a UTC instant; a date without a time is midnight UTC,
//! a time without a zone is taken as UTC. Unparseable strings give `None`:
//! a missing date is better than a wrong one.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Date-and-time layouts without a zone, tried in order.
const NAIVE_DATETIME_FORMATS: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    // Reuters-21578: 26-FEB-1987 15:01:01.79
    "%d-%b-%Y %H:%M:%S%.f",
    "%B %d, %Y %H:%M",
    "%b %d, %Y %H:%M",
    "%d %B %Y %H:%M",
    "%d %b %Y %H:%M",
];

/// Layouts with a numeric zone that RFC 3339 rejects (no colon, a space).
const ZONED_FORMATS: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M:%S%.f %z",
    "%Y-%m-%dT%H:%M%z",
];

/// Date-only layouts, tried in order.
const DATE_FORMATS: &[&str] = &[
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y%m%d",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%d %B, %Y",
    "%d-%b-%Y",
    "%b. %d, %Y",
    // Dotted day-month-year is European only, so not ambiguous the way
    // 01/02/2019 is (slashed forms are left out on purpose).
    "%d.%m.%Y",
];

/// The first and last second the index can hold. Tantivy stores an instant
/// as nanoseconds since 1970 in an `i64` (1677-09-21 to 2262-04-11); a date
/// outside would wrap into another century (9999 became 1816), so such a
/// date is kept off the index and the article counted as implausibly dated.
pub const INDEXABLE_SECS: std::ops::RangeInclusive<i64> =
    (i64::MIN / 1_000_000_000)..=(i64::MAX / 1_000_000_000);

/// Whether the index can store this instant as it is.
pub fn indexable(date: DateTime<Utc>) -> bool {
    INDEXABLE_SECS.contains(&date.timestamp())
}

/// Parses one date string; `None` when no known layout fits.
pub fn parse(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim().trim_end_matches('.');
    if raw.is_empty() || raw.len() > 64 {
        return None;
    }
    // Wires pad day numbers with an extra space: "3-MAR-1987  09:15:05.40".
    let collapsed;
    let s = if raw.contains("  ") {
        collapsed = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        collapsed.as_str()
    } else {
        raw
    };
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return parse_unix(s);
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d.with_timezone(&Utc));
    }
    let s = strip_weekday(s);
    let s = trim_zone_name(s);
    let cleaned = strip_ordinals(s);
    let s = cleaned.as_str();
    for f in ZONED_FORMATS {
        if let Ok(d) = DateTime::parse_from_str(s, f) {
            return Some(d.with_timezone(&Utc));
        }
    }
    for f in NAIVE_DATETIME_FORMATS {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(Utc.from_utc_datetime(&d));
        }
    }
    for f in DATE_FORMATS {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return midnight(d);
        }
    }
    None
}

/// Ten digits are seconds, thirteen are milliseconds since 1970; anything
/// else made of digits (`20191230`) is tried as a compact date.
fn parse_unix(s: &str) -> Option<DateTime<Utc>> {
    let n: i64 = s.parse().ok()?;
    match s.len() {
        9 | 10 => DateTime::from_timestamp(n, 0),
        12 | 13 => DateTime::from_timestamp_millis(n),
        8 => NaiveDate::parse_from_str(s, "%Y%m%d")
            .ok()
            .and_then(midnight),
        _ => None,
    }
}

fn midnight(d: NaiveDate) -> Option<DateTime<Utc>> {
    Some(Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0)?))
}

/// "Monday, 30 December 2019" → "30 December 2019".
fn strip_weekday(s: &str) -> &str {
    match s.split_once(',') {
        Some((head, rest)) if is_weekday(head.trim()) => rest.trim_start(),
        _ => match s.split_once(' ') {
            Some((head, rest)) if is_weekday(head) => rest.trim_start(),
            _ => s,
        },
    }
}

fn is_weekday(word: &str) -> bool {
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let w = word.to_ascii_lowercase();
    w.len() >= 3
        && DAYS.iter().any(|d| w.starts_with(d))
        && w.ends_with(|c: char| c.is_alphabetic() || c == '.')
}

/// Drops a trailing zone abbreviation: "10:00 GMT", "10:00 UTC", "10:00 Z".
fn trim_zone_name(s: &str) -> &str {
    for zone in [" GMT", " UTC", " Z", "Z"] {
        if let Some(head) = s.strip_suffix(zone) {
            // Only after a time: "Dec 30, 2019Z" is not a thing.
            if head.ends_with(|c: char| c.is_ascii_digit()) && head.contains(':') {
                return head.trim_end();
            }
        }
    }
    s
}

/// "December 30th, 2019" → "December 30, 2019".
fn strip_ordinals(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut words = s.split(' ').peekable();
    while let Some(w) = words.next() {
        let (core, tail) = match w.strip_suffix(',') {
            Some(c) => (c, ","),
            None => (w, ""),
        };
        let digits = core.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let suffix = &core[digits.len()..];
        let is_ordinal = !digits.is_empty()
            && digits.len() <= 2
            && digits.bytes().all(|b| b.is_ascii_digit())
            && matches!(
                suffix.to_ascii_lowercase().as_str(),
                "st" | "nd" | "rd" | "th"
            );
        out.push_str(if is_ordinal { digits } else { core });
        out.push_str(tail);
        if words.peek().is_some() {
            out.push(' ');
        }
    }
    out
}

/// A date from the archive's layout: `…/2019/12/30/…` folders, or
/// `2019-12-30` / `20191230` in a file or folder name. The fallback when the
/// content carries no date.
pub fn from_path(path: &str) -> Option<DateTime<Utc>> {
    let parts: Vec<&str> = path.split(['/', '\\']).collect();
    for w in parts.windows(3) {
        let num = |s: &str, len: usize| -> Option<u32> {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        if let (Some(y), Some(m), Some(d)) = (num(w[0], 4), num(w[1], 2), num(w[2], 2))
            && let Some(date) = plausible(y, m, d)
        {
            return Some(date);
        }
    }
    // Last component first: the file name is the most specific.
    parts.iter().rev().find_map(|p| date_in_name(p))
}

/// Finds `YYYY-MM-DD`, `YYYY_MM_DD` or `YYYYMMDD` inside a name, bounded by
/// non-digits so that long ids are not read as dates.
fn date_in_name(name: &str) -> Option<DateTime<Utc>> {
    let b = name.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let val = |from: usize, len: usize| -> u32 {
        b[from..from + len]
            .iter()
            .fold(0, |acc, d| acc * 10 + u32::from(d - b'0'))
    };
    for start in 0..b.len() {
        if start > 0 && digit(start - 1) {
            continue;
        }
        if !(0..4).all(|k| digit(start + k)) {
            continue;
        }
        let sep = b.get(start + 4).copied();
        let (m_at, d_at, end) = match sep {
            Some(b'-' | b'_' | b'.') if b.get(start + 7).copied() == sep => {
                (start + 5, start + 8, start + 10)
            }
            _ => (start + 4, start + 6, start + 8),
        };
        if !(0..2).all(|k| digit(m_at + k) && digit(d_at + k)) || digit(end) {
            continue;
        }
        if let Some(d) = plausible(val(start, 4), val(m_at, 2), val(d_at, 2)) {
            return Some(d);
        }
    }
    None
}

/// News archives hold nothing before 1800 or far in the future; a number
/// outside that is an id, not a year.
fn plausible(y: u32, m: u32, d: u32) -> Option<DateTime<Utc>> {
    if !(1800..=2100).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d).and_then(midnight)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> String {
        parse(s)
            .map(|d| d.to_rfc3339())
            .unwrap_or_else(|| "none".into())
    }

    #[test]
    fn rfc3339_and_iso_variants() {
        assert_eq!(iso("2019-12-30T10:00:00Z"), "2019-12-30T10:00:00+00:00");
        assert_eq!(
            iso("2019-12-30T12:00:00+02:00"),
            "2019-12-30T10:00:00+00:00"
        );
        assert_eq!(iso("2019-12-30T12:00:00+0200"), "2019-12-30T10:00:00+00:00");
        assert_eq!(
            iso("2019-12-30T10:00:00.123"),
            "2019-12-30T10:00:00.123+00:00"
        );
        assert_eq!(iso("2019-12-30 10:00:00"), "2019-12-30T10:00:00+00:00");
        assert_eq!(iso("2019-12-30T10:00"), "2019-12-30T10:00:00+00:00");
    }

    #[test]
    fn date_only() {
        assert_eq!(iso("2019-12-30"), "2019-12-30T00:00:00+00:00");
        assert_eq!(iso("2019/12/30"), "2019-12-30T00:00:00+00:00");
    }

    #[test]
    fn rfc2822() {
        assert_eq!(
            iso("Mon, 30 Dec 2019 10:00:00 GMT"),
            "2019-12-30T10:00:00+00:00"
        );
        assert_eq!(
            iso("Mon, 30 Dec 2019 10:00:00 +0100"),
            "2019-12-30T09:00:00+00:00"
        );
    }

    #[test]
    fn written_out_dates() {
        let want = "2019-12-30T00:00:00+00:00";
        for s in [
            "December 30, 2019",
            "30 December 2019",
            "Dec 30, 2019",
            "30 Dec 2019",
            "Monday, December 30, 2019",
            "Monday 30 December 2019",
            "December 30th, 2019",
            "Dec. 30, 2019",
            "30.12.2019",
        ] {
            assert_eq!(iso(s), want, "{s}");
        }
    }

    #[test]
    fn reuters_form() {
        assert_eq!(
            iso("26-FEB-1987 15:01:01.79"),
            "1987-02-26T15:01:01.790+00:00"
        );
        assert_eq!(
            iso(" 3-MAR-1987  09:15:05.40"),
            "1987-03-03T09:15:05.400+00:00"
        );
    }

    #[test]
    fn unix_numbers() {
        assert_eq!(iso("1577700000"), "2019-12-30T10:00:00+00:00");
        assert_eq!(iso("1577700000000"), "2019-12-30T10:00:00+00:00");
    }

    #[test]
    fn garbage_is_none() {
        for s in [
            "",
            "yesterday",
            "4 min read",
            "2019-13-45",
            "12345",
            "12/30/2019",
        ] {
            assert_eq!(parse(s), None, "{s}");
        }
    }

    #[test]
    fn index_range_ends_where_nanoseconds_overflow() {
        let first = DateTime::from_timestamp(*INDEXABLE_SECS.start(), 0).unwrap();
        let last = DateTime::from_timestamp(*INDEXABLE_SECS.end(), 0).unwrap();
        assert_eq!(first.to_rfc3339(), "1677-09-21T00:12:44+00:00");
        assert_eq!(last.to_rfc3339(), "2262-04-11T23:47:16+00:00");
        assert!(indexable(first) && indexable(last));
        assert!(!indexable(parse("9999-12-31").unwrap()));
        assert!(!indexable(parse("0001-01-01").unwrap()));
        assert!(indexable(parse("2019-12-30").unwrap()));
    }

    #[test]
    fn date_from_folders() {
        let d = from_path("archive/centcom/2017/03/14/strike.txt").unwrap();
        assert_eq!(d.to_rfc3339(), "2017-03-14T00:00:00+00:00");
    }

    #[test]
    fn date_from_file_name() {
        let d = from_path("archive/news-2019-12-30-iraq.json").unwrap();
        assert_eq!(d.to_rfc3339(), "2019-12-30T00:00:00+00:00");
        assert!(from_path("x/20191230_story.txt").is_some());
        assert_eq!(from_path("x/id-123456789.txt"), None);
        assert_eq!(from_path("bbc/sport/199.txt"), None);
    }
}
