//! Archive-level canonical entities, name resolution that says what it did,
//! and the user's alias edits, on an archive of short news articles in the
//! shape of the BBC corpus (title, blank line, paragraphs).

use crate::env::{Run, TestEnv, assert_valid};

/// Writes one BBC-shaped article.
fn article(env: &TestEnv, name: &str, title: &str, body: &str) {
    env.write(&format!("{name}.txt"), format!("{title}\n\n{body}\n"));
}

/// An archive where "Blair" alone is Tony Blair's surname, two Bakers
/// compete for "Baker", General Motors is written with and without "Corp"
/// and the National Union of Mineworkers also as "NUM".
fn archive() -> TestEnv {
    let env = TestEnv::new();
    for i in 1..=6 {
        article(
            &env,
            &format!("blair-full-{i}"),
            &format!("Blair meets union leaders over pensions {i}"),
            &format!(
                "Prime Minister Tony Blair met union leaders in London on Monday to discuss pension reform, round {i}. \
                 Tony Blair told the Trades Union Congress that the government would listen."
            ),
        );
    }
    for i in 1..=2 {
        article(
            &env,
            &format!("blair-bare-{i}"),
            &format!("Pensions row deepens {i}"),
            &format!(
                "Mr Blair said on Tuesday that the reforms would go ahead despite opposition from the unions in Birmingham, day {i}. \
                 Blair added that he expected an agreement before the summer."
            ),
        );
    }
    for i in 1..=3 {
        article(
            &env,
            &format!("james-baker-{i}"),
            &format!("Baker visits Moscow {i}"),
            &format!(
                "Secretary of State James Baker arrived in Moscow on Thursday for talks with Soviet leaders, visit {i}."
            ),
        );
        article(
            &env,
            &format!("howard-baker-{i}"),
            &format!("Baker joins White House {i}"),
            &format!(
                "Howard Baker became White House chief of staff on Friday, replacing Donald Regan after {i} years."
            ),
        );
    }
    article(
        &env,
        "baker-bare-1",
        "Talks continue",
        "Baker said the talks had been useful and would continue next month in Geneva.",
    );
    for i in 1..=10 {
        article(
            &env,
            &format!("gm-corp-{i}"),
            &format!("Carmaker lifts forecast {i}"),
            &format!(
                "General Motors Corp said on Monday that sales of its trucks rose {i} percent in the quarter, helped by strong demand in Detroit. \
                 General Motors Corp shares rose in New York trading."
            ),
        );
    }
    for i in 1..=2 {
        article(
            &env,
            &format!("gm-{i}"),
            &format!("Strike ends {i}"),
            &format!(
                "General Motors said the strike at its plant in Ohio had ended after {i} weeks of talks with the union."
            ),
        );
    }
    article(
        &env,
        "ge-1",
        "Jobs cut at plant",
        "General Electric Co said on Wednesday it would cut 200 jobs at its turbine plant in Ohio.",
    );
    for i in 1..=3 {
        article(
            &env,
            &format!("num-{i}"),
            &format!("Miners vote {i}"),
            &format!(
                "The National Union of Mineworkers voted on Sunday to hold a ballot on strike action over pit closures in Yorkshire, round {i}."
            ),
        );
    }
    article(
        &env,
        "num-acronym",
        "Pit talks",
        "The NUM said on Monday that talks with the Coal Board had broken down in Sheffield.",
    );
    let (run, summary) = env.index_archive(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(summary["values_merged"].as_u64().unwrap() >= 2, "{summary}");
    env
}

fn ids(run: &Run) -> Vec<String> {
    let mut ids: Vec<String> = run.stdout.lines().map(str::to_string).collect();
    ids.sort();
    ids
}

/// `entities --type T --format json` as (name, articles, aliases).
fn entities(env: &TestEnv, kind: &str) -> Vec<(String, u64, Vec<String>)> {
    let run = env.run(&[
        "entities", "--type", kind, "--top", "50", "--format", "json",
    ]);
    assert_valid("entities-output.schema.json", &run.json());
    run.json()["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let aliases = v["aliases"]
                .as_array()
                .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
                .unwrap_or_default();
            (
                v["name"].as_str().unwrap().to_string(),
                v["articles"].as_u64().unwrap(),
                aliases,
            )
        })
        .collect()
}

fn articles_of(values: &[(String, u64, Vec<String>)], name: &str) -> Option<u64> {
    values.iter().find(|v| v.0 == name).map(|v| v.1)
}

