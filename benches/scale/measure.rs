//! Running a child process and measuring it: wall time, peak resident
//! memory (from `/usr/bin/time -v`, or the child's `VmHWM` polled from
//! `/proc` where `time` is absent), peak anonymous memory (polled), and sizes
//! on disk.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;
use serde::Serialize;

const GNU_TIME: &str = "/usr/bin/time";

/// What one child run gave.
#[derive(Debug, Clone, Serialize)]
pub struct Run {
    pub wall_secs: f64,
    pub peak_rss_mb: Option<f64>,
    /// Peak of the process's own memory (`RssAnon`, polled from `/proc`
    /// every 20 ms): resident set size without the index files Tantivy maps
    /// while it merges, which the kernel may drop at will.
    pub peak_anon_mb: Option<f64>,
    /// User plus system CPU time (needs `/usr/bin/time`).
    pub cpu_secs: Option<f64>,
    pub status: i32,
    #[serde(skip)]
    pub stdout: String,
    #[serde(skip)]
    pub stderr: String,
}

/// Runs `program args` to the end, measuring wall time and peak memory.
pub fn run(program: &Path, args: &[&str]) -> anyhow::Result<Run> {
    let with_time = Path::new(GNU_TIME).is_file();
    let mut command = if with_time {
        let mut c = Command::new(GNU_TIME);
        c.arg("-v").arg(program);
        c
    } else {
        Command::new(program)
    };
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = command
        .spawn()
        .with_context(|| format!("cannot run {}", program.display()))?;
    let mut stdout_pipe = child.stdout.take().expect("piped stdout");
    let mut stderr_pipe = child.stderr.take().expect("piped stderr");
    let out_thread = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout_pipe.read_to_string(&mut s);
        s
    });
    let err_thread = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr_pipe.read_to_string(&mut s);
        s
    });
    let mut polled_kb: Option<u64> = None;
    let mut anon_kb: Option<u64> = None;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        // Under `time`, the measured program is its child.
        let pid = if with_time {
            first_child(child.id())
        } else {
            Some(child.id())
        };
        if let Some(pid) = pid {
            if !with_time && let Some(kb) = status_kb(pid, "VmHWM:") {
                polled_kb = Some(polled_kb.map_or(kb, |p| p.max(kb)));
            }
            if let Some(kb) = status_kb(pid, "RssAnon:") {
                anon_kb = Some(anon_kb.map_or(kb, |p| p.max(kb)));
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let wall_secs = started.elapsed().as_secs_f64();
    let stdout = out_thread.join().unwrap_or_default();
    let stderr = err_thread.join().unwrap_or_default();
    let peak_kb = if with_time {
        stderr
            .lines()
            .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
            .and_then(|v| v.trim().parse::<u64>().ok())
    } else {
        polled_kb
    };
    let seconds = |label: &str| {
        stderr
            .lines()
            .find_map(|l| l.trim().strip_prefix(label))
            .and_then(|v| v.trim().parse::<f64>().ok())
    };
    let cpu_secs = match (
        seconds("User time (seconds):"),
        seconds("System time (seconds):"),
    ) {
        (Some(user), Some(system)) => Some(user + system),
        _ => None,
    };
    Ok(Run {
        wall_secs,
        peak_rss_mb: peak_kb.map(|kb| kb as f64 / 1024.0),
        peak_anon_mb: anon_kb.map(|kb| kb as f64 / 1024.0),
        cpu_secs,
        status: status.code().unwrap_or(-1),
        stdout,
        stderr,
    })
}

/// A field of `/proc/PID/status`, in kB.
fn status_kb(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// The first child process of `pid` (Linux).
fn first_child(pid: u32) -> Option<u32> {
    let children = std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).ok()?;
    children.split_whitespace().next()?.parse().ok()
}

/// Bytes of every file under `dir`.
pub fn dir_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

/// Whether a program is on the PATH.
pub fn on_path(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Median wall time, in milliseconds, of `runs` runs of a command whose
/// output is thrown away.
pub fn median_wall_ms(program: &str, args: &[&str], runs: usize) -> anyhow::Result<Stats> {
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .with_context(|| format!("cannot run {program}"))?;
        samples.push(started.elapsed().as_secs_f64() * 1e3);
    }
    Ok(Stats::of(samples))
}

/// Percentiles of a set of samples (milliseconds).
#[derive(Debug, Clone, Serialize, serde::Deserialize, Default)]
pub struct Stats {
    pub samples: usize,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
    pub mean: f64,
}

impl Stats {
    pub fn of(mut samples: Vec<f64>) -> Stats {
        if samples.is_empty() {
            return Stats::default();
        }
        samples.sort_by(f64::total_cmp);
        let at = |q: f64| {
            let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
            samples[i.min(samples.len() - 1)]
        };
        Stats {
            samples: samples.len(),
            p50: at(0.50),
            p95: at(0.95),
            p99: at(0.99),
            max: *samples.last().expect("non-empty"),
            mean: samples.iter().sum::<f64>() / samples.len() as f64,
        }
    }
}
