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
use tantivy::directory::OwnedBytes;
use tantivy::error::DataCorruption;
use tantivy::fastfield::FacetReader;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, TantivyError};

/// The facet field all entity values live in.
const FIELD: &str = "entity";
/// The facet field of the entities each article is about.
const MAIN_FIELD: &str = "main_entity";
const NONE: u32 = u32::MAX;

/// Which indexed facet counts as which value once aliases apply: the
/// name index's facet section (`encoded facet TAB encoded canonical`, an
/// empty canonical for a dropped value), read in place: no parsing or
/// encoding per process.
#[derive(Debug, Default, Clone)]
pub struct FacetMap(Option<OwnedBytes>);

impl FacetMap {
    pub fn new(names: &crate::aliases::names::NameIndex) -> FacetMap {
        let section = names.facet_section();
        FacetMap((!section.is_empty()).then_some(section))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// Each aliased facet with what it counts as (`None`: dropped).
    pub fn entries(&self) -> impl Iterator<Item = (&[u8], Option<&[u8]>)> {
        self.0
            .as_ref()
            .map_or(&[][..], |b| b.as_slice())
            .split(|b| *b == b'\n')
            .filter_map(|line| {
                let tab = memchr::memchr(b'\t', line)?;
                let to = &line[tab + 1..];
                Some((&line[..tab], (!to.is_empty()).then_some(to)))
            })
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
    /// Aliased facets under the parents, with the value each counts
    /// towards (`None`: not counted).
    aliased: Vec<(&'a [u8], Option<&'a [u8]>)>,
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
            aliased: Vec::new(),
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
        // Facets outside the parents are never counted, aliased or not.
        self.aliased = aliases
            .entries()
            .filter(|(raw, _)| self.collapse(raw).is_some())
            .map(|(raw, to)| (raw, to.and_then(|to| self.collapse(to))))
            .collect();
        // In dictionary order (a line's tab sorts after a path's NUL).
        self.aliased.sort_unstable_by_key(|(raw, _)| *raw);
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
            let Some(value) = self.collapse(key) else {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn key(path: &[&str]) -> Vec<u8> {
        Facet::from_path(path.iter().copied())
            .encoded_str()
            .as_bytes()
            .to_vec()
    }

    /// Article facets (type, path) → counts with aliases applied, by the
    /// counter and by the plain definition: each article counts once for
    /// each canonical value any of its facets stands for.
    #[test]
    fn aliased_counts_match_counting_canonical_values_per_article() {
        use crate::aliases::edits::{Action, Edit};
        use crate::aliases::names::NameIndex;
        use crate::aliases::table::AliasTable;
        use crate::query::resolve::{EntityType, EntityValue};
        use std::collections::BTreeSet;
        use tantivy::schema::{FacetOptions, Schema};
        use tantivy::{Index, IndexWriter, TantivyDocument, query::AllQuery};

        use EntityType::{Org, Person, Place};
        let articles: Vec<Vec<(EntityType, Vec<&str>)>> = vec![
            vec![(Person, vec!["Reagan"]), (Person, vec!["Ronald Reagan"])],
            vec![
                (Person, vec!["Reagan"]),
                (Org, vec!["Counter Terrorism Service"]),
            ],
            vec![
                (Person, vec!["Nancy Reagan"]),
                (Place, vec!["Burma", "Yangon"]),
            ],
            vec![(Place, vec!["Myanmar"]), (Org, vec!["U.S. Treasury"])],
            vec![(Org, vec!["Treasury"]), (Place, vec!["Burma"])],
            vec![
                (Person, vec!["Ronald Reagan"]),
                (Place, vec!["Iraq", "Basra"]),
            ],
        ];
        let edit = Edit::new;
        let table = AliasTable::new(
            &[
                edit(Action::Drop, Org, "Counter Terrorism Service", None),
                edit(Action::Rename, Place, "Burma", Some("Myanmar")),
            ],
            &[
                edit(Action::Merge, Person, "Reagan", Some("Ronald Reagan")),
                edit(Action::Merge, Org, "U.S. Treasury", Some("Treasury")),
            ],
        )
        .unwrap();
        let mut raw: BTreeSet<(EntityType, Vec<String>)> = BTreeSet::new();
        for article in &articles {
            for (kind, path) in article {
                raw.insert((*kind, path.iter().map(|p| p.to_string()).collect()));
            }
        }
        let values: Vec<EntityValue> = raw
            .iter()
            .map(|(kind, path)| EntityValue::new(*kind, path.clone(), 1))
            .collect();
        let names = NameIndex::build(&values, &table, &mut |m| m.len() as u64, "");
        let map = FacetMap::new(&names);
        assert!(!map.is_empty());

        let mut schema = Schema::builder();
        let entity = schema.add_facet_field(FIELD, FacetOptions::default());
        let main = schema.add_facet_field(MAIN_FIELD, FacetOptions::default());
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        // Two segments: a canonical value may be absent from one of them.
        for (i, article) in articles.iter().enumerate() {
            let mut doc = TantivyDocument::default();
            for (kind, path) in article {
                let facet = Facet::from_path(std::iter::once(kind.name()).chain(path.clone()));
                doc.add_facet(entity, facet.clone());
                doc.add_facet(main, facet);
            }
            writer.add_document(doc).unwrap();
            if i == 2 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 2);

        for depth in [1, 2] {
            let roots: Vec<Facet> = [Person, Place, Org].iter().map(|k| k.root()).collect();
            let counter = ValueCounter::new(&roots, depth).with_aliases(&map);
            let counted = searcher.search(&AllQuery, &counter).unwrap();
            let mut expected: HashMap<Facet, u64> = HashMap::new();
            for article in &articles {
                let mut seen = BTreeSet::new();
                for (kind, path) in article {
                    let path: Vec<String> = path.iter().map(|p| p.to_string()).collect();
                    let Some(canonical) = table.canonical(*kind, &path) else {
                        continue;
                    };
                    let Some(value) = canonical.get(..depth) else {
                        continue;
                    };
                    let facet = Facet::from_path(
                        std::iter::once(kind.name()).chain(value.iter().map(String::as_str)),
                    );
                    if seen.insert(facet.clone()) {
                        *expected.entry(facet).or_default() += 1;
                    }
                }
            }
            assert_eq!(counted, expected, "depth {depth}");
        }
        let counter = ValueCounter::new(&[Person.root()], 1).with_aliases(&map);
        let persons = searcher.search(&AllQuery, &counter).unwrap();
        assert_eq!(persons[&Facet::from_path(["person", "Ronald Reagan"])], 3);
        assert_eq!(persons.len(), 2, "{persons:?}");
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
