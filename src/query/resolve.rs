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

use crate::index::NewsIndex;
use crate::index::document::{ORG_ROOT, PERSON_ROOT, PLACE_ROOT};

/// The three entity types.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, clap::ValueEnum,
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EntityValue {
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// Display name: the path joined with " / ".
    pub name: String,
    pub path: Vec<String>,
    pub articles: u64,
}

impl EntityValue {
    pub fn facet(&self) -> Facet {
        Facet::from_path(
            std::iter::once(self.kind.name()).chain(self.path.iter().map(String::as_str)),
        )
    }
}

/// How a user's name resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// The values the name stands for: one, or several spellings of one
    /// name that differ only in case or accents ("Reagan", "REAGAN"), or for
    /// places the one that contains all the others.
    Found(Vec<EntityValue>),
    /// Several values fit; the user must choose.
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

/// Every entity value in the index with its article count.
pub struct Catalog {
    values: Vec<EntityValue>,
    /// Per value: the words a name is matched against (for places, the
    /// whole path, so "Iraq Basra" finds Basra in Iraq).
    keys: Vec<Vec<String>>,
    /// Per value: the words of its own name, sorted, for exact matches in
    /// any word order.
    sorted: Vec<Vec<String>>,
}

impl Catalog {
    /// Reads the facet values of the given types, with article counts, from
    /// the term dictionaries: only the dictionary ranges of those types are
    /// scanned (counts are of live documents once segments merge).
    pub fn load(
        news: &NewsIndex,
        searcher: &Searcher,
        kinds: &[EntityType],
    ) -> tantivy::Result<Catalog> {
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
            values.push(EntityValue {
                kind,
                name: path.join(" / "),
                path,
                articles,
            });
        }
        Ok(Catalog::new(values))
    }

    fn new(values: Vec<EntityValue>) -> Catalog {
        let mut keys = Vec::with_capacity(values.len());
        let mut sorted = Vec::with_capacity(values.len());
        for value in &values {
            let own = name_words(value.path.last().map_or("", String::as_str));
            let mut own_sorted = own.clone();
            own_sorted.sort_unstable();
            sorted.push(own_sorted);
            keys.push(if value.kind == EntityType::Place {
                name_words(&value.path.join(" "))
            } else {
                own
            });
        }
        Catalog {
            values,
            keys,
            sorted,
        }
    }

    pub fn values(&self) -> &[EntityValue] {
        &self.values
    }

    /// Values of a type whose name contains every word of `text` (forgiving).
    pub fn matching(&self, kind: Option<EntityType>, text: &str) -> Vec<EntityValue> {
        let words = name_words(text);
        let mut found: Vec<EntityValue> = self
            .values
            .iter()
            .zip(&self.keys)
            .filter(|(v, _)| kind.is_none_or(|k| v.kind == k))
            .filter(|(_, key)| {
                !words.is_empty()
                    && words.iter().all(|w| {
                        key.iter()
                            .any(|k| k == w || (w.len() >= 3 && k.starts_with(w.as_str())))
                    })
            })
            .map(|(v, _)| v.clone())
            .collect();
        by_count(&mut found);
        found
    }

    /// Resolves what a user typed to one value of a type.
    pub fn resolve(&self, kind: EntityType, text: &str) -> Resolution {
        let words = name_words(text);
        let mut sorted_words = words.clone();
        sorted_words.sort();
        // A place may be written as a path: "Iraq/Basra".
        if kind == EntityType::Place && text.contains('/') {
            let parts: Vec<Vec<String>> = text.split('/').map(name_words).collect();
            let found: Vec<&EntityValue> = self
                .values
                .iter()
                .filter(|v| v.kind == kind && v.path.len() == parts.len())
                .filter(|v| {
                    v.path
                        .iter()
                        .zip(&parts)
                        .all(|(p, want)| &name_words(p) == want)
                })
                .collect();
            if let [one] = found.as_slice() {
                return Resolution::Found(vec![(*one).clone()]);
            }
        }
        // Exact (word order free).
        let exact: Vec<EntityValue> = self
            .values
            .iter()
            .zip(&self.sorted)
            .filter(|(v, key)| v.kind == kind && **key == sorted_words)
            .map(|(v, _)| v.clone())
            .collect();
        let candidates = if exact.is_empty() {
            self.matching(Some(kind), text)
        } else {
            exact
        };
        if candidates.is_empty() {
            return Resolution::Unknown(self.nearest(kind, &words));
        }
        if same_name(&candidates) {
            let mut candidates = candidates;
            by_count(&mut candidates);
            return Resolution::Found(candidates);
        }
        match enclosing(&candidates) {
            Some(outer) => Resolution::Found(vec![outer]),
            None => {
                let mut candidates = candidates;
                by_count(&mut candidates);
                Resolution::Ambiguous(candidates)
            }
        }
    }

    /// Resolves, or explains why not.
    pub fn resolve_or_explain(
        &self,
        kind: EntityType,
        text: &str,
    ) -> Result<Vec<EntityValue>, NameError> {
        match self.resolve(kind, text) {
            Resolution::Found(v) => Ok(v),
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

    /// The known names closest in spelling, for "did you mean".
    fn nearest(&self, kind: EntityType, words: &[String]) -> Vec<EntityValue> {
        let wanted = words.join(" ");
        let mut scored: Vec<(f64, &EntityValue)> = self
            .values
            .iter()
            .zip(&self.keys)
            .filter(|(v, _)| v.kind == kind)
            .map(|(v, key)| {
                let whole = strsim::jaro_winkler(&wanted, &key.join(" "));
                let best_word = key
                    .iter()
                    .flat_map(|k| words.iter().map(move |w| strsim::jaro_winkler(w, k)))
                    .fold(0.0, f64::max);
                (whole.max(best_word * 0.95), v)
            })
            .filter(|(score, _)| *score > 0.75)
            .collect();
        scored.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| b.1.articles.cmp(&a.1.articles))
        });
        scored.into_iter().take(5).map(|(_, v)| v.clone()).collect()
    }
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

/// For places: the candidate that contains all the others (Basra the region
/// over Basra the city), if there is one.
fn enclosing(candidates: &[EntityValue]) -> Option<EntityValue> {
    let outer = candidates.iter().min_by_key(|v| v.path.len())?;
    let contains_all = candidates.iter().all(|v| v.path.starts_with(&outer.path));
    contains_all.then(|| outer.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(kind: EntityType, path: &[&str], articles: u64) -> EntityValue {
        let path: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        EntityValue {
            kind,
            name: path.join(" / "),
            path,
            articles,
        }
    }

    fn catalog(values: Vec<EntityValue>) -> Catalog {
        Catalog::new(values)
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
            Resolution::Found(v) => v
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
}
