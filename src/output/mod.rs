//! Printing results, one module per format behind one entry point.
//!
//! Machine formats are built from the serde structs of [`crate::query`], so
//! the JSON Schemas in `schema/` (derived from the same structs) describe
//! exactly what is printed.

mod delimited;
pub mod schema;
mod stream;
mod text;

pub use stream::{BatchSink, HitStream};

use std::io::{self, IsTerminal, Write};

use crate::cli::OutputFormat;
use crate::index::document::StoredArticle;
use crate::query::Results;

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

/// Prints search results in the format asked for.
pub fn search(
    results: &Results,
    format: OutputFormat,
    style: Style,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match format {
        OutputFormat::Text => text::search(results, style, out)?,
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, results)?;
            writeln!(out)?;
        }
        OutputFormat::Jsonl => {
            for hit in &results.hits {
                serde_json::to_writer(&mut *out, hit)?;
                writeln!(out)?;
            }
        }
        OutputFormat::Csv => delimited::search(results, b',', out)?,
        OutputFormat::Tsv => delimited::search(results, b'\t', out)?,
        OutputFormat::Ids => {
            for hit in &results.hits {
                writeln!(out, "{}", hit.id)?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// Prints one article in full.
pub fn article(
    article: &StoredArticle,
    format: OutputFormat,
    style: Style,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match format {
        OutputFormat::Json | OutputFormat::Jsonl => {
            serde_json::to_writer_pretty(&mut *out, article)?;
            writeln!(out)?;
        }
        _ => text::article(article, style, out)?,
    }
    out.flush()?;
    Ok(())
}
