//! The base archive every trial starts from: real BBC articles copied from
//! `../shared/corpora`, indexed once, plus a pool of other articles that
//! trials add; and the random changes a trial makes to it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

/// Where trials run: always the same paths, because the manifest knows files
/// by absolute path and the base index must match the archive it is copied
/// next to.
pub struct Base {
    /// The pristine archive and index, copied into `live` by each trial.
    pub saved: PathBuf,
    /// The folder a trial works in (`archive/`, `index/`, `reference/`).
    pub live: PathBuf,
    pub files: usize,
    /// Articles not in the archive, for trials to add.
    pub pool: Vec<PathBuf>,
    pub index_secs: f64,
}

impl Base {
    pub fn build(
        bin: &Path,
        corpora: &Path,
        work: &Path,
        files: usize,
        rng: &mut StdRng,
    ) -> anyhow::Result<Base> {
        let mut articles = bbc_articles(corpora)?;
        if articles.len() < files + 50 {
            bail!(
                "{} has {} BBC articles, fewer than {files} + 50",
                corpora.display(),
                articles.len()
            );
        }
        articles.shuffle(rng);
        let pool = articles.split_off(files);
        let live = work.join("live");
        let archive = live.join("archive");
        for (i, from) in articles.iter().enumerate() {
            // topic/NNN.txt: the same name can come from two topics.
            let topic = from
                .parent()
                .and_then(|p| p.file_name())
                .unwrap_or_default();
            let to = archive.join(topic).join(format!("{i:04}.txt"));
            std::fs::create_dir_all(to.parent().unwrap())?;
            std::fs::copy(from, &to).with_context(|| format!("copy {}", from.display()))?;
        }
        let started = Instant::now();
        let status = Command::new(bin)
            .arg("--index")
            .arg(live.join("index"))
            .args(["index", "--no-entities", "--quiet", "--threads", "2"])
            .arg(&archive)
            .stderr(std::process::Stdio::null())
            .status()?;
        anyhow::ensure!(
            status.success(),
            "indexing the base archive failed: {status}"
        );
        let index_secs = started.elapsed().as_secs_f64();
        let saved = work.join("saved");
        copy_dir(&live, &saved)?;
        Ok(Base {
            saved,
            live,
            files,
            pool,
            index_secs,
        })
    }

    /// Puts the pristine archive (and, if asked, its index) in `live`.
    pub fn restore(&self, with_index: bool) -> anyhow::Result<()> {
        if self.live.exists() {
            std::fs::remove_dir_all(&self.live)?;
        }
        std::fs::create_dir_all(&self.live)?;
        copy_dir(&self.saved.join("archive"), &self.live.join("archive"))?;
        if with_index {
            copy_dir(&self.saved.join("index"), &self.live.join("index"))?;
        }
        Ok(())
    }
}

/// The BBC articles of the corpora (`bbc/<topic>/NNN.txt`).
fn bbc_articles(corpora: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let bbc = corpora.join("bbc");
    for topic in std::fs::read_dir(&bbc).with_context(|| format!("list {}", bbc.display()))? {
        let topic = topic?.path();
        if !topic.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&topic)? {
            let file = file?.path();
            if file.extension().is_some_and(|e| e == "txt") {
                out.push(file);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// What a trial did to the archive.
#[derive(Debug, Default, Clone, Copy)]
pub struct Changes {
    pub modified: usize,
    pub deleted: usize,
    pub added: usize,
    pub touched: usize,
}

/// Modifies, deletes, adds and touches (new time, same text) files at random.
pub fn change(base: &Base, rng: &mut StdRng) -> anyhow::Result<Changes> {
    let archive = base.live.join("archive");
    let mut files = list_files(&archive)?;
    files.shuffle(rng);
    let mut changes = Changes {
        modified: rng.random_range(1..=base.files / 6),
        deleted: rng.random_range(0..=base.files / 12),
        added: rng.random_range(0..=20.min(base.pool.len())),
        touched: rng.random_range(0..=base.files / 20),
    };
    let mut picked = files.into_iter();
    for path in picked.by_ref().take(changes.modified) {
        let mut text = std::fs::read(&path)?;
        text.extend_from_slice(
            format!("\nA late addition, number {}.\n", rng.random::<u32>()).as_bytes(),
        );
        std::fs::write(&path, text)?;
    }
    for path in picked.by_ref().take(changes.deleted) {
        std::fs::remove_file(&path)?;
    }
    for path in picked.by_ref().take(changes.touched) {
        let file = std::fs::File::options().append(true).open(&path)?;
        file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(1))?;
    }
    let mut pool = base.pool.clone();
    pool.shuffle(rng);
    for (i, from) in pool.iter().take(changes.added).enumerate() {
        std::fs::create_dir_all(archive.join("added"))?;
        std::fs::copy(from, archive.join("added").join(format!("{i:03}.txt")))?;
    }
    changes.added = changes.added.min(pool.len());
    Ok(changes)
}

fn list_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            out.extend(list_files(&path)?);
        } else {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// `cp -a`: modification times must survive, or every file looks changed.
pub fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    let status = Command::new("cp").arg("-a").arg(from).arg(to).status()?;
    anyhow::ensure!(
        status.success(),
        "cp -a {} {} failed",
        from.display(),
        to.display()
    );
    Ok(())
}
