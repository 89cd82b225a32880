//! Document-level place evaluation on Reuters-21578: for the stories whose
//! editors listed PLACES, the share of those countries found among the
//! countries of the article's place facets (recall), and the share of
//! extracted countries the editors listed (precision), for all mentions and
//! for the places marked *main* (what `--main` filters on). Also prints the ten
//! most frequent persons, places and organizations of the corpus, to judge
//! the facets by eye.
//!
//! `cargo run --release --example reuters_places -- ../shared/corpora/reuters21578`

use std::collections::{BTreeSet, HashMap};

use newsdex::entities::Extractor;
use newsdex::entities::gazetteer::Ref;
use newsdex::entities::tokenize::tokenize;
use rayon::prelude::*;

/// Reuters codes that are not a current country's name or alias.
const CODES: &[(&str, &str)] = &[
    ("west-germany", "Germany"),
    ("east-germany", "Germany"),
    ("ussr", "Russia"),
    ("zaire", "Democratic Republic of the Congo"),
    ("yemen-arab-republic", "Yemen"),
    ("yemen-demo-republic", "Yemen"),
    ("netherlands-antilles", "Curacao"),
    ("ivory-coast", "Ivory Coast"),
    ("trinidad-tobago", "Trinidad and Tobago"),
    ("us-virgin-islands", "U.S. Virgin Islands"),
];

fn main() -> anyhow::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/corpora/reuters21578".into());
    let ex = Extractor::load()?;
    let gaz = ex.gazetteer();
    let mut files: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "sgm"))
        .collect();
    files.sort();
    let mut articles = Vec::new();
    for f in &files {
        let read =
            newsdex::ingest::read_file(f).map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?;
        articles.extend(read.articles);
    }
    // Reuters place code -> country name.
    let mut toks = Vec::new();
    let mut country_of = |code: &str| -> Option<String> {
        if let Some((_, c)) = CODES.iter().find(|(k, _)| *k == code) {
            return Some(c.to_string());
        }
        let text = code.replace('-', " ");
        toks.clear();
        tokenize(&text, &mut toks);
        let words: Vec<&str> = toks.iter().map(|t| t.text(&text)).collect();
        let mut refs = Vec::new();
        gaz.lookup(&words, &mut refs);
        refs.iter().find_map(|r| match r {
            Ref::Country(c) => Some(gaz.countries[*c as usize].name.clone()),
            _ => None,
        })
    };
    let gold: Vec<BTreeSet<String>> = articles
        .iter()
        .map(|a| {
            a.tags
                .iter()
                .filter_map(|t| t.strip_prefix("places:"))
                .filter_map(&mut country_of)
                .collect()
        })
        .collect();
    let unmapped: BTreeSet<String> = articles
        .iter()
        .flat_map(|a| a.tags.iter())
        .filter_map(|t| t.strip_prefix("places:"))
        .filter(|c| country_of(c).is_none())
        .map(String::from)
        .collect();
    let started = std::time::Instant::now();
    let extracted: Vec<_> = articles.par_iter().map(|a| ex.extract(a)).collect();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{} stories, {} with mappable PLACES; extraction {:.1} s on all cores",
        articles.len(),
        gold.iter().filter(|g| !g.is_empty()).count(),
        secs
    );
    for main in [false, true] {
        let (mut tp, mut n_gold, mut n_pred) = (0usize, 0usize, 0usize);
        for ((g, e), a) in gold.iter().zip(&extracted).zip(&articles) {
            if g.is_empty() {
                continue;
            }
            let pred: BTreeSet<&str> = e
                .places
                .iter()
                .filter(|p| p.main || !main)
                .map(|p| p.path[0].as_str())
                .collect();
            tp += g.iter().filter(|c| pred.contains(c.as_str())).count();
            if let Some(level) = std::env::var_os("REUTERS_ERRORS") {
                let tag = if main { "main " } else { "" };
                for p in pred.iter().filter(|p| !g.contains(**p)) {
                    if level == "2" {
                        let found: Vec<String> = e
                            .places
                            .iter()
                            .filter(|x| x.path[0] == *p)
                            .map(|x| {
                                format!("{} x{} main={}", x.path.join("/"), x.mentions, x.main)
                            })
                            .collect();
                        eprintln!("{tag}FP\t{p}\t{}\t{:?}\t{found:?}", a.title, a.dateline);
                    } else {
                        eprintln!("{tag}FP\t{p}");
                    }
                }
                for c in g.iter().filter(|c| !pred.contains(c.as_str())) {
                    eprintln!("{tag}FN\t{c}");
                }
            }
            n_gold += g.len();
            n_pred += pred.len();
        }
        println!(
            "{}: country recall {:.4} ({tp}/{n_gold}), precision {:.4} ({tp}/{n_pred})",
            if main { "main places" } else { "all mentions" },
            tp as f64 / n_gold.max(1) as f64,
            tp as f64 / n_pred.max(1) as f64
        );
    }
    println!("unmapped place codes: {unmapped:?}");
    let top = |name: &str, items: Vec<String>| {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for i in items {
            *counts.entry(i).or_default() += 1;
        }
        let mut v: Vec<_> = counts.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let shown: Vec<String> = v
            .iter()
            .take(10)
            .map(|(k, c)| format!("{k} ({c})"))
            .collect();
        println!("top {name} (articles): {}", shown.join(", "));
    };
    top(
        "persons",
        extracted
            .iter()
            .flat_map(|e| e.persons.iter().map(|p| p.name.clone()))
            .collect(),
    );
    top(
        "places",
        extracted
            .iter()
            .flat_map(|e| e.places.iter().map(|p| p.path.join("/")))
            .collect(),
    );
    top(
        "orgs",
        extracted
            .iter()
            .flat_map(|e| e.orgs.iter().map(|p| p.name.clone()))
            .collect(),
    );
    Ok(())
}
