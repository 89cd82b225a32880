//! The write handle: Tantivy's multi-threaded writer behind the index lock,
//! with commits that carry newsdex's [`CommitInfo`].

use tantivy::directory::error::LockError;
use tantivy::indexer::IndexWriterOptions;
use tantivy::{IndexWriter, TantivyDocument, TantivyError, Term};

use super::merge::{CappedMergePolicy, MAX_MERGE_BYTES};
use super::{CommitInfo, IndexError, NewsIndex};

/// Tantivy's ceiling on indexing threads.
const MAX_WRITER_THREADS: usize = 8;
/// Tantivy's floor on the memory budget of one indexing thread (15 MB).
const MIN_THREAD_BUDGET: usize = 15 << 20;

/// Spends the operation stamp a reopened Tantivy writer hands out twice.
///
/// Tantivy 0.27 restarts its stamp counter at the last commit's opstamp, so
/// the first operation after opening shares its stamp with that commit. A
/// segment whose deletes were brought up to that commit counts as up to date
/// for it, yet a merge started before our next commit applies every delete up
/// to that stamp to the other segments and hands the merged segment their
/// cursor, already past the first delete: the document it targeted in the
/// up-to-date segment survives for good (issue 14; the minimal reproduction is
/// `first_delete_after_reopening_survives_a_merge`, the write-up
/// benches/results/tantivy-delete-report.md). A delete of an id no article
/// has takes that stamp harmlessly.
fn burn_reused_opstamp(writer: &IndexWriter<TantivyDocument>, id: tantivy::schema::Field) {
    writer.delete_term(Term::from_field_text(id, ""));
}

/// An open writer. Holding it holds the index lock; dropping it releases it.
pub struct Writer {
    news: NewsIndex,
    writer: IndexWriter<TantivyDocument>,
}

impl Writer {
    /// Takes the index lock and starts `threads` indexing threads sharing
    /// `memory_mb` of buffer. A second writer gets [`IndexError::Locked`].
    ///
    /// Merges run one at a time on their own thread, each reading at most
    /// [`MAX_MERGE_BYTES`] (see [`CappedMergePolicy`]): merges that overlap
    /// would add up their mapped files, and with two cores they would only
    /// take turns anyway.
    pub fn open(news: &NewsIndex, threads: usize, memory_mb: usize) -> Result<Writer, IndexError> {
        let threads = threads.clamp(1, MAX_WRITER_THREADS);
        let per_thread = (memory_mb.saturating_mul(1 << 20) / threads).max(MIN_THREAD_BUDGET);
        let options = IndexWriterOptions::builder()
            .num_worker_threads(threads)
            .memory_budget_per_thread(per_thread)
            .num_merge_threads(1)
            .build();
        let writer = news
            .index
            .writer_with_options(options)
            .map_err(|err| match err {
                TantivyError::LockFailure(LockError::LockBusy, _) => {
                    IndexError::Locked(news.dir.clone())
                }
                TantivyError::LockFailure(LockError::IoError(io), _) => IndexError::Unwritable {
                    path: news.dir.clone(),
                    reason: io.to_string(),
                },
                source => IndexError::Tantivy {
                    path: news.dir.clone(),
                    source,
                },
            })?;
        writer.set_merge_policy(Box::new(CappedMergePolicy::for_dir(
            news.dir.clone(),
            MAX_MERGE_BYTES,
        )));
        burn_reused_opstamp(&writer, news.fields.id);
        Ok(Writer {
            news: news.clone(),
            writer,
        })
    }

    /// The fields of the index written to.
    pub fn fields(&self) -> &super::Fields {
        &self.news.fields
    }

    /// Queues a document. Tantivy refuses it only once its indexing threads
    /// have failed; the error then carries their failure (a full disk, a
    /// failed write), not the "writer was killed" that adding reports.
    pub fn add(&mut self, doc: TantivyDocument) -> Result<(), IndexError> {
        match self.writer.add_document(doc) {
            Ok(_) => Ok(()),
            Err(refused) => {
                // Joining the indexing threads returns what stopped them.
                let cause = match self.writer.prepare_commit() {
                    Err(cause) => cause,
                    Ok(_) => refused,
                };
                Err(self.write_failed(cause))
            }
        }
    }

