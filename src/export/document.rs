//! One article as the other engines receive it: the stored article with its
//! aliases applied, the place hierarchy spelled out at every level, the
//! main flags and mention counts, and the near-duplicate cluster.
//!
//! Owns the shape of an exported document (schema/export-document.schema.json);
//! how each engine maps it lives in [`super::elastic`] and [`super::quickwit`].

use chrono::{DateTime, SecondsFormat, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::index::document::StoredArticle;

/// What joins the levels of a place path, as newsdex prints them.
pub const PLACE_SEPARATOR: &str = " / ";

/// The entity fields, exact values that filters match and facets count.
pub const ENTITY_FIELDS: [&str; 10] = [
    "persons",
    "orgs",
    "places",
    "place_paths",
    "countries",
    "main_persons",
    "main_orgs",
    "main_places",
    "main_place_paths",
    "main_countries",
];

/// One exported article. Field names are newsdex's query field names, so a
/// query such as `title:oil` means the same on the other engine.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct ExportDoc {
    /// newsdex's id (content hash): the `_id` on Elasticsearch/OpenSearch.
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub standfirst: String,
    pub body: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub captions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dateline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
    /// RFC 3339, UTC, seconds; absent when the article has no plausible date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    pub words: u64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    pub not_article: bool,
    /// Canonical person names (aliases applied), each once.
    pub persons: Vec<String>,
    pub orgs: Vec<String>,
    /// Full place paths, outermost first, joined by " / ".
    pub places: Vec<String>,
    /// Every level of every place path ("Iraq", "Iraq / Basra", "Iraq /
    /// Basra / Basra"): a filter on a place matches the places inside it.
    pub place_paths: Vec<String>,
    /// The first level of every place path: newsdex counts places by country.
    pub countries: Vec<String>,
    /// The entities the article is about (headline, dateline, lead, or two
    /// mentions), in the same forms.
    pub main_persons: Vec<String>,
    pub main_orgs: Vec<String>,
    pub main_places: Vec<String>,
    pub main_place_paths: Vec<String>,
    pub main_countries: Vec<String>,
    /// Entity names, searchable as words (newsdex's `entities` field).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub entities: String,
    /// Each entity with its mention count and main flag.
    pub mentions: Vec<Mention>,
    /// Near-duplicate cluster: the id of the article the cluster is named
    /// after (16 hex digits). Copies share it.
    pub cluster: String,
}

/// How often an article names one entity.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
pub struct Mention {
    /// `person`, `place` or `org`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The canonical name; for a place its path joined by " / ".
    pub name: String,
    pub count: u32,
    pub main: bool,
}

impl ExportDoc {
    /// The exported form of an article whose aliases are already applied
    /// (`canonical_article`), in cluster `cluster`.
    pub fn new(article: StoredArticle, cluster: String) -> ExportDoc {
        let (place_paths, countries) = levels(&article.places);
        let (main_place_paths, main_countries) = levels(&article.main.places);
        let mut names = String::new();
        for name in article.persons.iter().chain(&article.orgs) {
            names.push_str(name);
            names.push('\n');
        }
        for place in &article.places {
            if let Some(last) = place.rsplit(PLACE_SEPARATOR).next() {
                names.push_str(last);
                names.push('\n');
            }
        }
        let mentions = mentions(&article);
        ExportDoc {
            id: article.id,
            title: article.title,
            standfirst: article.standfirst,
            body: article.body,
            captions: article.captions,
            authors: article.authors,
            dateline: article.dateline,
            source: article.source,
            url: article.url,
            language: article.language,
            format: article.format,
            path: article.path,
            record: article.record,
            published: article.published.map(rfc3339),
            words: article.words,
            tags: article.tags,
            not_article: article.not_article,
            persons: distinct(article.persons),
            orgs: distinct(article.orgs),
            places: distinct(article.places),
            place_paths,
            countries,
            main_persons: distinct(article.main.persons),
            main_orgs: distinct(article.main.orgs),
            main_places: distinct(article.main.places),
            main_place_paths,
            main_countries,
            entities: names,
            mentions,
            cluster,
        }
    }
}

/// The form every engine parses without a format string.
pub fn rfc3339(date: DateTime<Utc>) -> String {
    date.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Every level of each path, each once, and the first levels.
fn levels(paths: &[String]) -> (Vec<String>, Vec<String>) {
    let mut all = Vec::new();
    let mut firsts = Vec::new();
    for path in paths {
        let parts: Vec<&str> = path.split(PLACE_SEPARATOR).collect();
        for depth in 1..=parts.len() {
            all.push(parts[..depth].join(PLACE_SEPARATOR));
        }
        if let Some(first) = parts.first() {
            firsts.push((*first).to_string());
        }
    }
    (distinct(all), distinct(firsts))
}

/// Keeps the first of each value, in order: two aliases of one name count
/// once, as in newsdex's facet counts.
fn distinct(values: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::with_capacity(values.len());
    values
        .into_iter()
        .filter(|v| seen.insert(v.clone()))
        .collect()
}

fn mentions(article: &StoredArticle) -> Vec<Mention> {
    let Some(entities) = &article.mentions else {
        return Vec::new();
    };
    let named = |kind: &str, list: &[crate::entities::Entity]| -> Vec<Mention> {
        list.iter()
            .map(|e| Mention {
                kind: kind.to_string(),
                name: e.name.clone(),
                count: e.mentions,
                main: e.main,
            })
            .collect()
    };
    let mut out = named("person", &entities.persons);
    out.extend(entities.places.iter().map(|p| Mention {
        kind: "place".to_string(),
        name: p.path.join(PLACE_SEPARATOR),
        count: p.mentions,
        main: p.main,
    }));
    out.extend(named("org", &entities.orgs));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_searchable_at_every_level_and_counted_by_country() {
        let article = StoredArticle {
            id: "00000000000000aa".into(),
            places: vec![
                "Iraq / Basra / Basra".into(),
                "Iraq".into(),
                "Syria / Aleppo".into(),
            ],
            persons: vec!["Tony Blair".into(), "Tony Blair".into()],
            ..Default::default()
        };
        let doc = ExportDoc::new(article, "00000000000000aa".into());
        assert_eq!(
            doc.place_paths,
            [
                "Iraq",
                "Iraq / Basra",
                "Iraq / Basra / Basra",
                "Syria",
                "Syria / Aleppo"
            ]
        );
        assert_eq!(doc.countries, ["Iraq", "Syria"]);
        assert_eq!(doc.persons, ["Tony Blair"]);
        assert!(doc.entities.contains("Basra\n") && doc.entities.contains("Aleppo\n"));
    }

    #[test]
    fn dates_are_rfc3339_in_utc_seconds() {
        let date = DateTime::from_timestamp(1_475_280_000, 0).unwrap();
        assert_eq!(rfc3339(date), "2016-10-01T00:00:00Z");
    }
}
