//! Measures near-duplicate clustering on a labelled set built from real
//! articles: copies made with the edits outlets make (a new headline,
//! paragraphs added, removed or reordered, boilerplate, a few words
//! changed, whitespace and encoding), and same-topic articles that are not
//! copies. Prints pair precision and recall of the indexer's own clustering
//! (`newsdex::dups::clusterer`) across thresholds, recall by edit, and a
//! comparison with exact Jaccard at other shingle lengths and with SimHash.
//! Results: benches/results/duplicates.md.
//!
//! ```text
//! cargo run --release --example dup_eval -- ../shared/corpora 400
//! ```

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use newsdex::article::Article;
use newsdex::dups::clusterer::Clusterer;
use newsdex::dups::signature::{Signature, jaccard, shingles};
use newsdex::index::NewsIndex;
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};

/// One article of the labelled set.
struct Item {
    /// The original it was made from (its own index for an original).
    group: usize,
    /// The edits that made it ("original" for an original).
    edits: Vec<&'static str>,
    /// Same-topic label (BBC category, Reuters first topic).
    topic: String,
    article: Article,
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let corpora = PathBuf::from(args.first().map_or("../shared/corpora", String::as_str));
    let originals_wanted: usize = args.get(1).map_or(Ok(400), |n| n.parse())?;
    let mut rng = StdRng::seed_from_u64(16);

    let (pool, short) = read_pool(&corpora)?;
    let originals = pick_originals(&pool, originals_wanted, &mut rng);
    let items = build_set(&originals, &pool, &mut rng);
    let copies = items.iter().filter(|i| i.edits[0] != "original").count();
    println!(
        "labelled set: {} originals ({} BBC, {} Reuters), {} copies, seed 16",
        originals.len(),
        originals.iter().filter(|o| o.1.starts_with("bbc")).count(),
        originals
            .iter()
            .filter(|o| o.1.starts_with("reuters"))
            .count(),
        copies
    );
    let texts: Vec<String> = items
        .iter()
        .map(|i| newsdex::dups::text_of(&i.article))
        .collect();
    let true_pairs = count_true_pairs(&items);
    println!("true pairs: {true_pairs}");

    // The indexer's clustering, fed in a shuffled order, per threshold.
    let started = Instant::now();
    let signatures: Vec<Option<Signature>> = texts.iter().map(|t| Signature::of(t)).collect();
    let per_article = started.elapsed().as_secs_f64() / texts.len() as f64;
    println!(
        "signature: {:.1} µs per article ({} of {} long enough)",
        per_article * 1e6,
        signatures.iter().filter(|s| s.is_some()).count(),
        texts.len()
    );
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.shuffle(&mut rng);
    println!("\n| threshold | pairs predicted | precision | recall |");
    println!("|---|---|---|---|");
    let mut at_default = None;
    for t in [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9] {
        let clusters = cluster(&signatures, &order, t)?;
        let (p, r, predicted) = pair_scores(&items, &clusters, true_pairs);
        println!("| {t:.2} | {predicted} | {p:.4} | {r:.4} |");
        if (t - newsdex::dups::DEFAULT_THRESHOLD).abs() < 1e-9 {
            at_default = Some(clusters);
        }
    }
    // The same without the short-article rule (every pair held to the
    // threshold), to see what the rule costs in recall here.
    let flat: Vec<Option<Signature>> = signatures.iter().map(without_short_rule).collect();
    println!("\nsame clustering without the short-article rule:\n");
    println!("| threshold | pairs predicted | precision | recall |");
    println!("|---|---|---|---|");
    for t in [0.2, 0.25, 0.3, 0.4, 0.5] {
        let clusters = cluster(&flat, &order, t)?;
        let (p, r, predicted) = pair_scores(&items, &clusters, true_pairs);
        println!("| {t:.2} | {predicted} | {p:.4} | {r:.4} |");
    }
    // Other band shapes over the same signatures (a replica of the
    // clusterer's in-memory path): the 32 bands of 4 values used before,
    // and 64 of 2.
    for rows in [4usize, 2] {
        let bands = 128 / rows;
        println!("\nsame clustering with {bands} bands of {rows} values (simulated):\n");
        println!("| threshold | pairs predicted | precision | recall | candidates per article |");
        println!("|---|---|---|---|---|");
        for t in [0.2, 0.25, 0.3, 0.4, 0.5] {
            let (clusters, candidates) = cluster_simulated(&signatures, &order, t, rows);
            let (p, r, predicted) = pair_scores(&items, &clusters, true_pairs);
            println!(
                "| {t:.2} | {predicted} | {p:.4} | {r:.4} | {:.1} |",
                candidates as f64 / items.len() as f64
            );
        }
    }
    if let Some(clusters) = at_default {
        recall_by_edit(&items, &clusters);
        false_merges(&items, &clusters, &texts);
    }
    compare_methods(&items, &texts, &mut rng);
    short_articles(&short)?;
    Ok(())
}

