//! Entity filters, forgiving names, facet counts, entities, batch, related:
//! on the seed and the bundled public-domain sample, with entities extracted.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::env::{TestEnv, assert_valid, fixture, repo};

/// One index of the seed article and `data/sample`, shared by these tests
/// (read-only after it is built).
fn env() -> &'static TestEnv {
    static ENV: OnceLock<TestEnv> = OnceLock::new();
    ENV.get_or_init(|| {
        let env = TestEnv::new();
        env.copy(
            &fixture("seed/iraq-us-airstrikes.txt"),
            "seed/iraq-us-airstrikes.txt",
        );
        env.copy(&repo().join("data/sample"), "sample");
        let (run, summary) = env.index_archive(&[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            summary["articles_total"].as_u64().unwrap() >= 40,
            "{summary}"
        );
        env
    })
}

fn total(args: &[&str]) -> u64 {
    let out = env().search_json(args);
    out["total"].as_u64().unwrap_or_else(|| panic!("{out}"))
}

#[test]
fn person_filter_with_forgiving_names() {
    assert_eq!(total(&["--person", "Abu Mahdi al-Muhandis"]), 1);
    for spelling in [
        "muhandis",
        "AL-MUHANDIS",
        "abu mahdi muhandis",
        "Muhandis Abu Mahdi",
        "al muhandis",
    ] {
        let out = env().search_json(&["--person", spelling]);
        assert_eq!(out["total"], 1, "{spelling}");
        assert_eq!(
            out["filters"]["persons"][0]["name"], "Abu Mahdi al-Muhandis",
            "{spelling}"
        );
    }
    assert_valid(
        "search-output.schema.json",
        &env().search_json(&["--person", "muhandis", "--facets"]),
    );
}

#[test]
fn ambiguous_and_unknown_names_explain_themselves() {
    let ambiguous = env().run(&["search", "--person", "mahdi"]);
    assert_eq!(ambiguous.code, 1);
    assert!(
        ambiguous.stderr.contains("ambiguous"),
        "{}",
        ambiguous.stderr
    );
    assert!(
        ambiguous.stderr.contains("Adel Abdel Mahdi (1 articles)"),
        "{}",
        ambiguous.stderr
    );
    assert!(
        ambiguous.stderr.contains("Abu Mahdi al-Muhandis"),
        "{}",
        ambiguous.stderr
    );
    assert!(ambiguous.stdout.is_empty());
    let unknown = env().run(&["search", "--person", "Muhandes"]);
    assert_eq!(unknown.code, 1);
    assert!(
        unknown.stderr.contains("no person called \"Muhandes\""),
        "{}",
        unknown.stderr
    );
    assert!(
        unknown.stderr.contains("Abu Mahdi al-Muhandis"),
        "nearest names: {}",
        unknown.stderr
    );
}

#[test]
fn place_filter_includes_places_inside() {
    // The seed mentions Basra; a filter on Iraq must find it too.
    let basra = env().search_json(&["--place", "basra"]);
    assert!(basra["total"].as_u64().unwrap() >= 1);
    let iraq_ids = ids(&["--place", "Iraq"]);
    for id in ids(&["--place", "basra"]) {
        assert!(
            iraq_ids.contains(&id),
            "{id} mentions Basra but not found under Iraq"
        );
    }
    // Combined filters: all must hold.
    let both = total(&[
        "--person",
        "muhandis",
        "--place",
        "Iraq",
        "--org",
        "Kataib Hezbollah",
    ]);
    assert_eq!(both, 1);
    assert_eq!(total(&["--person", "muhandis", "--place", "France"]), 0);
}

fn ids(args: &[&str]) -> Vec<String> {
    let mut all = vec!["search", "--all", "--format", "ids"];
    all.extend_from_slice(args);
    env().run(&all).stdout.lines().map(str::to_string).collect()
}

