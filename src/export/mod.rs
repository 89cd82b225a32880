//! Export to other engines: Elasticsearch, OpenSearch, Quickwit.
//!
//! newsdex stays the embedded default; this is the path beyond one machine.
//! [`export`] streams the articles a query and filters match, one segment at
//! a time (memory holds one segment's matching doc ids and one document), as
//! [`document::ExportDoc`]s into NDJSON files of a set number of articles,
//! beside the engine's index definition and a `load.sh`. [`request`] turns a
//! newsdex search into the request body that runs it there.
//!
//! Owns the files written; what an article means is [`crate::index::document`],
//! what a query means [`crate::query`].

pub mod document;
pub mod elastic;
mod files;
pub mod quickwit;
pub mod request;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::Context;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tantivy::query::EnableScoring;
use tantivy::{DocAddress, TantivyDocument};

use crate::dups::members::ClusterIds;
use crate::index::NewsIndex;
use crate::index::document::StoredArticle;
use crate::query::Session;
use crate::query::filters::Filters;
use document::ExportDoc;
use files::Chunks;

/// The engines newsdex exports to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    Elasticsearch,
    Opensearch,
    Quickwit,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Elasticsearch => "Elasticsearch",
            Engine::Opensearch => "OpenSearch",
            Engine::Quickwit => "Quickwit",
        }
    }
}

/// What to export and where.
#[derive(Debug, Clone)]
pub struct Options {
    pub engine: Engine,
    pub out: PathBuf,
    /// Index name in the template, config and scripts.
    pub index: String,
    /// Articles per NDJSON file (one `_bulk` request each).
    pub chunk_size: usize,
    /// An earlier export's folder: write only what it lacks, and the ids to
    /// delete.
    pub since: Option<PathBuf>,
}

/// Told of the export's advance; the command draws a bar with it.
pub trait Progress {
    fn start(&self, articles: u64);
    fn article(&self, bytes: u64);
    fn finish(&self);
}

/// No progress shown.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: u64) {}
    fn article(&self, _: u64) {}
    fn finish(&self) {}
}

/// What an export wrote (`export --json`, and `export.json` beside the files).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    pub engine: Engine,
    /// The index name the files load into.
    pub index: String,
    /// The query and filters, as newsdex understood them.
    pub query: String,
    /// Articles matched.
    pub matched: u64,
    /// Articles written (fewer than matched when incremental).
    pub written: u64,
    /// Ids of articles an earlier export had that are gone or changed
    /// (an article's id is the hash of its content).
    pub deleted: u64,
    /// The earlier export this one continues, if incremental.
    pub since: Option<String>,
    /// Data files, in load order.
    pub files: Vec<String>,
    /// Bytes of NDJSON written.
    pub bytes: u64,
    pub seconds: f64,
    /// The newsdex version that wrote the export.
    pub newsdex: String,
}

/// Where the ids of an export are kept, one a line, sorted: the next
/// incremental export compares against them.
pub const IDS_FILE: &str = "ids.txt";
/// The summary beside the files.
pub const SUMMARY_FILE: &str = "export.json";

/// Exports the articles `query` and `filters` match.
pub fn export(
    news: &NewsIndex,
    session: &Session,
    query: &str,
    filters: &Filters,
    options: &Options,
    progress: &dyn Progress,
) -> anyhow::Result<Summary> {
    let started = std::time::Instant::now();
    anyhow::ensure!(options.chunk_size > 0, "--chunk-size must be at least 1");
    let previous = options.since.as_deref().map(read_ids).transpose()?;
    let prepared = session.prepare(query, filters)?;
    let searcher = &prepared.searcher;
    let names = session.catalog()?.names();
    let clusters = ClusterIds::open(searcher)?;
    std::fs::create_dir_all(&options.out)
        .with_context(|| format!("cannot create {}", options.out.display()))?;
    clear_data_files(&options.out)?;
    write_definitions(options)?;

    let weight = prepared
        .query
        .weight(EnableScoring::disabled_from_searcher(searcher))?;
    let total = searcher.search(&*prepared.query, &tantivy::collector::Count)? as u64;
    progress.start(total);
    let (prefix, engine) = match options.engine {
        Engine::Quickwit => ("docs", options.engine),
        _ => ("bulk", options.engine),
    };
    let mut chunks = Chunks::new(&options.out, prefix, options.chunk_size);
    let mut ids: Vec<u64> = Vec::new();
    let mut line = Vec::new();
    let (mut matched, mut written) = (0u64, 0u64);
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        // The scorer yields deleted documents too; collectors skip them.
        let alive = segment.alive_bitset();
        let mut docs = Vec::new();
        weight.for_each_no_score(segment, &mut |batch| {
            docs.extend(
                batch
                    .iter()
                    .filter(|&&d| alive.is_none_or(|a| a.is_alive(d))),
            );
        })?;
        let store = segment.get_store_reader(64)?;
        for doc_id in docs {
            let doc: TantivyDocument = store.get(doc_id)?;
            let mut stored = StoredArticle::from_document(&news.fields, &doc);
            matched += 1;
            let id = crate::dups::parse_id(&stored.id)
                .with_context(|| format!("article id {:?} is not 16 hex digits", stored.id))?;
            ids.push(id);
            if previous.as_ref().is_some_and(|p| p.contains(&id)) {
                progress.article(0);
                continue;
            }
            crate::aliases::apply::canonical_article(names, &mut stored);
            let cluster = clusters.get(DocAddress::new(ord as u32, doc_id));
            let doc = ExportDoc::new(stored, crate::dups::format_id(cluster));
            line.clear();
            if engine != Engine::Quickwit {
                serde_json::to_writer(&mut line, &elastic::index_action(&doc.id))?;
                line.push(b'\n');
            }
            serde_json::to_writer(&mut line, &doc)?;
            line.push(b'\n');
            chunks.write(&line)?;
            written += 1;
            progress.article(line.len() as u64);
        }
    }
    ids.sort_unstable();
    ids.dedup();
    let deleted = match &previous {
        Some(previous) => write_deletes(options, previous, &ids, &mut chunks)?,
        None => 0,
    };
    let files = chunks.finish()?;
    write_ids(&options.out, &ids)?;
    progress.finish();
    let summary = Summary {
        engine: options.engine,
        index: options.index.clone(),
        query: prepared.readable.clone(),
        matched,
        written,
        deleted,
        since: options.since.as_ref().map(|p| p.display().to_string()),
        bytes: chunks.bytes(),
        files,
        seconds: started.elapsed().as_secs_f64(),
        newsdex: env!("CARGO_PKG_VERSION").to_string(),
    };
    let path = options.out.join(SUMMARY_FILE);
    std::fs::write(&path, serde_json::to_string_pretty(&summary)? + "\n")
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(summary)
}

