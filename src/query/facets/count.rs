//! The collector that counts by ordinal over a [`CountPlan`], and its
//! result: counts by global value, named only when shown.

use std::cmp::Reverse;
use std::ops::Range;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::column_index::{MultiValueIndex, Set};
use tantivy::columnar::{Column, ColumnIndex};
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, TantivyError};

use super::plan::{CountPlan, NONE, facet_column};

/// Counts the values of a plan over the documents a query matches.
pub struct ValueCounter {
    plan: Arc<CountPlan>,
}

impl ValueCounter {
    pub fn new(plan: Arc<CountPlan>) -> ValueCounter {
        ValueCounter { plan }
    }
}

/// Per-segment state: the segment's ordinal column and counts by local value.
pub struct SegmentValueCounter {
    plan: Arc<CountPlan>,
    segment: usize,
    ords: Option<Column<u64>>,
    counts: Vec<u32>,
    /// The last document counted for each value (by a token, see
    /// `collect`): a document counts once per value even when its ordinals
    /// for that value are not adjacent (aliases).
    last_doc: Vec<DocId>,
    /// One document's (or one run's) ordinals, decoded in one call.
    buffer: Vec<u64>,
    /// Where each document of a run starts in `buffer`.
    starts: Vec<u32>,
}

/// One segment's counts, by local value.
pub struct SegmentCounts {
    segment: usize,
    counts: Vec<u32>,
}

impl Collector for ValueCounter {
    type Fruit = ValueCounts;
    type Child = SegmentValueCounter;

