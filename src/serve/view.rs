//! The index as the server sees it: opened on first use (and again after a
//! failure), with a searcher that follows new commits and an entity catalog
//! kept until a commit or an alias edit makes it stale.
//!
//! Owns when the index is (re)opened and what requests share; what a query
//! means stays in [`crate::query`].

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use tantivy::{IndexReader, ReloadPolicy, Searcher};

use crate::aliases::{AUTO_FILE, USER_FILE};
use crate::index::NewsIndex;
use crate::query::Session;
use crate::query::facets::FacetMap;
use crate::query::resolve::Catalog;

/// The index directory, opened lazily: a server started before the first
/// `newsdex index` run answers 503 until there is an index to read.
pub struct IndexView {
    dir: PathBuf,
    opened: Mutex<Option<Arc<Opened>>>,
}

/// An open index and its reader. Tantivy reloads the reader when a commit
/// lands (it watches `meta.json`), so a concurrent `newsdex index` shows up
/// without a restart.
pub struct Opened {
    pub news: NewsIndex,
    reader: IndexReader,
    snapshot: Mutex<Option<Arc<Snapshot>>>,
}

/// What every request on one commit shares: the searcher, the catalog of
/// entity names and the alias map for facet counts.
pub struct Snapshot {
    key: SnapshotKey,
    pub searcher: Searcher,
    catalog: Arc<Catalog>,
    facet_map: Arc<FacetMap>,
}

/// A snapshot is good while the commit and the alias files are the same.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SnapshotKey {
    generation: u64,
    aliases: [Option<(SystemTime, u64)>; 2],
}

impl IndexView {
    pub fn new(dir: &Path) -> IndexView {
        IndexView {
            dir: dir.to_path_buf(),
            opened: Mutex::new(None),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The open index, opening it if it is not yet (or could not be before).
    pub fn opened(&self) -> anyhow::Result<Arc<Opened>> {
        let mut slot = self.opened.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(opened) = slot.as_ref() {
            return Ok(Arc::clone(opened));
        }
        let news = NewsIndex::open(&self.dir)?;
        let reader = news
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        let opened = Arc::new(Opened {
            news,
            reader,
            snapshot: Mutex::new(None),
        });
        *slot = Some(Arc::clone(&opened));
        Ok(opened)
    }

    /// Forgets the open index, so the next request opens it afresh (after
    /// a damaged read, or an index deleted and built again).
    pub fn reset(&self) {
        *self.opened.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

impl Opened {
    /// The snapshot of the current commit, built when the commit or the
    /// alias files changed since the last one.
    pub fn snapshot(&self) -> anyhow::Result<Arc<Snapshot>> {
        let searcher = self.reader.searcher();
        let key = SnapshotKey {
            generation: searcher.generation().generation_id(),
            aliases: [USER_FILE, AUTO_FILE].map(|name| stamp(&self.news.dir.join(name))),
        };
        let mut slot = self.snapshot.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(snapshot) = slot.as_ref().filter(|s| s.key == key) {
            return Ok(Arc::clone(snapshot));
        }
        let catalog = Arc::new(Catalog::open(&self.news, &searcher)?);
        let facet_map = Arc::new(FacetMap::new(catalog.names()));
        let snapshot = Arc::new(Snapshot {
            key,
            searcher,
            catalog,
            facet_map,
        });
        *slot = Some(Arc::clone(&snapshot));
        Ok(snapshot)
    }

    /// A query session on a snapshot.
    pub fn session<'a>(&'a self, snapshot: &Snapshot) -> Session<'a> {
        Session::shared(
            &self.news,
            snapshot.searcher.clone(),
            Arc::clone(&snapshot.catalog),
            Arc::clone(&snapshot.facet_map),
        )
    }
}

/// Modification time and size of a file, `None` when it is absent.
fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}