    fn write_failed(&self, cause: TantivyError) -> IndexError {
        IndexError::WriteFailed {
            path: self.news.dir.clone(),
            cause,
        }
    }

    /// Removes the files of the index folder Tantivy no longer uses (those a
    /// killed or failed run left behind).
    pub fn collect_garbage(&self) {
        // Best effort: a file that cannot go now goes at a later commit.
        let _ = self.writer.garbage_collect_files().wait();
    }

    /// Deletes every document with this article id (applies at the next commit,
    /// to documents added before this call).
    pub fn delete_id(&self, id: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.news.fields.id, id));
    }

    /// Commits everything added and deleted so far, atomically with `info`.
    pub fn commit(&mut self, info: &CommitInfo) -> Result<(), IndexError> {
        let payload = serde_json::to_string(info).expect("commit info serializes");
        let committed = self.writer.prepare_commit().and_then(|mut prepared| {
            prepared.set_payload(&payload);
            prepared.commit()
        });
        committed
            .map(|_| ())
            .map_err(|source| self.write_failed(source))
    }

    /// Waits for background merges, so the process exits with a tidy index.
    pub fn finish(self) -> tantivy::Result<()> {
        self.writer.wait_merging_threads()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::document::to_document;
    use tantivy::collector::Count;
    use tantivy::indexer::NoMergePolicy;
    use tantivy::query::TermQuery;
    use tantivy::schema::IndexRecordOption;

    fn add(writer: &mut Writer, id: &str) {
        let article = crate::article::Article {
            title: format!("article {id}"),
            ..Default::default()
        };
        let doc = to_document(&writer.news.fields, id, &article, &Default::default());
        writer.add(doc).unwrap();
    }

    fn live(news: &NewsIndex, id: &str) -> usize {
        let reader = news.reader().unwrap();
        let term = Term::from_field_text(news.fields.id, id);
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        reader.searcher().search(&query, &Count).unwrap()
    }

    /// The lost delete of issue 14, reduced: segment S got a delete in the
    /// last commit (its delete opstamp is that commit's), the writer is
    /// reopened, its first operation deletes a document of S, and a merge of
    /// T and S starts before the next commit. See
    /// benches/results/tantivy-delete-report.md.
    #[test]
    fn first_delete_after_reopening_survives_a_merge() {
        let dir = tempfile::tempdir().unwrap();
        let news = NewsIndex::open_or_create(dir.path()).unwrap();
        let info = CommitInfo::default();
        let mut writer = Writer::open(&news, 1, 64).unwrap();
        writer.writer.set_merge_policy(Box::new(NoMergePolicy));
        add(&mut writer, "s-kept");
        add(&mut writer, "x");
        writer.commit(&info).unwrap();
        add(&mut writer, "t");
        writer.commit(&info).unwrap();
        writer.delete_id("s-kept");
        writer.commit(&info).unwrap();
        writer.finish().unwrap();
        let segments = news.index.searchable_segment_ids().unwrap();
        assert_eq!(segments.len(), 2);

        let mut writer = Writer::open(&news, 1, 64).unwrap();
        writer.writer.set_merge_policy(Box::new(NoMergePolicy));
        writer.delete_id("x");
        let metas = news.index.searchable_segment_metas().unwrap();
        // T first: the merged segment inherits the first segment's delete cursor.
        let mut ids: Vec<_> = metas
            .iter()
            .map(|m| (m.num_deleted_docs(), m.id()))
            .collect();
        ids.sort();
        let ids: Vec<_> = ids.into_iter().map(|(_, id)| id).collect();
        writer.writer.merge(&ids).wait().unwrap();
        writer.commit(&info).unwrap();
        writer.finish().unwrap();
        assert_eq!(live(&news, "t"), 1);
        assert_eq!(live(&news, "x"), 0, "the delete of x was lost");
    }
}
