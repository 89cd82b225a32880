//! Ids only, one per line, for piping into `show` or another tool; entity
//! listings give names. What has no id (an article, the stats) is text, and
//! a batch is JSON Lines.

use std::io::Write;

use super::{Printer, Stream, Style, json, text};
use crate::query::{EntityList, Hit, Results, Stats, StoredArticle};

pub struct Ids<'a> {
    style: Style,
    out: &'a mut dyn Write,
}

impl<'a> Ids<'a> {
    pub fn new(style: Style, out: &'a mut dyn Write) -> Ids<'a> {
        Ids { style, out }
    }
}

impl Printer for Ids<'_> {
    fn search(&mut self, results: &Results) -> anyhow::Result<()> {
        results.hits.iter().try_for_each(|hit| self.hit(hit))
    }

    fn begin(&mut self, _: Stream) -> anyhow::Result<()> {
        Ok(())
    }

    fn hit(&mut self, hit: &Hit) -> anyhow::Result<()> {
        writeln!(self.out, "{}", hit.id)?;
        Ok(())
    }

    fn batch(&mut self, results: &Results) -> anyhow::Result<()> {
        json::line(self.out, results)
    }

    fn batch_error(&mut self, query: &str, error: &str) -> anyhow::Result<()> {
        json::error_line(self.out, query, error)
    }

    fn entities(&mut self, list: &EntityList) -> anyhow::Result<()> {
        for value in &list.values {
            writeln!(self.out, "{}", value.name)?;
        }
        Ok(())
    }

    fn article(&mut self, article: &StoredArticle) -> anyhow::Result<()> {
        Ok(text::article(article, self.style, self.out)?)
    }

    fn stats(&mut self, stats: &Stats) -> anyhow::Result<()> {
        Ok(text::stats(stats, self.out)?)
    }

    fn finish(self: Box<Self>) -> anyhow::Result<()> {
        Ok(self.out.flush()?)
    }
}
