//! The [`Article`] every stage of the write side passes along.
//!
//! Readers of the input formats produce it, the cleaner fills its text fields,
//! the entity extractor annotates it, and the index writer turns it into a
//! Tantivy document. It owns no behaviour beyond what derives from its fields.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The input formats newsdex reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// An article saved as plain text (BBC shape or a scraped page).
    Text,
    /// One JSON article or an array of them.
    Json,
    /// One JSON article per line (`.jsonl`, `.ndjson`).
    Jsonl,
    /// Reuters-style SGML newswire, many `<REUTERS>` records per file.
    Sgml,
    /// A saved web page.
    Html,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Sgml => "sgml",
            Format::Html => "html",
        }
    }
}

/// One news article, as read from an archive and cleaned.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Path of the file it came from, as given on the command line walk.
    pub path: String,
    /// Position of the record inside a multi-article file (JSON array, JSONL
    /// line number, SGML record), counted from 1; `None` for one-article files.
    pub record: Option<u64>,
    pub format: Option<Format>,
    pub url: Option<String>,
    /// Publisher or site, e.g. "Reuters", "bbc.co.uk".
    pub source: Option<String>,
    pub title: String,
    /// The summary paragraph under the headline, when the page has one.
    pub standfirst: String,
    /// Body paragraphs in reading order, each once.
    pub body: Vec<String>,
    /// Photo captions, kept apart from the body.
    pub captions: Vec<String>,
    pub authors: Vec<String>,
    /// Where the story was filed from, e.g. "WASHINGTON, March 3 -".
    pub dateline: Option<String>,
    pub published: Option<DateTime<Utc>>,
    /// ISO 639-1 code when the input says so.
    pub language: Option<String>,
    /// Editors' labels carried by the input (Reuters PLACES/PEOPLE/ORGS/TOPICS
    /// codes), written `kind:code`, e.g. `places:usa`. Labels, not text.
    pub tags: Vec<String>,
    /// True when the reader judged the input is not an article (an index page,
    /// a video page): its text is still indexed.
    pub not_article: bool,
}

impl Article {
    /// The body as one string, paragraphs separated by blank lines.
    pub fn body_text(&self) -> String {
        self.body.join("\n\n")
    }

    /// Words in title, standfirst and body (whitespace-separated runs).
    pub fn word_count(&self) -> u64 {
        let count = |s: &str| s.split_whitespace().count() as u64;
        count(&self.title)
            + count(&self.standfirst)
            + self.body.iter().map(|p| count(p)).sum::<u64>()
    }

    /// A stable id derived from the content alone, so the same article gets
    /// the same id wherever it lies: 16 hex digits of a BLAKE3 hash over the
    /// title and body, whitespace-normalised.
    pub fn content_id(&self) -> String {
        let mut hasher = blake3::Hasher::new();
        let mut feed = |s: &str| {
            for word in s.split_whitespace() {
                hasher.update(word.as_bytes());
                hasher.update(b" ");
            }
            hasher.update(b"\n");
        };
        feed(&self.title);
        for p in &self.body {
            feed(p);
        }
        let hash = hasher.finalize();
        hash.to_hex()[..16].to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_id_ignores_whitespace_and_location() {
        let a = Article {
            path: "a.txt".into(),
            title: "Title".into(),
            body: vec!["One  two\nthree".into()],
            ..Default::default()
        };
        let b = Article {
            path: "elsewhere/b.json".into(),
            title: " Title ".into(),
            body: vec!["One two three".into()],
            ..Default::default()
        };
        assert_eq!(a.content_id(), b.content_id());
        let c = Article {
            title: "Other".into(),
            ..b.clone()
        };
        assert_ne!(a.content_id(), c.content_id());
        assert_eq!(a.content_id().len(), 16);
    }

    #[test]
    fn word_count_counts_all_text_fields() {
        let a = Article {
            title: "A b".into(),
            standfirst: "c".into(),
            body: vec!["d e f".into(), "g".into()],
            ..Default::default()
        };
        assert_eq!(a.word_count(), 7);
    }
}
