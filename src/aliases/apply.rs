//! The alias table applied to an article's stored entity lists at output
//! time, so hits and `show` name entities as the facets count them and an
//! alias edit shows at once, without re-indexing.

use crate::aliases::names::{Mapped, NameIndex};
use crate::aliases::table::path_of;
use crate::entities::{Entities, Entity, PlaceEntity};
use crate::index::document::StoredArticle;
use crate::query::resolve::EntityType;

/// What an indexed value (by its display name) is shown as: `None` when
/// dropped.
fn shown(names: &NameIndex, kind: EntityType, value: String) -> Option<String> {
    match names.mapped(kind, &value) {
        Mapped::Same => Some(value),
        Mapped::To(canonical) => Some(canonical),
        Mapped::Dropped => None,
    }
}

/// An article's entity names as the aliases have them: merged values
/// renamed (once each), dropped ones left out.
pub fn canonical_names(
    names: Option<&NameIndex>,
    kind: EntityType,
    values: Vec<String>,
) -> Vec<String> {
    let Some(names) = names else { return values };
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for value in values {
        let Some(value) = shown(names, kind, value) else {
            continue;
        };
        if !out.contains(&value) {
            out.push(value);
        }
    }
    out
}

/// An entity of an article's mention counts, under any of its names.
trait Mentioned {
    fn display(&self) -> String;
    fn rename(&mut self, kind: EntityType, name: &str);
    fn counts(&mut self) -> (&mut u32, &mut bool);
    fn mentions(&self) -> u32;
}

impl Mentioned for Entity {
    fn display(&self) -> String {
        self.name.clone()
    }
    fn rename(&mut self, _: EntityType, name: &str) {
        self.name = name.to_string();
    }
    fn counts(&mut self) -> (&mut u32, &mut bool) {
        (&mut self.mentions, &mut self.main)
    }
    fn mentions(&self) -> u32 {
        self.mentions
    }
}

impl Mentioned for PlaceEntity {
    fn display(&self) -> String {
        self.path.join(" / ")
    }
    fn rename(&mut self, kind: EntityType, name: &str) {
        self.path = path_of(kind, name);
    }
    fn counts(&mut self) -> (&mut u32, &mut bool) {
        (&mut self.mentions, &mut self.main)
    }
    fn mentions(&self) -> u32 {
        self.mentions
    }
}

/// Entities of one type under their canonical names: values merged into
/// one add their mentions (an article saying "Reagan" twice and "Ronald
/// Reagan" once mentions Ronald Reagan three times) and are main if any
/// was; dropped values are left out. Most mentioned first, as extracted.
fn canonical_mentions<T: Mentioned>(names: &NameIndex, kind: EntityType, list: Vec<T>) -> Vec<T> {
    let mut out: Vec<(String, T)> = Vec::with_capacity(list.len());
    for mut entity in list {
        let Some(name) = shown(names, kind, entity.display()) else {
            continue;
        };
        if let Some((_, kept)) = out.iter_mut().find(|(n, _)| *n == name) {
            let (mentions, main) = entity.counts();
            let (mentions, main) = (*mentions, *main);
            let (kept_mentions, kept_main) = kept.counts();
            *kept_mentions = kept_mentions.saturating_add(mentions);
            *kept_main |= main;
        } else {
            entity.rename(kind, &name);
            out.push((name, entity));
        }
    }
    let mut out: Vec<T> = out.into_iter().map(|(_, e)| e).collect();
    // Stable: equal counts keep the extraction's order.
    out.sort_by_key(|e| std::cmp::Reverse(e.mentions()));
    out
}

