//! The name index: every entity value's words, pointing to its canonical
//! value (aliases applied) with its article count and the indexed values it
//! stands for. Written next to the index after each `index` run and each
//! alias edit, so resolving a name reads a few lines of a memory-mapped
//! file instead of scanning the term dictionaries and folding every name.
//!
//! Text, sorted, one record per line:
//!
//! ```text
//! newsdex-names <TAB> 2 <TAB> stamp <TAB> raw-start <TAB> words-start <TAB> facets-start <TAB> end
//! person <TAB> Reagan <TAB> =Ronald Reagan          (raw section: aliased values)
//! org <TAB> Counter Terrorism Service <TAB> -       (dropped)
//! person <TAB> reagan <TAB> 312 <TAB> Ronald Reagan <TAB> Reagan␟Ronald Reagan
//! person␀Reagan <TAB> person␀Ronald Reagan         (facet section)
//! org␀Counter Terrorism Service <TAB>
//! ```
//!
//! The facet section repeats the raw section as encoded facets (parts
//! separated by NUL, as Tantivy stores them), sorted by those bytes, so
//! facet counting maps a segment's terms without encoding anything.
//!
//! The stamp names the segments and alias files the index was built from; a
//! file whose stamp differs is stale and rebuilt.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::path::Path;

use tantivy::directory::{Directory, MmapDirectory, OwnedBytes};

use crate::aliases::edits::write_atomic;
use crate::aliases::table::AliasTable;
use crate::query::resolve::{EntityType, EntityValue, name_words};

const MAGIC: &str = "newsdex-names";
const VERSION: &str = "2";
/// Separates the indexed values a canonical value stands for.
const SEP: char = '\u{1f}';

/// What an indexed value became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mapped {
    Same,
    To(String),
    Dropped,
}

pub struct NameIndex {
    /// The whole file, memory-mapped (or built in memory).
    bytes: OwnedBytes,
    raw: Range<usize>,
    words: Range<usize>,
    facets: Range<usize>,
    stamp: String,
}

/// A value as Tantivy encodes its facet: type and path parts, NUL-separated.
pub fn encoded_facet(kind: EntityType, path: &[String]) -> Vec<u8> {
    let mut out = kind.name().as_bytes().to_vec();
    for part in path {
        out.push(0);
        out.extend_from_slice(part.as_bytes());
    }
    out
}

fn kind_of(name: &str) -> Option<EntityType> {
    EntityType::ALL.into_iter().find(|k| k.name() == name)
}

fn display(kind: EntityType, path: &[String]) -> String {
    if kind == EntityType::Place {
        path.join(" / ")
    } else {
        path.join(" ")
    }
}

/// Whether a name can be written on one line of the file.
fn writable(name: &str) -> bool {
    !name.contains(['\t', '\n', '\r', SEP])
}

/// The words a value is found by: its own and its aliases' words, and for
/// organizations their acronyms ("opec").
fn index_words(kind: EntityType, names: &[String], out: &mut BTreeSet<String>) {
    for name in names {
        let words = name_words(name);
        if kind == EntityType::Org
            && let Some(acronym) = acronym(&words)
        {
            out.insert(acronym);
        }
        out.extend(words);
    }
}

/// Initials of the significant words of a name of two or more of them.
pub fn acronym(words: &[String]) -> Option<String> {
    const SKIP: &[&str] = &[
        "of", "the", "and", "for", "on", "de", "la", "des", "du", "s",
    ];
    let significant: Vec<&String> = words
        .iter()
        .filter(|w| !SKIP.contains(&w.as_str()))
        .collect();
    (significant.len() >= 2).then(|| {
        significant
            .iter()
            .filter_map(|w| w.chars().next())
            .collect()
    })
}

