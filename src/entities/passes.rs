//! The document-level passes that turn the tagger's spans into the spans of
//! an article, in the order [`Extractor::analyse`] runs them.
//!
//! Each pass has one job and says why it exists. Passes share a read-only
//! [`Context`] (the words, the gazetteer matches and per-token category
//! masks) and edit the span list; passes after the lexicon also keep
//! `in_span` (which tokens some span covers) up to date, so later passes
//! never claim a token twice. Owns the rules; does not tag, tokenize or pick
//! canonical names.

use std::collections::HashMap;

use super::gazetteer::{Cat, Gazetteer, Match, Ref, word_hash};
use super::tagger::{self, Kind};
use super::{
    DocTokens, Extractor, LEADING_HEADS, Link, Span, companies, dateline, is_capitalized, names,
};

/// "I'm", "we're", "Let's", "don't": a word and a clitic, never a name
/// ("O'Brien" and "Kata'ib" are not of this shape).
fn is_contraction(w: &str) -> bool {
    let Some((head, tail)) = w.rsplit_once(['\'', '’']) else {
        return false;
    };
    !head.is_empty()
        && matches!(tail, "m" | "re" | "ll" | "ve" | "d" | "t" | "s")
        && !head.contains(['\'', '’'])
}

/// The last word of a street's name ("Downing Street", "Fifth Avenue").
fn is_street(w: &str) -> bool {
    matches!(w, "Street" | "Avenue" | "Road" | "Boulevard" | "Square")
}

/// Honorifics that are part of how a person is named ("Lord Falconer",
/// "Sir Alex Ferguson"), not a job before the name.
fn is_honorific(w: &str) -> bool {
    matches!(w, "Lord" | "Lady" | "Sir" | "Dame" | "Baroness" | "Baron")
}

/// What every pass may read about the document.
pub struct Context<'a> {
    pub(super) ex: &'a Extractor,
    pub(super) words: &'a [&'a str],
    pub(super) sents: &'a [(usize, usize)],
    pub n: usize,
    pub(super) matches: Vec<Match>,
    /// Gazetteer categories covering each token (bit per [`Cat`]).
    pub(super) cover: Vec<u16>,
    /// Categories of exact single-token matches.
    pub(super) unit: Vec<u16>,
    /// Folded hash of each word.
    pub(super) hashes: Vec<u64>,
}

/// Which tokens the spans cover.
pub fn covered(spans: &[Span], n: usize) -> Vec<bool> {
    let mut in_span = vec![false; n];
    for s in spans {
        in_span[s.start..s.end].iter_mut().for_each(|x| *x = true);
    }
    in_span
}

/// Keeps the spans `keep` accepts, with `Link::Span` targets renumbered;
/// a span linked to a dropped one goes too (it names the same thing).
pub(super) fn retain_relinked(spans: &mut Vec<Span>, keep: impl Fn(&Span) -> bool) {
    let mut alive: Vec<bool> = spans.iter().map(&keep).collect();
    // Links chain (an acronym to a name to a full name): drop along them.
    let mut changed = true;
    while changed {
        changed = false;
        for (i, s) in spans.iter().enumerate() {
            if let Link::Span(t) = s.link
                && alive[i]
                && !alive.get(t).copied().unwrap_or(false)
            {
                alive[i] = false;
                changed = true;
            }
        }
    }
    let mut renum = Vec::with_capacity(spans.len());
    let mut next = 0;
    for &a in &alive {
        renum.push(next);
        next += usize::from(a);
    }
    let old = std::mem::take(spans);
    for (s, &a) in old.into_iter().zip(&alive) {
        if !a {
            continue;
        }
        let mut s = s;
        if let Link::Span(t) = s.link {
            s.link = Link::Span(renum[t]);
        }
        spans.push(s);
    }
}

pub(super) fn mark(in_span: &mut [bool], s: usize, e: usize) {
    in_span[s..e].iter_mut().for_each(|x| *x = true);
}

