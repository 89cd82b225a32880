//! Reuters-21578 SGML newswire: many `<REUTERS …>` records a file.
//!
//! The markup is SGML, not XML: no well-formedness to lean on, numeric
//! entities such as `&#3;` (the wire's end-of-text byte), bodies that are
//! plain text wrapped at 72 columns with paragraphs marked by indentation.
//! A record is found by scanning for its open and close tags with `memmem`
//! (the whole 21 MB corpus is a few hundred thousand `find`s), and each
//! record is read on its own so that one broken record costs only itself.

use std::borrow::Cow;
use std::ops::Range;

use memchr::memmem;

use crate::article::Article;
use crate::ingest::{FileRead, RecordError, dates};

/// Editors' code lists carried into `tags` as `kind:code`.
const CODE_LISTS: &[(&str, &str)] = &[
    ("TOPICS", "topics"),
    ("PLACES", "places"),
    ("PEOPLE", "people"),
    ("ORGS", "orgs"),
    ("EXCHANGES", "exchanges"),
    ("COMPANIES", "companies"),
];

/// The wire's sign-off line, not part of the story.
const SIGN_OFF: &[&str] = &["Reuter", "REUTER", "Reuters", "REUTERS"];

/// Body text of headline-only flashes in the corpus: a placeholder.
const BRIEF_PLACEHOLDER: &str = "Blah blah blah.";

/// Why a record with no title and no body is skipped (not failed).
const EMPTY_RECORD: &str = "no article text (no <TITLE> and an empty body)";

/// Reads every record of one SGML file; broken records become errors,
/// empty ones are set apart.
pub fn parse(text: &str) -> FileRead {
    let open = memmem::Finder::new("<REUTERS");
    let close = memmem::Finder::new("</REUTERS>");
    let mut read = FileRead::default();
    let mut pos = 0;
    let mut line = 1;
    let mut ordinal = 0u64;
    while let Some(found) = open.find(&text.as_bytes()[pos..]) {
        let start = pos + found;
        line += memchr::memchr_iter(b'\n', &text.as_bytes()[pos..start]).count();
        ordinal += 1;
        let after_tag = start + "<REUTERS".len();
        let next_open = open
            .find(&text.as_bytes()[after_tag..])
            .map(|i| after_tag + i);
        let end = close.find(&text.as_bytes()[start..]).map(|i| start + i);
        let tag_end = text[start..].find('>').map(|i| start + i);
        let id = tag_end
            .and_then(|e| attribute(&text[start..e], "NEWID"))
            .and_then(|v| v.parse::<u64>().ok());
        let location = match id {
            Some(id) => format!("line {line}, record {ordinal} (NEWID {id})"),
            None => format!("line {line}, record {ordinal}"),
        };
        match (end, next_open) {
            (Some(end), next) if next.is_none_or(|n| end < n) => {
                match record(&text[start..end]) {
                    Ok(a) => read.articles.push(Article {
                        record: Some(id.unwrap_or(ordinal)),
                        ..a
                    }),
                    Err(message) if message == EMPTY_RECORD => {
                        read.empty.push(RecordError { location, message })
                    }
                    Err(message) => read.errors.push(RecordError { location, message }),
                }
                pos = end + "</REUTERS>".len();
            }
            (_, next) => {
                read.errors.push(RecordError {
                    location,
                    message: "unterminated <REUTERS> record (no </REUTERS> before the next record)"
                        .into(),
                });
                pos = next.unwrap_or(text.len());
            }
        }
        line += memchr::memchr_iter(b'\n', &text.as_bytes()[start..pos]).count();
    }
    read
}

/// One record, from `<REUTERS` up to its close tag.
fn record(rec: &str) -> Result<Article, String> {
    let mut a = Article {
        source: Some("Reuters".into()),
        ..Article::default()
    };
    if let Some(date) = element(rec, "DATE") {
        // Some dates carry wire control codes after the time: "…59.13&#5;RM".
        let date = date.split('&').next().unwrap_or(date);
        a.published = dates::parse(date);
    }
    for (tag, kind) in CODE_LISTS {
        if let Some(list) = element(rec, tag) {
            for code in elements(list, "D") {
                let code = decode_entities(code.trim());
                if !code.is_empty() {
                    a.tags.push(format!("{kind}:{code}"));
                }
            }
        }
    }
    let text = text_element(rec)?;
    if let Some(title) = element(text, "TITLE") {
        a.title = one_line(title.trim_start_matches(['*', ' ', '\n']));
    }
    if let Some(dateline) = element(text, "DATELINE") {
        a.dateline = Some(one_line(dateline)).filter(|d| !d.is_empty());
    }
    if let Some(author) = element(text, "AUTHOR") {
        a.authors = authors(&one_line(author));
    }
    let body = match element(text, "BODY") {
        Some(body) => Cow::Borrowed(body),
        // BRIEF and UNPROC records carry their text bare inside <TEXT>.
        None => Cow::Owned(strip_elements(text, &["TITLE", "DATELINE", "AUTHOR"])),
    };
    a.body = paragraphs(&decode_entities(&body));
    if a.body.len() == 1 && a.body[0] == BRIEF_PLACEHOLDER {
        a.body.clear();
    }
    if a.title.is_empty() && a.body.first().is_some_and(|p| is_wire_headline(p)) {
        a.title = a.body.remove(0);
    }
    if a.title.is_empty() && a.body.is_empty() {
        return Err(EMPTY_RECORD.into());
    }
    Ok(a)
}

