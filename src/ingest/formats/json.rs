//! JSON articles: one object, an array of them, an object wrapping an array
//! (`{"articles": [...]}`), or JSON Lines (one object per line).
//!
//! Crawlers disagree on field names (`text`, `maintext`, `body`…), so every
//! field is looked up through the aliases in [`FIELDS`]. The same list
//! generates `schema/article-input.schema.json`, so the documented contract
//! and the code cannot drift apart.

use serde::Deserialize;
use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value, json};

use crate::article::Article;
use crate::ingest::clean::{self, Seen};
use crate::ingest::{FileRead, ReadError, Record, RecordError, dates};

/// The JSON shape a field accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A string.
    Text,
    /// A string (paragraphs split on blank lines) or an array of strings.
    Paragraphs,
    /// A date string or a number of seconds/milliseconds since 1970.
    Date,
    /// A string or an object with a `name`.
    Name,
    /// A string, an object with a `name`, or an array of either.
    Names,
}

/// One article field and the names crawlers give it, first alias preferred.
#[derive(Debug)]
pub struct Field {
    pub aliases: &'static [&'static str],
    pub kind: Kind,
    pub doc: &'static str,
}

/// Every field the reader takes, with its aliases. Keys match exactly
/// (case-sensitive); unknown keys are ignored.
pub const FIELDS: [Field; 9] = [
    Field {
        aliases: &["title", "headline"],
        kind: Kind::Text,
        doc: "The headline.",
    },
    Field {
        aliases: &["text", "body", "maintext", "content", "article"],
        kind: Kind::Paragraphs,
        doc: "The article text: one string (paragraphs separated by blank lines, or by newlines when there are none) or an array of paragraphs.",
    },
    Field {
        aliases: &["description", "standfirst", "summary", "lead"],
        kind: Kind::Paragraphs,
        doc: "The summary under the headline.",
    },
    Field {
        aliases: &[
            "date",
            "published",
            "date_publish",
            "datePublished",
            "pubDate",
            "publish_date",
        ],
        kind: Kind::Date,
        doc: "Publication date: ISO 8601 / RFC 3339, RFC 2822, a written date (\"December 30, 2019\"), or unix seconds or milliseconds.",
    },
    Field {
        aliases: &["url", "link", "canonical_url"],
        kind: Kind::Text,
        doc: "Where the article was published.",
    },
    Field {
        aliases: &["source", "source_domain", "publisher", "site_name"],
        kind: Kind::Name,
        doc: "Publisher or site.",
    },
    Field {
        aliases: &["authors", "author", "byline"],
        kind: Kind::Names,
        doc: "Authors: a string, an array of strings, or objects with a name.",
    },
    Field {
        aliases: &["language", "lang"],
        kind: Kind::Text,
        doc: "ISO 639-1 language code.",
    },
    Field {
        aliases: &["captions"],
        kind: Kind::Paragraphs,
        doc: "Photo captions, kept apart from the body.",
    },
];

/// Keys of an object that wraps an array of articles.
pub const WRAPPER_KEYS: &[&str] = &["articles", "items", "data", "results", "docs", "records"];

/// Reads a `.json` file: one article, an array, or a wrapped array.
pub fn parse(text: &str) -> Result<FileRead, ReadError> {
    let mut read = FileRead::default();
    parse_each(text, &mut |record| read.take(record))?;
    Ok(read)
}

