//! Which segments the writer merges: Tantivy's log-structured policy, with a
//! cap on the bytes any one merge reads.
//!
//! A merge reads its source segments through memory maps, and every page it
//! touches counts in the process's resident memory until the merge ends. Under
//! Tantivy's default policy merges grow with the archive: at a million articles
//! eight 140 MB segments became one, with 1.1 GB of files mapped at once, and
//! the level above would map the whole index. With the cap, the memory a merge
//! maps stays under [`MAX_MERGE_BYTES`] whatever the archive's size; the price
//! is more segments in a large index (about one per `MAX_MERGE_BYTES / 2` of
//! index), each a little more work for a query.
//!
//! Segments that grew past half the cap no longer merge with others, so they
//! would keep the articles that re-runs replaced or pruned for ever; once a
//! quarter of a segment's documents are deleted it is rewritten on its own.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use tantivy::index::{SegmentComponent, SegmentId, SegmentMeta};
use tantivy::merge_policy::{LogMergePolicy, MergeCandidate, MergePolicy};

/// The most bytes of index files one merge may read.
pub const MAX_MERGE_BYTES: u64 = 512 << 20;
/// A segment with more of its documents deleted than this is rewritten.
const MAX_DELETED_SHARE: f64 = 0.25;

/// How many bytes a segment's files take.
type SizeOf = Box<dyn Fn(&SegmentMeta) -> u64 + Send + Sync>;

/// [`LogMergePolicy`] whose merges never read more than `max_bytes`.
pub struct CappedMergePolicy {
    log: LogMergePolicy,
    max_bytes: u64,
    size_of: SizeOf,
}

impl CappedMergePolicy {
    /// The policy for an index in the folder `dir`, sizing segments by their
    /// files on disk.
    pub fn for_dir(dir: PathBuf, max_bytes: u64) -> CappedMergePolicy {
        CappedMergePolicy::new(max_bytes, Box::new(move |meta| segment_bytes(&dir, meta)))
    }

    fn new(max_bytes: u64, size_of: SizeOf) -> CappedMergePolicy {
        CappedMergePolicy {
            log: LogMergePolicy::default(),
            max_bytes,
            size_of,
        }
    }
}

/// The bytes of a segment's files (a file that is missing counts nothing).
fn segment_bytes(dir: &Path, meta: &SegmentMeta) -> u64 {
    [
        SegmentComponent::Postings,
        SegmentComponent::Positions,
        SegmentComponent::Terms,
        SegmentComponent::Store,
        SegmentComponent::FastFields,
        SegmentComponent::FieldNorms,
    ]
    .into_iter()
    .filter_map(|c| std::fs::metadata(dir.join(meta.relative_path(c))).ok())
    .map(|m| m.len())
    .sum()
}

impl fmt::Debug for CappedMergePolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CappedMergePolicy")
            .field("log", &self.log)
            .field("max_bytes", &self.max_bytes)
            .finish()
    }
}

impl MergePolicy for CappedMergePolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let sizes: HashMap<SegmentId, u64> = segments
            .iter()
            .map(|meta| (meta.id(), (self.size_of)(meta)))
            .collect();
        // A segment of half the cap or more could only merge into one above it.
        let mergeable: Vec<SegmentMeta> = segments
            .iter()
            .filter(|meta| sizes[&meta.id()] < self.max_bytes / 2)
            .cloned()
            .collect();
        let mut out = Vec::new();
        for MergeCandidate(mut ids) in self.log.compute_merge_candidates(&mergeable) {
            // Smallest first, so that as many segments as fit merge together.
            ids.sort_by_key(|id| (sizes[id], *id));
            let mut chunk = Vec::new();
            let mut bytes = 0;
            for id in ids {
                if bytes + sizes[&id] > self.max_bytes && !chunk.is_empty() {
                    push_merge(&mut out, std::mem::take(&mut chunk));
                    bytes = 0;
                }
                bytes += sizes[&id];
                chunk.push(id);
            }
            push_merge(&mut out, chunk);
        }
        let merging: HashSet<SegmentId> = out.iter().flat_map(|c| c.0.iter().copied()).collect();
        for meta in segments {
            let deleted = f64::from(meta.num_deleted_docs()) / f64::from(meta.max_doc().max(1));
            if deleted > MAX_DELETED_SHARE && !merging.contains(&meta.id()) {
                out.push(MergeCandidate(vec![meta.id()]));
            }
        }
        out
    }
}

