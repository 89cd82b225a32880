//! What a person value is mentioned with: the places, organizations and
//! other persons of its articles, read from the archive at each `index`
//! run. A partial name ("Hussein") joins a full name ("Saddam Hussein")
//! only if its articles are about the same things: in 1987 the bare
//! "Hussein" of Amman stories is King Hussein of Jordan, whose articles
//! name Jordan, Amman and Arafat, not Iraq and Baghdad.
//!
//! Each article of the partial name votes: it *agrees* when it names
//! something the full name is typically mentioned with (a *companion*:
//! seen with it in two articles or more, and several times likelier with
//! it than across the archive; once is enough for a full name of few
//! articles), it *disagrees* when it names something
//! specific to some subject (in at most 2% of the archive) but no
//! companion, and it says nothing otherwise (no other entity, or only
//! the archive's everyday ones such as "U.S." or "Reuters"). The merge
//! stands when at least half of the articles that voted agree.
//!
//! Read only for the person values that may take part in a partial-name
//! merge (see [`wanted`]), so the cost follows those names' articles, not
//! the archive's.

use std::collections::{HashMap, HashSet};

use tantivy::Searcher;

use crate::query::resolve::{EntityType, EntityValue, name_words};

/// A companion appears with the full name in at least this many articles
/// (one for a full name of fewer than [`FEW_ARTICLES`], whose companions are
/// seldom seen twice: with two, most partial names of a rare full name were
/// refused, "Shevardnadze" for Eduard Shevardnadze's two articles)...
const COMPANION_ARTICLES: u32 = 2;
const FEW_ARTICLES: u32 = 5;
/// ...and at least this many times as often as across the archive.
const COMPANION_LIFT: f64 = 3.0;
/// An entity in at most this share of the archive's articles tells what an
/// article is about; commoner ones ("U.S.", "London") say nothing.
const SPECIFIC_SHARE: f64 = 0.02;
/// The merge stands when this share of the voting articles agree.
const AGREEING_SHARE: f64 = 0.5;

/// One entity value of the archive, interned.
type Id = u32;

/// The articles of one person value, as the entities they name besides it.
#[derive(Debug, Default, Clone)]
struct Mentions {
    /// Articles naming this value.
    articles: u32,
    /// Articles naming both this value and the entity.
    with: HashMap<Id, u32>,
    /// Each article's other entities.
    each: Vec<Vec<Id>>,
}

/// The votes of a partial name's articles on one full name.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Votes {
    pub agree: u32,
    pub disagree: u32,
    pub silent: u32,
}

impl Votes {
    /// Whether the articles are about what the full name's are about (no
    /// vote, no evidence against).
    pub fn agrees(&self) -> bool {
        let voting = self.agree + self.disagree;
        voting == 0 || self.agree as f64 >= AGREEING_SHARE * voting as f64
    }
}

/// The entities mentioned with the person values that may merge.
#[derive(Debug, Default, Clone)]
pub struct Context {
    /// Interned entities: type and display name.
    entities: Vec<(EntityType, String)>,
    ids: HashMap<Vec<u8>, Id>,
    /// Articles naming each entity.
    articles_of: Vec<u32>,
    /// Live articles of the archive.
    articles: u64,
    persons: HashMap<String, Mentions>,
}

/// The person values whose context matters: those that share a surname
/// with a value of a different length (a partial name and the full names
/// it may stand for).
pub fn wanted(values: &[EntityValue]) -> HashSet<String> {
    let mut by_last: HashMap<String, Vec<(&str, usize)>> = HashMap::new();
    for v in values.iter().filter(|v| v.kind == EntityType::Person) {
        let name = v.path.last().map_or("", String::as_str);
        let words = name_words(name);
        if let Some(last) = words.last() {
            by_last
                .entry(last.clone())
                .or_default()
                .push((name, words.len()));
        }
    }
    by_last
        .into_values()
        .filter(|group| group.iter().any(|(_, n)| *n != group[0].1))
        .flat_map(|group| group.into_iter().map(|(name, _)| name.to_string()))
        .collect()
}

