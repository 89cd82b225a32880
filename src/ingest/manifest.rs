//! The manifest: which files were indexed, as what, and which article ids
//! each one holds.
//!
//! It makes re-runs incremental (a file whose size and modification time are
//! unchanged is not read again) and duplicates countable (an id held by two
//! files is indexed once; its document goes only when no file holds it).
//! A manifest is written next to the index before each commit under a new
//! name, and the commit payload names it, so the manifest and the index
//! always agree, even after a killed run.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};

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

/// The manifest, with reference counts of ids derived on load.
#[derive(Debug, Default)]
pub struct Manifest {
    /// Keyed by absolute path.
    files: BTreeMap<String, FileEntry>,
    refs: HashMap<Id, Holders>,
    generation: u64,
    /// The last [`Ticket`] handed out.
    last_ticket: u32,
}

/// Who holds one id. The ticket fits in the padding a count alone would
/// leave (12 bytes round up to 16), so telling a file's repeated article
/// from a duplicate costs no memory: a feed of millions of articles needs
/// no set of its own ids.
#[derive(Debug, Default, Clone, Copy)]
struct Holders {
    /// Files that hold it.
    files: u32,
    /// The file being read that last took it, if any.
    taken_by: Option<Ticket>,
}

/// One file being read in this run, as [`Manifest::hold`] knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket(std::num::NonZeroU32);

#[derive(Deserialize)]
struct OnDisk {
    generation: u64,
    files: BTreeMap<String, FileEntry>,
}

/// [`OnDisk`] by reference, so saving does not copy the whole manifest.
#[derive(Serialize)]
struct OnDiskRef<'a> {
    generation: u64,
    files: &'a BTreeMap<String, FileEntry>,
}

/// How an id's reference count changed.
#[derive(Debug, PartialEq, Eq)]
pub enum IdChange {
    /// No file held it before: index the article.
    New,
    /// Another file already holds it: a duplicate.
    Duplicate,
    /// The same file holds it already: the article twice in one file,
    /// counted once.
    Repeated,
}

impl Manifest {
    /// Loads the manifest a commit names, or an empty one.
    pub fn load(index_dir: &Path, name: Option<&str>) -> anyhow::Result<Manifest> {
        let Some(name) = name else {
            return Ok(Manifest::default());
        };
        let path = index_dir.join(name);
        let file = File::open(&path)
            .with_context(|| format!("cannot open manifest {}", path.display()))?;
        let disk: OnDisk = serde_json::from_reader(BufReader::new(file))
            .with_context(|| format!("{}: corrupt manifest", path.display()))?;
        let mut refs: HashMap<Id, Holders> = HashMap::new();
        for entry in disk.files.values() {
            for &id in &entry.ids {
                refs.entry(id).or_default().files += 1;
            }
        }
        Ok(Manifest {
            files: disk.files,
            refs,
            generation: disk.generation,
            last_ticket: 0,
        })
    }

    /// A manifest for an index whose own manifest is lost: every live
    /// article owned by the file it was read from (`pairs` of path and id),
    /// with a size and time no file has, so every file is read again and its
    /// articles replaced. `generation` should be above any manifest on disk.
    pub fn rebuilt(pairs: impl IntoIterator<Item = (String, Id)>, generation: u64) -> Manifest {
        let mut manifest = Manifest {
            generation,
            ..Manifest::default()
        };
        for (path, id) in pairs {
            let entry = manifest.files.entry(key_of(Path::new(&path))).or_default();
            entry.mtime = -1;
            if !entry.ids.contains(&id) {
                entry.ids.push(id);
                manifest.refs.entry(id).or_default().files += 1;
            }
        }
        manifest
    }

    /// The highest generation among the manifests in `index_dir`, so a new
    /// manifest never takes the name of one that is already there.
    pub fn last_generation(index_dir: &Path) -> u64 {
        manifest_files(index_dir)
            .filter_map(|(name, _)| {
                name.strip_prefix(PREFIX)?
                    .split('.')
                    .next()?
                    .parse::<u64>()
                    .ok()
            })
            .max()
            .unwrap_or(0)
    }

