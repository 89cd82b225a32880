//! Counts of matching articles over time, read from the `published` fast
//! field by a collector, so no document is loaded.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Bucket width.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Interval {
    Year,
    Month,
    Day,
}

/// One bucket: its label (`2019`, `2019-06`, `2019-06-30`) and count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Bucket {
    pub period: String,
    pub articles: u64,
}

/// Counts matches per period; undated articles are counted apart.
pub struct HistogramCollector {
    pub interval: Interval,
}

pub struct SegmentHistogram {
    interval: Interval,
    column: Column<tantivy::DateTime>,
    counts: BTreeMap<i64, u64>,
    undated: u64,
}

/// Key of a period: sortable and cheap (yyyymmdd with unused parts zero).
fn period_key(interval: Interval, secs: i64) -> Option<i64> {
    let date = DateTime::from_timestamp(secs, 0)?.date_naive();
    let (y, m, d) = (
        i64::from(date.year()),
        i64::from(date.month()),
        i64::from(date.day()),
    );
    Some(match interval {
        Interval::Year => y * 10_000,
        Interval::Month => y * 10_000 + m * 100,
        Interval::Day => y * 10_000 + m * 100 + d,
    })
}

fn label(interval: Interval, key: i64) -> String {
    let (y, m, d) = (key / 10_000, key / 100 % 100, key % 100);
    match interval {
        Interval::Year => format!("{y:04}"),
        Interval::Month => format!("{y:04}-{m:02}"),
        Interval::Day => format!("{y:04}-{m:02}-{d:02}"),
    }
}

impl Collector for HistogramCollector {
    type Fruit = (Vec<Bucket>, u64);
    type Child = SegmentHistogram;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentHistogram> {
        let column = segment.fast_fields().date("published")?;
        Ok(SegmentHistogram {
            interval: self.interval,
            column,
            counts: BTreeMap::new(),
            undated: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(BTreeMap<i64, u64>, u64)>,
    ) -> tantivy::Result<(Vec<Bucket>, u64)> {
        let mut all: BTreeMap<i64, u64> = BTreeMap::new();
        let mut undated = 0;
        for (counts, none) in fruits {
            undated += none;
            for (key, n) in counts {
                *all.entry(key).or_default() += n;
            }
        }
        let buckets = all
            .into_iter()
            .map(|(key, articles)| Bucket {
                period: label(self.interval, key),
                articles,
            })
            .collect();
        Ok((buckets, undated))
    }
}

impl SegmentCollector for SegmentHistogram {
    type Fruit = (BTreeMap<i64, u64>, u64);

    fn collect(&mut self, doc: DocId, _: Score) {
        match self
            .column
            .first(doc)
            .and_then(|d| period_key(self.interval, d.into_timestamp_secs()))
        {
            Some(key) => *self.counts.entry(key).or_default() += 1,
            None => self.undated += 1,
        }
    }

    fn harvest(self) -> Self::Fruit {
        (self.counts, self.undated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_labels_round_trip() {
        let secs = chrono::NaiveDate::from_ymd_opt(2019, 6, 30)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap()
            .and_utc()
            .timestamp();
        for (interval, want) in [
            (Interval::Year, "2019"),
            (Interval::Month, "2019-06"),
            (Interval::Day, "2019-06-30"),
        ] {
            assert_eq!(label(interval, period_key(interval, secs).unwrap()), want);
        }
    }
}
