//! An indexing run: walk, read and extract in parallel, feed the writer,
//! commit periodically, and count what happened.
//!
//! Reading, cleaning and entity extraction run on a rayon pool, one file per
//! task, with no shared mutable state. Their results cross a bounded channel
//! to the one thread that owns the manifest and feeds Tantivy's own
//! multi-threaded writer, so memory stays flat however large the archive.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, UNIX_EPOCH};

use anyhow::Context;
use chrono::{DateTime, TimeZone, Utc};
use schemars::JsonSchema;
use serde::Serialize;
use tantivy::TantivyDocument;

use super::document::to_document;
use super::in_flight::InFlight;
use super::writer::Writer;
use super::{CommitInfo, Fields, IndexError, NewsIndex, consistency};
use crate::article::Article;
use crate::dups::clusterer::Clusterer;
use crate::dups::signature::Signature;
use crate::entities::Extractor;
use crate::ingest::globs::Overrides;
use crate::ingest::limits::{self, Limits};
use crate::ingest::manifest::{self, FileEntry, Id, IdChange, Manifest, Ticket};
use crate::ingest::sources::{self, FolderSources, is_under};
use crate::ingest::walk::{self, Found};
use crate::ingest::{self, Record};

/// Results in flight between the parsing pool and the writer, in files
/// or pieces of files (their memory is bounded by [`InFlight`]).
const QUEUE_FILES: usize = 64;
/// Files the walk may find ahead of the readers: enough to keep them busy
/// and the progress bar's total ahead, a few hundred bytes each.
const QUEUE_WALKED: usize = 4096;
/// Articles of one file annotated and sent at a time: a feed of millions
/// of articles goes to the writer in pieces instead of all at once.
const PIECE_ARTICLES: usize = 1024;
/// What one document costs beyond its text, roughly: its path, id, format,
/// the field table of Tantivy's document, the allocations behind them.
const DOC_OVERHEAD_BYTES: usize = 512;
/// What one entity of a document costs: its facet path and its name.
const ENTITY_BYTES: usize = 96;
/// Commit at least this often, so a killed run loses little.
const COMMIT_INTERVAL: Duration = Duration::from_secs(60);

/// How to run.
#[derive(Debug, Clone)]
pub struct Options {
    pub threads: usize,
    /// The run's budget for documents: Tantivy's indexing buffers and the
    /// annotated articles waiting for them (see [`Options::budgets`]).
    pub memory_mb: usize,
    pub prune: bool,
    pub commit_every: usize,
    pub entities: bool,
    /// The largest file and article taken on.
    pub limits: Limits,
    /// `--include` / `--exclude`: files indexed or skipped whatever they
    /// look like.
    pub overrides: Overrides,
    /// `--source`: the source of the given folders' articles that name none.
    pub source: Option<String>,
    /// The least estimated Jaccard index of shingles for an article to
    /// join another's cluster (see [`crate::dups`]).
    pub dup_threshold: f64,
    /// Whether to compute near-duplicate signatures at all (without, every
    /// article is a cluster of its own).
    pub duplicates: bool,
}

impl Options {
    /// `memory_mb` split, in bytes, between the annotated articles in flight
    /// (a quarter: they pile up when the writer is the slower side) and
    /// Tantivy's indexing buffers (three quarters of the rest: a buffer
    /// grows by about a third again while its segment is written out, as
    /// the rise and fall of the resident memory of a two-million-article
    /// feed shows, benches/results/limits.md).
    pub fn budgets(&self) -> (usize, usize) {
        let total = self.memory_mb.saturating_mul(1 << 20);
        let in_flight = total / 4;
        (in_flight, (total - in_flight) / 4 * 3)
    }
}

/// Where the run has got to, for a progress bar.
pub trait Progress: Sync {
    /// More files to read, found by the walk (which runs alongside the
    /// reading: the total grows until [`Progress::walked`]).
    fn found(&self, files: u64);
    /// The walk is over: the total is final.
    fn walked(&self);
    /// One file done, `bytes` long.
    fn file_done(&self, bytes: u64);
    /// A problem with one input, as one line ("path: reason").
    fn problem(&self, line: &str);
    fn finish(&self);
}