/// A merge of one segment would only copy it.
fn push_merge(out: &mut Vec<MergeCandidate>, ids: Vec<SegmentId>) {
    if ids.len() >= 2 {
        out.push(MergeCandidate(ids));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::Index;
    use tantivy::schema::Schema;

    /// Segment metas with the given document counts; each document "takes"
    /// 1,000 bytes.
    fn metas(docs: &[u32]) -> Vec<SegmentMeta> {
        let index = Index::create_in_ram(Schema::builder().build());
        docs.iter()
            .map(|&n| index.new_segment_meta(SegmentId::generate_random(), n))
            .collect()
    }

    fn policy(max_bytes: u64) -> CappedMergePolicy {
        CappedMergePolicy::new(
            max_bytes,
            Box::new(|meta| u64::from(meta.num_docs()) * 1_000),
        )
    }

    fn merged_docs(policy: &CappedMergePolicy, segments: &[SegmentMeta]) -> Vec<u32> {
        let docs: HashMap<SegmentId, u32> =
            segments.iter().map(|m| (m.id(), m.num_docs())).collect();
        let mut out: Vec<u32> = policy
            .compute_merge_candidates(segments)
            .iter()
            .map(|c| c.0.iter().map(|id| docs[id]).sum())
            .collect();
        out.sort_unstable();
        out
    }

    #[test]
    fn merges_like_the_log_policy_under_the_cap() {
        // Eight segments of a level merge into one, as with LogMergePolicy.
        let segments = metas(&[20_000; 8]);
        assert_eq!(merged_docs(&policy(1 << 40), &segments), vec![160_000]);
        assert!(merged_docs(&policy(1 << 40), &metas(&[20_000; 7])).is_empty());
    }

    #[test]
    fn splits_merges_that_would_read_more_than_the_cap() {
        // 8 × 20 MB under a 50 MB cap: merges of at most 2 segments (40 MB).
        let segments = metas(&[20_000; 8]);
        assert_eq!(merged_docs(&policy(50_000_000), &segments), vec![40_000; 4]);
    }

    #[test]
    fn sizes_segments_by_their_files() {
        let dir = tempfile::tempdir().unwrap();
        let mut builder = Schema::builder();
        let body = builder.add_text_field("body", tantivy::schema::TEXT);
        let index = Index::create_in_dir(dir.path(), builder.build()).unwrap();
        let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15 << 20).unwrap();
        for i in 0..1_000 {
            writer
                .add_document(tantivy::doc!(body => format!("article number {i}")))
                .unwrap();
        }
        writer.commit().unwrap();
        let metas = index.searchable_segment_metas().unwrap();
        assert_eq!(metas.len(), 1);
        let bytes = segment_bytes(dir.path(), &metas[0]);
        let on_disk: u64 = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap())
            .filter(|e| {
                let name = e.file_name().into_string().unwrap();
                name.starts_with(&metas[0].id().uuid_string())
            })
            .map(|e| e.metadata().unwrap().len())
            .sum();
        assert!(bytes > 1_000, "{bytes}");
        assert_eq!(bytes, on_disk);
    }

    #[test]
    fn rewrites_segments_with_many_deleted_articles() {
        let mut segments = metas(&[40_000, 40_000, 40_000]);
        segments[1] = segments[1].clone().with_delete_meta(8_000, 1);
        segments[2] = segments[2].clone().with_delete_meta(12_000, 1);
        let candidates = policy(50_000_000).compute_merge_candidates(&segments);
        let ids: Vec<Vec<SegmentId>> = candidates.into_iter().map(|c| c.0).collect();
        // 20% deleted stays; 30% is rewritten alone.
        assert_eq!(ids, vec![vec![segments[2].id()]]);
    }

    #[test]
    fn leaves_segments_of_half_the_cap_alone() {
        let mut docs = vec![30_000; 8];
        docs.extend([10_000; 8]);
        // Segments of 30 MB are at or above half of a 60 MB cap: only the
        // 10 MB ones merge, six at a time.
        let merged = merged_docs(&policy(60_000_000), &metas(&docs));
        assert_eq!(merged, vec![20_000, 60_000]);
    }
}
