//! The count plan: which value each facet ordinal of each segment counts
//! towards, for one [`CountSpec`] over one searcher's segments.
//!
//! Values get one id across all segments (global ordinals), so counts merge
//! by adding arrays, never by name; a value's name is read only when it is
//! shown. Each segment's dictionary is read once, in order, when the plan is
//! built: terms under one value are adjacent, so a value costs one lookup of
//! its name per segment, and aliased terms are found by a merge walk with
//! the sorted alias list (a lookup per alias would decompress a dictionary
//! block each).

use std::cmp::Ordering;

use rustc_hash::FxHashMap;
use tantivy::columnar::StrColumn;
use tantivy::error::DataCorruption;
use tantivy::index::SegmentId;
use tantivy::{Searcher, SegmentReader, TantivyError};

use super::{Aliased, CountSpec};

/// An ordinal that counts towards no value.
pub(crate) const NONE: u32 = u32::MAX;

#[derive(Debug)]
pub struct CountPlan {
    spec: CountSpec,
    segment_ids: Vec<SegmentId>,
    /// Every value's encoded facet, back to back; value `i` ends at `ends[i]`.
    names: Vec<u8>,
    ends: Vec<u32>,
    segments: Vec<SegmentPlan>,
}

/// One segment's part of a plan. Counting is by local value (the values
/// this segment has), so a segment's counts are as small as its vocabulary.
#[derive(Debug, Default)]
pub(crate) struct SegmentPlan {
    /// Ordinal → local value, [`NONE`] for ordinals counted nowhere.
    pub value_of_ord: Vec<u32>,
    /// Local value → global value.
    pub global_of_local: Vec<u32>,
}

/// The values of a plan being built, by name.
#[derive(Default)]
struct Values {
    ids: FxHashMap<Box<[u8]>, u32>,
    names: Vec<u8>,
    ends: Vec<u32>,
}

impl Values {
    fn id(&mut self, name: &[u8]) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.ends.len() as u32;
        self.names.extend_from_slice(name);
        self.ends.push(self.names.len() as u32);
        self.ids.insert(name.into(), id);
        id
    }
}

impl CountPlan {
    pub fn build(
        spec: &CountSpec,
        aliased: &Aliased<'_>,
        searcher: &Searcher,
    ) -> tantivy::Result<CountPlan> {
        let mut values = Values::default();
        let mut segments = Vec::with_capacity(searcher.segment_readers().len());
        for segment in searcher.segment_readers() {
            segments.push(match facet_column(segment, spec.field)? {
                Some(column) => plan_segment(spec, aliased, &column, &mut values)?,
                None => SegmentPlan::default(),
            });
        }
        Ok(CountPlan {
            spec: spec.clone(),
            segment_ids: segment_ids(searcher),
            names: values.names,
            ends: values.ends,
            segments,
        })
    }

    /// Whether this plan counts `spec` over `searcher`'s segments.
    pub fn serves(&self, spec: &CountSpec, searcher: &Searcher) -> bool {
        self.spec == *spec
            && self.segment_ids.len() == searcher.segment_readers().len()
            && self
                .segment_ids
                .iter()
                .zip(searcher.segment_readers())
                .all(|(id, s)| *id == s.segment_id())
    }

    pub fn spec(&self) -> &CountSpec {
        &self.spec
    }

    pub(crate) fn segment(&self, ordinal: usize, segment: &SegmentReader) -> Option<&SegmentPlan> {
        (self.segment_ids.get(ordinal) == Some(&segment.segment_id()))
            .then(|| &self.segments[ordinal])
    }

    pub(crate) fn segments(&self) -> &[SegmentPlan] {
        &self.segments
    }

    pub fn num_values(&self) -> usize {
        self.ends.len()
    }

    /// The encoded facet of value `id`.
    pub fn name(&self, id: usize) -> &[u8] {
        let start = if id == 0 { 0 } else { self.ends[id - 1] };
        &self.names[start as usize..self.ends[id] as usize]
    }
}

fn segment_ids(searcher: &Searcher) -> Vec<SegmentId> {
    searcher
        .segment_readers()
        .iter()
        .map(SegmentReader::segment_id)
        .collect()
}

/// A segment's column of facet ordinals, `None` when no document of the
/// segment has a value in the field.
pub(crate) fn facet_column(
    segment: &SegmentReader,
    field: &str,
) -> tantivy::Result<Option<StrColumn>> {
    segment.fast_fields().str(field)
}

fn plan_segment(
    spec: &CountSpec,
    aliased: &Aliased<'_>,
    column: &StrColumn,
    values: &mut Values,
) -> tantivy::Result<SegmentPlan> {
    let dictionary = column.dictionary();
    let terms = dictionary.num_terms();
    let mut plan = SegmentPlan {
        value_of_ord: vec![NONE; terms],
        global_of_local: Vec::new(),
    };
    let mut aliases = aliased.iter().peekable();
    // Aliased ordinals with their canonical value, placed after the pass.
    let mut deferred: Vec<(usize, &[u8])> = Vec::new();
    // The value of the previous counted term and its local id.
    let mut previous: Vec<u8> = Vec::new();
    let mut local = NONE;
    let mut stream = dictionary.range().into_stream()?;
    while stream.advance() {
        let key = stream.key();
        // A dictionary with more terms than it says is a damaged file.
        let ord = usize::try_from(stream.term_ord())
            .ok()
            .filter(|&ord| ord < terms)
            .ok_or_else(|| {
                TantivyError::DataCorruption(DataCorruption::comment_only(format!(
                    "facet dictionary of field {} has an ordinal past its {terms} terms",
                    spec.field
                )))
            })?;
        let mut alias = None;
        while let Some(&&(raw, to)) = aliases.peek() {
            match raw.cmp(key) {
                Ordering::Less => {
                    aliases.next();
                }
                Ordering::Equal => {
                    alias = Some(to);
                    break;
                }
                Ordering::Greater => break,
            }
        }
        if let Some(to) = alias {
            // Counted as its canonical value; with none, nowhere.
            if let Some(to) = to {
                deferred.push((ord, to));
            }
            continue;
        }
        let Some(value) = spec.collapse(key) else {
            continue;
        };
        // Terms are sorted, so all terms of one value are adjacent.
        if local == NONE || previous.as_slice() != value {
            previous.clear();
            previous.extend_from_slice(value);
            local = plan.global_of_local.len() as u32;
            plan.global_of_local.push(values.id(value));
        }
        plan.value_of_ord[ord] = local;
    }
    if !deferred.is_empty() {
        let mut local_of_global: FxHashMap<u32, u32> = plan
            .global_of_local
            .iter()
            .enumerate()
            .map(|(local, &global)| (global, local as u32))
            .collect();
        for (ord, to) in deferred {
            let global = values.id(to);
            let next = plan.global_of_local.len() as u32;
            let local = *local_of_global.entry(global).or_insert(next);
            if local == next {
                plan.global_of_local.push(global);
            }
            plan.value_of_ord[ord] = local;
        }
    }
    Ok(plan)
}
