//! What the words around a name say it is, and what it is not.
//!
//! The tagger types a name from its shape and its neighbours in one
//! sentence; the article often says outright what the name is: "the news
//! agency Tanjug", "the band Franz Ferdinand", "the film Vera Drake", "the
//! Export Enhancement Program". These passes read those cues, per article,
//! and retype or drop the name everywhere the article uses it. They also
//! drop names a facet should never show: a common word read as a person
//! ("Brokers", "Barley", "the Street"), a compass point ("the West").
//! Owns these rules only; clubs and competitions are `sports.rs`, company
//! suffixes `companies.rs`.

use super::gazetteer::{Cat, Ref};
use super::passes::{Context, retain_relinked};
use super::tagger::Kind;
use super::{Link, Span};

/// Lower-case nouns that say the name after them is an organization ("the
/// research firm Gartner", "news agency Tanjug", "the band Franz Ferdinand").
const ORG_NOUNS_BEFORE: &[&str] = &[
    "firm",
    "company",
    "agency",
    "bank",
    "broker",
    "brokerage",
    "insurer",
    "carrier",
    "airline",
    "retailer",
    "manufacturer",
    "maker",
    "conglomerate",
    "group",
    "newspaper",
    "broadcaster",
    "publisher",
    "band",
    "club",
    "subsidiary",
];

/// Lower-case nouns that say the name before them is an organization
/// ("Tanjug news agency", "the Gartner consultancy").
const ORG_NOUNS_AFTER: &[&str] = &[
    "news agency",
    "agency",
    "consultancy",
    "newspaper",
    "brokerage",
    "frontman",
];

/// Nouns that say the name beside them is a work (a film, a book, an
/// album): before it ("the film Vera Drake") or after it ("the Harry
/// Potter films").
const WORK_NOUNS_BEFORE: &[&str] = &[
    "film",
    "movie",
    "drama",
    "comedy",
    "thriller",
    "documentary",
    "musical",
    "novel",
    "book",
    "album",
    "sitcom",
    "biopic",
    "opera",
];
const WORK_NOUNS_AFTER: &[&str] = &[
    "film",
    "films",
    "movie",
    "movies",
    "novel",
    "novels",
    "books",
    "series",
    "sequel",
    "franchise",
    "soundtrack",
    "album",
];

/// "role in Vera Drake", "starred in Million Dollar Baby": "in" after
/// these names a work, not a person or a company.
const WORK_VERBS_BEFORE_IN: &[&str] = &[
    "role",
    "roles",
    "starred",
    "starring",
    "stars",
    "appeared",
    "appears",
    "performance",
    "performances",
];

/// Last words of the names of programmes, laws and agreements ("Export
/// Enhancement Program", "Terrorism Bill", "Marshall Plan"): documents,
/// none of person, place or organization.
const DOCUMENT_HEADS: &[&str] = &[
    "program",
    "programme",
    "act",
    "bill",
    "plan",
    "scheme",
    "initiative",
    "accord",
    "treaty",
    "protocol",
    "directive",
];

/// Compass points: "the West" is a bloc or a direction.
const COMPASS_POINTS: &[&str] = &["north", "south", "east", "west"];

fn one_of(list: &[&str], w: &str) -> bool {
    list.iter().any(|s| w.eq_ignore_ascii_case(s))
}

/// Whether `words` open with the words of `phrase` ("news agency").
fn starts_phrase(words: &[&str], phrase: &str) -> bool {
    phrase
        .split(' ')
        .enumerate()
        .all(|(n, p)| words.get(n).is_some_and(|w| w.eq_ignore_ascii_case(p)))
}

/// A word written in lower case (a common noun in running text).
fn is_lower(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_lowercase)
}

