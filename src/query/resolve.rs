//! From the names users type to the entity facet values in the index.
//!
//! Names are forgiving: case, diacritics, `al-`/`el-` particles, hyphens and
//! word order do not matter, and a part of a name finds the whole
//! ("muhandis" → Abu Mahdi al-Muhandis). When several values fit, the caller
//! gets them all with their article counts rather than a silent guess.

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tantivy::Searcher;
use tantivy::schema::Facet;

use crate::aliases::names::NameIndex;
use crate::index::NewsIndex;
use crate::index::document::{ORG_ROOT, PERSON_ROOT, PLACE_ROOT};

/// The three entity types.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum EntityType {
    Person,
    Place,
    Org,
}

impl EntityType {
    pub const ALL: [EntityType; 3] = [EntityType::Person, EntityType::Place, EntityType::Org];

    /// The facet root of this type: `/person`, `/place`, `/org`.
    pub fn root(self) -> Facet {
        Facet::from_path([self.name()])
    }

    pub fn name(self) -> &'static str {
        match self {
            EntityType::Person => PERSON_ROOT,
            EntityType::Place => PLACE_ROOT,
            EntityType::Org => ORG_ROOT,
        }
    }
}

/// One entity value: its type, its path under the type's root (one part for
/// persons and orgs; country, region, city for places) and its article count.
/// With aliases applied, one value may stand for several indexed values
/// (its `aliases`): "Ronald Reagan" for "Reagan" too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EntityValue {
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// Display name: the path joined with " / ".
    pub name: String,
    pub path: Vec<String>,
    pub articles: u64,
    /// Other indexed values merged into this one (by the automatic table or
    /// the user's alias edits).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The indexed values this value stands for (empty: just its own path).
    #[serde(skip)]
    #[schemars(skip)]
    pub raw: Vec<Vec<String>>,
}

impl EntityValue {
    pub fn new(kind: EntityType, path: Vec<String>, articles: u64) -> EntityValue {
        EntityValue {
            kind,
            name: path.join(" / "),
            path,
            articles,
            aliases: Vec::new(),
            raw: Vec::new(),
        }
    }

    pub fn facet(&self) -> Facet {
        facet_of(self.kind, &self.path)
    }

    /// The indexed facets a filter on this value must match (any of them).
    pub fn raw_facets(&self) -> Vec<Facet> {
        if self.raw.is_empty() {
            vec![self.facet()]
        } else {
            self.raw.iter().map(|p| facet_of(self.kind, p)).collect()
        }
    }

    /// The names this value is known by: its own and its aliases'.
    fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

fn facet_of(kind: EntityType, path: &[String]) -> Facet {
    Facet::from_path(std::iter::once(kind.name()).chain(path.iter().map(String::as_str)))
}

/// How a name was resolved when it took a choice: which value was used, and
/// what else matched. Printed on stderr and reported in JSON `filters`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ResolutionNote {
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// The name as given.
    pub given: String,
    /// The value used.
    pub used: String,
    pub articles: u64,
    /// `dominant` (it has at least 90% of the matching values' articles),
    /// `alias` (the name is another spelling of it) or `partial` (the name
    /// is part of it).
    pub reason: String,
    /// Other values that matched the name and were not used, most articles first.
    pub also: Vec<EntityValue>,
}

impl std::fmt::Display for ResolutionNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {:?} → {} ({} articles",
            self.kind.name(),
            self.given,
            self.used,
            self.articles
        )?;
        match self.reason.as_str() {
            "dominant" => write!(f, ", at least 90% of the matches")?,
            "alias" => write!(f, ", {:?} is an alias of it", self.given)?,
            _ => {}
        }
        write!(f, ")")?;
        if !self.also.is_empty() {
            let also: Vec<String> = self
                .also
                .iter()
                .map(|v| format!("{} ({})", v.name, v.articles))
                .collect();
            write!(f, "; also matched: {}", also.join(", "))?;
        }
        Ok(())
    }
}

