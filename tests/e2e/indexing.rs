//! `newsdex index`: formats, incremental runs, duplicates, locking, bad input.

use std::collections::HashSet;

use crate::env::{TestEnv, assert_valid, fixture};

fn article_json(title: &str, body: &str, date: &str) -> String {
    serde_json::json!({ "headline": title, "maintext": body, "date_publish": date, "source_domain": "example.org" })
        .to_string()
}

#[test]
fn seed_article_comes_out_clean() {
    let env = TestEnv::new();
    env.copy(
        &fixture("seed/iraq-us-airstrikes.txt"),
        "seed/iraq-us-airstrikes.txt",
    );
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("seed/iraq-us-airstrikes.expected.json")).unwrap(),
    )
    .unwrap();
    let (run, summary) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_valid("index-summary.schema.json", &summary);
    assert_eq!(summary["articles_indexed"], 1);

    let found = env.search_json(&["Muhandis"]);
    assert_eq!(found["total"], 1);
    let id = found["hits"][0]["id"].as_str().unwrap().to_string();
    let shown = env.run(&["show", &id, "--format", "json"]);
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    let article = shown.json();
    assert_valid("article-output.schema.json", &article);
    assert_eq!(article["title"], expected["title"]);
    assert_eq!(article["standfirst"], expected["standfirst"]);
    let body = article["body"].as_str().unwrap();
    let paragraphs: Vec<&str> = body.split("\n\n").collect();
    for want in expected["body_paragraphs_each_once"].as_array().unwrap() {
        let want = want.as_str().unwrap();
        assert_eq!(
            paragraphs.iter().filter(|p| **p == want).count(),
            1,
            "paragraph not exactly once: {want}"
        );
    }
    for noise in expected["noise_lines_not_in_body"].as_array().unwrap() {
        let noise = noise.as_str().unwrap();
        assert!(!paragraphs.contains(&noise), "noise line in body: {noise}");
        assert_ne!(article["title"].as_str().unwrap(), noise);
    }
    let caption = expected["caption"].as_str().unwrap();
    assert_eq!(article["captions"], serde_json::json!([caption]));
    assert!(!body.contains(caption), "caption leaked into the body");
    // Repeated body: every paragraph once.
    let unique: HashSet<&&str> = paragraphs.iter().collect();
    assert_eq!(unique.len(), paragraphs.len(), "a paragraph appears twice");
}