#[test]
fn surnames_and_acronyms_merge_across_the_archive() {
    let env = archive();
    let auto = std::fs::read_to_string(env.index().join("aliases-auto.tsv")).unwrap();
    assert!(auto.contains("merge\tperson\tBlair\tTony Blair"), "{auto}");
    assert!(
        auto.contains("merge\torg\tNUM\tNational Union of Mineworkers"),
        "{auto}"
    );
    assert!(
        !auto.contains("person\tBaker\t"),
        "two Bakers compete:\n{auto}"
    );
    let persons = entities(&env, "person");
    assert_eq!(articles_of(&persons, "Tony Blair"), Some(8), "{persons:?}");
    assert_eq!(articles_of(&persons, "Blair"), None, "{persons:?}");
    let blair = persons.iter().find(|v| v.0 == "Tony Blair").unwrap();
    assert_eq!(blair.2, ["Blair"]);
    let orgs = entities(&env, "org");
    assert_eq!(articles_of(&orgs, "National Union of Mineworkers"), Some(4));
    assert_eq!(articles_of(&orgs, "NUM"), None);
    // "General Motors Corp" and "General Motors" are one value (the
    // extractor already drops the legal form; the table merges the rest).
    assert_eq!(articles_of(&orgs, "General Motors"), Some(12), "{orgs:?}");
    assert_eq!(articles_of(&orgs, "General Motors Corp"), None, "{orgs:?}");
    // Hit entity lists say the canonical name.
    let hits = env.search_json(&["pensions row", "--limit", "5"]);
    for hit in hits["hits"].as_array().unwrap() {
        assert_eq!(hit["persons"], serde_json::json!(["Tony Blair"]), "{hit}");
    }
    // Facet counts too.
    let facets = env.search_json(&["--facet", "person", "--limit", "0"]);
    let top = &facets["facets"]["person"][0];
    assert_eq!(top["value"], "Tony Blair");
    assert_eq!(top["articles"], 8);
    // And a filter by the acronym finds the expansion's articles.
    let num = env.run(&["search", "--org", "NUM", "--format", "ids"]);
    assert_eq!(num.code, 0, "{}", num.stderr);
    assert_eq!(num.stdout.lines().count(), 4);
}

