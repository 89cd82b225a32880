//! Rules that tell article text from page furniture, one function per rule.
//!
//! Saved pages carry more than the story: share prompts, "4 min read",
//! stray separators, bylines, photo captions, the headline twice, sometimes
//! the whole body twice. Each rule here judges one line or paragraph on its
//! own, with no knowledge of any one site, so the readers can apply them to
//! every format. What the rules cannot recognise stays in the text: losing
//! a paragraph of news is worse than indexing a stray prompt.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::dates;

/// What a line of a saved page is, as far as its own text tells.
#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    /// Story text (a paragraph, a heading, the title).
    Text(String),
    /// Page furniture to drop: prompts, separators, "Advertisement".
    Noise,
    /// A reading-time line ("4 min read"): furniture that marks the end of
    /// an article's header block.
    ReadingTime,
    /// "By Jane Doe and John Roe": the names.
    Byline(Vec<String>),
    /// "Published 30 December 2019": the date.
    Dateline(DateTime<Utc>),
    /// A photo caption, its trailing `|` removed.
    Caption(String),
}

impl Line {
    /// Lines that sit between a headline block and the body on news pages.
    pub fn is_header_marker(&self) -> bool {
        matches!(
            self,
            Line::ReadingTime | Line::Byline(_) | Line::Dateline(_)
        )
    }
}

/// Judges one line (or one paragraph) of a saved page.
pub fn classify(raw: &str) -> Line {
    let line = raw.trim();
    if !line.chars().any(char::is_alphanumeric) {
        return Line::Noise;
    }
    if is_reading_time(line) {
        return Line::ReadingTime;
    }
    if is_furniture(line) {
        return Line::Noise;
    }
    if let Some(caption) = caption(line) {
        return Line::Caption(caption);
    }
    if let Some(names) = byline(line) {
        return Line::Byline(names);
    }
    if let Some(date) = date_line(line) {
        return Line::Dateline(date);
    }
    Line::Text(line.to_string())
}

