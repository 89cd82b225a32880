//! Near-duplicate clusters end to end: copies of a real article, made the
//! way outlets make them, join its cluster in a later run; search collapses
//! and counts by cluster; deleting the representative hands the role on.

use serde_json::{Value, json};

use crate::env::{TestEnv, assert_valid, fixture};

/// Paragraphs of the real scraped article in the fixtures.
fn paragraphs() -> Vec<String> {
    let text = std::fs::read_to_string(fixture("seed/iraq-us-airstrikes.txt")).unwrap();
    text.lines()
        .skip(5)
        .filter(|l| l.split_whitespace().count() > 12)
        .take(12)
        .map(str::to_string)
        .collect()
}

fn article(title: &str, date: &str, source: &str, body: &[String]) -> String {
    json!({
        "headline": title,
        "datePublished": date,
        "publisher": {"name": source},
        "maintext": body.join("\n\n"),
    })
    .to_string()
}

fn hit<'a>(results: &'a Value, id: &str) -> &'a Value {
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == id)
        .unwrap_or_else(|| panic!("no hit {id} in {results:#}"))
}

#[test]
fn copies_join_across_runs_and_the_representative_hands_on() {
    let env = TestEnv::new();
    let body = paragraphs();
    assert_eq!(body.len(), 12);
    env.write(
        "wire/original.json",
        article(
            "US strikes militia in Iraq",
            "2019-12-30T10:00:00Z",
            "Wire",
            &body,
        ),
    );
    env.copy(&fixture("formats/articles.json"), "other/articles.json");
    // Two short notes alike but for one word: too short to call copies.
    let note = "Markets were closed on Monday for the holiday and will reopen on Tuesday";
    env.write(
        "notes/a.json",
        article(
            "Closed",
            "2019-12-30T09:00:00Z",
            "Wire",
            &[note.to_string()],
        ),
    );
    env.write(
        "notes/b.json",
        article(
            "Closed again",
            "2019-12-30T09:05:00Z",
            "Wire",
            &[note.replace("Monday", "Friday")],
        ),
    );
    let (run, _) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // A later run brings two outlets' versions: a new headline, a word
    // changed and a subscription line added; a new headline, the first two
    // paragraphs swapped and the last one cut, extra whitespace.
    let mut edited = body.clone();
    edited[0] = edited[0].replace("deadly", "lethal");
    edited.push("Subscribe to our newsletter for the latest news from the region.".into());
    env.write(
        "outlets/b.json",
        article(
            "Baghdad blamed for failing to protect Americans",
            "2019-12-30T12:00:00Z",
            "Outlet B",
            &edited,
        ),
    );
    let mut cut: Vec<String> = body[..11].iter().map(|p| format!("  {p}  ")).collect();
    cut.swap(0, 1);
    env.write(
        "outlets/c.json",
        article("Iraq warns US", "2019-12-31T08:00:00Z", "Outlet C", &cut),
    );
    let (run, summary) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(summary["articles_indexed"], 2, "{summary:#}");

    let results = env.search_json(&["--limit", "100", ""]);
    assert_valid("search-output.schema.json", &results);
    let hits = results["hits"].as_array().unwrap();
    let story: Vec<&Value> = hits
        .iter()
        .filter(|h| {
            ["Wire", "Outlet B", "Outlet C"].contains(&h["source"].as_str().unwrap_or(""))
                && h["title"] != "Closed"
                && h["title"] != "Closed again"
        })
        .collect();
    assert_eq!(story.len(), 3, "{results:#}");
    let original = story.iter().find(|h| h["source"] == "Wire").unwrap();
    let cluster = original["cluster"].as_str().unwrap().to_string();
    // The first indexed article names the cluster.
    assert_eq!(cluster, original["id"].as_str().unwrap());
    for h in &story {
        assert_eq!(h["cluster"], cluster.as_str(), "{h:#}");
        assert_eq!(h["copies"], 3, "{h:#}");
    }
    // Everything else stands alone, the short notes included.
    let alone: Vec<&Value> = hits
        .iter()
        .filter(|h| h["cluster"] != cluster.as_str())
        .collect();
    assert_eq!(alone.len(), hits.len() - 3);
    for h in &alone {
        assert_eq!(h["copies"], 1, "{h:#}");
        assert_eq!(h["cluster"], h["id"], "{h:#}");
    }

    // CSV rows carry the cluster and its size too (one column each).
    let csv = env.run(&[
        "search",
        "militia",
        "--format",
        "csv",
        "--fields",
        "id,cluster,copies",
    ]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    let rows: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(rows[0], "id,cluster,copies");
    assert_eq!(rows.len(), 4, "{}", csv.stdout);
    for row in &rows[1..] {
        assert!(row.ends_with(&format!(",{cluster},3")), "{row}");
    }
    let tsv = env.run(&["search", "militia", "--format", "tsv"]);
    let header: Vec<&str> = tsv.stdout.lines().next().unwrap().split('\t').collect();
    assert_eq!(header[header.len() - 3..], ["cluster", "copies", "snippet"]);

    // One hit per cluster, with its members, earliest published first.
    let collapsed = env.search_json(&["--collapse", "militia"]);
    assert_valid("search-output.schema.json", &collapsed);
    assert_eq!(collapsed["total"], 3, "{collapsed:#}");
    assert_eq!(collapsed["clusters"], 1);
    assert_eq!(collapsed["hits"].as_array().unwrap().len(), 1);
    let members: Vec<&str> = collapsed["hits"][0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["source"].as_str().unwrap())
        .collect();
    assert_eq!(members, ["Wire", "Outlet B", "Outlet C"]);

    // Counting by cluster: the story once, in the month it first appeared.
    let counted = env.search_json(&["--count-by", "cluster", "--histogram", "day", "militia"]);
    let buckets = &counted["histogram"]["buckets"];
    assert_eq!(
        buckets,
        &json!([{"period": "2019-12-30", "articles": 1}]),
        "{counted:#}"
    );
    let by_article = env.search_json(&["--histogram", "day", "militia"]);
    assert_eq!(
        by_article["histogram"]["buckets"],
        json!([
            {"period": "2019-12-30", "articles": 2},
            {"period": "2019-12-31", "articles": 1}
        ])
    );

    // The listing: the representative, then each copy with its changes.
    let run = env.run(&["duplicates", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let listed = run.json();
    assert_valid("duplicates-output.schema.json", &listed);
    assert_eq!(listed["total"], 1, "{listed:#}");
    let only = &listed["clusters"][0];
    assert_eq!(only["representative"], original["id"]);
    let b = &only["members"][1];
    assert_eq!(b["source"], "Outlet B");
    // "lethal" for "deadly", and the eleven words of the newsletter line.
    assert_eq!(
        (b["added_words"].as_u64(), b["removed_words"].as_u64()),
        (Some(12), Some(1))
    );
    let c = &only["members"][2];
    assert_eq!(c["added_words"], 0);
    // Swapping changes nothing; the cut paragraph is what is missing.
    let cut_words = body[11]
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count();
    assert_eq!(c["removed_words"], cut_words, "{c:#}");
    let text = env.run(&["duplicates"]);
    assert!(text.stdout.contains("representative"), "{}", text.stdout);
    assert!(text.stdout.contains("+12 -1 words"), "{}", text.stdout);

    // The representative's file goes: the next earliest takes over, and
    // the cluster keeps its name.
    std::fs::remove_file(env.archive().join("wire/original.json")).unwrap();
    let (run, summary) = env.index_archive(&["--no-entities", "--prune"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(summary["articles_deleted"], 1, "{summary:#}");
    let b_id = b["id"].as_str().unwrap();
    let run = env.run(&["show", b_id, "--copies", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let shown = run.json();
    assert_valid("cluster-output.schema.json", &shown);
    assert_eq!(shown["cluster"], cluster.as_str());
    assert_eq!(shown["size"], 2);
    assert_eq!(shown["representative"], b_id);
    let after = env.search_json(&["militia"]);
    assert_eq!(hit(&after, b_id)["copies"], 2);
    // A short note is a cluster of one.
    let listed = env.run(&["duplicates", "--format", "json"]).json();
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["clusters"][0]["size"], 2);
}

/// The clusters of "militia" hits after indexing `files` with `extra`.
fn militia_clusters(files: &[(&str, String)], extra: &[&str]) -> usize {
    clusters_after(files, extra, "militia", 3)
}

/// The clusters of the `total` hits of `query` after indexing `files`
/// with `extra`.
fn clusters_after(files: &[(&str, String)], extra: &[&str], query: &str, total: usize) -> usize {
    let env = TestEnv::new();
    for (name, contents) in files {
        env.write(name, contents);
    }
    let mut args = vec!["--no-entities"];
    args.extend_from_slice(extra);
    let (run, _) = env.index_archive(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let results = env.search_json(&["--limit", "100", query]);
    assert_eq!(results["total"], total, "{results:#}");
    let clusters: std::collections::HashSet<&str> = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["cluster"].as_str().unwrap())
        .collect();
    clusters.len()
}

#[test]
fn the_threshold_decides_how_alike_copies_must_be() {
    let body = paragraphs();
    // Two paragraphs of new text (about a sixth of the shingles): a copy at
    // the default threshold, not at 0.95; a verbatim copy under a new
    // headline is one at both.
    let reversed = |p: &String| p.split_whitespace().rev().collect::<Vec<_>>().join(" ");
    let mut longer = body.clone();
    longer.push(reversed(&body[0]));
    longer.push(reversed(&body[1]));
    let files = [
        (
            "a.json",
            article("One", "2019-12-30T10:00:00Z", "Wire", &body),
        ),
        (
            "b.json",
            article("Two", "2019-12-30T11:00:00Z", "Other", &longer),
        ),
        (
            "c.json",
            article("Three", "2019-12-30T12:00:00Z", "Third", &body),
        ),
    ];
    assert_eq!(militia_clusters(&files, &[]), 1);
    assert_eq!(militia_clusters(&files, &["--dup-threshold", "0.95"]), 2);
    let env = TestEnv::new();
    let bad = env.run(&["index", "--dup-threshold", "1.5", "x"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("from 0 to 1"), "{}", bad.stderr);
}

/// `words` with every `every`-th word replaced by a new one: half the
/// shingles shared at `every` 12 (of 12 shingles, the 4 holding it differ).
fn every_nth_changed(words: &[&str], every: usize) -> String {
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i % every == every - 1 {
                format!("changed{i}")
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn short_items_sharing_a_template_stay_apart_where_long_articles_join() {
    let body = paragraphs();
    let text = body.join(" ");
    let words: Vec<&str> = text.split_whitespace().collect();
    assert!(words.len() > 300, "{}", words.len());
    // Short items (60 words) that share half their shingles, as items on
    // one house template do: apart. The same change over the whole article:
    // one story.
    let short = &words[..60];
    let short_files = [
        (
            "a.json",
            article("One", "2019-12-30T10:00:00Z", "Wire", &[short.join(" ")]),
        ),
        (
            "b.json",
            article(
                "Two",
                "2019-12-30T11:00:00Z",
                "Wire",
                &[every_nth_changed(short, 12)],
            ),
        ),
    ];
    let long_files = [
        (
            "a.json",
            article(
                "One",
                "2019-12-30T10:00:00Z",
                "Wire",
                std::slice::from_ref(&text),
            ),
        ),
        (
            "b.json",
            article(
                "Two",
                "2019-12-30T11:00:00Z",
                "Wire",
                &[every_nth_changed(&words, 12)],
            ),
        ),
    ];
    assert_eq!(clusters_after(&short_files, &[], "", 2), 2);
    assert_eq!(clusters_after(&long_files, &[], "", 2), 1);
}