/// How a user's name resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// The values the name stands for: one, or several spellings of one
    /// name that differ only in case or accents ("Reagan", "REAGAN"), or for
    /// places the one that contains all the others; with a note when a
    /// choice was made.
    Found(Vec<EntityValue>, Option<ResolutionNote>),
    /// Several values fit and none dominates; the user must choose.
    Ambiguous(Vec<EntityValue>),
    /// Nothing fits; the nearest known names.
    Unknown(Vec<EntityValue>),
}

/// A name could not be resolved to one entity.
#[derive(Debug, thiserror::Error)]
pub enum NameError {
    #[error("{} {name:?} is ambiguous; did you mean one of:\n{}", kind.name(), list(.candidates))]
    Ambiguous {
        kind: EntityType,
        name: String,
        candidates: Vec<EntityValue>,
    },
    #[error("no {} called {name:?} in the index{}", kind.name(), nearest_list(.nearest))]
    Unknown {
        kind: EntityType,
        name: String,
        nearest: Vec<EntityValue>,
    },
}

fn list(values: &[EntityValue]) -> String {
    values
        .iter()
        .map(|v| format!("  {} ({} articles)", v.name, v.articles))
        .collect::<Vec<_>>()
        .join("\n")
}

fn nearest_list(values: &[EntityValue]) -> String {
    if values.is_empty() {
        String::new()
    } else {
        format!("; nearest known:\n{}", list(values))
    }
}

/// Arabic article particles that names carry or drop freely.
const PARTICLES: &[&str] = &[
    "al", "el", "ad", "ash", "as", "at", "ar", "az", "an", "ud", "ul",
];

/// The comparison key of a name: folded, lowercased words without particles,
/// in order.
pub fn name_words(name: &str) -> Vec<String> {
    // Transliterate to ASCII ("Mūsavi" → "Musavi"), then split on anything
    // that is not a letter or digit; apostrophes inside transliterations are
    // spelling ("Kata'ib"), not word breaks.
    let ascii = deunicode::deunicode(name);
    let mut words = Vec::new();
    let mut word = String::new();
    for ch in ascii.chars() {
        if ch.is_ascii_alphanumeric() {
            word.push(ch.to_ascii_lowercase());
        } else if matches!(ch, '\'' | '`') {
            continue;
        } else if !word.is_empty() {
            if !PARTICLES.contains(&word.as_str()) {
                words.push(std::mem::take(&mut word));
            }
            word.clear();
        }
    }
    if !word.is_empty() && !PARTICLES.contains(&word.as_str()) {
        words.push(word);
    }
    words
}

/// Every entity value of the given types in the index with its article
/// count, read from the term dictionaries (only the ranges of those types;
/// counts are of live documents once segments merge). The name index is
/// built from this; queries read the name index.
pub fn scan_values(
    news: &NewsIndex,
    searcher: &Searcher,
    kinds: &[EntityType],
) -> tantivy::Result<Vec<EntityValue>> {
    let mut counts: HashMap<Vec<u8>, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(news.fields.entity)?;
        for kind in kinds {
            // Encoded facets are `root \0 part \0 part`: the type's range
            // is everything from `root\0` up to `root\x01`.
            let root = kind.name().as_bytes();
            let start = [root, &[0u8]].concat();
            let end = [root, &[1u8]].concat();
            let mut stream = inverted.terms().range().ge(&start).lt(&end).into_stream()?;
            while stream.advance() {
                *counts.entry(stream.key().to_vec()).or_default() +=
                    u64::from(stream.value().doc_freq);
            }
        }
    }
    let mut values = Vec::with_capacity(counts.len());
    for (encoded, articles) in counts {
        let Ok(facet) = Facet::from_encoded(encoded) else {
            continue;
        };
        let path = facet.to_path();
        let Some((root, rest)) = path.split_first() else {
            continue;
        };
        let Some(&kind) = kinds.iter().find(|k| k.name() == *root) else {
            continue;
        };
        if rest.is_empty() {
            continue;
        }
        let path: Vec<String> = rest.iter().map(|s| s.to_string()).collect();
        values.push(EntityValue::new(kind, path, articles));
    }
    values.sort_by(|a, b| (a.kind.name(), &a.path).cmp(&(b.kind.name(), &b.path)));
    Ok(values)
}

