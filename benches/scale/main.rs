//! Scale benchmark: newsdex against plain Tantivy and `rg`, on archives
//! generated from real articles (see `generate.rs`), at several sizes.
//!
//! ```text
//! cargo bench --bench scale -- --sizes 10000,100000     # full run
//! cargo bench --bench scale -- --smoke                   # CI: ~2k articles
//! ```
//!
//! For each size it generates the archive (outside the repository), indexes
//! it from scratch with the release `newsdex` binary as a child process
//! (timed, peak memory from `/usr/bin/time -v`), indexes the same files with
//! a plain Tantivy baseline (`scale baseline`, also a child process), re-runs
//! the indexer with nothing changed and with 1% of articles changed, measures
//! warm query latency in-process over a fixed mix, the whole-process time of
//! `newsdex search`, the same keywords with `rg -c` over the raw files, and
//! entity extraction alone. Results go to `benches/results/scale-N.json`,
//! and `scale.md` and `scale.png` are rebuilt from every `scale-*.json` there.

mod baseline;
mod facets;
mod generate;
mod measure;
mod queries;
mod report;
mod resolve;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use serde::Serialize;

use generate::{ArchiveInfo, Pool};
use measure::Stats;

/// The allocator of the `newsdex` binary, so that in-process figures (query
/// latency, extraction) match it, and the plain-Tantivy baseline (this binary
/// too) differs from newsdex only in what it does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const NEWSDEX: &str = env!("CARGO_BIN_EXE_newsdex");
const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");
/// Said wherever a figure comes from a generated archive.
pub const PROVENANCE: &str = "generated from real articles (BBC and Reuters-21578 paragraphs recombined; see benches/scale/generate.rs)";

#[derive(Debug, Parser)]
#[command(name = "scale", about = "newsdex scale benchmark")]
struct Args {
    /// Archive sizes, in distinct articles.
    #[arg(long, value_delimiter = ',', default_value = "10000,100000")]
    sizes: Vec<u64>,
    /// A small, quick run for CI (2,000 articles; results under target/).
    #[arg(long)]
    smoke: bool,
    /// Seed of the generated archives.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Threads for indexing (newsdex and the baseline alike).
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Folder with bbc/ and reuters21578/.
    #[arg(long)]
    corpora: Option<PathBuf>,
    /// Where archives and indexes are written (outside the repository).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Where results are written.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Rounds of the query mix (each query once a round).
    #[arg(long)]
    rounds: Option<usize>,
    /// Runs of the whole `newsdex search` process.
    #[arg(long)]
    cli_runs: Option<usize>,
    /// Skip the `rg -c` contrast (it reads the whole archive per word).
    #[arg(long)]
    no_rg: bool,
    /// Also index with `--no-entities`, to separate extraction's cost.
    #[arg(long)]
    no_entities_run: bool,
    /// Keep the generated archives and indexes afterwards.
    #[arg(long)]
    keep: bool,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true, global = true)]
    bench: bool,
    #[command(subcommand)]
    command: Option<Sub>,
}

#[derive(Debug, Subcommand)]
enum Sub {
    /// Index a folder with the plain-Tantivy baseline (run as a child).
    Baseline {
        raw: PathBuf,
        index: PathBuf,
        #[arg(long, default_value_t = 2)]
        threads: usize,
        #[arg(long, default_value_t = 256)]
        memory: usize,
    },
    /// Only rebuild scale.md and scale.png from the scale-N.json files.
    Report,
    /// Entity extraction alone on one thread, over the articles of a folder:
    /// tokens/s (median of rounds) and a digest of the output, so a speed-up
    /// can be shown to change nothing.
    Extract {
        folder: PathBuf,
        /// Stop after this many articles.
        #[arg(long, default_value_t = 3_000)]
        articles: usize,
        #[arg(long, default_value_t = 5)]
        rounds: usize,
    },
    /// Time name resolution per process: name index against a dictionary
    /// scan. Names are persons, or `org:NAME`, `place:NAME`.
    Resolve {
        index: PathBuf,
        #[arg(required = true)]
        names: Vec<String>,
        #[arg(long, default_value_t = 51)]
        rounds: usize,
    },
    /// Time one search in-process, a new session each round.
    Query {
        index: PathBuf,
        query: String,
        #[arg(long)]
        facets: bool,
        #[arg(long, default_value_t = 51)]
        rounds: usize,
    },
    /// Facet counts by the previous collector, the plan-based counter (plan
    /// built each round, and kept) and Tantivy's terms aggregation, on one
    /// searcher; an empty query is every article.
    Facets {
        index: PathBuf,
        #[arg(required = true)]
        queries: Vec<String>,
        #[arg(long, default_value_t = 31)]
        rounds: usize,
    },
    /// Only generate an archive.
    Generate {
        out: PathBuf,
        #[arg(long)]
        size: u64,
    },
}

