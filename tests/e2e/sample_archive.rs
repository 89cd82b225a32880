//! The bundled `data/sample` archive: what a new user's first run shows.

use crate::env::{TestEnv, repo};

#[test]
fn sample_indexes_cleanly_with_dates_and_several_formats() {
    let env = TestEnv::new();
    env.copy(&repo().join("data/sample"), "sample");
    let (run, summary) = env.index_archive(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for failed in ["files_failed", "records_failed", "files_skipped"] {
        assert_eq!(summary[failed], 0, "{failed}: {summary}");
    }
    let total = summary["articles_total"].as_u64().unwrap();
    assert!(total >= 40, "{summary}");
    // Only dates the text itself states are recorded (data/README.md).
    let dated = total - summary["articles_without_date"].as_u64().unwrap();
    assert!(dated >= 12, "{dated} of {total} dated: {summary}");

    let stats = env.run(&["stats", "--json"]).json();
    let formats = stats["formats"].as_array().unwrap();
    assert!(formats.len() >= 3, "{stats}");
    assert_eq!(stats["earliest"], "2015-10-27T00:00:00Z", "{stats}");
    assert_eq!(stats["latest"], "2016-12-26T00:00:00Z", "{stats}");

    // The date read from the HTML page's article:published_time, which the
    // text supports with "On Monday, Dec. 26".
    let hit = env.search_json(&["--person", "Abu Jandal al-Kuwaiti"]);
    assert_eq!(hit["total"], 1, "{hit}");
    assert_eq!(hit["hits"][0]["date"], "2016-12-26T00:00:00Z", "{hit}");
    assert_eq!(hit["hits"][0]["title"], "Death of Abu Jandal al-Kuwaiti");
}