/// A [`Progress`] that only prints problems, to stderr.
pub struct Quiet;

impl Progress for Quiet {
    fn found(&self, _: u64) {}
    fn walked(&self) {}
    fn file_done(&self, _: u64) {}
    fn problem(&self, line: &str) {
        eprintln!("newsdex: {line}");
    }
    fn finish(&self) {}
}

/// What a run did; printed as the closing summary.
#[derive(Debug, Default, Clone, Serialize, PartialEq, JsonSchema)]
pub struct Summary {
    pub files_seen: u64,
    pub files_read: u64,
    pub files_unchanged: u64,
    pub files_skipped: u64,
    pub files_failed: u64,
    pub files_removed: u64,
    pub records_failed: u64,
    /// Records with no text at all (no title, no body): skipped, not failed.
    #[serde(default)]
    pub records_empty: u64,
    pub articles_indexed: u64,
    pub articles_duplicate: u64,
    pub articles_deleted: u64,
    pub articles_without_date: u64,
    pub articles_implausible_date: u64,
    pub articles_total: u64,
    pub bytes_read: u64,
    pub elapsed_secs: f64,
    pub articles_per_sec: f64,
    pub mb_per_sec: f64,
    pub commits: u64,
    /// Person and organization values merged into another by the
    /// automatic alias table (archive-level canonical entities).
    #[serde(default)]
    pub values_merged: u64,
}

impl Summary {
    /// Whether every input was read without a problem.
    pub fn clean(&self) -> bool {
        self.files_failed == 0 && self.records_failed == 0
    }
}

/// What the parsing pool sends the writer.
enum Message {
    /// Articles of a file still being read.
    Piece {
        key: String,
        articles: Vec<ReadArticle>,
        /// Their estimated size, counted in [`InFlight`].
        bytes: usize,
    },
    /// A file read to its end (or failed), with its last articles.
    Done(FileOutcome),
    /// From the walk: a file whose articles go (a file now skipped, when
    /// `counted`; a file whose folder's source was renamed, read again).
    Forget { key: String, counted: bool },
}

/// A file the walk found to read.
struct ToRead {
    path: PathBuf,
    key: String,
    size: u64,
    mtime: i128,
    /// Read as an article whatever it looks like (`--include`).
    forced: bool,
}

/// The walk of a run, on a thread of its own: it stats each file it finds,
/// compares it with the manifest as it was when the run began (only this
/// run's walk changes an entry after that, and only after finding its file)
/// and hands on the files to read, so no list of the archive's files is
/// ever held.
struct WalkFeed<'a> {
    paths: &'a [PathBuf],
    index_dir: &'a Path,
    options: &'a Options,
    /// Folders whose source was renamed: their files are read again.
    renamed: &'a [String],
    snapshot: manifest::Snapshot,
    progress: &'a dyn Progress,
    stopped: &'a AtomicBool,
}

/// What the walk counted.
#[derive(Default)]
struct Walked {
    seen: u64,
    skipped: u64,
    failed: u64,
    unchanged: u64,
    /// The files of the manifest found, for `--prune` only.
    found: manifest::Seen,
}

