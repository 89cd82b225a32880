//! CSV and TSV: one row per hit, a header row first, list fields joined by
//! `; `; a batch adds the query as the first column. Entity listings are
//! rows of their own; an article or the stats, which are no table, are text.

use std::io::Write;

use super::{Printer, Stream, Style, text};
use crate::query::{EntityList, Hit, Results, Stats, StoredArticle};

/// A column of a hit row; `--fields` picks and orders them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Column {
    Rank,
    Id,
    Score,
    Date,
    Title,
    Source,
    Path,
    Record,
    Url,
    Persons,
    Places,
    Orgs,
    /// The near-duplicate cluster (16 hex digits).
    Cluster,
    /// Live articles in that cluster, this one included.
    Copies,
    /// The matched passage, as plain text.
    Snippet,
}

impl Column {
    /// Every column, in the default order.
    pub const ALL: [Column; 15] = [
        Column::Rank,
        Column::Id,
        Column::Score,
        Column::Date,
        Column::Title,
        Column::Source,
        Column::Path,
        Column::Record,
        Column::Url,
        Column::Persons,
        Column::Places,
        Column::Orgs,
        Column::Cluster,
        Column::Copies,
        Column::Snippet,
    ];

    fn name(self) -> &'static str {
        match self {
            Column::Rank => "rank",
            Column::Id => "id",
            Column::Score => "score",
            Column::Date => "date",
            Column::Title => "title",
            Column::Source => "source",
            Column::Path => "path",
            Column::Record => "record",
            Column::Url => "url",
            Column::Persons => "persons",
            Column::Places => "places",
            Column::Orgs => "orgs",
            Column::Cluster => "cluster",
            Column::Copies => "copies",
            Column::Snippet => "snippet",
        }
    }

    fn value(self, rank: usize, hit: &Hit) -> String {
        match self {
            Column::Rank => rank.to_string(),
            Column::Id => hit.id.clone(),
            Column::Score => format!("{:.4}", hit.score),
            Column::Date => hit
                .date
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            Column::Title => hit.title.clone(),
            Column::Source => hit.source.clone().unwrap_or_default(),
            Column::Path => hit.path.clone(),
            Column::Record => hit.record.map(|r| r.to_string()).unwrap_or_default(),
            Column::Url => hit.url.clone().unwrap_or_default(),
            Column::Persons => hit.persons.join("; "),
            Column::Places => hit.places.join("; "),
            Column::Orgs => hit.orgs.join("; "),
            Column::Cluster => hit.cluster.clone(),
            Column::Copies => hit.copies.to_string(),
            Column::Snippet => hit.snippet.text.clone(),
        }
    }
}

pub struct Delimited<'a> {
    delimiter: u8,
    columns: Vec<Column>,
    style: Style,
    out: &'a mut dyn Write,
    /// Rank of the last hit of a [`Stream::Hits`].
    streamed: usize,
}

impl<'a> Delimited<'a> {
    /// Rows of `columns` (every column when empty).
    pub fn new(
        delimiter: u8,
        columns: &[Column],
        style: Style,
        out: &'a mut dyn Write,
    ) -> Delimited<'a> {
        let columns = if columns.is_empty() {
            Column::ALL.to_vec()
        } else {
            columns.to_vec()
        };
        Delimited {
            delimiter,
            columns,
            style,
            out,
            streamed: 0,
        }
    }

    /// Hit rows for one call.
    fn rows(&mut self) -> Rows<'_> {
        let tabs = self.delimiter == b'\t';
        // TSV has no quoting: tabs and newlines inside values become spaces.
        let quoting = if tabs {
            csv::QuoteStyle::Never
        } else {
            csv::QuoteStyle::Necessary
        };
        let writer = csv::WriterBuilder::new()
            .delimiter(self.delimiter)
            .quote_style(quoting)
            .from_writer(Unflushed(&mut *self.out));
        Rows {
            writer,
            tabs,
            columns: &self.columns,
        }
    }
}

/// Rows buffered by the CSV writer, handed to the output by [`Rows::done`].
struct Rows<'o> {
    writer: csv::Writer<Unflushed<'o>>,
    tabs: bool,
    columns: &'o [Column],
}

impl Rows<'_> {
    /// The column names, with `query` first in a batch.
    fn header(&mut self, with_query: bool) -> anyhow::Result<()> {
        let names = self.columns.iter().map(|c| c.name());
        if with_query {
            self.writer
                .write_record(std::iter::once("query").chain(names))?;
        } else {
            self.writer.write_record(names)?;
        }
        Ok(())
    }

    /// The hits of a page, optionally prefixed by the query they answer.
    fn page(&mut self, query: Option<&str>, results: &Results) -> anyhow::Result<()> {
        for (i, hit) in results.hits.iter().enumerate() {
            self.hit(query, results.offset + i + 1, hit)?;
        }
        Ok(())
    }

    /// One hit, optionally prefixed by the query it answers (batch mode).
    fn hit(&mut self, query: Option<&str>, rank: usize, hit: &Hit) -> anyhow::Result<()> {
        let clean = |s: &str| {
            if self.tabs {
                s.replace(['\t', '\n', '\r'], " ")
            } else {
                s.to_string()
            }
        };
        let mut row = Vec::with_capacity(self.columns.len() + 1);
        if let Some(query) = query {
            row.push(clean(query));
        }
        row.extend(self.columns.iter().map(|c| clean(&c.value(rank, hit))));
        self.writer.write_record(&row)?;
        Ok(())
    }

    fn done(mut self) -> anyhow::Result<()> {
        self.writer.flush()?;
        Ok(())
    }
}

/// The output as the CSV writer sees it: csv's `flush` also flushes what is
/// under it, which on stdout would cost a system call per row.
struct Unflushed<'a>(&'a mut dyn Write);

impl Write for Unflushed<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Printer for Delimited<'_> {
    fn search(&mut self, results: &Results) -> anyhow::Result<()> {
        let mut rows = self.rows();
        rows.header(false)?;
        rows.page(None, results)?;
        rows.done()
    }

    fn begin(&mut self, stream: Stream) -> anyhow::Result<()> {
        let mut rows = self.rows();
        rows.header(stream == Stream::Batch)?;
        rows.done()
    }

    fn hit(&mut self, hit: &Hit) -> anyhow::Result<()> {
        self.streamed += 1;
        let rank = self.streamed;
        let mut rows = self.rows();
        rows.hit(None, rank, hit)?;
        rows.done()
    }

    fn batch(&mut self, results: &Results) -> anyhow::Result<()> {
        let mut rows = self.rows();
        rows.page(Some(&results.query), results)?;
        rows.done()
    }

    /// A row has no room for an error: stderr has it.
    fn batch_error(&mut self, _: &str, _: &str) -> anyhow::Result<()> {
        Ok(())
    }

    fn entities(&mut self, list: &EntityList) -> anyhow::Result<()> {
        // Quoted where needed in TSV too, unlike hit rows.
        let mut writer = csv::WriterBuilder::new()
            .delimiter(self.delimiter)
            .from_writer(&mut *self.out);
        writer.write_record(["type", "name", "articles"])?;
        for v in &list.values {
            writer.write_record([v.kind.name(), v.name.as_str(), &v.articles.to_string()])?;
        }
        writer.flush()?;
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