impl NameIndex {
    /// Builds the index of `raw` (every indexed value with its article
    /// count) under an alias table. `count_union` gives the articles of a
    /// canonical value that stands for several indexed ones (an article
    /// with two of them counts once).
    pub fn build(
        raw: &[EntityValue],
        table: &AliasTable,
        count_union: &mut dyn FnMut(&[&EntityValue]) -> u64,
        stamp: &str,
    ) -> NameIndex {
        let mut raw_lines: Vec<String> = Vec::new();
        let mut facet_lines: Vec<Vec<u8>> = Vec::new();
        let mut groups: HashMap<(EntityType, Vec<String>), Vec<&EntityValue>> = HashMap::new();
        for value in raw {
            if !value.path.iter().all(|p| writable(p)) {
                continue;
            }
            let own = display(value.kind, &value.path);
            let encoded = encoded_facet(value.kind, &value.path);
            match table.canonical(value.kind, &value.path) {
                None => {
                    raw_lines.push(format!("{}\t{own}\t-", value.kind.name()));
                    facet_lines.push([encoded, b"\t".to_vec()].concat());
                }
                Some(canonical) => {
                    if canonical != value.path && canonical.iter().all(|p| writable(p)) {
                        raw_lines.push(format!(
                            "{}\t{own}\t={}",
                            value.kind.name(),
                            display(value.kind, &canonical)
                        ));
                        facet_lines.push(
                            [
                                encoded,
                                b"\t".to_vec(),
                                encoded_facet(value.kind, &canonical),
                            ]
                            .concat(),
                        );
                        groups
                            .entry((value.kind, canonical))
                            .or_default()
                            .push(value);
                    } else {
                        groups
                            .entry((value.kind, value.path.clone()))
                            .or_default()
                            .push(value);
                    }
                }
            }
        }
        let mut word_lines: Vec<String> = Vec::new();
        let mut keys: Vec<&(EntityType, Vec<String>)> = groups.keys().collect();
        keys.sort();
        for key in keys {
            let (kind, path) = key;
            let members = &groups[key];
            let articles = match members.as_slice() {
                [one] => one.articles,
                several => count_union(several),
            };
            let canonical = display(*kind, path);
            let raws: Vec<String> = members.iter().map(|m| display(*kind, &m.path)).collect();
            let raws_field = if raws.len() == 1 && raws[0] == canonical {
                String::new()
            } else {
                raws.join(&SEP.to_string())
            };
            let mut words = BTreeSet::new();
            let mut names = vec![canonical.clone()];
            names.extend(raws.iter().cloned());
            if *kind == EntityType::Place {
                // "Iraq Basra" finds Basra in Iraq.
                let joined: Vec<String> = names.iter().map(|n| n.replace(" / ", " ")).collect();
                index_words(*kind, &joined, &mut words);
            } else {
                index_words(*kind, &names, &mut words);
            }
            for word in words {
                word_lines.push(format!(
                    "{}\t{word}\t{articles}\t{canonical}\t{raws_field}",
                    kind.name()
                ));
            }
        }
        raw_lines.sort_unstable();
        word_lines.sort_unstable();
        facet_lines.sort_unstable();
        let raw_text: String = raw_lines.iter().map(|l| format!("{l}\n")).collect();
        let word_text: String = word_lines.iter().map(|l| format!("{l}\n")).collect();
        let facet_bytes: Vec<u8> = facet_lines
            .iter()
            .flat_map(|l| l.iter().copied().chain(std::iter::once(b'\n')))
            .collect();
        // The header's offsets count its own length; pad numbers to a fixed
        // width so the length is known before they are.
        let header = |raw: usize, words: usize, facets: usize, end: usize| {
            format!(
                "{MAGIC}\t{VERSION}\t{stamp}\t{raw:020}\t{words:020}\t{facets:020}\t{end:020}\n"
            )
        };
        let raw_start = header(0, 0, 0, 0).len();
        let words_start = raw_start + raw_text.len();
        let facets_start = words_start + word_text.len();
        let end = facets_start + facet_bytes.len();
        let mut bytes = header(raw_start, words_start, facets_start, end).into_bytes();
        bytes.extend_from_slice(raw_text.as_bytes());
        bytes.extend_from_slice(word_text.as_bytes());
        bytes.extend_from_slice(&facet_bytes);
        NameIndex {
            bytes: OwnedBytes::new(bytes),
            raw: raw_start..words_start,
            words: words_start..facets_start,
            facets: facets_start..end,
            stamp: stamp.to_string(),
        }
    }

    /// Opens the file if it exists, is whole and carries `stamp`.
    pub fn open(path: &Path, stamp: &str) -> Option<NameIndex> {
        let dir = MmapDirectory::open(path.parent()?).ok()?;
        let slice = dir.open_read(Path::new(path.file_name()?)).ok()?;
        let bytes = slice.read_bytes().ok()?;
        let (sections, found) = parse_header(bytes.as_slice())?;
        let [raw, words, facets] = sections;
        (found == stamp).then(|| NameIndex {
            bytes,
            raw,
            words,
            facets,
            stamp: stamp.to_string(),
        })
    }

