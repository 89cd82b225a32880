//! Archive-level canonical entities, name resolution that says what it did,
//! and the user's alias edits, on an archive of short news articles in the
//! shape of the BBC corpus (title, blank line, paragraphs).

use std::collections::{BTreeMap, BTreeSet};

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

/// A bare "Hussein" in Amman stories (King Hussein of Jordan) beside Saddam
/// Hussein's Baghdad stories, in an archive large enough that Jordan and Iraq
/// are specific subjects (under 2% of its articles each).
#[test]
fn a_partial_name_about_other_things_stays_apart() {
    let env = TestEnv::new();
    for i in 1..=6 {
        article(
            &env,
            &format!("saddam-{i}"),
            &format!("Iraq rejects talks {i}"),
            &format!(
                "Iraqi President Saddam Hussein said in Baghdad on Monday that Iraq would fight on, statement {i}. \
                 Saddam Hussein spoke to the Revolutionary Command Council."
            ),
        );
    }
    for i in 1..=4 {
        article(
            &env,
            &format!("king-{i}"),
            &format!("Jordan hosts summit {i}"),
            &format!(
                "King Hussein said in Amman on Tuesday that Jordan wanted peace talks, meeting {i}. \
                 Hussein met Yasser Arafat of the Palestine Liberation Organisation."
            ),
        );
    }
    for i in 1..=240 {
        article(
            &env,
            &format!("markets-{i}"),
            &format!("Markets steady {i}"),
            &format!(
                "Shares in Tokyo closed higher on day {i} as the Nikkei gained, traders at Nomura Securities said."
            ),
        );
    }
    let (run, _) = env.index_archive(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let persons = entities(&env, "person");
    assert_eq!(articles_of(&persons, "Hussein"), Some(4), "{persons:?}");
    assert_eq!(
        articles_of(&persons, "Saddam Hussein"),
        Some(6),
        "{persons:?}"
    );
    let auto = std::fs::read_to_string(env.index().join("aliases-auto.tsv")).unwrap();
    assert!(!auto.contains("\tHussein\t"), "{auto}");
    // Two of the bare "Hussein" stories now name Baghdad: the context no
    // longer tells against the merge (2 of 4 telling articles agree).
    for i in 1..=2 {
        article(
            &env,
            &format!("king-{i}"),
            &format!("Hussein in Baghdad {i}"),
            &format!("Hussein said in Baghdad on Monday that Iraq would fight on, statement {i}."),
        );
    }
    let (run, _) = env.index_archive(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let auto = std::fs::read_to_string(env.index().join("aliases-auto.tsv")).unwrap();
    assert!(
        auto.contains("merge\tperson\tHussein\tSaddam Hussein\t")
            && auto.contains("context agrees in 2 of 4 telling articles"),
        "{auto}"
    );
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

/// Articles per value of a type, counted from the entity lists of every
/// hit (places at the country level, as facets count them).
fn counted_from_hits(hits: &serde_json::Value, kind: &str) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for hit in hits["hits"].as_array().unwrap() {
        let mut seen = BTreeSet::new();
        for value in hit[format!("{kind}s")].as_array().unwrap() {
            let value = value.as_str().unwrap();
            let value = if kind == "place" {
                value.split(" / ").next().unwrap()
            } else {
                value
            };
            if seen.insert(value.to_string()) {
                *counts.entry(value.to_string()).or_default() += 1;
            }
        }
    }
    counts
}

/// Facet counts of every article, as (value, articles).
fn facet_counts(env: &TestEnv, kind: &str) -> BTreeMap<String, u64> {
    let facets = env.search_json(&["", "--facet", kind, "--facet-limit", "1000", "--limit", "0"]);
    facets["facets"][kind]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["value"].as_str().unwrap().to_string(),
                v["articles"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Facet counts (aliases applied) agree with the hits' entity lists, which
/// name the canonical values too.
fn assert_facets_agree_with_hits(env: &TestEnv, articles: u64) {
    let hits = env.search_json(&["", "--limit", "1000"]);
    assert_eq!(hits["total"], articles);
    assert_eq!(hits["hits"].as_array().unwrap().len() as u64, articles);
    for kind in ["person", "org", "place"] {
        let facets = facet_counts(env, kind);
        assert!(!facets.is_empty(), "no {kind} facets");
        assert_eq!(facets, counted_from_hits(&hits, kind), "{kind}");
    }
}

#[test]
fn facets_hits_and_mentions_name_the_same_canonical_values() {
    let env = archive();
    assert_facets_agree_with_hits(&env, 32);
    let bare = env.search_json(&["title:\"Pensions row deepens 1\""]);
    let id = bare["hits"][0]["id"].as_str().unwrap().to_string();
    let show = |env: &TestEnv| {
        let run = env.run(&["show", &id, "--format", "json"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let json = run.json();
        assert_valid("article-output.schema.json", &json);
        json
    };
    // "Blair" (twice in the article) is shown as Tony Blair, everywhere.
    let shown = show(&env);
    assert_eq!(
        shown["persons"],
        serde_json::json!(["Tony Blair"]),
        "{shown}"
    );
    assert_eq!(shown["mentions"]["persons"][0]["name"], "Tony Blair");
    assert_eq!(shown["mentions"]["persons"][0]["mentions"], 2, "{shown}");
    assert_eq!(shown["main"]["persons"], serde_json::json!(["Tony Blair"]));
    // An edit shows at once, with no re-index, and facets still agree.
    let run = env.run(&[
        "alias",
        "rename",
        "--type",
        "person",
        "Tony Blair",
        "Anthony Blair",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = env.run(&["alias", "drop", "--type", "org", "Coal Board"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let shown = show(&env);
    assert_eq!(shown["mentions"]["persons"][0]["name"], "Anthony Blair");
    assert_eq!(shown["persons"], serde_json::json!(["Anthony Blair"]));
    assert_facets_agree_with_hits(&env, 32);
    assert_eq!(facet_counts(&env, "person")["Anthony Blair"], 8);
    assert!(!facet_counts(&env, "org").contains_key("Coal Board"));
}

/// One JSON Lines article with a date.
fn dated(date: &str, title: &str, text: &str) -> String {
    serde_json::json!({"title": title, "date": date, "text": text}).to_string()
}

/// "George Bush" in 1987 stories and "George W. Bush" in 2004 ones: one
/// name, two people. With the dates of both in one year, the same archive
/// merges them.
fn bush_archive(george_bush_year: u32) -> TestEnv {
    let env = TestEnv::new();
    let mut lines = Vec::new();
    for i in 1..=4 {
        lines.push(dated(
            &format!("{george_bush_year}-03-{i:02}T12:00:00Z"),
            &format!("Bush visits Tokyo {i}"),
            &format!(
                "Vice President George Bush arrived in Tokyo on Monday for trade talks, visit {i}. \
                 George Bush said the talks would cover farm goods."
            ),
        ));
    }
    for i in 1..=8 {
        lines.push(dated(
            &format!("2004-05-{i:02}T12:00:00Z"),
            &format!("Bush campaigns in Ohio {i}"),
            &format!(
                "President George W. Bush campaigned in Ohio on Tuesday, rally {i}. \
                 George W. Bush told supporters that the economy was growing."
            ),
        ));
    }
    env.write("news.jsonl", lines.join("\n") + "\n");
    let (run, _) = env.index_archive(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    env
}

#[test]
fn a_partial_name_joins_a_full_name_only_when_both_were_in_the_news_together() {
    let apart = bush_archive(1987);
    let persons = entities(&apart, "person");
    let full = persons
        .iter()
        .find(|v| v.0.starts_with("George W"))
        .unwrap_or_else(|| panic!("{persons:?}"))
        .clone();
    assert_eq!(full.1, 8, "{persons:?}");
    assert_eq!(articles_of(&persons, "George Bush"), Some(4), "{persons:?}");
    let auto = std::fs::read_to_string(apart.index().join("aliases-auto.tsv")).unwrap();
    assert!(!auto.contains("person\tGeorge Bush\t"), "{auto}");
    // The same stories all in 2004: "George Bush" is George W. Bush.
    let together = bush_archive(2004);
    let persons = entities(&together, "person");
    assert_eq!(articles_of(&persons, "George Bush"), None, "{persons:?}");
    assert_eq!(articles_of(&persons, &full.0), Some(12), "{persons:?}");
    let auto = std::fs::read_to_string(together.index().join("aliases-auto.tsv")).unwrap();
    assert!(
        auto.contains("person\tGeorge Bush\t") && auto.contains("at the same time"),
        "{auto}"
    );
}

#[test]
#[cfg_attr(not(shared_corpora), ignore = "needs ../shared/ beside the checkout")]
fn bbc_politics_facets_agree_with_hits_under_the_automatic_table() {
    let politics = crate::env::shared("corpora/bbc/politics");
    let env = TestEnv::new();
    for n in 1..=60 {
        let name = format!("{n:03}.txt");
        env.copy(&politics.join(&name), &format!("bbc/politics/{name}"));
    }
    let (run, summary) = env.index_archive(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let articles = summary["articles_indexed"].as_u64().unwrap();
    assert!(articles >= 55, "{summary}");
    assert!(summary["values_merged"].as_u64().unwrap() >= 1, "{summary}");
    assert_facets_agree_with_hits(&env, articles);
    // Every surname merged into a full name is gone from the facets.
    let auto = std::fs::read_to_string(env.index().join("aliases-auto.tsv")).unwrap();
    let persons = facet_counts(&env, "person");
    for line in auto.lines().filter(|l| l.starts_with("merge\tperson\t")) {
        let value = line.split('\t').nth(2).unwrap();
        assert!(
            !persons.contains_key(value),
            "{value} still counted: {line}"
        );
    }
}