/// The index definition and the load script.
fn write_definitions(options: &Options) -> anyhow::Result<()> {
    let write = |name: &str, text: String| -> anyhow::Result<()> {
        let path = options.out.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
    };
    let pretty = |value: serde_json::Value| serde_json::to_string_pretty(&value).map(|s| s + "\n");
    let script = match options.engine {
        Engine::Quickwit => {
            write(
                "index-config.json",
                pretty(quickwit::index_config(&options.index))?,
            )?;
            quickwit::load_script(&options.index)
        }
        engine => {
            write(
                "index-template.json",
                pretty(elastic::index_template(&options.index))?,
            )?;
            elastic::load_script(engine.name(), &options.index)
        }
    };
    write("load.sh", script)?;
    make_executable(&options.out.join("load.sh"))
}

#[cfg(unix)]
fn make_executable(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .with_context(|| format!("cannot make {} executable", path.display()))
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> anyhow::Result<()> {
    Ok(())
}

/// Data files of an earlier export into the same folder go first, so the
/// folder never mixes two exports.
fn clear_data_files(dir: &Path) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let data =
            (name.starts_with("bulk-") || name.starts_with("docs-")) && name.ends_with(".ndjson");
        if data || ["deletes.ndjson", "deletes.txt"].contains(&name.as_ref()) {
            std::fs::remove_file(entry.path())
                .with_context(|| format!("cannot remove {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// The ids an earlier export recorded.
fn read_ids(dir: &Path) -> anyhow::Result<HashSet<u64>> {
    let path = dir.join(IDS_FILE);
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "cannot read {} (is {} a newsdex export?)",
            path.display(),
            dir.display()
        )
    })?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.is_empty())
        .map(|(n, l)| {
            crate::dups::parse_id(l)
                .with_context(|| format!("{}:{}: not an article id: {l:?}", path.display(), n + 1))
        })
        .collect()
}

fn write_ids(dir: &Path, ids: &[u64]) -> anyhow::Result<()> {
    use std::io::Write;
    let path = dir.join(IDS_FILE);
    let file =
        std::fs::File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    for &id in ids {
        writeln!(out, "{}", crate::dups::format_id(id))?;
    }
    out.flush()
        .with_context(|| format!("cannot write {}", path.display()))
}

/// The ids the earlier export had and this one has not: `delete` actions
/// for `_bulk`, or a list for Quickwit's delete tasks.
fn write_deletes(
    options: &Options,
    previous: &HashSet<u64>,
    current: &[u64],
    chunks: &mut Chunks,
) -> anyhow::Result<u64> {
    let mut gone: Vec<u64> = previous
        .iter()
        .filter(|id| current.binary_search(id).is_err())
        .copied()
        .collect();
    gone.sort_unstable();
    let mut text = String::new();
    for &id in &gone {
        let id = crate::dups::format_id(id);
        match options.engine {
            Engine::Quickwit => text.push_str(&id),
            _ => text.push_str(&elastic::delete_action(&id).to_string()),
        }
        text.push('\n');
    }
    if !gone.is_empty() {
        let name = match options.engine {
            Engine::Quickwit => "deletes.txt",
            _ => "deletes.ndjson",
        };
        chunks.extra(name, text.as_bytes())?;
    }
    Ok(gone.len() as u64)
}
