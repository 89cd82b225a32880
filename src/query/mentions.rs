//! Where an article names its persons, places and organizations: byte
//! ranges in its title, standfirst and body, found again at read time for
//! the one article shown (the index keeps mention counts, not offsets).
//!
//! Each entity is looked for under the names it was indexed with (and the
//! canonical name the aliases give it): a person also by surname, a place by
//! every level of its path. Longer names win over the shorter names they
//! contain; a match starts with a capital and stands between word breaks.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::StoredArticle;
use super::resolve::EntityType;
use crate::aliases::names::{Mapped, NameIndex};

/// Which stored text a mention is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TextField {
    Title,
    Standfirst,
    Body,
}

/// One mention: `[start, end)` bytes of a field, and the entity value it
/// names (what a filter on it would be written with).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Mention {
    pub field: TextField,
    pub start: usize,
    pub end: usize,
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// The entity's name as in the article's entity lists (places: the
    /// path, outermost first, joined by " / ").
    pub value: String,
}

/// The mentions of one article, in text order per field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ArticleMentions {
    pub id: String,
    pub mentions: Vec<Mention>,
}

/// A name to look for and the value it stands for.
struct Surface {
    text: String,
    kind: EntityType,
    value: String,
}

/// Finds the mentions of an article's entities in its text.
pub fn find(article: &StoredArticle, names: Option<&NameIndex>) -> ArticleMentions {
    let surfaces = surfaces(article, names);
    let mut mentions = Vec::new();
    for (field, text) in [
        (TextField::Title, article.title.as_str()),
        (TextField::Standfirst, article.standfirst.as_str()),
        (TextField::Body, article.body.as_str()),
    ] {
        mentions.extend(in_text(field, text, &surfaces));
    }
    ArticleMentions {
        id: article.id.clone(),
        mentions,
    }
}

/// Every name to look for, longest first, each once.
fn surfaces(article: &StoredArticle, names: Option<&NameIndex>) -> Vec<Surface> {
    let canonical = |kind: EntityType, raw: &str| -> Option<String> {
        match names.map_or(Mapped::Same, |n| n.mapped(kind, raw)) {
            Mapped::Same => Some(raw.to_string()),
            Mapped::To(to) => Some(to),
            Mapped::Dropped => None,
        }
    };
    let mut out: Vec<Surface> = Vec::new();
    let mut add = |text: &str, kind: EntityType, value: &str| {
        let text = text.trim();
        if text.chars().count() >= 2 && !out.iter().any(|s| s.text == text) {
            out.push(Surface {
                text: text.to_string(),
                kind,
                value: value.to_string(),
            });
        }
    };
    let mut people: Vec<(String, String)> = Vec::new();
    let mut orgs: Vec<(String, String)> = Vec::new();
    let mut places: Vec<Vec<String>> = Vec::new();
    if let Some(entities) = &article.mentions {
        for p in &entities.persons {
            if let Some(value) = canonical(EntityType::Person, &p.name) {
                people.push((p.name.clone(), value));
            }
        }
        for o in &entities.orgs {
            if let Some(value) = canonical(EntityType::Org, &o.name) {
                orgs.push((o.name.clone(), value));
            }
        }
        places.extend(entities.places.iter().map(|p| p.path.clone()));
    }
    // The canonical names too: an alias edit may name a value differently.
    people.extend(article.persons.iter().map(|n| (n.clone(), n.clone())));
    orgs.extend(article.orgs.iter().map(|n| (n.clone(), n.clone())));
    places.extend(
        article
            .places
            .iter()
            .map(|p| p.split(" / ").map(str::to_string).collect()),
    );
    for (raw, value) in &people {
        add(raw, EntityType::Person, value);
        add(value, EntityType::Person, value);
    }
    for (raw, value) in &orgs {
        add(raw, EntityType::Org, value);
        add(value, EntityType::Org, value);
    }
    // Deepest first: "Basra" the city before Basra the region.
    for path in &places {
        for depth in (1..=path.len()).rev() {
            add(
                &path[depth - 1],
                EntityType::Place,
                &path[..depth].join(" / "),
            );
        }
    }
    // A surname alone ("Blair"), after the full names so they come first.
    for (raw, value) in &people {
        let words: Vec<&str> = raw.split_whitespace().collect();
        if let [_, .., last] = words.as_slice()
            && last.chars().count() >= 3
        {
            add(last, EntityType::Person, value);
        }
    }
    out.sort_by_key(|s| std::cmp::Reverse(s.text.len()));
    out
}

