//! Company names as business news writes them: legal suffixes ("Ford Motor
//! Co"), partnerships ("Goldman, Sachs and Co"), stock tickers ("Chrysler
//! Corp <C>"), short references back to the full name ("Barrick" after
//! "Barrick Gold Corp"), and the display form of a company's name.
//!
//! Investment banks and old firms are named after people, so the tagger
//! reads their parts as persons; these passes give the whole name one
//! organization span. Owns company-name rules only; the lexicon of known
//! organizations is `data/ner/orgs.tsv`.

use std::collections::HashMap;

use super::gazetteer::Cat;
use super::passes::{Context, mark};
use super::tagger::Kind;
use super::{Link, Span, is_capitalized};

/// Legal forms that end a company's name.
const LEGAL_SUFFIXES: &[&str] = &[
    "co",
    "co.",
    "cos",
    "cos.",
    "corp",
    "corp.",
    "corporation",
    "inc",
    "inc.",
    "incorporated",
    "ltd",
    "ltd.",
    "limited",
    "plc",
    "llc",
    "ag",
    "nv",
    "n.v.",
    "sa",
    "s.a.",
    "spa",
    "s.p.a.",
    "gmbh",
    "bhd",
    "pty",
    "lp",
    "bancorp",
];

/// What follows "and" / "&" in a partnership's name ("Goldman, Sachs and Co").
const PARTNER_WORDS: &[&str] = &["co", "co.", "cos", "company", "sons"];

/// Currency words: "U.S. Dlrs", "Sterling" and "Yen" name money, not a
/// person or an organization.
const CURRENCY_WORDS: &[&str] = &[
    "dlr", "dlrs", "dollar", "dollars", "sterling", "stg", "yen", "franc", "francs", "pound",
    "pounds", "lira", "lire", "peso", "pesos", "guilder", "guilders", "rupee", "rupees", "riyal",
    "riyals", "yuan", "ringgit", "ecu", "ecus",
];

fn one_of(list: &[&str], w: &str) -> bool {
    list.iter().any(|s| w.eq_ignore_ascii_case(s))
}

/// A legal form ("Corp", "Inc", "Ltd", "Plc", "AG").
pub fn is_legal_suffix(w: &str) -> bool {
    one_of(LEGAL_SUFFIXES, w)
}

/// A currency word ("Dlrs", "Sterling", "Yen").
pub fn is_currency(w: &str) -> bool {
    one_of(CURRENCY_WORDS, w)
}

fn is_and(w: &str) -> bool {
    w == "&" || w == "and"
}

/// Tokens of a company name that are its legal form rather than its name:
/// suffixes, "and Co", "& Sons", commas.
fn is_form_word(words: &[&str], i: usize) -> bool {
    let w = words[i];
    is_legal_suffix(w)
        || w == ","
        || (one_of(PARTNER_WORDS, w) && i > 0 && is_and(words[i - 1]))
        || (is_and(w) && i + 1 < words.len() && one_of(PARTNER_WORDS, words[i + 1]))
}

/// The name words of a company's span: without a leading "The" and without
/// its legal form ("Goldman , Sachs and Co Inc" → "Goldman Sachs").
pub fn name_words<'w>(words: &[&'w str]) -> Vec<&'w str> {
    let mut out: Vec<&str> = Vec::with_capacity(words.len());
    for (i, &w) in words.iter().enumerate() {
        if (i == 0 && w.eq_ignore_ascii_case("the") && words.len() > 1)
            || (out.is_empty() && w == ",")
        {
            continue;
        }
        out.push(w);
    }
    // Strip the legal form from the end only: "Co" inside "Co-operative
    // Bank" or "Sons" in "Sons of Italy" stays.
    loop {
        let n = out.len();
        if n > 1 && (is_legal_suffix(out[n - 1]) || out[n - 1] == "," || is_and(out[n - 1])) {
            out.pop();
        } else if n > 2 && one_of(PARTNER_WORDS, out[n - 1]) && is_and(out[n - 2]) {
            out.truncate(n - 2);
        } else {
            break;
        }
    }
    out.retain(|&w| w != ",");
    out
}

