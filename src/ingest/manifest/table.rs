//! The manifest's file entries on disk: one line per file, sorted by key,
//! read a block at a time, so a million files cost a sparse index of block
//! starts in memory rather than a million keys.
//!
//! A line is `key TAB size TAB mtime TAB id id …`; the key escapes `\`, tab
//! and newline (`\\`, `\t`, `\n`), and lines sort by the escaped key's bytes.
//! The first line names the format. This module only reads and writes such
//! files; which file is current, and crash safety, are the manifest's.

use std::collections::btree_map;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::{Arc, Mutex};

use super::{FileEntry, Id};

/// The first line of a manifest file of this format.
pub const HEADER: &str = "newsdex-manifest v2";
/// Bytes of lines per block of the sparse index: a lookup reads one block.
const BLOCK_BYTES: u64 = 8 << 10;

/// A sorted manifest file, opened for lookups. A clone shares the file and
/// the index, not the cache (a snapshot for the walk, on another thread).
#[derive(Default)]
pub struct Table {
    inner: Option<Arc<Opened>>,
    /// The last block read: the walk asks for keys in nearly sorted order.
    cache: Mutex<Option<Block>>,
}

impl Clone for Table {
    fn clone(&self) -> Table {
        Table {
            inner: self.inner.clone(),
            cache: Mutex::default(),
        }
    }
}

/// One block of lines, as read.
struct Block {
    number: usize,
    bytes: Vec<u8>,
}

struct Opened {
    file: File,
    /// The first key of each block, where the block starts, and the
    /// number of the entry it starts with.
    blocks: Vec<(String, u64, usize)>,
    /// Where the last line ends.
    end: u64,
    len: usize,
}

/// A line that is not a manifest entry.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct BadLine {
    pub line: usize,
    pub reason: String,
}

impl Table {
    /// Opens `file`, checking every line and handing each entry to `each`
    /// (the manifest counts the ids from it).
    pub fn open(mut file: File, mut each: impl FnMut(&FileEntry)) -> anyhow::Result<Table> {
        file.seek(SeekFrom::Start(0))?;
        let mut reader = BufReader::with_capacity(1 << 16, &mut file);
        let mut line = Vec::new();
        reader.read_until(b'\n', &mut line)?;
        if line.strip_suffix(b"\n") != Some(HEADER.as_bytes()) {
            anyhow::bail!("line 1: not a manifest of format {HEADER:?}");
        }
        let mut offset = line.len() as u64;
        let mut blocks: Vec<(String, u64, usize)> = Vec::new();
        let mut block_start = None::<u64>;
        let mut previous = String::new();
        let mut len = 0;
        loop {
            line.clear();
            let read = reader.read_until(b'\n', &mut line)?;
            if read == 0 {
                break;
            }
            let number = len + 2;
            let text = std::str::from_utf8(&line).map_err(|_| BadLine {
                line: number,
                reason: "not UTF-8".into(),
            })?;
            let text = text.strip_suffix('\n').ok_or_else(|| BadLine {
                line: number,
                reason: "cut short".into(),
            })?;
            let (key, entry) = parse_line(text).map_err(|reason| BadLine {
                line: number,
                reason,
            })?;
            if key <= previous.as_str() && len > 0 {
                return Err(BadLine {
                    line: number,
                    reason: "out of order".into(),
                }
                .into());
            }
            each(&entry);
            if block_start.is_none_or(|start| offset - start >= BLOCK_BYTES) {
                blocks.push((key.to_string(), offset, len));
                block_start = Some(offset);
            }
            previous.clear();
            previous.push_str(key);
            offset += read as u64;
            len += 1;
        }
        drop(reader);
        Ok(Table {
            inner: Some(Arc::new(Opened {
                file,
                blocks,
                end: offset,
                len,
            })),
            cache: Mutex::default(),
        })
    }

