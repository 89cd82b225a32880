//! Alias edits as a small tab-separated file that people read, edit by hand
//! and keep in version control: `aliases.tsv` (the user's corrections) and
//! `aliases-auto.tsv` (the decisions of each `index` run) share the format.
//!
//! ```text
//! # comment
//! merge   person  Reagan  Ronald Reagan
//! rename  org     EC      European Community
//! drop    org     Counter Terrorism Service
//! keep    person  Bush
//! ```
//!
//! A fifth column, when present, is a note (the automatic table says why it
//! merged). Values are matched forgivingly (case, accents, `al-`, word
//! order), so one edit covers every spelling of a name.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::query::resolve::EntityType;

/// What an edit does to a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// The value joins an existing value (the target).
    Merge,
    /// The value takes a new name (which may be new to the index).
    Rename,
    /// The value is hidden from filters, counts and hit lists.
    Drop,
    /// The value stays as it is, whatever the automatic table says.
    Keep,
}

impl Action {
    pub fn name(self) -> &'static str {
        match self {
            Action::Merge => "merge",
            Action::Rename => "rename",
            Action::Drop => "drop",
            Action::Keep => "keep",
        }
    }

    fn parse(text: &str) -> Option<Action> {
        Some(match text {
            "merge" => Action::Merge,
            "rename" => Action::Rename,
            "drop" => Action::Drop,
            "keep" => Action::Keep,
            _ => return None,
        })
    }

    /// Whether the edit names a target value.
    pub fn has_target(self) -> bool {
        matches!(self, Action::Merge | Action::Rename)
    }
}

/// One line of an alias file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Edit {
    pub action: Action,
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// The value the edit applies to, as written (places as "Country / Region / City").
    pub value: String,
    /// The value it becomes (merge and rename only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub target: Option<String>,
    /// Why (the automatic table's reason), if given.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub note: Option<String>,
}

impl Edit {
    /// An edit with no note (for tests).
    #[cfg(test)]
    pub fn new(action: Action, kind: EntityType, value: &str, target: Option<&str>) -> Edit {
        Edit {
            action,
            kind,
            value: value.into(),
            target: target.map(str::to_string),
            note: None,
        }
    }
}

/// A line of an alias file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {reason}")]
pub struct ParseError {
    pub file: String,
    pub line: usize,
    pub reason: String,
}

/// Reads the edits of an alias file's text; `origin` names it in errors.
pub fn parse(text: &str, origin: &str) -> Result<Vec<Edit>, ParseError> {
    let mut edits = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let bad = |reason: String| ParseError {
            file: origin.to_string(),
            line: n + 1,
            reason,
        };
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
        let action = Action::parse(cols[0]).ok_or_else(|| {
            bad(format!(
                "unknown action {:?} (expected merge, rename, drop or keep, then tab-separated type and value)",
                cols[0]
            ))
        })?;
        let kind = match cols.get(1).copied() {
            Some("person") => EntityType::Person,
            Some("place") => EntityType::Place,
            Some("org") => EntityType::Org,
            other => {
                return Err(bad(format!(
                    "unknown type {:?} (expected person, place or org)",
                    other.unwrap_or("")
                )));
            }
        };
        let value = cols.get(2).copied().unwrap_or("");
        if value.is_empty() {
            return Err(bad("missing the value (third column)".to_string()));
        }
        let target = cols.get(3).copied().filter(|t| !t.is_empty());
        if action.has_target() && target.is_none() {
            return Err(bad(format!(
                "{} needs a target (fourth column)",
                action.name()
            )));
        }
        let note = cols.get(4).copied().filter(|t| !t.is_empty());
        edits.push(Edit {
            action,
            kind,
            value: value.to_string(),
            target: action
                .has_target()
                .then(|| target.unwrap_or("").to_string()),
            note: note.map(str::to_string),
        });
    }
    Ok(edits)
}

/// Writes edits in the file format, under a header comment.
pub fn render(edits: &[Edit], header: &str) -> String {
    let mut out = String::new();
    for line in header.lines() {
        let _ = writeln!(out, "# {line}");
    }
    for edit in edits {
        let mut cols = vec![edit.action.name(), edit.kind.name(), clean(&edit.value)];
        if let Some(target) = &edit.target {
            cols.push(clean(target));
        }
        if let Some(note) = &edit.note {
            if edit.target.is_none() {
                cols.push("");
            }
            cols.push(clean(note));
        }
        out.push_str(&cols.join("\t"));
        out.push('\n');
    }
    out
}

/// Tabs and line breaks would break the format; names never need them.
fn clean(text: &str) -> &str {
    text.split(['\t', '\n', '\r']).next().unwrap_or("")
}

/// Reads an alias file; a missing file has no edits.
pub fn load(path: &Path) -> anyhow::Result<Vec<Edit>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(parse(&text, &path.display().to_string())?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// Writes a file atomically: a reader sees the old content or the new,
/// never half of it.
pub fn write_atomic(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::write(&temp, contents)
        .and_then(|()| std::fs::File::open(&temp)?.sync_all())
        .and_then(|()| std::fs::rename(&temp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_errors_name_the_line() {
        let edits = vec![
            Edit {
                action: Action::Merge,
                kind: EntityType::Person,
                value: "Reagan".into(),
                target: Some("Ronald Reagan".into()),
                note: None,
            },
            Edit {
                action: Action::Drop,
                kind: EntityType::Org,
                value: "Counter Terrorism Service".into(),
                target: None,
                note: Some("noise".into()),
            },
        ];
        let text = render(&edits, "newsdex aliases\nsecond line");
        assert!(text.starts_with("# newsdex aliases\n# second line\n"));
        assert_eq!(parse(&text, "x").unwrap(), edits);
        let err = parse("# c\nmerge\tperson\tReagan\n", "a.tsv").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.to_string().starts_with("a.tsv:2: merge needs a target"));
        assert!(parse("fuse\tperson\tx\ty", "a").is_err());
        assert!(parse("drop\tthing\tx", "a").is_err());
    }
}
