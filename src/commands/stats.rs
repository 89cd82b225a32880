//! `newsdex stats`: what the index holds.

use std::path::Path;

use chrono::{DateTime, Utc};
use tantivy::aggregation::AggregationCollector;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::agg_result::{AggregationResult, BucketResult};
use tantivy::collector::TopDocs;
use tantivy::query::AllQuery;
use tantivy::{DocAddress, Order, Searcher};

use crate::cli::{OutputFormat, StatsArgs};
use crate::exit::Status;
use crate::index::NewsIndex;
use crate::output::{self, Style};
use crate::query::Stats;

/// How many sources `stats` lists.
const TOP_SOURCES: usize = 10;

pub fn run(index: &Path, args: StatsArgs) -> anyhow::Result<Status> {
    let news = NewsIndex::open(index)?;
    let stats = collect(&news)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let format = if args.json {
        OutputFormat::Json
    } else {
        OutputFormat::Text
    };
    let mut printer = output::printer(format, Style::detect(), &mut out);
    printer.stats(&stats)?;
    // Write errors (a closed pipe) are returned, never a panic.
    printer.finish()?;
    Ok(Status::Success)
}

/// Gathers the statistics of an index.
pub fn collect(news: &NewsIndex) -> anyhow::Result<Stats> {
    collect_in(news, &news.reader()?.searcher())
}

/// The statistics as one searcher sees the index.
pub fn collect_in(news: &NewsIndex, searcher: &Searcher) -> anyhow::Result<Stats> {
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
        earliest: edge_date(searcher, Order::Asc)?,
        latest: edge_date(searcher, Order::Desc)?,
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
