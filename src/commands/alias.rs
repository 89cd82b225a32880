//! `newsdex alias`: the user's corrections to entity values, kept in the
//! index directory (`aliases.tsv`) and applied at once by every query.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::aliases::edits::{self, Action, Edit};
use crate::aliases::table::{AliasTable, key};
use crate::aliases::{self, AUTO_FILE, USER_FILE, USER_HEADER};
use crate::cli::{AliasCommand, ReportFormat};
use crate::exit::Status;
use crate::index::NewsIndex;
use crate::query::Session;
use crate::query::resolve::{Catalog, EntityType, EntityValue, NameError, name_words};

/// What `alias list --format json` prints.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct AliasList {
    /// The user's edits, in file order (`aliases.tsv`).
    pub edits: Vec<Edit>,
    /// The automatic merges of the last `index` run (with `--auto`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automatic: Option<Vec<Edit>>,
}

pub fn run(index: &Path, command: AliasCommand) -> anyhow::Result<Status> {
    let news = NewsIndex::open(index)?;
    let user_path = news.dir.join(USER_FILE);
    match command {
        AliasCommand::List { auto, format } => {
            let list = AliasList {
                edits: edits::load(&user_path)?,
                automatic: auto
                    .then(|| edits::load(&news.dir.join(AUTO_FILE)))
                    .transpose()?,
            };
            print_list(&list, format)?;
            Ok(Status::Success)
        }
        AliasCommand::Export { file } => {
            let list = edits::load(&user_path)?;
            edits::write_atomic(&file, edits::render(&list, USER_HEADER).as_bytes())?;
            eprintln!("newsdex: wrote {} edits to {}", list.len(), file.display());
            Ok(Status::Success)
        }
        AliasCommand::Import { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let incoming = edits::parse(&text, &file.display().to_string())?;
            let count = incoming.len();
            update(&news, |current| {
                for edit in incoming {
                    upsert(current, edit);
                }
                Ok(())
            })?;
            eprintln!("newsdex: imported {count} edits from {}", file.display());
            Ok(Status::Success)
        }
        other => edit(&news, other),
    }
}

/// Applies one editing command; bad input is explained (exit 1).
fn edit(news: &NewsIndex, command: AliasCommand) -> anyhow::Result<Status> {
    let session = Session::open(news)?;
    let catalog = session.catalog()?;
    match apply(news, catalog, command) {
        Ok(message) => {
            eprintln!("newsdex: {message}");
            Ok(Status::Success)
        }
        Err(err) => match err.downcast_ref::<NameError>() {
            Some(name) => {
                eprintln!("newsdex: {name}");
                Ok(Status::Partial)
            }
            None => Err(err),
        },
    }
}

/// Validates and stores one edit; returns what was done, in words. Merge
/// and keep apply to the value as written (an indexed spelling may leave
/// the value it was merged into); rename and drop to the value it stands
/// for now, so renaming "NUM" renames the union.
fn apply(news: &NewsIndex, catalog: &Catalog, command: AliasCommand) -> anyhow::Result<String> {
    match command {
        AliasCommand::Merge { kind, values } => {
            let (target, sources) = values.split_last().expect("clap requires two");
            let typed_target = target;
            let target = existing(catalog, kind, target)?;
            let mut new = Vec::new();
            for source in sources {
                let found = existing(catalog, kind, source)?;
                if found.name == target.name {
                    // Either the target was merged into the source before
                    // (a cycle), or there is nothing to do.
                    let mut tentative = edits::load(&news.dir.join(USER_FILE))?;
                    upsert(
                        &mut tentative,
                        Edit {
                            action: Action::Merge,
                            kind,
                            value: source.clone(),
                            target: Some(typed_target.clone()),
                            note: None,
                        },
                    );
                    AliasTable::new(&tentative, &[])?;
                    bail!("{} {source:?} is already {:?}", kind.name(), target.name);
                }
                new.push(Edit {
                    action: Action::Merge,
                    kind,
                    value: source.clone(),
                    target: Some(target.name.clone()),
                    note: None,
                });
            }
            update(news, |current| {
                for edit in new {
                    upsert(current, edit);
                }
                Ok(())
            })
            .map(|()| format!("merged into {} {:?}", kind.name(), target.name))
        }
        AliasCommand::Rename {
            kind,
            value,
            new_name,
        } => {
            let found = existing(catalog, kind, &value)?;
            if name_words(&new_name).is_empty() {
                bail!("the new name {new_name:?} has no letters or digits");
            }
            let edit = Edit {
                action: Action::Rename,
                kind,
                value: found.name,
                target: Some(new_name.trim().to_string()),
                note: None,
            };
            update(news, |current| {
                upsert(current, edit);
                Ok(())
            })
            .map(|()| format!("renamed {} {value:?} to {new_name:?}", kind.name()))
        }
        AliasCommand::Drop { kind, value } => {
            let found = existing(catalog, kind, &value)?;
            update(news, |current| {
                upsert(current, bare(Action::Drop, kind, &found.name));
                Ok(())
            })
            .map(|()| format!("dropped {} {value:?}", kind.name()))
        }
        AliasCommand::Keep { kind, value } => {
            existing(catalog, kind, &value)?;
            update(news, |current| {
                upsert(current, bare(Action::Keep, kind, &value));
                Ok(())
            })
            .map(|()| format!("{} {value:?} stays apart", kind.name()))
        }
        AliasCommand::Remove { kind, value } => {
            // The edit of the value as written, or else of the value it
            // stands for now (a rename is stored under the old name).
            let mut keys = vec![key(kind, &value)];
            if let Ok(found) = existing(catalog, kind, &value) {
                keys.push(key(kind, &found.name));
                keys.extend(found.aliases.iter().map(|a| key(kind, a)));
            }
            let mut removed = false;
            update(news, |current| {
                for k in &keys {
                    let before = current.len();
                    current.retain(|e| !(e.kind == kind && key(kind, &e.value) == *k));
                    if current.len() < before {
                        removed = true;
                        break;
                    }
                }
                Ok(())
            })?;
            if removed {
                Ok(format!("removed the edit of {} {value:?}", kind.name()))
            } else {
                bail!(
                    "no alias edit for {} {value:?} (see `newsdex alias list`)",
                    kind.name()
                )
            }
        }
        AliasCommand::List { .. } | AliasCommand::Export { .. } | AliasCommand::Import { .. } => {
            unreachable!("handled by run")
        }
    }
}