/// [`parse`], handing each record on as soon as it is read. A top-level
/// array is read one element at a time, so a feed of millions of articles
/// never exists as one JSON tree; an object (one article, or a wrapper
/// around an array) is read whole.
pub fn parse_each(text: &str, each: &mut dyn FnMut(Record)) -> Result<(), ReadError> {
    let malformed = |e: serde_json::Error| ReadError::Malformed {
        location: format!("line {}, column {}", e.line(), e.column()),
        message: json_message(&e),
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let top = de
        .deserialize_any(TopLevel { each: &mut *each })
        .map_err(malformed)?;
    de.end().map_err(malformed)?;
    let records = match top {
        None => return Ok(()),
        Some(Value::Object(map)) => match unwrap_array(map) {
            Ok(items) => items,
            Err(map) => {
                let article = article(&map).map_err(|message| ReadError::Malformed {
                    location: "object".into(),
                    message,
                })?;
                if !has_text(&article) {
                    return Err(ReadError::NoText);
                }
                each(Record::Article(article));
                return Ok(());
            }
        },
        Some(_) => {
            return Err(ReadError::Malformed {
                location: "top level".into(),
                message: "expected an object or an array of objects".into(),
            });
        }
    };
    for (i, value) in records.into_iter().enumerate() {
        let n = i as u64 + 1;
        each(record(n, format!("record {n}"), &value));
    }
    Ok(())
}

/// The top level of a `.json` file: an array's elements go to `each` one by
/// one (and `None` comes back); anything else comes back as a value.
struct TopLevel<'a> {
    each: &'a mut dyn FnMut(Record),
}

impl<'de> Visitor<'de> for TopLevel<'_> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object or an array of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut n = 0u64;
        while let Some(value) = seq.next_element::<Value>()? {
            n += 1;
            (self.each)(record(n, format!("record {n}"), &value));
        }
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Value::deserialize(MapAccessDeserializer::new(map)).map(Some)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Some(Value::Null))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Some(Value::Null))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Some(Value::Null))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Some(Value::Null))
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Some(Value::Null))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Some(Value::Null))
    }
}

/// Reads a `.jsonl` file: one object per line; a bad line costs that line.
pub fn parse_lines(text: &str) -> FileRead {
    let mut read = FileRead::default();
    parse_lines_each(text, &mut |record| read.take(record));
    read
}

/// [`parse_lines`], handing each record on as soon as it is read.
pub fn parse_lines_each(text: &str, each: &mut dyn FnMut(Record)) {
    for (i, line) in text.lines().enumerate() {
        let n = i as u64 + 1;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(value) => each(record(n, format!("line {n}"), &value)),
            Err(e) => each(Record::Error(RecordError {
                location: format!("line {n}"),
                message: format!(
                    "invalid JSON at column {}: {}",
                    e.column(),
                    json_message(&e)
                ),
            })),
        }
    }
}

/// serde_json's message without its own " at line 1 column 5" tail: the
/// location is reported separately, in the file's terms.
fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

fn record(n: u64, location: String, value: &Value) -> Record {
    let result = match value {
        Value::Object(map) => article(map),
        other => Err(format!("expected an object, found {}", type_name(other))),
    };
    match result {
        Ok(a) if has_text(&a) => Record::Article(Article {
            record: Some(n),
            ..a
        }),
        Ok(_) => Record::Empty(RecordError {
            location,
            message: "no article text (no title, summary or body)".into(),
        }),
        Err(message) => Record::Error(RecordError { location, message }),
    }
}

fn has_text(a: &Article) -> bool {
    !(a.title.is_empty() && a.standfirst.is_empty() && a.body.is_empty())
}

/// `{"articles": [...]}` → the array; any other object is handed back.
fn unwrap_array(mut map: Map<String, Value>) -> Result<Vec<Value>, Map<String, Value>> {
    let is_article = FIELDS
        .iter()
        .flat_map(|f| f.aliases)
        .any(|a| map.contains_key(*a));
    if is_article {
        return Err(map);
    }
    let key = WRAPPER_KEYS
        .iter()
        .find(|k| matches!(map.get(**k), Some(Value::Array(_))));
    match key.and_then(|k| map.remove(*k)) {
        Some(Value::Array(items)) => Ok(items),
        _ => Err(map),
    }
}

/// The first alias of a field present with a non-null value, with its key.
fn lookup<'a>(map: &'a Map<String, Value>, field: &Field) -> Option<(&'static str, &'a Value)> {
    field
        .aliases
        .iter()
        .find_map(|a| map.get(*a).filter(|v| !v.is_null()).map(|v| (*a, v)))
}

