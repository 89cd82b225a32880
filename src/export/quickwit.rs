//! Quickwit: the index config (doc mapping with the fast fields facets
//! need, the timestamp field, tokenizers) and the script that loads the
//! NDJSON files with the `quickwit` CLI.
//!
//! Checked against Quickwit's documented config format, not a running
//! node: quickwit-oss/quickwit main at 9fd0143 (2026-08-21, version 0.9):
//! `docs/configuration/index-config.md`, `quickwit-doc-mapper/src/doc_mapper/
//! tokenizer_entry.rs` (custom tokenizers), `quickwit-config/src/
//! index_config/serialize.rs` (config version "0.9"). The tests below hold
//! what was checked.
//!
//! What Quickwit cannot reproduce: its tokenizers stem (`en_stem`) or fold
//! accents (a custom tokenizer's `ascii_folding`), never both, so text is
//! stemmed and not folded ("Mūsavi" needs its accent), while names
//! (`entities`, `source`) are folded and not stemmed.

use serde_json::{Value, json};

/// A text field as newsdex searches it, as near as Quickwit's tokenizers go.
fn text(name: &str, array: bool) -> Value {
    json!({
        "name": name,
        "type": if array { "array<text>" } else { "text" },
        "tokenizer": "en_stem",
        "record": "position",
        "fieldnorms": true
    })
}

/// An exact value that facets count: a fast field.
fn keyword(name: &str, array: bool) -> Value {
    json!({
        "name": name,
        "type": if array { "array<text>" } else { "text" },
        "tokenizer": "raw",
        "fast": true
    })
}

/// The body of `quickwit index create --index-config` (JSON is one of the
/// formats the config loader reads, by extension).
pub fn index_config(index: &str) -> Value {
    let mut fields = vec![keyword("id", false)];
    for (name, array) in [
        ("title", false),
        ("standfirst", false),
        ("body", false),
        ("captions", true),
        ("authors", true),
        ("dateline", false),
    ] {
        fields.push(text(name, array));
    }
    fields.push(json!({
        "name": "entities", "type": "text", "tokenizer": "newsdex_names",
        "record": "position", "fieldnorms": true
    }));
    fields.push(json!({
        "name": "source", "type": "text", "tokenizer": "newsdex_names",
        "record": "position", "fast": {"normalizer": "lowercase"}
    }));
    for name in ["format", "language"] {
        fields.push(json!({
            "name": name, "type": "text", "tokenizer": "raw_lowercase",
            "fast": {"normalizer": "lowercase"}
        }));
    }
    fields.push(json!({"name": "url", "type": "text", "tokenizer": "raw", "indexed": false}));
    fields.push(keyword("path", false));
    fields.push(json!({"name": "record", "type": "u64", "indexed": false}));
    fields.push(json!({"name": "words", "type": "u64", "fast": true}));
    fields.push(json!({
        "name": "published", "type": "datetime", "input_formats": ["rfc3339"],
        "output_format": "rfc3339", "fast": true, "fast_precision": "seconds"
    }));
    fields.push(keyword("tags", true));
    fields.push(json!({"name": "not_article", "type": "bool", "fast": true}));
    for name in super::document::ENTITY_FIELDS {
        fields.push(keyword(name, true));
    }
    // Arrays of objects are not supported; JSON values are.
    fields.push(json!({"name": "mentions", "type": "array<json>", "tokenizer": "raw"}));
    fields.push(keyword("cluster", false));
    json!({
        "version": "0.9",
        "index_id": index,
        "doc_mapping": {
            "mode": "strict",
            "field_mappings": fields,
            "tokenizers": [{
                "name": "newsdex_names",
                "type": "simple",
                "filters": ["remove_long", "lower_caser", "ascii_folding"]
            }],
            "timestamp_field": "published"
        },
        "search_settings": {
            "default_search_fields": ["title", "standfirst", "body", "captions"]
        }
    })
}

/// `load.sh`: creates the index, ingests every NDJSON file, then files the
/// deletions of an incremental export as delete tasks.
pub fn load_script(index: &str) -> String {
    format!(
        r#"#!/bin/sh
# Load a newsdex export into Quickwit.
#   ./load.sh [ENDPOINT] [INDEX]     (default: http://127.0.0.1:7280 {index})
# A full export creates the index (set CREATE=0 to add to an existing one):
# Quickwit has no upsert by id, so loading the same documents twice keeps
# two copies.
set -eu
endpoint="${{1:-http://127.0.0.1:7280}}"
index="${{2:-{index}}}"
cd "$(dirname "$0")"
if [ "${{CREATE:-1}}" = 1 ] && [ ! -f deletes.txt ]; then
  sed "s/\"index_id\": *\"[^\"]*\"/\"index_id\": \"$index\"/" index-config.json > .index-config.json
  quickwit index create --endpoint "$endpoint" --index-config .index-config.json
  rm -f .index-config.json
fi
for file in docs-*.ndjson; do
  [ -f "$file" ] || continue
  echo "$file" >&2
  quickwit index ingest --endpoint "$endpoint" --index "$index" --input-path "$file" --wait
done
if [ -f deletes.txt ]; then
  while read -r id; do
    curl -sS --fail-with-body -X POST "$endpoint/api/v1/$index/delete-tasks" \
      -H 'Content-Type: application/json' --data "{{\"query\": \"id:$id\"}}"
    echo
  done < deletes.txt
fi
"#
    )
}

