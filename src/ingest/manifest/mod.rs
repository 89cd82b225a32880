//! The manifest: which files were indexed, as what, and which article ids
//! each one holds.
//!
//! It makes re-runs incremental (a file whose size and modification time are
//! unchanged is not read again) and duplicates countable (an id held by two
//! files is indexed once; its document goes only when no file holds it).
//! A manifest is written next to the index before each commit under a new
//! name, and the commit payload names it, so the manifest and the index
//! always agree, even after a killed run.

mod refs;
pub mod table;

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use super::sources::is_under;
use refs::Refs;
pub use refs::{IdChange, Ticket};
use table::Table;

const PREFIX: &str = "newsdex-manifest-";

/// An article id (16 hex digits, see `Article::content_id`) held as the
/// number it spells: a million of them cost 8 MB instead of 56, and the
/// manifest's memory is what grows with the archive. Written as the hex
/// string, so the file format does not change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(u64);

impl Id {
    pub fn parse(id: &str) -> Option<Id> {
        (id.len() == 16)
            .then(|| u64::from_str_radix(id, 16).ok())
            .flatten()
            .map(Id)
    }

    /// The id as a number (its 16 hex digits read).
    pub fn value(self) -> u64 {
        self.0
    }
}

impl std::fmt::Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl Serialize for Id {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Id, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Id::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("bad article id {text:?}")))
    }
}

/// What the manifest remembers of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub size: u64,
    /// Modification time in nanoseconds since the epoch.
    pub mtime: i128,
    /// Ids of the articles the file holds, each once (ids other files hold
    /// too are included).
    pub ids: Vec<Id>,
}

/// The manifest: the file entries of the last save, on disk, with the
/// changes since in memory; and the reference counts of ids.
///
/// Memory stays flat however large the archive: the entries are a sorted
/// file read a block at a time ([`table`]), the changes are folded into a
/// new file at every save (every commit), and the counts are a sorted
/// array of 8 bytes an article ([`refs`]).
#[derive(Default)]
pub struct Manifest {
    /// The entries as last saved (or loaded).
    saved: Table,
    /// Entries changed since, by escaped key; `None`: the file is forgotten.
    changed: BTreeMap<String, Option<FileEntry>>,
    files: usize,
    refs: Refs,
    generation: u64,
    /// The last [`Ticket`] handed out.
    last_ticket: u32,
    /// Loaded from a manifest of main's older JSON format or rebuilt: must
    /// be saved even if the run changes nothing.
    unsaved: bool,
}

/// The entries of a manifest as they were when the snapshot was taken, for
/// the walk on another thread while the writer's thread changes them.
#[derive(Clone)]
pub struct Snapshot {
    saved: Table,
    changed: Arc<BTreeMap<String, Option<FileEntry>>>,
}

/// Which of a snapshot's files the walk found, for `--prune`: a bit per
/// file of the saved table (60 kB for a million files) and the keys of the
/// few changed since.
#[derive(Debug, Default)]
pub struct Seen {
    saved: Vec<u64>,
    changed: HashSet<String>,
}

impl Seen {
    fn mark(&mut self, n: usize) {
        if self.saved.len() <= n / 64 {
            self.saved.resize(n / 64 + 1, 0);
        }
        self.saved[n / 64] |= 1 << (n % 64);
    }

    fn has(&self, n: usize) -> bool {
        self.saved
            .get(n / 64)
            .is_some_and(|w| w & (1 << (n % 64)) != 0)
    }
}

impl Snapshot {
    pub fn get(&self, key: &str) -> anyhow::Result<Option<FileEntry>> {
        self.find(key, None)
    }