/// Builds an article from one JSON object; the error names the bad key.
fn article(map: &Map<String, Value>) -> Result<Article, String> {
    let mut a = Article::default();
    let [
        title,
        body,
        standfirst,
        date,
        url,
        source,
        authors,
        language,
        captions,
    ] = &FIELDS;
    if let Some((k, v)) = lookup(map, title) {
        a.title = collapse(&text(k, v)?);
    }
    if let Some((k, v)) = lookup(map, standfirst) {
        a.standfirst = paragraphs(k, v)?.join(" ");
    }
    let mut seen = Seen::default();
    seen.first(&a.title);
    seen.first(&a.standfirst);
    if let Some((k, v)) = lookup(map, body) {
        a.body = clean::clean_paragraphs(paragraphs(k, v)?, &mut seen);
    }
    if let Some((k, v)) = lookup(map, date) {
        a.published = match v {
            Value::String(s) => dates::parse(s),
            Value::Number(n) => n.as_i64().and_then(unix),
            other => return Err(expected(k, "a date string or a number", other)),
        };
    }
    if let Some((k, v)) = lookup(map, url) {
        a.url = Some(text(k, v)?).filter(|s| !s.is_empty());
    }
    if let Some((k, v)) = lookup(map, source) {
        a.source = name(k, v)?;
    }
    if let Some((k, v)) = lookup(map, authors) {
        a.authors = names(k, v)?;
    }
    if let Some((k, v)) = lookup(map, language) {
        a.language = Some(text(k, v)?.to_lowercase()).filter(|s| !s.is_empty());
    }
    if let Some((k, v)) = lookup(map, captions) {
        a.captions = paragraphs(k, v)?;
    }
    Ok(a)
}

/// Seconds since 1970, or milliseconds when the number is too large to be
/// seconds of a plausible news date.
fn unix(n: i64) -> Option<chrono::DateTime<chrono::Utc>> {
    if n.abs() >= 100_000_000_000 {
        chrono::DateTime::from_timestamp_millis(n)
    } else {
        chrono::DateTime::from_timestamp(n, 0)
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn expected(key: &str, what: &str, found: &Value) -> String {
    format!("expected {what} for \"{key}\", found {}", type_name(found))
}

fn text(key: &str, v: &Value) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s.trim().to_string()),
        other => Err(expected(key, "a string", other)),
    }
}

/// Whitespace runs to one space: headlines arrive with newlines inside.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn paragraphs(key: &str, v: &Value) -> Result<Vec<String>, String> {
    match v {
        Value::String(s) => Ok(split_paragraphs(s)),
        Value::Array(items) => items
            .iter()
            .filter(|i| !i.is_null())
            .map(|i| text(key, i).map(|s| collapse(&s)))
            .filter(|r| r.as_ref().map_or(true, |s| !s.is_empty()))
            .collect(),
        other => Err(expected(key, "a string or an array of strings", other)),
    }
}

/// Paragraphs of a body string: blocks between blank lines, or single lines
/// when the text has no blank line at all.
pub fn split_paragraphs(s: &str) -> Vec<String> {
    let s = s.trim();
    if !s.lines().any(|l| l.trim().is_empty()) {
        return s.lines().map(collapse).filter(|p| !p.is_empty()).collect();
    }
    let mut out = Vec::new();
    let mut block: Vec<&str> = Vec::new();
    for line in s.lines().chain(std::iter::once("")) {
        if line.trim().is_empty() {
            if !block.is_empty() {
                out.push(collapse(&block.join(" ")));
                block.clear();
            }
        } else {
            block.push(line);
        }
    }
    out
}

fn name(key: &str, v: &Value) -> Result<Option<String>, String> {
    match v {
        Value::String(s) => Ok(Some(collapse(s)).filter(|s| !s.is_empty())),
        Value::Object(o) => match o.get("name") {
            Some(n) => name(key, n),
            None => Ok(None),
        },
        other => Err(expected(key, "a string or an object with a name", other)),
    }
}