/// One indexing run as the report shows it.
#[derive(Debug, Clone, Serialize)]
pub struct IndexRun {
    pub wall_secs: f64,
    pub articles_per_sec: f64,
    /// Archive bytes on disk per second of wall time.
    pub mb_per_sec: f64,
    pub peak_rss_mb: Option<f64>,
    /// Peak anonymous memory: RSS without the index files mapped during merges.
    pub peak_anon_mb: Option<f64>,
    /// User plus system CPU seconds: steadier than wall time on a busy machine.
    pub cpu_secs: Option<f64>,
    /// Archive bytes per CPU second.
    pub mb_per_cpu_sec: Option<f64>,
    pub index_bytes: u64,
    /// Index size over archive size on disk.
    pub index_to_raw: f64,
    pub articles_indexed: u64,
    /// newsdex's own closing summary (JSON), when it is newsdex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<serde_json::Value>,
}

impl IndexRun {
    /// The figures of one measured indexing run over an archive of
    /// `archive_bytes` that left an index of `index_bytes`.
    fn of(
        run: &measure::Run,
        archive_bytes: u64,
        index_bytes: u64,
        articles: u64,
        summary: Option<serde_json::Value>,
    ) -> IndexRun {
        let mb = archive_bytes as f64 / 1e6;
        IndexRun {
            wall_secs: run.wall_secs,
            articles_per_sec: articles as f64 / run.wall_secs,
            mb_per_sec: mb / run.wall_secs,
            peak_rss_mb: run.peak_rss_mb,
            peak_anon_mb: run.peak_anon_mb,
            cpu_secs: run.cpu_secs,
            mb_per_cpu_sec: run.cpu_secs.map(|c| mb / c),
            index_bytes,
            index_to_raw: index_bytes as f64 / archive_bytes as f64,
            articles_indexed: articles,
            summary,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Rerun {
    pub wall_secs: f64,
    pub cpu_secs: Option<f64>,
    pub peak_rss_mb: Option<f64>,
    pub peak_anon_mb: Option<f64>,
    pub articles_changed: u64,
    pub files_read: u64,
    pub articles_indexed: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Grep {
    pub query: String,
    pub literal: String,
    pub median_ms: f64,
    /// newsdex's in-process p50 for the same query, for the contrast.
    pub newsdex_p50_ms: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Extraction {
    pub extractor: String,
    pub articles: u64,
    pub tokens: u64,
    pub secs: f64,
    pub tokens_per_sec_per_core: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CliSearch {
    pub command: String,
    pub wall_ms: Stats,
}

#[derive(Debug, Clone, Serialize)]
pub struct SizeReport {
    pub data: &'static str,
    pub articles: u64,
    pub archive: ArchiveInfo,
    pub generate_secs: f64,
    pub newsdex: IndexRun,
    pub baseline: IndexRun,
    /// newsdex with `--no-entities`: what entity extraction costs.
    pub newsdex_no_entities: Option<IndexRun>,
    /// newsdex MB/s over baseline MB/s.
    pub throughput_ratio: f64,
    /// The same by CPU time (MB per CPU second).
    pub cpu_throughput_ratio: Option<f64>,
    pub rerun_unchanged: Rerun,
    pub rerun_one_percent: Rerun,
    pub queries: Vec<queries::Measured>,
    /// Every sample of the keyword and filter classes together.
    pub keyword_filter_ms: Stats,
    /// Every sample of the facet queries together.
    pub facets_ms: Stats,
    pub grep: Option<Vec<Grep>>,
    pub cli_search: CliSearch,
    pub extraction: Option<Extraction>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub data: &'static str,
    pub command: String,
    pub git_commit: String,
    pub started_utc: String,
    pub machine: report::Machine,
    pub threads: usize,
    pub seed: u64,
    pub size: SizeReport,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    match &args.command {
        Some(Sub::Baseline {
            raw,
            index,
            threads,
            memory,
        }) => {
            let summary = baseline::run(raw, index, *threads, *memory)?;
            println!("{}", serde_json::to_string(&summary)?);
            return Ok(());
        }
        Some(Sub::Generate { out, size }) => {
            let pool = Pool::load(&corpora(&args))?;
            let info = generate::generate(&pool, out, *size, args.seed)?;
            println!("{}", serde_json::to_string_pretty(&info)?);
            return Ok(());
        }
        Some(Sub::Extract {
            folder,
            articles,
            rounds,
        }) => return extract_alone(folder, *articles, *rounds),
        Some(Sub::Resolve {
            index,
            names,
            rounds,
        }) => return resolve::run(index, names, *rounds),
        Some(Sub::Query {
            index,
            query,
            facets,
            rounds,
        }) => return resolve::query(index, query, *facets, *rounds),
        Some(Sub::Facets {
            index,
            queries,
            rounds,
        }) => return facets::run(index, queries, *rounds),
        Some(Sub::Report) => {
            let out = args
                .out
                .clone()
                .unwrap_or_else(|| Path::new(MANIFEST_DIR).join("benches/results"));
            return report::rebuild(&out);
        }
        None => {}
    }
    let corpora = corpora(&args);
    if !corpora.join("bbc").is_dir() && !corpora.join("reuters21578").is_dir() {
        println!(
            "scale: skipped: no corpora at {} (the archive is generated from them)",
            corpora.display()
        );
        return Ok(());
    }
    let root = Path::new(MANIFEST_DIR);
    let (sizes, out, data, rounds, cli_runs) = if args.smoke {
        let smoke = root.join("target/bench-smoke");
        (
            vec![2_000],
            args.out.clone().unwrap_or_else(|| smoke.join("results")),
            args.data.clone().unwrap_or_else(|| smoke.join("data")),
            args.rounds.unwrap_or(3),
            args.cli_runs.unwrap_or(3),
        )
    } else {
        (
            args.sizes.clone(),
            args.out
                .clone()
                .unwrap_or_else(|| root.join("benches/results")),
            args.data
                .clone()
                .unwrap_or_else(|| root.join("../bench-data")),
            args.rounds.unwrap_or(30),
            args.cli_runs.unwrap_or(30),
        )
    };
    std::fs::create_dir_all(&out).with_context(|| out.display().to_string())?;
    std::fs::create_dir_all(&data).with_context(|| data.display().to_string())?;
    let data = data.canonicalize()?;
    let started = Instant::now();
    let pool = Pool::load(&corpora)?;
    println!(
        "scale: {} stories, {} paragraphs from {} ({:.1}s)",
        pool.stories(),
        pool.paragraphs(),
        corpora.display(),
        started.elapsed().as_secs_f64()
    );
    let has_rg = !args.no_rg && measure::on_path("rg");
    if !has_rg && !args.no_rg {
        println!("scale: rg not found: the rg -c contrast is skipped");
    }
    let command = command_line();
    for &size in &sizes {
        let started_utc = chrono::Utc::now().to_rfc3339();
        let machine = report::Machine::describe();
        let size_report = run_size(
            &pool, size, &args, &data, rounds, cli_runs, has_rg, &machine,
        )?;
        let report = Report {
            data: PROVENANCE,
            command: command.clone(),
            git_commit: git_commit(),
            started_utc,
            machine: report::Machine {
                loadavg_end: report::loadavg(),
                ..machine
            },
            threads: args.threads,
            seed: args.seed,
            size: size_report,
        };
        if args.smoke {
            check_smoke(&report.size)?;
        }
        let path = out.join(format!("scale-{size}.json"));
        std::fs::write(&path, serde_json::to_string_pretty(&report)? + "\n")?;
        println!("scale: wrote {}", path.display());
        report::rebuild(&out)?;
        if !args.keep {
            for dir in ["raw", "index", "baseline"] {
                let _ = std::fs::remove_dir_all(data.join(format!("{dir}-{size}")));
            }
        }
    }
    println!("scale: done in {:.0}s", started.elapsed().as_secs_f64());
    Ok(())
}

fn corpora(args: &Args) -> PathBuf {
    args.corpora
        .clone()
        .unwrap_or_else(|| Path::new(MANIFEST_DIR).join("../shared/corpora"))
}

#[allow(clippy::too_many_arguments)]
fn run_size(
    pool: &Pool,
    size: u64,
    args: &Args,
    data: &Path,
    rounds: usize,
    cli_runs: usize,
    has_rg: bool,
    machine: &report::Machine,
) -> anyhow::Result<SizeReport> {
    let mut notes = Vec::new();
    if machine
        .loadavg_start
        .split_whitespace()
        .next()
        .and_then(|l| l.parse::<f64>().ok())
        > Some(0.5)
    {
        notes.push(format!(
            "machine not idle at start (load average {}): figures are noisy",
            machine.loadavg_start
        ));
    }
    let raw = data.join(format!("raw-{size}"));
    let index = data.join(format!("index-{size}"));
    let base_index = data.join(format!("baseline-{size}"));
    let threads = args.threads.to_string();

    println!("scale[{size}]: generating {}", raw.display());
    let t = Instant::now();
    let archive = generate::generate(pool, &raw, size, args.seed)?;
    let generate_secs = t.elapsed().as_secs_f64();
    println!(
        "scale[{size}]: {} files, {:.1} MB on disk, {:.1} MB of text, {:.0}s",
        archive.files,
        archive.bytes as f64 / 1e6,
        archive.text_bytes as f64 / 1e6,
        generate_secs
    );

    let _ = std::fs::remove_dir_all(&index);
    let index_s = index.to_string_lossy().to_string();
    let raw_s = raw.to_string_lossy().to_string();
    let index_args = [
        "--index",
        &index_s,
        "index",
        &raw_s,
        "--threads",
        &threads,
        "--json",
        "--quiet",
    ];
    println!("scale[{size}]: newsdex index (from scratch)");
    let first = newsdex_index(&index_args)?;
    let summary = summary_of(&first)?;
    let indexed = summary["articles_indexed"].as_u64().unwrap_or(0);
    let index_bytes = measure::dir_bytes(&index);
    let newsdex = IndexRun::of(&first, archive.bytes, index_bytes, indexed, Some(summary));
    println!(
        "scale[{size}]: newsdex {:.1}s, {:.0} articles/s, {:.1} MB/s, peak {:.0} MB ({:.0} MB anonymous)",
        newsdex.wall_secs,
        newsdex.articles_per_sec,
        newsdex.mb_per_sec,
        newsdex.peak_rss_mb.unwrap_or(0.0),
        newsdex.peak_anon_mb.unwrap_or(0.0)
    );
    if indexed != size {
        notes.push(format!(
            "newsdex indexed {indexed} articles of {size} generated"
        ));
    }

    println!("scale[{size}]: newsdex index (nothing changed)");
    let unchanged = newsdex_index(&index_args)?;
    let rerun_unchanged = rerun(&unchanged, 0)?;

    let newsdex_no_entities = if args.no_entities_run {
        println!("scale[{size}]: newsdex index --no-entities (from scratch)");
        let dir = data.join(format!("index-noent-{size}"));
        let _ = std::fs::remove_dir_all(&dir);
        let dir_s = dir.to_string_lossy().to_string();
        let run = newsdex_index(&[
            "--index",
            &dir_s,
            "index",
            &raw_s,
            "--threads",
            &threads,
            "--json",
            "--quiet",
            "--no-entities",
        ])?;
        let summary = summary_of(&run)?;
        let articles = summary["articles_indexed"].as_u64().unwrap_or(0);
        let bytes = measure::dir_bytes(&dir);
        let _ = std::fs::remove_dir_all(&dir);
        Some(IndexRun::of(
            &run,
            archive.bytes,
            bytes,
            articles,
            Some(summary),
        ))
    } else {
        None
    };

    println!("scale[{size}]: plain Tantivy baseline");
    let exe = std::env::current_exe()?;
    let base_s = base_index.to_string_lossy().to_string();
    let base = measure::run(&exe, &["baseline", &raw_s, &base_s, "--threads", &threads])?;
    if base.status != 0 {
        bail!("baseline failed: {}", base.stderr);
    }
    let base_summary: serde_json::Value = serde_json::from_str(base.stdout.trim())?;
    let base_articles = base_summary["articles"].as_u64().unwrap_or(0);
    let base_bytes = measure::dir_bytes(&base_index);
    let baseline = IndexRun::of(&base, archive.bytes, base_bytes, base_articles, None);
    println!(
        "scale[{size}]: baseline {:.1}s, {:.1} MB/s, peak {:.0} MB",
        baseline.wall_secs,
        baseline.mb_per_sec,
        baseline.peak_rss_mb.unwrap_or(0.0)
    );

    println!("scale[{size}]: queries ({rounds} rounds)");
    let news = newsdex::index::NewsIndex::open(&index)?;
    let sample = sample_articles(&archive, 2_000);
    let fallback = fallback_names(&sample);
    let (specs, mix_notes) = queries::mix(&news, &fallback)?;
    notes.extend(mix_notes);
    let (measured, keyword_filter_ms, facets_ms) = {
        let measured = queries::measure(&news, &specs, rounds)?;
        let (kf, facets) =
            measured
                .iter()
                .fold((Vec::new(), Vec::new()), |(mut kf, mut facets), m| {
                    if m.class.keyword_or_filter() {
                        kf.extend(m.raw.iter().copied());
                    } else if m.class == queries::Class::Facets {
                        facets.extend(m.raw.iter().copied());
                    }
                    (kf, facets)
                });
        (measured, Stats::of(kf), Stats::of(facets))
    };
    drop(news);

    let cli_args = [
        "--index",
        &index_s,
        "search",
        "government",
        "--limit",
        "10",
        "--format",
        "json",
    ];
    let cli_search = CliSearch {
        command: format!("newsdex {}", cli_args.join(" ")),
        wall_ms: measure::median_wall_ms(NEWSDEX, &cli_args, cli_runs)?,
    };

    let grep = if has_rg {
        // rg reads the whole archive each time: fewer runs and words when big.
        let big = size >= 1_000_000;
        let runs = if args.smoke || big { 1 } else { 3 };
        let few = ["rare word", "common word", "phrase"];
        let mut out = Vec::new();
        for m in measured
            .iter()
            .filter(|m| !big || few.contains(&m.name.as_str()))
        {
            let Some(literal) = &m.grep else { continue };
            let stats =
                measure::median_wall_ms("rg", &["-c", "-i", "-z", "-F", literal, &raw_s], runs)?;
            out.push(Grep {
                query: m.query.clone(),
                literal: literal.clone(),
                median_ms: stats.p50,
                newsdex_p50_ms: m.latency_ms.p50,
            });
        }
        Some(out)
    } else {
        notes.push(if args.no_rg {
            "rg -c contrast skipped (--no-rg)".into()
        } else {
            "rg not installed: no rg -c contrast".into()
        });
        None
    };

    let extraction = extraction(&sample)?;
    if extraction.is_none() {
        notes.push("the entity extractor is a stub here (version \"none\"): no extraction figure, no entity facets".into());
    }

    println!("scale[{size}]: newsdex index (1% of articles changed)");
    let changed = generate::change(&archive, 10)?;
    let one_percent = newsdex_index(&index_args)?;
    let rerun_one_percent = rerun(&one_percent, changed)?;

    Ok(SizeReport {
        data: PROVENANCE,
        articles: size,
        throughput_ratio: newsdex.mb_per_sec / baseline.mb_per_sec,
        cpu_throughput_ratio: newsdex
            .mb_per_cpu_sec
            .zip(baseline.mb_per_cpu_sec)
            .map(|(n, b)| n / b),
        archive,
        generate_secs,
        newsdex,
        baseline,
        newsdex_no_entities,
        rerun_unchanged,
        rerun_one_percent,
        queries: measured,
        keyword_filter_ms,
        facets_ms,
        grep,
        cli_search,
        extraction,
        notes,
    })
}

fn newsdex_index(args: &[&str]) -> anyhow::Result<measure::Run> {
    let run = measure::run(Path::new(NEWSDEX), args)?;
    if run.status != 0 && run.status != 1 {
        bail!("newsdex index failed ({}): {}", run.status, run.stderr);
    }
    Ok(run)
}

/// The closing summary (JSON) a `newsdex index --json` run printed.
fn summary_of(run: &measure::Run) -> anyhow::Result<serde_json::Value> {
    serde_json::from_str(run.stdout.trim())
        .with_context(|| format!("newsdex index printed no JSON summary: {}", run.stderr))
}

fn rerun(run: &measure::Run, changed: u64) -> anyhow::Result<Rerun> {
    let summary = summary_of(run)?;
    Ok(Rerun {
        wall_secs: run.wall_secs,
        cpu_secs: run.cpu_secs,
        peak_rss_mb: run.peak_rss_mb,
        peak_anon_mb: run.peak_anon_mb,
        articles_changed: changed,
        files_read: summary["files_read"].as_u64().unwrap_or(0),
        articles_indexed: summary["articles_indexed"].as_u64().unwrap_or(0),
    })
}

/// Up to `n` articles of the archive's `.txt` files, read by newsdex.
fn sample_articles(archive: &ArchiveInfo, n: usize) -> Vec<newsdex::article::Article> {
    archive
        .text_files
        .iter()
        .take(n)
        .filter_map(|p| newsdex::ingest::read_file(p).ok())
        .flat_map(|r| r.articles)
        .collect()
}

/// Single words from titles, standing in for names when the index has none.
fn fallback_names(sample: &[newsdex::article::Article]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for article in sample {
        let word = article
            .title
            .split_whitespace()
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
            .find(|w| w.len() >= 5 && w.chars().next().is_some_and(char::is_uppercase));
        if let Some(word) = word
            && !names.iter().any(|n| n == word)
        {
            names.push(word.to_string());
        }
        if names.len() == 100 {
            break;
        }
    }
    names
}

/// Entity extraction alone, on one thread.
fn extraction(sample: &[newsdex::article::Article]) -> anyhow::Result<Option<Extraction>> {
    let extractor = newsdex::entities::Extractor::load()?;
    if extractor.version() == "none" || sample.is_empty() {
        return Ok(None);
    }
    // Once untimed, so the model's pages are in memory.
    for article in sample.iter().take(50) {
        std::hint::black_box(extractor.extract(article));
    }
    let tokens: u64 = sample.iter().map(|a| a.word_count()).sum();
    let secs = Stats::of(extraction_rounds(&extractor, sample, 3)).p50;
    Ok(Some(Extraction {
        extractor: extractor.version().to_string(),
        articles: sample.len() as u64,
        tokens,
        secs,
        tokens_per_sec_per_core: tokens as f64 / secs,
    }))
}

/// `scale extract`: times extraction alone and prints a digest of its output.
fn extract_alone(folder: &Path, limit: usize, rounds: usize) -> anyhow::Result<()> {
    // No index to keep out of the walk: exclude a path that cannot exist.
    let walked = newsdex::ingest::walk::walk(&[folder.to_path_buf()], Path::new("/nonexistent"));
    let mut sample = Vec::new();
    for path in walked.files {
        if sample.len() >= limit {
            break;
        }
        match newsdex::ingest::read_file(&path) {
            Ok(read) => sample.extend(read.articles),
            Err(err) => eprintln!("scale: skipped {}: {err}", path.display()),
        }
    }
    sample.truncate(limit);
    let extractor = newsdex::entities::Extractor::load()?;
    let mut digest = blake3::Hasher::new();
    for article in &sample {
        digest.update(format!("{:?}", extractor.extract(article)).as_bytes());
    }
    let tokens: u64 = sample.iter().map(|a| a.word_count()).sum();
    let secs = extraction_rounds(&extractor, &sample, rounds);
    let median = Stats::of(secs.clone()).p50;
    println!(
        "{} articles, {tokens} words: median {median:.3} s of {} rounds ({:.3}..{:.3}), {:.0} words per CPU second; output digest {}",
        sample.len(),
        secs.len(),
        secs[0],
        secs[secs.len() - 1],
        tokens as f64 / median,
        &digest.finalize().to_hex()[..16]
    );
    Ok(())
}

/// Seconds of each of `rounds` passes of extraction over `sample`, sorted:
/// CPU time of this thread where Linux gives it (steadier than wall time
/// when other work shares the machine), else wall time.
fn extraction_rounds(
    extractor: &newsdex::entities::Extractor,
    sample: &[newsdex::article::Article],
    rounds: usize,
) -> Vec<f64> {
    let mut secs: Vec<f64> = (0..rounds.max(1))
        .map(|_| {
            let (started, cpu) = (Instant::now(), thread_cpu_secs());
            for article in sample {
                std::hint::black_box(extractor.extract(article));
            }
            match (cpu, thread_cpu_secs()) {
                (Some(a), Some(b)) => b - a,
                _ => started.elapsed().as_secs_f64(),
            }
        })
        .collect();
    secs.sort_by(f64::total_cmp);
    secs
}

/// User plus system CPU seconds of the calling thread (Linux), from
/// `/proc/thread-self/stat` in clock ticks of 1/100 s.
fn thread_cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are the
    // 14th and 15th fields of the line.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

/// Fails the smoke run when something plainly went wrong.
fn check_smoke(size: &SizeReport) -> anyhow::Result<()> {
    anyhow::ensure!(
        size.newsdex.articles_indexed == size.articles,
        "smoke: newsdex indexed {} articles of {}",
        size.newsdex.articles_indexed,
        size.articles
    );
    anyhow::ensure!(
        size.baseline.articles_indexed >= size.articles,
        "smoke: the baseline indexed only {} articles",
        size.baseline.articles_indexed
    );
    anyhow::ensure!(
        size.rerun_unchanged.files_read == 0,
        "smoke: the unchanged re-run read {} files",
        size.rerun_unchanged.files_read
    );
    anyhow::ensure!(
        size.rerun_one_percent.articles_indexed == size.rerun_one_percent.articles_changed,
        "smoke: the 1% re-run indexed {} articles, {} changed",
        size.rerun_one_percent.articles_indexed,
        size.rerun_one_percent.articles_changed
    );
    anyhow::ensure!(
        size.queries.iter().any(|q| q.hits > 0),
        "smoke: no query matched anything"
    );
    println!("scale: smoke checks passed");
    Ok(())
}

fn command_line() -> String {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    format!("cargo bench --bench scale -- {}", args.join(" "))
}

fn git_commit() -> String {
    std::process::Command::new("git")
        .args(["-C", MANIFEST_DIR, "describe", "--always", "--dirty"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}
