//! Query messages and syntax (issue 18, item 4): what is wrong and where,
//! the fields listed, dates in `published:` ranges, prefix and fuzzy words,
//! a purely negative query with a filter, a readable `parsed`.

use crate::env::{TestEnv, indexed_fixtures};

/// Three Reuters-style records of 2 March 1987.
fn newswire() -> TestEnv {
    indexed_fixtures(&[("formats/newswire.sgm", "newswire.sgm")])
}

#[test]
fn syntax_errors_say_what_and_where() {
    let env = newswire();
    for (query, expected) in [
        ("\"unclosed", "the quote at character 1 is never closed"),
        ("AND", "AND at character 1 has nothing after it"),
        ("title:", "title: at character 1 has no value"),
        ("(oil", "the '(' at character 1 is never closed"),
        ("foo:bar", "there is no field \"foo\"; fields: "),
    ] {
        let run = env.run(&["search", query]);
        assert_eq!(run.code, 2, "{query}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{query}: {}", run.stderr);
        assert!(
            !run.stderr.contains("Syntax Error"),
            "{query}: {}",
            run.stderr
        );
    }
    let fields = env.run(&["search", "foo:bar"]).stderr;
    for field in ["title", "body", "published", "source", "tags"] {
        assert!(fields.contains(field), "{fields}");
    }
}

#[test]
fn dates_prefixes_fuzzy_words_and_negatives() {
    let env = newswire();
    let total = |args: &[&str]| env.search_json(args)["total"].as_u64().unwrap();
    assert_eq!(total(&["published:[1987-03-01 TO 1987-03-02]"]), 3);
    assert_eq!(total(&["published:1987-03"]), 3);
    assert_eq!(total(&["published:[1987-03-03 TO 1987-04-01]"]), 0);
    assert_eq!(total(&["published:{1987-03-01 TO 1987-03-02}"]), 0);
    // "EXAMPLE" opens every title; "forecast" is in one.
    assert_eq!(total(&["exam*"]), 3);
    assert_eq!(total(&["title:foreca*"]), 1);
    assert_eq!(total(&["forcast~1"]), 1);
    assert_eq!(total(&["forcast"]), 0);
    // A purely negative query with a filter, the query first.
    let run = env.run(&[
        "search",
        "-forecast",
        "--from",
        "1987-03",
        "--format",
        "ids",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 2, "{}", run.stdout);
    // What was understood, readable and runnable again.
    let parsed = env.search_json(&["exam* -forecast", "--from", "1987"])["parsed"].clone();
    assert_eq!(parsed, "+exam* -forecast from:1987");
    assert_eq!(total(&[parsed.as_str().unwrap()]), 2);
}
