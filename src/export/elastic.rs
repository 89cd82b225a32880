//! Elasticsearch and OpenSearch: the index template (mappings and analysis
//! that reproduce newsdex's text handling), the `_bulk` action lines and the
//! script that loads them with `curl`.
//!
//! Checked against the published API specifications, not a live cluster:
//! elastic/elasticsearch-specification (main at 9d9b9a5, 2026-08-20:
//! `_types/mapping/core.ts`, `complex.ts`, `_types/analysis/*.ts`,
//! `indices/put_index_template`, `_global/bulk/types.ts`) and
//! opensearch-project/opensearch-api-specification (main at fbe9ede,
//! 2026-08-21: `schemas/_common.mapping.yaml`, `_common.analysis.yaml`,
//! `indices._common.yaml`, `_core.bulk.yaml`). The tests below hold what
//! was checked. Only parameters both specifications define are used, so one
//! template serves both engines.

use serde_json::{Value, json};

/// The index name the template and the bulk files use unless told otherwise.
pub const DEFAULT_INDEX: &str = "newsdex";

/// Longest token newsdex indexes is 39 bytes (Tantivy's `RemoveLongFilter`
/// keeps tokens shorter than its limit of 40); the `length` filter counts
/// characters, the same for ASCII words.
const MAX_TOKEN_CHARS: u32 = 39;

/// newsdex's `news` tokenizer as an analyzer: split on what is not a letter
/// or digit (Tantivy's `SimpleTokenizer`), drop long tokens, lowercase,
/// fold to ASCII, Snowball English stemming.
pub fn analysis() -> Value {
    json!({
        "tokenizer": {
            "newsdex_words": {"type": "pattern", "pattern": "[^\\p{L}\\p{N}]+"}
        },
        "filter": {
            "newsdex_long": {"type": "length", "max": MAX_TOKEN_CHARS},
            "newsdex_english": {"type": "snowball", "language": "English"}
        },
        "analyzer": {
            "newsdex_text": {
                "type": "custom",
                "tokenizer": "newsdex_words",
                "filter": ["newsdex_long", "lowercase", "asciifolding", "newsdex_english"]
            },
            "newsdex_words": {
                "type": "custom",
                "tokenizer": "newsdex_words",
                "filter": ["lowercase", "asciifolding"]
            }
        },
        "normalizer": {
            "newsdex_keyword": {"type": "custom", "filter": ["lowercase", "asciifolding"]}
        }
    })
}

fn text() -> Value {
    json!({"type": "text", "analyzer": "newsdex_text", "index_options": "positions"})
}

fn keyword() -> Value {
    json!({"type": "keyword"})
}

/// A keyword compared as newsdex compares it: lowercased, accents folded.
fn folded_keyword() -> Value {
    json!({"type": "keyword", "normalizer": "newsdex_keyword"})
}

/// The mappings of an exported document (see [`super::document::ExportDoc`]).
pub fn mappings() -> Value {
    let mut properties = serde_json::Map::new();
    for field in [
        "title",
        "standfirst",
        "body",
        "captions",
        "authors",
        "dateline",
        "entities",
    ] {
        properties.insert(field.into(), text());
    }
    let exact = ["id", "path", "tags", "cluster"];
    for field in exact.into_iter().chain(super::document::ENTITY_FIELDS) {
        properties.insert(field.into(), keyword());
    }
    for field in ["format", "language"] {
        properties.insert(field.into(), folded_keyword());
    }
    properties.insert(
        "source".into(),
        json!({
            "type": "keyword",
            "normalizer": "newsdex_keyword",
            "fields": {"words": {"type": "text", "analyzer": "newsdex_words"}}
        }),
    );
    properties.insert("url".into(), json!({"type": "keyword", "index": false}));
    properties.insert("record".into(), json!({"type": "long"}));
    properties.insert("words".into(), json!({"type": "long"}));
    properties.insert(
        "published".into(),
        json!({"type": "date", "format": "strict_date_optional_time||epoch_second"}),
    );
    properties.insert("not_article".into(), json!({"type": "boolean"}));
    properties.insert(
        "mentions".into(),
        json!({
            "type": "nested",
            "properties": {
                "type": {"type": "keyword"},
                "name": {"type": "keyword"},
                "count": {"type": "integer"},
                "main": {"type": "boolean"}
            }
        }),
    );
    json!({
        "dynamic": "strict",
        "_meta": {"created_by": "newsdex export", "newsdex": env!("CARGO_PKG_VERSION")},
        "properties": properties
    })
}

