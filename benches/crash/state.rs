//! What an index holds, article by article, and how two indexes differ.

use std::collections::BTreeMap;
use std::path::Path;

use newsdex::index::NewsIndex;
use tantivy::schema::Value;
use tantivy::{Document, TantivyDocument};

/// For every live article id, the hash of each live document's stored
/// content (all fields but the path) (more than one is a duplicate).
pub type Snapshot = BTreeMap<String, Vec<blake3::Hash>>;

pub fn snapshot(index: &Path) -> anyhow::Result<Snapshot> {
    let news = NewsIndex::open(index)?;
    let schema = news.index.schema();
    let searcher = news.index.reader()?.searcher();
    let mut out = Snapshot::new();
    for segment in searcher.segment_readers() {
        let store = segment.get_store_reader(16)?;
        for doc in store.iter::<TantivyDocument>(segment.alive_bitset()) {
            let doc = doc?;
            let id = doc
                .get_first(news.fields.id)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            // Without the path: an article two files hold is stored once,
            // from whichever file came first (a run-order detail).
            let mut named = doc.to_named_doc(&schema);
            named.0.remove("path");
            let hash = blake3::hash(serde_json::to_string(&named)?.as_bytes());
            out.entry(id).or_default().push(hash);
        }
    }
    Ok(out)
}

/// How a completed index differs from the reference, in articles.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Diff {
    /// In the reference, not in the index.
    pub lost: usize,
    /// In the index, not in the reference (an old version, a pruned file).
    pub stale: usize,
    /// More than one live document for one id.
    pub duplicated: usize,
    /// Same id, different stored content.
    pub changed: usize,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        *self == Diff::default()
    }
}

pub fn diff(got: &Snapshot, want: &Snapshot) -> Diff {
    let mut out = Diff {
        lost: want.keys().filter(|id| !got.contains_key(*id)).count(),
        ..Diff::default()
    };
    for (id, docs) in got {
        match want.get(id) {
            None => out.stale += 1,
            Some(expected) => {
                if docs.len() > 1 {
                    out.duplicated += 1;
                }
                if docs.iter().any(|d| !expected.contains(d)) {
                    out.changed += 1;
                }
            }
        }
    }
    out
}
