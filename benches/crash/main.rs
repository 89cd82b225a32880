//! Crash harness: SIGKILL `newsdex index` mid-run, let the next run finish
//! the work, and compare what the index holds with an uninterrupted run over
//! the same files.
//!
//! ```text
//! cargo bench --bench crash -- --quick          # CI: at least 12 kills, under 2 minutes
//! cargo bench --bench crash -- --kills 200      # the full run (benches/results/crash.md)
//! cargo bench --bench crash -- --bin OLD/newsdex --kills 40   # another build
//! ```
//!
//! Each trial copies a base archive of real articles from `../shared/corpora`
//! and its index, then either builds an index from scratch or changes files
//! at random (modified, deleted, added, touched) and runs `index --prune`.
//! That run is killed at a random instant or right after its K-th commit
//! (seen as a new manifest name in `meta.json`); a kill counts only if the
//! process was still running when the signal landed. A second run completes
//! the work, and its index is compared, article by article (ids and stored
//! content), with a fresh index of the same files.

mod archive;
mod state;
mod trial;

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Parser;
use rand::SeedableRng;
use rand::rngs::StdRng;

use trial::{Outcome, Trial};

const NEWSDEX: &str = env!("CARGO_BIN_EXE_newsdex");
const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

#[derive(Debug, Parser)]
#[command(name = "crash", about = "newsdex crash harness")]
struct Args {
    /// Kills that must land mid-run before the harness stops.
    #[arg(long, default_value_t = 200)]
    kills: usize,
    /// CI mode: 12 kills.
    #[arg(long)]
    quick: bool,
    /// Files in the base archive.
    #[arg(long, default_value_t = 300)]
    files: usize,
    #[arg(long, default_value_t = 14)]
    seed: u64,
    /// The newsdex binary to test (default: the one cargo built with this harness).
    #[arg(long, value_name = "PATH")]
    bin: Option<PathBuf>,
    /// Keep the folders of trials that went wrong here, for inspection.
    #[arg(long, value_name = "DIR")]
    keep: Option<PathBuf>,
    /// cargo bench passes this; ignored.
    #[arg(long, hide = true)]
    bench: bool,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let corpora = PathBuf::from(MANIFEST_DIR).join("../shared/corpora");
    if !corpora.is_dir() {
        println!(
            "crash harness skipped: {} is absent (it needs real articles)",
            corpora.display()
        );
        return Ok(());
    }
    let kills = if args.quick { 12 } else { args.kills };
    let bin = args.bin.clone().unwrap_or_else(|| PathBuf::from(NEWSDEX));
    let work = tempfile::tempdir().context("temp dir")?;
    let mut rng = StdRng::seed_from_u64(args.seed);
    let started = Instant::now();
    let base = archive::Base::build(&bin, &corpora, work.path(), args.files, &mut rng)?;
    println!(
        "base archive: {} files from {}, indexed in {:.2}s; binary {}",
        base.files,
        corpora.display(),
        base.index_secs,
        bin.display()
    );

    let mut totals = trial::Totals::default();
    let mut trials = 0usize;
    // A trial whose kill came too late still counts for correctness; the
    // ceiling only stops a binary too fast to kill from looping for ever.
    while totals.landed < kills && trials < kills * 4 {
        let trial = Trial::plan(&base, &mut rng);
        let outcome = trial.run(&bin, &base, &mut rng)?;
        let bad = !outcome.is_sound();
        println!("{:>4} {}", trials, outcome.line());
        if bad && let Some(keep) = &args.keep {
            std::fs::create_dir_all(keep)?;
            archive::copy_dir(&base.live, &keep.join(format!("trial-{trials:04}")))?;
        }
        totals.add(&outcome);
        trials += 1;
    }
    println!();
    print!("{}", totals.render(trials, started.elapsed().as_secs_f64()));
    anyhow::ensure!(
        totals.landed >= kills,
        "only {} of {kills} kills landed mid-run",
        totals.landed
    );
    anyhow::ensure!(totals.is_sound(), "articles were lost, stale or duplicated");
    Ok(())
}

/// Whether the binary has `newsdex check` (builds before it do not).
fn has_check(bin: &std::path::Path) -> bool {
    std::process::Command::new(bin)
        .args(["check", "--help"])
        .output()
        .is_ok_and(|out| out.status.success())
}

impl Outcome {
    fn line(&self) -> String {
        format!(
            "{:<28} kill {:<22} landed={:<5} lost={} stale={} dup={} changed={} check={}",
            self.kind,
            self.kill,
            self.landed,
            self.diff.lost,
            self.diff.stale,
            self.diff.duplicated,
            self.diff.changed,
            self.check.map_or("-".to_string(), |c| c.to_string()),
        )
    }
}
