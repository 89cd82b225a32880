//! Cluster assignment at index time, on the writer's thread.
//!
//! A new article's band terms are looked up among the committed articles
//! (a term query per band on the index's `dup_bands` field, so the table
//! of bands is the index itself and is committed, or lost, with it) and
//! among those added since the last commit (kept in memory until that
//! commit makes them searchable). Of the candidates whose signatures agree
//! at least `threshold` (more for short articles, see
//! [`Signature::required`]), the most alike gives its cluster; with none, the
//! article founds a cluster named by its own id. Clusters never merge and
//! articles never move, so nothing already indexed is rewritten: a new
//! article joins an existing cluster without re-clustering the archive.

use std::collections::{HashMap, HashSet};

use tantivy::columnar::{BytesColumn, Column};
use tantivy::fastfield::AliveBitSet;
use tantivy::index::InvertedIndexReader;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, IndexReader, ReloadPolicy, TERMINATED, Term};

use super::signature::Signature;
use crate::index::NewsIndex;

/// Articles of one band term read per segment: every one of them shares
/// that band, so a wire story with thousands of copies needs only a few of
/// them to find its cluster.
const CANDIDATES_PER_BAND: usize = 16;

/// The committed articles of one segment, as the lookup needs them.
struct SegmentView {
    bands: std::sync::Arc<InvertedIndexReader>,
    signatures: Option<BytesColumn>,
    clusters: Column<u64>,
    alive: Option<AliveBitSet>,
}

/// An article added since the last commit.
struct Pending {
    cluster: u64,
    signature: Signature,
}

/// Assigns clusters to the articles of one indexing run.
pub struct Clusterer {
    threshold: f64,
    bands_field: tantivy::schema::Field,
    reader: IndexReader,
    segments: Vec<SegmentView>,
    pending: Vec<Pending>,
    pending_bands: HashMap<u64, Vec<u32>>,
}

impl Clusterer {
    /// Reads the index's last commit. `threshold` is the least estimated
    /// Jaccard index of shingles for two articles to count as copies.
    pub fn open(news: &NewsIndex, threshold: f64) -> anyhow::Result<Clusterer> {
        let reader = news
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let mut clusterer = Clusterer {
            threshold,
            bands_field: news.fields.dup_bands,
            reader,
            segments: Vec::new(),
            pending: Vec::new(),
            pending_bands: HashMap::new(),
        };
        clusterer.load_segments()?;
        Ok(clusterer)
    }

    fn load_segments(&mut self) -> anyhow::Result<()> {
        let searcher = self.reader.searcher();
        self.segments.clear();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            self.segments.push(SegmentView {
                bands: segment.inverted_index(self.bands_field)?,
                signatures: fast.bytes(super::SIGNATURE_FIELD)?,
                clusters: fast.u64(super::CLUSTER_FIELD)?,
                alive: segment.alive_bitset().cloned(),
            });
        }
        Ok(())
    }

    /// After a commit: what was pending is now in the index.
    pub fn committed(&mut self) -> anyhow::Result<()> {
        self.reader.reload()?;
        self.load_segments()?;
        self.pending.clear();
        self.pending_bands.clear();
        Ok(())
    }

    /// The cluster of a new article with id `id`: that of its most alike
    /// earlier article, or its own id.
    pub fn assign(&mut self, id: u64, signature: Option<&Signature>) -> anyhow::Result<u64> {
        let Some(signature) = signature else {
            return Ok(id);
        };
        let bands = signature.bands();
        // (similarity, cluster): the most alike wins, then the lowest id,
        // so the choice does not depend on the order candidates come in.
        let mut best: Option<(f64, u64)> = None;
        let mut consider = |other: &Signature, cluster: u64| {
            let similarity = signature.similarity(other);
            if similarity < signature.required(other, self.threshold) {
                return;
            }
            let better = match best {
                None => true,
                Some((s, c)) => similarity > s || (similarity == s && cluster < c),
            };
            if better {
                best = Some((similarity, cluster));
            }
        };
        let mut seen = HashSet::new();
        for &band in &bands {
            for &i in self.pending_bands.get(&band).into_iter().flatten() {
                if seen.insert(i) {
                    let other = &self.pending[i as usize];
                    consider(&other.signature, other.cluster);
                }
            }
        }
        let mut buffer = Vec::new();
        for segment in &self.segments {
            let Some(signatures) = &segment.signatures else {
                continue;
            };
            let mut visited = HashSet::new();
            for &band in &bands {
                let term = Term::from_field_u64(self.bands_field, band);
                let Some(mut postings) = segment
                    .bands
                    .read_postings(&term, IndexRecordOption::Basic)?
                else {
                    continue;
                };
                let mut taken = 0;
                let mut doc = postings.doc();
                while doc != TERMINATED && taken < CANDIDATES_PER_BAND {
                    let alive = segment.alive.as_ref().is_none_or(|a| a.is_alive(doc));
                    if alive && visited.insert(doc) {
                        taken += 1;
                        if let Some(other) = read_signature(signatures, doc, &mut buffer)?
                            && let Some(cluster) = segment.clusters.first(doc)
                        {
                            consider(&other, cluster);
                        }
                    }
                    doc = postings.advance();
                }
            }
        }
        let cluster = best.map_or(id, |(_, cluster)| cluster);
        let index = self.pending.len() as u32;
        self.pending.push(Pending {
            cluster,
            signature: signature.clone(),
        });
        for band in bands {
            self.pending_bands.entry(band).or_default().push(index);
        }
        Ok(cluster)
    }
}

