//! Hostile inputs: dates the index cannot hold, files and articles over the
//! size limits, decompression bombs, huge feeds, deeply nested pages.

use crate::env::TestEnv;

fn article_json(title: &str, date: &str) -> String {
    serde_json::json!({ "title": title, "text": format!("{title} was reported."), "date": date })
        .to_string()
}

/// The titles of every match of a search with these filters.
fn titles(env: &TestEnv, filters: &[&str]) -> Vec<String> {
    let mut args = vec!["--limit", "100"];
    args.extend_from_slice(filters);
    let found = env.search_json(&args);
    let mut titles: Vec<String> = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_string())
        .collect();
    titles.sort();
    titles
}

#[test]
fn dates_beyond_the_index_range_are_implausible_and_filters_hold() {
    let env = TestEnv::new();
    env.write("far-future.json", article_json("Far future", "9999-12-31"));
    env.write("year-one.json", article_json("Year one", "0001-01-01"));
    env.write("recent.json", article_json("Recent", "2019-12-30"));
    env.write("old.json", article_json("Old", "1790-07-04"));
    let (run, summary) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(summary["articles_indexed"], 4);
    // 9999, 0001 and 1790 are implausible; only 1790 fits the index.
    assert_eq!(summary["articles_implausible_date"], 3);

    let far = env.search_json(&["future"]);
    assert_eq!(far["total"], 1);
    assert!(far["hits"][0]["date"].is_null(), "{far}");

    assert!(titles(&env, &["--from", "2300"]).is_empty());
    assert!(titles(&env, &["--to", "0001"]).is_empty());
    assert_eq!(titles(&env, &["--from", "0001"]), ["Old", "Recent"]);
    assert_eq!(titles(&env, &["--to", "9999"]), ["Old", "Recent"]);
    assert_eq!(
        titles(&env, &["--from", "2019", "--to", "9999"]),
        ["Recent"]
    );
    assert_eq!(titles(&env, &["after:1700 before:1800"]), ["Old"]);
}