/// The body of `PUT _index_template/<index>`: applies to the index and to
/// any `<index>-*` (a dated copy for a re-import behind an alias).
pub fn index_template(index: &str) -> Value {
    json!({
        "index_patterns": [index, format!("{index}-*")],
        "priority": 200,
        "_meta": {"created_by": "newsdex export"},
        "template": {
            "settings": {"analysis": analysis()},
            "mappings": mappings()
        }
    })
}

/// The action line before a document: `index` with newsdex's id as `_id`,
/// so loading the same file twice leaves one copy.
pub fn index_action(id: &str) -> Value {
    json!({"index": {"_id": id}})
}

/// The action line that deletes an article gone since an earlier export.
pub fn delete_action(id: &str) -> Value {
    json!({"delete": {"_id": id}})
}

/// `load.sh`: creates the template, then posts every bulk file in order,
/// stopping at the first file with an error.
pub fn load_script(engine: &str, index: &str) -> String {
    format!(
        r#"#!/bin/sh
# Load a newsdex export into {engine}.
#   ./load.sh [ENDPOINT] [INDEX]     (default: http://localhost:9200 {index})
# Extra curl options (credentials, certificates) go in CURL_OPTS, e.g.
#   CURL_OPTS='-u elastic:secret --cacert ca.crt' ./load.sh https://es:9200
set -eu
endpoint="${{1:-http://localhost:9200}}"
index="${{2:-{index}}}"
cd "$(dirname "$0")"
req() {{ curl -sS --fail-with-body ${{CURL_OPTS:-}} -H 'Content-Type: application/json' "$@"; echo; }}
req -X PUT "$endpoint/_index_template/$index" --data-binary @index-template.json
for file in bulk-*.ndjson deletes.ndjson; do
  [ -f "$file" ] || continue
  echo "$file" >&2
  out=$(curl -sS --fail-with-body ${{CURL_OPTS:-}} -H 'Content-Type: application/x-ndjson' \
    -X POST "$endpoint/$index/_bulk?filter_path=errors,items.*.error" --data-binary @"$file")
  case "$out" in
    *'"errors":true'*) echo "$file: $out" >&2; exit 1 ;;
  esac
done
req -X POST "$endpoint/$index/_refresh"
"#
    )
}

#[cfg(test)]
mod tests {
    //! What the specifications allow, written down from them (see the
    //! module docs for the files and commits read).

    use super::*;