    fn for_segment(
        &self,
        ordinal: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentValueCounter> {
        let index = ordinal as usize;
        let plan = self.plan.segment(index, segment).ok_or_else(|| {
            TantivyError::InternalError(format!(
                "facet count plan built for other segments than {}",
                segment.segment_id().short_uuid_string()
            ))
        })?;
        let locals = plan.global_of_local.len();
        let ords = facet_column(segment, self.plan.spec().field())?.map(|c| c.ords().clone());
        Ok(SegmentValueCounter {
            plan: Arc::clone(&self.plan),
            segment: index,
            ords,
            counts: vec![0; locals],
            last_doc: vec![DocId::MAX; locals],
            buffer: Vec::new(),
            starts: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentCounts>) -> tantivy::Result<ValueCounts> {
        let mut counts = vec![0u64; self.plan.num_values()];
        for fruit in fruits {
            // `segment` was checked against the plan in `for_segment`.
            let globals = &self.plan.segments()[fruit.segment].global_of_local;
            for (&global, &n) in globals.iter().zip(&fruit.counts) {
                counts[global as usize] += u64::from(n);
            }
        }
        Ok(ValueCounts {
            plan: Arc::clone(&self.plan),
            counts,
        })
    }
}

impl SegmentValueCounter {
    /// Counts one document's ordinals (`self.buffer`); `token` tells the
    /// document apart from every other of the segment.
    #[inline]
    fn count_buffered(&mut self, token: u32) {
        let value_of_ord = &self.plan.segments()[self.segment].value_of_ord;
        count_ords(
            value_of_ord,
            &self.buffer,
            token,
            &mut self.counts,
            &mut self.last_doc,
        );
    }

    /// A run of consecutive documents by the column's own rows: one read of
    /// the run's row starts and one of its ordinals, instead of three
    /// lookups per document. `false` when the column is not laid out so
    /// (then documents are counted one by one).
    fn count_run(&mut self, docs: Range<DocId>) -> bool {
        let Some(ords) = &self.ords else { return true };
        let ColumnIndex::Multivalued(MultiValueIndex::MultiValueIndexV2(index)) = &ords.index
        else {
            return false;
        };
        // Ranks number the documents that have values, in order.
        let ranks = index.optional_index.rank(docs.start)..index.optional_index.rank(docs.end);
        if ranks.is_empty() {
            return true;
        }
        self.starts.resize(ranks.len() + 1, 0);
        index
            .start_index_column
            .get_range(u64::from(ranks.start), &mut self.starts);
        let (first, last) = (self.starts[0], self.starts[ranks.len()]);
        self.buffer.resize(last.saturating_sub(first) as usize, 0);
        ords.values.get_range(u64::from(first), &mut self.buffer);
        let value_of_ord = &self.plan.segments()[self.segment].value_of_ord;
        for (i, rank) in ranks.enumerate() {
            let rows = self.starts[i] - first..self.starts[i + 1] - first;
            let Some(doc_ords) = self.buffer.get(rows.start as usize..rows.end as usize) else {
                continue;
            };
            count_ords(
                value_of_ord,
                doc_ords,
                rank,
                &mut self.counts,
                &mut self.last_doc,
            );
        }
        true
    }
}

/// Adds one document (`token`) to the value of each of its ordinals, once
/// per value.
#[inline]
fn count_ords(
    value_of_ord: &[u32],
    ords: &[u64],
    token: u32,
    counts: &mut [u32],
    last_doc: &mut [u32],
) {
    for &ord in ords {
        // An ordinal the dictionary lacks (a damaged column) counts nowhere.
        let value = usize::try_from(ord)
            .ok()
            .and_then(|ord| value_of_ord.get(ord))
            .map_or(NONE, |v| *v);
        if value == NONE {
            continue;
        }
        let last = &mut last_doc[value as usize];
        if *last != token {
            *last = token;
            counts[value as usize] += 1;
        }
    }
}

impl SegmentCollector for SegmentValueCounter {
    type Fruit = SegmentCounts;

    fn collect(&mut self, doc: DocId, _: Score) {
        let Some(ords) = &self.ords else { return };
        // The same token as `count_run` gives the document: its rank among
        // documents with values where the column numbers them, else its id.
        let (rows, token) = match &ords.index {
            ColumnIndex::Multivalued(MultiValueIndex::MultiValueIndexV2(index)) => {
                let Some(rank) = index.optional_index.rank_if_exists(doc) else {
                    return;
                };
                let column = &index.start_index_column;
                (column.get_val(rank)..column.get_val(rank + 1), rank)
            }
            other => (other.value_row_ids(doc), doc),
        };
        if rows.is_empty() {
            return;
        }
        self.buffer.resize(rows.len(), 0);
        ords.values
            .get_range(u64::from(rows.start), &mut self.buffer);
        self.count_buffered(token);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        if let (Some(&first), Some(&last)) = (docs.first(), docs.last())
            && docs.len() > 1
            && (last - first) as usize == docs.len() - 1
            && self.count_run(first..last + 1)
        {
            return;
        }
        for &doc in docs {
            self.collect(doc, 0.0);
        }
    }

    fn harvest(self) -> SegmentCounts {
        SegmentCounts {
            segment: self.segment,
            counts: self.counts,
        }
    }
}

/// Articles per value over a result set.
pub struct ValueCounts {
    plan: Arc<CountPlan>,
    counts: Vec<u64>,
}

impl ValueCounts {
    /// The `k` values with the most articles under `parent`, most first,
    /// ties by name so output is stable.
    pub fn top(&self, parent: &Facet, k: usize) -> Vec<(Facet, u64)> {
        let parent = parent.encoded_str().as_bytes();
        self.top_where(k, |id| {
            let name = self.plan.name(id);
            parent.is_empty() || (name.starts_with(parent) && name.get(parent.len()) == Some(&0))
        })
    }

    fn top_where(&self, k: usize, keep: impl Fn(usize) -> bool) -> Vec<(Facet, u64)> {
        let mut ids: Vec<usize> = (0..self.counts.len())
            .filter(|&id| self.counts[id] > 0 && keep(id))
            .collect();
        let order = |a: &usize, b: &usize| {
            (Reverse(self.counts[*a]), self.plan.name(*a))
                .cmp(&(Reverse(self.counts[*b]), self.plan.name(*b)))
        };
        if ids.len() > k && k > 0 {
            ids.select_nth_unstable_by(k - 1, order);
        }
        ids.truncate(k);
        ids.sort_unstable_by(order);
        ids.into_iter().filter_map(|id| self.named(id)).collect()
    }

    /// Every value counted at least once, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (Facet, u64)> + '_ {
        (0..self.counts.len())
            .filter(|&id| self.counts[id] > 0)
            .filter_map(|id| self.named(id))
    }

    fn named(&self, id: usize) -> Option<(Facet, u64)> {
        let facet = Facet::from_encoded(self.plan.name(id).to_vec()).ok()?;
        Some((facet, self.counts[id]))
    }
}