/// Untitled (UNPROC) records open with a headline in capitals:
/// "FEDERAL RESERVE WEEKLY REPORT 1 - FEB 26".
fn is_wire_headline(p: &str) -> bool {
    p.len() <= 120 && p.chars().any(char::is_alphabetic) && !p.chars().any(char::is_lowercase)
}

/// The content of `<TEXT …>…</TEXT>`; a record without one has no story.
fn text_element(rec: &str) -> Result<&str, String> {
    let open = rec.find("<TEXT").ok_or("no <TEXT> element")?;
    let content = open + rec[open..].find('>').ok_or("unterminated <TEXT> tag")? + 1;
    let end = rec[content..]
        .find("</TEXT>")
        .ok_or("unterminated <TEXT> element (no </TEXT>)")?;
    Ok(&rec[content..content + end])
}

/// The content of the first `<TAG>…</TAG>` (attributes allowed on the open
/// tag). Not recursive: Reuters elements of one name do not nest.
fn element<'a>(hay: &'a str, tag: &str) -> Option<&'a str> {
    element_span(hay, tag).map(|(_, inner)| &hay[inner])
}

/// Byte ranges of the first `<TAG …>…</TAG>`: the whole element and its
/// content.
fn element_span(hay: &str, tag: &str) -> Option<(Range<usize>, Range<usize>)> {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut from = 0;
    loop {
        let at = from + hay[from..].find(&open)?;
        let after = at + open.len();
        // `<D` must not match `<DATE>`: the name ends at '>' or a space.
        match hay.as_bytes().get(after) {
            Some(b'>' | b' ') => {
                let content = after + hay[after..].find('>')? + 1;
                let end = content + hay[content..].find(&close)?;
                return Some((at..end + close.len(), content..end));
            }
            _ => from = after,
        }
    }
}

/// Every `<TAG>…</TAG>` content in order, e.g. the `<D>` codes of a list.
fn elements<'a>(hay: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    let mut out = Vec::new();
    let mut rest = hay;
    while let Some(at) = rest.find(&open) {
        let content = &rest[at + open.len()..];
        let Some(end) = content.find(&close) else {
            break;
        };
        out.push(&content[..end]);
        rest = &content[end + close.len()..];
    }
    out
}

/// The text with the named elements (and their content) removed.
fn strip_elements(text: &str, tags: &[&str]) -> String {
    let mut out = text.to_string();
    for tag in tags {
        if let Some((outer, _)) = element_span(&out, tag) {
            // A removed element ends a paragraph.
            out.replace_range(outer, "\n\n");
        }
    }
    out
}

