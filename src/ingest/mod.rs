//! The read side of the write pipeline: find files, decode bytes, parse each
//! format into [`Article`]s and clean their text.
//!
//! `walk` finds the files and `manifest` remembers what was indexed; both are
//! driven by the index command. Everything else here is pure: bytes in,
//! articles (or a clear error naming where the input went wrong) out.

pub mod formats;
pub mod manifest;
pub mod walk;

use std::path::Path;

use crate::article::{Article, Format};

/// What reading one file gives: its articles, and the records that failed
/// (a malformed JSON line among good ones costs that line only).
#[derive(Debug, Default)]
pub struct FileRead {
    pub format: Option<Format>,
    pub articles: Vec<Article>,
    pub errors: Vec<RecordError>,
}

/// One record of a multi-article file that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordError {
    /// Where in the file: "line 12", "record 3", "byte 4096".
    pub location: String,
    pub message: String,
}

/// Why a whole file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("empty file")]
    Empty,
    #[error("binary data, not text (NUL byte at byte {0})")]
    Binary(usize),
    #[error("broken gzip stream: {0}")]
    Gzip(String),
    #[error("unrecognised format")]
    UnknownFormat,
    #[error("{location}: {message}")]
    Malformed { location: String, message: String },
    #[error("no article text found")]
    NoText,
    /// A file named like a web page that holds something else (a PDF, an
    /// image, an archive), named by what it looks like.
    #[error("not a web page: looks like {0}")]
    NotHtml(String),
}

/// Reads one file from disk: see [`parse_bytes`].
pub fn read_file(path: &Path) -> Result<FileRead, ReadError> {
    let bytes = std::fs::read(path)?;
    parse_bytes(path, &bytes)
}

/// Parses the raw bytes of one file (gzip-compressed or not) into articles.
/// The format comes from the extension, or from the content when the
/// extension says nothing. `path` names the file in articles and errors.
pub fn parse_bytes(path: &Path, bytes: &[u8]) -> Result<FileRead, ReadError> {
    let _ = (path, bytes);
    todo!("owned by the ingest work")
}
