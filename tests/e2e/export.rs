//! `newsdex export` and `search --as`: the exported files, read back alone,
//! give the same hits and facet counts as newsdex on the same archive; and
//! the request bodies use only what the engines' specifications define.
//!
//! No Elasticsearch, OpenSearch or Quickwit runs here: the round trip
//! evaluates each `search --as elasticsearch` body over the exported NDJSON
//! with the analysis chain the exported template declares.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};

use crate::env::{TestEnv, repo};

/// The sample archive, indexed with entities.
fn sample() -> TestEnv {
    let env = TestEnv::new();
    env.copy(&repo().join("data/sample"), "sample");
    let (run, _) = env.index_archive(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    env
}

fn export(env: &TestEnv, engine: &str, out: &Path, extra: &[&str]) -> Value {
    let mut args = vec![
        "export",
        "--to",
        engine,
        "--out",
        out.to_str().unwrap(),
        "--json",
    ];
    args.extend_from_slice(extra);
    let run = env.run(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
}

/// The documents of an Elasticsearch export, checking each action line.
fn read_bulk(dir: &Path, files: &[Value]) -> Vec<Value> {
    let mut docs = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(dir.join(file.as_str().unwrap())).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len() % 2, 0, "{file}: action and document pairs");
        for pair in lines.chunks(2) {
            let action: Value = serde_json::from_str(pair[0]).unwrap();
            let doc: Value = serde_json::from_str(pair[1]).unwrap();
            assert_eq!(
                action["index"]["_id"], doc["id"],
                "the newsdex id is the _id"
            );
            docs.push(doc);
        }
    }
    docs
}

