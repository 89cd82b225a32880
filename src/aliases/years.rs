//! When each person value was in the news: the years of its articles, read
//! from the archive at each `index` run. A partial name ("George Bush" in
//! 1987 stories) joins a full name only if the archive has them in the news
//! at the same time, so two people of one name decades apart stay apart.

use std::collections::{BTreeMap, HashMap};

use chrono::Datelike;
use tantivy::Searcher;

use crate::query::resolve::EntityType;

/// Articles per year of each person value (by display name); undated
/// articles are not counted.
#[derive(Debug, Default, Clone)]
pub struct Years(HashMap<String, BTreeMap<i32, u64>>);

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
            let mut counts: HashMap<(u64, i32), u64> = HashMap::new();
            for doc in segment.doc_ids_alive() {
                let Some(year) = dates
                    .first(doc)
                    .and_then(|d| chrono::DateTime::from_timestamp(d.into_timestamp_secs(), 0))
                    .map(|d| d.year())
                else {
                    continue;
                };
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

    pub fn add(&mut self, name: &str, year: i32, articles: u64) {
        *self
            .0
            .entry(name.to_string())
            .or_default()
            .entry(year)
            .or_default() += articles;
    }

    /// The years of a value's articles.
    pub fn of(&self, name: &str) -> Option<&BTreeMap<i32, u64>> {
        self.0.get(name)
    }
}

/// A full name is in the news in a year when the year holds at least this
/// many of its articles...
const ACTIVE_ARTICLES: u64 = 2;
/// ...or this share of them (a name with few articles).
const ACTIVE_SHARE: f64 = 0.1;
/// Years either side of an active year that still count as its time.
const MARGIN_YEARS: i32 = 1;
/// A partial name is of a full name's time when at least this share of its
/// dated articles falls in the full name's active years: a value whose
/// articles split between two eras may name two people, and stays apart.
const COMPATIBLE_SHARE: f64 = 0.75;

/// The years a name with these articles per year was in the news.
fn active_years(full: &BTreeMap<i32, u64>) -> Vec<i32> {
    let total: u64 = full.values().sum();
    full.iter()
        .filter(|(_, n)| **n >= ACTIVE_ARTICLES || **n as f64 >= ACTIVE_SHARE * total as f64)
        .map(|(year, _)| *year)
        .collect()
}

/// Whether a partial name's articles (per year) fall in the time of a full
/// name's: the archive must show them in the news together. With no dated
/// articles on either side there is no evidence against.
pub fn same_time(partial: &BTreeMap<i32, u64>, full: &BTreeMap<i32, u64>) -> bool {
    let dated: u64 = partial.values().sum();
    let active = active_years(full);
    if dated == 0 || active.is_empty() {
        return true;
    }
    let inside: u64 = partial
        .iter()
        .filter(|(year, _)| active.iter().any(|a| (*a - **year).abs() <= MARGIN_YEARS))
        .map(|(_, n)| n)
        .sum();
    inside as f64 >= COMPATIBLE_SHARE * dated as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn per_year(pairs: &[(i32, u64)]) -> BTreeMap<i32, u64> {
        pairs.iter().copied().collect()
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
        // No dates, no evidence against.
        assert!(same_time(&BTreeMap::new(), &george_w));
        assert!(same_time(&per_year(&[(1987, 9)]), &BTreeMap::new()));
    }

    #[test]
    fn years_add_up_per_name() {
        let mut years = Years::default();
        years.add("George Bush", 1987, 3);
        years.add("George Bush", 1987, 2);
        years.add("George Bush", 1988, 1);
        assert_eq!(
            years.of("George Bush"),
            Some(&per_year(&[(1987, 5), (1988, 1)]))
        );
        assert_eq!(years.of("Bush"), None);
    }
}
