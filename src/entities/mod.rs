//! Entity extraction: persons, places and organizations with canonical names.
//!
//! The indexer calls [`Extractor::extract`] once per article from many
//! threads; the extractor is loaded once and shared read-only. The query side
//! never loads it.
//!
//! Pipeline per article: [`tokenize`] the title, standfirst, dateline and body
//! into sentences; tag each sentence with the averaged perceptron
//! ([`tagger`]) using gazetteer features ([`gazetteer`]); then apply
//! document-level rules (`analyse`): titles stripped from names, stop-list
//! entries dropped, the organization lexicon and country aliases override the
//! tagger, org head words make organizations, capitals stay places, one label
//! per string per article, "Name (ACRONYM)" aliases, partial person names
//! linked to the full name. Finally names get canonical forms ([`names`]) and
//! places a GeoNames path ([`places`]).

pub mod corpus;
pub mod dateline;
pub mod gazetteer;
pub mod names;
#[cfg(test)]
mod pieces_test;
pub mod places;
#[cfg(test)]
mod rules_test;
#[cfg(test)]
mod seed_test;
pub mod tagger;
pub mod tokenize;
pub mod train;

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::article::Article;
use gazetteer::{Cat, Gazetteer, Match, Ref, Sources, word_hash};
use tagger::{Kind, Model, Scratch, labels_to_spans};

/// A person or organization found in one article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Entity {
    /// Canonical display name, e.g. "Abu Mahdi al-Muhandis".
    pub name: String,
    /// How many times the article mentions it (all spellings).
    pub mentions: u32,
    /// What the article is about: named in the headline, dateline or lead,
    /// or mentioned at least twice.
    #[serde(default)]
    pub main: bool,
}

/// A place found in one article, as a path in the place hierarchy:
/// `["Iraq"]`, `["Iraq", "Basra"]`, `["Iraq", "Basra", "Basra"]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PlaceEntity {
    pub path: Vec<String>,
    pub mentions: u32,
    /// What the article is about: named in the headline, dateline or lead,
    /// or mentioned at least twice.
    #[serde(default)]
    pub main: bool,
}

/// Everything extracted from one article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Entities {
    pub persons: Vec<Entity>,
    pub places: Vec<PlaceEntity>,
    pub orgs: Vec<Entity>,
}

static PLACES_GZ: &[u8] = include_bytes!("../../data/ner/places.tsv.gz");
static NAMES_GZ: &[u8] = include_bytes!("../../data/ner/names.tsv.gz");
static ORGS: &str = include_str!("../../data/ner/orgs.tsv");
static TITLES: &str = include_str!("../../data/ner/titles.txt");
static STOPLIST: &str = include_str!("../../data/ner/stoplist.txt");
static HEADWORDS: &str = include_str!("../../data/ner/headwords.txt");
static MODEL_GZ: &[u8] = include_bytes!("../../data/ner/model.bin.gz");

/// Loads the compiled-in gazetteers (also used by training).
pub fn load_gazetteer() -> anyhow::Result<Gazetteer> {
    Gazetteer::load(&Sources {
        places_gz: PLACES_GZ,
        names_gz: NAMES_GZ,
        orgs: ORGS,
        titles: TITLES,
        stoplist: STOPLIST,
        headwords: HEADWORDS,
    })
}

/// Words that open a militia's name in transliteration ("Kataib Hezbollah").
const LEADING_HEADS: &[&str] = &[
    "kataib", "kata'ib", "asaib", "asa'ib", "harakat", "jaysh", "jaish", "hizb", "liwa", "saraya",
];

/// The most tokens the document-level rules see at once (see
/// `Extractor::analyse_in_pieces`): about 50 KB of text, longer than news
/// articles run.
pub const MAX_ANALYSED_TOKENS: usize = 10_000;

/// Tokens of one document, flat, with sentence ranges.
#[derive(Debug, Default)]
pub struct DocTokens<'a> {
    pub words: Vec<&'a str>,
    pub sents: Vec<(usize, usize)>,
    /// Tokens before this are the headline, standfirst, dateline and lead
    /// paragraph: what they name is *main* in the article.
    pub lead_end: usize,
}

