//! The read side of the write pipeline: find files, decode bytes, parse each
//! format into [`Article`]s and clean their text.
//!
//! `walk` finds the files and `manifest` remembers what was indexed; both are
//! driven by the index command. Everything else here is pure: bytes in,
//! articles (or a clear error naming where the input went wrong) out:
//!
//! - [`decode`]: gzip, charset (UTF-8, UTF-16, Windows-1252 fallback),
//!   refusal of binary and empty input;
//! - [`formats`]: which format a file is in, and one reader per format;
//! - [`clean`]: what is story text and what is page furniture;
//! - [`dates`]: publication dates from crawler strings and archive paths;
//! - [`limits`]: the largest file and article taken on.
//!
//! Errors carry no path: the caller knows it and prefixes it
//! (`archive/x.jsonl:line 12: …`).

pub mod clean;
pub mod dates;
pub mod decode;
pub mod formats;
pub mod globs;
pub mod limits;
pub mod manifest;
pub mod not_article;
pub mod sources;
pub mod walk;

use std::borrow::Cow;
use std::path::Path;

use crate::article::{Article, Format};
use limits::Limits;

/// What reading one file gives: its articles, and the records that failed
/// (a malformed JSON line among good ones costs that line only).
#[derive(Debug, Default)]
pub struct FileRead {
    pub format: Option<Format>,
    pub articles: Vec<Article>,
    pub errors: Vec<RecordError>,
    /// Records with nothing in them: skipped, not failed.
    pub empty: Vec<RecordError>,
}

impl FileRead {
    /// Keeps one record a reader handed on.
    pub fn take(&mut self, record: Record) {
        match record {
            Record::Article(article) => self.articles.push(article),
            Record::Error(error) => self.errors.push(error),
            Record::Empty(empty) => self.empty.push(empty),
        }
    }
}

/// One record of a file as a reader hands it on: an article, or why it
/// could not be read.
#[derive(Debug)]
// Handed on by value once per article and never stored in bulk: boxing
// would only add an allocation.
#[allow(clippy::large_enum_variant)]
pub enum Record {
    Article(Article),
    Error(RecordError),
    /// A record with no text at all (no title and no body): nothing to
    /// index, and nothing wrong with the file either.
    Empty(RecordError),
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
    /// Over one of the size limits ([`Limits`]); the message names the option.
    #[error("{0}")]
    TooLarge(String),
    #[error("unrecognised format")]
    UnknownFormat,
    #[error("{location}: {message}")]
    Malformed { location: String, message: String },
    #[error("no article text found")]
    NoText,
    /// Not an article at all (a word list): skipped, not failed.
    #[error("not an article: {}", .0.describe())]
    NotAnArticle(not_article::Reason),
    /// A file named like a web page that holds something else (a PDF, an
    /// image, an archive), named by what it looks like.
    #[error("not a web page: looks like {0}")]
    NotHtml(String),
    /// A reader failed unexpectedly on this input (a bug worth reporting
    /// with the file); the run goes on without it.
    #[error("internal error while reading, please report it with this file: {0}")]
    Internal(String),
}

/// Reads one file from disk with the default [`Limits`]: see [`parse_bytes`].
pub fn read_file(path: &Path) -> Result<FileRead, ReadError> {
    read_file_with(path, &Limits::default())
}

/// Reads one file from disk, refusing it unread when it is over the file
/// limit; see [`read_file_each`].
pub fn read_file_with(path: &Path, limits: &Limits) -> Result<FileRead, ReadError> {
    let mut read = FileRead::default();
    read.format = Some(read_file_each(path, limits, true, &mut |record| {
        read.take(record)
    })?);
    Ok(read)
}

/// Reads one file from disk and hands each of its records to `each` as soon
/// as it is read, so a feed of millions of articles need not be held at once.
/// The file is refused unread when it is over the file limit; the bytes read
/// are handed on, not copied (a large UTF-8 file is held once). With
/// `judge`, a text file that is no article (a word list) is refused as
/// [`ReadError::NotAnArticle`]; without, it is read as the user asked.
pub fn read_file_each(
    path: &Path,
    limits: &Limits,
    judge: bool,
    each: &mut dyn FnMut(Record),
) -> Result<Format, ReadError> {
    limits.check_file(std::fs::metadata(path)?.len())?;
    let bytes = std::fs::read(path)?;
    // Grown while we were not looking: the limit holds for what was read.
    limits.check_file(bytes.len() as u64)?;
    parse_each(path, Cow::Owned(bytes), limits, judge, each)
}