fn read_signature(
    column: &BytesColumn,
    doc: u32,
    buffer: &mut Vec<u8>,
) -> anyhow::Result<Option<Signature>> {
    let Some(ord) = column.term_ords(doc).next() else {
        return Ok(None);
    };
    buffer.clear();
    if !column.ord_to_bytes(ord, buffer)? {
        return Ok(None);
    }
    Ok(Signature::from_bytes(buffer))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;
    use crate::index::CommitInfo;
    use crate::index::document::to_document;
    use crate::index::writer::Writer;

    fn story(seed: usize, words: usize) -> String {
        (0..words)
            .map(|i| format!("w{}", (i * 7919 + seed * 104_729) % 100_003))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// `text` with one word in `every` replaced.
    fn edited(text: &str, every: usize) -> String {
        text.split(' ')
            .enumerate()
            .map(|(i, w)| if i % every == 0 { "changed" } else { w })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn sig(text: &str) -> Option<Signature> {
        Signature::of(text)
    }

    fn add(writer: &mut Writer, news: &NewsIndex, id: u64, text: &str, cluster: u64) {
        let article = Article {
            body: vec![text.to_string()],
            ..Default::default()
        };
        let mut doc = to_document(
            &news.fields,
            &super::super::format_id(id),
            &article,
            &Default::default(),
        );
        super::super::add_signature(&news.fields, &mut doc, sig(text).as_ref());
        doc.add_u64(news.fields.cluster, cluster);
        writer.add(doc).unwrap();
    }

    #[test]
    fn copies_join_within_a_run_and_others_found_their_own() {
        let dir = tempfile::tempdir().unwrap();
        let news = NewsIndex::open_or_create(dir.path()).unwrap();
        let mut clusterer = Clusterer::open(&news, 0.5).unwrap();
        let a = story(1, 300);
        assert_eq!(clusterer.assign(10, sig(&a).as_ref()).unwrap(), 10);
        assert_eq!(
            clusterer.assign(11, sig(&edited(&a, 25)).as_ref()).unwrap(),
            10
        );
        assert_eq!(
            clusterer.assign(12, sig(&story(2, 300)).as_ref()).unwrap(),
            12
        );
        // Too short to sign: alone even when identical.
        assert_eq!(
            clusterer.assign(13, sig("a few words").as_ref()).unwrap(),
            13
        );
        assert_eq!(
            clusterer.assign(14, sig("a few words").as_ref()).unwrap(),
            14
        );
        // Below the threshold: a fifth of the text changed word by word.
        assert_eq!(
            clusterer.assign(15, sig(&edited(&a, 3)).as_ref()).unwrap(),
            15
        );
    }

    #[test]
    fn later_runs_join_committed_clusters_but_not_deleted_articles() {
        let dir = tempfile::tempdir().unwrap();
        let news = NewsIndex::open_or_create(dir.path()).unwrap();
        let (a, b) = (story(3, 300), story(4, 300));
        let mut writer = Writer::open(&news, 1, 64).unwrap();
        add(&mut writer, &news, 20, &a, 7);
        add(&mut writer, &news, 21, &b, 21);
        writer.commit(&CommitInfo::default()).unwrap();

        let mut clusterer = Clusterer::open(&news, 0.5).unwrap();
        assert_eq!(
            clusterer.assign(22, sig(&edited(&a, 30)).as_ref()).unwrap(),
            7
        );
        writer.delete_id(&super::super::format_id(21));
        writer.commit(&CommitInfo::default()).unwrap();
        // Not yet reloaded: the deleted article is still seen...
        assert_eq!(clusterer.assign(23, sig(&b).as_ref()).unwrap(), 21);
        // ...and after the commit it is gone (the pending 23 is committed
        // by nobody here, so b's copy founds its own cluster).
        clusterer.committed().unwrap();
        assert_eq!(clusterer.assign(24, sig(&b).as_ref()).unwrap(), 24);
        writer.finish().unwrap();
    }
}
