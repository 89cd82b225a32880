//! One name per entity: the automatic alias table written by each `index`
//! run, the user's alias edits, and the name index that applies both at
//! query time (no re-index when either changes).
//!
//! Files in the index directory:
//! - `aliases.tsv`: the user's edits (`newsdex alias ...`, or by hand);
//! - `aliases-auto.tsv`: the automatic merges of the last `index` run;
//! - `names.idx`: the name index, rebuilt whenever it is older than the
//!   segments or either alias file.

pub mod apply;
pub mod auto;
pub mod context;
pub mod edits;
pub mod names;
pub mod table;
pub mod years;

use std::path::Path;

use anyhow::Context;
use tantivy::Searcher;
use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use crate::index::NewsIndex;
use crate::query::resolve::{EntityType, EntityValue, scan_values};
use names::NameIndex;
use table::AliasTable;

pub const USER_FILE: &str = "aliases.tsv";
pub const AUTO_FILE: &str = "aliases-auto.tsv";
pub const NAMES_FILE: &str = "names.idx";
/// Taken by `newsdex alias` for its read-modify-write of [`USER_FILE`].
pub const LOCK_FILE: &str = ".aliases.lock";

/// Whether `name` is one of the alias files kept beside the index (so
/// `newsdex check` does not take it for a stray).
pub fn is_alias_file(name: &str) -> bool {
    [USER_FILE, AUTO_FILE, NAMES_FILE, LOCK_FILE].contains(&name)
}

/// A temporary file of [`edits::write_atomic`] left by a killed process
/// (`.NAME.PID.tmp`), safe to remove.
pub fn is_unfinished_write(name: &str) -> bool {
    name.strip_prefix('.')
        .and_then(|rest| rest.strip_suffix(".tmp"))
        .and_then(|rest| rest.rsplit_once('.'))
        .is_some_and(|(file, pid)| {
            is_alias_file(file) && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
        })
}

pub const USER_HEADER: &str = "newsdex alias edits: action, type, value[, target], tab-separated.
merge: the value joins the target; rename: the value takes the target as its name;
drop: the value is hidden; keep: the value stays apart whatever the automatic table says.
Applied at once to searches, facets and entities (no re-index). Edit by hand or with `newsdex alias`.";

const AUTO_HEADER: &str =
    "newsdex automatic aliases, rewritten by every `newsdex index` run: do not edit.
Correct a decision with `newsdex alias` (user edits win): `alias keep` undoes a merge.";

/// The alias files' bytes, as read once per process.
pub struct AliasFiles {
    pub user: Vec<u8>,
    pub auto: Vec<u8>,
}

impl AliasFiles {
    pub fn read(dir: &Path) -> anyhow::Result<AliasFiles> {
        let read = |name: &str| match std::fs::read(dir.join(name)) {
            Ok(bytes) => Ok(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", dir.join(name).display())),
        };
        Ok(AliasFiles {
            user: read(USER_FILE)?,
            auto: read(AUTO_FILE)?,
        })
    }

    /// The combined table; errors name the file and line.
    pub fn table(&self, dir: &Path) -> anyhow::Result<AliasTable> {
        let parse = |bytes: &[u8], name: &str| {
            edits::parse(
                &String::from_utf8_lossy(bytes),
                &dir.join(name).display().to_string(),
            )
        };
        let user = parse(&self.user, USER_FILE)?;
        let auto = parse(&self.auto, AUTO_FILE)?;
        AliasTable::new(&user, &auto)
            .with_context(|| format!("in {}", dir.join(USER_FILE).display()))
    }
}

/// What a name index was built from: the searcher's segments (with their
/// deletions) and both alias files.
pub fn stamp(searcher: &Searcher, files: &AliasFiles) -> String {
    let mut hasher = blake3::Hasher::new();
    for segment in searcher.segment_readers() {
        hasher.update(segment.segment_id().uuid_string().as_bytes());
        hasher.update(&segment.num_deleted_docs().to_le_bytes());
    }
    hasher.update(b"\0user\0");
    hasher.update(&files.user);
    hasher.update(b"\0auto\0");
    hasher.update(&files.auto);
    hasher.finalize().to_hex()[..32].to_string()
}

/// The name index for this searcher: the file when it is current, else
/// built from the term dictionaries (and saved for the next process).
pub fn open_names(news: &NewsIndex, searcher: &Searcher) -> anyhow::Result<NameIndex> {
    let files = AliasFiles::read(&news.dir)?;
    let stamp = stamp(searcher, &files);
    if let Some(names) = NameIndex::open(&news.dir.join(NAMES_FILE), &stamp) {
        return Ok(names);
    }
    let names = build_names(news, searcher, &files, &stamp)?;
    // A read-only index still answers, just without the shortcut.
    let _ = names.save(&news.dir.join(NAMES_FILE));
    Ok(names)
}

/// Builds the name index and writes it, whatever is on disk.
pub fn rebuild_names(news: &NewsIndex, searcher: &Searcher) -> anyhow::Result<NameIndex> {
    let files = AliasFiles::read(&news.dir)?;
    let stamp = stamp(searcher, &files);
    let names = build_names(news, searcher, &files, &stamp)?;
    names.save(&news.dir.join(NAMES_FILE))?;
    Ok(names)
}

fn build_names(
    news: &NewsIndex,
    searcher: &Searcher,
    files: &AliasFiles,
    stamp: &str,
) -> anyhow::Result<NameIndex> {
    let table = files.table(&news.dir)?;
    let raw = scan_values(news, searcher, &EntityType::ALL)?;
    let mut count = |members: &[&EntityValue]| union_count(news, searcher, members);
    Ok(NameIndex::build(&raw, &table, &mut count, stamp))
}

/// Articles having any of the values (each counted once).
fn union_count(news: &NewsIndex, searcher: &Searcher, members: &[&EntityValue]) -> u64 {
    let any: Vec<(Occur, Box<dyn Query>)> = members
        .iter()
        .map(|v| {
            let term = tantivy::Term::from_facet(news.fields.entity, &v.facet());
            let query: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
            (Occur::Should, query)
        })
        .collect();
    searcher
        .search(&BooleanQuery::new(any), &Count)
        .map_or_else(|_| members.iter().map(|v| v.articles).sum(), |n| n as u64)
}

/// After an `index` run: recompute the automatic table from the whole
/// archive, then the name index. Returns the number of values merged.
pub fn refresh(news: &NewsIndex) -> anyhow::Result<u64> {
    let searcher = news.reader()?.searcher();
    // Same segments and alias files as when the name index was written:
    // nothing to redo (a re-run that changed nothing stays quick).
    let files = AliasFiles::read(&news.dir)?;
    if !files.auto.is_empty()
        && NameIndex::open(&news.dir.join(NAMES_FILE), &stamp(&searcher, &files)).is_some()
    {
        let merged = edits::parse(&String::from_utf8_lossy(&files.auto), AUTO_FILE)?;
        return Ok(merged.len() as u64);
    }
    let raw = scan_values(news, &searcher, &[EntityType::Person, EntityType::Org])?;
    let years = years::Years::of_persons(&searcher)?;
    let context = context::Context::of_persons(&searcher, &context::wanted(&raw))?;
    let automatic = auto::compute(&raw, &years, &context);
    let text = edits::render(&automatic, AUTO_HEADER);
    let path = news.dir.join(AUTO_FILE);
    if std::fs::read(&path).ok().as_deref() != Some(text.as_bytes()) {
        edits::write_atomic(&path, text.as_bytes())?;
    }
    rebuild_names(news, &searcher)?;
    Ok(automatic.len() as u64)
}
