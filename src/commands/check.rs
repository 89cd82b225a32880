//! `newsdex check [--repair]`: like `git fsck` for the index. Checks that
//! the index and its manifest agree and reads every segment in full; with
//! `--repair` puts back what can be put back.

use std::collections::HashSet;
use std::path::Path;

use schemars::JsonSchema;
use serde::Serialize;

use crate::cli::{CheckArgs, ReportFormat};
use crate::exit::Status;
use crate::index::writer::Writer;
use crate::index::{CommitInfo, NewsIndex, consistency, verify};
use crate::ingest::manifest::{Id, Manifest};

/// One thing found wrong.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Problem {
    /// manifest, stale, missing, duplicated, stray, damaged.
    kind: &'static str,
    /// The article id, file or segment concerned.
    subject: String,
    detail: String,
    /// Whether `--repair` puts it right.
    repairable: bool,
}

/// The whole report, as printed with `--format json`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Report {
    index: String,
    segments: usize,
    articles: u64,
    manifest: Option<String>,
    manifest_files: usize,
    problems: Vec<Problem>,
    /// Whether `--repair` was asked for and committed its changes.
    repaired: bool,
    /// Files dropped from the manifest by the repair, read again by the next
    /// `newsdex index` that walks them.
    files_to_reread: usize,
    /// Whether the index is sound now (nothing found, or all of it repaired).
    clean: bool,
}

pub fn run(index: &Path, args: CheckArgs) -> anyhow::Result<Status> {
    let news = match NewsIndex::open(index) {
        Ok(news) => news,
        Err(err) => return cannot_open(index, &err),
    };
    // The lock keeps a running `index` from changing files under the check,
    // and makes every file a commit does not use a stray.
    let mut writer = match Writer::open(&news, 1, 64) {
        Ok(writer) => writer,
        Err(err) => return cannot_open(index, &err),
    };
    let (info, live) = match news.commit_info().and_then(|info| {
        let live = consistency::live_ids(&news)?;
        Ok((info, live))
    }) {
        Ok(found) => found,
        Err(err) => return cannot_open(index, &format!("index is damaged: {err:#}")),
    };

    let mut problems = Vec::new();
    let loaded = match info.manifest.as_deref() {
        Some(name) => Manifest::load(index, Some(name)),
        None if live.is_empty() => Ok(Manifest::default()),
        None => Err(anyhow::anyhow!("the last commit names no manifest")),
    };
    let (mut manifest, manifest_lost) = match loaded {
        Ok(manifest) => (manifest, false),
        Err(err) => {
            problems.push(Problem {
                kind: "manifest",
                subject: info.manifest.clone().unwrap_or_default(),
                detail: format!("{err:#}"),
                repairable: true,
            });
            (consistency::rebuild_manifest(&news)?, true)
        }
    };
    let manifest_files = manifest.len();
    let found = consistency::compare(&manifest, &live);
    describe(&found, &manifest, &live, &mut problems);
    let strays = consistency::strays(&news, info.manifest.as_deref())?;
    for stray in &strays {
        problems.push(Problem {
            kind: "stray",
            subject: stray.path.display().to_string(),
            detail: if stray.ours {
                "a file no commit uses".to_string()
            } else {
                "not a file of the index (left alone, even by --repair)".to_string()
            },
            repairable: stray.ours,
        });
    }
    let segments = verify::segments(&news)?;
    for segment in &segments {
        if let Some(damage) = &segment.damage {
            problems.push(Problem {
                kind: "damaged",
                subject: format!("segment {}", segment.segment),
                detail: format!(
                    "{damage} (cannot be repaired: delete the index and run `newsdex index` again)"
                ),
                repairable: false,
            });
        }
    }

    let mut files_to_reread = 0;
    let mut repaired = false;
    if args.repair && !problems.is_empty() {
        files_to_reread = consistency::repair(&writer, &mut manifest, &found)?;
        let name = manifest.save(index)?;
        let info = CommitInfo {
            manifest: Some(name.clone()),
            newsdex: env!("CARGO_PKG_VERSION").to_string(),
            ..info
        };
        writer.commit(&info)?;
        writer.finish()?;
        Manifest::remove_stale(index, &name);
        consistency::remove_strays(&strays);
        repaired = true;
    }
    let clean = problems.is_empty() || (repaired && problems.iter().all(|p| p.repairable));
    let report = Report {
        index: index.display().to_string(),
        segments: segments.len(),
        articles: live.values().map(|l| u64::from(l.docs)).sum(),
        manifest: if manifest_lost { None } else { info.manifest },
        manifest_files,
        problems,
        repaired,
        files_to_reread,
        clean,
    };
    match args.format {
        ReportFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        ReportFormat::Text => print!("{}", render(&report)),
    }
    Ok(if clean {
        Status::Success
    } else {
        Status::Partial
    })
}

fn cannot_open(index: &Path, err: &dyn std::fmt::Display) -> anyhow::Result<Status> {
    eprintln!("newsdex: cannot check {}: {err}", index.display());
    Ok(Status::Error)
}

fn describe(
    found: &consistency::Disagreement,
    manifest: &Manifest,
    live: &std::collections::BTreeMap<String, consistency::Live>,
    problems: &mut Vec<Problem>,
) {
    let path_of = |id: &String| live.get(id).map(|l| l.path.clone()).unwrap_or_default();
    for id in &found.stale {
        problems.push(Problem {
            kind: "stale",
            subject: id.clone(),
            detail: format!(
                "indexed from {} but no file of the manifest holds it",
                path_of(id)
            ),
            repairable: true,
        });
    }
    for id in &found.missing {
        let held: HashSet<Id> = Id::parse(id).into_iter().collect();
        problems.push(Problem {
            kind: "missing",
            subject: id.clone(),
            detail: format!(
                "held by {} but not in the index",
                manifest.keys_holding(&held).map_or_else(
                    |err| format!("(unreadable: {err:#})"),
                    |keys| keys.join(", ")
                )
            ),
            repairable: true,
        });
    }
    for id in &found.duplicated {
        let docs = live.get(id).map_or(0, |l| l.docs);
        problems.push(Problem {
            kind: "duplicated",
            subject: id.clone(),
            detail: format!("{docs} live documents from {}", path_of(id)),
            repairable: true,
        });
    }
}

fn render(report: &Report) -> String {
    let mut out = format!(
        "{}: {} articles in {} segments; manifest {} ({} files)\n",
        report.index,
        report.articles,
        report.segments,
        report.manifest.as_deref().unwrap_or("missing"),
        report.manifest_files,
    );
    if report.problems.is_empty() {
        out.push_str("ok: index and manifest agree, no stray files, every segment reads in full\n");
        return out;
    }
    out.push_str(&format!("{} problems:\n", report.problems.len()));
    for p in &report.problems {
        out.push_str(&format!("  {:<10} {}: {}\n", p.kind, p.subject, p.detail));
    }
    if report.repaired {
        out.push_str(&format!(
            "repaired: manifest rewritten, stale and duplicated articles deleted, strays removed; \
             {} files will be read again by the next `newsdex index`\n",
            report.files_to_reread
        ));
    } else {
        out.push_str("run `newsdex check --repair` to put it right\n");
    }
    out
}
