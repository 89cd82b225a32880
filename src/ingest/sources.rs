//! Sources the user names for folders (`newsdex index DIR --source "BBC
//! News"`), kept in the index folder as `sources.tsv` (one `folder<TAB>source`
//! a line) so later runs over the folder, or part of it, give its new and
//! changed files the same source. An article's own source always wins; a
//! folder's source fills in where the file names none.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;

/// The file in the index folder.
pub const FILE: &str = "sources.tsv";

/// Folder (as the manifest keys it) → source.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FolderSources {
    folders: BTreeMap<String, String>,
}

impl FolderSources {
    /// The folders' sources of the index at `index_dir` (none when the file
    /// is absent).
    pub fn load(index_dir: &Path) -> anyhow::Result<FolderSources> {
        let path = index_dir.join(FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        let mut folders = BTreeMap::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let (folder, source) = line.split_once('\t').with_context(|| {
                format!("{}:{}: expected folder<TAB>source", path.display(), n + 1)
            })?;
            folders.insert(folder.to_string(), source.to_string());
        }
        Ok(FolderSources { folders })
    }

    /// Names the source of a folder; whether that changed anything.
    pub fn set(&mut self, folder: String, source: &str) -> bool {
        self.folders.insert(folder, source.to_string()).as_deref() != Some(source)
    }

    /// Writes the file atomically (a temporary file renamed over it).
    pub fn save(&self, index_dir: &Path) -> anyhow::Result<()> {
        let mut text = String::from("# folder\tsource (newsdex index DIR --source NAME)\n");
        for (folder, source) in &self.folders {
            text.push_str(&format!("{folder}\t{source}\n"));
        }
        let path = index_dir.join(FILE);
        let temp = index_dir.join(format!("{FILE}.new"));
        std::fs::write(&temp, text)
            .and_then(|()| std::fs::rename(&temp, &path))
            .with_context(|| format!("cannot write {}", path.display()))
    }

    /// The source of the innermost named folder holding `file` (a manifest key).
    pub fn source_for(&self, file: &str) -> Option<&str> {
        self.folders
            .iter()
            .filter(|(folder, _)| is_under(file, folder))
            .max_by_key(|(folder, _)| folder.len())
            .map(|(_, source)| source.as_str())
    }
}

/// Whether the key `file` is `folder` or lies below it.
pub fn is_under(file: &str, folder: &str) -> bool {
    file == folder
        || file
            .strip_prefix(folder)
            .is_some_and(|rest| rest.starts_with(std::path::MAIN_SEPARATOR))
}

/// A source from an article's address: its host without `www.`
/// (`https://www.bbc.co.uk/news/x` → `bbc.co.uk`).
pub fn from_url(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let host = host.rsplit('@').next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty() && host.contains('.')).then(|| host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn innermost_folder_wins_and_the_file_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let mut sources = FolderSources::load(dir.path()).unwrap();
        assert!(sources.set("/a".into(), "Wire"));
        assert!(sources.set("/a/bbc".into(), "BBC News"));
        assert!(!sources.set("/a/bbc".into(), "BBC News"));
        sources.save(dir.path()).unwrap();
        let again = FolderSources::load(dir.path()).unwrap();
        assert_eq!(again, sources);
        assert_eq!(again.source_for("/a/bbc/sport/1.txt"), Some("BBC News"));
        assert_eq!(again.source_for("/a/bbcx/1.txt"), Some("Wire"));
        assert_eq!(again.source_for("/b/1.txt"), None);
    }

    #[test]
    fn sources_from_urls() {
        assert_eq!(
            from_url("https://www.bbc.co.uk/news/x").as_deref(),
            Some("bbc.co.uk")
        );
        assert_eq!(
            from_url("http://user@example.com:8080/a").as_deref(),
            Some("example.com")
        );
        assert_eq!(from_url("not a url"), None);
        assert_eq!(from_url("file:///tmp/x"), None);
    }
}
