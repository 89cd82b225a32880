//! Extraction speed on one core: loads the extractor (timed), reads the BBC
//! corpus, runs `Extractor::extract` over every article several times on one
//! thread and prints tokens per second (median of the runs).
//!
//! `cargo run --release --example ner_speed -- ../shared/corpora/bbc [RUNS]`

use std::time::Instant;

use newsdex::article::Article;
use newsdex::entities::Extractor;
use newsdex::entities::tokenize::tokenize;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .unwrap_or_else(|| "../shared/corpora/bbc".into());
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);

    let started = Instant::now();
    let ex = Extractor::load()?;
    let load = started.elapsed();

    let mut articles = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry?;
        if entry.path().extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let text = String::from_utf8_lossy(&std::fs::read(entry.path())?).into_owned();
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        articles.push(Article {
            title: lines.next().unwrap_or_default().to_string(),
            body: lines.map(str::to_string).collect(),
            ..Default::default()
        });
    }
    let mut toks = Vec::new();
    let mut tokens = 0usize;
    for a in &articles {
        for t in std::iter::once(&a.title).chain(&a.body) {
            toks.clear();
            tokenize(t, &mut toks);
            tokens += toks.len();
        }
    }
    let mut rates = Vec::new();
    let mut found = 0usize;
    for _ in 0..runs {
        let t = Instant::now();
        found = 0;
        for a in &articles {
            let e = ex.extract(a);
            found += e.persons.len() + e.places.len() + e.orgs.len();
        }
        rates.push(tokens as f64 / t.elapsed().as_secs_f64());
    }
    rates.sort_by(f64::total_cmp);
    let median = rates[rates.len() / 2];
    println!(
        "load {:.0} ms; {} articles, {} tokens, {} entities; extraction on 1 thread: median {:.0} tokens/s over {} runs (min {:.0}, max {:.0})",
        load.as_secs_f64() * 1e3,
        articles.len(),
        tokens,
        found,
        median,
        runs,
        rates[0],
        rates[rates.len() - 1]
    );
    Ok(())
}