impl Context {
    /// Reads every live article's entities, one pass per segment, keeping
    /// the mentions of the `wanted` person values.
    pub fn of_persons(searcher: &Searcher, wanted: &HashSet<String>) -> tantivy::Result<Context> {
        let mut context = Context::default();
        for segment in searcher.segment_readers() {
            let facets = segment.facet_reader("entity")?;
            // Ordinal → interned entity, and whether it is a wanted person.
            let mut local: HashMap<u64, (Id, bool)> = HashMap::new();
            let mut stream = facets.facet_dict().stream()?;
            while stream.advance() {
                let key = stream.key();
                let Some(at) = key.iter().position(|&b| b == 0) else {
                    continue; // a type's root
                };
                let Some(kind) = EntityType::ALL
                    .into_iter()
                    .find(|k| k.name().as_bytes() == &key[..at])
                else {
                    continue;
                };
                let name = String::from_utf8_lossy(&key[at + 1..]).replace('\0', "/");
                let is_wanted = kind == EntityType::Person && wanted.contains(&name);
                let id = context.intern(key, kind, name);
                local.insert(stream.term_ord(), (id, is_wanted));
            }
            let mut doc_entities: Vec<(Id, bool)> = Vec::new();
            for doc in segment.doc_ids_alive() {
                context.articles += 1;
                doc_entities.clear();
                doc_entities.extend(facets.facet_ords(doc).filter_map(|o| local.get(&o)));
                doc_entities.sort_unstable();
                doc_entities.dedup();
                for &(id, _) in &doc_entities {
                    context.articles_of[id as usize] += 1;
                }
                for &(person, _) in doc_entities.iter().filter(|(_, w)| *w) {
                    let others: Vec<Id> = doc_entities
                        .iter()
                        .map(|&(id, _)| id)
                        .filter(|&id| id != person)
                        .collect();
                    let name = &context.entities[person as usize].1;
                    let mentions = context.persons.entry(name.clone()).or_default();
                    mentions.articles += 1;
                    for &other in &others {
                        *mentions.with.entry(other).or_default() += 1;
                    }
                    mentions.each.push(others);
                }
            }
        }
        Ok(context)
    }

    fn intern(&mut self, key: &[u8], kind: EntityType, name: String) -> Id {
        if let Some(&id) = self.ids.get(key) {
            return id;
        }
        let id = self.entities.len() as Id;
        self.entities.push((kind, name));
        self.articles_of.push(0);
        self.ids.insert(key.to_vec(), id);
        id
    }

    /// How the articles of a partial name (all its spellings) vote on a
    /// full name (all the spellings and names of its group). Persons of the
    /// same surname are left out: they are the candidates themselves.
    pub fn votes(&self, partial: &[&str], full: &[&str], surname: &str) -> Votes {
        let mut votes = Votes::default();
        let groups: Vec<&Mentions> = full.iter().filter_map(|n| self.persons.get(*n)).collect();
        let full_articles: u32 = groups.iter().map(|m| m.articles).sum();
        if full_articles == 0 || self.articles == 0 {
            return votes;
        }
        let needed = if full_articles < FEW_ARTICLES {
            1
        } else {
            COMPANION_ARTICLES
        };
        let with_full = |id: Id| groups.iter().filter_map(|m| m.with.get(&id)).sum::<u32>();
        let share = |id: Id| self.articles_of[id as usize] as f64 / self.articles as f64;
        let of_surname = |id: Id| {
            let (kind, name) = &self.entities[id as usize];
            *kind == EntityType::Person && name_words(name).last().is_some_and(|w| w == surname)
        };
        for mentions in partial.iter().filter_map(|n| self.persons.get(*n)) {
            for article in &mentions.each {
                let telling = article
                    .iter()
                    .copied()
                    .filter(|&id| !of_surname(id) && self.articles_of[id as usize] >= 2);
                let (mut companion, mut specific) = (false, false);
                for id in telling {
                    let together = with_full(id);
                    let lift = together as f64 / full_articles as f64 / share(id);
                    companion |= together >= needed && lift >= COMPANION_LIFT;
                    specific |= share(id) <= SPECIFIC_SHARE;
                }
                match (companion, specific) {
                    (true, _) => votes.agree += 1,
                    (false, true) => votes.disagree += 1,
                    (false, false) => votes.silent += 1,
                }
            }
        }
        votes
    }

