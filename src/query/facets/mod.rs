//! Counting entity facet values over a result set.
//!
//! A facet field keeps, per segment, a column of term ordinals (each
//! document's facets as positions in the segment's sorted facet
//! dictionary). Counting reads that column and adds one per document to the
//! value each ordinal stands for; names are looked at only to build the
//! [`plan::CountPlan`] (which ordinal of which segment counts towards which
//! value, aliases and roll-ups applied) and for the few values a caller
//! shows. The plan is built once per point-in-time view and kept in the
//! [`FacetMap`], so a long-lived process (`serve`, a batch, a reused
//! [`crate::query::Session`]) counts a query without touching a dictionary.
//!
//! This module owns what is counted ([`CountSpec`]: parents, depth, field,
//! aliases); [`plan`] owns the ordinal maps, [`count`] the collector and its
//! result, [`reference`] the previous collector, kept as the oracle the
//! tests compare with and as the benchmark's baseline.

pub mod count;
pub mod plan;
pub mod reference;

use std::sync::{Arc, Mutex, PoisonError};

use tantivy::Searcher;
use tantivy::directory::OwnedBytes;
use tantivy::schema::Facet;

pub use count::{ValueCounter, ValueCounts};
use plan::CountPlan;

/// The facet field all entity values live in.
pub(crate) const FIELD: &str = "entity";
/// The facet field of the entities each article is about.
pub(crate) const MAIN_FIELD: &str = "main_entity";
/// Plans a [`FacetMap`] keeps: the entity types, `--main`, and a few
/// places' regions and cities.
const KEPT_PLANS: usize = 16;

/// Which indexed facet counts as which value once aliases apply: the
/// name index's facet section (`encoded facet TAB encoded canonical`, an
/// empty canonical for a dropped value), read in place: no parsing or
/// encoding per process. Also keeps the count plans built on it, which
/// hold while the searcher they were built for does.
#[derive(Debug, Default)]
pub struct FacetMap {
    section: Option<OwnedBytes>,
    plans: Mutex<Vec<Arc<CountPlan>>>,
}

impl FacetMap {
    pub fn new(names: &crate::aliases::names::NameIndex) -> FacetMap {
        let section = names.facet_section();
        FacetMap {
            section: (!section.is_empty()).then_some(section),
            plans: Mutex::default(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.section.is_none()
    }

    /// Each aliased facet with what it counts as (`None`: dropped).
    pub fn entries(&self) -> impl Iterator<Item = (&[u8], Option<&[u8]>)> {
        self.section
            .as_ref()
            .map_or(&[][..], |b| b.as_slice())
            .split(|b| *b == b'\n')
            .filter_map(|line| {
                let tab = memchr::memchr(b'\t', line)?;
                let to = &line[tab + 1..];
                Some((&line[..tab], (!to.is_empty()).then_some(to)))
            })
    }

    /// A collector of the values `spec` asks for over `searcher`'s
    /// segments, its plan built on first use and kept for the next query.
    pub fn counter(&self, spec: &CountSpec, searcher: &Searcher) -> tantivy::Result<ValueCounter> {
        let mut plans = self.plans.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(plan) = plans.iter().find(|p| p.serves(spec, searcher)) {
            return Ok(ValueCounter::new(Arc::clone(plan)));
        }
        let plan = Arc::new(CountPlan::build(spec, &spec.aliased(self), searcher)?);
        if plans.len() == KEPT_PLANS {
            plans.remove(0);
        }
        plans.push(Arc::clone(&plan));
        Ok(ValueCounter::new(plan))
    }
}

/// What to count: for each parent facet, the articles under each of its
/// descendants `depth` levels down (1 = its children). A document counts
/// once per value however many of its facets fall under that value, so
/// `/place` at depth 1 counts countries with their regions and cities rolled
/// up, and an article naming both "Reagan" and "Ronald Reagan" counts once
/// for the value they are aliases of (the aliases of the [`FacetMap`] that
/// counts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountSpec {
    parents: Vec<Vec<u8>>,
    depth: usize,
    field: &'static str,
}

/// Aliased facets under a spec's parents, with the value each counts
/// towards (`None`: not counted), sorted like the dictionary.
type Aliased<'m> = Vec<(&'m [u8], Option<&'m [u8]>)>;

impl CountSpec {
    pub fn new(parents: &[Facet], depth: usize) -> CountSpec {
        let parents = parents
            .iter()
            .map(|f| f.encoded_str().as_bytes().to_vec())
            .collect();
        CountSpec {
            parents,
            depth: depth.max(1),
            field: FIELD,
        }
    }

    /// Counts only the entities each article is about (`--main`) when `main`.
    pub fn main_only(mut self, main: bool) -> CountSpec {
        if main {
            self.field = MAIN_FIELD;
        }
        self
    }

    /// The aliases of `map` that matter to this spec.
    fn aliased<'m>(&self, map: &'m FacetMap) -> Aliased<'m> {
        // Facets outside the parents are never counted, aliased or not.
        let mut aliased: Aliased<'m> = map
            .entries()
            .filter(|(raw, _)| self.collapse(raw).is_some())
            .map(|(raw, to)| (raw, to.and_then(|to| self.collapse(to))))
            .collect();
        // In dictionary order (a line's tab sorts after a path's NUL).
        aliased.sort_unstable_by_key(|(raw, _)| *raw);
        aliased
    }

    pub fn field(&self) -> &'static str {
        self.field
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

#[cfg(test)]
mod tests;
