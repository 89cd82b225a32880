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
        Ok(Writer {
            news: news.clone(),
            writer,
        })
    }

    pub fn add(&self, doc: TantivyDocument) -> tantivy::Result<()> {
        self.writer.add_document(doc).map(|_| ())
    }

    /// Deletes every document with this article id (applies at the next commit,
    /// to documents added before this call).
    pub fn delete_id(&self, id: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.news.fields.id, id));
    }

    /// Commits everything added and deleted so far, atomically with `info`.
    pub fn commit(&mut self, info: &CommitInfo) -> tantivy::Result<()> {
        let payload = serde_json::to_string(info).expect("commit info serializes");
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        Ok(())
    }

    /// Waits for background merges, so the process exits with a tidy index.
    pub fn finish(self) -> tantivy::Result<()> {
        self.writer.wait_merging_threads()
    }
}
