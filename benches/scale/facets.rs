//! `scale facets INDEX QUERY...`: facet counts (top 10 persons, places and
//! orgs, as `search --facets` asks) by four routes over the same searcher
//! and the same prepared query, interleaved round by round:
//!
//! - **previous**: the collector before count plans
//!   (`facets::reference`), dictionary read per segment, merge by name;
//! - **plan, new**: the plan-based counter with its plan built in the round
//!   (what a new process pays);
//! - **plan, kept**: the same with the plan a session keeps (what `serve`,
//!   a batch or a second query of a session pays);
//! - **Tantivy terms**: Tantivy's own terms aggregation (top 10) on the
//!   same facet column: whole facet paths, so no roll-up of places to
//!   countries and no aliases, for scale rather than equivalence.
//!
//! The previous and the plan-based counts are checked to be identical.

use std::path::Path;
use std::time::Instant;

use anyhow::bail;
use newsdex::index::NewsIndex;
use newsdex::query::Session;
use newsdex::query::facets::reference::{DictionaryCounter, top_k};
use newsdex::query::facets::{CountSpec, FacetMap};
use newsdex::query::filters::Filters;
use newsdex::query::resolve::EntityType;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::{AggContextParams, AggregationCollector};
use tantivy::collector::Count;
use tantivy::query::Query;
use tantivy::schema::Facet;

use crate::measure::Stats;

const TOP: usize = 10;

type Tops = Vec<Vec<(Facet, u64)>>;

pub fn run(index: &Path, queries: &[String], rounds: usize) -> anyhow::Result<()> {
    let news = NewsIndex::open(index)?;
    let session = Session::open(&news)?;
    let roots: Vec<Facet> = EntityType::ALL.iter().map(|k| k.root()).collect();
    let spec = CountSpec::new(&roots, 1);
    let aggs: Aggregations = serde_json::from_value(serde_json::json!({
        "top": { "terms": { "field": "entity", "size": TOP } }
    }))?;
    println!(
        "segments: {}; rounds: {rounds} (median, p95 in ms)",
        session.searcher().segment_readers().len()
    );
    println!();
    println!(
        "| query | hits | previous | plan, new | plan, kept | Tantivy terms | previous / plan new | previous / plan kept | kept / Tantivy |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for text in queries {
        let prepared = session.prepare(text, &Filters::default())?;
        let query: &dyn Query = &*prepared.query;
        let searcher = session.searcher();
        let hits = searcher.search(query, &Count)?;
        let map = session.facet_map()?;
        let mut times: [Vec<f64>; 4] = Default::default();
        for round in 0..=rounds {
            let started = Instant::now();
            let counts = searcher.search(query, &DictionaryCounter::new(&spec, map))?;
            let previous: Tops = roots.iter().map(|r| top_k(&counts, r, TOP)).collect();
            let t0 = started.elapsed();

            let started = Instant::now();
            let fresh = FacetMap::new(session.catalog()?.names());
            let counts = searcher.search(query, &fresh.counter(&spec, searcher)?)?;
            let new: Tops = roots.iter().map(|r| counts.top(r, TOP)).collect();
            let t1 = started.elapsed();

            let started = Instant::now();
            let counts = searcher.search(query, &map.counter(&spec, searcher)?)?;
            let kept: Tops = roots.iter().map(|r| counts.top(r, TOP)).collect();
            let t2 = started.elapsed();

            let started = Instant::now();
            let collector = AggregationCollector::from_aggs(
                aggs.clone(),
                AggContextParams::new(Default::default(), Default::default()),
            );
            let terms = searcher.search(query, &collector)?;
            let t3 = started.elapsed();
            std::hint::black_box(terms);

            if previous != new || previous != kept {
                bail!("facet counts of {text:?} differ: previous {previous:?}, plan {new:?}");
            }
            if round > 0 {
                for (samples, t) in times.iter_mut().zip([t0, t1, t2, t3]) {
                    samples.push(t.as_secs_f64() * 1e3);
                }
            }
        }
        let [old, new, kept, terms] = times.map(Stats::of);
        let shown = if text.is_empty() {
            "(all articles)".to_string()
        } else {
            format!("`{text}`")
        };
        println!(
            "| {shown} | {hits} | {:.1} ({:.1}) | {:.1} ({:.1}) | {:.2} ({:.2}) | {:.1} ({:.1}) | {:.1}× | {:.1}× | {:.2} |",
            old.p50,
            old.p95,
            new.p50,
            new.p95,
            kept.p50,
            kept.p95,
            terms.p50,
            terms.p95,
            old.p50 / new.p50,
            old.p50 / kept.p50,
            kept.p50 / terms.p50,
        );
    }
    Ok(())
}