    /// How many files the table holds.
    pub fn len(&self) -> usize {
        self.inner.as_ref().map_or(0, |t| t.len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entry of an (escaped) key.
    pub fn get(&self, key: &str) -> std::io::Result<Option<FileEntry>> {
        Ok(self.locate(key)?.map(|(_, entry)| entry))
    }

    /// The entry of an (escaped) key, with its number in key order.
    pub fn locate(&self, key: &str) -> std::io::Result<Option<(usize, FileEntry)>> {
        let Some(table) = &self.inner else {
            return Ok(None);
        };
        let block = match table
            .blocks
            .partition_point(|(first, _, _)| first.as_str() <= key)
        {
            0 => return Ok(None),
            n => n - 1,
        };
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.as_ref().is_none_or(|cached| cached.number != block) {
            let start = table.blocks[block].1;
            let end = table.blocks.get(block + 1).map_or(table.end, |b| b.1);
            let mut bytes = vec![0; (end - start) as usize];
            table.file.read_exact_at(&mut bytes, start)?;
            *cache = Some(Block {
                number: block,
                bytes,
            });
        }
        let bytes = &cache.as_ref().expect("just read").bytes;
        let first = table.blocks[block].2;
        for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
            let Ok(text) = std::str::from_utf8(line) else {
                continue;
            };
            let Ok((found, entry)) = parse_line(text) else {
                continue;
            };
            match found.cmp(key) {
                std::cmp::Ordering::Less => {}
                std::cmp::Ordering::Equal => return Ok(Some((first + n, entry))),
                std::cmp::Ordering::Greater => break,
            }
        }
        Ok(None)
    }

    /// Every entry in key order (escaped keys), read from the file.
    pub fn entries(&self) -> std::io::Result<Entries> {
        let reader = match &self.inner {
            Some(table) => {
                let mut file = table.file.try_clone()?;
                let start = table.blocks.first().map_or(table.end, |b| b.1);
                file.seek(SeekFrom::Start(start))?;
                Some(BufReader::with_capacity(
                    1 << 16,
                    file.take(table.end - start),
                ))
            }
            None => None,
        };
        Ok(Entries {
            reader,
            line: String::new(),
        })
    }
}

/// The entries of a [`Table`], in key order.
pub struct Entries {
    reader: Option<BufReader<std::io::Take<File>>>,
    line: String,
}

impl Iterator for Entries {
    type Item = std::io::Result<(String, FileEntry)>;

    fn next(&mut self) -> Option<Self::Item> {
        let reader = self.reader.as_mut()?;
        self.line.clear();
        match reader.read_line(&mut self.line) {
            Ok(0) => None,
            Ok(_) => {
                let text = self.line.trim_end_matches('\n');
                Some(
                    parse_line(text)
                        .map(|(key, entry)| (key.to_string(), entry))
                        .map_err(std::io::Error::other),
                )
            }
            Err(err) => Some(Err(err)),
        }
    }
}

/// Writes `entries` (escaped keys, in order) as a manifest file at `path`,
/// synced to disk.
pub fn write(
    path: &Path,
    entries: impl Iterator<Item = std::io::Result<(String, FileEntry)>>,
) -> std::io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 16, File::create(path)?);
    writeln!(out, "{HEADER}")?;
    for entry in entries {
        let (key, entry) = entry?;
        write!(out, "{key}\t{}\t{}\t", entry.size, entry.mtime)?;
        for (i, id) in entry.ids.iter().enumerate() {
            if i > 0 {
                out.write_all(b" ")?;
            }
            write!(out, "{id}")?;
        }
        out.write_all(b"\n")?;
    }
    out.flush()?;
    out.get_ref().sync_all()
}

/// Entries of a table with changes laid over them, in key order: a change
/// replaces the entry of its key, `None` removes it.
pub fn merged<'a>(
    base: Entries,
    changes: btree_map::Iter<'a, String, Option<FileEntry>>,
) -> impl Iterator<Item = std::io::Result<(String, FileEntry)>> + 'a {
    Merged {
        base: base.peekable(),
        changes: changes.peekable(),
    }
}

struct Merged<'a> {
    base: std::iter::Peekable<Entries>,
    changes: std::iter::Peekable<btree_map::Iter<'a, String, Option<FileEntry>>>,
}

impl Iterator for Merged<'_> {
    type Item = std::io::Result<(String, FileEntry)>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let order = match (self.base.peek(), self.changes.peek()) {
                (None, None) => return None,
                (Some(Err(_)), _) | (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (Some(Ok((base, _))), Some((change, _))) => base.as_str().cmp(change.as_str()),
            };
            match order {
                std::cmp::Ordering::Less => return self.base.next(),
                std::cmp::Ordering::Equal => {
                    self.base.next();
                }
                std::cmp::Ordering::Greater => {}
            }
            let (key, change) = self.changes.next().expect("peeked");
            if let Some(entry) = change {
                return Some(Ok((key.clone(), entry.clone())));
            }
        }
    }
}