/// A value takes a filter alone when it has this share of the articles of
/// all the values that match the name.
const DOMINANT_SHARE: f64 = 0.9;

/// The entity values of the index as names resolve to them, aliases
/// applied, read from the name index.
pub struct Catalog {
    names: NameIndex,
}

impl Catalog {
    /// The catalog of an index, as this searcher sees it.
    pub fn open(news: &NewsIndex, searcher: &Searcher) -> anyhow::Result<Catalog> {
        Ok(Catalog {
            names: crate::aliases::open_names(news, searcher)?,
        })
    }

    pub fn from_names(names: NameIndex) -> Catalog {
        Catalog { names }
    }

    /// A catalog of the given values with no aliases (for tests).
    pub fn from_values(values: &[EntityValue]) -> Catalog {
        let table = crate::aliases::table::AliasTable::default();
        let mut sum = |m: &[&EntityValue]| m.iter().map(|v| v.articles).sum();
        Catalog {
            names: NameIndex::build(values, &table, &mut sum, ""),
        }
    }

    pub fn names(&self) -> &NameIndex {
        &self.names
    }

    /// Values of a type every word of which (or of whose aliases) starts one
    /// of the words given.
    fn candidates(&self, kind: EntityType, words: &[String]) -> Vec<EntityValue> {
        let Some(longest) = words.iter().max_by_key(|w| w.len()) else {
            return Vec::new();
        };
        let prefix = longest.len() >= 3;
        self.names
            .with_word(kind, longest, prefix)
            .into_iter()
            .filter(|v| {
                let keys = key_words(v);
                words.iter().all(|w| {
                    keys.iter()
                        .any(|k| k == w || (w.len() >= 3 && k.starts_with(w.as_str())))
                })
            })
            .collect()
    }

    /// Values of a type whose name contains every word of `text` (forgiving).
    pub fn matching(&self, kind: Option<EntityType>, text: &str) -> Vec<EntityValue> {
        let words = name_words(text);
        let kinds = kind.map_or_else(|| EntityType::ALL.to_vec(), |k| vec![k]);
        let mut found: Vec<EntityValue> = kinds
            .into_iter()
            .flat_map(|k| self.candidates(k, &words))
            .collect();
        by_count(&mut found);
        found
    }

