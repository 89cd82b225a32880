//! CSV and TSV: one row per hit, a header row first, list fields joined by `; `.

use std::io::Write;

use crate::query::{Hit, Results};

const HEADER: [&str; 12] = [
    "rank", "id", "score", "date", "title", "source", "path", "record", "url", "persons", "places",
    "orgs",
];

/// Rows of hits, optionally prefixed by the query they answer (batch mode).
pub struct Rows<'a> {
    writer: csv::Writer<&'a mut dyn Write>,
    tabs: bool,
}

impl<'a> Rows<'a> {
    pub fn new(
        delimiter: u8,
        with_query: bool,
        out: &'a mut dyn Write,
    ) -> anyhow::Result<Rows<'a>> {
        let tabs = delimiter == b'\t';
        // TSV has no quoting: tabs and newlines inside values become spaces.
        let quoting = if tabs {
            csv::QuoteStyle::Never
        } else {
            csv::QuoteStyle::Necessary
        };
        let mut writer = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .quote_style(quoting)
            .from_writer(out);
        if with_query {
            writer.write_record(std::iter::once("query").chain(HEADER))?;
        } else {
            writer.write_record(HEADER)?;
        }
        Ok(Rows { writer, tabs })
    }

    pub fn hit(&mut self, query: Option<&str>, rank: usize, hit: &Hit) -> anyhow::Result<()> {
        let clean = |s: &str| {
            if self.tabs {
                s.replace(['\t', '\n', '\r'], " ")
            } else {
                s.to_string()
            }
        };
        let mut row = Vec::with_capacity(13);
        if let Some(query) = query {
            row.push(clean(query));
        }
        row.extend([
            rank.to_string(),
            hit.id.clone(),
            format!("{:.4}", hit.score),
            hit.date
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            clean(&hit.title),
            clean(hit.source.as_deref().unwrap_or_default()),
            clean(&hit.path),
            hit.record.map(|r| r.to_string()).unwrap_or_default(),
            clean(hit.url.as_deref().unwrap_or_default()),
            clean(&hit.persons.join("; ")),
            clean(&hit.places.join("; ")),
            clean(&hit.orgs.join("; ")),
        ]);
        self.writer.write_record(&row)?;
        Ok(())
    }

    pub fn finish(mut self) -> anyhow::Result<()> {
        self.writer.flush()?;
        Ok(())
    }
}

pub fn search(results: &Results, delimiter: u8, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut rows = Rows::new(delimiter, false, out)?;
    for (i, hit) in results.hits.iter().enumerate() {
        rows.hit(None, results.offset + i + 1, hit)?;
    }
    rows.finish()
}