    /// Adds an article naming these entities (tests build contexts so).
    #[cfg(test)]
    pub fn add_article(&mut self, entities: &[(EntityType, &str)], wanted: &HashSet<String>) {
        let ids: Vec<(Id, bool)> = entities
            .iter()
            .map(|(kind, name)| {
                let key = [kind.name().as_bytes(), b"\0", name.as_bytes()].concat();
                let id = self.intern(&key, *kind, name.to_string());
                (id, *kind == EntityType::Person && wanted.contains(*name))
            })
            .collect();
        self.articles += 1;
        for &(id, _) in &ids {
            self.articles_of[id as usize] += 1;
        }
        for &(person, _) in ids.iter().filter(|(_, w)| *w) {
            let others: Vec<Id> = ids.iter().map(|p| p.0).filter(|&i| i != person).collect();
            let name = self.entities[person as usize].1.clone();
            let mentions = self.persons.entry(name).or_default();
            mentions.articles += 1;
            for &other in &others {
                *mentions.with.entry(other).or_default() += 1;
            }
            mentions.each.push(others);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityType::{Org, Person, Place};

    /// An archive of Saddam Hussein stories (Iraq, Baghdad), King Hussein
    /// stories under the bare surname (Jordan, Amman), and filler naming
    /// the everyday "U.S." so that shares are realistic.
    fn archive(hussein_in_iraq: usize, hussein_in_jordan: usize) -> Context {
        let wanted: HashSet<String> = ["Hussein", "Saddam Hussein"].map(String::from).into();
        let mut c = Context::default();
        for _ in 0..10 {
            c.add_article(
                &[
                    (Person, "Saddam Hussein"),
                    (Place, "Iraq"),
                    (Place, "Iraq/Baghdad"),
                    (Place, "U.S."),
                ],
                &wanted,
            );
        }
        for _ in 0..hussein_in_iraq {
            c.add_article(&[(Person, "Hussein"), (Place, "Iraq")], &wanted);
        }
        for _ in 0..hussein_in_jordan {
            c.add_article(
                &[
                    (Person, "Hussein"),
                    (Place, "Jordan"),
                    (Place, "Jordan/Amman"),
                ],
                &wanted,
            );
        }
        // Articles with no telling context: silent.
        c.add_article(&[(Person, "Hussein"), (Place, "U.S.")], &wanted);
        c.add_article(&[(Person, "Hussein")], &wanted);
        for i in 0..400 {
            let org = format!("Company {}", i % 100);
            c.add_article(&[(Place, "U.S."), (Org, &org)], &wanted);
        }
        c
    }

    #[test]
    fn a_partial_name_about_other_things_stays_apart() {
        let c = archive(2, 6);
        let v = c.votes(&["Hussein"], &["Saddam Hussein"], "hussein");
        assert_eq!(
            v,
            Votes {
                agree: 2,
                disagree: 6,
                silent: 2
            }
        );
        assert!(!v.agrees());
    }

    #[test]
    fn a_partial_name_about_the_same_things_merges() {
        let c = archive(6, 2);
        let v = c.votes(&["Hussein"], &["Saddam Hussein"], "hussein");
        assert_eq!((v.agree, v.disagree), (6, 2));
        assert!(v.agrees());
        // No context known: no evidence against.
        let none = Context::default().votes(&["Hussein"], &["Saddam Hussein"], "hussein");
        assert_eq!(none, Votes::default());
        assert!(none.agrees());
    }

    #[test]
    fn only_values_sharing_a_surname_with_a_longer_or_shorter_one_are_read() {
        let v = |name: &str| EntityValue::new(Person, vec![name.to_string()], 1);
        let values = [
            v("Hussein"),
            v("Saddam Hussein"),
            v("Tony Blair"),
            v("Cherie Blair"),
            v("Thatcher"),
        ];
        let mut names: Vec<String> = wanted(&values).into_iter().collect();
        names.sort();
        assert_eq!(names, ["Hussein", "Saddam Hussein"]);
    }
}