#[test]
fn exported_files_validate_and_are_chunked() {
    let env = sample();
    let out = env.dir.path().join("es");
    let summary = export(&env, "elasticsearch", &out, &["--chunk-size", "7"]);
    let files = summary["files"].as_array().unwrap();
    let docs = read_bulk(&out, files);
    assert_eq!(docs.len(), 45);
    assert_eq!(files.len(), 7, "45 articles in files of 7");
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("schema/export-document.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for doc in &docs {
        assert!(validator.is_valid(doc), "{doc}");
    }
    let summary_schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("schema/export-summary.schema.json")).unwrap(),
    )
    .unwrap();
    assert!(
        jsonschema::validator_for(&summary_schema)
            .unwrap()
            .is_valid(&summary)
    );
    assert!(out.join("index-template.json").is_file() && out.join("load.sh").is_file());
    let script = std::fs::read_to_string(out.join("load.sh")).unwrap();
    assert!(script.contains("_bulk") && script.contains("${1:-http://localhost:9200}"));
    // The place hierarchy at every level, mention counts, clusters.
    let with_city = docs
        .iter()
        .find(|d| {
            d["places"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p.as_str().unwrap().matches(" / ").count() == 2)
        })
        .expect("a city among the places");
    let city = with_city["places"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p.as_str().unwrap().matches(" / ").count() == 2)
        .unwrap()
        .as_str()
        .unwrap();
    let parts: Vec<&str> = city.split(" / ").collect();
    let paths = with_city["place_paths"].as_array().unwrap();
    for depth in 1..=3 {
        assert!(
            paths.contains(&Value::from(parts[..depth].join(" / "))),
            "{city}: {paths:?}"
        );
    }
    assert!(docs.iter().any(|d| {
        d["mentions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["count"].as_u64().unwrap() > 1)
    }));
    assert!(
        docs.iter()
            .all(|d| d["cluster"].as_str().unwrap().len() == 16)
    );

    // Quickwit: the same documents, without action lines.
    let qw = env.dir.path().join("qw");
    let summary = export(&env, "quickwit", &qw, &[]);
    let mut quickwit = Vec::new();
    for file in summary["files"].as_array().unwrap() {
        let text = std::fs::read_to_string(qw.join(file.as_str().unwrap())).unwrap();
        quickwit.extend(
            text.lines()
                .map(|l| serde_json::from_str::<Value>(l).unwrap()),
        );
    }
    let ids = |docs: &[Value]| {
        docs.iter()
            .map(|d| d["id"].to_string())
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(ids(&quickwit), ids(&docs));
    assert!(qw.join("index-config.json").is_file());
}

#[test]
fn a_filtered_export_holds_what_the_search_finds() {
    let env = sample();
    let out = env.dir.path().join("iraq");
    let summary = export(
        &env,
        "opensearch",
        &out,
        &["coalition", "--place", "Iraq", "--until", "2016-10"],
    );
    let docs = read_bulk(&out, summary["files"].as_array().unwrap());
    let found = env.run(&[
        "search",
        "coalition",
        "--place",
        "Iraq",
        "--to",
        "2016-10",
        "--all",
        "--format",
        "ids",
    ]);
    let expected: BTreeSet<String> = found.stdout.lines().map(str::to_string).collect();
    let got: BTreeSet<String> = docs
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(got, expected);
}

#[test]
fn an_incremental_export_writes_what_changed_and_the_ids_to_delete() {
    let env = sample();
    let first = env.dir.path().join("first");
    export(&env, "elasticsearch", &first, &[]);
    // One article gone, one added.
    let statements = env
        .archive()
        .join("sample/state-department/press-statements.jsonl");
    let text = std::fs::read_to_string(&statements).unwrap();
    let rest: Vec<&str> = text.lines().skip(1).collect();
    std::fs::write(&statements, rest.join("\n") + "\n").unwrap();
    env.write(
        "new/story.json",
        r#"{"title": "Talks resume in Geneva", "body": "Diplomats met in Geneva on Monday to resume talks on a ceasefire, officials said.", "published": "2016-12-30", "source": "Wire"}"#,
    );
    let (run, _) = env.index_archive(&["--prune"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let second = env.dir.path().join("second");
    let summary = export(
        &env,
        "elasticsearch",
        &second,
        &["--since", first.to_str().unwrap()],
    );
    assert_eq!(summary["written"], 1, "{summary}");
    assert_eq!(summary["deleted"], 1, "{summary}");
    let deletes = std::fs::read_to_string(second.join("deletes.ndjson")).unwrap();
    let first_ids = std::fs::read_to_string(first.join("ids.txt")).unwrap();
    let second_ids = std::fs::read_to_string(second.join("ids.txt")).unwrap();
    for line in deletes.lines() {
        let action: Value = serde_json::from_str(line).unwrap();
        let id = action["delete"]["_id"].as_str().unwrap();
        assert!(first_ids.contains(id) && !second_ids.contains(id), "{id}");
    }
    let docs = read_bulk(&second, &summary["files"].as_array().unwrap()[..1]);
    assert_eq!(docs[0]["title"], "Talks resume in Geneva");
}

/// The analysis chain the template declares, checked, then built from
/// Tantivy's parts that do the same.
fn analyzer_of_template(template: &Value) -> TextAnalyzer {
    let analysis = &template["template"]["settings"]["analysis"];
    let text = &analysis["analyzer"]["newsdex_text"];
    let tokenizer = &analysis["tokenizer"][text["tokenizer"].as_str().unwrap()];
    assert_eq!(tokenizer["type"], "pattern");
    assert_eq!(
        tokenizer["pattern"], "[^\\p{L}\\p{N}]+",
        "split where SimpleTokenizer splits"
    );
    let filters: Vec<&str> = text["filter"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(
        filters,
        [
            "newsdex_long",
            "lowercase",
            "asciifolding",
            "newsdex_english"
        ]
    );
    assert_eq!(analysis["filter"]["newsdex_long"]["max"], 39);
    assert_eq!(analysis["filter"]["newsdex_english"]["language"], "English");
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

/// Evaluates the subset of the query DSL `search --as` writes over one
/// document: what an engine given the template would match.
struct Evaluator {
    analyzer: TextAnalyzer,
    words: TextAnalyzer,
}

impl Evaluator {
    fn strings(doc: &Value, field: &str) -> Vec<String> {
        match doc.get(field) {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    }

    fn matches(&mut self, query: &Value, doc: &Value) -> bool {
        let (kind, body) = query.as_object().unwrap().iter().next().unwrap();
        match kind.as_str() {
            "match_all" => true,
            "bool" => {
                let all = |key: &str| {
                    body.get(key)
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default()
                };
                let must_ok = all("must")
                    .iter()
                    .chain(&all("filter"))
                    .all(|q| self.matches(q, doc));
                let not_ok = !all("must_not").iter().any(|q| self.matches(q, doc));
                let should = all("should");
                let should_ok = should.is_empty() || should.iter().any(|q| self.matches(q, doc));
                must_ok && not_ok && should_ok
            }
            "terms" => {
                let (field, values) = body.as_object().unwrap().iter().next().unwrap();
                let have = Self::strings(doc, field);
                values
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|v| have.iter().any(|h| h == v.as_str().unwrap()))
            }
            "range" => {
                let (field, range) = body.as_object().unwrap().iter().next().unwrap();
                let Some(value) = doc[field].as_str() else {
                    return false;
                };
                // RFC 3339 in UTC seconds compares as text.
                range
                    .get("gte")
                    .is_none_or(|b| value >= b.as_str().unwrap())
                    && range.get("lt").is_none_or(|b| value < b.as_str().unwrap())
            }
            "match" => {
                let (field, params) = body.as_object().unwrap().iter().next().unwrap();
                assert_eq!(field, "source.words");
                assert_eq!(params["operator"], "and");
                let have = tokens(&mut self.words, doc["source"].as_str().unwrap_or(""));
                tokens(&mut self.words, params["query"].as_str().unwrap())
                    .iter()
                    .all(|w| have.contains(w))
            }
            "query_string" => self.query_string(body, doc),
            other => panic!("query kind {other} not evaluated"),
        }
    }

    /// Words (all required), `OR` between words, `-word`: the part of the
    /// grammar the cases below use.
    fn query_string(&mut self, body: &Value, doc: &Value) -> bool {
        assert_eq!(body["default_operator"], "AND");
        let fields: Vec<String> = body["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().split('^').next().unwrap().to_string())
            .collect();
        let mut words = BTreeSet::new();
        for field in &fields {
            for text in Self::strings(doc, field) {
                words.extend(tokens(&mut self.analyzer, &text));
            }
        }
        let mut has = |word: &str| {
            tokens(&mut self.analyzer, word)
                .iter()
                .all(|t| words.contains(t))
        };
        let parts: Vec<&str> = body["query"].as_str().unwrap().split_whitespace().collect();
        let mut groups: Vec<Vec<&str>> = vec![Vec::new()];
        let mut negative = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            if *part == "OR" {
                continue;
            }
            if let Some(word) = part.strip_prefix('-') {
                negative.push(word);
            } else if i > 0 && parts[i - 1] == "OR" {
                groups.last_mut().unwrap().push(part);
            } else {
                groups.push(vec![part]);
            }
        }
        groups
            .iter()
            .filter(|g| !g.is_empty())
            .all(|g| g.iter().any(|w| has(w)))
            && !negative.iter().any(|w| has(w))
    }
}

#[test]
fn exported_ndjson_alone_gives_newsdex_hits_and_facet_counts() {
    let env = sample();
    let out = env.dir.path().join("es");
    let summary = export(&env, "elasticsearch", &out, &[]);
    let docs = read_bulk(&out, summary["files"].as_array().unwrap());
    let template: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("index-template.json")).unwrap())
            .unwrap();
    let mut evaluator = Evaluator {
        analyzer: analyzer_of_template(&template),
        words: TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    };
    let cases: &[&[&str]] = &[
        &["", "--place", "Syria"],
        &["coalition", "--from", "2016-10", "--to", "2016-12"],
        &["airstrikes OR strikes", "--place", "Iraq"],
        &["-Syria", "--source", "central command"],
        &["", "--person", "Townsend"],
        &["ISIL", "--org", "Islamic State", "--from", "2016"],
        &["", "--place", "Iraq", "--main"],
        &["Raqqah", "--source", "state"],
    ];
    for case in cases {
        let mut args = vec!["search"];
        args.extend_from_slice(case);
        let ids = env.run(&[&args[..], &["--all", "--format", "ids"]].concat());
        let expected: BTreeSet<String> = ids.stdout.lines().map(str::to_string).collect();
        let facets = env
            .run(
                &[
                    &args[..],
                    &["--facets", "--facet-limit", "1000", "--format", "json"],
                ]
                .concat(),
            )
            .json();
        let body = env.run(
            &[
                &args[..],
                &["--facets", "--facet-limit", "1000", "--as", "elasticsearch"],
            ]
            .concat(),
        );
        assert_eq!(body.code, 0, "{case:?}: {}", body.stderr);
        let body = body.json();
        let hits: Vec<&Value> = docs
            .iter()
            .filter(|d| evaluator.matches(&body["query"], d))
            .collect();
        let got: BTreeSet<String> = hits
            .iter()
            .map(|d| d["id"].as_str().unwrap().to_string())
            .collect();
        assert!(
            !expected.is_empty(),
            "{case:?} matches nothing in the sample"
        );
        assert_eq!(got, expected, "{case:?}: hits");
        // Each terms aggregation, counted over the hits, against newsdex's facets.
        for (name, agg) in body["aggs"].as_object().unwrap() {
            let field = agg["terms"]["field"].as_str().unwrap();
            let mut counts: BTreeMap<String, u64> = BTreeMap::new();
            for hit in &hits {
                for value in Evaluator::strings(hit, field) {
                    *counts.entry(value).or_default() += 1;
                }
            }
            let newsdex: BTreeMap<String, u64> = facets["facets"][name]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    (
                        f["value"].as_str().unwrap().to_string(),
                        f["articles"].as_u64().unwrap(),
                    )
                })
                .collect();
            assert_eq!(counts, newsdex, "{case:?}: {name} facet counts");
        }
    }
}

/// Keys the Elasticsearch specification (elastic/elasticsearch-specification
/// main at 9d9b9a5: `_global/search/SearchRequest.ts` body,
/// `_types/query_dsl/abstractions.ts` QueryContainer, `compound.ts`
/// BoolQuery, `fulltext.ts` QueryStringQuery and MatchQuery, `term.ts`
/// DateRangeQuery and TermsQuery, `_types/aggregations/bucket.ts`
/// TermsAggregation and DateHistogramAggregation, `_types/sort.ts`
/// FieldSort, `_global/search/_types/FieldCollapse.ts`) and Quickwit's
/// Elasticsearch-compatible API (quickwit-oss/quickwit main at 9fd0143:
/// `quickwit-serve/src/elasticsearch_api/model/search_body.rs` SearchBody,
/// `quickwit-query/src/elastic_query_dsl/*.rs`, all `deny_unknown_fields`;
/// date histograms are Tantivy's, which refuse `calendar_interval`) allow.
struct Allowed {
    body: &'static [&'static str],
    queries: &'static [&'static str],
    bool_keys: &'static [&'static str],
    query_string: &'static [&'static str],
    range: &'static [&'static str],
    matches: &'static [&'static str],
    sort: &'static [&'static str],
    date_histogram: &'static [&'static str],
}

