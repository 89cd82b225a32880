//! The plan-based counter against the definition and the previous collector.

use std::collections::HashMap;

use super::reference::DictionaryCounter;
use super::*;

fn key(path: &[&str]) -> Vec<u8> {
    Facet::from_path(path.iter().copied())
        .encoded_str()
        .as_bytes()
        .to_vec()
}

/// Article facets (type, path) → counts with aliases applied, by the
/// counter and by the plain definition: each article counts once for
/// each canonical value any of its facets stands for.
#[test]
fn aliased_counts_match_counting_canonical_values_per_article() {
    use crate::aliases::edits::{Action, Edit};
    use crate::aliases::names::NameIndex;
    use crate::aliases::table::AliasTable;
    use crate::query::resolve::{EntityType, EntityValue};
    use std::collections::BTreeSet;
    use tantivy::schema::{FacetOptions, Schema};
    use tantivy::{Index, IndexWriter, TantivyDocument, query::AllQuery};

    use EntityType::{Org, Person, Place};
    // Articles without entities too: the column numbers only those with.
    let articles: Vec<Vec<(EntityType, Vec<&str>)>> = vec![
        vec![(Person, vec!["Reagan"]), (Person, vec!["Ronald Reagan"])],
        vec![],
        vec![
            (Person, vec!["Reagan"]),
            (Org, vec!["Counter Terrorism Service"]),
        ],
        vec![
            (Person, vec!["Nancy Reagan"]),
            (Place, vec!["Burma", "Yangon"]),
        ],
        vec![(Place, vec!["Myanmar"]), (Org, vec!["U.S. Treasury"])],
        vec![],
        vec![(Org, vec!["Treasury"]), (Place, vec!["Burma"])],
        vec![
            (Person, vec!["Ronald Reagan"]),
            (Place, vec!["Iraq", "Basra"]),
        ],
    ];
    let edit = Edit::new;
    let table = AliasTable::new(
        &[
            edit(Action::Drop, Org, "Counter Terrorism Service", None),
            edit(Action::Rename, Place, "Burma", Some("Myanmar")),
        ],
        &[
            edit(Action::Merge, Person, "Reagan", Some("Ronald Reagan")),
            edit(Action::Merge, Org, "U.S. Treasury", Some("Treasury")),
        ],
    )
    .unwrap();
    let mut raw: BTreeSet<(EntityType, Vec<String>)> = BTreeSet::new();
    for article in &articles {
        for (kind, path) in article {
            raw.insert((*kind, path.iter().map(|p| p.to_string()).collect()));
        }
    }
    let values: Vec<EntityValue> = raw
        .iter()
        .map(|(kind, path)| EntityValue::new(*kind, path.clone(), 1))
        .collect();
    let names = NameIndex::build(&values, &table, &mut |m| m.len() as u64, "");
    let map = FacetMap::new(&names);
    assert!(!map.is_empty());

    let mut schema = Schema::builder();
    let entity = schema.add_facet_field(FIELD, FacetOptions::default());
    let main = schema.add_facet_field(MAIN_FIELD, FacetOptions::default());
    let index = Index::create_in_ram(schema.build());
    let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
    // Two segments: a canonical value may be absent from one of them.
    for (i, article) in articles.iter().enumerate() {
        let mut doc = TantivyDocument::default();
        for (kind, path) in article {
            let facet = Facet::from_path(std::iter::once(kind.name()).chain(path.clone()));
            doc.add_facet(entity, facet.clone());
            doc.add_facet(main, facet);
        }
        writer.add_document(doc).unwrap();
        if i == 3 {
            writer.commit().unwrap();
        }
    }
    writer.commit().unwrap();
    let searcher = index.reader().unwrap().searcher();
    assert_eq!(searcher.segment_readers().len(), 2);

    for depth in [1, 2] {
        let roots: Vec<Facet> = [Person, Place, Org].iter().map(|k| k.root()).collect();
        let spec = CountSpec::new(&roots, depth);
        let counter = map.counter(&spec, &searcher).unwrap();
        let counts = searcher.search(&AllQuery, &counter).unwrap();
        let counted: HashMap<Facet, u64> = counts.iter().collect();
        let old = DictionaryCounter::new(&spec, &map);
        assert_eq!(searcher.search(&AllQuery, &old).unwrap(), counted);
        let mut expected: HashMap<Facet, u64> = HashMap::new();
        for article in &articles {
            let mut seen = BTreeSet::new();
            for (kind, path) in article {
                let path: Vec<String> = path.iter().map(|p| p.to_string()).collect();
                let Some(canonical) = table.canonical(*kind, &path) else {
                    continue;
                };
                let Some(value) = canonical.get(..depth) else {
                    continue;
                };
                let facet = Facet::from_path(
                    std::iter::once(kind.name()).chain(value.iter().map(String::as_str)),
                );
                if seen.insert(facet.clone()) {
                    *expected.entry(facet).or_default() += 1;
                }
            }
        }
        assert_eq!(counted, expected, "depth {depth}");
    }
    let counter = map
        .counter(&CountSpec::new(&[Person.root()], 1), &searcher)
        .unwrap();
    let persons: HashMap<Facet, u64> = searcher
        .search(&AllQuery, &counter)
        .unwrap()
        .iter()
        .collect();
    assert_eq!(persons[&Facet::from_path(["person", "Ronald Reagan"])], 3);
    assert_eq!(persons.len(), 2, "{persons:?}");
}

#[test]
fn collapses_to_the_requested_depth() {
    let places = CountSpec::new(&[Facet::from("/place")], 1);
    assert_eq!(
        places.collapse(&key(&["place", "Iraq", "Basra", "Basra"])),
        Some(key(&["place", "Iraq"]).as_slice())
    );
    assert_eq!(
        places.collapse(&key(&["place", "Iraq"])),
        Some(key(&["place", "Iraq"]).as_slice())
    );
    assert_eq!(places.collapse(&key(&["person", "Iraq"])), None);
    assert_eq!(places.collapse(&key(&["placebo", "x"])), None);
    let cities = CountSpec::new(&[Facet::from_path(["place", "Iraq"])], 2);
    assert_eq!(
        cities.collapse(&key(&["place", "Iraq", "Basra", "Basra"])),
        Some(key(&["place", "Iraq", "Basra", "Basra"]).as_slice())
    );
    assert_eq!(cities.collapse(&key(&["place", "Iraq", "Basra"])), None);
    assert_eq!(cities.collapse(&key(&["place", "Iraq"])), None);
}
