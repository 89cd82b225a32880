//! Entity extraction: persons, places and organizations with canonical names.
//!
//! The indexer calls [`Extractor::extract`] once per article from many
//! threads; the extractor is loaded once and shared read-only. The query side
//! never loads it.
//!
//! Pipeline per article: [`tokenize`] the title, standfirst, dateline and body
//! into sentences; tag each sentence with the averaged perceptron
//! ([`tagger`]) using gazetteer features ([`gazetteer`]); then apply
//! the document-level [`passes`] (`analyse`): titles stripped from names, stop-list
//! entries dropped, the organization lexicon and country aliases override the
//! tagger, org head words make organizations, capitals stay places, one label
//! per string per article, "Name (ACRONYM)" aliases, partial person names
//! linked to the full name. Finally names get canonical forms ([`names`]) and
//! places a GeoNames path ([`places`]).

pub mod companies;
pub mod context_kinds;
pub mod corpus;
pub mod dateline;
pub mod gazetteer;
pub mod names;
pub mod passes;
#[cfg(test)]
mod pieces_test;
pub mod places;
#[cfg(test)]
mod rules_test;
#[cfg(test)]
mod seed_test;
pub mod sports;
pub mod tagger;
pub mod tokenize;
pub mod train;

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::article::Article;
use gazetteer::{Gazetteer, Match, Sources};
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

/// Words that open an organization's name: a militia's in transliteration
/// ("Kataib Hezbollah"), a continental company's or bank's ("Societe
/// Generale", "Banque Paribas", "Credit Suisse").
const LEADING_HEADS: &[&str] = &[
    "kataib",
    "kata'ib",
    "asaib",
    "asa'ib",
    "harakat",
    "jaysh",
    "jaish",
    "hizb",
    "liwa",
    "saraya",
    "societe",
    "société",
    "compagnie",
    "banque",
    "banco",
    "banca",
    "groupe",
    "caisse",
    "credit",
    "crédit",
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
    teams: sports::Teams,
}

fn is_capitalized(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Name words as text: spaced, except a possessive or a comma that
/// belongs to the word before ("Moody's", not "Moody 's").
fn join(words: &[&str]) -> String {
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        let attached = matches!(*w, "'s" | "'S" | "’s" | "," | "'");
        if i > 0 && !attached {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

thread_local! {
    /// The tagger's buffers, kept between the documents a thread tags.
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

impl Extractor {
    /// Loads the shipped model and gazetteers.
    pub fn load() -> anyhow::Result<Extractor> {
        Extractor::with_model(MODEL_GZ)
    }

    /// Loads the shipped gazetteers with another model file's bytes (gzip),
    /// to score a freshly trained model before it is embedded.
    pub fn with_model(model_gz: &[u8]) -> anyhow::Result<Extractor> {
        let gaz = load_gazetteer()?;
        let model = Model::load(model_gz)?;
        let teams = sports::Teams::load()?;
        Ok(Extractor { gaz, model, teams })
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

    /// Tags a document and applies the document-level rules, one pass at a
    /// time (see [`passes`] for why each exists). The order matters: the
    /// lexicon overrides the tagger before head words extend spans, and the
    /// per-article consistency passes run on the final span types.
    pub fn analyse(&self, doc: &DocTokens) -> Analysis {
        let (raw, matches) = self.tag(doc);
        let cx = passes::Context::new(self, doc, matches);
        let mut spans = cx.clean_tagged_spans(&raw);
        cx.apply_lexicon(&mut spans);
        cx.read_tickers(&mut spans);
        cx.join_partnerships(&mut spans);
        cx.legal_suffix_orgs(&mut spans);
        spans.sort_by_key(|s| s.start);
        let mut in_span = passes::covered(&spans, cx.n);
        cx.extend_org_heads(&mut spans, &mut in_span);
        cx.find_head_word_runs(&mut spans, &mut in_span);
        cx.add_big_cities(&mut spans, &mut in_span);
        cx.kunya_persons(&mut spans);
        cx.major_places_stay_places(&mut spans, &in_span);
        cx.org_nouns_make_orgs(&mut spans);
        cx.one_label_per_string(&mut spans, &mut in_span);
        // Each mention of a club is read in its own context ("Barcelona
        // won" / "in Barcelona"), after the per-string vote.
        let sports = self.teams.is_sports_page(&doc.words, cx.hashes());
        if sports {
            cx.read_teams(&self.teams, &mut spans, &mut in_span);
        }
        cx.drop_competitions(&self.teams, &mut spans, sports);
        cx.drop_works_and_documents(&mut spans);
        cx.link_acronyms(&mut spans, &mut in_span);
        cx.link_partial_person_names(&mut spans, &mut in_span);
        // What is left alone, unlinked, as a person: a club or a common word.
        cx.clubs_named_as_persons(&self.teams, &mut spans);
        cx.surname_cities_alone(&mut spans);
        cx.drop_common_word_persons(&mut spans);
        cx.link_partial_org_names(&mut spans, &mut in_span);
        // Place words inside organization, agreement and currency names.
        places::drop_non_mentions(&doc.words, &mut spans);
        let demonyms = places::demonym_mentions(&cx.matches, &spans, &doc.words);
        // Links point at indices before sorting: relink remaps them.
        Analysis {
            spans: relink(spans),
            demonyms,
            dateline: None,
        }
    }

    /// Tags each sentence; returns the tagger's spans and the gazetteer
    /// matches it computed on the way, in document token positions.
    fn tag(&self, doc: &DocTokens) -> (Vec<(usize, usize, Kind)>, Vec<Match>) {
        let words = &doc.words;
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
        (raw, matches)
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
                        _ if s.kind == Kind::Org => names::display_name(&names::recase_caps(
                            &join(&companies::name_words(&words[r.start..r.end])),
                            true,
                        )),
                        _ => names::display_name(&names::recase_caps(
                            &join(&words[r.start..r.end]),
                            false,
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
