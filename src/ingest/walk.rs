//! Finds the files to index under the paths a user gives.
//!
//! Hidden files and folders are skipped (a dot-name given explicitly is
//! honoured), symlinks are followed with loop detection, and the index's own
//! folder is never walked into. Files whose extension says they cannot be an
//! article (images, archives, PDFs) are left out without an error, and so
//! are notes, sidecars and fragments ([`super::not_article`]) unless an
//! `--include` glob names them.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::globs::{Overrides, Verdict};
use super::not_article;

use walkdir::WalkDir;

/// Extensions that are never news articles in a format newsdex reads.
const NOT_ARTICLES: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "webp", "svg", "ico", "bmp", "tif", "tiff", "pdf", "zip", "tar",
    "tgz", "bz2", "xz", "7z", "rar", "mp3", "mp4", "m4a", "mov", "avi", "webm", "wav", "css", "js",
    "woff", "woff2", "ttf", "otf", "exe", "dll", "so", "o", "class", "pyc", "dtd", "xsd",
];

/// What walking the given paths found.
#[derive(Debug, Default)]
pub struct Walk {
    /// Candidate article files, in a stable (sorted) order.
    pub files: Vec<PathBuf>,
    /// Candidates an `--include` glob named: read as articles whatever
    /// they look like.
    pub forced: HashSet<PathBuf>,
    /// Files left out: by extension, as notes, sidecars or fragments, or by
    /// `--exclude`.
    pub skipped: u64,
    /// The files of `skipped` that newsdex could have read (all but the
    /// images and archives): an earlier run may have indexed them.
    pub skipped_readable: Vec<PathBuf>,
    /// Problems while walking (unreadable folders, symlink loops), one line each.
    pub errors: Vec<String>,
}

/// Walks `roots`, never descending into `exclude` (the index folder).
pub fn walk(roots: &[PathBuf], exclude: &Path) -> Walk {
    walk_with(roots, exclude, &Overrides::default())
}

/// [`walk`], with the user's `--include` / `--exclude` globs.
pub fn walk_with(roots: &[PathBuf], exclude: &Path, overrides: &Overrides) -> Walk {
    let mut out = walk_all(roots, exclude, overrides);
    let judged: Vec<PathBuf> = out
        .files
        .iter()
        .filter(|p| !out.forced.contains(*p))
        .cloned()
        .collect();
    let not_articles = not_article::by_name(&judged);
    if !not_articles.is_empty() {
        let (keep, drop): (Vec<PathBuf>, Vec<PathBuf>) = std::mem::take(&mut out.files)
            .into_iter()
            .partition(|p| !not_articles.contains_key(p));
        out.files = keep;
        out.skipped += drop.len() as u64;
        out.skipped_readable.extend(drop);
    }
    out
}

fn walk_all(roots: &[PathBuf], exclude: &Path, overrides: &Overrides) -> Walk {
    let exclude = exclude
        .canonicalize()
        .unwrap_or_else(|_| exclude.to_path_buf());
    let mut out = Walk::default();
    for root in roots {
        if !root.exists() {
            out.errors
                .push(format!("{}: no such file or folder", root.display()));
            continue;
        }
        let entries = WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| {
                if entry.depth() > 0 && is_hidden(entry.file_name()) {
                    return false;
                }
                entry.path().canonicalize().map_or(true, |p| p != exclude)
            });
        for entry in entries {
            match entry {
                Ok(entry) if entry.file_type().is_file() => {
                    let relative = match entry.path().strip_prefix(root) {
                        Ok(rel) if !rel.as_os_str().is_empty() => rel,
                        _ => Path::new(entry.file_name()),
                    };
                    // A file named on the command line is meant as an article.
                    let named = entry.depth() == 0;
                    match overrides.verdict(relative) {
                        Verdict::Excluded => {
                            out.skipped += 1;
                            out.skipped_readable.push(entry.into_path());
                        }
                        Verdict::Unsaid if !named && is_not_article(entry.path()) => {
                            out.skipped += 1
                        }
                        Verdict::Unsaid if !named => out.files.push(entry.into_path()),
                        Verdict::Included | Verdict::Unsaid => {
                            out.forced.insert(entry.path().to_path_buf());
                            out.files.push(entry.into_path());
                        }
                    }
                }
                Ok(_) => {}
                Err(err) => {
                    let at = err
                        .path()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default();
                    let reason = match err.loop_ancestor() {
                        Some(_) => "symlink loop, not followed".to_string(),
                        None => err
                            .io_error()
                            .map_or_else(|| err.to_string(), |e| e.to_string()),
                    };
                    out.errors.push(format!("{at}: {reason}"));
                }
            }
        }
    }
    out
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n != "." && n != "..")
}

fn is_not_article(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    ext.is_some_and(|ext| NOT_ARTICLES.contains(&ext.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_hidden_images_and_the_index() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("idx")).unwrap();
        std::fs::create_dir_all(root.join("2019/12/30")).unwrap();
        std::fs::write(root.join(".git/config"), "x").unwrap();
        std::fs::write(root.join(".hidden.txt"), "x").unwrap();
        std::fs::write(root.join("idx/meta.json"), "{}").unwrap();
        std::fs::write(root.join("photo.JPG"), "x").unwrap();
        std::fs::write(root.join("2019/12/30/a.txt"), "x").unwrap();
        std::fs::write(root.join("b.json"), "x").unwrap();
        let walk = walk(&[root.to_path_buf()], &root.join("idx"));
        let names: Vec<_> = walk
            .files
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().to_path_buf())
            .collect();
        assert_eq!(
            names,
            [PathBuf::from("2019/12/30/a.txt"), PathBuf::from("b.json")]
        );
        assert_eq!(walk.skipped, 1);
        assert!(walk.errors.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn survives_symlink_loops() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("a/x.txt"), "x").unwrap();
        std::os::unix::fs::symlink(root, root.join("a/loop")).unwrap();
        let walk = walk(&[root.to_path_buf()], &root.join("idx"));
        assert_eq!(walk.files.len(), 1);
        assert_eq!(walk.errors.len(), 1);
        assert!(walk.errors[0].contains("loop"), "{:?}", walk.errors);
    }
}