    /// Resolves what a user typed to one value of a type.
    pub fn resolve(&self, kind: EntityType, text: &str) -> Resolution {
        let words = name_words(text);
        let mut sorted_words = words.clone();
        sorted_words.sort();
        let mut matched = self.candidates(kind, &words);
        // A place may be written as a path: "Iraq/Basra".
        if kind == EntityType::Place && text.contains('/') {
            let parts: Vec<Vec<String>> = text.split('/').map(name_words).collect();
            let found: Vec<&EntityValue> = matched
                .iter()
                .filter(|v| v.path.len() == parts.len())
                .filter(|v| {
                    v.path
                        .iter()
                        .zip(&parts)
                        .all(|(p, want)| &name_words(p) == want)
                })
                .collect();
            if let [one] = found.as_slice() {
                return Resolution::Found(vec![(*one).clone()], None);
            }
        }
        if matched.is_empty() {
            return Resolution::Unknown(self.nearest(kind, &words));
        }
        by_count(&mut matched);
        let exact: Vec<EntityValue> = matched
            .iter()
            .filter(|v| is_exact(v, &sorted_words))
            .cloned()
            .collect();
        // A surname alone is a partial name even when a value is spelled so:
        // the full names that contain it compete with it.
        let bare_surname = kind == EntityType::Person
            && words.len() == 1
            && exact.iter().all(|v| name_words(&v.name).len() == 1);
        let pool = if exact.is_empty() || bare_surname {
            matched.clone()
        } else {
            exact
        };
        let others = |used: &[&EntityValue]| -> Vec<EntityValue> {
            let mut rest: Vec<EntityValue> = matched
                .iter()
                .filter(|m| {
                    !used
                        .iter()
                        .any(|u| u.kind == m.kind && m.path.starts_with(&u.path))
                })
                .cloned()
                .collect();
            by_count(&mut rest);
            rest.truncate(5);
            rest
        };
        if same_name(&pool) {
            let note = (pool.len() == 1)
                .then(|| self.note(kind, text, &pool[0], &sorted_words, "", others(&[&pool[0]])))
                .flatten();
            return Resolution::Found(pool, note);
        }
        let outers = outermost(&pool);
        if let [outer] = outers.as_slice() {
            let note = self.note(kind, text, outer, &sorted_words, "", others(&[outer]));
            return Resolution::Found(vec![(*outer).clone()], note);
        }
        let total: u64 = outers.iter().map(|v| v.articles).sum();
        let top = outers[0];
        if top.articles as f64 >= DOMINANT_SHARE * total as f64 {
            let note = self.note(kind, text, top, &sorted_words, "dominant", others(&[top]));
            return Resolution::Found(vec![top.clone()], note);
        }
        let mut candidates: Vec<EntityValue> = outers.into_iter().cloned().collect();
        by_count(&mut candidates);
        Resolution::Ambiguous(candidates)
    }

    /// The note for a value used for a name, when it was a choice: another
    /// value matched too, or the name is an alias or part of it.
    fn note(
        &self,
        kind: EntityType,
        text: &str,
        used: &EntityValue,
        sorted_words: &[String],
        reason: &str,
        also: Vec<EntityValue>,
    ) -> Option<ResolutionNote> {
        let own = {
            let mut w = name_words(used.path.last().map_or("", String::as_str));
            w.sort();
            w == sorted_words
        };
        let reason = if !reason.is_empty() {
            reason
        } else if own {
            if also.is_empty() {
                return None;
            }
            "exact"
        } else if is_exact(used, sorted_words) {
            "alias"
        } else {
            "partial"
        };
        Some(ResolutionNote {
            kind,
            given: text.to_string(),
            used: used.name.clone(),
            articles: used.articles,
            reason: reason.to_string(),
            also,
        })
    }

    /// Resolves, or explains why not.
    pub fn resolve_or_explain(
        &self,
        kind: EntityType,
        text: &str,
    ) -> Result<(Vec<EntityValue>, Option<ResolutionNote>), NameError> {
        match self.resolve(kind, text) {
            Resolution::Found(v, note) => Ok((v, note)),
            Resolution::Ambiguous(candidates) => Err(NameError::Ambiguous {
                kind,
                name: text.to_string(),
                candidates: candidates.into_iter().take(10).collect(),
            }),
            Resolution::Unknown(nearest) => Err(NameError::Unknown {
                kind,
                name: text.to_string(),
                nearest,
            }),
        }
    }

    /// The known names closest in spelling, for "did you mean": a scan of
    /// every word of the type, on the error path only.
    pub fn nearest(&self, kind: EntityType, words: &[String]) -> Vec<EntityValue> {
        let wanted = words.join(" ");
        let mut best: HashMap<String, (f64, EntityValue)> = HashMap::new();
        for (word, value) in self.names.words_of(kind) {
            let score = if words.len() == 1 {
                strsim::jaro_winkler(&wanted, &word)
            } else {
                words
                    .iter()
                    .map(|w| strsim::jaro_winkler(w, &word))
                    .fold(0.0, f64::max)
                    * 0.95
            };
            if score <= 0.75 {
                continue;
            }
            let entry = best
                .entry(value.name.clone())
                .or_insert((score, value.clone()));
            if score > entry.0 {
                entry.0 = score;
            }
        }
        let mut scored: Vec<(f64, EntityValue)> = best.into_values().collect();
        scored.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| b.1.articles.cmp(&a.1.articles))
                .then_with(|| a.1.name.cmp(&b.1.name))
        });
        scored.into_iter().take(5).map(|(_, v)| v).collect()
    }
}