impl WalkFeed<'_> {
    fn run(
        self,
        files: &crossbeam_channel::Sender<ToRead>,
        messages: &crossbeam_channel::Sender<Message>,
    ) -> anyhow::Result<Walked> {
        let mut walked = Walked::default();
        let mut failure = None;
        let overrides = &self.options.overrides;
        walk::walk_each(self.paths, self.index_dir, overrides, &mut |found| {
            if failure.is_some() || self.stopped.load(Ordering::Relaxed) {
                return;
            }
            if let Err(err) = self.take(found, &mut walked, files, messages) {
                failure = Some(err);
            }
        });
        self.progress.walked();
        match failure {
            Some(err) => Err(err),
            None => Ok(walked),
        }
    }

    fn take(
        &self,
        found: Found,
        walked: &mut Walked,
        files: &crossbeam_channel::Sender<ToRead>,
        messages: &crossbeam_channel::Sender<Message>,
    ) -> anyhow::Result<()> {
        let (path, forced) = match found {
            Found::Error(error) => {
                self.progress.problem(&error);
                walked.failed += 1;
                return Ok(());
            }
            Found::Skipped { readable } => {
                walked.seen += 1;
                walked.skipped += 1;
                // Indexed by an earlier run that took it for an article: taken back.
                if let Some(path) = readable {
                    let key = manifest::key_of(&path);
                    if self.snapshot.get(&key)?.is_some() {
                        let _ = messages.send(Message::Forget { key, counted: true });
                    }
                }
                return Ok(());
            }
            Found::File { path, forced } => (path, forced),
        };
        walked.seen += 1;
        let key = manifest::key_of(&path);
        let (size, mtime) = stat(&path);
        let seen = self.options.prune.then_some(&mut walked.found);
        let entry = self.snapshot.find(&key, seen)?;
        let renamed = self.renamed.iter().any(|root| is_under(&key, root));
        if renamed && entry.is_some() {
            // Its articles are replaced, not kept as "held before".
            let _ = messages.send(Message::Forget {
                key: key.clone(),
                counted: false,
            });
        }
        let unchanged = !renamed && entry.is_some_and(|e| e.size == size && e.mtime == mtime);
        if unchanged {
            walked.unchanged += 1;
            return Ok(());
        }
        self.progress.found(1);
        let file = ToRead {
            path,
            key,
            size,
            mtime,
            forced,
        };
        // The readers only hang up after an error, which stops the walk too.
        let _ = files.send(file);
        Ok(())
    }
}

/// One file's worth of work from the parsing pool.
struct FileOutcome {
    path: PathBuf,
    key: String,
    size: u64,
    mtime: i128,
    result: Result<ReadArticles, ingest::ReadError>,
}

struct ReadArticles {
    articles: Vec<ReadArticle>,
    record_errors: Vec<ingest::RecordError>,
    /// Records with nothing in them.
    empty: u64,
}

impl FileOutcome {
    /// The estimated size of its articles, counted in [`InFlight`].
    fn bytes(&self) -> usize {
        self.result
            .as_ref()
            .map_or(0, |read| size_of_all(&read.articles))
    }
}

struct ReadArticle {
    /// The article's id, as the manifest holds it.
    key: Id,
    doc: TantivyDocument,
    published: Option<DateTime<Utc>>,
    /// Its estimated size in memory.
    bytes: usize,
    /// Its near-duplicate signature; `None` for a short article.
    signature: Option<Signature>,
}

fn size_of_all(articles: &[ReadArticle]) -> usize {
    articles.iter().map(|a| a.bytes).sum()
}

/// A file whose articles are being applied in pieces: what its manifest
/// entry will hold, and what it held before.
struct OpenFile {
    before: HashSet<Id>,
    ids: Vec<Id>,
    added: u64,
    /// Tells the file's repeated articles from duplicates in the manifest.
    ticket: Ticket,
}

impl OpenFile {
    fn new(manifest: &mut Manifest, key: &str) -> anyhow::Result<OpenFile> {
        Ok(OpenFile {
            before: manifest
                .get(key)?
                .map(|e| e.ids.into_iter().collect())
                .unwrap_or_default(),
            ids: Vec::new(),
            added: 0,
            ticket: manifest.ticket(),
        })
    }
}

/// The file a piece belongs to, opened at its first piece.
fn open_file<'a>(
    open: &'a mut HashMap<String, OpenFile>,
    manifest: &mut Manifest,
    key: String,
) -> anyhow::Result<&'a mut OpenFile> {
    Ok(match open.entry(key) {
        std::collections::hash_map::Entry::Occupied(file) => file.into_mut(),
        std::collections::hash_map::Entry::Vacant(vacant) => {
            let file = OpenFile::new(manifest, vacant.key())?;
            vacant.insert(file)
        }
    })
}

