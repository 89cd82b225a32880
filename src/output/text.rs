//! Human output: ranked hits with highlighted snippets, facet tables and
//! charts, entity counts, whole articles and the index's statistics.
//!
//! Text has no way to tell one query's hits from the next, so a batch is
//! JSON Lines, and it refuses `--all`: an export is for a machine format.

use std::io::{self, Write};

use chrono::{DateTime, Utc};

use super::{Printer, Stream, Style, json};
use crate::query::{EntityList, Hit, Results, Snippet, Stats, StoredArticle};

/// Why text cannot write [`Stream::Hits`].
const NO_EXPORT: &str = "--all writes jsonl, csv, tsv or ids: add --format";

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const MATCH: &str = "\x1b[1;31m";
const RESET: &str = "\x1b[0m";

pub struct Text<'a> {
    style: Style,
    out: &'a mut dyn Write,
}

impl<'a> Text<'a> {
    pub fn new(style: Style, out: &'a mut dyn Write) -> Text<'a> {
        Text { style, out }
    }
}

impl Printer for Text<'_> {
    fn search(&mut self, results: &Results) -> anyhow::Result<()> {
        Ok(search(results, self.style, self.out)?)
    }

    fn begin(&mut self, stream: Stream) -> anyhow::Result<()> {
        match stream {
            Stream::Hits => anyhow::bail!(NO_EXPORT),
            Stream::Batch => Ok(()),
        }
    }

    fn hit(&mut self, _: &Hit) -> anyhow::Result<()> {
        anyhow::bail!(NO_EXPORT)
    }

    fn batch(&mut self, results: &Results) -> anyhow::Result<()> {
        json::line(self.out, results)
    }

    fn batch_error(&mut self, query: &str, error: &str) -> anyhow::Result<()> {
        json::error_line(self.out, query, error)
    }

    fn entities(&mut self, list: &EntityList) -> anyhow::Result<()> {
        Ok(entities(list, self.out)?)
    }

    fn article(&mut self, article: &StoredArticle) -> anyhow::Result<()> {
        Ok(self::article(article, self.style, self.out)?)
    }

    fn stats(&mut self, stats: &Stats) -> anyhow::Result<()> {
        Ok(self::stats(stats, self.out)?)
    }

    fn finish(self: Box<Self>) -> anyhow::Result<()> {
        Ok(self.out.flush()?)
    }
}

/// "0 articles", "1 article", "1-10 of 57 articles", "3 articles".
fn footer(results: &Results) -> String {
    let (shown, total) = (results.hits.len(), results.total);
    let articles = |n: usize| format!("{n} article{}", if n == 1 { "" } else { "s" });
    if shown == 0 && results.offset > 0 && total > 0 {
        format!("none past {} of {}", results.offset, articles(total))
    } else if shown == 0 || (results.offset == 0 && shown == total) {
        articles(total)
    } else {
        format!(
            "{}-{} of {}",
            results.offset + 1,
            results.offset + shown,
            articles(total)
        )
    }
}

fn search(results: &Results, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let paint = |code: &'static str| if style.color { code } else { "" };
    for (rank, hit) in results.hits.iter().enumerate() {
        let date = hit.date.map_or_else(
            || "----------".to_string(),
            |d| d.format("%Y-%m-%d").to_string(),
        );
        let title = if hit.title.is_empty() {
            "(untitled)"
        } else {
            &hit.title
        };
        writeln!(
            out,
            "{:>3}. {date}  {}{title}{}",
            results.offset + rank + 1,
            paint(BOLD),
            paint(RESET)
        )?;
        let mut origin = origin(hit.source.as_deref(), &hit.path, hit.record);
        if hit.copies > 1 {
            origin.push_str(&format!("  {} copies", hit.copies));
        }
        writeln!(
            out,
            "     {}{origin}  id:{}{}",
            paint(DIM),
            hit.id,
            paint(RESET)
        )?;
        if !hit.snippet.text.is_empty() {
            writeln!(out, "     {}", highlight(&hit.snippet, style))?;
        }
        writeln!(out)?;
    }
    writeln!(out, "{}", footer(results))?;
    let filters = &results.filters;
    let used: Vec<String> = filters
        .persons
        .iter()
        .chain(&filters.places)
        .chain(&filters.orgs)
        .map(|v| format!("{} {:?} ({} articles)", v.kind.name(), v.name, v.articles))
        .collect();
    if !used.is_empty() {
        writeln!(
            out,
            "{}filters: {}{}",
            paint(DIM),
            used.join("; "),
            paint(RESET)
        )?;
    }
    if let Some(facets) = &results.facets {
        for (label, counts) in [
            ("persons", &facets.person),
            ("places", &facets.place),
            ("orgs", &facets.org),
        ] {
            let Some(counts) = counts else { continue };
            writeln!(out, "\n{}{label}{}", paint(BOLD), paint(RESET))?;
            for c in counts {
                writeln!(out, "  {:>7}  {}", c.articles, c.value)?;
            }
        }
    }
    if let Some(histogram) = &results.histogram {
        writeln!(out, "\n{}published{}", paint(BOLD), paint(RESET))?;
        let max = histogram
            .buckets
            .iter()
            .map(|b| b.articles)
            .max()
            .unwrap_or(1)
            .max(1);
        for bucket in &histogram.buckets {
            // Bars only on a terminal; a pipe gets the plain table.
            let width = (bucket.articles * 50).div_ceil(max) as usize;
            let bar = if style.terminal {
                "█".repeat(width)
            } else {
                String::new()
            };
            writeln!(out, "  {:<10} {:>7}  {bar}", bucket.period, bucket.articles)?;
        }
        if histogram.undated > 0 {
            writeln!(out, "  {:<10} {:>7}", "undated", histogram.undated)?;
        }
    }
    Ok(())
}

