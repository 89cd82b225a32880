//! Filters beside the words of a query: entities, dates, sources.
//!
//! They come from options (`--person`, `--from`, ...) or from the query string
//! itself (`person:"Abu Mahdi al-Muhandis" place:Iraq after:2019-06 oil`), so a
//! query is one string a person can save or share.

use std::ops::Bound;

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use tantivy::Term;
use tantivy::query::{EmptyQuery, Query, RangeQuery};
use tantivy::schema::Field;

use crate::ingest::dates::INDEXABLE_SECS;

/// Filters as the user wrote them (names not yet resolved).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Filters {
    pub person: Vec<String>,
    pub place: Vec<String>,
    pub org: Vec<String>,
    /// Start of the period, `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (inclusive).
    pub from: Option<String>,
    /// End of the period, same forms (inclusive: `--to 2019` ends with 2019).
    pub to: Option<String>,
    pub source: Vec<String>,
    /// Entity filters and counts only over the articles each entity is
    /// *about* (in the headline, dateline or lead, or mentioned twice).
    pub main: bool,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        self == &Filters::default()
    }

    /// The filters written as in-query filters (`person:"..." after:...`),
    /// so a batch line given as JSON is reported as one shareable string.
    pub fn to_query_string(&self) -> String {
        let mut parts = Vec::new();
        let quote = |v: &str| {
            if v.contains(char::is_whitespace) {
                format!("\"{v}\"")
            } else {
                v.to_string()
            }
        };
        for (key, values) in [
            ("person", &self.person),
            ("place", &self.place),
            ("org", &self.org),
        ] {
            parts.extend(values.iter().map(|v| format!("{key}:{}", quote(v))));
        }
        if let Some(from) = &self.from {
            parts.push(format!("from:{from}"));
        }
        if let Some(to) = &self.to {
            parts.push(format!("to:{to}"));
        }
        parts.extend(self.source.iter().map(|v| format!("source:{}", quote(v))));
        parts.join(" ")
    }

    /// Adds the filters of `other` (options and in-query filters combine).
    pub fn merge(&mut self, other: Filters) {
        self.person.extend(other.person);
        self.place.extend(other.place);
        self.org.extend(other.org);
        self.source.extend(other.source);
        if other.from.is_some() {
            self.from = other.from;
        }
        if other.to.is_some() {
            self.to = other.to;
        }
        self.main |= other.main;
    }
}

/// A date the user wrote could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the date {0:?}: write YYYY, YYYY-MM or YYYY-MM-DD")]
pub struct DateError(pub String);

/// The first instant of the period a date names ("2019-06" → 1 June 2019).
pub fn period_start(text: &str) -> Result<DateTime<Utc>, DateError> {
    let (y, m, d) = parse_partial(text)?;
    midnight(y, m.unwrap_or(1), d.unwrap_or(1)).ok_or_else(|| DateError(text.to_string()))
}

/// The first instant after the period a date names ("2019-06" → 1 July 2019).
pub fn period_end(text: &str) -> Result<DateTime<Utc>, DateError> {
    let bad = || DateError(text.to_string());
    let (y, m, d) = parse_partial(text)?;
    let next = match (m, d) {
        (None, _) => midnight(y + 1, 1, 1),
        (Some(12), None) => midnight(y + 1, 1, 1),
        (Some(m), None) => midnight(y, m + 1, 1),
        (Some(m), Some(d)) => {
            let day = NaiveDate::from_ymd_opt(y, m, d)
                .ok_or_else(bad)?
                .succ_opt()
                .ok_or_else(bad)?;
            midnight(day.year(), day.month(), day.day())
        }
    };
    next.ok_or_else(bad)
}

/// A period filter on the `published` field, in seconds since 1970, fitted
/// to the dates the index can hold ([`INDEXABLE_SECS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublishedRange {
    /// No stored date can fall in the period (`--from 2300`, `--to 0001`).
    Empty,
    /// Stored dates within these bounds.
    Within(Bound<i64>, Bound<i64>),
}

