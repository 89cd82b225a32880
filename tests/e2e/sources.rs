//! Sources (issue 18, item 6): a folder's source named once with
//! `index DIR --source NAME` and remembered, a source from a URL.

use crate::env::{TestEnv, fixture, shared};

fn sources_of(env: &TestEnv) -> Vec<(String, String)> {
    let out = env.search_json(&["", "--limit", "100"]);
    let mut rows: Vec<(String, String)> = out["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let path = h["path"].as_str().unwrap();
            let name = path.rsplit('/').next().unwrap().to_string();
            (name, h["source"].as_str().unwrap_or_default().to_string())
        })
        .collect();
    rows.sort();
    rows
}

/// `newsdex index FOLDER --source NAME`.
fn name_source(env: &TestEnv, folder: &std::path::Path, name: &str) {
    let folder = folder.to_str().unwrap();
    let run = env.run(&["index", "--no-entities", "--source", name, folder]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_folder_source_is_named_once_and_remembered() {
    let env = TestEnv::new();
    env.copy(&fixture("formats/article.txt"), "bbc/business/article.txt");
    env.copy(&fixture("formats/articles.jsonl"), "feeds/articles.jsonl");
    env.write(
        "feeds/page.json",
        r#"{"title": "Harbour reopens", "text": "The harbour reopened on Monday.", "url": "https://www.example-news.org/2020/harbour"}"#,
    );
    let bbc = env.archive().join("bbc");
    name_source(&env, &bbc, "BBC News");
    let (run, _) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = sources_of(&env);
    let source = |name: &str| rows.iter().find(|(n, _)| n == name).unwrap().1.clone();
    assert_eq!(source("article.txt"), "BBC News");
    // Named in the file: kept. From its address: the site.
    assert!(
        rows.contains(&("articles.jsonl".into(), "Coast News".into())),
        "{rows:?}"
    );
    assert_eq!(source("page.json"), "example-news.org");
    assert_eq!(env.search_json(&["--source", "BBC News"])["total"], 1);

    // A later run without --source gives a new file the folder's source.
    env.copy(&fixture("formats/scraped.txt"), "bbc/tech/scraped.txt");
    let (run, _) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(env.search_json(&["--source", "bbc"])["total"], 2);

    // Renamed: the folder's files are read again.
    name_source(&env, &bbc, "British Broadcasting");
    assert_eq!(env.search_json(&["--source", "british"])["total"], 2);
    assert_eq!(env.search_json(&["--source", "BBC News"])["total"], 0);
    // Part of a source's name finds it; a word of none finds nothing.
    assert_eq!(env.search_json(&["--source", "broadcasting"])["total"], 2);
    assert_eq!(env.search_json(&["--source", "broad"])["total"], 0);
    // The file that remembers it is the index's own.
    let check = env.run(&["check"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
}

#[test]
#[cfg_attr(not(shared_corpora), ignore = "needs ../shared/ beside the checkout")]
fn bbc_files_get_the_source_the_user_names() {
    let bbc = shared("corpora/bbc");
    let env = TestEnv::new();
    for n in 1..=5 {
        let name = format!("politics/{n:03}.txt");
        env.copy(&bbc.join(&name), &format!("bbc/{name}"));
    }
    env.copy(&bbc.join("README.TXT"), "bbc/README.TXT");
    let (run, summary) = env.index_archive(&["--no-entities", "--source", "BBC News"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(summary["files_skipped"], 1, "{summary}");
    assert_eq!(env.search_json(&["--source", "bbc"])["total"], 5);
}