fn bare(action: Action, kind: EntityType, value: &str) -> Edit {
    Edit {
        action,
        kind,
        value: value.to_string(),
        target: None,
        note: None,
    }
}

/// The value a name given to an alias command stands for: one of its names
/// must be the name given (forgiving case, accents, word order). Unknown
/// names get the nearest known ones; a name of another type says so.
fn existing(catalog: &Catalog, kind: EntityType, name: &str) -> anyhow::Result<EntityValue> {
    let mut wanted = name_words(name);
    wanted.sort();
    let exact = |k: EntityType| -> Vec<EntityValue> {
        catalog
            .matching(Some(k), name)
            .into_iter()
            .filter(|v| {
                std::iter::once(&v.name).chain(&v.aliases).any(|n| {
                    let own = if k == EntityType::Place {
                        n.rsplit(" / ").next().unwrap_or(n)
                    } else {
                        n
                    };
                    let mut words = name_words(own);
                    words.sort();
                    words == wanted || (k == EntityType::Place && key(k, n) == key(k, name))
                })
            })
            .collect()
    };
    let found = exact(kind);
    match found.as_slice() {
        [one] => return Ok(one.clone()),
        [] => {}
        several => {
            // A place path narrows it; otherwise the user must say which.
            if let Some(one) = several
                .iter()
                .find(|v| key(kind, &v.name) == key(kind, name))
            {
                return Ok(one.clone());
            }
            return Err(NameError::Ambiguous {
                kind,
                name: name.to_string(),
                candidates: several.iter().take(10).cloned().collect(),
            }
            .into());
        }
    }
    for other in EntityType::ALL.into_iter().filter(|k| *k != kind) {
        if let Some(v) = exact(other).first() {
            bail!(
                "type mismatch: {name:?} is a {} ({:?}), not a {}",
                other.name(),
                v.name,
                kind.name()
            );
        }
    }
    Err(NameError::Unknown {
        kind,
        name: name.to_string(),
        nearest: catalog.nearest(kind, &name_words(name)),
    }
    .into())
}

/// Replaces the edit of the same value, or appends.
fn upsert(edits: &mut Vec<Edit>, edit: Edit) {
    let k = key(edit.kind, &edit.value);
    match edits
        .iter_mut()
        .find(|e| e.kind == edit.kind && key(e.kind, &e.value) == k)
    {
        Some(slot) => *slot = edit,
        None => edits.push(edit),
    }
}

/// Read-modify-write of `aliases.tsv` under a lock (two alias commands at
/// once lose nothing), refusing cycles, then the name index is rebuilt so
/// the next query sees the edit. An `index` run may go on meanwhile: it
/// holds the writer lock, and this file is not the index's.
fn update(
    news: &NewsIndex,
    change: impl FnOnce(&mut Vec<Edit>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let path = news.dir.join(USER_FILE);
    let lock_path = news.dir.join(crate::aliases::LOCK_FILE);
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .with_context(|| format!("cannot open {}", lock_path.display()))?;
    lock.lock()
        .with_context(|| format!("cannot lock {}", lock_path.display()))?;
    let mut current = edits::load(&path)?;
    change(&mut current)?;
    AliasTable::new(&current, &[])?;
    edits::write_atomic(&path, edits::render(&current, USER_HEADER).as_bytes())?;
    let searcher = news.reader()?.searcher();
    aliases::rebuild_names(news, &searcher)?;
    drop(lock);
    Ok(())
}

fn print_list(list: &AliasList, format: ReportFormat) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut out, list)?;
            writeln!(out)?;
        }
        ReportFormat::Text => {
            let line = |out: &mut dyn Write, e: &Edit| -> std::io::Result<()> {
                match &e.target {
                    Some(t) => writeln!(
                        out,
                        "{:<7} {:<6} {} → {}",
                        e.action.name(),
                        e.kind.name(),
                        e.value,
                        t
                    ),
                    None => writeln!(
                        out,
                        "{:<7} {:<6} {}",
                        e.action.name(),
                        e.kind.name(),
                        e.value
                    ),
                }
            };
            for e in &list.edits {
                line(&mut out, e)?;
            }
            writeln!(out, "({} edits)", list.edits.len())?;
            if let Some(auto) = &list.automatic {
                for e in auto {
                    line(&mut out, e)?;
                }
                writeln!(out, "({} automatic merges)", auto.len())?;
            }
        }
    }
    out.flush()?;
    Ok(())
}