/// Marks matched words: colour on a terminal, `**word**` otherwise.
fn highlight(snippet: &Snippet, style: Style) -> String {
    let (open, close) = if style.color {
        (MATCH, RESET)
    } else {
        ("**", "**")
    };
    let text = &snippet.text;
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    for &(start, end) in &snippet.highlights {
        if start < at
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str(open);
        out.push_str(&text[start..end]);
        out.push_str(close);
        at = end;
    }
    out.push_str(&text[at..]);
    out.replace("\n\n", " ").replace('\n', " ")
}

/// One article in full; also what the formats without an article shape of
/// their own (CSV, TSV, ids) print.
/// Where an article came from: its source, file and record ("Reuters
/// reut2-000.sgm#12").
pub fn origin(source: Option<&str>, path: &str, record: Option<u64>) -> String {
    let mut origin = source.unwrap_or_default().to_string();
    if !origin.is_empty() {
        origin.push_str("  ");
    }
    origin.push_str(path);
    if let Some(record) = record {
        origin.push_str(&format!("#{record}"));
    }
    origin
}

pub(super) fn article(a: &StoredArticle, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let paint = |code: &'static str| if style.color { code } else { "" };
    writeln!(out, "{}{}{}", paint(BOLD), a.title, paint(RESET))?;
    let mut meta = vec![format!("id: {}", a.id)];
    if let Some(date) = a.published {
        meta.push(format!("published: {}", date.format("%Y-%m-%d %H:%M UTC")));
    }
    if let Some(source) = &a.source {
        meta.push(format!("source: {source}"));
    }
    if !a.authors.is_empty() {
        meta.push(format!("by: {}", a.authors.join(", ")));
    }
    let mut path = a.path.clone();
    if let Some(record) = a.record {
        path.push_str(&format!("#{record}"));
    }
    meta.push(format!("path: {path}"));
    if let Some(url) = &a.url {
        meta.push(format!("url: {url}"));
    }
    for line in meta {
        writeln!(out, "{}{line}{}", paint(DIM), paint(RESET))?;
    }
    for (label, values) in [
        ("persons", &a.persons),
        ("places", &a.places),
        ("orgs", &a.orgs),
        ("tags", &a.tags),
    ] {
        if !values.is_empty() {
            writeln!(
                out,
                "{}{label}: {}{}",
                paint(DIM),
                values.join("; "),
                paint(RESET)
            )?;
        }
    }
    writeln!(out)?;
    if let Some(dateline) = &a.dateline {
        writeln!(out, "{dateline}")?;
    }
    if !a.standfirst.is_empty() {
        writeln!(out, "{}\n", a.standfirst)?;
    }
    writeln!(out, "{}", a.body)?;
    for caption in &a.captions {
        writeln!(out, "\n[caption] {caption}")?;
    }
    Ok(())
}

fn entities(list: &EntityList, out: &mut dyn Write) -> io::Result<()> {
    for v in &list.values {
        writeln!(out, "{:>7}  {:<6}  {}", v.articles, v.kind.name(), v.name)?;
    }
    writeln!(
        out,
        "({} values over {} articles)",
        list.values.len(),
        list.articles
    )
}

/// The index's statistics, as `stats` prints them without `--json`.
pub(super) fn stats(stats: &Stats, out: &mut dyn Write) -> io::Result<()> {
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
    writeln!(out, "formats    {}", counts(&stats.formats))?;
    writeln!(out, "sources    {}", counts(&stats.sources))
}

/// `name (n), name (n)`.
fn counts(counts: &[(String, u64)]) -> String {
    counts
        .iter()
        .map(|(name, n)| format!("{name} ({n})"))
        .collect::<Vec<_>>()
        .join(", ")
}