/// The stored dates in `[from, until)`. A bound beyond what the index can
/// hold is clamped to its edge rather than passed on: Tantivy would wrap it
/// into another century, and `--from 2300` would match every dated article.
pub fn published_range(
    from: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
) -> PublishedRange {
    let (min, max) = (*INDEXABLE_SECS.start(), *INDEXABLE_SECS.end());
    let from = from.map(|d| d.timestamp());
    let until = until.map(|d| d.timestamp());
    let empty = from.is_some_and(|f| f > max)
        || until.is_some_and(|u| u <= min)
        || matches!((from, until), (Some(f), Some(u)) if u <= f);
    if empty {
        return PublishedRange::Empty;
    }
    let lower = from.map_or(Bound::Unbounded, |f| Bound::Included(f.max(min)));
    let upper = match until {
        None => Bound::Unbounded,
        Some(u) if u > max => Bound::Included(max),
        Some(u) => Bound::Excluded(u),
    };
    PublishedRange::Within(lower, upper)
}

/// The query for [`published_range`] on the date field `published`.
pub fn published_query(
    published: Field,
    from: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
) -> Box<dyn Query> {
    let term = |secs: i64| {
        Term::from_field_date_for_search(published, tantivy::DateTime::from_timestamp_secs(secs))
    };
    match published_range(from, until) {
        PublishedRange::Empty => Box::new(EmptyQuery),
        PublishedRange::Within(lower, upper) => {
            Box::new(RangeQuery::new(lower.map(term), upper.map(term)))
        }
    }
}

fn midnight(y: i32, m: u32, d: u32) -> Option<DateTime<Utc>> {
    Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).single()
}

fn parse_partial(text: &str) -> Result<(i32, Option<u32>, Option<u32>), DateError> {
    let bad = || DateError(text.to_string());
    let mut parts = text.trim().split('-');
    let year_text = parts.next().ok_or_else(bad)?;
    if year_text.len() != 4 {
        return Err(bad());
    }
    let year: i32 = year_text.parse().map_err(|_| bad())?;
    let mut next = |max: u32| -> Result<Option<u32>, DateError> {
        match parts.next() {
            None => Ok(None),
            Some(p) => match p.parse::<u32>() {
                Ok(v) if (1..=max).contains(&v) && p.len() <= 2 => Ok(Some(v)),
                _ => Err(bad()),
            },
        }
    };
    let month = next(12)?;
    let day = if month.is_some() { next(31)? } else { None };
    if parts.next().is_some() {
        return Err(bad());
    }
    if let (Some(m), Some(d)) = (month, day) {
        NaiveDate::from_ymd_opt(year, m, d).ok_or_else(bad)?;
    }
    Ok((year, month, day))
}

/// The in-query filter keys and what they set.
const KEYS: &[&str] = &[
    "person", "place", "org", "source", "after", "before", "from", "to", "since", "until",
];

/// Splits entity, source and date filters out of a query string; what remains is
/// Tantivy query syntax. `after:`/`since:`/`from:` start a period,
/// `before:`/`until:`/`to:` end it (inclusive of the named period, except
/// `before:`, which ends just before it).
pub fn split_query(query: &str) -> Result<(String, Filters), DateError> {
    let mut filters = Filters::default();
    let mut rest = String::with_capacity(query.len());
    let bytes = query.as_bytes();
    let mut i = 0;
    while i < query.len() {
        let at_word_start = i == 0 || bytes[i - 1].is_ascii_whitespace() || bytes[i - 1] == b'(';
        let key = at_word_start
            .then(|| {
                KEYS.iter()
                    .find(|k| query[i..].starts_with(&format!("{k}:")))
            })
            .flatten();
        if let Some(key) = key {
            let value_start = i + key.len() + 1;
            let (value, end) = read_value(query, value_start);
            if !value.is_empty() {
                match *key {
                    "person" => filters.person.push(value),
                    "place" => filters.place.push(value),
                    "org" => filters.org.push(value),
                    // As a filter, several sources mean any of them (as
                    // Tantivy's `source:a source:b` would mean all of them).
                    "source" => filters.source.push(value),
                    "after" | "since" | "from" => {
                        period_start(&value)?;
                        filters.from = Some(value);
                    }
                    "before" => {
                        // Exclusive: the day before the named period's start.
                        let start = period_start(&value)?;
                        let day = start
                            .date_naive()
                            .pred_opt()
                            .ok_or_else(|| DateError(value.clone()))?;
                        filters.to = Some(day.format("%Y-%m-%d").to_string());
                    }
                    _ => {
                        period_end(&value)?;
                        filters.to = Some(value);
                    }
                }
                i = end;
                continue;
            }
        }
        let ch = query[i..].chars().next().expect("in bounds");
        rest.push(ch);
        i += ch.len_utf8();
    }
    Ok((
        rest.split_whitespace().collect::<Vec<_>>().join(" "),
        filters,
    ))
}