    /// The entry of `key`; with `seen`, notes that the walk found it.
    pub fn find(&self, key: &str, seen: Option<&mut Seen>) -> anyhow::Result<Option<FileEntry>> {
        let key = table::escape(key);
        if let Some(change) = self.changed.get(&key) {
            if let Some(seen) = seen {
                seen.changed.insert(key);
            }
            return Ok(change.clone());
        }
        let found = self.saved.locate(&key).context("reading the manifest")?;
        if let (Some(seen), Some((n, _))) = (seen, &found) {
            seen.mark(*n);
        }
        Ok(found.map(|(_, entry)| entry))
    }

    /// Keys of the files under `root` (an absolute path) that the snapshot
    /// holds and the walk did not find.
    pub fn unseen_under(&self, root: &str, seen: &Seen) -> anyhow::Result<Vec<String>> {
        let mut keys = Vec::new();
        for (n, row) in self.saved.entries()?.enumerate() {
            let (key, _) = row.context("reading the manifest")?;
            if !seen.has(n) && !self.changed.contains_key(&key) {
                let key = table::unescape(&key);
                if is_under(&key, root) {
                    keys.push(key);
                }
            }
        }
        for (key, change) in self.changed.iter() {
            if change.is_some() && !seen.changed.contains(key) {
                let key = table::unescape(key);
                if is_under(&key, root) {
                    keys.push(key);
                }
            }
        }
        Ok(keys)
    }
}

/// Manifests of the format before this one: one JSON object.
#[derive(Deserialize)]
struct Legacy {
    generation: u64,
    files: BTreeMap<String, FileEntry>,
}

impl Manifest {
    /// Loads the manifest a commit names, or an empty one. A manifest of the
    /// older JSON format is converted (and saved with the next commit).
    pub fn load(index_dir: &Path, name: Option<&str>) -> anyhow::Result<Manifest> {
        let Some(name) = name else {
            return Ok(Manifest::default());
        };
        let path = index_dir.join(name);
        let file = File::open(&path)
            .with_context(|| format!("cannot open manifest {}", path.display()))?;
        if name.ends_with(".json") {
            let legacy: Legacy = serde_json::from_reader(BufReader::new(file))
                .with_context(|| format!("{}: corrupt manifest", path.display()))?;
            let rows = legacy
                .files
                .into_iter()
                .map(|(key, entry)| (table::escape(&key), entry))
                .collect::<BTreeMap<_, _>>()
                .into_iter()
                .map(Ok);
            let mut manifest = Manifest::from_rows(index_dir, rows)
                .with_context(|| format!("{}: converting the manifest", path.display()))?;
            manifest.generation = legacy.generation;
            return Ok(manifest);
        }
        let mut ids = Vec::new();
        let saved = Table::open(file, |entry| ids.extend(entry.ids.iter().map(|id| id.0)))
            .with_context(|| format!("{}: corrupt manifest", path.display()))?;
        Ok(Manifest {
            files: saved.len(),
            saved,
            refs: Refs::from_ids(ids),
            generation: generation_of(name).unwrap_or(0),
            ..Manifest::default()
        })
    }

    /// A manifest of `rows` (escaped keys, in order), written to a file of
    /// its own that goes when it is dropped; marked unsaved.
    fn from_rows(
        index_dir: &Path,
        rows: impl Iterator<Item = std::io::Result<(String, FileEntry)>>,
    ) -> anyhow::Result<Manifest> {
        let path = index_dir.join(format!("{PREFIX}base-{}.tmp", std::process::id()));
        let written = table::write(&path, rows).and_then(|()| File::open(&path));
        // Open or not, the name goes: the open file lives on unnamed.
        let _ = std::fs::remove_file(&path);
        let file = written.with_context(|| format!("cannot write {}", path.display()))?;
        let mut ids = Vec::new();
        let saved = Table::open(file, |entry| ids.extend(entry.ids.iter().map(|id| id.0)))?;
        Ok(Manifest {
            files: saved.len(),
            saved,
            refs: Refs::from_ids(ids),
            unsaved: true,
            ..Manifest::default()
        })
    }

