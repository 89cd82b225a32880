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
use crate::ingest::globs::Overrides;
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
        overrides: Overrides::new(&args.include, &args.exclude)?,
        source: args.source.clone().filter(|s| !s.trim().is_empty()),
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
            return Err(crate::index::name_a_full_disk(err, index));
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
    let counts = [
        ("files seen", s.files_seen),
        ("files unchanged", s.files_unchanged),
        ("files skipped (not an article)", s.files_skipped),
        ("files failed", s.files_failed),
        ("records skipped (empty)", s.records_empty),
        ("records failed", s.records_failed),
        ("files removed (--prune)", s.files_removed),
        ("duplicate articles", s.articles_duplicate),
        ("articles deleted", s.articles_deleted),
        ("articles without a date", s.articles_without_date),
        (
            "articles with implausible date",
            s.articles_implausible_date,
        ),
        ("values merged (aliases)", s.values_merged),
    ];
    let mut rows: Vec<(&str, String)> = counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|&(label, n)| (label, n.to_string()))
        .collect();
    rows.push(("MB read", format!("{:.1}", s.bytes_read as f64 / 1e6)));
    rows.push(("articles in the index", s.articles_total.to_string()));
    // Every label, however long, keeps two spaces before its number.
    let width = rows.iter().map(|(label, _)| label.len()).max().unwrap_or(0) + 2;
    for (label, value) in rows {
        out.push_str(&format!("  {label:<width$}{value}\n"));
    }
    out
}

/// A progress bar on stderr: files read of those found so far, MB/s, ETA.
struct Bar(ProgressBar, AtomicU64);

impl Bar {
    fn new() -> Bar {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len}{prefix} files {msg} ETA {eta}",
            )
            .expect("valid template"),
        );
        // The walk runs alongside the reading: "+" until it has found every file.
        bar.set_prefix("+");
        bar.enable_steady_tick(Duration::from_millis(200));
        Bar(bar, AtomicU64::new(0))
    }
}

impl Progress for Bar {
    fn found(&self, files: u64) {
        self.0.inc_length(files);
    }

    fn walked(&self) {
        self.0.set_prefix("");
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_stands_apart_from_its_number() {
        let summary = Summary {
            files_seen: 3,
            files_skipped: 1,
            articles_implausible_date: 7,
            articles_total: 12,
            bytes_read: 2_500_000,
            ..Summary::default()
        };
        let text = render(&summary, Path::new("idx"));
        let rows: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(rows.len(), 5, "{text}");
        let column = rows[0].rfind("  ").unwrap() + 2;
        for row in &rows {
            let (label, number) = row.split_at(column);
            assert!(label.ends_with("  "), "label runs into its number: {row:?}");
            assert!(number.starts_with(|c: char| c.is_ascii_digit()), "{row:?}");
        }
        assert!(text.contains("articles with implausible date  "), "{text}");
        assert!(
            rows[4].trim_start().starts_with("articles in the index"),
            "{text}"
        );
        assert!(rows[4].ends_with("12"), "{text}");
    }
}