    /// Every id some file holds, each once.
    pub fn ids(&self) -> impl Iterator<Item = &Id> + '_ {
        self.refs.keys()
    }

    /// How many distinct articles the index should hold.
    pub fn distinct_ids(&self) -> usize {
        self.refs.len()
    }

    /// Keys of the files that hold any of `ids`.
    pub fn keys_holding(&self, ids: &std::collections::HashSet<Id>) -> Vec<String> {
        self.files
            .iter()
            .filter(|(_, entry)| entry.ids.iter().any(|id| ids.contains(id)))
            .map(|(key, _)| key.clone())
            .collect()
    }

    pub fn get(&self, key: &str) -> Option<&FileEntry> {
        self.files.get(key)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Records what a file now holds. Returns, for each id of the new
    /// entry, whether it is new to the index, and the ids no file holds any
    /// more (their documents must be deleted).
    pub fn update(&mut self, key: String, entry: FileEntry) -> (Vec<IdChange>, Vec<String>) {
        let ticket = self.ticket();
        let changes = entry.ids.iter().map(|&id| self.hold(id, ticket)).collect();
        let gone = self.replace(key, entry);
        (changes, gone)
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
        let holders = self.refs.entry(id).or_default();
        if holders.taken_by == Some(ticket) {
            return IdChange::Repeated;
        }
        holders.taken_by = Some(ticket);
        holders.files += 1;
        if holders.files == 1 {
            IdChange::New
        } else {
            IdChange::Duplicate
        }
    }

    /// Records a file's entry whose ids were already [held](Manifest::hold);
    /// returns the ids of its previous entry that no file holds any more.
    pub fn replace(&mut self, key: String, entry: FileEntry) -> Vec<String> {
        let old = self.files.remove(&key).map(|e| e.ids).unwrap_or_default();
        let gone = self.release(old);
        self.files.insert(key, entry);
        gone
    }

    /// Forgets a file; returns the ids no file holds any more.
    pub fn remove(&mut self, key: &str) -> Vec<String> {
        let old = self.files.remove(key).map(|e| e.ids).unwrap_or_default();
        self.release(old)
    }

    /// Drops one holder of each id; returns the ids no file holds any more.
    pub fn release(&mut self, ids: Vec<Id>) -> Vec<String> {
        let mut gone = Vec::new();
        for id in ids {
            if let Some(holders) = self.refs.get_mut(&id) {
                holders.files -= 1;
                if holders.files == 0 {
                    self.refs.remove(&id);
                    gone.push(id.to_string());
                }
            }
        }
        gone
    }

    /// Files under `root` (an absolute path) that the manifest knows.
    pub fn keys_under<'a>(&'a self, root: &'a str) -> impl Iterator<Item = &'a String> + 'a {
        self.files.keys().filter(move |key| {
            key.as_str() == root
                || key
                    .strip_prefix(root)
                    .is_some_and(|rest| rest.starts_with(std::path::MAIN_SEPARATOR))
        })
    }

    /// Whether any file holds this id.
    pub fn holds(&self, id: &str) -> bool {
        Id::parse(id).is_some_and(|id| self.refs.contains_key(&id))
    }

    /// Writes the manifest under a new name and returns that name, for the
    /// commit payload. Manifests of older generations are left for
    /// [`Manifest::remove_stale`] once the commit has landed.
    pub fn save(&mut self, index_dir: &Path) -> anyhow::Result<String> {
        self.generation += 1;
        let name = format!("{PREFIX}{:06}.json", self.generation);
        let path = index_dir.join(&name);
        let tmp = index_dir.join(format!("{name}.tmp"));
        let write = || -> std::io::Result<()> {
            let mut out = BufWriter::new(File::create(&tmp)?);
            let disk = OnDiskRef {
                generation: self.generation,
                files: &self.files,
            };
            serde_json::to_writer(&mut out, &disk)?;
            out.flush()?;
            out.get_ref().sync_all()?;
            std::fs::rename(&tmp, &path)
        };
        if let Err(err) = write() {
            // Half a manifest on a full disk is space the disk needs back.
            let _ = std::fs::remove_file(&tmp);
            return Err(err).with_context(|| format!("cannot write manifest {}", path.display()));
        }
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
            m.update("a".into(), entry(&["x", "y"])).0,
            [IdChange::New, IdChange::New]
        );
        let (changes, gone) = m.update("b".into(), entry(&["x"]));
        assert_eq!(changes, [IdChange::Duplicate]);
        assert!(gone.is_empty());
        // a changes: y disappears, x is still held by b.
        let (changes, gone) = m.update("a".into(), entry(&["x", "z"]));
        assert_eq!(changes, [IdChange::Duplicate, IdChange::New]);
        assert_eq!(gone, [h("y")]);
        assert!(m.remove("b").is_empty());
        assert_eq!(m.remove("a"), [h("x"), h("z")]);
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
        m.replace("a".into(), entry(&["x"]));
        m.replace("b".into(), entry(&["x"]));
        // Counted once per file: gone only when both files are.
        assert!(m.remove("a").is_empty());
        assert_eq!(m.remove("b"), [h("x")]);
    }

    #[test]
    fn saves_and_loads_with_new_generation_names() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = Manifest::default();
        m.update("/a/b.txt".into(), entry(&["x"]));
        let first = m.save(dir.path()).unwrap();
        let second = m.save(dir.path()).unwrap();
        assert_ne!(first, second);
        Manifest::remove_stale(dir.path(), &second);
        assert!(!dir.path().join(&first).exists());
        let loaded = Manifest::load(dir.path(), Some(&second)).unwrap();
        assert_eq!(loaded.get("/a/b.txt"), Some(&entry(&["x"])));
        assert!(loaded.holds(&h("x")));
        assert_eq!(loaded.keys_under("/a").count(), 1);
        assert_eq!(loaded.keys_under("/a/b").count(), 0);
        assert_eq!(Manifest::last_generation(dir.path()), 2);
    }

    #[test]
    fn rebuilt_manifest_owns_every_id_and_rereads_every_file() {
        let id = |s: &str| Id::parse(&h(s)).unwrap();
        let m = Manifest::rebuilt(
            [
                ("/nowhere/a.txt".to_string(), id("x")),
                ("/nowhere/a.txt".to_string(), id("y")),
                ("/nowhere/b.txt".to_string(), id("y")),
            ],
            7,
        );
        assert_eq!(m.distinct_ids(), 2);
        assert_eq!(m.get("/nowhere/a.txt").unwrap().ids, [id("x"), id("y")]);
        assert_eq!(m.get("/nowhere/b.txt").unwrap().mtime, -1);
        let holding = m.keys_holding(&[id("x")].into_iter().collect());
        assert_eq!(holding, ["/nowhere/a.txt"]);
    }
}
