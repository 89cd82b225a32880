//! `newsdex stats`: what the index holds.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tantivy::aggregation::AggregationCollector;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::agg_result::{AggregationResult, BucketResult};
use tantivy::collector::TopDocs;
use tantivy::query::AllQuery;
use tantivy::{DocAddress, Order, Searcher};

use crate::cli::StatsArgs;
use crate::exit::Status;
use crate::index::NewsIndex;

/// How many sources `stats` lists.
const TOP_SOURCES: usize = 10;

/// The summary `stats` prints.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Stats {
    pub index: String,
    pub articles: u64,
    pub segments: usize,
    pub earliest: Option<DateTime<Utc>>,
    pub latest: Option<DateTime<Utc>>,
    /// Most frequent sources with their article counts.
    pub sources: Vec<(String, u64)>,
    /// Input formats with their article counts.
    pub formats: Vec<(String, u64)>,
    pub size_bytes: u64,
    /// Version of the entity extractor that annotated the index.
    pub extractor: Option<String>,
}

pub fn run(index: &Path, args: StatsArgs) -> anyhow::Result<Status> {
    let news = NewsIndex::open(index)?;
    let stats = collect(&news)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &stats)?;
        writeln!(out)?;
    } else {
        print_text(&stats, &mut out)?;
    }
    // Write errors (a closed pipe) are returned, never a panic.
    out.flush()?;
    Ok(Status::Success)
}

fn print_text(stats: &Stats, out: &mut dyn Write) -> std::io::Result<()> {
    let date = |d: Option<DateTime<Utc>>| {
        d.map_or_else(|| "-".to_string(), |d| d.format("%Y-%m-%d").to_string())
    };
    writeln!(out, "index      {}", stats.index)?;
    writeln!(out, "articles   {}", stats.articles)?;
    writeln!(
        out,
        "dates      {} .. {}",
        date(stats.earliest),
        date(stats.latest)
    )?;
    writeln!(
        out,
        "size       {:.1} MB in {} segments",
        stats.size_bytes as f64 / 1e6,
        stats.segments
    )?;
    if let Some(extractor) = &stats.extractor {
        writeln!(out, "entities   {extractor}")?;
    }
    writeln!(out, "formats    {}", list(&stats.formats))?;
    writeln!(out, "sources    {}", list(&stats.sources))
}

fn list(counts: &[(String, u64)]) -> String {
    counts
        .iter()
        .map(|(name, n)| format!("{name} ({n})"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Gathers the statistics of an index.
pub fn collect(news: &NewsIndex) -> anyhow::Result<Stats> {
    let searcher = news.index.reader()?.searcher();
    let aggs: Aggregations = serde_json::from_value(serde_json::json!({
        "sources": { "terms": { "field": "source", "size": TOP_SOURCES } },
        "formats": { "terms": { "field": "format", "size": 10 } },
    }))?;
    let results = searcher.search(
        &AllQuery,
        &AggregationCollector::from_aggs(aggs, Default::default()),
    )?;
    let terms = |name: &str| -> Vec<(String, u64)> {
        match results.0.get(name) {
            Some(AggregationResult::BucketResult(BucketResult::Terms { buckets, .. })) => buckets
                .iter()
                .map(|b| (b.key.to_string(), b.doc_count))
                .collect(),
            _ => Vec::new(),
        }
    };
    let size_bytes = std::fs::read_dir(&news.dir)?
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();
    Ok(Stats {
        index: news.dir.display().to_string(),
        articles: searcher.num_docs(),
        segments: searcher.segment_readers().len(),
        earliest: edge_date(&searcher, Order::Asc)?,
        latest: edge_date(&searcher, Order::Desc)?,
        sources: terms("sources"),
        formats: terms("formats"),
        size_bytes,
        extractor: news.commit_info()?.extractor,
    })
}

/// The earliest or latest publication date, from the fast field.
fn edge_date(searcher: &Searcher, order: Order) -> anyhow::Result<Option<DateTime<Utc>>> {
    let top: Vec<(Option<tantivy::DateTime>, DocAddress)> = searcher.search(
        &AllQuery,
        &TopDocs::with_limit(1).order_by_fast_field("published", order),
    )?;
    Ok(top
        .first()
        .and_then(|(date, _)| *date)
        .and_then(|d| DateTime::from_timestamp(d.into_timestamp_secs(), 0)))
}
