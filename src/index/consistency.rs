//! Whether the index and its manifest agree, and putting them back in
//! agreement: every live document's id held by a manifest entry, every id a
//! manifest entry holds indexed exactly once, and no stray files in the index
//! folder. `newsdex check` runs all of it; an indexing run compares counts
//! first and goes through the ids only when they differ.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;
use tantivy::index::{SegmentComponent, SegmentReader};

use super::NewsIndex;
use super::writer::Writer;
use crate::ingest::manifest::{Id, Manifest};

/// One live article id: how many live documents carry it, and the path of
/// one of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Live {
    pub docs: u32,
    pub path: String,
}

/// The ids of every live document, read from the `id` and `path` fast
/// fields (no stored document is decompressed).
pub fn live_ids(news: &NewsIndex) -> anyhow::Result<BTreeMap<String, Live>> {
    let searcher = news.reader()?.searcher();
    let mut out: BTreeMap<String, Live> = BTreeMap::new();
    for segment in searcher.segment_readers() {
        collect_live_ids(segment, &mut out)
            .with_context(|| format!("segment {}", segment.segment_id().uuid_string()))?;
    }
    Ok(out)
}

fn collect_live_ids(
    segment: &SegmentReader,
    out: &mut BTreeMap<String, Live>,
) -> anyhow::Result<()> {
    let fast = segment.fast_fields();
    let (Some(ids), Some(paths)) = (fast.str("id")?, fast.str("path")?) else {
        anyhow::ensure!(segment.num_docs() == 0, "no id or path column");
        return Ok(());
    };
    let (mut id, mut path) = (String::new(), String::new());
    for doc in segment.doc_ids_alive() {
        id.clear();
        if let Some(ord) = ids.term_ords(doc).next() {
            ids.ord_to_str(ord, &mut id)?;
        }
        let live = out.entry(id.clone()).or_insert_with(|| Live {
            docs: 0,
            path: String::new(),
        });
        live.docs += 1;
        if live.path.is_empty()
            && let Some(ord) = paths.term_ords(doc).next()
        {
            path.clear();
            paths.ord_to_str(ord, &mut path)?;
            live.path.clone_from(&path);
        }
    }
    Ok(())
}

/// Where the index and the manifest disagree.
#[derive(Debug, Default, Clone, PartialEq, Serialize)]
pub struct Disagreement {
    /// Live documents whose id no file of the manifest holds (a lost delete).
    pub stale: Vec<String>,
    /// Ids the manifest holds with no live document (a lost article).
    pub missing: Vec<String>,
    /// Ids with more than one live document.
    pub duplicated: Vec<String>,
}

impl Disagreement {
    pub fn is_empty(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.duplicated.is_empty()
    }
}

/// Compares the live ids with the ids the manifest holds.
pub fn compare(manifest: &Manifest, live: &BTreeMap<String, Live>) -> Disagreement {
    let mut out = Disagreement::default();
    for (id, entry) in live {
        if !manifest.holds(id) {
            out.stale.push(id.clone());
        } else if entry.docs > 1 {
            out.duplicated.push(id.clone());
        }
    }
    let mut missing: Vec<String> = manifest
        .ids()
        .map(|id| id.to_string())
        .filter(|id| !live.contains_key(id))
        .collect();
    missing.sort_unstable();
    out.missing = missing;
    out
}

/// Queues the writes that put the index and manifest back in agreement
/// (they apply at the next commit): stale documents are deleted; the files
/// holding a missing or duplicated article leave the manifest and their
/// articles the index, so the next run that walks them reads them again as
/// new. Returns how many files must be read again.
pub fn repair(
    writer: &Writer,
    manifest: &mut Manifest,
    found: &Disagreement,
) -> anyhow::Result<usize> {
    for id in &found.stale {
        writer.delete_id(id);
    }
    let reread: HashSet<Id> = found
        .missing
        .iter()
        .chain(&found.duplicated)
        .filter_map(|id| Id::parse(id))
        .collect();
    let keys = manifest.keys_holding(&reread)?;
    for key in &keys {
        for id in manifest.remove(key)? {
            writer.delete_id(&id);
        }
    }
    Ok(keys.len())
}

/// A manifest rebuilt from the live documents, for an index whose manifest
/// is gone or unreadable. Ids that are not newsdex's are left out (the
/// comparison then reports them as stale).
pub fn rebuild_manifest(news: &NewsIndex) -> anyhow::Result<Manifest> {
    let live = live_ids(news)?;
    let pairs = live
        .into_iter()
        .filter_map(|(id, entry)| Some((entry.path, Id::parse(&id)?)));
    Manifest::rebuilt(&news.dir, pairs, Manifest::last_generation(&news.dir))
}

