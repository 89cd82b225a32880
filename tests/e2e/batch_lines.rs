//! JSON batch lines (issue 18, item 5): every filter a string or a list,
//! unknown keys refused, the line format in `--help` and in a JSON Schema.

use crate::env::{assert_valid, indexed_fixtures};

#[test]
fn filters_take_a_string_or_a_list() {
    let env = indexed_fixtures(&[
        ("formats/newswire.sgm", "wire/newswire.sgm"),
        ("formats/articles.jsonl", "feeds/articles.jsonl"),
    ]);
    let lines = [
        r#"{"query": "example", "source": "Reuters", "from": 1987}"#,
        r#"{"query": "example", "source": ["Reuters", "nobody"], "from": "1987-03", "to": ["1987"]}"#,
        r#"{"query": "example", "to": "1986"}"#,
        r#"{"query": "example", "places": "Iran"}"#,
        r#"{"query": "example", "source": 7}"#,
    ];
    for line in [lines[0], lines[2]] {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_valid("batch-line.schema.json", &value);
    }
    let batch = env.dir.path().join("batch.jsonl");
    std::fs::write(&batch, lines.join("\n")).unwrap();
    let run = env.run(&["search", "--batch", batch.to_str().unwrap()]);
    let out = run.jsonl();
    assert_eq!(out.len(), 5, "{}", run.stdout);
    assert_eq!(out[0]["total"], 3, "{}", out[0]);
    // "to" as a list is no date: reported for that line only.
    assert!(
        out[1]["error"].as_str().unwrap().contains("batch.jsonl:2:"),
        "{}",
        out[1]
    );
    assert_eq!(out[2]["total"], 0, "{}", out[2]);
    assert!(
        out[3]["error"]
            .as_str()
            .unwrap()
            .contains("unknown field `places`"),
        "{}",
        out[3]
    );
    assert!(
        out[4]["error"]
            .as_str()
            .unwrap()
            .contains("a name or a list of names"),
        "{}",
        out[4]
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    // The format is in --help.
    let help = env.run(&["search", "--help"]).stdout;
    for word in ["\"person\"", "\"source\"", "batch-line.schema.json"] {
        assert!(help.contains(word), "{word}: {help}");
    }
}
