//! Plain-text articles: the tidy shape (title line, blank line, one
//! paragraph per block, as the BBC corpus) and the scraped-page shape (one
//! line per paragraph with headlines, prompts, captions and repeats mixed in).
//!
//! This module finds the structure (title, standfirst, body); deciding what a
//! single line is belongs to [`crate::ingest::clean`].

use crate::article::Article;
use crate::ingest::ReadError;
use crate::ingest::clean::{self, Line, Seen};

/// A headline longer than this is a paragraph, and the article has no title.
const TITLE_MAX_CHARS: usize = 250;

/// Hard-wrapped text keeps lines under this width (72–80 in practice).
const WRAP_MAX_CHARS: usize = 100;

/// Reads one plain-text article.
pub fn parse(text: &str) -> Result<Article, ReadError> {
    let lines: Vec<Line> = units(text).iter().map(|u| clean::classify(u)).collect();
    let mut article = Article::default();

    let title_at = lines.iter().position(|l| matches!(l, Line::Text(_)));
    if let Some(Line::Text(t)) = title_at.map(|i| &lines[i])
        && t.chars().count() <= TITLE_MAX_CHARS
    {
        article.title = t.clone();
    }
    let mut seen = Seen::default();
    seen.first(&article.title);
    let standfirst_at = title_at
        .filter(|_| !article.title.is_empty())
        .and_then(|i| standfirst(&lines, i, &article.title));

    for (i, line) in lines.into_iter().enumerate() {
        match line {
            Line::Text(t) if Some(i) == standfirst_at => {
                seen.first(&t);
                article.standfirst = t;
            }
            Line::Text(t) => {
                if seen.first(&t) {
                    article.body.push(t);
                }
            }
            Line::Caption(c) => {
                if !article.captions.contains(&c) {
                    article.captions.push(c);
                }
            }
            Line::Byline(names) => {
                for n in names {
                    if !article.authors.contains(&n) {
                        article.authors.push(n);
                    }
                }
            }
            Line::Dateline(d) => {
                article.published.get_or_insert(d);
            }
            Line::Noise | Line::ReadingTime => {}
        }
    }
    if article.title.is_empty() && article.body.is_empty() && article.standfirst.is_empty() {
        return Err(ReadError::NoText);
    }
    Ok(article)
}

/// The standfirst is the one paragraph between the headline and the header
/// markers (reading time, byline, date) that open the body on news pages.
/// Without such a marker the first paragraph is body text (the BBC shape):
/// better to keep a lead in the body than to lose it.
fn standfirst(lines: &[Line], title_at: usize, title: &str) -> Option<usize> {
    let title_key = clean::dedupe_key(title);
    let mut candidate = None;
    for (i, line) in lines.iter().enumerate().skip(title_at + 1) {
        match line {
            Line::Text(t) if clean::dedupe_key(t) == title_key => {}
            Line::Text(_) if candidate.is_none() => candidate = Some(i),
            Line::Text(_) => return None,
            l if l.is_header_marker() => return candidate,
            _ => {}
        }
    }
    None
}

/// Splits the text into paragraph candidates: blocks between blank lines;
/// inside a block, a hard-wrapped paragraph is joined back into one, and
/// otherwise each line stands alone unless it continues a sentence the
/// previous line left open.
fn units(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut block: Vec<&str> = Vec::new();
    for line in text.lines().chain(std::iter::once("")) {
        if !line.trim().is_empty() {
            block.push(line.trim());
            continue;
        }
        if block.is_empty() {
            continue;
        }
        if is_hard_wrapped(&block) {
            out.push(block.join(" "));
        } else {
            for (k, line) in block.iter().enumerate() {
                // Continuations never cross a blank line.
                match out.last_mut() {
                    Some(prev) if k > 0 && clean::continues(prev, line) => {
                        prev.push(' ');
                        prev.push_str(line);
                    }
                    _ => out.push((*line).to_string()),
                }
            }
        }
        block.clear();
    }
    out
}