impl<'a> Context<'a> {
    pub fn new(ex: &'a Extractor, doc: &'a DocTokens<'a>, matches: Vec<Match>) -> Context<'a> {
        let words = &doc.words[..];
        let n = words.len();
        let mut cover = vec![0u16; n];
        let mut unit = vec![0u16; n];
        for m in &matches {
            let bit = 1u16 << m.what.cat() as u16;
            for c in &mut cover[m.start..m.end] {
                *c |= bit;
            }
            if m.end == m.start + 1 {
                unit[m.start] |= bit;
            }
        }
        let hashes = words.iter().map(|w| word_hash(w)).collect();
        Context {
            ex,
            words,
            sents: &doc.sents,
            n,
            matches,
            cover,
            unit,
            hashes,
        }
    }

    /// Some gazetteer entry of category `c` covers token `i`.
    pub(super) fn covers(&self, i: usize, c: Cat) -> bool {
        self.cover[i] & (1 << c as u16) != 0
    }

    /// The folded hash of each word.
    pub fn hashes(&self) -> &[u64] {
        &self.hashes
    }

    /// Token `i` opens a sentence.
    pub(super) fn starts_sentence(&self, i: usize) -> bool {
        self.sents.binary_search_by_key(&i, |s| s.0).is_ok()
    }

    /// Where a company name ending at a legal suffix or head word really
    /// starts: the tagger splits names at common words ("Sterling" |
    /// "Software Inc"), so capitalized words just before `start` join it,
    /// within the sentence, not across another span (`taken`), a title or a
    /// stop-listed word, and not out of running text into capitals.
    pub(super) fn name_start(&self, mut start: usize, taken: impl Fn(usize) -> bool) -> usize {
        let caps = |w: &str| !w.chars().any(char::is_lowercase);
        let in_caps = caps(self.words[start]);
        let joins = |i: usize| {
            is_capitalized(self.words[i])
                && (in_caps || !caps(self.words[i]))
                && !self.covers(i, Cat::Stop)
                && !self.covers(i, Cat::Title)
                && !taken(i)
        };
        let mut crossed_and = false;
        while start > 0 && !self.starts_sentence(start) {
            if joins(start - 1) {
                start -= 1;
            } else if !crossed_and
                && start >= 2
                && matches!(self.words[start - 1], "and" | "&")
                && !self.starts_sentence(start - 1)
                && joins(start - 2)
            {
                // "Duff and Phelps Inc": one "and" inside the name.
                crossed_and = true;
                start -= 2;
            } else {
                break;
            }
        }
        start
    }

    /// Token `i` alone is an entry of category `c`.
    pub(super) fn is_unit(&self, i: usize, c: Cat) -> bool {
        self.unit[i] & (1 << c as u16) != 0
    }

    /// Some gazetteer entry spanning exactly `s..e` satisfies `pred`.
    pub(super) fn exact(&self, s: usize, e: usize, pred: impl Fn(Ref) -> bool) -> bool {
        self.matches
            .iter()
            .any(|m| m.start == s && m.end == e && pred(m.what))
    }

    pub(super) fn is_place_name(&self, s: usize, e: usize) -> bool {
        self.exact(s, e, |r| r.is_place())
    }

    /// An organization head word ("Brigades", "Ministry") written as a name.
    pub(super) fn head_at(&self, i: usize) -> bool {
        i < self.n && self.is_unit(i, Cat::Head) && is_capitalized(self.words[i])
    }

    /// A word the model saw mostly in lower case.
    pub(super) fn usually_lower(&self, w: &str) -> bool {
        self.ex.model.feats.lower.contains(&word_hash(w))
    }

    /// Where the name starts in a person span that opens with a job whose
    /// title is not its first word ("Defense Secretary Ash Carter",
    /// "Deputy Secretary of State Antony Blinken"): after the last title
    /// word, when no given name comes before it and a name follows (a given
    /// name, or two capitalized words). Otherwise `s` unchanged.
    fn after_inner_title(&self, s: usize, e: usize) -> usize {
        let mut last_title = None;
        for i in s..e {
            if self.is_unit(i, Cat::First) {
                break;
            }
            if self.covers(i, Cat::Title) {
                last_title = Some(i);
            }
        }
        let Some(t) = last_title else {
            return s;
        };
        let rest = t + 1..e;
        // "Home Office Minister Lord Falconer": a peer is named with the
        // honorific.
        if t > s && !rest.is_empty() && is_honorific(self.words[t]) {
            return t;
        }
        let named = !rest.is_empty()
            && (self.is_unit(t + 1, Cat::First)
                || (rest.len() >= 2 && self.words[rest].iter().all(|w| is_capitalized(w))));
        if named { t + 1 } else { s }
    }

    /// The tagger's spans, trimmed to names: titles come off the front of
    /// persons, numbers and punctuation off both ends; stop-list entries,
    /// lone letters, lone titles or head words, uncapitalized runs and
    /// function words in capitals are dropped.
    pub fn clean_tagged_spans(&self, raw: &[(usize, usize, Kind)]) -> Vec<Span> {
        let words = self.words;
        let mut spans: Vec<Span> = Vec::with_capacity(raw.len());
        for &(mut s, e, kind) in raw {
            if kind == Kind::Per {
                while s < e && self.covers(s, Cat::Title) && !self.is_unit(s, Cat::First) {
                    s += 1;
                }
                s = self.after_inner_title(s, e);
            }
            // Names neither start nor end with numbers or punctuation.
            let lettered = |w: &str| w.chars().any(char::is_alphabetic);
            let mut e = e;
            while s < e && !lettered(words[s]) {
                s += 1;
            }
            while s < e && !lettered(words[e - 1]) {
                e -= 1;
            }
            if s >= e || self.exact(s, e, |r| r == Ref::Plain(Cat::Stop)) {
                continue;
            }
            // Money is no name ("U.S. Dlrs", "Sterling").
            if companies::is_currency(words[e - 1]) {
                continue;
            }
            // A contraction ("I'm", "Let's", "Don't") is no name.
            if e == s + 1 && is_contraction(words[s]) {
                continue;
            }
            // A legal form alone ("Co", "Co Inc") names no company.
            if companies::only_legal_form(&words[s..e]) {
                continue;
            }
            // A lone letter ("N", "M.") is a table heading or an initial, not a name.
            if e == s + 1 && words[s].chars().filter(|c| c.is_alphabetic()).count() < 2 {
                continue;
            }
            // A title or an org head word alone ("President", "Bank") is no name.
            if e == s + 1 && (self.is_unit(s, Cat::Title) || self.is_unit(s, Cat::Head)) {
                continue;
            }
            // Names in running text are capitalized ("caretaker" is not one).
            if !words[s..e].iter().any(|w| is_capitalized(w)) {
                continue;
            }
            // A function word in capitals ("AT" in a sports table) is no name.
            if e == s + 1
                && words[s].chars().all(|c| !c.is_lowercase())
                && self.usually_lower(words[s])
            {
                continue;
            }
            // A common word capitalized only because it opens the sentence
            // ("Brokers said"), unless the article capitalizes it elsewhere.
            if e == s + 1
                && self.starts_sentence(s)
                && self.usually_lower(words[s])
                && !(0..self.n).any(|i| {
                    i != s
                        && !self.starts_sentence(i)
                        && self.hashes[i] == self.hashes[s]
                        && is_capitalized(words[i])
                })
            {
                continue;
            }
            // A U.S. state's abbreviation after a town ("PITTSBURGH, Pa.")
            // belongs to a place, never to a person or an organization.
            if e == s + 1
                && kind != Kind::Loc
                && s >= 2
                && words[s - 1] == ","
                && is_capitalized(words[s - 2])
                && dateline::names_a_state(words[s])
            {
                continue;
            }
            spans.push(Span {
                start: s,
                end: e,
                kind,
                link: Link::Own,
            });
        }
        spans
    }

    /// The organization lexicon and country aliases override the tagger:
    /// they are curated, the tagger's types are guesses. Longest entries
    /// first; a demonym alone is no span (it counts as a country mention).
    pub fn apply_lexicon(&self, spans: &mut Vec<Span>) {
        let words = self.words;
        let mut lex: Vec<&Match> = self
            .matches
            .iter()
            .filter(|m| matches!(m.what, Ref::Org(_) | Ref::Country(_) | Ref::Demonym(_)))
            .collect();
        lex.sort_by_key(|m| (std::cmp::Reverse(m.end - m.start), m.start));
        let mut claimed = vec![false; self.n];
        let mut caps = None;
        for m in lex {
            if claimed[m.start..m.end].iter().any(|&c| c) {
                continue;
            }
            // Inside a longer stop-listed phrase ("Dow Jones Industrial Average").
            if self.matches.iter().any(|x| {
                x.what == Ref::Plain(Cat::Stop)
                    && x.start <= m.start
                    && m.end <= x.end
                    && x.end - x.start > m.end - m.start
            }) {
                continue;
            }
            if matches!(m.what, Ref::Org(_)) && self.is_acronym(m.start, m.end) {
                let caps = caps.get_or_insert_with(|| self.caps_sentences());
                if !self.acronym_fits(m, caps) {
                    // Neither the entry nor the tagger's guess from it stands.
                    spans.retain(|s| !(s.start == m.start && s.end == m.end));
                    continue;
                }
            }
            let (kind, link) = match m.what {
                Ref::Org(ix) => (Kind::Org, Link::Org(ix)),
                Ref::Country(_) => (Kind::Loc, Link::Own),
                _ => {
                    spans.retain(|s| !(s.start == m.start && s.end == m.end));
                    continue;
                }
            };
            if let Some(sp) = spans
                .iter_mut()
                .find(|s| s.start == m.start && s.end == m.end)
            {
                sp.kind = kind;
                sp.link = link;
            } else if let Some(sp) = spans
                .iter_mut()
                .find(|s| s.start <= m.start && m.end <= s.end)
            {
                if sp.end == m.end
                    && (sp.start..m.start).all(|i| words[i].eq_ignore_ascii_case("the"))
                {
                    // "The UK", "The Treasury": the article is no part of the name.
                    *sp = Span {
                        start: m.start,
                        end: m.end,
                        kind,
                        link,
                    };
                    for c in &mut claimed[m.start..m.end] {
                        *c = true;
                    }
                    continue;
                }
                // A longer name containing the lexicon entry: keep it, unless
                // the rest is only a nationality ("Iraqi Popular Mobilisation
                // Forces") or an article.
                let rest_is_modifier = (sp.start..m.start).all(|i| {
                    self.covers(i, Cat::Demonym)
                        || self.covers(i, Cat::Country)
                        || words[i].eq_ignore_ascii_case("the")
                });
                // "Moody's Investors Service Inc": the entry and its legal form.
                let rest_is_legal_form = (m.end..sp.end).all(|i| {
                    companies::is_legal_suffix(words[i])
                        || matches!(words[i], "," | "and" | "&" | "Co" | "Company")
                });
                if rest_is_modifier && rest_is_legal_form && matches!(link, Link::Org(_)) {
                    *sp = Span {
                        start: m.start,
                        end: sp.end,
                        kind,
                        link,
                    };
                } else {
                    continue;
                }
            } else {
                spans.retain(|s| s.end <= m.start || s.start >= m.end);
                spans.push(Span {
                    start: m.start,
                    end: m.end,
                    kind,
                    link,
                });
            }
            for c in &mut claimed[m.start..m.end] {
                *c = true;
            }
        }
    }

    /// Whether `s..e` is written like an acronym ("CTS", "U.N."): every
    /// letter a capital, at most five of them.
    fn is_acronym(&self, s: usize, e: usize) -> bool {
        let letters: usize = self.words[s..e]
            .iter()
            .map(|w| w.chars().filter(|c| c.is_alphabetic()).count())
            .sum();
        letters <= 5
            && self.words[s..e]
                .iter()
                .all(|w| !w.chars().any(char::is_lowercase))
    }

    /// Sentence `a..b` is written in capitals or in title case: case marks
    /// no names there.
    pub(super) fn headline_case(&self, a: usize, b: usize) -> bool {
        tagger::all_caps(&self.words[a..b])
            || tagger::title_case(
                &self.words[a..b],
                &self.hashes[a..b],
                &self.ex.model.feats.lower,
            )
    }

    /// For each token, whether its sentence is written in capitals.
    fn caps_sentences(&self) -> Vec<bool> {
        let mut caps = vec![false; self.n];
        for &(a, b) in self.sents {
            if self.headline_case(a, b) {
                caps[a..b].iter_mut().for_each(|x| *x = true);
            }
        }
        caps
    }

    /// A lexicon acronym stands only where case and context make it one:
    /// not after a number ("12 CTS" is cents), not in a sentence written in
    /// capitals unless the article also writes it in running text, and not
    /// where the article spells it out as something else ("Chemical
    /// Transport Services (CTS)"): what the text says beats the lexicon.
    fn acronym_fits(&self, m: &Match, caps: &[bool]) -> bool {
        let words = self.words;
        if m.start > 0 && words[m.start - 1].starts_with(|c: char| c.is_ascii_digit()) {
            return false;
        }
        let text = &words[m.start..m.end];
        let len = m.end - m.start;
        if caps[m.start]
            && !self
                .matches
                .iter()
                .any(|x| x.what == m.what && !caps[x.start])
        {
            return false;
        }
        // "Name (ACR)" where Name is not this entry.
        !(0..self.n).any(|i| {
            i >= 1
                && i + len < self.n
                && words[i - 1] == "("
                && words[i + len] == ")"
                && words[i..i + len] == *text
                && i >= 3
                && is_capitalized(words[i - 2])
                && is_capitalized(words[i - 3])
                && !self
                    .matches
                    .iter()
                    .any(|x| x.end + 1 == i && x.what == m.what)
        })
    }

    /// Org head words make organizations: a head word right after a name
    /// joins it ("Hezbollah Brigades"), a name ending in one or opening with
    /// a transliterated head ("Kataib Hezbollah") is an organization.
    pub fn extend_org_heads(&self, spans: &mut [Span], in_span: &mut [bool]) {
        for sp in spans.iter_mut() {
            if sp.link != Link::Own {
                continue;
            }
            if self.head_at(sp.end) && !in_span[sp.end] && !self.is_place_name(sp.start, sp.end) {
                in_span[sp.end] = true;
                sp.end += 1;
                sp.kind = Kind::Org;
            } else if sp.end - sp.start >= 2
                && (self.head_at(sp.end - 1)
                    || LEADING_HEADS.contains(&self.words[sp.start].to_ascii_lowercase().as_str()))
            {
                sp.kind = Kind::Org;
            }
        }
    }

    /// Capitalized runs ending in a head word that the tagger missed
    /// ("Supreme Islamic Council"). Not in headlines written in capitals,
    /// where every word looks like a name.
    pub fn find_head_word_runs(&self, spans: &mut Vec<Span>, in_span: &mut [bool]) {
        let words = self.words;
        for &(a, b) in self.sents {
            if self.headline_case(a, b) {
                continue;
            }
            let mut i = a;
            while i < b {
                if in_span[i] || !is_capitalized(words[i]) || self.covers(i, Cat::Stop) {
                    i += 1;
                    continue;
                }
                let mut j = i;
                while j < b
                    && !in_span[j]
                    && is_capitalized(words[j])
                    && (j == i || !self.usually_lower(words[j]))
                {
                    j += 1;
                }
                if j - i >= 2 && self.head_at(j - 1) {
                    let i = self.name_start(i, |k| in_span[k]);
                    spans.push(Span {
                        start: i,
                        end: j,
                        kind: Kind::Org,
                        link: Link::Own,
                    });
                    mark(in_span, i, j);
                }
                i = j.max(i + 1);
            }
        }
    }

    /// Big cities the tagger missed are places ("..., Tehran warned").
    pub fn add_big_cities(&self, spans: &mut Vec<Span>, in_span: &mut [bool]) {
        for m in &self.matches {
            if let Ref::City(c) = m.what
                && self.ex.gaz.cities[c as usize].population >= 1_000_000
                && is_capitalized(self.words[m.start])
                && !self.is_unit(m.start, Cat::First)
                && !in_span[m.start..m.end].iter().any(|&x| x)
            {
                spans.push(Span {
                    start: m.start,
                    end: m.end,
                    kind: Kind::Loc,
                    link: Link::Own,
                });
                mark(in_span, m.start, m.end);
            }
        }
    }

    /// An Arabic kunya ("Abu Mahdi al-Muhandis") names a person, unless the
    /// name is a place ("Abu Dhabi") or an organization's.
    pub fn kunya_persons(&self, spans: &mut [Span]) {
        for sp in spans.iter_mut() {
            if sp.link == Link::Own
                && sp.kind != Kind::Per
                && sp.end - sp.start >= 2
                && matches!(self.words[sp.start], "Abu" | "Umm" | "Abou")
                && !self.head_at(sp.end - 1)
                && !self.is_place_name(sp.start, sp.end)
            {
                sp.kind = Kind::Per;
            }
        }
    }

    /// Capitals and countries named as actors stay places ("Washington
    /// says"), unless a name follows ("George Washington" is one span); so
    /// does a city of 100,000 people or more named alone by its own name,
    /// when that is nobody's given name or surname ("Hollywood stars": no
    /// person; "Jackson", "Houston" and "Bonn", census names, stay with the
    /// tagger). A street is a place,
    /// never a person or an organization ("Downing Street", "Wall Street").
    pub fn major_places_stay_places(&self, spans: &mut [Span], in_span: &[bool]) {
        // A word written as a name (not an acronym), and nobody's name.
        let plain_non_name = |i: usize| {
            !self.covers(i, Cat::First)
                && !self.covers(i, Cat::Last)
                && self.words[i].chars().skip(1).any(char::is_lowercase)
        };
        // Places well known enough to be named for their government or people;
        // the smaller cities only under their own name ("IRNA" and "Ivanov"
        // are alternate names of towns).
        let is_major_place = |r: Ref, own_key: Option<u64>| match r {
            Ref::Country(_) | Ref::Region(_) => true,
            Ref::City(c) => {
                let city = &self.ex.gaz.cities[c as usize];
                city.population >= 500_000
                    || (own_key == Some(city.key) && city.population >= 100_000)
            }
            _ => false,
        };
        let n = self.n;
        for sp in spans.iter_mut() {
            if sp.kind == Kind::Loc || sp.link != Link::Own {
                continue;
            }
            let own_key = (sp.end == sp.start + 1 && plain_non_name(sp.start))
                .then(|| Gazetteer::name_key(&self.words[sp.start..sp.end]));
            let place = self.exact(sp.start, sp.end, |r| is_major_place(r, own_key))
                && !(sp.end < n && is_capitalized(self.words[sp.end]) && !in_span[sp.end]);
            let street = sp.end - sp.start >= 2 && is_street(self.words[sp.end - 1]);
            if place || street {
                sp.kind = Kind::Loc;
            }
        }
    }

    /// A city of 100,000 people or more, named by its own name, that the
    /// tagger read as a person only because it is also a surname ("Bonn
    /// said") is the city, when the article names no person of that
    /// surname in full (runs after partial names are linked), no title comes
    /// before it, it is nobody's given name and the article names its
    /// country.
    pub fn surname_cities_alone(&self, spans: &mut [Span]) {
        for sp in spans.iter_mut() {
            let i = sp.start;
            if sp.kind != Kind::Per
                || sp.link != Link::Own
                || sp.end != i + 1
                || !self.covers(i, Cat::Last)
                || self.covers(i, Cat::First)
                || (i > 0 && self.covers(i - 1, Cat::Title))
                || !self.words[i].chars().skip(1).any(char::is_lowercase)
            {
                continue;
            }
            let key = Gazetteer::name_key(&self.words[i..i + 1]);
            // Its country named too ("West German"): "Bush" is also a town
            // in Egypt.
            let country_named = |country: u16| {
                self.matches
                    .iter()
                    .any(|m| matches!(m.what, Ref::Country(c) | Ref::Demonym(c) if c == country))
            };
            let city = self.exact(i, i + 1, |r| match r {
                Ref::City(c) => {
                    let city = &self.ex.gaz.cities[c as usize];
                    city.key == key && city.population >= 100_000 && country_named(city.country)
                }
                _ => false,
            });
            if city {
                sp.kind = Kind::Loc;
            }
        }
    }

    /// One label per string per article (the majority), and unlabeled
    /// repeats of a labeled string get it too: the cheapest large gain of
    /// document-level consistency.
    pub fn one_label_per_string(&self, spans: &mut Vec<Span>, in_span: &mut [bool]) {
        let (words, n, hashes) = (self.words, self.n, &self.hashes);
        let key = |s: &Span| -> Vec<u64> { hashes[s.start..s.end].to_vec() };
        let mut votes: HashMap<Vec<u64>, [u32; 3]> = HashMap::new();
        for s in spans.iter() {
            votes.entry(key(s)).or_default()[s.kind as usize] += 1;
        }
        let majority = |v: &[u32; 3]| -> Kind {
            let mut best = Kind::Per;
            for k in Kind::ALL {
                if v[k as usize] > v[best as usize] {
                    best = k;
                }
            }
            best
        };
        for s in spans.iter_mut() {
            if s.link == Link::Own
                && let Some(v) = votes.get(&key(s))
            {
                s.kind = majority(v);
            }
        }
        let mut by_first: HashMap<u64, Vec<(&Vec<u64>, Kind)>> = HashMap::new();
        for (k, v) in &votes {
            by_first.entry(k[0]).or_default().push((k, majority(v)));
        }
        let mut i = 0;
        while i < n {
            if in_span[i]
                || !is_capitalized(words[i])
                || self.covers(i, Cat::Stop)
                || self.covers(i, Cat::Title)
            {
                i += 1;
                continue;
            }
            let mut found = None;
            if let Some(cands) = by_first.get(&hashes[i]) {
                for &(k, kind) in cands {
                    let e = i + k.len();
                    if e <= n
                        && hashes[i..e] == k[..]
                        && !in_span[i..e].iter().any(|&x| x)
                        && found.is_none_or(|(fe, _)| e > fe)
                    {
                        found = Some((e, kind));
                    }
                }
            }
            if let Some((e, kind)) = found {
                spans.push(Span {
                    start: i,
                    end: e,
                    kind,
                    link: Link::Own,
                });
                mark(in_span, i, e);
                i = e;
            } else {
                i += 1;
            }
        }
    }

    /// "Popular Mobilisation Forces (PMF)": the acronym names the same
    /// entity wherever the article uses it.
    pub fn link_acronyms(&self, spans: &mut Vec<Span>, in_span: &mut [bool]) {
        let (words, n, hashes) = (self.words, self.n, &self.hashes);
        let mut acronyms: HashMap<u64, usize> = HashMap::new();
        for (ix, s) in spans.iter().enumerate() {
            if s.end + 2 < n
                && words[s.end] == "("
                && words[s.end + 2] == ")"
                && s.end - s.start >= 2
            {
                let a = words[s.end + 1];
                let letters = a.chars().filter(|c| c.is_alphabetic()).count();
                if (2..=6).contains(&letters) && a.chars().all(|c| c.is_uppercase() || c == '&') {
                    acronyms.entry(hashes[s.end + 1]).or_insert(ix);
                }
            }
        }
        if acronyms.is_empty() {
            return;
        }
        for (ix, s) in spans.iter_mut().enumerate() {
            if s.end == s.start + 1
                && let Some(&target) = acronyms.get(&hashes[s.start])
                && target != ix
            {
                s.link = Link::Span(target);
            }
        }
        let adds: Vec<(usize, usize)> = (0..n)
            .filter(|&i| !in_span[i])
            .filter_map(|i| acronyms.get(&hashes[i]).map(|&t| (i, t)))
            .collect();
        for (i, t) in adds {
            let kind = spans[t].kind;
            spans.push(Span {
                start: i,
                end: i + 1,
                kind,
                link: Link::Span(t),
            });
            in_span[i] = true;
        }
        let snapshot: Vec<Kind> = spans.iter().map(|s| s.kind).collect();
        for s in spans.iter_mut() {
            if let Link::Span(t) = s.link {
                s.kind = snapshot[t];
            }
        }
    }

    /// Partial person names: "Mahdi" is Adel Abdel Mahdi, "Al-Muhandis" is
    /// Abu Mahdi al-Muhandis. A surname match beats a medial one. Name words
    /// compare without case or an article particle ("Al-Muhandis" =
    /// "Muhandis").
    pub fn link_partial_person_names(&self, spans: &mut Vec<Span>, in_span: &mut [bool]) {
        let (words, n) = (self.words, self.n);
        let word_keys: Vec<u64> = words
            .iter()
            .map(|w| {
                let w = names::strip_particle(w);
                if is_capitalized(w) { word_hash(w) } else { 0 }
            })
            .collect();
        let mut last: HashMap<u64, usize> = HashMap::new();
        let mut inner: HashMap<u64, usize> = HashMap::new();
        for (ix, s) in spans.iter().enumerate() {
            if s.kind != Kind::Per || s.end - s.start < 2 || s.link != Link::Own {
                continue;
            }
            let lk = word_keys[s.end - 1];
            if lk != 0 {
                last.entry(lk).or_insert(ix);
            }
            for &k in &word_keys[s.start..s.end - 1] {
                if k != 0 {
                    inner.entry(k).or_insert(ix);
                }
            }
        }
        if last.is_empty() {
            return;
        }
        let find = |k: u64| last.get(&k).or_else(|| inner.get(&k)).copied();
        let mut links = Vec::new();
        for (ix, s) in spans.iter().enumerate() {
            if s.link != Link::Own || (s.kind != Kind::Per && self.is_place_name(s.start, s.end)) {
                continue;
            }
            let target = if s.end - s.start == 1 {
                find(word_keys[s.start])
            } else if s.kind == Kind::Per {
                // "Abdel Mahdi" inside "Adel Abdel Mahdi".
                last.get(&word_keys[s.end - 1]).copied().filter(|&t| {
                    let full = &spans[t];
                    full.end - full.start > s.end - s.start
                        && word_keys[full.end - (s.end - s.start)..full.end]
                            == word_keys[s.start..s.end]
                })
            } else {
                None
            };
            if let Some(t) = target
                && t != ix
            {
                links.push((ix, t));
            }
        }
        for (ix, t) in links {
            spans[ix].kind = Kind::Per;
            spans[ix].link = Link::Span(t);
        }
        for i in 0..n {
            if in_span[i] || !is_capitalized(words[i]) || self.covers(i, Cat::Stop) {
                continue;
            }
            if let Some(&t) = last.get(&word_keys[i])
                && !self.is_place_name(i, i + 1)
            {
                spans.push(Span {
                    start: i,
                    end: i + 1,
                    kind: Kind::Per,
                    link: Link::Span(t),
                });
                in_span[i] = true;
            }
        }
    }
}
