//! Files that sit among articles but are not articles: notes about the
//! archive (a README, a licence), word lists (one short token a line, as the
//! Reuters corpus ships beside its newswire), metadata sidecars
//! (`page-metadata.json` beside `page.html`) and HTML fragments derived from
//! a full page in the same folder (an extraction kept beside its source).
//!
//! The rules are general, by the shape of names and contents, not by names
//! of one corpus; `index --include` and `--exclude` override them.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

/// File stems (before any extension, lowercased) of notes about an archive.
const NOTE_STEMS: &[&str] = &[
    "readme",
    "read_me",
    "read-me",
    "license",
    "licence",
    "copying",
    "copyright",
    "changelog",
    "changes",
    "authors",
    "contributors",
    "contributing",
    "notice",
    "todo",
];

/// How a sidecar names the file it describes: `X-metadata.json`,
/// `X.metadata.json`, `X_metadata.json`, `X.meta.json`.
const SIDECAR_SUFFIXES: &[&str] = &["-metadata", ".metadata", "_metadata", ".meta"];

/// Why a file is not an article, as the summary's problem lines say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Note,
    Sidecar,
    Fragment,
    WordList,
}

impl Reason {
    pub fn describe(self) -> &'static str {
        match self {
            Reason::Note => "a note about the archive (README, licence)",
            Reason::Sidecar => "a metadata sidecar of another file",
            Reason::Fragment => "an HTML fragment beside a full page",
            Reason::WordList => "a word list (one short token a line)",
        }
    }
}

/// The first name part, lowercased: `README.TXT` → `readme`,
/// `story.txt.gz` → `story`.
fn stem(name: &str) -> String {
    name.split('.').next().unwrap_or(name).to_lowercase()
}

/// A note about the archive, by its name (`README`, `README.md`, `LICENSE.txt`).
pub fn is_note(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    NOTE_STEMS.contains(&stem(name).as_str())
}

/// A JSON file describing another file of the same folder, named after it:
/// `expected-metadata.json` beside `expected.html`; or one named `metadata.json`.
fn is_sidecar(path: &Path, siblings: &HashSet<String>) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lower = name.to_lowercase();
    let Some(base) = lower
        .strip_suffix(".json.gz")
        .or_else(|| lower.strip_suffix(".json"))
    else {
        return false;
    };
    if base == "metadata" || base == "meta" {
        return true;
    }
    SIDECAR_SUFFIXES.iter().any(|suffix| {
        base.strip_suffix(suffix)
            .is_some_and(|described| !described.is_empty() && siblings.contains(described))
    })
}

fn is_html(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_lowercase();
    name.ends_with(".html") || name.ends_with(".htm")
}

/// How much of an HTML file is read to tell a page from a fragment.
const SNIFF_BYTES: u64 = 4096;

/// Whether the start of an HTML file is a whole page (a doctype, `<html>`,
/// `<head>`, `<body>` or `<title>`), not a fragment of one.
pub fn is_whole_page(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    ["<!doctype", "<html", "<head", "<body", "<title"]
        .iter()
        .any(|tag| text.contains(tag))
}

/// Whether the start of an HTML file is markup that is no whole page: it
/// opens with a tag, holds no binary bytes and names no page element.
pub fn is_fragment(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    text.starts_with('<') && !head.contains(&0) && !is_whole_page(head)
}

fn sniff_fragment(path: &Path) -> bool {
    let mut head = Vec::new();
    let read =
        std::fs::File::open(path).and_then(|file| file.take(SNIFF_BYTES).read_to_end(&mut head));
    read.is_ok() && is_fragment(&head)
}

