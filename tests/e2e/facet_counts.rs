//! Facet counts by count plan against the previous collector
//! (`facets::reference`), on indexes the real binary built from real files:
//! the bundled sample, and slices of the corpora in `../shared/` (skipped
//! when absent). Every value's count must be the same, for every entity
//! type, on both facet fields, rolled up to countries and down to regions
//! and cities, with aliases in force.

use std::collections::HashMap;
use std::path::Path;

use newsdex::index::NewsIndex;
use newsdex::query::Session;
use newsdex::query::facets::CountSpec;
use newsdex::query::facets::reference::DictionaryCounter;
use newsdex::query::filters::Filters;
use newsdex::query::resolve::EntityType;
use tantivy::schema::Facet;

use crate::env::{TestEnv, repo, shared};

/// Compares both counters over `queries` and returns how many values were
/// compared (so a test can tell it compared something).
fn assert_counts_match_previous(index: &Path, queries: &[&str]) -> usize {
    let news = NewsIndex::open(index).unwrap();
    let session = Session::open(&news).unwrap();
    let roots: Vec<Facet> = EntityType::ALL.iter().map(|k| k.root()).collect();
    let mut compared = 0;
    for text in queries {
        let prepared = session.prepare(text, &Filters::default()).unwrap();
        let searcher = session.searcher();
        let map = session.facet_map().unwrap();
        // The countries the query finds most, to count their regions and cities.
        let countries = {
            let spec = CountSpec::new(&[EntityType::Place.root()], 1);
            let counts = searcher
                .search(&*prepared.query, &map.counter(&spec, searcher).unwrap())
                .unwrap();
            counts.top(&EntityType::Place.root(), 3)
        };
        let mut specs = Vec::new();
        for main in [false, true] {
            for depth in [1, 2] {
                specs.push(CountSpec::new(&roots, depth).main_only(main));
            }
            for (country, _) in &countries {
                for depth in [1, 2] {
                    specs
                        .push(CountSpec::new(std::slice::from_ref(country), depth).main_only(main));
                }
            }
        }
        for spec in specs {
            let counter = map.counter(&spec, searcher).unwrap();
            let counts = searcher.search(&*prepared.query, &counter).unwrap();
            let new: HashMap<Facet, u64> = counts.iter().collect();
            let previous = searcher
                .search(&*prepared.query, &DictionaryCounter::new(&spec, map))
                .unwrap();
            assert_eq!(new, previous, "query {text:?}, {spec:?}");
            for root in &roots {
                assert_eq!(
                    counts.top(root, 10),
                    newsdex::query::facets::reference::top_k(&previous, root, 10),
                    "query {text:?}, {spec:?}, top under {root}"
                );
            }
            compared += new.len();
        }
    }
    compared
}

/// Indexes what is in the environment's archive (entities extracted) and
/// merges the two most frequent persons of the index, so counting must
/// follow an alias.
fn index_with_alias(env: &TestEnv, extra: &[&str]) {
    let (run, _) = env.index_archive(extra);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let top = env
        .run(&[
            "entities", "--type", "person", "--top", "2", "--format", "json",
        ])
        .json();
    let values = top["values"].as_array().unwrap();
    assert_eq!(values.len(), 2, "{top}");
    let name = |i: usize| values[i]["name"].as_str().unwrap().to_string();
    let merged = env.run(&["alias", "merge", "--type", "person", &name(1), &name(0)]);
    assert_eq!(merged.code, 0, "{}", merged.stderr);
}

#[test]
fn sample_archive_counts_match_previous_collector() {
    let env = TestEnv::new();
    env.copy(&repo().join("data/sample"), "sample");
    index_with_alias(&env, &[]);
    let compared = assert_counts_match_previous(&env.index(), &["", "coalition", "-coalition"]);
    assert!(compared > 100, "only {compared} values compared");
}

#[test]
#[cfg_attr(not(shared_corpora), ignore = "needs ../shared/ beside the checkout")]
fn corpora_counts_match_previous_collector() {
    let env = TestEnv::new();
    env.copy(
        &shared("corpora/reuters21578/reut2-000.sgm"),
        "reuters/reut2-000.sgm",
    );
    let bbc = shared("corpora/bbc/business");
    for n in 1..=150 {
        let name = format!("{n:03}.txt");
        env.copy(&bbc.join(&name), &format!("bbc/business/{name}"));
    }
    // Several commits, so counts merge across segments.
    index_with_alias(&env, &["--commit-every", "200"]);
    let compared = assert_counts_match_previous(&env.index(), &["", "oil", "said -oil"]);
    assert!(compared > 1000, "only {compared} values compared");
}
