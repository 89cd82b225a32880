//! `index --include` / `--exclude`: globs that override what newsdex makes
//! of a file. As in ripgrep's `-g`, a glob without `/` is matched against the
//! file name, one with `/` against the path below the folder given.

use std::path::Path;

use anyhow::Context;
use globset::{Glob, GlobSet, GlobSetBuilder};

/// What the user's globs say of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Matched by `--exclude`: never indexed.
    Excluded,
    /// Matched by `--include`: indexed even if it looks like no article.
    Included,
    /// Neither: newsdex judges.
    Unsaid,
}

/// One side's globs, split by what they are matched against.
#[derive(Debug, Clone, Default)]
struct Side {
    names: Option<GlobSet>,
    paths: Option<GlobSet>,
}

impl Side {
    fn new(globs: &[String], option: &str) -> anyhow::Result<Side> {
        let (mut names, mut paths) = (GlobSetBuilder::new(), GlobSetBuilder::new());
        let (mut any_name, mut any_path) = (false, false);
        for text in globs {
            let glob = Glob::new(text).with_context(|| format!("{option} {text:?}"))?;
            if text.contains('/') {
                paths.add(glob);
                any_path = true;
            } else {
                names.add(glob);
                any_name = true;
            }
        }
        let build = |b: GlobSetBuilder| b.build().with_context(|| format!("{option} globs"));
        Ok(Side {
            names: any_name.then(|| build(names)).transpose()?,
            paths: any_path.then(|| build(paths)).transpose()?,
        })
    }

    fn matches(&self, relative: &Path) -> bool {
        let name = relative.file_name().map(Path::new);
        self.names
            .as_ref()
            .is_some_and(|set| name.is_some_and(|n| set.is_match(n)))
            || self
                .paths
                .as_ref()
                .is_some_and(|set| set.is_match(relative))
    }
}

/// The `--include` and `--exclude` globs of a run.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    include: Side,
    exclude: Side,
}

impl Overrides {
    pub fn new(include: &[String], exclude: &[String]) -> anyhow::Result<Overrides> {
        Ok(Overrides {
            include: Side::new(include, "--include")?,
            exclude: Side::new(exclude, "--exclude")?,
        })
    }

    /// The verdict on a file, by its path below the folder given; an
    /// exclusion wins over an inclusion.
    pub fn verdict(&self, relative: &Path) -> Verdict {
        if self.exclude.matches(relative) {
            Verdict::Excluded
        } else if self.include.matches(relative) {
            Verdict::Included
        } else {
            Verdict::Unsaid
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_paths() {
        let o = Overrides::new(
            &["README*".into(), "notes/*.txt".into()],
            &["*.lc.txt".into(), "drafts/**".into()],
        )
        .unwrap();
        assert_eq!(o.verdict(Path::new("a/README.txt")), Verdict::Included);
        assert_eq!(o.verdict(Path::new("notes/x.txt")), Verdict::Included);
        assert_eq!(o.verdict(Path::new("a/notes/x.txt")), Verdict::Unsaid);
        assert_eq!(
            o.verdict(Path::new("r/all-places.lc.txt")),
            Verdict::Excluded
        );
        assert_eq!(o.verdict(Path::new("drafts/a/b.json")), Verdict::Excluded);
        assert_eq!(o.verdict(Path::new("story.txt")), Verdict::Unsaid);
        assert!(Overrides::new(&["a[".into()], &[]).is_err());
    }
}
