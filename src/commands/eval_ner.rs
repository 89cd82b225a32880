//! `newsdex eval-ner`: scores the extractor against an annotated file with
//! exact typed spans (PER, LOC, ORG; GPE and GMB geo/gpe count as LOC; MISC
//! and other types are ignored), as conlleval does.

use std::collections::HashSet;
use std::io::Write;

use anyhow::Context;
use rayon::prelude::*;
use serde::Serialize;

use crate::cli::{EvalNerArgs, ReportFormat};
use crate::entities::Extractor;
use crate::entities::corpus::{Doc, gmb_heldout, read_conll, read_gmb};
use crate::entities::tagger::Kind;
use crate::entities::train::clean_spans;
use crate::exit::Status;

#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct Score {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub gold: u64,
    pub predicted: u64,
    pub correct: u64,
}

impl Score {
    /// Scores `correct` hits among `predicted` against `gold` (0 where a
    /// denominator is 0); shared by the extraction evaluation.
    pub fn from_counts(correct: u64, predicted: u64, gold: u64) -> Score {
        let precision = if predicted == 0 {
            0.0
        } else {
            correct as f64 / predicted as f64
        };
        let recall = if gold == 0 {
            0.0
        } else {
            correct as f64 / gold as f64
        };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Score {
            precision,
            recall,
            f1,
            gold,
            predicted,
            correct,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub file: String,
    pub documents: usize,
    pub sentences: usize,
    pub tokens: usize,
    pub per: Score,
    pub loc: Score,
    pub org: Score,
    pub overall: Score,
    pub seconds: f64,
}

/// Counts (correct, predicted, gold) per kind for one document.
fn score_doc(ex: &Extractor, doc: &Doc) -> [[u64; 3]; 3] {
    let sents: Vec<Vec<&str>> = doc
        .iter()
        .map(|s| s.words.iter().map(String::as_str).collect())
        .collect();
    let mut gold = HashSet::new();
    let mut base = 0;
    for s in doc {
        for &(a, b, k) in &s.spans {
            gold.insert((base + a, base + b, k));
        }
        base += s.words.len();
    }
    let pred: HashSet<(usize, usize, Kind)> = ex
        .tag_sentences(&sents)
        .into_iter()
        .map(|s| (s.start, s.end, s.kind))
        .collect();
    if std::env::var_os("NEWSDEX_NER_ERRORS").is_some() {
        let words: Vec<&str> = sents.iter().flatten().copied().collect();
        let show =
            |&(a, b, k): &(usize, usize, Kind)| format!("{} {}", k.name(), words[a..b].join(" "));
        let ctx = |a: usize| words[a.saturating_sub(3)..(a + 5).min(words.len())].join(" ");
        for p in pred.difference(&gold) {
            eprintln!("FP\t{}\t| {}", show(p), ctx(p.0));
        }
        for g in gold.difference(&pred) {
            eprintln!("FN\t{}\t| {}", show(g), ctx(g.0));
        }
    }
    let mut c = [[0u64; 3]; 3];
    for p in &pred {
        c[p.2 as usize][1] += 1;
        if gold.contains(p) {
            c[p.2 as usize][0] += 1;
        }
    }
    for g in &gold {
        c[g.2 as usize][2] += 1;
    }
    c
}

/// Scores the extractor on annotated documents.
pub fn evaluate(ex: &Extractor, file: &str, docs: &[Doc]) -> Report {
    let started = std::time::Instant::now();
    let counts = docs.par_iter().map(|d| score_doc(ex, d)).reduce(
        || [[0u64; 3]; 3],
        |mut a, b| {
            for k in 0..3 {
                for j in 0..3 {
                    a[k][j] += b[k][j];
                }
            }
            a
        },
    );
    let s = |k: usize| Score::from_counts(counts[k][0], counts[k][1], counts[k][2]);
    let sum = |j: usize| counts.iter().map(|c| c[j]).sum::<u64>();
    Report {
        file: file.to_string(),
        documents: docs.len(),
        sentences: docs.iter().map(Vec::len).sum(),
        tokens: docs.iter().flatten().map(|s| s.words.len()).sum(),
        per: s(Kind::Per as usize),
        loc: s(Kind::Loc as usize),
        org: s(Kind::Org as usize),
        overall: Score::from_counts(sum(0), sum(1), sum(2)),
        seconds: started.elapsed().as_secs_f64(),
    }
}

pub fn run(args: EvalNerArgs) -> anyhow::Result<Status> {
    let ex = match &args.model {
        Some(path) => {
            let bytes = std::fs::read(path).with_context(|| format!("{}", path.display()))?;
            Extractor::with_model(&bytes).with_context(|| format!("{}", path.display()))?
        }
        None => Extractor::load().context("loading the entity extractor")?,
    };
    let is_csv = args.file.extension().is_some_and(|e| e == "csv");
    let docs: Vec<Doc> = if is_csv {
        // GMB puts titles inside person names ("President Bush"); the
        // extractor, like CoNLL, does not: score names without them.
        read_gmb(&args.file)?
            .into_iter()
            .filter(|s| !args.gmb_heldout || gmb_heldout(s))
            .map(|mut s| {
                clean_spans(ex.gazetteer(), &mut s);
                vec![s]
            })
            .collect()
    } else {
        anyhow::ensure!(!args.gmb_heldout, "--gmb-heldout needs the GMB CSV");
        read_conll(&args.file)?
    };
    let mut name = args.file.display().to_string();
    if args.gmb_heldout {
        name.push_str(" (held-out tenth)");
    }
    let report = evaluate(&ex, &name, &docs);
    let mut out = std::io::stdout().lock();
    match args.format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        ReportFormat::Text => {
            writeln!(
                out,
                "{}: {} documents, {} sentences, {} tokens, {:.2} s",
                report.file, report.documents, report.sentences, report.tokens, report.seconds
            )?;
            writeln!(
                out,
                "{:<8} {:>9} {:>9} {:>9} {:>7} {:>7}",
                "type", "precision", "recall", "F1", "gold", "found"
            )?;
            for (name, s) in [
                ("PER", report.per),
                ("LOC", report.loc),
                ("ORG", report.org),
                ("overall", report.overall),
            ] {
                writeln!(
                    out,
                    "{:<8} {:>9.4} {:>9.4} {:>9.4} {:>7} {:>7}",
                    name, s.precision, s.recall, s.f1, s.gold, s.predicted
                )?;
            }
        }
    }
    Ok(Status::Success)
}
