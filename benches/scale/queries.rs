//! Warm query latency over a fixed mix, in-process, through the same
//! `newsdex::query::Session::search` the command line's batch mode uses (top
//! 10 hits with snippets, as a user sees them).
//!
//! The words and phrases are fixed so that sizes compare; the person, place
//! and organization filters take the most frequent values of the index being
//! measured (the names differ as the archive grows, the shape of the query
//! does not).

use std::time::Instant;

use newsdex::index::NewsIndex;
use newsdex::query::filters::Filters;
use newsdex::query::resolve::{EntityType, scan_values};
use newsdex::query::{Request, Session, Sort};
use serde::Serialize;
use tantivy::collector::Count;

use crate::measure::Stats;

/// Groups for the targets: "keyword and filter queries" are every class but
/// facets and the batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    Word,
    Phrase,
    Boolean,
    Filter,
    DateRange,
    Newest,
    Facets,
    Batch,
}

impl Class {
    pub fn keyword_or_filter(self) -> bool {
        !matches!(self, Class::Facets | Class::Batch)
    }
}

pub struct Spec {
    pub name: String,
    pub class: Class,
    pub requests: Vec<Request>,
    /// The query's words for `rg -c` (a literal), when it has a plain one.
    pub grep: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Measured {
    pub name: String,
    pub class: Class,
    pub query: String,
    pub filters: String,
    /// Matching articles (of the first request, for a batch).
    pub hits: usize,
    /// Requests per sample (100 for the batch).
    pub requests: usize,
    pub latency_ms: Stats,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grep: Option<String>,
    /// Every sample, for aggregates over classes.
    #[serde(skip)]
    pub raw: Vec<f64>,
}

fn request(query: &str, filters: Filters, sort: Sort, facets: bool) -> Request {
    Request {
        query: query.to_string(),
        filters,
        limit: 10,
        offset: 0,
        sort,
        facets: if facets {
            EntityType::ALL.to_vec()
        } else {
            Vec::new()
        },
        facet_limit: 10,
        histogram: None,
        collapse: false,
        count_by: Default::default(),
    }
}

fn spec(name: &str, class: Class, req: Request, grep: Option<&str>) -> Spec {
    Spec {
        name: name.to_string(),
        class,
        requests: vec![req],
        grep: grep.map(str::to_string),
    }
}

fn dates(from: &str, to: &str) -> Filters {
    Filters {
        from: Some(from.to_string()),
        to: Some(to.to_string()),
        ..Filters::default()
    }
}

/// The most frequent values of one entity type that also resolve as names
/// (countries only, for places). Read from the entity catalog, not by facet
/// counting, which is slow on large archives (see the report).
fn top_names(news: &NewsIndex, kind: EntityType, n: usize) -> anyhow::Result<Vec<String>> {
    let session = Session::open(news)?;
    let searcher = news.index.reader()?.searcher();
    let mut values = scan_values(news, &searcher, &[kind])?;
    values.sort_by(|a, b| {
        b.articles
            .cmp(&a.articles)
            .then_with(|| a.name.cmp(&b.name))
    });
    let mut names = Vec::new();
    for value in &values {
        if value.kind != kind || (kind == EntityType::Place && value.path.len() != 1) {
            continue;
        }
        let Some(name) = value.path.last() else {
            continue;
        };
        let filters = with_entity(kind, name);
        let matches = session
            .prepare("", &filters)
            .and_then(|p| Ok(p.searcher.search(&*p.query, &Count)?));
        if matches.is_ok_and(|c| c > 0) {
            names.push(name.clone());
        }
        if names.len() == n {
            break;
        }
    }
    Ok(names)
}

fn with_entity(kind: EntityType, name: &str) -> Filters {
    let mut filters = Filters::default();
    match kind {
        EntityType::Person => filters.person.push(name.to_string()),
        EntityType::Place => filters.place.push(name.to_string()),
        EntityType::Org => filters.org.push(name.to_string()),
    }
    filters
}

/// Builds the mix for one index. `fallback_names` stand in for the batch of
/// 100 person names when the index has no entity facets.
pub fn mix(
    news: &NewsIndex,
    fallback_names: &[String],
) -> anyhow::Result<(Vec<Spec>, Vec<String>)> {
    let mut notes = Vec::new();
    let none = Filters::default;
    let mut specs = vec![
        spec(
            "rare word",
            Class::Word,
            request("palladium", none(), Sort::Relevance, false),
            Some("palladium"),
        ),
        spec(
            "very rare word",
            Class::Word,
            request("cobalt", none(), Sort::Relevance, false),
            Some("cobalt"),
        ),
        spec(
            "mid word",
            Class::Word,
            request("election", none(), Sort::Relevance, false),
            Some("election"),
        ),
        spec(
            "common word",
            Class::Word,
            request("government", none(), Sort::Relevance, false),
            Some("government"),
        ),
        spec(
            "very common word",
            Class::Word,
            request("said", none(), Sort::Relevance, false),
            Some("said"),
        ),
        spec(
            "phrase",
            Class::Phrase,
            request("\"interest rates\"", none(), Sort::Relevance, false),
            Some("interest rates"),
        ),
        spec(
            "phrase, 3 words",
            Class::Phrase,
            request(
                "\"prime minister tony blair\"",
                none(),
                Sort::Relevance,
                false,
            ),
            Some("prime minister tony blair"),
        ),
        spec(
            "boolean AND NOT",
            Class::Boolean,
            request("oil AND NOT opec", none(), Sort::Relevance, false),
            None,
        ),
        spec(
            "boolean OR AND",
            Class::Boolean,
            request("(wheat OR corn) AND export", none(), Sort::Relevance, false),
            None,
        ),
        spec(
            "word + 5 years",
            Class::DateRange,
            request("oil", dates("1990", "1994"), Sort::Relevance, false),
            None,
        ),
        spec(
            "3 months, no words",
            Class::DateRange,
            request("", dates("2001-01", "2001-03"), Sort::Relevance, false),
            None,
        ),
        spec(
            "common word, newest first",
            Class::Newest,
            request("government", none(), Sort::Newest, false),
            None,
        ),
        spec(
            "everything, newest first",
            Class::Newest,
            request("", none(), Sort::Newest, false),
            None,
        ),
        spec(
            "facets, all articles",
            Class::Facets,
            request("", none(), Sort::Relevance, true),
            None,
        ),
        spec(
            "facets, mid word",
            Class::Facets,
            request("election", none(), Sort::Relevance, true),
            None,
        ),
        spec(
            "facets, common word",
            Class::Facets,
            request("government", none(), Sort::Relevance, true),
            None,
        ),
    ];
    let persons = top_names(news, EntityType::Person, 100)?;
    let places = top_names(news, EntityType::Place, 1)?;
    let orgs = top_names(news, EntityType::Org, 1)?;
    for (kind, names) in [
        (EntityType::Person, &persons),
        (EntityType::Place, &places),
        (EntityType::Org, &orgs),
    ] {
        let Some(name) = names.first() else {
            notes.push(format!(
                "no {} facets in the index: {} filter queries skipped",
                kind.name(),
                kind.name()
            ));
            continue;
        };
        specs.push(spec(
            &format!("{} filter", kind.name()),
            Class::Filter,
            request("", with_entity(kind, name), Sort::Relevance, false),
            None,
        ));
        specs.push(spec(
            &format!("{} filter + word", kind.name()),
            Class::Filter,
            request("said", with_entity(kind, name), Sort::Relevance, false),
            None,
        ));
    }
    if let Some(place) = places.first() {
        let mut filters = with_entity(EntityType::Place, place);
        filters.from = Some("2000".into());
        filters.to = Some("2009".into());
        specs.push(spec(
            "place filter + decade, newest first",
            Class::Filter,
            request("", filters, Sort::Newest, false),
            None,
        ));
    }
    let batch: Vec<Request> = if persons.len() >= 10 {
        persons
            .iter()
            .cycle()
            .take(100)
            .map(|p| {
                request(
                    "",
                    with_entity(EntityType::Person, p),
                    Sort::Relevance,
                    false,
                )
            })
            .collect()
    } else {
        notes.push(
            "fewer than 10 person facets: the batch of 100 names searches them as phrases"
                .to_string(),
        );
        fallback_names
            .iter()
            .cycle()
            .take(100)
            .map(|n| request(&format!("\"{n}\""), none(), Sort::Relevance, false))
            .collect()
    };
    if !batch.is_empty() {
        specs.push(Spec {
            name: "batch of 100 names".to_string(),
            class: Class::Batch,
            requests: batch,
            grep: None,
        });
    }
    Ok((specs, notes))
}

/// Time one query may take over all its rounds, once it has [`MIN_SAMPLES`].
const BUDGET_MS: f64 = 20_000.0;
const MIN_SAMPLES: usize = 3;
/// A query whose warm-up took longer than this needs only one sample.
const SLOW_MS: f64 = 10_000.0;

/// Runs the mix: one warm-up round, then `rounds` rounds, each query once a
/// round (interleaved, so no query gets a cache to itself). A query over
/// its time budget keeps the samples it has.
pub fn measure(news: &NewsIndex, specs: &[Spec], rounds: usize) -> anyhow::Result<Vec<Measured>> {
    let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); specs.len()];
    let mut hits = vec![0usize; specs.len()];
    // One point-in-time view for the single queries, as a long-lived
    // process holds; a batch opens its own, as `search --batch` does.
    let session = Session::open(news)?;
    let mut spent = vec![0.0f64; specs.len()];
    let mut first = vec![0.0f64; specs.len()];
    for round in 0..=rounds {
        for (i, spec) in specs.iter().enumerate() {
            // A slow query stops after a few samples rather than hold up the run.
            let min = if first[i] > SLOW_MS { 1 } else { MIN_SAMPLES };
            if samples[i].len() >= min && spent[i] > BUDGET_MS {
                continue;
            }
            let started = Instant::now();
            let batch_session;
            let session = if spec.class == Class::Batch {
                batch_session = Session::open(news)?;
                &batch_session
            } else {
                &session
            };
            for (j, req) in spec.requests.iter().enumerate() {
                let results = session.search(req)?;
                if j == 0 {
                    hits[i] = results.total;
                }
            }
            let ms = started.elapsed().as_secs_f64() * 1e3;
            spent[i] += ms;
            if round > 0 {
                samples[i].push(ms);
            } else {
                first[i] = ms;
            }
        }
    }
    Ok(specs
        .iter()
        .zip(samples)
        .zip(hits)
        .map(|((spec, samples), hits)| {
            let first = &spec.requests[0];
            Measured {
                name: spec.name.clone(),
                class: spec.class,
                query: first.query.clone(),
                filters: describe(&first.filters, first.sort, !first.facets.is_empty()),
                hits,
                requests: spec.requests.len(),
                latency_ms: Stats::of(samples.clone()),
                grep: spec.grep.clone(),
                raw: samples,
            }
        })
        .collect())
}

fn describe(filters: &Filters, sort: Sort, facets: bool) -> String {
    let mut parts = Vec::new();
    for (flag, values) in [
        ("--person", &filters.person),
        ("--place", &filters.place),
        ("--org", &filters.org),
    ] {
        for v in values {
            parts.push(format!("{flag} {v:?}"));
        }
    }
    if let Some(from) = &filters.from {
        parts.push(format!("--from {from}"));
    }
    if let Some(to) = &filters.to {
        parts.push(format!("--to {to}"));
    }
    if sort == Sort::Newest {
        parts.push("--sort newest".into());
    }
    if facets {
        parts.push("--facets".into());
    }
    parts.join(" ")
}