/// Words of a line, lowercased, punctuation trimmed: what the phrase rules
/// compare.
fn words(line: &str) -> Vec<String> {
    line.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Longer lines are sentences, whatever words they share with "4 min read".
const READING_TIME_MAX_LEN: usize = 40;

/// "4 min read", "5 minute read", "Reading time: 3 minutes", "2 mins".
pub fn is_reading_time(line: &str) -> bool {
    if line.len() > READING_TIME_MAX_LEN {
        return false;
    }
    let w = words(line);
    if w.is_empty() || w.len() > 5 {
        return false;
    }
    let has_number = w.iter().any(|x| x.bytes().all(|b| b.is_ascii_digit()));
    let has_unit = w
        .iter()
        .any(|x| matches!(x.as_str(), "min" | "mins" | "minute" | "minutes"));
    let only_time_words = w.iter().all(|x| {
        x.bytes().all(|b| b.is_ascii_digit())
            || matches!(
                x.as_str(),
                "min" | "mins" | "minute" | "minutes" | "read" | "reading" | "time" | "estimated"
            )
    });
    has_number && has_unit && only_time_words
}

/// Whole lines that are page furniture wherever they appear.
const FURNITURE_LINES: &[&str] = &[
    "advertisement",
    "advert",
    "ad",
    "sponsored",
    "sponsored content",
    "read more",
    "read next",
    "read also",
    "see also",
    "related",
    "related articles",
    "related stories",
    "related topics",
    "more on this story",
    "top stories",
    "most read",
    "share",
    "share this",
    "share this article",
    "share this story",
    "share on facebook",
    "share on twitter",
    "share this with",
    "copy link",
    "link copied",
    "print",
    "email",
    "comments",
    "comment",
    "subscribe",
    "sign up",
    "log in",
    "sign in",
    "skip to content",
    "skip to main content",
    "continue reading",
    "loading",
    "image",
    "video",
    "media caption",
    "facebook",
    "twitter",
    "instagram",
    "whatsapp",
    "linkedin",
    "messenger",
    "reddit",
    "close",
    "menu",
    "home",
    "back to top",
];

/// First words of short calls to action: "Follow us on …", "Sign up for …".
const PROMPT_STARTS: &[&[&str]] = &[
    &["follow", "us"],
    &["follow", "the"],
    &["like", "us"],
    &["join", "us"],
    &["join", "our"],
    &["subscribe", "to"],
    &["subscribe", "for"],
    &["sign", "up"],
    &["share", "this"],
    &["share", "on"],
    &["click", "here"],
    &["read", "more"],
    &["read", "also"],
    &["also", "read"],
    &["read", "the", "full"],
    &["download", "our"],
    &["download", "the"],
    &["get", "the", "latest"],
    &["get", "our"],
    &["listen", "to", "this"],
    &["watch", "live"],
    &["watch", "the", "video"],
];

/// The longest call to action we treat as furniture; longer lines starting
/// with "Follow the" are story text.
const PROMPT_MAX_WORDS: usize = 14;

/// Longer than any furniture line or prompt of [`PROMPT_MAX_WORDS`] words.
const FURNITURE_MAX_LEN: usize = 160;

/// Share and subscribe prompts, "Advertisement", "Read more", menus.
pub fn is_furniture(line: &str) -> bool {
    if line.starts_with('©') {
        return true;
    }
    // Prompts are short; most body lines end here without allocating.
    if line.len() > FURNITURE_MAX_LEN {
        return false;
    }
    let w = words(line);
    if w.is_empty() {
        return true;
    }
    let joined = w.join(" ");
    if FURNITURE_LINES.contains(&joined.as_str()) {
        return true;
    }
    if is_copyright(&w) {
        return true;
    }
    if w.len() > PROMPT_MAX_WORDS || ends_sentence_with_period(line) && w.len() > 8 {
        return false;
    }
    PROMPT_STARTS
        .iter()
        .any(|start| w.len() >= start.len() && w.iter().zip(start.iter()).all(|(a, b)| a == b))
}

/// "Copyright 2019 Publisher", "All rights reserved": a notice, not the
/// sentence "Copyright law changed in 2019, the minister said".
fn is_copyright(words: &[String]) -> bool {
    let joined = words.join(" ");
    joined.contains("all rights reserved")
        || words.first().is_some_and(|w| w == "copyright")
            && words.len() <= 8
            && words
                .get(1)
                .is_some_and(|w| w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
}

fn ends_sentence_with_period(line: &str) -> bool {
    line.trim_end().ends_with('.')
}

/// Photo-agency names that mark a bracketed credit at the end of a caption.
const PHOTO_CREDITS: &[&str] = &[
    "getty",
    "afp",
    "reuters",
    "ap",
    "epa",
    "anadolu",
    "pa",
    "photo",
    "image",
    "images",
    "shutterstock",
    "alamy",
    "xinhua",
    "efe",
    "dpa",
    "bloomberg",
    "file",
    "courtesy",
];

/// Prefixes that say a line describes a picture.
const CAPTION_PREFIXES: &[&str] = &[
    "photo:",
    "photograph:",
    "picture:",
    "image:",
    "image caption",
    "image source",
    "caption:",
    "pictured:",
];

/// A photo caption: a line ending in the `|` that separates a caption from
/// its credit on many sites, a line ending in a bracketed agency credit
/// (`[Getty]`, `(Reuters/Jane Doe)`), or one introduced by "Photo:".
/// Returns the caption without the trailing separator.
pub fn caption(line: &str) -> Option<String> {
    let lower = line.to_lowercase();
    if CAPTION_PREFIXES.iter().any(|p| lower.starts_with(p)) {
        return Some(line.to_string());
    }
    let stripped = line.trim_end_matches(|c: char| c == '|' || c.is_whitespace());
    let had_bar = stripped.len() < line.len();
    if had_bar && stripped.chars().any(char::is_alphanumeric) {
        return Some(stripped.to_string());
    }
    ends_with_credit(stripped).then(|| stripped.to_string())
}

/// `… [Getty]`, `… (AFP/Getty Images)`, `… [Photo: AP]` at the end of a line.
fn ends_with_credit(line: &str) -> bool {
    let (open, close) = match line.chars().last() {
        Some(']') => ('[', ']'),
        Some(')') => ('(', ')'),
        _ => return false,
    };
    let Some(start) = line.rfind(open) else {
        return false;
    };
    let inner = &line[start + open.len_utf8()..line.len() - close.len_utf8()];
    if inner.len() > 60 || start == 0 {
        return false;
    }
    inner
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| PHOTO_CREDITS.contains(&w.to_lowercase().as_str()))
}

/// The most words a byline may carry ("By Jane Doe and John Roe, Reuters").
const BYLINE_MAX_WORDS: usize = 10;

/// "By Jane Doe", "By Jane Doe and John Roe", "By Jane Doe, Reuters":
/// the names, when every name word is capitalised. Story sentences starting
/// with "By" ("By noon the crowd…") fail the capitalisation test.
pub fn byline(line: &str) -> Option<Vec<String>> {
    let rest = line
        .strip_prefix("By ")
        .or_else(|| line.strip_prefix("BY "))
        .or_else(|| line.strip_prefix("by "))?;
    if rest.ends_with('.') && !rest.ends_with(" Jr.")
        || rest.split_whitespace().count() > BYLINE_MAX_WORDS
    {
        return None;
    }
    let names: Vec<String> = rest
        .split([',', '&', '|'])
        .flat_map(|part| part.split(" and "))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(String::from)
        .collect();
    let is_name = |n: &String| {
        n.split_whitespace().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                || matches!(
                    w,
                    "de" | "van" | "von" | "al" | "bin" | "da" | "del" | "la" | "le"
                )
        })
    };
    (!names.is_empty() && names.iter().all(is_name)).then_some(names)
}