    /// A manifest for an index whose own manifest is lost: every live
    /// article owned by the file it was read from (`pairs` of path and id),
    /// with a size and time no file has, so every file is read again and its
    /// articles replaced. `generation` should be above any manifest on disk.
    pub fn rebuilt(
        index_dir: &Path,
        pairs: impl IntoIterator<Item = (String, Id)>,
        generation: u64,
    ) -> anyhow::Result<Manifest> {
        let mut files: BTreeMap<String, FileEntry> = BTreeMap::new();
        for (path, id) in pairs {
            let entry = files
                .entry(table::escape(&key_of(Path::new(&path))))
                .or_default();
            entry.mtime = -1;
            if !entry.ids.contains(&id) {
                entry.ids.push(id);
            }
        }
        let mut manifest = Manifest::from_rows(index_dir, files.into_iter().map(Ok))?;
        manifest.generation = generation;
        Ok(manifest)
    }

    /// The highest generation among the manifests in `index_dir`, so a new
    /// manifest never takes the name of one that is already there.
    pub fn last_generation(index_dir: &Path) -> u64 {
        manifest_files(index_dir)
            .filter_map(|(name, _)| generation_of(&name))
            .max()
            .unwrap_or(0)
    }

    /// Whether the manifest must be saved even if nothing changes: it was
    /// converted from the older format, or rebuilt.
    pub fn unsaved(&self) -> bool {
        self.unsaved
    }

