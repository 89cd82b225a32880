//! Saved web pages: the article a reader sees, without the menus, share
//! buttons and related-story lists around it, and the page's metadata.
//!
//! [`parse`] takes the raw bytes: `charset` decodes them (BOM, `<meta>`
//! declaration, UTF-8, else Windows-1252), html5ever (through `scraper`)
//! builds the tree, `metadata` reads title, authors, date, URL, site and
//! language, and `extract` finds the main text. A page that is not an
//! article (an index page, a video page) still gives its text, flagged
//! `not_article`.

/// Public for the decode fuzz target, which drives it on raw bytes.
pub mod charset;
mod depth;
mod extract;
mod metadata;

pub use metadata::parse_date;

use std::path::Path;

use scraper::Html;

use crate::article::{Article, Format};
use crate::ingest::ReadError;

/// How much of the start of a file is checked for binary content.
const BINARY_SNIFF_BYTES: usize = 64 * 1024;

/// Reads one saved web page into an [`Article`].
///
/// Fails on an empty file, on binary content (a NUL byte where text should
/// be: images or archives saved under an `.html` name) and on a page with no
/// text at all.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Article, ReadError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ReadError::Empty);
    }
    if let Some(kind) = binary_signature(bytes) {
        return Err(ReadError::NotHtml(kind.to_string()));
    }
    let has_bom = encoding_rs::Encoding::for_bom(bytes).is_some();
    if !has_bom {
        let sniff = &bytes[..bytes.len().min(BINARY_SNIFF_BYTES)];
        if let Some(pos) = sniff.iter().position(|&b| b == 0) {
            return Err(ReadError::Binary(pos));
        }
        // Text has few control bytes besides tab, newline, form feed and
        // carriage return; compressed or encrypted data has many.
        let controls = sniff
            .iter()
            .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | 0x1b))
            .count();
        if controls * 100 > sniff.len() {
            return Err(ReadError::NotHtml(
                "binary data (control bytes)".to_string(),
            ));
        }
    }
    let (text, _encoding) = charset::decode(bytes);
    let doc = Html::parse_document(&depth::cap_depth(&text));
    let meta = metadata::read(&doc);
    let mut main = extract::extract(&doc, &meta.title, &meta.authors);
    // With no standfirst by markup, a first paragraph that is the page's
    // own description is the summary under the headline.
    if main.standfirst.is_empty()
        && let Some(description) = &meta.description
        && main
            .body
            .first()
            .is_some_and(|p| metadata::fold(p) == metadata::fold(description))
        && main.body.len() > 1
    {
        main.standfirst = main.body.remove(0);
    }
    let authors = if meta.authors.is_empty() {
        main.byline
            .as_deref()
            .map(metadata::split_authors)
            .unwrap_or_default()
    } else {
        meta.authors
    };

    if meta.title.is_empty() && main.body.is_empty() && main.standfirst.is_empty() {
        return Err(ReadError::NoText);
    }
    // Pages that say they are articles (JSON-LD, og:type) are believed
    // unless no body text was found or the article part was a sliver.
    let not_article =
        main.sliver || main.body.is_empty() || (!main.readerable && !meta.declares_article);
    Ok(Article {
        path: path.display().to_string(),
        format: Some(Format::Html),
        url: meta.url,
        source: meta.source,
        title: meta.title,
        standfirst: main.standfirst,
        body: main.body,
        captions: main.captions,
        authors,
        published: meta.published,
        language: meta.language,
        not_article,
        ..Default::default()
    })
}

/// What a file is when its first bytes are the signature of a common
/// binary format.
fn binary_signature(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"%PDF-", "a PDF document"),
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"PK\x03\x04", "a ZIP archive"),
        (b"\x1f\x8b", "gzip data (name it .html.gz)"),
        (b"RIFF", "a RIFF file (WebP, WAV, AVI)"),
    ];
    SIGNATURES
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, kind)| *kind)
}

