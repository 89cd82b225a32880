//! `newsdex index`: build or update the index, with a progress bar on a
//! terminal and a closing summary.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::IndexArgs;
use crate::exit::Status;
use crate::index::IndexError;
use crate::index::build::{self, Options, Progress, Quiet, Summary};
use crate::ingest::limits::Limits;

pub fn run(index: &Path, args: IndexArgs) -> anyhow::Result<Status> {
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let options = Options {
        threads: threads.max(1),
        memory_mb: args.memory,
        prune: args.prune,
        commit_every: args.commit_every.max(1),
        entities: !args.no_entities,
        limits: Limits::from_mb(args.max_file_size, args.max_article_size),
        dup_threshold: args.dup_threshold,
        duplicates: !args.no_dups,
    };
    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(Bar::new);
    let progress: &dyn Progress = match &bar {
        Some(bar) => bar,
        None => &Quiet,
    };
    let summary = match build::run(index, &args.paths, &options, progress) {
        Ok(summary) => summary,
        Err(err) => {
            if let Some(IndexError::Locked(_)) = err.downcast_ref::<IndexError>() {
                eprintln!("newsdex: {err}");
                return Ok(Status::Error);
            }
            return Err(err);
        }
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        eprint!("{}", render(&summary, index));
    }
    Ok(if summary.clean() {
        Status::Success
    } else {
        Status::Partial
    })
}

fn render(s: &Summary, index: &Path) -> String {
    let mut out = format!(
        "indexed {} articles from {} files into {} in {:.1}s ({:.0} articles/s, {:.1} MB/s)\n",
        s.articles_indexed,
        s.files_read,
        index.display(),
        s.elapsed_secs,
        s.articles_per_sec,
        s.mb_per_sec
    );
    let mut line = |label: &str, n: u64| {
        if n > 0 {
            out.push_str(&format!("  {label:<28}{n}\n"));
        }
    };
    line("files seen", s.files_seen);
    line("files unchanged", s.files_unchanged);
    line("files skipped (not articles)", s.files_skipped);
    line("files failed", s.files_failed);
    line("records failed", s.records_failed);
    line("files removed (--prune)", s.files_removed);
    line("duplicate articles", s.articles_duplicate);
    line("articles deleted", s.articles_deleted);
    line("articles without a date", s.articles_without_date);
    line("values merged (aliases)", s.values_merged);
    line(
        "articles with implausible date",
        s.articles_implausible_date,
    );
    out.push_str(&format!(
        "  {:<28}{:.1}\n",
        "MB read",
        s.bytes_read as f64 / 1e6
    ));
    out.push_str(&format!(
        "  {:<28}{}\n",
        "articles in the index", s.articles_total
    ));
    out
}

/// A progress bar on stderr: files, MB/s, ETA.
struct Bar(ProgressBar, AtomicU64);

impl Bar {
    fn new() -> Bar {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} files {msg} ETA {eta}",
            )
            .expect("valid template"),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        Bar(bar, AtomicU64::new(0))
    }
}

impl Progress for Bar {
    fn start(&self, files: u64) {
        self.0.set_length(files);
    }

    fn file_done(&self, bytes: u64) {
        self.0.inc(1);
        let total = self.1.fetch_add(bytes, Ordering::Relaxed) + bytes;
        let elapsed = self.0.elapsed().as_secs_f64().max(1e-3);
        self.0
            .set_message(format!("{:.1} MB/s", total as f64 / 1e6 / elapsed));
    }

    fn problem(&self, line: &str) {
        self.0.suspend(|| eprintln!("newsdex: {line}"));
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}