/// Indexes `paths` into the index at `index_dir`.
pub fn run(
    index_dir: &Path,
    paths: &[PathBuf],
    options: &Options,
    progress: &dyn Progress,
) -> anyhow::Result<Summary> {
    let started = Instant::now();
    let news = NewsIndex::open_or_create(index_dir)?;
    let (_, writer_budget) = options.budgets();
    let mut writer = Writer::open(&news, options.threads, writer_budget >> 20)?;
    let mut summary = match feed(&news, &mut writer, paths, options, progress) {
        Ok(summary) => summary,
        Err(err) => {
            // Merges may still be writing; they must end before the tidy-up.
            let _ = writer.finish();
            remove_uncommitted_files(&news);
            return Err(err);
        }
    };
    if let Err(err) = writer.finish() {
        remove_uncommitted_files(&news);
        return Err(IndexError::WriteFailed {
            path: index_dir.to_path_buf(),
            cause: err,
        }
        .into());
    }

    let reader = news.reader()?;
    summary.articles_total = reader.searcher().num_docs();
    summary.values_merged = crate::aliases::refresh(&news)
        .with_context(|| format!("{}: updating the alias table", index_dir.display()))?;
    summary.elapsed_secs = started.elapsed().as_secs_f64();
    let secs = summary.elapsed_secs.max(1e-9);
    summary.articles_per_sec = summary.articles_indexed as f64 / secs;
    summary.mb_per_sec = summary.bytes_read as f64 / 1e6 / secs;
    Ok(summary)
}