fn parse_line(text: &str) -> Result<(&str, FileEntry), String> {
    let mut parts = text.split('\t');
    let (Some(key), Some(size), Some(mtime), Some(ids), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err("expected four tab-separated fields".into());
    };
    let size = size.parse().map_err(|_| format!("bad size {size:?}"))?;
    let mtime = mtime.parse().map_err(|_| format!("bad time {mtime:?}"))?;
    let ids = ids
        .split(' ')
        .filter(|id| !id.is_empty())
        .map(|id| Id::parse(id).ok_or_else(|| format!("bad article id {id:?}")))
        .collect::<Result<_, _>>()?;
    Ok((key, FileEntry { size, mtime, ids }))
}

/// A key as the table stores it: `\`, tab and newline escaped.
pub fn escape(key: &str) -> String {
    if !key.contains(['\\', '\t', '\n']) {
        return key.to_string();
    }
    let mut out = String::with_capacity(key.len() + 2);
    for c in key.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// The key an escaped one stands for.
pub fn unescape(key: &str) -> String {
    if !key.contains('\\') {
        return key.to_string();
    }
    let mut out = String::with_capacity(key.len());
    let mut chars = key.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            (c, false) => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: u64) -> FileEntry {
        FileEntry {
            size: n,
            mtime: -(n as i128),
            ids: (0..n % 3).map(|i| Id(n * 10 + i)).collect(),
        }
    }

    fn table_of(keys: &[String]) -> (tempfile::TempDir, Table) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m");
        let rows = keys
            .iter()
            .enumerate()
            .map(|(n, k)| Ok((k.clone(), entry(n as u64))));
        write(&path, rows).unwrap();
        let table = Table::open(File::open(&path).unwrap(), |_| {}).unwrap();
        (dir, table)
    }

    #[test]
    fn finds_every_key_across_blocks_and_no_other() {
        let keys: Vec<String> = (0..5000).map(|n| format!("/a/{n:06}.txt")).collect();
        let (_dir, table) = table_of(&keys);
        assert_eq!(table.len(), 5000);
        assert!(table.inner.as_ref().unwrap().blocks.len() > 10);
        for (n, key) in keys.iter().enumerate().rev() {
            assert_eq!(
                table.locate(key).unwrap(),
                Some((n, entry(n as u64))),
                "{key}"
            );
        }
        assert_eq!(table.get("/a/000000.txu").unwrap(), None);
        assert_eq!(table.get("/").unwrap(), None);
        assert_eq!(table.get("/b").unwrap(), None);
        let all: Vec<_> = table.entries().unwrap().map(|e| e.unwrap().0).collect();
        assert_eq!(all, keys);
    }

    #[test]
    fn changes_lay_over_the_table_in_order() {
        let keys: Vec<String> = ["/a", "/c", "/e"].map(String::from).to_vec();
        let (_dir, table) = table_of(&keys);
        let changes: std::collections::BTreeMap<String, Option<FileEntry>> = [
            ("/b".to_string(), Some(entry(7))),
            ("/c".to_string(), None),
            ("/e".to_string(), Some(entry(9))),
            ("/f".to_string(), None),
        ]
        .into_iter()
        .collect();
        let out: Vec<(String, FileEntry)> = merged(table.entries().unwrap(), changes.iter())
            .map(Result::unwrap)
            .collect();
        let keys: Vec<&str> = out.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["/a", "/b", "/e"]);
        assert_eq!(out[2].1, entry(9));
    }

    #[test]
    fn odd_keys_round_trip_and_bad_files_are_refused() {
        for key in ["/a\tb", "/a\nb", "/a\\b", "/plain", "/a\\tb"] {
            assert_eq!(unescape(&escape(key)), key);
            assert!(!escape(key).contains(['\t', '\n']));
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m");
        for bad in [
            "{}\n".to_string(),
            format!("{HEADER}\n/a\t1\t1\tzz\n"),
            format!("{HEADER}\n/b\t1\t1\t\n/a\t1\t1\t\n"),
            format!("{HEADER}\n/a\t1\t1\t"),
        ] {
            std::fs::write(&path, &bad).unwrap();
            assert!(
                Table::open(File::open(&path).unwrap(), |_| {}).is_err(),
                "{bad:?}"
            );
        }
    }
}
