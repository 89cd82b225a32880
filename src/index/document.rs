//! Articles to Tantivy documents and back.
//!
//! [`to_document`] is the one place that decides what each field receives;
//! [`StoredArticle`] is what the read side gets back from the doc store and
//! what every output format prints.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;
use tantivy::schema::{Facet, Value};

use super::Fields;
use crate::article::Article;
use crate::entities::Entities;
use crate::ingest::dates;

/// The facet root of each entity type.
pub const PERSON_ROOT: &str = "person";
pub const PLACE_ROOT: &str = "place";
pub const ORG_ROOT: &str = "org";

/// Builds the Tantivy document of one article and its entities.
pub fn to_document(
    fields: &Fields,
    id: &str,
    article: &Article,
    entities: &Entities,
) -> TantivyDocument {
    let mut doc = TantivyDocument::new();
    doc.add_text(fields.id, id);
    doc.add_text(fields.path, &article.path);
    if let Some(record) = article.record {
        doc.add_u64(fields.record, record);
    }
    if let Some(format) = article.format {
        doc.add_text(fields.format, format.as_str());
    }
    let mut add_opt = |field, value: &Option<String>| {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            doc.add_text(field, value);
        }
    };
    add_opt(fields.url, &article.url);
    add_opt(fields.source, &article.source);
    add_opt(fields.dateline, &article.dateline);
    add_opt(fields.language, &article.language);
    doc.add_text(fields.title, &article.title);
    if !article.standfirst.is_empty() {
        doc.add_text(fields.standfirst, &article.standfirst);
    }
    doc.add_text(fields.body, article.body_text());
    for caption in &article.captions {
        doc.add_text(fields.captions, caption);
    }
    for author in &article.authors {
        doc.add_text(fields.authors, author);
    }
    // Out of the index's range the date would wrap into another century:
    // keep the article, drop the date (the run counts it as implausible).
    if let Some(published) = article.published.filter(|d| dates::indexable(*d)) {
        doc.add_date(
            fields.published,
            tantivy::DateTime::from_timestamp_secs(published.timestamp()),
        );
    }
    doc.add_u64(fields.words, article.word_count());
    for tag in &article.tags {
        doc.add_text(fields.tags, tag);
    }
    doc.add_bool(fields.not_article, article.not_article);

    let mut names = String::new();
    for person in &entities.persons {
        let facet = Facet::from_path([PERSON_ROOT, person.name.as_str()]);
        if person.main {
            doc.add_facet(fields.main_entity, facet.clone());
        }
        doc.add_facet(fields.entity, facet);
        names.push_str(&person.name);
        names.push('\n');
    }
    for place in &entities.places {
        let path = std::iter::once(PLACE_ROOT).chain(place.path.iter().map(String::as_str));
        let facet = Facet::from_path(path);
        if place.main {
            doc.add_facet(fields.main_entity, facet.clone());
        }
        doc.add_facet(fields.entity, facet);
        if let Some(last) = place.path.last() {
            names.push_str(last);
            names.push('\n');
        }
    }
    for org in &entities.orgs {
        let facet = Facet::from_path([ORG_ROOT, org.name.as_str()]);
        if org.main {
            doc.add_facet(fields.main_entity, facet.clone());
        }
        doc.add_facet(fields.entity, facet);
        names.push_str(&org.name);
        names.push('\n');
    }
    if !names.is_empty() {
        doc.add_text(fields.entities, names);
    }
    if entities != &Entities::default() {
        let mentions = serde_json::to_string(entities).expect("entities serialize");
        doc.add_text(fields.mentions, mentions);
    }
    doc
}

/// An article as stored in the index, ready to print.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct StoredArticle {
    pub id: String,
    pub path: String,
    pub record: Option<u64>,
    pub format: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    pub title: String,
    pub standfirst: String,
    pub body: String,
    pub captions: Vec<String>,
    pub authors: Vec<String>,
    pub dateline: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub language: Option<String>,
    pub words: u64,
    pub tags: Vec<String>,
    pub not_article: bool,
    pub persons: Vec<String>,
    /// Place paths, outermost first, joined by " / " (e.g. "Iraq / Basra / Basra").
    pub places: Vec<String>,
    pub orgs: Vec<String>,
    /// The entities the article is about (in its headline, dateline or
    /// lead, or mentioned twice): a subset of `persons`, `places`, `orgs`.
    pub main: MainEntities,
    /// Mention counts per entity, when entities were extracted; printed
    /// under the names the aliases give (values merged into one add up).
    pub mentions: Option<Entities>,
}

/// The main entities of an article, named as in its entity lists.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct MainEntities {
    pub persons: Vec<String>,
    /// Place paths joined by " / ", as in `places`.
    pub places: Vec<String>,
    pub orgs: Vec<String>,
}

impl MainEntities {
    fn of(entities: &Entities) -> MainEntities {
        let names = |list: &[crate::entities::Entity]| -> Vec<String> {
            list.iter()
                .filter(|e| e.main)
                .map(|e| e.name.clone())
                .collect()
        };
        MainEntities {
            persons: names(&entities.persons),
            places: entities
                .places
                .iter()
                .filter(|p| p.main)
                .map(|p| p.path.join(" / "))
                .collect(),
            orgs: names(&entities.orgs),
        }
    }
}

impl StoredArticle {
    /// Reads the stored fields of a document.
    pub fn from_document(fields: &Fields, doc: &TantivyDocument) -> StoredArticle {
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str().map(str::to_string))
        };
        let all = |field| -> Vec<String> {
            doc.get_all(field)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        };
        let mut stored = StoredArticle {
            id: text(fields.id).unwrap_or_default(),
            path: text(fields.path).unwrap_or_default(),
            record: doc.get_first(fields.record).and_then(|v| v.as_u64()),
            format: text(fields.format),
            url: text(fields.url),
            source: text(fields.source),
            title: text(fields.title).unwrap_or_default(),
            standfirst: text(fields.standfirst).unwrap_or_default(),
            body: text(fields.body).unwrap_or_default(),
            captions: all(fields.captions),
            authors: all(fields.authors),
            dateline: text(fields.dateline),
            published: doc
                .get_first(fields.published)
                .and_then(|v| v.as_datetime())
                .and_then(|d| DateTime::from_timestamp(d.into_timestamp_secs(), 0)),
            language: text(fields.language),
            words: doc
                .get_first(fields.words)
                .and_then(|v| v.as_u64())
                .unwrap_or(0),
            tags: all(fields.tags),
            not_article: doc
                .get_first(fields.not_article)
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
            mentions: text(fields.mentions).and_then(|json| serde_json::from_str(&json).ok()),
            ..Default::default()
        };
        if let Some(entities) = &stored.mentions {
            stored.main = MainEntities::of(entities);
        }
        for value in doc.get_all(fields.entity) {
            let Some(encoded) = value.as_facet() else {
                continue;
            };
            let Ok(facet) = Facet::from_encoded(encoded.as_bytes().to_vec()) else {
                continue;
            };
            let path = facet.to_path();
            let Some((root, rest)) = path.split_first() else {
                continue;
            };
            let value = rest.join(" / ");
            match *root {
                PERSON_ROOT => stored.persons.push(value),
                PLACE_ROOT => stored.places.push(value),
                ORG_ROOT => stored.orgs.push(value),
                _ => {}
            }
        }
        stored
    }
}