/// The value of `NAME="value"` in an open tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("{name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// Decodes `&#N;`, `&#xN;` and the five XML entities; unknown entities are
/// kept as written (the wire uses `&` in company names).
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let decoded = tail
            .find(';')
            .filter(|&end| end <= 10)
            .and_then(|end| entity(&tail[1..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &tail[end + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// Entities decoded, control bytes dropped, whitespace collapsed.
fn one_line(s: &str) -> String {
    let decoded = decode_entities(s);
    decoded
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Paragraphs of a wire body: a paragraph starts after a blank line or at
/// an indented line; wrapped lines are joined. The sign-off goes.
fn paragraphs(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for raw in body.split('\n') {
        // Wire control bytes (decoded `&#3;` and the like) are not text.
        let cleaned: String;
        let line = if raw.contains(|c: char| c.is_control() && c != '\t') {
            cleaned = raw
                .chars()
                .filter(|c| !c.is_control() || *c == '\t')
                .collect();
            cleaned.as_str()
        } else {
            raw
        };
        // A carriage return written in caret notation ("REUTER^M") is no text.
        let line = line.strip_suffix("^M").unwrap_or(line);
        let starts_new = line.is_empty() || line.starts_with([' ', '\t']);
        if starts_new && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        let words = line.split_whitespace();
        for w in words {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(w);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    // Flash markers ("******") and rules carry no words.
    out.retain(|p| p.chars().any(char::is_alphanumeric));
    while out.last().is_some_and(|p| SIGN_OFF.contains(&p.as_str())) {
        out.pop();
    }
    // A sign-off run into the last paragraph ("... next week. Reuter").
    if let Some(last) = out.last_mut()
        && let Some((text, word)) = last.rsplit_once(' ')
        && SIGN_OFF.contains(&word)
        && text.ends_with(['.', '!', '?', '"', ')'])
    {
        last.truncate(text.len());
    }
    out
}

/// `By Peter Torday, Reuters` → `["Peter Torday"]`.
fn authors(byline: &str) -> Vec<String> {
    let names = byline
        .strip_prefix("By ")
        .or_else(|| byline.strip_prefix("BY "))
        .unwrap_or(byline);
    names
        .split(',')
        .flat_map(|p| p.split(" and "))
        .map(str::trim)
        .filter(|n| !n.is_empty() && !n.to_lowercase().starts_with("reuter"))
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = r#"<!DOCTYPE lewis SYSTEM "lewis.dtd">
<REUTERS TOPICS="YES" NEWID="7">
<DATE>26-FEB-1987 15:01:01.79</DATE>
<TOPICS><D>grain</D><D>wheat</D></TOPICS>
<PLACES><D>usa</D></PLACES>
<PEOPLE></PEOPLE>
<TEXT>&#2;
<TITLE>FARM GROUP SAYS A &amp; B &lt;ABC&gt; CROP UP</TITLE>
<AUTHOR>    By Jane Doe, Reuters</AUTHOR>
<DATELINE>    CHICAGO, Feb 26 - </DATELINE><BODY>A farm group said the crop
was larger than expected.
    It gave no figures &foo; today.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
<REUTERS NEWID="8">
<DATE>27-FEB-1987 09:00:00.00</DATE>
<TEXT TYPE="BRIEF">&#2;
******<TITLE>MARKET CLOSED EARLY
</TITLE>Blah blah blah.
&#3;
</TEXT>
</REUTERS>
"#;

    #[test]
    fn reads_fields_codes_and_paragraphs() {
        let read = parse(TWO);
        assert!(read.errors.is_empty(), "{:?}", read.errors);
        let a = &read.articles[0];
        assert_eq!(a.record, Some(7));
        assert_eq!(a.title, "FARM GROUP SAYS A & B <ABC> CROP UP");
        assert_eq!(a.dateline.as_deref(), Some("CHICAGO, Feb 26 -"));
        assert_eq!(
            a.published.unwrap().to_rfc3339(),
            "1987-02-26T15:01:01.790+00:00"
        );
        assert_eq!(a.tags, vec!["topics:grain", "topics:wheat", "places:usa"]);
        assert_eq!(a.authors, vec!["Jane Doe"]);
        assert_eq!(a.source.as_deref(), Some("Reuters"));
        assert_eq!(
            a.body,
            vec![
                "A farm group said the crop was larger than expected.",
                "It gave no figures &foo; today."
            ]
        );
    }

    #[test]
    fn sign_off_goes_with_a_caret_return_or_run_into_the_text() {
        let body = "    The loan is due in three years.\nREUTER^M\n";
        assert_eq!(paragraphs(body), vec!["The loan is due in three years."]);
        let body = "    Talks resume next week. Reuter\n";
        assert_eq!(paragraphs(body), vec!["Talks resume next week."]);
        let body = "    The fund manager spoke to Reuters\n";
        assert_eq!(paragraphs(body), vec!["The fund manager spoke to Reuters"]);
    }

    #[test]
    fn brief_record_keeps_its_title() {
        let read = parse(TWO);
        let b = &read.articles[1];
        assert_eq!(b.title, "MARKET CLOSED EARLY");
        assert!(b.body.is_empty(), "{:?}", b.body);
    }

    #[test]
    fn unproc_text_without_body_is_used() {
        let rec = "<REUTERS NEWID=\"1\"><TEXT TYPE=\"UNPROC\">&#2;\nFED REPORT - FEB 26\n    Two weeks ended\n Net reserves...644\n&#3;</TEXT></REUTERS>";
        let read = parse(rec);
        assert_eq!(read.articles[0].title, "FED REPORT - FEB 26");
        assert_eq!(
            read.articles[0].body,
            vec!["Two weeks ended", "Net reserves...644"]
        );
    }

    #[test]
    fn unterminated_record_costs_only_itself() {
        let broken = TWO.replacen("</REUTERS>", "", 1);
        let read = parse(&broken);
        assert_eq!(read.articles.len(), 1);
        assert_eq!(read.articles[0].record, Some(8));
        assert_eq!(read.errors.len(), 1);
        assert!(
            read.errors[0].location.contains("NEWID 7"),
            "{:?}",
            read.errors
        );
        assert!(
            read.errors[0].location.starts_with("line 2,"),
            "{:?}",
            read.errors
        );
    }

    #[test]
    fn record_without_text_is_an_error() {
        let read = parse("<REUTERS NEWID=\"3\"><DATE>x</DATE></REUTERS>");
        assert_eq!(read.errors.len(), 1);
        assert!(read.errors[0].message.contains("<TEXT>"));
    }

    #[test]
    fn entities_numeric_named_and_unknown() {
        assert_eq!(
            decode_entities("a &#65;&#x42; &lt;b&gt; &amp; &nbsp; AT&T"),
            "a AB <b> & &nbsp; AT&T"
        );
    }

    #[test]
    fn element_does_not_confuse_prefixes() {
        assert_eq!(element("<DATE>x</DATE><D>y</D>", "D"), Some("y"));
    }
}