/// The non-overlapping matches of the surfaces in one text, longest names
/// first, in text order.
fn in_text(field: TextField, text: &str, surfaces: &[Surface]) -> Vec<Mention> {
    let folded = text.to_ascii_lowercase();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut found = Vec::new();
    for surface in surfaces {
        let needle = surface.text.to_ascii_lowercase();
        for (start, _) in folded.match_indices(&needle) {
            let end = start + needle.len();
            if !stands_alone(text, start, end) || taken.iter().any(|&(a, b)| start < b && a < end) {
                continue;
            }
            taken.push((start, end));
            found.push(Mention {
                field,
                start,
                end,
                kind: surface.kind,
                value: surface.value.clone(),
            });
        }
    }
    found.sort_by_key(|m| m.start);
    found
}

/// A name, not part of a word: capitalized, with no letter or digit on
/// either side.
fn stands_alone(text: &str, start: usize, end: usize) -> bool {
    let capital = text[start..]
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic());
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    capital && !word(before) && !word(after)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::{Entities, Entity, PlaceEntity};

    fn article() -> StoredArticle {
        let entity = |name: &str| Entity {
            name: name.to_string(),
            mentions: 1,
            main: true,
        };
        StoredArticle {
            id: "a1".to_string(),
            title: "Blair meets Iraqi leaders in BASRA".to_string(),
            body: "Tony Blair flew to Basra, Iraq. Mr Blair's visit to Basra-based Unilever \
                   staff; blairite views. The United Nations said nothing."
                .to_string(),
            persons: vec!["Tony Blair".to_string()],
            places: vec!["Iraq / Basra / Basra".to_string()],
            orgs: vec!["United Nations".to_string()],
            mentions: Some(Entities {
                persons: vec![entity("Tony Blair")],
                places: vec![PlaceEntity {
                    path: vec!["Iraq".into(), "Basra".into(), "Basra".into()],
                    mentions: 2,
                    main: true,
                }],
                orgs: vec![entity("United Nations")],
            }),
            ..Default::default()
        }
    }

    fn marked<'t>(text: &'t str, mentions: &[Mention], field: TextField) -> Vec<&'t str> {
        mentions
            .iter()
            .filter(|m| m.field == field)
            .map(|m| &text[m.start..m.end])
            .collect()
    }

    #[test]
    fn marks_full_names_surnames_and_place_levels() {
        let a = article();
        let found = find(&a, None);
        assert_eq!(
            marked(&a.body, &found.mentions, TextField::Body),
            [
                "Tony Blair",
                "Basra",
                "Iraq",
                "Blair",
                "Basra",
                "United Nations"
            ]
        );
        assert_eq!(
            marked(&a.title, &found.mentions, TextField::Title),
            ["Blair", "BASRA"]
        );
        let iraq = found.mentions.iter().find(|m| m.value == "Iraq").unwrap();
        assert_eq!(iraq.kind, EntityType::Place);
        let blair = found
            .mentions
            .iter()
            .find(|m| m.kind == EntityType::Person)
            .unwrap();
        assert_eq!(blair.value, "Tony Blair");
        let basra = found
            .mentions
            .iter()
            .find(|m| m.value.ends_with("Basra"))
            .unwrap();
        assert_eq!(basra.value, "Iraq / Basra / Basra");
    }

    #[test]
    fn no_entities_no_marks() {
        let a = StoredArticle {
            body: "Nothing named here.".to_string(),
            ..Default::default()
        };
        assert!(find(&a, None).mentions.is_empty());
    }
}
