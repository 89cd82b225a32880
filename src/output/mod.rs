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
mod json;
mod text;

use std::io::{self, IsTerminal, Write};

use crate::cli::OutputFormat;
use crate::query::{EntityList, Hit, Results, Stats, StoredArticle};

/// Whether to colour human output: only on a terminal, never with `NO_COLOR`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
    /// Stdout is a terminal: draw charts.
    pub terminal: bool,
}

impl Style {
    /// Colour when stdout is a terminal and `NO_COLOR` is unset or empty.
    pub fn detect() -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let terminal = io::stdout().is_terminal();
        Style {
            color: !no_color && terminal,
            terminal,
        }
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
    match format {
        OutputFormat::Text => Box::new(text::Text::new(style, out)),
        OutputFormat::Json => Box::new(json::Json::new(false, out)),
        OutputFormat::Jsonl => Box::new(json::Json::new(true, out)),
        OutputFormat::Csv => Box::new(delimited::Delimited::new(b',', style, out)),
        OutputFormat::Tsv => Box::new(delimited::Delimited::new(b'\t', style, out)),
        OutputFormat::Ids => Box::new(ids::Ids::new(style, out)),
    }
}