#[test]
fn every_format_is_read() {
    let env = TestEnv::new();
    env.copy(&fixture("formats"), "formats");
    let (run, summary) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(summary["files_failed"], 0);
    let stats = env.run(&["stats", "--json"]).json();
    assert_valid("stats-output.schema.json", &stats);
    let formats: HashSet<String> = stats["formats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f[0].as_str().unwrap().to_string())
        .collect();
    for format in ["text", "json", "jsonl", "sgml"] {
        assert!(
            formats.contains(format),
            "no {format} article in {formats:?}"
        );
    }
}

#[test]
fn reruns_are_incremental_and_prune_removes() {
    let env = TestEnv::new();
    env.write(
        "a.json",
        article_json(
            "Floods in the delta",
            "The river rose overnight.",
            "2019-12-30",
        ),
    );
    env.write(
        "b.jsonl",
        [
            article_json("Harvest report", "Wheat prices fell.", "2020-01-02"),
            article_json("Port strike", "Dockers walked out.", "2020-01-03"),
        ]
        .join("\n"),
    );
    let (_, first) = env.index_archive(&[]);
    assert_eq!(first["articles_indexed"], 3);

    let (_, again) = env.index_archive(&[]);
    assert_eq!(again["files_unchanged"], 2);
    assert_eq!(again["articles_indexed"], 0);
    assert_eq!(again["articles_total"], 3);

    // Change one file: its new article replaces the old one.
    std::thread::sleep(std::time::Duration::from_millis(20));
    env.write(
        "a.json",
        article_json(
            "Floods recede",
            "The river fell back by morning.",
            "2019-12-31",
        ),
    );
    let (_, changed) = env.index_archive(&[]);
    assert_eq!(changed["files_read"], 1);
    assert_eq!(changed["articles_indexed"], 1);
    assert_eq!(changed["articles_deleted"], 1);
    assert_eq!(env.search_json(&["overnight"])["total"], 0);
    assert_eq!(env.search_json(&["recede"])["total"], 1);

    // Delete a file: kept without --prune, removed with it.
    std::fs::remove_file(env.archive().join("b.jsonl")).unwrap();
    let (_, kept) = env.index_archive(&[]);
    assert_eq!(kept["articles_total"], 3);
    let (_, pruned) = env.index_archive(&["--prune"]);
    assert_eq!(pruned["files_removed"], 1);
    assert_eq!(pruned["articles_total"], 1);
    assert_eq!(env.run(&["search", "dockers"]).code, 1);
}

#[test]
fn duplicates_are_indexed_once() {
    let env = TestEnv::new();
    let text = article_json(
        "Ceasefire holds",
        "Both sides kept to the truce.",
        "2021-05-21",
    );
    env.write("one/x.json", &text);
    env.write("two/y.json", &text);
    let (_, summary) = env.index_archive(&[]);
    assert_eq!(summary["articles_indexed"], 1);
    assert_eq!(summary["articles_duplicate"], 1);
    assert_eq!(env.search_json(&["truce"])["total"], 1);
    // One copy gone: the article stays; both gone: it goes.
    std::fs::remove_dir_all(env.archive().join("one")).unwrap();
    let (_, after) = env.index_archive(&["--prune"]);
    assert_eq!(after["articles_total"], 1);
    std::fs::remove_dir_all(env.archive().join("two")).unwrap();
    let (_, after) = env.index_archive(&["--prune"]);
    assert_eq!(after["articles_total"], 0);
}

#[test]
fn second_writer_gets_a_clear_error() {
    let env = TestEnv::new();
    env.write(
        "a.json",
        article_json("Title", "Body text here.", "2020-01-01"),
    );
    let news = newsdex::index::NewsIndex::open_or_create(&env.index()).unwrap();
    let _writer = newsdex::index::writer::Writer::open(&news, 1, 64).unwrap();
    let run = env.run(&["index", env.archive().to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("locked by another newsdex process"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn bad_input_is_reported_and_the_rest_indexed() {
    let env = TestEnv::new();
    env.copy(&fixture("bad"), "bad");
    env.write(
        "good.json",
        article_json("Good article", "Readable text survives.", "2020-02-02"),
    );
    #[cfg(unix)]
    let unreadable = {
        use std::os::unix::fs::PermissionsExt;
        let path = env.write("locked.txt", "Secret title\n\nA body nobody may read.");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
        // Root reads anything: then the file is simply indexed.
        std::fs::read(&path).is_err()
    };
    let (run, summary) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 1, "some inputs failed, so exit 1: {}", run.stderr);
    assert!(summary["files_failed"].as_u64().unwrap() >= 3, "{summary}");
    assert!(
        summary["records_failed"].as_u64().unwrap() >= 1,
        "{summary}"
    );
    for line in run.stderr.lines().filter(|l| l.starts_with("newsdex: ")) {
        assert!(
            line.contains("/archive/"),
            "error line does not name the file: {line}"
        );
    }
    #[cfg(unix)]
    if unreadable {
        assert!(run.stderr.contains("locked.txt"), "{}", run.stderr);
    }
    assert_eq!(env.search_json(&["readable"])["total"], 1);
    // Invalid UTF-8 is decoded (Windows-1252), never dropped.
    let all = env.run(&["search", "", "--format", "ids", "--limit", "1000"]);
    let decoded = all.stdout.lines().any(|id| {
        env.run(&["show", id, "--format", "json"])
            .stdout
            .contains('£')
    });
    assert!(decoded, "no article kept its pound sign");
}

#[cfg(unix)]
#[test]
fn killed_run_leaves_a_usable_index() {
    let env = TestEnv::new();
    for i in 0..400 {
        let lines: Vec<String> = (0..25)
            .map(|j| {
                article_json(
                    &format!("Report {i}-{j}"),
                    &format!("Dispatch number {i} {j} from the field."),
                    "2020-03-01",
                )
            })
            .collect();
        env.write(&format!("batch/{i:03}.jsonl"), lines.join("\n"));
    }
    let mut child = env
        .command()
        .args([
            "index",
            "--quiet",
            "--no-entities",
            "--threads",
            "2",
            "--commit-every",
            "500",
        ])
        .arg(env.archive())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
    // Whatever was committed is searchable.
    let count = env.run(&["search", "--count", "dispatch"]);
    assert!(count.code == 0 || count.code == 1, "{}", count.stderr);
    // A second run completes the work without duplicates.
    let (run, summary) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(summary["articles_total"], 10_000);
    let ids = env.run(&["search", "dispatch", "--format", "ids", "--limit", "20000"]);
    let unique: HashSet<&str> = ids.stdout.lines().collect();
    assert_eq!(unique.len(), 10_000);
}