/// Everything a run writes, up to its last commit: the writer is left with
/// its merges running (the caller finishes it, or cleans up after an error).
fn feed(
    news: &NewsIndex,
    writer: &mut Writer,
    paths: &[PathBuf],
    options: &Options,
    progress: &dyn Progress,
) -> anyhow::Result<Summary> {
    let index_dir = news.dir.as_path();
    let mut clusterer = Clusterer::open(news, options.dup_threshold)?;
    let info = news.commit_info()?;
    let mut manifest = load_or_rebuild_manifest(news, info.manifest.as_deref(), progress)?;
    let mut repaired = tidy_up(news, writer, &mut manifest, progress)?;
    let extractor = if options.entities {
        Some(Extractor::load().context("cannot load the entity model")?)
    } else {
        None
    };
    let extractor_version = extractor.as_ref().map(|e| e.version().to_string());

    let mut summary = Summary::default();
    // Folder sources: a newly named or renamed one makes its files read again.
    let mut sources = FolderSources::load(index_dir)?;
    let mut renamed = Vec::new();
    if let Some(source) = &options.source {
        for root in paths {
            let key = manifest::key_of(root);
            if sources.set(key.clone(), source) {
                renamed.push(key);
            }
        }
        if !renamed.is_empty() {
            sources.save(index_dir)?;
        }
    }

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .thread_name(|i| format!("newsdex-read-{i}"))
        .build()
        .context("cannot start worker threads")?;
    let fields = news.fields;
    // From the index, not the manifest: an index whose manifest is missing
    // or unreadable still holds documents, and re-adding them must replace.
    let index_was_empty = news.reader()?.searcher().num_docs() == 0;
    let (tx, rx) = crossbeam_channel::bounded::<Message>(QUEUE_FILES);
    let (files_tx, files_rx) = crossbeam_channel::bounded::<ToRead>(QUEUE_WALKED);
    let in_flight = InFlight::new(options.budgets().0);
    let stopped = AtomicBool::new(false);
    let snapshot = manifest.snapshot();
    let mut feed_error = None;
    let walked = std::thread::scope(|scope| {
        let walker = WalkFeed {
            paths,
            index_dir,
            options,
            renamed: &renamed,
            snapshot: snapshot.clone(),
            progress,
            stopped: &stopped,
        };
        let walk_tx = tx.clone();
        let walker = scope.spawn(move || walker.run(&files_tx, &walk_tx));
        let extractor = extractor.as_ref();
        let sources = &sources;
        let limits = options.limits;
        let in_flight = &in_flight;
        let stopped = &stopped;
        let duplicates = options.duplicates;
        scope.spawn(move || {
            pool.install(|| {
                use rayon::prelude::*;
                files_rx
                    .into_iter()
                    .par_bridge()
                    .for_each_with(tx, |tx, file| {
                        if stopped.load(Ordering::Relaxed) {
                            return;
                        }
                        // A reader bug on one odd file must not stop the run.
                        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            let how = ReadAs {
                                judge: !file.forced,
                                source: sources.source_for(&file.key),
                                duplicates,
                                in_flight,
                            };
                            read_one(&fields, &file.path, &file.key, extractor, &limits, how, tx)
                        }))
                        .unwrap_or_else(|panic| {
                            Err(ingest::ReadError::Internal(panic_message(&panic)))
                        });
                        let outcome = FileOutcome {
                            path: file.path,
                            key: file.key,
                            size: file.size,
                            mtime: file.mtime,
                            result,
                        };
                        // The receiver only hangs up after an error; then stop quietly.
                        if in_flight.take(outcome.bytes()) {
                            let _ = tx.send(Message::Done(outcome));
                        }
                    });
            });
        });
        let mut since_commit = 0usize;
        let mut last_commit = Instant::now();
        let mut open = HashMap::new();
        for message in rx.iter() {
            let outcome = match message {
                Message::Forget { key, counted } => {
                    match manifest.remove(&key) {
                        Ok(gone) => {
                            for id in gone {
                                writer.delete_id(&id);
                                summary.articles_deleted += u64::from(counted);
                            }
                        }
                        Err(err) => {
                            feed_error = Some(err);
                            break;
                        }
                    }
                    continue;
                }
                Message::Piece {
                    key,
                    articles,
                    bytes,
                } => {
                    let added = open_file(&mut open, &mut manifest, key).and_then(|file| {
                        add_articles(
                            writer,
                            &mut clusterer,
                            &mut manifest,
                            file,
                            articles,
                            index_was_empty,
                            &mut summary,
                        )
                    });
                    in_flight.give_back(bytes);
                    match added {
                        Ok(added) => since_commit += added,
                        Err(err) => {
                            feed_error = Some(err);
                            break;
                        }
                    }
                    continue;
                }
                Message::Done(outcome) => outcome,
            };
            progress.file_done(outcome.size);
            summary.bytes_read += outcome.size;
            let outcome_bytes = outcome.bytes();
            let file = match open.remove(&outcome.key) {
                Some(file) => Ok(file),
                None => OpenFile::new(&mut manifest, &outcome.key),
            };
            let added = file.and_then(|file| {
                apply(
                    writer,
                    &mut clusterer,
                    &mut manifest,
                    outcome,
                    file,
                    index_was_empty,
                    &mut summary,
                    progress,
                )
            });
            let added = match added {
                Ok(added) => added,
                Err(err) => {
                    feed_error = Some(err);
                    break;
                }
            };
            in_flight.give_back(outcome_bytes);
            since_commit += added;
            // Not while a file is half applied: the manifest would not own
            // the documents of its pieces.
            let due =
                since_commit >= options.commit_every || last_commit.elapsed() >= COMMIT_INTERVAL;
            if due && open.is_empty() {
                let committed = commit(writer, &mut manifest, index_dir, &extractor_version)
                    .and_then(|()| clusterer.committed());
                if let Err(err) = committed {
                    feed_error = Some(err);
                    break;
                }
                summary.commits += 1;
                since_commit = 0;
                last_commit = Instant::now();
            }
        }
        // Dropping the receiver makes the pool's sends fail, and closing
        // the room stops its waits, so it winds down; the flag stops the
        // walk and the reading of the files it already found.
        stopped.store(true, Ordering::Relaxed);
        in_flight.close();
        drop(rx);
        walker.join()
    });
    if let Some(err) = feed_error {
        return Err(err);
    }
    let walked = walked.unwrap_or_else(|panic| {
        Err(anyhow::anyhow!(
            "the walk failed: {}",
            panic_message(&panic)
        ))
    })?;
    progress.finish();
    summary.files_failed += walked.failed;
    summary.files_skipped += walked.skipped;
    summary.files_seen = walked.seen;
    summary.files_unchanged = walked.unchanged;

    if options.prune {
        for root in paths {
            let root_key = manifest::key_of(root);
            for key in snapshot.unseen_under(&root_key, &walked.found)? {
                // Gone already (taken back by the walk, or under two roots).
                if manifest.get(&key)?.is_none() {
                    continue;
                }
                summary.files_removed += 1;
                for id in manifest.remove(&key)? {
                    writer.delete_id(&id);
                    summary.articles_deleted += 1;
                }
            }
        }
    }

    let changed = summary.articles_indexed + summary.articles_deleted > 0
        || summary.files_read > 0
        || summary.files_removed > 0
        || std::mem::take(&mut repaired);
    if changed || info.manifest.is_none() || manifest.unsaved() {
        commit(writer, &mut manifest, index_dir, &extractor_version)?;
        summary.commits += 1;
    }
    Ok(summary)
}