const ELASTICSEARCH: Allowed = Allowed {
    body: &[
        "query",
        "from",
        "size",
        "sort",
        "aggs",
        "aggregations",
        "collapse",
        "track_total_hits",
        "post_filter",
        "highlight",
        "_source",
    ],
    queries: &[
        "bool",
        "match_all",
        "match",
        "query_string",
        "range",
        "term",
        "terms",
        "match_phrase",
        "exists",
        "nested",
        "multi_match",
    ],
    bool_keys: &[
        "filter",
        "minimum_should_match",
        "must",
        "must_not",
        "should",
        "boost",
        "_name",
    ],
    query_string: &[
        "allow_leading_wildcard",
        "analyzer",
        "analyze_wildcard",
        "default_field",
        "default_operator",
        "fields",
        "fuzziness",
        "lenient",
        "minimum_should_match",
        "phrase_slop",
        "query",
        "tie_breaker",
        "time_zone",
        "type",
        "boost",
        "_name",
    ],
    range: &[
        "gt",
        "gte",
        "lt",
        "lte",
        "format",
        "time_zone",
        "relation",
        "boost",
        "_name",
    ],
    matches: &[
        "query",
        "operator",
        "analyzer",
        "fuzziness",
        "lenient",
        "minimum_should_match",
        "zero_terms_query",
        "boost",
        "_name",
    ],
    sort: &[
        "missing",
        "mode",
        "nested",
        "order",
        "unmapped_type",
        "numeric_type",
        "format",
    ],
    date_histogram: &[
        "calendar_interval",
        "fixed_interval",
        "field",
        "format",
        "min_doc_count",
        "time_zone",
        "extended_bounds",
        "order",
        "offset",
        "keyed",
    ],
};