fn names(key: &str, v: &Value) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    let items: Vec<&Value> = match v {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    for item in items {
        let Some(n) = name(key, item)? else { continue };
        for part in split_names(&n) {
            if !out.contains(&part) {
                out.push(part);
            }
        }
    }
    Ok(out)
}

/// "Jane Doe and John Roe" or "Jane Doe, John Roe" → two names; a string
/// whose parts are single words ("Doe, Jane") stays one name.
fn split_names(s: &str) -> Vec<String> {
    let s = s.strip_prefix("By ").unwrap_or(s);
    let parts: Vec<String> = s
        .split([',', ';', '&'])
        .flat_map(|p| p.split(" and "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(String::from)
        .collect();
    if parts.len() > 1 && parts.iter().any(|p| !p.contains(' ')) {
        vec![s.trim().to_string()]
    } else {
        parts
    }
}

/// The JSON Schema (draft 2020-12) of what [`parse`] and [`parse_lines`]
/// accept, generated from [`FIELDS`] and [`WRAPPER_KEYS`].
pub fn schema() -> Value {
    let mut properties = Map::new();
    for field in &FIELDS {
        for (i, alias) in field.aliases.iter().enumerate() {
            let doc = if i == 0 {
                field.doc.to_string()
            } else {
                format!("Alias of \"{}\". {}", field.aliases[0], field.doc)
            };
            let def = match field.kind {
                Kind::Text => "text",
                Kind::Paragraphs => "paragraphs",
                Kind::Date => "date",
                Kind::Name => "name",
                Kind::Names => "names",
            };
            properties.insert(
                (*alias).to_string(),
                json!({ "$ref": format!("#/$defs/{def}"), "description": doc }),
            );
        }
    }
    let mut wrapper = Map::new();
    for key in WRAPPER_KEYS {
        wrapper.insert(
            (*key).to_string(),
            json!({ "type": "array", "items": { "$ref": "#/$defs/article" } }),
        );
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/newsdex/newsdex/schema/article-input.schema.json",
        "title": "newsdex article input",
        "description": "What newsdex reads from .json files (one article, an array of articles, or an object wrapping an array) and from .jsonl/.ndjson files (one article per line). When several aliases of a field are present, the first listed wins. Unknown keys are ignored. A record needs a title, a summary or a body. Generated from src/ingest/formats/json.rs.",
        "anyOf": [
            { "$ref": "#/$defs/article" },
            { "type": "array", "items": { "$ref": "#/$defs/article" } },
            { "type": "object", "properties": wrapper, "minProperties": 1 }
        ],
        "$defs": {
            "article": { "type": "object", "properties": properties },
            "text": { "type": "string" },
            "paragraphs": {
                "oneOf": [
                    { "type": "string" },
                    { "type": "array", "items": { "type": ["string", "null"] } }
                ]
            },
            "date": { "type": ["string", "integer"] },
            "name": {
                "oneOf": [
                    { "type": "string" },
                    { "type": "object", "properties": { "name": { "type": "string" } } }
                ]
            },
            "names": {
                "oneOf": [
                    { "$ref": "#/$defs/name" },
                    { "type": "array", "items": { "$ref": "#/$defs/name" } }
                ]
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA_PATH: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/article-input.schema.json"
    );

    #[test]
    fn committed_schema_matches_the_code() {
        let generated = schema();
        if std::env::var_os("NEWSDEX_UPDATE_SCHEMA").is_some() {
            let text = serde_json::to_string_pretty(&generated).unwrap() + "\n";
            std::fs::write(SCHEMA_PATH, text).unwrap();
        }
        let committed: Value =
            serde_json::from_str(&std::fs::read_to_string(SCHEMA_PATH).unwrap()).unwrap();
        assert_eq!(
            committed, generated,
            "schema is stale: run NEWSDEX_UPDATE_SCHEMA=1 cargo test ingest::formats::json"
        );
        let props = &committed["$defs"]["article"]["properties"];
        for alias in FIELDS.iter().flat_map(|f| f.aliases) {
            assert!(
                props.get(*alias).is_some(),
                "{alias} missing from the schema"
            );
        }
    }

    #[test]
    fn one_object_with_aliases() {
        let read = parse(
            r#"{"headline":"H","maintext":"One.\n\nTwo.","summary":"S",
                "date_publish":"2019-12-30 10:00:00","link":"https://x/y",
                "publisher":{"name":"Pub"},"author":[{"name":"Jane Doe"},"John Roe"],
                "lang":"EN"}"#,
        )
        .unwrap();
        let a = &read.articles[0];
        assert_eq!(a.title, "H");
        assert_eq!(a.body, vec!["One.", "Two."]);
        assert_eq!(a.standfirst, "S");
        assert_eq!(
            a.published.unwrap().to_rfc3339(),
            "2019-12-30T10:00:00+00:00"
        );
        assert_eq!(a.url.as_deref(), Some("https://x/y"));
        assert_eq!(a.source.as_deref(), Some("Pub"));
        assert_eq!(a.authors, vec!["Jane Doe", "John Roe"]);
        assert_eq!(a.language.as_deref(), Some("en"));
        assert_eq!(a.record, None);
    }

    #[test]
    fn array_and_wrapper_number_records() {
        let read =
            parse(r#"[{"title":"A","text":"a."},{"title":"B","body":["b1","b2"]}]"#).unwrap();
        assert_eq!(read.articles.len(), 2);
        assert_eq!(read.articles[1].record, Some(2));
        assert_eq!(read.articles[1].body, vec!["b1", "b2"]);
        let read = parse(r#"{"articles":[{"title":"A","text":"a."}],"count":1}"#).unwrap();
        assert_eq!(read.articles[0].title, "A");
    }

    #[test]
    fn bad_record_in_array_costs_that_record() {
        let read = parse(r#"[{"title":"A","text":"a."},{"title":5},{"url":"u"},3]"#).unwrap();
        assert_eq!(read.articles.len(), 1);
        let locs: Vec<&str> = read.errors.iter().map(|e| e.location.as_str()).collect();
        assert_eq!(locs, vec!["record 2", "record 4"]);
        assert!(read.errors[0].message.contains("\"title\""));
        // A record with nothing in it is empty, not broken.
        let empty: Vec<&str> = read.empty.iter().map(|e| e.location.as_str()).collect();
        assert_eq!(empty, vec!["record 3"]);
    }

    #[test]
    fn malformed_file_names_line_and_column() {
        let err = parse("{\n\"title\": }").unwrap_err();
        assert!(
            matches!(err, ReadError::Malformed { ref location, .. } if location.starts_with("line 2"))
        );
    }

    #[test]
    fn jsonl_skips_blank_lines_and_reports_bad_ones() {
        let read = parse_lines(
            "{\"title\":\"A\",\"text\":\"a\"}\n\n{oops\n{\"title\":\"B\",\"content\":\"b\"}\n",
        );
        assert_eq!(read.articles.len(), 2);
        assert_eq!(read.articles[1].record, Some(4));
        assert_eq!(read.errors.len(), 1);
        assert_eq!(read.errors[0].location, "line 3");
    }

    #[test]
    fn body_splits_on_single_newlines_without_blank_lines() {
        assert_eq!(split_paragraphs("a\nb\n"), vec!["a", "b"]);
        assert_eq!(split_paragraphs("a\nstill a\n\nb"), vec!["a still a", "b"]);
    }

    #[test]
    fn unix_dates_and_byline_strings() {
        let read =
            parse(r#"{"title":"T","pubDate":1577700000000,"byline":"By Jane Doe and John Roe"}"#)
                .unwrap();
        let a = &read.articles[0];
        assert_eq!(
            a.published.unwrap().to_rfc3339(),
            "2019-12-30T10:00:00+00:00"
        );
        assert_eq!(a.authors, vec!["Jane Doe", "John Roe"]);
    }

    #[test]
    fn object_without_text_is_no_text() {
        assert!(matches!(parse(r#"{"url":"x"}"#), Err(ReadError::NoText)));
    }
}
