//! The collector facet counts used before [`super::count`]: it reads each
//! segment's dictionary as the segment starts, counts by ordinal into that
//! segment's values and merges the segments' counts by name. Kept, unchanged
//! in what it counts, as the oracle the tests compare the plan-based
//! counter with on real files and as the baseline of the benchmark
//! (`cargo bench --bench scale -- facets`); nothing else calls it.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::error::DataCorruption;
use tantivy::fastfield::FacetReader;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, TantivyError};

use super::{Aliased, CountSpec, FIELD, FacetMap};

const NONE: u32 = u32::MAX;

/// Counts what a [`CountSpec`] asks for, with the aliases of a [`FacetMap`].
pub struct DictionaryCounter<'a> {
    spec: CountSpec,
    aliased: Aliased<'a>,
}

impl<'a> DictionaryCounter<'a> {
    pub fn new(spec: &CountSpec, aliases: &'a FacetMap) -> DictionaryCounter<'a> {
        DictionaryCounter {
            spec: spec.clone(),
            aliased: spec.aliased(aliases),
        }
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

impl Collector for DictionaryCounter<'_> {
    type Fruit = HashMap<Facet, u64>;
    type Child = SegmentValueCounter;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentValueCounter> {
        let reader = segment.facet_reader(self.spec.field())?;
        let dictionary = reader.facet_dict();
        let mut value_of_ord = vec![NONE; dictionary.num_terms()];
        // Aliased facets, sorted like the dictionary: one comparison per
        // term finds them in the pass over it (a lookup per aliased facet
        // would decompress a dictionary block each).
        let mut aliased = self.aliased.iter().peekable();
        let mut deferred: Vec<(usize, &[u8])> = Vec::new();
        let mut names: Vec<Vec<u8>> = Vec::new();
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
            let mut is_alias = None;
            while let Some(&&(raw, to)) = aliased.peek() {
                match raw.cmp(key) {
                    std::cmp::Ordering::Less => {
                        aliased.next();
                    }
                    std::cmp::Ordering::Equal => {
                        is_alias = Some(to);
                        break;
                    }
                    std::cmp::Ordering::Greater => break,
                }
            }
            if let Some(to) = is_alias {
                // Counted as its canonical value once the pass has seen
                // every value; with none, nowhere.
                if let Some(to) = to {
                    deferred.push((ord, to));
                }
                continue;
            }
            let Some(value) = self.spec.collapse(key) else {
                continue;
            };
            // Terms are sorted, so all terms of one value are adjacent (and
            // the values come out sorted).
            if names.last().is_none_or(|last| last.as_slice() != value) {
                names.push(value.to_vec());
            }
            value_of_ord[ord] = (names.len() - 1) as u32;
        }
        // Aliased ordinals take their canonical value's id: found among the
        // segment's sorted values, else added once.
        let listed = names.len();
        let mut added: HashMap<&[u8], u32> = HashMap::new();
        for (ord, to) in deferred {
            let id = match names[..listed].binary_search_by(|n| n.as_slice().cmp(to)) {
                Ok(id) => id as u32,
                Err(_) => *added.entry(to).or_insert_with(|| {
                    names.push(to.to_vec());
                    (names.len() - 1) as u32
                }),
            };
            value_of_ord[ord] = id;
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