/// After a failed run (a full disk, most often): removes the files the last
/// commit does not use (segments written since, a manifest written for a
/// commit that failed), so the space comes back at once and nothing is left
/// behind. Best effort: the next run's [`tidy_up`] does the same.
fn remove_uncommitted_files(news: &NewsIndex) {
    // The smallest writer will do: it only collects garbage.
    if let Ok(writer) = Writer::open(news, 1, 0) {
        let _ = remove_leftovers(news, &writer);
    }
}

/// Files a killed or failed run left (Tantivy's, then newsdex's own).
/// Needs the writer: its lock keeps another run's new files safe.
fn remove_leftovers(news: &NewsIndex, writer: &Writer) -> anyhow::Result<()> {
    writer.collect_garbage();
    let manifest = news.commit_info()?.manifest;
    let strays = consistency::strays(news, manifest.as_deref())?;
    consistency::remove_strays(&strays);
    Ok(())
}

/// How to read one file.
#[derive(Clone, Copy)]
struct ReadAs<'a> {
    /// Refuse what is no article (off for files `--include` names).
    judge: bool,
    /// The source of its folder, for articles that name none.
    source: Option<&'a str>,
    /// Compute near-duplicate signatures.
    duplicates: bool,
    /// The bound on annotated articles waiting for the writer.
    in_flight: &'a InFlight,
}

/// Reads, cleans and annotates one file; runs on the pool. Articles are
/// annotated in pieces of [`PIECE_ARTICLES`], in parallel (a feed of
/// thousands of articles would otherwise keep one thread busy while the
/// others wait), and every piece but the last is sent on at once, so a
/// worker holds one piece of a large feed, not the whole of it.
fn read_one(
    fields: &Fields,
    path: &Path,
    key: &str,
    extractor: Option<&Extractor>,
    limits: &Limits,
    how: ReadAs,
    tx: &crossbeam_channel::Sender<Message>,
) -> Result<ReadArticles, ingest::ReadError> {
    use rayon::prelude::*;
    let annotate = |piece: Vec<(String, Id, Article)>| -> Vec<ReadArticle> {
        piece
            .into_par_iter()
            .map(|(id, key, article)| {
                let entities = extractor.map(|e| e.extract(&article)).unwrap_or_default();
                let mut doc = to_document(fields, &id, &article, &entities);
                let signature = how
                    .duplicates
                    .then(|| crate::dups::signature_of(&article))
                    .flatten();
                crate::dups::add_signature(fields, &mut doc, signature.as_ref());
                let named = entities.persons.len() + entities.places.len() + entities.orgs.len();
                ReadArticle {
                    key,
                    doc,
                    published: article.published,
                    bytes: limits::article_len(&article) as usize
                        + article.path.len()
                        + named * ENTITY_BYTES
                        + DOC_OVERHEAD_BYTES,
                    signature,
                }
            })
            .collect()
    };
    let mut piece = Vec::new();
    let mut record_errors = Vec::new();
    let mut empty = 0;
    ingest::read_file_each(path, limits, how.judge, &mut |record| match record {
        Record::Article(mut article) => {
            // The file's own source first, then the folder's, then the site.
            if article.source.is_none() {
                article.source = how
                    .source
                    .map(str::to_string)
                    .or_else(|| article.url.as_deref().and_then(sources::from_url));
            }
            let id = article.content_id();
            let id_key = Id::parse(&id).expect("content ids are 16 hex digits");
            // Repeats within the file are dropped by the writer's manifest,
            // which knows them at no cost (see `Manifest::hold`).
            piece.push((id, id_key, article));
            if piece.len() >= PIECE_ARTICLES {
                let articles = annotate(std::mem::take(&mut piece));
                let bytes = size_of_all(&articles);
                // The receiver only hangs up after an error; the file's
                // outcome is then dropped too.
                if how.in_flight.take(bytes) {
                    let _ = tx.send(Message::Piece {
                        key: key.to_string(),
                        articles,
                        bytes,
                    });
                }
            }
        }
        Record::Error(error) => record_errors.push(error),
        Record::Empty(_) => empty += 1,
    })?;
    Ok(ReadArticles {
        articles: annotate(piece),
        record_errors,
        empty,
    })
}