/// The words a value is matched against: for places the whole path (so
/// "Iraq Basra" finds Basra in Iraq), for others the words of every name
/// it is known by, and organizations' acronyms.
fn key_words(value: &EntityValue) -> Vec<String> {
    let mut keys = Vec::new();
    for name in value.names() {
        let words = name_words(name);
        if value.kind == EntityType::Org
            && let Some(acronym) = crate::aliases::names::acronym(&words)
        {
            keys.push(acronym);
        }
        keys.extend(words);
    }
    keys
}

/// Whether one of the names of a value is the name given (in any word
/// order), or for organizations its acronym.
fn is_exact(value: &EntityValue, sorted_words: &[String]) -> bool {
    value.names().any(|name| {
        let own = if value.kind == EntityType::Place {
            name.rsplit(" / ").next().unwrap_or(name)
        } else {
            name
        };
        let mut words = name_words(own);
        if value.kind == EntityType::Org
            && sorted_words.len() == 1
            && crate::aliases::names::acronym(&words).as_deref() == Some(sorted_words[0].as_str())
        {
            return true;
        }
        words.sort();
        words == sorted_words
    })
}

/// For places, the candidates not inside another candidate (Moscow the
/// region over Moscow the city), most articles first; other types as they
/// are.
fn outermost(pool: &[EntityValue]) -> Vec<&EntityValue> {
    let mut outers: Vec<&EntityValue> = pool
        .iter()
        .filter(|v| {
            !pool
                .iter()
                .any(|o| o.path.len() < v.path.len() && v.path.starts_with(&o.path))
        })
        .collect();
    outers.sort_by(|a, b| {
        b.articles
            .cmp(&a.articles)
            .then_with(|| a.name.cmp(&b.name))
    });
    outers
}

/// Whether the values are one name spelled with other case or accents (for
/// places: the same path), so a filter may use them all.
fn same_name(values: &[EntityValue]) -> bool {
    let key = |v: &EntityValue| -> Vec<Vec<String>> {
        if v.kind == EntityType::Place {
            v.path.iter().map(|p| name_words(p)).collect()
        } else {
            let mut words = name_words(&v.name);
            words.sort_unstable();
            vec![words]
        }
    };
    let first = key(&values[0]);
    values[1..].iter().all(|v| key(v) == first)
}

