//! The seed article, end to end through the extractor: every required entity
//! found, no forbidden one, Basra and Baghdad under Iraq.

use serde_json::Value;

use super::names::name_key;
use super::{Entities, Extractor};
use crate::article::Article;

const TEXT: &str = include_str!("../../tests/fixtures/seed/iraq-us-airstrikes.txt");
const EXPECTED: &str = include_str!("../../tests/fixtures/seed/iraq-us-airstrikes.expected.json");

/// A crude reading of the saved page (the real cleaner lives in `ingest`):
/// furniture lines (under four words, "Follow us ...") dropped, the first
/// remaining line is the title, the rest the body.
fn seed_article() -> Article {
    let mut lines = TEXT
        .lines()
        .map(str::trim)
        .filter(|l| l.split_whitespace().count() >= 4 && !l.starts_with("Follow us"));
    let title = lines.next().unwrap_or_default().to_string();
    let body = lines.filter(|l| *l != title).map(str::to_string).collect();
    Article {
        title,
        body,
        ..Default::default()
    }
}

fn names(v: &Value) -> Vec<Vec<String>> {
    v.as_array()
        .into_iter()
        .flatten()
        .map(|x| match x {
            Value::String(s) => vec![s.clone()],
            Value::Array(a) => a
                .iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect(),
            _ => Vec::new(),
        })
        .collect()
}

fn kind_names(e: &Entities, kind: &str) -> Vec<String> {
    match kind {
        "person" => e.persons.iter().map(|p| p.name.clone()).collect(),
        "org" => e.orgs.iter().map(|p| p.name.clone()).collect(),
        _ => e
            .places
            .iter()
            .filter_map(|p| p.path.last().cloned())
            .collect(),
    }
}

#[test]
fn seed_article_entities() {
    let ex = Extractor::load().expect("load extractor");
    let e = ex.extract(&seed_article());
    let expected: Value = serde_json::from_str(EXPECTED).expect("expected json");
    let mut problems = Vec::new();
    for kind in ["person", "place", "org"] {
        let found: Vec<String> = kind_names(&e, kind).iter().map(|n| name_key(n)).collect();
        for alts in names(&expected[kind]["required"]) {
            if !alts.iter().any(|a| found.contains(&name_key(a))) {
                problems.push(format!("missing {kind} {alts:?}"));
            }
        }
        for f in names(&expected[kind]["forbidden"]).into_iter().flatten() {
            if found.contains(&name_key(&f)) {
                problems.push(format!("forbidden {kind} {f}"));
            }
        }
    }
    for (place, country) in [("Basra", "Iraq"), ("Basrah", "Iraq"), ("Baghdad", "Iraq")] {
        for p in &e.places {
            if p.path.len() > 1 && p.path.last().is_some_and(|l| l == place) && p.path[0] != country
            {
                problems.push(format!("{place} under {:?}", p.path));
            }
        }
    }
    assert!(
        e.places
            .iter()
            .any(|p| p.path.len() == 3 && p.path[0] == "Iraq" && p.path[2] == "Baghdad"),
        "Baghdad not under Iraq: {:?}",
        e.places
    );
    assert!(problems.is_empty(), "{problems:#?}\n{e:#?}");
}