/// A signature the short-article rule does not apply to.
fn without_short_rule(signature: &Option<Signature>) -> Option<Signature> {
    signature.clone().map(|mut s| {
        s.shingles = u16::MAX;
        s
    })
}

/// Whether short articles cluster by accident: every article of the
/// corpora under 120 words through the clusterer at the default
/// threshold, with the short-article rule and without it; prints the
/// pairs formed with their exact Jaccard index, to be read (Reuters
/// repeats short items for real: a repeated flash is a true pair).
fn short_articles(short: &[Article]) -> anyhow::Result<()> {
    let texts: Vec<String> = short.iter().map(newsdex::dups::text_of).collect();
    let signatures: Vec<Option<Signature>> = texts.iter().map(|t| Signature::of(t)).collect();
    let order: Vec<usize> = (0..short.len()).collect();
    let t = newsdex::dups::DEFAULT_THRESHOLD;
    let with_rule = cluster(&signatures, &order, t)?;
    let pairs = |clusters: &[u64]| {
        let mut by: HashMap<u64, Vec<usize>> = HashMap::new();
        for (i, &c) in clusters.iter().enumerate() {
            by.entry(c).or_default().push(i);
        }
        let mut out = Vec::new();
        for members in by.values().filter(|m| m.len() > 1) {
            for &m in &members[1..] {
                out.push((members[0], m));
            }
        }
        out.sort();
        out
    };
    // The same run with the long-article threshold for every pair.
    let flat: Vec<Option<Signature>> = signatures.iter().map(without_short_rule).collect();
    let without_rule = cluster(&flat, &order, t)?;
    let (with, without) = (pairs(&with_rule), pairs(&without_rule));
    println!(
        "\nshort articles (under 120 words): {}, {} long enough to sign; pairs (member, cluster's first) at threshold {t}: {} with the short-article rule, {} without\n",
        short.len(),
        signatures.iter().filter(|s| s.is_some()).count(),
        with.len(),
        without.len()
    );
    println!("| pair | kept by the rule | exact J | words | titles |");
    println!("|---|---|---|---|---|");
    let with: HashSet<(usize, usize)> = with.into_iter().collect();
    for (n, &(a, b)) in without.iter().enumerate() {
        if n % (without.len() / 30).max(1) != 0 {
            continue;
        }
        let j = jaccard(&shingles(&texts[a], 4), &shingles(&texts[b], 4));
        println!(
            "| {n} | {} | {j:.2} | {}/{} | {:?} / {:?} |",
            if with.contains(&(a, b)) { "yes" } else { "no" },
            short[a].word_count(),
            short[b].word_count(),
            short[a].title,
            short[b].title
        );
    }
    Ok(())
}

