//! Printing results: one [`Printer`] per output format, chosen once by
//! [`printer`]. Commands hand their results to the printer and never look at
//! the format themselves.
//!
//! Owns how results look; what they contain is [`crate::query::results`].
//! Machine formats are the serde form of those structs, so the JSON Schemas
//! in `schema/` (derived from the same structs) describe exactly what is
//! printed.

mod delimited;
mod ids;

pub use delimited::Column;
mod json;
pub mod text;

use std::io::{self, IsTerminal, Write};
use std::sync::OnceLock;

use crate::cli::{ColorChoice, OutputFormat};
use crate::query::{EntityList, Hit, Results, Stats, StoredArticle};

/// `--color` of this run, set once by the command line.
static COLOR: OnceLock<ColorChoice> = OnceLock::new();

/// Records `--color` for [`Style::detect`].
pub fn set_color(choice: ColorChoice) {
    let _ = COLOR.set(choice);
}

/// Whether to colour human output: `--color always` or `never` as said;
/// otherwise only on a terminal, never with `NO_COLOR`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
    /// Stdout is a terminal: draw charts.
    pub terminal: bool,
}

impl Style {
    /// Colour as `--color` says; with `auto`, when stdout is a terminal
    /// and `NO_COLOR` is unset or empty.
    pub fn detect() -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let terminal = io::stdout().is_terminal();
        let color = match COLOR.get().copied().unwrap_or_default() {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => !no_color && terminal,
        };
        Style { color, terminal }
    }
}

/// Output written as results arrive, announced to [`Printer::begin`] so a
/// format can write its header, or refuse, before any work is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Every hit of an unbounded result set (`search --all`), one at a time.
    Hits,
    /// One query's results after another (`search --batch`).
    Batch,
}

/// One output format: everything a command prints goes through it.
///
/// Errors are write errors (a closed pipe among them) or a stream the
/// format cannot write; nothing else fails.
pub trait Printer {
    /// A page of search results (`search`, `related`).
    fn search(&mut self, results: &Results) -> anyhow::Result<()>;
    /// Starts a [`Stream`]; [`Printer::hit`] or [`Printer::batch`] follow.
    fn begin(&mut self, stream: Stream) -> anyhow::Result<()>;
    /// The next hit of [`Stream::Hits`], ranked after the one before.
    fn hit(&mut self, hit: &Hit) -> anyhow::Result<()>;
    /// One query's results in a [`Stream::Batch`].
    fn batch(&mut self, results: &Results) -> anyhow::Result<()>;
    /// A batch query that could not run, noted in place where the format has
    /// room for it (the command reports it on stderr either way).
    fn batch_error(&mut self, query: &str, error: &str) -> anyhow::Result<()>;
    /// Entity values with their article counts (`entities`).
    fn entities(&mut self, list: &EntityList) -> anyhow::Result<()>;
    /// One article in full (`show`).
    fn article(&mut self, article: &StoredArticle) -> anyhow::Result<()>;
    /// What the index holds (`stats`).
    fn stats(&mut self, stats: &Stats) -> anyhow::Result<()>;
    /// Writes out what is buffered: a closed pipe shows up here at the latest.
    fn finish(self: Box<Self>) -> anyhow::Result<()>;
}

/// The printer of a format, writing to `out`.
pub fn printer<'a>(
    format: OutputFormat,
    style: Style,
    out: &'a mut dyn Write,
) -> Box<dyn Printer + 'a> {
    printer_with(format, style, &[], out)
}

