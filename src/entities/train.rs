//! Training the tagger: corpus preparation and a sparse averaged perceptron.
//!
//! Trains on GMB (all but the held-out tenth, sentence numbers ending in 0),
//! WikiGold and re3d; never on CoNLL-2003. Spans are cleaned to the
//! convention the extractor outputs: no leading titles or determiners in
//! names, demonyms are not places. Deterministic: a fixed-seed shuffle and
//! no threads. Updates touch only the rows of the features that fired, with
//! lazy averaging by timestamps (a structured perceptron: Viterbi decoding,
//! updates where the predicted labels or transitions differ from the gold).

use std::path::{Path, PathBuf};

use anyhow::Context;

use super::corpus::{Sentence, gmb_heldout, read_conll, read_gmb};
use super::gazetteer::{Cat, Gazetteer, Ref, word_hash};
use super::tagger::{
    Featurizer, HashSet64, Kind, Lattice, N_LABELS, O, Scratch, spans_to_labels, viterbi,
};

pub struct Options {
    pub corpora: PathBuf,
    pub epochs: usize,
    pub bits: u32,
    pub seed: u64,
}

/// The training sentences, cleaned, with where they came from.
pub fn training_sentences(gaz: &Gazetteer, corpora: &Path) -> anyhow::Result<Vec<Sentence>> {
    let mut out = Vec::new();
    let gmb = read_gmb(&corpora.join("gmb/ner_dataset.csv"))?;
    for mut s in gmb.into_iter().filter(|s| !gmb_heldout(s)) {
        // GMB's gpe is mostly nationality adjectives; only proper-noun
        // country names stay places.
        let pos = std::mem::take(&mut s.pos);
        s.spans.retain(|&(a, b, k)| {
            k != Kind::Loc || pos[a..b].iter().all(|p| p == "NNP" || p == "NNPS") || b - a > 1
        });
        out.push(s);
    }
    let wiki = corpora.join("wikigold/CONLL-format/data/wikigold.conll.txt");
    for doc in read_conll(&wiki)? {
        out.extend(doc);
    }
    let re3d = corpora.join("re3d/by-source");
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&re3d).sort_by_file_name() {
        let entry = entry.with_context(|| format!("{}", re3d.display()))?;
        if entry.path().extension().is_some_and(|e| e == "conll") {
            files.push(entry.into_path());
        }
    }
    for f in files {
        for doc in read_conll(&f)? {
            out.extend(doc);
        }
    }
    for s in &mut out {
        clean_spans(gaz, s);
    }
    Ok(out)
}

/// Cleans spans to the extractor's convention: no leading lower-case words
/// ("the"), and person names without leading titles or nationalities
/// (GMB and re3d include them: "President Bush", "the Iraqi Foreign Minister").
pub fn clean_spans(gaz: &Gazetteer, s: &mut Sentence) {
    let mut refs = Vec::new();
    let words = &s.words;
    let mut spans = Vec::with_capacity(s.spans.len());
    for &(mut a, b, k) in &s.spans {
        while a < b {
            let w = words[a].as_str();
            let lower = w.chars().next().is_some_and(|c| !c.is_uppercase());
            refs.clear();
            gaz.lookup(&[w], &mut refs);
            let title = refs.contains(&Ref::Plain(Cat::Title));
            let demonym = refs.iter().any(|r| matches!(r, Ref::Demonym(_)));
            if lower || (k == Kind::Per && (title || demonym)) {
                a += 1;
            } else {
                break;
            }
        }
        if a < b {
            spans.push((a, b, k));
        }
    }
    s.spans = spans;
}

