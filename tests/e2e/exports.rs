//! CSV and TSV exports (issue 18, item 7): a snippet column, and the
//! columns chosen and ordered with `--fields`.

use crate::env::indexed_fixtures;

#[test]
fn csv_has_a_snippet_and_fields_choose_columns() {
    let env = indexed_fixtures(&[
        ("formats/newswire.sgm", "newswire.sgm"),
        ("formats/articles.jsonl", "articles.jsonl"),
    ]);
    let csv = env.run(&["search", "coastal", "--format", "csv"]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    let mut reader = csv::Reader::from_reader(csv.stdout.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(header.iter().next_back(), Some("snippet"));
    let row = reader.records().next().unwrap().unwrap();
    assert!(row[header.len() - 1].contains("coastal road"), "{row:?}");

    let tsv = env.run(&[
        "search",
        "coastal",
        "--format",
        "tsv",
        "--fields",
        "title,date,snippet",
    ]);
    assert_eq!(tsv.code, 0, "{}", tsv.stderr);
    let lines: Vec<&str> = tsv.stdout.lines().collect();
    assert_eq!(lines[0], "title\tdate\tsnippet");
    let cells: Vec<&str> = lines[1].split('\t').collect();
    assert_eq!(cells[..2], ["Storm closes coastal road", "2022-01-15"]);
    assert!(cells[2].contains("waves washed stones"), "{cells:?}");

    // Streams and batches too; the query stays first in a batch.
    let all = env.run(&[
        "search", "example", "--all", "--format", "csv", "--fields", "id,url",
    ]);
    assert_eq!(all.stdout.lines().next(), Some("id,url"));
    assert_eq!(all.stdout.lines().count(), 4, "{}", all.stdout);
    let batch = env.dir.path().join("q.txt");
    std::fs::write(&batch, "coastal\n").unwrap();
    let rows = env.run(&[
        "search",
        "--batch",
        batch.to_str().unwrap(),
        "--format",
        "csv",
        "--fields",
        "title",
    ]);
    assert_eq!(
        rows.stdout,
        "query,title\ncoastal,Storm closes coastal road\n"
    );

    let wrong = env.run(&["search", "coastal", "--fields", "title"]);
    assert_eq!(wrong.code, 2);
    assert!(
        wrong.stderr.contains("--format csv or tsv"),
        "{}",
        wrong.stderr
    );
    let unknown = env.run(&[
        "search", "coastal", "--format", "csv", "--fields", "headline",
    ]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("snippet"), "{}", unknown.stderr);
}