const QUICKWIT: Allowed = Allowed {
    body: &[
        "from",
        "size",
        "query",
        "sort",
        "aggs",
        "track_total_hits",
        "stored_fields",
        "search_after",
        "_source",
        "docvalue_fields",
        "script_fields",
        "highlight",
        "version",
    ],
    queries: &[
        "query_string",
        "bool",
        "term",
        "terms",
        "match_all",
        "match_none",
        "match",
        "match_bool_prefix",
        "match_phrase",
        "match_phrase_prefix",
        "multi_match",
        "range",
        "exists",
        "regexp",
        "wildcard",
        "prefix",
    ],
    bool_keys: &[
        "must",
        "must_not",
        "should",
        "filter",
        "boost",
        "minimum_should_match",
    ],
    query_string: &[
        "query",
        "fields",
        "default_field",
        "default_operator",
        "boost",
        "lenient",
    ],
    range: &[
        "gt",
        "gte",
        "lt",
        "lte",
        "boost",
        "format",
        "from",
        "to",
        "include_lower",
        "include_upper",
    ],
    matches: &["query", "operator", "zero_terms_query", "lenient"],
    sort: &["order", "date_format"],
    date_histogram: &[
        "field",
        "fixed_interval",
        "offset",
        "min_doc_count",
        "hard_bounds",
        "extended_bounds",
        "keyed",
    ],
};

