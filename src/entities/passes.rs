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

use super::gazetteer::{Cat, Match, Ref, word_hash};
use super::tagger::{self, Kind};
use super::{DocTokens, Extractor, LEADING_HEADS, Link, Span, in_span_any, is_capitalized, names};

/// What every pass may read about the document.
pub struct Context<'a> {
    ex: &'a Extractor,
    words: &'a [&'a str],
    sents: &'a [(usize, usize)],
    pub n: usize,
    matches: Vec<Match>,
    /// Gazetteer categories covering each token (bit per [`Cat`]).
    cover: Vec<u16>,
    /// Categories of exact single-token matches.
    unit: Vec<u16>,
    /// Folded hash of each word.
    hashes: Vec<u64>,
}

/// Which tokens the spans cover.
pub fn covered(spans: &[Span], n: usize) -> Vec<bool> {
    let mut in_span = vec![false; n];
    for s in spans {
        in_span[s.start..s.end].iter_mut().for_each(|x| *x = true);
    }
    in_span
}

fn mark(in_span: &mut [bool], s: usize, e: usize) {
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
    fn covers(&self, i: usize, c: Cat) -> bool {
        self.cover[i] & (1 << c as u16) != 0
    }

    /// Token `i` alone is an entry of category `c`.
    fn is_unit(&self, i: usize, c: Cat) -> bool {
        self.unit[i] & (1 << c as u16) != 0
    }

    /// Some gazetteer entry spanning exactly `s..e` satisfies `pred`.
    fn exact(&self, s: usize, e: usize, pred: impl Fn(Ref) -> bool) -> bool {
        self.matches
            .iter()
            .any(|m| m.start == s && m.end == e && pred(m.what))
    }

    fn is_place_name(&self, s: usize, e: usize) -> bool {
        self.exact(s, e, |r| r.is_place())
    }

    /// An organization head word ("Brigades", "Ministry") written as a name.
    fn head_at(&self, i: usize) -> bool {
        i < self.n && self.is_unit(i, Cat::Head) && is_capitalized(self.words[i])
    }

    /// A word the model saw mostly in lower case.
    fn usually_lower(&self, w: &str) -> bool {
        self.ex.model.feats.lower.contains(&word_hash(w))
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
        for m in lex {
            if claimed[m.start..m.end].iter().any(|&c| c) {
                continue;
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
                // A longer name containing the lexicon entry: keep it, unless
                // the rest is only a nationality ("Iraqi Popular Mobilisation
                // Forces") or an article.
                let rest_is_modifier = (sp.start..m.start).chain(m.end..sp.end).all(|i| {
                    self.covers(i, Cat::Demonym)
                        || self.covers(i, Cat::Country)
                        || words[i].eq_ignore_ascii_case("the")
                });
                if rest_is_modifier && matches!(link, Link::Org(_)) && m.end == sp.end {
                    *sp = Span {
                        start: m.start,
                        end: m.end,
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
            if tagger::all_caps(&words[a..b]) {
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
    /// says"), unless a name follows ("George Washington" is one span).
    pub fn major_places_stay_places(&self, spans: &mut [Span], in_span: &[bool]) {
        // Places well known enough to be named for their government or people.
        let is_major_place = |r: Ref| match r {
            Ref::Country(_) | Ref::Region(_) => true,
            Ref::City(c) => self.ex.gaz.cities[c as usize].population >= 500_000,
            _ => false,
        };
        let n = self.n;
        for sp in spans.iter_mut() {
            if sp.kind != Kind::Loc
                && sp.link == Link::Own
                && self.exact(sp.start, sp.end, is_major_place)
                && !(sp.end < n && is_capitalized(self.words[sp.end]) && !in_span[sp.end])
            {
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

    /// Demonyms outside names count as mentions of their country
    /// ("Iraqi officials").
    pub fn demonym_mentions(&self, spans: &[Span]) -> Vec<u16> {
        self.matches
            .iter()
            .filter_map(|m| match m.what {
                Ref::Demonym(c) if !in_span_any(spans, m.start, m.end) => Some(c),
                _ => None,
            })
            .collect()
    }
}
