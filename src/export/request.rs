//! `newsdex search … --as ENGINE`: the request body that runs the same
//! query, filters, sort, page and facet counts on an exported index.
//!
//! Names are resolved here, by newsdex, to the canonical values the export
//! wrote, so the body filters on exact keywords; the words go to
//! `query_string`, whose grammar (AND/OR/NOT, +/-, field:term, "phrases",
//! prefix*, fuzzy~N, ranges) is the one newsdex's parser follows.

use serde_json::{Map, Value, json};

use super::Engine;
use super::document::rfc3339;
use crate::query::filters::{self, Filters};
use crate::query::histogram::Interval;
use crate::query::resolve::{Catalog, EntityType};
use crate::query::{CountBy, Request, Sort};

/// What a body cannot say on an engine, for stderr.
pub type Notes = Vec<String>;

/// The search body of `request` for `engine`: Elasticsearch and OpenSearch
/// `POST INDEX/_search`, Quickwit `POST api/v1/_elastic/INDEX/_search`.
pub fn body(
    engine: Engine,
    catalog: &Catalog,
    request: &Request,
) -> anyhow::Result<(Value, Notes)> {
    let mut notes = Notes::new();
    let (words, inline) = filters::split_query(&request.query)?;
    let mut all: Filters = request.filters.clone();
    all.merge(inline);
    let main = if all.main { "main_" } else { "" };

    let mut must = Vec::new();
    if !words.trim().is_empty() {
        must.push(query_string(engine, words.trim()));
    }
    let mut filter = Vec::new();
    for (kind, names, field) in [
        (EntityType::Person, &all.person, format!("{main}persons")),
        (EntityType::Place, &all.place, format!("{main}place_paths")),
        (EntityType::Org, &all.org, format!("{main}orgs")),
    ] {
        for name in names {
            let (values, note) = catalog.resolve_or_explain(kind, name)?;
            if let Some(note) = note {
                notes.push(note.to_string());
            }
            // Several values are spellings of one name: any will do.
            let names: Vec<&str> = values.iter().map(|v| v.name.as_str()).collect();
            filter.push(json!({"terms": {field.clone(): names}}));
        }
    }
    let from = all.from.as_deref().map(filters::period_start).transpose()?;
    let until = all.to.as_deref().map(filters::period_end).transpose()?;
    if from.is_some() || until.is_some() {
        let mut range = Map::new();
        if let Some(from) = from {
            range.insert("gte".into(), rfc3339(from).into());
        }
        if let Some(until) = until {
            range.insert("lt".into(), rfc3339(until).into());
        }
        filter.push(json!({"range": {"published": range}}));
    }
    if !all.source.is_empty() {
        // Any of the sources; each matches a source holding all its words.
        let field = match engine {
            Engine::Quickwit => "source",
            Engine::Elasticsearch | Engine::Opensearch => "source.words",
        };
        let any: Vec<Value> = all
            .source
            .iter()
            .map(|s| json!({"match": {field: {"query": s, "operator": "and"}}}))
            .collect();
        filter.push(json!({"bool": {"should": any, "minimum_should_match": 1}}));
    }
    let query = if must.is_empty() && filter.is_empty() {
        json!({"match_all": {}})
    } else {
        let mut bool_query = Map::new();
        if !must.is_empty() {
            bool_query.insert("must".into(), must.into());
        }
        if !filter.is_empty() {
            bool_query.insert("filter".into(), filter.into());
        }
        json!({"bool": bool_query})
    };

    let mut body = Map::new();
    body.insert("query".into(), query);
    body.insert("from".into(), request.offset.into());
    body.insert("size".into(), request.limit.into());
    body.insert("track_total_hits".into(), true.into());
    if request.sort != Sort::Relevance {
        let order = if request.sort == Sort::Newest {
            "desc"
        } else {
            "asc"
        };
        let sort = match engine {
            Engine::Quickwit => json!([{"published": {"order": order}}]),
            _ => json!([{"published": {"order": order, "missing": "_last"}}]),
        };
        body.insert("sort".into(), sort);
    }
    let aggs = aggregations(engine, request, main, &mut notes);
    if !aggs.is_empty() {
        body.insert("aggs".into(), aggs.into());
    }
    if request.collapse {
        match engine {
            Engine::Quickwit => notes.push("Quickwit cannot collapse hits by cluster".into()),
            _ => {
                body.insert("collapse".into(), json!({"field": "cluster"}));
            }
        }
    }
    if request.count_by == CountBy::Cluster {
        notes.push(
            "--count-by cluster has no equivalent: facets and the histogram count articles".into(),
        );
    }
    Ok((Value::Object(body), notes))
}

/// The words over newsdex's default fields, all required unless joined by OR.
fn query_string(engine: Engine, words: &str) -> Value {
    let fields: Vec<&str> = match engine {
        // Quickwit takes field names only, no boosts.
        Engine::Quickwit => vec!["title", "standfirst", "body", "captions"],
        _ => vec!["title^3", "standfirst^1.5", "body", "captions"],
    };
    json!({"query_string": {"query": words, "fields": fields, "default_operator": "AND"}})
}

/// Facets as `terms` aggregations (places by country, as newsdex counts
/// them) and the histogram as a `date_histogram`.
fn aggregations(
    engine: Engine,
    request: &Request,
    main: &str,
    notes: &mut Notes,
) -> Map<String, Value> {
    let mut aggs = Map::new();
    for kind in &request.facets {
        let field = match kind {
            EntityType::Person => "persons",
            EntityType::Place => "countries",
            EntityType::Org => "orgs",
        };
        aggs.insert(
            kind.name().to_string(),
            json!({"terms": {"field": format!("{main}{field}"), "size": request.facet_limit}}),
        );
    }
    if let Some(interval) = request.histogram {
        let unit = match interval {
            Interval::Year => "year",
            Interval::Month => "month",
            Interval::Day => "day",
        };
        match (engine, interval) {
            (Engine::Quickwit, Interval::Day) => {
                aggs.insert(
                    "histogram".into(),
                    json!({"date_histogram": {"field": "published", "fixed_interval": "1d"}}),
                );
            }
            (Engine::Quickwit, _) => notes.push(format!(
                "Quickwit's date_histogram takes fixed intervals only: no {unit} buckets"
            )),
            _ => {
                aggs.insert(
                    "histogram".into(),
                    json!({"date_histogram": {"field": "published", "calendar_interval": unit}}),
                );
            }
        }
    }
    aggs
}
