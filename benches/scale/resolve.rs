//! `scale resolve INDEX NAME...`: what resolving a name costs a process,
//! from opening the entity catalog to the resolved value, with the name
//! index (the current way) and with a scan of the term dictionaries (the
//! way before it, kept for comparison). Each round builds everything anew,
//! as a new process would; the index files are in the page cache, as they
//! are for a search run right after another.

use std::path::Path;
use std::time::Instant;

use newsdex::index::NewsIndex;
use newsdex::query::Session;
use newsdex::query::resolve::{Catalog, EntityType, scan_values};

use crate::measure::Stats;

pub fn run(index: &Path, names: &[String], rounds: usize) -> anyhow::Result<()> {
    let news = NewsIndex::open(index)?;
    println!("| name | type | name index p50 ms | p95 | dictionary scan p50 ms | p95 |");
    println!("|---|---|---:|---:|---:|---:|");
    for spec in names {
        // "org:OPEC", "place:London", or a person's name.
        let (kind, name) = match spec.split_once(':') {
            Some(("org", n)) => (EntityType::Org, n),
            Some(("place", n)) => (EntityType::Place, n),
            Some(("person", n)) => (EntityType::Person, n),
            _ => (EntityType::Person, spec.as_str()),
        };
        let mut indexed = Vec::with_capacity(rounds);
        let mut scanned = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let started = Instant::now();
            let session = Session::open(&news)?;
            let resolved = session.catalog()?.resolve(kind, name);
            indexed.push(started.elapsed().as_secs_f64() * 1e3);
            std::hint::black_box(resolved);

            let started = Instant::now();
            let searcher = news.index.reader()?.searcher();
            let values = scan_values(&news, &searcher, &[kind])?;
            let resolved = Catalog::from_values(&values).resolve(kind, name);
            scanned.push(started.elapsed().as_secs_f64() * 1e3);
            std::hint::black_box(resolved);
        }
        let (a, b) = (Stats::of(indexed), Stats::of(scanned));
        println!(
            "| {name} | {} | {:.2} | {:.2} | {:.2} | {:.2} |",
            kind.name(),
            a.p50,
            a.p95,
            b.p50,
            b.p95
        );
    }
    Ok(())
}

/// `scale query INDEX QUERY [--facets]`: in-process time of one search
/// (a new session each round, so alias files and the name index are read
/// each time, as by a new process), p50 and p95 in ms.
pub fn query(index: &Path, text: &str, facets: bool, rounds: usize) -> anyhow::Result<()> {
    let news = NewsIndex::open(index)?;
    let request = newsdex::query::Request {
        query: text.to_string(),
        limit: if facets { 0 } else { 10 },
        facets: if facets {
            EntityType::ALL.to_vec()
        } else {
            Vec::new()
        },
        facet_limit: 10,
        ..Default::default()
    };
    let mut times = Vec::with_capacity(rounds);
    for round in 0..=rounds {
        let started = Instant::now();
        let results = Session::open(&news)?.search(&request)?;
        // The first round warms the page cache (and rebuilds a stale name index).
        if round > 0 {
            times.push(started.elapsed().as_secs_f64() * 1e3);
        }
        std::hint::black_box(results);
    }
    let stats = Stats::of(times);
    println!(
        "{text}\tfacets={facets}\tp50_ms={:.2}\tp95_ms={:.2}",
        stats.p50, stats.p95
    );
    Ok(())
}
