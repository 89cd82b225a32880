//! Times HTML reading (`newsdex::ingest::formats::html::parse`: charset,
//! html5ever tree, metadata, main text) over a folder of saved pages, on one
//! thread, and prints the median of several runs in pages/s and MB/s.
//!
//! ```text
//! cargo run --release --example html_speed -- /work/shared/html/mozilla-readability/test-pages [RUNS]
//! ```
//!
//! Every `*.html` file under the folder is read into memory first except
//! `expected.html` (the Readability test set's answers), so only parsing is
//! timed.

use std::path::PathBuf;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args_os().skip(1);
    let dir = args
        .next()
        .map(PathBuf::from)
        .ok_or_else(|| anyhow::anyhow!("usage: html_speed DIR [RUNS]"))?;
    let runs: usize = match args.next() {
        Some(r) => r.to_string_lossy().parse()?,
        None => 7,
    };
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file() && name.ends_with(".html") && name != "expected.html" {
            pages.push((entry.path().to_path_buf(), std::fs::read(entry.path())?));
        }
    }
    anyhow::ensure!(!pages.is_empty(), "{}: no .html files", dir.display());
    let bytes: usize = pages.iter().map(|(_, b)| b.len()).sum();

    let mut times = Vec::with_capacity(runs);
    let mut cpu_times = Vec::with_capacity(runs);
    let mut failed = 0;
    for _ in 0..runs.max(1) {
        failed = 0;
        let start = Instant::now();
        let cpu_start = thread_cpu_seconds();
        for (path, data) in &pages {
            match newsdex::ingest::formats::html::parse(path, data) {
                Ok(article) => {
                    std::hint::black_box(article);
                }
                Err(_) => failed += 1,
            }
        }
        times.push(start.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (cpu_start, thread_cpu_seconds()) {
            cpu_times.push(b - a);
        }
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!(
        "{} pages, {:.1} MB, {} runs, {} failed",
        pages.len(),
        bytes as f64 / 1e6,
        times.len(),
        failed
    );
    println!(
        "median {:.3} s (min {:.3}, max {:.3}): {:.0} pages/s, {:.1} MB/s on one thread",
        median,
        times[0],
        times[times.len() - 1],
        pages.len() as f64 / median,
        bytes as f64 / 1e6 / median
    );
    if !cpu_times.is_empty() {
        cpu_times.sort_by(f64::total_cmp);
        let cpu = cpu_times[cpu_times.len() / 2];
        println!(
            "median CPU time {:.3} s: {:.0} pages/s, {:.1} MB/s per core (unaffected by other load)",
            cpu,
            pages.len() as f64 / cpu,
            bytes as f64 / 1e6 / cpu
        );
    }
    Ok(())
}

/// CPU time this thread has run, from Linux's `/proc/thread-self/schedstat`
/// (nanoseconds on the CPU first); `None` elsewhere. On a shared machine it
/// measures the work, where wall-clock time also measures the neighbours.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}
