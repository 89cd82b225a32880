//! The archive generator: new articles assembled from real paragraphs of the
//! BBC and Reuters-21578 corpora in `../shared/corpora/`, deterministic from a
//! seed.
//!
//! Every figure measured on such an archive is "generated from real
//! articles": the words and paragraphs are real news prose, their
//! combinations, dates, sources and file layout are not. The corpora are not
//! redistributable, so the archive is written outside the repository and
//! nothing generated from it is ever committed.
//!
//! An article takes a real headline and up to three opening paragraphs of the
//! same story, then real paragraphs drawn from the whole pool (at least one,
//! so no two articles are the same) until it reaches a length spread around
//! 500–800 words. Dates spread uniformly over
//! 1985–2025. Files mix the formats the indexer reads: `.txt` in dated
//! folders, `.jsonl` feeds, `.json` arrays and single objects, gzipped feeds
//! and texts; about 2% of articles are also written a second time elsewhere,
//! as real archives hold duplicates.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{DateTime, Datelike, TimeZone, Utc};
use flate2::Compression;
use flate2::write::GzEncoder;
use serde::Serialize;

/// Bumped whenever the output for a given seed changes.
pub const GENERATOR_VERSION: u32 = 2;

/// Publishers the generated articles are attributed to: invented names, so
/// no real outlet is credited with text it did not publish in this shape.
const SOURCES: &[&str] = &[
    "World Wire",
    "Daily Ledger",
    "Evening Courier",
    "Capital Dispatch",
    "Harbour Times",
    "Pacific Bulletin",
    "Metro Herald",
    "The Continental",
    "Northern Review",
    "Market Monitor",
];

/// Articles per `.jsonl` feed file and per `.json` array file.
const FEED_ARTICLES: usize = 200;
const ARRAY_ARTICLES: usize = 20;

/// Share of articles also written a second time (a duplicate).
const DUPLICATE_PER_MILLE: u64 = 20;

/// A small, fast, seedable generator (SplitMix64): the archive must be the
/// same on every machine for a given seed, whatever `rand` version is around.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    pub fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }
}

/// One real story: its headline and paragraphs (at least one).
struct Story {
    title: String,
    paragraphs: Vec<u32>,
}

/// The real material articles are assembled from.
pub struct Pool {
    paragraphs: Vec<String>,
    words: Vec<u32>,
    stories: Vec<Story>,
}

impl Pool {
    /// Reads every BBC `.txt` and Reuters `.sgm` file under `corpora` with the
    /// indexer's own readers.
    pub fn load(corpora: &Path) -> anyhow::Result<Pool> {
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(corpora)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .filter(|p| {
                let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
                let readme = p
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.to_ascii_lowercase().starts_with("readme"));
                (ext == "txt" || ext == "sgm") && !readme
            })
            .collect();
        files.sort();
        let mut pool = Pool {
            paragraphs: Vec::new(),
            words: Vec::new(),
            stories: Vec::new(),
        };
        for path in &files {
            let Ok(read) = newsdex::ingest::read_file(path) else {
                continue;
            };
            for article in read.articles {
                let mut story = Story {
                    title: article.title.trim().to_string(),
                    paragraphs: Vec::new(),
                };
                for paragraph in article.body {
                    let words = paragraph.split_whitespace().count();
                    if words < 8 {
                        continue;
                    }
                    story.paragraphs.push(pool.paragraphs.len() as u32);
                    pool.words.push(words as u32);
                    pool.paragraphs.push(paragraph);
                }
                if !story.title.is_empty() && !story.paragraphs.is_empty() {
                    pool.stories.push(story);
                }
            }
        }
        anyhow::ensure!(
            pool.stories.len() >= 100,
            "{}: found only {} usable stories",
            corpora.display(),
            pool.stories.len()
        );
        Ok(pool)
    }

    pub fn stories(&self) -> usize {
        self.stories.len()
    }

    pub fn paragraphs(&self) -> usize {
        self.paragraphs.len()
    }

    /// Article `n` of the archive for `seed`: the same whatever else is made.
    fn article(&self, seed: u64, n: u64) -> Generated<'_> {
        let mut rng = Rng::new(seed.wrapping_mul(0x100_0000_01B3) ^ n);
        let story = &self.stories[rng.index(self.stories.len())];
        // Sum of three uniforms: a bell around 650 words, mostly 500–800.
        let target = 350 + (0..3).map(|_| rng.below(201)).sum::<u64>() as u32;
        let mut paragraphs: Vec<u32> = Vec::new();
        let mut words = story.title.split_whitespace().count() as u32;
        for &p in story.paragraphs.iter().take(3) {
            paragraphs.push(p);
            words += self.words[p as usize];
        }
        // At least one drawn paragraph: a story whose opening alone reaches
        // the target would otherwise give identical articles, which newsdex
        // rightly indexes once.
        let opening = paragraphs.len();
        while words < target || paragraphs.len() == opening {
            let p = rng.index(self.paragraphs.len()) as u32;
            if paragraphs.contains(&p) {
                continue;
            }
            paragraphs.push(p);
            words += self.words[p as usize];
        }
        let start = Utc
            .with_ymd_and_hms(1985, 1, 1, 0, 0, 0)
            .single()
            .expect("valid date")
            .timestamp();
        let end = Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .expect("valid date")
            .timestamp();
        let secs = start + rng.below((end - start) as u64) as i64;
        let published = Utc.timestamp_opt(secs, 0).single().expect("valid date");
        let source = SOURCES[rng.index(SOURCES.len())];
        Generated {
            n,
            title: &story.title,
            paragraphs: paragraphs
                .iter()
                .map(|&p| self.paragraphs[p as usize].as_str())
                .collect(),
            published,
            source,
            words,
        }
    }
}