/// A stored article's entity lists, main entities and mention counts under
/// their canonical names.
pub fn canonical_article(names: &NameIndex, article: &mut StoredArticle) {
    use EntityType::{Org, Person, Place};
    let take = std::mem::take;
    article.persons = canonical_names(Some(names), Person, take(&mut article.persons));
    article.places = canonical_names(Some(names), Place, take(&mut article.places));
    article.orgs = canonical_names(Some(names), Org, take(&mut article.orgs));
    let main = &mut article.main;
    main.persons = canonical_names(Some(names), Person, take(&mut main.persons));
    main.places = canonical_names(Some(names), Place, take(&mut main.places));
    main.orgs = canonical_names(Some(names), Org, take(&mut main.orgs));
    if let Some(mentions) = article.mentions.take() {
        article.mentions = Some(canonical_entities(names, mentions));
    }
}

fn canonical_entities(names: &NameIndex, entities: Entities) -> Entities {
    Entities {
        persons: canonical_mentions(names, EntityType::Person, entities.persons),
        places: canonical_mentions(names, EntityType::Place, entities.places),
        orgs: canonical_mentions(names, EntityType::Org, entities.orgs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aliases::edits::{Action, Edit};
    use crate::aliases::table::AliasTable;
    use crate::query::resolve::EntityValue;

    fn edit(action: Action, kind: EntityType, value: &str, target: Option<&str>) -> Edit {
        Edit::new(action, kind, value, target)
    }

    fn person(name: &str, mentions: u32, main: bool) -> Entity {
        Entity {
            name: name.into(),
            mentions,
            main,
        }
    }

    #[test]
    fn mentions_merge_under_the_canonical_name_and_dropped_values_go() {
        use EntityType::{Org, Person, Place};
        let raw = [
            EntityValue::new(Person, vec!["Reagan".into()], 297),
            EntityValue::new(Person, vec!["Ronald Reagan".into()], 15),
            EntityValue::new(Person, vec!["Nancy Reagan".into()], 1),
            EntityValue::new(Org, vec!["Counter Terrorism Service".into()], 2),
            EntityValue::new(Place, vec!["Burma".into(), "Yangon".into()], 3),
        ];
        let table = AliasTable::new(
            &[
                edit(Action::Drop, Org, "Counter Terrorism Service", None),
                edit(Action::Rename, Place, "Burma", Some("Myanmar")),
            ],
            &[edit(Action::Merge, Person, "Reagan", Some("Ronald Reagan"))],
        )
        .unwrap();
        let names = NameIndex::build(
            &raw,
            &table,
            &mut |m| m.iter().map(|v| v.articles).sum(),
            "",
        );
        let mut article = StoredArticle {
            persons: vec![
                "Nancy Reagan".into(),
                "Reagan".into(),
                "Ronald Reagan".into(),
            ],
            orgs: vec!["Counter Terrorism Service".into()],
            places: vec!["Burma / Yangon".into()],
            mentions: Some(Entities {
                persons: vec![
                    person("Nancy Reagan", 2, true),
                    person("Reagan", 2, false),
                    person("Ronald Reagan", 1, false),
                ],
                places: vec![PlaceEntity {
                    path: vec!["Burma".into(), "Yangon".into()],
                    mentions: 1,
                    main: true,
                }],
                orgs: vec![person("Counter Terrorism Service", 4, true)],
            }),
            ..Default::default()
        };
        article.main.persons = vec!["Nancy Reagan".into()];
        article.main.orgs = vec!["Counter Terrorism Service".into()];
        canonical_article(&names, &mut article);
        assert_eq!(article.persons, ["Nancy Reagan", "Ronald Reagan"]);
        assert!(article.orgs.is_empty() && article.main.orgs.is_empty());
        assert_eq!(article.places, ["Myanmar / Yangon"]);
        let mentions = article.mentions.unwrap();
        assert_eq!(
            mentions.persons,
            [
                person("Ronald Reagan", 3, false),
                person("Nancy Reagan", 2, true)
            ]
        );
        assert!(mentions.orgs.is_empty());
        assert_eq!(mentions.places[0].path, ["Myanmar", "Yangon"]);
    }
}