/// A block of text wrapped at a fixed width: lines of similar length under
/// ~100 characters, most of them ending mid-sentence. Scraped pages put one
/// paragraph per line instead, and those lines vary widely in length.
fn is_hard_wrapped(block: &[&str]) -> bool {
    if block.len() < 2 || block.iter().skip(1).any(|l| is_list_item(l)) {
        return false;
    }
    let lens: Vec<usize> = block.iter().map(|l| l.chars().count()).collect();
    let max = lens.iter().copied().max().unwrap_or(0);
    if !(40..=WRAP_MAX_CHARS).contains(&max) {
        return false;
    }
    let inner = &block[..block.len() - 1];
    let long = inner
        .iter()
        .filter(|l| l.chars().count() * 10 >= max * 6)
        .count();
    let open = inner.iter().filter(|l| !clean::ends_sentence(l)).count();
    long * 5 >= inner.len() * 4 && open * 2 >= inner.len()
}

/// "- item", "* item", "• item", "1. item", "2) item": lines that stand
/// alone even when they end without a full stop.
fn is_list_item(line: &str) -> bool {
    let line = line.trim_start();
    if line.starts_with(['-', '*', '•', '–', '·']) {
        return true;
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &line[digits..];
    (1..=3).contains(&digits) && (rest.starts_with(". ") || rest.starts_with(") "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bbc_shape_keeps_first_paragraph_in_body() {
        let a = parse("Title here\n\nFirst paragraph.\n\nSecond paragraph.\n").unwrap();
        assert_eq!(a.title, "Title here");
        assert_eq!(a.standfirst, "");
        assert_eq!(a.body, vec!["First paragraph.", "Second paragraph."]);
    }

    #[test]
    fn standfirst_sits_before_a_header_marker() {
        let a =
            parse("Headline\nHeadline\nThe summary sentence.\n4 min read\nBody one.\nBody two.")
                .unwrap();
        assert_eq!(a.title, "Headline");
        assert_eq!(a.standfirst, "The summary sentence.");
        assert_eq!(a.body, vec!["Body one.", "Body two."]);
    }

    #[test]
    fn byline_and_date_are_taken_out_of_the_body() {
        let a = parse("Headline\nBy Jane Doe\nPublished 30 December 2019\nBody one.").unwrap();
        assert_eq!(a.authors, vec!["Jane Doe"]);
        assert!(a.published.is_some());
        assert_eq!(a.body, vec!["Body one."]);
    }

    #[test]
    fn repeated_body_comes_out_once() {
        let a = parse("T\nOne.\nTwo.\n|\nOne.\nTwo.\nThree.").unwrap();
        assert_eq!(a.body, vec!["One.", "Two.", "Three."]);
    }

    #[test]
    fn broken_line_is_joined_but_not_across_blank_lines() {
        let a = parse("T\nThey are in the\ncountry now.\n\nA heading\n\nlowercase start.").unwrap();
        assert_eq!(
            a.body,
            vec![
                "They are in the country now.",
                "A heading",
                "lowercase start."
            ]
        );
    }

    #[test]
    fn hard_wrapped_paragraphs_are_rejoined() {
        let text = "Title\n\nThe quick brown fox jumped over the lazy dog and then\nkept running along the river bank until it reached\nthe old mill.\n\nNext paragraph.";
        let a = parse(text).unwrap();
        assert_eq!(a.body.len(), 2);
        assert!(a.body[0].starts_with("The quick") && a.body[0].ends_with("old mill."));
    }

    #[test]
    fn list_items_are_not_joined() {
        let text = "Title\n\nThe minister has promised the following measures:\n\n- More spending on primary education\n- More spending on health care\n- A new fund for the victims\n";
        let a = parse(text).unwrap();
        assert_eq!(a.body.len(), 4, "{:?}", a.body);
    }

    #[test]
    fn long_first_paragraph_is_body_not_title() {
        let lead = "word ".repeat(60) + "end.";
        let a = parse(&format!("{lead}\nSecond.\n4 min read\nThird.")).unwrap();
        assert_eq!(a.title, "");
        assert_eq!(a.standfirst, "");
        assert_eq!(a.body.len(), 3);
    }

    #[test]
    fn only_furniture_is_no_text() {
        assert!(matches!(
            parse("|\n4 min read\nAdvertisement"),
            Err(ReadError::NoText)
        ));
    }
}
