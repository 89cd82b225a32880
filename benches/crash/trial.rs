//! One trial: change the archive, run `newsdex index` and kill it, complete
//! the run, and compare with an uninterrupted index of the same files.

use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rand::Rng;
use rand::rngs::StdRng;

use crate::archive::{self, Base};
use crate::state::{self, Diff};

/// When the kill comes.
#[derive(Debug, Clone, Copy)]
pub enum Kill {
    /// Right after the run's K-th commit (1-based).
    AfterCommit(usize),
    /// This long after the start.
    After(Duration),
}

pub struct Trial {
    /// Build from scratch, or `--prune` after random changes.
    incremental: bool,
    commit_every: usize,
    kill: Kill,
}

pub struct Outcome {
    pub kind: String,
    pub kill: String,
    /// Whether the kill landed while the run was still going.
    pub landed: bool,
    pub diff: Diff,
    /// Exit code of `newsdex check` after completion (None: binary has none).
    pub check: Option<i32>,
    /// Whether the completing run had to repair a disagreement it found.
    pub self_repaired: bool,
}

impl Outcome {
    pub fn is_sound(&self) -> bool {
        self.diff.is_empty() && self.check.is_none_or(|c| c == 0)
    }
}

impl Trial {
    pub fn plan(base: &Base, rng: &mut StdRng) -> Trial {
        let incremental = rng.random_bool(0.75);
        let commit_every = [5, 10, 20][rng.random_range(0..3)];
        let kill = if rng.random_bool(0.5) {
            Kill::AfterCommit(rng.random_range(1..=4))
        } else {
            // Within the time a run takes, give or take.
            let share = if incremental { 0.4 } else { 1.0 };
            let ms = (base.index_secs * share * 1000.0).max(50.0);
            Kill::After(Duration::from_millis(rng.random_range(10..=ms as u64)))
        };
        Trial {
            incremental,
            commit_every,
            kill,
        }
    }

    pub fn run(&self, bin: &Path, base: &Base, rng: &mut StdRng) -> anyhow::Result<Outcome> {
        base.restore(self.incremental)?;
        let mut kind = "build".to_string();
        if self.incremental {
            let c = archive::change(base, rng)?;
            kind = format!(
                "prune m{} d{} a{} t{}",
                c.modified, c.deleted, c.added, c.touched
            );
        }
        let live = &base.live;
        let index = live.join("index");
        let archive = live.join("archive");
        let every = self.commit_every.to_string();
        let mut killed = self.index_cmd(bin, &index, &archive);
        killed.args(["--commit-every", &every]);
        let landed = kill_during(killed.spawn()?, &index, self.kill)?;

        let completed = self.index_cmd(bin, &index, &archive).output()?;
        let stderr = String::from_utf8_lossy(&completed.stderr);
        anyhow::ensure!(
            completed.status.code().is_some_and(|c| c <= 1),
            "completing run failed: {}",
            stderr
        );
        let self_repaired = stderr.contains("disagreed");
        let check = crate::has_check(bin).then(|| {
            Command::new(bin)
                .arg("--index")
                .arg(&index)
                .arg("check")
                .stdout(Stdio::null())
                .status()
                .map_or(-1, |s| s.code().unwrap_or(-1))
        });

        let reference = live.join("reference");
        let status = Command::new(bin)
            .arg("--index")
            .arg(&reference)
            .args(["index", "--no-entities", "--quiet", "--threads", "2"])
            .arg(&archive)
            .stderr(Stdio::null())
            .status()?;
        anyhow::ensure!(
            status.code().is_some_and(|c| c <= 1),
            "reference run failed"
        );
        let diff = state::diff(&state::snapshot(&index)?, &state::snapshot(&reference)?);
        Ok(Outcome {
            kind: format!("{kind} every {}", self.commit_every),
            kill: match self.kill {
                Kill::AfterCommit(k) => format!("after commit {k}"),
                Kill::After(d) => format!("at {} ms", d.as_millis()),
            },
            landed,
            diff,
            check,
            self_repaired,
        })
    }

    fn index_cmd(&self, bin: &Path, index: &Path, archive: &Path) -> Command {
        let mut cmd = Command::new(bin);
        cmd.arg("--index")
            .arg(index)
            .args(["index", "--no-entities", "--quiet", "--threads", "2"])
            .arg(archive)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if self.incremental {
            cmd.arg("--prune");
        }
        cmd
    }
}

/// Kills `child` at the planned moment; returns whether it was still running
/// then (its status says SIGKILL), i.e. whether the kill counts.
fn kill_during(mut child: Child, index: &Path, kill: Kill) -> anyhow::Result<bool> {
    let started = Instant::now();
    let first = commit_name(index);
    let mut last = first.clone();
    let mut commits = 0;
    loop {
        if child.try_wait()?.is_some() {
            break;
        }
        let due = match kill {
            Kill::After(after) => started.elapsed() >= after,
            Kill::AfterCommit(k) => {
                let name = commit_name(index);
                if name.is_some() && name != last {
                    commits += 1;
                    last = name;
                }
                commits >= k
            }
        };
        if due {
            // Err: it exited between the check and the signal.
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_micros(500));
    }
    let status = child.wait()?;
    Ok(status.signal() == Some(9))
}

/// The manifest the last commit names: it changes with every newsdex commit
/// (and not when a background merge rewrites `meta.json`).
fn commit_name(index: &Path) -> Option<String> {
    let text = std::fs::read_to_string(index.join("meta.json")).ok()?;
    let meta: serde_json::Value = serde_json::from_str(&text).ok()?;
    let payload: serde_json::Value = serde_json::from_str(meta["payload"].as_str()?).ok()?;
    payload["manifest"].as_str().map(str::to_string)
}

/// Sums over trials.
#[derive(Debug, Default)]
pub struct Totals {
    pub landed: usize,
    landed_after_commit: usize,
    landed_at_random: usize,
    late: usize,
    bad_trials: usize,
    diff: Diff,
    check_failures: usize,
    self_repairs: usize,
}

impl Totals {
    pub fn add(&mut self, o: &Outcome) {
        if o.landed {
            self.landed += 1;
            if o.kill.starts_with("after commit") {
                self.landed_after_commit += 1;
            } else {
                self.landed_at_random += 1;
            }
        } else {
            self.late += 1;
        }
        self.bad_trials += usize::from(!o.is_sound());
        self.diff.lost += o.diff.lost;
        self.diff.stale += o.diff.stale;
        self.diff.duplicated += o.diff.duplicated;
        self.diff.changed += o.diff.changed;
        self.check_failures += usize::from(o.check.is_some_and(|c| c != 0));
        self.self_repairs += usize::from(o.self_repaired);
    }

    pub fn is_sound(&self) -> bool {
        self.bad_trials == 0
    }

    pub fn render(&self, trials: usize, secs: f64) -> String {
        format!(
            "trials                     {trials}\n\
             kills landed mid-run       {} ({} right after a commit, {} at a random instant)\n\
             kills too late (ignored)   {}\n\
             trials with a wrong index  {}\n\
             articles lost              {}\n\
             articles stale             {}\n\
             articles duplicated        {}\n\
             articles with other content {}\n\
             `check` not clean          {}\n\
             runs that self-repaired    {}\n\
             time                       {secs:.0}s\n",
            self.landed,
            self.landed_after_commit,
            self.landed_at_random,
            self.late,
            self.bad_trials,
            self.diff.lost,
            self.diff.stale,
            self.diff.duplicated,
            self.diff.changed,
            self.check_failures,
            self.self_repairs,
        )
    }
}
