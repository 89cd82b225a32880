//! Gazetteers: places, country aliases and demonyms, organizations, person
//! titles, given names and surnames, the stop-list, org head words, and a
//! token-sequence matcher over all of them.
//!
//! The matcher works on token hashes rather than bytes: every name is
//! tokenized with the tagger's own tokenizer and stored as the hash of its
//! folded token sequence (with all its prefixes), so a match is token-aligned
//! by construction, costs one hash probe for most tokens, and the tables build
//! in a few tens of milliseconds at load. Owns the data files' parsing; does
//! not decide entity types (the pipeline does).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::Read;

use anyhow::Context;

use super::tokenize::{Token, tokenize};

/// Gazetteer categories: the kind of name an entry is ([`Ref::cat`]); bit
/// masks of them are indexed by the discriminant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Cat {
    Country = 0,
    Demonym = 1,
    Region = 2,
    City = 3,
    Org = 4,
    Title = 5,
    First = 6,
    Last = 7,
    Stop = 8,
    Head = 9,
}

pub const N_CATS: usize = 10;

/// What a gazetteer name refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ref {
    Country(u16),
    Demonym(u16),
    Region(u32),
    City(u32),
    Org(u32),
    Plain(Cat),
}

impl Ref {
    /// Whether it names a place of the hierarchy (country, region, city).
    pub fn is_place(self) -> bool {
        matches!(self, Ref::Country(_) | Ref::Region(_) | Ref::City(_))
    }

