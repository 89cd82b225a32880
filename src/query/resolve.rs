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
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer};

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
    /// One value (or, for places, one value that contains all the others).
    Found(EntityValue),
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
    let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    // Apostrophes inside transliterations are spelling, not word breaks.
    let name = name.replace(['\'', '’', 'ʼ', '`'], "");
    let mut stream = analyzer.token_stream(&name);
    let mut words = Vec::new();
    while let Some(token) = stream.next() {
        if !PARTICLES.contains(&token.text.as_str()) {
            words.push(token.text.clone());
        }
    }
    words
}

/// Every entity value in the index with its article count.
pub struct Catalog {
    values: Vec<EntityValue>,
    keys: Vec<Vec<String>>,
}

impl Catalog {
    /// Reads every facet value of the `entity` field, with counts, from the
    /// term dictionaries (counts are of live documents once segments merge).
    pub fn load(news: &NewsIndex, searcher: &Searcher) -> tantivy::Result<Catalog> {
        let mut counts: HashMap<String, u64> = HashMap::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(news.fields.entity)?;
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                let Ok(encoded) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                *counts.entry(encoded.to_string()).or_default() +=
                    u64::from(stream.value().doc_freq);
            }
        }
        let mut values = Vec::with_capacity(counts.len());
        for (encoded, articles) in counts {
            let Ok(facet) = Facet::from_encoded(encoded.into_bytes()) else {
                continue;
            };
            let path = facet.to_path();
            let Some((root, rest)) = path.split_first() else {
                continue;
            };
            let kind = match *root {
                PERSON_ROOT => EntityType::Person,
                PLACE_ROOT => EntityType::Place,
                ORG_ROOT => EntityType::Org,
                _ => continue,
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
        values.sort_by(|a, b| {
            b.articles
                .cmp(&a.articles)
                .then_with(|| a.name.cmp(&b.name))
        });
        let keys = values
            .iter()
            .map(|v| name_words(v.path.last().map_or("", String::as_str)))
            .collect();
        Ok(Catalog { values, keys })
    }

    pub fn values(&self) -> &[EntityValue] {
        &self.values
    }

    /// Values of a type whose name contains every word of `text` (forgiving).
    pub fn matching(&self, kind: Option<EntityType>, text: &str) -> Vec<EntityValue> {
        let words = name_words(text);
        self.values
            .iter()
            .zip(&self.keys)
            .filter(|(v, _)| kind.is_none_or(|k| v.kind == k))
            .filter(|(v, key)| {
                let full = if v.kind == EntityType::Place {
                    name_words(&v.path.join(" "))
                } else {
                    (*key).clone()
                };
                !words.is_empty()
                    && words.iter().all(|w| {
                        full.iter()
                            .any(|k| k == w || (w.len() >= 3 && k.starts_with(w.as_str())))
                    })
            })
            .map(|(v, _)| v.clone())
            .collect()
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
                return Resolution::Found((*one).clone());
            }
        }
        // Exact (word order free).
        let exact: Vec<EntityValue> = self
            .values
            .iter()
            .zip(&self.keys)
            .filter(|(v, key)| {
                let mut key = (*key).clone();
                key.sort();
                v.kind == kind && key == sorted_words
            })
            .map(|(v, _)| v.clone())
            .collect();
        let candidates = if exact.is_empty() {
            self.matching(Some(kind), text)
        } else {
            exact
        };
        match candidates.len() {
            0 => Resolution::Unknown(self.nearest(kind, &words)),
            1 => Resolution::Found(candidates.into_iter().next().expect("one")),
            _ => match enclosing(&candidates) {
                Some(outer) => Resolution::Found(outer),
                None => Resolution::Ambiguous(candidates),
            },
        }
    }

    /// Resolves, or explains why not.
    pub fn resolve_or_explain(
        &self,
        kind: EntityType,
        text: &str,
    ) -> Result<EntityValue, NameError> {
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
        let keys = values
            .iter()
            .map(|v| name_words(v.path.last().unwrap()))
            .collect();
        Catalog { values, keys }
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
        ]);
        let found = |k, t| match c.resolve(k, t) {
            Resolution::Found(v) => v.name,
            other => panic!("{t}: {other:?}"),
        };
        assert_eq!(found(Person, "muhandis"), "Abu Mahdi al-Muhandis");
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
