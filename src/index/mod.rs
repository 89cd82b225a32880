//! The Tantivy index on disk: its schema, how articles become documents, and
//! opening it for reading or writing.

pub mod build;
pub mod consistency;
pub mod damage;
pub mod directory;
pub mod document;
pub mod in_flight;
pub mod merge;
pub mod schema;
pub mod stem;
pub mod verify;
pub mod writer;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::{Index, IndexReader, ReloadPolicy};

pub use schema::Fields;

/// Errors a caller must tell apart from the rest.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("no index at {0} (create one with `newsdex index PATH`)")]
    NotFound(PathBuf),
    #[error("index {0} is locked by another newsdex process")]
    Locked(PathBuf),
    #[error("cannot write to index {path} ({reason}); it can still be searched")]
    Unwritable { path: PathBuf, reason: String },
    #[error(
        "index {} was written by an older newsdex (it has no field {field:?}): delete it and index again",
        path.display()
    )]
    Outdated { path: PathBuf, field: String },
    #[error("index is damaged: {path}: {detail}")]
    Damaged { path: PathBuf, detail: String },
    /// The cause is in the message, not a source: it is the whole story.
    #[error("cannot write to the index {}: {cause}{}", path.display(), disk_full_hint(cause))]
    WriteFailed {
        path: PathBuf,
        cause: tantivy::TantivyError,
    },
    #[error("{path}: {source}")]
    Tantivy {
        path: PathBuf,
        #[source]
        source: tantivy::TantivyError,
    },
}

/// " (the disk is full)" when that is why a write failed. Tantivy passes the
/// failure of its indexing threads on as text, so the text is checked too.
fn disk_full_hint(error: &tantivy::TantivyError) -> &'static str {
    if let tantivy::TantivyError::IoError(io) = error
        && io.kind() == std::io::ErrorKind::StorageFull
    {
        return " (the disk is full)";
    }
    let text = error.to_string();
    let full = ["No space left on device", "no storage space", "StorageFull"];
    if full.iter().any(|words| text.contains(words)) {
        " (the disk is full)"
    } else {
        ""
    }
}

/// A write into the index at `dir` that failed for want of space says so and
/// names the index, whichever step met the full disk (a segment, the
/// manifest, the alias files); other errors are returned as they are.
pub fn name_a_full_disk(err: anyhow::Error, dir: &Path) -> anyhow::Error {
    let said = err
        .chain()
        .any(|cause| matches!(cause.downcast_ref::<IndexError>(), Some(IndexError::WriteFailed { cause, .. }) if !disk_full_hint(cause).is_empty()));
    let full = err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::StorageFull)
    });
    if full && !said {
        err.context(format!(
            "cannot write to the index {} (the disk is full)",
            dir.display()
        ))
    } else {
        err
    }
}

/// What newsdex records with every commit (Tantivy's commit payload), so the
/// index knows its manifest and what annotated it, atomically with the data.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct CommitInfo {
    /// File name of the manifest that matches this commit.
    pub manifest: Option<String>,
    /// Version of the entity extractor that annotated the articles.
    pub extractor: Option<String>,
    /// newsdex version that wrote the commit.
    pub newsdex: String,
}

/// An open index with its fields resolved and tokenizers registered.
#[derive(Clone)]
pub struct NewsIndex {
    pub index: Index,
    pub fields: Fields,
    pub dir: PathBuf,
}

impl NewsIndex {
    /// Opens an existing index for reading.
    pub fn open(dir: &Path) -> Result<NewsIndex, IndexError> {
        if !dir.join("meta.json").is_file() {
            return Err(IndexError::NotFound(dir.to_path_buf()));
        }
        let tantivy_err = |source| IndexError::Tantivy {
            path: dir.to_path_buf(),
            source,
        };
        let directory = directory::IndexDirectory::open(dir).map_err(tantivy_err)?;
        let index = Index::open(directory).map_err(tantivy_err)?;
        Self::wrap(index, dir)
    }

    /// Opens the index, creating the directory and an empty index first when
    /// there is none.
    pub fn open_or_create(dir: &Path) -> Result<NewsIndex, IndexError> {
        let tantivy_err = |source| IndexError::Tantivy {
            path: dir.to_path_buf(),
            source,
        };
        if dir.join("meta.json").is_file() {
            return Self::open(dir);
        }
        std::fs::create_dir_all(dir).map_err(|e| tantivy_err(tantivy::TantivyError::from(e)))?;
        let index = Index::create_in_dir(dir, schema::build()).map_err(tantivy_err)?;
        Self::wrap(index, dir)
    }

