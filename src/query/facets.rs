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
use tantivy::error::DataCorruption;
use tantivy::fastfield::FacetReader;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, TantivyError};

/// The facet field all entity values live in.
const FIELD: &str = "entity";
/// The facet field of the entities each article is about.
const MAIN_FIELD: &str = "main_entity";
const NONE: u32 = u32::MAX;

/// Which indexed facet counts as which value once aliases apply: encoded
/// facet → encoded canonical facet, or `None` when the value is dropped.
/// Only aliased values are listed, sorted, so a segment's sorted dictionary
/// is matched against them by a merge walk rather than a lookup per term.
#[derive(Debug, Default)]
pub struct FacetMap(Vec<(Vec<u8>, Option<Vec<u8>>)>);

impl FacetMap {
    pub fn new(names: &crate::aliases::names::NameIndex) -> FacetMap {
        use crate::aliases::names::Mapped;
        use crate::aliases::table::path_of;
        let encode = |kind: crate::query::resolve::EntityType, name: &str| {
            let path = path_of(kind, name);
            Facet::from_path(std::iter::once(kind.name()).chain(path.iter().map(String::as_str)))
                .encoded_str()
                .as_bytes()
                .to_vec()
        };
        let mut map = Vec::new();
        for (kind, raw, mapped) in names.aliased() {
            let to = match mapped {
                Mapped::Same => continue,
                Mapped::To(canonical) => Some(encode(kind, &canonical)),
                Mapped::Dropped => None,
            };
            map.push((encode(kind, &raw), to));
        }
        map.sort_unstable();
        map.dedup_by(|a, b| a.0 == b.0);
        FacetMap(map)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Counts, for each parent facet, the articles under each of its
/// descendants `depth` levels down (1 = its children). A document counts
/// once per value however many of its facets fall under that value, so
/// `/place` at depth 1 counts countries with their regions and cities rolled
/// up, and an article naming both "Reagan" and "Ronald Reagan" counts once
/// for the value they are aliases of.
pub struct ValueCounter<'a> {
    parents: Vec<Vec<u8>>,
    depth: usize,
    aliases: Option<&'a FacetMap>,
    /// The values aliased facets count towards, sorted.
    targets: Vec<Vec<u8>>,
    field: &'static str,
}

impl<'a> ValueCounter<'a> {
    pub fn new(parents: &[Facet], depth: usize) -> ValueCounter<'a> {
        let parents = parents
            .iter()
            .map(|f| f.encoded_str().as_bytes().to_vec())
            .collect();
        ValueCounter {
            parents,
            depth: depth.max(1),
            aliases: None,
            targets: Vec::new(),
            field: FIELD,
        }
    }

    /// Counts only the entities each article is about (`--main`) when `main`.
    pub fn main_only(mut self, main: bool) -> ValueCounter<'a> {
        if main {
            self.field = MAIN_FIELD;
        }
        self
    }

    /// Counts indexed values as the values they are aliases of.
    pub fn with_aliases(mut self, aliases: &'a FacetMap) -> ValueCounter<'a> {
        if aliases.is_empty() {
            return self;
        }
        let mut targets: Vec<Vec<u8>> = aliases
            .0
            .iter()
            .filter_map(|(_, to)| to.as_deref())
            .filter_map(|to| self.collapse(to).map(<[u8]>::to_vec))
            .collect();
        targets.sort_unstable();
        targets.dedup();
        self.targets = targets;
        self.aliases = Some(aliases);
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
    /// The last document counted for each value: a document counts once
    /// per value even when its ordinals for that value are not adjacent.
    last_doc: Vec<DocId>,
}

impl Collector for ValueCounter<'_> {
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
        let aliased: &[(Vec<u8>, Option<Vec<u8>>)] = self.aliases.map_or(&[], |a| &a.0);
        // Dictionary terms, aliased facets and targets are all sorted: walk
        // them together. Aliased terms are assigned once the pass has seen
        // every value they may join.
        let (mut next_alias, mut next_target) = (0, 0);
        let mut target_ids = vec![NONE; self.targets.len()];
        let mut deferred: Vec<(usize, usize)> = Vec::new();
        let mut stream = dictionary.range().into_stream()?;
        while stream.advance() {
            let key = stream.key();
            // A dictionary with more terms than it says is a damaged file.
            let ord = usize::try_from(stream.term_ord())
                .ok()
                .filter(|&ord| ord < value_of_ord.len())
                .ok_or_else(|| {
                    TantivyError::DataCorruption(DataCorruption::comment_only(format!(
                        "facet dictionary of field {FIELD} has an ordinal past its {} terms",
                        dictionary.num_terms()
                    )))
                })?;
            while aliased
                .get(next_alias)
                .is_some_and(|(raw, _)| raw.as_slice() < key)
            {
                next_alias += 1;
            }
            if let Some((_, to)) = aliased
                .get(next_alias)
                .filter(|(raw, _)| raw.as_slice() == key)
            {
                let target = to
                    .as_deref()
                    .and_then(|to| self.collapse(to))
                    .and_then(|v| self.targets.binary_search_by(|t| t.as_slice().cmp(v)).ok());
                if let Some(t) = target {
                    deferred.push((ord, t));
                }
                continue;
            }
            let Some(value) = self.collapse(key) else {
                continue;
            };
            // Terms are sorted, so all terms of one value are adjacent.
            if names.last().is_none_or(|last| last.as_slice() != value) {
                names.push(value.to_vec());
            }
            let id = (names.len() - 1) as u32;
            value_of_ord[ord] = id;
            while self
                .targets
                .get(next_target)
                .is_some_and(|t| t.as_slice() < value)
            {
                next_target += 1;
            }
            if self
                .targets
                .get(next_target)
                .is_some_and(|t| t.as_slice() == value)
            {
                target_ids[next_target] = id;
            }
        }
        for (ord, t) in deferred {
            if target_ids[t] == NONE {
                names.push(self.targets[t].clone());
                target_ids[t] = (names.len() - 1) as u32;
            }
            value_of_ord[ord] = target_ids[t];
        }
        let counts = vec![0; names.len()];
        let last_doc = vec![DocId::MAX; names.len()];
        Ok(SegmentValueCounter {
            reader,
            value_of_ord,
            names,
            counts,
            last_doc,
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
        for ord in self.reader.facet_ords(doc) {
            // An ordinal the dictionary lacks (a damaged column) counts nowhere.
            let value = usize::try_from(ord)
                .ok()
                .and_then(|ord| self.value_of_ord.get(ord))
                .map_or(NONE, |v| *v);
            if value != NONE && self.last_doc[value as usize] != doc {
                self.counts[value as usize] += 1;
                self.last_doc[value as usize] = doc;
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