/// Applies one file's outcome to the writer and manifest, after the pieces
/// already applied to `file`; returns the number of documents added.
#[allow(clippy::too_many_arguments)]
fn apply(
    writer: &mut Writer,
    clusterer: &mut Clusterer,
    manifest: &mut Manifest,
    outcome: FileOutcome,
    mut file: OpenFile,
    index_was_empty: bool,
    summary: &mut Summary,
    progress: &dyn Progress,
) -> anyhow::Result<usize> {
    let display = outcome.path.display();
    let read = match outcome.result {
        Ok(read) => read,
        Err(ingest::ReadError::NotAnArticle(_)) => {
            // No article was sent before the verdict: the file's first
            // bytes decide it. Articles an earlier run took from it go.
            summary.files_skipped += 1;
            for id in manifest.remove(&outcome.key)? {
                writer.delete_id(&id);
                summary.articles_deleted += 1;
            }
            return Ok(0);
        }
        Err(err) => {
            // The file's earlier articles, if any, stay indexed; its manifest
            // entry is untouched so the next run tries it again. Documents
            // of pieces sent before the failure are taken back.
            for id in manifest.release(file.ids) {
                writer.delete_id(&id);
            }
            summary.articles_indexed -= file.added;
            progress.problem(&format!("{display}: {err}"));
            summary.files_failed += 1;
            return Ok(0);
        }
    };
    summary.files_read += 1;
    for error in &read.record_errors {
        progress.problem(&format!("{display}: {}: {}", error.location, error.message));
    }
    summary.records_failed += read.record_errors.len() as u64;
    summary.records_empty += read.empty;
    // A failed add is the index's failure (a full disk), not the file's:
    // its error names the index, not the file.
    let added = add_articles(
        writer,
        clusterer,
        manifest,
        &mut file,
        read.articles,
        index_was_empty,
        summary,
    )?;
    let entry = FileEntry {
        size: outcome.size,
        mtime: outcome.mtime,
        ids: file.ids,
    };
    for id in manifest.replace(outcome.key, entry)? {
        writer.delete_id(&id);
        summary.articles_deleted += 1;
    }
    Ok(added)
}

/// Adds the articles of one file (or of one piece of it) that no other file
/// holds; returns the number of documents added.
fn add_articles(
    writer: &mut Writer,
    clusterer: &mut Clusterer,
    manifest: &mut Manifest,
    file: &mut OpenFile,
    articles: Vec<ReadArticle>,
    index_was_empty: bool,
    summary: &mut Summary,
) -> anyhow::Result<usize> {
    let mut added = 0;
    for article in articles {
        match manifest.hold(article.key, file.ticket) {
            // The same article twice in one file counts once.
            IdChange::Repeated => continue,
            IdChange::Duplicate => {
                file.ids.push(article.key);
                // Held before by this very file: unchanged, not a duplicate.
                if !file.before.contains(&article.key) {
                    summary.articles_duplicate += 1;
                }
                continue;
            }
            IdChange::New => file.ids.push(article.key),
        }
        match article.published {
            None => summary.articles_without_date += 1,
            Some(date) if !plausible(date) => summary.articles_implausible_date += 1,
            Some(_) => {}
        }
        if !index_was_empty {
            // A document left by a run killed between its commit and ours
            // cannot exist (the manifest is committed with the index), but an
            // upsert keeps the index free of duplicates whatever happened.
            writer.delete_id(&article.key.to_string());
        }
        let mut doc = article.doc;
        let cluster = clusterer.assign(article.key.value(), article.signature.as_ref())?;
        doc.add_u64(writer.fields().cluster, cluster);
        // A failed add is the writer's failure (a full disk), not the file's.
        writer.add(doc)?;
        summary.articles_indexed += 1;
        file.added += 1;
        added += 1;
    }
    Ok(added)
}

