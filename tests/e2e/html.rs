//! Saved web pages: the article a reader sees, its metadata, charsets, and
//! broken pages.

use crate::env::{TestEnv, fixture, shared};

#[test]
fn web_pages_index_their_article_not_the_page_furniture() {
    let env = TestEnv::new();
    env.copy(&fixture("html"), "pages");
    // A Windows-1252 page that says so.
    let mut latin = b"<html><head><meta charset=\"windows-1252\"><title>Caf\xe9 prices | Town Crier</title></head><body><article><h1>Caf\xe9 prices rise</h1>".to_vec();
    latin.extend_from_slice(b"<p>A cup of coffee at the caf\xe9 on the square now costs \xa33, the owner said on Monday, blaming the price of milk and of the beans themselves.</p>");
    latin.extend_from_slice(b"<p>Regulars said they would keep coming, because nowhere else in town opens before seven in the morning.</p></article></body></html>");
    env.write("pages/latin.htm", latin);
    // Binary bytes named .html.
    env.write(
        "pages/broken.html",
        b"\x00\x01\x02PK\x03\x04 not a page \x00\x00",
    );
    let (run, summary) = env.index_archive(&["--no-entities"]);
    assert_eq!(
        run.code, 1,
        "the broken page fails, the rest is indexed: {}",
        run.stderr
    );
    assert!(run.stderr.contains("broken.html"), "{}", run.stderr);
    assert_eq!(summary["articles_total"], 3);

    let story = env.search_json(&["title:\"lighthouse keeper retires after forty years\""]);
    assert_eq!(story["total"], 1);
    let id = story["hits"][0]["id"].as_str().unwrap();
    let article = env.run(&["show", id, "--format", "json"]).json();
    assert_eq!(article["format"], "html");
    assert_eq!(article["published"], "2021-03-04T09:30:00Z");
    assert_eq!(article["authors"], serde_json::json!(["Mara Quill"]));
    assert_eq!(
        article["url"],
        "https://coastal.example/news/lighthouse-keeper"
    );
    assert_eq!(article["not_article"], false);
    assert_eq!(
        article["captions"],
        serde_json::json!(["The lighthouse at dusk, seen from the harbour wall."])
    );
    let body = article["body"].as_str().unwrap();
    assert!(body.contains("one hundred and twelve steps"));
    assert!(body.contains("This is the last paragraph of the story."));
    // Furniture is not indexed: cookie banner, related stories, comments,
    // newsletter box, footer.
    for furniture in [
        "cookies",
        "\"harbour wall to be repaired\"",
        "\"grey morning\"",
        "newsletter",
        "\"all rights reserved\"",
    ] {
        let hits = env.search_json(&[furniture]);
        assert!(
            hits["hits"]
                .as_array()
                .unwrap()
                .iter()
                .all(|h| h["id"] != id),
            "{furniture} is indexed with the story"
        );
    }
    // The charset was honoured.
    let cafe = env.search_json(&["café"]);
    assert_eq!(cafe["total"], 1);
    let shown = env
        .run(&[
            "show",
            cafe["hits"][0]["id"].as_str().unwrap(),
            "--format",
            "json",
        ])
        .json();
    assert!(
        shown["body"].as_str().unwrap().contains("costs £3"),
        "{shown}"
    );
    // A page that is not an article still indexes its text, flagged.
    let index_page = env.search_json(&["title:gazette"]);
    let flagged: Vec<bool> = index_page["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            env.run(&["show", h["id"].as_str().unwrap(), "--format", "json"])
                .json()["not_article"]
                == true
        })
        .collect();
    assert!(
        flagged.contains(&true),
        "the index page is not flagged: {index_page}"
    );
}

#[test]
#[cfg_attr(not(shared_corpora), ignore = "needs ../shared/ beside the checkout")]
fn readability_pages_index_with_their_titles() {
    let pages = shared("html/mozilla-readability/test-pages");
    let env = TestEnv::new();
    let mut expected = Vec::new();
    for name in [
        "aclu",
        "ars-1",
        "bbc-1",
        "guardian-1",
        "nytimes-1",
        "wapo-1",
    ] {
        let dir = pages.join(name);
        env.copy(&dir.join("source.html"), &format!("pages/{name}.html"));
        let meta: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join("expected-metadata.json")).unwrap(),
        )
        .unwrap();
        expected.push((name, meta["title"].as_str().unwrap_or_default().to_string()));
    }
    let (run, summary) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        summary["articles_indexed"].as_u64().unwrap(),
        expected.len() as u64
    );
    let all = env
        .run(&["search", "", "--all", "--format", "jsonl"])
        .jsonl();
    let matched = expected
        .iter()
        .filter(|(name, title)| {
            all.iter().any(|h| {
                h["path"]
                    .as_str()
                    .unwrap()
                    .ends_with(&format!("{name}.html"))
                    && h["title"] == title.as_str()
            })
        })
        .count();
    assert!(
        matched * 10 >= expected.len() * 8,
        "only {matched} of {} titles match",
        expected.len()
    );
}