/// Labels that introduce a date line on news pages.
const DATE_PREFIXES: &[&str] = &[
    "published on",
    "published:",
    "published",
    "last updated on",
    "last updated:",
    "last updated",
    "updated on",
    "updated:",
    "updated",
    "posted on",
    "posted:",
    "posted",
    "date:",
    "first published",
];

/// A line that is only a date, possibly labelled ("Published 30 Dec 2019").
pub fn date_line(line: &str) -> Option<DateTime<Utc>> {
    if line.len() > 80 {
        return None;
    }
    let lower = line.to_lowercase();
    let rest = DATE_PREFIXES
        .iter()
        .find_map(|p| lower.starts_with(p).then(|| &line[p.len()..]))
        .unwrap_or(line);
    dates::parse(rest.trim_start_matches([':', ' ']))
}

/// True when a line ends a sentence, so the next line cannot continue it.
pub fn ends_sentence(line: &str) -> bool {
    line.trim_end().ends_with([
        '.', '!', '?', '…', ':', ';', '"', '\u{201d}', '\u{2019}', '\'', ')', ']', '|',
    ])
}

/// A line broken inside a sentence: the previous line does not end one and
/// this one starts in lowercase ("…are in the" / "country \"upon…\"").
pub fn continues(previous: &str, line: &str) -> bool {
    !ends_sentence(previous)
        && line
            .trim_start()
            .chars()
            .next()
            .is_some_and(char::is_lowercase)
}

/// The identity of a paragraph for deduplication: its words, lowercased,
/// punctuation and spacing ignored, so a repeated body with different quotes
/// or spacing still counts as seen.
pub fn dedupe_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !key.is_empty() {
            key.push(' ');
        }
        key.extend(word.chars().flat_map(char::to_lowercase));
    }
    key
}

/// Remembers the paragraphs already taken, in linear time over an article.
#[derive(Debug, Default)]
pub struct Seen(HashSet<String>);

impl Seen {
    /// True the first time a paragraph (by [`dedupe_key`]) is offered.
    pub fn first(&mut self, text: &str) -> bool {
        let key = dedupe_key(text);
        !key.is_empty() && self.0.insert(key)
    }
}