/// Which of `files` are not articles by their name or their place among
/// their siblings (notes, sidecars, fragments beside a page). Word lists
/// are told by content, when a file is read ([`is_word_list`]).
pub fn by_name(files: &[PathBuf]) -> HashMap<PathBuf, Reason> {
    let mut folders: HashMap<&Path, Vec<&PathBuf>> = HashMap::new();
    for file in files {
        folders
            .entry(file.parent().unwrap_or(Path::new("")))
            .or_default()
            .push(file);
    }
    let mut out = HashMap::new();
    for members in folders.values() {
        let stems: HashSet<String> = members
            .iter()
            .filter_map(|p| p.file_name()?.to_str())
            .map(stem)
            .collect();
        for file in members {
            if is_note(file) {
                out.insert((*file).clone(), Reason::Note);
            } else if is_sidecar(file, &stems) {
                out.insert((*file).clone(), Reason::Sidecar);
            }
        }
        // Only a folder with several pages is sniffed: one page alone is an
        // article whatever its shape.
        let pages: Vec<&PathBuf> = members.iter().copied().filter(|p| is_html(p)).collect();
        if pages.len() < 2 {
            continue;
        }
        let fragments: Vec<(&PathBuf, bool)> =
            pages.iter().map(|p| (*p, sniff_fragment(p))).collect();
        if fragments.iter().any(|(_, f)| !*f) {
            for (page, _) in fragments.iter().filter(|(_, f)| *f) {
                out.insert((*page).clone(), Reason::Fragment);
            }
        }
    }
    out
}

/// Fewest lines a word list has: a short note is not mistaken for one.
const WORD_LIST_MIN_LINES: usize = 20;
/// Longest token of a word list.
const WORD_LIST_MAX_TOKEN: usize = 40;

/// A list of words or codes, one short token a line with no sentence among
/// them (Reuters' `all-places-strings.lc.txt`): no article reads so.
pub fn is_word_list(text: &str) -> bool {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.len() < WORD_LIST_MIN_LINES {
        return false;
    }
    let tokens = lines
        .iter()
        .filter(|l| l.chars().count() <= WORD_LIST_MAX_TOKEN && !l.contains(char::is_whitespace))
        .count();
    // At most one line in fifty may be something else (a heading).
    tokens * 50 >= lines.len() * 49
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_by_name_in_any_case_and_extension() {
        for name in ["README", "README.txt", "readme.md", "README.TXT", "LICENSE"] {
            assert!(is_note(Path::new(name)), "{name}");
        }
        for name in ["readmission.txt", "story.txt", "licensing-deal.json"] {
            assert!(!is_note(Path::new(name)), "{name}");
        }
    }

    #[test]
    fn sidecars_name_a_sibling() {
        let siblings: HashSet<String> = ["expected", "source", "expected-metadata"]
            .map(String::from)
            .into();
        assert!(is_sidecar(Path::new("expected-metadata.json"), &siblings));
        assert!(is_sidecar(Path::new("source.meta.json"), &siblings));
        assert!(is_sidecar(Path::new("metadata.json"), &siblings));
        // Describes nothing in the folder: an article that happens to be named so.
        assert!(!is_sidecar(Path::new("oil-metadata.json"), &siblings));
        assert!(!is_sidecar(Path::new("source.json"), &siblings));
    }

    #[test]
    fn word_lists_and_articles() {
        let list: String = (0..30).map(|i| format!("place-{i} \n")).collect();
        assert!(is_word_list(&list));
        let article = format!(
            "Oil prices rose\n\n{}",
            "The price of crude rose today.\n".repeat(30)
        );
        assert!(!is_word_list(&article));
        assert!(!is_word_list("Title\n\nBody."));
    }

    #[test]
    fn pages_and_fragments() {
        assert!(is_whole_page(b"<!DOCTYPE html><html><p>x"));
        assert!(is_whole_page(b"<title>x</title><p>y"));
        assert!(!is_whole_page(b"<div id=\"page\"><p>x</p></div>"));
        assert!(is_fragment(b"\n<div id=\"page\"><p>x</p></div>"));
        assert!(!is_fragment(b"<html><p>x"));
        assert!(!is_fragment(b"\x00\x01PK not a page"));
        assert!(!is_fragment(b"Plain text saved as .html"));
    }
}