    /// Every id some file holds, each once.
    pub fn ids(&self) -> impl Iterator<Item = Id> + '_ {
        self.refs.ids()
    }

    /// How many distinct articles the index should hold.
    pub fn distinct_ids(&self) -> usize {
        self.refs.distinct()
    }

    /// Every entry, by key, in key order.
    fn entries(
        &self,
    ) -> anyhow::Result<impl Iterator<Item = anyhow::Result<(String, FileEntry)>> + '_> {
        let rows = table::merged(self.saved.entries()?, self.changed.iter());
        Ok(rows.map(|row| {
            let (key, entry) = row.context("reading the manifest")?;
            Ok((table::unescape(&key), entry))
        }))
    }

    /// Keys of the files that hold any of `ids`.
    pub fn keys_holding(&self, ids: &HashSet<Id>) -> anyhow::Result<Vec<String>> {
        let mut keys = Vec::new();
        for row in self.entries()? {
            let (key, entry) = row?;
            if entry.ids.iter().any(|id| ids.contains(id)) {
                keys.push(key);
            }
        }
        Ok(keys)
    }

    /// The entry of a file.
    pub fn get(&self, key: &str) -> anyhow::Result<Option<FileEntry>> {
        let key = table::escape(key);
        match self.changed.get(&key) {
            Some(change) => Ok(change.clone()),
            None => self.saved.get(&key).context("reading the manifest"),
        }
    }

    /// The entries as they are now, for another thread.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            saved: self.saved.clone(),
            changed: Arc::new(self.changed.clone()),
        }
    }

    pub fn len(&self) -> usize {
        self.files
    }

    pub fn is_empty(&self) -> bool {
        self.files == 0
    }

    /// Records what a file now holds. Returns, for each id of the new
    /// entry, whether it is new to the index, and the ids no file holds any
    /// more (their documents must be deleted).
    pub fn update(
        &mut self,
        key: String,
        entry: FileEntry,
    ) -> anyhow::Result<(Vec<IdChange>, Vec<String>)> {
        let ticket = self.ticket();
        let changes = entry.ids.iter().map(|&id| self.hold(id, ticket)).collect();
        let gone = self.replace(key, entry)?;
        Ok((changes, gone))
    }

    /// A new ticket for a file about to be read, for [`Manifest::hold`].
    pub fn ticket(&mut self) -> Ticket {
        self.last_ticket = self.last_ticket.checked_add(1).unwrap_or(1);
        Ticket(std::num::NonZeroU32::new(self.last_ticket).expect("tickets start at 1"))
    }

    /// Counts the file with `ticket` as one more holder of `id`, while its
    /// entry is still being read (a large feed is applied in pieces);
    /// [`Manifest::replace`] then records the entry, or
    /// [`Manifest::release`] undoes the holds. The same id taken again with
    /// the same ticket is [`IdChange::Repeated`] and not counted.
    pub fn hold(&mut self, id: Id, ticket: Ticket) -> IdChange {
        self.refs.hold(id, ticket)
    }

    /// Records a file's entry whose ids were already [held](Manifest::hold);
    /// returns the ids of its previous entry that no file holds any more.
    pub fn replace(&mut self, key: String, entry: FileEntry) -> anyhow::Result<Vec<String>> {
        let old = self.get(&key)?;
        if old.is_none() {
            self.files += 1;
        }
        self.changed.insert(table::escape(&key), Some(entry));
        Ok(self.release(old.map(|e| e.ids).unwrap_or_default()))
    }

    /// Forgets a file; returns the ids no file holds any more.
    pub fn remove(&mut self, key: &str) -> anyhow::Result<Vec<String>> {
        let Some(old) = self.get(key)? else {
            return Ok(Vec::new());
        };
        self.files -= 1;
        self.changed.insert(table::escape(key), None);
        Ok(self.release(old.ids))
    }

    /// Drops one holder of each id; returns the ids no file holds any more.
    pub fn release(&mut self, ids: Vec<Id>) -> Vec<String> {
        ids.into_iter()
            .filter(|&id| self.refs.release(id))
            .map(|id| id.to_string())
            .collect()
    }

    /// Files under `root` (an absolute path) that the manifest knows.
    pub fn keys_under(&self, root: &str) -> anyhow::Result<Vec<String>> {
        let mut keys = Vec::new();
        for row in self.entries()? {
            let (key, _) = row?;
            if is_under(&key, root) {
                keys.push(key);
            }
        }
        Ok(keys)
    }

    /// Whether any file holds this id.
    pub fn holds(&self, id: &str) -> bool {
        Id::parse(id).is_some_and(|id| self.refs.count(id) > 0)
    }

    /// Writes the manifest under a new name and returns that name, for the
    /// commit payload; the changes since the last save are folded into it.
    /// Manifests of older generations are left for
    /// [`Manifest::remove_stale`] once the commit has landed.
    pub fn save(&mut self, index_dir: &Path) -> anyhow::Result<String> {
        self.generation += 1;
        let name = format!("{PREFIX}{:06}.tsv", self.generation);
        let path = index_dir.join(&name);
        let tmp = index_dir.join(format!("{name}.tmp"));
        let write = || -> anyhow::Result<File> {
            let rows = table::merged(self.saved.entries()?, self.changed.iter());
            table::write(&tmp, rows)?;
            std::fs::rename(&tmp, &path)?;
            Ok(File::open(&path)?)
        };
        let file = match write() {
            Ok(file) => file,
            Err(err) => {
                // Half a manifest on a full disk is space the disk needs back.
                let _ = std::fs::remove_file(&tmp);
                return Err(err)
                    .with_context(|| format!("cannot write manifest {}", path.display()));
            }
        };
        self.saved = Table::open(file, |_| {})
            .with_context(|| format!("{}: reading the manifest just written", path.display()))?;
        self.changed.clear();
        self.refs.compact();
        self.unsaved = false;
        Ok(name)
    }

    /// Deletes manifests (and unfinished ones) other than `current`, after a
    /// successful commit.
    pub fn remove_stale(index_dir: &Path, current: &str) {
        for (name, path) in manifest_files(index_dir) {
            if name != current {
                let _ = std::fs::remove_file(path);
            }
        }
    }

    /// Whether a file name in the index folder is a manifest's (written or
    /// unfinished).
    pub fn is_manifest_name(name: &str) -> bool {
        name.starts_with(PREFIX)
    }
}