    pub fn cat(self) -> Cat {
        match self {
            Ref::Country(_) => Cat::Country,
            Ref::Demonym(_) => Cat::Demonym,
            Ref::Region(_) => Cat::Region,
            Ref::City(_) => Cat::City,
            Ref::Org(_) => Cat::Org,
            Ref::Plain(c) => c,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    what: Ref,
    /// Acronyms ("US", "PMF") match only when written in capitals.
    upper_only: bool,
    /// Acronyms in mixed case ("LeT", "MoD") match only as written, so that
    /// "Let's" is no armed group: index into `Gazetteer::cased`, or `NO_CASE`.
    cased: u32,
}

const NO_CASE: u32 = u32::MAX;

/// A short one-word alias with a capital after a lower-case letter ("LeT",
/// "JeM"): an acronym whose letters are also an ordinary word.
fn is_mixed_case_acronym(name: &str) -> bool {
    name.len() <= 5
        && !name.contains(' ')
        && name
            .chars()
            .zip(name.chars().skip(1))
            .any(|(a, b)| a.is_lowercase() && b.is_uppercase())
}

#[derive(Debug, Clone, Copy, Default)]
struct Node {
    /// Some longer name starts with this token sequence.
    prefix: bool,
    first: u32,
    len: u32,
}

#[derive(Debug, Clone)]
pub struct Country {
    pub iso: String,
    pub name: String,
    pub population: u64,
}

#[derive(Debug, Clone)]
pub struct Region {
    pub country: u16,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct City {
    pub name: String,
    pub country: u16,
    pub region: Option<u32>,
    pub population: u64,
    /// A national capital: it beats its namesakes.
    pub capital: bool,
    /// [`Gazetteer::name_key`] of its primary name, to tell a match on the
    /// name from one on an alternate name.
    pub key: u64,
}

/// A match of a gazetteer name on tokens `start..end`.
#[derive(Debug, Clone, Copy)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    pub what: Ref,
}

/// Hasher for keys that are already hashes.
#[derive(Default)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub type IdMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;

pub const SEQ_SEED: u64 = 0x9e37_79b9_7f4a_7c15;

/// Extends a token-sequence hash by one token hash.
#[inline]
pub fn seq_hash(prev: u64, token: u64) -> u64 {
    (prev.rotate_left(23) ^ token).wrapping_mul(0x2545_f491_4f6c_dd1d)
}

/// Hash of a token folded to lower-case ASCII (diacritics transliterated,
/// curly apostrophes straight), with no allocation.
pub fn word_hash(word: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut push = |b: u8| {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    };
    for c in word.chars() {
        if c.is_ascii() {
            push(c.to_ascii_lowercase() as u8);
        } else if matches!(c, '’' | 'ʼ' | '‘') {
            push(b'\'');
        } else if let Some(s) = deunicode::deunicode_char(c) {
            for b in s.bytes() {
                push(b.to_ascii_lowercase());
            }
        }
    }
    h ^ (h >> 29)
}

/// All gazetteers, loaded once and shared read-only.
pub struct Gazetteer {
    nodes: IdMap<Node>,
    entries: Vec<Entry>,
    max_len: usize,
    pub countries: Vec<Country>,
    pub regions: Vec<Region>,
    pub cities: Vec<City>,
    /// Canonical organization names.
    pub orgs: Vec<String>,
    /// Aliases matched only as written (see `Entry::cased`).
    cased: Vec<String>,
}

/// The names of one entry, gathered before they go into the table.
struct Builder {
    names: IdMap<(bool, Vec<Entry>)>,
    cased: Vec<String>,
    max_len: usize,
    toks: Vec<Token>,
}

impl Builder {
    /// [`Gazetteer::name_key`] of a name written as text.
    fn key(&mut self, name: &str) -> u64 {
        self.toks.clear();
        tokenize(name, &mut self.toks);
        self.toks
            .iter()
            .fold(SEQ_SEED, |h, t| seq_hash(h, word_hash(t.text(name))))
    }

    fn add(&mut self, name: &str, what: Ref) {
        let name = name.trim();
        if name.is_empty() {
            return;
        }
        self.toks.clear();
        tokenize(name, &mut self.toks);
        if self.toks.is_empty() {
            return;
        }
        let upper_only = name.len() <= 5
            && name.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && name
                .chars()
                .all(|c| c.is_uppercase() || c == '.' || c.is_ascii_digit() || c == '-');
        let cased = if matches!(what, Ref::Org(_)) && is_mixed_case_acronym(name) {
            self.cased.push(name.to_string());
            (self.cased.len() - 1) as u32
        } else {
            NO_CASE
        };
        let mut h = SEQ_SEED;
        let n = self.toks.len();
        self.max_len = self.max_len.max(n);
        for (i, t) in self.toks.iter().enumerate() {
            h = seq_hash(h, word_hash(t.text(name)));
            let slot = self.names.entry(h).or_insert((false, Vec::new()));
            if i + 1 < n {
                slot.0 = true;
            } else if !slot
                .1
                .iter()
                .any(|e| e.what == what && e.upper_only == upper_only && e.cased == cased)
            {
                slot.1.push(Entry {
                    what,
                    upper_only,
                    cased,
                });
            }
        }
    }
}

fn gunzip(bytes: &[u8]) -> anyhow::Result<String> {
    let mut out = String::new();
    flate2::read::GzDecoder::new(bytes).read_to_string(&mut out)?;
    Ok(out)
}

fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    // Only a carriage return is trimmed: empty trailing fields keep their tab.
    text.lines()
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

/// The compiled-in data files.
pub struct Sources<'a> {
    pub places_gz: &'a [u8],
    pub names_gz: &'a [u8],
    pub orgs: &'a str,
    pub titles: &'a str,
    pub stoplist: &'a str,
    pub headwords: &'a str,
}

impl Gazetteer {
    pub fn load(src: &Sources) -> anyhow::Result<Gazetteer> {
        let mut b = Builder {
            names: IdMap::default(),
            cased: Vec::new(),
            max_len: 1,
            toks: Vec::new(),
        };
        let mut countries = Vec::new();
        let mut regions = Vec::new();
        let mut cities = Vec::new();
        let mut orgs = Vec::new();
        let places = gunzip(src.places_gz).context("places.tsv.gz")?;
        let mut country_ix: HashMap<String, u16> = HashMap::new();
        let mut region_ix: HashMap<String, u32> = HashMap::new();
        for line in data_lines(&places) {
            let f: Vec<&str> = line.split('\t').collect();
            match f.as_slice() {
                ["C", iso, name, pop, aliases, demonyms] => {
                    let ix = countries.len() as u16;
                    country_ix.insert(iso.to_string(), ix);
                    countries.push(Country {
                        iso: iso.to_string(),
                        name: name.to_string(),
                        population: pop.parse().unwrap_or(0),
                    });
                    b.add(name, Ref::Country(ix));
                    for a in aliases.split('|') {
                        b.add(a, Ref::Country(ix));
                    }
                    for d in demonyms.split('|') {
                        b.add(d, Ref::Demonym(ix));
                    }
                }
                ["R", code, name, aliases, ..] => {
                    let Some(&country) = code.split('.').next().and_then(|c| country_ix.get(c))
                    else {
                        continue;
                    };
                    let ix = regions.len() as u32;
                    region_ix.insert(code.to_string(), ix);
                    regions.push(Region {
                        country,
                        name: name.to_string(),
                    });
                    if f.get(4).is_none_or(|x| *x != "display") {
                        b.add(name, Ref::Region(ix));
                    }
                    for a in aliases.split('|') {
                        b.add(a, Ref::Region(ix));
                    }
                }
                ["T", name, cc, admin1, pop, aliases, rest @ ..] => {
                    let Some(&country) = country_ix.get(*cc) else {
                        continue;
                    };
                    let flags = rest.first().copied().unwrap_or("");
                    let flag = |f: &str| flags.split(',').any(|x| x == f);
                    let ix = cities.len() as u32;
                    cities.push(City {
                        name: name.to_string(),
                        country,
                        region: region_ix.get(&format!("{cc}.{admin1}")).copied(),
                        population: pop.parse().unwrap_or(0),
                        capital: flag("capital"),
                        key: b.key(name),
                    });
                    // A town named like a continent or a country is listed
                    // (for paths) but not matched in text.
                    if !flag("display") {
                        b.add(name, Ref::City(ix));
                    }
                    for a in aliases.split('|') {
                        b.add(a, Ref::City(ix));
                    }
                }
                _ => {}
            }
        }
        let names = gunzip(src.names_gz).context("names.tsv.gz")?;
        for line in data_lines(&names) {
            match line.split_once('\t') {
                Some(("F", n)) => b.add(n, Ref::Plain(Cat::First)),
                Some(("L", n)) => b.add(n, Ref::Plain(Cat::Last)),
                _ => {}
            }
        }
        for line in data_lines(src.orgs) {
            let (canonical, aliases) = line.split_once('\t').unwrap_or((line, ""));
            let ix = orgs.len() as u32;
            orgs.push(canonical.to_string());
            b.add(canonical, Ref::Org(ix));
            for a in aliases.split('|') {
                b.add(a, Ref::Org(ix));
            }
        }
        for line in data_lines(src.titles) {
            b.add(line, Ref::Plain(Cat::Title));
        }
        for line in data_lines(src.stoplist) {
            b.add(line, Ref::Plain(Cat::Stop));
        }
        for line in data_lines(src.headwords) {
            b.add(line, Ref::Plain(Cat::Head));
        }

        let mut nodes = IdMap::default();
        nodes.reserve(b.names.len());
        let mut entries = Vec::new();
        for (h, (prefix, list)) in b.names {
            let first = entries.len() as u32;
            entries.extend_from_slice(&list);
            nodes.insert(
                h,
                Node {
                    prefix,
                    first,
                    len: list.len() as u32,
                },
            );
        }
        Ok(Gazetteer {
            nodes,
            entries,
            max_len: b.max_len,
            countries,
            regions,
            cities,
            orgs,
            cased: b.cased,
        })
    }