    /// Writes the index atomically.
    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        write_atomic(path, self.bytes.as_slice())
    }

    pub fn stamp(&self) -> &str {
        &self.stamp
    }

    fn region(&self, range: &Range<usize>) -> &[u8] {
        &self.bytes.as_slice()[range.clone()]
    }

    /// The facet section: `encoded facet TAB encoded canonical` lines
    /// (empty canonical: dropped), sorted, sharing the file's bytes.
    pub fn facet_section(&self) -> OwnedBytes {
        self.bytes.slice(self.facets.clone())
    }

    /// What an indexed value (by its display name) became.
    pub fn mapped(&self, kind: EntityType, raw: &str) -> Mapped {
        let prefix = format!("{}\t{raw}\t", kind.name());
        let found = lines_with_prefix(self.region(&self.raw), prefix.as_bytes()).next();
        match found.map(|line| &line[prefix.len()..]) {
            None => Mapped::Same,
            Some(b"-") => Mapped::Dropped,
            Some(rest) => {
                Mapped::To(String::from_utf8_lossy(rest.get(1..).unwrap_or(b"")).into_owned())
            }
        }
    }

    /// Every aliased indexed value: (type, value, what it became).
    pub fn aliased(&self) -> Vec<(EntityType, String, Mapped)> {
        let mut out = Vec::new();
        for line in self.region(&self.raw).split(|b| *b == b'\n') {
            let line = String::from_utf8_lossy(line);
            let mut cols = line.splitn(3, '\t');
            let (Some(kind), Some(raw), Some(to)) = (cols.next(), cols.next(), cols.next()) else {
                continue;
            };
            let Some(kind) = kind_of(kind) else { continue };
            let mapped = match to.strip_prefix('=') {
                Some(target) => Mapped::To(target.to_string()),
                None => Mapped::Dropped,
            };
            out.push((kind, raw.to_string(), mapped));
        }
        out
    }

    /// Canonical values having a word equal to `word` (or starting with it,
    /// when `prefix`), each once.
    pub fn with_word(&self, kind: EntityType, word: &str, prefix: bool) -> Vec<EntityValue> {
        let key = if prefix {
            format!("{}\t{word}", kind.name())
        } else {
            format!("{}\t{word}\t", kind.name())
        };
        let mut seen = BTreeSet::new();
        lines_with_prefix(self.region(&self.words), key.as_bytes())
            .filter_map(parse_word_line)
            .filter(|(_, v)| seen.insert(v.name.clone()))
            .map(|(_, v)| v)
            .collect()
    }

    /// Every word line of a type: (word, value), for "did you mean".
    pub fn words_of(&self, kind: EntityType) -> Vec<(String, EntityValue)> {
        let key = format!("{}\t", kind.name());
        lines_with_prefix(self.region(&self.words), key.as_bytes())
            .filter_map(parse_word_line)
            .collect()
    }
}

/// The three sections' ranges and the stamp, if the header is whole and
/// agrees with the file's length.
fn parse_header(bytes: &[u8]) -> Option<([Range<usize>; 3], String)> {
    let end = memchr::memchr(b'\n', bytes)?;
    let header = std::str::from_utf8(&bytes[..end]).ok()?;
    let cols: Vec<&str> = header.split('\t').collect();
    if cols.len() != 7 || cols[0] != MAGIC || cols[1] != VERSION {
        return None;
    }
    let n = |i: usize| cols[i].parse::<usize>().ok();
    let (raw, words, facets, stop) = (n(3)?, n(4)?, n(5)?, n(6)?);
    (raw == end + 1 && raw <= words && words <= facets && facets <= stop && stop == bytes.len())
        .then(|| {
            (
                [raw..words, words..facets, facets..stop],
                cols[2].to_string(),
            )
        })
}

fn parse_word_line(line: &[u8]) -> Option<(String, EntityValue)> {
    let line = std::str::from_utf8(line).ok()?;
    let mut cols = line.split('\t');
    let kind = kind_of(cols.next()?)?;
    let word = cols.next()?.to_string();
    let articles = cols.next()?.parse().ok()?;
    let canonical = cols.next()?;
    let raws = cols.next().unwrap_or("");
    let path = crate::aliases::table::path_of(kind, canonical);
    let mut value = EntityValue::new(kind, path, articles);
    if !raws.is_empty() {
        value.raw = raws
            .split(SEP)
            .map(|r| crate::aliases::table::path_of(kind, r))
            .collect();
        value.aliases = raws
            .split(SEP)
            .filter(|r| *r != canonical)
            .map(str::to_string)
            .collect();
    }
    Some((word, value))
}

