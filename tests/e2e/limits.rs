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

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

#[test]
fn files_over_the_size_limits_are_refused_by_name_and_the_rest_indexed() {
    let env = TestEnv::new();
    env.write("good.json", article_json("Good one", "2019-12-30"));
    // 4 MB of text in 4 KB of gzip.
    env.write("bomb.txt.gz", gzip(&b"spam and eggs ".repeat(300_000)));
    env.write("huge.txt", format!("Huge\n\n{}", "word ".repeat(300_000)));
    let big = "a long story ".repeat(100_000);
    env.write(
        "feed.jsonl",
        format!(
            "{}\n{}\n",
            article_json("Small one", "2019-12-30"),
            serde_json::json!({ "title": "Big one", "text": big })
        ),
    );
    let (run, summary) = env.index_archive(&[
        "--no-entities",
        "--max-file-size",
        "2",
        "--max-article-size",
        "1",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(summary["articles_indexed"], 2, "{}", run.stderr);
    assert_eq!(summary["files_failed"], 2);
    assert_eq!(summary["records_failed"], 1);
    let line = |name: &str| {
        run.stderr
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("no line for {name}: {}", run.stderr))
            .to_string()
    };
    assert!(line("bomb.txt.gz").contains("expands beyond the 2.0 MB limit (--max-file-size)"));
    assert!(line("huge.txt").contains("over the 1.0 MB limit (--max-article-size)"));
    assert!(line("feed.jsonl").contains("line 2: article is 1.2 MB of text"));
    assert!(line("feed.jsonl").contains("--max-article-size"));

    // With the limits raised, the refused files are read; the feed read
    // before is unchanged, so not read again.
    let (run, summary) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(summary["articles_indexed"], 2);
    assert_eq!(summary["files_unchanged"], 2);
}

#[test]
fn a_large_json_array_is_indexed_in_pieces_and_a_broken_one_leaves_nothing() {
    let env = TestEnv::new();
    let feed = |count: usize, broken: bool| {
        let items: Vec<String> = (0..count)
            .map(|i| {
                serde_json::json!({ "title": format!("Item {i}"), "text": format!("Story {i} of the feed.") })
                    .to_string()
            })
            .collect();
        format!("[{}{}", items.join(","), if broken { ", {" } else { "]" })
    };
    env.write("feed.json", feed(2500, false));
    let (run, summary) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(summary["articles_indexed"], 2500);
    assert_eq!(summary["articles_total"], 2500);

    // A shorter feed replaces the longer one, piece by piece.
    env.write("feed.json", feed(1500, false));
    let (run, summary) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(summary["articles_indexed"], 0);
    assert_eq!(summary["articles_deleted"], 1000);
    assert_eq!(summary["articles_total"], 1500);

    // A feed broken after 3000 good records fails whole; its old articles
    // stay, the pieces sent before the error are taken back.
    env.write("feed.json", feed(3000, true));
    env.write("other.json", article_json("Other", "2019-12-30"));
    let (run, summary) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("feed.json: line 1, column"),
        "{}",
        run.stderr
    );
    assert_eq!(summary["files_failed"], 1);
    assert_eq!(summary["articles_indexed"], 1);
    assert_eq!(summary["articles_total"], 1501);
    assert_eq!(env.search_json(&["\"Item 2999\""])["total"], 0);
    assert_eq!(env.search_json(&["\"Item 1499\""])["total"], 1);
}