/// Drops repeated and furniture paragraphs from a body that arrived already
/// split (JSON `text` fields): crawlers keep share prompts and repeated
/// blocks there too. Captions and bylines stay: a structured source has put
/// them in the body on purpose or not at all.
pub fn clean_paragraphs(paragraphs: Vec<String>, seen: &mut Seen) -> Vec<String> {
    paragraphs
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| {
            p.chars().any(char::is_alphanumeric)
                && !is_furniture(p)
                && !is_reading_time(p)
                && seen.first(p)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_separators_are_noise() {
        for s in ["|", " • ", "---", "* * *"] {
            assert_eq!(classify(s), Line::Noise, "{s}");
        }
    }

    #[test]
    fn reading_time_lines() {
        for s in [
            "4 min read",
            "5 minute read",
            "Reading time: 3 minutes",
            "2 mins",
        ] {
            assert_eq!(classify(s), Line::ReadingTime, "{s}");
        }
        assert!(!is_reading_time("He waited 4 minutes before he read it."));
    }

    #[test]
    fn share_and_subscribe_prompts_are_noise() {
        for s in [
            "Follow us on Twitter and Instagram to stay connected",
            "Advertisement",
            "Read more:",
            "Share this article",
            "Sign up for our daily newsletter",
            "Click here to subscribe",
            "© 2019 Some Publisher",
            "Copyright 2019 Some Publisher",
            "Some Publisher. All rights reserved.",
        ] {
            assert_eq!(classify(s), Line::Noise, "{s}");
        }
    }

    #[test]
    fn story_sentences_are_not_prompts() {
        for s in [
            "Follow the money, investigators said, and the trail leads to a bank in Cyprus that the ministry had long suspected.",
            "Read the statement carefully and you will see the problem.",
            "Share prices fell 3% on Monday.",
            "Copyright law changed in 2019.",
        ] {
            assert!(matches!(classify(s), Line::Text(_)), "{s}");
        }
    }

    #[test]
    fn captions_by_bar_and_credit() {
        let seed =
            "'No, no, America.. The US is the enemy of other nations' the banner reads [Getty] |";
        assert_eq!(
            classify(seed),
            Line::Caption(
                "'No, no, America.. The US is the enemy of other nations' the banner reads [Getty]"
                    .into()
            )
        );
        assert!(matches!(
            classify("Protesters in Basra (Reuters/Jane Doe)"),
            Line::Caption(_)
        ));
        assert!(matches!(
            classify("Photo: the crowd outside the embassy"),
            Line::Caption(_)
        ));
        assert!(matches!(
            classify("Smoke rises over the city [AFP]"),
            Line::Caption(_)
        ));
    }

    #[test]
    fn brackets_that_are_not_credits_stay_text() {
        let s =
            "It will not be a place [to be used] to harm neighbouring countries (officials said)";
        assert!(matches!(classify(s), Line::Text(_)));
    }

    #[test]
    fn bylines_give_authors() {
        assert_eq!(
            classify("By Jane Doe and John Roe"),
            Line::Byline(vec!["Jane Doe".into(), "John Roe".into()])
        );
        assert!(matches!(
            classify("By noon the crowd had grown to thousands."),
            Line::Text(_)
        ));
    }

    #[test]
    fn date_lines() {
        assert!(matches!(
            classify("Published 30 December 2019"),
            Line::Dateline(_)
        ));
        assert!(matches!(classify("2019-12-30"), Line::Dateline(_)));
        assert!(matches!(classify("December 30, 2019"), Line::Dateline(_)));
    }

    #[test]
    fn continuation_needs_open_sentence_and_lowercase_start() {
        assert!(continues(
            "diplomats are in the",
            "country \"upon the invitation\"."
        ));
        assert!(!continues("He left.", "then he came back"));
        assert!(!continues("A strong response", "The deputy leader said"));
    }

    #[test]
    fn dedupe_key_ignores_case_spacing_and_quotes() {
        assert_eq!(
            dedupe_key("He said “yes”,  twice."),
            dedupe_key("he said \"yes\" twice")
        );
        let mut seen = Seen::default();
        assert!(seen.first("One two."));
        assert!(!seen.first("one  TWO"));
        assert!(!seen.first("|"));
    }

    #[test]
    fn clean_paragraphs_drops_repeats_and_prompts() {
        let mut seen = Seen::default();
        let got = clean_paragraphs(
            vec![
                "A.".into(),
                "Advertisement".into(),
                "B.".into(),
                " a. ".into(),
            ],
            &mut seen,
        );
        assert_eq!(got, vec!["A.", "B."]);
    }
}