fn check_query(query: &Value, allowed: &Allowed) {
    let object = query.as_object().unwrap();
    assert_eq!(object.len(), 1, "{query}");
    let (kind, body) = object.iter().next().unwrap();
    assert!(allowed.queries.contains(&kind.as_str()), "query {kind}");
    let keys = |v: &Value, list: &[&str], what: &str| {
        for key in v.as_object().unwrap().keys() {
            assert!(list.contains(&key.as_str()), "{what}: {key}");
        }
    };
    match kind.as_str() {
        "bool" => {
            keys(body, allowed.bool_keys, "bool");
            for key in ["must", "filter", "should", "must_not"] {
                for inner in body
                    .get(key)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    check_query(inner, allowed);
                }
            }
        }
        "query_string" => keys(body, allowed.query_string, "query_string"),
        "range" => body
            .as_object()
            .unwrap()
            .values()
            .for_each(|r| keys(r, allowed.range, "range")),
        "match" => body
            .as_object()
            .unwrap()
            .values()
            .for_each(|m| keys(m, allowed.matches, "match")),
        "terms" => assert_eq!(body.as_object().unwrap().len(), 1, "terms: one field"),
        _ => {}
    }
}

fn check_body(body: &Value, allowed: &Allowed) {
    for key in body.as_object().unwrap().keys() {
        assert!(allowed.body.contains(&key.as_str()), "body key {key}");
    }
    check_query(&body["query"], allowed);
    for sort in body
        .get("sort")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for params in sort.as_object().unwrap().values() {
            for key in params.as_object().unwrap().keys() {
                assert!(allowed.sort.contains(&key.as_str()), "sort: {key}");
            }
        }
    }
    for agg in body
        .get("aggs")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|a| a.values())
    {
        if let Some(terms) = agg.get("terms") {
            // TermsAggregation: field, size (both engines).
            assert!(
                terms
                    .as_object()
                    .unwrap()
                    .keys()
                    .all(|k| ["field", "size"].contains(&k.as_str()))
            );
        } else {
            for key in agg["date_histogram"].as_object().unwrap().keys() {
                assert!(
                    allowed.date_histogram.contains(&key.as_str()),
                    "date_histogram: {key}"
                );
            }
        }
    }
    if let Some(collapse) = body.get("collapse") {
        assert_eq!(collapse["field"], "cluster");
    }
}

#[test]
fn request_bodies_use_only_what_the_specifications_define() {
    let env = sample();
    let searches: &[&[&str]] = &[
        &[
            "coalition OR ISIL",
            "--place",
            "Syria",
            "--from",
            "2016",
            "--to",
            "2016-11",
            "--sort",
            "newest",
            "--facets",
            "--histogram",
            "month",
            "--collapse",
        ],
        &[
            "-Syria",
            "--source",
            "state",
            "--main",
            "--person",
            "Kerry",
            "--sort",
            "oldest",
            "--histogram",
            "day",
        ],
        &[
            "",
            "--org",
            "Islamic State",
            "--facet",
            "place",
            "--limit",
            "5",
            "--offset",
            "5",
        ],
    ];
    for search in searches {
        for (engine, allowed) in [
            ("elasticsearch", &ELASTICSEARCH),
            ("opensearch", &ELASTICSEARCH),
            ("quickwit", &QUICKWIT),
        ] {
            let mut args = vec!["search"];
            args.extend_from_slice(search);
            args.extend_from_slice(&["--as", engine]);
            let run = env.run(&args);
            assert_eq!(run.code, 0, "{search:?} {engine}: {}", run.stderr);
            check_body(&run.json(), allowed);
        }
    }
    // What Quickwit cannot do is said, not silently dropped.
    let run = env.run(&[
        "search",
        "coalition",
        "--collapse",
        "--histogram",
        "month",
        "--as",
        "quickwit",
    ]);
    assert!(
        run.stderr.contains("cannot collapse") && run.stderr.contains("fixed intervals"),
        "{}",
        run.stderr
    );
    // An unknown name is "nothing matched", explained, as for a search.
    let run = env.run(&[
        "search",
        "--person",
        "Nobody Atall",
        "--as",
        "elasticsearch",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
}
