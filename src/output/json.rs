//! JSON and JSON Lines: the serde form of the results, nothing added.
//!
//! Batches are JSON Lines, one object per query, in every format without
//! rows of its own (all but CSV and TSV): the helpers here serve those too.

use std::io::Write;

use serde::Serialize;

use super::{Printer, Stream};
use crate::query::{EntityList, Hit, Results, Stats, StoredArticle};

/// `json` prints a page as one document, `jsonl` as one line per item; a
/// stream is lines in both, and an article or the stats one document.
pub struct Json<'a> {
    /// `jsonl`: a page is one line per hit (or entity value).
    lines: bool,
    out: &'a mut dyn Write,
}

impl<'a> Json<'a> {
    pub fn new(lines: bool, out: &'a mut dyn Write) -> Json<'a> {
        Json { lines, out }
    }

    fn page<T: Serialize>(&mut self, whole: &impl Serialize, items: &[T]) -> anyhow::Result<()> {
        if !self.lines {
            return document(self.out, whole);
        }
        items.iter().try_for_each(|item| line(self.out, item))
    }
}

impl Printer for Json<'_> {
    fn search(&mut self, results: &Results) -> anyhow::Result<()> {
        self.page(results, &results.hits)
    }

    fn begin(&mut self, _: Stream) -> anyhow::Result<()> {
        Ok(())
    }

    fn hit(&mut self, hit: &Hit) -> anyhow::Result<()> {
        line(self.out, hit)
    }

    fn batch(&mut self, results: &Results) -> anyhow::Result<()> {
        line(self.out, results)
    }

    fn batch_error(&mut self, query: &str, error: &str) -> anyhow::Result<()> {
        error_line(self.out, query, error)
    }

    fn entities(&mut self, list: &EntityList) -> anyhow::Result<()> {
        self.page(list, &list.values)
    }

    fn article(&mut self, article: &StoredArticle) -> anyhow::Result<()> {
        document(self.out, article)
    }

    fn stats(&mut self, stats: &Stats) -> anyhow::Result<()> {
        document(self.out, stats)
    }

    fn finish(self: Box<Self>) -> anyhow::Result<()> {
        Ok(self.out.flush()?)
    }
}

/// Pretty-printed, for a reader as much as a parser.
fn document(out: &mut dyn Write, value: &impl Serialize) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

/// One compact line.
pub(super) fn line(out: &mut dyn Write, value: &impl Serialize) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

/// The line of a batch query that could not run, where its results would be.
pub(super) fn error_line(out: &mut dyn Write, query: &str, error: &str) -> anyhow::Result<()> {
    line(out, &BatchError { query, error })
}

#[derive(Serialize)]
struct BatchError<'q> {
    query: &'q str,
    error: &'q str,
}
