//! Outputs written as results arrive: `search --all` and `search --batch`.

use std::io::Write;

use serde::Serialize;

use super::delimited::Rows;
use crate::cli::OutputFormat;
use crate::query::{Hit, Results};

/// Every hit of an unbounded result set, one at a time.
pub enum HitStream<'a> {
    Json(&'a mut dyn Write),
    Rows(Box<Rows<'a>>, usize),
    Ids(&'a mut dyn Write),
}

impl<'a> HitStream<'a> {
    pub fn new(format: OutputFormat, out: &'a mut dyn Write) -> anyhow::Result<HitStream<'a>> {
        Ok(match format {
            OutputFormat::Jsonl | OutputFormat::Json => HitStream::Json(out),
            OutputFormat::Csv => HitStream::Rows(Box::new(Rows::new(b',', false, out)?), 0),
            OutputFormat::Tsv => HitStream::Rows(Box::new(Rows::new(b'\t', false, out)?), 0),
            OutputFormat::Ids => HitStream::Ids(out),
            OutputFormat::Text => {
                anyhow::bail!("--all writes jsonl, csv, tsv or ids: add --format")
            }
        })
    }

    pub fn hit(&mut self, hit: &Hit) -> anyhow::Result<()> {
        match self {
            HitStream::Json(out) => {
                serde_json::to_writer(&mut **out, hit)?;
                writeln!(out)?;
            }
            HitStream::Rows(rows, rank) => {
                *rank += 1;
                rows.hit(None, *rank, hit)?;
            }
            HitStream::Ids(out) => writeln!(out, "{}", hit.id)?,
        }
        Ok(())
    }

    pub fn finish(self) -> anyhow::Result<()> {
        match self {
            HitStream::Rows(rows, _) => rows.finish(),
            HitStream::Json(out) | HitStream::Ids(out) => Ok(out.flush()?),
        }
    }
}

/// One line of batch output when a query could not run.
#[derive(Serialize)]
struct BatchError<'q> {
    query: &'q str,
    error: &'q str,
}

/// Batch results: one JSON object per query (JSONL), or one CSV/TSV row per
/// (query, article).
pub enum BatchSink<'a> {
    Json(&'a mut dyn Write),
    Rows(Box<Rows<'a>>),
}

impl<'a> BatchSink<'a> {
    pub fn new(format: OutputFormat, out: &'a mut dyn Write) -> anyhow::Result<BatchSink<'a>> {
        Ok(match format {
            OutputFormat::Csv => BatchSink::Rows(Box::new(Rows::new(b',', true, out)?)),
            OutputFormat::Tsv => BatchSink::Rows(Box::new(Rows::new(b'\t', true, out)?)),
            _ => BatchSink::Json(out),
        })
    }

    pub fn results(&mut self, results: &Results) -> anyhow::Result<()> {
        match self {
            BatchSink::Json(out) => {
                serde_json::to_writer(&mut **out, results)?;
                writeln!(out)?;
            }
            BatchSink::Rows(rows) => {
                for (i, hit) in results.hits.iter().enumerate() {
                    rows.hit(Some(&results.query), results.offset + i + 1, hit)?;
                }
            }
        }
        Ok(())
    }

    /// A query that failed: reported in place, and the batch goes on.
    pub fn error(&mut self, query: &str, error: &str) -> anyhow::Result<()> {
        eprintln!("newsdex: batch query {query:?}: {error}");
        if let BatchSink::Json(out) = self {
            serde_json::to_writer(&mut **out, &BatchError { query, error })?;
            writeln!(out)?;
        }
        Ok(())
    }

    pub fn finish(self) -> anyhow::Result<()> {
        match self {
            BatchSink::Rows(rows) => rows.finish(),
            BatchSink::Json(out) => Ok(out.flush()?),
        }
    }
}
