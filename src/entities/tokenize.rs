//! Tokens and sentences of news text, as byte ranges into the text.
//!
//! Owns word segmentation for the tagger; the tokens follow the conventions of
//! the annotated corpora we train on (GMB, CoNLL): "U.S." and initials "J."
//! keep their periods, hyphenated words and `al-` names stay one token,
//! possessive "'s" is split off, every other punctuation mark is a token.
//! No allocation beyond the caller's output vectors.

/// One token: `text[start..end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: u32,
    pub end: u32,
}

impl Token {
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start as usize..self.end as usize]
    }
}

/// Abbreviations whose trailing period belongs to the word.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "sgt", "capt", "gov", "sen", "rep", "jr",
    "sr", "inc", "corp", "co", "ltd", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "prof", "rev", "maj", "adm", "cmdr", "vs", "mt", "ft", "messrs",
    "bros", "no", "gov", "pres", "supt", "cpl", "pvt", "brig", "u.s", "u.n", "u.k", "e.g", "i.e",
    "etc", "a.m", "p.m",
];

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘')
}

fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

/// Appends the tokens of `text` to `out`.
pub fn tokenize(text: &str, out: &mut Vec<Token>) {
    let len = text.len();
    let mut i = 0;
    while i < len {
        let Some(c) = char_at(text, i) else { break };
        let clen = c.len_utf8();
        if c.is_whitespace() {
            i += clen;
            continue;
        }
        if c.is_alphanumeric() {
            let start = i;
            let mut j = i + clen;
            // Whether every segment so far between periods is one letter ("U.S").
            let mut seg_chars = 1usize;
            let mut single_segs = c.is_alphabetic();
            let mut has_dot = false;
            while let Some(d) = char_at(text, j) {
                if d.is_alphanumeric() {
                    j += d.len_utf8();
                    seg_chars += 1;
                    continue;
                }
                let Some(n) = char_at(text, j + d.len_utf8()) else {
                    break;
                };
                if !n.is_alphanumeric() {
                    break;
                }
                let prev = text[..j].chars().next_back().unwrap_or(' ');
                let joins = match d {
                    '-' | '‐' => true,
                    '.' => {
                        (prev.is_ascii_digit() && n.is_ascii_digit())
                            || (seg_chars == 1 && single_segs && n.is_alphabetic())
                    }
                    ',' => prev.is_ascii_digit() && n.is_ascii_digit(),
                    '&' => prev.is_uppercase() && n.is_uppercase(),
                    d if is_apostrophe(d) => {
                        // Split the possessive "'s"; keep "Kata'ib", "O'Brien", "don't".
                        let after = j + d.len_utf8() + n.len_utf8();
                        let possessive = (n == 's' || n == 'S')
                            && !char_at(text, after).is_some_and(|x| x.is_alphanumeric());
                        !possessive
                    }
                    _ => false,
                };
                if !joins {
                    break;
                }
                if d == '.' && single_segs && seg_chars == 1 {
                    has_dot = true;
                    seg_chars = 1;
                } else {
                    single_segs = false;
                    seg_chars += 2;
                }
                j += d.len_utf8() + n.len_utf8();
            }
            // A trailing period stays with initials, "U.S." and abbreviations.
            if char_at(text, j) == Some('.') {
                let word = &text[start..j];
                let single_letter =
                    word.chars().count() == 1 && word.chars().all(char::is_uppercase);
                let dotted = has_dot && single_segs && seg_chars == 1;
                let abbrev = word.len() <= 6
                    && ABBREVIATIONS
                        .iter()
                        .any(|a| a.len() == word.len() && a.eq_ignore_ascii_case(word));
                if single_letter || dotted || abbrev {
                    j += 1;
                }
            }
            out.push(Token {
                start: start as u32,
                end: j as u32,
            });
            i = j;
            continue;
        }
        if is_apostrophe(c) {
            // "'s" after a word.
            if let Some(n) = char_at(text, i + clen)
                && (n == 's' || n == 'S')
                && !char_at(text, i + clen + 1).is_some_and(|x| x.is_alphanumeric())
                && i > 0
                && text[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|p| p.is_alphanumeric())
            {
                out.push(Token {
                    start: i as u32,
                    end: (i + clen + 1) as u32,
                });
                i += clen + 1;
                continue;
            }
        }
        out.push(Token {
            start: i as u32,
            end: (i + clen) as u32,
        });
        i += clen;
    }
}