/// Candidate originals: (article, label "bbc/<category>" or
/// "reuters/<topic>"); and the short articles (under 120 words).
type Pool = Vec<(Article, String)>;
fn read_pool(corpora: &Path) -> anyhow::Result<(Pool, Vec<Article>)> {
    let mut pool = Vec::new();
    let mut short = Vec::new();
    let limits = newsdex::ingest::limits::Limits::default();
    let mut files: Vec<PathBuf> = walk(&corpora.join("bbc"));
    files.extend(walk(&corpora.join("reuters21578")));
    files.sort();
    for file in files {
        let name = file.to_string_lossy().to_string();
        let label = if name.contains("/bbc/") {
            let category = file
                .parent()
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            format!("bbc/{category}")
        } else if name.ends_with(".sgm") {
            "reuters".to_string()
        } else {
            continue;
        };
        let mut each = |record| {
            if let newsdex::ingest::Record::Article(article) = record {
                let words = article.word_count();
                if words < 120 {
                    short.push(article);
                } else if words <= 1500 && article.body.len() >= 3 {
                    let label = if label == "reuters" {
                        let topic = article
                            .tags
                            .iter()
                            .find(|t| t.starts_with("topics:"))
                            .cloned()
                            .unwrap_or_else(|| "topics:none".into());
                        format!("reuters/{topic}")
                    } else {
                        label.clone()
                    };
                    pool.push((article, label));
                }
            }
        };
        let _ = newsdex::ingest::read_file_each(&file, &limits, true, &mut each);
    }
    Ok((pool, short))
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Originals that are not near-duplicates of one another (Reuters repeats
/// stories; a repeat would be a true pair the labels do not know), half
/// BBC and half Reuters, from topics with several articles.
fn pick_originals(
    pool: &[(Article, String)],
    wanted: usize,
    rng: &mut StdRng,
) -> Vec<(Article, String)> {
    let mut indices: Vec<usize> = (0..pool.len()).collect();
    indices.shuffle(rng);
    let mut chosen: Vec<(Article, String)> = Vec::new();
    let mut chosen_shingles: Vec<HashSet<u64>> = Vec::new();
    let (mut bbc, mut reuters) = (0, 0);
    for i in indices {
        let (article, label) = &pool[i];
        let is_bbc = label.starts_with("bbc");
        if (is_bbc && bbc >= wanted / 2) || (!is_bbc && reuters >= wanted - wanted / 2) {
            continue;
        }
        let s = shingles(&newsdex::dups::text_of(article), 4);
        if chosen_shingles.iter().any(|c| jaccard(c, &s) >= 0.2) {
            continue;
        }
        chosen_shingles.push(s);
        chosen.push((article.clone(), label.clone()));
        if is_bbc {
            bbc += 1;
        } else {
            reuters += 1;
        }
        if chosen.len() >= wanted {
            break;
        }
    }
    chosen
}

const BOILERPLATE: &[&str] = &[
    "Copyright 2024 The Daily Courier. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
    "Sign up for our morning newsletter and get the day's top stories delivered to your inbox. Follow us on Twitter and Facebook.",
    "Additional reporting by our correspondents; editing by the news desk. Contact the newsroom with corrections.",
    "Advertisement. Continue reading the main story below. Read more: the latest headlines from around the world.",
];

const EDITS: &[&str] = &[
    "paragraphs added",
    "paragraphs removed",
    "paragraphs reordered",
    "boilerplate",
    "words changed",
    "whitespace and encoding",
];

/// Originals and their copies, each copy with a new headline and one to
/// three other edits.
fn build_set(
    originals: &[(Article, String)],
    pool: &[(Article, String)],
    rng: &mut StdRng,
) -> Vec<Item> {
    let ids: HashSet<String> = originals.iter().map(|(a, _)| a.content_id()).collect();
    let mut items = Vec::new();
    for (group, (original, topic)) in originals.iter().enumerate() {
        items.push(Item {
            group,
            edits: vec!["original"],
            topic: topic.clone(),
            article: original.clone(),
        });
        let copies = rng.random_range(1..=3);
        for _ in 0..copies {
            let mut article = original.clone();
            article.title = format!("UPDATE 1-{}", original.title.to_lowercase());
            let n = rng.random_range(1..=3);
            let mut edits: Vec<&'static str> = EDITS.choose_multiple(rng, n).copied().collect();
            edits.sort();
            for edit in &edits {
                apply(edit, &mut article, pool, &ids, topic, rng);
            }
            edits.insert(0, "new headline");
            items.push(Item {
                group,
                edits,
                topic: topic.clone(),
                article,
            });
        }
    }
    items
}

fn apply(
    edit: &str,
    article: &mut Article,
    pool: &[(Article, String)],
    originals: &HashSet<String>,
    topic: &str,
    rng: &mut StdRng,
) {
    let body = &mut article.body;
    match edit {
        // An update: one or two paragraphs of background from another
        // story on the same topic, at the end or after the lead.
        "paragraphs added" => {
            // Never another original of the set: a copy holding two
            // originals' paragraphs would truly copy both.
            let same: Vec<&Article> = pool
                .iter()
                .filter(|(a, t)| t == topic && !originals.contains(&a.content_id()))
                .map(|(a, _)| a)
                .collect();
            let donor = same.choose(rng).copied().unwrap_or(&pool[0].0);
            let k = rng.random_range(1..=2).min(donor.body.len());
            let start = rng.random_range(0..=donor.body.len() - k);
            let added: Vec<String> = donor.body[start..start + k].to_vec();
            let at = if rng.random_bool(0.5) {
                body.len()
            } else {
                1.min(body.len())
            };
            for (i, p) in added.into_iter().enumerate() {
                body.insert(at + i, p);
            }
        }
        // Cut for space: the last one or two paragraphs.
        "paragraphs removed" => {
            let k = if body.len() >= 6 {
                rng.random_range(1..=2)
            } else {
                1
            };
            if body.len() > k + 1 {
                body.truncate(body.len() - k);
            }
        }
        "paragraphs reordered" => {
            if body.len() >= 3 {
                let i = rng.random_range(1..body.len());
                let j = rng.random_range(1..body.len());
                body.swap(i, j);
                body.swap(0, 1);
            }
        }
        "boilerplate" => {
            let line = BOILERPLATE.choose(rng).copied().unwrap_or(BOILERPLATE[0]);
            if rng.random_bool(0.5) {
                body.push(line.to_string());
            } else {
                body.insert(0, line.to_string());
            }
        }
        // A correction or a house style: three to six words replaced.
        "words changed" => {
            let k = rng.random_range(3..=6);
            for _ in 0..k {
                let p = rng.random_range(0..body.len());
                let mut words: Vec<String> = body[p].split(' ').map(str::to_string).collect();
                let w = rng.random_range(0..words.len());
                words[w] = [
                    "however",
                    "reportedly",
                    "officials",
                    "million",
                    "Tuesday",
                    "sharply",
                ]
                .choose(rng)
                .copied()
                .unwrap_or("also")
                .to_string();
                body[p] = words.join(" ");
            }
        }
        // Re-saved by another system: curly quotes and dashes, doubled and
        // non-breaking spaces, paragraphs re-wrapped, case of the lead; half
        // the time also mis-decoded (UTF-8 read as Windows-1252: "’" becomes
        // "â€™", splitting "company’s" into other words).
        "whitespace and encoding" => {
            let mojibake = rng.random_bool(0.5);
            for p in body.iter_mut() {
                *p = p
                    .replace('"', "\u{201c}")
                    .replace('\'', "\u{2019}")
                    .replace(" - ", " \u{2014} ")
                    .replace(". ", ".  ")
                    .replace(", ", ",\u{a0}");
                if mojibake {
                    *p = p
                        .replace('\u{2019}', "\u{e2}\u{20ac}\u{2122}")
                        .replace('\u{201c}', "\u{e2}\u{20ac}\u{153}")
                        .replace('\u{2014}', "\u{e2}\u{20ac}\u{201d}");
                }
            }
            if body.len() >= 2 {
                let second = body.remove(1);
                body[0] = format!("{}\n{}", body[0].to_uppercase(), second);
            }
        }
        _ => unreachable!("unknown edit {edit}"),
    }
}

fn count_true_pairs(items: &[Item]) -> u64 {
    let mut sizes: HashMap<usize, u64> = HashMap::new();
    for item in items {
        *sizes.entry(item.group).or_default() += 1;
    }
    sizes.values().map(|n| n * (n - 1) / 2).sum()
}

/// The clusters the indexer's clusterer gives, over an empty index.
fn cluster(
    signatures: &[Option<Signature>],
    order: &[usize],
    threshold: f64,
) -> anyhow::Result<Vec<u64>> {
    let dir = tempfile::tempdir()?;
    let news = NewsIndex::open_or_create(dir.path())?;
    let mut clusterer = Clusterer::open(&news, threshold)?;
    let mut clusters = vec![0u64; signatures.len()];
    for &i in order {
        // Ids: the position, so a founder's cluster id names it.
        clusters[i] = clusterer.assign(i as u64, signatures[i].as_ref())?;
    }
    Ok(clusters)
}

/// The clusterer's rule (join the most alike candidate at or above the
/// threshold, ties to the lowest cluster id; else found a cluster) with
/// bands of `rows` values; also returns the candidates compared.
fn cluster_simulated(
    signatures: &[Option<Signature>],
    order: &[usize],
    threshold: f64,
    rows: usize,
) -> (Vec<u64>, u64) {
    let mut table: HashMap<(usize, Vec<u16>), Vec<usize>> = HashMap::new();
    let mut clusters = vec![0u64; signatures.len()];
    let mut compared = 0u64;
    for &i in order {
        clusters[i] = i as u64;
        let Some(sig) = &signatures[i] else { continue };
        let keys: Vec<(usize, Vec<u16>)> = sig
            .values
            .chunks_exact(rows)
            .map(|c| c.to_vec())
            .enumerate()
            .collect();
        let mut seen = HashSet::new();
        let mut best: Option<(f64, u64)> = None;
        for key in &keys {
            for &j in table.get(key).into_iter().flatten() {
                if !seen.insert(j) {
                    continue;
                }
                compared += 1;
                let other = signatures[j].as_ref().expect("signed");
                let s = sig.similarity(other);
                let better = match best {
                    None => true,
                    Some((bs, bc)) => s > bs || (s == bs && clusters[j] < bc),
                };
                if s >= sig.required(other, threshold) && better {
                    best = Some((s, clusters[j]));
                }
            }
        }
        if let Some((_, c)) = best {
            clusters[i] = c;
        }
        for key in keys {
            table.entry(key).or_default().push(i);
        }
    }
    (clusters, compared)
}

/// (precision, recall, predicted pairs) of same-cluster pairs.
fn pair_scores(items: &[Item], clusters: &[u64], true_pairs: u64) -> (f64, f64, u64) {
    let mut by_cluster: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, &c) in clusters.iter().enumerate() {
        by_cluster.entry(c).or_default().push(i);
    }
    let (mut predicted, mut correct) = (0u64, 0u64);
    for members in by_cluster.values() {
        for (x, &a) in members.iter().enumerate() {
            for &b in &members[x + 1..] {
                predicted += 1;
                if items[a].group == items[b].group {
                    correct += 1;
                }
            }
        }
    }
    let precision = if predicted == 0 {
        1.0
    } else {
        correct as f64 / predicted as f64
    };
    (precision, correct as f64 / true_pairs as f64, predicted)
}

/// Recall of (original, copy) pairs by the edits the copy had.
fn recall_by_edit(items: &[Item], clusters: &[u64]) {
    let original: HashMap<usize, usize> = items
        .iter()
        .enumerate()
        .filter(|(_, i)| i.edits[0] == "original")
        .map(|(n, i)| (i.group, n))
        .collect();
    let mut by: HashMap<&str, (u64, u64)> = HashMap::new();
    let mut by_count: HashMap<usize, (u64, u64)> = HashMap::new();
    for (n, item) in items.iter().enumerate() {
        if item.edits[0] == "original" {
            continue;
        }
        let joined = clusters[n] == clusters[original[&item.group]];
        for edit in &item.edits[1..] {
            let e = by.entry(edit).or_default();
            e.0 += 1;
            e.1 += u64::from(joined);
        }
        let e = by_count.entry(item.edits.len() - 1).or_default();
        e.0 += 1;
        e.1 += u64::from(joined);
    }
    println!(
        "\nrecall of (original, copy) at the default threshold, by edit (a copy has 1-3 edits besides its headline):\n"
    );
    println!("| edit | copies with it | joined the original | recall |");
    println!("|---|---|---|---|");
    let mut rows: Vec<_> = by.into_iter().collect();
    rows.sort();
    for (edit, (n, ok)) in rows {
        println!("| {edit} | {n} | {ok} | {:.3} |", ok as f64 / n as f64);
    }
    let mut rows: Vec<_> = by_count.into_iter().collect();
    rows.sort();
    for (k, (n, ok)) in rows {
        println!(
            "| any {k} edit(s) | {n} | {ok} | {:.3} |",
            ok as f64 / n as f64
        );
    }
}

/// Groups merged by mistake at the default threshold, with the topics.
fn false_merges(items: &[Item], clusters: &[u64], texts: &[String]) {
    let mut groups_of: HashMap<u64, HashSet<usize>> = HashMap::new();
    for (i, &c) in clusters.iter().enumerate() {
        groups_of.entry(c).or_default().insert(items[i].group);
    }
    let merged: Vec<_> = groups_of.values().filter(|g| g.len() > 1).collect();
    println!(
        "\nclusters holding more than one original's group: {}",
        merged.len()
    );
    for groups in merged.iter().take(5) {
        let mut firsts: Vec<usize> = groups
            .iter()
            .map(|g| items.iter().position(|i| i.group == *g).unwrap())
            .collect();
        firsts.sort();
        let j = jaccard(
            &shingles(&texts[firsts[0]], 4),
            &shingles(&texts[firsts[1]], 4),
        );
        println!(
            "  {} / {} (exact J {j:.2}): {:?} / {:?}",
            items[firsts[0]].topic,
            items[firsts[1]].topic,
            items[firsts[0]].article.title,
            items[firsts[1]].article.title
        );
    }
}

/// Pairwise decisions on the true pairs and on same-topic non-copies:
/// exact Jaccard at 3, 4 and 5-word shingles, the MinHash estimate, and
/// 64-bit SimHash over 4-word shingles, each at its best threshold.
fn compare_methods(items: &[Item], texts: &[String], rng: &mut StdRng) {
    let mut positives = Vec::new();
    for a in 0..items.len() {
        for b in a + 1..items.len() {
            if items[a].group == items[b].group {
                positives.push((a, b));
            }
        }
    }
    // Hard negatives: originals of the same topic.
    let originals: Vec<usize> = (0..items.len())
        .filter(|&i| items[i].edits[0] == "original")
        .collect();
    let mut negatives = Vec::new();
    for (x, &a) in originals.iter().enumerate() {
        for &b in &originals[x + 1..] {
            if items[a].topic == items[b].topic {
                negatives.push((a, b));
            }
        }
    }
    negatives.shuffle(rng);
    negatives.truncate(20_000);
    println!(
        "\npairwise, {} true pairs and {} same-topic non-copies (best threshold of each method; short articles included):\n",
        positives.len(),
        negatives.len()
    );
    println!(
        "| method | best threshold | precision | recall | F1 | highest non-copy score | time per article |"
    );
    println!("|---|---|---|---|---|---|---|");
    for k in [3usize, 4, 5] {
        let started = Instant::now();
        let sets: Vec<HashSet<u64>> = texts.iter().map(|t| shingles(t, k)).collect();
        let secs = started.elapsed().as_secs_f64() / texts.len() as f64;
        let score = |a: usize, b: usize| jaccard(&sets[a], &sets[b]);
        report(
            &format!("exact Jaccard, {k}-word shingles"),
            &positives,
            &negatives,
            score,
            secs,
        );
    }
    let started = Instant::now();
    let sets: Vec<HashSet<u64>> = texts.iter().map(|t| shingles(t, 4)).collect();
    let minhash: Vec<Signature> = sets.iter().map(Signature::of_shingles).collect();
    let secs = started.elapsed().as_secs_f64() / texts.len() as f64;
    report(
        "MinHash 128×16 bit, 4-word shingles",
        &positives,
        &negatives,
        |a, b| minhash[a].similarity(&minhash[b]),
        secs,
    );
    let started = Instant::now();
    let simhashes: Vec<u64> = sets.iter().map(simhash).collect();
    let secs = started.elapsed().as_secs_f64() / texts.len() as f64;
    report(
        "SimHash 64 bit, 4-word shingles (score: 1 - Hamming/64)",
        &positives,
        &negatives,
        |a, b| 1.0 - f64::from((simhashes[a] ^ simhashes[b]).count_ones()) / 64.0,
        secs,
    );
}

fn report(
    name: &str,
    positives: &[(usize, usize)],
    negatives: &[(usize, usize)],
    score: impl Fn(usize, usize) -> f64,
    secs: f64,
) {
    let pos: Vec<f64> = positives.iter().map(|&(a, b)| score(a, b)).collect();
    let neg: Vec<f64> = negatives.iter().map(|&(a, b)| score(a, b)).collect();
    let mut best = (0.0, 0.0, 0.0, 0.0);
    for step in 1..100 {
        let t = step as f64 / 100.0;
        let tp = pos.iter().filter(|&&s| s >= t).count() as f64;
        let fp = neg.iter().filter(|&&s| s >= t).count() as f64;
        let p = if tp + fp == 0.0 { 1.0 } else { tp / (tp + fp) };
        let r = tp / pos.len() as f64;
        let f1 = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        if f1 > best.3 {
            best = (t, p, r, f1);
        }
    }
    let worst = neg.iter().copied().fold(0.0, f64::max);
    println!(
        "| {name} | {:.2} | {:.4} | {:.4} | {:.4} | {worst:.3} | {:.1} µs |",
        best.0,
        best.1,
        best.2,
        best.3,
        secs * 1e6
    );
}

/// 64-bit SimHash of a shingle set.
fn simhash(set: &HashSet<u64>) -> u64 {
    let mut weights = [0i32; 64];
    for &s in set {
        let h = s.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (s >> 29);
        for (bit, w) in weights.iter_mut().enumerate() {
            if h >> bit & 1 == 1 {
                *w += 1;
            } else {
                *w -= 1;
            }
        }
    }
    weights
        .iter()
        .enumerate()
        .filter(|(_, w)| **w > 0)
        .fold(0u64, |acc, (bit, _)| acc | 1 << bit)
}
