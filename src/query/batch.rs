//! One line of `search --batch` given as JSON: a query and its filters, each
//! filter a string or a list of strings (`{"query": "oil", "place": "Iran"}`,
//! `{"person": ["Tony Blair", "Gordon Brown"]}`). Its JSON Schema is
//! `schema/batch-line.schema.json`.

use std::fmt;

use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

use super::filters::Filters;

/// A JSON batch line. Unknown keys are refused, so a misspelt filter
/// (`"places"`) is an error, not a filter silently left out.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchLine {
    /// Words, phrases, operators and in-query filters, as `search QUERY`
    /// takes them; empty or absent matches every article.
    #[serde(default)]
    pub query: String,
    /// Articles mentioning this person (a list: all of them).
    #[serde(default)]
    #[schemars(with = "OneOrManySchema")]
    pub person: Names,
    /// Articles mentioning this place or a place inside it (a list: all).
    #[serde(default)]
    #[schemars(with = "OneOrManySchema")]
    pub place: Names,
    /// Articles mentioning this organization (a list: all).
    #[serde(default)]
    #[schemars(with = "OneOrManySchema")]
    pub org: Names,
    /// Articles from this source (a list: any of them).
    #[serde(default)]
    #[schemars(with = "OneOrManySchema")]
    pub source: Names,
    /// Published on or after: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a year may
    /// be a number).
    #[serde(default)]
    #[schemars(with = "Option<DateSchema>")]
    pub from: Option<DateText>,
    /// Published on or before (the whole period named), same forms.
    #[serde(default)]
    #[schemars(with = "Option<DateSchema>")]
    pub to: Option<DateText>,
    /// Entity filters only over the articles each entity is about.
    #[serde(default)]
    pub main: bool,
    /// Hits for this line (default: `--limit`).
    pub limit: Option<usize>,
}

impl BatchLine {
    /// The line's filters.
    pub fn filters(&self) -> Filters {
        Filters {
            person: self.person.0.clone(),
            place: self.place.0.clone(),
            org: self.org.0.clone(),
            from: self.from.as_ref().map(|d| d.0.clone()),
            to: self.to.as_ref().map(|d| d.0.clone()),
            source: self.source.0.clone(),
            main: self.main,
        }
    }
}

/// Names given as one string or a list of strings.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Names(pub Vec<String>);

/// A name, or a list of names (JSON Schema of [`Names`]).
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum OneOrManySchema {
    One(String),
    Many(Vec<String>),
}

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Names, D::Error> {
        struct NamesVisitor;
        impl<'de> Visitor<'de> for NamesVisitor {
            type Value = Names;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a name or a list of names")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Names, E> {
                Ok(Names(vec![v.to_string()]))
            }

            fn visit_unit<E: de::Error>(self) -> Result<Names, E> {
                Ok(Names::default())
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Names, A::Error> {
                let mut out = Vec::new();
                while let Some(name) = seq.next_element::<String>()? {
                    out.push(name);
                }
                Ok(Names(out))
            }
        }
        deserializer.deserialize_any(NamesVisitor)
    }
}

/// A date given as a string, or a year as a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateText(pub String);

/// A date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, or a year as a number
/// (JSON Schema of [`DateText`]).
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum DateSchema {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    Text(String),
    /// A year.
    Year(u32),
}

impl<'de> Deserialize<'de> for DateText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<DateText, D::Error> {
        struct DateVisitor;
        impl Visitor<'_> for DateVisitor {
            type Value = DateText;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date: YYYY, YYYY-MM or YYYY-MM-DD")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }
        }
        deserializer.deserialize_any(DateVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_filter_takes_a_string_or_a_list() {
        let line: BatchLine = serde_json::from_str(
            r#"{"query": "oil", "place": "Iran", "person": ["A B", "C"], "org": [],
                "source": "BBC News", "from": 2019, "to": "2020-06", "main": true}"#,
        )
        .unwrap();
        let f = line.filters();
        assert_eq!(f.place, ["Iran"]);
        assert_eq!(f.person, ["A B", "C"]);
        assert!(f.org.is_empty());
        assert_eq!(f.source, ["BBC News"]);
        assert_eq!(f.from.as_deref(), Some("2019"));
        assert_eq!(f.to.as_deref(), Some("2020-06"));
        assert!(f.main);
        let err = serde_json::from_str::<BatchLine>(r#"{"places": "Iran"}"#).unwrap_err();
        assert!(err.to_string().contains("unknown field `places`"), "{err}");
        let err = serde_json::from_str::<BatchLine>(r#"{"place": 3}"#).unwrap_err();
        assert!(
            err.to_string().contains("a name or a list of names"),
            "{err}"
        );
    }
}