/// Words usually written lower case in running text.
fn lower_vocab(sents: &[Sentence]) -> HashSet64 {
    let mut counts: std::collections::HashMap<u64, (u32, u32)> = Default::default();
    for s in sents {
        for w in s.words.iter().skip(1) {
            let Some(c) = w.chars().next() else { continue };
            if !c.is_alphabetic() {
                continue;
            }
            let e = counts.entry(word_hash(w)).or_default();
            if c.is_lowercase() {
                e.0 += 1;
            } else {
                e.1 += 1;
            }
        }
    }
    counts
        .into_iter()
        .filter(|&(_, (l, c))| l >= 2 && l > c)
        .map(|(h, _)| h)
        .collect()
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Trains and returns the featurizer (with its lower-case vocabulary) and
/// the averaged weights.
pub fn train(
    gaz: &Gazetteer,
    opts: &Options,
    log: &mut dyn FnMut(&str),
) -> anyhow::Result<(Featurizer, Vec<f32>)> {
    let mut sents = training_sentences(gaz, &opts.corpora)?;
    let feats = Featurizer::new(opts.bits, lower_vocab(&sents));
    // A few sentences in capitals teach the headline and dateline features.
    let mut rng = Rng(opts.seed | 1);
    let n0 = sents.len();
    for i in 0..n0 {
        if rng.next().is_multiple_of(25) {
            let mut s = sents[i].clone();
            for w in &mut s.words {
                *w = w.to_uppercase();
            }
            sents.push(s);
        }
    }
    log(&format!(
        "{} training sentences, {} tokens",
        sents.len(),
        sents.iter().map(|s| s.words.len()).sum::<usize>()
    ));
    let size = (1usize << opts.bits) * N_LABELS;
    let mut w = vec![0f32; size];
    let mut tot = vec![0f64; size];
    let mut ts = vec![0u32; size];
    let mut t: u32 = 0;
    let mut order: Vec<usize> = (0..sents.len()).collect();
    let mut scratch = Scratch::default();
    let mut gold = Vec::new();
    let mut pred = Vec::new();
    let mut lattice = Lattice::default();
    let mut words: Vec<&str> = Vec::new();
    for epoch in 0..opts.epochs {
        let started = std::time::Instant::now();
        for i in (1..order.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        let (mut errors, mut total) = (0usize, 0usize);
        for &si in &order {
            let s = &sents[si];
            words.clear();
            words.extend(s.words.iter().map(String::as_str));
            spans_to_labels(words.len(), &s.spans, &mut gold);
            feats.features(gaz, &words, &mut scratch);
            viterbi(
                &feats,
                &w[..],
                &scratch,
                words.len(),
                &mut lattice,
                &mut pred,
            );
            t += 1;
            total += words.len();
            let mut update = |f: u32, l: u8, delta: f32| {
                let ix = f as usize * N_LABELS + l as usize;
                tot[ix] += f64::from(t - ts[ix]) * f64::from(w[ix]);
                ts[ix] = t;
                w[ix] += delta;
            };
            for i in 0..words.len() {
                let (gp, pp) = if i == 0 {
                    (O, O)
                } else {
                    (gold[i - 1], pred[i - 1])
                };
                if gold[i] == pred[i] && gp == pp {
                    continue;
                }
                if gold[i] != pred[i] {
                    errors += 1;
                    for &f in &scratch.feats[scratch.offs[i] as usize..scratch.offs[i + 1] as usize]
                    {
                        update(f, gold[i], 1.0);
                        update(f, pred[i], -1.0);
                    }
                }
                for f in feats.dynamic(&scratch, i, gp) {
                    update(f, gold[i], 1.0);
                }
                for f in feats.dynamic(&scratch, i, pp) {
                    update(f, pred[i], -1.0);
                }
            }
        }
        log(&format!(
            "epoch {}: token error {:.4}, {:.1} s",
            epoch + 1,
            errors as f64 / total.max(1) as f64,
            started.elapsed().as_secs_f64()
        ));
    }
    let avg: Vec<f32> = (0..size)
        .map(|ix| {
            let total = tot[ix] + f64::from(t - ts[ix]) * f64::from(w[ix]);
            (total / f64::from(t.max(1))) as f32
        })
        .collect();
    Ok((feats, avg))
}