    fn wrap(index: Index, dir: &Path) -> Result<NewsIndex, IndexError> {
        schema::register_tokenizers(index.tokenizers());
        // Fast fields normalise with their own tokenizer manager.
        schema::register_tokenizers(index.fast_field_tokenizer());
        let fields = Fields::new(&index.schema()).map_err(|source| match source {
            tantivy::TantivyError::FieldNotFound(field) => IndexError::Outdated {
                path: dir.to_path_buf(),
                field,
            },
            source => IndexError::Tantivy {
                path: dir.to_path_buf(),
                source,
            },
        })?;
        Ok(NewsIndex {
            index,
            fields,
            dir: dir.to_path_buf(),
        })
    }

    /// A reader of the last commit that never reloads by itself. A command
    /// answers from one commit; Tantivy's default policy reloads at once on
    /// a watcher thread (its first look at `meta.json` counts as a change),
    /// which opened every segment a second time in each process and, on a
    /// damaged index, panicked outside [`damage::guard`], printing a panic
    /// trace beside the "index is damaged" message.
    pub fn reader(&self) -> tantivy::Result<IndexReader> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
    }

    /// The payload of the last commit, if newsdex wrote one.
    pub fn commit_info(&self) -> anyhow::Result<CommitInfo> {
        let metas = self.index.load_metas()?;
        Ok(match metas.payload {
            Some(payload) => serde_json::from_str(&payload).unwrap_or_default(),
            None => CommitInfo::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readers_stay_on_their_commit() {
        let dir = tempfile::tempdir().unwrap();
        let news = NewsIndex::open_or_create(dir.path()).unwrap();
        let reader = news.reader().unwrap();
        let mut writer = news.index.writer_with_num_threads(1, 15_000_000).unwrap();
        let doc = tantivy::doc!(news.fields.id => "00000000000000aa");
        writer.add_document(doc).unwrap();
        writer.commit().unwrap();
        // Tantivy's watcher looks at meta.json every 500 ms.
        std::thread::sleep(std::time::Duration::from_millis(1500));
        assert_eq!(
            reader.searcher().num_docs(),
            0,
            "the reader reloaded by itself"
        );
        assert_eq!(news.reader().unwrap().searcher().num_docs(), 1);
    }

    #[test]
    fn a_full_disk_is_named() {
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        let err = IndexError::WriteFailed {
            path: PathBuf::from("idx"),
            cause: tantivy::TantivyError::from(full),
        };
        let text = err.to_string();
        assert!(
            text.starts_with("cannot write to the index idx: "),
            "{text}"
        );
        assert!(text.ends_with(" (the disk is full)"), "{text}");
        let in_thread = tantivy::TantivyError::ErrorInThread(
            "IoError: No space left on device (os error 28)".into(),
        );
        assert_eq!(disk_full_hint(&in_thread), " (the disk is full)");
        let other = tantivy::TantivyError::InvalidArgument("x".into());
        assert_eq!(disk_full_hint(&other), "");
    }

    #[test]
    fn a_full_disk_met_outside_tantivy_names_the_index() {
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        let manifest = anyhow::Error::new(full).context("cannot write manifest idx/m.json");
        let text = format!("{:#}", name_a_full_disk(manifest, Path::new("idx")));
        assert!(
            text.starts_with(
                "cannot write to the index idx (the disk is full): cannot write manifest"
            ),
            "{text}"
        );
        // Said once, not twice; and other errors pass unchanged.
        let in_tantivy = anyhow::Error::new(IndexError::WriteFailed {
            path: PathBuf::from("idx"),
            cause: tantivy::TantivyError::from(std::io::Error::from(
                std::io::ErrorKind::StorageFull,
            )),
        });
        let text = format!("{:#}", name_a_full_disk(in_tantivy, Path::new("idx")));
        assert_eq!(text.matches("the disk is full").count(), 1, "{text}");
        let other = anyhow::anyhow!("cannot understand");
        assert_eq!(
            name_a_full_disk(other, Path::new("idx")).to_string(),
            "cannot understand"
        );
    }
}