impl<'a> DocTokens<'a> {
    /// Appends the sentences of a piece of text.
    pub fn push_text(&mut self, text: &'a str, toks: &mut Vec<tokenize::Token>) {
        toks.clear();
        tokenize::tokenize(text, toks);
        let base = self.words.len();
        self.words.extend(toks.iter().map(|t| t.text(text)));
        let mut sents = Vec::new();
        tokenize::sentences(text, toks, &mut sents);
        self.sents
            .extend(sents.into_iter().map(|(a, b)| (base + a, base + b)));
    }
}

/// How a mention refers to its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// It names the entity itself.
    Own,
    /// An entry of the organization lexicon.
    Org(u32),
    /// Another span of the document (a full name, a spelled-out acronym).
    Span(usize),
}

/// A typed mention over document tokens `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    pub link: Link,
}

/// The spans of a document after the document-level rules.
pub struct Analysis {
    pub spans: Vec<Span>,
    /// Demonyms outside any span: a mention of that country.
    pub demonyms: Vec<places::DemonymMention>,
    /// The place of the dateline, read by [`dateline::apply`].
    pub dateline: Option<places::Mention>,
}

/// The loaded model and gazetteers.
pub struct Extractor {
    gaz: Gazetteer,
    model: Model,
}

fn is_capitalized(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

fn join(words: &[&str]) -> String {
    words.join(" ")
}

thread_local! {
    /// The tagger's buffers, kept between the documents a thread tags.
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

impl Extractor {
    /// Loads the shipped model and gazetteers.
    pub fn load() -> anyhow::Result<Extractor> {
        let gaz = load_gazetteer()?;
        let model = Model::load(MODEL_GZ)?;
        Ok(Extractor { gaz, model })
    }

    /// A version string recorded in the index metadata, so an index knows
    /// which model and gazetteers annotated it.
    pub fn version(&self) -> &'static str {
        concat!("newsdex-ner-", env!("CARGO_PKG_VERSION"), "-ap2")
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gaz
    }

    /// Extracts the entities of one article (title, standfirst, dateline,
    /// body; not captions, whose credits are page furniture).
    pub fn extract(&self, article: &Article) -> Entities {
        let mut doc = DocTokens::default();
        let mut toks = Vec::new();
        doc.push_text(&article.title, &mut toks);
        doc.push_text(&article.standfirst, &mut toks);
        let dateline_start = doc.words.len();
        if let Some(d) = &article.dateline {
            doc.push_text(d, &mut toks);
        }
        let dateline_end = doc.words.len();
        for (i, p) in article.body.iter().enumerate() {
            doc.push_text(p, &mut toks);
            if i == 0 {
                doc.lead_end = doc.words.len();
            }
        }
        doc.lead_end = doc.lead_end.max(dateline_end);
        let mut analysis = self.analyse_in_pieces(&doc);
        dateline::apply(&self.gaz, &doc, &mut analysis, dateline_start, dateline_end);
        self.entities(&doc, &analysis)
    }

    /// [`Extractor::analyse`] on pieces of at most [`MAX_ANALYSED_TOKENS`]
    /// tokens cut between sentences, with the pieces' spans joined in
    /// document order. The document-level rules compare mentions with each
    /// other, so their cost grows with the square of the text they see; a
    /// book-length page or a dump on one line is analysed piece by piece and
    /// its cost stays linear. News articles fit in one piece.
    fn analyse_in_pieces(&self, doc: &DocTokens) -> Analysis {
        if doc.words.len() <= MAX_ANALYSED_TOKENS {
            return self.analyse(doc);
        }
        let mut all = Analysis {
            spans: Vec::new(),
            demonyms: Vec::new(),
            dateline: None,
        };
        let mut piece = DocTokens::default();
        let mut first = 0;
        while first < doc.sents.len() {
            let start = doc.sents[first].0;
            let mut last = first + 1;
            while last < doc.sents.len() && doc.sents[last].1 - start <= MAX_ANALYSED_TOKENS {
                last += 1;
            }
            let end = doc.sents[last - 1].1;
            piece.words.clear();
            piece.words.extend_from_slice(&doc.words[start..end]);
            piece.sents.clear();
            piece.sents.extend(
                doc.sents[first..last]
                    .iter()
                    .map(|&(a, b)| (a - start, b - start)),
            );
            let analysis = self.analyse(&piece);
            let base = all.spans.len();
            all.spans.extend(analysis.spans.into_iter().map(|mut span| {
                span.start += start;
                span.end += start;
                if let Link::Span(target) = &mut span.link {
                    *target += base;
                }
                span
            }));
            all.demonyms.extend(analysis.demonyms);
            first = last;
        }
        all
    }

    /// Typed spans of pre-tokenized sentences of one document (for evaluation).
    pub fn tag_sentences(&self, sents: &[Vec<&str>]) -> Vec<Span> {
        let mut doc = DocTokens::default();
        for s in sents {
            let a = doc.words.len();
            doc.words.extend(s.iter().copied());
            doc.sents.push((a, doc.words.len()));
        }
        self.analyse(&doc).spans
    }

    /// Tags a document and applies the document-level rules.
    pub fn analyse(&self, doc: &DocTokens) -> Analysis {
        let words = &doc.words;
        let n = words.len();
        let mut labels = Vec::new();
        let mut raw = Vec::new();
        let mut matches: Vec<Match> = Vec::new();
        SCRATCH.with_borrow_mut(|scratch| {
            for &(a, b) in &doc.sents {
                self.model
                    .tag(&self.gaz, &words[a..b], scratch, &mut labels);
                labels_to_spans(&labels, a, &mut raw);
                matches.extend(scratch.matches().iter().map(|m| Match {
                    start: m.start + a,
                    end: m.end + a,
                    what: m.what,
                }));
            }
            scratch.trim();
        });
        // Categories covering each token, and exact single-token categories.
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
        let has = |v: &[u16], i: usize, c: Cat| v[i] & (1 << c as u16) != 0;
        let exact = |s: usize, e: usize, pred: &dyn Fn(Ref) -> bool| {
            matches
                .iter()
                .any(|m| m.start == s && m.end == e && pred(m.what))
        };
        let is_place = |r: Ref| r.is_place();
        // Places well known enough to be named for their government or people.
        let is_major_place = |r: Ref| match r {
            Ref::Country(_) | Ref::Region(_) => true,
            Ref::City(c) => self.gaz.cities[c as usize].population >= 500_000,
            _ => false,
        };

        // Titles off the front of person names; stop-list entries dropped.
        let mut spans: Vec<Span> = Vec::with_capacity(raw.len());
        for &(mut s, e, kind) in &raw {
            if kind == Kind::Per {
                while s < e && has(&cover, s, Cat::Title) && !has(&unit, s, Cat::First) {
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
            if s >= e || exact(s, e, &|r| r == Ref::Plain(Cat::Stop)) {
                continue;
            }
            // A lone letter ("N", "M.") is a table heading or an initial, not a name.
            if e == s + 1 && words[s].chars().filter(|c| c.is_alphabetic()).count() < 2 {
                continue;
            }
            // A title or an org head word alone ("President", "Bank") is no name.
            if e == s + 1 && (has(&unit, s, Cat::Title) || has(&unit, s, Cat::Head)) {
                continue;
            }
            // Names in running text are capitalized ("caretaker" is not one).
            if !words[s..e].iter().any(|w| is_capitalized(w)) {
                continue;
            }
            // A function word in capitals ("AT" in a sports table) is no name.
            if e == s + 1
                && words[s].chars().all(|c| !c.is_lowercase())
                && self.model.feats.lower.contains(&word_hash(words[s]))
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

        // The organization lexicon and country aliases override the tagger.
        let mut lex: Vec<&Match> = matches
            .iter()
            .filter(|m| matches!(m.what, Ref::Org(_) | Ref::Country(_) | Ref::Demonym(_)))
            .collect();
        lex.sort_by_key(|m| (std::cmp::Reverse(m.end - m.start), m.start));
        let mut claimed = vec![false; n];
        for m in lex {
            if claimed[m.start..m.end].iter().any(|&c| c) {
                continue;
            }
            let (kind, link) = match m.what {
                Ref::Org(ix) => (Kind::Org, Link::Org(ix)),
                Ref::Country(_) => (Kind::Loc, Link::Own),
                _ => {
                    // A demonym alone is not a place span (it is a mention of
                    // its country, counted below).
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
                    has(&cover, i, Cat::Demonym)
                        || has(&cover, i, Cat::Country)
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
        spans.sort_by_key(|s| s.start);

        // Org head words: "Hezbollah Brigades", "Kataib Hezbollah".
        let head_at = |i: usize| i < n && has(&unit, i, Cat::Head) && is_capitalized(words[i]);
        let mut in_span = vec![false; n];
        for s in &spans {
            in_span[s.start..s.end].iter_mut().for_each(|x| *x = true);
        }
        for sp in &mut spans {
            if sp.link != Link::Own {
                continue;
            }
            if head_at(sp.end) && !in_span[sp.end] && !exact(sp.start, sp.end, &is_place) {
                in_span[sp.end] = true;
                sp.end += 1;
                sp.kind = Kind::Org;
            } else if sp.end - sp.start >= 2
                && (head_at(sp.end - 1)
                    || LEADING_HEADS.contains(&words[sp.start].to_ascii_lowercase().as_str()))
            {
                sp.kind = Kind::Org;
            }
        }
        // Capitalized runs ending in a head word that the tagger missed.
        // Not in headlines written in capitals, where every word looks like a name.
        let lower = &self.model.feats.lower;
        for &(a, b) in &doc.sents {
            if tagger::all_caps(&words[a..b]) {
                continue;
            }
            let mut i = a;
            while i < b {
                if in_span[i] || !is_capitalized(words[i]) || has(&cover, i, Cat::Stop) {
                    i += 1;
                    continue;
                }
                let mut j = i;
                while j < b
                    && !in_span[j]
                    && is_capitalized(words[j])
                    && (j == i || !lower.contains(&word_hash(words[j])))
                {
                    j += 1;
                }
                if j - i >= 2 && head_at(j - 1) {
                    spans.push(Span {
                        start: i,
                        end: j,
                        kind: Kind::Org,
                        link: Link::Own,
                    });
                    in_span[i..j].iter_mut().for_each(|x| *x = true);
                }
                i = j.max(i + 1);
            }
        }

        // Big cities the tagger missed are places ("..., Tehran warned").
        for m in &matches {
            if let Ref::City(c) = m.what
                && self.gaz.cities[c as usize].population >= 1_000_000
                && is_capitalized(words[m.start])
                && !has(&unit, m.start, Cat::First)
                && !in_span[m.start..m.end].iter().any(|&x| x)
            {
                spans.push(Span {
                    start: m.start,
                    end: m.end,
                    kind: Kind::Loc,
                    link: Link::Own,
                });
                in_span[m.start..m.end].iter_mut().for_each(|x| *x = true);
            }
        }

        // An Arabic kunya ("Abu Mahdi al-Muhandis") names a person, unless the
        // name is a place ("Abu Dhabi") or an organization's.
        for sp in &mut spans {
            if sp.link == Link::Own
                && sp.kind != Kind::Per
                && sp.end - sp.start >= 2
                && matches!(words[sp.start], "Abu" | "Umm" | "Abou")
                && !head_at(sp.end - 1)
                && !exact(sp.start, sp.end, &is_place)
            {
                sp.kind = Kind::Per;
            }
        }

        // Capitals and countries named as actors stay places ("Washington
        // says"), unless a name follows ("George Washington" is one span).
        for sp in &mut spans {
            if sp.kind != Kind::Loc
                && sp.link == Link::Own
                && exact(sp.start, sp.end, &is_major_place)
                && !(sp.end < n && is_capitalized(words[sp.end]) && !in_span[sp.end])
            {
                sp.kind = Kind::Loc;
            }
        }

        // One label per string per article; unlabeled repeats get it too.
        let key =
            |s: &Span| -> Vec<u64> { words[s.start..s.end].iter().map(|w| word_hash(w)).collect() };
        let mut votes: HashMap<Vec<u64>, [u32; 3]> = HashMap::new();
        for s in &spans {
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
        for s in &mut spans {
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
        let hashes: Vec<u64> = words.iter().map(|w| word_hash(w)).collect();
        let mut i = 0;
        while i < n {
            if in_span[i]
                || !is_capitalized(words[i])
                || has(&cover, i, Cat::Stop)
                || has(&cover, i, Cat::Title)
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
                in_span[i..e].iter_mut().for_each(|x| *x = true);
                i = e;
            } else {
                i += 1;
            }
        }

        // "Popular Mobilisation Forces (PMF)": the acronym names the same entity.
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
        if !acronyms.is_empty() {
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
            for s in &mut spans {
                if let Link::Span(t) = s.link {
                    s.kind = snapshot[t];
                }
            }
        }

        // Partial person names: "Mahdi" is Adel Abdel Mahdi, "Al-Muhandis"
        // is Abu Mahdi al-Muhandis. A surname match beats a medial one.
        // Name words compare without case or an article particle ("Al-Muhandis" = "Muhandis").
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
        if !last.is_empty() {
            let find = |k: u64| last.get(&k).or_else(|| inner.get(&k)).copied();
            let mut links = Vec::new();
            for (ix, s) in spans.iter().enumerate() {
                if s.link != Link::Own || (s.kind != Kind::Per && exact(s.start, s.end, &is_place))
                {
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
                if in_span[i] || !is_capitalized(words[i]) || has(&cover, i, Cat::Stop) {
                    continue;
                }
                if let Some(&t) = last.get(&word_keys[i])
                    && !exact(i, i + 1, &is_place)
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

        // Place words inside organization, agreement and currency names.
        places::drop_non_mentions(words, &mut spans);
        let demonyms = places::demonym_mentions(&matches, &spans, words);
        // Links point at indices before sorting: relink remaps them.
        Analysis {
            spans: relink(spans),
            demonyms,
            dateline: None,
        }
    }

    /// Canonical entities of an analysed document.
    pub fn entities(&self, doc: &DocTokens, a: &Analysis) -> Entities {
        let words = &doc.words;
        let root = |mut i: usize| {
            for _ in 0..4 {
                match a.spans[i].link {
                    Link::Span(t) => i = t,
                    _ => break,
                }
            }
            i
        };
        // key -> (display, tokens of display, mentions, prominent)
        let mut persons: HashMap<String, (String, usize, u32, bool)> = HashMap::new();
        let mut orgs: HashMap<String, (String, usize, u32, bool)> = HashMap::new();
        let mut place_mentions = Vec::new();
        for (ix, s) in a.spans.iter().enumerate() {
            let prominent = s.start < doc.lead_end;
            match s.kind {
                Kind::Loc => {
                    let mut cands = Vec::new();
                    self.gaz.lookup(&words[s.start..s.end], &mut cands);
                    cands.retain(|r| r.is_place());
                    if !cands.is_empty() {
                        place_mentions.push(places::Mention::new(
                            cands,
                            &words[s.start..s.end],
                            prominent,
                        ));
                    }
                }
                Kind::Per | Kind::Org => {
                    let r = &a.spans[root(ix)];
                    let display = match r.link {
                        Link::Org(o) => self.gaz.orgs[o as usize].clone(),
                        _ => names::display_name(&names::recase_caps(
                            &join(&words[r.start..r.end]),
                            s.kind == Kind::Org,
                        )),
                    };
                    let key = names::name_key(&display);
                    if key.is_empty() {
                        continue;
                    }
                    let table = if s.kind == Kind::Per {
                        &mut persons
                    } else {
                        &mut orgs
                    };
                    let len = r.end - r.start;
                    let e = table.entry(key).or_insert((display.clone(), len, 0, false));
                    if len > e.1 {
                        e.0 = display;
                        e.1 = len;
                    }
                    e.2 += 1;
                    e.3 |= prominent;
                }
            }
        }
        if let Some(m) = &a.dateline {
            place_mentions.push(m.clone());
        }
        let finish = |t: HashMap<String, (String, usize, u32, bool)>| {
            let mut v: Vec<Entity> = t
                .into_values()
                .map(|(name, _, mentions, prominent)| Entity {
                    name,
                    mentions,
                    main: prominent || mentions >= places::MAIN_MENTIONS,
                })
                .collect();
            v.sort_by(|a, b| {
                b.mentions
                    .cmp(&a.mentions)
                    .then_with(|| a.name.cmp(&b.name))
            });
            v
        };
        Entities {
            persons: finish(persons),
            places: places::resolve(&self.gaz, &place_mentions, &a.demonyms, doc.lead_end),
            orgs: finish(orgs),
        }
    }
}

/// Sorts spans by position while keeping `Link::Span` targets right.
fn relink(spans: Vec<Span>) -> Vec<Span> {
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by_key(|&i| (spans[i].start, spans[i].end));
    let mut new_ix = vec![0; spans.len()];
    for (new, &old) in order.iter().enumerate() {
        new_ix[old] = new;
    }
    order
        .iter()
        .map(|&old| {
            let mut s = spans[old];
            if let Link::Span(t) = s.link {
                s.link = Link::Span(new_ix[t]);
            }
            s
        })
        .collect()
}
