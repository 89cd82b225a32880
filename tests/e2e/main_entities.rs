//! `--main`: entity filters and counts over the articles each entity is
//! about, every mention still searchable; `main` lists in JSON hits.

use crate::env::{TestEnv, assert_valid};

const ARTICLES: &str = r#"[
  {
    "title": "Norway raises oil output",
    "text": [
      "Norway raised its oil output in March, the energy ministry in Oslo said.",
      "Output from the North Sea fields rose by a tenth.",
      "Some of the extra oil will be sold to Japan, traders said."
    ],
    "date": "2021-03-02"
  },
  {
    "title": "Trade surplus widens",
    "text": [
      "Japan's trade surplus widened in February as exports of cars rose.",
      "Economists said exports from Japan would slow later in the year."
    ],
    "date": "2021-03-03"
  }
]"#;

fn env() -> TestEnv {
    let env = TestEnv::new();
    env.write("wire/articles.json", ARTICLES);
    let (run, _) = env.index_archive(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    env
}

#[test]
fn main_restricts_filters_and_counts_to_what_articles_are_about() {
    let env = env();
    let total = |args: &[&str]| env.search_json(args)["total"].as_u64().unwrap();
    // Every mention stays searchable...
    assert_eq!(total(&["--place", "Japan"]), 2);
    // ...and --main keeps the article about Japan, not the one naming it once.
    assert_eq!(total(&["--place", "Japan", "--main"]), 1);
    assert_eq!(total(&["--place", "Norway", "--main"]), 1);

    let out = env.search_json(&["--place", "Japan", "--main", "--facet", "place"]);
    assert_eq!(out["filters"]["main"], true, "{out}");
    assert_eq!(out["hits"][0]["title"], "Trade surplus widens", "{out}");
    assert_eq!(out["hits"][0]["main"]["places"][0], "Japan", "{out}");
    assert_valid("search-output.schema.json", &out);
    let places: Vec<&str> = out["facets"]["place"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["value"].as_str().unwrap())
        .collect();
    assert_eq!(places, ["Japan"], "{out}");

    let counts = |main: bool| {
        let mut args = vec!["entities", "--type", "place", "--format", "json"];
        if main {
            args.push("--main");
        }
        let run = env.run(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let list = run.json();
        assert_valid("entities-output.schema.json", &list);
        list["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["name"].as_str().unwrap().to_string(),
                    v["articles"].as_u64().unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert!(counts(false).contains(&("Japan".to_string(), 2)));
    assert!(counts(true).contains(&("Japan".to_string(), 1)));
}