/// The lines of a sorted region that start with `prefix`, by binary search.
fn lines_with_prefix<'a>(region: &'a [u8], prefix: &'a [u8]) -> impl Iterator<Item = &'a [u8]> {
    let line_end =
        |start: usize| memchr::memchr(b'\n', &region[start..]).map_or(region.len(), |i| start + i);
    let (mut lo, mut hi) = (0, region.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let start = memchr::memrchr(b'\n', &region[..mid])
            .map_or(0, |i| i + 1)
            .max(lo);
        let end = line_end(start);
        if &region[start..end] < prefix {
            lo = end + 1;
        } else {
            hi = start;
        }
    }
    let mut at = lo.min(region.len());
    std::iter::from_fn(move || {
        if at >= region.len() {
            return None;
        }
        let end = line_end(at);
        let line = &region[at..end];
        at = end + 1;
        line.starts_with(prefix).then_some(line)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aliases::edits::{Action, Edit};

    #[test]
    fn binary_search_finds_every_line_with_a_prefix() {
        let region = b"a\t1\nab\t2\nab\t3\nb\t4\nba\t5\n";
        let found = |p: &str| -> Vec<String> {
            lines_with_prefix(region, p.as_bytes())
                .map(|l| String::from_utf8_lossy(l).into_owned())
                .collect()
        };
        assert_eq!(found("ab\t"), ["ab\t2", "ab\t3"]);
        assert_eq!(found("a"), ["a\t1", "ab\t2", "ab\t3"]);
        assert_eq!(found("b\t"), ["b\t4"]);
        assert_eq!(found("c"), Vec::<String>::new());
        assert_eq!(found(""), found("").into_iter().collect::<Vec<_>>());
        assert_eq!(found("").len(), 5);
    }

    #[test]
    fn built_index_maps_raw_values_and_finds_words() {
        let raw = vec![
            EntityValue::new(EntityType::Person, vec!["Reagan".into()], 297),
            EntityValue::new(EntityType::Person, vec!["Ronald Reagan".into()], 15),
            EntityValue::new(EntityType::Org, vec!["Counter Terrorism Service".into()], 2),
            EntityValue::new(
                EntityType::Org,
                vec!["Organization of the Petroleum Exporting Countries".into()],
                92,
            ),
        ];
        let edit = Edit::new;
        let table = AliasTable::new(
            &[edit(
                Action::Drop,
                EntityType::Org,
                "counter terrorism service",
                None,
            )],
            &[edit(
                Action::Merge,
                EntityType::Person,
                "Reagan",
                Some("Ronald Reagan"),
            )],
        )
        .unwrap();
        let built = NameIndex::build(
            &raw,
            &table,
            &mut |m| m.iter().map(|v| v.articles).sum::<u64>() - 1,
            "s1",
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("names.idx");
        built.save(&path).unwrap();
        assert!(NameIndex::open(&path, "other").is_none(), "stale stamp");
        let names = NameIndex::open(&path, "s1").unwrap();
        assert_eq!(
            names.mapped(EntityType::Person, "Reagan"),
            Mapped::To("Ronald Reagan".into())
        );
        assert_eq!(
            names.mapped(EntityType::Person, "Ronald Reagan"),
            Mapped::Same
        );
        assert_eq!(
            names.mapped(EntityType::Org, "Counter Terrorism Service"),
            Mapped::Dropped
        );
        let reagan = names.with_word(EntityType::Person, "reagan", false);
        assert_eq!(reagan.len(), 1);
        assert_eq!(reagan[0].name, "Ronald Reagan");
        assert_eq!(reagan[0].articles, 311);
        assert_eq!(reagan[0].aliases, ["Reagan"]);
        let opec = names.with_word(EntityType::Org, "opec", false);
        assert_eq!(opec[0].articles, 92);
        assert!(
            names
                .with_word(EntityType::Org, "counter", false)
                .is_empty()
        );
        assert_eq!(names.with_word(EntityType::Person, "rea", true).len(), 1);
    }
}