#[cfg(test)]
mod tests {
    //! What Quickwit's documentation and config code allow (see the module
    //! docs for the files and commit read).

    use super::*;

    /// Parameters per field type, `docs/configuration/index-config.md`
    /// ("Parameters for text field", "for i64, u64 and f64 field", "for
    /// datetime field", "for bool field", "for JSON field"), plus `name`,
    /// `type` and `description` of every field mapping.
    fn allowed(kind: &str) -> &'static [&'static str] {
        match kind.trim_start_matches("array<").trim_end_matches('>') {
            "text" => &[
                "stored",
                "indexed",
                "tokenizer",
                "record",
                "fieldnorms",
                "fast",
            ],
            "u64" | "i64" | "f64" => &["stored", "indexed", "fast", "coerce", "output_format"],
            "datetime" => &[
                "input_formats",
                "output_format",
                "stored",
                "indexed",
                "fast",
                "fast_precision",
            ],
            "bool" => &["stored", "indexed", "fast"],
            "json" => &[
                "stored",
                "indexed",
                "fast",
                "tokenizer",
                "record",
                "expand_dots",
            ],
            other => panic!("field type {other} not checked"),
        }
    }

    #[test]
    fn field_mappings_use_documented_types_and_parameters() {
        let config = index_config("news");
        let mapping = &config["doc_mapping"];
        let custom: Vec<&str> = mapping["tokenizers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        // "Description of available tokenizers".
        let built_in = [
            "raw",
            "raw_lowercase",
            "default",
            "en_stem",
            "whitespace",
            "chinese_compatible",
            "lowercase",
        ];
        let mut names = Vec::new();
        for field in mapping["field_mappings"].as_array().unwrap() {
            let kind = field["type"].as_str().unwrap();
            let name = field["name"].as_str().unwrap();
            // "Field name validation rules": letters, digits, `_`, `-`, ...
            assert!(
                name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{name}"
            );
            for key in field.as_object().unwrap().keys() {
                if !["name", "type", "description"].contains(&key.as_str()) {
                    assert!(
                        allowed(kind).contains(&key.as_str()),
                        "{name}: {key} on {kind}"
                    );
                }
            }
            if let Some(tokenizer) = field["tokenizer"].as_str() {
                assert!(
                    built_in.contains(&tokenizer) || custom.contains(&tokenizer),
                    "{tokenizer}"
                );
            }
            if let Some(record) = field["record"].as_str() {
                assert!(["basic", "freq", "position"].contains(&record));
            }
            if let Some(normalizer) = field["fast"].get("normalizer") {
                assert!(["raw", "lowercase"].contains(&normalizer.as_str().unwrap()));
            }
            // "Quickwit supports arrays for all raw types except for object types."
            assert!(!kind.contains("object"), "{name}");
            names.push(name);
        }
        // The timestamp field is a fast datetime; the default search fields exist.
        let timestamp = mapping["timestamp_field"].as_str().unwrap();
        let published = mapping["field_mappings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == timestamp)
            .unwrap();
        assert_eq!(published["type"], "datetime");
        assert_eq!(published["fast"], true);
        for field in config["search_settings"]["default_search_fields"]
            .as_array()
            .unwrap()
        {
            assert!(names.contains(&field.as_str().unwrap()));
        }
        // Mode: lenient | strict | dynamic; index id rules: a letter first, 3 to 255
        // of letters, digits, `-`, `_`; config version "0.9".
        assert!(["lenient", "strict", "dynamic"].contains(&mapping["mode"].as_str().unwrap()));
        assert_eq!(config["version"], "0.9");
        for key in config.as_object().unwrap().keys() {
            assert!(
                [
                    "version",
                    "index_id",
                    "index_uri",
                    "doc_mapping",
                    "indexing_settings",
                    "search_settings",
                    "retention"
                ]
                .contains(&key.as_str())
            );
        }
    }

    #[test]
    fn every_exported_field_is_mapped() {
        // `mode: strict` rejects a document with an unmapped field.
        let mapping = index_config("news");
        let names: Vec<&str> = mapping["doc_mapping"]["field_mappings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        let doc = super::super::elastic::mappings();
        for field in doc["properties"].as_object().unwrap().keys() {
            assert!(names.contains(&field.as_str()), "{field}");
        }
        assert_eq!(names.len(), doc["properties"].as_object().unwrap().len());
    }

    #[test]
    fn custom_tokenizers_use_documented_kinds_and_filters() {
        // tokenizer_entry.rs: TokenizerType simple | regex | ngram;
        // TokenFilterType remove_long | lower_caser | ascii_folding.
        let config = index_config("news");
        for tokenizer in config["doc_mapping"]["tokenizers"].as_array().unwrap() {
            assert!(["simple", "regex", "ngram"].contains(&tokenizer["type"].as_str().unwrap()));
            for filter in tokenizer["filters"].as_array().unwrap() {
                assert!(
                    ["remove_long", "lower_caser", "ascii_folding"]
                        .contains(&filter.as_str().unwrap())
                );
            }
        }
    }
}
