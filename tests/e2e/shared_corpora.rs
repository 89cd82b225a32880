//! Slices of the real corpora in `../shared/` (skipped when absent).

use crate::env::{TestEnv, shared};

#[test]
#[cfg_attr(not(shared_corpora), ignore = "needs ../shared/ beside the checkout")]
fn bbc_slice_indexes_with_latin1_intact() {
    let bbc = shared("corpora/bbc");
    let env = TestEnv::new();
    for topic in ["business", "sport"] {
        for n in 190..=210 {
            let name = format!("{topic}/{n:03}.txt");
            env.copy(&bbc.join(&name), &format!("bbc/{name}"));
        }
    }
    let (run, summary) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        summary["articles_indexed"].as_u64().unwrap()
            + summary["articles_duplicate"].as_u64().unwrap(),
        42
    );
    // sport/199.txt holds one Latin-1 byte: a pound sign.
    let hits = env.search_json(&["--limit", "50", ""]);
    let path = hits["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["path"].as_str().unwrap().ends_with("sport/199.txt"))
        .expect("sport/199.txt indexed");
    let shown = env
        .run(&["show", path["id"].as_str().unwrap(), "--format", "json"])
        .json();
    let text = format!("{} {}", shown["title"], shown["body"]);
    assert!(text.contains('£'), "pound sign lost: {text}");
    // The BBC shape: title line, then paragraphs.
    let first = std::fs::read_to_string(bbc.join("business/190.txt")).unwrap();
    let title = first.lines().next().unwrap().trim();
    assert_eq!(
        env.search_json(&[&format!("title:\"{title}\"")])["hits"][0]["title"],
        title
    );
}

#[test]
#[cfg_attr(not(shared_corpora), ignore = "needs ../shared/ beside the checkout")]
fn reuters_file_indexes_every_record() {
    let reuters = shared("corpora/reuters21578/reut2-000.sgm");
    let env = TestEnv::new();
    env.copy(&reuters, "reuters/reut2-000.sgm");
    let (run, summary) = env.index_archive(&["--no-entities"]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let total = summary["articles_total"].as_u64().unwrap();
    assert!(total >= 950, "only {total} of ~1000 records indexed");
    let stats = env.run(&["stats", "--json"]).json();
    assert!(
        stats["earliest"].as_str().unwrap().starts_with("1987-"),
        "{stats}"
    );
    assert_eq!(stats["sources"][0][0], "reuters");
    // Editors' codes are stored tags, searchable exactly.
    let cocoa = env.search_json(&["tags:\"topics:cocoa\""]);
    assert!(cocoa["total"].as_u64().unwrap() >= 1, "{cocoa}");
}