    /// Parameters of each property type used, in both specifications:
    /// ES `_types/mapping/core.ts` (TextProperty, KeywordProperty,
    /// DateProperty, BooleanProperty, NumberPropertyBase and their bases
    /// CorePropertyBase, DocValuesPropertyBase, PropertyBase) and
    /// `complex.ts` (NestedProperty); OpenSearch `_common.mapping.yaml`
    /// (same names). The intersection of the two.
    fn allowed(kind: &str) -> Vec<&'static str> {
        const BASE: &[&str] = &[
            "type",
            "meta",
            "properties",
            "ignore_above",
            "dynamic",
            "fields",
            "copy_to",
            "store",
        ];
        let specific: &[&str] = match kind {
            "text" => &[
                "analyzer",
                "boost",
                "eager_global_ordinals",
                "fielddata",
                "index",
                "index_options",
                "index_phrases",
                "index_prefixes",
                "norms",
                "position_increment_gap",
                "search_analyzer",
                "search_quote_analyzer",
                "similarity",
                "term_vector",
            ],
            "keyword" => &[
                "doc_values",
                "boost",
                "eager_global_ordinals",
                "index",
                "index_options",
                "normalizer",
                "norms",
                "null_value",
                "similarity",
                "split_queries_on_whitespace",
            ],
            "date" => &[
                "doc_values",
                "boost",
                "fielddata",
                "format",
                "ignore_malformed",
                "index",
                "null_value",
                "precision_step",
                "locale",
            ],
            "boolean" => &["doc_values", "boost", "fielddata", "index", "null_value"],
            "long" | "integer" => &[
                "doc_values",
                "boost",
                "coerce",
                "ignore_malformed",
                "index",
                "null_value",
            ],
            "nested" => &["enabled", "include_in_parent", "include_in_root"],
            _ => panic!("property type {kind:?} is not one the tests checked"),
        };
        specific.iter().chain(BASE).copied().collect()
    }

    fn check_properties(properties: &Value, at: &str) {
        for (name, property) in properties.as_object().expect("properties object") {
            let kind = property["type"]
                .as_str()
                .expect("every property has a type");
            let allowed = allowed(kind);
            for key in property.as_object().unwrap().keys() {
                assert!(
                    allowed.contains(&key.as_str()),
                    "{at}{name}: {key} not allowed on {kind}"
                );
            }
            if let Some(inner) = property.get("properties") {
                check_properties(inner, &format!("{at}{name}."));
            }
            if let Some(fields) = property.get("fields") {
                check_properties(fields, &format!("{at}{name}."));
            }
            if let Some(options) = property.get("index_options") {
                // IndexOptions: docs | freqs | positions | offsets.
                assert!(
                    ["docs", "freqs", "positions", "offsets"].contains(&options.as_str().unwrap())
                );
            }
        }
    }

    #[test]
    fn mappings_use_only_parameters_both_specifications_define() {
        let mappings = mappings();
        // TypeMapping keys, ES `_types/mapping/TypeMapping.ts`, OpenSearch TypeMapping.
        for key in mappings.as_object().unwrap().keys() {
            assert!(
                ["dynamic", "_meta", "properties", "_source", "_routing"].contains(&key.as_str()),
                "{key}"
            );
        }
        // DynamicMapping: strict | runtime | true | false.
        assert_eq!(mappings["dynamic"], "strict");
        check_properties(&mappings["properties"], "");
    }

    #[test]
    fn every_exported_field_is_mapped() {
        // `dynamic: strict` refuses a document with an unmapped field.
        let doc = super::super::document::ExportDoc {
            standfirst: "s".into(),
            captions: vec!["c".into()],
            authors: vec!["a".into()],
            dateline: Some("d".into()),
            source: Some("s".into()),
            url: Some("u".into()),
            language: Some("en".into()),
            format: Some("json".into()),
            record: Some(1),
            published: Some("2020-01-01T00:00:00Z".into()),
            tags: vec!["t".into()],
            entities: "e".into(),
            mentions: vec![super::super::document::Mention {
                kind: "person".into(),
                name: "n".into(),
                count: 1,
                main: true,
            }],
            ..Default::default()
        };
        let doc = serde_json::to_value(doc).unwrap();
        let mappings = mappings();
        for (key, value) in doc.as_object().unwrap() {
            let mapped = &mappings["properties"][key];
            assert!(mapped.is_object(), "{key} is not mapped");
            if key == "mentions" {
                for inner in value[0].as_object().unwrap().keys() {
                    assert!(mapped["properties"][inner].is_object(), "mentions.{inner}");
                }
            }
        }
    }

    #[test]
    fn analysis_uses_only_parameters_both_specifications_define() {
        let analysis = analysis();
        // ES `_types/analysis/tokenizers.ts` PatternTokenizer; OpenSearch the same.
        for tokenizer in analysis["tokenizer"].as_object().unwrap().values() {
            assert_eq!(tokenizer["type"], "pattern");
            for key in tokenizer.as_object().unwrap().keys() {
                assert!(["type", "version", "flags", "group", "pattern"].contains(&key.as_str()));
            }
        }
        // `token_filters.ts`: LengthTokenFilter {min, max}, SnowballTokenFilter
        // {language: SnowballLanguage, which has English in both}.
        for filter in analysis["filter"].as_object().unwrap().values() {
            let keys: Vec<&str> = filter
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            match filter["type"].as_str().unwrap() {
                "length" => assert!(
                    keys.iter()
                        .all(|k| ["type", "version", "min", "max"].contains(k))
                ),
                "snowball" => {
                    assert!(
                        keys.iter()
                            .all(|k| ["type", "version", "language"].contains(k))
                    );
                    assert_eq!(filter["language"], "English");
                }
                other => panic!("filter type {other} not checked"),
            }
        }
        // `analyzers.ts` CustomAnalyzer: type custom, tokenizer required.
        let defined = |kind: &str, name: &str| analysis[kind].get(name).is_some();
        let built_in = ["lowercase", "asciifolding"];
        for analyzer in analysis["analyzer"].as_object().unwrap().values() {
            for key in analyzer.as_object().unwrap().keys() {
                assert!(
                    [
                        "type",
                        "char_filter",
                        "filter",
                        "position_increment_gap",
                        "position_offset_gap",
                        "tokenizer"
                    ]
                    .contains(&key.as_str())
                );
            }
            assert_eq!(analyzer["type"], "custom");
            assert!(defined(
                "tokenizer",
                analyzer["tokenizer"].as_str().unwrap()
            ));
            for filter in analyzer["filter"].as_array().unwrap() {
                let name = filter.as_str().unwrap();
                assert!(
                    built_in.contains(&name) || defined("filter", name),
                    "{name}"
                );
            }
        }
        // `normalizers.ts` CustomNormalizer {type, char_filter, filter}.
        for normalizer in analysis["normalizer"].as_object().unwrap().values() {
            for key in normalizer.as_object().unwrap().keys() {
                assert!(["type", "char_filter", "filter"].contains(&key.as_str()));
            }
        }
        // Every analyzer and normalizer a mapping names exists.
        let mappings = mappings().to_string();
        for name in ["newsdex_text", "newsdex_words"] {
            assert!(mappings.contains(name) && defined("analyzer", name));
        }
    }

    #[test]
    fn the_template_has_the_keys_put_index_template_takes() {
        // ES `indices/put_index_template/IndicesPutIndexTemplateRequest.ts`
        // body; OpenSearch `indices._common.yaml` IndexTemplate.
        let template = index_template("news");
        for key in template.as_object().unwrap().keys() {
            assert!(
                [
                    "index_patterns",
                    "composed_of",
                    "template",
                    "priority",
                    "version",
                    "_meta",
                    "allow_auto_create",
                    "data_stream"
                ]
                .contains(&key.as_str()),
                "{key}"
            );
        }
        // IndexTemplateSummary: aliases, mappings, settings.
        for key in template["template"].as_object().unwrap().keys() {
            assert!(["aliases", "mappings", "settings"].contains(&key.as_str()));
        }
        assert_eq!(template["index_patterns"], json!(["news", "news-*"]));
    }

    #[test]
    fn bulk_actions_are_operation_containers() {
        // `_global/bulk/types.ts` OperationContainer: one of index, create,
        // update, delete, each an OperationBase with `_id`; OpenSearch
        // `_core.bulk.yaml` the same.
        for action in [index_action("ab"), delete_action("ab")] {
            let object = action.as_object().unwrap();
            assert_eq!(object.len(), 1);
            let (op, body) = object.iter().next().unwrap();
            assert!(["index", "create", "update", "delete"].contains(&op.as_str()));
            assert_eq!(body["_id"], "ab");
        }
    }
}