    /// Appends every gazetteer match over `words` (token texts with their
    /// precomputed [`word_hash`]es) to `out`. Proper-name categories need a
    /// capitalized first token; acronyms need capitals.
    pub fn find(&self, words: &[&str], hashes: &[u64], out: &mut Vec<Match>) {
        for i in 0..words.len() {
            let mut h = SEQ_SEED;
            let first_upper = words[i]
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
            for j in i..words.len().min(i + self.max_len) {
                h = seq_hash(h, hashes[j]);
                let Some(node) = self.nodes.get(&h) else {
                    break;
                };
                for e in &self.entries[node.first as usize..(node.first + node.len) as usize] {
                    let proper = !matches!(
                        e.what,
                        Ref::Plain(Cat::Title) | Ref::Plain(Cat::Stop) | Ref::Plain(Cat::Head)
                    );
                    if proper && !first_upper {
                        continue;
                    }
                    if e.cased != NO_CASE && (j > i || words[i] != self.cased[e.cased as usize]) {
                        continue;
                    }
                    if e.upper_only
                        && !words[i..=j]
                            .iter()
                            .all(|w| w.chars().all(|c| !c.is_lowercase()))
                    {
                        continue;
                    }
                    out.push(Match {
                        start: i,
                        end: j + 1,
                        what: e.what,
                    });
                }
                if !node.prefix {
                    break;
                }
            }
        }
    }

    /// The folded key of a token sequence: equal for two spellings that
    /// differ only in case and diacritics.
    pub fn name_key(words: &[&str]) -> u64 {
        words
            .iter()
            .fold(SEQ_SEED, |h, w| seq_hash(h, word_hash(w)))
    }

    /// Entries whose whole name is exactly `words`.
    pub fn lookup(&self, words: &[&str], out: &mut Vec<Ref>) {
        let mut h = SEQ_SEED;
        for w in words {
            h = seq_hash(h, word_hash(w));
        }
        if let Some(node) = self.nodes.get(&h) {
            out.extend(
                self.entries[node.first as usize..(node.first + node.len) as usize]
                    .iter()
                    .map(|e| e.what),
            );
        }
    }
}
