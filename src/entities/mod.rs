//! Entity extraction: persons, places and organizations with canonical names.
//!
//! Owned by the entity-extraction work. The indexer calls [`Extractor::extract`]
//! once per article from many threads; the extractor is loaded once and shared
//! read-only. The query side never loads it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::article::Article;

/// A person or organization found in one article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Entity {
    /// Canonical display name, e.g. "Abu Mahdi al-Muhandis".
    pub name: String,
    /// How many times the article mentions it (all spellings).
    pub mentions: u32,
}

/// A place found in one article, as a path in the place hierarchy:
/// `["Iraq"]`, `["Iraq", "Basra"]`, `["Iraq", "Basra", "Basra"]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PlaceEntity {
    pub path: Vec<String>,
    pub mentions: u32,
}

/// Everything extracted from one article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Entities {
    pub persons: Vec<Entity>,
    pub places: Vec<PlaceEntity>,
    pub orgs: Vec<Entity>,
}

/// The loaded model and gazetteers.
pub struct Extractor {
    _private: (),
}

impl Extractor {
    /// Loads the shipped model and gazetteers.
    pub fn load() -> anyhow::Result<Extractor> {
        Ok(Extractor { _private: () })
    }

    /// Extracts the entities of one article (title, standfirst, body; not
    /// captions' credits or page furniture).
    pub fn extract(&self, article: &Article) -> Entities {
        let _ = article;
        Entities::default()
    }

    /// A version string recorded in the index metadata, so an index knows
    /// which model and gazetteers annotated it.
    pub fn version(&self) -> &'static str {
        "none"
    }
}
