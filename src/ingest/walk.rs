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

/// One thing the walk found, handed on as soon as its folder is judged.
#[derive(Debug, PartialEq)]
pub enum Found {
    /// A candidate article file. `forced`: an `--include` glob or the
    /// command line named it, so it is read as an article whatever it
    /// looks like.
    File { path: PathBuf, forced: bool },
    /// A file left out: by extension, as a note, sidecar or fragment, or by
    /// `--exclude`. `readable`: one newsdex could have read (all but the
    /// images and archives), which an earlier run may have indexed.
    Skipped { readable: Option<PathBuf> },
    /// A problem while walking (an unreadable folder, a symlink loop).
    Error(String),
}

/// What walking the given paths found, collected.
#[derive(Debug, Default)]
pub struct Walk {
    /// Candidate article files, in a stable order (a folder's files, by
    /// name, before its subfolders).
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
    let mut out = Walk::default();
    walk_each(roots, exclude, overrides, &mut |found| match found {
        Found::File { path, forced } => {
            if forced {
                out.forced.insert(path.clone());
            }
            out.files.push(path);
        }
        Found::Skipped { readable } => {
            out.skipped += 1;
            out.skipped_readable.extend(readable);
        }
        Found::Error(error) => out.errors.push(error),
    });
    out
}

/// Walks `roots` and hands on what it finds a folder at a time, so an
/// archive of millions of files is never held as a list: a folder's files
/// come before its subfolders, and are judged together (a sidecar or a
/// fragment is known by the files beside it, [`not_article::by_name`]).
pub fn walk_each(
    roots: &[PathBuf],
    exclude: &Path,
    overrides: &Overrides,
    each: &mut dyn FnMut(Found),
) {
    let exclude = exclude
        .canonicalize()
        .unwrap_or_else(|_| exclude.to_path_buf());
    for root in roots {
        if !root.exists() {
            each(Found::Error(format!(
                "{}: no such file or folder",
                root.display()
            )));
            continue;
        }
        let entries = WalkDir::new(root)
            .follow_links(true)
            .sort_by(|a, b| {
                let rank =
                    |e: &walkdir::DirEntry| (e.file_type().is_dir(), e.file_name().to_owned());
                rank(a).cmp(&rank(b))
            })
            .into_iter()
            .filter_entry(|entry| {
                if entry.depth() > 0 && is_hidden(entry.file_name()) {
                    return false;
                }
                entry.path().canonicalize().map_or(true, |p| p != exclude)
            });
        let mut folder = Folder::default();
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
                        Verdict::Excluded => each(Found::Skipped {
                            readable: Some(entry.into_path()),
                        }),
                        Verdict::Unsaid if !named && is_not_article(entry.path()) => {
                            each(Found::Skipped { readable: None })
                        }
                        Verdict::Unsaid if !named => folder.add(entry.into_path(), false, each),
                        Verdict::Included | Verdict::Unsaid => {
                            folder.add(entry.into_path(), true, each)
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
                    each(Found::Error(format!("{at}: {reason}")));
                }
            }
        }
        folder.flush(each);
    }
}

/// The candidate files of the folder being walked, until the walk leaves it.
#[derive(Default)]
struct Folder {
    files: Vec<(PathBuf, bool)>,
}

impl Folder {
    fn add(&mut self, path: PathBuf, forced: bool, each: &mut dyn FnMut(Found)) {
        if self
            .files
            .first()
            .is_some_and(|(first, _)| first.parent() != path.parent())
        {
            self.flush(each);
        }
        self.files.push((path, forced));
    }

    /// Judges the folder's files together and hands them on.
    fn flush(&mut self, each: &mut dyn FnMut(Found)) {
        let judged: Vec<PathBuf> = self
            .files
            .iter()
            .filter(|(_, forced)| !forced)
            .map(|(path, _)| path.clone())
            .collect();
        let not_articles = not_article::by_name(&judged);
        for (path, forced) in self.files.drain(..) {
            if not_articles.contains_key(&path) {
                each(Found::Skipped {
                    readable: Some(path),
                });
            } else {
                each(Found::File { path, forced });
            }
        }
    }
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
            [PathBuf::from("b.json"), PathBuf::from("2019/12/30/a.txt")]
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

    #[test]
    fn a_folder_is_judged_whole_though_subfolders_sort_between_its_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b-sub")).unwrap();
        std::fs::write(root.join("a.html"), "<html><body>x</body></html>").unwrap();
        std::fs::write(root.join("b-sub/x.txt"), "x").unwrap();
        std::fs::write(root.join("c.txt"), "x").unwrap();
        // A sidecar of a.html, found after the subfolder by name.
        std::fs::write(root.join("a.meta.json"), "{}").unwrap();
        let mut found = Vec::new();
        walk_each(
            &[root.to_path_buf()],
            &root.join("idx"),
            &Overrides::default(),
            &mut |f| found.push(f),
        );
        let rel = |p: &Path| p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
        let files: Vec<String> = found
            .iter()
            .filter_map(|f| match f {
                Found::File { path, .. } => Some(rel(path)),
                _ => None,
            })
            .collect();
        assert_eq!(files, ["a.html", "c.txt", "b-sub/x.txt"]);
        assert!(found.contains(&Found::Skipped {
            readable: Some(root.join("a.meta.json"))
        }));
    }
}
