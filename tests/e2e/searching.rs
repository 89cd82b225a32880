//! `newsdex search`, `show` and `stats`: output formats, sorting, exit codes.

use crate::env::{TestEnv, assert_valid};

/// Three dated articles in two formats.
fn small_archive() -> TestEnv {
    let env = TestEnv::new();
    let a = serde_json::json!({
        "title": "Oil prices climb as OPEC trims output",
        "text": "Crude oil rose sharply on Tuesday.\n\nTraders in London said supply was tight.",
        "published": "1987-03-02T10:00:00Z", "source": "Wire One", "url": "https://example.org/oil"
    });
    let b = serde_json::json!({
        "headline": "Wheat harvest beats forecasts",
        "body": ["Farmers reported record yields.", "Oil for tractors was cheap this season."],
        "datePublished": "1988-07-15", "publisher": {"name": "Farm News"}
    });
    let c = serde_json::json!({
        "title": "Parliament debates budget",
        "content": "Members argued over the state budget until late at night.",
        "date": "1986-11-20", "source": "Wire One"
    });
    env.write("2023/a.json", a.to_string());
    env.write("feed.jsonl", format!("{b}\n{c}\n"));
    let (run, _) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    env
}

#[test]
fn json_output_matches_its_schema() {
    let env = small_archive();
    let out = env.search_json(&["oil"]);
    assert_valid("search-output.schema.json", &out);
    assert_eq!(out["total"], 2);
    // The title match ranks first.
    assert_eq!(
        out["hits"][0]["title"],
        "Oil prices climb as OPEC trims output"
    );
    let snippet = &out["hits"][0]["snippet"];
    let text = snippet["text"].as_str().unwrap();
    let (start, end) = (
        snippet["highlights"][0][0].as_u64().unwrap() as usize,
        snippet["highlights"][0][1].as_u64().unwrap() as usize,
    );
    assert_eq!(text[start..end].to_lowercase(), "oil");
}

#[test]
fn every_format_parses_back() {
    let env = small_archive();
    let jsonl = env.run(&["search", "oil", "--format", "jsonl"]);
    let hits = jsonl.jsonl();
    assert_eq!(hits.len(), 2);
    for hit in &hits {
        assert_valid("search-hit.schema.json", hit);
    }
    for (format, delimiter) in [("csv", b','), ("tsv", b'\t')] {
        let run = env.run(&["search", "oil", "--format", format]);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .from_reader(run.stdout.as_bytes());
        let headers = reader.headers().unwrap().clone();
        assert_eq!(&headers[1], "id");
        let rows: Vec<_> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 2, "{format}");
        assert_eq!(&rows[0][1], hits[0]["id"].as_str().unwrap());
    }
    let ids = env.run(&["search", "oil", "--format", "ids"]);
    let listed: Vec<&str> = ids.stdout.lines().collect();
    assert_eq!(
        listed,
        hits.iter()
            .map(|h| h["id"].as_str().unwrap())
            .collect::<Vec<_>>()
    );
    let text = env.run(&["search", "oil"]);
    assert!(
        text.stdout.contains("**Oil**") || text.stdout.contains("**oil**"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.trim_end().ends_with("\n2 articles"),
        "{}",
        text.stdout
    );
}

#[test]
fn phrases_booleans_and_fields() {
    let env = small_archive();
    assert_eq!(env.search_json(&["\"state budget\""])["total"], 1);
    assert_eq!(env.search_json(&["\"budget state\""])["total"], 0);
    assert_eq!(env.search_json(&["oil AND NOT wheat"])["total"], 1);
    assert_eq!(env.search_json(&["oil -wheat"])["total"], 1);
    // A purely negative query subtracts from every article.
    let all = env.search_json(&[""])["total"].as_u64().unwrap();
    let oil = env.search_json(&["oil"])["total"].as_u64().unwrap();
    assert_eq!(env.search_json(&["NOT oil"])["total"], all - oil);
    assert_eq!(env.search_json(&["-oil"])["total"], all - oil);
    assert_eq!(env.search_json(&["oil OR parliament"])["total"], 3);
    assert_eq!(env.search_json(&["title:wheat"])["total"], 1);
    // Stemming and case: "Traders" is found by "trader".
    assert_eq!(env.search_json(&["TRADER"])["total"], 1);
    assert_eq!(env.search_json(&["source:\"wire one\""])["total"], 2);
}

#[test]
fn sorting_paging_and_count() {
    let env = small_archive();
    let newest = env.search_json(&["", "--sort", "newest"]);
    let dates: Vec<&str> = newest["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["date"].as_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        [
            "1988-07-15T00:00:00Z",
            "1987-03-02T10:00:00Z",
            "1986-11-20T00:00:00Z"
        ]
    );
    let oldest = env.search_json(&["", "--sort", "oldest", "--limit", "1", "--offset", "1"]);
    assert_eq!(oldest["hits"][0]["date"], "1987-03-02T10:00:00Z");
    assert_eq!(oldest["total"], 3);
    assert_eq!(
        env.search_json(&["", "--from", "1987", "--to", "1987"])["total"],
        1
    );
    assert_eq!(env.search_json(&["", "--from", "1987-01"])["total"], 2);
    assert_eq!(env.search_json(&["", "--to", "1987-03-02"])["total"], 2);
    assert_eq!(env.search_json(&["after:1987-03-03"])["total"], 1);
    assert_eq!(env.search_json(&["oil before:1988"])["total"], 1);
    assert_eq!(env.search_json(&["", "--source", "WIRE ONE"])["total"], 2);
    let bad_date = env.run(&["search", "--from", "March"]);
    assert_eq!(bad_date.code, 2);
    assert!(
        bad_date.stderr.contains("YYYY-MM-DD"),
        "{}",
        bad_date.stderr
    );
    let count = env.run(&["search", "oil", "--count"]);
    assert_eq!(count.stdout.trim(), "2");
}

#[test]
fn exit_codes_follow_grep() {
    let env = small_archive();
    assert_eq!(env.run(&["search", "oil"]).code, 0);
    let none = env.run(&["search", "zeppelin"]);
    assert_eq!(none.code, 1);
    assert!(none.stderr.is_empty(), "{}", none.stderr);
    let bad = env.run(&["search", "title:(oil"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("cannot understand the query"),
        "{}",
        bad.stderr
    );
    assert!(bad.stdout.is_empty());
    let unknown_field = env.run(&["search", "nosuchfield:oil"]);
    assert_eq!(unknown_field.code, 2, "{}", unknown_field.stderr);
    let missing = TestEnv::new().run(&["search", "oil"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("no index"), "{}", missing.stderr);
}

#[test]
fn show_and_stats() {
    let env = small_archive();
    let hit = &env.search_json(&["wheat"])["hits"][0];
    let id = hit["id"].as_str().unwrap();
    let shown = env.run(&["show", id, "--format", "json"]).json();
    assert_eq!(shown["source"], "Farm News");
    assert_eq!(
        shown["body"],
        "Farmers reported record yields.\n\nOil for tractors was cheap this season."
    );
    assert_eq!(env.run(&["show", "0000000000000000"]).code, 1);
    let stats = env.run(&["stats", "--json"]).json();
    assert_eq!(stats["articles"], 3);
    assert_eq!(stats["earliest"], "1986-11-20T00:00:00Z");
    assert_eq!(stats["latest"], "1988-07-15T00:00:00Z");
    assert_eq!(stats["sources"][0], serde_json::json!(["wire one", 2]));
}