#[test]
fn filters_inside_the_query_string() {
    let out = env().search_json(&[r#"person:"Abu Mahdi al-Muhandis" place:Iraq airstrikes"#]);
    assert_eq!(out["total"], 1);
    assert_eq!(out["filters"]["places"][0]["name"], "Iraq");
    assert_eq!(
        total(&["place:Iraq org:\"islamic state\""]),
        total(&["--place", "iraq", "--org", "Islamic State"])
    );
}

#[test]
fn facet_counts_match_an_independent_count() {
    let out = env().search_json(&["--facets", "--facet-limit", "50", "--limit", "0"]);
    // Count independently from every hit's own entity lists.
    let hits = env().run(&["search", "--all", "--format", "jsonl"]).jsonl();
    assert_eq!(hits.len() as u64, out["total"].as_u64().unwrap());
    let mut countries: HashMap<String, u64> = HashMap::new();
    let mut persons: HashMap<String, u64> = HashMap::new();
    for hit in &hits {
        let mut seen: Vec<String> = hit["places"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().split(" / ").next().unwrap().to_string())
            .collect();
        seen.sort();
        seen.dedup();
        for country in seen {
            *countries.entry(country).or_default() += 1;
        }
        for person in hit["persons"].as_array().unwrap() {
            *persons
                .entry(person.as_str().unwrap().to_string())
                .or_default() += 1;
        }
    }
    let facets = &out["facets"];
    assert!(!facets["place"].as_array().unwrap().is_empty());
    for entry in facets["place"].as_array().unwrap() {
        let value = entry["value"].as_str().unwrap();
        assert_eq!(
            entry["articles"].as_u64(),
            countries.get(value).copied(),
            "place {value}"
        );
    }
    for entry in facets["person"].as_array().unwrap() {
        let value = entry["value"].as_str().unwrap();
        assert_eq!(
            entry["articles"].as_u64(),
            persons.get(value).copied(),
            "person {value}"
        );
    }
}

#[test]
fn entities_listing_drill_down_and_cooccurrence() {
    let list = env()
        .run(&["entities", "--type", "place", "--format", "json"])
        .json();
    assert_valid("entities-output.schema.json", &list);
    let names: Vec<&str> = list["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Iraq") && names.contains(&"Syria"),
        "{names:?}"
    );

    let within = env()
        .run(&[
            "entities", "--type", "place", "--within", "Iraq", "--format", "json",
        ])
        .json();
    let inside: Vec<&str> = within["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert!(
        inside.iter().all(|n| n.starts_with("Iraq / ")),
        "{inside:?}"
    );
    assert!(inside.iter().any(|n| n.ends_with("Baghdad")), "{inside:?}");

    let orgs = env()
        .run(&[
            "entities",
            "--type",
            "org",
            "--with-person",
            "muhandis",
            "--format",
            "json",
        ])
        .json();
    let beside: Vec<&str> = orgs["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert!(beside.contains(&"Kataib Hezbollah"), "{beside:?}");
    assert_eq!(orgs["articles"], 1);

    let matched = env()
        .run(&["entities", "--match", "muhand", "--format", "jsonl"])
        .jsonl();
    assert_eq!(matched.len(), 1);
    assert_eq!(matched[0]["name"], "Abu Mahdi al-Muhandis");
    assert_eq!(matched[0]["type"], "person");
    let none = env().run(&["entities", "--match", "zzzzqqq"]);
    assert_eq!(none.code, 1);
}

#[test]
fn batch_in_jsonl_and_csv() {
    let batch = env().dir.path().join("names.txt");
    std::fs::write(
        &batch,
        "# one query per line\nSyria\n{\"query\": \"\", \"person\": [\"muhandis\"]}\n{\"query\": \"coalition\", \"place\": [\"Syria\"], \"limit\": 3}\nzeppelinzzz\n{\"person\": [\"nobody at all\"]}\n",
    )
    .unwrap();
    let run = env().run(&["search", "--batch", batch.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.jsonl();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["total"].as_u64(), Some(total(&["Syria"])));
    assert_eq!(lines[1]["total"], 1);
    assert!(lines[2]["hits"].as_array().unwrap().len() <= 3);
    assert_eq!(lines[3]["total"], 0);
    assert!(
        lines[4]["error"]
            .as_str()
            .unwrap()
            .contains("no person called")
    );
    for line in &lines[..4] {
        assert_valid("search-output.schema.json", line);
    }
    // CSV: one row per (query, article), with the query first.
    let csv_run = env().run(&[
        "search",
        "--batch",
        batch.to_str().unwrap(),
        "--format",
        "csv",
        "--limit",
        "100",
    ]);
    let mut reader = csv::Reader::from_reader(csv_run.stdout.as_bytes());
    assert_eq!(&reader.headers().unwrap()[0], "query");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let syria_rows = rows.iter().filter(|r| &r[0] == "Syria").count() as u64;
    assert_eq!(syria_rows, total(&["Syria"]).min(100));
    // From stdin.
    let mut child = env()
        .command()
        .args(["search", "--batch", "-", "--format", "jsonl"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Iraq\nSyria\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 2);
}

#[test]
fn all_streams_every_match_and_count_agrees() {
    let counted: u64 = env()
        .run(&["search", "--count", "--place", "Syria"])
        .stdout
        .trim()
        .parse()
        .unwrap();
    let streamed = ids(&["--place", "Syria", "--limit", "2"]);
    assert_eq!(streamed.len() as u64, counted);
    assert!(counted > 2);
}

#[test]
fn histogram_and_related() {
    let out = env().search_json(&["--histogram", "year", "--limit", "0"]);
    let histogram = &out["histogram"];
    let bucketed: u64 = histogram["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["articles"].as_u64().unwrap())
        .sum();
    assert_eq!(
        bucketed + histogram["undated"].as_u64().unwrap(),
        out["total"].as_u64().unwrap()
    );
    let text = env().run(&["search", "--histogram", "month"]);
    assert!(text.stdout.contains("published"), "{}", text.stdout);

    let seed = &env().search_json(&["--person", "muhandis"])["hits"][0];
    let id = seed["id"].as_str().unwrap();
    let related = env().run(&["related", id, "--format", "json"]).json();
    let related_ids: Vec<&str> = related["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert!(!related_ids.is_empty());
    assert!(
        !related_ids.contains(&id),
        "an article is not related to itself"
    );
    assert_eq!(env().run(&["related", "ffffffffffffffff"]).code, 1);
}