struct Generated<'a> {
    n: u64,
    title: &'a str,
    paragraphs: Vec<&'a str>,
    published: DateTime<Utc>,
    source: &'static str,
    words: u32,
}

/// The JSON shape of a crawler's record (`schema/article-input.schema.json`).
#[derive(Serialize)]
struct JsonArticle<'a> {
    title: &'a str,
    text: String,
    date: String,
    source: &'a str,
    url: String,
}

impl Generated<'_> {
    fn text_file(&self) -> String {
        let mut out = String::with_capacity(self.words as usize * 7);
        out.push_str(self.title);
        out.push_str("\n\n");
        for p in &self.paragraphs {
            out.push_str(p);
            out.push_str("\n\n");
        }
        out
    }

    fn json(&self) -> JsonArticle<'_> {
        let slug = self.source.to_ascii_lowercase().replace(' ', "-");
        JsonArticle {
            title: self.title,
            text: self.paragraphs.join("\n\n"),
            date: self.published.to_rfc3339(),
            source: self.source,
            url: format!(
                "https://{slug}.example/{}/{:08}",
                self.published.year(),
                self.n
            ),
        }
    }

    fn dated_dir(&self) -> String {
        let d = self.published;
        format!("{:04}/{:02}/{:02}", d.year(), d.month(), d.day())
    }
}

/// What was written, for the report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ArchiveInfo {
    pub seed: u64,
    pub generator_version: u32,
    /// Distinct articles.
    pub articles: u64,
    /// Articles written twice.
    pub duplicates: u64,
    pub files: u64,
    /// Bytes on disk (gzipped files counted compressed).
    pub bytes: u64,
    /// Bytes of text once decompressed.
    pub text_bytes: u64,
    pub words: u64,
    pub files_by_format: std::collections::BTreeMap<String, u64>,
    /// The plain `.txt` files, which the 1% change rewrites.
    #[serde(skip)]
    pub text_files: Vec<PathBuf>,
}

/// Where each article goes, drawn per article: `(format, share in percent)`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Txt,
    TxtGz,
    Jsonl,
    JsonlGz,
    JsonArray,
    JsonOne,
}

const MIX: &[(Kind, u64)] = &[
    (Kind::Txt, 40),
    (Kind::TxtGz, 5),
    (Kind::Jsonl, 30),
    (Kind::JsonlGz, 10),
    (Kind::JsonArray, 12),
    (Kind::JsonOne, 3),
];

struct Writer<'a> {
    root: &'a Path,
    info: ArchiveInfo,
    jsonl: Vec<String>,
    jsonl_gz: Vec<String>,
    array: Vec<String>,
    feeds: u64,
}