/// [`printer`] whose CSV or TSV rows hold `columns` (all when empty).
pub fn printer_with<'a>(
    format: OutputFormat,
    style: Style,
    columns: &[Column],
    out: &'a mut dyn Write,
) -> Box<dyn Printer + 'a> {
    match format {
        OutputFormat::Text => Box::new(text::Text::new(style, out)),
        OutputFormat::Json => Box::new(json::Json::new(false, out)),
        OutputFormat::Jsonl => Box::new(json::Json::new(true, out)),
        OutputFormat::Csv => Box::new(delimited::Delimited::new(b',', columns, style, out)),
        OutputFormat::Tsv => Box::new(delimited::Delimited::new(b'\t', columns, style, out)),
        OutputFormat::Ids => Box::new(ids::Ids::new(style, out)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::Snippet;

    const PLAIN: Style = Style {
        color: false,
        terminal: false,
    };

    fn hit(id: &str, title: &str) -> Hit {
        Hit {
            id: id.to_string(),
            score: 1.5,
            date: None,
            title: title.to_string(),
            source: None,
            path: "a.txt".to_string(),
            record: None,
            url: None,
            snippet: Snippet::default(),
            persons: vec!["Ash Carter".to_string()],
            places: Vec::new(),
            orgs: Vec::new(),
            main: Default::default(),
            cluster: id.to_string(),
            copies: 1,
            members: Vec::new(),
        }
    }

    fn results(query: &str, offset: usize, hits: Vec<Hit>) -> Results {
        Results {
            query: query.to_string(),
            parsed: String::new(),
            filters: Default::default(),
            total: offset + hits.len(),
            offset,
            limit: hits.len(),
            sort: Default::default(),
            hits,
            collapsed: false,
            clusters: None,
            count_by: Default::default(),
            facets: None,
            histogram: None,
        }
    }

    /// What a format prints for a sequence of calls.
    fn printed(
        format: OutputFormat,
        calls: impl FnOnce(&mut dyn Printer) -> anyhow::Result<()>,
    ) -> String {
        let mut out = Vec::new();
        let mut printer = printer(format, PLAIN, &mut out);
        calls(&mut *printer).unwrap();
        printer.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn streamed_hits_are_ranked_across_calls() {
        let csv = printed(OutputFormat::Csv, |p| {
            p.begin(Stream::Hits)?;
            p.hit(&hit("a", "One, two"))?;
            p.hit(&hit("b", "Three"))
        });
        let rows: Vec<&str> = csv.lines().collect();
        assert!(rows[0].starts_with("rank,id,score"), "{csv}");
        assert_eq!(
            rows[1],
            r#"1,a,1.5000,,"One, two",,a.txt,,,Ash Carter,,,a,1,"#
        );
        assert!(rows[2].starts_with("2,b,"), "{csv}");
    }

    #[test]
    fn a_batch_row_starts_with_its_query_and_tsv_never_quotes() {
        let page = results("iraq\tsyria", 10, vec![hit("a", "Line\nbreak \"quoted\"")]);
        let tsv = printed(OutputFormat::Tsv, |p| {
            p.begin(Stream::Batch)?;
            p.batch(&page)?;
            p.batch_error("bad (", "cannot understand")
        });
        let rows: Vec<&str> = tsv.lines().collect();
        assert_eq!(rows.len(), 2, "an error has no row: {tsv}");
        assert!(rows[0].starts_with("query\trank\tid"));
        assert!(
            rows[1].starts_with("iraq syria\t11\ta\t1.5000\t\tLine break \"quoted\"\t"),
            "{tsv}"
        );
    }

    #[test]
    fn a_batch_is_json_lines_with_errors_in_place_outside_csv() {
        let page = results("iraq", 0, vec![hit("a", "One")]);
        for format in [OutputFormat::Text, OutputFormat::Json, OutputFormat::Ids] {
            let lines = printed(format, |p| {
                p.begin(Stream::Batch)?;
                p.batch(&page)?;
                p.batch_error("bad (", "cannot understand")
            });
            let lines: Vec<serde_json::Value> = lines
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            assert_eq!(lines[0]["hits"][0]["id"], "a", "{format:?}");
            assert_eq!(lines[1]["query"], "bad (", "{format:?}");
            assert_eq!(lines[1]["error"], "cannot understand", "{format:?}");
        }
    }

    #[test]
    fn text_refuses_an_export_before_any_hit() {
        let mut out = Vec::new();
        let mut text = printer(OutputFormat::Text, PLAIN, &mut out);
        let err = text.begin(Stream::Hits).unwrap_err();
        assert!(err.to_string().contains("--format"), "{err}");
        assert!(text.hit(&hit("a", "One")).is_err());
        drop(text);
        assert!(out.is_empty());
    }

    #[test]
    fn a_page_is_one_document_in_json_and_a_line_per_hit_in_jsonl() {
        let page = results("q", 0, vec![hit("a", "One"), hit("b", "Two")]);
        let json = printed(OutputFormat::Json, |p| p.search(&page));
        let parsed: Results = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed, page);
        let jsonl = printed(OutputFormat::Jsonl, |p| p.search(&page));
        let ids: Vec<String> = jsonl
            .lines()
            .map(|l| serde_json::from_str::<Hit>(l).unwrap().id)
            .collect();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(printed(OutputFormat::Ids, |p| p.search(&page)), "a\nb\n");
    }
}