impl Context<'_> {
    /// A name right after a lower-case organization noun ("news agency
    /// Tanjug") or right before one ("Tanjug news agency") is an
    /// organization, and so is every other mention of the same string in
    /// the article. Lexicon entries and country names keep their type.
    pub fn org_nouns_make_orgs(&self, spans: &mut [Span]) {
        let cues = self.cue_positions(ORG_NOUNS_BEFORE, ORG_NOUNS_AFTER, &[]);
        if cues.is_empty() {
            return;
        }
        for s in spans.iter_mut() {
            if s.link == Link::Own
                && !self.exact(s.start, s.end, |r| matches!(r, Ref::Country(_)))
                && self.string_has_cue(s, &cues)
            {
                s.kind = Kind::Org;
            }
        }
    }

    /// Where the article's cues stand: `(i, true)` when a name would start
    /// at `i` (after a noun of `before`, or after "in" following a word of
    /// `before_in`), `(i, false)` when one would end at `i` (before a noun
    /// of `after`). Cue words count only in lower case.
    fn cue_positions(
        &self,
        before: &[&str],
        after: &[&str],
        before_in: &[&str],
    ) -> Vec<(usize, bool)> {
        let words = self.words;
        let mut cues = Vec::new();
        for (i, w) in words.iter().enumerate() {
            if !is_lower(w) {
                continue;
            }
            if one_of(before, w) {
                cues.push((i + 1, true));
            }
            if after.iter().any(|a| starts_phrase(&words[i..], a)) {
                cues.push((i, false));
            }
            if *w == "in" && i > 0 && one_of(before_in, words[i - 1]) {
                cues.push((i + 1, true));
            }
        }
        cues
    }

    /// Whether some mention of the span's string, anywhere in the article
    /// (the tagger may have missed that one), stands at a cue.
    fn string_has_cue(&self, s: &Span, cues: &[(usize, bool)]) -> bool {
        let (h, len, n) = (self.hashes(), s.end - s.start, self.n);
        let key = &h[s.start..s.end];
        cues.iter().any(|&(i, starts)| {
            if starts {
                i + len <= n && &h[i..i + len] == key
            } else {
                i >= len && &h[i - len..i] == key
            }
        })
    }

    /// Names of works, documents and directions are no facet value: a
    /// string the article calls a film, a book or an album ("the film Vera
    /// Drake", "the Harry Potter films", "her role in Vera Drake"), a
    /// programme, law or agreement ("Export Enhancement Program"), or a
    /// compass point alone ("the West"). Lexicon entries stay.
    pub fn drop_works_and_documents(&self, spans: &mut Vec<Span>) {
        let words = self.words;
        let cues = self.cue_positions(WORK_NOUNS_BEFORE, WORK_NOUNS_AFTER, WORK_VERBS_BEFORE_IN);
        spans.retain(|s| {
            if s.link != Link::Own {
                return true;
            }
            let last = words[s.end - 1];
            let document = s.end - s.start >= 2 && one_of(DOCUMENT_HEADS, last);
            let compass =
                s.end == s.start + 1 && s.kind != Kind::Loc && one_of(COMPASS_POINTS, last);
            !(document || compass || self.string_has_cue(s, &cues))
        });
    }

    /// A person named by one common word and nothing else is no person:
    /// "Brokers", "Barley", "the Street", "the Bill" are capitalized nouns:
    /// words the model saw mostly in lower case, or the article writes so.
    /// Runs after partial names are linked, so a surname of a person the
    /// article names in full ("Mr Brown" after "Gordon Brown") is kept, as
    /// is a word after a title ("Mr Green").
    pub fn drop_common_word_persons(&self, spans: &mut Vec<Span>) {
        let (words, h) = (self.words, self.hashes());
        // The article writes the word in lower case elsewhere ("barley prices").
        let written_lower = |i: usize| (0..self.n).any(|j| h[j] == h[i] && is_lower(words[j]));
        retain_relinked(spans, |s| {
            !(s.kind == Kind::Per
                && s.link == Link::Own
                && s.end == s.start + 1
                && !(s.start > 0 && self.covers(s.start - 1, Cat::Title))
                && (self.usually_lower(words[s.start]) || written_lower(s.start)))
        });
    }
}