/// Collapses runs of whitespace (non-breaking spaces included) to one space,
/// drops zero-width characters and soft hyphens, and trims.
pub(crate) fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else if matches!(
            c,
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' | '\u{ad}'
        ) {
            continue;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(name: &str) -> Article {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/html")
            .join(name);
        let bytes = std::fs::read(&path).expect("fixture present");
        parse(&path, &bytes).expect("fixture parses")
    }

    fn body(a: &Article) -> String {
        a.body_text()
    }

    #[test]
    fn normalize_collapses_whitespace() {
        assert_eq!(normalize("  a\u{a0}\n b\u{200b}c  "), "a bc");
    }

    #[test]
    fn news_page_keeps_body_drops_boilerplate() {
        let a = page("news-article.html");
        let text = body(&a);
        assert!(text.contains("lighthouse keeper"), "{text}");
        assert!(text.contains("the last paragraph of the story"), "{text}");
        for junk in [
            "Subscribe to our newsletter",
            "Share on",
            "Most read",
            "cookies",
            "Comments (12)",
            "Sections",
            "All rights reserved",
        ] {
            assert!(!text.contains(junk), "{junk:?} kept in {text}");
        }
        assert_eq!(
            a.captions,
            vec!["The lighthouse at dusk, seen from the harbour wall."]
        );
        assert!(!a.not_article);
        assert_eq!(a.format, Some(Format::Html));
        assert!(a.path.ends_with("news-article.html"));
    }

    #[test]
    fn json_ld_metadata_comes_first() {
        let a = page("news-article.html");
        assert_eq!(a.title, "Lighthouse keeper retires after forty years");
        assert_eq!(a.authors, vec!["Mara Quill"]);
        assert_eq!(
            a.published.map(|d| d.to_rfc3339()).as_deref(),
            Some("2021-03-04T09:30:00+00:00")
        );
        assert_eq!(
            a.url.as_deref(),
            Some("https://coastal.example/news/lighthouse-keeper")
        );
        assert_eq!(a.source.as_deref(), Some("The Coastal Gazette"));
        assert_eq!(a.language.as_deref(), Some("en"));
        assert_eq!(
            a.standfirst,
            "After four decades on the rock, the keeper hands over the lamp to an automatic beacon."
        );
    }

    #[test]
    fn open_graph_when_no_json_ld() {
        let html = r#"<html lang="de-DE"><head><title>Ignored | Site</title>
            <meta property="og:title" content="Bridge reopens after repairs">
            <meta property="og:site_name" content="Town Post">
            <meta property="og:url" content="https://town.example/bridge">
            <meta property="article:published_time" content="2020-05-06T07:08:09+02:00">
            <meta name="author" content="Ann Lee and Bo Chen">
            </head><body><article><p>The bridge over the river reopened on Tuesday morning, after repairs that took most of the winter and cost more than planned.</p></article></body></html>"#;
        let a = parse(Path::new("og.html"), html.as_bytes()).expect("parses");
        assert_eq!(a.title, "Bridge reopens after repairs");
        assert_eq!(a.source.as_deref(), Some("Town Post"));
        assert_eq!(a.url.as_deref(), Some("https://town.example/bridge"));
        assert_eq!(a.authors, vec!["Ann Lee", "Bo Chen"]);
        assert_eq!(
            a.published.map(|d| d.to_rfc3339()).as_deref(),
            Some("2020-05-06T05:08:09+00:00")
        );
        assert_eq!(a.language.as_deref(), Some("de"));
    }

    #[test]
    fn description_paragraph_becomes_standfirst() {
        let html = r#"<html><head><title>Tides</title>
            <meta name="description" content="Spring tides reach the car park twice this month.">
            </head><body><article><p>Spring tides reach the car park twice this month.</p>
            <p>The council has put up signs at the harbour, and asks drivers to check the tide tables before parking near the slipway.</p></article></body></html>"#;
        let a = parse(Path::new("d.html"), html.as_bytes()).expect("parses");
        assert_eq!(
            a.standfirst,
            "Spring tides reach the car park twice this month."
        );
        assert_eq!(a.body.len(), 1);
    }

    #[test]
    fn title_tag_loses_site_name() {
        let html = r#"<html><head><title>Council votes to plant a thousand trees | The Town Post</title>
            <meta property="og:site_name" content="The Town Post"></head>
            <body><time datetime="2019-09-10">10 Sept</time><p>The council voted on Monday to plant a thousand trees along the ring road, starting in the autumn.</p></body></html>"#;
        let a = parse(Path::new("t.html"), html.as_bytes()).expect("parses");
        assert_eq!(a.title, "Council votes to plant a thousand trees");
        assert_eq!(
            a.published.map(|d| d.to_rfc3339()).as_deref(),
            Some("2019-09-10T00:00:00+00:00")
        );
    }

    #[test]
    fn windows_1252_page_decodes() {
        let mut html = b"<html><head><meta charset=\"windows-1252\"><title>Caf\xe9 prices</title></head><body><p>".to_vec();
        html.extend_from_slice(b"A coffee at the caf\xe9 now costs \xa33, up from \xa32.50 last year, the owners said on Friday.</p></body></html>");
        let a = parse(Path::new("cp1252.html"), &html).expect("parses");
        assert_eq!(a.title, "Caf\u{e9} prices");
        assert!(
            a.body_text().contains("caf\u{e9} now costs \u{a3}3"),
            "{}",
            a.body_text()
        );
    }

    #[test]
    fn latin1_by_http_equiv() {
        let html = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\"><title>Na\xefve</title></head><body><p>The na\xefve approach was dropped in the end, and nobody missed it.</p></body></html>";
        let a = parse(Path::new("latin1.html"), html).expect("parses");
        assert_eq!(a.title, "Na\u{ef}ve");
        assert!(a.body_text().contains("na\u{ef}ve approach"));
    }

    #[test]
    fn index_page_is_flagged_but_kept() {
        let a = page("index-page.html");
        assert!(a.not_article);
        assert!(!a.body.is_empty());
    }

    #[test]
    fn binary_file_is_an_error() {
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
        let err = parse(Path::new("image.html"), png).expect_err("binary");
        assert_eq!(err.to_string(), "not a web page: looks like a PNG image");
        let nul = b"<html>\x00\x01\x02";
        let err = parse(Path::new("x.html"), nul).expect_err("binary");
        assert!(matches!(err, ReadError::Binary(6)), "{err}");
        let noise: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251 + 1) as u8).collect();
        let err = parse(Path::new("noise.html"), &noise).expect_err("binary");
        assert!(matches!(err, ReadError::NotHtml(_)), "{err}");
    }

    #[test]
    fn empty_file_is_an_error() {
        assert!(matches!(
            parse(Path::new("e.html"), b""),
            Err(ReadError::Empty)
        ));
        assert!(matches!(
            parse(Path::new("e.html"), b"  \n "),
            Err(ReadError::Empty)
        ));
        assert!(matches!(
            parse(
                Path::new("e.html"),
                b"<html><head></head><body><script>x()</script></body></html>"
            ),
            Err(ReadError::NoText)
        ));
    }

    #[test]
    fn deeply_nested_page_reads() {
        let depth = 5000;
        let mut html = String::from("<html><body>");
        html.push_str(&"<div>".repeat(depth));
        html.push_str(
            "<p>Buried under many wrappers, this paragraph still counts, and reads fine.</p>",
        );
        html.push_str(&"</div>".repeat(depth));
        html.push_str("</body></html>");
        let a = parse(Path::new("deep.html"), html.as_bytes()).expect("parses");
        assert!(a.body_text().contains("Buried under many wrappers"));
    }

    #[test]
    fn malformed_markup_still_reads() {
        let html = "<html><body><div class=content><p>Unclosed paragraph with enough words to count as text, and a comma.<p>Second one <b>bold <i>mis</b>nested</i> text, still fine.</div>";
        let a = parse(Path::new("m.html"), html.as_bytes()).expect("parses");
        assert!(
            a.body_text().contains("Second one bold misnested text"),
            "{:?}",
            a.body
        );
    }
}