fn commit(
    writer: &mut Writer,
    manifest: &mut Manifest,
    index_dir: &Path,
    extractor: &Option<String>,
) -> anyhow::Result<()> {
    let name = manifest.save(index_dir)?;
    let info = CommitInfo {
        manifest: Some(name.clone()),
        extractor: extractor.clone(),
        newsdex: env!("CARGO_PKG_VERSION").to_string(),
    };
    writer.commit(&info)?;
    Manifest::remove_stale(index_dir, &name);
    Ok(())
}

/// The manifest the last commit names; when it is missing or unreadable (or
/// the commit names none) but the index holds articles, one rebuilt from
/// them, so that the run reads every file again and replaces its articles
/// instead of failing for good.
fn load_or_rebuild_manifest(
    news: &NewsIndex,
    name: Option<&str>,
    progress: &dyn Progress,
) -> anyhow::Result<Manifest> {
    let loaded = match name {
        Some(name) => Manifest::load(&news.dir, Some(name)),
        None => Err(anyhow::anyhow!("the last commit names no manifest")),
    };
    match loaded {
        Ok(manifest) => Ok(manifest),
        Err(_) if news.reader()?.searcher().num_docs() == 0 => Ok(Manifest::default()),
        Err(err) => {
            let manifest = consistency::rebuild_manifest(news)?;
            progress.problem(&format!(
                "{err:#}; rebuilt it from the {} articles of the index, every file will be read again",
                manifest.distinct_ids()
            ));
            Ok(manifest)
        }
    }
}

/// The cheap part of `newsdex check`, before any change: files nothing uses
/// go, and when the index's live documents and the manifest's articles do
/// not number the same, the ids are compared and the difference repaired.
/// Returns whether something was repaired (so the run commits).
fn tidy_up(
    news: &NewsIndex,
    writer: &Writer,
    manifest: &mut Manifest,
    progress: &dyn Progress,
) -> anyhow::Result<bool> {
    remove_leftovers(news, writer)?;
    let live_docs = news.reader()?.searcher().num_docs();
    if live_docs == manifest.distinct_ids() as u64 {
        return Ok(false);
    }
    let found = consistency::compare(manifest, &consistency::live_ids(news)?);
    if found.is_empty() {
        return Ok(false);
    }
    let reread = consistency::repair(writer, manifest, &found)?;
    progress.problem(&format!(
        "{}: index and manifest disagreed ({} stale, {} missing, {} duplicated articles); \
         repaired, {reread} files to read again",
        news.dir.display(),
        found.stale.len(),
        found.missing.len(),
        found.duplicated.len(),
    ));
    Ok(true)
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// Dates before 1800 or in the future are almost certainly parse errors.
fn plausible(date: DateTime<Utc>) -> bool {
    let floor = Utc
        .with_ymd_and_hms(1800, 1, 1, 0, 0, 0)
        .single()
        .expect("valid date");
    date >= floor && date <= Utc::now() + chrono::Duration::days(2)
}

fn stat(path: &Path) -> (u64, i128) {
    match std::fs::metadata(path) {
        Ok(meta) => {
            let mtime = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as i128);
            (meta.len(), mtime)
        }
        Err(_) => (0, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memory_budget_covers_articles_in_flight_and_the_writer() {
        let options = Options {
            threads: 2,
            memory_mb: 256,
            prune: false,
            commit_every: 1,
            entities: false,
            limits: Limits::default(),
            overrides: Overrides::default(),
            source: None,
            dup_threshold: crate::dups::DEFAULT_THRESHOLD,
            duplicates: true,
        };
        let (in_flight, writer) = options.budgets();
        assert_eq!(in_flight, 64 << 20);
        assert_eq!(writer, 144 << 20);
        // With the writer's growth while it writes a segment, within budget.
        assert!(in_flight + writer / 3 * 4 <= 256 << 20);
    }
}