impl Writer<'_> {
    fn file(&mut self, rel: &str, bytes: &[u8], gzip: bool, format: &str) -> anyhow::Result<()> {
        let path = self.root.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).with_context(|| format!("{}", dir.display()))?;
        }
        let file = File::create(&path).with_context(|| format!("{}", path.display()))?;
        let mut out = BufWriter::new(file);
        if gzip {
            let mut gz = GzEncoder::new(out, Compression::fast());
            gz.write_all(bytes)?;
            out = gz.finish()?;
        } else {
            out.write_all(bytes)?;
        }
        out.flush()?;
        self.info.text_bytes += bytes.len() as u64;
        self.info.bytes += out.get_ref().metadata()?.len();
        self.info.files += 1;
        *self
            .info
            .files_by_format
            .entry(format.to_string())
            .or_default() += 1;
        if format == "txt" {
            self.info.text_files.push(path);
        }
        Ok(())
    }

    fn put(&mut self, kind: Kind, article: &Generated) -> anyhow::Result<()> {
        match kind {
            Kind::Txt => {
                let rel = format!("txt/{}/a{:08}.txt", article.dated_dir(), article.n);
                self.file(&rel, article.text_file().as_bytes(), false, "txt")
            }
            Kind::TxtGz => {
                let rel = format!("txt/{}/a{:08}.txt.gz", article.dated_dir(), article.n);
                self.file(&rel, article.text_file().as_bytes(), true, "txt.gz")
            }
            Kind::JsonOne => {
                let rel = format!("json/{}/a{:08}.json", article.published.year(), article.n);
                let text = serde_json::to_string_pretty(&article.json())?;
                self.file(&rel, text.as_bytes(), false, "json")
            }
            Kind::Jsonl | Kind::JsonlGz | Kind::JsonArray => {
                let line = serde_json::to_string(&article.json())?;
                let (buffer, full) = match kind {
                    Kind::Jsonl => (&mut self.jsonl, FEED_ARTICLES),
                    Kind::JsonlGz => (&mut self.jsonl_gz, FEED_ARTICLES),
                    _ => (&mut self.array, ARRAY_ARTICLES),
                };
                buffer.push(line);
                if buffer.len() >= full {
                    self.flush(kind)?;
                }
                Ok(())
            }
        }
    }

    fn flush(&mut self, kind: Kind) -> anyhow::Result<()> {
        let buffer = match kind {
            Kind::Jsonl => std::mem::take(&mut self.jsonl),
            Kind::JsonlGz => std::mem::take(&mut self.jsonl_gz),
            Kind::JsonArray => std::mem::take(&mut self.array),
            _ => return Ok(()),
        };
        if buffer.is_empty() {
            return Ok(());
        }
        self.feeds += 1;
        let n = self.feeds;
        match kind {
            Kind::Jsonl => {
                let text = buffer.join("\n") + "\n";
                self.file(
                    &format!("feeds/feed-{n:06}.jsonl"),
                    text.as_bytes(),
                    false,
                    "jsonl",
                )
            }
            Kind::JsonlGz => {
                let text = buffer.join("\n") + "\n";
                self.file(
                    &format!("feeds/feed-{n:06}.jsonl.gz"),
                    text.as_bytes(),
                    true,
                    "jsonl.gz",
                )
            }
            _ => {
                let text = format!("[\n{}\n]\n", buffer.join(",\n"));
                self.file(
                    &format!("json/batches/batch-{n:06}.json"),
                    text.as_bytes(),
                    false,
                    "json",
                )
            }
        }
    }
}

fn draw_kind(rng: &mut Rng) -> Kind {
    let total: u64 = MIX.iter().map(|(_, w)| w).sum();
    let mut pick = rng.below(total);
    for &(kind, weight) in MIX {
        if pick < weight {
            return kind;
        }
        pick -= weight;
    }
    Kind::Txt
}

/// Writes an archive of `articles` distinct articles under `root` (emptied
/// first).
pub fn generate(pool: &Pool, root: &Path, articles: u64, seed: u64) -> anyhow::Result<ArchiveInfo> {
    if root.exists() {
        fs::remove_dir_all(root).with_context(|| format!("cannot empty {}", root.display()))?;
    }
    fs::create_dir_all(root).with_context(|| format!("cannot create {}", root.display()))?;
    let mut writer = Writer {
        root,
        info: ArchiveInfo {
            seed,
            generator_version: GENERATOR_VERSION,
            articles,
            ..ArchiveInfo::default()
        },
        jsonl: Vec::new(),
        jsonl_gz: Vec::new(),
        array: Vec::new(),
        feeds: 0,
    };
    let mut layout = Rng::new(seed ^ 0x5EED);
    for n in 0..articles {
        let article = pool.article(seed, n);
        writer.info.words += article.words as u64;
        let kind = draw_kind(&mut layout);
        writer.put(kind, &article)?;
        if layout.below(1000) < DUPLICATE_PER_MILLE {
            // The copy lands in another format, as when two crawls overlap.
            let copy = if matches!(kind, Kind::Jsonl | Kind::JsonlGz) {
                Kind::JsonArray
            } else {
                Kind::Jsonl
            };
            writer.put(copy, &article)?;
            writer.info.duplicates += 1;
        }
    }
    for kind in [Kind::Jsonl, Kind::JsonlGz, Kind::JsonArray] {
        writer.flush(kind)?;
    }
    Ok(writer.info)
}

/// Rewrites enough `.txt` files to change `share_per_mille` of the archive's
/// articles (each gets one more paragraph); returns how many changed.
pub fn change(info: &ArchiveInfo, share_per_mille: u64) -> anyhow::Result<u64> {
    let wanted = (info.articles * share_per_mille / 1000).max(1) as usize;
    let files = &info.text_files;
    anyhow::ensure!(!files.is_empty(), "no .txt files to change");
    let step = (files.len() / wanted).max(1);
    let mut changed = 0;
    for path in files.iter().step_by(step).take(wanted) {
        let mut text = fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
        text.push_str(
            "This article was updated after publication to correct an earlier version.\n",
        );
        fs::write(path, text).with_context(|| format!("{}", path.display()))?;
        changed += 1;
    }
    Ok(changed)
}
