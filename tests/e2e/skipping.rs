//! What is not an article is skipped with a count, not indexed (issue 18,
//! items 1 and 2): notes, word lists, metadata sidecars, HTML fragments
//! beside their page, empty records; `--include` / `--exclude` override.

use crate::env::{TestEnv, fixture, shared};

/// A folder laid out as users keep them: a README, a word list, a saved
/// page with its extraction and metadata beside it, and two articles.
fn mixed_folder(env: &TestEnv) {
    env.copy(&fixture("html/news-article.html"), "pages/0001/source.html");
    env.write(
        "pages/0001/expected.html",
        "<div id=\"page\"><article><h2>Extracted</h2><p>The text of the page.</p></article></div>",
    );
    env.write(
        "pages/0001/expected-metadata.json",
        r#"{"title": "A saved page", "byline": "Staff", "excerpt": "What the page says."}"#,
    );
    env.write(
        "README.txt",
        "This folder holds the archive.\n\nEach story is one file; see the list of places.\n",
    );
    let places: String = ["afghanistan", "albania", "algeria", "andorra", "angola"]
        .iter()
        .cycle()
        .take(60)
        .enumerate()
        .map(|(i, p)| format!("{p}-{i}\n"))
        .collect();
    env.write("lists/all-places-strings.lc.txt", places);
    env.copy(&fixture("formats/article.txt"), "stories/article.txt");
    env.copy(&fixture("formats/article.json"), "stories/article.json");
}

fn paths(env: &TestEnv) -> Vec<String> {
    let run = env.run(&["search", "", "--format", "csv", "--limit", "100"]);
    run.stdout
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(6).unwrap_or_default().to_string())
        .collect()
}

#[test]
fn notes_word_lists_and_sidecars_are_skipped_and_counted() {
    let env = TestEnv::new();
    mixed_folder(&env);
    let (run, summary) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // README, word list, expected.html, expected-metadata.json.
    assert_eq!(summary["files_skipped"], 4, "{summary}");
    assert_eq!(summary["files_failed"], 0, "{summary}");
    let indexed = paths(&env);
    assert_eq!(indexed.len(), 3, "{indexed:?}");
    for kept in ["source.html", "article.txt", "article.json"] {
        assert!(indexed.iter().any(|p| p.ends_with(kept)), "{indexed:?}");
    }
    // The text summary names the count, with a space before it.
    let text = env.run(&["index", env.archive().to_str().unwrap()]);
    assert!(
        text.stderr.contains("files skipped (not an article)  4"),
        "{}",
        text.stderr
    );
}

#[test]
fn include_and_exclude_override_the_judgement() {
    let env = TestEnv::new();
    mixed_folder(&env);
    let (run, summary) = env.index_archive(&[
        "--no-entities",
        "--include",
        "README*",
        "--include",
        "lists/*.txt",
        "--exclude",
        "*.json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // expected.html, expected-metadata.json (excluded), article.json (excluded).
    assert_eq!(summary["files_skipped"], 3, "{summary}");
    let indexed = paths(&env);
    assert!(
        indexed.iter().any(|p| p.ends_with("README.txt")),
        "{indexed:?}"
    );
    assert!(
        indexed.iter().any(|p| p.ends_with(".lc.txt")),
        "{indexed:?}"
    );
    assert!(!indexed.iter().any(|p| p.ends_with(".json")), "{indexed:?}");
    // A later run without the globs takes the README back out (told by
    // its name; a word list is told when read, so it stays until it changes).
    let (run, summary) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(summary["articles_deleted"], 1, "{summary}");
    assert!(!paths(&env).iter().any(|p| p.ends_with("README.txt")));
    let bad = env.run(&["index", "--include", "a[", env.archive().to_str().unwrap()]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("--include \"a[\""), "{}", bad.stderr);
}

#[test]
fn an_empty_record_is_skipped_not_failed() {
    let env = TestEnv::new();
    env.write(
        "feed.jsonl",
        concat!(
            r#"{"title": "Oil output rises", "body": "Output rose.", "date": "1987-03-02"}"#,
            "\n",
            r#"{"url": "https://example.com/empty"}"#,
            "\n"
        ),
    );
    let (run, summary) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(summary["records_empty"], 1, "{summary}");
    assert_eq!(summary["records_failed"], 0, "{summary}");
    assert_eq!(summary["articles_indexed"], 1, "{summary}");
}

#[test]
#[cfg_attr(not(shared_corpora), ignore = "needs ../shared/ beside the checkout")]
fn reuters_folder_indexes_its_newswire_only_and_exits_0() {
    let reuters = shared("corpora/reuters21578");
    let env = TestEnv::new();
    for entry in std::fs::read_dir(&reuters).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        // The notes and lists, and the one file that holds an empty record.
        if !name.starts_with("reut2-") || name == "reut2-012.sgm" {
            env.copy(&reuters.join(&name), &format!("reuters/{name}"));
        }
    }
    let (run, summary) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // README.txt, the five word lists, lewis.dtd (by extension).
    assert_eq!(summary["files_skipped"], 7, "{summary}");
    // NEWID 12793 has neither title nor text.
    assert_eq!(summary["records_empty"], 1, "{summary}");
    let stats = env.run(&["stats", "--json"]).json();
    assert!(
        stats["earliest"].as_str().unwrap().starts_with("1987-"),
        "{stats}"
    );
    assert!(
        stats["latest"].as_str().unwrap().starts_with("1987-"),
        "{stats}"
    );
}
