//! Command-line conventions (issue 18, item 8): completions and a man page
//! from the clap definitions, `--color`, examples in every subcommand's
//! help, `show` by a unique id prefix, a footer that counts in English.

use crate::env::{TestEnv, fixture};

/// Twenty short dated articles: more than there are hex digits, so two ids
/// share their first digit.
fn twenty() -> TestEnv {
    let env = TestEnv::new();
    let lines: String = (1..=20)
        .map(|n| {
            format!(
                "{{\"title\": \"Harbour report {n}\", \"text\": \"Ships in harbour number {n}.\", \"date\": \"2020-01-{n:02}\"}}\n"
            )
        })
        .collect();
    env.write("harbour.jsonl", lines);
    env.copy(&fixture("formats/newswire.sgm"), "newswire.sgm");
    let (run, _) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    env
}

#[test]
fn completions_and_man_pages() {
    let env = TestEnv::new();
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef newsdex"),
        ("fish", "complete -c newsdex"),
    ] {
        let run = env.run(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(
            run.stdout.contains(marker),
            "{shell}: {}",
            &run.stdout[..200.min(run.stdout.len())]
        );
        assert!(run.stdout.contains("batch"), "{shell}");
    }
    assert_eq!(env.run(&["completions", "tcsh"]).code, 2);
    let man = env.run(&["man"]);
    assert_eq!(man.code, 0, "{}", man.stderr);
    assert!(
        man.stdout.starts_with(".ie") || man.stdout.contains(".TH newsdex"),
        "{}",
        man.stdout
    );
    assert!(man.stdout.contains("search"), "{}", man.stdout);
    let search = env.run(&["man", "search"]);
    assert!(
        search.stdout.contains(".TH newsdex-search"),
        "{}",
        search.stdout
    );
    assert!(search.stdout.contains("batch"), "{}", search.stdout);
    let unknown = env.run(&["man", "serch"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("subcommands: index"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn every_subcommand_shows_examples() {
    let env = TestEnv::new();
    for sub in [
        "index",
        "check",
        "search",
        "show",
        "entities",
        "related",
        "alias",
        "stats",
        "train-ner",
        "eval-ner",
        "eval-extract",
        "completions",
        "man",
    ] {
        let help = env.run(&[sub, "--help"]);
        assert_eq!(help.code, 0, "{sub}: {}", help.stderr);
        assert!(
            help.stdout.contains("Examples:\n  newsdex "),
            "{sub}: {}",
            help.stdout
        );
    }
}

#[test]
fn color_follows_the_option_then_no_color() {
    let env = twenty();
    let run = |extra: &[&str], no_color: bool| {
        let mut cmd = env.command();
        if !no_color {
            cmd.env_remove("NO_COLOR");
        }
        let out = cmd
            .args(["search", "harbour", "-n", "1"])
            .args(extra)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(run(&["--color", "always"], true).contains("\x1b["));
    assert!(!run(&["--color", "never"], false).contains("\x1b["));
    // Auto: stdout is a pipe here, so no colour.
    assert!(!run(&[], false).contains("\x1b["));
    assert!(!run(&["--color", "auto"], false).contains("\x1b["));
}

#[test]
fn show_takes_a_unique_id_prefix() {
    let env = twenty();
    let ids = env
        .run(&["search", "", "--format", "ids", "--limit", "100"])
        .stdout;
    let ids: Vec<&str> = ids.lines().collect();
    assert_eq!(ids.len(), 23);
    // A prefix only one id has.
    let unique = ids
        .iter()
        .find_map(|id| {
            (4..16)
                .map(|n| &id[..n])
                .find(|p| ids.iter().filter(|i| i.starts_with(p)).count() == 1)
        })
        .unwrap();
    let shown = env.run(&["show", unique, "--format", "json"]);
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    assert!(shown.json()["id"].as_str().unwrap().starts_with(unique));
    // Two of 23 ids share a first digit.
    let shared = ids
        .iter()
        .map(|id| &id[..1])
        .find(|p| ids.iter().filter(|i| i.starts_with(p)).count() > 1)
        .unwrap();
    let ambiguous = env.run(&["show", shared]);
    assert_eq!(ambiguous.code, 2, "{}", ambiguous.stderr);
    assert!(
        ambiguous.stderr.contains("ambiguous"),
        "{}",
        ambiguous.stderr
    );
    for id in ids.iter().filter(|i| i.starts_with(shared)) {
        assert!(ambiguous.stderr.contains(id), "{id}: {}", ambiguous.stderr);
    }
    let none = env.run(&["show", "zzzz"]);
    assert_eq!(none.code, 1, "{}", none.stderr);
    // related takes a prefix too.
    assert_ne!(env.run(&["related", unique]).code, 2);
}

#[test]
fn the_footer_counts_in_english() {
    let env = twenty();
    let none = env.run(&["search", "zeppelin"]).stdout;
    assert!(none.trim_end().ends_with("0 articles"), "{none}");
    assert!(!none.contains("0-0"), "{none}");
    let one = env.run(&["search", "\"harbour number 7\""]).stdout;
    assert!(one.trim_end().ends_with("1 article"), "{one}");
    let page = env.run(&["search", "harbour", "-n", "5"]).stdout;
    assert!(page.trim_end().ends_with("1-5 of 20 articles"), "{page}");
}