#[test]
fn resolution_says_which_value_it_used_and_refuses_when_names_compete() {
    let env = archive();
    let run = env.run(&["search", "--person", "Blair", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("person \"Blair\" → Tony Blair (8 articles"),
        "{}",
        run.stderr
    );
    let json = run.json();
    assert_valid("search-output.schema.json", &json);
    assert_eq!(json["total"], 8);
    assert_eq!(json["filters"]["notes"][0]["used"], "Tony Blair");
    assert_eq!(json["filters"]["persons"][0]["aliases"][0], "Blair");
    // "General" is part of two names; one has 12 of the 13 articles.
    let run = env.run(&[
        "search", "--org", "general", "--format", "ids", "--limit", "50",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 12);
    assert!(
        run.stderr.contains("at least 90% of the matches")
            && run.stderr.contains("also matched: General Electric"),
        "{}",
        run.stderr
    );
    // Two full names compete for "Baker": listed, exit 1.
    let run = env.run(&["search", "--person", "Baker"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("ambiguous")
            && run.stderr.contains("James Baker (3 articles)")
            && run.stderr.contains("Howard Baker (3 articles)"),
        "{}",
        run.stderr
    );
}

#[test]
fn alias_edits_apply_at_once_and_survive_reindexing() {
    let env = archive();
    let before = ids(&env.run(&[
        "search",
        "--person",
        "James Baker",
        "--format",
        "ids",
        "--limit",
        "50",
    ]));
    assert_eq!(before.len(), 3);
    // Merge: the bare surname joins James Baker.
    let run = env.run(&["alias", "merge", "--type", "person", "Baker", "James Baker"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let after = env.run(&[
        "search",
        "--person",
        "James Baker",
        "--format",
        "ids",
        "--limit",
        "50",
    ]);
    assert_eq!(after.stdout.lines().count(), 4, "{}", after.stderr);
    let persons = entities(&env, "person");
    assert_eq!(articles_of(&persons, "James Baker"), Some(4));
    assert_eq!(articles_of(&persons, "Baker"), None);
    // Rename: a new name, found by the old one too.
    let run = env.run(&["alias", "rename", "--type", "org", "NUM", "Miners' Union"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let orgs = entities(&env, "org");
    assert_eq!(articles_of(&orgs, "Miners' Union"), Some(4), "{orgs:?}");
    let run = env.run(&["search", "--org", "Mineworkers", "--format", "json"]);
    assert_eq!(run.json()["total"], 4, "{}", run.stderr);
    // Drop: gone from counts, hit lists and filters.
    let run = env.run(&["alias", "drop", "--type", "org", "White House"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(articles_of(&entities(&env, "org"), "White House"), None);
    let hits = env.search_json(&["chief of staff"]);
    for hit in hits["hits"].as_array().unwrap() {
        assert!(!hit["orgs"].to_string().contains("White House"), "{hit}");
    }
    assert_eq!(env.run(&["search", "--org", "White House"]).code, 1);
    // List, text and JSON (valid against its schema).
    let list = env.run(&["alias", "list"]);
    assert!(
        list.stdout.contains("merge   person Baker → James Baker"),
        "{}",
        list.stdout
    );
    let json = env
        .run(&["alias", "list", "--auto", "--format", "json"])
        .json();
    assert_valid("alias-list.schema.json", &json);
    assert_eq!(json["edits"].as_array().unwrap().len(), 3);
    assert!(json["automatic"].as_array().unwrap().len() >= 2);
    // The edits survive a re-run of `index` that adds an article.
    article(
        &env,
        "baker-bare-2",
        "Visit planned",
        "Baker told reporters in Washington that a visit was planned for the spring.",
    );
    let (run, _) = env.index_archive(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let persons = entities(&env, "person");
    assert_eq!(articles_of(&persons, "James Baker"), Some(5), "{persons:?}");
    assert_eq!(articles_of(&entities(&env, "org"), "White House"), None);
    // Remove undoes one edit.
    let run = env.run(&["alias", "remove", "--type", "org", "white house"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(articles_of(&entities(&env, "org"), "White House"), Some(3));
    assert_eq!(
        env.run(&["alias", "remove", "--type", "org", "white house"])
            .code,
        2
    );
}

#[test]
fn alias_errors_are_clear() {
    let env = archive();
    let run = env.run(&[
        "alias",
        "merge",
        "--type",
        "person",
        "Tony Blare",
        "Howard Baker",
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("no person called \"Tony Blare\"") && run.stderr.contains("Tony Blair"),
        "{}",
        run.stderr
    );
    let run = env.run(&[
        "alias",
        "merge",
        "--type",
        "person",
        "General Motors",
        "Howard Baker",
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("type mismatch"), "{}", run.stderr);
    assert_eq!(
        env.run(&[
            "alias",
            "merge",
            "--type",
            "person",
            "James Baker",
            "Howard Baker"
        ])
        .code,
        0
    );
    let run = env.run(&[
        "alias",
        "merge",
        "--type",
        "person",
        "Howard Baker",
        "James Baker",
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("merge cycle"), "{}", run.stderr);
    // The refused edit left the file as it was.
    let list = env.run(&["alias", "list", "--format", "json"]).json();
    assert_eq!(list["edits"].as_array().unwrap().len(), 1);
    // A hand edit that breaks the file names the line.
    std::fs::write(env.index().join("aliases.tsv"), "merge\tperson\tBaker\n").unwrap();
    let run = env.run(&["search", "--person", "Tony Blair"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("aliases.tsv:1: merge needs a target"),
        "{}",
        run.stderr
    );
}

#[test]
fn alias_export_import_round_trip() {
    let env = archive();
    for args in [
        &[
            "alias",
            "merge",
            "--type",
            "person",
            "Baker",
            "Howard Baker",
        ][..],
        &["alias", "drop", "--type", "org", "Coal Board"],
        &["alias", "rename", "--type", "org", "General Motors", "GM"],
    ] {
        let run = env.run(args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    }
    let file = env.dir.path().join("corrections.tsv");
    assert_eq!(
        env.run(&["alias", "export", file.to_str().unwrap()]).code,
        0
    );
    let exported = std::fs::read_to_string(&file).unwrap();
    assert!(exported.starts_with("# newsdex alias edits"), "{exported}");
    // A second index of the same archive takes the corrections.
    let other = TestEnv::new();
    crate::env::copy_tree(&env.archive(), &other.archive());
    let (run, _) = other.index_archive(&[]);
    assert_eq!(run.code, 0);
    assert_eq!(
        other.run(&["alias", "import", file.to_str().unwrap()]).code,
        0
    );
    let a = env.run(&["alias", "list", "--format", "json"]).json();
    let b = other.run(&["alias", "list", "--format", "json"]).json();
    assert_eq!(a, b);
    assert_eq!(entities(&env, "org"), entities(&other, "org"));
    assert_eq!(articles_of(&entities(&other, "org"), "GM"), Some(12));
    assert_eq!(
        articles_of(&entities(&other, "person"), "Howard Baker"),
        Some(4)
    );
}