/// The generation a manifest's file name gives (`newsdex-manifest-000012.tsv`).
fn generation_of(name: &str) -> Option<u64> {
    name.strip_prefix(PREFIX)?.split('.').next()?.parse().ok()
}

/// The manifest files in `index_dir`, by name and path.
fn manifest_files(index_dir: &Path) -> impl Iterator<Item = (String, PathBuf)> {
    std::fs::read_dir(index_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            Manifest::is_manifest_name(&name).then(|| (name, entry.path()))
        })
}

/// The manifest key of a file: its absolute, symlink-resolved path, so the
/// same file is recognised however it was named on the command line.
pub fn key_of(path: &Path) -> String {
    let abs: PathBuf = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    abs.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A content id standing for a one-letter name.
    fn h(name: &str) -> String {
        format!("{:016x}", u64::from(name.as_bytes()[0]))
    }

    fn entry(ids: &[&str]) -> FileEntry {
        FileEntry {
            size: 1,
            mtime: 1,
            ids: ids.iter().map(|s| Id::parse(&h(s)).unwrap()).collect(),
        }
    }

    #[test]
    fn ids_round_trip_as_hex() {
        let id = Id::parse("00ff00ff00ff00ff").unwrap();
        assert_eq!(id.to_string(), "00ff00ff00ff00ff");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"00ff00ff00ff00ff\"");
        assert!(Id::parse("xyz").is_none());
        assert!(Id::parse("00ff00ff00ff00fg").is_none());
        assert!(serde_json::from_str::<Id>("\"short\"").is_err());
    }

    #[test]
    fn duplicates_are_counted_and_released() {
        let mut m = Manifest::default();
        assert_eq!(
            m.update("a".into(), entry(&["x", "y"])).unwrap().0,
            [IdChange::New, IdChange::New]
        );
        let (changes, gone) = m.update("b".into(), entry(&["x"])).unwrap();
        assert_eq!(changes, [IdChange::Duplicate]);
        assert!(gone.is_empty());
        // a changes: y disappears, x is still held by b.
        let (changes, gone) = m.update("a".into(), entry(&["x", "z"])).unwrap();
        assert_eq!(changes, [IdChange::Duplicate, IdChange::New]);
        assert_eq!(gone, [h("y")]);
        assert!(m.remove("b").unwrap().is_empty());
        assert_eq!(m.remove("a").unwrap(), [h("x"), h("z")]);
        assert!(!m.holds(&h("x")));
    }

    #[test]
    fn an_article_twice_in_one_file_is_held_once() {
        let id = |s: &str| Id::parse(&h(s)).unwrap();
        let mut m = Manifest::default();
        let a = m.ticket();
        assert_eq!(m.hold(id("x"), a), IdChange::New);
        assert_eq!(m.hold(id("x"), a), IdChange::Repeated);
        // Another file with the same article: a duplicate, even right after.
        let b = m.ticket();
        assert_ne!(a, b);
        assert_eq!(m.hold(id("x"), b), IdChange::Duplicate);
        assert_eq!(m.hold(id("x"), b), IdChange::Repeated);
        m.replace("a".into(), entry(&["x"])).unwrap();
        m.replace("b".into(), entry(&["x"])).unwrap();
        // Counted once per file: gone only when both files are.
        assert!(m.remove("a").unwrap().is_empty());
        assert_eq!(m.remove("b").unwrap(), [h("x")]);
    }

    #[test]
    fn saves_and_loads_with_new_generation_names() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = Manifest::default();
        m.update("/a/b.txt".into(), entry(&["x"])).unwrap();
        let first = m.save(dir.path()).unwrap();
        // Changed after a save: the next save folds the change in.
        m.update("/a/c\td.txt".into(), entry(&["y", "x"])).unwrap();
        m.remove("/a/b.txt").unwrap();
        m.update("/a/b.txt".into(), entry(&["x"])).unwrap();
        let second = m.save(dir.path()).unwrap();
        assert_ne!(first, second);
        assert!(second.ends_with(".tsv"));
        Manifest::remove_stale(dir.path(), &second);
        assert!(!dir.path().join(&first).exists());
        let loaded = Manifest::load(dir.path(), Some(&second)).unwrap();
        assert_eq!(loaded.get("/a/b.txt").unwrap(), Some(entry(&["x"])));
        assert_eq!(loaded.get("/a/c\td.txt").unwrap(), Some(entry(&["y", "x"])));
        assert!(loaded.holds(&h("x")) && loaded.holds(&h("y")));
        assert_eq!((loaded.len(), loaded.distinct_ids()), (2, 2));
        assert_eq!(loaded.keys_under("/a").unwrap().len(), 2);
        assert_eq!(loaded.keys_under("/a/b").unwrap().len(), 0);
        assert_eq!(Manifest::last_generation(dir.path()), 2);
    }

    #[test]
    fn rebuilt_manifest_owns_every_id_and_rereads_every_file() {
        let id = |s: &str| Id::parse(&h(s)).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let m = Manifest::rebuilt(
            dir.path(),
            [
                ("/nowhere/a.txt".to_string(), id("x")),
                ("/nowhere/a.txt".to_string(), id("y")),
                ("/nowhere/b.txt".to_string(), id("y")),
            ],
            7,
        )
        .unwrap();
        assert!(m.unsaved());
        // Its file is gone from the folder already: nothing to tidy up.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        assert_eq!(m.distinct_ids(), 2);
        assert_eq!(
            m.get("/nowhere/a.txt").unwrap().unwrap().ids,
            [id("x"), id("y")]
        );
        assert_eq!(m.get("/nowhere/b.txt").unwrap().unwrap().mtime, -1);
        let holding = m.keys_holding(&[id("x")].into_iter().collect()).unwrap();
        assert_eq!(holding, ["/nowhere/a.txt"]);
    }

    #[test]
    fn a_manifest_of_the_older_json_format_is_converted() {
        let dir = tempfile::tempdir().unwrap();
        let json = format!(
            r#"{{"generation":4,"files":{{"/a/x.txt":{{"size":3,"mtime":9,"ids":["{}","{}"]}},"/a/y.txt":{{"size":1,"mtime":2,"ids":["{}"]}}}}}}"#,
            h("x"),
            h("y"),
            h("x")
        );
        std::fs::write(dir.path().join("newsdex-manifest-000004.json"), json).unwrap();
        let mut m = Manifest::load(dir.path(), Some("newsdex-manifest-000004.json")).unwrap();
        assert!(m.unsaved());
        assert_eq!((m.len(), m.distinct_ids()), (2, 2));
        assert_eq!(
            m.get("/a/x.txt").unwrap(),
            Some(FileEntry {
                size: 3,
                mtime: 9,
                ids: entry(&["x", "y"]).ids
            })
        );
        assert_eq!(m.remove("/a/y.txt").unwrap(), Vec::<String>::new());
        let name = m.save(dir.path()).unwrap();
        assert_eq!(name, "newsdex-manifest-000005.tsv");
        assert!(!m.unsaved());
    }

    #[test]
    fn a_snapshot_tells_the_files_the_walk_did_not_find() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = Manifest::default();
        for key in ["/r/a", "/r/b", "/r/c", "/other/d"] {
            m.update(key.into(), entry(&["x"])).unwrap();
        }
        m.save(dir.path()).unwrap();
        m.update("/r/e".into(), entry(&["y"])).unwrap();
        m.update("/r/f".into(), entry(&["y"])).unwrap();
        m.remove("/r/c").unwrap();
        let snapshot = m.snapshot();
        let mut seen = Seen::default();
        for key in ["/r/b", "/r/e", "/r/new"] {
            snapshot.find(key, Some(&mut seen)).unwrap();
        }
        let mut gone = snapshot.unseen_under("/r", &seen).unwrap();
        gone.sort();
        assert_eq!(gone, ["/r/a", "/r/f"]);
    }
}
