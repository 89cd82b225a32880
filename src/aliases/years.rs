//! When each person value was in the news: the years of its articles, read
//! from the archive at each `index` run. A partial name ("George Bush" in
//! 1987 stories) joins a full name only if the archive has them in the news
//! at the same time, so two people of one name decades apart stay apart.
//!
//! Articles without a date count as one period of their own: an archive's
//! undated articles usually come from one collection of one time (the BBC
//! set of 2004–05 beside dated Reuters stories of 1987), so a full name seen
//! only there is not of the dated stories' time.

use std::collections::{BTreeMap, HashMap};

use chrono::Datelike;
use tantivy::Searcher;

use crate::query::resolve::EntityType;

/// When: a year, or `None` for articles without a date.
pub type Period = Option<i32>;

/// Articles per period of each person value (by display name).
#[derive(Debug, Default, Clone)]
pub struct Years(HashMap<String, BTreeMap<Period, u64>>);

impl Years {
    /// Reads every live article's persons and date, one pass per segment.
    pub fn of_persons(searcher: &Searcher) -> tantivy::Result<Years> {
        let mut years = Years::default();
        let root = EntityType::Person.name().as_bytes();
        let (start, end) = ([root, &[0u8]].concat(), [root, &[1u8]].concat());
        for segment in searcher.segment_readers() {
            let facets = segment.facet_reader("entity")?;
            let dates = segment.fast_fields().date("published")?;
            // Ordinal → name, for the person range of the dictionary only.
            let mut names: HashMap<u64, String> = HashMap::new();
            let mut stream = facets
                .facet_dict()
                .range()
                .ge(&start)
                .lt(&end)
                .into_stream()?;
            while stream.advance() {
                let key = &stream.key()[start.len()..];
                if !key.is_empty() && !key.contains(&0) {
                    names.insert(stream.term_ord(), String::from_utf8_lossy(key).into_owned());
                }
            }
            let mut counts: HashMap<(u64, Period), u64> = HashMap::new();
            for doc in segment.doc_ids_alive() {
                let year = dates
                    .first(doc)
                    .and_then(|d| chrono::DateTime::from_timestamp(d.into_timestamp_secs(), 0))
                    .map(|d| d.year());
                for ord in facets.facet_ords(doc) {
                    if names.contains_key(&ord) {
                        *counts.entry((ord, year)).or_default() += 1;
                    }
                }
            }
            for ((ord, year), n) in counts {
                years.add(&names[&ord], year, n);
            }
        }
        Ok(years)
    }

    pub fn add(&mut self, name: &str, year: Period, articles: u64) {
        *self
            .0
            .entry(name.to_string())
            .or_default()
            .entry(year)
            .or_default() += articles;
    }

    /// The periods of a value's articles.
    pub fn of(&self, name: &str) -> Option<&BTreeMap<Period, u64>> {
        self.0.get(name)
    }
}

/// A full name is in the news in a period when it holds at least this
/// many of its articles...
const ACTIVE_ARTICLES: u64 = 2;
/// ...or this share of them (a name with few articles).
const ACTIVE_SHARE: f64 = 0.1;
/// Years either side of an active year that still count as its time.
const MARGIN_YEARS: i32 = 1;
/// A partial name is of a full name's time when at least this share of its
/// articles falls in the full name's active periods: a value whose
/// articles split between two eras may name two people, and stays apart.
const COMPATIBLE_SHARE: f64 = 0.75;

/// The periods a name with these articles per period was in the news.
fn active_periods(full: &BTreeMap<Period, u64>) -> Vec<Period> {
    let total: u64 = full.values().sum();
    full.iter()
        .filter(|(_, n)| **n >= ACTIVE_ARTICLES || **n as f64 >= ACTIVE_SHARE * total as f64)
        .map(|(year, _)| *year)
        .collect()
}

/// Whether an article of period `p` is of the time of active period `a`.
fn near(a: Period, p: Period) -> bool {
    match (a, p) {
        (Some(a), Some(p)) => (a - p).abs() <= MARGIN_YEARS,
        (None, None) => true,
        _ => false,
    }
}

/// Whether a partial name's articles (per period) fall in the time of a
/// full name's: the archive must show them in the news together. With no
/// articles known on either side there is no evidence against.
pub fn same_time(partial: &BTreeMap<Period, u64>, full: &BTreeMap<Period, u64>) -> bool {
    let all: u64 = partial.values().sum();
    let active = active_periods(full);
    if all == 0 || active.is_empty() {
        return true;
    }
    let inside: u64 = partial
        .iter()
        .filter(|(p, _)| active.iter().any(|a| near(*a, **p)))
        .map(|(_, n)| n)
        .sum();
    inside as f64 >= COMPATIBLE_SHARE * all as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn per_year(pairs: &[(i32, u64)]) -> BTreeMap<Period, u64> {
        pairs.iter().map(|&(y, n)| (Some(y), n)).collect()
    }

    #[test]
    fn a_partial_name_must_be_in_the_news_with_the_full_name() {
        let george_w = per_year(&[(2004, 20), (2005, 6)]);
        let reagan_full = per_year(&[(1987, 10), (2004, 5)]);
        assert!(!same_time(&per_year(&[(1987, 40)]), &george_w));
        assert!(same_time(
            &per_year(&[(1987, 290), (2004, 7)]),
            &reagan_full
        ));
        // A year of the full name's next to the partial's counts.
        assert!(same_time(&per_year(&[(2003, 3)]), &george_w));
        // Mostly in the full name's time: the strays are extraction noise.
        assert!(same_time(&per_year(&[(1987, 2), (2005, 8)]), &george_w));
        // Split between two eras: maybe two people, left apart.
        assert!(!same_time(&per_year(&[(1987, 5), (2005, 5)]), &george_w));
        // One stray article does not make a year active...
        let stray = per_year(&[(1987, 1), (2004, 30)]);
        assert!(!same_time(&per_year(&[(1987, 9)]), &stray));
        // ...unless the name has few articles at all.
        assert!(same_time(&per_year(&[(1987, 9)]), &per_year(&[(1987, 1)])));
        // Nothing known, no evidence against.
        assert!(same_time(&BTreeMap::new(), &george_w));
        assert!(same_time(&per_year(&[(1987, 9)]), &BTreeMap::new()));
    }

    #[test]
    fn undated_articles_are_a_period_of_their_own() {
        let undated = |n| BTreeMap::from([(None, n)]);
        // A full name only in undated stories, a partial one mostly in 1987.
        let mut partial = per_year(&[(1987, 8)]);
        partial.insert(None, 4);
        assert!(!same_time(&partial, &undated(57)));
        // Mostly undated like the full name: of its time.
        let mut partial = per_year(&[(1987, 1)]);
        partial.insert(None, 12);
        assert!(same_time(&partial, &undated(57)));
        // An archive with no dates at all: every name is of one time.
        assert!(same_time(&undated(3), &undated(40)));
        assert!(!same_time(&undated(3), &per_year(&[(2004, 40)])));
    }

    #[test]
    fn years_add_up_per_name() {
        let mut years = Years::default();
        years.add("George Bush", Some(1987), 3);
        years.add("George Bush", Some(1987), 2);
        years.add("George Bush", None, 1);
        let mut expected = per_year(&[(1987, 5)]);
        expected.insert(None, 1);
        assert_eq!(years.of("George Bush"), Some(&expected));
        assert_eq!(years.of("Bush"), None);
    }
}