/// Parses the raw bytes of one file (gzip-compressed or not) into articles,
/// with the default [`Limits`].
/// The format comes from the extension, or from the content when the
/// extension says nothing. `path` names the file in articles and errors.
///
/// Every article comes out with `path` and `format` set, `record` set for
/// multi-article formats, and `published` taken from the path
/// (`…/2019/12/30/…`) when the content gives no date.
pub fn parse_bytes(path: &Path, bytes: &[u8]) -> Result<FileRead, ReadError> {
    let mut read = FileRead::default();
    let format = parse_each(
        path,
        Cow::Borrowed(bytes),
        &Limits::default(),
        true,
        &mut |record| read.take(record),
    )?;
    read.format = Some(format);
    Ok(read)
}

/// [`parse_bytes`] within `limits`, handing records to `each`. An article
/// over the article limit becomes a record error (a page or a text file is
/// refused whole, before it is parsed).
fn parse_each(
    path: &Path,
    bytes: Cow<[u8]>,
    limits: &Limits,
    judge: bool,
    each: &mut dyn FnMut(Record),
) -> Result<Format, ReadError> {
    let raw = decode::decompress_within(path, bytes, limits)?;
    let format = formats::detect(path, &raw);
    let multi = matches!(format, Format::Json | Format::Jsonl | Format::Sgml);
    if !multi {
        limits.check_article(raw.len() as u64)?;
    }
    let shown = path.to_string_lossy().into_owned();
    let path_date = dates::from_path(&shown);
    let mut records = 0u64;
    let mut finish = |record: Record| {
        records += 1;
        let record = match record {
            Record::Article(mut article) => {
                article.path.clone_from(&shown);
                article.format = Some(format);
                if article.published.is_none() {
                    article.published = path_date;
                }
                match limits.check_article(limits::article_len(&article)) {
                    Ok(()) => Record::Article(article),
                    Err(err) => Record::Error(RecordError {
                        location: match format {
                            Format::Jsonl => format!("line {}", article.record.unwrap_or(1)),
                            _ => format!("record {}", article.record.unwrap_or(1)),
                        },
                        message: err.to_string(),
                    }),
                }
            }
            error => error,
        };
        each(record);
    };
    match format {
        Format::Html => {
            decode::check_binary(&raw)?;
            finish(Record::Article(formats::html::parse(path, &raw)?));
        }
        Format::Text => {
            let text = decode::decode_owned(raw)?;
            if judge && not_article::is_word_list(&text) {
                return Err(ReadError::NotAnArticle(not_article::Reason::WordList));
            }
            finish(Record::Article(formats::text::parse(&text)?))
        }
        Format::Json => formats::json::parse_each(&decode::decode_owned(raw)?, &mut finish)?,
        Format::Jsonl => formats::json::parse_lines_each(&decode::decode_owned(raw)?, &mut finish),
        Format::Sgml => {
            let read = formats::sgml::parse(&decode::decode_owned(raw)?);
            read.articles
                .into_iter()
                .map(Record::Article)
                .chain(read.errors.into_iter().map(Record::Error))
                .chain(read.empty.into_iter().map(Record::Empty))
                .for_each(&mut finish);
        }
    }
    if records == 0 {
        return Err(ReadError::NoText);
    }
    Ok(format)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/seed/iraq-us-airstrikes"
    );

    #[test]
    fn seed_page_comes_out_as_a_careful_reader_takes_it() {
        let read = read_file(Path::new(&format!("{SEED}.txt"))).unwrap();
        let expected: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(format!("{SEED}.expected.json")).unwrap(),
        )
        .unwrap();
        let a = &read.articles[0];
        assert_eq!(read.articles.len(), 1);
        assert_eq!(a.format, Some(Format::Text));
        assert_eq!(a.record, None);
        assert_eq!(a.title, expected["title"].as_str().unwrap());
        assert_eq!(a.standfirst, expected["standfirst"].as_str().unwrap());
        assert_eq!(a.captions, vec![expected["caption"].as_str().unwrap()]);
        for p in expected["body_paragraphs_each_once"].as_array().unwrap() {
            let p = p.as_str().unwrap();
            assert_eq!(a.body.iter().filter(|b| *b == p).count(), 1, "{p}");
        }
        for noise in expected["noise_lines_not_in_body"].as_array().unwrap() {
            let noise = noise.as_str().unwrap();
            assert!(!a.body.iter().any(|b| b == noise), "{noise}");
        }
        assert!(!a.body.iter().any(|b| b.contains(&a.title)));
        let mut seen = clean::Seen::default();
        assert!(a.body.iter().all(|b| seen.first(b)), "a paragraph repeats");
    }

    fn fixture(rel: &str) -> Result<FileRead, ReadError> {
        read_file(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(rel),
        )
    }

    fn titles(read: &FileRead) -> Vec<&str> {
        read.articles.iter().map(|a| a.title.as_str()).collect()
    }

    #[test]
    fn every_format_fixture_reads() {
        let cases: &[(&str, Format, usize)] = &[
            ("formats/article.txt", Format::Text, 1),
            ("formats/article.txt.gz", Format::Text, 1),
            ("formats/scraped.txt", Format::Text, 1),
            ("formats/article.json", Format::Json, 1),
            ("formats/articles.json", Format::Json, 3),
            ("formats/wrapped.json", Format::Json, 2),
            ("formats/articles.jsonl", Format::Jsonl, 2),
            ("formats/articles.ndjson.gz", Format::Jsonl, 2),
            ("formats/sniffed-json.dat", Format::Json, 1),
            ("formats/newswire.sgm", Format::Sgml, 3),
            ("formats/sniffed-sgml", Format::Sgml, 3),
        ];
        for (rel, format, count) in cases {
            let read = fixture(rel).unwrap_or_else(|e| panic!("{rel}: {e}"));
            assert_eq!(read.format, Some(*format), "{rel}");
            assert_eq!(read.articles.len(), *count, "{rel}");
            assert!(read.errors.is_empty(), "{rel}: {:?}", read.errors);
            for a in &read.articles {
                assert!(a.path.ends_with(rel), "{rel}");
                assert_eq!(a.format, Some(*format));
                assert!(!a.title.is_empty(), "{rel}");
                assert_eq!(
                    a.record.is_some(),
                    *count > 1 || *format == Format::Sgml,
                    "{rel}"
                );
            }
        }
    }

    #[test]
    fn html_goes_to_the_html_reader() {
        // The placeholder reader refuses; the real one returns an article.
        match fixture("formats/page.html") {
            Err(ReadError::UnknownFormat) => {}
            Ok(read) => assert_eq!(read.format, Some(Format::Html)),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn sgml_fixture_fields() {
        let read = fixture("formats/newswire.sgm").unwrap();
        let a = &read.articles[0];
        assert_eq!(a.record, Some(901));
        assert_eq!(a.tags, vec!["topics:grain", "places:canada", "places:usa"]);
        assert_eq!(a.dateline.as_deref(), Some("WINNIPEG, March 2 -"));
        assert_eq!(a.body.len(), 2);
        assert!(a.body[1].contains("U.S. & Mexico"));
        assert_eq!(titles(&read)[2], "EXAMPLE FLASH: RATES UNCHANGED");
    }

    #[test]
    fn whole_file_errors() {
        assert!(matches!(fixture("bad/empty.txt"), Err(ReadError::Empty)));
        assert!(matches!(
            fixture("bad/whitespace-only.txt"),
            Err(ReadError::Empty)
        ));
        assert!(matches!(
            fixture("bad/binary.txt"),
            Err(ReadError::Binary(_))
        ));
        assert!(matches!(
            fixture("bad/truncated.txt.gz"),
            Err(ReadError::Gzip(_))
        ));
        assert!(matches!(
            fixture("bad/not-really.json.gz"),
            Err(ReadError::Gzip(_))
        ));
        assert!(matches!(
            fixture("bad/broken.json"),
            Err(ReadError::Malformed { .. })
        ));
        assert!(matches!(
            fixture("bad/no-text.json"),
            Err(ReadError::NoText)
        ));
        assert!(matches!(
            fixture("bad/only-furniture.txt"),
            Err(ReadError::NoText)
        ));
        assert!(matches!(
            read_file(Path::new("tests/fixtures/bad/does-not-exist.txt")),
            Err(ReadError::Io(_))
        ));
    }

    #[test]
    fn bad_records_cost_only_themselves() {
        let read = fixture("bad/mixed.jsonl").unwrap();
        assert_eq!(
            titles(&read),
            vec!["Good line one", "Good line four", "Good line eight"]
        );
        let locations: Vec<&str> = read.errors.iter().map(|e| e.location.as_str()).collect();
        assert_eq!(locations, vec!["line 2", "line 5", "line 7"]);
        assert_eq!(read.empty[0].location, "line 6");

        let read = fixture("bad/unterminated.sgm").unwrap();
        assert_eq!(read.articles.len(), 2);
        assert_eq!(read.errors.len(), 1);
        assert!(read.errors[0].location.contains("NEWID 901"));
    }

    #[test]
    fn windows_1252_text_decodes_with_the_pound_sign() {
        let read = fixture("bad/windows-1252.txt").unwrap();
        assert_eq!(read.articles[0].title, "Tickets cost \u{a3}15 at the door");
        assert!(read.articles[0].body[0].contains("\u{201c}at most\u{201d}"));
    }

    #[test]
    fn date_falls_back_to_the_path() {
        let read = parse_bytes(Path::new("a/2017/03/14/x.txt"), b"Title\n\nBody.").unwrap();
        let date = read.articles[0].published.unwrap();
        assert_eq!(date.to_rfc3339(), "2017-03-14T00:00:00+00:00");
        let read = parse_bytes(
            Path::new("a/2017/03/14/x.json"),
            br#"{"title":"T","date":"2019-12-30"}"#,
        )
        .unwrap();
        assert_eq!(
            read.articles[0].published.unwrap().to_rfc3339(),
            "2019-12-30T00:00:00+00:00"
        );
    }
}