/// The longest sentence the tagger is given. Text without sentence breaks (a
/// table, a page flattened into one line) is cut here, so the tagger's work
/// and buffers per sentence stay bounded; news sentences run to a few dozen
/// tokens.
pub const MAX_SENTENCE_TOKENS: usize = 200;

/// Splits `tokens` (of `text`) into sentences, appending token index ranges
/// `(start, end)` to `out`. A sentence ends after `.`, `?`, `!` (with any
/// closing quotes or brackets) when the next token does not start lower case,
/// at every line break, and after [`MAX_SENTENCE_TOKENS`] tokens.
pub fn sentences(text: &str, tokens: &[Token], out: &mut Vec<(usize, usize)>) {
    let mut start = 0;
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i].text(text);
        let mut end_here = false;
        if matches!(t, "." | "?" | "!" | "…") {
            // Take closing punctuation along.
            while i + 1 < tokens.len()
                && matches!(tokens[i + 1].text(text), "\"" | "'" | "”" | "’" | ")" | "]")
            {
                i += 1;
            }
            let next_lower = tokens
                .get(i + 1)
                .and_then(|n| n.text(text).chars().next())
                .is_some_and(|c| c.is_lowercase());
            end_here = !next_lower;
        }
        if !end_here && i + 1 < tokens.len() {
            let gap = &text[tokens[i].end as usize..tokens[i + 1].start as usize];
            end_here = gap.contains('\n');
        }
        if end_here || i + 1 == tokens.len() || i + 1 - start >= MAX_SENTENCE_TOKENS {
            out.push((start, i + 1));
            start = i + 1;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        tokenize(text, &mut out);
        out.iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn keeps_abbreviations_initials_and_al_names() {
        assert_eq!(
            toks("The U.S. and J. Smith met Abu Mahdi al-Muhandis."),
            vec![
                "The",
                "U.S.",
                "and",
                "J.",
                "Smith",
                "met",
                "Abu",
                "Mahdi",
                "al-Muhandis",
                "."
            ]
        );
        assert_eq!(toks("Mr. Bush"), vec!["Mr.", "Bush"]);
    }

    #[test]
    fn splits_possessives_and_punctuation() {
        assert_eq!(
            toks("Iraq's sovereignty, night’s \"attacks\" (PMF)"),
            vec![
                "Iraq",
                "'s",
                "sovereignty",
                ",",
                "night",
                "’s",
                "\"",
                "attacks",
                "\"",
                "(",
                "PMF",
                ")"
            ]
        );
        assert_eq!(
            toks("Kata'ib 1,000 3.5 AT&T"),
            vec!["Kata'ib", "1,000", "3.5", "AT&T"]
        );
    }

    #[test]
    fn splits_sentences() {
        let text = "He left. Jawad al-Rubaiae said \"no.\" Then\nWASHINGTON rose";
        let mut t = Vec::new();
        tokenize(text, &mut t);
        let mut s = Vec::new();
        sentences(text, &t, &mut s);
        let firsts: Vec<&str> = s.iter().map(|&(a, _)| t[a].text(text)).collect();
        assert_eq!(firsts, vec!["He", "Jawad", "WASHINGTON"]);
    }

    #[test]
    fn text_without_breaks_is_cut_into_bounded_sentences() {
        let text = "word ".repeat(2 * MAX_SENTENCE_TOKENS + 5);
        let mut t = Vec::new();
        tokenize(&text, &mut t);
        let mut s = Vec::new();
        sentences(&text, &t, &mut s);
        assert_eq!(
            s,
            vec![
                (0, MAX_SENTENCE_TOKENS),
                (MAX_SENTENCE_TOKENS, 2 * MAX_SENTENCE_TOKENS),
                (2 * MAX_SENTENCE_TOKENS, 2 * MAX_SENTENCE_TOKENS + 5)
            ]
        );
    }
}