/// Reads a bare or double-quoted value starting at `start`; returns it and
/// the byte offset after it.
fn read_value(query: &str, start: usize) -> (String, usize) {
    let tail = &query[start..];
    if let Some(quoted) = tail.strip_prefix('"') {
        match quoted.find('"') {
            Some(end) => (quoted[..end].to_string(), start + end + 2),
            None => (quoted.to_string(), query.len()),
        }
    } else {
        let end = tail
            .find(|c: char| c.is_whitespace() || c == ')')
            .unwrap_or(tail.len());
        (tail[..end].to_string(), start + end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(from: Option<&str>, to: Option<&str>) -> PublishedRange {
        published_range(
            from.map(|f| period_start(f).unwrap()),
            to.map(|t| period_end(t).unwrap()),
        )
    }

    #[test]
    fn periods_outside_the_index_range_are_empty_or_clamped() {
        let (min, max) = (*INDEXABLE_SECS.start(), *INDEXABLE_SECS.end());
        assert_eq!(range(Some("2300"), None), PublishedRange::Empty);
        assert_eq!(range(None, Some("0001")), PublishedRange::Empty);
        assert_eq!(range(None, Some("1600-05")), PublishedRange::Empty);
        assert_eq!(range(Some("2020"), Some("2019")), PublishedRange::Empty);
        assert_eq!(
            range(Some("0001"), None),
            PublishedRange::Within(Bound::Included(min), Bound::Unbounded)
        );
        assert_eq!(
            range(Some("2019"), Some("9999")),
            PublishedRange::Within(
                Bound::Included(period_start("2019").unwrap().timestamp()),
                Bound::Included(max)
            )
        );
        assert_eq!(
            range(None, Some("2019-06")),
            PublishedRange::Within(
                Bound::Unbounded,
                Bound::Excluded(period_start("2019-07").unwrap().timestamp())
            )
        );
    }

    #[test]
    fn periods_cover_year_month_day() {
        assert_eq!(
            period_start("2019").unwrap().to_rfc3339(),
            "2019-01-01T00:00:00+00:00"
        );
        assert_eq!(
            period_end("2019").unwrap().to_rfc3339(),
            "2020-01-01T00:00:00+00:00"
        );
        assert_eq!(
            period_end("2019-12").unwrap().to_rfc3339(),
            "2020-01-01T00:00:00+00:00"
        );
        assert_eq!(
            period_end("2019-06").unwrap().to_rfc3339(),
            "2019-07-01T00:00:00+00:00"
        );
        assert_eq!(
            period_end("2020-02-29").unwrap().to_rfc3339(),
            "2020-03-01T00:00:00+00:00"
        );
        for bad in [
            "19",
            "2019-13",
            "2019-02-30",
            "2019/01",
            "2019-01-01-01",
            "soon",
        ] {
            assert!(period_start(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn filters_come_out_of_the_query() {
        let (rest, f) =
            split_query(r#"person:"Abu Mahdi al-Muhandis" place:Iraq after:2019-06 oil title:x"#)
                .unwrap();
        assert_eq!(rest, "oil title:x");
        assert_eq!(f.person, ["Abu Mahdi al-Muhandis"]);
        assert_eq!(f.place, ["Iraq"]);
        assert_eq!(f.from.as_deref(), Some("2019-06"));
        // Written back, the filters read the same.
        let again = split_query(&f.to_query_string()).unwrap().1;
        assert_eq!(again.person, f.person);
        assert_eq!(again.from, f.from);
        // Sources too, as batch lines written back from JSON carry them.
        let (rest, f) = split_query(r#"source:Reuters source:"BBC News" oil"#).unwrap();
        assert_eq!(rest, "oil");
        assert_eq!(f.source, ["Reuters", "BBC News"]);
        assert_eq!(
            split_query(&f.to_query_string()).unwrap().1.source,
            f.source
        );
        let (rest, f) = split_query("before:2020 org:PMF x").unwrap();
        assert_eq!(rest, "x");
        assert_eq!(f.to.as_deref(), Some("2019-12-31"));
        assert_eq!(f.org, ["PMF"]);
        // Not a filter when inside a word or another field's value.
        assert_eq!(split_query("airport:x").unwrap().0, "airport:x");
        assert!(split_query("after:someday").is_err());
    }
}