/// Whether `words` is only a legal form ("Co Inc", "Co Ltd"): no name.
pub fn only_legal_form(words: &[&str]) -> bool {
    (0..words.len()).all(|i| is_form_word(words, i))
}

impl Context<'_> {
    /// A ticker in angle brackets ("Chrysler Corp <C>", "<LYOE.PA>") is
    /// no name, and the name just before it is a company; a mixed-case name
    /// in angle brackets ("<Pantry Inc>") is a company.
    pub fn read_tickers(&self, spans: &mut Vec<Span>) {
        let (words, n) = (self.words, self.n);
        let mut i = 0;
        while i < n {
            if words[i] != "<" {
                i += 1;
                continue;
            }
            let Some(close) = (i + 1..n.min(i + 12)).find(|&j| words[j] == ">") else {
                i += 1;
                continue;
            };
            if close == i + 1 {
                i = close + 1;
                continue;
            }
            let inner = &words[i + 1..close];
            let ticker = inner.iter().all(|w| !w.chars().any(char::is_lowercase));
            // Spans crossing the brackets stop at them.
            for s in spans.iter_mut() {
                if s.start < i && s.end > i {
                    s.end = i;
                }
            }
            spans.retain(|s| s.end <= i || s.start > close);
            if ticker {
                for s in spans.iter_mut() {
                    if s.end == i && s.link == Link::Own {
                        s.kind = Kind::Org;
                    }
                }
            } else if is_capitalized(inner[0]) {
                spans.push(Span {
                    start: i + 1,
                    end: close,
                    kind: Kind::Org,
                    link: Link::Own,
                });
            }
            i = close + 1;
        }
    }

    /// "Goldman, Sachs and Co", "Kidder, Peabody and Co", "Smith Barney,
    /// Harris Upham and Co Inc": the capitalized words before "and Co" (with
    /// at most one comma) are one company, whatever the tagger made of them.
    /// Names the lexicon knows keep its entry.
    pub fn join_partnerships(&self, spans: &mut Vec<Span>) {
        let (words, n) = (self.words, self.n);
        for k in 1..n.saturating_sub(1) {
            // In capitals ("AND CO") every word before looks like a name.
            if !(words[k] == "and" || words[k] == "&")
                || !one_of(PARTNER_WORDS, words[k + 1])
                || !is_capitalized(words[k + 1])
                || words[k + 1].chars().all(|c| !c.is_lowercase())
            {
                continue;
            }
            let mut end = k + 2;
            while end < n && is_legal_suffix(words[end]) && is_capitalized(words[end]) {
                end += 1;
            }
            let (mut start, mut comma, mut named) = (k, false, 0);
            while start > 0 && named < 6 {
                let w = words[start - 1];
                if is_capitalized(w) && !self.covers(start - 1, Cat::Stop) {
                    start -= 1;
                    named += 1;
                } else if w == ","
                    && !comma
                    && named > 0
                    && start >= 2
                    && is_capitalized(words[start - 2])
                {
                    comma = true;
                    start -= 1;
                } else {
                    break;
                }
            }
            if named == 0
                || spans
                    .iter()
                    .any(|s| s.start < end && start < s.end && matches!(s.link, Link::Org(_)))
            {
                continue;
            }
            spans.retain(|s| s.end <= start || s.start >= end);
            spans.push(Span {
                start,
                end,
                kind: Kind::Org,
                link: Link::Own,
            });
        }
    }

    /// A legal suffix makes a company: "Ford Motor Co" is one, whatever the
    /// tagger guessed, and a suffix right after a name joins it. A span that
    /// is only a legal form ("Co Inc") is dropped.
    pub fn legal_suffix_orgs(&self, spans: &mut Vec<Span>) {
        let (words, n) = (self.words, self.n);
        let starts: Vec<usize> = spans.iter().map(|s| s.start).collect();
        let ends: Vec<usize> = spans.iter().map(|s| s.end).collect();
        for sp in spans.iter_mut() {
            let mut e = sp.end;
            while e < n
                && is_legal_suffix(words[e])
                && is_capitalized(words[e])
                && !starts.contains(&e)
            {
                e += 1;
            }
            if e > sp.end || (sp.end - sp.start >= 2 && is_legal_suffix(words[sp.end - 1])) {
                sp.end = e;
                if sp.link == Link::Own {
                    sp.kind = Kind::Org;
                    // The tagger may have split the name ("Sterling" |
                    // "Software Inc"): capitalized words just before join it.
                    sp.start = self.name_start(sp.start, |i| ends.contains(&(i + 1)));
                }
            }
        }
        spans.retain(|s| !only_legal_form(&words[s.start..s.end]));
    }

    /// A company named in full earlier or later in the article is meant by
    /// its first name word alone ("Barrick" for Barrick Gold Corp, "Dome"
    /// for Dome Petroleum Ltd), and a one-word name the tagger found is
    /// also meant by its last ("Sachs", "Community" of European Community).
    /// Runs after person linking: a surname of a person named in full stays
    /// the person's.
    pub fn link_partial_org_names(&self, spans: &mut Vec<Span>, in_span: &mut [bool]) {
        let (words, n, hashes) = (self.words, self.n, &self.hashes);
        let place_word = |i: usize| {
            self.covers(i, Cat::Country)
                || self.covers(i, Cat::Demonym)
                || self.covers(i, Cat::Region)
                || self.covers(i, Cat::City)
        };
        let mut first: HashMap<u64, usize> = HashMap::new();
        let mut last: HashMap<u64, usize> = HashMap::new();
        for (ix, s) in spans.iter().enumerate() {
            if s.kind != Kind::Org || matches!(s.link, Link::Span(_)) {
                continue;
            }
            let toks: Vec<usize> = (s.start..s.end)
                .filter(|&i| is_capitalized(words[i]) && !is_form_word(words, i))
                .filter(|&i| !(i == s.start && words[i].eq_ignore_ascii_case("the")))
                .collect();
            if toks.len() < 2 {
                continue;
            }
            let (f, l) = (toks[0], toks[toks.len() - 1]);
            let nation = |i: usize| self.covers(i, Cat::Country) || self.covers(i, Cat::Demonym);
            if !nation(f) && !self.covers(f, Cat::Head) {
                first.entry(hashes[f]).or_insert(ix);
            }
            if !nation(l) && !self.covers(l, Cat::Head) {
                last.entry(hashes[l]).or_insert(ix);
            }
        }
        if first.is_empty() && last.is_empty() {
            return;
        }
        let mut links = Vec::new();
        for (ix, s) in spans.iter().enumerate() {
            if s.end != s.start + 1 || s.link != Link::Own || s.kind == Kind::Loc {
                continue;
            }
            let h = hashes[s.start];
            if let Some(&t) = first.get(&h).or_else(|| last.get(&h))
                && t != ix
            {
                links.push((ix, t));
            }
        }
        for (ix, t) in links {
            spans[ix].kind = Kind::Org;
            spans[ix].link = Link::Span(t);
        }
        for i in 0..n {
            if in_span[i]
                || !is_capitalized(words[i])
                || self.covers(i, Cat::Stop)
                || self.covers(i, Cat::Title)
                || place_word(i)
                || self.usually_lower(words[i])
                || words[i].chars().filter(|c| c.is_alphabetic()).count() < 2
            {
                continue;
            }
            if let Some(&t) = first.get(&hashes[i]) {
                spans.push(Span {
                    start: i,
                    end: i + 1,
                    kind: Kind::Org,
                    link: Link::Span(t),
                });
                mark(in_span, i, i + 1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_words_drop_the_legal_form() {
        let w = ["Goldman", ",", "Sachs", "and", "Co", "Inc"];
        assert_eq!(name_words(&w), ["Goldman", "Sachs"]);
        assert_eq!(
            name_words(&["The", "Bank", "of", "England"]),
            ["Bank", "of", "England"]
        );
        assert_eq!(name_words(&["Ford", "Motor", "Co"]), ["Ford", "Motor"]);
        assert_eq!(name_words(&["Co"]), ["Co"]);
    }

    #[test]
    fn only_a_legal_form_is_no_name() {
        assert!(only_legal_form(&["Co", "Inc"]));
        assert!(only_legal_form(&["Co", "Ltd"]));
        assert!(!only_legal_form(&["Sachs", "and", "Co"]));
    }
}