/// A file in the index folder that nothing uses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stray {
    pub path: PathBuf,
    /// Whether newsdex or Tantivy wrote it (a segment file of no segment, an
    /// old or unfinished manifest), so it is safe to remove.
    pub ours: bool,
}

/// Files of the index folder that the last commit does not use. Call it only
/// while holding the writer's lock: a running writer's new segments are
/// strays until its commit.
pub fn strays(news: &NewsIndex, current_manifest: Option<&str>) -> anyhow::Result<Vec<Stray>> {
    let metas = news.index.load_metas()?;
    let mut used: HashSet<PathBuf> = HashSet::new();
    for segment in &metas.segments {
        let mut components = vec![
            SegmentComponent::Postings,
            SegmentComponent::Positions,
            SegmentComponent::FastFields,
            SegmentComponent::FieldNorms,
            SegmentComponent::Terms,
            SegmentComponent::Store,
        ];
        if segment.has_deletes() {
            components.push(SegmentComponent::Delete);
        }
        used.extend(components.into_iter().map(|c| segment.relative_path(c)));
    }
    let mut out = Vec::new();
    let entries = std::fs::read_dir(&news.dir)
        .with_context(|| format!("cannot list {}", news.dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot list {}", news.dir.display()))?;
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            out.push(Stray {
                path: entry.path(),
                ours: false,
            });
            continue;
        }
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let known = matches!(
            name.as_ref(),
            "meta.json" | ".managed.json" | crate::ingest::sources::FILE
        ) || crate::aliases::is_alias_file(&name)
            || (name.starts_with(".tantivy-") && name.ends_with(".lock"))
            || current_manifest == Some(name.as_ref())
            || used.contains(Path::new(name.as_ref()));
        if !known {
            let ours = Manifest::is_manifest_name(&name)
                || name == format!("{}.new", crate::ingest::sources::FILE)
                || crate::aliases::is_unfinished_write(&name)
                || is_segment_file(&name)
                || is_atomic_write_temp(&name);
            out.push(Stray {
                path: entry.path(),
                ours,
            });
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// Tantivy's segment files are named by a 32-hex-digit segment id.
fn is_segment_file(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default();
    stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()) && name.len() > 33
}

/// Tantivy writes `meta.json` through a temporary file named like
/// `.tmpAb12Cd` (the `tempfile` crate's default); a kill mid-write leaves it.
fn is_atomic_write_temp(name: &str) -> bool {
    name.strip_prefix(".tmp")
        .is_some_and(|rest| rest.len() == 6 && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Removes the strays newsdex or Tantivy wrote; returns how many went.
pub fn remove_strays(strays: &[Stray]) -> usize {
    strays
        .iter()
        .filter(|s| s.ours && std::fs::remove_file(&s.path).is_ok())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::manifest::FileEntry;

    fn live(entries: &[(&str, u32)]) -> BTreeMap<String, Live> {
        entries
            .iter()
            .map(|&(id, docs)| {
                (
                    id.to_string(),
                    Live {
                        docs,
                        path: format!("/a/{id}.txt"),
                    },
                )
            })
            .collect()
    }

    fn id(n: u64) -> String {
        format!("{n:016x}")
    }

    #[test]
    fn finds_stale_missing_and_duplicated_ids() {
        let mut manifest = Manifest::default();
        let entry = FileEntry {
            size: 1,
            mtime: 1,
            ids: [1, 2, 3].map(|n| Id::parse(&id(n)).unwrap()).to_vec(),
        };
        manifest.update("/a/f.txt".into(), entry).unwrap();
        let found = compare(
            &manifest,
            &live(&[(&id(1), 1), (&id(2), 2), (&id(9), 1), ("x", 1)]),
        );
        assert_eq!(found.stale, [id(9), "x".to_string()]);
        assert_eq!(found.missing, [id(3)]);
        assert_eq!(found.duplicated, [id(2)]);
        assert!(!found.is_empty());
        assert!(compare(&Manifest::default(), &BTreeMap::new()).is_empty());
    }

    #[test]
    fn recognises_segment_file_names() {
        assert!(is_segment_file("2e6064ebed394544a791b06ef3a12a82.store"));
        assert!(is_segment_file("2e6064ebed394544a791b06ef3a12a82.464.del"));
        assert!(!is_segment_file("2e6064ebed394544a791b06ef3a12a82"));
        assert!(!is_segment_file("notes.txt"));
        assert!(is_atomic_write_temp(".tmphlKJY5"));
        assert!(!is_atomic_write_temp(".tmp"));
        assert!(!is_atomic_write_temp("tmphlKJY5"));
    }
}