/// Most articles first; ties by name, so listings are stable.
fn by_count(values: &mut [EntityValue]) {
    values.sort_by(|a, b| {
        b.articles
            .cmp(&a.articles)
            .then_with(|| a.name.cmp(&b.name))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(kind: EntityType, path: &[&str], articles: u64) -> EntityValue {
        EntityValue::new(kind, path.iter().map(|s| s.to_string()).collect(), articles)
    }

    fn catalog(values: Vec<EntityValue>) -> Catalog {
        Catalog::from_values(&values)
    }

    #[test]
    fn name_words_fold_case_diacritics_and_particles() {
        assert_eq!(
            name_words("Abu Mahdi Al-Muhandis"),
            ["abu", "mahdi", "muhandis"]
        );
        assert_eq!(name_words("Mūsavi"), ["musavi"]);
        assert_eq!(name_words("Kata'ib Hezbollah"), ["kataib", "hezbollah"]);
    }

    #[test]
    fn forgiving_resolution() {
        use EntityType::*;
        let c = catalog(vec![
            value(Person, &["Abu Mahdi al-Muhandis"], 3),
            value(Person, &["Adel Abdel Mahdi"], 5),
            value(Place, &["Iraq"], 9),
            value(Place, &["Iraq", "Basra"], 2),
            value(Place, &["Iraq", "Basra", "Basra"], 2),
            value(Place, &["France", "Ile-de-France", "Paris"], 4),
            value(Place, &["United States", "Texas", "Paris"], 1),
            value(Person, &["Reagan"], 5),
            value(Person, &["REAGAN"], 2),
        ]);
        let found = |k, t| match c.resolve(k, t) {
            Resolution::Found(v, _) => v
                .iter()
                .map(|v| v.name.clone())
                .collect::<Vec<_>>()
                .join(" + "),
            other => panic!("{t}: {other:?}"),
        };
        assert_eq!(found(Person, "muhandis"), "Abu Mahdi al-Muhandis");
        // One name in two spellings is one entity: both values are used.
        assert_eq!(found(Person, "reagan"), "Reagan + REAGAN");
        assert_eq!(
            found(Person, "AL MUHANDIS abu mahdi"),
            "Abu Mahdi al-Muhandis"
        );
        assert_eq!(found(Person, "Adel Abdel Mahdi"), "Adel Abdel Mahdi");
        assert_eq!(found(Place, "basra"), "Iraq / Basra");
        assert_eq!(
            found(
                Place,
                "Texas/Paris"
                    .replace("Texas", "United States/Texas")
                    .as_str()
            ),
            "United States / Texas / Paris"
        );
        assert!(matches!(c.resolve(Person, "mahdi"), Resolution::Ambiguous(v) if v.len() == 2));
        assert!(matches!(c.resolve(Place, "paris"), Resolution::Ambiguous(v) if v.len() == 2));
        match c.resolve(Person, "muhandes") {
            Resolution::Unknown(near) => assert_eq!(near[0].name, "Abu Mahdi al-Muhandis"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_dominant_value_is_used_and_said() {
        use EntityType::*;
        let c = catalog(vec![
            value(Place, &["United Kingdom", "England", "London"], 1547),
            value(Place, &["Canada", "Ontario", "London"], 1),
            value(Place, &["Russia", "Moscow"], 40),
            value(Place, &["Russia", "Moscow", "Moscow"], 38),
            value(Place, &["United States", "Idaho", "Moscow"], 1),
            value(Person, &["Tony Blair"], 147),
            value(Person, &["Cherie Blair"], 4),
            value(Person, &["James Baker"], 20),
            value(Person, &["Howard Baker"], 18),
            value(Person, &["Baker"], 30),
            value(
                Org,
                &["Organization of the Petroleum Exporting Countries"],
                92,
            ),
            value(Org, &["OPEC Secretariat"], 1),
        ]);
        let used = |k, t| match c.resolve(k, t) {
            Resolution::Found(v, note) => (v[0].name.clone(), note),
            other => panic!("{t}: {other:?}"),
        };
        let (london, note) = used(Place, "London");
        assert_eq!(london, "United Kingdom / England / London");
        let note = note.expect("a choice was made");
        assert_eq!(note.reason, "dominant");
        assert_eq!(note.also[0].name, "Canada / Ontario / London");
        assert!(
            note.to_string()
                .contains("also matched: Canada / Ontario / London (1)")
        );
        assert_eq!(used(Place, "moscow").0, "Russia / Moscow");
        let (blair, note) = used(Person, "blair");
        assert_eq!(blair, "Tony Blair");
        assert_eq!(note.unwrap().also[0].name, "Cherie Blair");
        let (opec, note) = used(Org, "OPEC");
        assert_eq!(opec, "Organization of the Petroleum Exporting Countries");
        assert_eq!(note.unwrap().also[0].name, "OPEC Secretariat");
        match c.resolve(Person, "Baker") {
            Resolution::Ambiguous(v) => assert_eq!(v.len(), 3),
            other => panic!("{other:?}"),
        }
        // An exact name needs no note.
        assert!(used(Person, "Tony Blair").1.is_none());
    }
}
