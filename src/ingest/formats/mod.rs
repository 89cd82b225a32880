//! Which format a file is in, and the reader for each.
//!
//! The extension decides when it names a format (`.gz` looked through);
//! otherwise the first bytes do. Each reader turns text (or, for HTML, raw
//! bytes) into articles and leaves `path`, `format` and the date fallback to
//! [`crate::ingest::parse_bytes`].

pub mod html;
pub mod json;
pub mod sgml;
pub mod text;

use std::path::Path;

use crate::article::Format;

/// Extensions that name a format, lowercase, without the dot.
const EXTENSIONS: &[(&str, Format)] = &[
    ("txt", Format::Text),
    ("text", Format::Text),
    ("json", Format::Json),
    ("jsonl", Format::Jsonl),
    ("ndjson", Format::Jsonl),
    ("sgm", Format::Sgml),
    ("sgml", Format::Sgml),
    ("html", Format::Html),
    ("htm", Format::Html),
    ("xhtml", Format::Html),
];

/// How far into a file the sniffer looks for a marker such as `<REUTERS`.
const SNIFF_LEN: usize = 1024;

/// The format of a file: by extension when it names one, else by content.
/// `bytes` are the decompressed content.
pub fn detect(path: &Path, bytes: &[u8]) -> Format {
    match from_extension(path) {
        // Crawlers name JSON Lines dumps `.json` and arrays `.jsonl`: within
        // the JSON family the content decides.
        Some(named @ (Format::Json | Format::Jsonl)) => match sniff(bytes) {
            sniffed @ (Format::Json | Format::Jsonl) => sniffed,
            _ => named,
        },
        Some(format) => format,
        None => sniff(bytes),
    }
}

/// The format the extension names, looking through a trailing `.gz`.
/// `None` for no extension or one that names no format (`.dat`).
pub fn from_extension(path: &Path) -> Option<Format> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let (_, ext) = name.rsplit_once('.')?;
    EXTENSIONS.iter().find(|(e, _)| *e == ext).map(|&(_, f)| f)
}

/// The format the content looks like: JSON and JSONL by their first
/// character (JSONL when the first line is a whole object and more follow),
/// SGML by a Reuters record or the `lewis` doctype, HTML by its doctype or
/// root element; anything else is text.
pub fn sniff(bytes: &[u8]) -> Format {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let body = &bytes[start..];
    let head = &body[..body.len().min(SNIFF_LEN)];
    let lower = head.to_ascii_lowercase();
    match head.first() {
        Some(b'[') => return Format::Json,
        Some(b'{') => {
            return if looks_like_jsonl(body) {
                Format::Jsonl
            } else {
                Format::Json
            };
        }
        _ => {}
    }
    let starts = |p: &[u8]| lower.starts_with(p);
    if starts(b"<reuters") || starts(b"<!doctype lewis") {
        return Format::Sgml;
    }
    if starts(b"<!doctype html")
        || starts(b"<html")
        || starts(b"<?xml") && contains(&lower, b"<html")
    {
        return Format::Html;
    }
    if starts(b"<!--") || starts(b"<head") || starts(b"<meta") {
        return Format::Html;
    }
    Format::Text
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

/// JSON Lines: the first line is a complete object on its own and another
/// non-blank line follows. A pretty-printed object fails the first test.
fn looks_like_jsonl(body: &[u8]) -> bool {
    let Some(end) = memchr::memchr(b'\n', body) else {
        return false;
    };
    let first = body[..end].trim_ascii();
    let rest_has_text = body[end..].iter().any(|b| !b.is_ascii_whitespace());
    rest_has_text
        && first.ends_with(b"}")
        && serde_json::from_slice::<serde::de::IgnoredAny>(first).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_names_the_format_through_gz() {
        let f = |p: &str| from_extension(Path::new(p));
        assert_eq!(f("a/b.txt"), Some(Format::Text));
        assert_eq!(f("a/b.TEXT"), Some(Format::Text));
        assert_eq!(f("a/b.json.gz"), Some(Format::Json));
        assert_eq!(f("a/b.ndjson"), Some(Format::Jsonl));
        assert_eq!(f("reut2-000.sgm"), Some(Format::Sgml));
        assert_eq!(f("page.HTM.gz"), Some(Format::Html));
        assert_eq!(f("a/b.dat"), None);
        assert_eq!(f("a/README"), None);
        assert_eq!(f("a/b.gz"), None);
    }

    #[test]
    fn content_decides_when_extension_does_not() {
        assert_eq!(sniff(b"  [{\"title\":\"x\"}]"), Format::Json);
        assert_eq!(sniff(b"{\n  \"title\": \"x\"\n}\n"), Format::Json);
        assert_eq!(
            sniff(b"{\"title\":\"x\"}\n{\"title\":\"y\"}\n"),
            Format::Jsonl
        );
        assert_eq!(
            sniff(b"<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n<REUTERS>"),
            Format::Sgml
        );
        assert_eq!(sniff(b"<REUTERS NEWID=\"1\">"), Format::Sgml);
        assert_eq!(sniff(b"\xEF\xBB\xBF<!doctype html><html>"), Format::Html);
        assert_eq!(sniff(b"<HTML><body>"), Format::Html);
        assert_eq!(sniff(b"Title\n\nBody."), Format::Text);
    }

    #[test]
    fn detect_prefers_the_extension() {
        assert_eq!(detect(Path::new("x.txt"), b"{\"a\":1}"), Format::Text);
        assert_eq!(detect(Path::new("x.dat"), b"{\"a\":1}"), Format::Json);
        assert_eq!(detect(Path::new("x"), b"<REUTERS>"), Format::Sgml);
        assert_eq!(
            detect(Path::new("x.json"), b"{\"a\":1}\n{\"a\":2}\n"),
            Format::Jsonl
        );
        assert_eq!(
            detect(Path::new("x.jsonl"), b"[{\"a\":1},\n{\"a\":2}]"),
            Format::Json
        );
        assert_eq!(detect(Path::new("x.jsonl"), b"oops"), Format::Jsonl);
    }
}
