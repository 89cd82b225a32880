//! Counting entity facet values over a result set.
//!
//! Tantivy's `FacetCollector` turns every counted value back into its name
//! with a random-access dictionary lookup per value and per segment; with the
//! tens of thousands of distinct persons an archive has, that costs seconds
//! for a broad query. This collector reads each segment's facet dictionary
//! once, in order, when the segment starts (a sequential scan), keeps the
//! names of the values it may count, and counts by ordinal: exact counts with
//! no lookups afterwards.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::fastfield::FacetReader;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// The facet field all entity values live in.
const FIELD: &str = "entity";
/// The facet field of the entities each article is about.
const MAIN_FIELD: &str = "main_entity";
const NONE: u32 = u32::MAX;

/// Counts, for each parent facet, the articles under each of its
/// descendants `depth` levels down (1 = its children). A document counts
/// once per value however many of its facets fall under that value, so
/// `/place` at depth 1 counts countries with their regions and cities rolled
/// up.
pub struct ValueCounter {
    parents: Vec<Vec<u8>>,
    depth: usize,
    field: &'static str,
}

impl ValueCounter {
    pub fn new(parents: &[Facet], depth: usize) -> ValueCounter {
        let parents = parents
            .iter()
            .map(|f| f.encoded_str().as_bytes().to_vec())
            .collect();
        ValueCounter {
            parents,
            depth: depth.max(1),
            field: FIELD,
        }
    }

    /// Counts only the entities each article is about (`--main`) when `main`.
    pub fn main_only(mut self, main: bool) -> ValueCounter {
        if main {
            self.field = MAIN_FIELD;
        }
        self
    }

    /// The value `key` (an encoded facet) counts towards, if any: its prefix
    /// `depth` levels below one of the parents.
    fn collapse<'k>(&self, key: &'k [u8]) -> Option<&'k [u8]> {
        for parent in &self.parents {
            let under =
                parent.is_empty() || (key.starts_with(parent) && key.get(parent.len()) == Some(&0));
            if !under {
                continue;
            }
            let start = if parent.is_empty() {
                0
            } else {
                parent.len() + 1
            };
            let mut seps = key[start..]
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == 0)
                .map(|(i, _)| start + i);
            // The value ends at the depth-th separator after the parent, or at
            // the end of the key when it is exactly that deep.
            return match seps.nth(self.depth - 1) {
                Some(end) => Some(&key[..end]),
                None => {
                    let levels = key[start..].iter().filter(|b| **b == 0).count() + 1;
                    (levels == self.depth).then_some(key)
                }
            };
        }
        None
    }
}

/// Per-segment state: ordinal → value id, and the values' names.
pub struct SegmentValueCounter {
    reader: FacetReader,
    value_of_ord: Vec<u32>,
    names: Vec<Vec<u8>>,
    counts: Vec<u64>,
}

impl Collector for ValueCounter {
    type Fruit = HashMap<Facet, u64>;
    type Child = SegmentValueCounter;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentValueCounter> {
        let reader = segment.facet_reader(self.field)?;
        let dictionary = reader.facet_dict();
        let mut value_of_ord = vec![NONE; dictionary.num_terms()];
        let mut names: Vec<Vec<u8>> = Vec::new();
        let mut stream = dictionary.range().into_stream()?;
        while stream.advance() {
            let Some(value) = self.collapse(stream.key()) else {
                continue;
            };
            // Terms are sorted, so all terms of one value are adjacent.
            if names.last().is_none_or(|last| last.as_slice() != value) {
                names.push(value.to_vec());
            }
            value_of_ord[stream.term_ord() as usize] = (names.len() - 1) as u32;
        }
        let counts = vec![0; names.len()];
        Ok(SegmentValueCounter {
            reader,
            value_of_ord,
            names,
            counts,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<HashMap<Facet, u64>>,
    ) -> tantivy::Result<HashMap<Facet, u64>> {
        let mut all = HashMap::new();
        for fruit in fruits {
            for (facet, n) in fruit {
                *all.entry(facet).or_default() += n;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for SegmentValueCounter {
    type Fruit = HashMap<Facet, u64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let mut previous = NONE;
        for ord in self.reader.facet_ords(doc) {
            let value = self.value_of_ord[ord as usize];
            if value != NONE && value != previous {
                self.counts[value as usize] += 1;
                previous = value;
            }
        }
    }

    fn harvest(self) -> HashMap<Facet, u64> {
        let mut out = HashMap::new();
        for (name, count) in self.names.into_iter().zip(self.counts) {
            if count > 0
                && let Ok(facet) = Facet::from_encoded(name)
            {
                out.insert(facet, count);
            }
        }
        out
    }
}

/// The `k` values with the most articles under `parent`, most first (ties by
/// name, so output is stable).
pub fn top_k(counts: &HashMap<Facet, u64>, parent: &Facet, k: usize) -> Vec<(Facet, u64)> {
    let mut under: Vec<(Facet, u64)> = counts
        .iter()
        .filter(|(f, _)| parent.is_prefix_of(f) && *f != parent)
        .map(|(f, n)| (f.clone(), *n))
        .collect();
    under.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    under.truncate(k);
    under
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(path: &[&str]) -> Vec<u8> {
        Facet::from_path(path.iter().copied())
            .encoded_str()
            .as_bytes()
            .to_vec()
    }

    #[test]
    fn collapses_to_the_requested_depth() {
        let places = ValueCounter::new(&[Facet::from("/place")], 1);
        assert_eq!(
            places.collapse(&key(&["place", "Iraq", "Basra", "Basra"])),
            Some(key(&["place", "Iraq"]).as_slice())
        );
        assert_eq!(
            places.collapse(&key(&["place", "Iraq"])),
            Some(key(&["place", "Iraq"]).as_slice())
        );
        assert_eq!(places.collapse(&key(&["person", "Iraq"])), None);
        assert_eq!(places.collapse(&key(&["placebo", "x"])), None);
        let cities = ValueCounter::new(&[Facet::from_path(["place", "Iraq"])], 2);
        assert_eq!(
            cities.collapse(&key(&["place", "Iraq", "Basra", "Basra"])),
            Some(key(&["place", "Iraq", "Basra", "Basra"]).as_slice())
        );
        assert_eq!(cities.collapse(&key(&["place", "Iraq", "Basra"])), None);
        assert_eq!(cities.collapse(&key(&["place", "Iraq"])), None);
    }
}
